"""The page listing every profile of a year, sortable by any column, offline."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from parindex.reports import present
from parindex.reports.profile.history import History
from parindex.reports.profile.unit import file_stem


def index_rows(history: History, year: int) -> list[dict]:
    """One row per province of the year for `index_page`, linking <stem>.html and <stem>.pdf.

    Args:
        history: The loaded years.
        year: The year of the profiles.

    Returns:
        Dicts with code, name, region, score, rank, band, provenance, html and pdf, in rank order.
    """
    params = history.params(year)
    regions = history.regions.short_en
    rows = []
    for _, r in history.ranked(year).iterrows():
        stem = file_stem(params, r["code"])
        rows.append(
            {
                "code": r["code"],
                "name": r["name"],
                "region": regions.get(r["region"], r["region"]),
                "score": float(r["score"]),
                "rank": int(r["rank"]),
                "band": r["band"],
                "provenance": r["provenance"],
                "html": f"{stem}.html",
                "pdf": f"{stem}.pdf",
            }
        )
    return rows


_INDEX_STYLE = """
body { font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 10pt; margin: 2em auto;
  max-width: 60rem; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: left; }
th { cursor: pointer; user-select: none; background: #f4f4f4; }
th[aria-sort=ascending]::after { content: " ▲"; }
th[aria-sort=descending]::after { content: " ▼"; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.simulated { color: #555; font-style: italic; }
.note { font-size: 9pt; color: #444; }
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
        var order = th.dataset.type === "number" ? Number(x) - Number(y) : x.localeCompare(y, "vi");
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
    ("code", "Code", "text"),
    ("name", "Province", "text"),
    ("region", "Region", "text"),
    ("score", "Score", "number"),
    ("rank", "Rank", "number"),
    ("band", "Band", "text"),
)


def index_page(rows: Sequence[Mapping[str, object]], title: str) -> str:
    """A self-contained HTML page listing the profiles in a table sorted by clicking a header (works offline).

    Args:
        rows: One mapping per unit with code, name, region, score, rank, band, html and pdf (links relative
            to the page), and optionally provenance ("simulated" marks the score with †).
        title: The page's title and heading.

    Returns:
        The page: inline style and a few lines of inline JavaScript, nothing loaded from anywhere.
    """
    head = "".join(
        f'<th scope="col" data-type="{kind}" class="{"num" if kind == "number" else ""}">'
        f"{html.escape(label)}</th>"
        for _, label, kind in _INDEX_COLUMNS
    )
    head += '<th scope="col">Profile</th>'
    body = []
    simulated = False
    for row in rows:
        cells = []
        for key, _, kind in _INDEX_COLUMNS:
            value = row[key]
            text = html.escape(f"{value:.2f}" if key == "score" else str(value))
            classes = ["num"] if kind == "number" else []
            if key == "score" and row.get("provenance") == "simulated":
                text += present.SIMULATED_MARK
                classes.append("simulated")
                simulated = True
            css = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f'<td{css} data-value="{html.escape(str(value), quote=True)}">{text}</td>')
        links = (
            f'<a href="{html.escape(str(row["html"]), quote=True)}">HTML</a> · '
            f'<a href="{html.escape(str(row["pdf"]), quote=True)}">PDF</a>'
        )
        cells.append(f"<td>{links}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{html.escape(present.SIMULATED_NOTE)}</p>' if simulated else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_INDEX_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="note">{len(rows)} profiles. Click a column heading to sort by it; click again to '
        "reverse.</p>\n"
        f'<table id="profiles">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + f"\n</tbody>\n</table>\n{note}\n<script>{_SORT_SCRIPT}</script>\n</body>\n</html>\n"
    )
