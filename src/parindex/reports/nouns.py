"""The words of a unit type in a report: the catalogs' for the types they know, the params' for the others."""

from __future__ import annotations

from typing import Any

from parindex.data.params import Params
from parindex.data.units import available_sets
from parindex.errors import Problem
from parindex.i18n import Lang, lang


def _words(params: Params | None, unit_type: str) -> Any:
    """The params' words of a type the catalogs do not know, or None for a type they know."""
    return None if params is None else params.unit_types.get(unit_type)


def count(params: Params | None, unit_type: str, n: int, lang: Lang) -> str:
    """A count with its unit noun, e.g. "63 tỉnh, thành phố", "8 communes".

    Args:
        params: The year's params (their `unit_types` give the words of types the catalogs do not know).
        unit_type: The unit type.
        n: The count.
        lang: The language.

    Returns:
        The count and its noun, agreeing in number.
    """
    words = _words(params, unit_type)
    if words is None:
        known = unit_type if lang.has(f"common.unit.{unit_type}") else "unit"
        return lang.n(f"common.unit.{known}", n)
    return lang.n("common.unit.named", n, noun=noun(params, unit_type, lang, plural=n != 1))


def noun(params: Params | None, unit_type: str, lang: Lang, plural: bool = True) -> str:
    """The noun of a unit type in running text, e.g. "tỉnh, thành phố", "communes and wards".

    Args:
        params: The year's params.
        unit_type: The unit type.
        lang: The language.
        plural: The plural (several units) rather than the singular.

    Returns:
        The noun, lower case as running text writes it.
    """
    words = _words(params, unit_type)
    if words is None:
        known = unit_type if lang.has(f"chart.noun.{unit_type}") else "unit"
        return lang.n(f"chart.noun.{known}", 2 if plural else 1)
    return params.text(words.plural if plural else words.singular, lang.code)


def column(params: Params | None, unit_type: str, lang: Lang) -> str:
    """The heading of the column naming the units, e.g. "Tỉnh, thành phố", "Commune or ward"."""
    words = _words(params, unit_type)
    if words is None:
        return lang.t(
            f"common.column.{unit_type}" if lang.has(f"common.column.{unit_type}") else "common.column.unit"
        )
    return params.text(words.column, lang.code)


def sentence(
    params: Params, unit_type: str, lang: Lang, key: str, n: int | None = None, **values: Any
) -> str:
    """A message written for a unit type: `<key>.<type>` when the catalog has it, else `<key>.unit`.

    The generic `<key>.unit` messages name the units with {noun}: the plural, or with a count the form that
    agrees with it (the singular for 1).

    Args:
        params: The year's params.
        unit_type: The unit type.
        lang: The language.
        key: The message key without its type, e.g. "yearly.headline.improved".
        n: The count of a plural message; None for a plain one.
        **values: The message's other placeholders.

    Returns:
        The text.
    """
    own = f"{key}.{unit_type}"
    if _words(params, unit_type) is None and lang.has(own):
        return lang.t(own, **values) if n is None else lang.n(own, n, **values)
    generic = f"{key}.unit"
    words = {"noun": noun(params, unit_type, lang, plural=n is None or n != 1)}
    return lang.t(generic, **words, **values) if n is None else lang.n(generic, n, **words, **values)


def formal(params: Params | None, unit_type: str, lang: Lang) -> str:
    """The plural noun of a unit type written in full, e.g. "tỉnh, thành phố trực thuộc Trung ương".

    The catalog's `common.unit.<type>_noun` for the types it knows; else the plain plural (a type of params).
    """
    key = f"common.unit.{unit_type}_noun"
    if _words(params, unit_type) is None and lang.has(key):
        return lang.t(key)
    return noun(params, unit_type, lang)


def main_set(params: Params) -> tuple[str, str]:
    """The main type's unit in English and its set's name, e.g. ("commune or ward", "son_ha_communes").

    What a message about a code that is no unit of the set says (`params.code_problems`).
    """
    return noun(params, params.main_type, lang("en"), plural=False), params.units[params.main_type]


def unknown_code(params: Params, codes: list[str], hint: str = "", fix_tail: str = "") -> Problem:
    """The problem of codes no unit of the main type has in a year, e.g. "no commune or ward with code X".

    Args:
        params: The year's params.
        codes: The unknown codes, as the message writes them.
        hint: Said after the message, e.g. "; did you mean '01' (Hà Nội)?".
        fix_tail: Said after the fix's register file, e.g. " as text".

    Returns:
        The problem, in the params file, naming the register of the main type's unit set in its fix.
    """
    noun_en, set_name = main_set(params)
    register = available_sets(params.path(params.units_dir)).get(set_name, {}).get("register", "")
    return Problem(
        str(params.file),
        f"no {noun_en} with code {', '.join(codes)} in {params.year}{hint}",
        f"use a code of {params.units_dir}/{register}{fix_tail}",
    )


def english_names(params: Params, unit_type: str) -> bool:
    """Whether pages in English name a type's units by their English names (the register's name_en).

    Units of a main type the catalogs know (provinces) keep their official Vietnamese names in every
    language; the units of the other types, and of a main type named in params (communes and wards), go by
    their English names.
    """
    return unit_type != params.main_type or unit_type in params.unit_types
