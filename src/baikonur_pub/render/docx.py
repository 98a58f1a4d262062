"""DOCX by pandoc from the edition's AST, with a reference document made from styles/docx-styles.yaml.

The reference document is pandoc's own default (`--print-default-data-file reference.docx`)
changed by python-docx: page size, margins, header and footer, the fonts, sizes and spacing of
each style, and the edition's language on every style so Word proof-reads in that language. No
binary lives in the repository, and the style spec stays readable and reviewable.

Pandoc always runs with `--sandbox` (it reads only the AST and the reference document): the
images come inside the AST as data: URIs (`images.inline_images`). Under the sandbox pandoc dates the core properties 1970, so `created` and
`modified` are set from SOURCE_DATE_EPOCH afterwards, and every zip entry gets that time too.
"""

from __future__ import annotations

import io
import re
import zipfile
import tempfile
from pathlib import Path

from ..manuscript import Edition
from ..schema import Choice, Flag, MapOf, Number, Option, Record, Text
from ..sources import Lines
from . import RenderContext, common_args, docx_fonts, docx_package, load_settings
from ..environment import timestamp
from .package import contents_title, rewrite_zip, with_meta

SPEC = "docx-styles.yaml"
TOC_DEPTH = 3
PAGE_SIZES = {"A4": (210, 297), "Letter": (215.9, 279.4)}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CORE = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dcterms": "http://purl.org/dc/terms/"}
HEX = r"[0-9A-Fa-f]{6}"
STYLE = Record({
    "font": Option(Text(), "`text`, `headings`, `code` (a role under `fonts`) or a family name."),
    "size": Option(Number(), "Font size in points."),
    "bold": Option(Flag(), "Bold."),
    "italic": Option(Flag(), "Italic."),
    "underline": Option(Flag(), "Underlined."),
    "color": Option(Text(HEX, "color must be six hex digits (RRGGBB)"), "Text colour, `RRGGBB`."),
    "align": Option(Choice(("left", "center", "right", "justify"), what="align"), "Alignment."),
    "space-before": Option(Number(), "Space above, in points."),
    "space-after": Option(Number(), "Space below, in points."),
    "line-spacing": Option(Number(), "Line spacing, a multiple of the line."),
    "first-line-indent": Option(Number(), "First-line indent, in millimetres."),
    "left-indent": Option(Number(), "Left indent, in millimetres."),
    "hanging-indent": Option(Number(), "Hanging indent, in millimetres."),
    "keep-with-next": Option(Flag(), "Keep on the page of the next paragraph."),
    "page-break-before": Option(Flag(), "Start a new page."),
    "based-on": Option(Text(), "The style this one inherits from."),
}, where=" in style '{name}'", why="style '{name}' must be a mapping", noun="style key", sparse=True)
MARGIN = Number("a number of millimetres")
SCHEMA = Record({
    "page": Option(Record({
        "size": Option(Choice(tuple(PAGE_SIZES), what="page size"), "Paper size.", default="A4"),
        "margins": Option(Record({side: Option(MARGIN, f"{side.capitalize()} margin, in "
                                               "millimetres.", required=True)
                                  for side in ("top", "right", "bottom", "left")}, where=" in margins"),
                          "Page margins.", required=True),
        "header": Option(Choice(("short-title", "title", "none"), what="header"),
                         "Running header of every page but the first.", default="none"),
        "footer": Option(Choice(("page-number", "none"), what="footer"),
                         "Footer of every page but the first.", default="none"),
    }, where=" in page"), "Page size, margins, header and footer.", required=True),
    "fonts": Option(MapOf(Text(), key_name="role"), "Font family of each role (`text`, "
                    "`headings`, `code`); a style's `font` names a role or a family.", default={}),
    "styles": Option(MapOf(STYLE, key_name="style"), "Word styles by name, changed or created "
                     "(based on Normal).", default={}),
})


def load_spec(edition: Edition) -> tuple[dict, Lines, str]:
    """styles/docx-styles.yaml, checked: every unknown key and wrong value named at its line."""
    return load_settings(edition.pub, SPEC, "the DOCX reference document is made from it", SCHEMA)


@docx_package.python_docx
def reference_doc(edition: Edition, ctx: RenderContext, spec: dict) -> bytes:
    """The reference .docx for this edition: the spec applied to pandoc's default one."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm

    document = docx.Document(io.BytesIO(ctx.pandoc.data_file("reference.docx")))
    page = spec["page"]
    width, height = PAGE_SIZES[page["size"]]
    margins = page["margins"]
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
        section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
        section.header_distance = section.footer_distance = Mm(min(12, margins["top"] / 2))
        section.gutter = Mm(0)
    fonts = spec.get("fonts") or {}
    for name, values in (spec.get("styles") or {}).items():
        try:
            style = document.styles[name]
        except KeyError:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        _apply(style, values, fonts, document.styles)
    _header_footer(document, edition, page)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _apply(style, values: dict, fonts: dict, styles) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    if "based-on" in values:
        style.base_style = styles[values["based-on"]]
    font = style.font
    if "font" in values:
        family = fonts.get(values["font"], values["font"])
        font.name = family
        fonts_el = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts_el.attrib.pop(_qn(attr), None)
        fonts_el.set(_qn("w:cs"), family)
    if "size" in values:
        font.size = Pt(values["size"])
    if "bold" in values:
        font.bold = values["bold"]
    if "italic" in values:
        font.italic = values["italic"]
    if "underline" in values:
        font.underline = values["underline"]
    if "color" in values:
        font.color.rgb = RGBColor.from_string(values["color"].upper())
    fmt = style.paragraph_format if hasattr(style, "paragraph_format") else None
    if fmt is None:
        return
    if "align" in values:
        fmt.alignment = getattr(WD_ALIGN_PARAGRAPH, values["align"].upper())
    if "space-before" in values:
        fmt.space_before = Pt(values["space-before"])
    if "space-after" in values:
        fmt.space_after = Pt(values["space-after"])
    if "line-spacing" in values:
        fmt.line_spacing = values["line-spacing"]
    if "left-indent" in values:
        fmt.left_indent = Mm(values["left-indent"])
    if "first-line-indent" in values:
        fmt.first_line_indent = Mm(values["first-line-indent"])
    if "hanging-indent" in values:
        fmt.left_indent = Mm(values.get("left-indent", 0) + values["hanging-indent"])
        fmt.first_line_indent = -Mm(values["hanging-indent"])
    if "keep-with-next" in values:
        fmt.keep_with_next = values["keep-with-next"]
    if "page-break-before" in values:
        fmt.page_break_before = values["page-break-before"]


def _header_footer(document, edition: Edition, page: dict) -> None:
    """Running header (the edition's title) and footer (the page number) of every page but the first."""
    from docx.oxml import OxmlElement

    lang = edition.lang
    header_text = {"short-title": lang.short_title, "title": lang.title}.get(
        page["header"])
    for section in document.sections:
        section.different_first_page_header_footer = True  # the title page stays bare
        if header_text:
            paragraph = section.header.paragraphs[0]
            paragraph.text = header_text
            paragraph.style = document.styles["Header"] if "Header" in document.styles else None
        if page["footer"] == "page-number":
            paragraph = section.footer.paragraphs[0]
            paragraph.style = document.styles["Footer"] if "Footer" in document.styles else None
            field = OxmlElement("w:fldSimple")
            field.set(_qn("w:instr"), "PAGE")
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            field.append(run)
            paragraph._p.append(field)


def _styles_language(locale: str):
    """An edit for word/styles.xml: every style (pandoc adds some of its own) gets `w:lang`."""
    from lxml import etree

    w = f"{{{W}}}"

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        holders = [s for s in root.iter(f"{w}style")]
        holders += [d for d in root.iterfind(f"{w}docDefaults/{w}rPrDefault")]
        for holder in holders:
            rpr = holder.find(f"{w}rPr")
            if rpr is None:
                rpr = etree.Element(f"{w}rPr")
                after = [holder.find(f"{w}{t}") for t in ("tblPr", "trPr", "tcPr", "tblStylePr")]
                after = [a for a in after if a is not None]
                if after:
                    after[0].addprevious(rpr)
                else:
                    holder.append(rpr)
            for old in rpr.findall(f"{w}lang"):
                rpr.remove(old)
            lang = etree.Element(f"{w}lang")
            lang.set(f"{w}val", locale)
            later = [rpr.find(f"{w}{t}") for t in ("eastAsianLayout", "specVanish", "oMath")]
            later = [l for l in later if l is not None]
            if later:
                later[0].addprevious(lang)
            else:
                rpr.append(lang)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return edit


def _core_dates(epoch: int):
    """An edit for docProps/core.xml: created and modified at SOURCE_DATE_EPOCH."""
    from lxml import etree

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for tag in ("created", "modified"):
            for el in root.iterfind(f"dcterms:{tag}", CORE):
                el.text = timestamp(epoch)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return edit




def render(edition: Edition, ctx: RenderContext) -> bytes:
    pub = edition.pub
    spec, _, _ = load_spec(edition)
    args = [*common_args(edition), "--toc", f"--toc-depth={TOC_DEPTH}"]
    ast = with_meta(edition, "docx", **{"toc-title": contents_title(edition, ctx)})
    with tempfile.TemporaryDirectory(prefix="baikonur-docx-") as tmp:
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(reference_doc(edition, ctx, spec))
        data = ctx.pandoc.write(ast, "docx", [*args, f"--reference-doc={reference}"],
                                what=f"{edition.code}: writing DOCX", output=Path(tmp) / "out.docx")
    page = spec["page"]
    width = PAGE_SIZES[page["size"]][0] - page["margins"]["left"] - page["margins"]["right"]
    abstract = pub.shown(edition.lang.abstract) if edition.lang.abstract else None
    abstract_id = next((h.id for h in edition.headings if h.file == abstract), None)
    families = list(dict.fromkeys((spec.get("fonts") or {}).values()))
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    if b'w:val="SourceCode"' not in document and b'w:val="VerbatimChar"' not in document:
        families = [f for f in families if f != (spec.get("fonts") or {}).get("code")]  # no code
    # The contents first, then fallback text in its font, the contents' entries too: written
    # after, a Sinhala or Devanagari entry kept the body face, which lacks it (LibreOffice
    # showed the contents blank).
    contents = docx_package.contents_and_breaks(TOC_DEPTH, round(width * 1440 / 25.4), abstract_id)
    split, used = docx_fonts.split_runs(pub, spec, edition.code)
    data = rewrite_zip(data, {"word/document.xml": lambda xml: split(contents(xml))}, ctx.epoch)
    font_edits, font_parts = docx_package.embedded_fonts(data, families,
                                                         docx_package.document_text(data),
                                                         docx_fonts.embeddable(pub, used, edition.code))
    data = docx_package.with_parts(data, font_parts)
    edits = {}
    if edition.lang.direction == "rtl":
        edits["word/document.xml"] = docx_package.right_to_left(lambda xml: xml)  # the body's
        edits.update({name: docx_package.right_to_left() for name in zipfile.ZipFile(
            io.BytesIO(data)).namelist() if re.fullmatch(r"word/(header|footer)\d+\.xml", name)})
    return rewrite_zip(data, {"docProps/core.xml": _core_dates(ctx.epoch),
                              "word/styles.xml": _styles_language(edition.lang.locale),
                              **edits, **font_edits}, ctx.epoch)
