"""A chapter's front matter, as sources written for Jekyll, Hugo, Quarto or MkDocs carry it:
its title is the chapter's heading, its language must be the edition's, the rest is set aside
(a cross-check warning), and every line after it keeps its number."""

from __future__ import annotations

import json
import zipfile

import pytest

from baikonur_pub import config
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import draft, parsed, run_cli

FRONT = {
    "en/01-one.md": ("# First chapter {#sec-one}", "---\nlang: en-GB\ntitle: 'From the *front* matter'\n"
                     "description: A line a site generator shows\norder: 1\n---\n"),
    "it/01-uno.md": ("# Primo capitolo {#sec-one}", "---\ntitle: Dalla front matter\nlang: it\n---\n"),
}


def with_front_matter(root):
    for rel, (old, new) in FRONT.items():
        path = root / "manuscript" / rel
        path.write_text(new + path.read_text(encoding="utf-8").replace(old, old.replace("#", "##", 1)),
                        encoding="utf-8")
    return root


def test_the_title_is_the_chapters_heading_on_the_line_of_its_key(project):
    root = with_front_matter(project("minimal"))
    eds = parsed(root)
    first = eds["en"].headings[0]
    assert (first.title, first.level, first.line, first.file) == (
        "From the front matter", 1, 3, "manuscript/en/01-one.md")
    assert eds["en"].headings[1].title == "First chapter" and eds["en"].headings[1].level == 2
    assert eds["it"].headings[0].title == "Dalla front matter" and eds["it"].headings[0].line == 2


@pytest.mark.parametrize("heading", ["# Its own title {#sec-one}", "Its own title\n============="])
def test_a_chapter_with_its_own_title_keeps_it_and_the_front_matters_names_the_page(project,
                                                                                     heading):
    """Docusaurus and Jekyll pages carry a `title` and open with `# Title` too: one chapter,
    not an empty one of the front matter's title and then the chapter."""
    root = project("minimal")
    path = root / "manuscript/en/01-one.md"
    text = path.read_text(encoding="utf-8").replace("# First chapter {#sec-one}", heading)
    path.write_text("---\ntitle: The page's name\n---\n\n" + text, encoding="utf-8")
    pub = config.load(root)
    heads = editions(pub, ["en"], Pandoc.locate())["en"].headings
    assert [(h.title, h.level, h.line) for h in heads][0] == ("Its own title", 1, 5)
    assert "The page's name" not in [h.title for h in heads]


def test_other_keys_are_a_warning_and_later_lines_keep_their_numbers(project):
    root = with_front_matter(project("minimal"))
    path = root / "manuscript/en/01-one.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSee [there](#nowhere).\n", encoding="utf-8")
    result = run_cli("check", "--project", str(root), "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    ignored = [f for f in findings if f["code"] == "front-matter-ignored"]
    assert [(f["file"], f["line"], f["severity"]) for f in ignored] == [
        ("manuscript/en/01-one.md", 1, "warning")]
    assert "description, order" in ignored[0]["message"]
    (anchor,) = [f for f in findings if f["code"] == "anchor-unresolved"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[anchor["line"] - 1] == "See [there](#nowhere)."


@pytest.mark.slow
def test_the_epub_shows_the_front_matter_title_and_nothing_else_of_it(project):
    root = with_front_matter(project("minimal"))
    epub = draft(root, "en", "epub") / "sample-en.epub"
    with zipfile.ZipFile(epub) as archive:
        text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                       if n.endswith((".xhtml", ".ncx")))
    assert "From the <em>front</em> matter" in text
    assert "A line a site generator shows" not in text and "en-GB" not in text


def test_a_title_naming_an_element_is_text_not_raw_html(project):
    """MDN's pages are titled `"<table>: The Table element"`: read as Markdown, the `<table>`
    was raw HTML never closed, and the chapter was refused. A site shows it as text."""
    root = project("minimal")
    path = root / "manuscript" / "en" / "01-one.md"
    text = path.read_text(encoding="utf-8")
    path.write_text('---\ntitle: "<table>: The Table element"\n---\n'
                    + text.replace("# ", "## ", 1), encoding="utf-8")
    pub = config.load(root)
    first = editions(pub, ["en"], Pandoc.locate())["en"].headings[0]
    assert (first.title, first.level, first.line) == ("<table>: The Table element", 1, 2)
