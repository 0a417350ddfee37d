"""The page listing every profile of a year, sortable by any column, offline."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from parindex.i18n import Lang
from parindex.i18n import lang as language
from parindex.reports import present
from parindex.reports.profile.history import History
from parindex.reports.profile.unit import file_stem


def index_rows(history: History, year: int, lang: Lang, order: str = "rank") -> list[dict]:
    """One row per province of the year for `index_page`, linking its profile in one language.

    Args:
        history: The loaded years.
        year: The year of the profiles.
        lang: The language of the region names and of the linked files (<stem>.<code>.html and .pdf).
        order: "rank" (best first) or "name" (by the language's collation: Đà Nẵng before Đắk Lắk).

    Returns:
        Dicts with code, name, region, score, rank, band, provenance, html and pdf.

    Raises:
        ValueError: The order is neither "rank" nor "name".
    """
    if order not in ("rank", "name"):
        raise ValueError(f"order must be 'rank' or 'name', not '{order}'")
    params = history.params(year)
    rows = []
    for _, r in history.ranked(year).iterrows():
        stem = file_stem(params, r["code"], r["name"])
        rows.append(
            {
                "code": r["code"],
                "name": r["name"],
                "region": history.regions.name(r["region"], lang.code, short=True),
                "score": float(r["score"]),
                "rank": int(r["rank"]),
                "band": r["band"],
                "provenance": r["provenance"],
                "html": f"{stem}.{lang.code}.html",
                "pdf": f"{stem}.{lang.code}.pdf",
            }
        )
    return lang.sorted(rows, key=lambda row: row["name"]) if order == "name" else rows


_INDEX_STYLE = """
body { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 10pt; margin: 2em auto;
  max-width: 60rem; padding: 0 1rem; color: #222; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; }
th { cursor: pointer; user-select: none; background: #f4f4f4; }
th[aria-sort=ascending]::after { content: " ▲"; }
th[aria-sort=descending]::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.simulated { color: #555; font-style: italic; }
.note { font-size: 9pt; color: #444; }
nav { text-align: right; }
"""


_SORT_SCRIPT = """
(function () {
  var table = document.getElementById("profiles");
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, column) {
    if (!th.dataset.type) { return; }
    function sort() {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
        var order = Number(x) - Number(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.tabIndex = 0;
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
    });
  });
})();
"""


_INDEX_COLUMNS = (
    ("code", "profile.listing.code", "text"),
    ("name", "common.column.province", "text"),
    ("region", "common.column.region", "text"),
    ("score", "common.column.score", "number"),
    ("rank", "common.column.rank", "number"),
    ("band", "common.column.band", "text"),
)


def _collation(rows: Sequence[Mapping[str, object]], key: str, lang: Lang) -> dict[str, int]:
    """Each text of a column and its place in the language's collation (what its header sorts by)."""
    return {text: i for i, text in enumerate(lang.sorted({str(row[key]) for row in rows}))}


def _cell(row: Mapping[str, object], key: str, kind: str, lang: Lang, decimals: int) -> str:
    """The text of one cell: numbers as the language writes them, † after a simulated score."""
    value = row[key]
    if key == "score":
        text = lang.number(value, decimals)
    elif kind == "number":
        text = lang.integer(value)
    else:
        text = str(value)
    return html.escape(text)


def index_page(
    rows: Sequence[Mapping[str, object]],
    title: str,
    lang: Lang,
    others: Mapping[str, str] | None = None,
    decimals: int = 2,
    unit_column: str = "",
    related: Sequence[tuple[str, str]] = (),
) -> str:
    """A self-contained HTML page listing the profiles in a table sorted by clicking a header (works offline).

    Text columns sort by the language's collation (Đà Nẵng, Đắk Lắk, Điện Biên), numbers by value.

    Args:
        rows: One mapping per unit with code, name, region, score, rank, band, html and pdf (links relative
            to the page), and optionally provenance ("simulated" marks the score with †); shown in this order.
        title: The page's title and heading.
        lang: The page's language: headers, numbers, notes, the `lang` attribute.
        others: The same page in other languages, as {code: address relative to the page}.
        decimals: Decimals scores are written with.
        unit_column: The heading of the units' names (e.g. "Commune or ward"); "Province" in the language
            when empty.
        related: Other pages of the output, as (text, address relative to the page), e.g. the year's report.

    Returns:
        The page: inline style and a few lines of inline JavaScript, nothing loaded from anywhere.
    """
    headings = {key: lang.t(label) for key, label, _ in _INDEX_COLUMNS} | (
        {"name": unit_column} if unit_column else {}
    )
    head = "".join(
        f'<th scope="col" data-type="{kind}" class="{"num" if kind == "number" else ""}">'
        f"{html.escape(headings[key])}</th>"
        for key, _, kind in _INDEX_COLUMNS
    )
    head += f'<th scope="col">{html.escape(lang.t("profile.listing.profile"))}</th>'
    places = {key: _collation(rows, key, lang) for key, _, kind in _INDEX_COLUMNS if kind == "text"}
    body = []
    simulated = False
    for row in rows:
        cells = []
        for key, _, kind in _INDEX_COLUMNS:
            text = _cell(row, key, kind, lang, decimals)
            classes = ["num"] if kind == "number" else []
            if key == "score" and row.get("provenance") == "simulated":
                text += present.SIMULATED_MARK
                classes.append("simulated")
                simulated = True
            css = f' class="{" ".join(classes)}"' if classes else ""
            value = places[key][str(row[key])] if key in places else row[key]
            cells.append(f'<td{css} data-value="{html.escape(str(value), quote=True)}">{text}</td>')
        links = (
            f'<a href="{html.escape(str(row["html"]), quote=True)}">HTML</a> · '
            f'<a href="{html.escape(str(row["pdf"]), quote=True)}">PDF</a>'
        )
        cells.append(f"<td>{links}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{html.escape(lang.t("common.simulated_note"))}</p>' if simulated else ""
    switch = " ".join(
        f'<a href="{html.escape(href, quote=True)}" hreflang="{code}" lang="{code}">'
        f"{html.escape(language(code).t('common.language_name'))}</a>"
        for code, href in (others or {}).items()
    )
    pages = "".join(
        f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a> · ' for text, href in related
    )
    nav = (
        f'<nav aria-label="{html.escape(lang.t("common.nav.label"), quote=True)}">{pages}{switch}</nav>\n'
        if switch or pages
        else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang.code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_INDEX_STYLE}</style>\n</head>\n<body>\n{nav}"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="note">{html.escape(lang.n("profile.listing.count", len(rows)))}</p>\n'
        f'<div class="scroll">\n<table id="profiles">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + f"\n</tbody>\n</table>\n</div>\n{note}\n<script>{_SORT_SCRIPT}</script>\n</body>\n</html>\n"
    )
