"""Sentences of the yearly report, written from the year's figures in one language."""

from __future__ import annotations

import pandas as pd

from parindex import analysis
from parindex.data.params import Band, Params
from parindex.i18n import Lang
from parindex.reports import nouns, present
from parindex.reports.present import Column
from parindex.reports.style import band_name, bound
from parindex.reports.yearly.year import Year


def name_of(year: Year, lang: Lang) -> str:
    """The index and year as the language writes them, e.g. "PAR INDEX năm 2020", "PAR INDEX 2020"."""
    return lang.t("yearly.name", index=year.params.index.name, year=year.params.year)


def plural_of(count: int, unit_type: str, lang: Lang, params: Params | None = None) -> str:
    """A count with its unit noun, e.g. "63 provinces", "1 ministry or agency", "8 communes".

    Args:
        count: The count.
        unit_type: The unit type.
        lang: The language.
        params: The year's params, whose `unit_types` name the types the catalogs do not know.

    Returns:
        The count and its noun.
    """
    return nouns.count(params, unit_type, count, lang)


def names(frame: pd.DataFrame, unit_type: str, lang: Lang, params: Params) -> pd.Series:
    """The units' names as a report in the language shows them.

    Units of a main type the catalogs know (provinces) keep their official Vietnamese name in every
    language; those of the other types (ministries, communes named in params) are named in Vietnamese in
    Vietnamese and by their English name (`name_en`, the Vietnamese one where it is missing) otherwise
    (see `nouns.english_names`).

    Args:
        frame: Units with `name` and `name_en`.
        unit_type: Their unit type.
        lang: The language.
        params: The year's params.

    Returns:
        The names, on the frame's index.
    """
    if not nouns.english_names(params, unit_type) or lang.code == "vi" or "name_en" not in frame:
        return frame["name"]
    english = frame["name_en"].where(frame["name_en"].fillna("").astype(str).str.strip() != "")
    return english.fillna(frame["name"])


def limit(value: float, unit: str, lang: Lang) -> str:
    """A band limit with its unit, with the digits it was given: "90%", "82,5%", "7"."""
    return lang.score(value, len(f"{value:g}".partition(".")[2]), unit)


def band_rule(bands: tuple[Band, ...], lang: Lang, unit: str = "") -> str:
    """The bands in words, e.g. "A: 90% and above; B: 80% to under 90%; C: 70% to under 80%".

    Args:
        bands: The year's bands, highest first.
        lang: The language.
        unit: The unit written after each limit ("%", or "" for none).

    Returns:
        The rule, one part per band joined by "; ".
    """
    parts = []
    for position, band in enumerate(bands):
        low = limit(band.min, unit, lang)
        if position == 0:
            parts.append(lang.t("yearly.band_rule.top", label=band.name(lang.code), low=low))
            continue
        high = limit(bands[position - 1].min, unit, lang)
        if band.min == 0:
            parts.append(lang.t("yearly.band_rule.below", label=band.name(lang.code), high=high))
        else:
            parts.append(lang.t("yearly.band_rule.between", label=band.name(lang.code), low=low, high=high))
    return "; ".join(parts)


def headline(year: Year, lang: Lang, unit_type: str | None = None) -> list[str]:
    """The key sentences of a year, written from the data.

    Units and mean with its change, first and last, units per band, and how units moved since the
    comparison year.

    Args:
        year: The year.
        lang: The language.
        unit_type: The unit type; the main one when None.

    Returns:
        The sentences.
    """
    unit_type = unit_type or year.params.main_type
    units = year.units(unit_type)
    shown = names(units, unit_type, lang, year.params)
    sentences = [
        _mean_sentence(year, units, unit_type, lang),
        ends(units, shown, year.decimals, year.params.unit_label(lang.code), lang),
        _bands_sentence(year, units, unit_type, lang),
    ]
    compared = year.compared(unit_type)
    if compared is not None:
        sentences.append(_moves_sentence(year, compared, unit_type, lang))
    return [sentence for sentence in sentences if sentence]


def _mean_sentence(year: Year, units: pd.DataFrame, unit_type: str, lang: Lang) -> str:
    """How many units, their mean, and its change on the comparison year."""
    d, unit = year.decimals, year.params.unit_label(lang.code)
    mean = year.mean(units)
    values = {
        "name": name_of(year, lang),
        "units": plural_of(len(units), unit_type, lang, year.params),
        "mean": lang.score(mean, d, unit),
    }
    before = year.previous_units(unit_type)
    if before is None or before.empty:
        return lang.t("yearly.headline.mean", **values)
    previous_mean = year.mean(before)
    change = analysis.round_half_up(mean - previous_mean, d)
    key = "mean_up" if change > 0 else "mean_down" if change < 0 else "mean_same"
    return lang.t(
        f"yearly.headline.{key}",
        **values,
        change=lang.number(abs(change), d),
        previous=year.params.comparison_year,
        previous_mean=lang.score(previous_mean, d, unit),
    )


def ends(frame: pd.DataFrame, shown: pd.Series, decimals: int, unit: str, lang: Lang) -> str:
    """Who ranks first and who ranks last, naming every unit that shares either place.

    Args:
        frame: Ranked units with `score` and `computed_rank`, best first.
        shown: The units' names as the sentence writes them, on the frame's index.
        decimals: Decimals scores are written with.
        unit: The score's unit ("%" or "").
        lang: The language.

    Returns:
        One sentence, e.g. "Quảng Ninh ranks first with 91.04%; Quảng Ngãi ranks last (rank 63) with 73.25%.";
        empty for no units.
    """
    if frame.empty:
        return ""
    ranks = frame["computed_rank"]
    first = _place(frame[ranks == ranks.min()], shown, "first", decimals, unit, lang)
    if ranks.max() == ranks.min():
        return lang.t("yearly.headline.only_first", first=first)
    last = _place(frame[ranks == ranks.max()], shown, "last", decimals, unit, lang)
    return lang.t("yearly.headline.ends", first=first, last=last)


def _place(rows: pd.DataFrame, shown: pd.Series, place: str, decimals: int, unit: str, lang: Lang) -> str:
    """The units holding first or last place, with their score (and rank, for the last)."""
    values = {
        "score": lang.score(rows["score"].iloc[0], decimals, unit),
        "rank": lang.integer(rows["computed_rank"].iloc[0]),
    }
    if place == "first":
        values.pop("rank")
    listed = list(shown.loc[rows.index])
    if len(listed) == 1:
        return lang.t(f"yearly.headline.{place}", name=listed[0], **values)
    return lang.t(f"yearly.headline.{place}_tied", names=lang.join(listed), **values)


def _bands_sentence(year: Year, units: pd.DataFrame, unit_type: str, lang: Lang) -> str:
    """Units per band, each band with its range."""
    counts = analysis.band_counts(units, year.bands)
    items = []
    for _, row in counts.iterrows():
        values = {"band": band_name(row.band, year.bands, lang), "range": analysis_range(row, lang)}
        if row["count"]:
            items.append(
                nouns.sentence(
                    year.params, unit_type, lang, "yearly.headline.band", int(row["count"]), **values
                )
            )
        else:
            items.append(nouns.sentence(year.params, unit_type, lang, "yearly.headline.band_none", **values))
    inferred = year.params.bands_basis == "inferred"
    return lang.t(
        "yearly.headline.bands.inferred" if inferred else "yearly.headline.bands", list=lang.join(items)
    )


def _moves_sentence(year: Year, compared: pd.DataFrame, unit_type: str, lang: Lang) -> str:
    """How many units rose, fell, kept their score, are new or are gone since the comparison year."""
    moved = analysis.change_summary(compared)
    previous = year.params.comparison_year
    counts = {
        "improved": moved.improved,
        "declined": moved.declined,
        "unchanged": moved.unchanged,
        "new": moved.new,
        "absent": moved.absent,
    }
    items = [
        nouns.sentence(year.params, unit_type, lang, f"yearly.headline.{kind}", count, previous=previous)
        for kind, count in counts.items()
        if count
    ]
    return lang.t("yearly.headline.moves", previous=previous, list=lang.join(items)) if items else ""


def analysis_range(row: pd.Series, lang: Lang) -> str:
    """A band's range from a band_counts row, e.g. "80–<90", "≥ 90", "< 70", in the language's numbers."""
    if pd.isna(row.upper):
        return f"≥ {bound(row.lower, lang)}"
    if pd.isna(row.lower) or row.lower == 0:
        return f"< {bound(row.upper, lang)}"
    return f"{bound(row.lower, lang)}–<{bound(row.upper, lang)}"


def band_comparison(year: Year, units: pd.DataFrame, before: pd.DataFrame, lang: Lang) -> str:
    """Units per band this year against the comparison year, as a table."""
    previous_bands = year.previous.params.bands
    now = analysis.band_counts(units, year.bands)
    then = analysis.band_counts(analysis.with_bands(before, previous_bands, year.decimals), previous_bands)
    rows = pd.DataFrame(
        {
            "year": [year.params.year] * len(now) + [year.params.comparison_year] * len(then),
            "band": [band_name(b, year.bands, lang) for b in now.band]
            + [band_name(b, previous_bands, lang) for b in then.band],
            "range": [analysis_range(r, lang) for _, r in now.iterrows()]
            + [analysis_range(r, lang) for _, r in then.iterrows()],
            "count": list(now["count"]) + list(then["count"]),
        }
    )
    columns = [
        Column("year", lang.t("common.column.year")),
        Column("band", lang.t("common.column.band")),
        Column("range", lang.t("yearly.column.range")),
        Column("count", lang.t("common.column.units"), lang.integer, numeric=True),
    ]
    changed = tuple(previous_bands) != tuple(year.bands)
    caption = lang.t(
        "yearly.bands_table.caption_changed" if changed else "yearly.bands_table.caption",
        year=year.params.year,
        previous=year.params.comparison_year,
    )
    return present.table(rows, columns, caption=caption, lang=lang)


def rank_move(value: object, lang: Lang) -> str:
    """A rank change as an arrow and a count: "▲ 3" moved up three places, "▼ 2" down two, "=" kept."""
    if value is None or pd.isna(value):
        return "–"
    value = int(value)
    return f"▲ {lang.integer(value)}" if value > 0 else f"▼ {lang.integer(-value)}" if value < 0 else "="
