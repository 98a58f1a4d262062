"""PDF through WeasyPrint: the print HTML plus styles/pdf.css, with a sandboxed URL fetcher.

The fonts come only from the font packages (see `html.fonts`). A character they lack would be
drawn from whatever font the host has, so the build refuses it twice over: before layout, by
the fonts' character maps against the document's text; after layout, by the fonts WeasyPrint
actually used (which also catches a glyph missing from one style, such as the italic).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import unicodedata
from html.parser import HTMLParser

from ..errors import RenderError
from ..manuscript import Edition
from . import RenderContext, fonts, highlight_css, html, pdfua, weasy

_NO_GLYPH_NEEDED = {"Cc", "Cf", "Zl", "Zp"}  # controls, soft hyphens, joiners, line separators
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt), the rest of it: shown by
# nothing when no font has them, as HarfBuzz and Pango do. Variation selectors most of all:
# "❤️" is U+2764 then U+FE0F (emoji presentation), in every text that carries emoji.
_IGNORABLE = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
              (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF))


_CODE_ELEMENTS = ("code", "pre", "kbd", "samp")  # set in the code face (pdf.css)


class _TextOf(HTMLParser):
    """The character data of an HTML document, without <style> and <script> contents (`parts`),
    and the same split into what code elements hold (`code`) and the rest (`prose`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.prose: list[str] = []
        self.code: list[str] = []
        self._skip = 0
        self._code = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "script")
        self._code += tag in _CODE_ELEMENTS

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script") and self._skip > 0
        self._code -= tag in _CODE_ELEMENTS and self._code > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)
            (self.code if self._code else self.prose).append(data)


def _parsed(document: str) -> _TextOf:
    parser = _TextOf()
    parser.feed(document)
    parser.close()
    return parser


def document_text(document: str) -> str:
    return "".join(_parsed(document).parts)


@functools.cache
def covered_characters() -> frozenset[int]:
    """Code points both upright faces (text and heading) have a glyph for (the fonts come from
    installed packages: read once per process)."""
    # prose: code falls back on the text faces for what mono lacks
    return frozenset.intersection(*(fonts.cmap(face.path) for face in html.fonts()
                                    if face.weight == 400 and face.style == "normal"
                                    and face.family != html.CODE_FAMILY))


@functools.cache
def code_characters() -> frozenset[int]:
    """Code points the upright code face has a glyph for: code is set in it first (box
    drawing, `├──`, which no prose face has, is in every monospaced face worth the name)."""
    return frozenset.intersection(*(fonts.cmap(face.path) for face in html.fonts()
                                    if face.weight == 400 and face.style == "normal"
                                    and face.family == html.CODE_FAMILY))


def needs_glyph(char: str) -> bool:
    code = ord(char)
    return not char.isspace() and unicodedata.category(char) not in _NO_GLYPH_NEEDED and \
        not any(low <= code <= high for low, high in _IGNORABLE)


def uncovered_error(edition: Edition, chars: list[str], others: tuple = ()) -> RenderError:
    """Every character the fonts lack, each on a line of its own at the first source line that
    uses it (the chapters, then the bibliography and the configuration, then those of `others`,
    the other languages of a bilingual book), at most 20 of them; those a font fonts.yaml lists
    but is not installed would cover, one line for each such hint."""
    import unicodedata

    from ..errors import Problems, raise_all
    from ..manuscript import SourceFile
    from ..sources import written_line

    pub = edition.pub
    sources = list(edition.files) + [f for other in others for f in other.files]
    for path in dict.fromkeys((pub.bibliography, pub.source, *svg_files(edition),
                               *(p for other in others for p in svg_files(other)))):
        if path and path.is_file():
            sources.append(SourceFile(path, pub.shown(path),
                                      path.read_text(encoding="utf-8", errors="replace")))
    def located(message: str, char: str) -> RenderError:
        # outside code first: code is also set in the code face, so a character lacking in
        # both a prose line and a code line is the prose line's problem (`check_coverage`)
        shown, line = written_line(sources, char, outside_code=True)
        return (RenderError(message, shown, line) if line else
                RenderError(f"{edition.code}: {message}", pub.shown(pub.styles_dir / "templates")))

    # The characters a font not installed would cover are one line: a chapter in Chinese was
    # 20 lines of one character each, all with the same package to install.
    hinted: dict[str, list[str]] = {}
    for char in chars:
        hinted.setdefault(fonts.hint(pub, char, edition.code), []).append(char)
    problems, alone = [], hinted.pop("", [])
    for hint, group in hinted.items():
        if len(group) == 1:
            alone.append(group[0])
            continue
        shown = ", ".join(f"'{c}'" for c in group[:8]) + (", …" if len(group) > 8 else "")
        problems.append(located(f"{len(group)} characters ({shown}) are not covered by the "
                                f"fonts{hint.replace('for it', 'for them')}", group[0]))
    alone.sort(key=chars.index)
    for char in alone[:20]:
        name = unicodedata.name(char, "").lower()
        problems.append(located(f"character '{char}' (U+{ord(char):04X}{', ' + name if name else ''}) "
                                f"is not covered by the fonts{fonts.hint(pub, char, edition.code)}",
                                char))
    if len(alone) > 20:
        problems.append(RenderError(f"{edition.code}: … and {len(alone) - 20} more characters "
                                    "the fonts do not cover"))
    try:
        raise_all(problems)
    except Problems as exc:
        return exc
    except RenderError as exc:
        return exc
    return problems[0]


def svg_files(edition: Edition) -> list:
    """The SVG figures of the edition (their text is laid out too: a glyph error may be theirs)."""
    from ..ast import walk

    targets = [el["c"][2][0] for el in walk(edition.ast["blocks"]) if el["t"] == "Image"]
    return [edition.pub.manuscript / t for t in dict.fromkeys(targets)
            if t.lower().endswith(".svg") and ":" not in t]


def check_coverage(edition: Edition, document: str) -> None:
    """Every character of the document has a packaged face, before the layout: prose in the
    text faces and the fallbacks, code also in the code face. (What Pango then picks is
    checked after drawing, `check_fonts_used`: this one fails early and names every line.)"""
    covered = covered_characters() | fonts.covered(edition.pub, lang=edition.code)
    parsed = _parsed(document)
    text = "".join(parsed.parts)
    lacking = {c for c in set("".join(parsed.prose)) if needs_glyph(c) and ord(c) not in covered}
    in_code = covered | code_characters()
    lacking |= {c for c in set("".join(parsed.code)) if needs_glyph(c) and ord(c) not in in_code}
    missing = sorted(lacking, key=text.index)
    if missing:
        raise uncovered_error(edition, missing)


def check_fonts_used(edition: Edition, document, others: tuple = ()) -> None:
    """After drawing: every glyph came from a packaged face, none from a host font and none
    slanted by Pango because the italic face lacks it (an oblique face is never packaged).
    `others`: the other languages the document holds (a bilingual book)."""
    ours = fonts.families(edition.pub)
    fallen: list[str] = []
    hosts: dict[str, str] = {}  # a character our faces have, drawn in a font of the machine
    packaged = covered_characters() | code_characters() | fonts.covered(edition.pub,
                                                                        lang=edition.code)
    for font in weasy.fonts_used(document):
        if font.family not in ours or font.oblique:
            drawn = [c for c in font.drawn if needs_glyph(c)]
            fallen += drawn
            if font.family not in ours:
                hosts.update((c, font.family) for c in drawn if ord(c) in packaged)
        fallen += [chr(code) for code in font.missing]
    if hosts:  # not a character missing: a style naming a family the build does not ship
        family = next(iter(hosts.values()))
        shown = "".join(list(dict.fromkeys(c for c, f in hosts.items() if f == family))[:12])
        raise RenderError(f"{edition.code}: text the packaged fonts set was drawn in '{family}', "
                          f"a font of this machine ('{shown}'…): a style sets it in a family "
                          "the build does not ship; name one of "
                          f"{', '.join(sorted({f.family for f in html.fonts()}))} or of "
                          "fonts.yaml",
                          edition.pub.shown(edition.pub.styles_dir))
    if fallen:
        raise uncovered_error(edition, list(dict.fromkeys(fallen)), others)


# A layout is a web of cycles (every box points to its parent): only a collection frees it,
# and a collection walks the whole heap. Before the finish of a long PDF it pays: the peak is
# the larger of layout and finish, not their sum (50× report, one language, 115 pages: peak
# RSS 472 → 407 MB, same bytes, same time). For a short one in a long-lived process (tests,
# the preview) it only cost time: 0.05 s a PDF (measured, three PDFs of a sample project).
FREE_LAYOUT_PAGES = 40


def free_layouts(pages: int) -> None:
    """Collect the layouts just dropped when they held `pages` pages or more."""
    if pages >= FREE_LAYOUT_PAGES:
        gc.collect()


def render(edition: Edition, ctx: RenderContext) -> bytes:
    pub = edition.pub
    document = html.page(edition, ctx)
    check_coverage(edition, document)
    if pub.pdf.variant == "pdf/ua-1":
        pdfua.check_alternatives(edition)
    # The document names no manuscript file (its images are data: URIs): only the trusted
    # styles and the packaged fonts can be read.
    base = pub.manuscript.resolve().as_uri() + "/"
    variant = None if pub.pdf.variant == "none" else pub.pdf.variant
    laid_out = weasy.layout(document, base, weasy.fetcher([pub.styles_dir, *fonts.font_dirs(pub)]),
                            [], [fonts.stylesheet(pub, "pdf.css", "pdf", document, edition.code) or "",
                                 highlight_css(pub, ctx)],
                            variant, what=f"{edition.code}: PDF")
    # Links to files beside the manuscript (the other editions) stay relative: absolute `file:`
    # URLs would point into the build machine.
    weasy.retarget_links(laid_out, lambda target: target.removeprefix(base))
    tagged = variant == "pdf/ua-1"
    with pdfua.tagging(pdfua.link_descriptions(document)) if tagged else contextlib.nullcontext():
        data = laid_out.write_pdf(pdf_variant=variant, pdf_tags=variant is not None,
                                  pdf_identifier=True)  # an MD5 of the content: stable
    check_fonts_used(edition, laid_out)
    if tagged:
        text = document_text(document)
        pages = len(laid_out.pages)
        del laid_out, document
        free_layouts(pages)
        data = pdfua.finish(data, edition.lang.locale, text, direction=edition.lang.direction)
        pdfua.check(data, f"{edition.code}: PDF")
    return data
