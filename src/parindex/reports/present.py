"""Presentation: tables, figures, banners and numbers as the HTML the report notebooks display."""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from parindex.i18n import LANGUAGES_MIME, Lang
from parindex.reports import style

SIMULATED_MARK = "†"
SIMULATED_NOTE = f"{SIMULATED_MARK} simulated (demonstration) value, not an official figure."
# A table longer than this gets a search box on screen.
SEARCH_ROWS = 15
SEARCH_LABEL = "Search the table"

STYLE = """<style>
.parindex-banner { border: 2px solid #D55E00; background: #FFF3EC; color: #7a2b00; padding: .6em 1em;
  margin: .5em 0 1em; font-weight: bold; }
.parindex-table { border-collapse: collapse; font-size: 9pt; margin: .5em 0; }
.parindex-table th, .parindex-table td { padding: 2px 8px; border-bottom: 1px solid #ddd;
  text-align: left !important; }
.parindex-table td.num, .parindex-table th.num { text-align: right !important;
  font-variant-numeric: tabular-nums; }
.parindex-table td.simulated { color: #555; font-style: italic; }
.parindex-table td.nowrap { white-space: nowrap; }
.parindex-table td.hash { font-family: 'DejaVu Sans Mono', monospace; font-size: 7pt; word-break: break-all; }
.parindex-table caption { caption-side: top; text-align: left; font-weight: bold; padding: .3em 0; }
.parindex-note { font-size: 8.5pt; color: #444; }
.parindex-endnote p { font-size: 7pt; line-height: 1.3; margin: .3em 0 0; color: #444; }
.parindex-figure { margin: 1em 0; break-inside: avoid; }
.parindex-figure img, .parindex-figure > svg { display: block; width: 100%; height: auto; }
.parindex-figure figcaption { font-size: 8.5pt; color: #444; }
.parindex-key { display: flex; flex-wrap: wrap; gap: .6em; margin: .5em 0; }
.parindex-key div { border: 1px solid #ccc; padding: .4em .8em; min-width: 8em; }
.parindex-key b { display: block; font-size: 14pt; }
</style>"""


def number(value: float | int | None, decimals: int = 2, signed: bool = False) -> str:
    """A number as the reports write it: fixed decimals, a sign on changes, a dash when missing."""
    if value is None or pd.isna(value):
        return "–"
    text = f"{value:+.{decimals}f}" if signed else f"{value:.{decimals}f}"
    return text.replace("-", "−")


@dataclass(frozen=True)
class Column:
    """One column of a report table: which frame column, its header, and how cells are written."""

    key: str
    header: str
    format: Callable[[object], str] = str
    numeric: bool = False
    marks_simulated: bool = False
    css: str = ""


class Localized:
    """One output of a report cell written in each language of the build.

    A notebook shows the first language; the export keeps the language of the page it writes (see
    `parindex.pipeline.export.select_language`), so every language comes from one run of the analysis.

    Attributes:
        texts: The HTML by language code, the main language first.
    """

    def __init__(self, texts: Mapping[str, str]):
        self.texts = dict(texts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/html": as_images(next(iter(self.texts.values()), "")), LANGUAGES_MIME: self.texts}

    def __repr__(self) -> str:
        return f"Localized({', '.join(self.texts)})"


def as_images(page: str) -> str:
    """HTML with each inline chart (see `figure`) as an <img> of its SVG, for a notebook's own display.

    JupyterLab shows a notebook it has not run itself (an executed report opened later) through a sanitizer
    that removes inline SVG but keeps images; the exported page keeps the inline charts and their titles.
    """
    return _INLINE.sub(
        lambda m: (
            f'<img src="data:image/svg+xml;base64,{base64.b64encode(m.group(0).encode()).decode()}" '
            f'alt="{m.group(1)}">'
        ),
        page,
    )


_INLINE = re.compile(r'<svg role="img" aria-label="([^"]*)" .*?</svg>', re.S)


def each(languages: Sequence[Lang], render: Callable[[Lang], str]) -> Localized:
    """An output written once per language.

    Args:
        languages: The languages, the main one first.
        render: Writes the output's HTML in one language.

    Returns:
        The output in every language.
    """
    return Localized({language.code: render(language) for language in languages})


def heading(text: str, level: int = 2) -> str:
    """A section heading (escaped): it starts a PDF bookmark."""
    return f"<h{level}>{html.escape(text)}</h{level}>"


def table(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    caption: str = "",
    simulated: pd.Series | None = None,
    lang: Lang | None = None,
) -> str:
    """An HTML table; cells of simulated rows in marked columns get the † mark and a lighter style.

    The table is static; on screen the page's script (see `parindex.reports.screen`) lets a reader sort it by
    any column (numbers by the `data-value` of their cells, missing ones last; text in the page language's
    order) and, above `SEARCH_ROWS` rows, filter its rows. It sits in a box that scrolls on a narrow screen.

    Args:
        frame: The rows to show, in order.
        columns: The columns to show.
        caption: The table's caption.
        simulated: Boolean per row of `frame` (same index): whether its values are simulated.
        lang: The language of the note under the table and of the search box; English when None.

    Returns:
        The table's HTML, with a note under it when any shown value is simulated.
    """
    head = "".join(
        f'<th class="{"num" if c.numeric else ""}" scope="col">{html.escape(c.header)}</th>' for c in columns
    )
    rows = []
    any_simulated = False
    for position, (_, row) in enumerate(frame.iterrows()):
        is_simulated = bool(simulated.iloc[position]) if simulated is not None else False
        cells = []
        for c in columns:
            text = html.escape(c.format(row[c.key]))
            classes = (["num"] if c.numeric else []) + ([c.css] if c.css else [])
            if is_simulated and c.marks_simulated and text != "–":
                text += SIMULATED_MARK
                classes.append("simulated")
                any_simulated = True
            key = _number(row[c.key]) if c.numeric else None
            value = "" if key is None else f' data-value="{key}"'
            cells.append(f'<td class="{" ".join(classes)}"{value}>{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    note_text = lang.t("common.simulated_note") if lang is not None else SIMULATED_NOTE
    note = f'<p class="parindex-note">{html.escape(note_text)}</p>' if any_simulated else ""
    long = len(frame) > SEARCH_ROWS
    search = lang.t("common.table.search") if lang is not None else SEARCH_LABEL
    searchable = f' data-search="{html.escape(search)}"' if long else ""
    return (
        f'<div class="parindex-table-box{" parindex-long" if long else ""}">'
        f'<table class="parindex-table" data-sortable{searchable}>{caption_html}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{note}"
    )


def _number(value: object) -> str | None:
    """A cell's value as the number it sorts by, or None when it is missing or not a number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return f"{number:.15g}" if math.isfinite(number) else None


def figure(fig: Figure, alt: str, caption: str = "") -> str:
    """A figure as inline SVG (vector, sharp in print) with its description and caption.

    Each mark given a text with `style.tooltip` shows it when the pointer rests on it.

    Args:
        fig: A chart from the report modules.
        alt: The description a screen reader reads (the chart's figures in words).
        caption: The figure's caption.

    Returns:
        The figure's HTML: an <svg role="img"> labelled by `alt`, its ids unique on the page.
    """
    svg = style.inline_svg(fig).replace("<svg ", f'<svg role="img" aria-label="{html.escape(alt)}" ', 1)
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="parindex-figure">{svg}{caption_html}</figure>'


def banner(text: str) -> str:
    """The demonstration banner shown at the top of a report."""
    return f'<div class="parindex-banner" role="note">{html.escape(text)}</div>'


def key_figures(items: Sequence[tuple[str, str]]) -> str:
    """A row of boxes, each a label and a figure."""
    boxes = "".join(f"<div>{html.escape(label)}<b>{html.escape(value)}</b></div>" for label, value in items)
    return f'<div class="parindex-key">{boxes}</div>'


def paragraphs(*texts: str) -> str:
    """Sentences as HTML paragraphs (text is escaped)."""
    return "".join(f"<p>{html.escape(t)}</p>" for t in texts if t)


def write_summary(folder: Path, data: dict) -> Path:
    """Writes a report's figures as folder/summary.json (UTF-8, names as written), creating the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "summary.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def show(*parts: str) -> HTML:
    """Joins HTML parts into one displayable output (the report's first output carries STYLE)."""
    return HTML("".join(parts))
