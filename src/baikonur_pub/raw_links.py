"""Raw HTML links under the one link rule: a manuscript's `<a href>` is a link as `[text](…)`
is, checked (`links.check`: an `#id` must land, a file needs links.base-url, another chapter is
a link into the book) and rewritten alike.

- `pair_links`: a raw `<a …>` whose `</a>` closes in the same run of inlines (pandoc gives the
  start tag, the inlines, the end tag) becomes the AST element it means, before the resource
  policy's walk sees it, so every later rule applies unchanged (the DOCX, which drops raw HTML,
  keeps the link too): a Link with an `href` (`title` its title, `id`, `class` and the other
  attributes its own), else a Span (a named anchor, `<a id="x"></a>` or `<a name="x">`, which
  `#x` links then reach; `name` is the span's ID, as XHTML has no `name` on `<a>`).
- `apart`: no link holds a link or a note (a footnote's mark is a link).
- `hrefs`: the `href` of every `<a>` or `<area>` still in raw HTML (inside `<pre>`, a link
  holding a link), as link elements whose target, set, is written back into the HTML.
"""

from __future__ import annotations

import re
from html import unescape

from .ast import walk
from .markup import Balance, Refusal, Tags, native_attribute

HTML_FORMATS = re.compile(r"^(x?html\d?|epub\d?)$", re.I)  # every raw format a writer passes
_START = re.compile(r"\s*<a(?=[\s/>])", re.I)
_END = re.compile(r"\s*</a\s*>\s*", re.I)
# an href as `markup.xhtml` writes raw HTML again: double quotes, `"` inside as `&quot;`
_HREF = re.compile(r'(<(?:a|area)(?:\s[^<>]*?)?\shref=")([^"]*)"', re.I)


def _raw_html(item) -> str | None:
    """The text of a raw HTML inline, else None."""
    if type(item) is dict and item.get("t") == "RawInline" and HTML_FORMATS.match(item["c"][0]):
        return item["c"][1]
    return None


def _start(item) -> tuple[list, bool] | None:
    """(attributes, written `<a … />`) of a raw `<a …>` alone, else None."""
    text = _raw_html(item)
    if text is None or not _START.match(text) or not Tags.only_tag(text):
        return None
    parsed = Tags.read(text)
    if len(parsed.tags) != 1 or parsed.tags[0][0] != "a" or parsed.ends:
        return None
    return parsed.tags[0][1], 0 in parsed.empty


def _nests(inside: list) -> bool:
    """Whether the raw HTML among a link's inlines nests (else its tags stay raw, as before)."""
    balance = Balance(inline=True)
    try:
        for piece in filter(None, map(_raw_html, inside)):
            balance.take(piece)
        balance.end()
    except Refusal:
        return False
    return True


def _element(attrs: list, inlines: list) -> dict:
    """The Link (with `href`) or Span a raw `<a>` means, holding `inlines`."""
    values: dict[str, str] = {}
    for name, value in attrs:
        values.setdefault(name, value or "")  # HTML keeps the first of a name given twice
    href, name = values.pop("href", None), values.pop("name", "")
    ident = values.pop("id", "") or name
    classes = values.pop("class", "").split()
    title = values.pop("title", "")
    # names no XML attribute can have (Vue's `:class`) left out, as for a Span; pandoc writes
    # a name HTML has not as `data-…`, and the policy refuses `on…` and what loads
    pairs = [[key, value] for key, value in values.items() if native_attribute(key)]
    if href is None:
        return {"t": "Span", "c": [[ident, classes, pairs + ([["title", title]] if title
                                                             else [])], inlines]}
    return {"t": "Link", "c": [[ident, classes, pairs], inlines, [href, title]]}


def _paired(items: list) -> list:
    """Each `</a>` closes the latest `<a>` still open (a stack: the innermost pair first, in one
    pass however deep they nest); a link in a link is then taken apart (`apart`)."""
    out: list = []
    opened: list[tuple[int, list]] = []  # (index in `out`, attributes) of each `<a>` still open
    for item in items:
        start = _start(item)
        if start is not None and start[1]:  # `<a id="x" />`
            out.append(_element(start[0], []))
        elif start is not None:
            opened.append((len(out), start[0]))
            out.append(item)
        elif opened and _END.fullmatch(_raw_html(item) or ""):
            at, attrs = opened.pop()
            if _nests(out[at + 1:]):
                out[at:] = [_element(attrs, out[at + 1:])]
                continue
            opened.clear()  # the tags open so far stay raw: no inline is read twice in vain
            out.append(item)
        else:
            out.append(item)
    return out


def pair_links(node) -> None:
    """Every raw `<a>…</a>` closed in its own inlines below `node` made the element it means,
    in place (a stack, not recursion: the policy's walk bounds the nesting, after this)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if type(node) is list:
            if any(_start(item) for item in node if _raw_html(item) is not None):
                node[:] = _paired(node)
            stack.extend(node)
        elif type(node) is dict:
            if node.get("t") == "Header":
                _anchor_heading(node["c"][2])
            if "t" in node:
                stack.append(node.get("c"))
            else:  # a citation, metadata's map
                stack.extend(node.values())


# where an inline holding inlines holds them (pandoc's JSON): its content, or this index of it
_HOLDERS = {"Emph": None, "Strong": None, "Underline": None, "Strikeout": None,
            "Superscript": None, "Subscript": None, "SmallCaps": None, "Span": 1, "Quoted": 1,
            "Cite": 1}


def apart(node) -> None:
    """No link holds a link or a note, in place: HTML has no link in a link (EPUBCheck RSC-005
    "The a element must not appear inside a elements"), and a footnote's mark is a link. Written
    `[text^[a note]](url)`, `<a href>` around `[x](y)`, or `<a>` in `<a>`: the outer link's
    text stays its link in parts around what it held (in emphasis too), its ID on the first
    part, as HTML's parser and CommonMark give the inner link its own. After the policy's walk,
    which bounds the nesting."""
    stack = [node]
    while stack:
        node = stack.pop()
        if type(node) is list:
            if any(type(x) is dict and x.get("t") == "Link" and _holds(x["c"][1]) for x in node):
                node[:] = [part for x in node for part in _split(x)]
            stack.extend(node)
        elif type(node) is dict:
            stack.extend(node.values() if "t" not in node else [node.get("c")])


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
        whole[0] = whole[0] and _nests(run)
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


def _anchor_heading(inlines: list) -> None:
    """A heading's empty named anchors (`## Usage <a id="use"></a>`, as sites mark a heading
    with a second name, or Markdown's `## Usage []{#use}`) wrap its text, in place: EPUB
    readers list the heading's inlines in the contents, where an empty element is no XHTML
    EPUBCheck takes ("Spans within nav elements must contain text")."""
    inlines[:] = _paired(inlines)
    empty = [x for x in inlines if x["t"] == "Span" and x["c"][0][0] and not x["c"][1]]
    if not empty:
        return
    rest: list = []
    anchors = {id(x) for x in empty}  # all alive in `inlines`: no id() is taken twice
    for x in inlines:
        if id(x) in anchors:
            continue
        if x["t"] in ("Space", "SoftBreak") and (not rest or rest[-1]["t"] in ("Space", "SoftBreak")):
            continue  # the space the anchor stood by, once
        rest.append(x)
    while rest and rest[-1]["t"] in ("Space", "SoftBreak"):
        rest.pop()
    if not rest:
        return
    for anchor in empty:
        rest = [{"t": "Span", "c": [anchor["c"][0], rest]}]
    inlines[:] = rest


class _Target(list):
    """A raw link's [target, title]: setting its target rewrites its raw HTML."""

    def __init__(self, raw: dict, nth: int, target: str):
        super().__init__([target, ""])
        self.raw, self.nth = raw, nth

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        if index == 0:
            matches = list(_HREF.finditer(self.raw["c"][1]))
            match, text = matches[self.nth], self.raw["c"][1]
            written = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
                .replace('"', "&quot;")
            self.raw["c"][1] = text[:match.start(2)] + written + text[match.end(2):]


def hrefs(node: dict):
    """The links an HTML raw block or inline still holds, as Link elements (see `_Target`)."""
    fmt, text = node["c"]
    if not HTML_FORMATS.match(fmt) or "href" not in text.lower():
        return
    for nth, match in enumerate(_HREF.finditer(text)):
        yield {"t": "Link", "c": [["", [], []], [], _Target(node, nth, unescape(match.group(2)))]}
