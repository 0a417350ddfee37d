"""The report pages on screen: sortable and searchable tables, a table of contents and links between pages.

The page stays the printed page: the script and style here are written into it once, load nothing, and only
add to it (buttons on table headers, a search box above long tables); print hides what they add, and the
PDF, printed with JavaScript off, gets the static page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

_ASSETS = files("parindex.reports") / "assets"
_HEADING = re.compile(r"<h([23])\b([^>]*)>(.*?)</h\1>", re.S | re.I)
_ID = re.compile(r"""\bid\s*=\s*(["'])(.*?)\1""", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


@cache
def script() -> str:
    """The page's script (sorting and searching tables), as an inline <script> element."""
    return f"<script>\n{(_ASSETS / 'screen.js').read_text(encoding='utf-8')}</script>"


@cache
def style() -> str:
    """The page's screen style (navigation, contents, tables, charts at any width), as a <style> element."""
    return f"<style>\n{(_ASSETS / 'screen.css').read_text(encoding='utf-8')}</style>"


def contents(page: str, title: str) -> tuple[str, str]:
    """Gives every h2 and h3 heading of a page an id, and makes the page's table of contents from them.

    A heading keeps the id it has (a markdown heading's, from nbconvert); one without gets `section-<n>`.

    Args:
        page: The page's HTML.
        title: The contents' heading, in the page's language.

    Returns:
        The page with ids on its headings, and the contents as a collapsed <nav> (empty without headings).
    """
    entries: list[tuple[int, str, str]] = []
    used = set(match.group(2) for match in _ID.finditer(page))

    def anchor(match: re.Match) -> str:
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        text = " ".join(html.unescape(_TAG.sub("", inner)).replace("¶", "").split())
        if not text:
            return match.group(0)
        found = _ID.search(attributes)
        if found:
            name = html.unescape(found.group(2))
        else:
            name = f"section-{len(entries) + 1}"
            while name in used:
                name += "-"
            used.add(name)
            attributes += f' id="{name}"'
        entries.append((level, name, text))
        return f"<h{level}{attributes}>{inner}</h{level}>"

    page = _HEADING.sub(anchor, page)
    if not entries:
        return page, ""
    return page, _toc(entries, title)


def _toc(entries: Sequence[tuple[int, str, str]], title: str) -> str:
    """The contents as nested lists: each h3 under the h2 before it."""
    items: list[str] = []
    open_sub = False
    for level, name, text in entries:
        link = f'<a href="#{html.escape(name)}">{html.escape(text)}</a>'
        if level == 3 and items:
            items.append(("" if open_sub else "<ol>") + f"<li>{link}</li>")
            open_sub = True
            continue
        if open_sub:
            items.append("</ol></li>")
            open_sub = False
        elif items:
            items.append("</li>")
        items.append(f"<li>{link}")
    items.append("</ol></li>" if open_sub else "</li>")
    label = html.escape(title)
    return (
        f'<nav class="parindex-toc" aria-label="{label}"><details><summary>{label}</summary>'
        f"<ol>{''.join(items)}</ol></details></nav>"
    )
