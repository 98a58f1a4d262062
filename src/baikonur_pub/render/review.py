"""The bilingual review document: `<slug>-review-<lang>.docx`, the shape translation reviewers
exchange.

One two-column table per pair of sections (primary | translation), one row per block the
cross-check aligned (`parity.pair.Pair.blocks`): a block on one side only leaves the other
cell empty and shaded. Every unwaived finding of the cross-check is a Word comment on the row
it concerns (the block holding its line, else the section's heading row, else the document's
title for findings about no section). Text is the text as a reader sees it, citations as
citeproc rendered them; each cell's runs carry their language, so Word proof-reads each side
in its own. python-docx writes it (comments need ≥ 1.2); every date in it is the build epoch.
"""

from __future__ import annotations

import datetime as dt
import io

from ..manuscript import Edition
from . import RenderContext, docx_package
from .package import rewrite_zip

SHADE = "E7E9EC"  # an empty cell: the block is on the other side only
AUTHOR = "baikonur-pub"
# python-docx finds each new comment's ID by reading every comment already written, so adding
# them costs the square of their number (4,000: 12 s; 20,000: minutes). A reviewer reads the
# first this many as comments, in the order of the document; the intro says how many more the
# cross-check found (`baikonur-pub check` lists them all).
MAX_COMMENTS = 1_000


def _findings(primary: Edition, translation: Edition, result=None):
    """(the pairs of sections with their aligned blocks, unwaived findings about this
    translation), from the build's cross-check `result` or a check of this pair."""
    from ..parity import check_project, checks
    from ..parity.align import Alignment

    if result is None or translation.code not in result.pairs:
        result = check_project(primary.pub, {primary.code: primary, translation.code: translation})
    pair = checks.Pair(primary.code, translation.code, Alignment(result.pairs[translation.code]))
    rows = []
    for s, t in pair.alignment.pairs:
        if s is not None and t is not None:
            rows.append((s, t, pair.blocks(s, t)))
        else:  # a section on one side only: its blocks face an empty cell
            rows.append((s, t, [(u, None) for u in s.parts] if s is not None
                         else [(None, u) for u in t.parts]))
    found = [f for f in result.findings
             if not f.waived and f.lang in (primary.code, translation.code)]
    return rows, found


def _places(rows) -> dict:
    """Where a finding goes, from what it names: its section's name → (index of the first pair
    of sections holding one of that name, {(file, line) → index of the first block row whose
    unit holds the line}). Built once: a search of every row for each finding was quadratic
    (20,000 findings about one section's 20,000 blocks: minutes)."""
    places: dict = {}
    for i, (s, t, blocks) in enumerate(rows):
        for name in dict.fromkeys(x.name for x in (s, t) if x is not None):
            if name in places:
                continue
            lines: dict = {}
            for j, (a, b) in enumerate(blocks):
                for side, unit in ((s, a), (t, b)):
                    if unit is not None and side is not None:
                        for line in range(unit.line, max(unit.end, unit.line) + 1):
                            lines.setdefault((side.file, line), j)
            places[name] = (i, lines)
    return places


def _where(finding, places: dict) -> tuple[int, int | None]:
    """(index of the section pair, index of the block row) a finding concerns; (-1, None) when
    it concerns no section of this pair."""
    if finding.section not in places:
        return -1, None
    i, lines = places[finding.section]
    return i, lines.get((finding.file, finding.line))


def _lang(run, locale: str, rtl: bool = False) -> None:
    """The run's language (Word proof-reads each side in its own); right to left, also its
    direction, and the language as Word's complex-script one (`w:bidi`)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = run._r.get_or_add_rPr()
    if rtl:
        rpr.append(OxmlElement("w:rtl"))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), locale)
    if rtl:
        lang.set(qn("w:bidi"), locale)
    rpr.append(lang)


def _shade(cell) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), SHADE)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat(row) -> None:
    """The row naming the languages repeats at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _fill(cell, unit, locale: str) -> list:
    """The block's text in the cell (bold for a heading); its runs."""
    if unit is None:
        _shade(cell)
        return []
    from docx.oxml import OxmlElement

    from .languages import direction

    paragraph = cell.paragraphs[0]
    text = unit.shown or unit.text
    run = paragraph.add_run(text)
    run.bold = unit.kind == "heading"
    rtl = direction(text) == "rtl"  # by its own first letter, as an entry of another script
    if rtl:
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    _lang(run, locale, rtl)
    return [run]


def _comment(document, runs, finding, epoch: int) -> None:
    text = f"{finding.severity}: {finding.message} [{finding.code}] ({finding.file}:{finding.line})"
    comment = document.add_comment(runs, text=text, author=AUTHOR, initials="bp")
    comment._comment_elm.date = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(tzinfo=None)


@docx_package.python_docx
def render(primary: Edition, translation: Edition, ctx: RenderContext, checked=None) -> bytes:
    """The review document; `checked`, the build's cross-check of these editions if it ran."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from .html import HEADING_FAMILY, TEXT_FAMILY, language_name

    pub = primary.pub
    rows, found = _findings(primary, translation, checked)
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    styles = document.styles
    styles["Normal"].font.name = TEXT_FAMILY
    styles["Normal"].font.size = Pt(10)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.name = HEADING_FAMILY
        fonts = styles[name].element.rPr.rFonts  # the template's theme fonts would win
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
    names = [language_name(e.code, primary.lang.locale) for e in (primary, translation)]
    title = document.add_heading(f"{primary.lang.title} / {translation.lang.title}", level=0)
    shown = (f"{len(found)} findings of the cross-check as comments" if len(found) <= MAX_COMMENTS
             else f"{len(found)} findings of the cross-check, the first {MAX_COMMENTS} as comments "
                  "(baikonur-pub check lists them all)")
    intro = document.add_paragraph(
        f"{names[0]} | {names[1]}: {sum(len(b) for _, _, b in rows)} aligned blocks in "
        f"{len(rows)} sections, {shown}.")
    properties = document.core_properties
    properties.title = f"{primary.lang.title} / {translation.lang.title}"
    properties.author = ", ".join(pub.author)
    properties.language = primary.lang.locale
    when = dt.datetime.fromtimestamp(ctx.epoch, dt.timezone.utc).replace(tzinfo=None)
    properties.created = properties.modified = when
    properties.last_modified_by = AUTHOR
    properties.revision = 1

    where: dict[tuple[int, int | None], list] = {}
    places = _places(rows)
    for finding in found:
        where.setdefault(_where(finding, places), []).append(finding)
    left = iter(range(MAX_COMMENTS))  # each comment takes one; none is written once all are

    def comment(runs, finding) -> None:
        if next(left, None) is not None:
            _comment(document, runs, finding, ctx.epoch)

    heading_runs = []
    for i, (s, t, blocks) in enumerate(rows):
        head = s or t
        number = next((h.number for h in (primary if s else translation).headings
                       if h.id == head.key), "")
        titles = " / ".join(x.title for x in (s, t) if x is not None and x.title) or "…"
        heading = document.add_heading(f"{number} {titles}".strip(), level=min(max(head.level, 1), 3))
        heading_runs.append(heading.runs)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, names):
            cell.paragraphs[0].add_run(name).bold = True
        _repeat(table.rows[0])
        for j, (a, b) in enumerate(blocks):
            cells = table.add_row().cells
            runs = _fill(cells[0], a, primary.lang.locale) + _fill(cells[1], b, translation.lang.locale)
            for finding in where.pop((i, j), []):
                comment(runs, finding)
        for finding in where.pop((i, None), []):
            comment(heading.runs, finding)
    for finding in [f for fs in where.values() for f in fs]:  # about no section of this pair
        comment(intro.runs or title.runs, finding)
    out = io.BytesIO()
    document.save(out)
    # The publication's faces embedded (subset) as in the DOCX editions, so Word and LibreOffice
    # set it in them rather than in a fallback.
    data = out.getvalue()
    edits, parts = docx_package.embedded_fonts(data, [TEXT_FAMILY, HEADING_FAMILY],
                                               docx_package.document_text(data))
    return rewrite_zip(docx_package.with_parts(data, parts), edits, ctx.epoch)
