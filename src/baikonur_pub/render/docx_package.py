"""The DOCX package after pandoc: embedded fonts, a contents field with page numbers, page breaks.

- Fonts: the publication's TrueType faces (the font packages ship TTF beside OTF), subset to the
  characters the document uses, embedded as Word does it (ECMA-376 Part 1, 17.8.1: an
  `.odttf` part whose first 32 bytes are XORed with the GUID key named in fontTable.xml), so
  Word and LibreOffice set the text in Source Serif and Source Sans instead of a fallback.
- Contents: pandoc's empty TOC field becomes the list of entries, each linked to its heading
  and ending in a dotted right tab and a `PAGEREF` field to the heading's bookmark (marked
  dirty, so Word refreshes it on opening). LibreOffice computes PAGEREF page numbers when it
  lays the document out, but shows a TOC field's stored result as it is, without numbers: so
  the entries stand in the contents block (the "Table of Contents" content control) without
  the enclosing TOC field. Word's "Update table" is lost; the document is an output.
- Front matter: a page break after the contents and after the abstract, so title page,
  contents, abstract and body start pages as in the PDF; sections start no new page unless a
  style says so (styles/docx-styles.yaml).
"""

from __future__ import annotations

import functools
import io
import threading
import uuid
import zipfile
from pathlib import Path
from typing import Callable

from .. import threads

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/baikonur-pub/docx-fonts")
# Word's four faces of a family, by the suffix of the font packages' file names.
EMBED = (("embedRegular", "Regular"), ("embedBold", "Bold"), ("embedItalic", "It"),
         ("embedBoldItalic", "BoldIt"))
_SETTINGS_BEFORE = {"writeProtection", "view", "zoom", "removePersonalInformation",
                    "removeDateAndTime", "doNotDisplayPageBoundaries", "displayBackgroundShape",
                    "printPostScriptOverText", "printFractionalCharacterWidth", "printFormsData"}


# python-docx makes and parses every element with one module-level lxml parser, and a thread
# whose first parse is that parser's takes the dictionary of names of the thread that used it
# last (threads.py): two threads then write to one dictionary unguarded. A build makes its DOCX
# and review DOCX in threads, `verify` reads DOCX in threads; seen in CI: "double free or
# corruption", the process aborted, three threads in python-docx's parse_xml (Python 3.13,
# lxml 6.1.3, libxml2 2.14.6). Each thread now has its own dictionary first (`own_names`), and
# python-docx still runs in one thread at a time: its parser, shared, is not for two at once.
_PYTHON_DOCX = threading.RLock()


def python_docx(function: Callable) -> Callable:
    """`function`, which uses python-docx, run while no other thread of the process does: its
    documents are made, changed and dropped inside (return bytes or plain values, not them)."""
    @functools.wraps(function)
    def alone(*args, **kwargs):
        threads.own_names()  # before its parser's dictionary can become this thread's
        with _PYTHON_DOCX:
            return function(*args, **kwargs)
    return alone


def _xml(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def font_files(families: list[str]) -> dict[str, list[tuple[str, Path]]]:
    """family → [(Word's embed element, TTF path)] for the faces the packages ship."""
    import font_source_sans_pro
    import font_source_serif_pro
    import fontpkg_ibm_plex_mono

    suffixes = dict(EMBED)
    plex = {"embedRegular": "Regular", "embedBold": "Bold", "embedItalic": "Italic",
            "embedBoldItalic": "BoldItalic"}
    folders = {"Source Serif Pro": (font_source_serif_pro, "SourceSerifPro", suffixes),
               "Source Sans Pro": (font_source_sans_pro, "SourceSansPro", suffixes),
               "IBM Plex Mono": (fontpkg_ibm_plex_mono, "IBMPlexMono", plex)}
    found = {}
    for family in families:
        if family not in folders:
            continue
        module, stem, names = folders[family]
        folder = Path(module.__file__).parent / "files"
        faces = [(tag, folder / f"{stem}-{names[tag]}.ttf") for tag, _ in EMBED]
        found[family] = [(tag, path) for tag, path in faces if path.is_file()]
    return found


def obfuscate(font: bytes, key: uuid.UUID) -> bytes:
    """ECMA-376 17.8.1: the first 32 bytes XORed with the key's bytes, last byte first."""
    digits = key.hex  # 32 hex digits, the GUID without braces and dashes
    mask = [int(digits[i:i + 2], 16) for i in range(30, -1, -2)]
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def document_text(data: bytes) -> str:
    """The characters of the document's body, notes, headers and footers."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "".join("".join(etree.fromstring(zf.read(n)).itertext()) for n in zf.namelist()
                       if n.startswith("word/") and n.endswith(".xml")
                       and not n.startswith(("word/styles", "word/settings", "word/fontTable",
                                             "word/theme", "word/numbering", "word/webSettings")))


def embedded_fonts(data: bytes, families: list[str], text: str,
                   fallbacks: dict | None = None) -> tuple[dict, dict]:
    """(edits of existing parts, new parts) embedding the `families`' faces in the DOCX, and
    the `fallbacks` (family → [(embed element, path)]) subset to what they set of `text`."""
    from lxml import etree

    from .epub_package import subset_font

    w, r = f"{{{W}}}", f"{{{R}}}"
    subset = subset_font(text)
    parts: dict[str, bytes] = {}
    embeds: dict[str, list[tuple[str, str, str]]] = {}
    relations = []
    chosen = [(family, faces, subset) for family, faces in font_files(families).items()]
    for family, (faces, only) in (fallbacks or {}).items():
        chosen.append((family, faces, subset_font(text, only=only)))
    for family, faces, cut in chosen:
        for tag, path in faces:
            key = uuid.uuid5(_NAMESPACE, f"{family}/{tag}/{path.name}")
            name = f"font{len(parts) + 1}.odttf"
            parts[f"word/fonts/{name}"] = obfuscate(cut(path.read_bytes()), key)
            rid = f"rIdFont{len(parts)}"
            relations.append((rid, f"fonts/{name}"))
            embeds.setdefault(family, []).append((tag, rid, "{" + str(key).upper() + "}"))

    def font_table(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for family, items in embeds.items():
            font = next((f for f in root.iter(f"{w}font") if f.get(f"{w}name") == family), None)
            if font is None:
                font = etree.SubElement(root, f"{w}font", {f"{w}name": family})
                etree.SubElement(font, f"{w}charset", {f"{w}val": "00"})
                etree.SubElement(font, f"{w}family",
                                 {f"{w}val": "roman" if "Serif" in family else
                                  "modern" if "Mono" in family else "swiss"})
                etree.SubElement(font, f"{w}pitch", {f"{w}val": "variable"})
            for tag, rid, key in items:
                etree.SubElement(font, f"{w}{tag}", {f"{r}id": rid, f"{w}fontKey": key})
        return _xml(root)

    def settings(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for name in ("embedTrueTypeFonts", "saveSubsetFonts"):
            for old in root.findall(f"{w}{name}"):
                root.remove(old)
        position = 0
        for index, child in enumerate(root):
            if etree.QName(child).localname in _SETTINGS_BEFORE:
                position = index + 1
        root.insert(position, etree.Element(f"{w}embedTrueTypeFonts"))
        system = root.find(f"{w}embedSystemFonts")
        (system if system is not None else root[position]).addnext(
            etree.Element(f"{w}saveSubsetFonts"))
        return _xml(root)

    def types(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
        if not any(d.get("Extension") == "odttf" for d in root.iter(f"{ns}Default")):
            root.insert(0, etree.Element(f"{ns}Default", Extension="odttf", ContentType=ODTTF))
        return _xml(root)

    rels = etree.Element(f"{{{PKG_REL}}}Relationships", nsmap={None: PKG_REL})
    for rid, target in relations:
        etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id=rid, Type=FONT_REL, Target=target)
    parts["word/_rels/fontTable.xml.rels"] = _xml(rels)
    return ({"word/fontTable.xml": font_table, "word/settings.xml": settings,
             "[Content_Types].xml": types}, parts)


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The zip `data` with `parts` added (or replaced), deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            if entry.filename not in parts:
                target.writestr(entry, source.read(entry))
        for name, content in parts.items():
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def contents_and_breaks(depth: int, text_width_twips: int, abstract_id: str | None) -> Callable:
    """An edit for word/document.xml: the contents field filled with linked entries ending in
    a PAGEREF page number; page breaks after the contents and after the abstract."""
    from lxml import etree

    w = f"{{{W}}}"
    space = "{http://www.w3.org/XML/1998/namespace}space"

    def run(*children) -> etree._Element:
        element = etree.Element(f"{w}r")
        element.extend(children)
        return element

    def text(value: str) -> etree._Element:
        element = etree.Element(f"{w}t", {space: "preserve"})
        element.text = value
        return element

    def field_char(kind: str) -> etree._Element:
        attrs = {f"{w}fldCharType": kind, **({f"{w}dirty": "true"} if kind == "begin" else {})}
        return run(etree.Element(f"{w}fldChar", attrs))

    def instruction(value: str) -> etree._Element:
        element = etree.Element(f"{w}instrText", {space: "preserve"})
        element.text = value
        return run(element)

    def entry(level: int, anchor: str | None, parts: list[str | None]) -> etree._Element:
        paragraph = etree.Element(f"{w}p")
        ppr = etree.SubElement(paragraph, f"{w}pPr")
        tabs = etree.SubElement(ppr, f"{w}tabs")
        indent = 360 * (level - 1)
        if None in parts:  # the number, then the title at a fixed distance: 1 cm, or more for
            # a long number (`1.5.10` ran into its title, the tab then leading to the next stop)
            number = "".join(parts[:parts.index(None)])
            dots = number.count(".")  # a digit ~110 twips, a dot ~55, then a gap of 120
            wide = 110 * (len(number) - dots) + 55 * dots + 120
            etree.SubElement(tabs, f"{w}tab", {f"{w}val": "left",
                                               f"{w}pos": str(indent + max(567, wide))})
        etree.SubElement(tabs, f"{w}tab", {f"{w}val": "right", f"{w}leader": "dot",
                                           f"{w}pos": str(text_width_twips)})
        etree.SubElement(ppr, f"{w}spacing", {f"{w}before": "0", f"{w}after": "60"})
        etree.SubElement(ppr, f"{w}ind", {f"{w}left": str(indent)})
        link = etree.SubElement(paragraph, f"{w}hyperlink", {f"{w}history": "1"})
        if anchor:
            link.set(f"{w}anchor", anchor)
        for part in parts:
            link.append(run(etree.Element(f"{w}tab")) if part is None else run(text(part)))
        link.append(run(etree.Element(f"{w}tab")))
        if anchor:
            link.extend([field_char("begin"), instruction(f" PAGEREF {anchor} \\h "),
                         field_char("separate"), run(text("")), field_char("end")])
        return paragraph

    def headings(body) -> list[tuple[int, str | None, list[str | None]]]:
        found, bookmark = [], None
        for element in body:
            if element.tag == f"{w}bookmarkStart":
                bookmark = element.get(f"{w}name")
                continue
            style = element.find(f"{w}pPr/{w}pStyle") if element.tag == f"{w}p" else None
            name = style.get(f"{w}val", "") if style is not None else ""
            if name.startswith("Heading") and name[7:].isdigit() and int(name[7:]) <= depth:
                mark = element.find(f"{w}bookmarkStart")
                anchor = mark.get(f"{w}name") if mark is not None else bookmark
                parts = [None if node.tag == f"{w}tab" else node.text or ""
                         for node in element.iter(f"{w}t", f"{w}tab")]
                found.append((int(name[7:]), anchor, parts))
            bookmark = None
        return found

    def break_before(paragraph) -> None:
        ppr = paragraph.find(f"{w}pPr")
        if ppr is None:
            ppr = etree.Element(f"{w}pPr")
            paragraph.insert(0, ppr)
        if ppr.find(f"{w}pageBreakBefore") is None:
            after = [ppr.find(f"{w}{t}") for t in ("pStyle", "keepNext", "keepLines")]
            after = [a for a in after if a is not None]
            element = etree.Element(f"{w}pageBreakBefore")
            if after:
                after[-1].addnext(element)
            else:
                ppr.insert(0, element)

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        body = root.find(f"{w}body")
        found = headings(body)
        sdt = next((s for s in body.iterfind(f"{w}sdt")
                    if "TOC" in "".join(t.text or "" for t in s.iter(f"{w}instrText"))), None)
        if sdt is not None and found:
            field = next(p for p in sdt.iterfind(f"{w}sdtContent/{w}p")
                         if "TOC" in "".join(t.text or "" for t in p.iter(f"{w}instrText")))
            entries = [entry(*item) for item in found]
            anchor = field
            for item in entries:
                anchor.addnext(item)
                anchor = item
            field.getparent().remove(field)
        # Page breaks: the first paragraph after the contents, and the first heading after
        # the abstract's, start a page.
        children = list(body)
        if sdt is not None:
            following = next((p for p in children[children.index(sdt) + 1:] if p.tag == f"{w}p"), None)
            if following is not None:
                break_before(following)
        chapters, bookmark = [], None  # (Heading 1 paragraph, its bookmark) in order
        for element in children:
            if element.tag == f"{w}bookmarkStart":
                bookmark = element.get(f"{w}name")
                continue
            style = element.find(f"{w}pPr/{w}pStyle")
            if style is not None and style.get(f"{w}val") == "Heading1":
                mark = element.find(f"{w}bookmarkStart")
                chapters.append((element, mark.get(f"{w}name") if mark is not None else bookmark))
            bookmark = None
        names = [name for _, name in chapters]
        if abstract_id in names and names.index(abstract_id) + 1 < len(chapters):
            break_before(chapters[names.index(abstract_id) + 1][0])
        return _xml(root)

    return edit


# What comes before `w:bidi` in a paragraph's and a section's properties (ECMA-376 order).
_BEFORE_BIDI = {"pPr": {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                        "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs",
                        "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct",
                        "topLinePunct", "autoSpaceDE", "autoSpaceDN"},
                "sectPr": {"headerReference", "footerReference", "footnotePr", "endnotePr",
                           "type", "pgSz", "pgMar", "paperSrc", "pgBorders", "lnNumType",
                           "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
                           "textDirection"}}
_FRONT_STYLES = {"Title", "Subtitle", "Author", "Date", "Abstract", "AbstractTitle", "TOCHeading"}
_LEFT_TO_RIGHT_STYLES = {"SourceCode"}  # code reads from the left in any language


def right_to_left(then: Callable[[bytes], bytes] | None = None) -> Callable[[bytes], bytes]:
    """An edit for word/document.xml of a right-to-left edition, after `then`: pandoc marks the
    body's paragraphs `w:bidi` (metadata `dir: rtl`) but not the title block, the contents or
    the section; they get it here, so Word sets the whole document from the right. Code blocks
    are marked left to right. Without `then`, for a header or footer part: every paragraph."""
    from lxml import etree

    w = f"{{{W}}}"

    def bidi(properties, on: bool = True) -> None:
        if properties.find(f"{w}bidi") is None:
            before = _BEFORE_BIDI[etree.QName(properties).localname]
            at = max((i + 1 for i, child in enumerate(properties)
                      if etree.QName(child).localname in before), default=0)
            properties.insert(at, etree.Element(f"{w}bidi"))
        if not on:
            properties.find(f"{w}bidi").set(f"{w}val", "0")

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(then(data) if then else data)
        body = root.find(f"{w}body") if then else root
        for paragraph in body.iter(f"{w}p"):
            style = paragraph.find(f"{w}pPr/{w}pStyle")
            in_contents = any(a.tag == f"{w}sdt" for a in paragraph.iterancestors())
            name = style.get(f"{w}val") if style is not None else None
            if not then or in_contents or name in _FRONT_STYLES or name in _LEFT_TO_RIGHT_STYLES:
                properties = paragraph.find(f"{w}pPr")
                if properties is None:
                    properties = etree.Element(f"{w}pPr")
                    paragraph.insert(0, properties)
                # pandoc marks code blocks right to left too: their lines then ran from the
                # right, brackets mirrored (`html``` above `<"script …="file.js>`)
                bidi(properties, on=name not in _LEFT_TO_RIGHT_STYLES)
        for section in body.iter(f"{w}sectPr"):
            bidi(section)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return edit
