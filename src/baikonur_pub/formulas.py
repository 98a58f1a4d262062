"""TeX formulas: read by pandoc once at parse time, drawn as SVG for the print PDF.

Every format takes its math from pandoc's TeX reader (texmath): MathML in the EPUB, Word's
math in the DOCX, and for the PDF the same MathML drawn by ziamath (WeasyPrint lays out no
MathML) with the STIX Two Math font its package ships. A formula pandoc cannot read would ship
as TeX source in every format, so it is a located error at parse time (`check`), all of them
in one run. In the PDF each formula is an `<img>` whose `alt` is its TeX source (PDF/UA-1
7.7 wants a Formula with a text alternative) and whose size is given in `em`, so it follows
the size of the text around it.
"""

from __future__ import annotations

import base64
import functools
import html as html_module
import importlib.util
import json
import logging
import re
import threading
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

from . import formula_fonts
from .ast import walk
from .errors import ManuscriptError, RenderError, raise_all
from .sources import first_line

MATHML = "http://www.w3.org/1998/Math/MathML"
FONT_NAME = "STIX Two Math"
_UNITS = 10.0  # ziamath's font size: 1 em of the surrounding text is this many SVG units
_MATH_RE = re.compile(r"<math\b.*?</math>", re.S)
_TOKENS = ("mi", "mn", "mo", "mtext", "ms")
_ZIAMATH = threading.Lock()  # ziamath keeps process-wide state (configuration, loaded fonts)
# ziamath lays out each child of a row twice (once to measure the row without its stretchy
# operators), so its work doubles with each row nested in a row: `\left(` ten deep takes 1.1 s,
# twelve deep 8 s. `work` counts it exactly from the MathML (one unit ≈ 0.1 ms here, measured
# from 2 ms to 1.2 s on 26 formulas); the limits keep a hostile formula from hanging a build and
# let through what reports write (a continued fraction eight deep: 13,000 units, 0.8 s).
MAX_WORK = 20_000
# A language's PDF holds at most `pdf.max-formulas` formulas (1,000 by default; `$x$` counts
# each time): ziamath draws each, WeasyPrint then lays out and paints its SVG in Python, and a
# build takes about 16 ms and 0.2 MB more for each (measured: 2,000 formulas of five kinds,
# 1 to 12 glyphs, one PDF: 33.5 s and 520 MB peak RSS against 1.3 s and 122 MB with none;
# 43.9 s before `weasy.remember_svg_paths`).
# The work of drawing them is bounded in proportion: 200 units a formula allowed (about 20 s
# of ziamath's drawing for 1,000; a formula used again is drawn once).
EDITION_WORK_PER_FORMULA = 200


def _formulas(ast: dict, owners) -> list[tuple[str, str, int]]:
    """(kind, TeX, owning file index) of every formula, in document order."""
    found = []
    for block, owner in zip(ast["blocks"], owners):
        for node in walk(block):
            if node.get("t") == "Math":
                found.append((node["c"][0]["t"], node["c"][1], owner))
    return found


def over_count(edition) -> RenderError | None:
    """More formulas than one language's PDF may hold (`pdf.max-formulas`), told by their count
    before the PDF's page is written: `drawn` refused them once the HTML had been written and
    read again (20,000 formulas: refused after 24.3 s, now 3.0 s)."""
    allowed = edition.pub.pdf.max_formulas
    found = _formulas(edition.ast, edition.block_files)
    if len(found) <= allowed:
        return None
    _, tex, owner = found[allowed]
    return RenderError(f"{len(found):,} formulas: more than the {allowed:,} one language's PDF may "
                       f"hold (pdf.max-formulas: {allowed:,} in publication.yaml), each about 16 ms "
                       "and 0.2 MB of the build: raise it for a book of more",
                       *_locate(edition.files, tex, owner))


def _reasons(stderr: str) -> list[str]:
    """Pandoc's reason for each formula it could not read, in order ("unexpected control
    sequence \\ce"): the line after the caret under the formula."""
    reasons = []
    for chunk in stderr.split("Could not convert TeX math")[1:]:
        lines = [l.strip() for l in chunk.splitlines()]
        caret = next((i for i, l in enumerate(lines) if l == "^"), None)
        after = [l for l in lines[caret + 1:] if l] if caret is not None else []
        reasons.append(after[0] if after else "")
    return reasons


def check(pandoc, ast: dict, owners, files) -> None:
    """Every formula pandoc cannot read, located at its line (one pandoc run, only when the
    edition has formulas)."""
    formulas = _formulas(ast, owners)
    if not formulas:
        return
    blocks = [{"t": "Para", "c": [{"t": "Math", "c": [{"t": kind}, tex]}]}
              for kind, tex, _ in formulas]
    document = {**ast, "blocks": blocks, "meta": {}}
    out, stderr = pandoc.run(["--from=json", "--to=html5", "--mathml", "--wrap=none"],
                             json.dumps(document, ensure_ascii=False), what="reading formulas")
    written = re.findall(r"<p>(.*?)</p>", out.decode("utf-8"), re.S)
    reasons = iter(_reasons(stderr))
    problems = []
    for (_, tex, owner), html in zip(formulas, written):
        if "<math" not in html:  # pandoc fell back to the TeX source
            reason = next(reasons, "")
            hint = ("; a line break \\\\ needs an environment around the lines: "
                    "\\begin{gathered} … \\end{gathered}" if reason.endswith("\\\\") else "")
            problems.append(ManuscriptError(
                f"formula '{_short(tex)}' cannot be read{f' ({reason})' if reason else ''}: "
                "pandoc would print its TeX source; write it in the TeX that pandoc reads "
                f"(https://pandoc.org/MANUAL.html#math){hint}", *_locate(files, tex, owner)))
    raise_all(problems)


def _locate(files, tex: str, owner: int = -1) -> tuple[str | None, int | None]:
    needle = tex.strip().splitlines()[0] if tex.strip() else tex
    ordered = [files[owner], *(f for i, f in enumerate(files) if i != owner)] if owner >= 0 else list(files)
    return first_line(ordered, needle)


def _bounded(formulas: list[tuple[str, ET.Element]], edition, font: frozenset[int]) -> None:
    """Each formula and all of them within what one PDF may take to draw (see MAX_WORK)."""
    problems, total, glyphs, seen = [], 0, 0, set()
    allowed = edition.pub.pdf.max_formulas
    max_work, max_glyph_work = (allowed * EDITION_WORK_PER_FORMULA,
                                allowed * EDITION_GLYPH_WORK_PER_FORMULA)
    for tex, content in formulas:
        key = ET.tostring(content)
        if key in seen:
            continue
        seen.add(key)
        shape, chars = work(content), _glyph_work(content, font)
        units = shape + chars
        total, glyphs = total + shape, glyphs + chars
        if units > MAX_WORK:
            problems.append(RenderError(
                f"formula '{_short(tex)}' " + (
                    "holds too much text to be drawn in the PDF" if chars > shape else
                    "nests \\left…\\right pairs or other groups too deeply to be drawn in the PDF")
                + f" ({units:,} units of work, over {MAX_WORK:,}): " + (
                    "move the words out of the formula, into the text around it"
                    if chars > shape else "split it"), *_locate(edition.files, tex)))
    raise_all(problems)
    knob = f"(pdf.max-formulas: {allowed:,} in publication.yaml)"
    if total > max_work or len(formulas) > allowed:  # the count first: no words to move out
        tex = formulas[min(allowed, len(formulas) - 1)][0]
        problems.append(RenderError(
            f"{len(formulas):,} formulas needing {total:,} units of work to be drawn: more than "
            f"the {allowed:,} formulas or {max_work:,} units one language's PDF may hold {knob}, "
            "each about 16 ms and 0.2 MB of the build: raise it for a book of more",
            *_locate(edition.files, tex)))
    elif glyphs > max_glyph_work:
        tex = formulas[-1][0]
        problems.append(RenderError(
            f"{len(formulas):,} formulas whose characters need {glyphs:,} units of work to be "
            f"drawn: more than the {max_glyph_work:,} one language's PDF may hold {knob}; move "
            "the words out of the formulas, into the text around them",
            *_locate(edition.files, tex)))
    raise_all(problems)


_ROWS = {"math", "mrow"}  # and any element of several children, which ziamath lays out as a row
_ROW_LIKE = {"msqrt", "mstyle", "mtd", "mphantom", "menclose", "mpadded", "merror", "semantics"}


def work(element: ET.Element) -> int:
    """ziamath's work for `element`: each element once, each child of a row twice over."""
    tag = element.tag.rpartition("}")[2]
    children = sum(work(child) for child in element)
    row = tag in _ROWS or (tag in _ROW_LIKE and len(element) > 1)
    return 1 + (2 if row else 1) * children


# Each character drawn costs ziamath and WeasyPrint about 2 ms from the math font and 7 ms when
# borrowed from a text font (formula_fonts: a larger outline, each a symbol of its own; measured
# on 2,000 Latin and 1,000 Han characters in one formula). 12,000 Han characters in one formula
# took 8 minutes to build: the drawing grows faster than the characters.
# A language's formulas may hold 20 characters of the math font, or 5 borrowed ones, for each
# formula allowed (20,000 or 5,000 for 1,000); counted apart from EDITION_WORK_PER_FORMULA,
# which is ziamath's work alone.
CHAR_WORK, BORROWED_CHAR_WORK = 20, 80
EDITION_GLYPH_WORK_PER_FORMULA = 400  # 400,000 for 1,000 formulas allowed


def _glyph_work(element: ET.Element, font: frozenset[int]) -> int:
    """The drawing of the characters of `element`'s tokens, in `work`'s units."""
    return sum(CHAR_WORK if ord(char) in font else BORROWED_CHAR_WORK
               for token in element.iter() if token.tag.rpartition("}")[2] in _TOKENS
               for char in token.text or "" if not char.isspace())


def _short(tex: str) -> str:
    text = " ".join(tex.split())
    return text if len(text) <= 40 else text[:39] + "…"


def drawn(html: str, edition) -> str:
    """`html` (pandoc's, written with --mathml) with each `<math>` replaced by an SVG image of
    it; a character the math font lacks, or a formula too costly to draw, is a located error."""
    if "<math" not in html:
        return html
    formulas = [_unwrap(ET.fromstring(m.group(0))) for m in _MATH_RE.finditer(html)]
    from .render.fonts import style_key  # (render.fonts imports this module)

    font, wanted = _font_characters(), {}  # formula → (character, style) the font lacks
    for tex, content in formulas:
        for token in content.iter():
            if token.tag.rpartition("}")[2] in _TOKENS:
                variant = token.get("mathvariant", "")
                shape = style_key("bold" in variant, "italic" in variant)
                for char in token.text or "":
                    if not (char.isspace() or unicodedata.category(char)[0] == "C"
                            or ord(char) in font):
                        wanted.setdefault(tex, {})[char, shape] = None
    _bounded(formulas, edition, font)
    borrowed = formula_fonts.sources(edition, {k for chars in wanted.values() for k in chars})
    missing = {tex: list(dict.fromkeys(c for c, shape in chars if (c, shape) not in borrowed))
               for tex, chars in wanted.items()}
    missing = {tex: chars for tex, chars in missing.items() if chars}
    if missing:
        raise_all([_uncovered(edition, chars, tex) for tex, chars in list(missing.items())[:20]])
    subsets: dict = {}  # font file → every character the edition's formulas borrow from it
    for (char, _), path in borrowed.items():
        subsets.setdefault(path, set()).add(char)
    subsets = {path: "".join(sorted(chars)) for path, chars in subsets.items()}
    drawn_formulas = iter(formulas)

    def image(match: re.Match) -> str:
        tex, content = next(drawn_formulas)
        own = tuple(sorted((key, borrowed[key], subsets[borrowed[key]]) for key in wanted.get(tex, ())))
        try:
            svg = _svg(ET.tostring(content, encoding="unicode"), own)
        except Exception as exc:  # noqa: BLE001 - a third-party drawing of untrusted input
            raise RenderError(f"formula '{_short(tex)}' cannot be drawn in the PDF: {exc}",
                              *_locate(edition.files, tex)) from None
        return _img(svg, tex, content.get("display") == "block")

    return _MATH_RE.sub(image, html)


class _Logged(logging.Handler):
    """ziamath reports what it cannot draw through the root logger: caught, not printed."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@functools.lru_cache(maxsize=4096)  # a formula used again (`$x$`) is drawn once
def _svg(mathml: str, borrowed: tuple = ()) -> str:
    """The SVG of `mathml`; `borrowed` holds, for each (character, style) the math font lacks,
    the text font file to draw it from and the characters subset from that file for the
    whole edition (formula_fonts)."""
    with _ZIAMATH:
        # ziamath 0.13 finds its font at import with importlib.resources.path, deprecated in
        # Python 3.11 and 3.12: silenced for that import alone.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "path is deprecated", DeprecationWarning)
            import ziamath

        font = None
        if borrowed:
            font = _borrowing_font()
            font.borrowed = {key: formula_fonts.font(path, chars, font.info.layout.unitsperem)
                             for key, path, chars in borrowed}
            ziamath.zmath.loadedfonts[_BORROWING] = font  # Math(font=…) takes a name it loaded
        logged, root = _Logged(), logging.getLogger()
        root.addHandler(logged)  # also keeps logging from installing its stderr handler
        try:
            # an element, not text: ziamath unescapes text first, and `<mo>&lt;</mo>` breaks
            svg = ziamath.Math(ET.fromstring(mathml), size=_UNITS,
                               font=_BORROWING if font else None).svg()
        finally:
            root.removeHandler(logged)
    if logged.messages:
        raise ValueError(logged.messages[0])
    return svg


_BORROWING = "baikonur-borrowing"


@functools.cache
def _borrowing_font():
    """The math font, drawing what it lacks from `borrowed` fonts (set before each drawing,
    under the lock): ziamath looks every character up through `findglyph`."""
    from ziamath.mathfont import MathFont

    from .render.fonts import style_key

    class Borrowing(MathFont):
        borrowed: dict = {}

        def findglyph(self, char, variant):
            other = (self.borrowed.get((char, style_key(variant.bold, variant.italic)))
                     or self.borrowed.get((char, "regular")))
            return other.glyph(char) if other else super().findglyph(char, variant)

    return Borrowing(str(font_path()))


def _unwrap(element: ET.Element) -> tuple[str, ET.Element]:
    """(TeX source, the formula without its `<semantics>` wrapper, which ziamath does not
    know: it would log a warning for it and for the TeX annotation)."""
    semantics = element.find(f"{{{MATHML}}}semantics")
    if semantics is None:
        return "".join(element.itertext()), element
    tex = semantics.findtext(f"{{{MATHML}}}annotation") or ""
    element.remove(semantics)
    if len(semantics):
        element.append(semantics[0])
    return tex, element


def _img(svg: str, tex: str, display: bool) -> str:
    """The `<img>`: height and baseline from the SVG's viewBox (y = 0 is the baseline)."""
    root = ET.fromstring(svg)
    _, top, width, height = (float(v) for v in root.get("viewBox", "0 0 0 0").split())
    size = (f"width:{width / _UNITS:.3f}em" if display else
            f"height:{height / _UNITS:.3f}em;vertical-align:{-(top + height) / _UNITS:.3f}em")
    source = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    kind = "display" if display else "inline"
    return (f'<img class="math {kind}" style="{size}" alt="{html_module.escape(tex)}" '
            f'src="data:image/svg+xml;base64,{source}">')


def font_path() -> Path:
    """The math font ziamath draws with, from its package (the preview serves it too)."""
    return Path(importlib.util.find_spec("ziamath").origin).parent / "fonts" / "STIXTwoMath-Regular.ttf"


def _font_characters() -> frozenset[int]:
    from .render.fonts import cmap  # read once per process, like the text's fonts

    return cmap(font_path())


def _uncovered(edition, chars: list[str], tex: str) -> RenderError:
    """One error per formula, at the formula's line (the character alone may occur earlier,
    in the text: `是` was reported at the chapter's first line that held it)."""
    from .render.fonts import hint

    named = []
    for char in chars[:5]:
        name = unicodedata.name(char, "").lower()
        named.append(f"'{char}' (U+{ord(char):04X}{', ' + name if name else ''})")
    more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
    shown, line = _locate(edition.files, tex)
    if line is None:
        shown, line = first_line(edition.files, chars[0])
    which = "character" if len(chars) == 1 else "characters"
    verb = "is" if len(chars) == 1 else "are"
    shaped = [c for c in chars if not formula_fonts.plain(ord(c))]
    if shaped:
        why = (f"{'is' if len(shaped) == 1 else 'are'} written with shaping (joined, reordered or "
               "combined), which a formula's drawing does not do")
        return RenderError(f"{which} {', '.join(named)}{more} in formula '{_short(tex)}' {why}: "
                           "move the words out of the formula, into the text around it", shown, line)
    return RenderError(f"{which} {', '.join(named)}{more} in formula '{_short(tex)}' {verb} in "
                       f"neither the math font ({FONT_NAME}) nor the text's fonts"
                       f"{hint(edition.pub, chars[0], edition.code) or ' (styles/fonts.yaml)'}",
                       shown, line)
