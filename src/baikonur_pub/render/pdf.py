"""PDF through WeasyPrint: the print HTML plus styles/pdf.css, with a sandboxed URL fetcher.

The fonts come only from the font packages (see `html.fonts`). A character they lack would be
drawn from whatever font the host has, so the build refuses it twice over: before layout, by
the fonts' character maps against the document's text; after layout, by the fonts WeasyPrint
actually used (which also catches a glyph missing from one style, such as the italic).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from ..errors import RenderError
from ..manuscript import Edition
from . import RenderContext, highlight_css, html, pdfua

# The shared libraries WeasyPrint loads, by the name cffi reports, and the Debian package of each.
_DEBIAN_PACKAGES = {"gobject": "libglib2.0-0", "pangoft2": "libpangoft2-1.0-0",
                    "pango": "libpango-1.0-0", "harfbuzz": "libharfbuzz0b",
                    "fontconfig": "libfontconfig1"}
_NO_GLYPH_NEEDED = {"Cc", "Cf", "Zl", "Zp"}  # controls, soft hyphens, joiners, line separators


def load_weasyprint():
    """Import WeasyPrint; a missing system library becomes one line naming its Debian package."""
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    try:  # a missing library makes WeasyPrint print a banner: the error below says it in a line
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    except OSError as exc:  # cffi cannot dlopen a library WeasyPrint needs
        match = re.search(r"cannot load library '([^']+)'", str(exc))
        library = match.group(1) if match else str(exc).split(":")[0]
        package = next((pkg for key, pkg in _DEBIAN_PACKAGES.items() if key in library),
                       "libpango-1.0-0 libpangoft2-1.0-0")
        raise RenderError(f"WeasyPrint cannot load the system library {library}: install it "
                          f"with `apt-get install {package}` (Debian/Ubuntu)") from None
    return weasyprint


def fetcher_class(weasyprint):
    """A URL fetcher that serves `data:` URIs and files below the allowed folders only."""

    class SandboxFetcher(weasyprint.URLFetcher):
        def __init__(self, allowed: list[Path]):
            super().__init__(timeout=5, allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.allowed = [p.resolve() for p in allowed]

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

    return SandboxFetcher


class _TextOf(HTMLParser):
    """The character data of an HTML document, without <style> and <script> contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def document_text(document: str) -> str:
    parser = _TextOf()
    parser.feed(document)
    parser.close()
    return "".join(parser.parts)


@functools.cache
def covered_characters() -> frozenset[int]:
    """Code points both upright faces (text and heading) have a glyph for (the fonts come from
    installed packages: read once per process)."""
    from fontTools.ttLib import TTFont

    maps = []
    for face in html.fonts():  # prose: code falls back on the text faces for what mono lacks
        if face.weight == 400 and face.style == "normal" and face.family != html.CODE_FAMILY:
            with TTFont(face.path, lazy=True) as font:
                maps.append(set(font["cmap"].getBestCmap()))
    return frozenset(set.intersection(*maps))


def needs_glyph(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char) not in _NO_GLYPH_NEEDED


def uncovered_error(edition: Edition, chars: list[str]) -> RenderError:
    """Every character the fonts lack, each on a line of its own at the first source line that
    uses it (the chapters, then the bibliography and the configuration), at most 20 of them."""
    import unicodedata

    from ..errors import Problems, raise_all
    from ..sources import lines as split_lines

    pub = edition.pub
    sources = [(f.shown, f.text) for f in edition.files]
    for path in (pub.bibliography, pub.source):
        if path and path.is_file():
            sources.append((pub.shown(path), path.read_text(encoding="utf-8", errors="replace")))
    problems = []
    for char in chars[:20]:
        name = unicodedata.name(char, "").lower()
        message = (f"character '{char}' (U+{ord(char):04X}{', ' + name if name else ''}) is not "
                   "covered by the fonts")
        where = next(((shown, number) for shown, text in sources
                      for number, line in enumerate(split_lines(text), 1) if char in line), None)
        problems.append(RenderError(message, *where) if where else
                        RenderError(f"{edition.code}: {message}", pub.shown(pub.styles_dir / "templates")))
    if len(chars) > 20:
        problems.append(RenderError(f"{edition.code}: … and {len(chars) - 20} more characters "
                                    "the fonts do not cover"))
    try:
        raise_all(problems)
    except Problems as exc:
        return exc
    except RenderError as exc:
        return exc
    return problems[0]


def check_coverage(edition: Edition, document: str) -> None:
    covered = covered_characters()
    text = document_text(document)
    missing = sorted({c for c in text if needs_glyph(c) and ord(c) not in covered}, key=text.index)
    if missing:
        raise uncovered_error(edition, missing)


def check_fonts_used(edition: Edition, document) -> None:
    """After drawing: every glyph came from a packaged face, none from a host font and none
    slanted by Pango because the italic face lacks it (an oblique face is never packaged)."""
    from weasyprint.text.ffi import pango

    ours = {face.family for face in html.fonts()}
    fallen: list[str] = []
    for font in document.fonts.values():
        if font.family not in ours or font.style == pango.PANGO_STYLE_OBLIQUE:
            fallen += [c for text in font.to_unicode.values() for c in text if needs_glyph(c)]
        fallen += [chr(code) for code in font.missing]
    if fallen:
        raise uncovered_error(edition, list(dict.fromkeys(fallen)))


def relative_local_links(document, base: str) -> None:
    """Links to files beside the manuscript (the other editions) stay relative in the PDF:
    absolute `file:` URLs would point into the build machine."""
    for page in document.pages:
        page.links[:] = [(kind, target.removeprefix(base) if kind == "external" else target,
                          rect, box) for kind, target, rect, box in page.links]


def render(edition: Edition, ctx: RenderContext) -> bytes:
    pub = edition.pub
    document = html.page(edition, ctx)
    check_coverage(edition, document)
    if pub.pdf.variant == "pdf/ua-1":
        pdfua.check_alternatives(edition)
    weasyprint = load_weasyprint()
    # The document names no manuscript file (its images are data: URIs): only the trusted
    # styles and the packaged fonts can be read.
    fetcher = fetcher_class(weasyprint)([pub.styles_dir, *html.font_dirs()])
    css = pub.styles_dir / "pdf.css"
    base = pub.manuscript.resolve().as_uri() + "/"
    variant = None if pub.pdf.variant == "none" else pub.pdf.variant
    try:
        stylesheet = weasyprint.CSS(filename=str(css), url_fetcher=fetcher)
        tokens = weasyprint.CSS(string=highlight_css(pub, ctx.pandoc))
        laid_out = weasyprint.HTML(string=document, base_url=base, url_fetcher=fetcher).render(
            stylesheets=[stylesheet, tokens], pdf_variant=variant, pdf_tags=variant is not None)
    except weasyprint.urls.FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"{edition.code}: PDF: {cause}") from None
    relative_local_links(laid_out, base)
    tagged = variant == "pdf/ua-1"
    with pdfua.tagging(pdfua.link_descriptions(document)) if tagged else contextlib.nullcontext():
        data = laid_out.write_pdf(pdf_variant=variant, pdf_tags=variant is not None,
                                  pdf_identifier=True)  # an MD5 of the content: stable
    check_fonts_used(edition, laid_out)
    if tagged:
        data = pdfua.finish(data, edition.lang.locale, document_text(document))
        pdfua.check(data, f"{edition.code}: PDF")
    return data
