import openpyxl
import pandas as pd

from parindex.data.units import Regions
from parindex.i18n import lang
from parindex.reports.tables import neutralise, read_table, with_region_names, write_csv, write_workbook


def test_a_table_is_utf8_with_a_bom_and_no_cell_runs_as_a_formula(tmp_path):
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "Hà Nội"],
            "score": [1.0, -1.6, 2.25, 0.0, 8.2],
            "rank": [1, 2, 3, 4, 5],
        }
    )
    path = tmp_path / "t.csv"
    write_csv(frame, path, "%.2f")
    assert path.read_bytes() == (
        "\ufeffname,score,rank\r\n"
        '"\'=HYPERLINK(""x"")",1.00,1\r\n'
        "'+cmd|' /C calc'!A0,-1.60,2\r\n"
        "'-2+3,2.25,3\r\n"
        "'@SUM(A1),0.00,4\r\n"
        "Hà Nội,8.20,5\r\n"
    ).encode("utf-8")


def test_tabs_carriage_returns_and_formula_headers_are_neutralised(tmp_path):
    frame = pd.DataFrame({"=1+1": ["\tx", "\rx", "x=1", None]})
    path = tmp_path / "t.csv"
    write_csv(frame, path)
    assert path.read_bytes() == '\ufeff\'=1+1\r\n\'\tx\r\n"\'\rx"\r\nx=1\r\n""\r\n'.encode()


def test_numbers_and_text_that_is_only_a_number_stay_as_they_are():
    assert neutralise(-1.6) == -1.6
    assert neutralise(-3) == -3
    assert neutralise("-1.6") == "-1.6"
    assert neutralise("+2") == "+2"
    assert neutralise("-") == "'-"
    assert neutralise("-1e5+A1") == "'-1e5+A1"
    assert neutralise("Hà Nội") == "Hà Nội"
    assert neutralise(None) is None


def test_a_categorical_column_is_neutralised(tmp_path):
    frame = pd.DataFrame({"band": pd.Categorical(["=A1", "High"])})
    write_csv(frame, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == "\ufeffband\r\n'=A1\r\nHigh\r\n".encode()


def test_a_workbook_holds_every_table_with_headings_in_each_language(tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    frame = pd.DataFrame(
        {
            "rank": [1, 2],
            "code": ["01", "22"],
            "name": ["Hà Nội\x1b[31m", "=HYPERLINK(1)"],
            "score": [86.07, None],
        }
    )
    write_csv(frame, tables / "provinces.csv")
    write_csv(pd.DataFrame({"year": [2020], "mean": [83.72]}), tables / "means.csv")
    path = write_workbook(tables, tmp_path / "report.xlsx", [lang("vi"), lang("en")])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["means", "provinces"]
    rows = [[cell.value for cell in row] for row in book["provinces"].iter_rows()]
    assert rows == [
        ["Xếp hạng", "Mã", "Tên", "Điểm số"],
        ["Rank", "Code", "Name", "Score"],
        [1, "01", "Hà Nội[31m", 86.07],  # a control character no workbook may hold is dropped
        [2, "22", "'=HYPERLINK(1)", None],
    ]
    assert book["provinces"].freeze_panes == "A3"
    assert write_workbook(tmp_path / "none", tmp_path / "empty.xlsx", [lang("en")]) is None


def test_a_table_is_read_back_typed_per_column_as_pandas_reads_it(tmp_path):
    table = tmp_path / "t.csv"
    table.write_bytes(
        "\ufeffcode,rank,score,simulated,name,change\r\n"
        "01,1,86.07,True,Hà Nội,\r\n"
        "22,,8e1,false,'=A1,-1\r\n"
        "0,3,.5,,12,+2\r\n".encode()
    )
    assert read_table(table) == (
        ["code", "rank", "score", "simulated", "name", "change"],
        [
            ["01", 1, 86.07, True, "Hà Nội", None],
            ["22", None, 80.0, False, "'=A1", -1],
            ["0", 3, 0.5, None, "12", 2],
        ],
    )
    frame = pd.read_csv(
        table, encoding="utf-8-sig", dtype={"code": str}, keep_default_na=False, na_values=[""]
    )
    as_pandas = [
        [None if pd.isna(value) else value for value in row] for row in frame.itertuples(index=False)
    ]
    assert as_pandas == read_table(table)[1]  # the values the workbook held when pandas read the tables
    (tmp_path / "empty.csv").write_text("")
    assert read_table(tmp_path / "empty.csv") == ([], [])
    (tmp_path / "heading.csv").write_text("code,score\r\n")
    assert read_table(tmp_path / "heading.csv") == (["code", "score"], [])


def test_region_codes_are_named_in_both_languages():
    regions = Regions({"RRD": "Đồng bằng sông Hồng"}, {"RRD": "Red River Delta"}, {"RRD": "Red River Delta"})
    frame = pd.DataFrame({"code": ["01", "MOJ"], "region": ["RRD", None]})
    named = with_region_names(frame, regions)
    assert list(named.columns) == ["code", "region", "region_vi", "region_en"]
    assert named.iloc[0].tolist() == ["01", "RRD", "Đồng bằng sông Hồng", "Red River Delta"]
    assert named.iloc[1][["region_vi", "region_en"]].isna().all()
