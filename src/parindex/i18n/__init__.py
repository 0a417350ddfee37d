"""Languages of the reports: messages from gettext catalogs, numbers, dates, lists and collation by locale."""

from __future__ import annotations

import datetime
import functools
import gettext
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any

import babel
import babel.dates
import babel.lists
import babel.numbers
import icu
from babel.messages.pofile import read_po

from parindex.errors import InputError, Problem

if TYPE_CHECKING:
    from matplotlib.ticker import FuncFormatter

log = logging.getLogger(__name__)

# The output of a report cell in every language of the build, as {language code: HTML}: export keeps one.
LANGUAGES_MIME = "application/vnd.parindex.languages+json"
MISSING = "\u2013"  # en dash: a value that does not exist
MINUS = "\u2212"  # the minus sign, not the hyphen
_MAIN = "vi"  # the main language, listed first
_DOMAIN = "parindex"
# Date patterns where the locale's standard one does not read as the language writes dates in a report.
_DATE_PATTERNS = {
    ("vi", "long"): "'ngày' d 'tháng' M 'năm' y",
    ("vi", "full"): "EEEE, 'ngày' d 'tháng' M 'năm' y",
}


def _discover(root: Traversable) -> tuple[str, ...]:
    """Lists the languages that have a catalog under `root`, the main language first.

    Args:
        root: The locales folder, holding <code>/LC_MESSAGES/parindex.po.

    Returns:
        The language codes, the main one first, then the others in alphabetical order.
    """
    codes = [
        entry.name
        for entry in root.iterdir()
        if entry.is_dir() and entry.joinpath("LC_MESSAGES", f"{_DOMAIN}.po").is_file()
    ]
    return tuple(sorted(codes, key=lambda code: (code != _MAIN, code)))


_LOCALES = resources.files(__name__).joinpath("locales")
LANGUAGES = _discover(_LOCALES)


@dataclass(frozen=True)
class _Catalog:
    """One language's messages as read from its .po file.

    Attributes:
        locale: The locale named by the catalog's Language header: numbers, dates, lists and collation.
        plural: Maps a count to the index of its plural form, from the Plural-Forms header.
        messages: Text by key: a string, or a tuple of plural forms.
    """

    locale: babel.Locale
    plural: Callable[[int], int]
    messages: Mapping[str, str | tuple[str, ...]]


@functools.cache
def _load(code: str) -> _Catalog:
    """Reads a language's catalog once per process; entries marked fuzzy or left empty are left out."""
    path = _LOCALES.joinpath(code, "LC_MESSAGES", f"{_DOMAIN}.po")
    with path.open("rb") as file:
        catalog = read_po(file)
    messages: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if message.pluralizable:
            if all(message.string):
                messages[message.id[0]] = tuple(message.string)
        elif message.string:
            messages[message.id] = message.string
    log.debug("read %d messages of %s from %s", len(messages), code, path)
    return _Catalog(
        locale=catalog.locale or babel.Locale.parse(code),
        plural=gettext.c2py(catalog.plural_expr),
        messages=messages,
    )


@functools.cache
def _collator(locale: str) -> icu.Collator:
    """The ICU collator of a locale, comparing decomposed and composed text alike."""
    collator = icu.Collator.createInstance(icu.Locale(locale))
    collator.setAttribute(icu.UCollAttribute.NORMALIZATION_MODE, icu.UCollAttributeValue.ON)
    return collator


def _is_missing(value: object) -> bool:
    """True for None, NaN, pandas.NA and NaT."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA compares to NA, whose truth is undefined
        return True


def _decimal(value: float | Decimal) -> Decimal:
    """The value as a Decimal of the digits it prints with, so that 2.675 is 2.675 and not 2.67499..."""
    if isinstance(value, Decimal | int):
        return Decimal(value)
    return Decimal(str(value))


@dataclass(frozen=True)
class Lang:
    """One language of the reports: its messages and how it writes numbers, dates and lists.

    Attributes:
        code: The language code, the name of its folder under locales ("vi", "en").
    """

    code: str

    def __post_init__(self) -> None:
        if self.code not in LANGUAGES:
            available = ", ".join(LANGUAGES)
            raise InputError(
                [
                    Problem(
                        file="language",
                        message=f"no catalog for language '{self.code}'; the languages are {available}",
                        fix=f"choose one of {available}, or add locales/{self.code}/LC_MESSAGES/{_DOMAIN}.po "
                        "to parindex.i18n",
                    )
                ]
            )

    @property
    def _catalog(self) -> _Catalog:
        return _load(self.code)

    def _message(self, key: str) -> str | tuple[str, ...]:
        try:
            return self._catalog.messages[key]
        except KeyError:
            raise KeyError(f"no message '{key}' in the {self.code} catalog") from None

    def _fill(self, key: str, text: str, values: Mapping[str, Any]) -> str:
        try:
            return text.format(**values)
        except KeyError as missing:
            raise KeyError(f"message '{key}' of the {self.code} catalog needs the value {missing}") from None

    def has(self, key: str) -> bool:
        """Whether the catalog has a message for the key (e.g. a sentence written for one unit type)."""
        return key in self._catalog.messages

    def t(self, key: str, **values: Any) -> str:
        """The message of a key, its {name} placeholders filled in.

        Args:
            key: The message key, e.g. "common.page".
            **values: The placeholders' values, already written as the text should show them.

        Returns:
            The text in this language.

        Raises:
            KeyError: The catalog has no such message, or a placeholder has no value.
            ValueError: The message has plural forms: use `n`.
        """
        text = self._message(key)
        if isinstance(text, tuple):
            raise ValueError(f"message '{key}' has plural forms: use n() with a count")
        return self._fill(key, text, values)

    def n(self, key: str, count: int, **values: Any) -> str:
        """The plural form of a message that fits a count, as the catalog's Plural-Forms rule chooses.

        Args:
            key: The message key, e.g. "common.unit.province".
            count: The number the form agrees with; {count} shows it written as `integer` writes it.
            **values: Other placeholders' values.

        Returns:
            The text in this language, e.g. "63 provinces".

        Raises:
            KeyError: The catalog has no such message, or a placeholder has no value.
            ValueError: The message has no plural forms: use `t`.
        """
        forms = self._message(key)
        if not isinstance(forms, tuple):
            raise ValueError(f"message '{key}' has no plural forms: use t()")
        text = forms[min(self._catalog.plural(int(count)), len(forms) - 1)]
        return self._fill(key, text, {**values, "count": self.integer(count)})

    def number(self, value: float | Decimal | None, decimals: int = 2, signed: bool = False) -> str:
        """A number as the language writes it, rounded half up on the digits it prints with.

        Args:
            value: The number; None or NaN is written as an en dash.
            decimals: Digits after the decimal separator.
            signed: Write "+" before a positive number (a change); zero has no sign either way.

        Returns:
            E.g. "1.234,50" in Vietnamese, "1,234.50" in English; negatives with the minus sign "−".
        """
        if _is_missing(value):
            return MISSING
        exact = _decimal(value)
        if exact.is_finite():
            exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
            exact = exact.copy_abs() if exact.is_zero() else exact
        digits = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        plus = "+" if signed and exact > 0 else ""
        pattern = f"{plus}{digits};{MINUS}{digits}"
        return babel.numbers.format_decimal(exact, pattern, locale=self._catalog.locale)

    def integer(self, value: float | Decimal | None) -> str:
        """A whole number as the language writes it, e.g. "1.234" or "1,234"."""
        return self.number(value, decimals=0)

    def score(self, value: float | Decimal | None, decimals: int, unit: str, signed: bool = False) -> str:
        """A number with its unit, as the language writes the two together.

        Args:
            value: The number; None or NaN is written as an en dash, without the unit.
            decimals: Digits after the decimal separator.
            unit: "%" (written as the locale writes percentages: "83,72%"), a word such as "điểm" or "points"
                (after a space: "58,07 điểm"), or "" for the number alone.
            signed: Write "+" before a positive number.

        Returns:
            The number and its unit.
        """
        text = self.number(value, decimals, signed)
        if text == MISSING or not unit:
            return text
        if unit == "%":
            pattern = babel.numbers.parse_pattern(self._catalog.locale.percent_formats[None].pattern)
            return text + pattern.suffix[0]
        return f"{text} {unit}"

    def date(self, value: datetime.date, form: str = "long") -> str:
        """A date as the language writes it.

        Args:
            value: The date.
            form: "long" ("ngày 6 tháng 4 năm 2025", "6 April 2025"), or Babel's "full", "medium", "short".

        Returns:
            The date in words and numbers.
        """
        pattern = _DATE_PATTERNS.get((self.code, form), form)
        return babel.dates.format_date(value, pattern, locale=self._catalog.locale)

    def join(self, items: Sequence[str]) -> str:
        """Items as a list in running text: "a, b và c", "a, b and c"."""
        return babel.lists.format_list(list(items), locale=self._catalog.locale)

    def sort_key(self, text: str) -> bytes:
        """The collation key of a text by the language's alphabet (ICU): Đắk Lắk after Đà Nẵng."""
        return _collator(str(self._catalog.locale)).getSortKey(text)

    def sorted(self, items: Iterable[Any], key: Callable[[Any], str] | None = None) -> list:
        """Items sorted by the language's collation.

        Args:
            items: The items.
            key: Gives the text to sort an item by; the item itself when None.

        Returns:
            A new list.
        """
        text = key or str
        return sorted(items, key=lambda item: self.sort_key(text(item)))

    def tick_formatter(self, decimals: int = 0, unit: str = "") -> FuncFormatter:
        """A matplotlib formatter writing axis ticks as `score` writes numbers.

        Args:
            decimals: Digits after the decimal separator.
            unit: As for `score`: "%", a word, or "".

        Returns:
            A matplotlib.ticker.FuncFormatter.
        """
        from matplotlib.ticker import FuncFormatter

        return FuncFormatter(lambda value, _position: self.score(value, decimals, unit))


def lang(code: str | None) -> Lang:
    """The language of a code, checked against the catalogs present.

    Args:
        code: A language code such as "vi" or "en" (any case); None for the main language.

    Returns:
        The language.

    Raises:
        InputError: No catalog exists for the code; the message lists the languages available.
    """
    return Lang(LANGUAGES[0] if code is None else str(code).strip().lower())


def languages_of(codes: str | Sequence[str], default: Sequence[str]) -> tuple[Lang, ...]:
    """The languages a report is written in: those asked for, else the default (the params').

    Args:
        codes: Language codes, as a sequence or a comma-separated string ("vi,en"); empty for the default.
        default: The codes to use when none are asked for, the main one first.

    Returns:
        The languages, the main one first.

    Raises:
        InputError: A code has no catalog.
    """
    if isinstance(codes, str):
        codes = [code.strip() for code in codes.split(",") if code.strip()]
    return tuple(lang(code) for code in (codes or default))
