from pathlib import Path

import pytest
import yaml

from parindex.data.params import load_params
from parindex.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"


def _raw() -> dict:
    """The tiny params as a mapping, every path made absolute so the file can live in tmp_path."""
    raw = yaml.safe_load((FIXTURES / "params" / "tiny.yaml").read_text(encoding="utf-8"))
    raw["units_dir"] = str(FIXTURES / "units")
    for spec in raw["inputs"] + raw["companion"]["inputs"]:
        spec["path"] = str(FIXTURES / spec["path"])
    return raw


def _write(tmp_path: Path, raw: dict | None = None, text: str | None = None) -> Path:
    (tmp_path / "params").mkdir(exist_ok=True)
    path = tmp_path / "params" / "year.yaml"
    path.write_text(text if text is not None else yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _problems(path: Path) -> list:
    with pytest.raises(InputError) as caught:
        load_params(path)
    return caught.value.problems


def test_tiny_params_load():
    params = load_params(FIXTURES / "params" / "tiny.yaml")
    assert (params.year, params.units["province"], params.root) == (2020, "provinces_6", FIXTURES)
    assert [b.label for b in params.bands] == ["A", "B", "C"]


def test_unknown_key(tmp_path):
    raw = _raw() | {"colour": "red"}
    raw["index"]["decimal"] = 2
    path = _write(tmp_path, raw)
    problems = _problems(path)
    assert [(p.file, p.key, p.message) for p in problems] == [
        (str(path), "index.decimal", "unknown key 'index.decimal'"),
        (str(path), "colour", "unknown key 'colour'"),
    ]
    assert problems[0].fix == "remove it or correct its spelling"


def test_missing_key(tmp_path):
    raw = _raw()
    del raw["bands"], raw["index"]["slug"]
    path = _write(tmp_path, raw)
    problems = _problems(path)
    assert [(p.file, p.key, p.message) for p in problems] == [
        (str(path), "index.slug", "missing key 'index.slug'"),
        (str(path), "bands", "missing key 'bands'"),
    ]
    assert (
        str(problems[1])
        == f"{path}, key 'bands': missing key 'bands'\n    fix: add it (see params/2020.yaml)"
    )


def test_bad_band_order(tmp_path):
    path = _write(tmp_path, _raw() | {"bands": [{"label": "B", "min": 80}, {"label": "A", "min": 90}]})
    [problem] = _problems(path)
    assert (problem.file, problem.key) == (str(path), "bands")
    assert problem.message == (
        "bad value for 'bands': band minimums must be strictly decreasing, highest band first; "
        "got [80.0, 90.0]"
    )


def test_unknown_unit_set(tmp_path):
    raw = _raw()
    raw["units"]["province"] = "provinces_64"
    path = _write(tmp_path, raw)
    [problem] = _problems(path)
    assert (problem.file, problem.key) == (str(path), "units.province")
    assert problem.message == "no unit set named 'provinces_64'"
    assert problem.fix == "use one of: provinces_6, ministries_3"


def test_missing_input_file(tmp_path):
    raw = _raw()
    raw["inputs"][0]["path"] = str(FIXTURES / "good" / "absent.csv")
    path = _write(tmp_path, raw)
    [problem] = _problems(path)
    assert problem.file == str(path)
    assert problem.message == f"input file not found: {FIXTURES / 'good' / 'absent.csv'}"
    assert problem.fix == "correct the path (relative to the project folder)"


def test_not_yaml(tmp_path):
    path = _write(tmp_path, text="index: [unclosed\nyear: 2020\n")
    [problem] = _problems(path)
    assert (problem.file, problem.row) == (str(path), 2)
    assert problem.message == "not valid YAML: expected ',' or ']', but got ':'"


def test_comparison_year_after_year(tmp_path):
    path = _write(tmp_path, _raw() | {"comparison_year": 2021})
    [problem] = _problems(path)
    assert problem.file == str(path)
    assert problem.message == "bad value for 'comparison_year': 2021 must be before year (2020)"
    assert problem.key == "comparison_year"


def test_missing_params_file(tmp_path):
    [problem] = _problems(tmp_path / "params" / "2030.yaml")
    assert (problem.message, problem.fix) == (
        "params file not found",
        "give the path of a YAML file in params/",
    )
