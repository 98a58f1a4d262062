"""Read artifacts back with real readers: pypdf, zip + XML for EPUB, python-docx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pypdf

XHTML = "{http://www.w3.org/1999/xhtml}"
MM = 72 / 25.4


def norm(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(path: Path, top_mm: float = 18, bottom_mm: float = 20) -> list[str]:
    """Text of each page's body area: running heads and folios in the margins are left out."""
    pages = []
    for page in pypdf.PdfReader(path).pages:
        height = float(page.mediabox.height)
        parts: list[str] = []

        def keep(text, cm, tm, font, size, parts=parts, height=height):
            y = tm[5] * cm[3] + cm[5] if cm else tm[5]
            if bottom_mm * MM < y < height - top_mm * MM or not text.strip():
                parts.append(text)

        page.extract_text(visitor_text=keep)
        pages.append("".join(parts))
    return pages


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdf_references(path: Path, title: str) -> str:
    """The body text after the last occurrence of the reference list's heading."""
    body = norm(" ".join(pdf_pages(path)).replace("•", " "))  # list bullets are decoration
    return body[body.rindex(title) + len(title):].strip()


def epub_documents(path: Path) -> list[ET.Element]:
    """The XHTML content documents in spine order."""
    with zipfile.ZipFile(path) as zf:
        container = ET.fromstring(zf.read("META-INF/container.xml"))
        opf_path = next(el.get("full-path") for el in container.iter() if el.get("full-path"))
        opf = ET.fromstring(zf.read(opf_path))
        ns = {"opf": "http://www.idpf.org/2007/opf"}
        base = str(Path(opf_path).parent)
        items = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", ns)}
        spine = [items[r.get("idref")] for r in opf.iterfind(".//opf:spine/opf:itemref", ns)]
        return [ET.fromstring(zf.read(f"{base}/{href}")) for href in spine]


def element_text(el: ET.Element) -> str:
    return norm("".join(el.itertext()))


def epub_headings(path: Path) -> list[str]:
    return [element_text(h) for doc in epub_documents(path) for h in doc.iter()
            if h.tag in (f"{XHTML}h1", f"{XHTML}h2")]


def epub_references(path: Path) -> list[str]:
    return [element_text(div) for doc in epub_documents(path) for div in doc.iter(f"{XHTML}div")
            if "csl-entry" in (div.get("class") or "").split()]


def epub_text(path: Path) -> str:
    return norm(" ".join(element_text(doc) for doc in epub_documents(path)))


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, norm(p.text)) for p in docx.Document(str(path)).paragraphs]


def docx_references(path: Path) -> list[str]:
    return [text for style, text in docx_paragraphs(path) if style == "Bibliography"]


def docx_headings(path: Path) -> list[str]:
    return [text for style, text in docx_paragraphs(path) if style.startswith("Heading")]


# EPUB and DOCX packages: XML parts by name ------------------------------------------------------

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def zip_xml(path: Path, name: str) -> ET.Element:
    """One XML part of a zip package (EPUB, DOCX), parsed."""
    with zipfile.ZipFile(path) as zf:
        return ET.fromstring(zf.read(name))


def epub_opf(path: Path) -> tuple[ET.Element, str]:
    """The EPUB's package document and the folder it sits in (hrefs are relative to it)."""
    container = zip_xml(path, "META-INF/container.xml")
    opf_path = next(el.get("full-path") for el in container.iter() if el.get("full-path"))
    return zip_xml(path, opf_path), str(Path(opf_path).parent)


def epub_meta(opf: ET.Element, prop: str) -> list[str]:
    """Text of every <meta property=prop> of the package metadata."""
    return [m.text or "" for m in opf.iter(f"{OPF}meta") if m.get("property") == prop]


def epub_manifest(path: Path) -> dict[str, ET.Element]:
    """Manifest items by href (relative to the package document)."""
    opf, _ = epub_opf(path)
    return {item.get("href"): item for item in opf.iter(f"{OPF}item")}


def docx_styles(path: Path) -> dict[str, ET.Element]:
    """w:style elements of word/styles.xml by style name."""
    root = zip_xml(path, "word/styles.xml")
    return {s.find(f"{W}name").get(f"{W}val"): s for s in root.iter(f"{W}style")}


def pdf_fonts(path: Path) -> dict[str, str]:
    """BaseFont (subset tag dropped) → the characters drawn with it, from the PDF's ToUnicode."""
    import pikepdf

    found: dict[str, str] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                name = str(font.BaseFont).split("+", 1)[-1]
                cmap = font.get("/ToUnicode")
                text = cmap.read_bytes().decode("latin-1") if cmap is not None else ""
                chars = "".join(bytes.fromhex(h).decode("utf-16-be", errors="replace") for h in
                                re.findall(r"<[0-9a-fA-F]+> <((?:[0-9a-fA-F]{4})+)>", text))
                found[name] = found.get(name, "") + chars
    return found
