"""What the HTML report shows of a section: its blocks as the manuscript wrote them (emphasis,
code and links kept), the facts a finding points at highlighted, and a block that exists on one
side only marked as a whole. The template (templates/parity-report.html.j2) does the markup;
this module only cuts the text into styled, highlighted pieces.
"""

from __future__ import annotations

import re

from .findings import Finding
from .units import Unit

# pandoc inline element → HTML tag the template may open (a fixed list: nothing else is emitted)
_TAGS = {"Emph": "em", "Strong": "strong", "Underline": "u", "Strikeout": "s",
         "Superscript": "sup", "Subscript": "sub", "SmallCaps": "small"}
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def lang_attr(code: str) -> str:
    """`code` when it is a BCP 47 language tag, else '' (compare may say "source")."""
    return code if _LANG_TAG.match(code or "") else ""


def runs(node) -> list[tuple[str, tuple[str, ...]]]:
    """Inline text of an AST node as (text, tags) runs; notes and raw markup left out."""
    out: list[tuple[str, tuple[str, ...]]] = []

    def visit(n, tags: tuple[str, ...]) -> None:
        if isinstance(n, list):
            for item in n:
                visit(item, tags)
            return
        if not isinstance(n, dict):
            return
        t, c = n.get("t"), n.get("c")
        if t == "Str":
            out.append((c, tags))
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append((" ", tags))
        elif t in ("Code", "Math"):
            out.append((c[-1], tags + ("code",)))
        elif t in _TAGS:
            visit(c, tags + (_TAGS[t],))
        elif t == "Link":
            visit(c[1], tags + ("a",))
        elif t in ("Image", "Span"):
            visit(c[1], tags)
        elif t == "Cite":
            visit(c[1], tags)
        elif t == "Quoted":
            quote = "“”" if c[0]["t"] == "DoubleQuote" else "‘’"
            out.append((quote[0], tags)); visit(c[1], tags); out.append((quote[1], tags))
        elif t in ("Note", "RawInline", "RawBlock"):
            return
        elif t in ("Para", "Plain"):
            if out and not out[-1][0].endswith(" "):
                out.append((" ", ()))
            visit(c, tags)
        elif t == "CodeBlock":
            out.append((" " + c[1] + " ", tags + ("code",)))
        elif c is not None:
            visit(c, tags)

    visit(node, ())
    merged: list[tuple[str, tuple[str, ...]]] = []
    for text, tags in out:
        if merged and merged[-1][1] == tags:
            merged[-1] = (merged[-1][0] + text, tags)
        else:
            merged.append((text, tags))
    return [(re.sub(r"\s+", " ", t) if "code" not in g else t, g) for t, g in merged if t]


def highlight(pieces: list[tuple[str, tuple[str, ...]]], needles: list[tuple[str, Finding]]):
    """(text, tags, finding or None) pieces: the runs cut where a finding's needle occurs."""
    if not needles:
        return [(text, tags, None) for text, tags in pieces]
    by_needle = {n.lower(): f for n, f in needles}
    pattern = re.compile("|".join(re.escape(n) for n in sorted(by_needle, key=len, reverse=True)),
                         re.IGNORECASE)
    full = "".join(text for text, _ in pieces)
    marks = [(m.start(), m.end(), by_needle[m.group(0).lower()]) for m in pattern.finditer(full)]
    out, at = [], 0
    for text, tags in pieces:
        end = at + len(text)
        cuts = sorted({at, end} | {x for s, e, _ in marks for x in (s, e) if at < x < end})
        for a, b in zip(cuts, cuts[1:]):
            found = next((f for s, e, f in marks if s <= a and b <= e), None)
            out.append((full[a:b], tags, found))
        at = end
    return out


def unit_view(unit: Unit, needles: list[tuple[str, Finding]], lone: Finding | None) -> dict:
    if unit.kind == "code block":
        pieces = [(unit.code, ())]
    elif unit.kind == "table row":
        _attr, cells = unit.node
        pieces = []
        for i, cell in enumerate(cells):
            pieces += ([(" | ", ())] if i else []) + runs(cell[4])
    else:
        pieces = runs(unit.node)
    return {"kind": unit.kind, "pieces": highlight(pieces, needles), "lone": lone}


def section_view(section, findings: list[Finding]) -> dict | None:
    """A section's heading and blocks, list items and table rows grouped as they were written."""
    if section is None:
        return None
    own = [f for f in findings if f.file == section.file]
    needles = [(f.needle, f) for f in own if f.needle and not f.code.startswith("block-")]
    lone = {f.line: f for f in own if f.code in ("block-missing", "block-extra")}
    groups: list[dict] = []
    title = section.parts[0] if section.parts and section.parts[0].kind == "heading" else None
    for unit in section.parts[1:] if title else section.parts:
        view = unit_view(unit, needles, lone.get(unit.line))
        kind = {"list item": "list", "table row": "table"}.get(unit.kind)
        if kind and groups and groups[-1]["kind"] == kind:
            groups[-1]["units"].append(view)
        else:
            groups.append({"kind": kind or unit.kind, "units": [view]})
    heading = highlight(runs(title.node) if title else [(section.title, ())], needles)
    return {"name": section.name, "title": section.title, "level": section.level,
            "where": f"{section.file}:{section.line}", "heading": heading, "groups": groups}
