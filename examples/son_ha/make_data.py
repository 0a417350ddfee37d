"""Writes the fictional results of Sơn Hà (data/<year>/communes.csv and departments.csv), from a fixed seed.

Every score is invented: each unit gets a level from its area (or a common level for departments), a
lasting difference of its own and a yearly change. Scores are written with 2 decimals and ranked 1-2-2-4
on the written scores (units written with the same score share a rank), with the group (xếp loại) each
score falls in by the bands of params/<year>.yaml. Every row is marked "simulated".
Run from anywhere with any Python 3, `python3 examples/son_ha/make_data.py`; the same seed writes the same
files.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2025
YEARS = (2024, 2025)
# The level of each area's communes and wards in 2024, and how much the area moved in 2025.
AREA_LEVEL = {"CENTRE": 84.0, "NORTH": 71.0, "SOUTH": 79.0, "COAST": 76.0}
AREA_DRIFT = {"CENTRE": 1.0, "NORTH": 2.5, "SOUTH": 0.5, "COAST": 1.5}
DEPARTMENT_LEVEL, DEPARTMENT_DRIFT = 83.0, 1.0
# The groups of the fictional decision, highest first: a score is in the first group whose minimum it reaches.
GROUPS = (("Xuất sắc", 90.0), ("Tốt", 80.0), ("Khá", 70.0), ("Trung bình", 50.0), ("Yếu", 0.0))


def read_register(name: str) -> list[dict[str, str]]:
    """The rows of a register in units/."""
    with open(HERE / "units" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def simulate(units: list[dict[str, str]], rng: random.Random) -> dict[int, dict[str, float]]:
    """Scores per year and unit code, between 40 and 99."""
    scores: dict[int, dict[str, float]] = {year: {} for year in YEARS}
    for unit in units:
        area = unit.get("region")
        level = AREA_LEVEL[area] if area else DEPARTMENT_LEVEL
        drift = AREA_DRIFT[area] if area else DEPARTMENT_DRIFT
        own = rng.gauss(0, 6)
        first = level + own + rng.gauss(0, 2)
        second = first + drift + rng.gauss(0, 3)
        for year, value in zip(YEARS, (first, second), strict=True):
            scores[year][unit["code"]] = round(min(max(value, 40.0), 99.0), 2)
    return scores


def ranked(scores: dict[str, float]) -> list[tuple[str, float, int]]:
    """(code, score, rank), best first: competition ranking on the written scores."""
    order = sorted(scores, key=lambda code: (-scores[code], code))
    return [(code, scores[code], 1 + sum(s > scores[code] for s in scores.values())) for code in order]


def group(score: float) -> str:
    """The group a written score falls in."""
    return next(label for label, lowest in GROUPS if score >= lowest)


def write(year: int, name: str, units: list[dict[str, str]], scores: dict[str, float]) -> None:
    """Writes data/<year>/<name>.csv: code,name,score,rank,Xếp loại,provenance."""
    names = {u["code"]: u["name_vi"] for u in units}
    folder = HERE / "data" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["code", "name", "score", "rank", "Xếp loại", "provenance"])
        for code, score, rank in ranked(scores):
            out.writerow([code, names[code], f"{score:.2f}", rank, group(score), "simulated"])


def main() -> None:
    """Writes every year's two files."""
    rng = random.Random(SEED)
    communes, departments = read_register("communes.csv"), read_register("departments.csv")
    commune_scores, department_scores = simulate(communes, rng), simulate(departments, rng)
    for year in YEARS:
        write(year, "communes", communes, commune_scores[year])
        write(year, "departments", departments, department_scores[year])


if __name__ == "__main__":
    main()
