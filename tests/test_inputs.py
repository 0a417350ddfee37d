"""Hostile and unusual inputs: bounded reading, and a message with a fix for every ordinary failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import openpyxl
import pytest
import yaml
from openpyxl.chart import BarChart, Reference

from parindex.cli import main
from parindex.limits import MAX_COLUMNS, MAX_ROWS

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
TINY = str(FIXTURES / "params" / "tiny.yaml")
GOOD = (FIXTURES / "good" / "provinces.csv").read_text(encoding="utf-8")
PUBLISHED = ["--params", TINY, "--provenance", "published"]
SRC = str(Path(__file__).resolve().parents[1] / "src")


def _validate(capsys, path: Path | str, *extra: str) -> tuple[int, str]:
    code = main(["validate", str(path), *PUBLISHED, *extra])
    return code, capsys.readouterr().err


def _measured(argv: list[str], cwd: Path, prefix: tuple[str, ...] = ()) -> tuple[int, str, float, float]:
    """Runs parindex.cli.main(argv) in a fresh process: exit code, stderr, seconds, peak memory in MB."""
    script = (
        "import resource, sys\n"
        "from parindex.cli import main\n"
        f"code = main({argv!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stdout)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC, "HOME": str(cwd)}
    started = time.monotonic()
    result = subprocess.run(
        [*prefix, sys.executable, "-c", script], cwd=cwd, env=env, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    return result.returncode, result.stderr, seconds, int(result.stdout.split()[-1]) / 1024


def _sheet(rows: list[list], path: Path) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _table() -> list[list]:
    return [row.split(",") for row in GOOD.splitlines()]


def test_a_cell_at_the_last_column_and_row_costs_one_cell_not_a_grid(tmp_path):
    book = openpyxl.Workbook()
    book.active["XFD1048576"] = 1
    path = tmp_path / "far.xlsx"
    book.save(path)
    code, err, seconds, megabytes = _measured(["validate", str(path), *PUBLISHED], tmp_path)
    assert code == 2
    assert err == (
        f"1 problem found:\n  {path}, row 1048576: cell XFD1048576 holds a value, beyond the 200 columns a "
        "table may have\n    fix: keep the table within its first 200 columns: delete what lies to the right "
        "of it\n"
    )
    assert seconds < 10
    assert megabytes < 500


def test_a_million_rows_are_refused_while_streaming(tmp_path):
    path = tmp_path / "million.csv"
    lines = (f"Unit {n},50\n" for n in range(1_000_000))
    path.write_text("Tỉnh/thành phố,Chỉ số\n" + "".join(lines), encoding="utf-8")
    code, err, seconds, megabytes = _measured(["validate", str(path), *PUBLISHED], tmp_path)
    assert code == 2
    assert err == (
        f"1 problem found:\n  {path}, row {MAX_ROWS + 1}: the file has more than 10,000 rows holding values, "
        "the most a table may have\n    fix: check that this is the results table (one row per unit); "
        "delete the rows that are not part of it\n"
    )
    assert seconds < 10
    assert megabytes < 500


def test_a_rank_too_large_for_any_number_type_is_a_problem(capsys, tmp_path):
    path = tmp_path / "rank.csv"
    path.write_text(GOOD.replace("91.04,1", "91.04,123456789012345678901"), encoding="utf-8")
    code, err = _validate(capsys, path)
    assert code == 2
    assert (
        f"  {path}, row 2, column 'Xếp hạng': the rank '123456789012345678901' is larger than any rank can "
        "be (at most 1,000,000)\n    fix: write the unit's rank: 1, 2, 3 … up to the number of units "
        "ranked, or leave it empty\n"
    ) in err


def _patched(path: Path, old: bytes, new: bytes) -> Path:
    """Replaces bytes in the first sheet's XML, to write what openpyxl would not."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old in parts[sheet]
    parts[sheet] = parts[sheet].replace(old, new)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_huge_integer_in_a_workbook_is_a_problem(capsys, tmp_path):
    rows = _table()
    rows[1][3] = 1
    path = _sheet(rows, tmp_path / "rank.xlsx")
    huge = "9" * 400
    _patched(path, b'<c r="D2" t="n"><v>1</v></c>', f'<c r="D2" t="n"><v>{huge}</v></c>'.encode())
    code, err = _validate(capsys, path)
    assert code == 2
    assert (
        f"row 2, column 'Xếp hạng': the rank '{huge}' is larger than any rank can be (at most 1,000,000)"
        in err
    )


def _with_row(path: Path, number: int) -> Path:
    """Adds a row numbered `number` to the first sheet, as no spreadsheet program would."""
    row = f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>x</t></is></c></row>'
    return _patched(path, b"</sheetData>", row.encode() + b"</sheetData>")


def test_a_sheet_beyond_the_last_row_of_the_format(capsys, tmp_path):
    path = _sheet(_table(), tmp_path / "long.xlsx")
    _with_row(path, 1_048_577)
    code, err = _validate(capsys, path)
    assert code == 2
    assert err == (
        f"1 problem found:\n  {path}, row 1048577: the sheet has a row 1,048,577, beyond row 1,048,576, the "
        "last an XLSX sheet can have\n    fix: the workbook was not written by a spreadsheet program: open "
        "it in Excel or LibreOffice and save it again, or save the table as CSV\n"
    )


def test_a_formula_without_a_saved_value(capsys, tmp_path):
    rows = _table()
    rows[3][2] = "=B4*2"
    code, err = _validate(capsys, _sheet(rows, tmp_path / "formula.xlsx"))
    assert code == 2
    assert err == (
        f"1 problem found:\n  {tmp_path / 'formula.xlsx'}, row 4: cell C4 holds a formula with no saved "
        "value\n    fix: open the workbook in Excel or LibreOffice and save it (its formulas' values are "
        "then saved too), or paste the values in place of the formulas\n"
    )


def _chart_first(path: Path, with_table: bool = True) -> Path:
    book = openpyxl.Workbook()
    for row in _table():
        book.active.append([int(c) if c.isdigit() else c for c in row])
    chart = BarChart()
    chart.add_data(Reference(book.active, min_col=3, min_row=1, max_row=7))
    book.create_chartsheet("Biểu đồ", 0).add_chart(chart)
    if not with_table:
        book.remove(book["Sheet"])
    book.save(path)
    return path


def test_a_chart_sheet_first_is_passed_over(capsys, tmp_path):
    path = _chart_first(tmp_path / "chart.xlsx")
    assert main(["validate", str(path), *PUBLISHED]) == 0
    assert capsys.readouterr().out == f"{path}: 6 province units, mean 87.29\n"


def test_a_chart_sheet_named_or_alone(capsys, tmp_path):
    path = _chart_first(tmp_path / "chart.xlsx")
    code, err = _validate(capsys, path, "--sheet", "Biểu đồ")
    assert code == 2
    assert err == (
        f"1 problem found:\n  {path}: sheet 'Biểu đồ' is a chart sheet: it holds no cells\n"
        "    fix: name a sheet holding the table: 'Sheet'\n"
    )
    alone = _chart_first(tmp_path / "alone.xlsx", with_table=False)
    code, err = _validate(capsys, alone)
    assert code == 2
    assert err == (
        f"1 problem found:\n  {alone}: the workbook holds only chart sheets ('Biểu đồ'), no table\n"
        "    fix: put the results table on a worksheet of the workbook, or save it as CSV\n"
    )


def test_a_symbolic_link_loop_as_input(capsys, tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    code, err = _validate(capsys, tmp_path / "a.csv")
    assert code == 2
    assert err == (
        f"1 problem found:\n  {tmp_path / 'a.csv'}: the path is a symbolic link that leads back to itself "
        "(a loop)\n    fix: point the link at the file itself, or give the file's own path\n"
    )


def test_a_folder_as_input(capsys, tmp_path):
    (tmp_path / "results.csv").mkdir()
    code, err = _validate(capsys, tmp_path / "results.csv")
    assert code == 2
    assert err == (
        f"1 problem found:\n  {tmp_path / 'results.csv'}: this is a folder, not a file\n"
        "    fix: name a file (for instance one inside this folder)\n"
    )


def _params(folder: Path, **changes) -> Path:
    raw = yaml.safe_load(Path(TINY).read_text(encoding="utf-8"))
    raw.update(units_dir=str(FIXTURES / "units"), companion=None)
    raw["inputs"] = [{"path": str(FIXTURES / "good" / "provinces.csv"), **PROVINCE}]
    raw.update(changes)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2020.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


PROVINCE = {"unit_type": "province", "provenance": "published"}


def test_loops_and_folders_named_in_params(capsys, tmp_path):
    (tmp_path / "loop.csv").symlink_to(tmp_path / "loop.csv")
    (tmp_path / "folder.csv").mkdir()
    inputs = [{"path": str(tmp_path / name), **PROVINCE} for name in ("loop.csv", "folder.csv")]
    params = _params(tmp_path / "params", inputs=inputs)
    assert main(["validate", "--params", str(params)]) == 2
    assert capsys.readouterr().err == (
        f"2 problems found:\n  {params}, key 'inputs.0.path': input {tmp_path / 'loop.csv'}: the path is a "
        "symbolic link that leads back to itself (a loop)\n    fix: point the link at the file itself, or "
        f"give the file's own path\n  {params}, key 'inputs.1.path': input {tmp_path / 'folder.csv'}: "
        "this is a folder, not a file\n    fix: name a file (for instance one inside this folder)\n"
    )


def test_deeply_nested_params(capsys, tmp_path):
    params = tmp_path / "params" / "2020.yaml"
    params.parent.mkdir()
    params.write_text("index: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert main(["validate", "--params", str(params)]) == 2
    assert capsys.readouterr().err == (
        f"1 problem found:\n  {params}: lists or mappings are nested too deeply to be read\n"
        "    fix: params are a few levels deep: write them as in params/2020.yaml\n"
    )


def test_a_units_dir_without_unit_sets(capsys, tmp_path):
    (tmp_path / "units").mkdir()
    params = _params(tmp_path / "params", units_dir="units")
    assert main(["validate", "--params", str(params)]) == 2
    assert capsys.readouterr().err == (
        f"1 problem found:\n  {params}, key 'units_dir': units_dir: no unit sets (sets.yaml) in "
        f"{tmp_path / 'units'}\n    fix: point units_dir at the folder of the unit sets and registers (e.g. "
        f"data/units), relative to the project folder {tmp_path}\n"
    )


def test_a_params_file_outside_the_params_folder(capsys, tmp_path):
    params = tmp_path / "elsewhere" / "2020.yaml"
    params.parent.mkdir()
    shutil.copy(ROOT / "params" / "2020.yaml", params)
    assert main(["validate", "--params", str(params)]) == 2
    err = capsys.readouterr().err
    assert (
        f"  {params}, key 'units_dir': the params file is not in a folder named params, so its paths are "
        f"read from {tmp_path}, where units_dir data/units holds no unit sets (sets.yaml)\n    fix: keep "
        "params files in the params/ folder of the project: their paths are relative to the project folder, "
        "the parent of params/\n"
    ) in err
    assert "internal error" not in err


def _project(folder: Path) -> Path:
    """A project with a params file and a report notebook taking a build's parameters; its params folder."""
    from parindex.data.params import load_params
    from parindex.pipeline.build import Report

    params = _params(folder / "params")
    cell = nbformat.v4.new_code_cell(
        "\n".join(f'{name} = ""' for name in Report(load_params(params)).parameters(Path())),
        metadata={"tags": ["parameters"]},
    )
    (folder / "notebooks").mkdir()
    kernel = {"name": "parindex", "language": "python", "display_name": "parindex"}
    notebook = nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": kernel})
    nbformat.write(notebook, folder / "notebooks" / "yearly_report.ipynb")
    return folder / "params"


def test_a_read_only_folder_is_named_with_the_system_reason(tmp_path):
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root writes anywhere: take away its right to override permissions
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner")
    work = tmp_path / "work"
    work.mkdir(mode=0o555)
    argv = ["prepare", "--year", "2020", "--params-dir", str(_project(tmp_path)), "--work-dir", str(work)]
    try:
        code, err, _, _ = _measured(argv, tmp_path, prefix)
    finally:
        work.chmod(0o755)
    assert code == 2
    assert err == (
        f"parindex: cannot write {work / '2020'}: Permission denied\n    fix: check that you may write it "
        "(its permissions and its folder's), or choose another place\n"
    )


def test_a_full_disk_is_named_with_the_system_reason(capsys, tmp_path):
    target = tmp_path / "work" / "2020" / "par_index_2020.ipynb"
    target.parent.mkdir(parents=True)
    target.symlink_to("/dev/full")  # every write to it fails with ENOSPC, like a full disk
    argv = [
        "prepare",
        "--year",
        "2020",
        "--params-dir",
        str(_project(tmp_path)),
        "--work-dir",
        str(target.parents[1]),
    ]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "parindex: cannot write /dev/full: No space left on device\n    fix: free some space on that disk, "
        "or choose a folder on another disk\n"
    )


def test_too_many_columns_long_cells_and_large_files(capsys, tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(GOOD.replace("91.04,1", "91.04,1" + "," * MAX_COLUMNS + "x"), encoding="utf-8")
    code, err = _validate(capsys, wide)
    assert (code, err) == (
        2,
        f"1 problem found:\n  {wide}, row 2: field 204 of line 2 holds a value, beyond the 200 columns a "
        "table may have\n    fix: keep the table within its first 200 columns: delete what lies to the "
        "right of it\n",
    )
    long = tmp_path / "long.csv"
    long.write_text(GOOD.replace("Hà Nam", "Hà Nam" + "a" * 1000), encoding="utf-8")
    code, err = _validate(capsys, long)
    assert (code, err) == (
        2,
        f"1 problem found:\n  {long}, row 7: field 2 of line 7 holds 1,006 characters, more than the 1,000 a "
        "cell may have\n    fix: shorten it: a cell holds a unit's name, a number or a short note\n",
    )
    large = tmp_path / "large.csv"
    with large.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    code, err = _validate(capsys, large)
    assert (code, err) == (
        2,
        f"1 problem found:\n  {large}: the file is 60 MB, more than the 50 MB a file may be\n    fix: check "
        "that this is the right file: a results table of one row per unit is far smaller; save the table "
        "alone (without other sheets or pictures), or as CSV\n",
    )


def test_a_workbook_that_unpacks_to_too_much(capsys, tmp_path):
    path = _sheet(_table(), tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/padding.bin", "w") as part:
            for _ in range(101):
                part.write(bytes(1024 * 1024))
    code, err = _validate(capsys, path)
    assert code == 2
    assert f"  {path}: the workbook unpacks to 10" in err
    assert "bytes, more than the 104,857,600 a workbook may hold\n" in err


def test_a_long_problem_list_is_capped_and_the_rest_counted_per_kind(capsys, tmp_path):
    path = tmp_path / "unknown.csv"
    rows = [f"Nowhere {n},{50 if n < 110 else ''}" for n in range(120)]
    path.write_text("Tỉnh/thành phố,Chỉ số\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, err = _validate(capsys, path)
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == "131 problems found (the first 50 listed):"
    assert lines[-1] == "  … and 81 more problems: 70 unknown unit names, 10 empty scores, 1 missing units"
    assert sum(line.startswith("    fix:") for line in lines) == 50
    assert len(lines) == 1 + 50 * 2 + 1
