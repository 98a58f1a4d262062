"""What no format nests, taken apart after the policy's walk (`apart`): a link in a link, a
note in a link, a note in a note."""

from __future__ import annotations

from .ast import inlines as inline_words, stringify, walk
from .raw_links import nests


# where an inline holding inlines holds them (pandoc's JSON): its content, or this index of it
_HOLDERS = {"Emph": None, "Strong": None, "Underline": None, "Strikeout": None,
            "Superscript": None, "Subscript": None, "SmallCaps": None, "Span": 1, "Quoted": 1,
            "Cite": 1}


def apart(node) -> None:
    """What no format nests, taken apart in place (after the policy's walk, which bounds the
    nesting):

    - a link in a link, a note in a link: HTML has no link in a link (EPUBCheck RSC-005 "The a
      element must not appear inside a elements"), and a footnote's mark is a link. Written
      `[text^[a note]](url)`, `<a href>` around `[x](y)`, or `<a>` in `<a>`: the outer link's
      text stays its link in parts around what it held (in emphasis too), its ID on the first
      part, as HTML's parser and CommonMark give the inner link its own;
    - a note in a note (`^[Outer ^[inner] text.]`): pandoc's EPUB gave both marks one ID
      (RSC-005 "Duplicate ID"), and a page has no note of a note; the inner one is its text
      in parentheses, where it was called, as an editor would set it."""
    stack = [node]
    while stack:
        node = stack.pop()
        if type(node) is list:
            if any(type(x) is dict and x.get("t") == "Link" and _holds(x["c"][1]) for x in node):
                node[:] = [part for x in node for part in _split(x)]
            stack.extend(node)
        elif type(node) is dict:
            if node.get("t") == "Note":
                _inline_notes(node["c"])
            stack.extend(node.values() if "t" not in node else [node.get("c")])


def _inline_notes(blocks: list) -> None:
    """Every note inside a note's blocks made its text in parentheses, in place."""
    stack = [blocks]
    while stack:
        node = stack.pop()
        if type(node) is list:
            while any(type(x) is dict and x.get("t") == "Note" for x in node):  # one a level
                out: list = []
                for x in node:
                    if type(x) is dict and x.get("t") == "Note":
                        spaced = not out or out[-1].get("t") in ("Space", "SoftBreak")
                        out += ([] if spaced else [{"t": "Space"}]) + _parenthesised(x["c"])
                    else:
                        out.append(x)
                node[:] = out
            stack.extend(node)
        elif type(node) is dict:
            stack.extend(node.values() if "t" not in node else [node.get("c")])


def _parenthesised(blocks: list) -> list:
    """A note's blocks as inlines: `(` its paragraphs' inlines, a space between each two `)`."""
    inlines: list = []
    for block in blocks:
        words = block["c"] if block.get("t") in ("Para", "Plain") else inline_words(
            stringify(block))
        inlines += ([{"t": "Space"}] if inlines and words else []) + words
    return [{"t": "Str", "c": "("}, *inlines, {"t": "Str", "c": ")"}]


def _holds(inlines: list) -> bool:
    return any(el["t"] in ("Link", "Note") for el in walk(inlines))


def _split(el: dict) -> list:
    """A link as links around the links and notes it held; any other inline as it is. When a
    part would cut its raw HTML (`<a href="x"><em><a href="y">y</a> z</em></a>`), the inner
    links are their text instead (a span with their ID) and the notes follow the link."""
    if el.get("t") != "Link" or not _holds(el["c"][1]):
        return [el]
    attr, inlines, target = el["c"]
    given, whole = [False], [True]

    def wrap(run: list) -> list:
        if not run:
            return []
        whole[0] = whole[0] and nests(run)
        own = attr if not given[0] else ["", attr[1], attr[2]]
        given[0] = True
        return [{"t": "Link", "c": [own, run, target]}]

    def spread(items: list) -> list:
        out, run = [], []
        for x in items:
            kind, content = x.get("t"), _content(x)
            if kind in ("Link", "Note"):
                out += wrap(run) + _split(x)
                run = []
            elif content is not None and _holds(content):
                out += wrap(run)
                run = []
                out.append(_with_content(x, spread(content)))
            else:
                run.append(x)
        return out + wrap(run)

    parts = spread(inlines)
    if whole[0]:
        return parts
    notes: list = []

    def flat(items: list) -> list:
        out = []
        for x in items:
            content = _content(x)
            if x.get("t") == "Note":
                notes.append(x)
            elif x.get("t") == "Link":
                out.append({"t": "Span", "c": [x["c"][0], flat(x["c"][1])]})
            else:
                out.append(x if content is None else _with_content(x, flat(content)))
        return out

    return [{"t": "Link", "c": [attr, flat(inlines), target]}, *notes]


def _content(x: dict) -> list | None:
    """The inlines an inline holds (emphasis, a span, a quote, a citation), else None."""
    at = _HOLDERS.get(x.get("t"), -1)
    return x.get("c") if at is None else x["c"][at] if at != -1 else None


def _with_content(x: dict, content: list) -> dict:
    at = _HOLDERS[x["t"]]
    return {"t": x["t"], "c": content if at is None else [*x["c"][:at], content, *x["c"][at + 1:]]}
