"""Sentences of the yearly report, written from the year's figures."""

from __future__ import annotations

import pandas as pd

from parindex import analysis
from parindex.data.params import Band
from parindex.reports import present
from parindex.reports.present import Column, number
from parindex.reports.yearly.year import Year

UNIT_NOUNS = {"province": ("province", "provinces"), "ministry": ("ministry", "ministries")}


def plural_of(count: int, unit_type: str) -> str:
    """A count with its unit noun, e.g. "63 provinces", "1 ministry"."""
    singular, plural = UNIT_NOUNS.get(unit_type, (unit_type, unit_type + "s"))
    return f"{count} {singular if count == 1 else plural}"


def band_rule(bands: tuple[Band, ...], unit: str = "%") -> str:
    """The bands in words, e.g. "A: 90% and above; B: 80% to under 90%; C: 70% to under 80%"."""
    parts = []
    for position, band in enumerate(bands):
        low = f"{band.min:g}{unit}"
        if position == 0:
            parts.append(f"{band.label}: {low} and above")
        elif band.min == 0:
            parts.append(f"{band.label}: under {bands[position - 1].min:g}{unit}")
        else:
            parts.append(f"{band.label}: {low} to under {bands[position - 1].min:g}{unit}")
    return "; ".join(parts)


def headline(year: Year, unit_type: str = "province") -> list[str]:
    """The key sentences of a year, written from the data: n, mean and change, best, worst, bands."""
    units = year.units(unit_type)
    unit = year.params.index.unit_label
    d = year.decimals
    mean = year.mean(units)
    sentences = [
        f"{year.name} assessed {plural_of(len(units), unit_type)}; the mean score is {number(mean, d)}{unit}."
    ]
    before = year.previous_units(unit_type)
    if before is not None and not before.empty:
        previous_mean = year.mean(before)
        change = analysis.round_half_up(mean - previous_mean, d)
        direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
        sentences[0] = sentences[0][:-1] + (
            f", {direction} {number(abs(change), d)} points on {year.params.comparison_year} "
            f"({number(previous_mean, d)}{unit})."
            if change
            else f", unchanged on {year.params.comparison_year}."
        )
    best, worst = units.iloc[0], units.iloc[-1]
    sentences.append(
        f"{best['name']} ranks first with {number(best.score, d)}{unit}; {worst['name']} ranks last "
        f"(rank {worst.computed_rank}) with {number(worst.score, d)}{unit}."
    )
    counts = analysis.band_counts(units, year.bands)
    parts = [f"{row['count']} in band {row.band} ({analysis_range(row)})" for _, row in counts.iterrows()]
    sentences.append("By band: " + ", ".join(parts) + ".")
    compared = year.compared(unit_type)
    if compared is not None:
        moved = analysis.change_summary(compared)
        parts = [f"{moved.improved} improved their score", f"{moved.declined} declined"]
        parts += [f"{moved.unchanged} kept it"] if moved.unchanged else []
        parts += [f"{moved.new} are new"] if moved.new else []
        parts += [f"{moved.absent} are no longer ranked"] if moved.absent else []
        listed = ", ".join(parts[:-1]) + " and " + parts[-1]
        sentences.append(f"Against {year.params.comparison_year}, {listed}.")
    return sentences


def analysis_range(row: pd.Series) -> str:
    """A band's range from a band_counts row, e.g. "80–<90"."""
    if pd.isna(row.upper):
        return f"≥ {row.lower:g}"
    if pd.isna(row.lower) or row.lower == 0:
        return f"< {row.upper:g}"
    return f"{row.lower:g}–<{row.upper:g}"


def band_comparison(year: Year, units: pd.DataFrame, before: pd.DataFrame) -> str:
    """Units per band this year against the comparison year, as a table."""
    previous_bands = year.previous.params.bands
    now = analysis.band_counts(units, year.bands)
    then = analysis.band_counts(analysis.with_bands(before, previous_bands, year.decimals), previous_bands)
    rows = pd.DataFrame(
        {
            "year": [year.params.year] * len(now) + [year.params.comparison_year] * len(then),
            "band": list(now.band) + list(then.band),
            "range": [analysis_range(r) for _, r in now.iterrows()]
            + [analysis_range(r) for _, r in then.iterrows()],
            "count": list(now["count"]) + list(then["count"]),
        }
    )
    columns = [
        Column("year", "Year"),
        Column("band", "Band"),
        Column("range", "Range"),
        Column("count", "Units", numeric=True),
    ]
    note = "" if tuple(previous_bands) == tuple(year.bands) else " (the bands changed between the two years)"
    return present.table(
        rows, columns, caption=f"Units per band, {year.params.year} and {year.params.comparison_year}{note}"
    )


def rank_move(value: object) -> str:
    """A rank change as an arrow and a count: ▲ 3 moved up three places."""
    if value is None or pd.isna(value):
        return "–"
    value = int(value)
    return f"▲ {value}" if value > 0 else f"▼ {-value}" if value < 0 else "="
