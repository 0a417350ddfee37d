import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from parindex.data.params import load_params
from parindex.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
PARINDEX = Path(sys.executable).parent / "parindex"


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
    # The order of `units` matters (the first type is the main one): keep the keys in the order given.
    dumped = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    path.write_text(text if text is not None else dumped, encoding="utf-8")
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
        "band minimums must be strictly decreasing, highest band first; got [80.0, 90.0]"
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
    assert problem.message == "2021 must be before year (2020)"
    assert problem.key == "comparison_year"


def test_missing_params_file(tmp_path):
    [problem] = _problems(tmp_path / "params" / "2030.yaml")
    assert (problem.message, problem.fix) == (
        "params file not found",
        "give the path of a YAML file in params/",
    )


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "x/../y",
        "/etc/cron.d/x",
        "tables\\x",
        "..",
        "a.b",
        "SIPAS\n",
        "SI\x1bPAS",
        " SIPAS",
        "",
        "x" * 65,
    ],
)
def test_a_companion_name_that_cannot_name_a_file_is_refused(tmp_path, name):
    raw = _raw()
    raw["companion"]["name"] = name
    path = _write(tmp_path, raw)
    [problem] = _problems(path)
    assert (problem.file, problem.key) == (str(path), "companion.name")
    assert problem.message == f"companion.name {name!r} cannot name a file"
    assert problem.fix == "use letters, digits, spaces, '-' or '_' (at most 64 characters), e.g. SIPAS"


@pytest.mark.parametrize("name", ["SIPAS", "Chỉ số hài lòng", "PAPI-2", "e_gov 3"])
def test_a_companion_name_of_letters_digits_spaces_dashes_underscores_is_kept(tmp_path, name):
    raw = _raw()
    raw["companion"]["name"] = name
    assert load_params(_write(tmp_path, raw)).companion.name == name


@pytest.mark.parametrize("slug", ["../par_index", "par/index", "Par_Index", "1par", "par index", ""])
def test_an_index_slug_that_cannot_name_a_file_is_refused(tmp_path, slug):
    raw = _raw()
    raw["index"]["slug"] = slug
    path = _write(tmp_path, raw)
    [problem] = _problems(path)
    assert (problem.key, problem.message) == ("index.slug", f"index.slug {slug!r} cannot name a file")
    assert problem.fix == (
        "use lowercase letters, digits and '_', starting with a letter (at most 64 characters), "
        "e.g. par_index"
    )


def test_validate_refuses_a_companion_name_that_leaves_its_folder(tmp_path):
    raw = _raw()
    raw["companion"]["name"] = "../../outside"
    path = _write(tmp_path, raw)
    result = subprocess.run(
        [str(PARINDEX), "validate", "--params", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr == (
        "1 problem found:\n"
        f"  {path}, key 'companion.name': companion.name '../../outside' cannot name a file\n"
        "    fix: use letters, digits, spaces, '-' or '_' (at most 64 characters), e.g. SIPAS\n"
    )
    assert result.stdout == ""


def test_an_input_provenance_is_published_or_simulated(tmp_path):
    raw = _raw()
    raw["inputs"][0]["provenance"] = "official"
    [problem] = _problems(_write(tmp_path, raw))
    assert problem.key == "inputs.0.provenance"
    assert problem.message == "Input should be 'published' or 'simulated'"
    assert problem.fix == "write one of the values the message names"


def test_a_value_of_the_wrong_kind_says_what_to_write(tmp_path):
    raw = _raw()
    raw["index"]["decimals"] = "two"
    [problem] = _problems(_write(tmp_path, raw))
    assert (problem.key, problem.fix) == (
        "index.decimals",
        "write a whole number, e.g. 2 (digits only, no quotes)",
    )
    assert problem.message == "Input should be a valid integer, unable to parse string as an integer"
    # the line as a build prints it names the key once
    assert str(problem) == (
        f"{tmp_path / 'params' / 'year.yaml'}, key 'index.decimals': Input should be a valid integer, unable "
        "to parse string as an integer\n    fix: write a whole number, e.g. 2 (digits only, no quotes)"
    )


def test_the_report_author_comes_from_params_and_is_never_the_index_owner_by_default(tmp_path):
    raw = _raw()
    raw["index"]["publisher"] = "Ministry of Home Affairs"
    assert load_params(_write(tmp_path, raw)).author == ""
    raw["author"] = "Sở Nội vụ tỉnh Nghệ An"
    assert load_params(_write(tmp_path, raw)).author == "Sở Nội vụ tỉnh Nghệ An"


def test_languages_default_to_vietnamese_then_english_and_texts_are_read_per_language(tmp_path):
    raw = _raw()
    raw["index"]["title"] = {"vi": "Chỉ số cải cách hành chính", "en": "Public Administration Reform Index"}
    params = load_params(_write(tmp_path, raw))
    assert params.languages == ("vi", "en")
    assert params.text(params.index.title, "vi") == "Chỉ số cải cách hành chính"
    assert params.text(params.index.title, "en") == "Public Administration Reform Index"
    assert params.text(params.index.name, "vi") == "PAR INDEX"


def test_a_language_without_a_catalog_or_named_twice_is_refused(tmp_path):
    raw = _raw()
    raw["languages"] = ["vi", "fr", "vi"]
    [problem] = _problems(_write(tmp_path, raw))
    assert problem.message == (
        "languages ['vi', 'fr', 'vi'] must name each language once, from those with a catalog"
    )
    assert problem.fix == "use some of vi, en, the main one first"


def test_a_text_given_per_language_must_be_given_in_every_language_of_the_report(tmp_path):
    raw = _raw()
    raw["languages"] = ["en", "vi"]
    raw["index"]["publisher"] = {"en": "Ministry of Home Affairs"}
    [problem] = _problems(_write(tmp_path, raw))
    assert problem.message == "no text in vi, a language of the report"
    assert problem.fix == (
        "give a text for each of en, vi (e.g. publisher: {vi: ..., en: ...}), or one text for every language"
    )
    raw["languages"] = ["en"]
    assert (
        load_params(_write(tmp_path, raw)).text(raw["index"]["publisher"], "en") == "Ministry of Home Affairs"
    )


def test_peers_name_groups_and_lists_per_province(tmp_path):
    raw = _raw() | {
        "peers": {
            "groups": {"cities": ["01", 31, "79"]},
            "provinces": {"46": ["22", "35"], 35: "cities"},
        }
    }
    peers = load_params(_write(tmp_path, raw)).peers
    assert peers.of("01") == ("01", "31", "79")  # a member of a group compares with its group
    assert peers.of("46") == ("22", "35", "46")  # its own list, itself added
    assert peers.of("35") == ("01", "31", "79", "35")  # the group it is given
    assert peers.of("22") == ()  # nothing given: its region


def test_peer_codes_are_checked_against_the_unit_set(tmp_path):
    raw = _raw() | {
        "peers": {
            "groups": {"cities": ["1", "31", "48"], "north": ["22", "31"]},
            "provinces": {"99": "cities", "46": "south", "22": "north"},
        }
    }
    path = _write(tmp_path, raw)  # written in the order given: provinces 99, 46, 22
    assert [(p.file, p.key, p.message, p.fix) for p in _problems(path)] == [
        (
            str(path),
            "peers.groups.cities.0",
            "'1' is not the code of a province of provinces_6",
            "did you mean '01'? Write codes as text in quotes, e.g. '01'",
        ),
        (
            str(path),
            "peers.groups.cities.2",
            "'48' is not the code of a province of provinces_6",
            "use the code of a province of provinces_6, e.g. '01'",
        ),
        (
            str(path),
            "peers.provinces.99",
            "'99' is not the code of a province of provinces_6",
            "use the code of a province of provinces_6, e.g. '01'",
        ),
        (
            str(path),
            "peers.provinces.46",
            "no peer group named 'south' (groups: cities, north)",
            "name a group of peers.groups, or give a list of province codes",
        ),
        (
            str(path),
            "peers.groups",
            "province '31' is in the peer groups cities, north",
            "say which it compares with under peers.provinces, e.g. '31': cities",
        ),
    ]


def test_peers_accept_only_groups_and_provinces(tmp_path):
    path = _write(tmp_path, _raw() | {"peers": {"group": {"a": ["01"]}}})
    assert [(p.key, p.message) for p in _problems(path)] == [("peers.group", "unknown key 'peers.group'")]


@pytest.mark.parametrize("value", [0, 16385, True, "", "  "])
def test_a_column_is_named_by_its_header_letter_or_number(tmp_path, value):
    raw = _raw()
    raw["inputs"][0]["columns"] = {"score": value}
    [problem] = _problems(_write(tmp_path, raw))
    assert (problem.key, problem.message, problem.fix) == (
        "inputs.0.columns.score",
        f"{value!r} names no column",
        "write the column's header, its letter (A to XFD) or its number counted from 1 (1 to 16,384)",
    )


def test_header_and_last_rows_count_from_one(tmp_path):
    raw = _raw()
    raw["inputs"][0].update({"header_row": 0, "last_row": 2.5})
    assert [(p.message, p.fix) for p in _problems(_write(tmp_path, raw))] == [
        (
            "Input should be greater than or equal to 1",
            "write a number of at least 1",
        ),
        (
            "Input should be a valid integer",
            "write a whole number, e.g. 2 (digits only, no quotes)",
        ),
    ]
    raw["inputs"][0].update({"header_row": 3, "last_row": 66, "columns": {"unit": "B", "score": 4}})
    spec = load_params(_write(tmp_path, raw)).inputs[0]
    assert (spec.header_row, spec.last_row, spec.columns.roles()) == (3, 66, {"unit": "B", "score": 4})


# --- unit types named in params -----------------------------------------------------------------------------

OWN = FIXTURES / "own_units"


def _own_raw() -> dict:
    """The fixture district's 2024 params, its paths made absolute so the file can live in tmp_path."""
    raw = yaml.safe_load((OWN / "params" / "2024.yaml").read_text(encoding="utf-8"))
    raw["units_dir"] = str(OWN / "data" / "units")
    for spec in raw["inputs"]:
        spec["path"] = str(OWN / spec["path"])
    return raw


def _write_ordered(tmp_path: Path, raw: dict) -> Path:
    """Writes params keeping the order of `units` (the first type is the main one)."""
    (tmp_path / "params").mkdir(exist_ok=True)
    path = tmp_path / "params" / "year.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_units_of_any_type_named_in_params_with_their_words():
    params = load_params(OWN / "params" / "2024.yaml")
    assert params.units == {"commune": "communes_8", "department": "departments_4"}
    assert (params.main_type, params.secondary_types) == ("commune", ("department",))
    assert params.text(params.unit_types["commune"].plural, "en") == "communes and wards"
    assert params.text(params.unit_types["department"].column, "vi") == "Phòng chuyên môn"
    assert (params.unit_label("vi"), params.unit_label("en")) == ("điểm", "points")


def test_a_unit_type_without_words_is_refused_with_the_key_and_the_fix(tmp_path):
    raw = _own_raw()
    del raw["unit_types"]["department"]
    path = _write_ordered(tmp_path, raw)
    [problem] = _problems(path)
    assert (problem.file, problem.key) == (str(path), "units.department")
    assert (
        problem.message
        == "unit type 'department' has no words in the catalogs (they know province, ministry)"
    )
    assert problem.fix == (
        "give its words under unit_types.department, e.g. department: {singular: {vi: ..., en: ...}, "
        "plural: {vi: ..., en: ...}, column: {vi: ..., en: ...}}"
    )


def test_inputs_and_components_of_a_type_units_do_not_name_are_refused(tmp_path):
    raw = _own_raw()
    raw["inputs"][1]["unit_type"] = "ministry"
    raw["unit_types"]["ward"] = raw["unit_types"]["commune"]
    raw["components"] = [{"code": "service", "name": "Service", "max": 10, "unit_type": "province"}]
    path = _write_ordered(tmp_path, raw)
    problems = _problems(path)
    assert [(p.key, p.message, p.fix) for p in problems] == [
        (
            "unit_types.ward",
            "unit_types names 'ward', which is not a unit type of units (commune, department)",
            "add units.ward: <unit set>, or remove unit_types.ward",
        ),
        (
            "inputs.1.unit_type",
            "unit type 'ministry' is not a unit type of units (commune, department)",
            "use one of commune, department, or column when a column marks each row's type, or add "
            "units.ministry: <unit set>",
        ),
        (
            "components.0.unit_type",
            "unit type 'province' is not a unit type of units (commune, department)",
            "use one of commune, department, or add units.province: <unit set>",
        ),
    ]


def test_a_unit_type_name_must_be_a_lowercase_word(tmp_path):
    raw = _own_raw()
    raw["units"] = {"Xã": "communes_8", **raw["units"]}
    path = _write_ordered(tmp_path, raw)
    [problem] = _problems(path)
    assert (problem.key, problem.message) == (
        "units",
        "unit type 'Xã' must be lowercase letters, digits and '_', starting with a letter, and not 'column'",
    )
    assert problem.fix == "name the type with a short word, e.g. province or commune"


def test_components_without_a_unit_type_belong_to_the_main_type(tmp_path):
    raw = _own_raw()
    raw["components"] = [
        {"code": "service", "name": "Service", "max": 50},
        {"code": "service", "name": "Service", "max": 50, "unit_type": "department"},
    ]
    params = load_params(_write_ordered(tmp_path, raw))
    assert [(c.code, c.unit_type) for c in params.components] == [
        ("service", "commune"),
        ("service", "department"),
    ]
    assert [c.unit_type for c in params.components_of("commune")] == ["commune"]


def test_a_register_without_the_columns_every_register_has_is_named(tmp_path):
    import shutil

    units = tmp_path / "units"
    shutil.copytree(OWN / "data" / "units", units)
    (units / "departments.csv").write_text("code,name\nD01,Phòng Tư pháp\n", encoding="utf-8")
    raw = _own_raw() | {"units_dir": str(units)}
    with pytest.raises(InputError) as caught:
        from parindex.data.ingest import load_year

        load_year(load_params(_write_ordered(tmp_path, raw)))
    [problem] = caught.value.problems
    assert (problem.file, problem.message) == (
        str(units / "departments.csv"),
        "register departments.csv has no column name_vi, name_en",
    )
    assert (
        problem.fix
        == "give it the columns code, name_vi, name_en (short_vi, name_ascii, kind, region optional)"
    )
