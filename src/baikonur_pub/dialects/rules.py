"""Pandoc's multiline tables, apart from the rules (`---`) sites write between sections.

A multiline table (columns laid out by a line of dash groups, rows that run over several
lines, a line of dashes above and below) is pandoc's table for long cells: theses and papers
written for pandoc carry them. A line of dashes alone is also a rule, and pandoc reads a
rule that opens a block, whatever follows up to the next rule, as a one-column multiline
table (a real Docusaurus guide's rule followed by a heading swallowed 200 lines so, with no
word). A multiline table of one column lays out nothing a paragraph does not: such a rule is
written `___` here, the same rule to pandoc and never a table's border, and every table of
two columns or more is read as pandoc reads it. Line for line, outside fenced code.
"""

from __future__ import annotations

import re

_DASHES = re.compile(r" {0,3}-{3,} *")  # a rule, or a table's border
_COLUMNS = re.compile(r" {0,3}-+(?: +-+)+ *")  # two column groups or more
ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")  # an ATX heading's line (latex too)


def apart(lines: list[str], code: list[bool]) -> bool:
    """Rewrite, in place, each line of dashes alone that opens a block and is no border of a
    multiline table of two columns or more (`code`: which lines are fenced code); True if any
    was."""
    if not any(_DASHES.fullmatch(line) for line in lines):
        return False
    changed, table_end = False, -1
    for i, line in enumerate(lines):
        if code[i] or i <= table_end:
            continue
        opens = i == 0 or not lines[i - 1].strip() or code[i - 1] or bool(ATX.match(lines[i - 1]))
        if not opens:
            continue  # under a paragraph's line, a setext heading's underline
        if _COLUMNS.fullmatch(line):  # a table of no header (a simple one too): as pandoc reads it
            table_end = _footer(lines, code, i + 1)
        elif _DASHES.fullmatch(line):
            header = _header_end(lines, code, i + 1)
            if header is not None:  # a border, header lines, then two column groups
                table_end = _footer(lines, code, header + 1)
            else:
                lines[i] = line.replace("-", "_")
                changed = True
    return changed


def _header_end(lines: list[str], code: list[bool], start: int) -> int | None:
    """The index of the line of column groups under the header lines from `start`, or None."""
    for j in range(start, len(lines)):
        if code[j] or not lines[j].strip() or _DASHES.fullmatch(lines[j]):
            return None
        if _COLUMNS.fullmatch(lines[j]):
            return j if j > start else None
    return None


def _footer(lines: list[str], code: list[bool], start: int) -> int:
    """The index of the table's last line: its first line of dashes after `start` if a blank
    line (or the end) follows, else the line before it (that line is read again: no table
    ends so, and a rule there may open a block); the last line before code."""
    for j in range(start, len(lines)):
        if code[j]:
            return j - 1
        if _DASHES.fullmatch(lines[j]) or _COLUMNS.fullmatch(lines[j]):
            return j if j + 1 == len(lines) or not lines[j + 1].strip() else j - 1
    return len(lines) - 1
