import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from parindex.data.ingest import check_file, load_year
from parindex.data.params import load_params
from parindex.data.validate import parse_number, parse_provenance, parse_rank, parse_unit_type
from parindex.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"

PARINDEX = Path(sys.executable).parent / "parindex"
UNIT = "Tỉnh/thành phố"
SCORE = "Chỉ số"
RANK = "Xếp hạng"
# Params entries of the fixtures: none of them says its provenance, so params say it.
PROVINCE = {"unit_type": "province", "provenance": "published"}
MINISTRY = {"unit_type": "ministry", "provenance": "published"}
COLUMN = {"unit_type": "column", "provenance": "published"}


NO_PROVENANCE = {"unit_type": "province"}
NO_PROVENANCE_MESSAGE = (
    "no provenance column, and params do not say whether its values are published or simulated"
)


def _missing(count: int, set_name: str, names: str) -> tuple:
    return (None, None, f"{count} unit{'s' if count > 1 else ''} of {set_name} missing: {names}")


# file in tests/fixtures/bad, its params entry, and every problem expected: (row, column, message).
CASES = [
    (
        "unknown_unit.csv",
        PROVINCE,
        [(7, UNIT, "'Hà Nan' is not a unit of this set"), _missing(1, "provinces_6", "'Hà Nam'")],
    ),
    (
        "ambiguous_unit.csv",
        PROVINCE,
        [
            (5, UNIT, "'Hà' is ambiguous: it could be 'Hà Nội' or 'Hà Nam'"),
            _missing(1, "provinces_6", "'Hà Nội'"),
        ],
    ),
    (
        "unknown_code.csv",
        PROVINCE,
        [(7, "code", "'99' is not a unit of this set"), _missing(1, "provinces_6", "'Hà Nam'")],
    ),
    (
        "unknown_ministry.csv",
        MINISTRY,
        [
            (3, "Bộ, ngành", "'Bộ Ngoại giao' is not a unit of this set"),
            _missing(1, "ministries_3", "'Bộ Tài chính'"),
        ],
    ),
    (
        "duplicate_unit.csv",
        PROVINCE,
        [(5, UNIT, "duplicate unit: 'Ha Noi' here and 'Hà Nội' in row 3 are both Hà Nội")],
    ),
    ("missing_units.csv", PROVINCE, [_missing(2, "provinces_6", "'Hà Nam', 'Thành phố Hồ Chí Minh'")]),
    (
        "empty_unit.csv",
        PROVINCE,
        [(3, UNIT, "the unit name is empty"), _missing(1, "provinces_6", "'Hải Phòng'")],
    ),
    ("empty_score.csv", PROVINCE, [(4, SCORE, "the score is empty")]),
    ("non_numeric_score.csv", PROVINCE, [(5, SCORE, "the score 'n/a' is not a number")]),
    ("semicolon_bad_score.csv", PROVINCE, [(3, "Điểm", "the score '90,51,5' is not a number")]),
    ("score_above_scale.csv", PROVINCE, [(2, SCORE, "the score '105,2' is outside the scale 0 to 100")]),
    ("score_below_scale.csv", PROVINCE, [(7, SCORE, "the score '-3' is outside the scale 0 to 100")]),
    # A refused score is not ranked: its rank and those it would displace are not reported as well.
    (
        "score_above_scale_ranked.csv",
        PROVINCE,
        [(3, SCORE, "the score '190.51' is outside the scale 0 to 100")],
    ),
    ("rank_zero.csv", PROVINCE, [(2, RANK, "the rank '0' is not a positive whole number")]),
    ("rank_fraction.csv", PROVINCE, [(3, RANK, "the rank '2.5' is not a positive whole number")]),
    ("rank_text.csv", PROVINCE, [(2, RANK, "the rank 'nhất' is not a positive whole number")]),
    ("rank_negative.csv", PROVINCE, [(5, RANK, "the rank '-4' is not a positive whole number")]),
    (
        "rank_contradiction.csv",
        PROVINCE,
        [
            (3, RANK, "the rank 3 contradicts the scores: a score of 90.51 ranks 2"),
            (4, RANK, "the rank 2 contradicts the scores: a score of 88.47 ranks 3"),
        ],
    ),
    ("rank_tie.csv", PROVINCE, [(5, RANK, "the rank 4 contradicts the scores: a score of 88.471 ranks 3")]),
    ("unknown_provenance.csv", PROVINCE, [(4, "provenance", "unknown provenance 'estimated'")]),
    (
        "unknown_unit_type.csv",
        COLUMN,
        [(6, "Loại", "unknown unit type 'huyện'"), _missing(1, "provinces_6", "'Thành phố Hồ Chí Minh'")],
    ),
    (
        "empty_unit_type.csv",
        COLUMN,
        [(9, "Loại", "the unit type is empty"), _missing(1, "ministries_3", "'Bộ Tài chính'")],
    ),
    ("type_column_missing.csv", COLUMN, [(1, None, "no unit type column (headers: 'Đơn vị', 'Điểm')")]),
    (
        "no_header.csv",
        PROVINCE,
        [(1, None, "no header row recognised; the likeliest header row holds 'A', 'B', 'C'")],
    ),
    (
        "title_rows_no_header.csv",
        PROVINCE,
        [(3, None, "no header row recognised; the likeliest header row holds 'Tên', 'Giá trị'")],
    ),
    (
        "missing_score_column.csv",
        PROVINCE,
        [(1, None, "no score column (headers: 'Tỉnh/thành phố', 'Xếp hạng')")],
    ),
    ("missing_unit_column.csv", PROVINCE, [(1, None, "no unit column (headers: 'Điểm', 'Hạng')")]),
    ("empty.csv", PROVINCE, [(None, None, "the file is empty")]),
    ("blank.csv", PROVINCE, [(None, None, "the file is empty")]),
    ("header_only.csv", PROVINCE, [(1, None, "the file has a header but no data rows")]),
    ("cp1258.csv", PROVINCE, [(1, None, "the file is not UTF-8 text")]),
    ("utf16.csv", PROVINCE, [(1, None, "the file is not UTF-8 text")]),
    ("corrupt.xlsx", PROVINCE, [(None, None, "not a readable XLSX workbook (BadZipFile)")]),
    ("results.xls", PROVINCE, [(None, None, "unsupported file type '.xls'")]),
    ("results.txt", PROVINCE, [(None, None, "unsupported file type '.txt'")]),
    (
        "override_missing.csv",
        {**PROVINCE, "columns": {"unit": "Tên tỉnh", "score": "Điểm 2020"}},
        [
            (
                1,
                None,
                "columns.score in test.yaml names 'Điểm 2020', which is not a header of this file "
                "(headers: 'Tên tỉnh', 'Điểm năm 2020')",
            )
        ],
    ),
    (
        "component_missing.csv",
        {**PROVINCE, "components": ["Điều tra"]},
        [
            (
                1,
                None,
                "no column 'Điều tra', named in components for this file "
                "(headers: 'Tỉnh/thành phố', 'Chỉ số', 'Xếp hạng', 'Thẩm định')",
            )
        ],
    ),
    (
        "component_non_numeric.csv",
        {**PROVINCE, "components": ["Thẩm định"]},
        [(3, "Thẩm định", "the value 'sáu mươi' is not a number")],
    ),
    (
        "no_provenance.csv",
        NO_PROVENANCE,
        [(None, None, NO_PROVENANCE_MESSAGE)],
    ),
    ("empty_provenance.csv", NO_PROVENANCE, [(5, "provenance", "the provenance is empty")]),
    (
        "misspelt_provenance.csv",
        NO_PROVENANCE,
        [(None, None, NO_PROVENANCE_MESSAGE), (1, "provenence", "'provenence' is not a known column")],
    ),
    ("misspelt_rank.csv", PROVINCE, [(1, "Xếp hangg", "'Xếp hangg' is not a known column")]),
    ("unknown_column.csv", PROVINCE, [(1, "Nhận xét", "'Nhận xét' is not a known column")]),
    (
        "code_name_mismatch.csv",
        PROVINCE,
        [
            (4, "code", "the code '01' is Hà Nội (01), but column 'name' names Thừa Thiên Huế (46)"),
            (6, "code", "'97' is not a unit of this set"),
        ],
    ),
    (
        "several_problems.csv",
        PROVINCE,
        [
            (3, SCORE, "the score is empty"),
            (4, SCORE, "the score 'cao' is not a number"),
            (5, SCORE, "the score '101' is outside the scale 0 to 100"),
            (5, RANK, "the rank '0' is not a positive whole number"),
            (6, UNIT, "'Đà Lạt' is not a unit of this set"),
            (7, UNIT, "duplicate unit: 'Quảng Ninh' here and 'Quảng Ninh' in row 2 are both Quảng Ninh"),
            _missing(2, "provinces_6", "'Hà Nam', 'Thành phố Hồ Chí Minh'"),
        ],
    ),
]


def _problems(params) -> list:
    with pytest.raises(InputError) as caught:
        load_year(params)
    return caught.value.problems


def test_every_bad_fixture_has_a_case():
    assert sorted(name for name, _, _ in CASES) == sorted(p.name for p in (FIXTURES / "bad").iterdir())
    assert len(CASES) >= 30


@pytest.mark.parametrize(("name", "spec", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(make_params, name, spec, expected):
    problems = _problems(make_params([{"path": f"bad/{name}", **spec}]))
    assert [(p.row, p.column, p.message) for p in problems] == expected
    assert {Path(p.file).name for p in problems} == {name}
    assert all(p.fix for p in problems)


# Fixes a user reads, for the checks whose fix carries information.
FIXES = [
    ("unknown_unit.csv", PROVINCE, "did you mean 'Hà Nam' or 'Hà Nội'?"),
    ("ambiguous_unit.csv", PROVINCE, "write the unit's full name"),
    ("duplicate_unit.csv", PROVINCE, "keep one row per unit"),
    ("missing_units.csv", PROVINCE, "add a row for each of them (or name another unit set in params)"),
    ("empty_score.csv", PROVINCE, "write the unit's score"),
    ("non_numeric_score.csv", PROVINCE, "write a number such as 86.07 or 86,07"),
    ("score_above_scale.csv", PROVINCE, "correct the score (a percentage, e.g. 86.07)"),
    ("rank_zero.csv", PROVINCE, "write the rank as 1, 2, 3 … or leave it empty"),
    (
        "rank_tie.csv",
        PROVINCE,
        "write rank 3, or correct the score "
        "(ranks are 1-2-2-4 on scores rounded to 2 decimals, highest first)",
    ),
    (
        "unknown_provenance.csv",
        PROVINCE,
        "write 'published' or 'simulated', or leave it empty to mean 'published'",
    ),
    ("unknown_unit_type.csv", COLUMN, "write 'province' (tỉnh) or 'ministry' (bộ)"),
    (
        "no_provenance.csv",
        NO_PROVENANCE,
        "add a column 'provenance' saying published or simulated on every row, or set provenance: "
        "published (or simulated) for this file in test.yaml",
    ),
    (
        "empty_provenance.csv",
        NO_PROVENANCE,
        "write 'published' or 'simulated', or set provenance: published (or simulated) for this file in "
        "test.yaml to say what an empty cell means",
    ),
    ("unknown_provenance.csv", NO_PROVENANCE, "write 'published' or 'simulated'"),
    (
        "misspelt_provenance.csv",
        PROVINCE,
        "did you mean 'provenance'? Rename it, or set columns.provenance: 'provenence' for this file in "
        "test.yaml",
    ),
    (
        "misspelt_rank.csv",
        PROVINCE,
        "did you mean 'Xếp hạng'? Rename it, or set columns.rank: 'Xếp hangg' for this file in test.yaml",
    ),
    (
        "unknown_column.csv",
        PROVINCE,
        "rename it to a known header, say what it holds under columns for this file in test.yaml "
        "(columns.unit, code, score, rank, unit_type or provenance), or list it under columns.ignore "
        "to leave it out",
    ),
    ("code_name_mismatch.csv", PROVINCE, "correct the code or the name: both must give the same unit"),
    (
        "no_header.csv",
        PROVINCE,
        "name the unit column one of 'Tỉnh, thành phố', 'Tỉnh/thành phố', 'Địa phương', 'Đơn vị', "
        "'Bộ, ngành', 'Tên đơn vị', 'Province', 'Unit', 'Ministry', 'Name', 'code', 'Mã' "
        "and the score column one of "
        "'PAR INDEX', 'Public Administration Reform Index', "
        "'Chỉ số', 'Chỉ số CCHC', 'Điểm', 'Tổng điểm', 'Kết quả', 'Score', 'Index', 'Value'; "
        "or set columns.unit and columns.score for this file in test.yaml",
    ),
    (
        "missing_score_column.csv",
        PROVINCE,
        "name it one of 'PAR INDEX', 'Public Administration Reform Index', 'Chỉ số', 'Chỉ số CCHC', 'Điểm', "
        "'Tổng điểm', 'Kết quả', 'Score', 'Index', 'Value', or set columns.score for this file in test.yaml",
    ),
    (
        "type_column_missing.csv",
        COLUMN,
        "name it one of 'Loại', 'Loại đơn vị', 'Type', 'unit_type', "
        "or set columns.unit_type for this file in test.yaml",
    ),
    ("empty.csv", PROVINCE, "put a header row and one row per unit in it"),
    ("header_only.csv", PROVINCE, "add one row per unit"),
    ("cp1258.csv", PROVINCE, "save it as UTF-8 CSV (in Excel: Save As > 'CSV UTF-8 (Comma delimited)')"),
    ("corrupt.xlsx", PROVINCE, "open it in a spreadsheet program and save it again as .xlsx"),
    ("results.xls", PROVINCE, "save the results as .xlsx or as UTF-8 .csv"),
    (
        "override_missing.csv",
        {**PROVINCE, "columns": {"unit": "Tên tỉnh", "score": "Điểm 2020"}},
        "correct columns.score for this file in test.yaml",
    ),
    (
        "component_missing.csv",
        {**PROVINCE, "components": ["Điều tra"]},
        "add the column, or remove it from components in test.yaml",
    ),
    (
        "component_non_numeric.csv",
        {**PROVINCE, "components": ["Thẩm định"]},
        "write a number or leave the cell empty",
    ),
]


@pytest.mark.parametrize(("name", "spec", "fix"), FIXES, ids=[f"{f[0]}-{n}" for n, f in enumerate(FIXES)])
def test_fix_text(make_params, name, spec, fix):
    problems = _problems(make_params([{"path": f"bad/{name}", **spec}]))
    assert problems[0].fix == fix


def test_a_misspelt_provenance_header_never_makes_simulated_values_published(make_params):
    problems = _problems(make_params([{"path": "bad/misspelt_provenance.csv", **NO_PROVENANCE}]))
    assert [str(p) for p in problems] == [
        f"{FIXTURES / 'bad' / 'misspelt_provenance.csv'}: {NO_PROVENANCE_MESSAGE}\n"
        "    fix: add a column 'provenance' saying published or simulated on every row, or set provenance: "
        "published (or simulated) for this file in test.yaml",
        f"{FIXTURES / 'bad' / 'misspelt_provenance.csv'}, row 1, column 'provenence': 'provenence' is not a "
        "known column\n"
        "    fix: did you mean 'provenance'? Rename it, or set columns.provenance: 'provenence' for this "
        "file in test.yaml",
    ]


def test_a_column_left_out_in_params_is_ignored(make_params):
    columns = {"ignore": ["Nhận xét"]}
    year = load_year(make_params([{"path": "bad/unknown_column.csv", **PROVINCE, "columns": columns}]))
    assert len(year.scores) == 6


def test_a_close_header_is_proposed_only_for_what_the_file_lacks(make_params, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text(
        "Tỉnh/thành phố,Chỉ số,Xếp hạng,Chỉ số 2019,Scroe,provenance\n"
        + "".join(
            f"{name},{score},{rank},80,1,published\n"
            for name, score, rank in [
                ("Quảng Ninh", 91.04, 1),
                ("Hải Phòng", 90.51, 2),
                ("Thừa Thiên Huế", 88.47, 3),
                ("Hà Nội", 86.07, 4),
                ("TP.HCM", 84.92, 5),
                ("Hà Nam", 82.71, 6),
            ]
        ),
        encoding="utf-8",
    )
    problems = _problems(make_params([{"path": str(path), "unit_type": "province"}]))
    assert [(p.column, p.message, p.fix.split("?")[0]) for p in problems] == [
        ("Chỉ số 2019", "'Chỉ số 2019' is not a known column", problems[0].fix),
        ("Scroe", "'Scroe' is not a known column", problems[1].fix),
    ]
    assert problems[0].fix.startswith("rename it to a known header")  # the score column is there already
    assert problems[1].fix.startswith("rename it to a known header")


def test_a_code_column_alone_gives_the_units(make_params, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text(
        "Mã tỉnh,Điểm\n22,91.04\n31,90.51\n46,88.47\n1,86.07\n79,84.92\n35,82.71\n", encoding="utf-8"
    )
    year = load_year(make_params([{"path": str(path), **PROVINCE}]))
    assert sorted(year.scores["code"]) == ["01", "22", "31", "35", "46", "79"]


def test_several_problems_in_one_file_are_reported_at_once(make_params):
    problems = _problems(make_params([{"path": "bad/several_problems.csv", **PROVINCE}]))
    assert len(problems) == 7
    assert len({(p.row, p.column) for p in problems}) == 7


def test_problems_of_every_file_of_the_year_are_reported_at_once(make_params):
    params = make_params(
        [
            {"path": "bad/empty_score.csv", **PROVINCE},
            {"path": "bad/unknown_ministry.csv", **MINISTRY},
        ],
        companion=[{"path": "bad/rank_zero.csv", **PROVINCE}],
    )
    problems = _problems(params)
    assert [(Path(p.file).name, p.row, p.message) for p in problems] == [
        ("empty_score.csv", 4, "the score is empty"),
        ("unknown_ministry.csv", 3, "'Bộ Ngoại giao' is not a unit of this set"),
        ("unknown_ministry.csv", None, "1 unit of ministries_3 missing: 'Bộ Tài chính'"),
        ("rank_zero.csv", 2, "the rank '0' is not a positive whole number"),
    ]


def test_an_unreadable_file_does_not_hide_the_others(make_params):
    params = make_params([{"path": "bad/empty.csv", **PROVINCE}, {"path": "good/ministries.csv", **MINISTRY}])
    assert [(Path(p.file).name, p.message) for p in _problems(params)] == [("empty.csv", "the file is empty")]


def test_duplicate_across_files_names_both_files(make_params):
    params = make_params(
        [{"path": "good/provinces.csv", **PROVINCE}, {"path": "good/provinces_bom.csv", **PROVINCE}]
    )
    problems = _problems(params)
    assert len(problems) == 6
    first = problems[3]
    assert (Path(first.file).name, first.row, first.column) == ("provinces_bom.csv", 5, "Province")
    assert first.message == (
        f"duplicate unit: 'Ha Noi' here and 'Hà Nội' in {FIXTURES / 'good' / 'provinces.csv'} row 5 "
        "are both Hà Nội"
    )


def test_rows_of_a_unit_type_without_a_unit_set(make_params):
    params = make_params([{"path": "good/mixed.csv", **COLUMN}], units={"province": "provinces_6"})
    problems = _problems(params)
    assert [(p.row, p.column) for p in problems] == [
        (2, "Loại đơn vị"),
        (5, "Loại đơn vị"),
        (10, "Loại đơn vị"),
    ]
    assert problems[0].message == "this row is a ministry, but params name no ministry unit set"
    assert problems[0].fix == "add units.ministry to test.yaml"


def _workbook(path: Path, score: object = 86.07) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Tỉnh"
    book.active.append(["Kết quả năm 2020"])
    book.active.append([])
    book.active.append(["Tỉnh, thành phố", "Chỉ số"])
    for name, value in [("Quảng Ninh", 91.04), ("Hải Phòng", 90.51), ("Thừa Thiên Huế", 88.47)]:
        book.active.append([name, value])
    book.active.append(["Hà Nội", score])
    book.active.append(["TP.HCM", 84.92])
    book.active.append(["Hà Nam", 82.71])
    book.create_sheet("Bộ")
    book.save(path)
    return path


def test_xlsx_missing_sheet_lists_the_sheets(make_params, tmp_path):
    path = _workbook(tmp_path / "results.xlsx")
    [problem] = _problems(make_params([{"path": str(path), **PROVINCE, "sheet": "Kết quả"}]))
    assert problem.message == "no sheet named 'Kết quả'; the sheets are 'Tỉnh', 'Bộ'"
    assert problem.fix == "name one of these sheets"


def test_xlsx_problems_name_the_spreadsheet_row(make_params, tmp_path):
    path = _workbook(tmp_path / "results.xlsx", score="tám sáu")
    [problem] = _problems(make_params([{"path": str(path), **PROVINCE}]))
    assert (problem.row, problem.column, problem.message) == (
        7,
        "Chỉ số",
        "the score 'tám sáu' is not a number",
    )


def test_empty_sheet_is_an_empty_file(make_params, tmp_path):
    path = _workbook(tmp_path / "results.xlsx")
    [problem] = _problems(make_params([{"path": str(path), **PROVINCE, "sheet": "Bộ"}]))
    assert problem.message == "the file is empty"


def test_file_that_does_not_exist():
    params = load_params(FIXTURES / "params" / "tiny.yaml")
    with pytest.raises(InputError) as caught:
        check_file(params, FIXTURES / "bad" / "absent.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.message, problem.fix) == (
        str(FIXTURES / "bad" / "absent.csv"),
        "file not found",
        "check the path and the file name",
    )


@pytest.mark.parametrize(
    "text", ["86,07", "86.07", "86,07%", "86.07 %", "86,07\u00a0%", "\u00a086.07", " 86.07\u202f% "]
)
def test_numbers_as_written(text):
    assert parse_number(text) == 86.07


@pytest.mark.parametrize("text", [None, "", "n/a", "86,07,5", "86.07.1", "tám", "%"])
def test_not_numbers(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "rank"), [("8", 8), ("8.0", 8), ("08", 8), (" 12 ", 12), ("8,0", 8)])
def test_ranks_as_written(text, rank):
    assert parse_rank(text) == rank


@pytest.mark.parametrize("text", [None, "0", "-1", "2.5", "nhất", "1e3"])
def test_not_ranks(text):
    assert parse_rank(text) is None


def test_provenance_and_unit_type_values():
    assert [parse_provenance(t) for t in ("Published", " simulated", "estimated", None)] == [
        "published",
        "simulated",
        None,
        None,
    ]
    values = ["Tỉnh", "tinh", "Tỉnh, thành phố", "province", "Bộ", "Bộ, ngành", "MINISTRY", "huyện", None]
    assert [parse_unit_type(v) for v in values] == ["province"] * 4 + ["ministry"] * 3 + [None, None]


# The console script on a representative subset: exit 2, the problem located, never a traceback.
CLI_CASES = [
    ("misspelt_provenance.csv", 1, "provenence", "'provenence' is not a known column"),
    ("no_provenance.csv", None, None, NO_PROVENANCE_MESSAGE),
    ("unknown_unit.csv", 7, UNIT, "'Hà Nan' is not a unit of this set"),
    ("duplicate_unit.csv", 5, UNIT, "duplicate unit: 'Ha Noi' here and 'Hà Nội' in row 3 are both Hà Nội"),
    ("empty_score.csv", 4, SCORE, "the score is empty"),
    ("rank_contradiction.csv", 3, RANK, "the rank 3 contradicts the scores: a score of 90.51 ranks 2"),
    ("no_header.csv", 1, None, "no header row recognised; the likeliest header row holds 'A', 'B', 'C'"),
    ("empty.csv", None, None, "the file is empty"),
    ("cp1258.csv", 1, None, "the file is not UTF-8 text"),
    ("corrupt.xlsx", None, None, "not a readable XLSX workbook (BadZipFile)"),
    ("results.xls", None, None, "unsupported file type '.xls'"),
    ("absent.csv", None, None, "file not found"),
]


@pytest.mark.parametrize(("name", "row", "column", "message"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_console_script_exits_2_without_traceback(name, row, column, message):
    result = subprocess.run(
        [str(PARINDEX), "validate", f"bad/{name}", "--params", "params/tiny.yaml"],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        check=False,
    )
    where = f"bad/{name}" + (f", row {row}" if row else "") + (f", column '{column}'" if column else "")
    assert result.returncode == 2
    assert f"  {where}: {message}\n" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unreadable_csv(make_params, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text('Tỉnh/thành phố,Chỉ số\nHà Nội,86.07\n"' + "x" * 140_000 + '",1\n', encoding="utf-8")
    [problem] = _problems(make_params([{"path": str(path), **PROVINCE}]))
    assert (problem.row, problem.message) == (
        3,
        "not a readable CSV file (field larger than field limit (131072))",
    )
    assert problem.fix == "open it in a spreadsheet program and save it again as UTF-8 CSV"


def test_a_stray_separator_is_not_read_as_thousands():
    from parindex.data.validate import parse_number

    assert parse_number("8,6.07") is None
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("86,07 %") == 86.07


ROOT = Path(__file__).resolve().parents[1]
SCORE_NAMES = (
    "'PAR INDEX', 'Public Administration Reform Index', 'Chỉ số', 'Chỉ số CCHC', 'Điểm', 'Tổng điểm', "
    "'Kết quả', 'Score', 'Index', 'Value'"
)


def test_a_misspelt_unit_above_the_notes_is_reported_not_left_out(make_params):
    problems = _problems(make_params([{"path": "tables/footer_misspelt.csv", **PROVINCE}]))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (7, UNIT, "'Hà Nan' is not a unit of this set"),
        _missing(1, "provinces_6", "'Hà Nam'"),
    ]


def test_an_empty_header_is_answered_with_its_letter(make_params):
    problems = _problems(make_params([{"path": "tables/empty_header.csv", **PROVINCE}]))
    assert [(p.row, p.message, p.fix) for p in problems] == [
        (
            1,
            "no score column (headers: 'STT', 'Tỉnh/thành phố', 'Xếp hạng')",
            f"name it one of {SCORE_NAMES}, or set columns.score for this file in test.yaml; column C has no "
            "header: if it is the score column, set columns.score: C (a column is named by its header, its "
            "letter or its number counted from 1)",
        )
    ]


def test_another_index_name_is_not_a_score_header(make_params):
    problems = _problems(make_params([{"path": "tables/index_name.csv", **PROVINCE}]))
    assert [(p.row, p.message, p.fix) for p in problems] == [
        (
            1,
            "no score column (headers: 'Tỉnh/thành phố', 'PCI', 'Xếp hạng')",
            f"name it one of {SCORE_NAMES}, or set columns.score for this file in test.yaml",
        )
    ]


@pytest.mark.parametrize(
    ("keys", "row", "message", "fix"),
    [
        (
            {"header_row": 40},
            40,
            "header_row: 40 in test.yaml, but the file ends at row 18",
            "set header_row to the row holding the column headers (counted from 1, as the spreadsheet "
            "numbers rows), or remove it to find the header among the first 30 rows",
        ),
        (
            {"header_row": 10},
            10,
            "header_row: 10 in test.yaml, but row 10 is empty",
            "set header_row to the row holding the column headers (counted from 1, as the spreadsheet "
            "numbers rows), or remove it to find the header among the first 30 rows",
        ),
        (
            {"last_row": 2},
            2,
            "last_row: 2 in test.yaml is not below the header (row 3)",
            "set last_row to the row of the table's last unit in test.yaml, or remove it",
        ),
        (
            {"columns": {"score": "ZZ"}},
            3,
            "columns.score in test.yaml names column ZZ, beyond the 200 columns a table may have",
            "correct columns.score for this file in test.yaml: its header, its letter (A is the first "
            "column) or its number counted from 1",
        ),
        (
            {"columns": {"score": "Điểm số"}},
            3,
            "columns.score in test.yaml names 'Điểm số', which is not a header of this file (headers: 'STT', "
            "'Tỉnh/thành phố', 'Chỉ số', 'Xếp hạng')",
            "correct columns.score for this file in test.yaml",
        ),
    ],
)
def test_rows_and_columns_named_in_params_that_the_file_lacks(make_params, keys, row, message, fix):
    problems = _problems(make_params([{"path": "tables/footer.csv", **PROVINCE, **keys}]))
    assert [(p.row, p.message, p.fix) for p in problems] == [(row, message, fix)]


def test_a_former_province_says_what_it_became(make_params):
    params = make_params(
        [{"path": "tables/former.csv", **PROVINCE}],
        units_dir=str(ROOT / "data" / "units"),
        units={"province": "provinces_34"},
    )
    problems = [p for p in _problems(params) if p.row is not None]
    assert [(p.row, p.message, p.fix, p.kind) for p in problems] == [
        (
            3,
            "'Hà Tây' is no longer a unit: Hà Tây was merged into 'Hà Nội' on 1 August 2008 "
            "(Resolution 15/2008/QH12)",
            "write 'Hà Nội'; for a table of the years before 2008, name in params a unit set that still has "
            "Hà Tây",
            "former unit names",
        ),
        (
            4,
            "'Hà Giang' is no longer a unit: Hà Giang was merged into 'Tuyên Quang' on 1 July 2025 "
            "(Nghị quyết 202/2025/QH15 (12/6/2025))",
            "write 'Tuyên Quang'; for a table of the years before 2025, name in params a unit set that still "
            "has Hà Giang",
            "former unit names",
        ),
    ]


def test_a_row_that_only_begins_like_a_total_is_read(make_params, tmp_path):
    rows = (FIXTURES / "good" / "provinces.csv").read_text(encoding="utf-8")
    path = tmp_path / "agencies.csv"
    path.write_text(rows + "7,Tổng cục Thống kê,80.00,7\n8,Total Quality,79.00,8\n", encoding="utf-8")
    problems = _problems(make_params([{"path": str(path), **PROVINCE}]))
    assert [(p.row, p.message) for p in problems] == [
        (8, "'Tổng cục Thống kê' is not a unit of this set"),
        (9, "'Total Quality' is not a unit of this set"),
    ]
