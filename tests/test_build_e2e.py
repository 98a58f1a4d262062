"""End to end: the shipped report built in both languages, read back with real readers."""

from __future__ import annotations

import re

import pytest

from baikonur_pub import config
from conftest import REPO
from readers import (docx_headings, docx_paragraphs, docx_references, epub_headings,
                     epub_references, epub_text, norm, pdf_references, pdf_text)

pytestmark = pytest.mark.slow

PUB = config.load(REPO)
LANGS = PUB.codes
# Locale terms citeproc takes from the CSL locale: the quotation marks around article titles.
QUOTES = {"it": ("«", "»"), "en": ("“", "”")}


def headings(code: str) -> list[str]:
    """Every heading of the language, as written in its chapter files."""
    found = []
    for path in PUB.language(code).files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                found.append(norm(re.sub(r"\{[^}]*\}\s*$", "", line.lstrip("#"))))
    return found


def test_every_edition_and_the_bilingual_artifacts_are_built(shipped_dist):
    names = sorted(p.name for p in shipped_dist.iterdir() if p.name.startswith(PUB.slug))
    bilingual = [name for code in LANGS if code != PUB.primary
                 for name in (f"{PUB.slug}-{PUB.primary}-{code}.pdf", f"{PUB.slug}-review-{code}.docx")]
    assert names == sorted([f"{PUB.slug}-{c}.{f}" for c in LANGS for f in ("pdf", "epub", "docx")]
                           + bilingual)


@pytest.mark.parametrize("code", LANGS)
def test_pdf_holds_title_every_heading_and_references(shipped_dist, code):
    lang = PUB.language(code)
    text = norm(pdf_text(shipped_dist / f"{PUB.slug}-{code}.pdf"))
    assert norm(lang.title) in text
    assert len(headings(code)) == 8  # abstract + seven sections
    for heading in headings(code):
        assert heading in text, heading
    refs = pdf_references(shipped_dist / f"{PUB.slug}-{code}.pdf", lang.references_title)
    assert "Bartenev, V. 2020." in refs
    assert QUOTES[code][0] in refs and QUOTES[code][1] in refs


@pytest.mark.parametrize("code", LANGS)
def test_epub_holds_title_every_heading_and_references(shipped_dist, code):
    path = shipped_dist / f"{PUB.slug}-{code}.epub"
    lang = PUB.language(code)
    assert norm(lang.title) in epub_text(path)
    found = epub_headings(path)
    for heading in headings(code) + [lang.references_title]:
        assert any(heading in h for h in found), heading
    refs = epub_references(path)
    assert len(refs) == 5
    assert any(QUOTES[code][0] in r for r in refs)


@pytest.mark.parametrize("code", LANGS)
def test_docx_holds_title_every_heading_and_references(shipped_dist, code):
    path = shipped_dist / f"{PUB.slug}-{code}.docx"
    lang = PUB.language(code)
    assert ("Title", norm(lang.title)) in docx_paragraphs(path)
    found = docx_headings(path)
    for heading in headings(code) + [lang.references_title]:
        assert any(heading in h for h in found), heading
    refs = docx_references(path)
    assert len(refs) == 5
    assert any(QUOTES[code][0] in r for r in refs)


@pytest.mark.parametrize("code", LANGS)
def test_reference_list_is_identical_in_every_format(shipped_dist, code):
    stem = shipped_dist / f"{PUB.slug}-{code}"
    epub, docx = epub_references(stem.with_suffix(".epub")), docx_references(stem.with_suffix(".docx"))
    assert epub == docx
    pdf = pdf_references(stem.with_suffix(".pdf"), PUB.language(code).references_title)
    assert pdf == norm(" ".join(epub))


def test_per_language_bibliography_fields_are_resolved(shipped_dist):
    it = docx_references(shipped_dist / f"{PUB.slug}-it.docx")
    en = docx_references(shipped_dist / f"{PUB.slug}-en.docx")
    assert any("esteso al 2050" in r for r in it) and not any("extended" in r for r in it)
    assert any("extended to 2050" in r for r in en) and not any("esteso" in r for r in en)
    # an English title (CSL `language: en`), title-cased by the style in the Italian edition too
    assert any("Reports and Space Strategy Outlines" in r for r in it)
    assert any("Strategic Reports" in r for r in en)


def test_inline_citations_render_in_each_language(shipped_dist):
    it = norm(pdf_text(shipped_dist / f"{PUB.slug}-it.pdf"))
    en = norm(pdf_text(shipped_dist / f"{PUB.slug}-en.pdf"))
    for text in (it, en):
        assert "(Bartenev 2020)" in text and "(Zhao 2022)" in text
