"""A parsed document as a flat list of sections, each with the facts the checks compare.

A section is a heading plus the blocks up to the next heading of any level, so moving or
relevelling one heading changes the facts of that section only. Facts are taken from pandoc's
AST, never from the Markdown, and located back in the source by searching the section's lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .. import crossref
from ..ast import stringify, walk
from . import numbers as nums
from . import units as units_mod

_SKIP_TEXT = {"Cite", "Note", "Code", "RawInline", "RawBlock", "Math"}
_BLOCKS = {"Plain", "Para", "LineBlock", "BlockQuote", "OrderedList", "BulletList", "DefinitionList",
           "Header", "Table", "Figure", "Div"}


@dataclass(frozen=True)
class Block:
    """A top-level block as the html report shows it: plain text, list items or table rows."""

    kind: str  # para, list, quote, code, table, heading, other
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass
class Section:
    key: str  # the heading's ID ("" for text before the first heading)
    explicit: bool  # the ID was written in the source, not generated
    level: int
    title: str
    file: str
    line: int
    end: int  # last source line of the section's own text
    lines: tuple[str, ...] = ()  # the whole source file, for locating facts
    raw: list[dict] = field(default_factory=list)  # its top-level AST blocks
    units: list[str] = field(default_factory=list)  # text of each paragraph-like leaf, cites left out
    counts: dict = field(default_factory=dict)
    cites: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    numbers: list[nums.Number] = field(default_factory=list)
    parts: list[units_mod.Unit] = field(default_factory=list)  # heading, then the blocks a reader reads
    masked: tuple[str, ...] = ()  # the source lines with HTML comments blanked
    index: int = 0
    duplicate: bool = False  # its ID is used earlier in the same language
    lang: str = ""  # the document's language
    context: str = ""  # what tells it from sections of the same title (`qualify`)
    nth: int = 0  # of sections named alike still, the how-manieth (`qualify`)

    @property
    def name(self) -> str:
        """How messages, report groups and waivers name the section: its ID when written, else
        its title (else, for a heading with no text at all, the ID pandoc gave it), after what
        tells it from others of that title (`qualify`: "Orbit > See also")."""
        if self.explicit or (self.level and not self.title):
            return self.key or "(untitled heading)"
        own = self.title or "(before the first heading)"
        own = f"{self.context} > {own}" if self.context else own
        return f"{own} ({self.nth})" if self.nth > 1 else own

    @property
    def text(self) -> str:
        return " ".join(self.units)

    @property
    def blocks(self) -> list[Block]:
        return [display(b) for b in self.raw]

    def locate(self, needle: str) -> int:
        """The first line of this section containing `needle` (case-insensitive), else its heading."""
        if needle:
            low = needle.lower()
            for number in range(max(self.line, 1), self.end + 1):
                if low in self.lines[number - 1].lower():
                    return number
        return self.line


def plain(node) -> str:
    """Running text of inlines/blocks without citations, notes, code and raw markup."""
    parts: list[str] = []

    def visit(n) -> None:
        if isinstance(n, list):
            for item in n:
                visit(item)
        elif isinstance(n, dict):
            t, c = n.get("t"), n.get("c")
            if t in _SKIP_TEXT:
                return
            if t in _BLOCKS:  # the words of two blocks are two words ("paths match:", "/docs")
                parts.append(" ")
            if t == "Str":
                parts.append(c)
            elif t in ("Space", "SoftBreak", "LineBreak"):
                parts.append(" ")
            elif t == "Quoted":
                visit(c[1])
            elif t == "Link" and crossref.LINK_CLASS in c[0][1]:
                return  # "Figura 2": generated, and numbered per language
            elif t == "Span" and "caption-label" in c[0][1]:
                return
            elif t in ("Link", "Image", "Span"):
                visit(c[1])
            elif t == "Header":
                visit(c[2])
            elif t == "LineBlock":
                for line in c:
                    visit(line); parts.append(" ")
            elif c is not None:
                visit(c)

    visit(node)
    return " ".join("".join(parts).split())


def explicit_id(line: str, ident: str) -> bool:
    # (from the last `{` before the ID: from each of a line's `{` to its end was quadratic)
    return bool(ident) and re.search(r"\{[^{}]*#" + re.escape(ident) + r"(?=[\s}])", line) is not None


def flatten(block: dict) -> Iterator[dict]:
    """Top-level blocks with heading-bearing Divs opened up (a Div may wrap a whole chapter)."""
    if block["t"] == "Div" and any(el["t"] == "Header" for el in walk(block["c"][1])):
        for child in block["c"][1]:
            yield from flatten(child)
    else:
        yield block


def build(blocks: list[dict], owners: list[int] | tuple[int, ...], files, headings,
          lang: str, others: tuple[str, ...] = ()) -> list[Section]:
    """Sections of one document. `headings` come in the order manuscript._headings yields them;
    `others`, the other languages its numbers may be written in (`numbers.extract`)."""
    lines_of = {f.shown: tuple(f.lines) for f in files}
    masked_of = {f.shown: units_mod.mask_comments(f.text) for f in files}
    pending = iter(headings)
    sections: list[Section] = []
    current: Section | None = None
    for block, owner in zip(blocks, owners):
        if owner < 0:  # generated (reference list): consume its heading, check nothing
            for el in ([block] if block["t"] == "Header" else walk(block)):
                if el["t"] == "Header":
                    next(pending, None)
            continue
        file = files[owner]
        for item in flatten(block):
            if item["t"] == "Header":
                heading = next(pending, None)
                level, (ident, _, _), inlines = item["c"]
                line = heading.line if heading else 0
                raw = file.lines[line - 1] if 0 < line <= len(file.lines) else ""
                # named as a reader sees it: a heading of inline code alone (`filter()`) has a title
                current = Section(ident, explicit_id(raw, ident), level, stringify(inlines),
                                  file.shown, line, 0, lines_of[file.shown], index=len(sections),
                                  masked=masked_of[file.shown])
                current.units.append(plain(inlines))
                current.parts.append(units_mod.unit_of("heading", inlines, plain))
                sections.append(current)
                continue
            if current is None or current.file != file.shown:  # text before a file's first heading
                current = Section("", False, 0, "", file.shown, 1, 0, lines_of[file.shown],
                                  masked=masked_of[file.shown])
                sections.append(current)
            _add_block(current, item)
    for i, section in enumerate(sections):
        section.index = i
        section.lang = lang
        nxt = sections[i + 1] if i + 1 < len(sections) else None
        same = nxt is not None and nxt.file == section.file and nxt.line > section.line
        section.end = nxt.line - 1 if same else len(section.lines)
        _finish(section, lang, others)
    qualify(sections)
    return sections


def qualify(sections: list[Section]) -> None:
    """A name several sections would share (every chapter's "See also") gets the name of the
    section each is in, or its file's for text before a first heading ("Orbit > See also",
    "02-orbit.md > (before the first heading)"); what is shared still is numbered, "(2)" on.
    One section, one name: in report groups and in a waiver's `section:`."""
    shared = Counter(s.name for s in sections)
    parents: list[Section] = []  # the headings above the current one, in its file
    for s in sections:
        while parents and (parents[-1].file != s.file or parents[-1].level >= s.level):
            parents.pop()
        if shared[s.name] > 1 and not s.explicit:
            s.context = parents[-1].name if parents else PurePosixPath(s.file).name
        if s.level:
            parents.append(s)
    shared, seen = Counter(s.name for s in sections), Counter()
    for s in sections:
        if shared[s.name] > 1 and not s.explicit:
            seen[s.name] += 1
            s.nth = seen[s.name]


def _add_block(section: Section, block: dict) -> None:
    t = block["t"]
    if t == "HorizontalRule":
        return
    if t in ("Para", "Plain", "LineBlock"):
        section.counts["paragraphs"] = section.counts.get("paragraphs", 0) + 1
    section.raw.append(block)  # as a reader sees it
    block = units_mod.without_generated_titles(block)  # as written
    section.parts.extend(units_mod.of_block(block, plain))
    for el in walk(block):
        if el["t"] in ("Para", "Plain", "LineBlock"):
            text = plain(el)
            if text:
                section.units.append(text)
        else:
            _count(section, el)


def display(block: dict) -> Block:
    """How the html report shows a top-level block (computed only when a report asks)."""
    t, c = block["t"], block.get("c")
    if t in ("BulletList", "OrderedList"):
        items = c if t == "BulletList" else c[1]
        return Block("list", items=tuple(stringify(i) for i in items))
    kind = {"Para": "para", "Plain": "para", "LineBlock": "para", "BlockQuote": "quote",
            "CodeBlock": "code", "Table": "table"}.get(t, "other")
    return Block(kind, c[1] if t == "CodeBlock" else stringify(block))


def _count(section: Section, el: dict) -> None:
    counts, t, c = section.counts, el["t"], el.get("c")
    if t in ("BulletList", "OrderedList"):
        items = c if t == "BulletList" else c[1]
        counts["lists"] = counts.get("lists", ()) + (len(items),)
    elif t == "Note":
        counts["footnotes"] = counts.get("footnotes", 0) + 1
    elif t == "BlockQuote":
        counts["block quotes"] = counts.get("block quotes", 0) + 1
    elif t == "CodeBlock":
        counts["code blocks"] = counts.get("code blocks", 0) + 1
        section.code.append(c[1])
    elif t == "Code":
        section.code.append(c[1])
    elif t == "Image":
        counts["images"] = counts.get("images", 0) + 1
        section.links.append(c[2][0])
    elif t == "Link":
        section.links.append(c[2][0])
    elif t == "Cite":
        section.cites.extend(x["citationId"] for x in c[0])
    elif t == "Table":
        counts["tables"] = counts.get("tables", ()) + (_table_shape(c),)


def _table_shape(c: list) -> tuple[int, int]:
    """(rows, columns) of a pandoc Table: header, body and footer rows all count."""
    _attr, _caption, colspecs, head, bodies, foot = c
    rows = len(head[1]) + len(foot[1])
    for body in bodies:
        rows += len(body[2]) + len(body[3])
    return rows, len(colspecs)


def _finish(section: Section, lang: str, others: tuple[str, ...] = ()) -> None:
    """Numbers per unit, and each unit's lines (the heading's line is known already)."""
    parts = section.parts
    if parts and parts[0].kind == "heading":
        parts[0].line = parts[0].end = section.line
        body, first = parts[1:], section.line + 1
    else:
        body, first = parts, max(section.line, 1)
    units_mod.locate(body, section.masked, first, min(section.end, len(section.masked)))
    if not section.level and body:  # text before the first heading starts where its text does
        section.line = body[0].line
    for unit in parts:
        unit.numbers = nums.extract(unit.text, lang, others) if unit.text else []
        unit.numbers += nums.in_code(unit.inline_code)  # `80` beside the other side's 80
        section.numbers.extend(unit.numbers)
