"""What no format nests, taken apart (`nesting.apart`): a link or a note in a link, a note in a
note; and what pandoc copies into the EPUB's contents from a heading."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from baikonur_pub import nesting
from conftest import ROOTS, checked
from readers import XHTML
from test_raw_html import _built, _chapter


def _word(text: str) -> dict:
    return {"t": "Str", "c": text}


def _para(*inlines) -> dict:
    return {"t": "Para", "c": list(inlines)}


def test_a_link_is_taken_apart_around_the_links_and_notes_it_holds():
    note = {"t": "Note", "c": [{"t": "Para", "c": [_word("n")]}]}
    inner = {"t": "Link", "c": [["", [], []], [_word("in")], ["#y", ""]]}
    outer = {"t": "Link", "c": [["id", ["c"], []], [_word("a"), note, {"t": "Emph", "c": [
        _word("b"), inner, _word("c")]}, _word("d")], ["#x", ""]]}
    blocks = [{"t": "Para", "c": [outer]}]
    nesting.apart(blocks)
    shown = [(x["t"], x["c"][0][0], [w["c"] for w in x["c"][1]], x["c"][2][0]) if x["t"] == "Link"
             else (x["t"],) for x in blocks[0]["c"]]
    assert shown[:2] == [("Link", "id", ["a"], "#x"), ("Note",)] and shown[3:] == [
        ("Link", "", ["d"], "#x")]
    emph = blocks[0]["c"][2]["c"]
    assert [(x["c"][1][0]["c"], x["c"][2][0]) for x in emph] == [("b", "#x"), ("in", "#y"),
                                                                 ("c", "#x")]


def test_a_note_in_a_note_is_its_text_in_parentheses_where_it_was_called():
    inner = {"t": "Note", "c": [_para(_word("inner"), {"t": "Note", "c": [_para(_word("deep"))]})]}
    second = {"t": "Note", "c": [_para(_word("one")), _para(_word("two"))]}
    outer = {"t": "Note", "c": [_para(_word("Outer"), inner, {"t": "Space"}, _word("and"),
                                      {"t": "Space"}, second)]}
    blocks = [_para(_word("Text"), outer)]
    nesting.apart(blocks)
    words = [x.get("c", " ") for x in blocks[0]["c"][1]["c"][0]["c"]]
    assert "".join(words) == "Outer (inner (deep)) and (one two)"


NOT_NESTED = ("Text with a note^[Outer ^[inner note] text.].\n\n"
              "## Formula $x^2$ and `code` {#sec-formula}\n\nText.\n\n"
              "## With a map ![small map](map.png) {#sec-map}\n\nText.\n")


@pytest.mark.slow  # pandoc's EPUB, EPUBCheck
def test_nested_notes_and_a_headings_formula_and_image_leave_the_epub_valid(project):
    """Each made EPUBCheck refuse the EPUB: a note in a note (both marks one ID, RSC-005
    "Duplicate ID"), a formula in a heading (MathML in the contents, "The property mathml should
    be declared", OPF-014), an image in a heading (the contents' copy kept the chapter's `src`,
    "Referenced resource could not be found", RSC-007). The contents say the formula's TeX and
    the image's text."""
    from baikonur_pub import validate

    root = project("minimal")
    png = next((ROOTS / "kitchen-sink/manuscript/en/img").glob("*.png"))
    (root / "manuscript/en/map.png").write_bytes(png.read_bytes())
    dist = _built(project, NOT_NESTED, "epub", root=root)
    epub = dist / "sample-en.epub"
    text = "".join(_chapter(epub, "Text with a note").itertext())
    assert "Outer (inner note) text." in text
    with zipfile.ZipFile(epub) as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
    entries = {a.get("href").rsplit("#", 1)[1]: "".join(a.itertext()).split("\xa0", 1)[1]
               for a in nav.iter(f"{XHTML}a") if "#sec-" in (a.get("href") or "")}
    assert entries["sec-formula"] == "Formula x^2 and code"
    assert entries["sec-map"] == "With a map small map"
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages
