"""Generated bad inputs: validate answers each with exit 0 or 2 and a message naming the file, never a bug."""

from __future__ import annotations

import io
import random
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, Reference

from parindex.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
TINY = str(FIXTURES / "params" / "tiny.yaml")
GOOD = (FIXTURES / "good" / "provinces.csv").read_text(encoding="utf-8")
SEED = 20240612
CASES = 100


def _rows() -> list[list[str]]:
    return [line.split(",") for line in GOOD.splitlines()]


def _workbook(rows: list[list], chart: bool = False, extra: Callable | None = None) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    if chart:
        sheet = book.create_chartsheet("Chart", 0)
        bars = BarChart()
        bars.add_data(Reference(book.active, min_col=3, min_row=1, max_row=len(rows)))
        sheet.add_chart(bars)
    if extra is not None:
        extra(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _huge(rng: random.Random) -> str:
    return rng.choice(["9" * rng.randint(20, 900), "1e400", "-0", "nan", "inf", "٣", "1_000", "0x1F", "½"])


def _mangle(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(chars))
        chars[at] = rng.choice(["", "\x00", "\ufeff", '"', ";", "\t", "\u0301", "\x1b[31m", "Đ", "?", "\r"])
    return "".join(chars)


def _csv(rng: random.Random) -> tuple[str, bytes]:
    """One bad CSV: truncated, random bytes, another encoding, mangled header, huge numbers, BOMs, empty."""
    kind = rng.randrange(9)
    text = GOOD
    if kind == 0:
        return "truncated", GOOD.encode()[: rng.randrange(len(GOOD.encode()))]
    if kind == 1:
        return "random bytes", rng.randbytes(rng.randint(0, 400))
    if kind == 2:
        encoding = rng.choice(["utf-16", "utf-16-le", "utf-32", "cp1258", "latin-1", "utf-7"])
        return f"in {encoding}", text.encode(encoding, errors="replace")
    if kind == 3:
        lines = text.splitlines()
        lines[0] = _mangle(rng, lines[0])
        return "mangled header", "\n".join(lines).encode("utf-8", errors="surrogatepass")
    if kind == 4:
        rows = _rows()
        for _ in range(rng.randint(1, 5)):
            rows[rng.randint(1, len(rows) - 1)][rng.choice([2, 3])] = _huge(rng)
        return "huge numbers", "\n".join(",".join(r) for r in rows).encode()
    if kind == 5:
        bom = rng.choice(
            [b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb"]
        )
        return "BOM variant", bom + text.encode()
    if kind == 6:
        return "empty", rng.choice([b"", b"\n", b"\r\n\r\n", b"\xef\xbb\xbf", b",,,\n;;;", b"   "])
    if kind == 7:
        return "mangled body", _mangle(rng, text).encode("utf-8", errors="surrogatepass")
    rows = _rows()
    rows[rng.randint(1, len(rows) - 1)] = ['"unclosed', "x" * rng.randint(0, 3000)]
    return "broken quotes and long cells", "\n".join(",".join(r) for r in rows).encode()


def _xlsx(rng: random.Random) -> tuple[str, bytes]:
    """One bad workbook: truncated, bytes flipped, odd sheets, formulas, far cells, huge numbers."""
    kind = rng.randrange(8)
    good = _workbook(_rows())
    if kind == 0:
        return "truncated workbook", good[: rng.randrange(len(good))]
    if kind == 1:
        data = bytearray(good)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return "flipped bytes", bytes(data)
    if kind == 2:
        return "chart sheet first", _workbook(_rows(), chart=True)
    if kind == 3:
        return "empty and hidden sheets", _workbook(
            [], extra=lambda b: b.create_sheet("Hidden").append(["x"])
        )
    if kind == 4:
        rows = _rows()
        rows[rng.randint(1, 6)][2] = "=B2*" + str(rng.randint(1, 9))
        return "formula", _workbook(rows)
    if kind == 5:
        cell = f"{rng.choice(['A', 'GR', 'GS', 'ZZ', 'XFD'])}{rng.randint(1, 1_048_576)}"
        return f"value at {cell}", _workbook(_rows(), extra=lambda b: b.active.__setitem__(cell, "x"))
    if kind == 6:
        rows = [[_huge(rng) if rng.random() < 0.3 else c for c in row] for row in _rows()]
        return "huge numbers in cells", _workbook(rows)
    return "text in a workbook's name", GOOD.encode()


def _cases() -> list[tuple[str, str, bytes]]:
    rng = random.Random(SEED)
    cases = []
    for number in range(CASES):
        suffix = rng.choice([".csv", ".csv", ".xlsx"])
        kind, data = _csv(rng) if suffix == ".csv" else _xlsx(rng)
        cases.append((f"case{number:03d}{suffix}", kind, data))
    return cases


def test_every_generated_bad_input_is_answered_without_a_bug(capsys, tmp_path):
    started = time.monotonic()
    for name, kind, data in _cases():
        path = tmp_path / name
        path.write_bytes(data)
        code = main(["validate", str(path), "--params", TINY, "--provenance", "published"])
        out, err = capsys.readouterr()
        assert code in (0, 2), (name, kind, err)
        assert "internal error" not in err, (name, kind, err)
        assert "Traceback" not in err, (name, kind, err)
        assert name in (err if code else out), (name, kind, out, err)
        if code == 2:
            assert "    fix: " in err, (name, kind, err)
    assert time.monotonic() - started < 20


TITLES = ["BẢNG XẾP HẠNG NĂM 2020", "(Kèm theo Quyết định số 123/QĐ-BNV)", "Phụ lục 1", "Đơn vị: %"]
SUMMARIES = ["Trung bình", "Bình quân", "Trung bình cả nước", "Tổng cộng", "Average", "Total", "Cả nước"]
NOTES = [
    "Nguồn: Bộ Nội vụ",
    "Ghi chú: điểm tối đa là 100",
    "(*) Số liệu đã được thẩm định",
    "* Xếp hạng theo điểm làm tròn",
    "Source: Ministry of Home Affairs",
    "Note: scores out of 100",
    "Hà Nội, ngày 15 tháng 4 năm 2021",
]
SIGNATURE = ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "(Đã ký)", "Nguyễn Văn A", "Người lập biểu"]


def _surrounded(rng: random.Random) -> list[list]:
    """The good table with title rows above it, repeated headers and totals inside, notes and a signature
    block below it, each placed and chosen at random."""
    header, *body = _rows()
    width = len(header)

    def line(text: str, column: int = 0) -> list:
        return [text if i == column else "" for i in range(width)]

    for _ in range(rng.randint(0, 2)):
        body.insert(rng.randint(1, len(body)), list(header))
    for _ in range(rng.randint(0, 2)):
        body.insert(rng.randint(0, len(body)), line(rng.choice(SUMMARIES), rng.choice([0, 1])))
    below = [line("")] * rng.randint(0, 2)
    below += [line(rng.choice(SUMMARIES), rng.choice([0, 1])) for _ in range(rng.randint(0, 1))]
    below += [line(rng.choice(NOTES), rng.choice([0, 1])) for _ in range(rng.randint(0, 3))]
    below += [line(text, width - 2) for text in SIGNATURE[: rng.randint(0, len(SIGNATURE))]]
    titles = [line(rng.choice(TITLES)) for _ in range(rng.randint(0, 3))]
    return titles + [header] + body + below


def test_every_generated_table_with_rows_around_it_reads_its_six_units(capsys, tmp_path):
    rng = random.Random(SEED)
    for number in range(40):
        rows = _surrounded(rng)
        path = tmp_path / f"around{number:02d}{rng.choice(['.csv', '.xlsx'])}"
        if path.suffix == ".csv":
            path.write_text("\n".join(",".join(f'"{c}"' for c in row) for row in rows), encoding="utf-8")
        else:
            path.write_bytes(_workbook([[c if c != "" else None for c in row] for row in rows]))
        code = main(["validate", str(path), "--params", TINY, "--provenance", "published"])
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), rows
        assert out == f"{path}: 6 province units, mean 87.29\n", rows
