"""Callouts: a note, tip, important point, warning or caution set apart from the text, written
as Quarto writes them (`::: {.callout-note}`, with a `title` attribute or a heading of its own)
or as GitHub and Obsidian do (`> [!NOTE]` opening a quote, `> [!tip] Title`); other tools'
admonitions come as one of these from `dialects`. All become one element in the AST every
format and the cross-check read: a div of class `callout callout-<kind>` whose first block is
its title (`callout-title`), the language's word (`typography.yaml`) when it gives none.
"""

from __future__ import annotations

import re

from .ast import inlines, walk
from .render.typography import BOXES, CALLOUTS, UNLISTED

GENERATED = "generated"  # the class of a title the build gave a callout that has none

# Other tools' kinds of admonition, as the nearest of the five (Sphinx and MyST, MkDocs'
# Material, Docusaurus, Obsidian): `dialects` and the quote mark `> [!DANGER]` read them
ALIASES = {
    "info": "note", "seealso": "note", "abstract": "note", "summary": "note", "tldr": "note",
    "todo": "note", "question": "note", "help": "note", "faq": "note", "example": "note",
    "quote": "note", "cite": "note", "admonition": "note", "dropdown": "note",
    "hint": "tip", "success": "tip", "check": "tip", "done": "tip",
    "attention": "important",
    "danger": "caution", "error": "caution", "failure": "caution", "fail": "caution",
    "missing": "caution", "bug": "caution"}
# Quarto's options of a callout, which say how a page shows it (an icon, folded, its look):
# a book shows every callout whole, with its title
_OPTIONS = ("icon", "collapse", "appearance")
# Bootstrap's alert colours (`<div class="alert alert-warning">`, as Jekyll sites such as The
# Programming Historian write their notes, and their `alert.html` includes): the nearest kind
ALERT_COLOURS = {"warning": "warning", "danger": "caution", "success": "tip", "info": "note",
                  "primary": "note", "secondary": "note", "light": "note", "dark": "note"}
_BREAKS = ("SoftBreak", "LineBreak")


def kind_of(name: str) -> str | None:
    """The callout kind `name` means (`danger` → `caution`), None for none."""
    name = name.lower()
    return name if name in CALLOUTS else ALIASES.get(name)


def _mark(inline: dict) -> str | None:
    """The kind `[!NOTE]` (GitHub), `[!danger]-` (Obsidian, folded) opens a quote with."""
    text = str(inline.get("c", "")) if inline.get("t") == "Str" else ""
    match = re.fullmatch(r"\[!([A-Za-z]+)\][+-]?", text)
    return kind_of(match.group(1)) if match else None


def _bold_mark(inlines: list) -> tuple[str, list, list] | None:
    """(kind, title, the rest) of a quote opening with its kind in bold, as MDN wrote its notes
    before GitHub's marks (`> **Note:** …`, `> **Warning:**`, in French `> **Note :**`) and
    GitHub's first alerts did (`> **Note**`): the word, as written, is the title."""
    if inlines[0].get("t") != "Strong":
        return None
    title = list(inlines[0]["c"])
    while title and title[-1].get("t") in ("Space", *_BREAKS):
        title.pop()
    if title and title[-1].get("t") == "Str" and title[-1]["c"].endswith(":"):
        word = title[-1]["c"].rstrip(":").rstrip("\u00a0\u202f ")
        title = title[:-1] + ([{"t": "Str", "c": word}] if word else [])
    while title and title[-1].get("t") in ("Space", *_BREAKS):
        title.pop()
    if len(title) != 1 or title[0].get("t") != "Str" or not (kind := kind_of(title[0]["c"])):
        return None
    rest = inlines[1:]
    if rest and rest[0] == {"t": "Str", "c": ":"}:  # `**Note**:`
        rest = rest[1:]
    while rest and rest[0].get("t") in ("Space", *_BREAKS):
        rest = rest[1:]
    return kind, title, rest


def apply(blocks: list, title_of) -> None:
    """Every callout in `blocks` made the one element, in place; `title_of(kind)` is the title
    of one that gives none."""
    blocks[:] = [_callout(block, title_of) for block in blocks]
    for el in walk(blocks):  # an element's children are walked after it is changed
        for inner in block_lists(el):
            inner[:] = [_callout(block, title_of) for block in inner]


def block_lists(el: dict) -> list[list]:
    """The lists of blocks directly inside `el` (a quote's, a div's, a list item's, a
    definition's, a note's)."""
    t, c = el.get("t"), el.get("c")
    if t in ("BlockQuote", "Note"):
        return [c]
    if t == "Div":
        return [c[1]]
    if t == "BulletList":
        return list(c)
    if t == "OrderedList":
        return list(c[1])
    if t == "DefinitionList":  # each term's definitions (a note in one was a plain quote)
        return [blocks for _, definitions in c for blocks in definitions]
    return []


def _callout(block, title_of):
    if not isinstance(block, dict):
        return block
    if block.get("t") == "BlockQuote":
        first = block["c"][0] if block["c"] else {}
        inlines = first.get("c") if first.get("t") in ("Para", "Plain") else None
        kind = _mark(inlines[0]) if inlines else None
        if kind and (len(inlines) == 1 or inlines[1].get("t") in (*_BREAKS, "Space")):
            # `> [!TIP] Title` (Obsidian; MkDocs' admonitions come as this): the rest of the
            # line is the title
            title, rest = [], inlines[2:]
            if inlines[1:2] and inlines[1]["t"] == "Space":
                cut = next((i for i, x in enumerate(rest) if x.get("t") in _BREAKS), len(rest))
                title, rest = rest[:cut], rest[cut + 1:]
            body = ([dict(first, c=rest)] if rest else []) + block["c"][1:]
            return _made(kind, title or "", body, title_of)
        if inlines and (bold := _bold_mark(inlines)):
            kind, title, rest = bold
            body = ([dict(first, c=rest)] if rest else []) + block["c"][1:]
            return _made(kind, title, body, title_of)
    if block.get("t") == "Div":
        (ident, classes, attrs), body = block["c"]
        kind = next((c[len("callout-"):] for c in classes if c.startswith("callout-")
                     and c[len("callout-"):] in CALLOUTS), None) or _alert_kind(classes)
        if kind and "callout-title" not in classes and "callout" not in classes:
            title, mark = dict(attrs).get("title", ""), []
            if not title and body and body[0].get("t") == "Header":
                # the heading is the title, and no section: `callout-heading` tells the heading
                # finder that a heading line of the source was this one
                title, body, mark = body[0]["c"][2], body[1:], ["callout-heading"]
            # a lesson's objectives, questions, key points (the Carpentries Workbench's) are
            # titled so, in the edition's language
            named = next((c for c in classes if c in BOXES), kind)
            return _made(kind, title, body, lambda _: title_of(named), ident,
                         [[k, v] for k, v in attrs if k not in ("title", *_OPTIONS)], mark,
                         [c for c in classes if c != f"callout-{kind}" and c != "alert"
                          and not c.startswith("alert-")])
    return block


def _alert_kind(classes: list) -> str | None:
    """The kind of a Bootstrap alert (`alert alert-info`; a note when no colour is known),
    which a book showed as a plain paragraph; None when `classes` name none."""
    if "alert" not in classes:
        return None
    colour = next((c[len("alert-"):] for c in classes if c[len("alert-"):] in ALERT_COLOURS
                   and c.startswith("alert-")), None)
    return ALERT_COLOURS[colour] if colour else "note"


def _made(kind: str, title, body: list, title_of, ident: str = "", attrs=(), mark=(),
          classes=()) -> dict:
    if not title:  # the build's words, which the cross-check pairs with nothing
        mark = [*mark, GENERATED]
    if isinstance(title, str):
        title = inlines(title or title_of(kind))
    for el in walk(body):  # the box's own headings ("Tip 1.1", "Solution to Challenge 1.1"):
        if el.get("t") == "Header":  # no sections of the chapter, numbered and listed
            el["c"][1][1] += [c for c in ("unnumbered", UNLISTED) if c not in el["c"][1][1]]
    heading = {"t": "Div", "c": [["", ["callout-title", *mark], []],
                                 [{"t": "Plain", "c": [{"t": "Strong", "c": title}]}]]}
    return {"t": "Div", "c": [[ident, ["callout", f"callout-{kind}", *classes], list(attrs)],
                              [heading, *body]]}
