"""CSS a manuscript brings (a `style` attribute, an SVG's stylesheet) and its SVG images, read
for what they would load: the resource policy's rule for both (`resources`)."""

from __future__ import annotations

import re
from pathlib import Path

from .markup import Refusal, event_handler

FONT_RULES = ("import", "font-face")  # an SVG's own, dropped (svgtext.prepare)


def check_css(text: str, declarations: bool = False, svg: bool = False) -> None:
    """Refuse CSS that would load anything: `url()` in any spelling (tinycss2 decodes escapes
    such as `u\\72l(`), `src()`, image functions, `@import`. In an SVG's stylesheet (`svg`) a
    top-level `@import` or `@font-face` is let through: the figure's text is always set in the
    publication's fonts, and `svgtext.prepare` drops those rules before any renderer
    sees the file (drawing tools export web fonts so: `@import url(https://fonts.…)`), and
    `url(#id)` names an element of the SVG itself (a marker, a gradient, a clip path: Inkscape
    writes `marker-end:url(#marker1)`), which loads nothing."""
    import tinycss2

    nodes = (tinycss2.parse_blocks_contents(text) if declarations
             else tinycss2.parse_stylesheet(text))
    stack = [node for node in nodes if not (svg and getattr(node, "type", "") == "at-rule"
                                            and node.lower_at_keyword in FONT_RULES)]
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", "")
        if svg and _fragment(node):
            continue
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


# a presentation attribute naming one element of the figure, `url(#marker1)`, `url('#g')`
_LOCAL = re.compile(r"""\s*url\(\s*(["']?)#[\w.:-]*\1\s*\)\s*""")


def _fragment(node) -> bool:
    """Whether a CSS node is `url(#id)` (or `url("#id")`): a reference inside the document."""
    kind = getattr(node, "type", "")
    if kind == "url":
        return node.value.startswith("#")
    if kind == "function" and node.lower_name == "url":
        values = [a for a in node.arguments if a.type not in ("whitespace", "comment")]
        return len(values) == 1 and values[0].type == "string" and values[0].value.startswith("#")
    return False


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
            if event_handler(lname):
                raise Refusal(f"image '{target}': event handler '{lname}' in SVG", target)
            if lname == "href" and not value.strip().startswith(("#", "data:image/")):
                raise Refusal(f"image '{target}': SVG reference '{value[:60]}' would load a "
                              "resource (only #fragment and data:image/ are allowed)", target)
            if lname == "href" and value.strip().startswith("data:") and nested:
                nested(value.strip())
            # a style, and a presentation attribute naming a paint, marker, clip path, mask or
            # filter (`fill="url(#g)"`): one rule for both
            if lname != "style" and _LOCAL.fullmatch(value):
                continue  # `fill="url(#g)"`, as drawing tools write them all: read at once
            if lname == "style" or "url" in value.lower() or "\\" in value:
                try:
                    check_css(value if lname == "style" else f"{lname}: {value}",
                              declarations=True, svg=True)
                except Refusal as refusal:
                    raise Refusal(f"image '{target}': {refusal.message}", target) from None
        if local == "style" and element.text:
            try:
                check_css(element.text, svg=True)
            except Refusal as refusal:
                raise Refusal(f"image '{target}': {refusal.message}", target) from None
