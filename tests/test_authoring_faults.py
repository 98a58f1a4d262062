"""Faults pandoc lets through, reported by the cross-check at their lines: a note defined and
never called, a link reference defined twice (pandoc's own warnings, which went nowhere), a
footnote called and never defined (an error: pandoc prints the call as written); and, with no
bibliography, `@name` printed as written (a warning); other tools' markup (a warning)."""

from __future__ import annotations

import json
import re

import pytest

from baikonur_pub import config
from baikonur_pub.ast import walk
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import ROOTS, append, draft, parsed, run_cli, words_of


def _findings(result, code: str) -> list[dict]:
    """The findings of one code in `check --format json`'s output."""
    assert result.stdout.startswith("{"), (result.exit_code, result.stderr, result.exc_info)
    return [f for f in json.loads(result.stdout)["findings"] if f["code"] == code]


def _checked(project, text: str, code: str) -> list[dict]:
    """The findings of `code` when the minimal project's second English chapter ends with
    `text`."""
    root = project("minimal")
    append(root, "en/02-two.md", text)
    return _findings(run_cli("check", "--project", str(root), "--format", "json"), code)


def test_pandoc_warnings_and_undefined_footnotes_are_findings_at_their_lines(project):
    root = project("minimal")
    append(root, "en/02-two.md", "\nA note[^1] and a call[^2].\n\n[^1]: One.\n[^5]: Five.\n\n"
                                 "[x]: https://example.org/a\n[x]: https://example.org/b\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = {(f["code"], f["line"], f["severity"]): f["message"]
             for f in json.loads(result.stdout)["findings"]
             if f["code"] in ("pandoc-warning", "footnote-undefined")}
    assert found == {
        ("footnote-undefined", 5, "error"): "footnote [^2] is called but never defined (its text "
                                            "goes on a line of its own: [^2]: …)",
        ("pandoc-warning", 8, "warning"): "pandoc: note with key '5' defined but not used",
        ("pandoc-warning", 11, "warning"): "pandoc: duplicate link reference '[x]'",
    }
    assert result.exit_code == 1


def without_bibliography(root):
    cfg = root / "manuscript/publication.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("bibliography: references.yaml\n", ""),
                   encoding="utf-8")
    for chapter in ("en/01-one.md", "it/01-uno.md"):
        path = root / "manuscript" / chapter
        path.write_text(path.read_text(encoding="utf-8").replace(" [@rossi2020]", ""),
                        encoding="utf-8")
    append(root, "en/02-two.md", "\nThanks to @octocat and [@scope/pkg](https://example.org), "
                                 "see @sec-one, @sec-nowhere and \\@kept.\n")
    return root


def test_with_no_bibliography_an_at_name_is_text_and_a_warning_at_its_line(project):
    """A GitHub handle or an npm package (`@octocat`, `[@scope/pkg](…)`) is a citation to
    pandoc; with no bibliography it is printed as written, each a warning, as Quarto has it.
    A cross-reference stays one: an unknown target is still an error."""
    root = without_bibliography(project("minimal"))
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["code"], f["line"], f["message"].split(" is ")[0])
             for f in _findings(result, "citation-as-text")]
    assert found == [("citation-as-text", 5, "@octocat"), ("citation-as-text", 5, "@scope/pkg")]
    build = run_cli("build", "--project", str(root), "--format", "epub", "--out", str(root / "dist"))
    assert build.exit_code == 1 and "sec-nowhere" in build.output


@pytest.mark.slow
def test_with_no_bibliography_an_at_name_is_printed_as_written(project):
    import zipfile

    root = without_bibliography(project("minimal"))
    path = root / "manuscript/en/02-two.md"
    path.write_text(path.read_text(encoding="utf-8").replace(", @sec-nowhere", ""), encoding="utf-8")
    epub = draft(root, "en", "epub") / "sample-en.epub"
    with zipfile.ZipFile(epub) as archive:
        text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                       if n.endswith(".xhtml"))
    assert ">@octocat</span>" in text and ">@scope/pkg</span>" in text and "@kept" in text


def test_other_tools_markup_is_a_warning_at_its_line_but_not_in_code(project):
    """A site's sources carry markup of the tool that built the site, which pandoc prints as
    text: a Jekyll (Liquid) tag, a Hugo (or Quarto) shortcode. Code may show them. (An MkDocs
    admonition is read as a callout: test_dialects.)"""
    found = [(f["line"], f["message"].split(" is text")[0]) for f in _checked(
        project, "\n!!! note \"Title here\"\n    Body text.\n\n"
                 "Text {% include x.html %} and {{% notice info %}} end,\n"
                 "`{% raw %}` in code.\n\n```\n{{< figure >}}\n```\n", "markup-foreign")]
    assert found == [(8, "Jekyll (Liquid) tag {% include x.html %}"),
                     (8, "shortcode {{% notice info %}} (Hugo's, Quarto's)")]


def test_template_macros_and_a_headings_shortcode_are_warnings_each_at_its_own_line(project):
    """A template's macros (`{{kumaFruit("HTTP")}}`, of a name MDN's are not: those are read,
    `dialects.mdn`), which pandoc prints with typographic quotes; a shortcode in a heading was
    not seen, and one in the body was put at the heading's line, the first holding `{{`."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n## Head {{< include x.md >}}\n\n"
                                 "Text {{kumaFruit(\"HTTP\", \"a\")}} and {{< include y.md >}},\n"
                                 "then {{FruitMacro}}; `{{Glossary(\"x\")}}` is code.\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["line"], f["message"].split(" ")[0:2]) for f in json.loads(result.stdout)["findings"]
             if f["code"] == "markup-foreign"]
    assert found == [(5, ["shortcode", "{{<"]), (7, ["template", "macro"]),
                     (7, ["shortcode", "{{<"]), (8, ["template", "macro"])]


def test_a_rule_before_a_heading_is_a_rule_not_a_table_swallowing_the_section(project):
    """Pandoc's multiline tables began at a line of dashes: `---` then `## B` made a table of
    everything up to the next rule, heading B and all, and the check said nothing."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n---\n## Between the rules {#sec-between}\n\nText.\n\n---\n\n"
                                 "## After {#sec-after}\n\nMore.\n")
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    assert [h.id for h in edition.headings][-3:-1] == ["sec-between", "sec-after"]
    assert not [el for el in walk(edition.ast["blocks"]) if el["t"] == "Table"]
    assert sum(el["t"] == "HorizontalRule" for el in walk(edition.ast["blocks"])) == 2


MULTILINE = """
-------------------------------------------
Region        Count    Notes on the
              of owls  counting
------------ -------- ----------------------
North           20,028 Counted twice,
America                in spring

Europe          20,964 Once
-------------------------------------------

: Owls by region {#tbl-owls}

See @tbl-owls.

-------- -----------
Alpha    One
Beta     Two
-------- -----------

---
## Rule then heading {#sec-rule}
Text under it.

---

Rule and heading
---

Text.

```text
---
## In code
---
```
"""


def test_multiline_tables_are_tables_and_a_rule_that_opens_a_block_stays_a_rule(project):
    """Pandoc's multiline tables were off (a rule opening a block read as a one-column table):
    a thesis's table of long cells was printed as paragraphs and setext headings ("Antarctica
    83% 2964 …" a section), its `@tbl-…` undefined. A table of two columns or more, with a
    header or none, is a table; a rule followed by a heading, a setext heading, and dashes in
    code are what they were."""
    root = project("minimal")
    append(root, "en/02-two.md", MULTILINE)
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    blocks = edition.ast["blocks"]
    tables = [el for el in walk(blocks) if el["t"] == "Table"]
    assert [(t["c"][0][0], len(t["c"][2])) for t in tables] == [("tbl-owls", 3), ("", 2)], tables
    cells = [" ".join(x["c"] for x in walk(row) if x["t"] == "Str")
             for row in tables[0]["c"][4][0][3]]
    assert cells == ["North America 20,028 Counted twice, in spring", "Europe 20,964 Once"]
    assert [h.title for h in edition.headings][-3:-1] == ["Rule then heading", "Rule and heading"], \
        edition.headings
    assert sum(el["t"] == "HorizontalRule" for el in walk(blocks)) == 2
    (code,) = [el["c"][1] for el in walk(blocks) if el["t"] == "CodeBlock" and "In code" in el["c"][1]]
    assert code == "---\n## In code\n---"


LAYOUT = """
\\pagenumbering{roman}
\\setcounter{page}{1}

\\tableofcontents

\\vspace*{\\fill}
\\noindent
\\textit{I confirm this is my own work.}

```latex
\\noindent
```

$$
\\hspace{1em} x
$$
"""


def test_latex_layout_commands_alone_on_their_lines_are_left_out_with_a_warning_each(project):
    """A thesis template's `\\pagenumbering{roman}`, `\\tableofcontents`, `\\noindent` were
    printed as written in every format (a page of `\\tableofcontents \\listoffigures`), the
    commands without an argument with no word. Left out, each a `markup-foreign` warning at
    its line; a command setting its text's look is that look; code and display math stay as
    written."""
    root = project("minimal")
    append(root, "en/02-two.md", LAYOUT)
    start = len((root / "manuscript/en/02-two.md").read_text().split("\n")) - len(LAYOUT.split("\n"))
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    words = " ".join(el["c"] for el in walk(blocks) if el["t"] == "Str")
    assert "\\tableofcontents" not in words and "\\noindent" not in words and "\\pagenumbering" not in words
    assert "\\textit{I" not in words
    assert "I confirm this is my own work." in [words_of(el["c"]) for el in walk(blocks) if el["t"] == "Emph"]
    assert [el["c"][1] for el in walk(blocks) if el["t"] == "CodeBlock"][-1] == "\\noindent"
    assert [el["c"][1] for el in walk(blocks) if el["t"] == "Math"][-1].strip() == "\\hspace{1em} x"
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["line"] - start, f["message"].split(" left out")[0]) for f in json.loads(result.stdout)["findings"]
             if f["code"] == "markup-foreign" and "left out" in f["message"]]
    assert found == [(2, "LaTeX command \\pagenumbering{roman}"), (3, "LaTeX command \\setcounter{page}{1}"),
                     (5, "LaTeX command \\tableofcontents"), (7, "LaTeX command \\vspace*{\\fill}"),
                     (8, "LaTeX command \\noindent")], found


LOOKS = """
\\textit{I}, the author, confirm \\textbf{this} is \\emph{my own} work: \\textsc{Nasa} says
\\texttt{run\\_all} on the 4\\textsuperscript{th} day; `\\textit{code}` and $\\textit{x}$ stay.

\\textbf{Nested \\emph{words}} and \\textit{a*b} stay commands.

\\textit{
Across the lines of a paragraph.
}

    \\textit{indented code}
"""


def test_latex_commands_setting_a_words_look_are_that_look(project):
    """A thesis template's `\\textit{` (its text on the lines below) printed the command as
    written, with a warning, in every format. Italic, bold, small capitals, typewriter and
    superscript are set as LaTeX would; in a code span, math or indented code a command stays
    as written; one around other markup or commands stays text with its warning, at its line."""
    root = project("minimal")
    append(root, "en/02-two.md", LOOKS)
    start = len((root / "manuscript/en/02-two.md").read_text().split("\n")) - len(LOOKS.split("\n"))
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    looks = [(el["t"], words_of(el["c"])) for el in walk(blocks)
             if el["t"] in ("Emph", "Strong", "SmallCaps", "Superscript")]
    assert looks[:5] == [("Emph", "I"), ("Strong", "this"), ("Emph", "my own"), ("SmallCaps", "Nasa"),
                         ("Superscript", "th")], looks
    assert ("Emph", "words") in looks and ("Emph", "Across the lines of a paragraph.") in looks, looks
    assert ["run_all", "\\textit{code}"] == [el["c"][1] for el in walk(blocks) if el["t"] == "Code"]
    assert [el["c"][1] for el in walk(blocks) if el["t"] == "Math"] == ["\\textit{x}"]
    assert [el["c"][1] for el in walk(blocks) if el["t"] == "CodeBlock"] == ["\\textit{indented code}"]
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["line"] - start, f["message"].split(" is printed")[0])
             for f in json.loads(result.stdout)["findings"] if f["code"] == "markup-foreign"]
    assert found == [(5, "LaTeX command \\textbf{Nested words}"), (5, "LaTeX command \\textit{a*b}")], found


def test_a_references_heading_ending_the_last_chapter_titles_the_reference_list(project):
    """Pandoc's convention, `# References` last, where the list goes: it was an empty numbered
    chapter ("3 References") before the list's own heading. Its words title the list, in
    each language; nothing is reported."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n# Works cited\n")
    append(root, "it/02-due.md", "\n# Opere citate\n")
    eds = parsed(root)
    for code, title in (("en", "Works cited"), ("it", "Opere citate")):
        headings = eds[code].headings
        assert [(h.title, h.number, h.id) for h in headings][-2:] == [
            ("Second chapter" if code == "en" else headings[-2].title, "2", "sec-two"),
            (title, "", "bibliography")], headings
        (header,) = [b for b in eds[code].ast["blocks"] if b["t"] == "Header" and b["c"][1][0] == "bibliography"]
        assert " ".join(x["c"] for x in header["c"][2] if x["t"] == "Str") == title
    result = run_cli("check", "--project", str(root), "--strict")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


def test_a_section_that_holds_nothing_is_a_warning_at_its_heading(project):
    """The Programming Historian's "Endnotes" above only footnote definitions: their text goes
    to the notes, and the book had an empty section, with no word."""
    root = project("minimal")
    append(root, "en/01-one.md", "\nA note.[^1]\n\n## Endnotes\n\n[^1]: The note.\n")
    append(root, "it/01-uno.md", "\nUna nota.[^1]\n\n## Note\n\n[^1]: La nota.\n")
    # a section's last heading before the reference list is no title of it: a chapter's is
    append(root, "en/02-two.md", "\n## Closing\n")
    append(root, "it/02-due.md", "\n## Chiusura\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["file"], f["line"], f["message"].split(":")[0]) for f in json.loads(result.stdout)["findings"]
             if f["code"] == "section-empty"]
    assert found == [("manuscript/en/01-one.md", 7, "section 'Endnotes' holds nothing"),
                     ("manuscript/en/02-two.md", 5, "section 'Closing' holds nothing"),
                     ("manuscript/it/01-uno.md", 7, "section 'Note' holds nothing"),
                     ("manuscript/it/02-due.md", 5, "section 'Chiusura' holds nothing")], found


def test_an_mdbook_directive_outside_code_is_a_warning_at_its_line(project):
    """mdBook's `{{#include …}}` in a paragraph was printed as written without a word (in a
    code block it includes the file: tests/test_includes.py); a code block merely showing one
    among its code is code."""
    root = project("minimal")
    append(root, "en/02-two.md", "\nSee {{#include ../notes.md}} here.\n\n"
                                 "```markdown\nWrite {{#include x.rs}} in a chapter.\n```\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]
             if f["code"] == "markup-foreign"]
    assert [(line, message.split(":")[0]) for line, message in found] == [
        (5, "mdBook directive {{#include ../notes.md}} is text to pandoc")]


def test_markup_and_at_names_in_html_code_or_a_listing_are_not_findings_nor_their_lines(project):
    """A VitePress page shows `<button @click="go">` in an HTML listing and `{{ id }}` in
    `<code>`: an `@click` in the text after was put at the listing's line, and a mustache in a
    later paragraph's text at the line of the first `<code>` holding one."""
    root = without_bibliography(project("minimal"))
    append(root, "en/02-two.md", "\n```html\n<button @click=\"go\">\n```\n\n"
                                 "First <code>{{ id }}</code> is code.\n\n"
                                 "In text, @click and {{ object.id }} are not.\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["code"], f["line"], f["message"].split(" ")[0:2])
             for f in json.loads(result.stdout)["findings"]
             if f["code"] in ("citation-as-text", "markup-foreign") and f["line"] > 5]
    assert found == [("citation-as-text", 13, ["@click", "is"]),
                     ("markup-foreign", 13, ["template", "macro"])], found


def test_backslash_words_are_text_and_a_latex_command_with_an_argument_a_warning(project):
    """Pandoc took any backslash word for raw TeX, which no format of ours prints: a Windows
    path `C:\\Users\\me` became "C:" and `path\\entrypoint every` "path every", in every
    format, without a word. They are text now; `\\newpage` alone is a page break, and a LaTeX
    command with an argument (meant for LaTeX, printed as written) is a warning at its line;
    math keeps its own."""
    from baikonur_pub.dialects import PAGE_BREAK

    root = project("minimal")
    append(root, "en/02-two.md", "\nOpen C:\\Users\\me and the path\\entrypoint every time.\n\n"
                                 "\\newpage\n\nSome \\hl{highlighted} words, $\\frac{a}{b}$.\n\n"
                                 "\\begin{center}\nCentred\n\\end{center}\n")
    pub = config.load(root)
    blocks = editions(pub, ["en"], Pandoc.locate())["en"].ast["blocks"]
    words = " ".join(x["c"] for x in walk(blocks) if x["t"] == "Str")
    assert "C:\\Users\\me" in words and "path\\entrypoint" in words and "\\hl{highlighted}" in words
    assert any(b["t"] == "Div" and b["c"][0][1] == [PAGE_BREAK] for b in blocks)
    assert "\\newpage" not in words
    assert not any(x["t"] in ("RawInline", "RawBlock") for x in walk(blocks))
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = [(f["line"], f["message"].split(" is printed")[0])
             for f in _findings(result, "markup-foreign")]
    assert found == [(9, "LaTeX command \\hl{highlighted}"), (11, "LaTeX command \\begin{center}"),
                     (13, "LaTeX command \\end{center}")]


def test_a_fence_opening_a_block_inside_another_is_a_warning_that_one_is_left_open(project):
    """javascript.info's Italian left a code block unclosed: the next ```` ```js ```` was text
    of it, that block's closing fence closed it, and the paragraph and heading between were
    printed as code, the cross-check finding only missing sections and odd code. The line that
    opens a block inside another is a warning, once a block; a block opened with more
    backticks, to show a fence, is none."""
    found = [(f["line"], f["message"].split(":")[0]) for f in _checked(
        project, "\n```js\nlet a = 1;\n\nThe prose meant after it.\n\n## Lost heading\n\n"
                 "```js\nlet b = 2;\n```\n\n````markdown\n```js\nshown();\n```\n````\n",
        "fence-suspect")]
    assert found == [(12, "```js opens a code block inside the one opened at line 5 with ```")]


HEADINGS_WITHOUT_TEXT = ("\n## []{#only-anchor} {-}\n\nText.\n\n## <span id=\"raw\"></span>\n\n"
                         "Text.\n\n#\n\nText.\n\n## ![](img.png) {#an-image}\n\nText.\n\n"
                         "## ![Launch pad](img.png) {#pad}\n\nText.\n")


def test_a_heading_without_text_is_an_error_of_check_and_build_at_its_line(project):
    """An anchor alone, a raw empty element, `#` alone on its line, an image without text: the
    contents, the PDF's bookmarks and the EPUB's navigation show a section by its text, and the
    EPUB's empty entry was no XHTML EPUBCheck takes (RSC-005 "Anchors within nav elements must
    contain text"). A heading of an image with its text is one."""
    root = project("minimal")
    append(root, "en/02-two.md", HEADINGS_WITHOUT_TEXT)
    png = next((ROOTS / "kitchen-sink/manuscript/en/img").glob("*.png"))
    (root / "manuscript/en/img.png").write_bytes(png.read_bytes())
    found = [(f["line"], f["severity"]) for f in _findings(
        run_cli("check", "--project", str(root), "--format", "json"), "heading-empty")]
    assert found == [(5, "error"), (9, "error"), (13, "error"), (17, "error")]
    built = run_cli("build", "--project", str(root), "--lang", "en", "--format", "epub",
                    "--no-check")
    assert built.exit_code == 1 and not (root / "dist").exists(), built.output
    assert [line for line in built.stderr.splitlines() if "heading has no text" in line] == [
        f"manuscript/en/02-two.md:{n}: heading has no text: the contents and the bookmarks show "
        "a section by its text" for n in (5, 9, 13, 17)]


def test_a_chapter_beginning_with_text_before_any_heading_is_a_warning_at_its_first_line(project):
    """Learn X in Y minutes' pages, titled only in front matter (`name:`), begin with text:
    each ran on under the last section of the page before (the contents showed "Further
    Reading" five times). A warning of the cross-check at the chapter's first line of text;
    a chapter titled in front matter, or the first chapter, is none; such text in one language
    only is its section-extra alone."""
    root = project("minimal")
    chapter = root / "manuscript/en/02-two.md"
    for path, words in ((chapter, "An introduction. Its part"), (
            root / "manuscript/it/02-due.md", "Un'introduzione. La sua parte")):
        intro, part = words.split(". ")
        path.write_text(f"---\nname: two\n---\n\n{intro}.\n\n## {part} {{#sec-part}}\n\nText.\n",
                        encoding="utf-8")
    found = [(f["file"], f["line"], f["severity"]) for f in _findings(
        run_cli("check", "--project", str(root), "--format", "json"), "chapter-untitled")]
    assert sorted(found) == [("manuscript/en/02-two.md", 5, "warning"),
                             ("manuscript/it/02-due.md", 5, "warning")]
    said = run_cli("check", "--project", str(root)).output
    assert "manuscript/en/02-two.md:5: warning: chapter begins with text before any heading" in said
    chapter.write_text("---\ntitle: Two\n---\n\nAn introduction.\n", encoding="utf-8")
    assert not _findings(run_cli("check", "--project", str(root), "--format", "json"),
                         "chapter-untitled")


def test_a_skipped_heading_level_and_a_typed_section_number_are_warnings_at_their_lines(project):
    """A course's quiz typed `### 3. Question` right under its `#`: printed "1.0.1 3. Question",
    a level lost in the contents, the bookmarks and to screen readers. Each a warning at the
    heading's line; one level down at a time, an unnumbered heading, and a heading opening
    with a year are none."""
    text = ("\n### 3. Which rocket? {#sec-q3}\n\n#### Answer {#sec-a3}\n\n"
            "## 2020 in review {#sec-y}\n\n#### 4) Costs {#sec-c}\n\n##### 1.2 Scope {#sec-s}\n\n"
            "## Annex {#sec-x .unnumbered}\n\n#### 5. Within it {#sec-w}\n")
    root = project("minimal")
    append(root, "en/02-two.md", text)
    said = run_cli("check", "--project", str(root), "--format", "json")
    skipped = _findings(said, "heading-skipped")
    assert [(f["file"], f["line"], f["severity"]) for f in skipped] == [
        ("manuscript/en/02-two.md", line, "warning") for line in (5, 11)]
    assert "'3. Which rocket?' is more than one level under" in skipped[0]["message"]
    numbered = _findings(said, "heading-numbered")
    assert [(f["line"], re.search(r"sections \((.*)\): leave", f["message"])[1])
            for f in numbered] == [(5, "'2.0.1 3. Which rocket?'"), (11, "'2.1.0.1 4) Costs'"),
                                   (13, "'2.1.0.1.1 1.2 Scope'")]
