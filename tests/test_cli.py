import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import yaml

from parindex.cli import main
from parindex.errors import printable

FIXTURES = Path(__file__).parent / "fixtures"

PARINDEX = Path(sys.executable).parent / "parindex"
TINY = str(FIXTURES / "params" / "tiny.yaml")
PARAMS = str(Path(__file__).resolve().parents[1] / "params")


def test_validate_every_input_of_a_year(capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    assert main(["validate", "--params", "params/tiny.yaml"]) == 0
    out, err = capsys.readouterr()
    assert out == (
        "good/provinces.csv: 6 province units, mean 87.29\n"
        "good/ministries.csv: 3 ministry units, mean 90.46\n"
        "good/sipas.csv: 6 province units, mean 85.26\n"
    )
    assert err == ""


def test_validate_one_file_takes_its_unit_type_from_params(capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    assert main(["validate", "good/ministries.csv", "--params", "params/tiny.yaml"]) == 0
    assert capsys.readouterr().out == "good/ministries.csv: 3 ministry units, mean 90.46\n"


def test_validate_one_file_with_a_unit_type(capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    argv = [
        "validate",
        "good/mixed.csv",
        "--params",
        TINY,
        "--unit-type",
        "column",
        "--provenance",
        "published",
    ]
    assert main(argv) == 0
    assert (
        capsys.readouterr().out
        == "good/mixed.csv: 6 province units, mean 87.29; 3 ministry units, mean 90.46\n"
    )


def test_validate_a_sheet_of_a_workbook(capsys, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Tỉnh"
    sheet = book.create_sheet("Bộ")
    sheet.append(["Bảng 2. Các bộ, ngành"])
    sheet.append(["Bộ, ngành", "Điểm", "Hạng"])
    sheet.append(["Bộ Tư pháp", 90.01, 3])
    sheet.append(["Bộ Tài chính", 90.31, 2])
    sheet.append(["NHNN", 91.05, 1])
    path = tmp_path / "results.xlsx"
    book.save(path)
    argv = ["validate", str(path), "--params", TINY, "--unit-type", "ministry", "--sheet", "Bộ"]
    assert main([*argv, "--provenance", "published"]) == 0
    assert capsys.readouterr().out == f"{path}: 3 ministry units, mean 90.46\n"


def test_a_bad_file_lists_its_problems_and_exits_2(capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    argv = [
        "validate",
        "bad/several_problems.csv",
        "--params",
        "params/tiny.yaml",
        "--provenance",
        "simulated",
    ]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(
        "7 problems found:\n  bad/several_problems.csv, row 3, column 'Chỉ số': the score is empty\n"
    )
    assert "    fix: write the unit's score\n" in err


def test_bad_params_exit_2(capsys, tmp_path):
    raw = yaml.safe_load(Path(TINY).read_text(encoding="utf-8")) | {"colour": "red"}
    (tmp_path / "params").mkdir()
    path = tmp_path / "params" / "2020.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert main(["validate", "--params", str(path)]) == 2
    assert f"{path}, key 'colour': unknown key 'colour'" in capsys.readouterr().err


def test_missing_params_file_exits_2(capsys, tmp_path):
    assert main(["validate", "--params", str(tmp_path / "2030.yaml")]) == 2
    assert f"{tmp_path / '2030.yaml'}: params file not found" in capsys.readouterr().err


def test_a_missing_register_is_bad_input(tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    (units / "sets.yaml").write_text("p:\n  register: absent.csv\n  codes: all\n", encoding="utf-8")
    raw = yaml.safe_load(Path(TINY).read_text(encoding="utf-8"))
    raw.update(units={"province": "p"}, units_dir=str(units), companion=None)
    raw["inputs"] = [{"path": str(FIXTURES / "good" / "provinces.csv"), "unit_type": "province"}]
    (tmp_path / "params").mkdir()
    params = tmp_path / "params" / "2020.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [str(PARINDEX), "validate", "--params", str(params)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "set 'p' names the register absent.csv, which does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bug_is_reported_in_one_line_and_exits_1(tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    # A set whose codes are a number, not a list: nothing checks it, so reading it fails inside parindex.
    (units / "sets.yaml").write_text("p:\n  register: broken.csv\n  codes: 5\n", encoding="utf-8")
    (units / "broken.csv").write_text("code,name_vi,name_en\n01,Hà Nội,Hanoi\n", encoding="utf-8")
    raw = yaml.safe_load(Path(TINY).read_text(encoding="utf-8"))
    raw.update(units={"province": "p"}, units_dir=str(units), companion=None)
    raw["inputs"] = [{"path": str(FIXTURES / "good" / "provinces.csv"), "unit_type": "province"}]
    (tmp_path / "params").mkdir()
    params = tmp_path / "params" / "2020.yaml"
    params.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [str(PARINDEX), "validate", "--params", str(params)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert result.stderr.startswith("parindex: internal error (")
    assert result.stderr.endswith("please report it with the command you ran\n")
    assert "Traceback" not in result.stderr


def test_console_script_success_and_usage_errors():
    ok = subprocess.run(
        [str(PARINDEX), "validate", "--params", "params/tiny.yaml"],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (ok.returncode, ok.stderr) == (0, "")
    assert ok.stdout.splitlines()[0] == "good/provinces.csv: 6 province units, mean 87.29"
    usage = subprocess.run([str(PARINDEX)], capture_output=True, text=True, check=False)
    assert usage.returncode == 2
    assert "the following arguments are required: command" in usage.stderr


def test_validate_without_params_checks_every_year_and_a_lone_file_asks_for_its_year(tmp_path):
    root = Path(__file__).resolve().parents[1]
    every = subprocess.run([str(PARINDEX), "validate"], cwd=root, capture_output=True, text=True, check=False)
    assert every.returncode == 0, every.stderr
    lines = every.stdout.splitlines()
    assert len(lines) == 3 * len(list((root / "params").glob("*.yaml"))) + 3  # and three years' components
    assert [line for line in lines if "component" in line] == [
        "data/demo/2020/province_components.csv: 252 component values of 63 units",  # 4 parts × 63
        "data/demo/2023/province_components.csv: 504 component values of 63 units",  # 8 areas × 63
        "data/demo/2024/province_components.csv: 504 component values of 63 units",
    ]
    lone = subprocess.run(
        [str(PARINDEX), "validate", "data/demo/2020/provinces.csv"], cwd=root, capture_output=True, text=True
    )
    assert lone.returncode == 2
    expected = "data/demo/2020/provinces.csv: which year is it?\n    fix: add --params params/<year>.yaml"
    assert expected in lone.stderr


def test_validate_echoes_no_terminal_escapes_from_names_or_file_names(capsys, tmp_path):
    text = (FIXTURES / "good" / "provinces.csv").read_text(encoding="utf-8")
    text = text.replace("Hà Nội", "\x1b[31mHà Nội\x1b[0m").replace("Hải Phòng", "Hải\x07Phòng")
    path = tmp_path / "a\x1b]0;owned\x07b.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path), "--params", TINY, "--provenance", "published"]) == 2
    err = capsys.readouterr().err
    shown = f"{tmp_path}/ab.csv"
    assert f"  {shown}, row 3, column 'Tỉnh/thành phố': 'HảiPhòng' is not a unit of this set\n" in err
    assert "    fix: did you mean 'Hải Phòng'?\n" in err
    assert f"  {shown}, row 5, column 'Tỉnh/thành phố': 'Hà Nội' is not a unit of this set\n" in err
    assert "\x1b" not in err
    assert "\x07" not in err


def test_printable_removes_escape_sequences_and_control_characters():
    assert printable("\x1b[31mHà Nội\x1b[0m") == "Hà Nội"
    assert printable("Hà\x07Nội") == "HàNội"
    assert printable("a\x1b]0;title\x07b") == "ab"  # a window title
    assert printable("a\x1b]8;;http://x\x1b\\b") == "ab"  # a hyperlink
    assert printable("a\x9b2Jb\x85c") == "a2Jbc"  # C1 controls
    assert printable("a\rb\x00c\x7fd") == "abcd"
    assert printable("line\n\tindented") == "line\n\tindented"
    assert printable("lone\x1b") == "lone"
    assert printable(12) == "12"


def test_build_refuses_a_language_without_a_catalog_before_anything_runs(capsys, tmp_path):
    assert main(["build", "--lang", "fr", "--params-dir", str(tmp_path), "--output-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "language: no catalog for language 'fr'; the languages are vi, en" in err
    assert "choose one of vi, en, or add locales/fr/LC_MESSAGES/parindex.po to parindex.i18n" in err
    assert not list(tmp_path.iterdir())


def test_peers_apply_to_profiles_only_and_need_codes(capsys):
    assert main(["build", "--year", "2020", "--peers", "01,31", "--params-dir", PARAMS]) == 2
    assert capsys.readouterr().err == (
        "1 problem found:\n  --peers: a peer group applies to the profiles only\n"
        "    fix: add --profiles, or leave --peers out\n"
    )
    assert main(["prepare", "--year", "2020", "--peers", "01", "--params-dir", PARAMS]) == 2
    assert "--peers: a peer group applies to a profile only" in capsys.readouterr().err
    assert main(["build", "--profiles", "--year", "2020", "--peers", " , ", "--params-dir", PARAMS]) == 2
    assert (
        "--peers: no unit code given\n    fix: give the codes of the units, e.g. --peers 01,31,48"
        in capsys.readouterr().err
    )


def test_unknown_peer_codes_stop_the_profiles_before_any_kernel(capsys, tmp_path):
    code = main(
        [
            "build",
            "--profiles",
            "--year",
            "2019",
            "--year",
            "2020",
            "--peers",
            "1,31,99",
            "--params-dir",
            PARAMS,
            "--output-dir",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert capsys.readouterr().err == (
        "2 problems found:\n"
        "  --peers: '1' is not the code of a province of provinces_63\n    fix: did you mean '01'?\n"
        "  --peers: '99' is not the code of a province of provinces_63\n"
        "    fix: use the code of a province of provinces_63, e.g. '01'\n"
    )
    assert not any(tmp_path.iterdir())


def test_prepare_a_profile_with_peers_injects_them(tmp_path):
    assert (
        main(
            [
                "prepare",
                "--year",
                "2020",
                "--profile",
                "46",
                "--peers",
                "01,48",
                "--params-dir",
                PARAMS,
                "--work-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    notebook = nbformat.read(tmp_path / "2020" / "par_index_2020_thua_thien_hue_46.ipynb", as_version=4)
    injected = next(c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'peers = "01,48"' in injected.source and 'unit_code = "46"' in injected.source
