"""Text in SVG figures, set in the publication's fonts.

An SVG names its own font families (Helvetica, Arial, "DejaVu Sans"…), which the build does not
ship: WeasyPrint would take whatever the host has, and the glyph check would then fail. Every
`font-family` (attribute, `style` property, `<style>` rule) is replaced by the family list of
the role its first family suggests: monospaced names → code, serif names → text, any other →
headings (figures are mostly labelled in sans), and the stylesheet's `@import` and
`@font-face` rules, which load the fonts the SVG named, are dropped. The SVG has already passed
the resource policy (which lets those two rules through for this reason alone).
"""

from __future__ import annotations

import re

_FAMILY = re.compile(r"(font-family\s*:\s*)([^;}\"]+|\"[^\"]*\"[^;}]*)", re.IGNORECASE)
_MONO = re.compile(r"mono|courier|consol|code|menlo|typewriter", re.IGNORECASE)
_SERIF = re.compile(r"(?<!sans[- ])serif|times|georgia|garamond|roman|minion|cambria|book",
                    re.IGNORECASE)


def role(families: str) -> str:
    first = families.split(",")[0].strip(" '\"")
    if _MONO.search(first):
        return "code"
    if _SERIF.search(first) and "sans" not in first.lower():
        return "text"
    return "heading"


def with_our_fonts(data: bytes, stacks: dict[str, str]) -> bytes:
    """The SVG `data` with every font-family replaced by `stacks[role]` (CSS family lists)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data
    single = {r: s.replace('"', "'") for r, s in stacks.items()}  # inside attribute values

    def css(text: str) -> str:
        return _FAMILY.sub(lambda m: m.group(1) + single[role(m.group(2))], text)

    changed = False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if "font-family" in element.attrib:
            element.set("font-family", single[role(element.get("font-family"))])
            changed = True
        if "style" in element.attrib and "font-family" in element.get("style").lower():
            element.set("style", css(element.get("style")))
            changed = True
        if etree.QName(element).localname == "style" and element.text:
            element.text = css(_without_font_rules(element.text))
            changed = True
    if not changed:
        return data
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _without_font_rules(text: str) -> str:
    """The stylesheet without its top-level `@import` and `@font-face` rules: the fonts they
    load are replaced by ours, and the manuscript's policy let them through for that."""
    import tinycss2

    from .markup import FONT_RULES

    rules = tinycss2.parse_stylesheet(text)
    kept = [r for r in rules if not (r.type == "at-rule" and r.lower_at_keyword in FONT_RULES)]
    return text if len(kept) == len(rules) else tinycss2.serialize(kept)


def text_lines(data: bytes) -> str:
    """The SVG source as text, for locating a character by line."""
    return data.decode("utf-8", errors="replace")
