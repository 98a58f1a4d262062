"""Books written for bookdown (tests/roots/bookdown): knitr's chunk options in braces, and
bookdown's cross-references `\\@ref(fig:label)` (`dialects.bookdown`)."""

from __future__ import annotations

import pytest

from baikonur_pub.ast import stringify, walk
from baikonur_pub.dialects.chunks import _knitr_options
from baikonur_pub.sources import fenced
from conftest import checked, copy_project, parsed

CAPTIONS = {"en": ("The steps: read, tidy, and show.", "Three boxes, joined by arrows."),
            "it": ("I passi: leggere, ordinare e mostrare.", "Tre riquadri, uniti da frecce.")}


@pytest.fixture(scope="module")
def eds(tmp_path_factory):
    return parsed(copy_project("bookdown", tmp_path_factory.mktemp("b") / "bookdown"))


def _text(el) -> str:
    return stringify({"t": "Div", "c": [["", [], []], el if isinstance(el, list) else [el]]})


@pytest.mark.parametrize("code", ["en", "it"])
def test_a_captioned_chunk_is_a_figure_with_its_whole_caption_and_bookdowns_id(eds, code):
    """knitr's `fig.cap = "…, …"` was cut at its first comma (a caption of "The steps: read"),
    and read as no caption at all (Quarto writes `fig-cap`): the figure had none, and no
    `fig:` ID for bookdown's references."""
    figure = _figures(eds[code])["fig:steps"]
    caption, alt = CAPTIONS[code]
    assert figure["c"][0][0] == "fig:steps"
    assert _text(figure["c"][1][1]).endswith(caption)
    (image,) = [el for el in walk(figure["c"][2]) if el["t"] == "Image"]
    assert stringify({"t": "Plain", "c": image["c"][1]}) == alt


@pytest.mark.parametrize("code,said", [("en", "Figure 1 shows the steps"),
                                       ("it", "La figura 1 mostra i passi")])
def test_a_reference_to_a_figure_is_its_number_linked_and_code_keeps_it(eds, code, said):
    """Pandoc printed "Figure @ref(fig:steps)" in every format, without a word."""
    blocks = eds[code].ast["blocks"]
    assert _text(blocks[1]).startswith(said)
    assert [el["c"][2][0] for el in walk(blocks[1]) if el["t"] == "Link"] == ["#fig:steps"]
    assert [el["c"][1] for el in walk(blocks[1]) if el["t"] == "Code"] == ["\\@ref(fig:steps)"]


def test_a_reference_to_a_section_is_text_with_a_warning_at_its_line(eds):
    assert [(code, line, message.split(":")[0]) for code, _, line, message in eds["en"].notices
            if code == "markup-foreign"] == [
        ("markup-foreign", 9, "bookdown's reference \\@ref(intro) is printed as written")]


@pytest.mark.parametrize("inner,options", [
    ('steps, echo = FALSE, fig.cap = "a, b, and c"', {"label": "steps", "echo": "FALSE",
                                                      "fig-cap": "a, b, and c"}),
    ("plot, fig.dim = c(6, 4), fig.alt='x, y'", {"label": "plot", "fig-dim": "c(6, 4)",
                                                 "fig-alt": "x, y"}),
    (", eval = FALSE", {"eval": "FALSE"}),
    ("", {}),
])
def test_knitrs_options_keep_the_commas_of_their_quotes_and_calls(inner, options):
    assert _knitr_options(inner) == options


@pytest.mark.parametrize("inner,options,written", [
    ("steps, fig.cap = 'The steps.'", [], "![The steps.](a.png){#fig:steps}"),
    ("", ["#| label: steps", "#| fig-cap: The steps."], "![The steps.](a.png){#steps}"),
    ("", ["#| label: fig-steps", "#| fig-cap: The steps."], "![The steps.](a.png){#fig-steps}"),
])
def test_only_a_chunk_named_in_its_braces_is_a_figure_bookdown_numbers(inner, options, written):
    """bookdown names a captioned chunk's figure `fig:name`; Quarto numbers a figure only when
    its label says `fig-`: a `#| label:` stays as written."""
    from baikonur_pub.dialects.chunks import _graphic, read_options

    out = ["```{r" + (" " + inner if inner else "") + "}", *options,
           'knitr::include_graphics("a.png")', "```"]
    end = len(out) - 1
    assert _graphic(out, 1, end, read_options(out, 1, end, inner)) == written


@pytest.mark.parametrize("code,said", [
    ("en", "Its energy is in Equation 1, and (2) adds two lines."),
    ("it", "La sua energia è nell’equazione 1, e (2) aggiunge due righe.")])
def test_equations_in_latex_environments_are_display_math_numbered_by_their_labels(eds, code, said):
    """`\\begin{equation}` … `\\end{equation}` was printed as its TeX source, with a warning on
    its first and last lines, and `\\@ref(eq:mass)` as written."""
    blocks = eds[code].ast["blocks"]
    equations = [el for el in walk(blocks) if el["t"] == "Span" and "equation" in el["c"][0][1]]
    assert [el["c"][0][0] for el in equations] == ["eq:mass", "eq:sums"]
    maths = [el["c"][1] for el in walk(equations) if el["t"] == "Math"]
    assert maths[0].startswith("\\begin{equation}\nE = mc^2") and "(\\#" not in "".join(maths)
    assert maths[1].startswith("\\begin{align}\na &= b + c")
    assert any(_text(b) == said for b in blocks)
    assert not [n for n in eds[code].notices if "equation}" in n[3]]


@pytest.mark.parametrize("code,caption", [("en", "Two rows, two columns."),
                                          ("it", "Due righe, due colonne.")])
def test_a_table_captions_leading_label_is_its_id(eds, code, caption):
    (table,) = [b for b in eds[code].ast["blocks"] if b["t"] == "Table"]
    assert table["c"][0][0] == "tbl:data"
    assert _text(table["c"][1][1]).endswith(caption)
    assert any(el["t"] == "Link" and el["c"][2][0] == "#tbl:data"
               for el in walk(eds[code].ast["blocks"]))


def test_an_environment_never_closed_or_cut_by_a_blank_line_stays_text():
    from baikonur_pub.dialects.mathenv import display

    lines = ["\\begin{equation}", "x", "", "\\end{equation}", "\\begin{align}", "y"]
    assert not display(lines, fenced(lines)[0]) and lines[0] == "\\begin{equation}"


def test_an_environment_already_in_display_math_is_left_as_written():
    """`$$` around it already: wrapped again, it was an empty formula and text."""
    from baikonur_pub.dialects.mathenv import display

    lines = ["$$", "\\begin{equation}", "x", "\\end{equation}", "$$"]
    assert not display(lines, fenced(lines)[0]) and lines == ["$$", "\\begin{equation}", "x", "\\end{equation}", "$$"]


DRAWN = {"en": ("Shapes: 25 of them, each numbered.", "A grid of 25 shapes, each beside its number.",
                "Figure 2 numbers every shape; Figure 3 is empty."),
         "it": ("Forme: 25, ciascuna numerata.", "Una griglia di 25 forme, ciascuna accanto al suo numero.",
                "La figura 2 numera ogni forma; la Figura 3 è vuota.")}


def _figures(ed) -> dict:
    return {el["c"][0][0]: el for el in walk(ed.ast["blocks"]) if el["t"] == "Figure"}


@pytest.mark.parametrize("code", ["en", "it"])
def test_a_plot_its_hidden_code_draws_is_a_numbered_figure_of_its_text_alternative(eds, code):
    """A captioned chunk with `echo = FALSE` draws its figure by running code, which a build
    never does: it was left out whole, caption and all, and `\\@ref(fig:shapes)` was an error
    ("leads to no figure"), which stopped the build of a real R book that refers to a plot."""
    caption, alt, said = DRAWN[code]
    shapes = _figures(eds[code])["fig:shapes"]
    assert _text(shapes["c"][1][1]).endswith(caption) and "drawn" in shapes["c"][0][1]
    assert [_text(block) for block in shapes["c"][2]] == [alt]
    assert any(_text(b) == said for b in eds[code].ast["blocks"])
    assert [(line, message.split(" is left out")[0]) for kind, _, line, message in eds[code].notices
            if kind == "code-not-run"] == [(34, "the r chunk that draws figure fig:shapes"),
                                           (39, "the r chunk that draws figure fig-blank")]


@pytest.mark.parametrize("code", ["en", "it"])
def test_a_hidden_figure_chunk_without_text_alternative_is_its_caption_alone(eds, code):
    """Quarto's `#| label: fig-blank`, `#| fig-cap:`, `#| echo: false`; a caption that starts
    as a list item would ("1. An…") stays the caption."""
    blank = _figures(eds[code])["fig-blank"]
    assert blank["c"][2] == [] and _text(blank["c"][1][1]).endswith(
        {"en": "1. An empty plot.", "it": "1. Un grafico vuoto."}[code])


@pytest.mark.parametrize("code,said", [("en", "Figure 4 is a plot’s code."),
                                       ("it", "La Figura 4 è il codice di un grafico.")])
def test_a_div_with_a_figures_id_is_a_figure_of_whatever_it_holds(eds, code, said):
    """Quarto's `::: {#fig-code}`, code and a caption: a div, its caption a paragraph numbered
    by nothing, `@fig-code` an error; only a div of two images or more was a figure."""
    figure = _figures(eds[code])["fig-code"]
    assert [block["t"] for block in figure["c"][2]] == ["CodeBlock"]
    assert any(_text(b) == said for b in eds[code].ast["blocks"])


@pytest.mark.slow
def test_every_format_shows_the_drawn_figure_its_words_and_its_number(sample_dist, epubcheck_of):
    import docx
    import pypdf

    dist = sample_dist("bookdown")
    for code, (caption, alt, said) in DRAWN.items():
        pdf = " ".join(" ".join(page.extract_text().split())
                       for page in pypdf.PdfReader(dist / f"bookdown-{code}.pdf").pages)
        word = {"en": "Figure", "it": "Figura"}[code]
        assert f"{alt} {word} 2: {caption}" in pdf and said in pdf
        document = docx.Document(dist / f"bookdown-{code}.docx")
        cells = [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
        assert alt in cells  # pandoc's table of a figure's content
        assert f"{word} 2: {caption}" in [p.text for p in document.paragraphs]
        result = checked(epubcheck_of, dist / f"bookdown-{code}.epub")
        assert result.clean, result.messages


@pytest.mark.parametrize("chunk,said", [
    ("```{r}\n#| label: tbl-cars\n#| tbl-cap: Cars.\nknitr::kable(mtcars)\n```\n",
     "(the chunk labelled tbl-cars would make the table by running its code, which a build "
     "never does: write the table in Markdown, with this ID)"),
    ('```{r cars, fig.cap = "Cars."}\nplot(mtcars)\n```\n',
     "(the chunk labelled fig:cars would make the figure by running its code, which a build "
     "never does: show an image of it, knitr::include_graphics or ![caption](file), with this ID)"),
])
def test_a_reference_to_what_a_chunk_shown_as_code_would_make_says_why_it_leads_nowhere(
        project, chunk, said):
    """Quarto's `@tbl-kable` to a chunk that makes a table by running `knitr::kable()` (R for
    Data Science): "no table has this ID", with the chunk and its label right there."""
    from conftest import append, run_cli

    root = project("minimal")
    reference = "@tbl-cars" if "tbl-" in chunk else "[-@fig:cars]"
    append(root, "en/02-two.md", f"\nSee {reference}.\n\n{chunk}")
    built = run_cli("build", "--project", str(root), "--no-check", "--lang", "en", "--format", "docx")
    assert built.exit_code == 1 and said in built.output, built.output
    checked_ = run_cli("check", "--project", str(root))
    assert said in checked_.output, checked_.output
