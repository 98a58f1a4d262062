"""Table columns no narrower than their longest word (`table_widths`): pandoc's widths from a
pipe table's dashes set a short number one letter a line."""

from __future__ import annotations

import pytest

from baikonur_pub import table_widths
from conftest import edition_with

PIPE = ("| Step | Time | Notes |\n"
        "| :----------------------------------------- | -----: | :-------------------------------------- |\n"
        "| Water the tomatoes in the greenhouse       | 1.5 h  | twice a week in summer                  |\n"
        "| Repot                                      | 12 min | 每年一次在春天换盆并施肥以保持土壤肥力   |\n")


def _widths(edition) -> list[float]:
    (table,) = [b for b in edition.ast["blocks"] if b["t"] == "Table"]
    return [spec[1]["c"] for spec in table["c"][2]]


def test_a_column_drawn_as_narrow_as_its_text_gets_the_width_of_its_longest_word(project):
    """The Time column's six dashes gave it 6 % of the line, less than "1.5 h" and its cell's
    padding: the PDF set it "1." / "5" / "h"."""
    widths = _widths(edition_with(project("minimal"), PIPE))
    least = (len("12 min") + table_widths.PADDING) / table_widths.LINE
    assert widths[1] >= least - 1e-9
    assert abs(sum(widths) - 1) < 1e-6 and widths[0] > widths[1] and widths[2] > widths[1]


def test_widths_stay_when_nothing_is_too_narrow_or_the_words_cannot_fit():
    assert table_widths._widened([0.5, 0.5], [0.1, 0.1]) is None
    assert table_widths._widened([0.5, 0.5], [0.7, 0.7]) is None
    assert table_widths._widened([0.8, 0.1, 0.1], [0.1, 0.2, 0.1]) == pytest.approx([0.7, 0.2, 0.1])


def test_chinese_breaks_between_any_two_characters():
    assert table_widths._width("每年一次在春天") == 2 and table_widths._width("PyTorch张量") == 7
