import hashlib
import logging
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from parindex.data.ingest import _delimiter, check_file, load_year, read_table
from parindex.data.params import InputFile, load_params
from parindex.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"

# The six provinces of the tiny set in register order: code, score, rank, as written in every good fixture.
PROVINCES = [
    ("01", 86.07, 4),
    ("22", 91.04, 1),
    ("31", 90.51, 2),
    ("35", 82.71, 6),
    ("46", 88.47, 3),
    ("79", 84.92, 5),
]
MINISTRIES = [("MOJ", 90.01, 3), ("MOF", 90.31, 2), ("SBV", 91.05, 1)]
PROVINCE = {"unit_type": "province", "provenance": "published"}
COLUMNS = ["unit_type", "code", "name", "short_name", "name_en", "region", "score", "rank", "provenance"]


def _triples(scores: pd.DataFrame) -> list[tuple]:
    ranks = [None if pd.isna(r) else int(r) for r in scores["rank"]]
    return list(zip(scores["code"], scores["score"], ranks, strict=True))


def test_load_year_of_the_tiny_params():
    year = load_year(load_params(FIXTURES / "params" / "tiny.yaml"))
    assert list(year.scores.columns) == COLUMNS
    assert _triples(year.scores) == PROVINCES + MINISTRIES
    assert list(year.scores["unit_type"]) == ["province"] * 6 + ["ministry"] * 3
    assert str(year.scores["rank"].dtype) == "Int64"
    assert list(year.scores["region"]) == ["RRD", "RRD", "RRD", "RRD", "NCC", "SE", None, None, None]
    assert list(year.scores["provenance"]) == ["published"] * 6 + ["simulated", "published", "published"]
    first = year.scores.iloc[5]
    assert (first["name"], first["short_name"], first["name_en"]) == (
        "Thành phố Hồ Chí Minh",
        "TP. Hồ Chí Minh",
        "Ho Chi Minh City",
    )
    assert _triples(year.companion) == [
        ("01", 82.44, 5),
        ("22", 88.90, 2),
        ("31", 89.12, 1),
        ("35", 84.76, 4),
        ("46", 86.05, 3),
        ("79", 80.31, 6),
    ]
    assert list(year.companion["provenance"]) == ["simulated", "published", "published"] + ["simulated"] * 3
    assert [(s.path.name, s.rows) for s in year.sources] == [
        ("provinces.csv", 6),
        ("ministries.csv", 3),
        ("sipas.csv", 6),
    ]
    digest = hashlib.sha256((FIXTURES / "good" / "provinces.csv").read_bytes()).hexdigest()
    assert year.sources[0].sha256 == digest


def test_csv_semicolon_decimal_commas_percent_signs_and_title_row(make_params):
    params = make_params([{"path": "good/provinces_semicolon.csv", **PROVINCE}])
    year = load_year(params)
    assert _triples(year.scores) == PROVINCES
    assert year.sources[0].rows == 6


def test_csv_with_bom_and_english_headers(make_params):
    params = make_params(
        [{"path": "good/provinces_bom.csv", "unit_type": "province", "provenance": "simulated"}]
    )
    year = load_year(params)
    assert _triples(year.scores) == PROVINCES
    assert set(year.scores["provenance"]) == {"simulated"}
    assert year.companion is None


def test_mixed_file_with_a_unit_type_column(make_params):
    year = load_year(
        make_params([{"path": "good/mixed.csv", "unit_type": "column", "provenance": "published"}])
    )
    assert _triples(year.scores) == PROVINCES + MINISTRIES
    assert list(year.scores["unit_type"]) == ["province"] * 6 + ["ministry"] * 3


def test_header_overrides_provenance_and_components(make_params):
    spec = {
        "path": "good/overrides.csv",
        "unit_type": "province",
        "provenance": "simulated",
        "columns": {
            "unit": "Tên tỉnh",
            "score": "Điểm năm 2020",
            "provenance": "Nguồn",
            "ignore": ["Điểm năm 2019"],
        },
        "components": ["Thẩm định", "Điều tra"],
    }
    year = load_year(make_params([spec]))
    scores = year.scores
    assert list(scores.columns) == COLUMNS + ["Thẩm định", "Điều tra"]
    assert _triples(scores) == [(code, score, None) for code, score, _ in PROVINCES]
    assert list(scores["provenance"]) == [
        "simulated",
        "published",
        "published",
        "simulated",
        "simulated",
        "simulated",
    ]
    appraisal = dict(zip(scores["code"], scores["Thẩm định"], strict=True))
    assert (appraisal["22"], appraisal["31"]) == (61.20, 60.10)
    assert all(math.isnan(appraisal[c]) for c in ("01", "35", "46", "79"))
    survey = dict(zip(scores["code"], scores["Điều tra"], strict=True))
    assert (survey["22"], survey["31"]) == (29.84, 30.41)


def _workbook(path, percent_cells=False):
    """A workbook with a notes sheet first and the results, under two title rows, on sheet 'Kết quả'."""
    book = openpyxl.Workbook()
    book.active.title = "Ghi chú"
    book.active.append(["Bảng này chỉ để thử"])
    sheet = book.create_sheet("Kết quả")
    sheet.append(["BẢNG XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2020"])
    sheet.append(["(kèm theo Quyết định số ...)"])
    sheet.append(["STT", "Tỉnh, thành phố", "Chỉ số CCHC", "Xếp hạng"])
    rows = [
        (1, "Quảng Ninh", 91.04, 1),
        (2, "Hải Phòng", "90,51", 2.0),
        (3, "Thừa Thiên Huế", 88.47, "3"),
        (4, "Hà Nội", "86,07%", 4),
        (5, "TP.HCM", 84.92, 5),
        (6, "Hà Nam", 82.71, "06"),
    ]
    for row in rows:
        sheet.append(list(row))
    if percent_cells:
        sheet["C4"] = 0.9104
        sheet["C4"].number_format = "0.00%"
    book.save(path)
    return path


@pytest.mark.parametrize("percent_cells", [False, True])
def test_xlsx_with_title_rows_and_a_chosen_sheet(make_params, tmp_path, percent_cells):
    path = _workbook(tmp_path / "results.xlsx", percent_cells)
    params = make_params([{"path": str(path), **PROVINCE, "sheet": "Kết quả"}])
    year = load_year(params)
    assert _triples(year.scores) == PROVINCES
    assert year.sources[0].rows == 6


def test_xlsx_rows_are_spreadsheet_rows(tmp_path):
    path = _workbook(tmp_path / "results.xlsx")
    table = read_table(path, InputFile(path=str(path), unit_type="province", sheet="Kết quả"))
    assert list(table.cells.index) == [4, 5, 6, 7, 8, 9]
    assert table.headers == {"unit": "Tỉnh, thành phố", "score": "Chỉ số CCHC", "rank": "Xếp hạng"}
    assert list(table.cells["score"]) == ["91.04", "90,51", "88.47", "86,07%", "84.92", "82.71"]


def test_csv_rows_are_line_numbers_and_the_counter_column_is_ignored():
    path = FIXTURES / "good" / "provinces.csv"
    table = read_table(path, InputFile(path=str(path), unit_type="province"))
    assert list(table.cells.index) == [2, 3, 4, 5, 6, 7]
    assert table.headers == {"unit": "Tỉnh/thành phố", "score": "Chỉ số", "rank": "Xếp hạng"}


def test_name_column_wins_over_code_column():
    path = FIXTURES / "good" / "sipas.csv"
    table = read_table(path, InputFile(path=str(path), unit_type="province"))
    assert table.headers["unit"] == "name"
    assert list(table.cells["unit"])[:2] == ["Quảng Ninh", "Hải Phòng"]


def test_check_file_takes_the_params_entry_of_the_same_path(monkeypatch):
    params = load_params(FIXTURES / "params" / "tiny.yaml")
    monkeypatch.chdir(FIXTURES)
    loaded = check_file(params, "good/ministries.csv")
    assert loaded.label == "good/ministries.csv"
    assert _triples(loaded.scores) == MINISTRIES
    assert loaded.summary(2) == "good/ministries.csv: 3 ministry units, mean 90.46"


def test_check_file_of_a_file_not_in_params_reads_provinces():
    params = load_params(FIXTURES / "params" / "tiny.yaml")
    loaded = check_file(params, FIXTURES / "good" / "provinces_bom.csv", provenance="simulated")
    assert _triples(loaded.scores) == PROVINCES
    assert set(loaded.scores["provenance"]) == {"simulated"}
    assert loaded.summary(2).endswith("provinces_bom.csv: 6 province units, mean 87.29")
    mixed = check_file(params, FIXTURES / "good" / "mixed.csv", unit_type="column", provenance="published")
    assert mixed.summary(2).endswith("mixed.csv: 6 province units, mean 87.29; 3 ministry units, mean 90.46")


def test_provinces_split_over_two_files_come_in_register_order(make_params):
    inputs = [
        {"path": "good/provinces_south.csv", **PROVINCE},
        {"path": "good/ministries.csv", "unit_type": "ministry"},
        {"path": "good/provinces_north.csv", **PROVINCE},
    ]
    year = load_year(make_params(inputs))
    assert _triples(year.scores) == PROVINCES + MINISTRIES
    assert [(s.path.name, s.rows) for s in year.sources] == [
        ("provinces_south.csv", 3),
        ("ministries.csv", 3),
        ("provinces_north.csv", 3),
    ]


def test_a_file_not_in_params_without_a_provenance_column_says_nothing_is_assumed():
    params = load_params(FIXTURES / "params" / "tiny.yaml")
    with pytest.raises(InputError) as caught:
        check_file(params, FIXTURES / "good" / "provinces_bom.csv")
    [problem] = caught.value.problems
    assert problem.message == (
        "no provenance column, and params do not say whether its values are published or simulated"
    )


def test_a_code_column_beside_the_names_is_read_and_checked():
    path = FIXTURES / "good" / "overrides.csv"
    spec = InputFile(
        path=str(path), unit_type="province", columns={"unit": "Tên tỉnh", "score": "Điểm năm 2020"}
    )
    table = read_table(path, spec)
    assert (table.headers["unit"], table.headers["code"]) == ("Tên tỉnh", "Mã tỉnh")
    assert list(table.cells["code"])[:2] == ["22", "31"]


ROOT = Path(__file__).resolve().parents[1]
# The data rows of tables/footer.csv: its header is line 3, its notes and signature follow line 9.
FOOTER_ROWS = [4, 5, 6, 7, 8, 9]


def test_title_rows_above_and_totals_notes_dates_and_signatures_below_are_left_out(make_params):
    year = load_year(make_params([{"path": "tables/footer.csv", **PROVINCE}]))
    assert _triples(year.scores) == PROVINCES
    assert year.sources[0].rows == 6
    path = FIXTURES / "tables" / "footer.csv"
    assert list(read_table(path, InputFile(path=str(path), unit_type="province")).cells.index) == FOOTER_ROWS


def test_a_header_repeated_inside_the_table_is_left_out(make_params):
    year = load_year(make_params([{"path": "tables/repeated_header.csv", **PROVINCE}]))
    assert _triples(year.scores) == PROVINCES
    path = FIXTURES / "tables" / "repeated_header.csv"
    table = read_table(path, InputFile(path=str(path), unit_type="province"))
    assert list(table.cells.index) == [2, 3, 4, 6, 7, 9]


def _sheet(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _positions_workbook(path: Path) -> Path:
    """A sheet whose header (row 4) names no column the aliases know, under a title row that names the score
    column, with a second table below the first: detection alone would take the title for the header."""
    return _sheet(
        path,
        [
            ["Phụ lục 1"],
            ["Kết quả năm 2020", None, None, "Chỉ số"],
            [],
            ["TT", "Tên", None, "Hạng"],
            [1, "Quảng Ninh", 91.04, 1],
            [2, "Hải Phòng", 90.51, 2],
            [3, "Thừa Thiên Huế", 88.47, 3],
            [4, "Hà Nội", 86.07, 4],
            [5, "TP.HCM", 84.92, 5],
            [6, "Hà Nam", 82.71, 6],
            [],
            ["Bảng 2. Các tỉnh đánh giá thử"],
            [1, "Bình Dương", 80.00, None],
        ],
    )


@pytest.mark.parametrize("score", ["C", "c", 3, "3"])
def test_header_row_last_row_and_columns_named_by_letter_or_number(make_params, tmp_path, score):
    path = _positions_workbook(tmp_path / "results.xlsx")
    columns = {"unit": "B", "score": score, "rank": "Hạng", "ignore": ["TT"]}
    spec = {"path": str(path), **PROVINCE, "header_row": 4, "last_row": 10, "columns": columns}
    year = load_year(make_params([spec]))
    assert _triples(year.scores) == PROVINCES
    assert year.sources[0].rows == 6
    table = read_table(path, InputFile(**{**spec, "unit_type": "province"}))
    assert table.headers == {"unit": "Tên", "score": "C", "rank": "Hạng"}
    assert list(table.cells.index) == [5, 6, 7, 8, 9, 10]


def test_a_header_that_reads_like_a_letter_wins_over_the_position(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("Tỉnh/thành phố,D,E\nHà Nội,86.07,1\n", encoding="utf-8")
    table = read_table(path, InputFile(path=str(path), unit_type="province", columns={"score": "D"}))
    assert table.headers == {"unit": "Tỉnh/thành phố", "score": "D"}
    assert list(table.cells["score"]) == ["86.07"]


def test_a_score_column_with_an_empty_header_named_by_its_letter(make_params):
    spec = {"path": "tables/empty_header.csv", **PROVINCE, "columns": {"score": "C"}}
    assert _triples(load_year(make_params([spec])).scores) == PROVINCES


def test_the_index_name_heads_its_score_column(make_params):
    index = {"name": "PCI", "title": {"vi": "Chỉ số năng lực cạnh tranh", "en": "Competitiveness index"}}
    params = make_params(
        [{"path": "tables/index_name.csv", **PROVINCE}], index={**index, "slug": "pci", "decimals": 2}
    )
    assert _triples(load_year(params).scores) == PROVINCES
    path = FIXTURES / "tables" / "index_name.csv"
    titled = path.read_text(encoding="utf-8").replace("PCI", "Competitiveness Index")
    (params.root / "titled.csv").write_text(titled, encoding="utf-8")
    again = check_file(params, params.root / "titled.csv", provenance="published")
    assert _triples(again.scores) == PROVINCES


def test_the_companion_name_heads_the_score_column_of_its_inputs(make_params, tmp_path):
    path = tmp_path / "companion.csv"
    path.write_text(
        (FIXTURES / "tables" / "index_name.csv").read_text(encoding="utf-8").replace("PCI", "SIPAS"),
        encoding="utf-8",
    )
    params = make_params(
        [{"path": "good/provinces.csv", **PROVINCE}], companion=[{"path": str(path), **PROVINCE}]
    )
    assert _triples(load_year(params).companion) == PROVINCES


def test_a_semicolon_file_whose_header_and_numbers_hold_commas(make_params):
    year = load_year(make_params([{"path": "tables/semicolon_comma_header.csv", **PROVINCE}]))
    assert _triples(year.scores) == [(code, score, None) for code, score, _ in PROVINCES]


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("Tỉnh;Điểm, %\nHà Nội;83,72\nHải Phòng;84,5\n", ";"),
        ("Tỉnh,Điểm\nHà Nội,83.72\nHải Phòng,84.5\n", ","),
        ("Tỉnh\tĐiểm, %\nHà Nội\t83,72\nHải Phòng\t84,5\n", "\t"),
        ("STT;Tỉnh, thành phố;Điểm, %\n1;Hà Nội;83,72\n2;Hải Phòng;84,50\n", ";"),
        ('Tỉnh,"Điểm; %"\nHà Nội,"83,72"\nHải Phòng,"84,5"\n', ","),
    ],
)
def test_the_separator_is_decided_by_every_line(text, separator):
    assert _delimiter(text) == separator


def test_the_rows_left_out_are_logged(caplog):
    path = FIXTURES / "tables" / "footer.csv"
    with caplog.at_level(logging.INFO, logger="parindex.data.ingest"):
        read_table(path, InputFile(path=str(path), unit_type="province"), label="footer.csv")
    assert [r.getMessage() for r in caplog.records if "left out" in r.getMessage()] == [
        "footer.csv: row 11 left out, of totals or means",
        "footer.csv: rows 12, 13, 14, 15, 16, 17, 18 left out, ending the table (notes, dates, signatures)",
    ]
    repeated = FIXTURES / "tables" / "repeated_header.csv"
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="parindex.data.ingest"):
        read_table(repeated, InputFile(path=str(repeated), unit_type="province"), label="repeated.csv")
    assert [r.getMessage() for r in caplog.records if "left out" in r.getMessage()] == [
        "repeated.csv: rows 5, 8 left out, repeating the header"
    ]
