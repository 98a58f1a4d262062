"""Table column widths: each column at least as wide as its longest word.

Pandoc gives a pipe table whose lines are long relative widths from the dashes under its
header, which authors draw as wide as the text they align (`| -----: |` over "1.5 ns"). The
share of the width a column of six dashes gets is narrower than six characters set in
proportional type plus the cell's padding, and since a cell may break anywhere (a table wider
than the page shrinks into it), the PDF set "1.5 ns" one or two letters a line, and the
DOCX alike. Here a column is widened to its longest word (and its header's), the width taken
from the columns that have room to spare, in proportion to that room. A table whose words
cannot all fit keeps its widths.
"""

from __future__ import annotations

import unicodedata

from .ast import stringify, walk

# characters of a table's text (9.5 pt, proportional) across the A4 text column (150 mm), and
# a cell's padding (2.5 mm a side) in such characters, with a little to spare
LINE = 88
PADDING = 4
SHORT = 10  # a cell this short is kept on one line (a number and its unit, "1.5 ns")


def widen(blocks: list) -> None:
    """Every table in `blocks` with relative widths given each column's longest word."""
    for el in walk(blocks):
        if el.get("t") == "Table":
            specs = el["c"][2]
            widths = [spec[1].get("c") if spec[1].get("t") == "ColWidth" else None
                      for spec in specs]
            if not widths or None in widths or not sum(widths):
                continue
            least = [(_longest(column) + PADDING) / LINE for column in _columns(el, len(specs))]
            new = _widened(widths, least)
            if new is not None:
                for spec, width in zip(specs, new):
                    spec[1] = {"t": "ColWidth", "c": width}


def _widened(widths: list[float], least: list[float]) -> list[float] | None:
    """`widths` with each at least its `least`, the rest of the total shared as it was among
    the columns left; None when nothing is too narrow or the words cannot all fit."""
    total = sum(widths)
    if all(w >= m for w, m in zip(widths, least)) or sum(least) > total:
        return None
    fixed = [False] * len(widths)
    new = list(widths)
    while True:  # raise the narrow ones, scale the rest down; repeat if that made another narrow
        for i, (w, m) in enumerate(zip(new, least)):
            if w < m:
                new[i], fixed[i] = m, True
        room = total - sum(w for w, f in zip(new, fixed) if f)
        free = sum(w for w, f in zip(widths, fixed) if not f)
        if free <= 0:
            return None
        new = [w if f else widths[i] * room / free for i, (w, f) in enumerate(zip(new, fixed))]
        if all(w >= m - 1e-9 for w, m in zip(new, least)):
            return new


def _columns(table: dict, count: int) -> list[list]:
    """The cells of each column (head, bodies, foot), each its blocks; spans left out."""
    head, bodies, foot = table["c"][3], table["c"][4], table["c"][5]
    rows = head[1] + [r for body in bodies for r in body[2] + body[3]] + foot[1]
    columns: list[list] = [[] for _ in range(count)]
    for row in rows:
        at = 0
        for cell in row[1]:
            span = cell[3]
            if span == 1 and at < count:
                columns[at].append(cell[4])
            at += span
    return columns


def _longest(cells: list) -> int:
    """The longest word of `cells`, in characters (a wide one, as in Chinese, two), at most a
    third of a line: a URL may break. A short cell is one word: "1.5 ns" on one line."""
    longest = 0
    for blocks in cells:
        text = stringify({"t": "Div", "c": [["", [], []], blocks]}).strip()
        if len(text) <= SHORT:
            longest = max(longest, _width(text))
        longest = max([longest] + [_width(w) for w in text.split()])
    return min(longest, LINE // 3)


def _width(word: str) -> int:
    """The longest part of `word` no line may break: a run of narrow characters, or one wide
    character (two), as Chinese breaks between any two."""
    longest = run = 0
    for char in word:
        if unicodedata.east_asian_width(char) in "WF":
            longest, run = max(longest, run, 2), 0
        else:
            run += 1
    return max(longest, run)
