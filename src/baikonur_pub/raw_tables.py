"""Raw HTML tables (as MDN, GitHub and Docusaurus pages write them) as the pandoc Tables they
mean, so the DOCX, whose writer drops raw HTML, and the cross-check have them too.

Pandoc's Markdown reader gives each tag as a RawBlock of its own (`<table>`, `<tr>`, `<td>`,
`</td>`…, on one line or many), a cell's content read as Markdown between its tags (`Plain`;
`Para`, lists… with blank lines around). `make_tables` puts a Table in place of each run from a
`<table …>` to its `</table>` in a list of blocks, keeping `thead`/`tbody`/`tfoot`, `th` (rows of
them a header, leading ones row head columns), `colspan`/`rowspan`, `<caption>`, a cell's
alignment and classes, the table's ID, classes and other attributes (which the policy checks as
any table's). A run it cannot read with certainty stays as it was: a nested table, text between
cells, a tag left open, an attribute it would drop (a cell's ID, a `style` beyond `text-align`,
a `<col>` width), a `th` no Table holds (mid-row, in the footer). Linear: each block is read at
most twice, none in a run walked again; nothing is raised."""

from __future__ import annotations

import re

from . import counts
from .markup import Tags
from .raw_links import HTML_FORMATS

_NAMES = frozenset("table caption colgroup col thead tbody tfoot tr th td".split())
_TAG_NAME = re.compile(rf"</?\s*(?:{'|'.join(_NAMES)})(?=[\s/>])", re.I)
_BARE = re.compile(rf"\s*<(/?)({'|'.join(_NAMES)})\s*>\s*", re.I)
_TABLE = re.compile(r"\s*<(/?)table(?:\s[^<>]*)?>\s*", re.I)
_TEXT = frozenset({"Str", "Space", "SoftBreak", "LineBreak"})
_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.S)
_ALIGN = {"left": "AlignLeft", "right": "AlignRight", "center": "AlignCenter"}
_TEXT_ALIGN = re.compile(r"\s*(?:text-align\s*:\s*(left|right|center)\s*;?\s*)?", re.I)
_CELL, _CLASS = frozenset("colspan rowspan align class style scope".split()), frozenset({"class"})
_OPENS = {("caption", "table"): "cell", ("colgroup", "table"): "colgroup", ("tr", "table"): "row",
          ("tr", "section"): "row", ("th", "row"): "cell", ("td", "row"): "cell",
          **{(name, "table"): "section" for name in ("thead", "tbody", "tfoot")}}


class _Odd(Exception):
    """The run is no table read with certainty: left as it is."""


def _raw(block, kinds=("RawBlock",)) -> str | None:
    fmt = block["c"][0] if type(block) is dict and block.get("t") in kinds else None
    return block["c"][1] if fmt == "html" or fmt and HTML_FORMATS.match(fmt) else None


def _piece(block):
    """("start"/"end", name, attributes) of a raw block that is one table tag alone, "comment"
    for an HTML comment, None for anything else (content)."""
    if (text := _raw(block)) is None:
        return None
    if _COMMENT.fullmatch(text) and "-->" not in text.strip()[4:-3]:
        return "comment"
    if bare := _BARE.fullmatch(text):  # most of a table's tags: no HTML parser needed
        return "end" if bare.group(1) else "start", bare.group(2).lower(), []
    if not _TAG_NAME.search(text):
        return None
    parsed = Tags.read(text) if Tags.only_tag(text) else None
    if parsed is None or parsed.ends or len(parsed.tags) != 1 or parsed.tags[0][0] not in _NAMES \
            or parsed.empty and parsed.tags[0][0] != "col":
        raise _Odd  # an end tag with attributes, `<td/>`, a table tag among others
    return "start", *parsed.tags[0]


def _attrs(attrs: list, allowed=frozenset()) -> dict:
    values = {name: value or "" for name, value in attrs}
    if len(values) < len(attrs) or not values.keys() <= allowed:
        raise _Odd  # one it would drop, or given twice
    return values


def _cell(name: str, attrs: list, blocks: list) -> dict:
    values = _attrs(attrs, _CELL)
    style = _TEXT_ALIGN.fullmatch(values.get("style", ""))  # a style may only align
    align = (values.get("align") or (style and style.group(1)) or "").lower()
    if not style or align and align not in _ALIGN:
        raise _Odd
    spans = [counts.span(key, values.get(key, "1")) for key in ("colspan", "rowspan")]
    if None in spans:
        raise _Odd  # past HTML's own bounds, or no number
    return {"th": name == "th", "colspan": spans[0], "rowspan": spans[1],
            "blocks": blocks, "attr": ["", values.get("class", "").split(), []],
            "align": {"t": _ALIGN.get(align, "AlignDefault")}}


def _widths(rows: list) -> list[int]:
    """Each row's width, cells above spanning into it counted; rowspans cut at the end of `rows`
    (as HTML cuts them at its section's end). A span is added and ended once: linear."""
    covered, ending, widths = 0, {}, []
    for index, (_, cells) in enumerate(rows):
        covered -= ending.pop(index, 0)
        widths.append(covered + sum(cell["colspan"] for cell in cells))
        for cell in cells:
            cell["rowspan"] = span = min(cell["rowspan"], len(rows) - index)
            if span > 1:
                covered += cell["colspan"]
                ending[index + span] = ending.get(index + span, 0) + cell["colspan"]
    return widths


def _rows(rows: list, widths: dict, columns: int) -> list:
    """pandoc's Rows, each short one filled with one empty cell spanning what it lacks."""
    return [[attr, [[c["attr"], c["align"], c["rowspan"], c["colspan"], c["blocks"]]
                    for c in cells] + ([[["", [], []], {"t": "AlignDefault"}, 1, columns - width,
                                         []]] if width < columns else [])]
            for (attr, cells), width in zip(rows, widths[id(rows)])]


def _body(rows: list) -> tuple[int, list, list]:
    """A body's row head columns, the rows of `th` alone it opens with, and the others: the
    `th` each of those opens with, the same columns in each, no span of a row crossing."""
    count, counts = 0, set()
    while count < len(rows) and rows[count][1] and all(c["th"] for c in rows[count][1]):
        count += 1
    for index, (_, cells) in enumerate(rows):
        lead = next((i for i, c in enumerate(cells) if not c["th"]), len(cells))
        if index < count and any(index + c["rowspan"] > count for c in cells) or \
                index >= count and any(c["th"] for c in cells[lead:]):
            raise _Odd
        counts |= {sum(c["colspan"] for c in cells[:lead])} if index >= count else set()
    if len(counts) > 1 or counts - {0} and any(c["rowspan"] > 1 for _, cs in rows for c in cs):
        raise _Odd
    return (counts.pop() if counts else 0), rows[:count], rows[count:]


def _table(blocks: list, start: int, end: int) -> dict:
    """The Table that blocks[start] (`<table …>`) to blocks[end] (its `</table>`) mean."""
    _, _, attrs = _piece(blocks[start])
    if _inner_tags(blocks[start + 1:end]):
        raise _Odd
    table = _attrs(attrs, {name for name, _ in attrs})
    ident, classes = table.pop("id", ""), table.pop("class", "").split()
    caption, sections, where, open_at, row, cell = None, [], ["table"], start, None, None
    for index in range(start + 1, end):
        piece, state = _piece(blocks[index]), where[-1]
        if piece == "comment" or piece is None and state == "cell":
            continue  # a comment (the policy drops it), a cell's content
        if piece is None or piece[0] == "start" and state == "cell":
            raise _Odd
        kind, name, attrs = piece
        if kind == "end":
            if name != {"cell": cell and cell[0], "row": "tr", "colgroup": "colgroup",
                        "section": sections and sections[-1][0]}.get(state):
                raise _Odd
            if state == "cell" and cell[0] == "caption":
                caption = blocks[open_at + 1:index]
            elif state == "cell":
                row[1].append(_cell(cell[0], cell[1], blocks[open_at + 1:index]))
            where.pop()
        elif name == "col" and state in ("table", "colgroup") and not _attrs(attrs):
            continue  # columns with nothing to say (a width: odd, as no Table keeps it)
        elif (name, state) in _OPENS:
            if name in ("caption", "th", "td"):
                if name == "caption" and (caption is not None or _attrs(attrs)):
                    raise _Odd
                cell, open_at = (name, attrs), index
            elif name == "tr":
                if state == "table" and not (sections and sections[-1][0] == ""):
                    sections.append(["", ["", [], []], []])  # rows with no section: a body
                row = [["", _attrs(attrs, _CLASS).get("class", "").split(), []], []]
                sections[-1][2].append(row)
            elif name != "colgroup" or _attrs(attrs):
                sections.append([name, ["", _attrs(attrs, _CLASS).get("class", "").split(), []],
                                 []])
            where.append(_OPENS[name, state])
        else:
            raise _Odd
    names = [name for name, _, _ in sections]  # sections: [name, attr, rows]
    if where != ["table"] or not any(rows for _, _, rows in sections) or names.count("thead") > 1 \
            or names.count("tfoot") > 1:
        raise _Odd
    head, bodies, foot = (["", [], []], []), [], (["", [], []], [])
    for name, attr, rows in sections:
        if name == "thead":
            head = (attr, rows)
        elif name == "tfoot":
            if any(c["th"] for _, cells in rows for c in cells):
                raise _Odd
            foot = (attr, rows)
        else:
            _widths(rows)  # its spans cut, before it is split
            heads, first, rest = _body(rows)
            if first and not head[1] and not bodies and "thead" not in names:
                head, first = (["", [], []], first), []
            if first or rest:
                bodies.append((attr, heads, first, rest))
    widths = {id(rows): _widths(rows) for rows in
              [head[1], foot[1]] + [rows for body in bodies for rows in body[2:]]}
    columns = max(max(w, default=0) for w in widths.values())
    if not 0 < columns <= 1000:  # HTML's own bound on a colspan
        raise _Odd
    return {"t": "Table", "c": [
        [ident, classes, [[k, v] for k, v in table.items()]], [None, caption or []],
        [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}] for _ in range(columns)],
        [head[0], _rows(head[1], widths, columns)],
        [[attr, heads, _rows(first, widths, columns), _rows(rest, widths, columns)]
         for attr, heads, first, rest in bodies], [foot[0], _rows(foot[1], widths, columns)]]}


def _inner_tags(blocks: list) -> bool:
    """Whether raw HTML anywhere inside `blocks` (below their own level) names a table tag."""
    stack = [b.get("c") for b in blocks if type(b) is dict]
    while stack:
        node = stack.pop()
        if type(node) is dict and node.get("t") in _TEXT:
            continue
        if _TAG_NAME.search(_raw(node, ("RawBlock", "RawInline")) or ""):
            return True
        stack += [x for x in (node if type(node) is list else node.values())
                  if type(x) is list or type(x) is dict]
    return False


def _runs(blocks: list, owners: list):
    """(start, end) of each outermost `<table>` … `</table>` of a chapter (never closed: none)."""
    depth = start = 0
    for index, block in enumerate(blocks):
        if depth and owners[index] != owners[start]:
            depth = 0  # a chapter's table left open: none
        tag = _TABLE.fullmatch(_raw(block) or "")
        if tag and not tag.group(1):
            depth, start = depth + 1, start if depth else index
        elif tag and depth:
            depth -= 1
            if not depth:
                yield start, index


_TAG = re.compile(r"<table(?![^\s>/])", re.I)


def make_tables(blocks: list, owners: list | None = None, files=None) -> None:
    """Every raw HTML table in `blocks` (and in the lists below them) a pandoc Table, in place;
    `owners`, each top-level block's chapter, kept in step. A stack, not recursion. A walk of
    the whole AST: not made where none of `files` (the chapters) writes `<table` (20,000
    paragraphs of links and citations: about 2 s of a check's 27)."""
    if files is not None and not any(_TAG.search(source.text) for source in files):
        return
    stack: list = [(blocks, owners)]
    while stack:
        node, owners = stack.pop()
        if type(node) is dict:
            stack.extend((v, None) for v in node.values() if type(v) in (list, dict))
            continue
        owners = [0] * len(node) if owners is None else owners
        runs, out, kept, done = list(_runs(node, owners)), [], [], 0
        for start, end in runs:  # what a run holds is not walked again: it has no table
            stack.extend((b, None) for b in node[done:start] if type(b) in (list, dict))
            try:
                made = [_table(node, start, end)]
            except _Odd:
                made = node[start:end + 1]
            out += node[done:start] + made
            kept += owners[done:start] + owners[start:start + len(made)]
            done = end + 1
        stack.extend((b, None) for b in node[done:] if type(b) in (list, dict))
        if runs:
            node[:], owners[:] = out + node[done:], kept + owners[done:]
