"""The province's component indices (areas) against the national, regional and peer means, ranked by loss."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from parindex import analysis
from parindex.data.params import Component
from parindex.i18n import Lang
from parindex.reports.profile.history import difference

COLUMNS = [
    "component",
    "score",
    "provenance",
    "max",
    "national",
    "region",
    "peers",
    "lost",
    "vs_national",
    "vs_region",
    "vs_peers",
    "rank",
]


def basis(components: Sequence[Component]) -> str:
    """What the points lost are counted against: "max" when every maximum is published, else "national"."""
    return "max" if components and all(c.max is not None for c in components) else "national"


def _mean(scores: pd.Series, decimals: int) -> float:
    """A mean of component points, rounded half-up like every published mean; NaN for no points."""
    return analysis.round_half_up(float(scores.mean()), decimals) if len(scores) else float("nan")


def area_table(
    parts: pd.DataFrame,
    components: Sequence[Component],
    code: str,
    region_codes: Sequence[str],
    peer_codes: Sequence[str],
    decimals: int,
) -> pd.DataFrame:
    """One unit's points per component against the national, regional and peer means, ranked by loss.

    Args:
        parts: The year's long table of components (code, component, score, provenance), of one unit type.
        components: The year's components of that unit type, in the methodology's order.
        code: The unit.
        region_codes: The codes of the units of its region (the unit among them).
        peer_codes: The codes of its peer group (the unit among them).
        decimals: Decimals points are shown with; the unit's points and the means are rounded half-up to
            them, and differences computed on the rounded values.

    Returns:
        One row per component the unit has points in (columns `COLUMNS`): its points, their provenance, the
        maximum (NaN when unknown), the three means, `lost` (the maximum less the points when `basis` is
        "max", else the national mean less the points: negative when above it), the differences to the
        means (positive = above), and `rank` (1 = most points lost; equal losses share a rank); most points
        lost first, then in the methodology's order.
    """
    how = basis(components)
    rows = []
    for component in components:
        these = parts[parts["component"] == component.code]
        own = these[these["code"] == code]
        if own.empty or own["score"].isna().all():
            continue
        score = analysis.round_half_up(float(own["score"].iloc[0]), decimals)
        national = _mean(these["score"].dropna(), decimals)
        region = _mean(these.loc[these["code"].isin(list(region_codes)), "score"].dropna(), decimals)
        peers = _mean(these.loc[these["code"].isin(list(peer_codes)), "score"].dropna(), decimals)
        top = component.max
        lost = difference(top, score, decimals) if how == "max" else difference(national, score, decimals)
        rows.append(
            {
                "component": component.code,
                "score": score,
                "provenance": str(own["provenance"].iloc[0]),
                "max": float(top) if top is not None else float("nan"),
                "national": national,
                "region": region,
                "peers": peers,
                "lost": lost,
                "vs_national": difference(score, national, decimals),
                "vs_region": difference(score, region, decimals),
                "vs_peers": difference(score, peers, decimals),
            }
        )
    frame = pd.DataFrame(rows, columns=COLUMNS[:-1])
    frame["rank"] = [1 + int((frame["lost"] > lost).sum()) for lost in frame["lost"]]
    return frame.sort_values("rank", kind="stable").reset_index(drop=True)


def year_parts(data) -> pd.DataFrame:  # noqa: ANN001 - YearData
    """The main units' (provinces') component points in one year's data (its long table of components)."""
    parts = data.components
    return parts[parts["unit_type"] == data.params.main_type]


def quoted(names: Sequence[str], lang: Lang) -> str:
    """Areas' names in running text, joined: "“A” và “B”", "A and B"."""
    return lang.join([lang.t("profile.components.areas.name", name=name) for name in names])


def points(value: float, decimals: int, lang: Lang) -> str:
    """Points in running text: "1,25 điểm", "1.25 points"."""
    return lang.score(value, decimals, lang.t("common.points"))


def basis_text(components: Sequence[Component], lang: Lang) -> str:
    """What the areas are ranked by, ending the table's caption; when maxima are not published, says so."""
    unknown = sum(c.max is None for c in components)
    if not unknown:
        return lang.t("profile.components.areas.basis_max")
    if unknown == len(components):
        return lang.t("profile.components.areas.basis_none_published")
    return lang.t(
        "profile.components.areas.basis_some_published",
        unknown=lang.integer(unknown),
        count=lang.integer(len(components)),
    )


def loss_sentence(frame: pd.DataFrame, how: str, names: dict[str, str], name: str, d: int, lang: Lang) -> str:
    """Where the unit lost most points (against the maxima or the national mean), ties named together."""
    count = len(frame)
    if how == "max":
        most = float(frame["lost"].max())
        if most == 0:
            return lang.t("profile.components.areas.full_marks", name=name, count=lang.integer(count))
        top = frame[frame["lost"] == most]
        areas = quoted([names[c] for c in top["component"]], lang)
        key = (
            "profile.components.areas.lost_most_tied"
            if len(top) > 1
            else "profile.components.areas.lost_most"
        )
        return lang.t(key, name=name, areas=areas, amount=points(most, d, lang))
    below = int((frame["vs_national"] < 0).sum())
    if not below:
        least = float(frame["vs_national"].min())
        low = frame[frame["vs_national"] == least]
        areas = quoted([names[c] for c in low["component"]], lang)
        if least == 0:
            return lang.t("profile.components.areas.not_below_national", name=name, areas=areas)
        key = (
            "profile.components.areas.above_all_national_tied"
            if len(low) > 1
            else "profile.components.areas.above_all_national"
        )
        amount = lang.score(least, d, lang.t("common.points"), signed=True)
        return lang.t(key, name=name, count=lang.integer(count), areas=areas, amount=amount)
    most = float(frame["lost"].max())
    top = frame[frame["lost"] == most]
    areas = quoted([names[c] for c in top["component"]], lang)
    key = (
        "profile.components.areas.below_national_tied"
        if len(top) > 1
        else "profile.components.areas.below_national"
    )
    return lang.t(
        key,
        name=name,
        below=lang.integer(below),
        count=lang.integer(count),
        areas=areas,
        amount=points(most, d, lang),
    )


def means_sentence(frame: pd.DataFrame, name: str, region: str, separate_peers: bool, lang: Lang) -> str:
    """In how many areas the unit is above its region's mean (and its peer group's when that differs)."""
    count = len(frame)
    above = {k: int((frame[f"vs_{k}"] > 0).sum()) for k in ("national", "region", "peers")}
    if all(above[k] == count for k in ("national", "region", *(["peers"] if separate_peers else []))):
        key = (
            "profile.components.areas.above_every_mean_peers"
            if separate_peers
            else ("profile.components.areas.above_every_mean")
        )
        return lang.t(key, name=name, region=region, count=lang.integer(count))
    if separate_peers:
        return lang.t(
            "profile.components.areas.above_region_peers",
            name=name,
            region=region,
            above=lang.integer(above["region"]),
            peers_above=lang.integer(above["peers"]),
            count=lang.integer(count),
        )
    return lang.t(
        "profile.components.areas.above_region",
        name=name,
        region=region,
        above=lang.integer(above["region"]),
        count=lang.integer(count),
    )
