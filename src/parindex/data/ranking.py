"""Ranking: the tie rules that turn scores into ranks, shared by validation and the analysis.

Three rules, chosen in params with `ranking: {ties: ...}`:

- "rounded" (the default): competition ranking (1-2-2-4), highest first, on scores rounded to the decimals
  they are published with, so 85.004 and 84.996 share a rank (both are written 85.00);
- "unrounded": competition ranking on the scores as given, so 85.004 ranks above 84.996;
- "official": the ranks of the input's rank column, checked against the order of the scores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import pandas as pd

TIES = ("rounded", "unrounded", "official")
Ties = Literal["rounded", "unrounded", "official"]


def competition_rank(scores: pd.Series, decimals: int | None) -> pd.Series:
    """Ranks scores with competition ranking (1-2-2-4), highest first.

    Args:
        scores: Scores indexed by unit.
        decimals: Decimals the scores are published with; ties are judged on the values rounded to them.
            None judges ties on the scores as given.

    Returns:
        Integer ranks (pandas Int64), same index as `scores`.
    """
    judged = scores if decimals is None else scores.round(decimals)
    return judged.rank(method="min", ascending=False).astype("Int64")


def rank(
    scores: pd.Series,
    decimals: int,
    ties: Ties = "rounded",
    given: pd.Series | None = None,
    within: bool = False,
) -> pd.Series:
    """Ranks scores by the tie rule in force.

    Args:
        scores: Scores indexed by unit.
        decimals: Decimals the scores are published with (used by the "rounded" rule).
        ties: "rounded", "unrounded" or "official".
        given: The ranks of the input, same index as `scores`; required by the "official" rule, which
            returns them (validation has checked them against the scores).
        within: Whether the units are part of those ranked (a region, a peer group): under "official"
            their ranks among themselves then follow their official ranks (1-2-2-4 where these are equal).

    Returns:
        Integer ranks (pandas Int64), same index as `scores`.

    Raises:
        ValueError: The rule is "official" and some unit has no given rank.
    """
    if ties == "official":
        if given is None or given.isna().any():
            raise ValueError("the tie rule 'official' takes every rank from the input, but some are missing")
        if within:
            return given.astype(float).rank(method="min").astype("Int64")
        return given.astype("Int64")
    return competition_rank(scores, decimals if ties == "rounded" else None)


def order_conflicts(scores: pd.Series, ranks: pd.Series) -> list[tuple[object, object]]:
    """Pairs of units whose official ranks contradict their scores.

    A unit with a higher score may not have a worse (larger) rank than a unit with a lower score. Equal ranks
    are allowed wherever the input gives them, and units with equal scores may be ranked apart (an official
    rule may break ties by other criteria).

    Args:
        scores: Scores indexed by unit.
        ranks: The given ranks, same index, none missing.

    Returns:
        For each unit whose rank is worse than that of some unit with a lower score, the pair (that unit's
        index, the index of the best-ranked such unit), in the order of `scores`.
    """
    conflicts = []
    for index in scores.index:
        below = (scores < scores[index]) & (ranks < ranks[index])
        if below.any():
            rivals = ranks[below]
            conflicts.append((index, rivals.idxmin()))
    return conflicts
