"""Sentences of the trends report, written from the figures across years."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from parindex import analysis
from parindex.reports.present import number

DASH = "–"


def period_text(start: int, end: int) -> str:
    """A period in words: "2018–2024", or one year."""
    return f"{start}–{end}" if start != end else str(start)


def _moved(before: float, after: float) -> str:
    return "rose" if after > before else "fell" if after < before else "was unchanged"


def years_text(years: Sequence[int]) -> str:
    """Years in words, runs joined: [2019, 2020, 2021, 2023] -> "2019–2021 and 2023"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [period_text(run[0], run[-1]) for run in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def mean_sentences(means: pd.DataFrame, subject: str, unit: str = "%", decimals: int = 2) -> list[str]:
    """Sentences on a mean over the years ("The national mean rose from 76.92% in 2018 to 88.37% in 2024.").

    Args:
        means: A frame from `mean_by_year`.
        subject: What the mean is of, e.g. "national mean".
        unit: The unit written after each figure.
        decimals: Decimals figures are written with.
    """
    if means.empty:
        return []
    years, values = [int(y) for y in means["year"]], list(means["mean"])
    if len(means) == 1:
        return [f"The {subject} was {number(values[0], decimals)}{unit} in {years[0]}."]
    sentences = [
        f"The {subject} {_moved(values[0], values[-1])} from {number(values[0], decimals)}{unit} "
        f"in {years[0]} to {number(values[-1], decimals)}{unit} in {years[-1]}."
    ]
    steps = means["mean"].diff().iloc[1:]
    fell, rose = [y for y, s in zip(years[1:], steps, strict=True) if s < 0], list(steps[steps > 0])
    if len(steps) > 1:
        if not fell:
            sentences.append("It rose every year." if len(rose) == len(steps) else "It never fell.")
        elif not rose:
            sentences.append("It fell every year.")
        else:
            falls = [analysis.round_half_up(step, decimals) for step in steps[steps < 0]]
            drops = [f"{y} ({number(c, decimals, signed=True)})" for y, c in zip(fell, falls, strict=True)]
            sentences.append(f"It rose in {len(rose)} of {len(steps)} years and fell in {in_words(drops)}.")
    best = values.index(max(values))
    if best != len(values) - 1:
        sentences.append(f"The highest was {number(values[best], decimals)}{unit} in {years[best]}.")
    return sentences


def leader_sentence(first: pd.DataFrame, noun: str = "First place") -> str:
    """Who ranked first, in runs of years: "First place: Quảng Ninh (2018–2022), Hải Phòng (2023–2024)."."""
    if first.empty:
        return ""
    names = first.groupby("year")["name"].agg(" and ".join)
    runs = runs_of(list(names.index), list(names))
    return f"{noun}: " + ", ".join(f"{name} ({period_text(ys[0], ys[-1])})" for name, ys in runs) + "."


def move_sentence(
    moves: pd.DataFrame, start: int, end: int, unit_noun: str = "province", decimals: int = 2
) -> str:
    """The largest rise and fall in points over one period, with the ranks, from `largest_moves`."""
    own = moves[(moves["start"] == start) & (moves["end"] == end) & (moves["by"] == "points")]
    rise = own[(own["direction"] == "rise") & (own["position"] == 1)]
    fall = own[(own["direction"] == "fall") & (own["position"] == 1)]
    parts = []
    for word, rows in (("rose most", rise), ("fell most", fall)):
        if rows.empty:
            continue
        row = rows.iloc[0]
        parts.append(
            f"{row['name']} {word} ({number(row.score_change, decimals, signed=True)} points, rank "
            f"{row.rank_previous} to {row.rank_current})"
        )
    if fall.empty:
        parts.append(f"no {unit_noun}'s score fell")
    return f"From {start} to {end}, " + "; ".join(parts) + "."


def threshold_sentence(above: pd.DataFrame, threshold: float, unit: str) -> str:
    """How many units reached the threshold in each year."""
    counts = ", ".join(f"{row['count']} in {row.year}" for _, row in above.iterrows())
    return f"Provinces at or above {threshold:g}{unit}, a band threshold in every year: {counts}."


def from_to(means: pd.DataFrame, d: int) -> str:
    """The first and last mean of a `mean_by_year` frame: "from 2018 (76.92) to 2024 (88.37)"."""
    years, values = list(means["year"]), list(means["mean"])
    return f"from {int(years[0])} ({number(values[0], d)}) to {int(years[-1])} ({number(values[-1], d)})"


def printed_means(frame: pd.DataFrame) -> list[str]:
    """The published figures of a frame (columns published, precision) as printed; a dash where none."""
    return [
        DASH if pd.isna(value) else f"{value:.{0 if pd.isna(places) else int(places)}f}"
        for value, places in zip(frame["published"], frame["precision"], strict=True)
    ]


def in_words(parts: Sequence[str]) -> str:
    """Words joined as in a sentence: "a", "a and b", "a, b and c"."""
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def runs_of(years: Sequence[int], values: Sequence[object]) -> list[tuple[object, list[int]]]:
    """Consecutive years with the same value: [(value, [years]), ...], in year order."""
    runs: list[tuple[object, list[int]]] = []
    for year, value in zip(years, values, strict=True):
        if runs and runs[-1][0] == value and runs[-1][1][-1] == year - 1:
            runs[-1][1].append(year)
        else:
            runs.append((value, [year]))
    return runs


def region_sentence(regional: pd.DataFrame, d: int, unit: str) -> str:
    """Which region led and which trailed across the years."""
    if regional.empty:
        return ""
    top = regional.loc[regional.groupby("year")["mean"].idxmax()]
    leaders_by_year = top.groupby("name")["year"].apply(list)
    lead = "; ".join(
        f"{name} in {years_text(years)}"
        for name, years in leaders_by_year.sort_values(key=lambda s: s.str[0]).items()
    )
    gaps = regional.groupby("year")["mean"].agg(lambda m: analysis.round_half_up(m.max() - m.min(), d))
    return " ".join(
        part for part in (f"Highest regional mean: {lead}.", gap_sentence(gaps, "regional mean", d)) if part
    )


def gap_sentence(gaps: pd.Series, what: str, d: int) -> str:
    """How the gap between highest and lowest moved from the first year to the last (gaps indexed by year)."""
    if len(gaps) < 2:
        return ""
    first, last = gaps.index[0], gaps.index[-1]
    word = {"rose": "widened", "fell": "narrowed"}.get(_moved(gaps[first], gaps[last]), "was unchanged")
    return (
        f"The gap between the highest and lowest {what} {word} from {number(gaps[first], d)} points in "
        f"{first} to {number(gaps[last], d)} in {last}."
    )
