"""Git's conflict markers left in a source are an error at each conflict's `<<<<<<<` line;
what only looks like one is text (tests/bad_inputs/merge-conflict-markers.yaml runs a build)."""

from __future__ import annotations

import pytest

from baikonur_pub.errors import ManuscriptError, Problems
from baikonur_pub.sources import conflicts, read_text

CONFLICT = "<<<<<<< HEAD\n* two\n=======\n* deux\n>>>>>>> branch\n"


def found(text: str) -> list[tuple[int, int]]:
    return conflicts(text.split("\n"))


def test_a_conflict_is_found_at_its_start_marker_down_to_its_end():
    assert found("* one\n" + CONFLICT) == [(2, 6)]


def test_a_diff3_conflict_with_its_base_section_is_one_conflict():
    text = "<<<<<<< ours\nmine\n||||||| base\nold\n=======\ntheirs\n>>>>>>> theirs\n"
    assert found(text) == [(1, 7)]


@pytest.mark.parametrize("text", [
    "Title\n=======\n\nText.\n",  # a setext heading's underline
    "```\n" + CONFLICT + "```\n",  # a tutorial about git shows markers in code
    "~~~~ {.diff}\n" + CONFLICT + "~~~~\n",
    "<<<<<<< HEAD\nleft alone, never closed\n",  # a start with no separator and end
    "<<<<<<<< eight\nx\n=======\ny\n>>>>>>> b\n",  # eight characters: no marker of git's
    "Text <<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n",  # not at the start of the line
])
def test_what_only_looks_like_a_conflict_is_text(text):
    assert found(text) == []


def test_every_conflict_is_found_and_fences_opened_on_both_sides_count_once():
    text = ("<<<<<<< HEAD\n```js\n=======\n```python\n>>>>>>> topic\ncode\n```\n\n"
            + CONFLICT + "\nlater\n" + CONFLICT)
    assert found(text) == [(1, 5), (9, 13), (16, 20)]


def test_a_start_with_no_end_does_not_hide_the_conflict_after_it():
    assert found("<<<<<<< stray\ntext\n" + CONFLICT) == [(3, 7)]


def test_reading_a_file_with_conflicts_names_each_at_its_line(tmp_path):
    path = tmp_path / "chapter.md"
    path.write_text("# One\n\n" + CONFLICT + "\nText.\n\n" + CONFLICT, encoding="utf-8")
    with pytest.raises(Problems) as caught:
        read_text(path, ManuscriptError, "chapter.md")
    assert [(p.path, p.line) for p in caught.value.problems] == [("chapter.md", 3),
                                                                ("chapter.md", 11)]
    assert all(isinstance(p, ManuscriptError) for p in caught.value.problems)
    assert caught.value.problems[0].message.startswith("unresolved merge conflict")


def test_a_file_without_conflicts_reads_as_before(tmp_path):
    path = tmp_path / "chapter.md"
    text = "Title\n=======\n\n```\n" + CONFLICT + "```\n"
    path.write_text(text, encoding="utf-8")
    assert read_text(path, ManuscriptError) == text
