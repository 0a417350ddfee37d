"""Ranking: the tie rule that turns scores into ranks, shared by validation and the analysis."""

from __future__ import annotations

import pandas as pd


def competition_rank(scores: pd.Series, decimals: int) -> pd.Series:
    """Ranks scores with competition ranking (1-2-2-4), highest first, on scores rounded to `decimals`.

    Args:
        scores: Scores indexed by unit.
        decimals: Decimals the scores are published with; ties are judged on the rounded values.

    Returns:
        Integer ranks (pandas Int64), same index as `scores`.
    """
    return scores.round(decimals).rank(method="min", ascending=False).astype("Int64")
