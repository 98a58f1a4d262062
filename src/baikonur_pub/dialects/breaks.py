"""A line break beside Korean is a space.

The reader drops a line break between two East Asian wide characters (pandoc's
`east_asian_line_breaks`, `manuscript.READER`): Chinese and Japanese put no space between
words. Korean does, and its Hangul is wide too, so a Korean paragraph written a clause a line
ran its words together in every format ("문장은\\n단어" printed "문장은단어"). Where pandoc
dropped a break it leaves two words side by side (`Str`, `Str`: it joins the words of a line
into one): where either is Korean there, the space is put back. (A trailing space on the
line does not keep it: pandoc drops the space with the break.)
"""

from __future__ import annotations

import re

from ..ast import walk

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_ENDS = re.compile(f"[{_HANGUL}]$")
_STARTS = re.compile(f"^[{_HANGUL}]")


def spaced(blocks: list) -> None:
    """A space, in place, between two words side by side where either is Korean."""
    for el in walk(blocks):
        content = el.get("c")
        if not isinstance(content, list):
            continue
        for inlines in [content, *(x for x in content if isinstance(x, list))]:
            if len(inlines) > 1 and any(isinstance(x, dict) and x.get("t") == "Str" for x in inlines[1:]):
                _spaced(inlines)


def _spaced(inlines: list) -> None:
    out, changed = [inlines[0]], False
    for before, item in zip(inlines, inlines[1:]):
        if (isinstance(item, dict) and item.get("t") == "Str" and isinstance(before, dict)
                and before.get("t") == "Str"
                and (_ENDS.search(before["c"]) or _STARTS.match(item["c"]))):
            out.append({"t": "Space"})
            changed = True
        out.append(item)
    if changed:
        inlines[:] = out
