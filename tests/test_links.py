"""Links checked as a whole: internal anchors resolve, links to files are published or refused."""

from __future__ import annotations

from baikonur_pub import config
from baikonur_pub.ast import walk
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions


def _targets(root, code="en"):
    edition = editions(config.load(root), (code,), Pandoc.locate())[code]
    return [el["c"][2][0] for el in walk(edition.ast["blocks"]) if el["t"] == "Link"]


def test_links_to_files_are_rewritten_against_the_base_url(project):
    root = project("minimal")
    cfg = root / "manuscript/publication.yaml"
    cfg.write_text(cfg.read_text() + "links:\n  base-url: https://example.org/book\n")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\nSee [notes](notes/a.md#part) and [top](/README.md).\n")
    targets = _targets(root)
    assert "https://example.org/book/en/notes/a.md#part" in targets
    assert "https://example.org/book/README.md" in targets


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
