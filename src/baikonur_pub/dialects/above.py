"""What the lines above a line of a chapter say of it, for `lines`, which reads a chapter line by
line in order: whether an indented line is a list item's content or code, whether a line
follows a paragraph's text. Each kept as the lines go by, never searched for line by line."""

from __future__ import annotations

import re
from bisect import bisect_left

ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])(\s+)\S")
_PROSE = re.compile(r"^\s{0,3}(?![-*+]\s|\d{1,9}[.)]\s|[#|>:<`~=]|-+\s*$)\S")


def code_lines(out: list[str]) -> set[int]:
    """The indexes of the lines of indented code blocks: indented four spaces, not a list
    item's content, in a run of such lines that follows a blank line (a line indented right
    under text, as Prettier indents a raw HTML block's `<li>`, is no code). One pass: the line a
    line's indent is measured against (`_in_item`'s) comes from a stack of the lines above
    indented less and less, as a line by line search made a chapter of 2,000 indented lines
    take minutes."""
    code: set[int] = set()
    above: list[tuple[int, bool]] = []  # (indent, listed) of lines above, indents increasing
    for index, line in enumerate(out):
        if not line.strip():
            continue
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        while above and above[-1][0] >= indent:
            above.pop()
        in_item = bool(above) and above[-1][1]
        if indent > 3 and not in_item and (
                index == 0 or not out[index - 1].strip() or index - 1 in code):
            code.add(index)
        above.append((indent, in_item or bool(ITEM.match(line))))
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
        self.listed: list[bool] = []  # each: a list item's line, or a line of an item's content
        self.prose: bool | None = None  # None: a blank line (or none) right above

    def _advance(self, number: int) -> None:
        for index in range(self.next, number):
            line = self.out[index]
            if line.strip():
                indent = len(line) - len(line.lstrip())
                while self.indents and self.indents[-1] >= indent:
                    self.indents.pop()
                    self.listed.pop()
                listed = bool(self.listed) and self.listed[-1] or bool(ITEM.match(line))
                self.indents.append(indent)
                self.listed.append(listed)
                self.prose = self.prose is not False and not indent and bool(_PROSE.match(line))
            else:
                self.prose = None
        self.next = max(self.next, number)

    def in_item(self, number: int) -> bool:
        if number < self.next:  # behind the cursor (never, as `_rewrite` goes): search
            return _in_item(self.out, number)
        self._advance(number)
        line = self.out[number]
        at = bisect_left(self.indents, len(line) - len(line.lstrip())) - 1
        return at >= 0 and self.listed[at]

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
    the line above it that is indented less opens an item, or is an item's content itself (a
    fence indented four spaces under an item's paragraph indented two)."""
    depth = len(out[number]) - len(out[number].lstrip())
    for index in range(number - 1, -1, -1):
        line = out[index]
        indent = len(line) - len(line.lstrip())
        if line.strip() and indent < depth:
            if ITEM.match(line):
                return True
            if not indent:
                return False
            depth = indent  # the item's content, if that line is some
    return False
