"""MDX read as an MDX site shows it (`dialects.mdx`): JSX components whose tags stand alone on
their lines wrap Markdown the page shows, as react.dev's pages write them. The samples are our
own, written in MDX's syntax."""

from __future__ import annotations

import pytest

from baikonur_pub.ast import walk
from conftest import append, edition_with, run_cli, words_of
from test_images import PNG


def _divs(blocks) -> list:
    return [(el["c"][0][1], words_of(el["c"][1])) for el in walk(blocks) if el["t"] == "Div"]


def test_components_alone_on_their_lines_wrap_what_the_page_shows(project):
    """A capitalised tag is a component, not HTML: `<Intro>` … `</Intro>` was refused as raw
    HTML, a refusal per tag, and a chapter of the React docs built nothing."""
    edition = edition_with(project("minimal"), (
        "<Intro>\n\nPlants need *light*.\n\n</Intro>\n\n"
        "<Pitfall>\n\nNever water at noon.\n\n</Pitfall>\n\n"
        "<Note>\n\nSoil matters.\n\n</Note>\n\n"
        "<Callout type=\"tip\">\n\nMulch.\n\n</Callout>\n\n"
        "<DeepDive>\n\n#### Why roots grow down {/*roots-down*/}\n\nGravity.\n\n</DeepDive>\n\n"
        "<ConsoleBlock level=\"error\">\n\nPot too small.\n\n</ConsoleBlock>\n\n"
        "<Garden flip size={{rows: 2}}>\n\n<Bed>\n\nTomatoes.\n\n</Bed>\n\n</Garden>\n"))
    blocks = edition.ast["blocks"]
    divs = _divs(blocks)
    assert (["intro", "component"], "Plants need light.") in divs
    assert (["callout", "callout-warning"], "WarningNever water at noon.") in divs
    assert (["callout", "callout-note"], "NoteSoil matters.") in divs
    assert (["callout", "callout-tip"], "TipMulch.") in divs  # Nextra's Callout, by its type
    assert (["console-block", "component"], "Pot too small.") in divs
    assert (["garden", "component"], "Tomatoes.") in divs
    assert (["bed", "component"], "Tomatoes.") in divs
    (deep,) = [el for el in walk(blocks) if el["t"] == "Div" and el["c"][0][1][0] == "deep-dive"]
    heading = deep["c"][1][0]
    assert heading["t"] == "Header" and heading["c"][1][0] == "roots-down"
    # an aside's heading, unnumbered as the site shows it (it was "2.1" under the chapter)
    assert "unnumbered" in heading["c"][1][1]
    assert [h.number for h in edition.headings if h.id == "roots-down"] == [""]
    assert words_of(heading["c"][2]) == "Why roots grow down"
    assert "<" not in words_of(blocks) and "{/*" not in words_of(blocks)


def test_a_component_without_content_is_left_out_with_a_warning(project):
    """What `<Diagram name="x" />` draws only the site's code knows: the book leaves it out
    and says so at its line."""
    edition = edition_with(project("minimal"), 'Before.\n\n<Diagram name="pots" height={250} />\n'
                           "\nAfter.\n")
    assert "Diagram" not in words_of(edition.ast["blocks"])
    foreign = [n for n in edition.notices if n[0] == "markup-foreign"]
    assert len(foreign) == 1 and "<Diagram />" in foreign[0][3]
    lines = edition.files[-1].path.read_text().split("\n")
    assert lines[foreign[0][2] - 1].startswith("<Diagram")


def test_a_component_never_closed_or_inline_is_still_refused_at_its_line(project):
    """Only a pair of tags alone on their lines is read: an opening tag never closed, or a
    component in a paragraph's text, stays raw HTML, refused where written."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n<Box>\n\nOpen forever.\n\nA <Chip>word</Chip> here.\n")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code != 0
    lines = (root / "manuscript/en/02-two.md").read_text().split("\n")
    box, chip = lines.index("<Box>") + 1, lines.index("A <Chip>word</Chip> here.") + 1
    assert f"02-two.md:{box}: raw HTML <box>" in result.output
    assert f"02-two.md:{chip}: raw HTML <chip>" in result.output


@pytest.mark.parametrize("info, classes, name", [
    ("js src/App.js active", ["js"], "src/App.js"), ("json package.json", ["json"], "package.json"),
    ("js {expectedErrors: {'lint': [7]}}", ["js"], None), ("js {2,3}", ["js"], None),
    ("js{2} [app.js]", ["js"], "app.js"),
])
def test_a_fence_names_its_file_as_sandpack_does_and_its_braces_hold_no_title(
        project, info, classes, name):
    """react.dev's Sandpack writes the file after the language (```` ```js src/App.js ````):
    the name was dropped; its options in braces, `{expectedErrors: {…: [7]}}`, gave the block
    the file name "7" (read as VitePress' `[title]`)."""
    edition = edition_with(project("minimal"), f"```{info}\nlet a = 1;\n```\n\nAfter.\n")
    found = []
    for el in walk(edition.ast["blocks"]):
        if el["t"] == "Div" and "code-with-filename" in el["c"][0][1]:
            title, code = el["c"][1]
            found.append((code["c"][0][1], words_of([title]) or None))
        elif el["t"] == "CodeBlock" and not found:
            found.append((el["c"][0][1], None))
    assert found == [(classes, name)]


def test_a_tag_with_jsx_attributes_is_the_element_html_would_read(project):
    """`<img src="…" style={{margin: 0}} />`, as MDX writes it, is no tag to an HTML reader:
    pandoc printed it as text in every format and the image was lost (and the cross-check
    called the paragraph untranslated). A literal in braces is the attribute's value, any
    other expression left out (`style` silently: only the page's look); in code it stays."""
    root = project("minimal")
    (root / "manuscript/en/pot.png").write_bytes(PNG)
    edition = edition_with(root, '<img src="pot.png" alt={"A pot"} width={300} '
                           "style={{margin: '0 auto'}} />\n\n"
                           '<a href="#sec-two" onClick={() => go(1)}>Go</a>, keep '
                           "`<Pot size={2} />` as written.\n")
    blocks = edition.ast["blocks"]
    (image,) = [el for el in walk(blocks) if el["t"] == "Image"]
    assert image["c"][2][0].endswith("pot.png") and words_of(image["c"][1]) == "A pot"
    assert ["width", "300"] in image["c"][0][2]
    words = words_of(blocks)
    assert "style" not in words and "img" not in words and "Go" in words
    assert [el["c"][1] for el in walk(blocks) if el["t"] == "Code"] == ["<Pot size={2} />"]
    foreign = [n[3] for n in edition.notices if n[0] == "markup-foreign"]
    assert len(foreign) == 1 and "onClick" in foreign[0]



def test_closing_tags_of_no_open_component_are_told_without_reading_the_open_ones():
    """2,000 `<Box>` never closed, then 2,000 `</Other>`: each closing tag was looked for among
    the open tags one by one (20,000 of each: 14 s of a build). Unpaired, all stay as written
    (raw HTML, refused at their lines); a pair inside them is still read."""
    from baikonur_pub.dialects import mdx

    out = ["<Box>"] * 2_000 + ["<Tip>", "</Tip>"] + ["</Other>"] * 2_000
    components, reads = mdx.Components(out), []

    class Counted(list):
        def __iter__(self):
            reads.append(1)
            return super().__iter__()

    components.open = Counted()
    for number in range(len(out)):
        components.take(number, number + 1, [])
    assert not reads
    assert out[:2_000] == ["<Box>"] * 2_000 and out[-1] == "</Other>"
    assert out[2_000:2_002] == ["::: {.callout-tip}", ":::"]


def test_a_tag_spread_over_several_lines_is_read_as_one_line_would_be(project):
    """`<Banner\\n  chapter={1}\\n/>`, as the Hugging Face course writes its banners and
    quizzes: only a tag on one line was a component, so this one was refused as raw HTML, or,
    with braces on its first line, printed as text; a `<a href=\\"…\\">` in a JS string of its
    attributes was read as a link holding backslashes."""
    root = project("minimal")
    edition = edition_with(root, (
        "<Banner\n    chapter={1}\n    classNames=\"absolute > z-10\"\n/>\n\n"
        "<Quiz choices={[\n  {\n    text: \"Soil {wet}\",\n"
        "    explain: \"See <a href=\\\"https://example.org/x\\\">the page</a>.\"\n  },\n"
        "  {text: `a ${'}'} b`, correct: true}\n]} />\n\n"
        "<Switch {fw} />\n\n<Note\n  title=\"Careful\"\n>\n\nWater *slowly*.\n\n</Note>\n\n"
        "After the quiz.\n"))
    blocks = edition.ast["blocks"]
    words = words_of(blocks)
    assert "Banner" not in words and "Quiz" not in words and "Switch" not in words
    assert "Soil" not in words and "classNames" not in words and "fw" not in words
    assert (["callout", "callout-note"], "CarefulWater slowly.") in _divs(blocks)
    foreign = sorted((n[2], n[3].split()[2]) for n in edition.notices if n[0] == "markup-foreign")
    lines = edition.files[-1].path.read_text().split("\n")
    assert [(lines[at - 1], name) for at, name in foreign] == [
        ("<Banner", "<Banner"), ("<Quiz choices={[", "<Quiz"), ("<Switch {fw} />", "<Switch")]
    (after,) = [b for b in blocks if words_of([b]) == "After the quiz."]
    assert run_cli("check", "--project", str(root)).exit_code == 0


class _Counted:
    """A compiled pattern whose calls are counted (a pattern's own methods cannot be patched)."""

    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def search(self, *args):
        self.calls += 1
        return self.pattern.search(*args)

    def match(self, *args):
        self.calls += 1
        return self.pattern.match(*args)


def test_tags_over_several_lines_are_read_in_one_pass(monkeypatch):
    """20,000 tags of three lines, 20,000 quizzes, 2,000 tags that never end in one paragraph,
    then 20,000 tags whose braces never close: each line is searched once for the marks that
    matter (quotes, braces, `>`), counted. A tag that never ends runs to the blank line or the
    chapter's end: the tags up to there are inside it, never read again (2,000 such tags were
    searched 2 million times, 8,000 took 66 s)."""
    from baikonur_pub.dialects import mdx

    searches = [_Counted(p) for p in mdx._NEXT]
    monkeypatch.setattr(mdx, "_NEXT", tuple(searches))
    quiz = ["<Question", "  choices={[{text: 'a', explain: 'b'},", "  {text: 'c'}]}", "/>"]
    out = (["<Banner", "  chapter={1}", "/>"] * 20_000 + quiz * 20_000
           + ["<Box x"] * 2_000 + ["", "Text."] + ["<Box a={[", "  {text: 'x'"] * 20_000)
    marks = sum(line.count(mark) for line in out for mark in "\"'`{}>")
    components, notices = mdx.Components(out), []
    for number in range(len(out)):
        components.take(number, number + 1, notices)
    assert sum(s.calls for s in searches) <= marks + len(out)
    assert len(notices) == 20_000 and out[:3] == ["", "", ""]
    assert out[60_000:60_004] == ["- [ ] a^[b]", "- [ ] c", "", ""]
    assert out[140_000:140_003] == ["<Box x"] * 3
    assert out[142_002:142_004] == ["<Box a={[", "  {text: 'x'"]


def test_a_conditional_block_shows_one_framework_in_every_block(project):
    """`{#if fw === 'pt'}` … `{:else}` … `{/if}`, as the Hugging Face course writes a page for
    two frameworks: pandoc printed the braces and both branches (and the cross-check compared
    an English page of one framework with an Italian page of two). The first value compared
    is the chapter's: every block shows it, `fw === 'tf'` later too; code keeps its braces."""
    edition = edition_with(project("minimal"), (
        "{#if fw === 'pt'}\n\nPots of *clay*.\n\n{:else}\n\nPots of tin.\n\n{/if}\n\n"
        "{#if fw === 'tf'}\nTin again.\n{:else if fw === 'pt'}\n```python\nclay = 1\n```\n"
        "{:else}\nNeither.\n{/if}\n\n"
        "```svelte\n{#if open}\nShown as written.\n{/if}\n```\n\n"
        "{#if compact}\nFirst branch.\n{:else}\nSecond branch.\n{/if}\n\n"
        "> [!TIP]\n> {#if fw === 'pt'}\n>\n> Quoted clay.\n>\n> {:else}\n>\n> Quoted tin.\n>\n> {/if}\n"
        ">\n> Both.\n\nAfter.\n"))
    blocks = edition.ast["blocks"]
    words = words_of(blocks)
    assert "Pots of clay." in words and "First branch." in words and "After." in words
    assert "Pots of tin" not in words and "Tin again" not in words
    assert "Neither" not in words and "Second branch" not in words
    (tip,) = [el for el in walk(blocks) if el["t"] == "Div" and "callout-tip" in el["c"][0][1]]
    assert words_of([tip]) == "TipQuoted clay.Both."
    assert "{:else}" not in words and "{/if}" not in words and "fw" not in words
    codes = [el["c"][1] for el in walk(blocks) if el["t"] == "CodeBlock"]
    assert codes == ["clay = 1", "{#if open}\nShown as written.\n{/if}"]


@pytest.mark.parametrize("text, what", [
    ("{#if fw === 'pt'}\n\nNever closed.\n", "{#if} block never closed by {/if}"),
    ("Text.\n\n{:else}\n\nMore.\n", "{:else} outside any {#if} block"),
    ("{/if}\n", "{/if} outside any {#if} block"),
])
def test_a_conditional_block_left_open_is_an_error_at_its_line(project, text, what):
    root = project("minimal")
    append(root, "en/02-two.md", "\n" + text)
    result = run_cli("check", "--project", str(root))
    lines = (root / "manuscript/en/02-two.md").read_text().split("\n")
    at = next(n for n, line in enumerate(lines, 1) if line.startswith("{"))
    assert result.exit_code == 1 and f"02-two.md:{at}: {what}" in result.output
    assert "Traceback" not in result.output


def test_a_heading_id_in_double_brackets_is_the_headings_id(project):
    """Hugging Face's doc-builder writes a heading's ID glued to its text,
    `## Working with pipelines[[working-with-pipelines]]`: the brackets were printed in the
    heading, the contents and every cross-check finding's section name, and no link could
    land on the ID."""
    edition = edition_with(project("minimal"), (
        "## Working with *pipes*[[working-with-pipes]]\n\nSee [above](#working-with-pipes).\n\n"
        "## Notes [[not-an-id]]\n\nText.\n"))
    headers = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Header"]
    found = {words_of(el["c"][2]): el["c"][1][0] for el in headers}
    assert found["Working with pipes"] == "working-with-pipes"
    assert "Notes [[not-an-id]]" in found  # apart from the text: a wiki link's, left alone


def test_a_quiz_lists_its_choices_as_boxes_each_explanation_a_note(project):
    """The Hugging Face course's `<Question choices={[…]} />`: left out as any component
    without content, a quiz was its question alone. Its choices are JavaScript literals, read
    (never run): a task list, each explanation a note on its choice; a quiz holding anything
    else is left out as before, with its warning."""
    root = project("minimal")
    edition = edition_with(root, (
        "Which pot?\n\n<Question\n\tchoices={[\n\t\t{\n\t\t\ttext: \"A <code>clay</code> pot\",\n"
        "\t\t\texplain: \"See <a href=\\\"#sec-two\\\">the guide</a> [or not].\",\n"
        "\t\t\tcorrect: true\n\t\t},\n\t\t{\n\t\t\t'text': 'Tin, \\'shiny\\'',\n\t\t},\n\t]}\n/>\n\n"
        "Which soil?\n\n<Question\n  choices={[{text: pick()}]}\n/>\n\nAfter.\n"))
    blocks = edition.ast["blocks"]
    (choices,) = [el["c"] for el in walk(blocks) if el["t"] == "BulletList"]
    assert [words_of(item)[:2] for item in choices] == ["☐ ", "☐ "]
    assert words_of(choices[0]).startswith("☐ A clay pot")
    notes = [words_of(el["c"]) for el in walk(blocks) if el["t"] == "Note"]
    assert notes == ["See the guide [or not]."]
    assert words_of(choices[1]) == "☐ Tin, ‘shiny’"
    assert any(el["t"] == "Link" and el["c"][2][0] == "#sec-two" for el in walk(blocks))
    foreign = [n for n in edition.notices if n[0] == "markup-foreign"]
    assert len(foreign) == 1 and "<Question />" in foreign[0][3]
    assert "pick" not in words_of(blocks) and "After." in words_of(blocks)
    assert run_cli("check", "--project", str(root)).exit_code == 0


def test_a_tip_flagged_warning_is_a_warning_and_a_boolean_is_no_code(project):
    """Hugging Face's doc-builder writes a warning as `<Tip warning={true}>`: it was a tip,
    and `{true}` was taken for code ("JSX attribute warning={true} is not read"). A boolean
    in braces is a literal: HTML's boolean attribute, there for `true`, absent for `false`."""
    root = project("minimal")
    (root / "manuscript/en/pot.png").write_bytes(PNG)
    edition = edition_with(root, (
        "<Tip>\n\nA tip.\n\n</Tip>\n\n<Tip warning={true}>\n\nHot.\n\n</Tip>\n\n"
        "<Tip\n  warning={true}\n>\n\nSharp.\n\n</Tip>\n\n<Tip warning>\n\nWet.\n\n</Tip>\n\n"
        '<img src="pot.png" alt="A pot" hidden={false} />\n'))
    divs = _divs(edition.ast["blocks"])
    assert (["callout", "callout-tip"], "TipA tip.") in divs
    for text in ("Hot.", "Sharp.", "Wet."):
        assert (["callout", "callout-warning"], "Warning" + text) in divs
    assert not [n for n in edition.notices if n[0] == "markup-foreign"]
    (image,) = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Image"]
    assert "hidden" not in [k for k, _ in image["c"][0][2]]


def test_twenty_thousand_conditional_blocks_are_read_in_one_pass(monkeypatch):
    """A block's branches are chosen as its lines are reached: each line looked at once (the
    patterns of a block's line and of a quote's marks, counted), no search ahead or behind."""
    from baikonur_pub.dialects import svelte

    looks = {name: _Counted(getattr(svelte, name)) for name in ("_BLOCK", "_QUOTE")}
    for name, counted in looks.items():
        monkeypatch.setattr(svelte, name, counted)
    lines = ["{#if fw === 'pt'}", "{#if deep}", "A.", "{/if}", "{:else}", "```", "{/if}", "```",
             "B.", "{/if}"] * 20_000
    shown = svelte.choose(lines, "x.md")
    assert all(counted.calls <= len(lines) for counted in looks.values())
    assert shown[:10] == ["", "", "A.", "", "", "", "", "", "", ""]


def test_publication_yaml_chooses_the_framework_every_block_shows(project):
    """`conditions: {fw: tf}` shows the TensorFlow branches, where the first value a chapter
    compares (`pt`) would have been shown; a name that is no JavaScript name is refused at its
    line of publication.yaml."""
    root = project("minimal")
    config = root / "manuscript/publication.yaml"
    config.write_text(config.read_text() + "conditions:\n  fw: tf\n")
    edition = edition_with(root, "{#if fw === 'pt'}\n\nTorch.\n\n{:else}\n\nFlow.\n\n{/if}\n")
    words = words_of(edition.ast["blocks"])
    assert "Flow." in words and "Torch." not in words
    config.write_text(config.read_text() + "  fw-2: pt\n")
    result = run_cli("check", "--project", str(root))
    at = config.read_text().split("\n").index("  fw-2: pt") + 1
    assert result.exit_code == 1 and f"publication.yaml:{at}:" in result.output
    assert "must be a JavaScript name" in result.output
