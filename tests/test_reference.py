"""The params reference in docs/params.md: complete, and in step with the params model."""

from __future__ import annotations

from pathlib import Path

from parindex.data.params import Params
from parindex.data.reference import descriptions, document

ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_reference_is_what_the_model_gives():
    committed = (ROOT / "docs" / "params.md").read_text(encoding="utf-8")
    assert committed == document(str(ROOT)), (
        "docs/params.md is out of date: run .venv/bin/python -m parindex.data.reference > docs/params.md"
    )


def test_every_key_has_a_meaning():
    text = document(str(ROOT))
    empty = [line for line in text.splitlines() if line.startswith("| `") and line.endswith("|  |")]
    assert empty == []


def test_descriptions_are_read_from_the_attributes_section():
    found = descriptions(Params)
    assert found["year"] == "The year the results are for."
    assert found["author"].startswith("Who publishes this report (an organisation): the PDF's Author. Never")
    assert "| `index.unit_label` | text or mapping of text to text | none |" in document(str(ROOT))
    assert "| `unit_types.plural` | text or mapping of text to text | required |" in document(str(ROOT))
    assert "| `languages` | list of text | [vi, en] |" in document(str(ROOT))
