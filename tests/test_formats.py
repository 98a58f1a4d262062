"""Every format the same book: the same headings in the same order (front matter included), and
the language of every part in another language carried into PDF, EPUB and DOCX."""

from __future__ import annotations

import zipfile

import pikepdf
import pypdf
import pytest

from baikonur_pub import config
from conftest import REPO, build_sample
from readers import XHTML, W, element_text, epub_documents, norm, zip_xml

PUB = config.load(REPO)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def pdf_sequence(path) -> list[str]:
    """Headings in reading order: the contents title where its page is, then the outline."""
    reader = pypdf.PdfReader(path)
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((reader.get_destination_page_number(item), len(found) + 1, item.title))
    walk(reader.outline)
    contents = pikepdf.open(path)
    sect = next(s for s in contents.Root.StructTreeRoot.K[0].K
                if any(k.get("/S") == "/TOC" for k in s.K if isinstance(k, pikepdf.Dictionary)))
    page = next(i for i, p in enumerate(contents.pages) if p.obj.objgen == sect.Pg.objgen)
    title = reader.pages[page].extract_text().split("\n")[0]
    return [norm(t) for _, _, t in sorted([(page, 0, title)] + found)]


def epub_sequence(path) -> list[str]:
    """h1 and h2 of the spine after the title page (the navigation document is in the spine)."""
    headings = []
    for document in epub_documents(path):
        body = document.find(f"{XHTML}body")
        if body is None or body.find(f".//{XHTML}section[@class='titlepage']") is not None:
            continue
        headings += [element_text(h) for h in body.iter() if h.tag in (f"{XHTML}h1", f"{XHTML}h2")]
    return headings


def docx_sequence(path) -> list[str]:
    """The contents title (inside the contents block) and Heading 1 and 2, in document order."""
    body = zip_xml(path, "word/document.xml").find(f"{W}body")
    found = []
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in ("TOCHeading", "Heading1", "Heading2"):
            found.append(norm("".join(" " if n.tag == f"{W}tab" else n.text or ""
                                      for n in paragraph.iter() if n.tag in (f"{W}t", f"{W}tab"))))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_the_three_formats_have_the_same_headings_in_the_same_order(shipped_dist, code):
    stem = shipped_dist / f"{PUB.slug}-{code}"
    pdf, epub, docx = (pdf_sequence(stem.with_suffix(".pdf")),
                       epub_sequence(stem.with_suffix(".epub")),
                       docx_sequence(stem.with_suffix(".docx")))
    assert pdf == epub == docx
    # title page, contents, abstract, chapters, references: the same front matter everywhere
    assert pdf[0] == {"it": "Indice", "en": "Contents"}[code]
    assert pdf[1] == "Abstract" and pdf[-1] == PUB.language(code).references_title


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    return build_sample(tmp_path_factory, "languages", "epub"), build_sample(
        tmp_path_factory, "languages", "docx")


@pytest.mark.slow
def test_parts_in_another_language_say_so_in_epub_and_docx(languages):
    epub_dist, docx_dist = languages
    for code, other, quoted in (("it", "en", "Outer Space Treaty"),
                                ("en", "it", "Trattato sullo spazio extra-atmosferico")):
        tagged = [(element_text(e), e.get("lang"), e.get(XML_LANG))
                  for doc in epub_documents(epub_dist / f"langs-{code}.epub") for e in doc.iter()
                  if e.get("lang") and e.tag != f"{XHTML}html"]
        assert (quoted, other, other) in tagged
        runs = [("".join(t.text or "" for t in r.iter(f"{W}t")), lang.get(f"{W}val"))
                for r in zip_xml(docx_dist / f"langs-{code}.docx", "word/document.xml").iter(f"{W}r")
                for lang in r.iter(f"{W}lang")]
        assert (quoted, other) in runs
    # the reference whose CSL `language` is English: its title, in the Italian edition only
    title = "Treaty on Principles Governing the Activities of States in the Exploration of Outer Space"
    it_epub = [element_text(e) for doc in epub_documents(epub_dist / "langs-it.epub")
               for e in doc.iter() if e.get("lang") == "en"]
    assert title in it_epub
    en_epub = [e for doc in epub_documents(epub_dist / "langs-en.epub") for e in doc.iter()
               if e.get("lang") == "en" and e.tag != f"{XHTML}html"]
    assert en_epub == []
    it_docx = [t.text for r in zip_xml(docx_dist / "langs-it.docx", "word/document.xml").iter(f"{W}r")
               if r.find(f"{W}rPr/{W}lang") is not None for t in r.iter(f"{W}t")]
    assert title in " ".join(it_docx)
    with zipfile.ZipFile(epub_dist / "langs-it.epub") as zf:
        assert all(b'lang="en" xml:lang="en"' in zf.read(n) or b'lang="en"' not in zf.read(n)
                   for n in zf.namelist() if n.endswith(".xhtml"))
