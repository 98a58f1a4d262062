"""The EPUB package after pandoc: what an accessibility reviewer checks and pandoc leaves undone.

- Each content document's `<title>` is its heading (pandoc writes the file name, `ch001.xhtml`).
- Pandoc's inline citation CSS goes: its hanging indent stacks with styles/epub.css's.
- Parts in another language get `xml:lang` beside `lang`.
- The abstract is front matter; the first chapter after it is the `bodymatter` landmark.
- The accessibility metadata says what the edition holds: `visual` access mode for the cover
  (and figures), features from the content, and a conformance claim (EPUB Accessibility 1.1,
  WCAG 2.1 AA) only when every image has a text alternative; DAISY Ace checks it in CI.
- The fonts are subset to the characters the edition uses (HarfBuzz): 1.3 MB of fonts carried
  15 KB of text.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Callable

from ..ast import walk

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
MATHML = "http://www.w3.org/1998/Math/MathML"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
OPF = "http://www.idpf.org/2007/opf"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


def contents(edition) -> dict[str, bool]:
    """What the edition holds, for the accessibility summary and metadata, and whether it has
    code (the code face is embedded then), from one walk of its AST (read once per EPUB: three
    walks a call, three calls, had cost a 50× report's EPUB 1.3 of its 2.1 s of Python).

    "alt-text": WCAG 2.1 AA is claimed only when nothing the build cannot vouch for is in the
    edition: every image has a text alternative (the styles' contrast and structure are tested
    in CI)."""
    kinds: set[str] = set()
    images = []
    for node in walk(edition.ast["blocks"]):
        kinds.add(node["t"])
        if node["t"] == "Image":
            images.append(node)
    return {"notes": "Note" in kinds, "citations": "Cite" in kinds, "figures": bool(images),
            "tables": "Table" in kinds, "code": bool(kinds & {"Code", "CodeBlock"}),
            "alt-text": all(node["c"][1] for node in images)}


def _serialise(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>")


def id_files(data: bytes, chapters: list[str]) -> dict[str, str]:
    """ID → the chapter file that holds it (pandoc misses figures when it splits the book)."""
    homes: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in chapters:
            for ident in re.findall(rb'\sid="([^"]+)"', zf.read(name)):
                homes.setdefault(ident.decode("utf-8"), name.rsplit("/", 1)[-1])
    return homes


def content_document(front: bool, name: str = "", homes: dict | None = None) -> Callable[[bytes], bytes]:
    """An edit for a chapter file: title from its heading, no inline CSS, xml:lang on parts,
    every `#id` link pointing at the file that holds the ID (this one when it does), an empty
    header cell a data cell; `front` marks the abstract as front matter."""
    from lxml import etree

    x = f"{{{XHTML}}}"

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        head = root.find(f"{x}head")
        for style in head.findall(f"{x}style"):
            head.remove(style)
        heading = next((h for h in root.iter(*(f"{x}h{n}" for n in range(1, 7)))), None)
        title = head.find(f"{x}title")
        if heading is not None and title is not None:
            text = " ".join("".join(heading.itertext()).split())
            title.text = text
        own = name.rsplit("/", 1)[-1]
        # IDs pandoc repeats from file to file (code lines: `cb9-1`) are this file's own first
        here = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        for cell in list(root.iter(f"{x}th")):
            if not "".join(cell.itertext()).strip() and not len(cell):
                cell.tag = f"{x}td"  # an empty header cell heads nothing (axe empty-table-header)
        for element in root.iter():
            if isinstance(element.tag, str) and element.get("lang") and element.get(XML_LANG) is None:
                element.set(XML_LANG, element.get("lang"))
            href = element.get("href") if isinstance(element.tag, str) else None
            if href and href.startswith("#") and homes and href[1:] not in here \
                    and homes.get(href[1:], own) != own:
                element.set("href", f"{homes[href[1:]]}{href}")
        body = root.find(f"{x}body")
        if front and body is not None:
            body.set(f"{{{OPS}}}type", "frontmatter")
            for section in body.iter(f"{x}section"):
                section.set(f"{{{OPS}}}type", "abstract")
                section.set("role", "doc-abstract")
                break
        return _serialise(root)

    return edit


def unlisted(ids: frozenset[str]) -> Callable[[bytes], bytes]:
    """An edit for the navigation document or the NCX: no entry for a heading marked
    `.unlisted` (`ids`), nor for those under it (pandoc's EPUB lists every heading)."""
    from lxml import etree

    def edit(data: bytes) -> bytes:
        if not ids:
            return data
        root = etree.fromstring(data)
        entries = [(a.getparent(), a.get("href")) for a in root.iter(f"{{{XHTML}}}a")] + [
            (c.getparent(), c.get("src")) for c in root.iter(f"{{{NCX}}}content")]
        for entry, target in entries:
            if target and target.partition("#")[2] in ids and entry.getparent() is not None:
                parent = entry.getparent()
                parent.remove(entry)
                if parent.tag == f"{{{XHTML}}}ol" and not len(parent):  # no empty list in a nav
                    parent.getparent().remove(parent)
        for order, point in enumerate(root.iter(f"{{{NCX}}}navPoint"), 1):
            if point.get("playOrder") is not None:  # in sequence, as the NCX asks
                point.set("playOrder", str(order))
        return _serialise(root)

    return edit


def landmarks(labels: dict[str, str], body_href: str | None) -> Callable[[bytes], bytes]:
    """An edit for the navigation document: landmarks named in the edition's language, and a
    `bodymatter` one pointing at the first chapter. And the contents' entries as text: pandoc
    copies a heading's inlines into its entry, IDs and empty elements too (a heading's
    `<span></span>`, an anchor `[]{#x}` alone), and EPUBCheck refuses a span with no text in a
    navigation document (RSC-005); an ID there names nothing a reader can reach. A heading's
    image is its text there (pandoc gives it the chapter's `src`, no file from the navigation
    document: RSC-007), a formula its TeX (MathML there needs a property the package lacks)."""
    from lxml import etree

    x, ops = f"{{{XHTML}}}", f"{{{OPS}}}"

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for nav in root.iter(f"{x}nav"):
            if nav.get(f"{ops}type") != "landmarks":
                for link in nav.iter(f"{x}a"):
                    for inner in list(link.iter()):
                        if inner is not link:
                            inner.attrib.pop("id", None)
                    for span in [s for s in link.iter(f"{x}span") if not "".join(s.itertext())]:
                        _drop(span)
                    for image in list(link.iter(f"{x}img")):  # its src is the chapter's
                        _drop(image, image.get("alt") or "")
                    for formula in list(link.iter(f"{{{MATHML}}}math")):  # no `mathml` here
                        tex = formula.find(f".//{{{MATHML}}}annotation[@encoding='application/x-tex']")
                        _drop(formula, tex.text if tex is not None else "".join(formula.itertext()))
                continue
            listing = nav.find(f"{x}ol")
            if body_href and listing is not None and not any(
                    a.get(f"{ops}type") == "bodymatter" for a in nav.iter(f"{x}a")):
                item = etree.SubElement(listing, f"{x}li")
                link = etree.SubElement(item, f"{x}a", {"href": body_href,
                                                        f"{ops}type": "bodymatter"})
                link.text = labels.get("bodymatter", "Start of content")
            for link in nav.iter(f"{x}a"):
                if link.get(f"{ops}type") in labels:
                    link.text = labels[link.get(f"{ops}type")]
        return _serialise(root)

    return edit


def _drop(element, text: str = "") -> None:
    """`element` removed (`text` in its place), the text after it kept."""
    parent, tail = element.getparent(), text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def package(edition, found: dict[str, bool], subjects_lang: str | None) -> Callable[[bytes], bytes]:
    """An edit for content.opf: the accessibility metadata from what the edition holds."""
    from lxml import etree

    o = f"{{{OPF}}}"

    def meta(parent, prop: str, text: str):
        element = etree.SubElement(parent, f"{o}meta", {"property": prop})
        element.text = text
        return element

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        metadata = root.find(f"{o}metadata")
        summary = [e for e in metadata if e.get("property") == "schema:accessibilitySummary"]
        for element in list(metadata):
            if element.get("property", "").startswith(("schema:access", "dcterms:conformsTo",
                                                       "a11y:")):
                metadata.remove(element)
        modes = ["textual", "visual"]  # the cover is an image, whatever the text holds
        meta(metadata, "schema:accessMode", "textual")
        meta(metadata, "schema:accessMode", "visual")
        if found["alt-text"]:  # the title page is text, every figure has its alternative
            meta(metadata, "schema:accessModeSufficient", "textual")
        meta(metadata, "schema:accessModeSufficient", ",".join(modes))
        features = ["alternativeText"] * found["alt-text"] + [
            "displayTransformability", "readingOrder", "structuralNavigation", "tableOfContents"]
        for feature in dict.fromkeys(features):
            meta(metadata, "schema:accessibilityFeature", feature)
        meta(metadata, "schema:accessibilityHazard", "none")
        metadata.extend(summary)  # after the facts it sums up
        if found["alt-text"]:
            meta(metadata, "dcterms:conformsTo", CONFORMANCE)
            meta(metadata, "a11y:certifiedBy", "baikonur-pub")
        if subjects_lang:
            for subject in metadata.iter("{http://purl.org/dc/elements/1.1/}subject"):
                subject.set(XML_LANG, subjects_lang)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    return edit


def text_of(data: bytes) -> str:
    """Every character of an EPUB's content and navigation documents (markup aside)."""
    from lxml import etree

    chars = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.endswith((".xhtml", ".ncx")):
                root = etree.fromstring(zf.read(name))
                chars.append("".join(root.itertext()))
                chars += [v for el in root.iter() if isinstance(el.tag, str)
                          for k, v in el.attrib.items() if k in ("alt", "aria-label", "title")]
    return "".join(chars)


def subset_font(text: str, leave_out: frozenset[int] = frozenset(),
                only: frozenset[int] | None = None) -> Callable[[bytes], bytes]:
    """An edit for an embedded font: only the glyphs `text` needs (and what the default layout
    features reach from them, so ligatures and kerning keep working), by HarfBuzz's subsetter
    (fontTools' takes 30 times longer). The font's own dates stay: the same text gives the
    same bytes."""
    import uharfbuzz as hb

    # Characters a reading system may draw on its own: space, hyphens, ellipsis, digits.
    wanted = {ord(c) for c in set(text) | set(" -‐‑–—…0123456789.,:;!?()[]'\"’“”«»\u00ad")}
    wanted -= leave_out  # characters another (fallback) face sets
    if only is not None:  # a fallback face: what it sets, nothing else
        wanted &= only

    def edit(data: bytes) -> bytes:
        plan = hb.SubsetInput()
        for code in sorted(wanted):
            plan.unicode_set.add(code)
        plan.flags = hb.SubsetFlags.NO_HINTING
        font = hb.subset(hb.Face(hb.Blob(data)), plan)
        if font is None:
            raise ValueError("HarfBuzz could not subset the font")
        return font.blob.data

    return edit


def chapter_files(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sorted(n for n in zf.namelist() if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n))


def right_to_left(then: Callable[[bytes], bytes] | None = None) -> Callable[[bytes], bytes]:
    """An edit for any content document of a right-to-left edition, after `then`: `dir="rtl"` on
    `<html>` (pandoc's EPUB template writes no `dir`; its spine gets the page progression
    from the edition's metadata), and code `dir="ltr"` (EPUB style sheets may not set
    `direction`)."""
    from lxml import etree

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(then(data) if then else data)
        root.set("dir", "rtl")
        for code in root.iter(f"{{{XHTML}}}pre", f"{{{XHTML}}}code"):
            if code.getparent() is None or code.getparent().tag != f"{{{XHTML}}}pre":
                code.set("dir", "ltr")
        return _serialise(root)

    return edit


def content_files(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sorted(n for n in zf.namelist() if n.endswith(".xhtml"))
