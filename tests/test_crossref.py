"""Numbered figures and tables, cross-references in Quarto's syntax, in the edition's language.

tests/roots/content/manuscript/*/01-*.md: `@fig-map`, `[-@tbl-data]` and `@sec-two` in each
language, a figure and a table with captions. tests/roots/xq-book: a book as Quarto lays one out,
an unnumbered preface with sections, an unnumbered section in a chapter, references to them."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from pypdf import PdfReader

from baikonur_pub import config
from baikonur_pub.ast import stringify, walk
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from baikonur_pub.render import common_args
from conftest import ROOTS, parsed, run_cli


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


def references(edition) -> list[str]:
    return ["".join(x["c"] if x["t"] == "Str" else " " for x in el["c"][1])
            for el in walk(edition.ast["blocks"]) if el["t"] == "Link" and "cross-ref" in el["c"][0][1]]


def test_a_reference_to_an_unnumbered_section_is_a_link_named_by_its_title(project):
    """`@sec-notes`, `.unnumbered`: no number to show, so its title (with `-@` too), as Quarto
    does; the build refused it ("no section has this ID") and the check agreed."""
    root = project("xq-book")
    eds = parsed(root)  # strict, as the build parses
    assert references(eds["en"]) == ["Conventions", "Who it is for", "Notes", "Section\u00a01.1"]
    assert references(eds["pt"]) == ["Convenções", "Para quem é", "Notas", "Seção\u00a01.1"]
    result = run_cli("check", "--project", str(root), "--strict")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


def test_a_book_numbers_anew_in_each_chapter_when_asked(project):
    """tests/roots/xq-chapters, `crossref: {chapters: true}`: figures, tables, equations and
    theorems counted in each chapter after its number, as Quarto numbers a book's (a preface's
    without one); without the option, through the edition."""
    root = project("xq-chapters")
    eds = parsed(root)
    assert references(eds["en"]) == [
        "Theorem\u00a01.1", "Table\u00a01", "Figure\u00a01.1", "Table\u00a01.1", "Equation\u00a01.1",
        "Theorem\u00a01.1", "Figure\u00a02.1", "Equation\u00a02.1", "Figure\u00a01.1", "Section\u00a01"]
    text = " ".join(stringify(eds["it"].ast["blocks"]).split())
    for wanted in ("Tabella 1: Dati", "Figura 1.1: Una mappa", "Tabella 1.1: Conteggi", "(1.1)",
                   "Teorema 1.1 (Limite).", "Figura 2.1: Un", "(2.1)", "Teorema 2.1."):
        assert wanted in text, wanted
    result = run_cli("check", "--project", str(root), "--strict")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output
    config_file = root / "manuscript/publication.yaml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("chapters: true",
                                                                          "chapters: false"))
    assert references(parsed(root)["en"]) == [
        "Theorem\u00a01", "Table\u00a01", "Figure\u00a01", "Table\u00a02", "Equation\u00a01",
        "Theorem\u00a01", "Figure\u00a02", "Equation\u00a02", "Figure\u00a01", "Section\u00a01"]


def test_the_sections_of_an_unnumbered_section_are_unnumbered_in_every_format(project, tmp_path):
    """A preface `{.unnumbered}` with sections of its own: pandoc numbered them 0.1, 0.2 in
    every format. Unnumbered, as in Quarto — for the contents and references (the Headings) and
    for each format's writer (the AST's class), and a numbered heading after them keeps its
    number."""
    pub = config.load(project("xq-book"))
    edition = editions(pub, ("en",), Pandoc.locate())["en"]
    assert [(h.id, h.number) for h in edition.headings] == [
        ("sec-preface", ""), ("sec-audience", ""), ("sec-conventions", ""), ("sec-basics", "1"),
        ("sec-filter", "1.1"), ("sec-notes", ""), ("sec-sources", "")]
    pandoc = Pandoc.locate()
    html = pandoc.write(edition.ast, "html5", common_args(edition), what="test").decode()
    assert re.findall(r'data-number="([^"]+)"', html) == ["1", "1.1"]
    pandoc.write(edition.ast, "docx", common_args(edition), what="test", output=tmp_path / "x.docx")
    with zipfile.ZipFile(tmp_path / "x.docx") as archive:
        texts = re.findall(r"<w:t[^>]*>([^<]*)", archive.read("word/document.xml").decode())
    assert not {"0.1", "0.2", "1.2", "1.1.1"} & set(texts) and {"1", "1.1"} <= set(texts)


def test_chapters_that_start_at_level_two_are_chapters_numbered_from_one(project, tmp_path):
    """mdBook's chapters (and a site's pages) start at `##`: pandoc numbered them 0.1, 0.2, the
    EPUB was one file (it splits at chapters) and the DOCX had no Heading 1. The shallowest
    level the chapters use is the chapter level, in every format; citeproc's references stay
    a chapter of their own."""
    root = project("minimal")
    for chapter in ("en/01-one.md", "en/02-two.md"):
        path = root / "manuscript" / chapter
        text = path.read_text(encoding="utf-8").replace("# ", "## ", 1)
        path.write_text(text + "\n### Detail\n\nText.\n", encoding="utf-8")
    pub = config.load(root)
    edition = editions(pub, ("en",), Pandoc.locate())["en"]
    assert [(h.level, h.number) for h in edition.headings] == [(1, "1"), (2, "1.1"), (1, "2"),
                                                              (2, "2.1"), (1, "")]
    pandoc = Pandoc.locate()
    pandoc.write(edition.ast, "docx", common_args(edition), what="test", output=tmp_path / "x.docx")
    with zipfile.ZipFile(tmp_path / "x.docx") as archive:
        document = archive.read("word/document.xml").decode()
    assert re.findall(r'<w:pStyle w:val="(Heading\d)"', document) == [
        "Heading1", "Heading2", "Heading1", "Heading2", "Heading1"]


EQUATIONS = {"en/02-two.md": "\nAs @eq-mass says, and [-@eq-mass] again.\n\n$$ E = mc^2 $$ {#eq-mass}\n\n"
                             "$$\na^2 + b^2 = c^2\n$$ {#eq-sides}\n\nSee @eq-sides.\n",
             "it/02-due.md": "\nCome dice @eq-mass, e ancora [-@eq-mass].\n\n$$ E = mc^2 $$ {#eq-mass}\n\n"
                             "$$\na^2 + b^2 = c^2\n$$ {#eq-sides}\n\nVedi @eq-sides.\n"}


def _with_equations(root):
    for rel, text in EQUATIONS.items():
        path = root / "manuscript" / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


def test_equations_with_an_id_are_numbered_and_referenced_in_the_editions_language(project):
    """Quarto's `$$ … $$ {#eq-mass}` and `@eq-mass`: "Equation 1" in English, "Equazione 1"
    in Italian, the number at the equation; `@eq-nowhere` is an error like any reference."""
    root = _with_equations(project("minimal"))
    eds = parsed(root)
    for code, word in (("en", "Equation"), ("it", "Equazione")):
        blocks = eds[code].ast["blocks"]
        spans = [el for el in walk(blocks) if el["t"] == "Span" and "equation" in el["c"][0][1]]
        assert [(s["c"][0][0], s["c"][1][0]["t"], s["c"][1][1]["c"][1][0]["c"]) for s in spans] == [
            ("eq-mass", "Math", "(1)"), ("eq-sides", "Math", "(2)")]
        links = [(el["c"][2][0], " ".join(x["c"] for x in el["c"][1] if x["t"] == "Str"))
                 for el in walk(blocks) if el["t"] == "Link"]
        assert [(t, w) for t, w in links if t.startswith("#eq-")] == [
            ("#eq-mass", f"{word}\u00a01"), ("#eq-mass", "1"), ("#eq-sides", f"{word}\u00a02")]
        assert not any("{#eq-" in el.get("c", "") for el in walk(blocks) if el["t"] == "Str")
    (root / "manuscript/en/02-two.md").write_text("# Two {#sec-two}\n\nSee @eq-nowhere.\n")
    result = run_cli("build", "--project", str(root), "--no-check", "--lang", "en", "--format", "docx")
    assert "manuscript/en/02-two.md:3: cross-reference '@eq-nowhere': no equation has this ID" \
        in result.output


@pytest.mark.slow
def test_numbered_equations_in_the_pdf_epub_and_docx(project, epubcheck_of):
    import docx

    from conftest import draft

    root = _with_equations(project("minimal"))
    text = "".join(p.extract_text() for p in PdfReader(draft(root, "en", "pdf") / "sample-en.pdf").pages)
    assert "As Equation 1 says" in text and "(1)" in text and "(2)" in text and "{#eq" not in text
    epub = draft(root, "en", "epub") / "sample-en.epub"
    with zipfile.ZipFile(epub) as book:
        pages = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert 'id="eq-mass"' in pages and "<math" in pages and "(2)" in pages
    assert epubcheck_of(epub).clean
    words = " ".join(p.text for p in docx.Document(str(draft(root, "en", "docx") / "sample-en.docx")).paragraphs)
    assert "Equation\u00a01" in words and "(1)" in words


def test_a_reference_followed_by_a_bracketed_citation_is_both(project):
    """`@sec-one [@rossi2020]`: pandoc read the bracket as the reference's own, one citation of
    both (rendered "(sec-one?; Rossi 2020)", and the check reported a missing cross-reference):
    it is a link to the section and a citation, as in Quarto."""
    root = project("minimal")
    chapter = root / "manuscript/en/02-two.md"
    chapter.write_text(chapter.read_text() + "\nAs @sec-one [@rossi2020] shows.\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    (para,) = [b for b in blocks if b["t"] == "Para" and b["c"][0].get("c") == "As"]
    links = [el for el in walk(para) if el["t"] == "Link" and el["c"][2][0] == "#sec-one"]
    cites = [el for el in walk(para) if el["t"] == "Cite"]
    assert len(links) == 1 and [c["c"][0][0]["citationId"] for c in cites] == ["rossi2020"]
    assert "?" not in " ".join(el["c"] for el in walk(para) if el["t"] == "Str")
    result = run_cli("check", "--project", str(root), "--format", "json")
    assert '"xref-undefined"' not in result.output


def test_pandoc_crossrefs_colon_syntax_numbers_and_links_as_quartos_does(project):
    """tests/roots/crossref-colon: a thesis in pandoc-crossref's syntax (`{#sec:methods}`,
    `@fig:map`, a table's ID in an empty span of its caption, `$$ … $$ {#eq:growth}`, a code
    block captioned by the paragraph `: … {#lst:model}` under it or by its `caption`, a
    `<div id="fig:panels">` of two images and a caption: subfigures). Every
    reference was a citation missing from the bibliography (an error each, the build stopped):
    each is a link named in the edition's language, each listing captioned above its code,
    the caption paragraph taken into it."""
    root = project("crossref-colon")
    eds = parsed(root)
    assert references(eds["en"]) == ["Section\u00a02", "Figure\u00a01", "Table\u00a01", "2",
                                      "Equation\u00a01", "Listing\u00a01", "Listing\u00a02",
                                      "Section\u00a01", "Figure\u00a02 (b)", "Figure\u00a02"]
    assert references(eds["it"])[:2] == ["Sezione\u00a02", "Figura\u00a01"]
    blocks = eds["en"].ast["blocks"]
    listings = [(el["c"][0][0], [b["t"] for b in el["c"][1]],
                 " ".join(x["c"] for x in walk(el["c"][1][0]) if x["t"] == "Str"))
                for el in walk(blocks) if el["t"] == "Div" and "listing" in el["c"][0][1]]
    assert listings == [("lst:model", ["Para", "CodeBlock"], "Listing 1: The model in code"),
                        ("lst:load", ["Para", "CodeBlock"], "Listing 2: Reading the data")]
    # a div of images and, last, its caption: a figure of subfigures, each lettered
    (panels,) = [el for el in walk(blocks) if el["t"] == "Figure" and el["c"][0][0] == "fig:panels"]
    assert [(sub["t"], sub["c"][0][0], " ".join(x["c"] for x in walk(sub["c"][1][1]) if x["t"] == "Str"))
            for sub in panels["c"][2]] == [("Figure", "fig:panels-north", "(a) North panel"),
                                           ("Figure", "fig:panels-south", "(b) South panel")]
    assert " ".join(x["c"] for x in walk(panels["c"][1][1]) if x["t"] == "Str") == \
        "Figure 2: Two panels of the site"
    tables = [el["c"][0][0] for el in walk(blocks) if el["t"] == "Table"]
    assert tables == ["tbl:counts", "tbl:sites"]
    assert not [el for el in walk(blocks) if el["t"] == "Str" and "{#" in el["c"]]
    result = run_cli("check", "--project", str(root), "--strict")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


@pytest.mark.slow  # every format, EPUBCheck
def test_pandoc_crossref_ids_pass_every_format_and_epubcheck(sample_dist, epubcheck_of):
    """IDs with a colon (`sec:methods`) are the links' targets in every format; EPUBCheck
    finds nothing in the EPUB."""
    import docx

    from conftest import checked

    dist = sample_dist("crossref-colon")
    for code, words in (("en", ["Listing 1: The model in code", "Table 1: Counts per site",
                                "Figure 1: The survey site", "As Section 2 shows", "(a) North panel",
                                "Figure 2: Two panels of the site", "Figure 2 (b) shows the south"]),
                        ("it", ["Listato 1: Il modello in codice", "Tabella 1: Conteggi per sito"])):
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(dist / f"thesis-{code}.pdf").pages)
        assert all(w in text for w in words) and "{#" not in text, text
        assert {"sec:methods", "lst:model", "tbl:counts"} <= {
            str(n) for n in PdfReader(dist / f"thesis-{code}.pdf").named_destinations}
        epub = dist / f"thesis-{code}.epub"
        result = checked(epubcheck_of, epub)
        assert result.clean, result.messages
        with zipfile.ZipFile(epub) as book:
            pages = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
        assert 'id="lst:model"' in pages and '#lst:model"' in pages
        paragraphs = [p.text for p in docx.Document(str(dist / f"thesis-{code}.docx")).paragraphs]
        assert words[0] in [" ".join(p.split()) for p in paragraphs], paragraphs


def test_a_listing_caption_is_taken_from_above_too_but_never_from_another_chapter():
    """pandoc-crossref reads `: Caption {#lst:x}` under or above its code; a caption paragraph
    that begins the next chapter is that chapter's text, and the blocks' owners (their
    chapters) follow the paragraph taken in."""
    from baikonur_pub.floats import written_otherwise

    def caption(ident):
        return {"t": "Para", "c": [{"t": "Str", "c": ":"}, {"t": "Space"}, {"t": "Str", "c": "Load"},
                                   {"t": "Space"}, {"t": "Str", "c": "{#%s}" % ident}]}
    code = {"t": "CodeBlock", "c": [["", ["python"], []], "x = 1"]}
    blocks, owners = [caption("lst:a"), dict(code), {"t": "Para", "c": []}], [0, 0, 0]
    written_otherwise(blocks, owners)
    assert [(b["t"], b["c"][0][0] if b["t"] == "Div" else "") for b in blocks] == [
        ("Div", "lst:a"), ("Para", "")] and owners == [0, 0]
    assert blocks[0]["c"][1][0]["c"] == [{"t": "Str", "c": "Load"}]
    blocks, owners = [dict(code), caption("lst:b")], [0, 1]
    written_otherwise(blocks, owners)
    assert [b["t"] for b in blocks] == ["CodeBlock", "Para"] and owners == [0, 1]


def test_one_unknown_key_in_a_bracket_of_references_leaves_the_others_resolved(project):
    """`[@sec-one; @fig-nowhere]`: the whole bracket stayed a citation, and the check said the
    section leads nowhere too. Each known key is a link, the unknown one alone is reported (and
    every unknown one of a bracket, by the build)."""
    root = project("minimal")
    chapter = root / "manuscript/en/02-two.md"
    chapter.write_text(chapter.read_text() + "\nSee [@sec-one; @fig-nowhere; @tbl-none].\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["code"], f["message"].split("cross-reference ")[-1].split(" ")[0])
             for f in json.loads(result.stdout)["findings"] if f["code"].startswith("xref")]
    assert found == [("xref-undefined", "@fig-nowhere"), ("xref-undefined", "@tbl-none")], found
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "docx")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in result.output.splitlines() if "@" in line] == [
        "cross-reference '@fig-nowhere': no figure has this ID",
        "cross-reference '@tbl-none': no table has this ID"], result.output


def test_quartos_figure_of_several_images_is_numbered_once_each_image_lettered(project):
    """Quarto's `::: {#fig-pair layout-ncol=2}`, each image a paragraph of its own with its
    ID (pandoc's figure of one image), the caption last: the div was a paragraph under two
    figures numbered 1 and 2, `@fig-pair` led nowhere."""
    root = project("minimal")
    for chapter in ("en/02-two.md", "it/02-due.md"):
        path = root / "manuscript" / chapter
        path.write_text(path.read_text() + "\n::: {#fig-pair layout-ncol=2}\n![Left](l.png){#fig-pair-l}\n\n"
                        "![Right](r.png){#fig-pair-r}\n\nBoth sides\n:::\n\nSee @fig-pair-r and @fig-pair.\n")
        for name in ("l.png", "r.png"):
            (path.parent / name).write_bytes((ROOTS / "content/manuscript/en/map.png").read_bytes())
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    (pair,) = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Figure" and el["c"][0][0] == "fig-pair"]
    assert "subfigures-2" in pair["c"][0][1] and [s["c"][0][0] for s in pair["c"][2]] == ["fig-pair-l", "fig-pair-r"]
    assert references(edition) == ["Figure\u00a01 (b)", "Figure\u00a01"]
    result = run_cli("check", "--project", str(root), "--strict")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


@pytest.mark.parametrize("ncol,width,row", [("²", "50%", 2), ("99999999999", "0%", 2), ("3", "999%", 3),
                                           ("", "1e9%", 2), ("", "33%", 3), ("", "100%", 1)])
def test_a_figure_of_images_takes_its_row_from_layout_ncol_or_widths_whatever_they_say(ncol, width, row):
    """`layout-ncol="²"` is a digit to str.isdigit and no number to int(): an internal error."""
    from baikonur_pub.subfigures import figure

    def image():
        return {"t": "Image", "c": [["", [], [["width", width]]], [{"t": "Str", "c": "a"}], ["a.png", ""]]}
    div = {"t": "Div", "c": [["fig-x", [], [["layout-ncol", ncol]]],
                             [{"t": "Para", "c": [image(), image()]}, {"t": "Para", "c": [{"t": "Str", "c": "Both"}]}]]}
    made = figure(div, lambda ident: ident.startswith("fig-"), "caption-label")
    assert made["t"] == "Figure" and made["c"][0][1] == ["subfigures", f"subfigures-{row}"]
