"""SVG figures as every renderer gets them: their text in the publication's fonts, their IDs
valid, and no DOCTYPE.

An SVG names its own font families (Helvetica, Arial, "DejaVu Sans"…), which the build does not
ship: WeasyPrint would take whatever the host has, and the glyph check would then fail. Every
`font-family` (attribute, `style` property, `<style>` rule) is replaced by the family list of
the role its first family suggests: monospaced names → code, serif names → text, any other →
headings (figures are mostly labelled in sans), and the stylesheet's `@import` and
`@font-face` rules, which load the fonts the SVG named, are dropped. The SVG has already passed
the resource policy (which lets those two rules through for this reason alone).

Drawing tools name elements after their layers: `id="Oval-9"` three times, `id="https://x"`,
`id="&lt;script&gt;"`. XML (the EPUB's media, EPUBCheck RSC-005) wants each ID an XML name,
used once: an ID that is no name becomes one, a repeated one gets a suffix (a reference to it
meant the first, as browsers resolve it), and references follow (`#id`, `url(#id)`).
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


def prepare(data: bytes, stacks: dict[str, str]) -> bytes:
    """The SVG `data` with every font-family replaced by `stacks[role]` (CSS family lists), its
    IDs made valid and unique, and its references to none of them drawn as a browser does."""
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

    changed = _valid_ids(root)
    changed |= _dangling(root)
    # A DOCTYPE (SVG 1.1's DTD, named by Inkscape and Graphviz) is left out: no renderer or
    # validator then has a DTD to fetch.
    changed |= root.getroottree().docinfo.internalDTD is not None
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


_NAME = re.compile(r"^[A-Za-z_][\w.\-]*$")  # an XML name without colons (ASCII, to be safe)
# `url(#id)` (an ID may hold spaces: `url(#Gradient 1)`, renamed), its `)` as group 3; one
# never closed is taken to the next quote or the text's end and left as it is, so it is read
# once, not from each of its characters to the text's end (10,000 of them took 6 s)
_REFERENCE = re.compile(r"""url\(\s*(['"]?)#([^)'"]*)(?:(\1\s*\))|(?=['"])|$)""")


def _valid_ids(root) -> bool:
    """Make every ID of `root` an XML name used once; rewrite references to a renamed one."""
    elements = [e for e in root.iter() if isinstance(e.tag, str) and e.get("id") is not None]
    taken = {e.get("id") for e in elements}
    kept, moved = set(), {}  # moved: an ID that was no name → the name its first holder got
    for element in elements:
        old = element.get("id")
        if _NAME.match(old) and old not in kept:
            kept.add(old)
            continue
        base = re.sub(r"[^\w.\-]", "-", old.strip()) or "id"
        base = base if _NAME.match(base) else f"_{base}"
        new, n = base, 1
        while new in taken:
            n += 1
            new = f"{base}-{n}"
        taken.add(new)
        element.set("id", new)
        if not _NAME.match(old):
            moved.setdefault(old, new)
    if len(kept) == len(elements):
        return False

    def follow(match: re.Match) -> str:
        quote, name, closed = match.groups()
        name = name.rstrip()
        return f"url({quote}#{moved.get(name, name)}{quote})" if closed else match.group(0)

    for element in root.iter() if moved else ():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.rpartition("}")[2] == "href" and value[1:] in moved and value.startswith("#"):
                element.set(name, "#" + moved[value[1:]])
            elif "url(" in value:
                element.set(name, _REFERENCE.sub(follow, value))
        if element.tag.rpartition("}")[2] == "style" and element.text and "url(" in element.text:
            element.text = _REFERENCE.sub(follow, element.text)
    return True


_PAINT = re.compile(_REFERENCE.pattern + r"(\s*[^;\s}][^;}]*)?")  # and its fallback: `url(#g) red`


def _dangling(root) -> bool:
    """References to an ID the figure does not define (`fill="url(#gridpattern)"` in a lesson's
    figure, its pattern gone), as a browser draws them: a paint, marker, clip path, mask or
    filter `url(#x)` is `none`, or its fallback colour when it gives one (`url(#x) red`); a
    `<use>` or link to nowhere (`href="#x"`) loses it, and draws nothing. EPUBCheck refused
    them (RSC-012, 'Fragment identifier is not defined'): the EPUB was invalid."""
    ids = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    changed = False

    def drawn(match: re.Match) -> str:
        nonlocal changed
        if not match.group(3) or match.group(2).rstrip() in ids:
            return match.group(0)
        changed = True
        return (match.group(4) or "").strip() or "none"

    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            if name.rpartition("}")[2] == "href" and value.startswith("#") \
                    and value[1:] not in ids:
                del element.attrib[name]
                changed = True
            elif "url(" in value:
                element.set(name, _PAINT.sub(drawn, value))
        if element.tag.rpartition("}")[2] == "style" and element.text and "url(" in element.text:
            element.text = _PAINT.sub(drawn, element.text)
    return changed


def _without_font_rules(text: str) -> str:
    """The stylesheet without its top-level `@import` and `@font-face` rules: the fonts they
    load are replaced by ours, and the manuscript's policy let them through for that."""
    import tinycss2

    from .css import FONT_RULES

    rules = tinycss2.parse_stylesheet(text)
    kept = [r for r in rules if not (r.type == "at-rule" and r.lower_at_keyword in FONT_RULES)]
    return text if len(kept) == len(rules) else tinycss2.serialize(kept)


def text_lines(data: bytes) -> str:
    """The SVG source as text, for locating a character by line."""
    return data.decode("utf-8", errors="replace")
