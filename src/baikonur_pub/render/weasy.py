"""The one door to WeasyPrint: its public API and the few internals the build relies on.

Each internal sits behind a function here with its own test (tests/test_weasy.py), so an
upgrade breaks in this file, visibly, rather than across the renderers; WeasyPrint is pinned to
the tested major version (pyproject.toml). The internals:
- `Document.fonts` (`Font.family`, `.style`, `.to_unicode`, `.missing`) — which faces drew
  which characters (`fonts_used`);
- `Page.links` tuples — link targets, rewritten before the PDF is written (`retarget_links`);
- `weasyprint.pdf.tags._build_box_tree` — wrapped while a tagged PDF is written, so each
  structure element can record the HTML element it comes from (`tag_notes`);
- `Page._page_box.children` — the margin boxes of a laid-out page, lent to another page of
  the same size (`lend_margin_boxes`: the facing-page edition's folios, known only once both
  languages are laid out);
- `weasyprint.text.ffi.harfbuzz_subset` — which font subsetter runs (`subsets_with_harfbuzz`);
- `weasyprint.svg.TAGS["path"]` and `pydyf.Stream.stream` — an SVG path's drawing operations
  made once and written again for the same path (`remember_svg_paths`).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import RenderError
from . import breakable

# The shared libraries WeasyPrint loads, by the name cffi reports, and the Debian package of each.
_DEBIAN_PACKAGES = {"gobject": "libglib2.0-0", "pangoft2": "libpangoft2-1.0-0",
                    "pango": "libpango-1.0-0", "harfbuzz": "libharfbuzz0b",
                    "fontconfig": "libfontconfig1"}
_TAGGING = threading.Lock()  # the tag-tree wrap is process-wide: one tagged write at a time


_LOADING = threading.Lock()  # sys.modules holds WeasyPrint from the start of its import
_PATCHED: list[bool] = []  # remember_svg_paths installed by `load`


def load():
    """Import WeasyPrint; a missing system library becomes one line naming its Debian package.
    One thread imports it; another waits until it is whole (sys.modules holds the module
    from the start of its import, so a second thread could take it half-initialised)."""
    with _LOADING:
        weasyprint = sys.modules.get("weasyprint") or _import()
        if not _PATCHED:  # once, whoever imported it first (a test may, a plugin may)
            _PATCHED.append(True)
            remember_svg_paths(True)
        return weasyprint


def _import():
    try:  # a missing library makes WeasyPrint print a banner: the error below says it in a line
        with _banner_hidden():
            try:
                with _no_compiler_lookups():
                    import weasyprint
            except OSError:  # found by gcc or ld only, then (or missing: the error again below)
                for name in [m for m in sys.modules if m.partition(".")[0] == "weasyprint"]:
                    del sys.modules[name]
                import weasyprint
    except OSError as exc:  # cffi cannot dlopen a library WeasyPrint needs
        match = re.search(r"cannot load library '([^']+)'", str(exc))
        library = match.group(1) if match else str(exc).split(":")[0]
        package = next((pkg for key, pkg in _DEBIAN_PACKAGES.items() if key in library),
                       "libpango-1.0-0 libpangoft2-1.0-0")
        raise RenderError(f"WeasyPrint cannot load the system library {library}: install it "
                          f"with `apt-get install {package}` (Debian/Ubuntu)") from None
    return weasyprint


# A formula is drawn (`formulas`) as an SVG of its glyphs, each a `<path>` in a `<symbol>`,
# and WeasyPrint parses a path's `d` into drawing operations in Python each time it is drawn:
# 8.7 glyphs a formula, 1.1 ms a glyph. The same glyph path (`d` and font size) gives the same
# operations, so they are made once and written again: 1,000 formulas drawn in 8.07 → 4.08 s
# (the same PDF bytes); a math book's cold build (QuantEcon's First Course, 10 lectures, 1,799
# formulas, English PDF, one job) 39.7–42.8 → 31.7–33.2 s and 511 → 482 MB, byte-identical.
# What is kept is bounded by the characters of the paths kept, _KEPT_CHARS in all for the
# process (about 3 bytes of operations a character: 12 MB; a glyph's path is 0.5–2 KB, so
# thousands of glyphs); a path longer than _PATH_CHARS, or past the bound, is drawn as
# WeasyPrint draws it (a manuscript's own SVG images hold few repeated paths).
_PATH_CHARS, _KEPT_CHARS = 20_000, 4_000_000
_DRAWN_PATHS: dict[tuple[str, float], tuple[list, list]] = {}
_KEPT = [0]  # the characters of the paths in _DRAWN_PATHS


def remember_svg_paths(on: bool) -> None:
    """Draw each SVG path once and write its operations again where it is drawn again (on),
    or as WeasyPrint draws every path (off: tests compare the two)."""
    from weasyprint import svg

    original = getattr(svg.TAGS["path"], "__wrapped__", svg.TAGS["path"])
    if not on:
        svg.TAGS["path"] = original
        return

    def path(drawing, node, font_size):
        operations = getattr(drawing.stream, "stream", None)
        key = (node.get("d", ""), font_size)
        if not isinstance(operations, list) or len(key[0]) > _PATH_CHARS:
            return original(drawing, node, font_size)
        found = _DRAWN_PATHS.get(key)
        if found is not None:
            operations.extend(found[0])
            node.vertices.extend(found[1])
            return None
        start, vertices = len(operations), len(node.vertices)
        original(drawing, node, font_size)
        if _KEPT[0] + len(key[0]) <= _KEPT_CHARS:
            _DRAWN_PATHS[key] = (operations[start:], list(node.vertices)[vertices:])
            _KEPT[0] += len(key[0])
        return None

    path.__wrapped__ = original
    svg.TAGS["path"] = path


@contextlib.contextmanager
def _banner_hidden() -> Iterator[None]:
    """WeasyPrint's banner on a missing library (printed to stdout) hidden, in a process with
    no other thread (the layout pool's server and workers, the preview's workers). sys.stdout
    is the whole process's: swapped from a thread (the one-job build's warm-up import), it
    took another thread's output, and the swap undone after that thread had swapped it in
    turn (click's test runner) left the process writing to a stream no one read (a check
    test's JSON report came out empty: once in CI, once in six runs of the fast tests)."""
    if threading.active_count() > 1:
        yield
        return
    with contextlib.redirect_stdout(io.StringIO()):
        yield


@contextlib.contextmanager
def _no_compiler_lookups() -> Iterator[None]:
    """While WeasyPrint loads, in a process with no other thread (the layout pool's server):
    no PATH, so `ctypes.util.find_library` asks ldconfig only, never gcc and ld.

    WeasyPrint tries each library under several names (`libgobject-2.0-0`, `gobject-2.0-0`, …,
    then `libgobject-2.0.so.0`, which the dynamic loader finds by itself); for each name that
    is not found, find_library ran `ldconfig -p`, `gcc` and `ld` in turn: 215 processes, 0.13 s
    of CPU in them and 0.25 s of the server's start (import 0.47–0.59 → 0.34–0.41 s wall, three
    runs each), before any layout can begin. The environment is the whole process's, so with
    another thread running (one that may start a process meanwhile) nothing is changed."""
    if threading.active_count() > 1:
        yield
        return
    saved = os.environ.get("PATH")
    os.environ["PATH"] = os.devnull  # not a folder: no program is found, none runs
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PATH"]
        else:
            os.environ["PATH"] = saved


def fetcher(allowed: list[Path]):
    """A URL fetcher that serves `data:` URIs and files below the `allowed` folders only."""
    weasyprint = load()

    class SandboxFetcher(weasyprint.URLFetcher):
        def __init__(self, roots: list[Path]):
            super().__init__(timeout=5, allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.allowed = [p.resolve() for p in roots]

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self.allowed):
                    raise ValueError(f"refusing to read {url}: only the styles and fonts are "
                                     "readable")
            elif scheme != "data":
                raise ValueError(f"refusing to fetch remote resource {url}")
            return super().fetch(url, headers)

    return SandboxFetcher(allowed)


def layout(document: str, base_url: str, url_fetcher, css_files: list[Path] = (),
           css_strings: list[str] = (), variant: str | None = None, what: str = "PDF",
           styles: "Styles | None" = None):
    """The laid-out Document; a refused or failed fetch is a RenderError. `styles`: sheets
    parsed once for several documents (with their fonts), before those of the arguments."""
    weasyprint = load()
    try:
        sheets = list(styles.sheets) if styles else []
        sheets += [weasyprint.CSS(filename=str(p), url_fetcher=url_fetcher) for p in css_files]
        sheets += [weasyprint.CSS(string=s, url_fetcher=url_fetcher) for s in css_strings]
        return weasyprint.HTML(string=breakable.breakable(document), base_url=base_url,
                               url_fetcher=url_fetcher).render(
            stylesheets=sheets, pdf_variant=variant, pdf_tags=variant is not None,
            font_config=styles.font_config if styles else None)
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise RenderError(f"{what}: {exc.__cause__ or exc}") from None


@dataclass(frozen=True)
class Styles:
    """Stylesheets parsed once, and the font configuration their @font-face rules filled, for
    several documents laid out alike (the parts of the facing-page edition: each parse of the
    styles and fonts cost a small document more than its layout)."""

    sheets: tuple
    font_config: object


def styles(url_fetcher, css_files: list[Path] = (), css_strings: list[str] = (),
           what: str = "PDF") -> Styles:
    weasyprint = load()
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    try:
        sheets = [weasyprint.CSS(string=s, url_fetcher=url_fetcher, font_config=font_config)
                  for s in css_strings]
        sheets += [weasyprint.CSS(filename=str(p), url_fetcher=url_fetcher, font_config=font_config)
                   for p in css_files]
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise RenderError(f"{what}: {exc.__cause__ or exc}") from None
    return Styles(tuple(sheets), font_config)


@dataclass(frozen=True)
class FontUse:
    family: str
    oblique: bool  # Pango slanted an upright face: the italic lacked the glyph
    drawn: str  # every character drawn with it
    missing: tuple[int, ...]  # code points it had no glyph for


def fonts_used(document) -> list[FontUse]:
    """The faces that drew a laid-out and written Document, with what each drew."""
    from weasyprint.text.ffi import pango

    return [FontUse(font.family, font.style == pango.PANGO_STYLE_OBLIQUE,
                    "".join(font.to_unicode.values()), tuple(font.missing))
            for font in document.fonts.values()]


def retarget_links(document, change: Callable[[str], str]) -> None:
    """Every external link target of `document` passed through `change`, before writing."""
    for page in document.pages:
        page.links[:] = [(kind, change(target) if kind == "external" else target, rect, box)
                         for kind, target, rect, box in page.links]


def lend_margin_boxes(donor, page) -> None:
    """Draw `donor`'s margin boxes (laid out already, at their places) on `page` too."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    box.children = [*box.children, *(child for child in donor._page_box.children
                                     if isinstance(child, boxes.MarginBox))]


def subsets_with_harfbuzz() -> bool:
    """Whether fonts are subset by HarfBuzz (else by fontTools, which stamps the time unless
    SOURCE_DATE_EPOCH is set)."""
    load()
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None


@dataclass(frozen=True)
class BoxOrigin:
    """What WeasyPrint knew of a structure element while tagging, gone from the PDF after."""

    element: int  # identity of the HTML element (its fragments on several pages share it)
    node: int  # identity of the box kind within the element (a pseudo-element, a leader)
    tag: str | None  # `p`, `h1`, `a::footnote-call`…
    attrs: dict  # class, lang, id, role of the HTML element
    leader: bool
    in_margin: bool  # in a page-margin box (running heads, folios)


@contextlib.contextmanager
def tag_notes(note: Callable[[BoxOrigin], dict], describe: Callable[[str], str | None]
              ) -> Iterator[str]:
    """While `write_pdf` runs under it, every structure element WeasyPrint makes stores
    `note(origin)` under the yielded private key, and every link annotation gets `describe(target)`
    (`#id` or URI) as its /Contents. One tagged write at a time."""
    import pydyf
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    key = "BaikonurTag"
    original = tags._build_box_tree
    identities: dict = {}
    margin = [0]

    def origin(box) -> BoxOrigin:
        html = box.element
        attrs = {a: html.get(a) for a in ("class", "lang", "id", "role")
                 if html is not None and hasattr(html, "get") and html.get(a)}
        tag = box.element_tag if isinstance(box.element_tag, str) else None
        return BoxOrigin(identities.setdefault(("element", id(html)), len(identities)),
                         identities.setdefault((id(html), box.element_tag, box.is_leader),
                                               len(identities)),
                         tag, attrs, bool(box.is_leader), bool(margin[0]))

    def build(box, parent, *rest):
        annotation = getattr(box, "link_annotation", None)
        if annotation is not None:
            target = (f"#{annotation['Dest'].string}" if "Dest" in annotation else
                      annotation["A"]["URI"].string if "A" in annotation else "")
            text = describe(target)
            if text:
                annotation["Contents"] = pydyf.String(text)
        inside = isinstance(box, boxes.MarginBox)
        margin[0] += inside
        try:
            for element in original(box, parent, *rest):
                if key not in element:
                    element[key] = pydyf.Dictionary({
                        k: pydyf.String(v) if isinstance(v, str) else v
                        for k, v in note(origin(box)).items()})
                yield element
        finally:
            margin[0] -= inside

    with _TAGGING:
        tags._build_box_tree = build
        try:
            yield "/" + key
        finally:
            tags._build_box_tree = original
