"""Export: an executed notebook to self-contained HTML without code, and HTML to an A4 PDF with Chromium."""

from __future__ import annotations

import contextlib
import copy
import datetime
import functools
import html as html_text
import io
import logging
import os
import re
import secrets
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

import jinja2
import nbformat
import pikepdf
from nbconvert import HTMLExporter
from playwright.sync_api import Error, Page, Route, sync_playwright
from traitlets.config import Config

from parindex.errors import BuildError
from parindex.i18n import LANGUAGES_MIME
from parindex.i18n import lang as language_of
from parindex.pipeline.chromium import INSTALL_CHROMIUM, find_chromium
from parindex.pipeline.run import stable_ids
from parindex.reports import screen

log = logging.getLogger(__name__)

PAGE_MARGIN = {"top": "20mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
# Cell tags that hide a cell, its input or its outputs in the report (the Jupyter Book names).
REMOVE_TAGS = {"cell": {"remove-cell"}, "input": {"remove-input"}, "output": {"remove-output"}}
# A cell tagged lang-<code> (e.g. a markdown cell tagged lang-vi) is shown only in that language's report.
LANGUAGE_TAG = "lang-"
# Chromium runs in its sandbox unless it runs as root, where the sandbox cannot start (see `Printer`).
_CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]
_REMOTE = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)", re.I
)
# The lab template without anything that loads from the network (require.js, MathJax, Mermaid, widgets),
# with a page style for A4 print.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
main { max-width: 60rem; margin: 0 auto; }
@page { size: A4; }
@media print {
  html, body { background: #fff; }
  body.jp-Notebook { padding: 0; }
  main { max-width: none; }
  .jp-Cell { padding: 0; }
  .jp-OutputArea-output img, .jp-RenderedSVG svg { max-width: 100% !important; height: auto; }
  .jp-OutputArea-child, figure, img, svg, tr { break-inside: avoid; }
  .jp-OutputArea-child:has(table) { break-inside: auto; }  /* a table may go on over the page, */
  tbody tr:nth-child(-n+2), caption, thead, thead tr { break-after: avoid; }  /* nor leave its first rows */
  tbody tr:nth-last-child(-n+2) { break-before: avoid; }  /* or its last rows alone */
  h1, h2, h3, h4 { break-after: avoid; }
  h2 + p, h3 + p { break-after: avoid; }  /* a section's introduction stays with what follows it */
  table:not(:has(tbody tr:nth-child(16))) { break-inside: avoid; }  /* a short table is never split */
  .parindex-note { break-before: avoid; }  /* a table's note stays with its last rows */
  .jp-MarkdownCell { break-after: avoid-page; }  /* a heading stays with what follows it */
  .jp-MarkdownCell + .jp-CodeCell { break-before: avoid-page; }
  .jp-CodeCell:has(h2, h3) { break-after: avoid-page; }  /* so does a heading written by a cell */
  .jp-CodeCell:has(h2, h3) + .jp-CodeCell { break-before: avoid-page; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
</style>
{{ resources.parindex_style }}
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
{%- if resources.parindex_links or resources.parindex_languages or resources.parindex_downloads
  or resources.parindex_tables %}
<nav class="parindex-nav" aria-label="{{ resources.parindex_nav_label | e }}">
{%- for link in resources.parindex_links %}
<a href="{{ link.href | e }}">{{ link.text | e }}</a>
{%- endfor %}
{%- for link in resources.parindex_downloads %}
<a href="{{ link.href | e }}" download>{{ link.text | e }}</a>
{%- endfor %}
{%- if resources.parindex_tables %}
<details><summary>{{ resources.parindex_tables_label | e }}</summary><ul>
{%- for href in resources.parindex_tables %}
<li><a href="{{ href | e }}" download>{{ href.rpartition('/')[2] | e }}</a></li>
{%- endfor %}
</ul></details>
{%- endif %}
{%- if resources.parindex_languages %}
<span class="parindex-languages" role="group" aria-label="{{ resources.parindex_languages_label | e }}">
{%- for link in resources.parindex_languages %}
<a href="{{ link.href | e }}" hreflang="{{ link.code }}" lang="{{ link.code }}">{{ link.text | e }}</a>
{%- endfor %}
</span>
{%- endif %}
</nav>
{%- endif %}
<!--parindex-contents-->
{%- endblock body_header -%}
{%- block body_footer -%}
{{ resources.parindex_script }}
{{ super() }}
{%- endblock body_footer -%}
"""
_PAGE_BOX = (
    "font-family: 'DejaVu Sans', 'Liberation Sans', sans-serif; font-size: 8pt; color: #555; width: 100%; "
    f"box-sizing: border-box; padding: 0 {PAGE_MARGIN['right']} 0 {PAGE_MARGIN['left']};"
)


def select_language(nb: nbformat.NotebookNode, code: str) -> nbformat.NotebookNode:
    """Keeps one language of a notebook written in several, in place.

    An output holding every language (see `parindex.reports.present.Localized`) becomes that language's
    HTML, or is dropped when it has none in that language; a cell tagged lang-<other code> is dropped.

    Args:
        nb: The executed notebook.
        code: The language to keep, e.g. "vi".

    Returns:
        The same notebook.
    """
    cells = []
    for cell in nb.cells:
        tags = {tag for tag in cell.get("metadata", {}).get("tags", []) if tag.startswith(LANGUAGE_TAG)}
        if tags and f"{LANGUAGE_TAG}{code}" not in tags:
            continue
        kept = []
        for output in cell.get("outputs", []):
            texts = output.get("data", {}).get(LANGUAGES_MIME)
            if texts is None:
                kept.append(output)
            elif code in texts:
                output["data"] = {"text/html": texts[code]}
                kept.append(output)
        if "outputs" in cell:
            cell["outputs"] = kept
        cells.append(cell)
    nb.cells = cells
    return nb


def export_html(
    notebook: Path,
    html: Path,
    title: str,
    language: str = "en",
    alternates: Mapping[str, str] | None = None,
    downloads: Mapping[str, str] | None = None,
    links: Sequence[tuple[str, str]] = (),
    tables: Sequence[str] = (),
) -> Path:
    """Writes an executed notebook as one HTML file without code that opens with the network off.

    Images are embedded as data URIs; cells tagged remove-cell, remove-input or remove-output are hidden.
    Only the page's language is kept of outputs written in several (see `select_language`). On screen the
    page has a bar of links at the top, a table of contents of its h2 and h3 headings, and tables that sort
    and search (see `parindex.reports.screen`); print hides them.

    Args:
        notebook: The executed notebook.
        html: The HTML file to write.
        title: The page title (also the PDF's title).
        language: The page's language code: its outputs, and the page's `lang`.
        alternates: The same report in other languages, as {code: address relative to the page}; a link
            to each heads the page on screen.
        downloads: Files that go with the page, as {catalog key of the link's text: address}, e.g. the
            tables as a workbook; linked beside the languages.
        links: Other pages of the build, as (text, address relative to the page), e.g. the index.
        tables: The page's tables as files (CSV), as addresses relative to the page; listed under one link.

    Returns:
        The HTML file's path.

    Raises:
        BuildError: An output of the notebook loads something from the network.
    """
    nb = select_language(stable_ids(nbformat.read(notebook, as_version=4)), language)
    nb.metadata["title"] = title
    exporter = _exporter(language)
    resources = {
        "metadata": {"name": notebook.stem, "path": str(notebook.parent)},
        "parindex_languages": [
            {"code": code, "href": href, "text": language_of(code).t("common.language_name")}
            for code, href in (alternates or {}).items()
        ],
        "parindex_languages_label": language_of(language).t("common.other_languages"),
        "parindex_downloads": [
            {"href": href, "text": language_of(language).t(key)} for key, href in (downloads or {}).items()
        ],
        "parindex_links": [{"text": text, "href": href} for text, href in links],
        "parindex_tables": list(tables),
        "parindex_tables_label": language_of(language).t("common.nav.csv"),
        "parindex_nav_label": language_of(language).t("common.nav.label"),
        "parindex_style": screen.style(),
        "parindex_script": screen.script(),
    }
    token, drawings = _set_drawings_aside(nb)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body = _put_drawings_back(body, token, drawings)
    body, toc = screen.contents(body, language_of(language).t("common.toc"))
    body = body.replace("<!--parindex-contents-->", toc, 1)
    remote = remote_references(body)
    if remote:
        raise BuildError(
            f"{notebook.name}: the report would load {', '.join(remote)} from the network. "
            "Make the notebook output static images or tables instead (e.g. matplotlib figures)."
        )
    html.write_text(body, encoding="utf-8")
    return html


@functools.cache
def _exporter(language: str) -> HTMLExporter:
    """The HTML exporter of one language, made once per process: its templates are compiled at first use.

    A new exporter compiles the lab template and its parents again (about 0.08 s of a profile's 0.14 s).
    """
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = REMOVE_TAGS["cell"]
    config.TagRemovePreprocessor.remove_input_tags = REMOVE_TAGS["input"]
    config.TagRemovePreprocessor.remove_all_outputs_tags = REMOVE_TAGS["output"]
    return HTMLExporter(
        config=config,
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({"parindex.html.j2": _TEMPLATE})],
        template_file="parindex.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=language,
    )


_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def _set_drawings_aside(nb: nbformat.NotebookNode) -> tuple[str, list[str]]:
    """Replaces each SVG drawn in the notebook's HTML outputs with a mark: (the marks' token, the drawings).

    nbconvert reads and writes the whole page once more with BeautifulSoup (to give images without a
    description a stand-in and outputs a tab stop), which has nothing to do inside a chart: a chart's
    thousands of elements are most of that work, and it rewrites a chart's attributes (`viewbox`). The marks
    go through it as comments; a token new for each page leaves a look-alike comment of the notebook as it is.
    """
    token = secrets.token_hex(8)
    drawings: list[str] = []

    def mark(match: re.Match) -> str:
        if "<svg" in match.group(0)[4:]:  # a drawing within a drawing (none of ours): left as it is
            return match.group(0)
        drawings.append(match.group(0))
        return f"<!--parindex-drawing-{token}-{len(drawings) - 1}-->"

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                page = data["text/html"]
                data["text/html"] = _SVG.sub(mark, page if isinstance(page, str) else "".join(page))
    return token, drawings


def _put_drawings_back(page: str, token: str, drawings: list[str]) -> str:
    """The page with each drawing back in place of its mark (`_set_drawings_aside`)."""
    return re.sub(f"<!--parindex-drawing-{token}-(\\d+)-->", lambda m: drawings[int(m.group(1))], page)


_SVG_NS, _XLINK = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
_HREFS = (f"{{{_XLINK}}}href", "href")
ElementTree.register_namespace("", _SVG_NS)
ElementTree.register_namespace("xlink", _XLINK)


def unfold_uses(page: str) -> str:
    """The page with each SVG `<use>` replaced by what it shows, for printing.

    matplotlib draws every letter of a chart as a `<use>` of its glyph, and Chromium builds a tree of its
    own for each one: a fifth of a report's print time. Each is replaced as SVG 1.1 defines it, by a `<g>`
    with the use's attributes (but x, y and the reference) and `translate(x y)` after its transform, holding
    the use's own children (a tooltip) and a copy of the element referred to; for matplotlib's glyphs and
    marks (a path shown with a transform and colours only) the copy takes the group's place, which is the
    same drawing with an element less. The page looks the same to the pixel; a drawing that does not parse,
    or a reference outside its drawing, is left as it is.
    """
    return _SVG.sub(lambda match: _unfold(match.group(0)), page) if "<use" in page else page


_USE_ONLY = {"x", "y", "width", "height", *_HREFS}
# A use whose style sets only these (inherited, set by no style sheet of the page) can pass them to its copy.
_PASSED = {"fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity"}


def _unfold(drawing: str) -> str:
    if "<use" not in drawing:
        return drawing
    try:
        root = ElementTree.fromstring(drawing)
    except ElementTree.ParseError:
        return drawing
    targets = {element.get("id"): element for element in root.iter() if element.get("id")}
    for parent in list(root.iter()):
        for index, use in enumerate(parent):
            if use.tag != f"{{{_SVG_NS}}}use":
                continue
            reference = next((use.get(name) for name in _HREFS if use.get(name)), "")
            target = targets.get(reference[1:]) if reference.startswith("#") else None
            if target is None or any(use is element for element in target.iter()):
                continue
            x, y = use.get("x", "0"), use.get("y", "0")
            moved = f" translate({x} {y})" if (x, y) != ("0", "0") else ""
            transform = (use.get("transform", "") + moved).strip()
            shown = copy.deepcopy(target)
            shown.attrib.pop("id", None)
            style = use.get("style", "").strip().rstrip(";")
            passed = {part.partition(":")[0].strip() for part in style.split(";") if part.strip()}
            if (
                target.tag == f"{{{_SVG_NS}}}path"
                and set(target.keys()) <= {"id", "d", "style", "transform"}
                and set(use.keys()) <= {"x", "y", "style", "transform", *_HREFS}
                and passed <= _PASSED
            ):
                if transform or target.get("transform"):
                    shown.set("transform", f"{transform} {target.get('transform', '')}".strip())
                if style:
                    shown.set("style", "; ".join(filter(None, (style, target.get("style", "").strip()))))
                shown[:0] = list(use)
                parent[index] = shown
                continue
            group = ElementTree.Element(f"{{{_SVG_NS}}}g")
            for name, value in use.items():
                if name not in _USE_ONLY:
                    group.set(name, value)
            if transform:
                group.set("transform", transform)
            group.extend([*use, shown])
            parent[index] = group
    return ElementTree.tostring(root, encoding="unicode")


def remote_references(page: str) -> list[str]:
    """The addresses of scripts, styles, images and frames a page loads from the network."""
    return sorted(set(_REMOTE.findall(page)))


def pdf_date(now: datetime.datetime | None = None) -> str:
    """The PDF date of a build: SOURCE_DATE_EPOCH when set (reproducible builds), else now, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if now is None:
        now = (
            datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
            if epoch
            else datetime.datetime.now(datetime.UTC)
        )
    return now.astimezone(datetime.UTC).strftime("D:%Y%m%d%H%M%SZ")


# playwright's driver (Node.js) with a young generation of 1 MB instead of 16: about 35 MB less memory
# after a few reports, its time the same.
_DRIVER_OPTIONS = "--max-semi-space-size=1"


@contextlib.contextmanager
def _driver_options(options: str) -> Iterator[None]:
    """Adds to NODE_OPTIONS while playwright starts its driver, which reads the environment then."""
    before = os.environ.get("NODE_OPTIONS")
    os.environ["NODE_OPTIONS"] = f"{before} {options}" if before else options
    try:
        yield
    finally:
        if before is None:
            del os.environ["NODE_OPTIONS"]
        else:
            os.environ["NODE_OPTIONS"] = before


class Printer:
    """Prints HTML files to A4 PDFs with the system Chromium; one browser serves every file of a build.

    A page is printed with JavaScript off and may load nothing but data: and blob: addresses and the files of
    its own folder. Chromium runs in its sandbox, except as root (where Chromium cannot start it) or where
    the machine does not allow it (a warning says so).

    Use as a context manager::

        with Printer() as printer:
            printer.print_pdf(html, pdf, header="PAR INDEX 2020", title="PAR INDEX 2020")

    Attributes:
        executable: The browser; the first Chromium on the PATH when None.
        blocked: The addresses the last page loaded tried to reach and was refused.
        sandboxed: Whether the browser runs in Chromium's sandbox (set when it starts).
    """

    def __init__(self, executable: Path | None = None):
        self.executable = executable
        self.blocked: list[str] = []
        self.sandboxed = False
        self._playwright = None
        self._browser = None
        self._kept = None  # (folder, context, page) of the last page printed, reused for its folder

    def __enter__(self) -> Printer:
        executable = self.executable or find_chromium()
        with _driver_options(_DRIVER_OPTIONS):
            self._playwright = sync_playwright().start()
        self.sandboxed = os.geteuid() != 0
        try:
            try:
                self._browser = self._launch(executable)
            except Error as error:
                if not self.sandboxed or "sandbox" not in error.message.lower():
                    raise
                log.warning(
                    "Chromium's sandbox cannot start on this machine; printing without it "
                    "(pages still load nothing but their own folder, with JavaScript off)"
                )
                self.sandboxed = False
                self._browser = self._launch(executable)
        except Error as error:
            self._playwright.stop()
            self._playwright = None
            raise BuildError(
                f"Chromium at {executable} did not start: {error.message.splitlines()[0]}. "
                f"Reinstall it with: {INSTALL_CHROMIUM}"
            ) from None
        log.debug(
            "Chromium %s started from %s (sandbox: %s)", self._browser.version, executable, self.sandboxed
        )
        return self

    def _launch(self, executable: Path):
        return self._playwright.chromium.launch(
            executable_path=str(executable), args=_CHROMIUM_ARGS, chromium_sandbox=self.sandboxed
        )

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._drop()
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None

    def _drop(self) -> None:
        """Closes the page kept for reuse, if any."""
        kept, self._kept = self._kept, None
        if kept is not None:
            with contextlib.suppress(Error):
                kept[1].close()

    @contextlib.contextmanager
    def load(self, html: Path, scripts: bool = False, name: str = "", keep: bool = True) -> Iterator[Page]:
        """Opens an HTML file by its file:// address, once it and its fonts have loaded.

        The page may load data: and blob: addresses and the files of its own folder (after following
        symbolic links); every other request (the network, any other file) is aborted, listed in
        `self.blocked` and logged as a warning.

        Args:
            html: The HTML file.
            scripts: Whether the page's own scripts run (off for printing; the page's `evaluate` works
                either way).
            name: The page in messages; the file's name when empty.
            keep: Whether to keep the page (without scripts) for the next file of the same folder.

        Yields:
            The loaded page. A page loaded with scripts, or not to keep, is closed on leaving the block;
            one kept loads the next file of the same folder (another file of a year's profiles), which
            spares Chromium a new renderer for each.

        Raises:
            BuildError: The printer is not started.
        """
        if self._browser is None:
            raise BuildError("Printer used outside `with Printer() as printer:`")
        html = Path(html).resolve()
        self.blocked = []
        if not scripts and self._kept is not None and self._kept[0] == html.parent:
            _, context, page = self._kept
        else:
            self._drop()
            context = self._browser.new_context(service_workers="block", java_script_enabled=scripts)
            context.route("**/*", functools.partial(self._own_folder, html.parent))
            page = None
        self._kept = None
        try:
            page = page or context.new_page()
            page.goto(html.as_uri(), wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            if self.blocked:
                blocked = ", ".join(self.blocked)
                log.warning("%s: blocked requests outside its folder: %s", name or html.name, blocked)
            yield page
        except BaseException:
            with contextlib.suppress(Error):
                context.close()
            raise
        if scripts or not keep:
            context.close()
        else:
            self._kept = (html.parent, context, page)

    def print_pdf(
        self,
        html: Path,
        pdf: Path,
        header: str,
        title: str,
        author: str = "",
        notice: str = "",
        language: str = "en",
        keep: bool = True,
    ) -> Path:
        """Prints one HTML file to an A4 PDF with a running header, page numbers, bookmarks and tags.

        Nothing is fetched from the network while printing; the PDF's dates are set by `pdf_date`.

        Args:
            html: The HTML file.
            pdf: The PDF file to write.
            header: The running header, e.g. "PAR INDEX 2020".
            title: The PDF's title.
            author: The PDF's author (the organisation publishing the report, from params).
            notice: A line printed at the foot of every page (the demonstration-data warning), if any.
            language: The report's language code: the page numbers' words and the PDF's /Lang.
            keep: Whether to keep the page for the next file of the same folder (see `load`); a large
                page's renderer holds about 200 MB until the next file of another folder closes it.

        Returns:
            The PDF's path.

        Raises:
            BuildError: The printer is not started, or an image of the page did not load.
        """
        html, copy_file = Path(html), None
        content = html.read_bytes()
        if b"<use" in content:  # printed from a copy beside it: the same folder, the same addresses
            handle, name = tempfile.mkstemp(".html", ".parindex-print-", html.parent)
            with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as copy_out:
                copy_out.write(unfold_uses(content.decode("utf-8", errors="surrogateescape")))
            copy_file = Path(name)
        try:
            with self.load(copy_file or html, name=html.name, keep=keep) as page:
                broken = page.evaluate("Array.from(document.images).filter(i => !i.naturalWidth).length")
                if broken:
                    raise BuildError(f"{html.name}: {broken} image(s) did not load")
                printed = page.pdf(
                    format="A4",
                    margin=PAGE_MARGIN,
                    display_header_footer=True,
                    header_template=_header(header),
                    footer_template=_footer(notice, language),
                    outline=True,
                    tagged=True,
                    print_background=True,
                )
        except Error as error:
            raise BuildError(
                f"{html.name}: Chromium could not print it: {error.message.splitlines()[0]}"
            ) from None
        finally:
            if copy_file is not None:
                copy_file.unlink(missing_ok=True)
        # qpdf (through pikepdf) sets the metadata and packs the small objects (the tags, the outline)
        # into compressed object streams: a third smaller than Chromium's file, in about 0.06 s for 2020's.
        with pikepdf.open(io.BytesIO(printed)) as document:
            date = pdf_date()
            metadata = {"/Title": title, "/Creator": "parindex", "/CreationDate": date, "/ModDate": date}
            for key, value in (metadata | ({"/Author": author} if author else {})).items():
                document.docinfo[key] = pikepdf.String(value)
            document.Root.Lang = pikepdf.String(language)
            _number_tags(document)
            if "/ID" in document.trailer:  # Chromium's, made from the page's history too: made anew
                del document.trailer["/ID"]
            document.save(pdf, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return pdf

    def _own_folder(self, folder: Path, route: Route) -> None:
        """Lets data:, blob: and the folder's own file: requests through; aborts and notes every other one."""
        url = route.request.url
        if within(url, folder):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


def _number_tags(document: pikepdf.Pdf) -> None:
    """Numbers the tagged PDF's element ids 0, 1, 2... in their order, wherever they are named.

    Chromium names each tagged element after its page node (`node00023545`), and a page loaded where
    another was (`Printer.load` keeps its page) numbers its nodes on from there: the same page printed
    after another would be another file. The ids are renamed in the ID tree, on the elements and in a table
    cell's `/Headers`.
    """
    root = document.Root.get("/StructTreeRoot")
    if root is None or "/IDTree" not in root:
        return
    tree = pikepdf.NameTree(root.IDTree)
    old = sorted(tree.keys(), key=lambda name: (len(name), name))
    names = {name: f"node{index:08d}" for index, name in enumerate(old)}
    seen: set[tuple[int, int]] = set()

    def walk(value: object) -> None:
        if isinstance(value, pikepdf.Dictionary):
            if value.is_indirect:
                if value.objgen in seen:
                    return
                seen.add(value.objgen)
            # not the parent, the page or a marked object
            items = [(key, value[key]) for key in value.keys() if key not in ("/P", "/Pg", "/Obj", "/Stm")]
        elif isinstance(value, pikepdf.Array):
            items = list(enumerate(value))
        else:
            return
        for key, item in items:
            if isinstance(item, pikepdf.String):
                if str(item) in names:
                    value[key] = pikepdf.String(names[str(item)])
            else:
                walk(item)

    walk(root.get("/K"))
    numbered = pikepdf.NameTree.new(document)
    for name in old:
        numbered[names[name]] = tree[name]
    root.IDTree = numbered.obj


def within(url: str, folder: Path) -> bool:
    """Whether a page in `folder` may load an address: data: and blob:, or a file inside the folder.

    A file's path is resolved (symbolic links followed, `..` removed) before it is compared, so a link or
    a relative path that leads out of the folder is refused.

    Args:
        url: The address requested.
        folder: The folder of the page, resolved.

    Returns:
        True when the address may be loaded.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("data", "blob"):
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(parts.path))
    return path.is_absolute() and path.resolve().is_relative_to(folder.resolve())


def _header(text: str) -> str:
    return f'<div style="{_PAGE_BOX}">{html_text.escape(text)}</div>'


def _footer(notice: str = "", language: str = "en") -> str:
    warning = (
        f'<span style="float: left; color: #a03c00;">{html_text.escape(notice)}</span>' if notice else ""
    )
    words = html_text.escape(language_of(language).t("common.page", page="\x00", pages="\x01"))
    numbers = words.replace("\x00", '<span class="pageNumber"></span>').replace(
        "\x01", '<span class="totalPages"></span>'
    )
    return f'<div style="{_PAGE_BOX} text-align: right;">{warning}{numbers}</div>'
