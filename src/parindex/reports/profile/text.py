"""Sentences of the province profile, written from its figures in one language."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import icu
import pandas as pd

from parindex import analysis
from parindex.data.params import Band
from parindex.i18n import Lang
from parindex.reports import nouns
from parindex.reports.profile.history import difference
from parindex.reports.profile.unit import Profile
from parindex.reports.style import band_name, bound


@functools.cache
def words(p: Profile, lang: Lang, key: str, n: int | None = None, **values: object) -> str:
    """A message written for the profile's unit type (`<key>.<type>`), else for any type (`<key>.unit`)."""
    return nouns.sentence(p.params, p.params.main_type, lang, key, n, **values)


def _ordinals(code: str) -> icu.RuleBasedNumberFormat:
    return icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.ORDINAL, icu.Locale(code))


def ordinal(n: int, lang: Lang) -> str:
    """A place in a ranking as the language writes it: "thứ 3", "3rd", "11th", "21st"."""
    return _ordinals(lang.code).format(int(n))


def limit(value: float, lang: Lang, unit: str = "%") -> str:
    """A band's limit with its unit, with the digits it was given: "90%", "82,5%"."""
    return lang.score(value, len(f"{value:g}".partition(".")[2]), unit)


def band_words(label: str, bands: Sequence[Band], lang: Lang, unit: str = "%", scale_min: float = 0) -> str:
    """A band's range in words, e.g. "từ 80% đến dưới 90%", "90% and above", "under 70%"."""
    for i, band in enumerate(bands):
        if band.key == label:
            if i == 0:
                return lang.t("profile.band.top", low=limit(band.min, lang, unit))
            if band.min <= scale_min:
                return lang.t("profile.band.bottom", high=limit(bands[i - 1].min, lang, unit))
            return lang.t(
                "profile.band.between",
                low=limit(band.min, lang, unit),
                high=limit(bands[i - 1].min, lang, unit),
            )
    return lang.t("profile.band.bottom", high=limit(bands[-1].min, lang, unit))


def band_rules(bands_by_year: Mapping[int, Sequence[Band]], lang: Lang, scale_min: float = 0) -> str:
    """The bands of each year in short, consecutive years with the same bands grouped.

    Example: "2018: A ≥ 80, B 75–<80, C 70–<75, D < 70; 2019–2022: A ≥ 90, B 80–<90, C 70–<80".
    """
    groups: list[tuple[list[int], str]] = []
    for year in sorted(bands_by_year):
        bands = bands_by_year[year]
        parts = []
        for i, band in enumerate(bands):
            if i == 0:
                parts.append(f"{band.name(lang.code)} ≥ {bound(band.min, lang)}")
            elif band.min <= scale_min:
                parts.append(f"{band.name(lang.code)} < {bound(bands[i - 1].min, lang)}")
            else:
                parts.append(
                    f"{band.name(lang.code)} {bound(band.min, lang)}–<{bound(bands[i - 1].min, lang)}"
                )
        text = ", ".join(parts)
        if groups and groups[-1][1] == text and groups[-1][0][-1] == year - 1:
            groups[-1][0].append(year)
        else:
            groups.append(([year], text))
    return "; ".join(
        f"{years[0] if len(years) == 1 else f'{years[0]}–{years[-1]}'}: {text}" for years, text in groups
    )


def points(value: float, d: int, lang: Lang) -> str:
    """A difference in points: "4,75 điểm", "4.75 points"."""
    return lang.score(value, d, lang.t("common.points"))


def against(diff: float, what: str, d: int, lang: Lang) -> str:
    """A value against another: "cao hơn {what} 4,75 điểm", "4.75 points below {what}", "equal to {what}"."""
    if diff == 0:
        return lang.t("profile.against.equal", what=what)
    key = "profile.against.above" if diff > 0 else "profile.against.below"
    return lang.t(key, what=what, amount=points(abs(diff), d, lang))


def position(rank: int, count: int, lang: Lang, tied: bool = False) -> str:
    """A place among units: "thứ 3/63", "3rd of 63", "3rd (tied) of 6"."""
    key = "profile.position_tied" if tied else "profile.position"
    return lang.t(key, rank=ordinal(rank, lang), count=lang.integer(count))


def years_list(years: Iterable[object], lang: Lang) -> str:
    """Years as a list in running text: "2019 và 2021", "2019 and 2021"."""
    return lang.join([str(int(year)) for year in years])


def years_with(frame: pd.DataFrame, column: str, value: object, lang: Lang) -> str:
    """The years in which a column of the frame holds the value, as a list in running text."""
    return years_list(frame.loc[frame[column] == value, "year"], lang)


def sentences(p: Profile, lang: Lang) -> list[str]:
    """The profile's key sentences from the data: rank, means, region, change, range over the years."""
    return [
        rank_sentence(p, lang),
        region_sentence(p, lang),
        change_sentence(p, lang),
        *([range_sentence(p, lang)] if len(p.timeline) > 1 else []),
    ]


def rank_sentence(p: Profile, lang: Lang) -> str:
    """The province's rank, score, distance to the national mean and band in the profile year."""
    row, d, u = p.row, p.decimals, p.unit_label(lang.code)
    ranked = p.history.ranked(p.year)
    tied = int((ranked["rank"] == row["rank"]).sum()) > 1
    national = words(p, lang, "profile.what.national", mean=lang.score(row["national_mean"], d, u))
    return lang.t(
        "profile.sentence.rank",
        name=p.name,
        position=position(int(row["rank"]), int(row["n_units"]), lang, tied),
        year=p.year,
        score=lang.score(row["score"], d, u),
        against=against(difference(row["score"], row["national_mean"], d), national, d, lang),
        band=band_name(str(row["band"]), p.params.bands, lang),
        range=band_words(str(row["band"]), p.params.bands, lang, u, p.params.index.scale.min),
    )


def region_sentence(p: Profile, lang: Lang) -> str:
    """The province against its region's mean, and its rank in the region."""
    row, d = p.row, p.decimals
    size = int(row["region_size"])
    standing = (
        words(
            p,
            lang,
            "profile.standing.rank",
            rank=ordinal(int(row["region_rank"]), lang),
            count=lang.integer(size),
        )
        if size > 1
        else words(p, lang, "profile.standing.only")
    )
    diff = difference(row["score"], row["region_mean"], d)
    return words(
        p,
        lang,
        "profile.sentence.region",
        name=p.name,
        region=p.region_in(lang),
        mean=lang.score(row["region_mean"], d, p.unit_label(lang.code)),
        against=against(diff, lang.t("profile.what.region"), d, lang),
        standing=standing,
    )


def change_sentence(p: Profile, lang: Lang) -> str:
    """The change of score and rank on the comparison year, or why there is none."""
    row, d = p.row, p.decimals
    before = p.previous
    if before is None:
        if (p.timeline["year"] < p.year).any():
            previous = p.params.comparison_year or p.year - 1
            return lang.t("profile.sentence.absent_before", name=p.name, previous=previous)
        return lang.t("profile.sentence.first_year", name=p.name, year=p.year)
    change = difference(row["score"], before["score"], d)
    if change:
        key = "profile.change.rose" if change > 0 else "profile.change.fell"
        score_change = lang.t(key, amount=points(abs(change), d, lang))
    else:
        score_change = lang.t("profile.change.same")
    moved = int(before["rank"]) - int(row["rank"])
    if moved:
        key = "profile.move.up" if moved > 0 else "profile.move.down"
        rank_change = lang.n(key, abs(moved), rank=ordinal(int(before["rank"]), lang))
    else:
        rank_change = lang.t("profile.move.same", rank=ordinal(int(row["rank"]), lang))
    return lang.t(
        "profile.sentence.change",
        year=int(before["year"]),
        score=lang.score(before["score"], d, p.unit_label(lang.code)),
        score_change=score_change,
        rank_change=rank_change,
    )


def range_sentence(p: Profile, lang: Lang) -> str:
    """The best and lowest rank over the years, and in how many years the score beat the national mean."""
    timeline = p.timeline
    best, worst = int(timeline["rank"].min()), int(timeline["rank"].max())
    return words(
        p,
        lang,
        "profile.sentence.range",
        len(timeline),
        first=int(timeline["year"].min()),
        last=int(timeline["year"].max()),
        best=ordinal(best, lang),
        best_years=years_with(timeline, "rank", best, lang),
        worst=ordinal(worst, lang),
        worst_years=years_with(timeline, "rank", worst, lang),
        above=lang.integer(int((timeline["score"] > timeline["national_mean"]).sum())),
    )


def neighbour_sentence(p: Profile, lang: Lang) -> str:
    """Who ranks just above and just below the province, and by how many points."""
    rows, d, u = p.neighbours, p.decimals, p.unit_label(lang.code)
    at = int(rows.index[rows["is_unit"]][0])

    def values(row: pd.Series) -> dict[str, str]:
        return {
            "name": row["name"],
            "rank": ordinal(int(row["rank"]), lang),
            "score": lang.score(row["score"], d, u),
        }

    if at > 0:
        above = rows.iloc[at - 1]
        gap = above["difference"]
        above_text = (
            lang.t("profile.neighbour.above", **values(above), unit=p.name, amount=points(gap, d, lang))
            if gap
            else lang.t("profile.neighbour.above_same", **values(above), unit=p.name)
        )
    else:
        above_text = words(p, lang, "profile.neighbour.above_none", unit=p.name)
    if at + 1 < len(rows):
        below = rows.iloc[at + 1]
        gap = below["difference"]
        below_text = (
            lang.t("profile.neighbour.below", **values(below), amount=points(-gap, d, lang))
            if gap
            else lang.t("profile.neighbour.below_same", **values(below))
        )
    else:
        below_text = words(p, lang, "profile.neighbour.below_none")
    return lang.t("profile.neighbour.sentence", above=above_text, below=below_text)


def companion_sentences(p: Profile, lang: Lang) -> list[str]:
    """The province's companion index (SIPAS) in the profile year against its national mean, and its range."""
    frame = p.companion_timeline
    if frame.empty:
        companion = p.params.companion
        return [lang.t("profile.companion.none", name=p.name, index=companion.name if companion else "")]
    d = p.decimals
    now = frame[frame["year"] == p.year]
    name = str(frame["index"].iloc[-1])
    texts = []
    if now.empty:
        texts.append(lang.t("profile.companion.no_year", index=name, year=p.year))
    else:
        row = now.iloc[0]
        what = lang.t(
            "profile.what.companion",
            index=name,
            mean=lang.score(row["national_mean"], d, p.params.unit_label(lang.code, companion=True)),
        )
        texts.append(
            lang.t(
                "profile.companion.year",
                name=p.name,
                index=name,
                year=p.year,
                score=lang.score(row["score"], d, p.params.unit_label(lang.code, companion=True)),
                position=position(int(row["rank"]), int(row["n_units"]), lang),
                against=against(difference(row["score"], row["national_mean"], d), what, d, lang),
            )
        )
    if len(frame) > 1:
        best, worst = int(frame["rank"].min()), int(frame["rank"].max())
        texts.append(
            lang.t(
                "profile.companion.range",
                index=name,
                first=int(frame["year"].min()),
                last=int(frame["year"].max()),
                best=ordinal(best, lang),
                best_years=years_with(frame, "rank", best, lang),
                worst=ordinal(worst, lang),
                worst_years=years_with(frame, "rank", worst, lang),
            )
        )
    return texts


def component_sentences(p: Profile, lang: Lang) -> list[str]:
    """What the published parts of the score say, or plainly that none are published."""
    rows, d = p.components, p.decimals
    others = p.history.components
    mine = (others["code"] == p.code) & (others["index"] == p.params.index.slug)
    other_years = sorted(int(y) for y in others.loc[mine, "year"].unique() if int(y) != p.year)
    also = (
        [lang.t("profile.components.other_years", name=p.name, years=years_list(other_years, lang))]
        if other_years
        else []
    )
    if rows.empty:
        score = lang.score(p.row["score"], d, p.unit_label(lang.code))
        return [" ".join([lang.t("profile.components.none", name=p.name, year=p.year, score=score), *also])]
    parts = lang.n("profile.components.parts", len(rows), name=p.name, year=p.year)
    scored = rows.dropna(subset=["score"])
    if len(scored) == len(rows) and len(rows) > 1:
        total = analysis.round_half_up(float(sum(Decimal(repr(float(s))) for s in scored["score"])), d)
        gap = difference(total, p.row["score"], d)
        key = {1: "profile.components.sum_above", -1: "profile.components.sum_below"}.get(
            (gap > 0) - (gap < 0), "profile.components.sum_equal"
        )
        text = lang.t(
            key,
            parts=parts,
            total=points(total, d, lang),
            gap=lang.number(abs(gap), d),
            score=lang.number(p.row["score"], d),
        )
    else:
        text = lang.t("profile.components.only", parts=parts)
    return [" ".join([text, *also])]


def peer_group_name(p: Profile, lang: Lang) -> str:
    """The peer group in running text: "vùng Tây Nguyên", "the Central Highlands region", "its peer group"."""
    if p.peer_kind == "region":
        return words(p, lang, "profile.peers.group.region", region=p.region_in(lang))
    return lang.t("profile.peers.group.list")


def peer_position(p: Profile, lang: Lang) -> str:
    """The province's place in its peer group: "thứ 2/6 (đồng hạng)", "2nd (tied) of 6"."""
    group, own = p.peer_group, p.peer_row
    tied = int((group["peer_rank"] == own["peer_rank"]).sum()) > 1
    return position(int(own["peer_rank"]), len(group), lang, tied)


def national_position(p: Profile, lang: Lang) -> str:
    """The province's place in the whole ranking: "thứ 3/63", "3rd (tied) of 63"."""
    row = p.row
    tied = int((p.history.ranked(p.year)["rank"] == row["rank"]).sum()) > 1
    return position(int(row["rank"]), int(row["n_units"]), lang, tied)


def peer_sentences(p: Profile, lang: Lang) -> list[str]:
    """The province's rank within its peer group and nationally, and its score against the group's mean."""
    group, d = peer_group_name(p, lang), p.decimals
    national = national_position(p, lang)
    if len(p.peer_group) == 1:
        alone = words(
            p,
            lang,
            "profile.peers.sentence.alone",
            name=p.name,
            group=group,
            year=p.year,
            national_position=national,
        )
        return [alone]
    rank = words(
        p,
        lang,
        "profile.peers.sentence.rank",
        name=p.name,
        peer_position=peer_position(p, lang),
        group=group,
        national_position=national,
    )
    mean = p.peer_mean
    whose = lang.t("profile.peers.whose.region" if p.peer_kind == "region" else "profile.peers.whose.list")
    diff = difference(p.row["score"], mean, d)
    return [
        rank,
        lang.t(
            "profile.peers.sentence.mean",
            whose=whose,
            mean=lang.score(mean, d, p.unit_label(lang.code)),
            name=p.name,
            against=against(diff, lang.t("profile.peers.what"), d, lang),
        ),
    ]
