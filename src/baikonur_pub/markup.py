"""The markup a manuscript may carry, parsed rather than matched: CSS (tinycss2), SVG (lxml, no
entities, no network) and the start tags of raw HTML. `resources` applies the policy; these
functions say what in a text would load, run or include something (a `Refusal`)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class Refusal(Exception):
    """A reference the policy refuses; `needle` is text to find the source line by."""

    def __init__(self, message: str, needle: str):
        super().__init__(message)
        self.message, self.needle = message, needle


FONT_RULES = ("import", "font-face")  # an SVG's own, dropped (svgtext.prepare)


def check_css(text: str, declarations: bool = False, svg: bool = False) -> None:
    """Refuse CSS that would load anything: `url()` in any spelling (tinycss2 decodes escapes
    such as `u\\72l(`), `src()`, image functions, `@import`. In an SVG's stylesheet (`svg`) a
    top-level `@import` or `@font-face` is let through: the figure's text is always set in the
    publication's fonts, and `svgtext.prepare` drops those rules before any renderer
    sees the file (drawing tools export web fonts so: `@import url(https://fonts.…)`)."""
    import tinycss2

    nodes = (tinycss2.parse_blocks_contents(text) if declarations
             else tinycss2.parse_stylesheet(text))
    stack = [node for node in nodes if not (svg and getattr(node, "type", "") == "at-rule"
                                            and node.lower_at_keyword in FONT_RULES)]
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", "")
        if kind == "url":
            raise Refusal("url() in a style would load a resource: not allowed", "url")
        if kind == "function" and (node.lower_name in ("url", "src") or "image" in node.lower_name
                                   or node.lower_name == "cross-fade"):
            raise Refusal(f"{node.lower_name}() in a style would load a resource: not allowed",
                          "style")
        if kind == "at-rule" and node.lower_at_keyword in ("import", "font-face"):
            raise Refusal(f"@{node.lower_at_keyword} in a style is not allowed", "@")
        for attr in ("value", "prelude", "content", "arguments"):
            children = getattr(node, attr, None)
            if isinstance(children, list):
                stack.extend(children)


def check_svg(source: Path | bytes, target: str, nested=None) -> None:
    """An SVG image (its file, or its bytes from a `data:` URI) may not script, load or include
    anything (its text is parsed, with no entities and no network). An image it holds as a
    `data:` URI passes `nested(uri)`, the same rules as any image."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(source.read_bytes() if isinstance(source, Path) else source,
                                parser)
    except etree.XMLSyntaxError as exc:
        raise Refusal(f"image '{target}' is not well-formed SVG: {exc.msg}", target) from None
    tree = root.getroottree()
    # A DOCTYPE naming SVG 1.1's DTD (Inkscape and Graphviz write one) is read and not loaded;
    # one that declares anything itself (entities, attribute defaults) is refused: what it
    # declares is written back when the tree is, right after the DOCTYPE (never at its end).
    if (tree.docinfo.internalDTD is not None
            and not etree.tostring(tree).startswith(tree.docinfo.doctype.encode())):
        raise Refusal(f"image '{target}': a DOCTYPE that declares entities or attributes is "
                      "not allowed in SVG", target)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname.lower()
        if local in ("script", "foreignobject", "iframe", "handler", "listener"):
            raise Refusal(f"image '{target}': <{local}> is not allowed in SVG", target)
        for name, value in element.attrib.items():
            lname = etree.QName(name).localname.lower()
            if lname.startswith("on"):
                raise Refusal(f"image '{target}': event handler '{lname}' in SVG", target)
            if lname == "href" and not value.strip().startswith(("#", "data:image/")):
                raise Refusal(f"image '{target}': SVG reference '{value[:60]}' would load a "
                              "resource (only #fragment and data:image/ are allowed)", target)
            if lname == "href" and value.strip().startswith("data:") and nested:
                nested(value.strip())
            if lname == "style":
                try:
                    check_css(value, declarations=True)
                except Refusal as refusal:
                    raise Refusal(f"image '{target}': {refusal.message}", target) from None
        if local == "style" and element.text:
            try:
                check_css(element.text, svg=True)
            except Refusal as refusal:
                raise Refusal(f"image '{target}': {refusal.message}", target) from None


# Raw HTML a manuscript may hold: formatting elements (the rest is refused, `resources._raw`).
ALLOWED_TAGS = set("""a abbr address article aside b bdi bdo blockquote br caption center cite code
    col colgroup data dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6
    header hgroup hr i img ins kbd li main mark nav ol p pre q rp rt ruby s samp section small
    span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr""".split())
# HTML's other elements: refused as what they are, never taken for a placeholder like <type>
OTHER_ELEMENTS = set("""applet audio base basefont body button canvas dialog embed fieldset form
    frame frameset head html iframe input label legend link map math menu meta meter noscript
    object optgroup option output param picture portal progress script select slot source style
    svg template textarea title track video""".split())
TAG_LIKE = re.compile(r"</?([^\W\d_][^\s/>]*)")  # a tag in any script, as pandoc reads one
# Raw HTML that becomes the AST element it means, so DOCX (which drops raw HTML) has it too
AS_ELEMENT = {"br": {"t": "LineBreak"}, "wbr": {"t": "Str", "c": "\u200b"},
              "hr": {"t": "HorizontalRule"}}
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_VOID_TAG = re.compile(r"<(%s)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)\s*/?>" % "|".join(sorted(VOID)),
                       re.IGNORECASE)
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_NAMED = {"amp", "lt", "gt", "quot", "apos"}


def xhtml(text: str) -> str:
    """Raw HTML as the EPUB's XHTML must hold it: void elements closed (`<br />`) and named
    character references other than XML's five as numbers (`&thinsp;` → `&#8201;`). Pandoc
    copies raw HTML into the EPUB as it is, and one `<br>` made a content document no XML
    reader opens."""
    from html.entities import name2codepoint

    text = _VOID_TAG.sub(lambda m: f"<{m.group(1)}{m.group(2).rstrip()} />", text)
    return _NAMED.sub(lambda m: m.group(0) if m.group(1) in _XML_NAMED or m.group(1) not in
                      name2codepoint else f"&#{name2codepoint[m.group(1)]};", text)


class Balance(HTMLParser):
    """Start and end tags of raw HTML pieces, in order, checked to nest: an element opened in
    one piece may close in a later one (pandoc gives `<b>`, the text, `</b>` apart). Elements a
    manuscript may not hold are refused as such, once: their tags are not followed here (a
    refused `<TabItem>` also gave 'never closed' and '</tabitem> closes nothing')."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str]] = []  # (tag, where it is: its text and the text after)
        self._where = ""

    def handle_starttag(self, tag, attrs):
        if tag not in VOID and tag in ALLOWED_TAGS:  # the others are refused, each once
            self.open.append((tag, self._where))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID or tag not in ALLOWED_TAGS:
            return
        if not self.open or self.open[-1][0] != tag:
            raise Refusal(f"raw HTML </{tag}> closes " + (f"<{self.open[-1][0]}>" if self.open
                          else "nothing") + ": the EPUB needs every element closed in order "
                          "(XHTML)", self._where)
        self.open.pop()

    def take(self, html: str, after: str = "") -> None:
        """One raw piece; `after`, the text that follows it (to find its line: a tag alone
        may be written the same way on many lines)."""
        self._where = html.strip() + after
        self.feed(html)

    def end(self) -> None:
        if self.open:
            tag, where = self.open[-1]
            raise Refusal(f"raw HTML <{tag}> is never closed: the EPUB needs every element "
                          "closed (XHTML)", where)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_decl(self, decl):
        self.tags.append(("!doctype", []))

    def handle_pi(self, data):
        self.tags.append(("?pi", []))

    @staticmethod
    def only_tag(html: str) -> bool:
        """Whether `html` is one tag and nothing else (no text beside it)."""
        return bool(re.fullmatch(r"\s*<[^<>]*>\s*", html))

    @classmethod
    def parse(cls, html: str) -> list:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.tags


