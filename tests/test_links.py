"""Links checked as a whole: internal anchors resolve, links to files are published or refused."""

from __future__ import annotations

import re

import pytest

from baikonur_pub import config
from baikonur_pub.ast import walk
from baikonur_pub.errors import PublishError
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import append, run_cli


def _targets(root, code="en"):
    edition = editions(config.load(root), (code,), Pandoc.locate())[code]
    return [el["c"][2][0] for el in walk(edition.ast["blocks"]) if el["t"] == "Link"]


def _published(project, base_url: str, text: str):
    """A copy of the minimal sample publishing its files at `base_url`, `text` added to its
    first English chapter."""
    root = project("minimal")
    cfg = root / "manuscript/publication.yaml"
    cfg.write_text(cfg.read_text() + f"links:\n  base-url: {base_url}\n")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + text)
    return root


def test_links_to_files_are_rewritten_against_the_base_url(project):
    root = _published(project, "https://example.org/book",
                      "\nSee [notes](notes/a.md#part) and [top](/README.md).\n")
    targets = _targets(root)
    assert "https://example.org/book/en/notes/a.md#part" in targets
    assert "https://example.org/book/README.md" in targets


def test_a_published_link_keeps_its_query(project):
    root = _published(project, "https://example.org/",
                      "\nSee [all](/docs/glossary/?all=true#term-pod) and [q](/search/?q=pod).\n")
    assert _targets(root)[-2:] == ["https://example.org/docs/glossary/?all=true#term-pod",
                                   "https://example.org/search/?q=pod"]


def test_a_link_leaving_the_manuscript_is_never_published_and_says_what_to_write(project):
    root = _published(project, "https://example.org/book", "\nSee [secret](../../../etc/passwd).\n")
    with pytest.raises(PublishError, match=r"5: link to '../../../etc/passwd' points at a page .*"
                       r"give a web address: links.base-url publishes only what lies inside "
                       r"the manuscript folder, and this leaves it$"):
        _targets(root)


def test_site_paths_keep_the_base_path_once_and_their_trailing_slash(project):
    """A Docusaurus site under /web-map-doc/ links `/web-map-doc/docs/layer/`: published as
    `https://maps4html.org/web-map-doc/docs/layer/`, not with the base path twice and the
    page's slash dropped."""
    root = _published(project, "https://maps4html.org/web-map-doc/",
                      "\nSee [layer](/web-map-doc/docs/layer/), [viewer](/docs/viewer/#api) and "
                      "[file](guide.md).\n")
    assert _targets(root)[-3:] == ["https://maps4html.org/web-map-doc/docs/layer/",
                                   "https://maps4html.org/web-map-doc/docs/viewer/#api",
                                   "https://maps4html.org/web-map-doc/en/guide.md"]


def test_internal_links_to_headings_figures_and_references_resolve(project):
    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\nSee [two](#sec-two), [the span](#here) and "
                       "[Rossi](#ref-rossi2020). [marked]{#here}\n")
    assert {"#sec-two", "#here", "#ref-rossi2020"} <= set(_targets(root))


def test_an_anchor_in_another_case_resolves_as_on_github_and_names_the_exact_id(project):
    """A real translated guide links `#Основы` to the heading `## Основы` (pandoc's ID
    `основы`): GitHub matches regardless of case, so the link works there and must here."""
    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\n## Основы\n\nSee [the basics](#Основы).\n")
    assert "#основы" in _targets(root)


def test_a_heading_pandoc_names_like_its_notes_or_references_is_renamed_and_links_follow(project):
    """`# Footnotes` gets pandoc's ID `footnotes`, which its list of notes has too (and
    `# References` citeproc's): such a heading gets the next free ID, as pandoc names a second
    heading of the same text, and the links to it follow, in any case."""
    root = project("minimal")
    chapter = root / "manuscript/en/02-two.md"
    chapter.write_text(chapter.read_text() + "\n# References\n\nSee [notes](#Footnotes).\n\n"
                       "# Footnotes\n\nA note.[^n]\n\n[^n]: N.\n\n# Ref-cards\n\nCards.\n")
    edition = editions(config.load(root), ("en",), Pandoc.locate())["en"]
    ids = [el["c"][1][0] for el in walk(edition.ast["blocks"]) if el["t"] == "Header"]
    assert ids == ["sec-one", "sec-two", "references-1", "footnotes-1", "section-ref-cards",
                   "bibliography"]  # the last: the reference list's own heading
    assert "#footnotes-1" in _targets(root)


def test_an_id_the_manuscript_gives_among_the_generated_ones_is_a_located_error(project):
    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\n# Notes {#footnotes}\n\nText.\n")
    with pytest.raises(PublishError) as caught:
        editions(config.load(root), ("en",), Pandoc.locate())
    assert caught.value.format_message() == (
        f"manuscript/en/01-one.md:{len(chapter.read_text().splitlines()) - 2}: ID '#footnotes' is "
        "reserved for the generated reference list and notes: choose another")


def test_a_link_to_another_chapter_file_is_a_link_into_the_book(project):
    """A guide written for GitHub links its chapters by file (`02-two.md`, `02-two.md#Later`):
    the link leads to the chapter's first heading, or to the ID its fragment names (in any
    letter case, as GitHub matches), even with a base URL for other files; a fragment that
    names nothing is an error at its line; the cross-check sees where it leads."""
    root = _published(project, "https://example.org/book",
                      "\nSee [two](02-two.md), [later](./02-two.md#SEC-LATER) and [a file](notes.md).\n")
    two = root / "manuscript/en/02-two.md"
    two.write_text(two.read_text() + "\n## Later {#sec-later}\n\nText.\n")
    one = root / "manuscript/en/01-one.md"
    assert _targets(root)[-3:] == ["#sec-two", "#sec-later", "https://example.org/book/en/notes.md"]
    one.write_text(one.read_text() + "\nAnd [nowhere](02-two.md#nowhere).\n")
    with pytest.raises(PublishError, match=r"link to '#nowhere': no section or element has this ID"):
        _targets(root)


@pytest.mark.parametrize("written,said", [
    # `(#a b)` reaches the check as `#a%20b`, with the closest ID as a hint
    ("See [it](<#sec two>).", "did you mean '#sec-two'"),
    # `(#r&eacute;sum&eacute;)` reaches it decoded, `#résumé`
    ("See [it](#r&eacute;sum&eacute;).", "#résumé"),
    # the start of a longer link two lines above is not it (a real guide's /docs/Web/Privacy)
    ("See [it](docs/page).", "points at a page"),
])
def test_a_link_in_another_spelling_is_located_at_its_line(project, written, said):
    """A link reaches the check as pandoc spells it, not as written (real French guides wrote
    anchors both ways): the error names the line that writes it."""
    root = project("minimal")
    one = root / "manuscript/en/01-one.md"
    one.write_text(one.read_text() + "\n[Web](https://example.org/docs/page/more).\n\n"
                   + written + "\n")
    with pytest.raises(PublishError) as caught:
        _targets(root)
    assert caught.value.line == 7 and said in caught.value.message


def test_a_link_to_a_chapter_as_a_static_site_serves_it_leads_into_the_book(project):
    """Jekyll, Hugo and MkDocs serve `02-two.md` at `02-two/`, and a site's pages link so, from
    the page of `01-one.md`: `../02-two/`, `../02-two/#sec-later`; mdBook and Sphinx at
    `02-two.html` (the Rust book's links were 32 errors); a page the edition does not hold
    says so."""
    root = project("minimal")
    two = root / "manuscript/en/02-two.md"
    two.write_text(two.read_text() + "\n## Later {#sec-later}\n\nText.\n")
    one = root / "manuscript/en/01-one.md"
    one.write_text(one.read_text() + "\nSee [two](../02-two/) and [later](../02-two/#sec-later).\n"
                   # mdBook and Sphinx serve it beside the others, as a page of its own
                   "\nOr [two](02-two.html) and [later](./02-two.htm#sec-later).\n")
    assert _targets(root)[-4:] == ["#sec-two", "#sec-later", "#sec-two", "#sec-later"]
    one.write_text(one.read_text() + "\nAnd [a page](../licence/).\n")
    with pytest.raises(PublishError, match=r"link to '\.\./licence/' points at a page that is no "
                                           r"chapter of this edition") as caught:
        _targets(root)
    assert caught.value.line == 9
    one.write_text(one.read_text().replace("../licence/", "licence.html#terms"))
    with pytest.raises(PublishError, match=r"link to 'licence\.html#terms' points at a page that "
                                           r"is no chapter of this edition"):
        _targets(root)


def test_a_page_from_the_sites_root_named_as_a_chapter_leads_into_the_book(project):
    """react.dev's pages link `/learn/your-first-component` for `your-first-component.md`: from
    the site's root, named as the chapter is, it leads to that chapter; a page of another name
    is still an error at its line."""
    root = project("minimal")
    one = root / "manuscript/en/01-one.md"
    one.write_text(one.read_text() + "\nSee [two](/learn/02-two) and [its end](/learn/02-two/#sec-two)"
                   " and [as HTML](/docs/02-two.html).\n")
    assert _targets(root)[-3:] == ["#sec-two", "#sec-two", "#sec-two"]
    one.write_text(one.read_text() + "\nAnd [another](/learn/thinking-in-react).\n")
    with pytest.raises(PublishError, match=r"link to '/learn/thinking-in-react' points at a page "
                                           r"that is no chapter of this edition") as caught:
        _targets(root)
    assert caught.value.line == 7


def test_an_anchor_leads_to_its_own_chapters_heading_pandoc_renamed(project):
    """Two pages of a site each have `## Usage` and link `#usage`: one document to pandoc, which
    names the second `usage-1`, so the second page's link led to the first page's section."""
    root = project("minimal")
    for rel in ("en/01-one.md", "en/02-two.md"):
        path = root / "manuscript" / rel
        path.write_text(path.read_text() + "\n## Usage\n\nSee [usage](#usage).\n")
    assert _targets(root)[-2:] == ["#usage", "#usage-1"]


def test_a_ref_id_is_the_authors_own_where_no_bibliography_makes_a_reference_list(project):
    """VitePress pages name headings `{#ref-unwrapping-as-reactive-object-property}`: without a
    bibliography there is no reference list to collide with; notes' IDs stay reserved."""
    root = project("minimal")
    cfg = root / "manuscript/publication.yaml"
    cfg.write_text(cfg.read_text().replace("bibliography: references.yaml\n", ""))
    chapter = root / "manuscript/en/01-one.md"
    text = re.sub(r"\s*\[@[^\]]*\]", "", chapter.read_text())
    chapter.write_text(text + "\n## Unwrapping {#ref-unwrapping}\n\nSee [it](#ref-unwrapping).\n")
    edition = editions(config.load(root), ("en",), Pandoc.locate())["en"]
    assert "ref-unwrapping" in [el["c"][1][0] for el in walk(edition.ast["blocks"]) if el["t"] == "Header"]
    chapter.write_text(text + "\n## Notes {#fn1}\n\nText.\n")
    with pytest.raises(PublishError, match=r"ID '#fn1' is reserved for the generated notes: choose another"):
        editions(config.load(root), ("en",), Pandoc.locate())


def test_each_edition_publishes_its_links_under_its_own_base_url(project):
    """A translated site serves each language under its own address (`/it/docs/…`,
    `it.vuejs.org`): the Italian edition's site links went to the English pages."""
    root = _published(project, "https://example.org/", "\nSee [the pods](/docs/pods/#end).\n")
    cfg = root / "manuscript/publication.yaml"
    cfg.write_text(re.sub(r"(\n  it:\n)", r"\1    base-url: https://example.org/it\n", cfg.read_text()))
    chapter = root / "manuscript/it/01-uno.md"
    chapter.write_text(chapter.read_text() + "\nVedi [i pod](/docs/pods/#fine).\n")
    assert _targets(root)[-1] == "https://example.org/docs/pods/#end"
    assert _targets(root, "it")[-1] == "https://example.org/it/docs/pods/#fine"


@pytest.mark.slow  # a cross-check of 6,000 sections
def test_the_cross_check_of_thousands_of_links_leading_nowhere_does_not_hang(project):
    """6,000 headings, each followed by a link to an ID no element has: each finding's hint
    compared the link with every ID, each heading split its chapter into lines anew and each
    block lent to a section was looked for among all the pairs (4,000 took 59 s, 6,000 over
    two minutes). Every link is still reported; hints stop at `links.Hints.BUDGET`."""
    import subprocess
    import sys

    root = project("minimal")
    with open(root / "manuscript" / "en" / "02-two.md", "a", encoding="utf-8") as handle:
        handle.write("".join(f"\n## Part {i}\n\nSee [there](#nowhere-{i}).\n" for i in range(6000)))
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "check", "--project", str(root),
                           "--format", "json"], capture_output=True, text=True, timeout=90)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    import json

    findings = json.loads(proc.stdout)["findings"]
    nowhere = [f for f in findings if f["code"] == "anchor-unresolved"]
    assert len(nowhere) == 6000 and nowhere[-1]["message"].startswith("Part 5999: link #nowhere-5999")


def test_hints_stop_at_their_budget_and_the_links_are_still_named(monkeypatch):
    from baikonur_pub.links import Hints

    monkeypatch.setattr(Hints, "BUDGET", 40_000)  # the mechanism; the real one took 3.4 s here
    hint = Hints([f"part-{i}" for i in range(1000)])
    given = [hint(f"part-{i}x") for i in range(Hints.BUDGET // 1000 + 5)]
    assert given[0] == " (did you mean '#part-0'?)"
    assert given[Hints.BUDGET // 1000 - 1] and not any(given[Hints.BUDGET // 1000:])


RAW_LINKS = ("See <a href=\"#no-such-id\">this</a>, <A HREF='other-chapter.md#x'><em>that</em></A>"
             " and\n<a href=\"/en-US/docs/Web\" title=\"MDN\">the web</a>.\n\n"
             "<pre><a href=\"#not-in-pre\">x</a></pre>\n")


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_raw_html_link_follows_the_link_rule_of_markdown_links(project, command):
    """MDN's pages link in raw HTML: `<a href="#no-such-id">` passed `check` and `build`, and
    EPUBCheck refused the EPUB (RSC-012, RSC-007), as `[this](#no-such-id)` never got through.
    A raw link, in any spelling (`<A HREF='…'>`, formatting inside), and one inside a raw
    block (`<pre>`) are now held to the same rule: every one an error at its line, in one run,
    exit 1, no traceback."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n" + RAW_LINKS)
    args = ["--lang", "en", "--format", "epub", "--no-check"] if command == "build" else []
    result = run_cli(command, "--project", str(root), *args)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    said = result.stderr if command == "build" else result.output
    at = "manuscript/en/02-two.md"
    if command == "check":  # the cross-check's findings (it compares the AST's links only)
        assert f"{at}:5: error: sec-two: link #no-such-id in en leads to no heading" in said
        assert re.search(rf"{at}:5: error: link to 'other-chapter\.md#x' points at a file", said)
        assert re.search(rf"{at}:6: error: link to '/en-US/docs/Web' points at a page", said)
        return
    lines = said.strip().splitlines()[-4:]
    assert [line.split(": link to ")[0] for line in lines] == [f"{at}:{n}" for n in (5, 5, 6, 8)]
    assert lines[0].startswith(f"{at}:5: link to '#no-such-id': no section or element has this ID")
    assert lines[1].startswith(f"{at}:5: link to 'other-chapter.md#x' points at a file, not into "
                               "the book")
    assert lines[2].startswith(f"{at}:6: link to '/en-US/docs/Web' points at a page that is no "
                               "chapter of this edition")
    assert lines[3].startswith(f"{at}:8: link to '#not-in-pre': no section or element has this ID")


def test_raw_html_links_and_anchors_resolve_and_are_rewritten_as_markdown_links_are(project):
    """A raw link to another chapter, in another case, or to a site path is rewritten as the
    Markdown one is (into the book, to the exact ID, under links.base-url), also inside a raw
    `<pre>`; a named anchor (`<a id="x"></a>`, `<a name="y">`) is an ID links land on (it
    was 'no section or element has this ID')."""
    root = _published(project, "https://example.org/", "\nSee <a href='02-two.md#SEC-LATER' "
                      "class='x' title='T'>later</a>, <a href=\"#Sec-Two\">two</a>, <a href="
                      "\"/docs/web/\">web</a>, <a id=\"anc\"></a>[anc](#anc), <a name=\"nm\">"
                      "named</a> [nm](#nm).\n\n<pre><a href=\"02-two.md\">two</a></pre>\n")
    two = root / "manuscript/en/02-two.md"
    two.write_text(two.read_text() + "\n## Later {#sec-later}\n\nText.\n")
    edition = editions(config.load(root), ("en",), Pandoc.locate())["en"]
    links = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Link"]
    assert [el["c"][2][0] for el in links][-5:] == [
        "#sec-later", "#sec-two", "https://example.org/docs/web/", "#anc", "#nm"]
    assert links[-5]["c"][0][1] == ["x"] and links[-5]["c"][2][1] == "T"
    spans = {el["c"][0][0] for el in walk(edition.ast["blocks"]) if el["t"] == "Span"}
    assert {"anc", "nm"} <= spans
    raw = [el["c"][1] for el in walk(edition.ast["blocks"]) if el["t"] == "RawBlock"]
    assert '<pre><a href="#sec-two">two</a></pre>' in raw
