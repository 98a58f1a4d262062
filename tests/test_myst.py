"""Lectures written for Jupyter Book in MyST Markdown (tests/roots/myst): roles and targets
are cross-references, figures and equations directives, exercises gated directives, and a
notebook's raw header and index entries show nothing (`dialects.myst`). Each was printed as
written ("{ref}" and inline code), or shown as code of its options."""

from __future__ import annotations

import json

import pytest

from baikonur_pub import config
from baikonur_pub.ast import stringify, walk
from baikonur_pub.errors import PublishError
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import ROOTS, append, checked, copy_project, parsed, run_cli
from readers import XHTML, epub_documents, pdf_text

LINKS = {
    "en": [("next lecture", "#plotting"), ("Plotting Launches", "#plotting"),
           ("the counting cell", "#count_cell"), ("Drawing the Counts", "#plotting_section"),
           ("the first count", "#first_count"), ("(1)", "#eq-total"),
           ("Figure 1", "#fig-pads"), ("Figure 1", "#fig-pads"), ("see", "#plotting_section"),
           ("Count by month", "#count_ex"), ("previous lecture", "#counting"),
           ("(1)", "#eq-total"), ("Theorem 1", "#thm_bound"), ("Theorem 1", "#thm_bound"),
           ("Definition 1", "#def_pad"), ("Table 1", "#tbl-yearly")],
    "it": [("lezione seguente", "#plotting"), ("Disegnare i lanci", "#plotting"),
           ("la cella del conteggio", "#count_cell"), ("Disegnare i conteggi", "#plotting_section"),
           ("il primo conteggio", "#first_count"), ("(1)", "#eq-total"),
           ("Figura 1", "#fig-pads"), ("Figura 1", "#fig-pads"), ("vedi", "#plotting_section"),
           ("Contare per mese", "#count_ex"), ("lezione precedente", "#counting"),
           ("(1)", "#eq-total"), ("Teorema 1", "#thm_bound"), ("Teorema 1", "#thm_bound"),
           ("Definizione 1", "#def_pad"), ("Tabella 1", "#tbl-yearly")]}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return copy_project("myst", tmp_path_factory.mktemp("m") / "myst")


@pytest.fixture(scope="module")
def eds(root):
    return parsed(root)


@pytest.mark.parametrize("code", ["en", "it"])
def test_roles_and_links_to_labels_lead_to_their_element_with_sphinxs_text(eds, code):
    """{doc} without text is the chapter's title, {ref} a section's title or a box's, {eq} the
    equation's number, {numref} "Figure 1" (its `%s` the number); `[see](label)` leads to the
    label, `{doc}`name`` to the chapter beside it."""
    blocks = eds[code].ast["blocks"]
    links = [(stringify(el["c"][1]), el["c"][2][0]) for el in walk(blocks) if el["t"] == "Link"]
    assert links == LINKS[code]
    assert not [el for el in walk(blocks) if el["t"] == "Code"
                or (el["t"] == "Str" and ("{" in el["c"] or "`" in el["c"]))]


@pytest.mark.parametrize("code", ["en", "it"])
def test_targets_are_the_ids_of_the_heading_paragraph_or_code_below_them(eds, code):
    """`(counting)=` above a notebook's raw header labels the chapter's heading; above a
    paragraph, an anchor at its start; above a code cell, an empty div before it."""
    blocks = eds[code].ast["blocks"]
    assert blocks[0]["t"] == "Header" and blocks[0]["c"][1][0] == "counting"
    (para,) = [b for b in blocks if b["t"] == "Para" and b["c"][0].get("t") == "Span"
               and b["c"][0]["c"][0][0] == "first_count"]
    assert not para["c"][0]["c"][1] and len(para["c"]) > 1
    (anchor,) = [i for i, b in enumerate(blocks) if b["t"] == "Div" and b["c"][0][0] == "count_cell"]
    assert blocks[anchor]["c"][1] == [] and blocks[anchor + 1]["t"] == "CodeBlock"


@pytest.mark.parametrize("code,alt", [("en", "Two launch pads side by side"),
                                      ("it", "Due rampe di lancio affiancate")])
def test_a_figure_directive_is_a_numbered_figure_from_its_books_static_folder(eds, code, alt):
    (figure,) = [el for el in walk(eds[code].ast["blocks"]) if el["t"] == "Figure"]
    assert figure["c"][0][0] == "fig-pads"
    (image,) = [el for el in walk(figure) if el["t"] == "Image"]
    assert image["c"][2][0] == f"{code}/_static/pad.png"
    assert stringify(image["c"][1]) == alt and ["width", "60%"] in image["c"][0][2]


@pytest.mark.parametrize("code", ["en", "it"])
def test_what_shows_nothing_in_a_book_is_left_out_and_an_epigraph_is_a_quote(eds, code):
    """`{raw} jupyter` (a notebook's header) and `{index}` entries were shown as code; the
    `{index}` role is its word; an epigraph is a quote."""
    blocks = eds[code].ast["blocks"]
    text = stringify(blocks)
    assert "header" not in text.lower() and "intestazione" not in text and "single:" not in text
    assert not [el for el in walk(blocks) if el["t"] in ("CodeBlock", "RawBlock")
                and "lecture-header" in el["c"][1]]
    assert blocks[1]["t"] == "BlockQuote"
    assert ("counter" if code == "en" else "contatore") in text


def test_a_display_formula_with_a_label_is_a_numbered_equation(eds):
    spans = [el for el in walk(eds["en"].ast["blocks"]) if el["t"] == "Span"
             and el["c"][0][0] == "eq-total"]
    assert len(spans) == 1 and "(1)" in stringify(spans[0])


@pytest.mark.parametrize("code,opening", [
    ("en", ["Theorem 1 (A bound).", "Proof.", "Definition 1."]),
    ("it", ["Teorema 1 (Un limite).", "Dimostrazione.", "Definizione 1."])])
def test_sphinx_proofs_directives_are_numbered_theorems_and_a_proof(eds, code, opening):
    """`{prf:theorem} Title`, `:::{prf:definition}` and `{prf:proof}`: each kind numbered on
    its own, labelled in the edition's language; `{prf:ref}`, and `{ref}` to a target right
    above one, give its label and number. A `{prf:theorem}` holding a formula's fence was
    taken for a fence pandoc cannot read, and the formula's code block ran to the book's end."""
    blocks = eds[code].ast["blocks"]
    boxes = [el for el in walk(blocks) if el["t"] == "Div"
             and {"theorem", "proof"} & set(el["c"][0][1])]
    assert [stringify(b["c"][1][0]["c"][0]) for b in boxes] == opening
    assert [b["c"][0][0] for b in boxes] == ["thm_bound", "", "def_pad"]
    links = [(stringify(el["c"][1]), el["c"][2][0]) for el in walk(blocks) if el["t"] == "Link"
             and el["c"][2][0] in ("#thm_bound", "#def_pad")]
    word = opening[0].split()[0]
    assert links == [(f"{word} 1", "#thm_bound")] * 2 + [(opening[2][:-1], "#def_pad")]


def test_quartos_theorems_are_numbered_each_kind_apart_and_referenced(project):
    """`::: {#thm-line}` titled by its first heading (which was a section of the contents),
    `::: {#lem-a name="A"}`, `::: {.proof}`; `@thm-line` and `[-@lem-a]` were citations."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n::: {#thm-line}\n## Line\n\nA line.\n:::\n\n"
           "::: {#lem-a name=\"A\"}\nAn $x$.\n:::\n\n::: {#thm-two}\n- a list first\n:::\n\n"
           "::: {.proof}\nClear.\n:::\n\nBy @thm-line, lemma [-@lem-a] and @thm-two.\n")
    edition = editions(config.load(root), ["en"], Pandoc.locate())["en"]
    blocks = edition.ast["blocks"]
    boxes = [el for el in walk(blocks) if el["t"] == "Div"
             and {"theorem", "proof"} & set(el["c"][0][1])]
    assert [stringify(b["c"][1][0]) for b in boxes] == [
        "Theorem 1 (Line). A line.", "Lemma 1 (A). An x.", "Theorem 2.", "Proof. Clear."]
    assert "Line" not in [h.title for h in edition.headings]
    links = [stringify(el["c"][1]) for el in walk(blocks) if el["t"] == "Link"
             and "cross-ref" in el["c"][0][1]]
    assert links == ["Theorem 1", "1", "Theorem 2"]


@pytest.mark.parametrize("code,caption,head", [("en", "Table 1: Launches by pad", "Pad"),
                                               ("it", "Tabella 1: Lanci per rampa", "Rampa")])
def test_a_list_table_is_a_numbered_table_of_its_lists(eds, code, caption, head):
    """`{list-table}` with `:header-rows:`, `:widths:` and `:name:` was shown as code."""
    (table,) = [el for el in walk(eds[code].ast["blocks"]) if el["t"] == "Table"]
    assert table["c"][0][0] == "tbl-yearly" and stringify(table["c"][1][1]) == caption
    assert [w["c"] for _, w in table["c"][2]] == [0.3, 0.7]
    (head_row,) = table["c"][3][1]
    assert stringify(head_row[1][0][4]) == head
    rows = table["c"][4][0][3]
    assert [[stringify(cell[4]) for cell in r[1]] for r in rows] == [["1", "9"], ["31", "4"]]
    assert rows[0][1][1][4][0]["c"][0]["t"] == "Strong"


def test_a_list_table_whose_rows_are_no_lists_of_cells_stays_the_lists_written(project):
    """Its options said of a table are no attributes of the div (no HTML of a div has them)."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n```{list-table} Odd\n:header-rows: 1\n:widths: 1 2\n\n"
           "* one\n* two\n```\n")
    blocks = editions(config.load(root), ["en"], Pandoc.locate())["en"].ast["blocks"]
    (div,) = [el for el in walk(blocks) if el["t"] == "Div" and "list-table" in el["c"][0][1]]
    assert div["c"][0][2] == [] and [b["t"] for b in div["c"][1]] == ["Para", "BulletList"]


def test_a_target_naming_the_directive_below_as_its_label_does_is_one_id(project):
    """`(neumann)=` above ```` ```{prf:Theorem} ```` with `:label: neumann` (QuantEcon's
    lecture on eigenvalues): two elements with one ID stopped the build."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n(neumann)=\n```{prf:Theorem} Neumann\n:class: x\n"
           ":label: neumann\n\nA series.\n```\n\nBy {prf:ref}`neumann`.\n")
    blocks = editions(config.load(root), ["en"], Pandoc.locate())["en"].ast["blocks"]
    assert [el["c"][0][1] for el in walk(blocks) if el["t"] == "Div"
            and el["c"][0][0] == "neumann"] == [["theorem"]]
    assert [stringify(el["c"][1]) for el in walk(blocks) if el["t"] == "Link"
            and el["c"][2][0] == "#neumann"] == ["Theorem 1"]


def test_the_cross_check_pairs_the_lecture_and_its_translation_with_no_finding(root):
    result = run_cli("check", "--project", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert {f["code"] for f in findings} == {"id-missing", "front-matter-ignored", "code-not-run"}


@pytest.mark.parametrize("written, label", [
    ("{ref}`nowhere`", "nowhere"), ("{eq}`no_equation`", "no_equation"),
    ("{numref}`Fig. %s <no_figure>`", "no_figure")])
def test_a_reference_to_no_label_is_an_error_at_its_line(project, written, label):
    root = project("minimal")
    append(root, "en/02-two.md", f"\nA line.\n\nSee {written} here.\n")
    lines = (root / "manuscript/en/02-two.md").read_text(encoding="utf-8").count("\n")
    with pytest.raises(PublishError) as caught:
        editions(config.load(root), ["en"], Pandoc.locate())
    assert f"manuscript/en/02-two.md:{lines}: reference to '{label}'" in str(caught.value) \
        or (caught.value.line == lines and label in caught.value.message)


def test_a_reference_with_its_own_text_leads_to_the_id_its_kind_gave_and_keeps_the_text(project):
    """`:name: pads` is `fig-pads` (numbered as a figure), `$$ … $$ (mass)` is `eq-mass`: a
    `{ref}` with text led to `#pads`, an ID no element has, and the build stopped."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n$$ E = mc^2 $$ (mass)\n\n```{figure} ../diagram.png\n"
           ":name: pads\n\nThe pads.\n```\n\nSee {ref}`*the* pads <pads>` and {eq}`mass`, "
           "{numref}`Fig. {number} <pads>`.\n")
    (root / "manuscript/diagram.png").write_bytes(
        (ROOTS / "myst/manuscript/en/_static/pad.png").read_bytes())
    edition = editions(config.load(root), ["en"], Pandoc.locate())["en"]
    links = [(el["c"][1][0]["t"], stringify(el["c"][1]), el["c"][2][0])
             for el in walk(edition.ast["blocks"]) if el["t"] == "Link"
             and el["c"][2][0] in ("#fig-pads", "#eq-mass")]
    assert links == [("Emph", "the pads", "#fig-pads"), ("Str", "(1)", "#eq-mass"),
                     ("Str", "Fig. 1", "#fig-pads")]


def test_a_code_cells_tags_say_what_of_it_the_book_shows(project):
    """`remove-cell`: nothing; `hide-input`: its output only, which a build does not make (a
    warning, as Quarto's `echo: false`); `hide-output`: its code, with no warning. Its options
    (`:tags:` lines, a `---` block) were shown as its first lines of code."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n```{code-cell} python3\n---\ntags: [hide-output]\n---\n"
           "shown = 1\n```\n\n```{code-cell} python3\n:tags: [remove-cell]\nsetup = 1\n```\n\n"
           "```{code-cell} ipython3\n:tags: [\"hide-input\"]\nplot = 1\n```\n\n"
           "```{code-cell} python3\nplain = 1\n```\n")
    edition = editions(config.load(root), ["en"], Pandoc.locate())["en"]
    code = [el["c"][1] for el in walk(edition.ast["blocks"]) if el["t"] == "CodeBlock"]
    assert code[-2:] == ["shown = 1", "plain = 1"]
    lines = (root / "manuscript/en/02-two.md").read_text(encoding="utf-8").split("\n")
    warned = sorted((n[2], n[3].split(":")[0]) for n in edition.notices if n[0] == "code-not-run")
    assert warned == [(lines.index("```{code-cell} ipython3") + 1, "the ipython3 chunk is left "
                       "out, as its options hide its code, and its output is not in the book"),
                      (lines.index("plain = 1"), "the python3 chunk is shown as code and not run")]


def test_a_notebooks_spaced_math_cell_breaks_and_links_without_text_are_read(project):
    """In a MyST notebook (jupytext's front matter) `$ t $` is math, which pandoc printed as
    text with its dollars ("\\frac" and all); `+++` breaks a cell; `[](label)` is a link with
    the element's title, `[](eq:x)` one to a label, not a URL of the scheme `eq:`; `\\cr` ends
    a matrix's row as MathJax reads it. A `$` before a digit stays a dollar."""
    root = project("minimal")
    chapter = root / "manuscript/en/02-two.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text("---\njupytext:\n  text_representation: {format_name: myst}\n---\n"
                       + text + "\n+++ {\"user_expressions\": []}\n\n(later)=\n## Later\n\n"
                       "From $ t $ to $ t+1$, $ \\frac{a}{b} $ costs $5 and $6.\n\n$$\n"
                       "\\begin{bmatrix} a \\cr b \\end{bmatrix}\n$$ (eq:m)\n\n"
                       "See [](later) and [](eq:m).\n", encoding="utf-8")
    edition = editions(config.load(root), ["en"], Pandoc.locate())["en"]
    blocks = edition.ast["blocks"]
    maths = [el["c"][1] for el in walk(blocks) if el["t"] == "Math"]
    assert maths[:3] == ["t", "t+1", "\\frac{a}{b}"]
    assert "\\\\" in maths[3] and "\\cr" not in maths[3]
    text = stringify(blocks)
    assert "costs $5 and $6." in text and "+++" not in text
    links = [(stringify(el["c"][1]), el["c"][2][0]) for el in walk(blocks) if el["t"] == "Link"
             and el["c"][2][0] in ("#later", "#eq:m")]
    assert links == [("Later", "#later"), ("(1)", "#eq:m")]


def test_a_reference_into_another_project_is_its_text_and_a_warning(project):
    """Intersphinx's `{doc}`jax:autodiff``: nothing says where the other project is."""
    root = project("minimal")
    append(root, "en/02-two.md", "\nSee {doc}`jax:autodiff` and {doc}`the guide <jax:guide>`.\n")
    edition = editions(config.load(root), ["en"], Pandoc.locate())["en"]
    assert "See autodiff and the guide." in stringify(edition.ast["blocks"])
    assert [n[0] for n in edition.notices if "intersphinx" in n[3]] == ["markup-foreign"] * 2


def test_a_role_wrapped_over_two_lines_is_read(project):
    root = project("minimal")
    append(root, "en/02-two.md", "\n(here)=\nText {ref}`wrapped over\ntwo lines <here>` ends.\n")
    edition = editions(config.load(root), ["en"], Pandoc.locate())["en"]
    (link,) = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Link"
               and el["c"][2][0] == "#here"]
    assert stringify(link["c"][1]) == "wrapped over two lines"


@pytest.mark.parametrize("body", [
    "{ref}`" * 100_000,  # roles never closed, on one line
    "{ref}`a\n" * 100_000,  # each wrapped onto the next line
    "(a)=\n```{index}\n```\n" * 30_000,  # targets above what shows nothing
    "(a)=\n\n" * 100_000,  # targets above blank lines
    "$$ (x)" * 100_000,  # labelled formulas' marks
    "````{prf:theorem} T\n:label: a\n```{math}\nx\n```\n````\n" * 20_000,  # nested fences
    "```{list-table} C\n:header-rows: 1\n\n* - a\n  - b\n```\n" * 20_000,
    "[](a) [](eq:b) $ x $ " * 50_000,  # links without text, a notebook's math (below)
], ids=["unclosed", "wrapped", "hidden", "blank", "dollars", "theorems", "list-tables", "auto"])
def test_hostile_myst_is_read_in_linear_time(body, tmp_path):
    """Each input read within the hostile harness's bound for a hang (90 s), in a process of
    its own; what takes how long is `make bench`'s to say, not a test's."""
    import subprocess
    import sys

    chapter = tmp_path / "chapter.md"
    chapter.write_text(body, encoding="utf-8")
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from baikonur_pub.manuscript import SourceFile; "
                    "from baikonur_pub.dialects import read; p = Path(sys.argv[1]); "
                    "read(SourceFile(p, 'chapter.md', p.read_text(encoding='utf-8'), "
                    "ignored=('jupytext',)))",  # a MyST notebook's
                    str(chapter)], check=True, timeout=90)


@pytest.mark.slow  # WeasyPrint
def test_a_proof_ends_with_an_open_square_at_the_right_of_its_last_line(sample_dist):
    """As amsthm's \\qed: a proof's end was told by nothing but the next paragraph. The square
    is drawn (few text faces have one); rasterised, it is ink right of the proof's last words,
    and there is none right of a definition's."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(sample_dist("myst") / "myst-en.pdf")
    try:
        (page,) = [p for p in pdf if "once a day." in p.get_textpage().get_text_range()]
        text, (width, height) = page.get_textpage(), page.get_size()
        image = page.render(scale=2).to_pil().convert("L")

        def ink_after(words: str) -> int:
            index, count = text.search(words).get_next()
            _, bottom, right, top = text.get_charbox(index + count - 1)
            line = image.crop((int(2 * right + 10), int(2 * (height - top)), int(2 * width),
                               int(2 * (height - bottom))))
            return sum(line.histogram()[:128])  # dark pixels

        assert ink_after("launches at most once a day.") > 5
        assert ink_after("is where a rocket stands.") == 0
    finally:
        pdf.close()


@pytest.mark.slow  # pandoc's EPUB, WeasyPrint, EPUBCheck
def test_the_lecture_builds_a_valid_epub_and_a_pdf_with_its_references(sample_dist, epubcheck_of):
    dist = sample_dist("myst")
    for code, words in (("en", "as Figure 1 shows"), ("it", "come mostra Figura 1")):
        text = " ".join(pdf_text(dist / f"myst-{code}.pdf").split())
        assert words in text and "{ref}" not in text and "single:" not in text
        epub = dist / f"myst-{code}.epub"
        result = checked(epubcheck_of, epub)
        assert result.clean, result.messages
        ids = {el.get("id") for doc in epub_documents(epub) for el in doc.iter()}
        assert {"count_cell", "first_count", "count_ex", "fig-pads"} <= ids
        assert any(el.get("href", "").endswith("#fig-pads") for doc in epub_documents(epub)
                   for el in doc.iter(f"{XHTML}a"))
