import unicodedata
from pathlib import Path

import pytest

from parindex.data.units import UnitNameError, fold, load_unit_set, with_former
from parindex.errors import InputError

UNITS_DIR = Path(__file__).parents[1] / "data" / "units"

# Official names and GSO codes, written out from REFERENCE.md section 1, not read from the register.
PROVINCES = {
    "Hà Nội": "01", "Hà Giang": "02", "Cao Bằng": "04", "Bắc Kạn": "06", "Tuyên Quang": "08",
    "Lào Cai": "10", "Điện Biên": "11", "Lai Châu": "12", "Sơn La": "14", "Yên Bái": "15",
    "Hòa Bình": "17", "Thái Nguyên": "19", "Lạng Sơn": "20", "Quảng Ninh": "22", "Bắc Giang": "24",
    "Phú Thọ": "25", "Vĩnh Phúc": "26", "Bắc Ninh": "27", "Hải Dương": "30", "Hải Phòng": "31",
    "Hưng Yên": "33", "Thái Bình": "34", "Hà Nam": "35", "Nam Định": "36", "Ninh Bình": "37",
    "Thanh Hóa": "38", "Nghệ An": "40", "Hà Tĩnh": "42", "Quảng Bình": "44", "Quảng Trị": "45",
    "Thừa Thiên Huế": "46", "Đà Nẵng": "48", "Quảng Nam": "49", "Quảng Ngãi": "51", "Bình Định": "52",
    "Phú Yên": "54", "Khánh Hòa": "56", "Ninh Thuận": "58", "Bình Thuận": "60", "Kon Tum": "62",
    "Gia Lai": "64", "Đắk Lắk": "66", "Đắk Nông": "67", "Lâm Đồng": "68", "Bình Phước": "70",
    "Tây Ninh": "72", "Bình Dương": "74", "Đồng Nai": "75", "Bà Rịa - Vũng Tàu": "77",
    "Thành phố Hồ Chí Minh": "79", "Long An": "80", "Tiền Giang": "82", "Bến Tre": "83", "Trà Vinh": "84",
    "Vĩnh Long": "86", "Đồng Tháp": "87", "An Giang": "89", "Kiên Giang": "91", "Cần Thơ": "92",
    "Hậu Giang": "93", "Sóc Trăng": "94", "Bạc Liêu": "95", "Cà Mau": "96",
}  # fmt: skip

MINISTRIES = {
    "Bộ Ngoại giao": "MOFA", "Bộ Nội vụ": "MOHA", "Bộ Tư pháp": "MOJ", "Bộ Kế hoạch và Đầu tư": "MPI",
    "Bộ Tài chính": "MOF", "Bộ Công Thương": "MOIT", "Bộ Nông nghiệp và Phát triển nông thôn": "MARD",
    "Bộ Giao thông vận tải": "MOT", "Bộ Xây dựng": "MOC", "Bộ Tài nguyên và Môi trường": "MONRE",
    "Bộ Thông tin và Truyền thông": "MIC", "Bộ Lao động - Thương binh và Xã hội": "MOLISA",
    "Bộ Văn hóa, Thể thao và Du lịch": "MOCST", "Bộ Khoa học và Công nghệ": "MOST",
    "Bộ Giáo dục và Đào tạo": "MOET", "Bộ Y tế": "MOH", "Ngân hàng Nhà nước Việt Nam": "SBV",
    "Thanh tra Chính phủ": "GI", "Ủy ban Dân tộc": "CEMA",
}  # fmt: skip

# Names as they really arrive (REFERENCE.md section 1), each with the code it means.
PROVINCE_VARIANTS = [
    ("TP.HCM", "79"), ("Tp.HCM", "79"), ("TP HCM", "79"), ("HCMC", "79"), ("Hồ Chí Minh", "79"),
    ("Ho Chi Minh City", "79"), ("TP. Hồ Chí Minh", "79"), ("Tp Hcm", "79"), ("tp hồ chí minh", "79"),
    ("TT-Huế", "46"), ("TT Huế", "46"), ("Thừa Thiên - Huế", "46"), ("Thừa Thiên-Huế", "46"), ("Hue", "46"),
    ("Thua Thien Hue", "46"), ("BR-VT", "77"), ("Bà Rịa–Vũng Tàu", "77"), ("Ba Ria Vung Tau", "77"),
    ("Tỉnh Bà Rịa - Vũng Tàu", "77"), ("Đắc Lắc", "66"), ("Dak Lak", "66"), ("DakLak", "66"),
    ("Đăk Nông", "67"), ("Dak Nong", "67"), ("Ha Noi", "01"), ("Hanoi", "01"), ("Ha Noi City", "01"),
    ("Thành phố Hà Nội", "01"), ("HÀ NỘI", "01"), ("  Hà   Nội ", "01"), ("Hoà Bình", "17"),
    ("Hoa Binh", "17"), ("Thanh Hoá", "38"), ("Thanh Hoa", "38"), ("Khánh Hoà", "56"), ("Khanh Hoa", "56"),
    ("Tỉnh Nghệ An", "40"), ("Thành phố Đà Nẵng", "48"), ("TP. Đà Nẵng", "48"), ("Da Nang City", "48"),
    ("TP. Cần Thơ", "92"), ("Can Tho city", "92"), ("Quang Nam Province", "49"), ("Tỉnh Quảng Nam", "49"),
    ("HẢI PHÒNG", "31"), ("Hai Phong City", "31"), ("Kontum", "62"), ("Saigon", "79"), ("01", "01"),
]  # fmt: skip

MINISTRY_VARIANTS = [
    ("NHNN", "SBV"), ("SBV", "SBV"), ("State Bank of Vietnam", "SBV"), ("Ngân hàng Nhà nước", "SBV"),
    ("MOJ", "MOJ"), ("Ministry of Justice", "MOJ"), ("BỘ TƯ PHÁP", "MOJ"), ("Bo Tu Phap", "MOJ"),
    ("MOF", "MOF"), ("Ministry of Finance", "MOF"), ("BTC", "MOF"), ("Bo Tai chinh", "MOF"),
    ("Bộ Văn hoá, Thể thao và Du lịch", "MOCST"), ("Bộ Lao động – Thương binh và Xã hội", "MOLISA"),
    ("Ministry of Labour, Invalids and Social Affairs", "MOLISA"), ("Bộ Y Tế", "MOH"), ("BYT", "MOH"),
]  # fmt: skip


@pytest.fixture(scope="module")
def provinces():
    return load_unit_set(UNITS_DIR, "provinces_63", "province")


@pytest.fixture(scope="module")
def ministries():
    return load_unit_set(UNITS_DIR, "ministries_19", "ministry")


def test_tables_are_complete():
    assert len(PROVINCES) == 63 and len(set(PROVINCES.values())) == 63
    assert len(MINISTRIES) == 19 and len(PROVINCE_VARIANTS) + len(MINISTRY_VARIANTS) >= 45


def test_every_official_province_name_resolves_to_its_code(provinces):
    assert {name: provinces.resolve(name).code for name in PROVINCES} == PROVINCES
    assert {unit.name_vi: unit.code for unit in provinces.units} == PROVINCES
    assert len(provinces) == 63


def test_every_official_ministry_name_resolves_to_its_code(ministries):
    assert {name: ministries.resolve(name).code for name in MINISTRIES} == MINISTRIES
    assert {unit.name_vi: unit.code for unit in ministries.units} == MINISTRIES


@pytest.mark.parametrize("name", ["Đắk Lắk", "Thừa Thiên Huế", "Hòa Bình", "Bộ Tư pháp"])
def test_decomposed_unicode_resolves(provinces, ministries, name):
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name
    units = ministries if name.startswith("Bộ") else provinces
    assert units.resolve(decomposed).code == (MINISTRIES | PROVINCES)[name]


@pytest.mark.parametrize(("name", "code"), PROVINCE_VARIANTS)
def test_province_variants(provinces, name, code):
    assert provinces.resolve(name).code == code


@pytest.mark.parametrize(("name", "code"), MINISTRY_VARIANTS)
def test_ministry_variants(ministries, name, code):
    assert ministries.resolve(name).code == code


def test_fold():
    assert fold("Tỉnh Thừa Thiên - Huế") == "thua thien hue"
    assert fold("TP. Hồ Chí Minh") == "ho chi minh"
    assert fold("Đắk Lắk") == fold("Dak Lak") == "dak lak"


@pytest.mark.parametrize(
    ("name", "message", "fix"),
    [
        (
            "Quảng Nnh",
            "'Quảng Nnh' is not a unit of this set",
            "did you mean 'Quảng Ninh', 'Quảng Bình' or 'Quảng Nam'?",
        ),
        (
            "Bắc Ninhh",
            "'Bắc Ninhh' is not a unit of this set",
            "did you mean 'Bắc Ninh', 'Tây Ninh' or 'Ninh Bình'?",
        ),
        ("Atlantis", "'Atlantis' is not a unit of this set", "write the unit's official name or code"),
        (
            "Hà",
            "'Hà' is ambiguous: it could be 'Hà Nội', 'Hà Giang', 'Hà Nam' or 'Hà Tĩnh'",
            "write the unit's full name",
        ),
    ],
)
def test_unknown_and_ambiguous_province_names(provinces, name, message, fix):
    with pytest.raises(UnitNameError) as caught:
        provinces.resolve(name)
    assert (caught.value.message, caught.value.fix) == (message, fix)


def test_unknown_and_ambiguous_ministry_names(ministries):
    with pytest.raises(UnitNameError) as caught:
        ministries.resolve("Min. of Finance")
    assert caught.value.message == "'Min. of Finance' is not a unit of this set"
    assert caught.value.fix == "did you mean 'Bộ Tài chính'?"
    with pytest.raises(UnitNameError) as caught:
        ministries.resolve("Bộ Tài")
    assert (
        caught.value.message
        == "'Bộ Tài' is ambiguous: it could be 'Bộ Tài chính' or 'Bộ Tài nguyên và Môi trường'"
    )


def test_set_without_excluded_units():
    ranked = load_unit_set(UNITS_DIR, "ministries_17", "ministry")
    assert len(ranked) == 17
    with pytest.raises(UnitNameError, match="'Thanh tra Chính phủ' is not a unit of this set"):
        ranked.resolve("Thanh tra Chính phủ")


# Spellings of official tables that write c for k, or k for c, each with the code it means.
K_C_SPELLINGS = [
    ("Bắc Cạn", "06"), ("BẮC CẠN", "06"), ("Bac Can", "06"), ("Đắc Lắk", "66"), ("Đắk Lắc", "66"),
    ("Đắc Lắc", "66"), ("Daclac", "66"), ("Đắc Nông", "67"), ("Dac Nong", "67"), ("Con Tum", "62"),
    ("Kon Tum", "62"), ("Kiên Giang", "91"), ("Khánh Hòa", "56"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "code"), K_C_SPELLINGS)
def test_k_and_c_spellings(provinces, name, code):
    assert provinces.resolve(name).code == code


def test_a_c_that_no_table_writes_k_is_not_matched(provinces):
    with pytest.raises(UnitNameError) as caught:
        provinces.resolve("Công Tum")
    assert (caught.value.message, caught.value.fix) == (
        "'Công Tum' is not a unit of this set",
        "did you mean 'Kon Tum'?",
    )


@pytest.mark.parametrize(
    ("set_name", "unit_type"),
    [("provinces_63", "province"), ("provinces_34", "province"), ("ministries_19", "ministry")],
)
def test_every_spelling_of_the_registers_still_means_its_own_unit(set_name, unit_type):
    units = with_former(UNITS_DIR, load_unit_set(UNITS_DIR, set_name, unit_type))
    for unit in units.units:
        for spelling in (unit.code, unit.name_vi, unit.short_vi, unit.name_en):
            assert units.resolve(spelling).code == unit.code, spelling
    for code, alias in units.aliases:
        if code in units.by_code:
            assert units.resolve(alias).code == code, alias


@pytest.mark.parametrize(
    ("set_name", "name", "message", "fix"),
    [
        (
            "provinces_63",
            "Hà Tây",
            "'Hà Tây' is no longer a unit: Hà Tây was merged into 'Hà Nội' on 1 August 2008 "
            "(Resolution 15/2008/QH12)",
            "write 'Hà Nội'; for a table of the years before 2008, name in params a unit set that still has "
            "Hà Tây",
        ),
        (
            "provinces_34",
            "Ha Tay",
            "'Ha Tay' is no longer a unit: Hà Tây was merged into 'Hà Nội' on 1 August 2008 "
            "(Resolution 15/2008/QH12)",
            "write 'Hà Nội'; for a table of the years before 2008, name in params a unit set that still has "
            "Hà Tây",
        ),
        (
            "provinces_34",
            "Bắc Cạn",
            "'Bắc Cạn' is no longer a unit: Bắc Kạn was merged into 'Thái Nguyên' on 1 July 2025 "
            "(Nghị quyết 202/2025/QH15 (12/6/2025))",
            "write 'Thái Nguyên'; for a table of the years before 2025, name in params a unit set that still "
            "has Bắc Kạn",
        ),
        (
            "provinces_34",
            "02",
            "'02' is no longer a unit: Hà Giang was merged into 'Tuyên Quang' on 1 July 2025 "
            "(Nghị quyết 202/2025/QH15 (12/6/2025))",
            "write 'Tuyên Quang'; for a table of the years before 2025, name in params a unit set that still "
            "has Hà Giang",
        ),
        (
            "provinces_34",
            "Quảng Bình",
            "'Quảng Bình' is no longer a unit: Quảng Bình was merged into 'Quảng Trị' on 1 July 2025 "
            "(Nghị quyết 202/2025/QH15 (12/6/2025))",
            "write 'Quảng Trị'; for a table of the years before 2025, name in params a unit set that still "
            "has Quảng Bình",
        ),
    ],
)
def test_a_former_unit_is_answered_with_what_it_became(set_name, name, message, fix):
    units = with_former(UNITS_DIR, load_unit_set(UNITS_DIR, set_name, "province"))
    with pytest.raises(UnitNameError) as caught:
        units.resolve(name)
    assert (caught.value.reason, caught.value.message, caught.value.fix) == ("former", message, fix)


def test_the_2025_merger_leaves_29_former_provinces_and_thua_thien_hue_is_hue():
    units = with_former(UNITS_DIR, load_unit_set(UNITS_DIR, "provinces_34", "province"))
    merged = {f.name_vi for f in units.former if f.since == "1 July 2025"}
    assert merged == {
        "Hà Giang", "Yên Bái", "Bắc Kạn", "Bắc Giang", "Vĩnh Phúc", "Hòa Bình", "Hải Dương", "Thái Bình",
        "Hà Nam", "Nam Định", "Quảng Bình", "Quảng Nam", "Kon Tum", "Bình Định", "Ninh Thuận", "Phú Yên",
        "Đắk Nông", "Bình Thuận", "Bình Phước", "Bình Dương", "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang",
        "Bến Tre", "Trà Vinh", "Kiên Giang", "Sóc Trăng", "Hậu Giang", "Bạc Liêu",
    }  # fmt: skip
    assert len(merged) == 29
    assert units.resolve("Thừa Thiên Huế").code == "46"
    assert units.resolve("Hà Nội").code == "01"


def _units_dir(tmp_path: Path, former: str) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "sets.yaml").write_text("towns:\n  register: towns.csv\n  codes: all\n", encoding="utf-8")
    (folder / "towns.csv").write_text(
        "code,name_vi,short_vi,name_en,kind\nT1,Thị trấn Một,Một,Town One,town\n"
        "T2,Thị trấn Hai,Hai,Town Two,town\n",
        encoding="utf-8",
    )
    (folder / "former.csv").write_text(former, encoding="utf-8")
    return folder


def test_a_former_unit_divided_among_several(tmp_path):
    folder = _units_dir(
        tmp_path,
        "name_vi,name_en,register,became,since,source,note\n"
        "Thị trấn Cũ,Old Town,towns.csv,T1 T2,2019-01-01,Decision 9,divided\n"
        "Làng Xa,Far Village,other.csv,T1,2019-01-01,Decision 9,another register\n",
    )
    units = with_former(folder, load_unit_set(folder, "towns", "town"))
    with pytest.raises(UnitNameError) as caught:
        units.resolve("Old Town")
    assert caught.value.message == (
        "'Old Town' is no longer a unit: Thị trấn Cũ was divided among 'Thị trấn Một' and 'Thị trấn Hai' "
        "on 1 January 2019 (Decision 9)"
    )
    assert caught.value.fix == (
        "write 'Thị trấn Một' or 'Thị trấn Hai'; for a table of the years before 2019, name in params a unit "
        "set that still has Thị trấn Cũ"
    )
    with pytest.raises(UnitNameError, match="'Far Village' is not a unit of this set"):
        units.resolve("Far Village")


def test_a_former_file_without_its_columns(tmp_path):
    folder = _units_dir(tmp_path, "name,became\nThị trấn Cũ,T1\n")
    with pytest.raises(InputError) as caught:
        with_former(folder, load_unit_set(folder, "towns", "town"))
    [problem] = caught.value.problems
    assert (problem.message, problem.fix) == (
        "former.csv lacks the columns name_vi, name_en, register, since, source",
        "give it the columns name_vi, name_en, register, became, since, source, note",
    )


def _towns(tmp_path: Path, register: bytes) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    (folder / "sets.yaml").write_text("towns:\n  register: towns.csv\n  codes: all\n", encoding="utf-8")
    (folder / "towns.csv").write_bytes(register)
    return folder


def test_a_register_is_read_with_its_quotes_blank_lines_and_short_rows(tmp_path):
    register = (
        "\ufeffcode,name_vi,short_vi,name_en,kind\n"
        'T1,"Thị trấn Một, Cũ",Một,"Town One, Old",town\n'
        "\n"
        "T2,Thị trấn Hai,,Town Two\n"
    )
    units = load_unit_set(_towns(tmp_path, register.encode("utf-8")), "towns", "town")
    assert [(u.code, u.name_vi, u.short_vi, u.name_en, u.kind) for u in units.units] == [
        ("T1", "Thị trấn Một, Cũ", "Một", "Town One, Old", "town"),
        ("T2", "Thị trấn Hai", "Thị trấn Hai", "Town Two", ""),
    ]


def test_every_row_of_a_register_with_more_cells_than_its_header_is_named(tmp_path):
    register = (
        "code,name_vi,short_vi,name_en,kind\n"
        "T1,Thị trấn Một, Cũ,Một,Town One,town\n"
        "T2,Thị trấn Hai,Hai,Town Two,town\n"
        "T3,Thị trấn Ba,Ba,Town Three,town,extra,cells\n"
    )
    folder = _towns(tmp_path, register.encode("utf-8"))
    with pytest.raises(InputError) as caught:
        load_unit_set(folder, "towns", "town")
    fix = "remove the extra cells, or put a cell holding a comma in double quotes"
    assert [(p.file, p.row, p.message, p.fix) for p in caught.value.problems] == [
        (str(folder / "towns.csv"), 2, "the row has 6 cells, the header 5", fix),
        (str(folder / "towns.csv"), 4, "the row has 7 cells, the header 5", fix),
    ]


def test_a_register_not_in_utf8_is_refused_with_how_to_save_it(tmp_path):
    register = (
        "code,name_vi,short_vi,name_en,kind\nT1,Hòa Bình,Hòa,Hoa Binh,town\n"  # as Windows-1258 writes it
    )
    folder = _towns(tmp_path, unicodedata.normalize("NFD", register).encode("cp1258"))
    with pytest.raises(InputError) as caught:
        load_unit_set(folder, "towns", "town")
    [problem] = caught.value.problems
    assert (problem.file, problem.message, problem.fix) == (
        str(folder / "towns.csv"),
        "the file is not UTF-8 text",
        "save it as UTF-8 (in Excel: CSV UTF-8)",
    )
