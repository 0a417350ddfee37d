from pathlib import Path

import pandas as pd
import pytest
import yaml
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.text import Text

from parindex.data.params import Band
from parindex.data.tiles import load_layout, load_tiles
from parindex.data.units import Unit, load_regions, load_unit_set
from parindex.errors import InputError
from parindex.i18n import lang
from parindex.reports import maps

UNITS_DIR = Path(__file__).parents[1] / "data" / "units"
BANDS = (Band(label="A", min=90), Band(label="B", min=80), Band(label="C", min=70))
VI, EN = lang("vi"), lang("en")

# The 34 units from 1 July 2025 (Resolution 202/2025/QH15), written out by hand, with the old codes merged.
MERGED = {
    "01": "01", "04": "04", "08": "08 02", "11": "11", "12": "12", "14": "14", "15": "10 15",
    "19": "19 06", "20": "20", "22": "22", "24": "27 24", "25": "25 26 17", "31": "31 30",
    "33": "33 34", "37": "37 35 36", "38": "38", "40": "40", "42": "42", "44": "45 44", "46": "46",
    "48": "48 49", "51": "51 62", "52": "64 52", "56": "56 58", "66": "66 54", "68": "68 67 60",
    "75": "75 70", "79": "79 74 77", "80": "72 80", "82": "87 82", "86": "86 83 84", "91": "89 91",
    "92": "92 94 93", "96": "96 95",
}  # fmt: skip


def tile_sets() -> list[str]:
    sets = yaml.safe_load((UNITS_DIR / "sets.yaml").read_text(encoding="utf-8"))
    return [name for name, spec in sets.items() if "tiles" in spec]


def units(*rows: tuple[str, str]) -> list[Unit]:
    return [Unit(code, name, name, name, "province", "province") for code, name in rows]


SMALL = units(("01", "Hà Nội"), ("02", "Hà Giang"), ("04", "Cao Bằng"))


def layout_problems(tmp_path, text: str) -> list:
    file = tmp_path / "tiles.csv"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_layout(file, SMALL, "test")
    return caught.value.problems


def frame_of(set_name: str, scores: dict[str, float] | None = None, simulated: set[str] = frozenset()):
    table = load_unit_set(UNITS_DIR, set_name, "province").frame()
    table["score"] = [(scores or {}).get(code, 85.0) for code in table["code"]]
    table["band"] = ["A" if s >= 90 else "B" if s >= 80 else "C" for s in table["score"]]
    table["provenance"] = ["simulated" if code in simulated else "published" for code in table["code"]]
    return table


def tiles_of(figure) -> list:
    return [p for ax in figure.axes for p in ax.patches if str(p.get_gid()).startswith("tile-")]


def texts_of(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text)]


# --- layouts as data ---------------------------------------------------------------------------------------


def test_both_province_sets_have_a_tile_layout():
    assert tile_sets() == ["provinces_63", "provinces_34"]


@pytest.mark.parametrize("set_name", ["provinces_63", "provinces_34"])
def test_every_tile_layout_covers_its_set_exactly_once(set_name):
    layout = load_tiles(UNITS_DIR, set_name)
    codes = [unit.code for unit in load_unit_set(UNITS_DIR, set_name, "province").units]
    placed = [tile.code for tile in layout.tiles]
    assert sorted(placed) == sorted(codes) and len(placed) == len(set(placed))
    spots = [(tile.row, tile.col) for tile in layout.tiles]
    assert len(spots) == len(set(spots))
    labels = [tile.label for tile in layout.tiles]
    assert len(labels) == len(set(labels)) and all(1 <= len(label) <= 4 for label in labels)


def test_the_63_layout_places_the_country_north_to_south():
    tiles = load_tiles(UNITS_DIR, "provinces_63").by_code
    assert (tiles["02"].row, tiles["96"].row) == (0, 20)  # Hà Giang at the top, Cà Mau at the bottom
    assert (tiles["01"].row, tiles["01"].col) == (3, 4)  # Hà Nội
    assert tiles["31"].col > tiles["01"].col and tiles["22"].row < tiles["31"].row  # Hải Phòng, Quảng Ninh
    assert tiles["46"].row < tiles["48"].row + 1 < tiles["79"].row  # Huế, Đà Nẵng, then the Southeast
    assert tiles["91"].col == 0 and tiles["11"].col == 1  # Kiên Giang west, Điện Biên west in the north


def test_the_34_register_follows_the_merger():
    register = pd.read_csv(UNITS_DIR / "provinces_34.csv", dtype=str, keep_default_na=False)
    assert dict(zip(register.code, register.merged_from, strict=True)) == MERGED
    old = load_unit_set(UNITS_DIR, "provinces_63", "province").by_code
    assert sorted(" ".join(MERGED.values()).split()) == sorted(old)
    cities = set(register.loc[register.kind == "city", "name_vi"])
    assert cities == {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ"}
    assert register.source.str.contains("202/2025/QH15").all()
    assert set(register.region) == set(load_regions(UNITS_DIR).names_vi)


def test_a_set_without_tiles_has_no_layout_and_the_report_says_so():
    assert load_tiles(UNITS_DIR, "ministries_17") is None
    assert VI.t("map.none", set="provinces_99") == (
        "Bộ đơn vị provinces_99 chưa có bố cục bản đồ ô vuông nên báo cáo không có bản đồ "
        "(thêm khóa tiles cho bộ này trong data/units/sets.yaml)."
    )
    assert EN.t("map.none", set="provinces_99") == (
        "The unit set provinces_99 has no tile layout, so the report has no map "
        "(add a tiles key to the set in data/units/sets.yaml)."
    )


def test_a_valid_small_layout_loads_with_labels_or_short_names(tmp_path):
    file = tmp_path / "tiles.csv"
    file.write_text("code,row,col,label\n02,0,0,HG\n04,0,1,\n01,1,0,HN\n", encoding="utf-8")
    layout = load_layout(file, SMALL, "test")
    assert [(t.code, t.row, t.col, t.label) for t in layout.tiles] == [
        ("02", 0, 0, "HG"),
        ("04", 0, 1, "Cao Bằng"),
        ("01", 1, 0, "HN"),
    ]
    assert (layout.rows, layout.cols) == (2, 2)


def test_overlapping_tiles(tmp_path):
    problems = layout_problems(tmp_path, "code,row,col,label\n01,0,0,HN\n02,0,0,HG\n04,0,1,CB\n")
    assert [(p.row, p.column, p.message, p.fix) for p in problems] == [
        (
            3,
            None,
            "the tile of 02 (Hà Giang) is on the tile of 01 (Hà Nội, row 2): both at row 0, col 0",
            "move one of the two tiles to a free place",
        ),
    ]
    assert str(problems[0]).startswith(f"{tmp_path / 'tiles.csv'}, row 3: the tile of 02")


def test_a_missing_unit(tmp_path):
    problems = layout_problems(tmp_path, "code,row,col,label\n01,0,0,HN\n02,0,1,HG\n")
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'tiles.csv'}: unit 04 (Cao Bằng) of the set 'test' has no tile\n"
        "    fix: add a row 04,<row>,<col>,<label> at a free place"
    ]


def test_unknown_duplicate_and_unpadded_codes(tmp_path):
    text = "code,row,col,label\n01,0,0,HN\n99,0,1,X\n02,1,0,HG\n04,1,1,CB\n01,2,0,HN\n1,2,1,HN\n"
    problems = layout_problems(tmp_path, text)
    assert [(p.row, p.column, p.message, p.fix) for p in problems] == [
        (
            3,
            "code",
            "code '99' is not a unit of the set 'test'",
            "use a code of the set 'test' or remove the row",
        ),
        (6, "code", "unit 01 (Hà Nội) already has a tile in row 2", "keep one row per unit: remove this one"),
        (
            7,
            "code",
            "code '1' is not a unit of the set 'test'",
            "write the code as text with its leading zero: '01' (Hà Nội)",
        ),
    ]


def test_places_that_are_not_whole_numbers_and_missing_columns(tmp_path):
    problems = layout_problems(tmp_path, "code,row,col\n01,0,0\n02,x,1\n04,1,-1\n")
    assert [(p.row, p.column, p.message, p.fix) for p in problems] == [
        (3, "row", "row 'x' is not a whole number of at least 0", "write the tile's row, counted from 0"),
        (4, "col", "col '-1' is not a whole number of at least 0", "write the tile's col, counted from 0"),
    ]
    problems = layout_problems(tmp_path, "code,row\n01,0\n")
    assert [(p.message, p.fix) for p in problems] == [
        ("missing column: col", "write the header code,row,col,label")
    ]


def test_a_set_naming_a_layout_that_does_not_exist(tmp_path):
    (tmp_path / "sets.yaml").write_text(
        "small:\n  register: r.csv\n  tiles: tiles/none.csv\n", encoding="utf-8"
    )
    (tmp_path / "r.csv").write_text("code,name_vi,short_vi,name_en,kind\n01,Hà Nội,Hà Nội,Hanoi,city\n")
    with pytest.raises(InputError) as caught:
        load_tiles(tmp_path, "small")
    problem = caught.value.problems[0]
    assert problem.file == str(tmp_path / "tiles" / "none.csv")
    assert problem.message == "cannot read the tile layout: No such file or directory"
    assert problem.fix == "create the file, or correct the set's 'tiles' key in sets.yaml"


# --- the map chart -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def layout_63():
    return load_tiles(UNITS_DIR, "provinces_63")


@pytest.fixture(scope="module")
def regions():
    return load_regions(UNITS_DIR)


def test_the_map_has_63_tiles_coloured_by_band(layout_63, regions):
    frame = frame_of("provinces_63", {"22": 91.04, "31": 90.51, "51": 73.25}, simulated={"01"})
    figure = maps.band_map(frame, layout_63, BANDS, "T", "S", EN, regions=regions)
    tiles = {p.get_gid(): p for p in tiles_of(figure)}
    assert len(tiles) == 63
    assert to_hex(tiles["tile-22"].get_facecolor()) == "#0072b2"  # band A, Okabe-Ito blue
    assert to_hex(tiles["tile-46"].get_facecolor()) == "#56b4e9"  # band B, sky blue
    assert to_hex(tiles["tile-51"].get_facecolor()) == "#009e73"  # band C, bluish green
    assert tiles["tile-01"].get_hatch() == "////" and tiles["tile-46"].get_hatch() is None
    texts = texts_of(figure)
    assert {"QNi", "HP", "TTH", "HCM", "91.04", "73.25"} <= set(texts)
    assert {"A (≥ 90)", "B (80–<90)", "C (70–<80)", "simulated (demonstration)", "Abbreviations"} <= set(
        texts
    )
    assert "TTH  Thừa Thiên Huế" in texts and "Red River Delta" in texts
    assert not [p for p in figure.axes[0].patches if p.get_gid() == "highlight"]


def test_a_hatched_tiles_label_and_score_sit_on_one_clear_patch_of_its_colour(layout_63, regions):
    frame = frame_of("provinces_63", {"01": 86.07}, simulated={"01"})
    figure = maps.band_map(frame, layout_63, BANDS, "T", "S", VI, regions=regions)
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    tile = next(p for p in tiles_of(figure) if p.get_gid() == "tile-01")
    inside = tile.get_window_extent(renderer)
    label, score = (
        t
        for t in figure.axes[0].texts
        if t.get_text() in ("HN", "86,07") and inside.contains(*t.get_window_extent(renderer).get_points()[0])
    )
    for text in (label, score):
        box = text.get_bbox_patch()
        assert to_hex(box.get_facecolor()) == to_hex(tile.get_facecolor()) == "#56b4e9"
        assert box.get_window_extent(renderer).contains(*text.get_window_extent(renderer).get_points()[1])
        assert not text.get_path_effects()
    # The two patches meet: no hatch line runs between the name and the score.
    assert (
        label.get_bbox_patch().get_window_extent(renderer).y0
        <= score.get_bbox_patch().get_window_extent(renderer).y1
    )


def test_the_34_set_gets_a_34_tile_map(regions):
    layout = load_tiles(UNITS_DIR, "provinces_34")
    figure = maps.band_map(frame_of("provinces_34"), layout, BANDS, "T", "S", VI, regions=regions)
    assert len(tiles_of(figure)) == 34
    assert {"Huế", "Huế  Huế", "HCM  Thành phố Hồ Chí Minh"} <= set(texts_of(figure))


def test_the_highlighted_tile_has_a_thick_outline(layout_63, regions):
    figure = maps.band_map(
        frame_of("provinces_63"),
        layout_63,
        BANDS,
        "T",
        "S",
        VI,
        regions=regions,
        highlight="46",
        sizes=maps.PROFILE,
    )
    outlined = [p for p in figure.axes[0].patches if p.get_gid() == "highlight"]
    assert len(outlined) == 1
    tile = load_tiles(UNITS_DIR, "provinces_63").by_code["46"]
    assert outlined[0].get_xy() == pytest.approx((tile.col + 0.04, tile.row + 0.04))
    assert outlined[0].get_linewidth() >= 2.4 and to_hex(outlined[0].get_edgecolor()) == "#000000"
    assert "Thừa Thiên Huế" in texts_of(figure)  # the legend names the outlined province
    assert "85,00" not in texts_of(figure)  # a profile's map shows labels only


def test_the_vietnamese_map_writes_vietnamese(layout_63, regions):
    frame = frame_of("provinces_63", {"01": 86.07, "22": 91.04}, simulated={"01"}).drop(index=[62])
    figure = maps.band_map(
        frame, layout_63, BANDS, "PAR INDEX năm 2020", "Nguồn: Bộ Nội vụ.", VI, regions=regions
    )
    texts = texts_of(figure)
    assert {"86,07", "91,04", "Nhóm", "Tên viết tắt", "Đồng bằng sông Hồng", "Không có số liệu"} <= set(texts)
    assert "mô phỏng (dữ liệu minh họa)" in texts and "86.07" not in texts
    empty = next(p for p in tiles_of(figure) if p.get_gid() == "tile-96")  # Cà Mau, left out of the frame
    assert to_hex(empty.get_facecolor()) == "#ffffff"


def test_alt_text_in_both_languages():
    frame = pd.DataFrame(
        {
            "code": ["22", "31", "46", "51"],
            "name": ["Quảng Ninh", "Hải Phòng", "Thừa Thiên Huế", "Quảng Ngãi"],
            "band": ["A", "A", "B", "C"],
        }
    )
    assert maps.alt_text(frame, BANDS, "PAR INDEX năm 2020", VI, highlight="46") == (
        "Bản đồ ô vuông 4 tỉnh, thành phố theo nhóm PAR INDEX năm 2020, mỗi ô một địa phương, "
        "đặt theo vị trí địa lý. Nhóm A: 2 địa phương (Hải Phòng và Quảng Ninh). "
        "Nhóm B: 1 địa phương (Thừa Thiên Huế). "
        "Nhóm C: 1 địa phương (Quảng Ngãi). Ô của Thừa Thiên Huế được viền đậm."
    )
    assert maps.alt_text(frame, BANDS, "PAR INDEX 2020", EN) == (
        "Tile map of 4 provinces by band in PAR INDEX 2020, one square per unit, placed by geography. "
        "Band A: 2 provinces (Hải Phòng and Quảng Ninh). Band B: 1 province (Thừa Thiên Huế). "
        "Band C: 1 province (Quảng Ngãi)."
    )


def test_small_multiples_one_map_per_year_with_the_limits_of_each_year(layout_63):
    bands_2018 = (
        Band(label="A", min=80),
        Band(label="B", min=75),
        Band(label="C", min=70),
        Band(label="D", min=0),
    )
    frames = {2018: frame_of("provinces_63", {"22": 82.0}), 2019: frame_of("provinces_63", {"22": 91.0})}
    frames[2018].loc[frames[2018].code == "22", "band"] = "A"
    bands = {2018: bands_2018, 2019: BANDS}
    figure = maps.band_maps(frames, layout_63, bands, "T", "S", VI)
    assert [ax.get_title() for ax in figure.axes] == ["2018", "2019"]
    assert [len(ax.patches) for ax in figure.axes] == [63, 63]
    limits = next(t.get_text() for t in figure.findobj(Text) if t.get_gid() == "limits")
    assert limits.replace("\n", " ") == (
        "Ngưỡng các nhóm theo từng năm: 2018: A ≥ 80, B 75–<80, C 70–<75, D 0–<70; "
        "2019: A ≥ 90, B 80–<90, C 70–<80, < 70."
    )
    assert maps.trends_alt_text(frames, bands, EN) == (
        "2 small tile maps, one per year from 2018 to 2019, colouring the provinces by their band "
        "in that year. 2018: 1 in band A and 62 in band B. 2019: 1 in band A and 62 in band B."
    )


# --- the reports' sections ---------------------------------------------------------------------------------

PARAMS = Path(__file__).parents[1] / "params" / "2020.yaml"


@pytest.fixture(scope="module")
def year_2020():
    from parindex.reports import yearly

    return yearly.load(PARAMS, "vi,en")


def test_the_yearly_report_has_its_map_section_in_both_languages(year_2020):
    from parindex.reports import yearly

    section = yearly.map_section(year_2020).texts
    assert list(section) == ["vi", "en"]
    assert section["vi"].startswith("<h2>Bản đồ các tỉnh, thành phố theo nhóm</h2><p>Mỗi ô vuông là một tỉnh")
    assert section["en"].startswith("<h2>The provinces on the map</h2><p>Each square is one province")
    shown = yearly.province_map(year_2020).texts
    assert 'aria-label="Bản đồ ô vuông 63 tỉnh, thành phố theo nhóm PAR INDEX năm 2020' in shown["vi"]
    assert 'aria-label="Tile map of 63 provinces by band in PAR INDEX 2020' in shown["en"]
    assert "<h2>" not in shown["vi"]  # the heading is in its own cell, so a page may break after the map


def test_a_unit_set_without_a_layout_has_no_map_section(year_2020, tmp_path):
    import dataclasses
    import shutil

    from parindex.reports import yearly

    units_dir = tmp_path / "units"
    shutil.copytree(UNITS_DIR, units_dir)
    sets = (units_dir / "sets.yaml").read_text(encoding="utf-8")
    (units_dir / "sets.yaml").write_text(
        sets.replace("  tiles: tiles/provinces_63.csv\n", ""), encoding="utf-8"
    )
    params = year_2020.params.model_copy(update={"units_dir": str(units_dir)})
    year = dataclasses.replace(year_2020, params=params)
    assert yearly.map_section(year).texts == {"vi": "", "en": ""}
    assert yearly.province_map(year).texts == {"vi": "", "en": ""}


def test_a_bad_tile_layout_stops_the_params_before_any_notebook_runs(make_params, tmp_path):
    import shutil

    units_dir = tmp_path / "units"
    shutil.copytree(Path(__file__).parent / "fixtures" / "units", units_dir)
    sets = (units_dir / "sets.yaml").read_text(encoding="utf-8")
    (units_dir / "sets.yaml").write_text(
        sets.replace("  register: provinces.csv\n", "  register: provinces.csv\n  tiles: tiles.csv\n"),
        encoding="utf-8",
    )
    (units_dir / "tiles.csv").write_text(
        "code,row,col,label\n01,0,0,HN\n22,0,1,QNi\n31,1,1,HP\n35,1,0,HNa\n46,2,1,TTH\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        make_params(
            [{"path": "good/provinces_semicolon.csv", "unit_type": "province"}], units_dir=str(units_dir)
        )
    assert [str(p) for p in caught.value.problems] == [
        f"{units_dir / 'tiles.csv'}: unit 79 (Thành phố Hồ Chí Minh) of the set 'provinces_6' has no tile\n"
        "    fix: add a row 79,<row>,<col>,<label> at a free place"
    ]
    (units_dir / "tiles.csv").write_text(
        "code,row,col,label\n01,0,0,HN\n22,0,1,QNi\n31,1,1,HP\n35,1,0,HNa\n46,2,1,TTH\n79,3,0,HCM\n",
        encoding="utf-8",
    )
    params = make_params(
        [{"path": "good/provinces_semicolon.csv", "unit_type": "province"}], units_dir=str(units_dir)
    )
    assert len(maps.layout_of(params)) == 6
