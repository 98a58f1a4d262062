"""Lessons written for the Carpentries Workbench (tests/roots/workbench): boxes are pandoc's
fenced divs named by their first class (`dialects.workbench`), images carry their text
alternative in an `alt` attribute, figures drawn with tools refer to their own elements."""

from __future__ import annotations

import zipfile

import pypdf
import pytest

from baikonur_pub.ast import stringify, walk
from baikonur_pub.svgtext import prepare
from conftest import checked, copy_project, parsed, run_cli
from readers import XHTML, epub_documents, pdf_text

TITLES = {"en": ("Questions", "Objectives", "Times are in UTC", "Counting launches", "Tip",
                 "Solution", "Key points"),
          "it": ("Domande", "Obiettivi", "Gli orari sono in UTC", "Contare i lanci",
                 "Suggerimento", "Soluzione", "Punti chiave")}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return copy_project("workbench", tmp_path_factory.mktemp("w") / "workbench")


@pytest.fixture(scope="module")
def eds(root):
    return parsed(root)


def _callouts(blocks) -> list[tuple[str, str, str]]:
    """(kind, the title, the Workbench's name) of every callout, in reading order."""
    found = []
    for el in walk(blocks):
        if el["t"] == "Div" and "callout" in el["c"][0][1]:
            classes = el["c"][0][1]
            kind = next(c[len("callout-"):] for c in classes if c.startswith("callout-"))
            found.append((kind, stringify(el["c"][1][0]), classes[-1]))
    return found


@pytest.mark.parametrize("code", ["en", "it"])
def test_each_box_is_a_callout_of_its_kind_titled_by_its_heading_or_its_name(eds, code):
    """A challenge is an exercise, its solution inside it a solution, a hint a tip; the
    lesson's questions, objectives and key points are titled so in the edition's language.
    They were plain divs: their headings numbered sections ("1.0.1"), the rest untitled."""
    found = _callouts(eds[code].ast["blocks"])
    assert [kind for kind, _, _ in found] == ["note", "note", "note", "exercise", "tip",
                                              "solution", "note"]
    assert tuple(title for _, title, _ in found) == TITLES[code]
    assert [name for _, _, name in found] == ["questions", "objectives", "callout-note",
                                              "challenge", "hint", "solution", "keypoints"]


@pytest.mark.parametrize("code", ["en", "it"])
def test_headings_in_boxes_and_tabs_start_no_section(eds, code):
    """The chapter has its title and one section: a box's heading is its title, a tab's its
    label, and a heading further in a box is the box's own, unnumbered and in no contents
    (a lesson's "#### 1. Print the data" in a challenge was section 4.0.3.1)."""
    headings = [el for el in walk(eds[code].ast["blocks"]) if el["t"] == "Header"]
    assert [h["c"][0] for h in headings] == [1, 2, 3]
    assert [h["c"][1][1] for h in headings] == [[], [], ["unnumbered", "unlisted"]]


def test_an_instructor_note_is_left_out_as_the_learners_view_shows_nothing_of_it(eds):
    assert "header line" not in stringify(eds["en"].ast["blocks"])
    assert "intestazione" not in stringify(eds["it"].ast["blocks"])


def test_a_tab_set_is_each_tab_in_turn_under_its_heading(eds):
    (tabs,) = [el for el in walk(eds["en"].ast["blocks"])
               if el["t"] == "Div" and "tab-set" in el["c"][0][1]]
    items = [el for el in tabs["c"][1] if "tab-item" in el["c"][0][1]]
    assert [stringify(item["c"][1][0]) for item in items] == ["Linux", "Windows"]
    assert [item["c"][1][1]["c"][1] for item in items] == [
        "wc -l launches.log", "(Get-Content launches.log).Length"]


@pytest.mark.parametrize("code,alt", [("en", "A launch pad under a pale sky"),
                                      ("it", "Una rampa di lancio sotto un cielo chiaro")])
def test_an_alt_attribute_is_the_images_text_alternative(eds, code, alt):
    """`![](fig/pad.svg){alt='…'}` had no text alternative (its description is empty): an
    error of every PDF/UA build."""
    (image,) = [el for el in walk(eds[code].ast["blocks"]) if el["t"] == "Image"]
    assert stringify(image["c"][1]) == alt
    assert "alt" not in dict(image["c"][0][2])


def test_the_cross_check_pairs_the_lesson_and_its_translation_with_no_finding(root):
    """The titles the build gives (Objectives, Obiettivi) are no text of the manuscript: they
    pair with nothing and are no untranslated words."""
    result = run_cli("check", "--project", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    findings = json.loads(result.output)["findings"]
    assert [f for f in findings if f["code"] not in ("id-missing", "front-matter-ignored")] == []


def _titles(outline) -> list[str]:
    return [t for m in outline for t in (_titles(m) if isinstance(m, list) else [m.title])]


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
       b'<defs><linearGradient id="g"/></defs><style>rect{fill:url(#nope) blue} .a{stroke:'
       b'url(#g)}</style><rect fill="url(#gridpattern)" stroke="url(#g)"/><rect style="fill:'
       b'url(#x) #f00;mask:url(\'#y\')"/><use xlink:href="#gone"/><use href="#g"/></svg>')


def test_references_to_no_element_of_the_figure_are_drawn_as_a_browser_draws_them():
    """A paint, marker or mask to nowhere is `none` or its fallback; a `<use>` of nothing
    loses its link. EPUBCheck refused the EPUB holding such a figure (RSC-012)."""
    out = prepare(SVG, {"text": "Serif", "heading": "Sans", "code": "Mono"}).decode()
    assert "rect{fill:blue} .a{stroke:url(#g)}" in out
    assert '<rect fill="none" stroke="url(#g)"/>' in out
    assert "fill:#f00;mask:none" in out
    assert '<use/><use href="#g"/>' in out


def test_a_figure_whose_references_all_lead_somewhere_is_left_as_it_is():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><defs><marker id="m"/></defs>' \
          b'<path style="marker-end:url(#m)" d="M0 0H9"/></svg>'
    assert prepare(svg, {"text": "Serif", "heading": "Sans", "code": "Mono"}) == svg


@pytest.mark.slow  # pandoc's EPUB, WeasyPrint, EPUBCheck
def test_the_lesson_builds_a_valid_epub_and_a_pdf_showing_every_box(sample_dist, epubcheck_of):
    dist = sample_dist("workbench")
    for code, titles in TITLES.items():
        text = pdf_text(dist / f"workbench-{code}.pdf")
        assert all(title in text for title in titles), (code, titles)
        marks = _titles(pypdf.PdfReader(dist / f"workbench-{code}.pdf").outline)
        assert marks == {"en": ["1 Reading launch logs", "1.1 The log"],
                         "it": ["1 Leggere i registri dei lanci", "1.1 Il registro"]}[code]
        assert "(Get-Content launches.log).Length" in text
        epub = dist / f"workbench-{code}.epub"
        result = checked(epubcheck_of, epub)
        assert result.clean, result.messages
        boxes = [d for doc in epub_documents(epub) for d in doc.iter(f"{XHTML}div")
                 if "callout-exercise" in d.get("class", "").split()]
        assert len(boxes) == 1
        svg = next(n for n in zipfile.ZipFile(epub).namelist() if n.endswith(".svg"))
        assert b"gridpattern" not in zipfile.ZipFile(epub).read(svg)


@pytest.fixture(scope="module")
def styles_eds(tmp_path_factory):
    return parsed(copy_project("workbench-styles", tmp_path_factory.mktemp("s") / "styles"))


@pytest.mark.parametrize("code,titles", [
    ("en", ["Leap seconds", "Counting a year", "Solution", "Exercise", "Why nine"]),
    ("it", ["Secondi intercalari", "Contare un anno", "Soluzione", "Esercizio", "Perché nove"])])
def test_a_quote_with_a_boxs_attribute_list_under_it_is_that_box(styles_eds, code, titles):
    """The Carpentries' lessons before the Workbench: `> ## Title` … `{: .challenge}`, a
    `>> … >{: .solution}` inside it (with or without a space between the marks, a lazy line,
    a code block before it). Each was a quote, its attribute list left out with a warning."""
    blocks = styles_eds[code].ast["blocks"]
    found = _callouts(blocks)
    assert [(kind, title) for kind, title, _ in found] == list(zip(
        ["note", "exercise", "solution", "exercise", "solution"], titles))
    (quote,) = [el for el in walk(blocks) if el["t"] == "BlockQuote"]
    assert stringify(quote["c"]).startswith(("A quote that stays", "Una citazione"))
    assert not any(el["t"] == "Span" for el in walk(blocks))  # the marks are gone
    discussion = [el for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]][3]
    assert stringify(discussion["c"][1][1]).startswith(("Nine lines", "Nove righe"))
    assert not [n for n in styles_eds[code].notices if n[0] == "markup-foreign"]


def test_a_code_blocks_attribute_list_gives_it_its_language_in_and_out_of_quotes(styles_eds):
    codes = [(el["c"][0][1], el["c"][1]) for el in walk(styles_eds["en"].ast["blocks"])
             if el["t"] == "CodeBlock"]
    assert codes == [(["bash"], "$ wc -l launches.log"), (["output"], "9 launches.log"),
                     (["bash"], "$ grep -c 1961 launches.log")]


def test_page_root_and_the_link_tag_lead_from_the_manuscript_folder(styles_eds):
    """`[the setup]({{ page.root }}{% link en/01-count.md %}#…)`: a link into the book; it
    was refused as a link holding a `%` that starts no escape."""
    links = [el["c"][2][0] for el in walk(styles_eds["en"].ast["blocks"]) if el["t"] == "Link"]
    assert links == ["#lines-of-the-log"]


@pytest.mark.parametrize("body", [
    "> > - item\n> {: .solution}\n" * 20_000,  # boxes refused, each looked back through all
    "> > ## x\n> {: .solution}\n" * 50_000 + "{: .challenge}\n",  # nested boxes
    "~~~\n{: .language-bash}\n" * 50_000,  # code blocks, each looking for its opening fence
    "> x\n" + "lazy\n" * 100_000 + "{: .challenge}\n",  # a quote's lazy lines
], ids=["refused-boxes", "nested-boxes", "fences", "lazy-lines"])
def test_hostile_attribute_lists_are_read_in_linear_time(body, tmp_path):
    """40,000 lines of quotes a list opens, each with `{: .solution}` under it, took 185 s:
    each input read within the hostile harness's bound for a hang (90 s), in a process of its
    own; what takes how long is `make bench`'s to say, not a test's."""
    import subprocess
    import sys

    chapter = tmp_path / "chapter.md"
    chapter.write_text(body, encoding="utf-8")
    subprocess.run([sys.executable, "-c", "import sys; from baikonur_pub.dialects import liquid; "
                    "liquid.rewrite(open(sys.argv[1], encoding='utf-8').read().splitlines(), [])",
                    str(chapter)], check=True, timeout=90)


@pytest.mark.parametrize("ids", ["", '<g id="a b"/>'], ids=["dangling", "renamed"])
def test_an_svg_reference_never_closed_is_read_in_linear_time(tmp_path, ids):
    """Read to the text's end from each `url(#`: 20,000 took 23 s where none is defined, 10,000
    took 6 s where an ID is renamed (its references followed)."""
    import subprocess
    import sys

    figure = tmp_path / "figure.svg"
    figure.write_text('<svg xmlns="http://www.w3.org/2000/svg">' + ids + '<rect fill="'
                      + "url(#a " * 1_000_000 + '"/></svg>', encoding="utf-8")
    subprocess.run([sys.executable, "-c", "import sys; from baikonur_pub.svgtext import prepare; "
                    "prepare(open(sys.argv[1], 'rb').read(), {'text': 'a', 'heading': 'b', "
                    "'code': 'c'})", str(figure)], check=True, timeout=90)
