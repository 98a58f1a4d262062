"""Raw HTML a manuscript may hold, made into what every format can carry: `<br>`, `<hr>` and
`<wbr>` as the elements they mean (DOCX drops raw HTML), the rest as well-formed XHTML (the
EPUB's content documents are XML: one `<br>` or `&thinsp;` copied as it is made one no reader
opened)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from baikonur_pub import bibliography, config, raw_links
from baikonur_pub.ast import walk
from baikonur_pub.cli import main
from baikonur_pub.manuscript import assemble
from baikonur_pub.markup import xhtml
from baikonur_pub.pandoc import Pandoc
from conftest import checked, run_cli
from readers import XHTML, epub_documents
from test_bad_inputs import apply

TEXT = ("Versions:<br>1.0.0&thinsp;and <abbr title='Semantic &hellip; Versioning'>SemVer</abbr>"
        "<wbr>2.\n\n<hr>\n\nAfter the rule.\n\n"
        # blocks of raw HTML apart, as pandoc gives them: they nest across the chapter's blocks
        "<details>\n  <summary>Expand</summary>\n\n<p>Hidden text.</p>\n\n</details>")


def _with_text(root):
    chapter = root / "manuscript" / "en" / "02-two.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + TEXT + "\n", encoding="utf-8")
    return root


def test_br_hr_and_wbr_become_elements_and_the_rest_well_formed_xhtml(project):
    pub = config.load(_with_text(project("minimal")))
    edition = assemble(pub, pub.language("en"), Pandoc.locate(), bibliography.load(pub))
    kinds = [n["t"] for n in walk(edition.ast["blocks"])]
    assert "LineBreak" in kinds and "HorizontalRule" in kinds
    assert any(n["t"] == "Str" and n["c"] == "\u200b" for n in walk(edition.ast["blocks"]))
    raw = [n["c"][1] for n in walk(edition.ast["blocks"]) if n["t"] in ("RawInline", "RawBlock")]
    assert raw == ['<abbr title="Semantic \u2026 Versioning">', "</abbr>", "<details>",
                   "<summary>", "</summary>", "<p>", "</p>", "</details>"]


@pytest.mark.slow  # pandoc's EPUB and EPUBCheck
def test_the_epub_of_raw_html_is_valid_and_the_docx_keeps_the_line_break(project):
    from baikonur_pub import validate
    from docx import Document

    root = _with_text(project("minimal"))
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "epub",
                     "--format", "docx", "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    epub = root / "dist" / "sample-en.epub"
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                etree.fromstring(archive.read(name))  # well-formed, or this raises
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages
    paragraphs = [p for p in Document(str(root / "dist" / "sample-en.docx")).paragraphs
                  if "Versions:" in p.text]
    assert paragraphs and paragraphs[0].text.startswith("Versions:\n1.0.0")


@pytest.mark.parametrize("raw,written", [
    ("<code v-pre>", "<code>"),  # Vue's; with no value, pandoc's EPUB writer made it bare
    ("<CODE V-PRE>", "<code>"),
    ("<details open>", '<details open="open">'),  # HTML's boolean attributes: XHTML's spelling
    ("<span HIDDEN>", '<span hidden="hidden">'),
    ("<td nowrap>", "<td>"),
    ('<code v-if="ok">', '<code data-v-if="ok">'),  # a name HTML has not: as pandoc writes one
    ('<span :class="x" @click="go" v-on:click="go" class="a" class="b">', '<span class="a">'),
    ('<sup class="vt-badge ts" />', '<sup class="vt-badge ts"></sup>'),  # not void: empty
    ("<br>", "<br />"),
    ("</button >", "</button>"),
    ('<abbr title=\'"><img src="x">\'>', '<abbr title="&quot;&gt;&lt;img src=&quot;x&quot;&gt;">'),
    ("<p>a < b &copy; &hellip &bogus; &#0;<!-- note --></p>",
     "<p>a &lt; b &#169; &#8230; &amp;bogus; &#65533;</p>"),
])
def test_raw_html_is_written_as_xhtml_from_what_an_html_parser_reads(raw, written):
    """Every tag written again, so no attribute reaches an XML reader as HTML writes it (a
    boolean `v-pre` was an internal error: 'Specification mandates value for attribute')."""
    assert xhtml(raw) == written
    opened = re.match(r"<(\w+)[^>]*(?<!/)>$", written)  # a start tag alone: closed to parse
    etree.fromstring(f"<div>{written}</{opened.group(1)}></div>" if opened else
                     f"<div>{written}</div>" if not written.startswith("</") else "<div/>")


BAD_INPUTS = Path(__file__).parent / "bad_inputs"


@pytest.mark.parametrize("name", ["raw-html-end-tags-of-elements-not-allowed",
                                  "raw-html-end-tag-of-a-void-element",
                                  "raw-html-end-tag-whose-start-tag-is-text",
                                  "raw-html-link-wrapping-blocks"])
def test_check_refuses_raw_html_at_its_line_as_build_does(project, tmp_path, name):
    """`check` says what `build` says (tests/bad_inputs/<name>.yaml), every problem in one run:
    `</button>` alone passed `check` with no finding, then the EPUB's step crashed."""
    case = yaml.safe_load((BAD_INPUTS / f"{name}.yaml").read_text(encoding="utf-8"))
    root = project("minimal")
    apply(case, root, tmp_path)
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    patterns = [case["expect"], *case.get("also", [])]
    assert len(lines) == len(patterns), result.stderr
    for pattern, line in zip(patterns, lines):
        assert re.match(pattern, line), line


ATTRIBUTES = ('Vue: <code v-pre>a</code>, <CODE V-PRE>b</CODE>, <code v-if="ok">c</code> and '
              '<span v-on:click="go">d</span>.\n\n'
              "<details open>\n<summary>More</summary>\n\n<p>Inside.</p>\n\n</details>\n\n"
              "<table><tr><td nowrap>cell</td></tr></table>\n")
EMPTY_SUP = '[Typing](https://example.org/) <sup class="vt-badge ts" /> and more text\n'


def _built(project, text: str, *formats: str, root: Path | None = None) -> Path:
    """tests/roots/minimal (or `root`, a copy of it) with `text` at the end of its second
    English chapter, built in `formats` (English only, no cross-check): its dist folder."""
    root = root or project("minimal")
    chapter = root / "manuscript" / "en" / "02-two.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    options = [arg for fmt in formats for arg in ("--format", fmt)]
    result = run_cli("build", "--project", str(root), "--lang", "en", "--no-check", *options,
                     "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    return root / "dist"


def _chapter(epub: Path, text: str):
    return next(d for d in epub_documents(epub) if text in "".join(d.itertext()))


@pytest.mark.slow  # pandoc's EPUB and EPUBCheck
def test_boolean_and_framework_attributes_make_a_valid_epub(project):
    """`<details open>`, Vue's `v-pre`, `v-if`, `v-on:click`: internal errors in the EPUB's
    step ('Specification mandates value for attribute v-pre'; 'Namespace prefix v-on … is
    not defined'). HTML's boolean attributes are kept in XHTML's spelling, a name HTML has
    not is written `data-…` (as pandoc writes its own elements'), one XML cannot hold is left
    out, and EPUBCheck finds nothing."""
    from baikonur_pub import validate

    epub = _built(project, ATTRIBUTES, "epub") / "sample-en.epub"
    doc = _chapter(epub, "Vue:")
    codes = {"".join(c.itertext()): dict(c.attrib) for c in doc.iter(f"{XHTML}code")}
    assert codes == {"a": {}, "b": {}, "c": {"data-v-if": "ok"}}
    assert [dict(d.attrib) for d in doc.iter(f"{XHTML}details")] == [{"open": "open"}]
    assert [dict(td.attrib) for td in doc.iter(f"{XHTML}td")] == [{}]
    assert not [name for el in doc.iter() for name in el.attrib if "click" in name]
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages


@pytest.mark.slow  # pandoc's EPUB and DOCX, WeasyPrint
def test_a_self_closed_sup_is_an_empty_element_in_pdf_epub_and_docx(project):
    """`<sup class="vt-badge ts" />` (a VitePress badge): the PDF's HTML parser ignores the
    slash of an element that is not void, and set the rest of the paragraph in superscript,
    while the EPUB had an empty <sup/>. Now the empty element its author meant, in both, and
    nothing in the DOCX (which drops raw HTML)."""
    import pypdf
    from docx import Document

    dist = _built(project, EMPTY_SUP, "epub", "pdf", "docx")
    sup = next(_chapter(dist / "sample-en.epub", "Typing").iter(f"{XHTML}sup"))
    assert (sup.get("class"), len(sup), sup.text) == ("vt-badge ts", 0, None)
    assert sup.tail.startswith(" and more text")

    drawn = {}  # text → (font size, baseline) as the PDF draws it
    for page in pypdf.PdfReader(dist / "sample-en.pdf").pages:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size:
                          drawn.setdefault(text.strip(), (size, round(tm[5], 1))))
    assert drawn["and more text"] == drawn["Typing"]  # not raised, not smaller

    texts = [" ".join(p.text.split()) for p in Document(str(dist / "sample-en.docx")).paragraphs]
    assert "Typing and more text" in texts


RAW_LINKS = ('## Anchors <a id="also-anchors"></a>\n\n'
             'See <a href="01-one.md#sec-one" title="One"><em>the first</em> chapter</a>, the '
             '<a name="named">named</a> anchor, [back](#also-anchors) and [named](#named).\n')


@pytest.mark.slow  # pandoc's EPUB and DOCX, EPUBCheck
def test_raw_html_links_are_links_in_the_epub_and_the_docx_and_the_epub_is_valid(project):
    """A raw `<a href>` with formatting inside is the link a Markdown link is in every format:
    in the DOCX too, which dropped raw HTML and left its text unlinked; named anchors are IDs
    (`<a name>`, which XHTML has not, a span), and an anchor in a heading wraps its text, so the
    EPUB's contents hold no empty element nor a link in a link (EPUBCheck refused the EPUB:
    'The a element must not appear inside a elements')."""
    from baikonur_pub import validate
    from docx import Document

    dist = _built(project, RAW_LINKS, "epub", "docx")
    epub = dist / "sample-en.epub"
    doc = _chapter(epub, "the first chapter")
    link = next(a for a in doc.iter(f"{XHTML}a") if "".join(a.itertext()) == "the first chapter")
    assert link.get("href").endswith("#sec-one") and link.get("title") == "One"
    assert [el.text for el in link.iter(f"{XHTML}em")] == ["the first"]
    spans = {s.get("id"): "".join(s.itertext()) for s in doc.iter(f"{XHTML}span") if s.get("id")}
    assert spans["named"] == "named" and spans["also-anchors"] == "Anchors"
    assert not [a for a in doc.iter(f"{XHTML}a") if a.get("name")]
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages

    body = Document(str(dist / "sample-en.docx")).element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    anchors = {h.get(f"{w}anchor"): "".join(t.text or "" for t in h.iter(f"{w}t"))
               for h in body.iter(f"{w}hyperlink")}
    assert anchors.get("sec-one") == "the first chapter"
    assert {"named", "also-anchors"} <= {b.get(f"{w}name") for b in body.iter(f"{w}bookmarkStart")}


@pytest.mark.slow  # pandoc's EPUB, EPUBCheck
def test_a_headings_empty_elements_leave_the_epubs_contents_valid(project):
    """Markdown's `[]{#x}` in a heading, a second name for it (at its start or in its middle)
    wraps its text; and whatever a heading holds, its entry in the EPUB's contents is text:
    pandoc copies a heading's inlines there, and an empty span (the anchor's, a raw
    `<span></span>`, an anchor alone) made EPUBCheck refuse the EPUB ('Spans within nav
    elements must contain text', RSC-005)."""
    from baikonur_pub import validate

    dist = _built(project, "## Orbits []{#orbits-alt} and more {#sec-orbits}\n\n"
                           "See [the orbits](#orbits-alt) and [launch](#empty-first).\n\n"
                           "## []{#empty-first}Launch windows {#sec-launch}\n\nText.\n\n"
                           "## An <span></span> empty span {#sec-span}\n\nText.\n", "epub")
    epub = dist / "sample-en.epub"
    doc = _chapter(epub, "See the orbits")
    spans = {s.get("id"): "".join(s.itertext()) for s in doc.iter(f"{XHTML}span") if s.get("id")}
    assert spans["orbits-alt"] == "Orbits and more" and spans["empty-first"] == "Launch windows"
    with zipfile.ZipFile(epub) as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
    entries = [a for a in nav.iter(f"{XHTML}a") if "#sec-" in (a.get("href") or "")]
    assert len(entries) >= 3
    assert not [e for a in entries for e in a.iter() if e is not a and e.get("id")]
    assert not [s for a in entries for s in a.iter(f"{XHTML}span") if not "".join(s.itertext())]
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages


NESTED_LINKS = ("Note [in the link^[A note with [its own link](#sec-one).] text](#sec-one).\n\n"
                'Wrapped <a href="#sec-two">[inner](#sec-one)</a>.\n\n'
                'Raw <a href="#sec-two" id="outer">out <em><a href="#sec-one">in</a> em</em>'
                ' tail</a>.\n\n'
                'Deep <a href="#sec-two">1 <a href="#sec-one">2 <a href="#sec-two">3</a> 2</a>'
                ' 1</a>.\n')


@pytest.mark.slow  # pandoc's EPUB and DOCX, EPUBCheck
def test_a_link_never_holds_a_link_or_a_note_and_the_epub_is_valid(project):
    """`[text^[a note]](url)` (a footnote's mark is a link), `<a href>` around a Markdown link,
    raw `<a>` in `<a>` three deep, one in emphasis: EPUBCheck refused each EPUB ('The a element
    must not appear inside a elements', RSC-005). The outer link's text keeps its link in parts
    around what it held, its ID on the first part, in the EPUB and the DOCX alike; where the
    parts would cut raw HTML, the outer link stays whole and the inner one is text."""
    from baikonur_pub import validate
    from docx import Document

    dist = _built(project, NESTED_LINKS, "epub", "docx")
    epub = dist / "sample-en.epub"
    doc = _chapter(epub, "Wrapped")
    assert not [a for a in doc.iter(f"{XHTML}a") if len(list(a.iter(f"{XHTML}a"))) > 1]
    linked = [("".join(a.itertext()), (a.get("href") or "").rsplit("#", 1)[-1], a.get("id"))
              for a in doc.iter(f"{XHTML}a") if "footnote" not in (a.get("class") or "")
              and "#fn" not in (a.get("href") or "")]
    assert linked[:2] == [("in the link", "sec-one", None), (" text", "sec-one", None)]
    assert ("inner", "sec-one", None) in linked
    deep = linked[linked.index(("1 ", "sec-two", None)):]
    assert deep == [("1 ", "sec-two", None), ("2 ", "sec-one", None), ("3", "sec-two", None),
                    (" 2", "sec-one", None), (" 1", "sec-two", None)]
    # parts would cut the raw <em>: the outer link whole, the inner one its text
    assert ("out in em tail", "sec-two", "outer") in linked
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages

    body = Document(str(dist / "sample-en.docx")).element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert not [h for h in body.iter(f"{w}hyperlink") if list(h.iterancestors(f"{w}hyperlink"))]
    texts = ["".join(t.text or "" for t in h.iter(f"{w}t")) for h in body.iter(f"{w}hyperlink")]
    assert {"in the link", " text", "inner", "1 ", "2 ", "3", " 2", " 1"} <= set(texts)


def _raw(text: str) -> dict:
    return {"t": "RawInline", "c": ["html", text]}


def _word(text: str) -> dict:
    return {"t": "Str", "c": text}


@pytest.mark.parametrize("shape", ["nested", "unclosed", "never-nesting"])
def test_raw_links_pair_in_one_pass_however_they_nest(monkeypatch, shape):
    """2,000 `<a>` nested, 2,000 never closed, 2,000 around an unclosed `<b>`: each inline's
    raw HTML read a bounded number of times (counted, not timed), the innermost pair first."""
    n, start, end = 2_000, _raw('<a href="#x">'), _raw("</a>")
    items = {"nested": [start] * n + [_word("t")] + [end] * n,
             "unclosed": [start, _word("t")] * n,
             "never-nesting": [start] * n + [_raw("<b>")] + [end] * n}[shape]
    reads, raw = [], raw_links._raw_html
    monkeypatch.setattr(raw_links, "_raw_html", lambda item: reads.append(1) or raw(item))
    blocks = [{"t": "Para", "c": list(items)}]
    raw_links.pair_links(blocks)
    assert len(reads) <= 8 * len(items)  # quadratic would be some 2,000 times that
    kinds = [x["t"] for x in blocks[0]["c"]]
    assert kinds == {"nested": ["Link"], "unclosed": ["RawInline", "Str"] * n,
                     "never-nesting": ["RawInline"] * (2 * n + 1)}[shape]


@pytest.mark.parametrize("name,handler", [
    ("onclick", True), ("ONLOAD", True), ("onbegin", True), ("onanewevent", True),
    ("only_selected", False), ("on-click", False), ("one2", False), ("on", False),
    ("data-onclick", False), ("button", False)])
def test_an_event_handler_is_on_and_letters_in_html_markdown_and_svg(name, handler):
    """Every attribute starting with `on` was refused as one: Inkscape's path effects write
    `only_selected="false"`, and every figure they drew stopped the build."""
    from baikonur_pub.css import check_svg
    from baikonur_pub.markup import Refusal, event_handler

    assert event_handler(name) is handler
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><rect {name}="x"/></svg>'.encode()
    if handler:
        with pytest.raises(Refusal, match=f"event handler '{name.lower()}' in SVG"):
            check_svg(svg, "fig.svg")
    else:
        check_svg(svg, "fig.svg")


def test_an_attribute_named_like_no_event_passes_in_markdown_and_raw_html(project):
    root = project("minimal")
    chapter = root / "manuscript" / "en" / "02-two.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[x]{only_once=1} and "
                       "<span one-time=\"a\">y</span>.\n", encoding="utf-8")
    pub = config.load(root)
    assemble(pub, pub.language("en"), Pandoc.locate(), bibliography.load(pub))
