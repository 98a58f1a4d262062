"""The Carpentries Workbench's lessons (sandpaper): boxes written as pandoc's fenced divs, each
named by its first class (`::: challenge`, `:::: solution` inside it, `::: callout`), as the
Workbench's filter reads them. A box is a callout of the nearest kind (`callouts`), its
heading, when it opens with one, its title: a challenge or a discussion an exercise, a solution
a solution, a hint a tip, the rest notes; a lesson's objectives, questions and key points are
notes titled so in the edition's language. A tab set (`::: tab`, `::: group-tab`) is each tab
in turn under its heading, as other tools' tabs are (Quarto's `::: {.panel-tabset}` too); an
instructor note is left out, as the lesson's learner view shows nothing of it (a book is the
learners')."""

from __future__ import annotations

from ..ast import stringify, walk
from ..callouts import block_lists

KINDS = {"callout": "note", "caution": "caution", "challenge": "exercise",
         "discussion": "exercise", "solution": "solution", "hint": "tip", "spoiler": "note",
         "prereq": "note", "checklist": "note", "testimonial": "note", "objectives": "note",
         "questions": "note", "keypoints": "note"}
_TABS = ("tab", "group-tab", "panel-tabset")  # the last Quarto's, read alike
BOX_MARK = "box-"  # the class of the empty span `liquid` marks a quote as a lesson's box with
_INSTRUCTOR = "instructor"


def tidy(blocks: list) -> None:
    """Every box of `blocks` (any depth) made a callout pandoc's way (`callout-<kind>`), each
    tab set tabs, each instructor note left out, in place."""
    blocks[:] = _boxes(blocks, _NOTHING)  # one block stays one: each has its chapter's line
    for el in walk(blocks):  # an element's children are walked after it is changed
        for inner in block_lists(el):
            inner[:] = _boxes(inner)


def _named(block) -> str | None:
    if not (isinstance(block, dict) and block.get("t") == "Div" and block["c"][0][1]):
        return None
    classes = block["c"][0][1]
    if any(c.startswith("callout-") for c in classes):
        return None  # Quarto's callout, or one made already
    return classes[0]


_NOTHING = {"t": "Div", "c": [["", [], []], []]}


def _unquoted(block):
    """A quote its first line marks as a lesson's box (`liquid`: `> ## []{.box-challenge}…`,
    kramdown's `{: .challenge}` under it), the div the Workbench writes for it."""
    if not (isinstance(block, dict) and block.get("t") == "BlockQuote" and block["c"]
            and block["c"][0].get("t") in ("Para", "Plain", "Header")):
        return block
    first = block["c"][0]
    inlines = first["c"][2] if first["t"] == "Header" else first["c"]
    span = inlines[0] if inlines else {}
    classes = span["c"][0][1] if span.get("t") == "Span" and not span["c"][1] else []
    if len(classes) != 1 or not classes[0].startswith(BOX_MARK) \
            or classes[0][len(BOX_MARK):] not in KINDS:
        return block
    del inlines[0]
    body = block["c"] if inlines else block["c"][1:]
    return {"t": "Div", "c": [["", [classes[0][len(BOX_MARK):]], []], body]}


def _boxes(blocks: list, instead: dict | None = None) -> list:
    out = []
    for block in map(_unquoted, blocks):
        name = _named(block)
        if name == _INSTRUCTOR:
            if instead is not None:
                out.append(dict(instead))
            continue
        if name in _TABS:
            out.append(_tabs(block))
        elif name in KINDS:
            (ident, classes, attrs), body = block["c"]
            kept = [c for c in classes if c != "callout"]  # `callout` is the made one's class
            out.append({"t": "Div", "c": [[ident, [f"callout-{KINDS[name]}", *kept], attrs],
                                          body]})
        else:
            out.append(block)
    return out


def _tabs(block: dict) -> dict:
    """A tab set: each heading of its own at the level of its first opens a tab (`tab-item`)
    labelled with its text; a deeper heading is the tab's (Quarto's `### Details` under
    `## R`)."""
    (ident, classes, attrs), body = block["c"]
    tabs, current = [], None
    level = next((c["c"][0] for c in body if c.get("t") == "Header"), 0)
    for child in body:
        if child.get("t") == "Header" and child["c"][0] <= level:
            title = [["title", stringify(child["c"][2])]]
            current = {"t": "Div", "c": [["", ["tab-item"], title], []]}
            tabs.append(current)
        elif current is None:
            tabs.append(child)  # what comes before the first tab, as written
        else:
            current["c"][1].append(child)
    return {"t": "Div", "c": [[ident, ["tab-set", *classes], attrs], tabs]}
