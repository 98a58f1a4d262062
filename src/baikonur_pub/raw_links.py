"""Raw HTML links under the one link rule: a manuscript's `<a href>` is a link as `[text](…)`
is, checked (`links.check`: an `#id` must land, a file needs links.base-url, another chapter is
a link into the book) and rewritten alike.

- `pair_links`: a raw `<a …>` whose `</a>` closes in the same run of inlines (pandoc gives the
  start tag, the inlines, the end tag) becomes the AST element it means, before the resource
  policy's walk sees it, so every later rule applies unchanged (the DOCX, which drops raw HTML,
  keeps the link too): a Link with an `href` (`title` its title, `id`, `class` and the other
  attributes its own), else a Span (a named anchor, `<a id="x"></a>` or `<a name="x">`, which
  `#x` links then reach; `name` is the span's ID, as XHTML has no `name` on `<a>`).
- `hrefs`: the `href` of every `<a>` or `<area>` still in raw HTML (inside `<pre>`, a link
  whose `</a>` closes elsewhere), as link elements whose target, set, is written back into the
  HTML.
"""

from __future__ import annotations

import re
from html import unescape

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


def nests(inside: list) -> bool:
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
    pass however deep they nest); a link in a link is then taken apart (`nesting.apart`)."""
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
            if nests(out[at + 1:]):
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
