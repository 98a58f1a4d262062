"""Callouts, as Quarto writes them (`::: {.callout-warning title="…"}`, or with a heading of its
own) and as GitHub does (`> [!NOTE]`): one element in every format, titled in the edition's
language when the manuscript gives no title, and no section of the outline."""

from __future__ import annotations

import zipfile

import pytest
from pypdf import PdfReader

from baikonur_pub import validate
from baikonur_pub.ast import walk
from conftest import append, checked, draft, parsed

CALLOUTS = {
    "en/02-two.md": ("\n> [!NOTE]\n> Useful information, see @sec-one.\n\n"
                     "::: {.callout-warning .wide title=\"Mind the gap\"}\nText of a warning.\n:::\n\n"
                     "::: callout-tip\n## Own title\n\nBody of a tip.\n:::\n\n"
                     "## Later {#sec-later}\n\nAfter.\n"),
    "it/02-due.md": ("\n> [!NOTE]\n> Informazione utile, vedi @sec-one.\n\n"
                     "::: {.callout-warning title=\"Attenzione al vuoto\"}\nTesto.\n:::\n\n"
                     "::: callout-tip\n## Titolo proprio\n\nCorpo.\n:::\n\n"
                     "## Dopo {#sec-later}\n\nDopo.\n"),
}


def with_callouts(root):
    for chapter, text in CALLOUTS.items():
        append(root, chapter, text)
    return root


def test_both_syntaxes_are_one_element_titled_in_the_editions_language(project):
    eds = parsed(with_callouts(project("minimal")))
    for code, titles in (("it", ["Nota", "Attenzione al vuoto", "Titolo proprio"]),
                         ("en", ["Note", "Mind the gap", "Own title"])):
        boxes = [el for el in walk(eds[code].ast["blocks"]) if el["t"] == "Div"
                 and "callout" in el["c"][0][1]]
        assert [b["c"][0][1][1] for b in boxes] == ["callout-note", "callout-warning", "callout-tip"]
        if code == "en":  # a class of the author's own stays
            assert boxes[1]["c"][0][1] == ["callout", "callout-warning", "wide"]
        assert [" ".join(x["c"] for x in walk(b["c"][1][0]) if x["t"] == "Str")
                for b in boxes] == titles
        # the tip's heading is its title, not a section: the next heading keeps its line
        assert [(h.title, h.line) for h in eds[code].headings][1:3] == [
            (eds[code].headings[1].title, 1), (eds[code].headings[2].title, 18)]
        assert not any("[!NOTE]" in x.get("c", "") for x in walk(eds[code].ast["blocks"])
                       if x["t"] == "Str")


@pytest.mark.slow
def test_callouts_in_the_pdf_epub_and_docx(project):
    import docx

    root = with_callouts(project("minimal"))
    for fmt in ("pdf", "epub", "docx"):
        dist = draft(root, "it", fmt)
    text = "".join(page.extract_text() for page in PdfReader(dist / "sample-it.pdf").pages)
    assert "Nota\nInformazione utile, vedi Sezione 1." in text and "[!NOTE]" not in text
    with zipfile.ZipFile(dist / "sample-it.epub") as epub:
        pages = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert 'class="callout callout-tip"' in pages and "Titolo proprio" in pages
    outcome = checked(validate.epubcheck, dist / "sample-it.epub")
    assert outcome.clean, outcome.messages
    paragraphs = [p for p in docx.Document(str(dist / "sample-it.docx")).paragraphs]
    assert any(p.text == "Nota" and p.runs[0].bold for p in paragraphs)
