"""A footnote label or link reference two chapters define is each chapter's own (`labels`):
tests/roots/chapter-labels numbers its notes and links from 1 in every chapter, as chapters
converted one by one do."""

from __future__ import annotations

import pypdf
import pytest

from baikonur_pub import config
from baikonur_pub.ast import stringify, walk
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import append, copy_project, draft
from test_pdf import link_annotations


def _edition(root, code="en"):
    return editions(config.load(root), [code], Pandoc.locate())[code]


def _chapters(edition) -> list[list[dict]]:
    """Each chapter's blocks."""
    return [edition.blocks_of({index}) for index in range(len(edition.files))]


def _notes(blocks) -> list[str]:
    return [stringify({"t": "Div", "c": [["", [], []], el["c"]]})
            for el in walk(blocks) if el["t"] == "Note"]


def _targets(blocks) -> list[tuple[str, str]]:
    return [(stringify({"t": "Div", "c": [["", [], []], [{"t": "Plain", "c": el["c"][1]}]]}),
             el["c"][2][0]) for el in walk(blocks) if el["t"] == "Link"]


@pytest.mark.parametrize("code", ["en", "it"])
def test_each_chapter_that_defines_a_label_gets_its_own_note_and_links(tmp_path, code):
    """Pandoc scopes labels to the document: the first chapter's note printed the second's
    text, and its links led to the second chapter's addresses."""
    first, second, _ = _chapters(_edition(copy_project("chapter-labels", tmp_path / "p"), code))
    assert _notes(first) == [("The note of the first chapter." if code == "en"
                              else "La nota del primo capitolo.")]
    assert _notes(second) == [("The note of the second chapter." if code == "en"
                               else "La nota del secondo capitolo.")]
    assert [url for _, url in _targets(first)] == [
        "https://first.example/one", "https://first.example/site", "https://first.example/site",
        "https://first.example/inline"]
    # [link][1], [Site], [SITE][], and the shortcut [site] before a colon (after a code span
    # too, where a line scan saw a definition): the text as written
    assert _targets(second) == [(text, url) for text, url in zip(
        ["link", "Site", "SITE", "site", "site"] if code == "en"
        else ["collegamento", "Sito", "SITO", "sito", "sito"],
        ["https://second.example/one", *["https://second.example/site"] * 4])]


def test_an_example_each_chapter_labels_alike_gets_its_own_number(tmp_path):
    """Pandoc numbered the second chapter's `(@good)` as the first's, (1), without a word."""
    first, second, _ = _chapters(_edition(copy_project("chapter-labels", tmp_path / "p")))
    for blocks, number in ((first, 1), (second, 2)):
        assert [b["c"][0][0] for b in blocks if b["t"] == "OrderedList"] == [number]
        text = stringify({"t": "Div", "c": [["", [], []], blocks]})
        assert f"As example ({number}) shows." in text


def test_a_chapter_that_defines_no_label_reaches_the_first_definition(tmp_path):
    third = _chapters(_edition(copy_project("chapter-labels", tmp_path / "p")))[2]
    assert _notes(third) == ["The note of the first chapter."]
    assert [url for _, url in _targets(third)] == ["https://first.example/one"]


def test_code_and_escaped_brackets_keep_what_the_chapter_wrote(tmp_path):
    first, second, _ = _chapters(_edition(copy_project("chapter-labels", tmp_path / "p")))
    assert [el["c"][1] for el in walk(first) if el["t"] == "Code"] == ["[^1]", "[site]"]
    assert [el["c"][1] for el in walk(second) if el["t"] == "CodeBlock"] == [
        "Code keeps its brackets: [^1] and [site].\n\n[^1]: Not a note."]
    assert "An escaped [^1] and [site] are text;" in stringify(
        {"t": "Div", "c": [["", [], []], second]})


def test_pandocs_warnings_name_a_renamed_label_as_the_chapter_wrote_it(tmp_path):
    """The second chapter defines its note twice: pandoc's warning names `1`, not the copy's
    name the rename gave it."""
    root = copy_project("chapter-labels", tmp_path / "p")
    append(root, "en/02-second.md", "\n[^1]: Again.\n")
    said = [(file, line, message) for code, file, line, message in _edition(root).notices
            if code == "pandoc-warning"]
    assert said == [("manuscript/en/02-second.md", 21, "pandoc: duplicate note reference '1'")]


@pytest.mark.slow
def test_the_pdf_prints_each_chapters_note_and_links_to_its_addresses(tmp_path):
    root = copy_project("chapter-labels", tmp_path / "p")
    reader = pypdf.PdfReader(draft(root, "en", "pdf") / "labels-en.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "The note of the first chapter." in text and "The note of the second chapter." in text
    addresses = [annot["/A"]["/URI"] for _, annot in link_annotations(reader)
                 if "/URI" in annot.get("/A", {})]
    assert addresses.count("https://second.example/site") == 4
    assert addresses.count("https://first.example/site") == 2
