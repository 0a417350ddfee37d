"""Sentences of the province profile, written from its figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pandas as pd

from parindex import analysis
from parindex.data.params import Band
from parindex.reports.present import number
from parindex.reports.profile.history import difference
from parindex.reports.profile.unit import Profile


def band_words(label: str, bands: Sequence[Band], unit: str = "%", scale_min: float = 0) -> str:
    """A band's range in words, e.g. "80% to under 90%", "90% and above", "under 70%"."""
    for i, band in enumerate(bands):
        if band.label == label:
            if i == 0:
                return f"{band.min:g}{unit} and above"
            if band.min <= scale_min:
                return f"under {bands[i - 1].min:g}{unit}"
            return f"{band.min:g}{unit} to under {bands[i - 1].min:g}{unit}"
    return f"under {bands[-1].min:g}{unit}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd..."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def band_rules(bands_by_year: Mapping[int, Sequence[Band]], scale_min: float = 0) -> str:
    """The bands of each year in short, consecutive years with the same bands grouped.

    Example: "2018: A ≥ 80, B 75–<80, C 70–<75, D < 70; 2019–2022: A ≥ 90, B 80–<90, C 70–<80".
    """
    groups: list[tuple[list[int], str]] = []
    for year in sorted(bands_by_year):
        bands = bands_by_year[year]
        parts = []
        for i, band in enumerate(bands):
            if i == 0:
                parts.append(f"{band.label} ≥ {band.min:g}")
            elif band.min <= scale_min:
                parts.append(f"{band.label} < {bands[i - 1].min:g}")
            else:
                parts.append(f"{band.label} {band.min:g}–<{bands[i - 1].min:g}")
        text = ", ".join(parts)
        if groups and groups[-1][1] == text and groups[-1][0][-1] == year - 1:
            groups[-1][0].append(year)
        else:
            groups.append(([year], text))
    return "; ".join(
        f"{years[0] if len(years) == 1 else f'{years[0]}–{years[-1]}'}: {text}" for years, text in groups
    )


def _rank_text(rank: int, n: int, tied: bool) -> str:
    return f"{ordinal(rank)}{' (tied)' if tied else ''} of {n}"


def _against(diff: float, what: str, decimals: int) -> str:
    if diff == 0:
        return f"equal to {what}"
    return f"{number(abs(diff), decimals)} points {'above' if diff > 0 else 'below'} {what}"


def sentences(p: Profile) -> list[str]:
    """The profile's key sentences from the data: rank, means, region, change, range over the years."""
    row, d, u = p.row, p.decimals, p.unit_label
    ranked = p.history.ranked(p.year)
    tied = int((ranked["rank"] == row["rank"]).sum()) > 1
    national = difference(row["score"], row["national_mean"], d)
    band = band_words(str(row["band"]), p.params.bands, u, p.params.index.scale.min)
    texts = [
        f"{p.name} ranks {_rank_text(int(row['rank']), int(row['n_units']), tied)} in {p.year} with "
        f"{number(row['score'], d)}{u}, {_against(national, 'the national mean', d)} "
        f"({number(row['national_mean'], d)}{u}); it is in band {row['band']} ({band})."
    ]
    regional = difference(row["score"], row["region_mean"], d)
    size = int(row["region_size"])
    standing = (
        f"ranks {ordinal(int(row['region_rank']))} of {size} provinces in the region"
        if size > 1
        else "is the only province of the region in the data"
    )
    texts.append(
        f"It is in the {p.region_name} region, whose mean is {number(row['region_mean'], d)}{u}: "
        f"{p.name} is {_against(regional, 'it', d)} and {standing}."
    )
    before = p.previous
    if before is not None:
        change = difference(row["score"], before["score"], d)
        moved = int(before["rank"]) - int(row["rank"])
        score_text = (
            f"its score {'rose' if change > 0 else 'fell'} {number(abs(change), d)} points"
            if change
            else "its score was unchanged"
        )
        rank_text = (
            f"it moved {'up' if moved > 0 else 'down'} {abs(moved)} place{'s' if abs(moved) != 1 else ''} "
            f"from {ordinal(int(before['rank']))}"
            if moved
            else f"it kept its rank ({ordinal(int(row['rank']))})"
        )
        texts.append(
            f"Against {int(before['year'])} ({number(before['score'], d)}{u}), {score_text} and {rank_text}."
        )
    timeline = p.timeline
    if len(timeline) > 1:
        first, last = int(timeline["year"].min()), int(timeline["year"].max())
        best, worst = int(timeline["rank"].min()), int(timeline["rank"].max())
        above = int((timeline["score"] > timeline["national_mean"]).sum())
        texts.append(
            f"Over {first}–{last} its best rank was {ordinal(best)} "
            f"({years_with(timeline, 'rank', best)}) and its lowest {ordinal(worst)} "
            f"({years_with(timeline, 'rank', worst)}); it scored above the national mean in {above} of "
            f"{len(timeline)} years."
        )
    return texts


def years_with(frame: pd.DataFrame, column: str, value: object) -> str:
    """The years in which a column of the frame holds the value, e.g. "2019, 2021"."""
    return ", ".join(str(int(y)) for y in frame.loc[frame[column] == value, "year"])


def neighbour_sentence(p: Profile) -> str:
    """Who ranks just above and just below the province, and by how many points."""
    rows, d, u = p.neighbours, p.decimals, p.unit_label
    at = int(rows.index[rows["is_unit"]][0])
    parts = []
    if at > 0:
        above = rows.iloc[at - 1]
        gap = (
            f"is {number(above['difference'], d)} points ahead of {p.name}"
            if above["difference"]
            else f"has the same score as {p.name}"
        )
        parts.append(f"{above['name']} ({ordinal(int(above['rank']))}, {number(above['score'], d)}{u}) {gap}")
    else:
        parts.append(f"No province ranks above {p.name}")
    if at + 1 < len(rows):
        below = rows.iloc[at + 1]
        gap = (
            f"is {number(-below['difference'], d)} points behind"
            if below["difference"]
            else "has the same score"
        )
        parts.append(f"{below['name']} ({ordinal(int(below['rank']))}, {number(below['score'], d)}{u}) {gap}")
    else:
        parts.append("no province ranks below it")
    return "; ".join(parts) + "."


def companion_sentences(p: Profile) -> list[str]:
    """The province's companion index (SIPAS) in the profile year against its national mean, and its range."""
    frame = p.companion_timeline
    if frame.empty:
        return [f"No companion index (SIPAS) is given for {p.name} in any loaded year."]
    d = p.decimals
    now = frame[frame["year"] == p.year]
    name = str(frame["index"].iloc[-1])
    texts = []
    if now.empty:
        texts.append(f"No {name} is given for {p.year}.")
    else:
        row = now.iloc[0]
        diff = difference(row["score"], row["national_mean"], d)
        texts.append(
            f"{p.name}'s {name} in {p.year} is {number(row['score'], d)}% ({ordinal(int(row['rank']))} of "
            f"{int(row['n_units'])}), {_against(diff, f'the national {name} mean', d)} "
            f"({number(row['national_mean'], d)}%)."
        )
    if len(frame) > 1:
        best, worst = int(frame["rank"].min()), int(frame["rank"].max())
        texts.append(
            f"Its {name} rank over {int(frame['year'].min())}–{int(frame['year'].max())} ranged from "
            f"{ordinal(best)} ({years_with(frame, 'rank', best)}) to {ordinal(worst)} "
            f"({years_with(frame, 'rank', worst)})."
        )
    return texts


def component_sentences(p: Profile) -> list[str]:
    """What the published parts of the score say, or plainly that none are published."""
    rows, d = p.components, p.decimals
    others = p.history.components
    other_years = sorted(
        int(y)
        for y in others.loc[
            (others["code"] == p.code) & (others["index"] == p.params.index.slug), "year"
        ].unique()
        if int(y) != p.year
    )
    also = f" Parts are published for {p.name} in {', '.join(map(str, other_years))}." if other_years else ""
    if rows.empty:
        return [
            f"No breakdown of {p.name}'s {p.year} score into its parts has been published; only the total "
            f"({number(p.row['score'], d)}{p.unit_label}) is known.{also}"
        ]
    scored = rows.dropna(subset=["score"])
    total = analysis.round_half_up(float(sum(Decimal(repr(float(s))) for s in scored["score"])), d)
    text = f"{len(rows)} parts of {p.name}'s {p.year} score are published"
    if len(scored) == len(rows) and len(rows) > 1:
        gap = difference(total, p.row["score"], d)
        text += f"; they add up to {number(total, d)} points" + (
            f", {number(abs(gap), d)} {'above' if gap > 0 else 'below'} the score of "
            f"{number(p.row['score'], d)} (each part is rounded as published)"
            if gap
            else ", exactly the score"
        )
    return [text + "." + also]
