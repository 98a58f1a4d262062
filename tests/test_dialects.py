"""Other tools' Markdown read as those tools mean it (`dialects`): Quarto's and R Markdown's
chunks, MyST's directives and targets, Docusaurus' and MkDocs' admonitions, Obsidian's titled
quotes. The sample, tests/roots/dialects, writes each in both languages."""

from __future__ import annotations

import json

import pytest

from baikonur_pub import config
from baikonur_pub.ast import walk
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import append, draft, edition_with, run_cli, words_of

TITLES = {"en": [("note", "Note"), ("warning", "Mind the step"), ("tip", "Own words"),
                 ("caution", "Caution"), ("tip", "Read first"), ("warning", "Slippery"),
                 ("note", "Note"), ("caution", "Obsidian’s own title"), ("note", "Note"),
                 # VitePress: `::: tip`, `::: warning Be careful`, `::: danger STOP`,
                 # `::: details Click me`, `:::info Title` closed inside a list item
                 ("tip", "Tip"), ("warning", "Be careful"), ("caution", "STOP"),
                 ("note", "Click me"), ("note", "Lists as Prettier writes them")],
          "it": [("note", "Nota"), ("warning", "Attenti al gradino"), ("tip", "Parole proprie"),
                 ("caution", "Attenzione"), ("tip", "Da leggere prima"),
                 ("warning", "Scivoloso"), ("note", "Nota"),
                 ("caution", "Il titolo di Obsidian"), ("note", "Nota"),
                 ("tip", "Suggerimento"), ("warning", "Fai attenzione"), ("caution", "ALT"),
                 ("note", "Clicca qui"), ("note", "Le liste di Prettier")]}


@pytest.fixture(scope="module")
def eds(tmp_path_factory):
    from conftest import copy_project, parsed

    return parsed(copy_project("dialects", tmp_path_factory.mktemp("d") / "dialects"))


def _text(el) -> str:
    return " ".join(x["c"] for x in walk(el) if x["t"] == "Str")


@pytest.mark.parametrize("code", ["en", "it"])
def test_admonitions_of_other_tools_are_callouts_of_the_nearest_kind(eds, code):
    boxes = [el for el in walk(eds[code].ast["blocks"])
             if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [(b["c"][0][1][1][len("callout-"):], _text(b["c"][1][0])) for b in boxes] == TITLES[code]
    assert all(b["c"][0][2] == [] for b in boxes)  # Quarto's icon=false, collapse: no attributes
    words = " ".join(x["c"] for x in walk(eds[code].ast["blocks"]) if x["t"] == "Str")
    for written in ("{note}", ":::", "!!!", "???", "[!caution]", "(sec-target)=", ":class:"):
        assert written not in words
    danger = boxes[3]["c"][1]
    assert [b["t"] for b in danger[1:]] == ["Para", "CodeBlock"]  # its body, code and all
    mkdocs = boxes[5]["c"][1]
    assert [b["t"] for b in mkdocs[1:]] == ["Para", "Para"]  # the indented body, unindented


def test_chunks_are_code_of_their_language_with_no_options_and_hidden_ones_left_out(eds):
    blocks = [el for el in walk(eds["en"].ast["blocks"]) if el["t"] == "CodeBlock"]
    shown = [(b["c"][0][1], b["c"][1]) for b in blocks]
    assert (["r"], "tally <- 2 + 3") in shown  # knitr's options in braces are no class
    assert (["python"], 'print("ready")') in shown  # `#| label:` is Quarto's, not code
    assert (["python"], "def check(): pass") in shown  # MyST's code-block, :linenos: gone
    assert not any("load_everything" in code for _, code in shown)  # echo: false
    assert not any("chunk" in classes for classes, _ in shown)


def test_each_chunk_that_would_have_shown_output_is_a_warning_at_its_line(project):
    result = run_cli("check", "--project", str(project("dialects")), "--format", "json")
    found = json.loads(result.stdout)["findings"]
    assert result.exit_code == 0, result.output
    not_run = [(f["file"].rsplit("/", 1)[1], f["line"]) for f in found
               if f["code"] == "code-not-run"]
    # the hidden chunk (line 7), the python chunk (17) and inline `r tally` (61); the chunk
    # with eval=FALSE shows its code as Quarto would, and says nothing
    assert sorted(not_run) == sorted([(name, line) for name in ("03-dialects.md", "03-dialetti.md")
                                      for line in (7, 17, 61)])
    # MyST's literalinclude of a file of the manuscript shows it (tests/test_includes.py)
    assert not [f for f in found if f["code"] == "markup-foreign"]
    assert not [f for f in found if f["code"].startswith(("block-", "section-"))]


def test_every_line_keeps_its_number_and_a_myst_target_is_its_headings_id(eds):
    for code in ("en", "it"):
        heads = {h.id: h.line for h in eds[code].headings}
        assert heads["sec-target"] == 59 and heads["sec-last"] == 76


def test_nested_and_unclosed_directives(project):
    root = project("minimal")
    append(root, "en/02-two.md", "\n`````{note}\n````{warning}\nInner.\n````\n`````\n\n"
                                 "```{tip}\nNever closed.\n")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    # the fence that opens a callout and is never closed (the nested pair closes)
    assert "manuscript/en/02-two.md:11: fenced div (:::) is never closed" in result.output


def test_a_code_block_showing_other_tools_syntax_is_left_as_written(project):
    root = project("minimal")
    code = "```{r}\n#| echo: false\nx\n```\n\n!!! note\n    body\n\n:::tip[T]\n:::"
    append(root, "en/02-two.md", f"\n````markdown\n{code}\n````\n\n    (label)=\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    assert [b["c"][1] for b in walk(blocks) if b["t"] == "CodeBlock"] == [code, "(label)="]


@pytest.mark.slow
def test_the_sample_in_the_pdf_and_a_valid_epub(project):
    """Callouts boxed and titled, no directive printed; the chunk's figure described by its
    fig-alt, and EPUBCheck takes the whole."""
    import zipfile

    from pypdf import PdfReader

    from baikonur_pub import validate
    from conftest import checked

    root = project("dialects")
    text = "".join(p.extract_text() for p in PdfReader(draft(root, "en", "pdf")
                                                       / "sample-en.pdf").pages)
    assert "Mind the step" in text and "A MyST note with" in text
    assert not any(mark in text for mark in ("{note}", "!!!", ":::", "#| label"))
    epub = draft(root, "en", "epub") / "sample-en.epub"
    with zipfile.ZipFile(epub) as book:
        pages = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert 'alt="Three boxes joined by arrows."' in pages
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages


def test_a_chunk_showing_one_image_is_a_figure_with_its_caption_label_and_alt(eds):
    """`knitr::include_graphics("…")` needs nothing to run: the chunk is the figure Quarto
    shows, captioned (a multi-line `fig-cap: |`), labelled for @fig-…, and described."""
    for code, caption, alt in (("en", "The steps, drawn in one diagram.",
                                "Three boxes joined by arrows."),
                               ("it", "I passi, disegnati in un diagramma.",
                                "Tre riquadri uniti da frecce.")):
        (figure,) = [el for el in walk(eds[code].ast["blocks"]) if el["t"] == "Figure"]
        assert figure["c"][0][0] == "fig-diagram"
        assert _text(figure["c"][1]).endswith(caption)
        (image,) = [el for el in walk(figure["c"][2]) if el["t"] == "Image"]
        assert image["c"][2][0].endswith("diagram.png") and _text(image["c"][1]) == alt
        assert any(el["t"] == "Link" and el["c"][2][0] == "#fig-diagram"
                   for el in walk(eds[code].ast["blocks"]))


def test_fig_alt_is_an_images_text_alternative_and_a_list_items_chunk_is_read(eds):
    images = [el for el in walk(eds["en"].ast["blocks"]) if el["t"] == "Image"]
    assert _text(images[-1]["c"][1]) == "The same boxes, again."
    assert "fig-alt" not in dict(images[-1]["c"][0][2])
    (item,) = [el for el in walk(eds["en"].ast["blocks"]) if el["t"] == "OrderedList"]
    assert [(b["c"][0][1], b["c"][1]) for b in walk(item) if b["t"] == "CodeBlock"] == [
        (["r"], "step_one()")]


@pytest.mark.slow
def test_quartos_conditional_content_shows_in_the_formats_it_names(project):
    """`.content-visible when-format=…` and `.content-hidden`: the PDF is `pdf` (`latex`), the
    EPUB `epub` and `html`, the DOCX `docx` (`wordprocessing`); the AST every format shares
    keeps them all."""
    import zipfile

    import docx
    from pypdf import PdfReader

    root = project("minimal")
    append(root, "en/02-two.md", "\n::: {.content-visible when-format=\"html\"}\nOnly-on-screens.\n:::\n\n"
                                 "::: {.content-visible when-format=\"pdf\"}\nOnly-in-print.\n:::\n\n"
                                 "::: {.content-hidden when-format=\"docx\"}\nNot-in-word.\n:::\n\n"
                                 "Always [but-not-in-print]{.content-visible unless-format=\"pdf\"}.\n")
    pdf = "".join(p.extract_text() for p in PdfReader(draft(root, "en", "pdf") / "sample-en.pdf").pages)
    with zipfile.ZipFile(draft(root, "en", "epub") / "sample-en.epub") as book:
        epub = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    word = " ".join(p.text for p in docx.Document(str(draft(root, "en", "docx") / "sample-en.docx")).paragraphs)
    seen = {fmt: {w for w in ("Only-on-screens", "Only-in-print", "Not-in-word", "but-not-in-print")
                  if w in text} for fmt, text in (("pdf", pdf), ("epub", epub), ("docx", word))}
    assert seen == {"pdf": {"Only-in-print", "Not-in-word"},
                    "epub": {"Only-on-screens", "Not-in-word", "but-not-in-print"},
                    "docx": {"but-not-in-print"}}
    assert "content-visible" not in epub


def test_a_page_break_right_after_a_page_break_is_none_in_every_format(project):
    """As LaTeX's `\\newpage` on a page still empty: a thesis's chapters of `\\tableofcontents`
    and `\\newpage` (the command left out) were blank pages in the PDF and the DOCX."""
    from baikonur_pub.dialects import PAGE_BREAK, for_format

    root = project("minimal")
    append(root, "en/02-two.md", "\nOne.\n\n\\newpage\n\n\\newpage\n\n<!-- c -->\n\n\\clearpage\n\nTwo.\n\n"
                                 "\\newpage\n\nThree.\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    def kind(block) -> str | None:
        if block["t"] == "Div" and PAGE_BREAK in block["c"][0][1] or (
                block["t"] == "RawBlock" and 'w:type="page"' in block["c"][1]):
            return "break"
        return block["c"][0]["c"] if block["t"] == "Para" and block["c"][0]["c"] in ("One.", "Two.", "Three.") else None

    for fmt in ("pdf", "epub", "docx"):
        kinds = [kind(b) for b in for_format(blocks, fmt) if kind(b)]
        assert kinds == ["One.", "break", "Two.", "break", "Three."], (fmt, kinds)


@pytest.mark.slow
def test_quartos_page_break_starts_a_page_in_the_pdf_and_the_docx(project):
    """One page break, however many are written in a row (the PDF's next page and the DOCX's
    next paragraph hold the text after them)."""
    import docx
    from pypdf import PdfReader

    root = project("minimal")
    append(root, "en/02-two.md", "\nBefore-the-break.\n\n{{< pagebreak >}}\n\n\\newpage\n\n"
                                 "<!-- a comment -->\n\n\\clearpage\n\nAfter-the-break.\n")
    pages = [p.extract_text() for p in PdfReader(draft(root, "en", "pdf") / "sample-en.pdf").pages]
    before = next(i for i, text in enumerate(pages) if "Before-the-break." in text)
    assert "After-the-break." not in pages[before] and "After-the-break." in pages[before + 1]
    assert not any("pagebreak" in text for text in pages)
    paragraphs = docx.Document(str(draft(root, "en", "docx") / "sample-en.docx")).paragraphs
    at = [p.text for p in paragraphs].index("Before-the-break.")
    assert 'w:type="page"' in paragraphs[at + 1]._p.xml
    assert paragraphs[at + 2].text == "After-the-break."


def test_a_fence_with_more_than_its_language_is_code_and_its_title_a_file_name(project):
    """```` ```js title="src/app.js" {2,3} showLineNumbers ```` (Docusaurus) was one paragraph
    of inline code to pandoc, its lines run together: it is a block of its language, its title
    shown above it as Quarto shows a `filename`."""
    root = project("minimal")
    append(root, "en/02-two.md", '\n```js title="src/app.js" {2,3} showLineNumbers\nlet a = 1;\n'
                                 'let b = 2;\n```\n\n```{.python filename="run.py"}\nprint(1)\n```\n')
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    titled = [el for el in walk(blocks) if el["t"] == "Div" and "code-with-filename" in el["c"][0][1]]
    name = [el["c"][1] for d in titled for el in walk(d["c"][1][0]) if el["t"] == "Code"]
    assert [(n, d["c"][1][1]["c"][0][1], d["c"][1][1]["c"][1]) for n, d in zip(name, titled)] == [
        ("src/app.js", ["js"], "let a = 1;\nlet b = 2;"), ("run.py", ["python"], "print(1)")]


def test_a_rustdoc_fence_is_code_of_its_first_language(project):
    """mdBook's and rustdoc's ```` ```rust,ignore,does_not_compile ```` is Rust (pandoc's
    class was `rust,ignore,does_not_compile`, and the code was set plain)."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n```rust,ignore,does_not_compile\nlet s = 1;\n```\n\n"
                                 "```console,should_panic\n$ cargo run\n```\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    assert [(el["c"][0][1], el["c"][1]) for el in walk(blocks) if el["t"] == "CodeBlock"] == [
        (["rust"], "let s = 1;"), (["console"], "$ cargo run")]


def test_an_mdbook_listing_is_its_code_under_its_file_name_and_over_its_caption(project):
    """mdBook's `<Listing number="1-1" file-name="…" caption="…">` (the Rust book's every
    listing) was refused as raw HTML: it is the code, its file name above it, and its caption
    under it, labelled in the edition's language, inline code kept."""
    root = project("minimal")
    listing = ('\n<Listing number="1-1" file-name="src/main.rs" caption="Printing `Hi` twice">\n\n'
               "```rust\nfn main() {}\n```\n\n</Listing>\n\nAfter.\n")
    append(root, "en/02-two.md", listing)
    append(root, "it/02-due.md", listing.replace("Printing", "Stampa"))
    pub = config.load(root)
    for code, word in (("en", "Listing"), ("it", "Listato")):
        blocks = editions(pub, [code], Pandoc.locate())[code].ast["blocks"]
        (div,) = [el for el in walk(blocks) if el["t"] == "Div" and "listing" in el["c"][0][1]]
        named, caption = div["c"][1]
        assert "code-with-filename" in named["c"][0][1]
        assert [el["c"] for el in walk(named) if el["t"] in ("Code", "CodeBlock")][-2:] == [
            [["", [], []], "src/main.rs"], [["", ["rust"], []], "fn main() {}"]]
        assert caption["c"][0] == {"t": "Strong", "c": [{"t": "Str", "c": word}, {"t": "Space"},
                                                        {"t": "Str", "c": "1-1:"}]}
        assert {"t": "Code", "c": [["", [], []], "Hi"]} in caption["c"]
        assert _text(caption).endswith("twice") and div["c"][0][2] == []


def test_a_fence_with_attributes_pandoc_cannot_read_closes_where_written(project):
    """```` ````warn header="Mind the order" ```` (as tutorials write it) opened nothing to
    pandoc, so the fence meant to close it opened a block that swallowed the next chapter (a
    bad input until other tools' fences were read): it is closed where written — as
    javascript.info means it, a warning holding the code (`dialects.jsinfo`)."""
    root = project("minimal")
    append(root, "en/01-one.md", '\n````warn header="Mind the order"\nText.\n\n```html\n<b>x</b>\n'
                                 '```\n````\n\nAfter the block.\n')
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    (code,) = [el for el in walk(edition.ast["blocks"]) if el["t"] == "CodeBlock"]
    assert code["c"][0][1] == ["html"] and code["c"][1] == "<b>x</b>"
    (box,) = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Div"
              and "callout-warning" in el["c"][0][1]]
    assert code in list(walk(box["c"][1]))
    assert [h.id for h in edition.headings][:2] == ["sec-one", "sec-two"]


@pytest.mark.parametrize("written", [
    # Docusaurus (MDX): its imports, exports and comments show nothing
    "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n"
    "export const Mark = ({children}) => <b>{children}</b>;\n\n{/* the page's own note */}\n\n"
    "<Tabs>\n  <TabItem value=\"py\" label=\"Python\" default>\n\nUse the module.\n\n  </TabItem>\n"
    "  <TabItem value=\"r\">\n\nUse the package.\n\n  </TabItem>\n</Tabs>\n",
    # sphinx-design, in MyST
    "````{tab-set}\n```{tab-item} Python\nUse the module.\n```\n```{tab-item} r\nUse the package.\n"
    "```\n````\n",
])
def test_tabs_are_shown_in_turn_each_under_its_label(project, written):
    """A book has no tabs to click: each is shown, titled by its label (the tab's value when
    it has none). Docusaurus' tags were refused as raw HTML, with false 'never closed' errors,
    and its imports printed as text."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n" + written + "\nAfter the tabs.\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    tabs = [el for el in walk(blocks) if el["t"] == "Div" and "tab-item" in el["c"][0][1]]
    assert [(_text(t["c"][1][0]), _text(t["c"][1][1:])) for t in tabs] == [
        ("Python", "Use the module."), ("r", "Use the package.")]
    words = _text(blocks)
    assert not any(mark in words for mark in ("import", "export", "{/*", "Tabs", "tab-set"))


def test_hugo_notes_are_callouts_and_its_comments_are_hidden(project):
    """Hugo themes' paired shortcodes alone on their lines (`{{< note >}}`, Docsy's
    `{{% alert title=… color=… %}}`) were printed as text, and `{{< comment >}}`'s text, which
    the site hides, was published in every format; inside code they stay as written."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n{{< note >}}\nA **bold** note.\n{{< /note >}}\n\n"
           '{{% alert title="Careful now" color="warning" %}}\nMind it.\n{{% /alert %}}\n\n'
           "{{< comment >}}\nHidden from the page.\n{{< /comment >}}\n\n"
           "```\n{{< note >}}\n```\n\nAfter.\n")
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    boxes = [el for el in walk(edition.ast["blocks"])
             if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [(b["c"][0][1][1], _text(b["c"][1][0]), _text(b["c"][1][1])) for b in boxes] == [
        ("callout-note", "Note", "A bold note."), ("callout-warning", "Careful now", "Mind it.")]
    words = _text({"t": "Div", "c": [["", [], []], edition.ast["blocks"]]})
    assert "Hidden" not in words and "{{<" not in words and "After." in words
    assert [el["c"][1] for el in walk(edition.ast["blocks"]) if el["t"] == "CodeBlock"][-1] == "{{< note >}}"
    assert not [n for n in edition.notices if n[0] == "markup-foreign"]


def _code(blocks) -> list:
    """(classes, code, the file name shown above it) of every code block in `blocks`."""
    found = []
    for el in walk(blocks):
        if el["t"] == "Div" and "code-with-filename" in el["c"][0][1]:
            name, code = el["c"][1]
            found.append((code["c"][0][1], code["c"][1], _text(name) or
                          next(x["c"][1] for x in walk(name) if x["t"] == "Code")))
        elif el["t"] == "CodeBlock" and not any(code == el["c"][1] for _, code, _ in found):
            found.append((el["c"][0][1], el["c"][1], None))
    return found


@pytest.mark.parametrize("code", ["en", "it"])
def test_vitepress_fences_are_code_of_their_language_and_a_code_group_each_under_its_title(
        eds, code):
    """VitePress' ```` ```js{2-3} ````, ```` ```vue{1} ```` (a `<script setup>` in it, once a
    false 'raw HTML <script>') and ```` ```ts:line-numbers {1} ```` were one paragraph of
    inline code to pandoc, their lines run together: each is a block of its language, its
    marks set aside; in a `::: code-group` each block is shown under its `[title]`."""
    blocks = eds[code].ast["blocks"]
    start = next(i for i, b in enumerate(blocks) if b["t"] == "Header"
                 and b["c"][1][0] == "sec-vitepress")
    shown = _code(blocks[start:])
    assert [(classes, name) for classes, _, name in shown] == [
        (["js"], None), (["vue"], None), (["ts"], None), (["sh"], "npm"), (["sh"], "pnpm")]
    assert shown[1][1] == "<script setup>\nconst count = 1\n</script>"
    assert shown[3][1] == "npm add -D vitepress"
    (group,) = [el for el in walk(blocks) if el["t"] == "Div" and "code-group" in el["c"][0][1]]
    assert [[x["c"][1] for x in walk(b) if x["t"] == "Code"] for b in group["c"][1]] == [
        ["npm"], ["pnpm"]]
    assert not [el for el in walk(blocks[start:])
                if el["t"] == "Para" and any(x["t"] == "Code" for x in el["c"])]


@pytest.mark.parametrize("info, classes, name", [
    ("js{2-6}", ["js"], None), ("vue{1}", ["vue"], None), ("ts{1,3-4}", ["ts"], None),
    ("js [config.js]", ["js"], "config.js"), ("sh [npm]", ["sh"], "npm"),
    ("ts:line-numbers {1}", ["ts"], None), ("ts:no-line-numbers", ["ts"], None),
    ("js:line-numbers=2 [app.js]", ["js"], "app.js"), ("js-vue{1}", ["js"], None),
    ("{1,3}", [], None), ('js title="src/app.js" {2,3} showLineNumbers', ["js"], "src/app.js"),
])
def test_a_vitepress_fence_is_a_block_of_its_language_its_title_a_file_name(
        project, info, classes, name):
    """The info string as VitePress reads it: the language, then line marks (`{2-6}`, with
    no space), numbering (`:line-numbers`, `=2`) set aside and a title in brackets shown
    above the code, as a `filename`."""
    root = project("minimal")
    append(root, "en/02-two.md", f"\n```{info}\nlet a = 1;\nlet b = 2;\n```\n\nAfter.\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    assert _code(blocks) == [(classes, "let a = 1;\nlet b = 2;", name)]


@pytest.mark.parametrize("written, kind, title", [
    ("::: tip", "tip", None), ("::: info", "note", None), ("::: warning Be careful", "warning",
                                                           "Be careful"),
    ("::: danger STOP", "caution", "STOP"), ("::: details Click me {open}", "note", "Click me"),
    ("::: details", "note", None), ("::: Warning ::::::", "warning", None),
    ("::: example A worked one", "note", "A worked one"), (":::details Summary", "note",
                                                           "Summary"),
])
def test_vitepress_containers_are_callouts_of_the_nearest_kind_titled_as_written(
        project, written, kind, title):
    """`::: warning Be careful` was one paragraph, colons and all, and `::: tip` a plain div:
    each is a callout, titled by the words after its name (a note's, for `details`, its
    summary); VitePress' `{open}` set aside. The language's word titles one with none."""
    root = project("minimal")
    append(root, "en/02-two.md", f"\n{written}\nThe body.\n:::\n\nAfter.\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    (box,) = [el for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert box["c"][0][1] == ["callout", f"callout-{kind}"]
    assert [_text(b) for b in box["c"][1]] == [title or kind.capitalize(), "The body."]
    assert "After." in _text(blocks) and ":::" not in _text(blocks)


def test_a_pandoc_div_of_another_name_stays_a_div(project):
    """Pandoc's own `::: example` (a word: a class) is not a callout; VitePress' names are."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n::: example\nThe body.\n:::\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    assert [el["c"][0][1] for el in walk(blocks) if el["t"] == "Div"
            and _text(el) == "The body."] == [["example"]]


def test_a_container_closed_inside_a_list_item_closes_where_vitepress_closes_it(project):
    """Prettier indents a container's closing `:::` under the list item before it (`- b` /
    `  :::`): VitePress closes the container there, but pandoc read it as the item's text,
    and the container ran into the next chapter, an error at the file's last line."""
    root = project("minimal")
    append(root, "en/01-one.md", "\n:::info Two items\n\n- a\n- b\n  :::\n\nAfter the list.\n\n"
                                 "::: tip\n1.  one\n\n    - inner\n    :::\n")
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    boxes = [el for el in walk(edition.ast["blocks"])
             if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [(b["c"][0][1][1], [x["t"] for x in b["c"][1][1:]]) for b in boxes] == [
        ("callout-note", ["BulletList"]), ("callout-tip", ["OrderedList"])]
    assert ":::" not in _text(boxes[0]) and ":::" not in _text(boxes[1])
    assert [h.id for h in edition.headings][:2] == ["sec-one", "sec-two"]
    assert "After the list." in _text(edition.ast["blocks"])


def test_a_vitepress_table_of_contents_is_left_out(eds):
    """`[[toc]]` alone on its line (markdown-it's contents) was printed as text: the book has
    its own contents."""
    for code in ("en", "it"):
        assert "[[toc]]" not in _text(eds[code].ast["blocks"])


def test_vitepress_imports_and_unknown_containers_are_markup_foreign_at_their_lines(project):
    """VitePress' code import `<<< @/snippets/snippet.js` (printed as text) and its Markdown
    include `<!--@include: …-->` (an HTML comment, dropped without a word) read nothing: each
    a `markup-foreign` warning at its line, as a container with a name of no callout and a
    title (its content shown); a code block may show them as written."""
    root = project("minimal")
    lines = (root / "manuscript/en/02-two.md").read_text().count("\n")  # then a blank line
    append(root, "en/02-two.md", "\n<<< @/snippets/snippet.js{2} [snippet.js]\n\n"
                                 "<!--@include: ./parts/basics.md-->\n\n"
                                 "::: card My card\nCard body.\n:::\n\n"
                                 "```md\n<<< @/snippets/snippet.js\n```\n\n<<<<<<< HEAD\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = json.loads(result.stdout)["findings"]
    foreign = [(f["file"].rsplit("/", 1)[1], f["line"], f["message"].split(" is ")[0])
               for f in found if f["code"] == "markup-foreign"]
    assert foreign == [
        ("02-two.md", lines + 2, "VitePress code import <<< @/snippets/snippet.js{2} [snippet.js]"),
        ("02-two.md", lines + 4, "VitePress include <!--@include: ./parts/basics.md-->"),
        ("02-two.md", lines + 6, "container '::: card' (VitePress', Docusaurus')")]
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    assert "Card body." in _text(blocks) and ":::" not in _text(blocks)


def test_a_list_right_under_a_paragraph_is_a_list_as_commonmark_reads_it(project):
    """"You will learn:\\n* How to…\\n* About…", as GitHub, MDX and Docusaurus pages write
    a list: pandoc's Markdown wants a blank line first, so the items ran into the paragraph
    with their asterisks in every format. A number other than 1 under a paragraph's line is
    still its text there, as in CommonMark ("ended in\\n1945. After the war"); but under an
    item's own lines, lazy or indented, it is the list's next item."""
    edition = edition_with(project("minimal"), (
        "You will learn:\n* How to *pot*\n* About soil\n\nSteps:\n1. Dig\n2. Plant\n\n"
        "The war ended in\n1945. After it, gardens.\n\n"
        "1. Sow a row\n   as deep as a hand\n2. Cover\nthe seed\n3. Wait\n\n   A paragraph of it.\n"
        "4. Reap\n"))
    blocks = edition.ast["blocks"]
    lists = [[words_of(item) for item in (el["c"] if el["t"] == "BulletList" else el["c"][1])]
             for el in walk(blocks) if el["t"] in ("BulletList", "OrderedList")]
    assert lists == [["How to pot", "About soil"], ["Dig", "Plant"],
                     ["Sow a row as deep as a hand", "Cover the seed", "WaitA paragraph of it.",
                      "Reap"]]
    assert "The war ended in 1945. After it, gardens." in [words_of([b]) for b in blocks]


def test_a_divs_last_paragraph_right_above_its_fence_is_a_paragraph(project):
    """With a list allowed right under a paragraph's line, pandoc reads the paragraph right
    above a div's closing `:::` as a Plain: no <p> in the EPUB, no paragraph style in the PDF
    or DOCX (the scripts sample's right-to-left quotes lost theirs). Nested divs and a
    div's earlier paragraphs too; a list item's last paragraph stays its own."""
    edition = edition_with(project("minimal"), (
        "::: box\nAlone above the fence.\n:::\n\n"
        "::: outer\nFirst.\n\nSecond above the fence.\n\n::: inner\nInner above.\n:::\n:::\n\n"
        "::: tight\n* one\n* two\n:::\n"))
    kinds = {words_of([b]): b["t"] for el in walk(edition.ast["blocks"])
             if el["t"] == "Div" and {"box", "outer", "inner", "tight"} & set(el["c"][0][1])
             for b in el["c"][1] if b["t"] in ("Para", "Plain")}
    assert kinds == {"Alone above the fence.": "Para", "First.": "Para",
                     "Second above the fence.": "Para", "Inner above.": "Para"}
    items = [el for el in walk(edition.ast["blocks"]) if el["t"] == "BulletList"]
    assert [item[0]["t"] for item in items[0]["c"]] == ["Plain", "Plain"]  # a tight list's


def test_a_hugo_note_opened_and_closed_on_one_line_keeps_its_words(project):
    """`{{< note >}} Words. {{< /note >}}` on one line was read as a note's opening whose
    name ran to the last `>}}`: the line became a div's opening alone, its words gone, and the
    build stopped at "fenced div (:::) is never closed" (or a later note's end closed it). A
    shortcode not alone on its line is printed as written (with its warning); alone on its
    lines it is still a callout."""
    edition = edition_with(project("minimal"), (
        "\n{{< note >}} Keep these words. {{< /note >}}\n\n"
        "{{< warning >}}\nMind the step.\n{{< /warning >}}\n"))
    text = words_of(edition.ast["blocks"])
    assert "Keep these words." in text and "Mind the step." in text
    callouts = [el["c"][0][1] for el in walk(edition.ast["blocks"])
                if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert len(callouts) == 1 and "callout-warning" in callouts[0]


def test_a_list_of_word_processor_bullets_is_a_list(project):
    """A real Korean translation's list pasted with `•`: one paragraph to pandoc, its items run
    together ("• x, y, z : 벡터. • w : …") in every format. A `•` a paragraph's line wrapped to
    stays its text, and one in code its code."""
    edition = edition_with(project("minimal"), (
        "Names:\n\n• `x, y`: vectors.\n•  `w`: weights,\n   and more.\n\n"
        "A dot\n• B wrapped.\n\n```\n• code\n```\n"))
    blocks = edition.ast["blocks"]
    (listed,) = [b for b in blocks if b["t"] == "BulletList"]
    assert [words_of(item) for item in listed["c"]] == ["x, y: vectors.", "w: weights, and more."]
    assert any(words_of([b]) == "A dot • B wrapped." for b in blocks)
    assert any(b["t"] == "CodeBlock" and b["c"][1] == "• code" for b in blocks)


def test_a_chunk_indented_under_a_list_items_paragraph_is_the_items_code(project):
    """A real Spanish translation indents its items' text two spaces and their chunks four:
    the chunk was taken for indented code (the line above it indented less was the item's
    text, not the item), left as written, and pandoc printed "```{r} x1 <- list(…" as text."""
    edition = edition_with(project("minimal"), (
        "* `sapply()` wraps `lapply()`\n  and simplifies:\n    \n    ```{r}\n    x <- 1\n    ```\n\n"
        "After.\n\n    indented code\n"))
    blocks = edition.ast["blocks"]
    (listed,) = [b for b in blocks if b["t"] == "BulletList"]
    (code,) = [b for b in listed["c"][0] if b["t"] == "CodeBlock"]
    assert code["c"][0][1] == ["r"] and code["c"][1] == "x <- 1"
    assert {"t": "CodeBlock", "c": [["", [], []], "indented code"]} in blocks


def test_a_fence_indented_four_past_an_items_text_is_code_shown_as_written(project):
    """Pandoc reads a fence four spaces or more past a list item's text as indented code in
    the item, the fence its first line: a real translation's chunk indented so was rewritten
    all the same, and its code showed "```{.r .chunk}" where the manuscript wrote "```{r}"."""
    edition = edition_with(project("minimal"), (
        "1. Turn these into functions.\n\n         ```{r, eval = FALSE}\n         mean(x)\n"
        "         ```\n"))
    (listed,) = [b for b in edition.ast["blocks"] if b["t"] == "OrderedList"]
    (code,) = [b for b in listed["c"][1][0] if b["t"] == "CodeBlock"]
    assert code["c"][1] == "  ```{r, eval = FALSE}\n  mean(x)\n  ```"


def test_sphinx_exercise_directives_are_an_exercise_and_its_solution(project):
    """`{exercise}` (sphinx-exercise, Jupyter Book) titled by its argument; `{solution} ex-1`
    names the exercise it solves, no title: "Solution", in the edition's language. Both were
    printed as text with a `markup-foreign` warning."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n```{exercise} Count the launches\n:label: ex-1\n\nHow many?\n"
           "```\n\n:::{solution} ex-1\nNine.\n:::\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    callouts = [(el["c"][0][1][1], _text(el["c"][1][0]), _text(el["c"][1][1:]))
                for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert callouts == [("callout-exercise", "Count the launches", "How many?"),
                        ("callout-solution", "Solution", "Nine.")]


def test_gated_exercise_directives_open_and_close_their_callout(project):
    """sphinx-exercise's gated `{exercise-start}` … `{exercise-end}` (QuantEcon's lectures):
    each was a code block of its options, and what lay between them plain text. A start's
    fence may hold the exercise's first text and a hint left open there (the lecture's
    Markdown closes both with one fence); `:class: dropdown` folds a box, it names no kind."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n```{exercise-start} Plot it\n:label: ex-plot\n```\n\n"
           "Plot the series.\n\n```{code-cell} python3\nplot(x)\n```\n\n```{exercise-end}\n```"
           "\n\n```{solution-start} ex-plot\n:class: dropdown\n```\n\nOne way.\n\n"
           "```{solution-end}\n```\n\n```{exercise-start}\n:label: ex-two\n\nFirst text.\n\n"
           "```{hint}\n:class: dropdown\n\n* a hint\n```\n\n```{exercise-end}\n```\n\nAfter.\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    boxes = [el for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [(b["c"][0][1][1], _text(b["c"][1][0])) for b in boxes] == [
        ("callout-exercise", "Plot it"), ("callout-solution", "Solution"),
        ("callout-exercise", "Exercise"), ("callout-tip", "Tip")]
    assert [x["t"] for x in boxes[0]["c"][1][1:]] == ["Para", "CodeBlock"]
    assert _text(boxes[1]["c"][1][1:]) == "One way."
    assert _text(boxes[2]["c"][1][1]) == "First text." and boxes[3] in boxes[2]["c"][1]
    assert ["After."] == [_text(b) for b in blocks if b["t"] == "Para" and "After" in _text(b)]
    assert "{" not in _text(blocks)


def test_a_directives_closing_fence_indented_under_a_list_closes_the_directive(project):
    """` ``` ` indented one space after a list item's lazy line closes the directive (as
    CommonMark reads a fence indented up to three): its `:::` was written there indented,
    which pandoc read as the item's text, and the box ran into the next chapter."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n```{hint}\n* For a circle,\n $a = \\pi r^2$\n ```\n\nAfter.\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    (box,) = [el for el in walk(blocks) if el["t"] == "Div" and "callout-tip" in el["c"][0][1]]
    assert ":::" not in _text(box)
    assert ["After."] == [_text(b) for b in blocks if b["t"] == "Para" and "After" in _text(b)]


def test_a_quarto_tabset_is_each_tab_in_turn_under_its_heading(project):
    """`::: {.panel-tabset}` with `## R` and `## Python`: the tabs were sections 1.1 and 1.2
    of the contents; a deeper heading stays the tab's."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n::: {.panel-tabset group=\"language\"}\n\n## R\n\n"
           "```r\nx <- 1\n```\n\n### Details\n\nIn R.\n\n## Python\n\n```python\nx = 1\n```\n\n:::\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    (tabs,) = [el for el in walk(blocks) if el["t"] == "Div" and "tab-set" in el["c"][0][1]]
    items = [el for el in tabs["c"][1] if "tab-item" in el["c"][0][1]]
    assert [_text(item["c"][1][0]) for item in items] == ["R", "Python"]
    assert [el["c"][0] for el in walk(items[0]) if el["t"] == "Header"] == [3]
    assert not [el for el in walk(blocks) if el["t"] == "Header" and _text(el) in ("R", "Python")]
