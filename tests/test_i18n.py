import datetime
import math
import string
import unicodedata
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from babel.messages.pofile import read_po

from parindex.errors import InputError
from parindex.i18n import LANGUAGES, MINUS, Lang, _discover, lang

LOCALES = Path(__file__).resolve().parents[1] / "src" / "parindex" / "i18n" / "locales"
VI = lang("vi")
EN = lang("en")


def read_catalog(code):
    with open(LOCALES / code / "LC_MESSAGES" / "parindex.po", "rb") as file:
        return read_po(file)


def placeholders(text):
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def entries(code):
    """Key -> tuple of texts (one for a plain message, the forms of a plural one)."""
    catalog = read_catalog(code)
    found = {}
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            singular, plural = message.id
            assert singular == plural, f"{code}: plural key {singular} has msgid_plural {plural}"
            found[singular] = tuple(message.string)
        else:
            found[message.id] = (message.string,)
    return catalog, found


# Catalogs


def test_languages_are_the_catalog_folders_vietnamese_first():
    assert LANGUAGES == ("vi", "en")
    assert sorted(p.name for p in LOCALES.iterdir() if p.is_dir()) == ["en", "vi"]


def test_a_new_folder_with_a_catalog_is_a_new_language(tmp_path):
    for code in ("vi", "en", "fr"):
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / code / "LC_MESSAGES" / "parindex.po").write_text('msgid ""\nmsgstr ""\n')
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)  # no catalog yet: not a language
    assert _discover(tmp_path) == ("vi", "en", "fr")


def test_every_key_is_in_every_catalog_with_the_same_placeholders():
    found = {code: entries(code)[1] for code in LANGUAGES}
    keys = {code: set(messages) for code, messages in found.items()}
    for code in LANGUAGES:
        for other in LANGUAGES:
            assert not keys[code] - keys[other], (
                f"in {code}, not in {other}: {sorted(keys[code] - keys[other])}"
            )
    first = found[LANGUAGES[0]]
    for key, texts in first.items():
        expected = {placeholders(text) for text in texts}
        assert len(expected) == 1, f"{key}: plural forms of {LANGUAGES[0]} differ in placeholders"
        for code in LANGUAGES[1:]:
            got = {placeholders(text) for text in found[code][key]}
            assert got == expected, f"{key}: {code} has placeholders {got}, {LANGUAGES[0]} has {expected}"


def test_every_key_belongs_to_a_part_of_the_reports():
    parts = {"common", "chart", "report", "index", "yearly", "trends", "profile", "map"}
    for code in LANGUAGES:
        _, found = entries(code)
        assert {key.split(".", 1)[0] for key in found} <= parts, code
        assert {"common.language_name", "common.page", "common.demo_notice"} <= set(found)


def test_plural_keys_have_as_many_forms_as_the_catalog_has_plurals_and_no_text_is_empty():
    expected_plurals = {"vi": 1, "en": 2}
    for code in LANGUAGES:
        catalog, found = entries(code)
        assert catalog.num_plurals == expected_plurals[code]
        for message in catalog:
            if not message.id:
                continue
            key = message.id[0] if message.pluralizable else message.id
            assert not message.fuzzy, f"{code}: {key} is marked fuzzy"
            if message.pluralizable:
                assert len(message.string) == catalog.num_plurals, f"{code}: {key}"
            assert all(text.strip() for text in found[key]), f"{code}: {key} has an empty msgstr"


def test_catalogs_name_their_locale():
    assert str(read_catalog("vi").locale) == "vi"
    assert str(read_catalog("en").locale) == "en_GB"


# Messages


def test_messages_by_key_with_values():
    assert VI.t("common.language_name") == "Tiếng Việt"
    assert EN.t("common.language_name") == "English"
    assert VI.t("common.other_language") == "English version"
    assert EN.t("common.other_language") == "Bản tiếng Việt"
    assert VI.t("common.page", page=1, pages=12) == "Trang 1/12"
    assert EN.t("common.page", page=1, pages=12) == "Page 1 of 12"
    assert VI.t("common.band_named", label="A") == "nhóm A"
    assert EN.t("common.band_named", label="A") == "band A"
    assert VI.t("common.compared_with", year=2019) == "so với năm 2019"
    assert EN.t("common.compared_with", year=2019) == "compared with 2019"
    assert VI.t("common.change.up", amount="1,39 điểm") == "tăng 1,39 điểm"
    assert EN.t("common.change.down", amount="1.60 points") == "down 1.60 points"
    assert VI.n("common.unit.named", 8, noun="xã, phường") == "8 xã, phường"
    assert EN.n("common.unit.named", 1, noun="commune") == "1 commune"
    assert VI.t("common.demo_notice") == (
        "Dữ liệu minh họa: các giá trị đánh dấu † là giá trị mô phỏng, không phải kết quả chính thức."
    )
    assert (
        EN.t("common.demo_notice")
        == "Demonstration data: values marked † are simulated, not official results."
    )


def test_plural_messages_follow_the_catalogs_plural_forms():
    assert VI.n("common.unit.province", 1) == "1 tỉnh, thành phố"
    assert VI.n("common.unit.province", 63) == "63 tỉnh, thành phố"
    assert EN.n("common.unit.province", 1) == "1 province"
    assert EN.n("common.unit.province", 63) == "63 provinces"
    assert EN.n("common.unit.province", 0) == "0 provinces"
    assert EN.n("common.unit.ministry", 17) == "17 ministries and ministerial-level agencies"
    assert VI.n("common.unit.ministry", 17) == "17 bộ, cơ quan ngang bộ"
    assert VI.n("common.unit.unit", 1234) == "1.234 đơn vị"
    assert EN.n("common.unit.unit", 1234) == "1,234 units"
    assert EN.n("common.unit.unit", np.int64(1)) == "1 unit"


def test_a_missing_key_names_the_key_and_the_language():
    with pytest.raises(KeyError, match=r"no message 'common\.nothing' in the vi catalog"):
        VI.t("common.nothing")
    with pytest.raises(KeyError, match=r"no message 'common\.nothing' in the en catalog"):
        EN.n("common.nothing", 2)


def test_the_catalogs_name_no_index_and_no_publisher():
    # The index, its companion and their publisher come from params. profile.component.* translate the names
    # of published parts as the published facts spell them, shown only when those facts hold them.
    for code in LANGUAGES:
        found = entries(code)[1]
        texts = [
            text for key, forms in found.items() if not key.startswith("profile.component.") for text in forms
        ]
        for name in ("PAR INDEX", "SIPAS", "Ministry of Home Affairs", "Bộ Nội vụ"):
            assert [text for text in texts if name in text] == [], (code, name)


def test_a_missing_value_names_the_placeholder():
    with pytest.raises(KeyError, match=r"message 'common\.page' of the en catalog needs the value 'pages'"):
        EN.t("common.page", page=1)


def test_plain_and_plural_messages_are_not_mixed_up():
    with pytest.raises(ValueError, match="plural"):
        EN.t("common.unit.province")
    with pytest.raises(ValueError, match="no plural forms"):
        EN.n("common.page", 2)


# Languages


def test_an_unknown_language_lists_the_languages_available():
    with pytest.raises(InputError) as caught:
        lang("fr")
    assert str(caught.value) == (
        "1 problem found:\n"
        "  language: no catalog for language 'fr'; the languages are vi, en\n"
        "    fix: choose one of vi, en, or add locales/fr/LC_MESSAGES/parindex.po to parindex.i18n"
    )
    with pytest.raises(InputError):
        Lang("xx")


def test_lang_defaults_to_vietnamese_and_reads_any_case():
    assert lang(None) == Lang("vi")
    assert lang(" EN ") == Lang("en")
    assert {lang("vi"), Lang("vi")} == {VI}


# Numbers


@pytest.mark.parametrize(
    ("value", "decimals", "signed", "vi", "en"),
    [
        (83.72, 2, False, "83,72", "83.72"),
        (83.725, 2, False, "83,73", "83.73"),
        (2.675, 2, False, "2,68", "2.68"),
        (np.float64(2.675), 2, False, "2,68", "2.68"),
        (Decimal("0.125"), 2, False, "0,13", "0.13"),
        (1234.5, 1, False, "1.234,5", "1,234.5"),
        (1234567.891, 2, False, "1.234.567,89", "1,234,567.89"),
        (58.0, 2, False, "58,00", "58.00"),
        (1.39, 2, True, "+1,39", "+1.39"),
        (-1.6, 2, True, "−1,60", "−1.60"),
        (-1.6, 2, False, "−1,60", "−1.60"),
        (0.0, 2, True, "0,00", "0.00"),
        (-0.001, 2, False, "0,00", "0.00"),
        (-0.005, 2, False, "−0,01", "−0.01"),
        (None, 2, False, "–", "–"),
        (math.nan, 2, True, "–", "–"),
        (np.nan, 2, False, "–", "–"),
        (pd.NA, 2, False, "–", "–"),
    ],
)
def test_numbers(value, decimals, signed, vi, en):
    assert VI.number(value, decimals, signed=signed) == vi
    assert EN.number(value, decimals, signed=signed) == en


def test_the_minus_is_the_minus_sign():
    assert MINUS == "\u2212"
    assert VI.number(-1.6).startswith("\u2212")


def test_integers():
    assert VI.integer(1234) == "1.234"
    assert EN.integer(1234) == "1,234"
    assert VI.integer(63) == "63"
    assert VI.integer(2.5) == "3"
    assert EN.integer(None) == "–"


def test_scores_with_their_units():
    assert VI.score(83.72, 2, "%") == "83,72%"
    assert EN.score(83.72, 2, "%") == "83.72%"
    assert VI.score(58.07, 2, "điểm") == "58,07 điểm"
    assert EN.score(58.07, 2, "points") == "58.07 points"
    assert VI.score(58.07, 2, "") == "58,07"
    assert VI.score(1.39, 2, "%", signed=True) == "+1,39%"
    assert EN.score(-1.6, 2, "points", signed=True) == "−1.60 points"
    assert VI.score(None, 2, "%") == "–"


def test_tick_formatter_writes_ticks_as_scores():
    assert VI.tick_formatter()(1234.5, 0) == "1.235"
    assert EN.tick_formatter()(1234.5, 0) == "1,235"
    assert VI.tick_formatter(0, "%")(80.0, 0) == "80%"
    assert VI.tick_formatter(1)(-2.5, 0) == "−2,5"
    assert EN.tick_formatter(1, "%")(62.5, 3) == "62.5%"


# Dates and lists


def test_dates():
    day = datetime.date(2025, 4, 6)
    assert VI.date(day) == "ngày 6 tháng 4 năm 2025"
    assert EN.date(day) == "6 April 2025"
    assert VI.date(datetime.date(2020, 12, 31)) == "ngày 31 tháng 12 năm 2020"
    assert EN.date(datetime.date(2020, 12, 31)) == "31 December 2020"
    assert VI.date(day, "full") == "Chủ Nhật, ngày 6 tháng 4 năm 2025"
    assert EN.date(day, "full") == "Sunday, 6 April 2025"


def test_lists_in_running_text():
    assert VI.join(["a", "b", "c"]) == "a, b và c"
    assert EN.join(["a", "b", "c"]) == "a, b and c"
    assert VI.join(["Hà Nội", "Hải Phòng"]) == "Hà Nội và Hải Phòng"
    assert EN.join(["Hanoi"]) == "Hanoi"
    assert EN.join(()) == ""


# Collation


@pytest.mark.parametrize(
    "expected",
    [
        ["Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp"],
        ["An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre"],
        [
            "Hà Giang",
            "Hà Nam",
            "Hà Nội",
            "Hà Tĩnh",
            "Hải Dương",
            "Hải Phòng",
            "Hậu Giang",
            "Hòa Bình",
            "Hưng Yên",
        ],
        ["Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Gia Lai"],
        ["Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị"],
    ],
)
def test_vietnamese_collation(expected):
    for shuffled in (expected[::-1], expected[1::2] + expected[::2]):
        assert VI.sorted(shuffled) == expected


def test_dak_lak_sorts_after_da_nang_and_before_dien_bien():
    assert VI.sort_key("Đà Nẵng") < VI.sort_key("Đắk Lắk") < VI.sort_key("Điện Biên")


def test_vietnamese_letters_are_letters_of_their_own():
    # d < đ, a < ă < â, o < ô < ơ, u < ư: the letter, not the tone, decides first.
    assert VI.sorted(["đa", "dz", "ư", "uz", "ơ", "ôz", "oz", "â", "ăz", "az"]) == [
        "az",
        "ăz",
        "â",
        "dz",
        "đa",
        "oz",
        "ôz",
        "ơ",
        "uz",
        "ư",
    ]


def test_collation_reads_decomposed_text_as_composed():
    names = [unicodedata.normalize("NFD", name) for name in ("Điện Biên", "Đắk Lắk", "Đà Nẵng")]
    assert [unicodedata.normalize("NFC", name) for name in VI.sorted(names)] == [
        "Đà Nẵng",
        "Đắk Lắk",
        "Điện Biên",
    ]


def test_sorted_by_a_key_and_english_collation():
    rows = [{"name": "Hưng Yên"}, {"name": "Hà Nội"}, {"name": "Bắc Ninh"}]
    assert [row["name"] for row in VI.sorted(rows, key=lambda row: row["name"])] == [
        "Bắc Ninh",
        "Hà Nội",
        "Hưng Yên",
    ]
    assert EN.sorted(["Hanoi", "Can Tho", "Ba Ria - Vung Tau", "an Giang"]) == [
        "an Giang",
        "Ba Ria - Vung Tau",
        "Can Tho",
        "Hanoi",
    ]
