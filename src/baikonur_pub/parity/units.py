"""The blocks inside a section that the cross-check pairs one by one.

A unit is what a translator translates as one piece: a paragraph, a list item, a table row, a
code block, a figure. Each carries the facts inside it (numbers, citations, cross-references,
links, inline code, footnotes) and the source lines it spans, so a unit missing in a translation
is one finding that quotes it, with its facts as details, and a fact that differs is reported on
its own line.
Lines are found by searching the file with HTML comments blanked out, so text inside a comment
never lends its line to a fact.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit, urlunsplit

from .. import crossref
from ..callouts import GENERATED
from ..ast import stringify, walk
from ..sources import written_line
from ..spans import delimited, without
from . import numbers as nums

_TOKEN = re.compile(r"[^\W_]{2,}", re.UNICODE)
NEAR = 8  # lines below a first guess where a better match for a block's start may sit


@dataclass
class Fact:
    value: str  # what compares across languages
    surface: str  # as written, to locate and highlight it
    line: int = 0


@dataclass
class Unit:
    kind: str  # heading, paragraph, list item, table row, code block, figure, definition, callout title
    text: str  # plain running text (citations, notes, code and raw markup left out)
    node: object = None  # the AST it came from (inlines or blocks), for display
    code: str = ""  # a code block's content
    code_lang: str = ""  # a code block's first class
    codes: list[tuple[str, str]] = field(default_factory=list)  # (code, class) of code blocks inside
    shown_text: str = ""  # the text as a reader sees it (inline code kept): see `shown`
    numbers: list[nums.Number] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)  # IDs cross-referenced (@fig-…), resolved or not
    inline_code: list[str] = field(default_factory=list)
    notes: int = 0
    linked: int = 0  # characters of text inside links
    nested: int = 0  # items of the lists nested in a list item
    line: int = 0
    end: int = 0
    ident: str = ""  # a figure's ID, or the ID of the table a row belongs to
    whole: tuple = ()  # the table or callout it is part of: (identity, units, what, shown)
    callout: str = ""  # the kind of the callout it is in (note, tip…)

    @property
    def shown(self) -> str:
        """The text as a reader sees it, inline code kept (computed when a report quotes it)."""
        if not self.shown_text:
            self.shown_text = stringify(self.node) if self.node is not None else self.text
        return self.shown_text

    def quote(self, width: int = 60) -> str:
        text = self.shown or self.text
        return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def lone_wholes(pairs: list[tuple[Unit | None, Unit | None]]) -> dict[int, list[Unit]]:
    """Tables and callouts every unit of which is unpaired, by the id of their first unit
    (the units): one missing in a translation is one finding, not one per row or paragraph."""
    parts: dict[int, list[Unit]] = {}
    for a, b in pairs:
        one = a if b is None else b if a is None else None
        if one is not None and one.whole:
            parts.setdefault(one.whole[0], []).append(one)
    return {id(units[0]): units for units in parts.values() if len(units) == units[0].whole[1]}


def as_whole(rows: list[Unit]) -> Unit:
    """One unit standing for a table or callout all of whose units are unpaired (its facts
    together)."""
    return replace(rows[0], kind=rows[0].whole[2], shown_text=rows[0].whole[3],
                   numbers=[n for r in rows for n in r.numbers],
                   links=[x for r in rows for x in r.links], cites=[c for r in rows for c in r.cites],
                   xrefs=[x for r in rows for x in r.xrefs],
                   text=" ".join(r.text for r in rows))


def mask_comments(text: str) -> tuple[str, ...]:
    """The file's lines with every HTML comment blanked (line count kept)."""
    masked = without(text, delimited(text, ("<!--", "-->")), lambda piece: "\n" * piece.count("\n"))
    return tuple(masked.split("\n"))


def of_block(block: dict, plain) -> list[Unit]:
    """The units of one top-level block (`plain` gives running text of AST nodes)."""
    t, c = block["t"], block.get("c")
    if t in ("Para", "Plain", "LineBlock"):
        inlines = c if t != "LineBlock" else [x for line in c for x in line + [{"t": "Space"}]]
        real = [x for x in inlines if x["t"] not in ("Space", "SoftBreak", "LineBreak")]
        if all(x["t"] == "RawInline" or (x["t"] == "Span" and not x["c"][1]) for x in real):
            return []  # nothing, or an anchor only (`<a id="old-name"></a>`): nothing to read
        kind = "figure" if len(real) == 1 and real[0]["t"] == "Image" else "paragraph"
        return [unit_of(kind, inlines, plain)]
    if t in ("BulletList", "OrderedList"):  # an item is one unit, with what is nested in it
        return [unit_of("list item", item, plain) for item in (c if t == "BulletList" else c[1])]
    if t == "CodeBlock":
        (_, classes, _), code = c
        return [Unit("code block", "", block, code=code, code_lang=classes[0] if classes else "",
                     shown_text=next((ln.strip() for ln in code.splitlines() if ln.strip()), ""))]
    if t == "Table":
        attr, _caption, _specs, head, bodies, foot = c
        rows = list(head[1]) + [r for body in bodies for r in body[2] + body[3]] + list(foot[1])
        units = [unit_of("table row", row, plain, sep=" | ") for row in rows]
        caption = plain(_caption[1]) or (units[0].text if units else "")
        for unit in units:
            unit.ident = attr[0]
            unit.whole = (id(block), len(units), f"table ({len(units)} rows)", caption)
        return units
    if t == "Figure":
        unit = unit_of("figure", c, plain)
        unit.ident = c[0][0]  # figures pair by ID, as sections do
        caption = plain(c[1][1])
        if caption.strip():  # the caption, not caption and alt text run together
            unit.text = caption
            unit.shown_text = stringify(c[1][1])
        return [unit]
    if t == "DefinitionList":
        units = [unit_of("definition", item, plain) for item in c]
        for unit, (term, definitions) in zip(units, c):  # quoted as read: "frame: Cet…", not
            unit.shown_text = ": ".join(x for x in (  # "frameCet…"
                stringify(term), " ".join(stringify(b) for d in definitions for b in d)) if x)
        return units
    if t == "Div" and "callout-title" in c[0][1]:  # a title its author wrote: a heading
        return [unit_of("callout title", c[1], plain)]
    if t == "Div" and "callout" in c[0][1]:
        units = [u for child in c[1] for u in of_block(child, plain)]
        kind = next((x[len("callout-"):] for x in c[0][1] if x.startswith("callout-")), "")
        for unit in units:
            unit.whole = (id(block), len(units), f"{kind} callout", units[0].shown)
            unit.callout = kind
        return units
    if t in ("BlockQuote", "Div"):
        return [u for child in (c if t == "BlockQuote" else c[1]) for u in of_block(child, plain)]
    return []  # RawBlock, HorizontalRule, Null: nothing a reader reads


# blocks that hold no callout: most of a manuscript, not walked for one
_LEAVES = ("Para", "Plain", "LineBlock", "Header", "CodeBlock", "RawBlock", "HorizontalRule")


def without_generated_titles(block: dict) -> dict:
    """`block` without the titles the build gave its callouts that have none ("Note" in
    English, "Remarque" in French): no text of the manuscript, they pair with nothing. A copy
    where it changes: the AST is the renderers' too."""
    if block["t"] in _LEAVES or not any(_generated(el) for el in walk(block)):
        return block
    block = copy.deepcopy(block)
    for el in walk(block):
        if _generated(el):
            el["c"][1] = el["c"][1][1:]
    return block


def _generated(el: dict) -> bool:
    """`el` is a callout (callouts.py) whose title the build gave it."""
    if el.get("t") != "Div" or "callout" not in el["c"][0][1] or not el["c"][1]:
        return False
    first = el["c"][1][0]
    return first.get("t") == "Div" and GENERATED in first["c"][0][1] \
        and "callout-title" in first["c"][0][1]


def unit_of(kind: str, node, plain, sep: str = " ") -> Unit:
    if kind == "table row":
        _attr, cells = node
        text = sep.join(plain(cell[4]) for cell in cells)
    else:
        text = plain(node)
    unit = Unit(kind, text, node, shown_text=text if kind == "table row" else "")
    for el in _walk_outside_cites(node, unit):
        t, c = el["t"], el.get("c")
        if t == "Link" and crossref.LINK_CLASS in c[0][1]:
            unit.xrefs.append(c[2][0][1:])
        elif t == "Link" or t == "Image":
            unit.links.append(c[2][0])
            unit.linked += len(plain(c[1])) if t == "Link" else 0
        elif t == "Code":
            unit.inline_code.append(c[1])
        elif t == "Note":
            unit.notes += 1
        elif t in ("BulletList", "OrderedList"):
            unit.nested += len(c if t == "BulletList" else c[1])
        elif t == "CodeBlock":
            unit.codes.append((c[1], c[0][1][0] if c[0][1] else ""))
    return unit


def _walk_outside_cites(node, unit: Unit):
    """Elements below `node`; a citation's keys are recorded (a cross-reference's apart), its
    generated links skipped, as is a resolved cross-reference's text ("Figure 1")."""
    if isinstance(node, dict):
        if node.get("t") == "Cite":
            for key in (x["citationId"] for x in node["c"][0]):
                if crossref.is_cross_reference(key):
                    unit.xrefs.append(crossref.target_of(key))
                else:
                    unit.cites.append(key)
            return
        if node.get("t") == "Link" and crossref.LINK_CLASS in node["c"][0][1]:
            yield node
            return
        if "t" in node:
            yield node
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from _walk_outside_cites(value, unit)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_outside_cites(item, unit)


def _needle(unit: Unit) -> str:
    if unit.kind == "code block":
        return next((ln.strip() for ln in unit.code.splitlines() if ln.strip()), "")
    tokens = _TOKEN.findall(unit.text)[:8]
    if not tokens and unit.links:
        return unit.links[0]
    if not tokens and unit.inline_code:  # `- `forEach()`` (an API's list): its code is all
        return max(unit.inline_code, key=len)  # there is to find (every such item was put at
    return max(tokens[:6], key=len) if tokens else ""  # the first one's line)


def _in_order(line: str, words: list[str]) -> bool:
    at = 0
    for word in words:
        at = line.find(word, at)
        if at < 0:
            return False
        at += len(word)
    return True


def locate(units: list[Unit], lines: tuple[str, ...], first: int, last: int) -> None:
    """Give each unit its first and last line within lines[first..last] (1-based), in order: the
    first line holding the unit's first words in order, else its longest early word."""
    cursor = first
    lows: dict[int, str] = {}

    def low(number: int) -> str:
        if number not in lows:
            lows[number] = lines[number - 1].lower()
        return lows[number]

    for unit in units:
        needle = _needle(unit).lower()
        words = [w.lower() for w in _TOKEN.findall(unit.text)[:3]] if unit.kind != "code block" else []
        unit.line = cursor
        found = None
        if needle:
            found = next((n for n in range(cursor, last + 1) if needle in low(n)), None)
        if found is not None and len(words) == 3 and not _in_order(low(found), words):
            # the word may sit in the previous block's last lines: a line just below, or the
            # lines down to it, holding the first words in order start the block (a list
            # item's short first line `- [Cache](…)`, its longest early word on the next)
            found = next((start for n in range(found, min(found + NEAR, last) + 1)
                          if needle in low(n) and (start := _start(n, cursor, words, low))), found)
        if found is not None:
            unit.line = found
            span = unit.code.count("\n") + 1 if unit.kind == "code block" else 1
            cursor = min(found + span, last + 1)
    for i, unit in enumerate(units):
        nxt = units[i + 1].line if i + 1 < len(units) else last + 1
        unit.end = max(unit.line, min(nxt - 1, last)) if nxt > unit.line else max(unit.line, last)


def _start(line: int, cursor: int, words: list[str], low) -> int | None:
    """Where a block whose early word is on `line` starts: that line if it holds the block's
    first words in order, else the nearest line above (not above `cursor`) holding the
    first word from which the lines down to `line` hold them in order; else None."""
    if _in_order(low(line), words):
        return line
    for start in range(line - 1, max(cursor, line - NEAR) - 1, -1):
        if words[0] in low(start) and _in_order(" ".join(low(n) for n in range(start, line + 1)),
                                                words):
            return start
    return None


def find_line(unit: Unit, lines: tuple[str, ...], surface: str) -> int:
    """The line of `surface` within the unit, else the unit's first line."""
    if surface:
        low = surface.lower()
        for number in range(max(unit.line, 1), min(unit.end, len(lines)) + 1):
            if low in lines[number - 1].lower():
                return number
        # numbers may be written with another separator in the source than in the AST
        digits = re.sub(r"\D", "", surface)
        if digits:
            for number in range(max(unit.line, 1), min(unit.end, len(lines)) + 1):
                if digits in re.sub(r"\D", "", lines[number - 1]):
                    return number
    return unit.line


@dataclass(frozen=True)
class _Span:
    """A unit's lines, as `sources.written_line` reads a file's."""

    shown: str
    lines: tuple[str, ...]


def written_forms(target: str) -> list[str]:
    """How a link's target may be written in the source, longest first: as the AST has it,
    then, for a web address the build may have made of a path (`links.base-url`: `/fr/docs/x`
    became `https://…/fr/docs/x`), its path and the path's tails."""
    parts = urlsplit(target)
    if not parts.netloc:
        return [target]
    tail = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    segments = tail.lstrip("/").split("/")
    return [target, tail] + ["/".join(segments[i:]) for i in range(len(segments)) if segments[i]]


def find_link(unit: Unit, lines: tuple[str, ...], target: str) -> int:
    """The line within the unit that writes the link to `target` (a target ending there, not
    the start of a longer one), else `find_line`'s."""
    start = max(unit.line, 1)
    span = [_Span("", tuple(lines[start - 1:min(unit.end, len(lines))]))]
    for form in written_forms(target):
        _, found = written_line(span, form, whole=True)
        if found:
            return start + found - 1
    return find_line(unit, lines, target)
