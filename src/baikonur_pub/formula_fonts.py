"""Glyphs for the words of other scripts inside a formula (`\\text{速度} = v`).

ziamath draws every character of a formula from its math font (STIX Two Math), which has no
Han, kana or Hangul: such words came out as empty boxes, so they were an error. They are now
drawn from the font that sets the same character in the text around the formula (the text
face, else its fallback in fonts.yaml, chosen for the edition's language as in the text),
subset to what the formulas hold and rewritten as TrueType, which ziafont reads (it reads no
CID-keyed CFF, and every Noto CJK font is one), with the math font's units per em, since
ziamath places a glyph in the math font's units.

A formula's text gets no shaping (one glyph per character, left to right), so only scripts
written that way are taken: Arabic, Hebrew and the Brahmic and South-East Asian scripts would
be drawn unjoined or misordered, and stay a located error, as does a combining mark.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
import unicodedata
from pathlib import Path

# Scripts (fonts.SCRIPTS) whose letters join, reorder or stack: drawn one glyph per
# character, as a formula draws its text, they would be wrong.
SHAPED = {"arabic", "hebrew", "devanagari", "bengali", "gurmukhi", "gujarati", "oriya", "tamil",
          "telugu", "kannada", "malayalam", "sinhala", "thai", "lao", "myanmar", "khmer"}
_CONJOINING_JAMO = range(0x1100, 0x1200)  # Hangul letters that join into syllables


def plain(code: int) -> bool:
    """Whether the character is drawn the same alone as in a word (no shaping wanted)."""
    from .render.fonts import SCRIPTS

    if unicodedata.category(chr(code))[0] == "M" or code in _CONJOINING_JAMO:
        return False
    return not any(a <= code <= b for script in SHAPED for a, b in SCRIPTS[script])


def sources(edition, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], Path]:
    """For each (character, style) the math font lacks, the text font file that has it (none
    for a character no text font has, or one of a script drawn with shaping)."""
    from .render import fonts, html

    plan = fonts.plan(edition.pub, edition.lang.code)
    faces = {(f.weight >= 600, f.style == "italic"): f.path
             for f in html.fonts() if f.family == html.TEXT_FAMILY and f.weight != 600}
    found = {}
    for char, shape in wanted:
        code = ord(char)
        if not plain(code):
            continue
        family = plan.owner("text", code)
        if family is not None:
            found[char, shape] = plan.fallbacks[family].files[shape]
            continue
        bold, italic = "bold" in shape, "italic" in shape
        path = faces.get((bold, italic)) or faces.get((bold, False)) or faces[False, False]
        if code in fonts.cmap(path):
            found[char, shape] = path
    return found


@functools.lru_cache(maxsize=16)  # one per edition and process: subsetting a CJK font, 0.2 s
def font(path: Path, chars: str, units_per_em: int):
    """A ziafont Font of `path` holding only `chars`, TrueType outlines at `units_per_em`.

    Its file name, which ziafont makes the glyphs' SVG ids from, depends on its content only,
    so two builds draw the same SVG."""
    import ziafont
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.scaleUpem import scale_upem

    options = subset.Options()
    options.layout_features, options.hinting, options.desubroutinize = [], False, True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "VORG", "vhea", "vmtx"]
    with TTFont(path, fontNumber=0) as ttf:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=chars)
        subsetter.subset(ttf)
        if "CFF " in ttf:  # cubic outlines to quadratic ones, as otf2ttf does
            glyphs, glyf = ttf.getGlyphSet(), newTable("glyf")
            glyf.glyphOrder, glyf.glyphs = ttf.getGlyphOrder(), {}
            for name in glyf.glyphOrder:
                pen = TTGlyphPen(None)
                glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
                glyf[name] = pen.glyph()
            ttf["glyf"], ttf["loca"] = glyf, newTable("loca")
            del ttf["CFF "]
            maxp = ttf["maxp"]
            maxp.tableVersion = 0x00010000
            for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                          "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                          "maxComponentElements"):
                setattr(maxp, field, 1 if field == "maxZones" else 0)
            ttf["head"].glyphDataFormat = 0
            ttf["post"].formatType = 3.0
            ttf.sfntVersion = "\0\1\0\0"
        if ttf["head"].unitsPerEm != units_per_em:
            scale_upem(ttf, units_per_em)
        digest = hashlib.sha256(f"{path.name}\0{chars}".encode()).hexdigest()[:12]
        with tempfile.TemporaryDirectory(prefix="baikonur-") as folder:
            saved = Path(folder) / f"{path.stem}-{digest}.ttf"
            ttf.save(saved)
            return ziafont.Font(saved)  # read whole in its constructor

