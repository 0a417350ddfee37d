"""The demonstration panel: regenerated from params and published facts, it equals the committed files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from parindex.data import demo

ROOT = Path(__file__).resolve().parents[1]
PARAMS = sorted((ROOT / "params").glob("*.yaml"))


def test_regenerating_the_panel_gives_the_committed_files():
    outputs = demo.generate(PARAMS)
    assert len(outputs) == 3 * len(PARAMS)
    for path, table in outputs.items():
        text = table.to_csv(index=False, float_format="%.2f", lineterminator="\n")
        assert text == path.read_text(encoding="utf-8"), f"{path} differs from a fresh generation"


def test_every_value_carries_its_provenance():
    for path in (ROOT / "data" / "demo").glob("*/*.csv"):
        table = pd.read_csv(path, dtype={"code": str})
        assert list(table.columns) == ["code", "name", "score", "rank", "provenance"]
        assert set(table.provenance) <= {"published", "simulated"}
        assert (table.provenance == "simulated").any(), (
            "the panel is a demonstration: some values are simulated"
        )


def test_the_demo_readme_says_the_values_are_not_official():
    readme = (ROOT / "data" / "demo" / "README.md").read_text(encoding="utf-8")
    assert "not official" in readme
    assert "data/official" in readme
