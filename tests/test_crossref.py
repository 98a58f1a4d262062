"""Numbered figures and tables, cross-references in Quarto's syntax, in the edition's language.

tests/roots/content/manuscript/*/01-*.md: `@fig-map`, `[-@tbl-data]` and `@sec-two` in each
language, a figure and a table with captions."""

from __future__ import annotations

import re
import zipfile

import pytest
from pypdf import PdfReader


# The tests of tests/roots/content share its one build: on one xdist worker, so the other
# worker is not left waiting for it.
pytestmark = pytest.mark.xdist_group("content")


def test_figures_tables_and_sections_are_numbered_and_linked_in_each_language(content_dist):
    dist = content_dist
    expected = {"it": ["Figura\u00a01", "(e 1 in Sezione\u00a02)", "Figura 1: Una mappa", "Tabella 1: Dati"],
                "en": ["Figure\u00a01", "(and 1 in Section\u00a02)", "Figure 1: A map", "Table 1: Data"]}
    for code, wanted in expected.items():
        pdf = " ".join(p.extract_text() for p in PdfReader(dist / f"sample-{code}.pdf").pages)
        with zipfile.ZipFile(dist / f"sample-{code}.docx") as archive:
            docx = archive.read("word/document.xml").decode()
        with zipfile.ZipFile(dist / f"sample-{code}.epub") as archive:
            epub = " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml"))
        for text in wanted:
            assert " ".join(text.split()) in " ".join(pdf.split()), (code, text)
        assert 'href="#fig-map"' in epub or "#fig-map" in epub
        assert wanted[0] in docx.replace("&#160;", "\u00a0")
    # The facing-page edition numbers each side in its own language, and its links (the IDs
    # made unique per side) land on that side's own figure.
    facing = PdfReader(dist / "sample-it-en.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in facing.pages)
    for wanted in expected.values():
        for caption in wanted[2:]:
            assert caption in text, caption
    named = {str(name) for name in facing.named_destinations}
    assert {"it--fig-map", "en--fig-map"} <= named, sorted(named)[:20]


@pytest.mark.slow  # EPUBCheck
@pytest.mark.parametrize("code", ["it", "en"])
def test_a_heading_named_like_pandocs_notes_keeps_an_id_of_its_own(content_dist, epubcheck_of, code):
    """tests/roots/content/manuscript/*/02-*.md: `## Footnotes` with a note of its own and a
    link `#Footnotes`. Pandoc names both that heading and its list of the chapter's notes
    `footnotes`: the EPUB had the ID twice (EPUBCheck RSC-005), the PDF's link could land on
    either. The heading is `footnotes-1` everywhere, and the link follows it."""
    from conftest import checked

    result = checked(epubcheck_of, content_dist / f"sample-{code}.epub")
    assert result.clean, result.messages
    with zipfile.ZipFile(content_dist / f"sample-{code}.epub") as archive:
        (chapter,) = [archive.read(n).decode() for n in archive.namelist()
                      if n.endswith(".xhtml") and "Footnotes</h2>" in archive.read(n).decode()]
    assert chapter.count('id="footnotes"') == 1 and 'class="footnotes' in chapter  # pandoc's
    assert re.search(r'<section id="footnotes-1"[^>]*>\s*<h2[^>]*>.*Footnotes</h2>', chapter)
    assert re.search(r'href="[^"#]*#footnotes-1"', chapter)  # pandoc adds the chapter's file
    pdf = PdfReader(content_dist / f"sample-{code}.pdf")
    assert "footnotes-1" in {str(name) for name in pdf.named_destinations}
