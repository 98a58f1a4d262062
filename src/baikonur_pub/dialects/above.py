"""What the lines above a line of a chapter say of it, for `lines`, which reads a chapter line by
line in order: whether an indented line is a list item's content or code, whether a line
follows a paragraph's text. Each kept as the lines go by, never searched for line by line."""

from __future__ import annotations

import re
from bisect import bisect_left

ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])(\s+)\S")
_PROSE = re.compile(r"^\s{0,3}(?![-*+]\s|\d{1,9}[.)]\s|[#|>:<`~=]|-+\s*$)\S")


def _within(indent: int, above: int | None) -> bool:
    """Whether a line indented `indent` is content of the item whose content column is
    `above`: up to three spaces past it, as pandoc reads it (four or more: code in the item,
    a fence there shown as written)."""
    return above is not None and indent - above <= 3


def _column(line: str, indent: int, above: int | None) -> int | None:
    """The content column of the list item `line` opens, or of the item it is content of
    (`above`: that of the line it is under); None where it is no item's (or code)."""
    if indent > 3 and not _within(indent, above):
        return None  # indented code, at the margin or in an item
    item = ITEM.match(line)
    if item:
        return item.end(2) if len(item.group(2)) <= 4 else item.start(2) + 1
    return above if _within(indent, above) else None


def code_lines(out: list[str]) -> set[int]:
    """The indexes of the lines of indented code blocks: indented four spaces, not a list
    item's content, in a run of such lines that follows a blank line (a line indented right
    under text, as Prettier indents a raw HTML block's `<li>`, is no code). One pass: the line a
    line's indent is measured against (`_in_item`'s) comes from a stack of the lines above
    indented less and less, as a line by line search made a chapter of 2,000 indented lines
    take minutes."""
    code: set[int] = set()
    above: list[tuple[int, int | None]] = []  # (indent, `_column`) of lines above, indents increasing
    for index, line in enumerate(out):
        if not line.strip():
            continue
        line = line.expandtabs(4)
        indent = len(line) - len(line.lstrip())
        while above and above[-1][0] >= indent:
            above.pop()
        parent = above[-1][1] if above else None
        if indent > 3 and not _within(indent, parent) and (
                index == 0 or not out[index - 1].strip() or index - 1 in code):
            code.add(index)
        above.append((indent, _column(line, indent, parent)))
    return code


class Above:
    """`_in_item` for the lines `_rewrite` reaches in order, each in O(log n): the lines above
    the cursor (final once passed) kept as a stack of indents increasing, as in `code_lines`,
    whose topmost entry indented less than a line is the nearest such line above it. The
    search line by line made a chapter of 8,000 indented lines with a `/` take 4.1 s (and
    80,000 minutes). `prose` is whether the lines right above the cursor, up to a blank one,
    are a paragraph at the margin (`after_prose`), carried line to line."""

    def __init__(self, out: list[str]):
        self.out, self.next = out, 0
        self.indents: list[int] = []
        self.columns: list[int | None] = []  # each line's item's content column (`_column`)
        self.prose: bool | None = None  # None: a blank line (or none) right above

    def _advance(self, number: int) -> None:
        for index in range(self.next, number):
            line = self.out[index]
            if line.strip():
                indent = len(line) - len(line.lstrip())
                while self.indents and self.indents[-1] >= indent:
                    self.indents.pop()
                    self.columns.pop()
                column = _column(line, indent, self.columns[-1] if self.columns else None)
                self.indents.append(indent)
                self.columns.append(column)
                self.prose = self.prose is not False and not indent and bool(_PROSE.match(line))
            else:
                self.prose = None
        self.next = max(self.next, number)

    def in_item(self, number: int) -> bool:
        if number < self.next:  # behind the cursor (never, as `_rewrite` goes): search
            return _in_item(self.out, number)
        self._advance(number)
        line = self.out[number]
        indent = len(line) - len(line.lstrip())
        at = bisect_left(self.indents, indent) - 1
        return at >= 0 and _within(indent, self.columns[at])

    def after_prose(self, number: int) -> bool:
        """Whether `out[number]` follows a paragraph's lines at the margin, none a list
        item's: a list there would interrupt the paragraph, not go on a list (`2.` after
        `1. One` and its lazy or indented lines is the list's next item)."""
        if number < self.next:
            return False
        self._advance(number)
        return self.prose is True


def _in_item(out: list[str], number: int) -> bool:
    """Whether the indented line `out[number]` is a list item's content (not indented code):
    `_within` the column of the lines above it indented less, read from the margin."""
    chain, depth = [], len(out[number]) - len(out[number].lstrip())
    for index in range(number - 1, -1, -1):
        line = out[index]
        indent = len(line) - len(line.lstrip())
        if line.strip() and indent < depth:
            chain.append((line, indent))
            depth = indent
            if not indent:
                break
    column = None
    for line, indent in reversed(chain):
        column = _column(line, indent, column)
    return _within(len(out[number]) - len(out[number].lstrip()), column)
