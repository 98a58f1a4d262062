"""Break opportunities added to a page's HTML before WeasyPrint lays it out, so that no text
it lays out at once is long enough to take minutes (see `breakable`)."""

from __future__ import annotations

import re
from bisect import bisect_right

# WeasyPrint finds where a line ends by laying out the text of its box from the line's start,
# cut at a space past the line's width when there is one: a run of text without a space (a
# hash, base64, a URL, minified code) is laid out whole for each of its lines. One word of
# 20,000 letters took 7.6 s, of 100,000 four minutes (a chapter may hold 4 MiB). A break
# opportunity every RUN characters (`<wbr>`, no character of the text) bounds each layout:
# 100,000 letters 1.8 s, the same 71 pages; a line may end at one a little early.
# A table cell's text costs more: its narrowest width under `overflow-wrap: anywhere` (which
# lets a table wider than the page shrink into it) is found by laying out the rest of its box
# at each character, so 800 words in one cell took 25 s, 4,000 letters without a space 155 s.
# In cells the boxes are cut every CELL_RUN characters, after a space (where a line may end
# anyway: the same lines, 3.4 → 0.9 s for four rows of 60 words) or inside a longer run, after
# a slash where it has one: 800 words 0.55 s a cell, 4,000 letters 8.9 s (a linear cost now).
RUN, CELL_RUN = 500, 40
_LONG_RUN = re.compile(r"[^ \n<>]{%d,}" % (RUN + 1))
_OPAQUE = ("style", "script", "svg", "math", "title", "textarea")  # text not laid out as text
_CHARACTER = re.compile(r"&#?\w+;|[^&]")  # a character reference is one character


def breakable(document: str) -> str:
    """`document` with break opportunities (`<wbr>`) that bound the text WeasyPrint lays out
    at once: in every run of more than RUN characters without a space or a line end, and in
    table cells every CELL_RUN characters. Tags, and elements whose text is no text of the
    page (`style`, `svg`, `math`…), are left as they are. Found with regular expressions, not
    read piece by piece in Python: 6 MB of paragraphs with a table every 40, 0.7 → 0.2 s
    (while the machine was busy; the shipped report's page, 120 KB, a few milliseconds)."""
    runs = _LONG_RUN.search(document) is not None
    if _TABLE_START.search(document):
        document = _TABLE.sub(_cells, document)
    if not runs:
        return document
    opaque = [m.span() for m in _OPAQUE_ELEMENT.finditer(document)]
    starts = [a for a, _ in opaque]
    parts, at = [], 0
    for match in _LONG_RUN.finditer(document):
        start = match.start()
        if document.rfind("<", 0, start) > document.rfind(">", 0, start):
            continue  # an attribute's value (a data: URI)
        inside = bisect_right(starts, start) - 1
        if inside >= 0 and start < opaque[inside][1]:
            continue
        parts += [document[at:start], _cut_run(match)]
        at = match.end()
    return "".join(parts) + document[at:]


_TABLE_START = re.compile(r"<table\b", re.I)
_TABLE = re.compile(r"<table\b.*?</table\s*>", re.S | re.I)
_OPAQUE_ELEMENT = re.compile(rf"<({'|'.join(_OPAQUE)})\b.*?</\1\s*>", re.S | re.I)
_CELL_TEXT = re.compile(r">([^<]{%d,})<" % (CELL_RUN + 1))


def _cells(table: re.Match) -> str:
    """A table's texts longer than CELL_RUN cut; one holding an opaque element (which no
    manuscript can bring: raw SVG and styles are refused, formulas are images) is left whole."""
    html = table.group(0)
    if _OPAQUE_ELEMENT.search(html):
        return html
    return _CELL_TEXT.sub(lambda m: ">" + _cell_text(m.group(1)) + "<", html)


def _cut_run(match: re.Match) -> str:
    characters = _CHARACTER.findall(match.group(0))
    return "<wbr>".join("".join(characters[i:i + RUN]) for i in range(0, len(characters), RUN))


_CELL_RUN = re.compile(r"[^ \n]{%d,}" % (CELL_RUN + 1))


def _cut_in_cell(match: re.Match) -> str:
    """A run of a cell's text cut after a slash (a URL's parts, where a reader expects a
    line to end) or, with none near, every CELL_RUN characters."""
    out, since = [], 0
    for character in _CHARACTER.findall(match.group(0)):
        if since >= CELL_RUN:
            out.append("<wbr>")
            since = 0
        out.append(character)
        since += 1
        if character == "/" and since >= 4:
            out.append("<wbr>")
            since = 0
    return "".join(out)


def _cell_text(text: str) -> str:
    if len(text) <= CELL_RUN:
        return text
    text = _CELL_RUN.sub(_cut_in_cell, text)
    words, out, count = text.split(" "), [], 0
    for word in words[:-1]:
        count += len(word) + 1
        out.append(word + (" <wbr>" if count >= CELL_RUN else " "))
        count = 0 if count >= CELL_RUN else count
    return "".join(out) + words[-1]
