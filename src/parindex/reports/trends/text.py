"""Sentences of the trends report, written from the figures across years in one language."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from parindex import analysis
from parindex.data.params import Band, Params
from parindex.i18n import MISSING, Lang
from parindex.reports import nouns
from parindex.reports.present import Column
from parindex.reports.style import band_name, bound

DASH = MISSING


def period_text(start: int, end: int) -> str:
    """A period as every language writes it: "2018–2024", or one year."""
    return f"{start}–{end}" if start != end else str(start)


def sentence(text: str) -> str:
    """The text with its first letter upper case, as a sentence starts."""
    return text[:1].upper() + text[1:]


def years_text(years: Sequence[int], lang: Lang) -> str:
    """Years in words, runs joined: [2019, 2020, 2021, 2023] -> "2019–2021 and 2023"."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return lang.join([period_text(run[0], run[-1]) for run in runs])


def names_text(names: Sequence[str], lang: Lang) -> str:
    """Names as a list in a sentence; joined with semicolons when a name holds a comma itself."""
    names = list(names)
    if any("," in name for name in names):
        return "; ".join(names)
    return lang.join(names)


def level(value: float, unit: str, lang: Lang) -> str:
    """A threshold with the digits it was given and its unit: "80%", "82,5%"."""
    return bound(value, lang) + (unit if unit == "%" else f" {unit}" if unit else "")


def points(value: float, decimals: int, lang: Lang, signed: bool = False) -> str:
    """A difference of scores in points: "+14.00 points", "2,50 điểm"."""
    return lang.score(value, decimals, lang.t("common.points"), signed=signed)


def band_label(label: str, bands: Sequence[Band], lang: Lang) -> str:
    """A band's label; the catch-all below every band ("< 70") with the number as the language writes it."""
    return f"< {bound(bands[-1].min, lang)}" if label.startswith("<") else band_name(label, bands, lang)


def regime_range(bands: Sequence[Band], i: int, lang: Lang) -> str:
    """A band's range in symbols: "≥ 90", "80–<90", or "< 70" for a band starting at zero."""
    if i == 0:
        return f"≥ {bound(bands[0].min, lang)}"
    if bands[i].min <= 0:
        return f"< {bound(bands[i - 1].min, lang)}"
    return f"{bound(bands[i].min, lang)}–<{bound(bands[i - 1].min, lang)}"


def regime_ranges(bands: Sequence[Band], lang: Lang) -> str:
    """A year's bands in symbols: "A ≥ 80, B 75–<80, C 70–<75, D < 70"."""
    return ", ".join(f"{band.name(lang.code)} {regime_range(bands, i, lang)}" for i, band in enumerate(bands))


def band_rule(bands: Sequence[Band], unit: str, lang: Lang) -> str:
    """The bands in words: "A: 90% and above; B: 80% to under 90%; C: under 80%"."""
    parts = []
    for i, band in enumerate(bands):
        low = level(band.min, unit, lang)
        if i == 0:
            parts.append(lang.t("trends.band.top", label=band.name(lang.code), low=low))
            continue
        high = level(bands[i - 1].min, unit, lang)
        if band.min <= 0:
            parts.append(lang.t("trends.band.bottom", label=band.name(lang.code), high=high))
        else:
            parts.append(lang.t("trends.band.middle", label=band.name(lang.code), low=low, high=high))
    return "; ".join(parts)


def _direction(before: float, after: float) -> str:
    return "rose" if after > before else "fell" if after < before else "unchanged"


def mean_sentences(
    means: pd.DataFrame, subject: str, lang: Lang, unit: str = "%", decimals: int = 2
) -> list[str]:
    """Sentences on a mean over the years ("The national mean rose from 76.92% in 2018 to 88.37% in 2024.").

    Args:
        means: A frame from `mean_by_year` (columns year and mean, means rounded to `decimals`).
        subject: What the mean is of, as a noun phrase of the language, e.g. "national mean".
        lang: The language.
        unit: The unit written after each figure.
        decimals: Decimals figures are written with.

    Returns:
        The movement from the first year to the last; how it moved in between (with the years it fell);
        the highest value when it was not in the last year. One sentence for a single year.
    """
    if means.empty:
        return []
    years, values = [int(y) for y in means["year"]], [float(v) for v in means["mean"]]

    def figure(value: float) -> str:
        return lang.score(value, decimals, unit)

    if len(years) == 1:
        return [
            sentence(lang.t("trends.mean.single", subject=subject, value=figure(values[0]), year=years[0]))
        ]
    ends = {"first": years[0], "last": years[-1], "start": figure(values[0]), "end": figure(values[-1])}
    sentences = [
        sentence(lang.t(f"trends.mean.{_direction(values[0], values[-1])}", subject=subject, **ends))
    ]
    steps = [
        analysis.round_half_up(after - before, decimals)
        for before, after in zip(values, values[1:], strict=False)
    ]
    if len(steps) > 1:
        sentences.append(_steps_sentence(years[1:], steps, lang, decimals))
    highest = max(values)
    best = [year for year, value in zip(years, values, strict=True) if value == highest]
    if best != [years[-1]]:
        sentences.append(
            lang.t("trends.mean.highest", value=figure(highest), years=lang.join(map(str, best)))
        )
    return sentences


def _steps_sentence(years: Sequence[int], steps: Sequence[float], lang: Lang, decimals: int) -> str:
    """How a mean moved from one year to the next: every year the same way, or the years it fell."""
    rose = sum(step > 0 for step in steps)
    fell = [(year, step) for year, step in zip(years, steps, strict=True) if step < 0]
    if rose == len(steps):
        return lang.t("trends.mean.rose_every_year")
    if len(fell) == len(steps):
        return lang.t("trends.mean.fell_every_year")
    if not rose and not fell:
        return lang.t("trends.mean.same_every_year")
    if not fell:
        return lang.t("trends.mean.never_fell")
    if not rose:
        return lang.t("trends.mean.never_rose")
    falls = [
        lang.t("trends.mean.fall_item", year=year, change=lang.number(step, decimals, signed=True))
        for year, step in fell
    ]
    return lang.t(
        "trends.mean.mixed", rose=lang.integer(rose), steps=lang.integer(len(steps)), falls=lang.join(falls)
    )


def leader_sentence(first: pd.DataFrame, lang: Lang, label: str | None = None) -> str:
    """Who ranked first, in runs of years: "First place: Quảng Ninh (2018–2022), Hải Phòng (2023–2024).".

    Args:
        first: A frame from `leaders` (columns year and name; several rows for a year with a tie).
        lang: The language.
        label: What the list is, e.g. "First in SIPAS"; "First place" when None.
    """
    if first.empty:
        return ""
    names = first.groupby("year")["name"].agg(lambda tied: names_text(list(tied), lang))
    runs = runs_of(list(names.index), list(names))
    items = [f"{name} ({period_text(years[0], years[-1])})" for name, years in runs]
    joined = "; ".join(items) if any("," in str(name) for name, _ in runs) else ", ".join(items)
    return lang.t("trends.leaders.sentence", label=label or lang.t("trends.leaders.first"), runs=joined)


def rank_move(before: int, after: int, lang: Lang) -> str:
    """A move in the ranking: "rank 5 to 1" / "từ hạng 5 lên hạng 1"."""
    before, after = int(before), int(after)
    if before == after:
        return lang.t("trends.rank.same", rank=lang.integer(before))
    key = "trends.rank.up" if after < before else "trends.rank.down"
    return lang.t(key, before=lang.integer(before), after=lang.integer(after))


def move_sentence(
    moves: pd.DataFrame,
    start: int,
    end: int,
    lang: Lang,
    unit_type: str = "province",
    decimals: int = 2,
    params: Params | None = None,
) -> str:
    """The largest rise and fall in points over one period, with the ranks, from `largest_moves`.

    Units sharing the largest rise (or fall) are named together.

    Args:
        moves: A frame from `largest_moves`.
        start: The period's first year.
        end: The period's last year.
        lang: The language.
        unit_type: The units' type: the noun of "no province's score fell".
        decimals: Decimals changes are written with.
        params: The params whose `unit_types` give the words of a type the catalogs do not know.
    """
    own = moves[(moves["start"] == start) & (moves["end"] == end) & (moves["by"] == "points")]
    parts = []
    for direction in ("rise", "fall"):
        rows = own[own["direction"] == direction].sort_values("position")
        if rows.empty:
            continue
        top = rows[rows["score_change"] == rows["score_change"].iloc[0]]
        change = points(top["score_change"].iloc[0], decimals, lang, signed=True)
        if len(top) == 1:
            row = top.iloc[0]
            ranks = rank_move(row.rank_previous, row.rank_current, lang)
            parts.append(
                lang.t(f"trends.move.{direction}_most", name=row["name"], change=change, ranks=ranks)
            )
        else:
            names = names_text(list(top["name"]), lang)
            parts.append(lang.t(f"trends.move.{direction}_most_tied", names=names, change=change))
    rose, fell = (own["direction"] == "rise").any(), (own["direction"] == "fall").any()
    if not rose and not fell:
        parts.append(nouns.sentence(params, unit_type, lang, "trends.move.none_changed"))
    elif not fell:
        parts.append(nouns.sentence(params, unit_type, lang, "trends.move.none_fell"))
    elif not rose:
        parts.insert(0, nouns.sentence(params, unit_type, lang, "trends.move.none_rose"))
    return lang.t("trends.move.sentence", start=start, end=end, parts="; ".join(parts))


def threshold_sentence(
    above: pd.DataFrame,
    threshold: float,
    unit: str,
    lang: Lang,
    params: Params | None = None,
    unit_type: str = "province",
) -> str:
    """How many units reached the threshold in each year.

    Args:
        above: Counts at or above the threshold per year (`at_or_above`).
        threshold: The threshold.
        unit: The score's unit.
        lang: The language.
        params: The params whose `unit_types` give the words of a type the catalogs do not know.
        unit_type: The units' type.

    Returns:
        The sentence.
    """
    counts = [
        lang.t("trends.threshold.item", count=lang.integer(row["count"]), year=int(row["year"]))
        for _, row in above.iterrows()
    ]
    values = {"threshold": level(threshold, unit, lang), "counts": lang.join(counts)}
    sentence = nouns.sentence(params, unit_type, lang, "trends.threshold.sentence", **values)
    return sentence[:1].upper() + sentence[1:]


def from_to(means: pd.DataFrame, d: int, lang: Lang) -> str:
    """The first and last mean of a `mean_by_year` frame: "from 2018 (76.92) to 2024 (88.37)"."""
    years, values = list(means["year"]), list(means["mean"])
    return lang.t(
        "trends.from_to",
        first=int(years[0]),
        start=lang.number(values[0], d),
        last=int(years[-1]),
        end=lang.number(values[-1], d),
    )


def printed_means(frame: pd.DataFrame, lang: Lang) -> list[str]:
    """The published figures of a frame (columns published, precision) as printed; a dash where none."""
    return [
        DASH if pd.isna(value) else lang.number(value, 0 if pd.isna(places) else int(places))
        for value, places in zip(frame["published"], frame["precision"], strict=True)
    ]


def check_text(status: str, lang: Lang) -> str:
    """A reconciliation status ("match", "MISMATCH") in words; a dash when nothing was published."""
    if status == analysis.MATCH:
        return lang.t("trends.check.match")
    if status == analysis.MISMATCH:
        return lang.t("trends.check.mismatch")
    return status or DASH


def runs_of(years: Sequence[int], values: Sequence[object]) -> list[tuple[object, list[int]]]:
    """Consecutive years with the same value: [(value, [years]), ...], in year order."""
    runs: list[tuple[object, list[int]]] = []
    for year, value in zip(years, values, strict=True):
        if runs and runs[-1][0] == value and runs[-1][1][-1] == year - 1:
            runs[-1][1].append(year)
        else:
            runs.append((value, [year]))
    return runs


def region_sentence(regional: pd.DataFrame, d: int, lang: Lang) -> str:
    """Which region led each year (every region sharing the highest mean), and how the gap moved.

    Args:
        regional: A frame from `regional_means_by_year`, its names in the language.
        d: Decimals means are written with.
        lang: The language.
    """
    if regional.empty:
        return ""
    highest = regional.groupby("year")["mean"].transform("max")
    top = regional[regional["mean"] == highest]
    order = list(dict.fromkeys(top.sort_values("year")["name"]))
    led = top.groupby("name")["year"].apply(list)
    items = [lang.t("trends.regions.item", name=name, years=years_text(led[name], lang)) for name in order]
    gaps = regional.groupby("year")["mean"].agg(lambda m: analysis.round_half_up(m.max() - m.min(), d))
    lead = lang.t("trends.regions.highest", items="; ".join(items))
    return " ".join(part for part in (lead, gap_sentence(gaps, "regions", d, lang)) if part)


def gap_sentence(gaps: pd.Series, what: str, d: int, lang: Lang) -> str:
    """How the gap between highest and lowest moved from the first year to the last (gaps indexed by year).

    Args:
        gaps: The gap of each year, in points.
        what: "regions" (between regional means) or "provinces" (between provinces' scores).
        d: Decimals gaps are written with.
        lang: The language.
    """
    if len(gaps) < 2:
        return ""
    first, last = int(gaps.index[0]), int(gaps.index[-1])
    moved = {"rose": "widened", "fell": "narrowed"}.get(_direction(gaps.iloc[0], gaps.iloc[-1]), "unchanged")
    values = {"what": lang.t(f"trends.gap.what.{what}"), "first": first, "last": last}
    values["end"] = points(gaps.iloc[-1], d, lang)
    if moved != "unchanged":
        values["start"] = points(gaps.iloc[0], d, lang)
    return lang.t(f"trends.gap.{moved}", **values)


def published_columns(columns: Sequence[Column], frame: pd.DataFrame) -> list[Column]:
    """A means table's columns, without the published mean and its check when nothing in it was published.

    Args:
        columns: The table's columns, "published_text" and "status" among them.
        frame: The table's rows (column published, NaN where nothing was published).

    Returns:
        The columns to show.
    """
    if frame["published"].notna().any():
        return list(columns)
    return [column for column in columns if column.key not in ("published_text", "status")]
