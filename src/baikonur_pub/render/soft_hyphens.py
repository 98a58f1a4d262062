"""Line-end hyphens that WeasyPrint adds become soft hyphens for text extraction and read-aloud.

A hyphen WeasyPrint puts at a line end to break a word is a glyph like any other in the content
stream, so "sim-" + "bolo" extracts and reads as two words. ISO 32000-1 14.8.2.2.3 has such an
incidental hyphen carry the soft hyphen, U+00AD, as its `/ActualText`: extraction tools and
assistive technology then join the word. A hyphen is incidental when the source has the word
whole and not hyphenated ("simbolo", never "sim-bolo"); the text of each marked-content sequence
is read through the fonts' ToUnicode maps.
"""

from __future__ import annotations

import re

from .pdfua_check import mcid_of


def _unicode_maps(page, known: dict) -> dict[str, dict[bytes, str]]:
    """Per font resource of `page`: glyph code (lowercase hex) → text, from the font's
    ToUnicode CMap (each font read once: `known` holds them by object)."""
    maps: dict[str, dict[bytes, str]] = {}
    for name, font in (page.get("/Resources", {}).get("/Font", {}) or {}).items():
        if font.objgen in known and font.objgen != (0, 0):
            maps[str(name)] = known[font.objgen]
            continue
        cmap: dict[bytes, str] = {}
        to_unicode = font.get("/ToUnicode")
        data = to_unicode.read_bytes().decode("latin-1") if to_unicode is not None else ""
        for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
            for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                cmap[code.lower().encode()] = bytes.fromhex(text).decode("utf-16-be", "replace")
        for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
            for first, last, text in re.findall(
                    r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                for offset in range(int(last, 16) - int(first, 16) + 1):
                    code = f"{int(first, 16) + offset:0{len(first)}x}".encode()
                    cmap[code] = chr(int(text, 16) + offset)
        maps[str(name)] = known[font.objgen] = cmap
    return maps


_HEX_ONLY = re.compile(rb"\[(?:\s*+(?:<[0-9a-fA-F]*+>|\(\)|[-+.0-9]++))*+\s*+\]")  # no backtracking
_HEX = re.compile(rb"<([0-9a-fA-F]*)>")
_ODD = re.compile(rb"<(?:[0-9a-fA-F]{2})*+[0-9a-fA-F]>")
_CODE = re.compile(rb"....")  # a glyph code, two bytes (WeasyPrint's fonts are Identity-H)


def _shown(array) -> bytes:
    """The glyph codes a `TJ` array shows, in lowercase hex. WeasyPrint writes them as hex
    strings between kerning numbers: read from the array's PDF syntax with regular expressions
    (3× faster than walking the pikepdf Array, measured); any other array part by part."""
    import pikepdf

    syntax = array.unparse()
    if _HEX_ONLY.fullmatch(syntax):
        found = _HEX.findall(syntax)
        if _ODD.search(syntax):  # an odd number of digits ends with a 0: ISO 32000-1 7.3.4.3
            found = [h + b"0" * (len(h) % 2) for h in found]
        return b"".join(found).lower()
    return b"".join(bytes(part) for part in array if isinstance(part, pikepdf.String)).hex().encode()


def _decode(codes: bytes, cmap: dict[bytes, str]) -> str:
    return "".join(filter(None, map(cmap.get, _CODE.findall(codes))))


# a text that may end with an incidental hyphen (a word read from its start only: from each
# letter of a long one to its end was quadratic)
HYPHENATED = re.compile(r"(?<!\w)(\w++)-$")


def read(page, instructions: list, fonts: dict) -> dict[int, tuple[str, int]]:
    """MCID → (its text, the index of its last text operator) on one page, from its parsed
    content stream; `fonts` holds the fonts' ToUnicode maps by object, for every page."""
    maps = _unicode_maps(page, fonts)
    texts: dict[int, tuple[str, int]] = {}
    stack: list = []
    font = None
    for index, instruction in enumerate(instructions):
        op = str(instruction.operator)  # operands read only where needed (pdfua.marked_content)
        if op == "TJ":
            if stack and stack[-1] is not None:
                before = texts.get(stack[-1], ("", None))[0]
                texts[stack[-1]] = (before + _decode(_shown(instruction.operands[0]),
                                                     maps.get(font, {})), index)
        elif op == "BDC" or op == "BMC":
            operands = instruction.operands
            mcid = mcid_of(operands) if op == "BDC" else None
            stack.append(mcid if mcid is not None else (stack[-1] if stack else None))
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op == "Tf":
            font = str(instruction.operands[0])
    return texts


def incidental(texts: dict[tuple, tuple], order: list[tuple], source: str) -> dict:
    """Page id → indexes of the text operators whose last glyph is an incidental hyphen.
    `texts`: (page id, MCID) → what `read` gives; `order`: (page id, MCID) in reading order;
    `source`: the document's text."""
    words = set(re.findall(r"\w+", source))
    soft: dict = {}
    for first, second in zip(order, order[1:]):
        left, right = texts.get(first, ("", None))[0], texts.get(second, ("", None))[0]
        head = HYPHENATED.search(left)
        tail = re.match(r"(\w+)", right)
        if head and tail and tail.group(1)[0].islower() and \
                head.group(1) + tail.group(1) in words and \
                f"{head.group(1)}-{tail.group(1)}" not in source:
            soft.setdefault(first[0], set()).add(texts[first][1])
    return soft


def softened(instruction) -> list:
    """A text operator whose last glyph is an incidental hyphen, as four: the text before it,
    then the hyphen alone in a Span whose /ActualText is U+00AD."""
    import pikepdf

    parts = list(instruction.operands[0])
    last = max(i for i, part in enumerate(parts) if isinstance(part, pikepdf.String))
    raw = bytes(parts[last])
    parts[last] = pikepdf.String(raw[:-2])
    soft_hyphen = pikepdf.Dictionary(ActualText=pikepdf.String(b"\xfe\xff\x00\xad"))
    return [pikepdf.ContentStreamInstruction([pikepdf.Array(parts[:last + 1])],
                                             pikepdf.Operator("TJ")),
            pikepdf.ContentStreamInstruction([pikepdf.Name.Span, soft_hyphen],
                                             pikepdf.Operator("BDC")),
            pikepdf.ContentStreamInstruction([pikepdf.Array([pikepdf.String(raw[-2:])])],
                                             pikepdf.Operator("TJ")),
            pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))]
