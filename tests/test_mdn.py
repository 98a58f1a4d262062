"""MDN Web Docs' Markdown read as MDN shows it (`dialects.mdn`): its KumaScript macros, its
definition lists, its hidden live-sample code, its notes as it wrote them before GitHub's marks.
The samples are our own, written in MDN's syntax."""

from __future__ import annotations

from baikonur_pub.ast import walk
from conftest import edition_with, words_of


def test_kumascript_macros_show_their_text_furniture_vanishes_and_live_samples_warn(project):
    """Pandoc printed `{{jsxref("Array.prototype.map()")}}` and `{{HTMLSidebar}}` as written,
    in every format: MDN shows the first as linked code, the second as its side bar."""
    edition = edition_with(project("minimal"), (
        "{{FruitSidebar}}\n\n"
        "The {{jsxref(\"Array.prototype.map()\")}} method, {{jsxref(\"Array/forEach\", \"forEach\")}}, "
        "the {{HTMLElement(\"kiwi\")}} element and a {{Glossary(\"Orchard\", \"grove\")}}.\n\n"
        "- `seeds` {{optional_inline}}\n\n"
        "See {{interwiki(\"wikipedia\", \"Plum_(fruit)\", \"plums\")}}.\n\n"
        "Keep `{{jsxref(\"Kept\")}}` as written.\n\n"
        "{{EmbedLiveSample('Picking_plums', '100%', 240)}}\n\n"
        "{{PreviousMenu(\"Orchard/Basics\", \"Orchard\")}}\n"))
    blocks = edition.ast["blocks"]
    code = [el["c"][1] for el in walk(blocks) if el["t"] == "Code"]
    assert code == ["Array.prototype.map()", "forEach", "<kiwi>", "seeds", '{{jsxref("Kept")}}']
    words = words_of(blocks)
    assert "grove" in words and "Orchard" not in words and "Optional" in words
    assert words.count("{{") == 1  # the one in a code span, as written
    assert [el["c"][2][0] for el in walk(blocks) if el["t"] == "Link"][-1] == \
        "https://en.wikipedia.org/wiki/Plum_%28fruit%29"
    foreign = [(n[2], n[3]) for n in edition.notices if n[0] == "markup-foreign"]
    assert len(foreign) == 1 and "live sample" in foreign[0][1]
    assert foreign[0][0] == _line_of(project, edition, "EmbedLiveSample")


def _line_of(project, edition, needle: str) -> int:
    path = edition.files[-1].path
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if needle in line)


def test_macros_in_a_raw_html_table_indented_as_prettier_writes_it_are_read(project):
    """A raw HTML block's lines, indented under its first, are no indented code: the macros in
    its cells were printed as written."""
    edition = edition_with(project("minimal"), (
        "<table>\n  <tbody>\n    <tr>\n      <th>Interface</th>\n"
        "      <td>{{domxref(\"PlumElement\")}}</td>\n    </tr>\n  </tbody>\n</table>\n\n"
        "    {{jsxref(\"IndentedCode\")}}\n"))
    blocks = edition.ast["blocks"]
    assert "PlumElement" in [el["c"][1] for el in walk(blocks) if el["t"] == "Code"]
    assert [el["c"][1] for el in walk(blocks) if el["t"] == "CodeBlock"][-1] == \
        '{{jsxref("IndentedCode")}}'


def test_mdn_definition_lists_are_definition_lists_and_a_linked_term_has_its_id(project):
    """MDN writes a term and its definition as `- term` then `  - : definition`: pandoc made
    bulleted lists whose items began with a colon, and `[…](#pits)`, which MDN resolves to the
    term's ID, was an error."""
    edition = edition_with(project("minimal"), (
        "- `pits` {{deprecated_inline}}\n"
        "  - : The stones of a plum. See also [stones](#stones).\n"
        "    - `hard`\n"
        "      - : Not to be eaten.\n"
        "- `stones`\n\n"
        "  - : The same [pits](#pits).\n\n"
        "Then a plain list:\n\n- a plain list\n- of two items\n"))
    blocks = edition.ast["blocks"]
    lists = [el for el in walk(blocks) if el["t"] == "DefinitionList"]
    assert len(lists) == 2  # the outer one and the nested one
    outer = lists[0]["c"]
    assert [words_of(term and [{"t": "Plain", "c": term}]) for term, _ in outer] == \
        ["pits Deprecated", "stones"]
    assert words_of(outer[0][1][0]).startswith("The stones of a plum.")
    spans = [el["c"][0][0] for el in walk(blocks) if el["t"] == "Span" and el["c"][0][0]]
    assert spans == ["pits", "stones"]
    assert not any(":" == el.get("c") for el in walk(blocks) if el["t"] == "Str")
    assert any(el["t"] == "BulletList" for el in walk(blocks))  # the plain list stays one


def test_code_mdn_hides_is_left_out_and_js_nolint_is_javascript(project):
    """MDN shows none of a ```` ```css hidden ```` block (it feeds a live sample): the book
    printed it; ```` ```js-nolint ```` was code of a language named `js-nolint`, set plain."""
    edition = edition_with(project("minimal"), (
        "```css hidden\n.plum { color: purple; }\n```\n\n"
        "```html hidden\n<p>hidden</p>\n```\n\n"
        "```js-nolint\npick(plum)\n```\n\n## After the code {#sec-after}\n"))
    blocks = edition.ast["blocks"]
    code = [(el["c"][0][1], el["c"][1]) for el in walk(blocks) if el["t"] == "CodeBlock"]
    assert code == [(["js"], "pick(plum)")]
    after = next(h for h in edition.headings if h.id == "sec-after")
    assert after.line == _line_of(project, edition, "## After the code")  # lines keep their numbers


def test_a_quote_opening_with_its_kind_in_bold_is_a_callout_titled_as_written(project):
    """MDN wrote its notes `> **Note:** …` (in French `> **Note :**`) before GitHub's
    `> [!NOTE]`, and GitHub's first alerts were `> **Warning**`: each was a plain quote."""
    edition = edition_with(project("minimal"), (
        "> **Note:** Plums are stone fruit.\n\n"
        "> **Attention :** Les noyaux.\n\n"
        "> **Warning**\n> Mind the pits.\n\n"
        "> **Plums** are purple.\n"))
    blocks = edition.ast["blocks"]
    boxes = [el for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [(b["c"][0][1][1], words_of(b["c"][1][:1]), words_of(b["c"][1][1:])) for b in boxes] == [
        ("callout-note", "Note", "Plums are stone fruit."),
        ("callout-important", "Attention", "Les noyaux."),
        ("callout-warning", "Warning", "Mind the pits.")]
    assert sum(el["t"] == "BlockQuote" for el in walk(blocks)) == 1  # bold, not a kind


def test_a_note_inside_a_definition_is_a_callout(project):
    """A note in a definition (MDN's deprecated attributes each hold one; pandoc's own
    definition lists too) stayed a plain quote: the callouts were looked for in every block
    that holds blocks but a definition."""
    edition = edition_with(project("minimal"), (
        "- `pits`\n\n  - : The stones.\n\n    > **Note:** Not to be eaten.\n\n"
        "Plums\n:   Purple.\n\n    > [!TIP]\n    > Ripe in August.\n"))
    boxes = [el for el in walk(edition.ast["blocks"])
             if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [(b["c"][0][1][1], words_of(b["c"][1][1:])) for b in boxes] == [
        ("callout-note", "Not to be eaten."), ("callout-tip", "Ripe in August.")]


def test_many_indented_lines_with_macros_are_read_in_linear_time():
    """Whether an indented line holding `{{` was indented code was found by searching the
    lines above it, line by line: 2,000 such lines under a paragraph took 168 s (a hostile
    chapter may hold 4 MB of them)."""
    import time

    from baikonur_pub.dialects import lines

    written = ["Text"] + ['    {{jsxref("Plum")}} x'] * 600
    start = time.perf_counter()
    read = lines._rewrite(written, 0, [])
    assert time.perf_counter() - start < 1.0
    assert read[1] == "    `Plum` x"  # under text: no code, so read
