"""LaTeX's display-math environments written alone, as LaTeX, bookdown and thesis templates
write them: `\\begin{equation}` … `\\end{equation}` (`align`, `gather`, `multline`,
`eqnarray`, `flalign`, `alignat`, `displaymath`, starred or not).

Raw TeX is text here (`manuscript.READER`): each such block was printed as its TeX source, a
`markup-foreign` warning on its first and last lines. It is display math: each becomes
`$$\\begin{equation} … \\end{equation}$$`, which pandoc's TeX reader draws in every format, line
for line. bookdown's label in it, `(\\#eq:mass)`, is the equation's ID after the math
(`{#eq:mass}`, numbered by `crossref`, `\\@ref(eq:mass)` its number: `bookdown`).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from ..sources import in_display_math

_ENVS = "equation|displaymath|align|gather|multline|eqnarray|flalign|alignat"
_BEGIN = re.compile(rf"^( {{0,3}})\\begin\{{((?:{_ENVS})\*?)\}}")
_END = re.compile(rf"\\end\{{((?:{_ENVS})\*?)\}}[ \t]*$")
_LABEL = re.compile(r"\(\\#(eq:[\w:.-]+)\)")  # bookdown's


def worth(text: str) -> bool:
    return "\\begin{" in text


def display(lines: list[str], code: list[bool]) -> bool:
    """Make, in place, each environment that opens a line outside `code` (fenced code's lines)
    and ends a later line (or its own), with no blank line between, display math. True if any
    was."""
    ends: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if not code[index] and "\\end{" in line and (end := _END.search(line)):
            ends.setdefault(end.group(1), []).append(index)
    stop, next_stop = [0] * len(lines), len(lines)  # the first blank or code line from each on
    for index in range(len(lines) - 1, -1, -1):
        next_stop = index if code[index] or not lines[index].strip() else next_stop
        stop[index] = next_stop
    in_math = in_display_math(lines, code)  # inside `$$ … $$` already: display math as it is
    changed, index = False, 0
    while index < len(lines):
        begin = (None if code[index] or in_math[index] or "\\begin{" not in lines[index]
                 else _BEGIN.match(lines[index]))
        closing = ends.get(begin.group(2), []) if begin else []
        at = bisect_left(closing, index)
        last = closing[at] if at < len(closing) else None
        if last is None or stop[index] <= last:
            index += 1
            continue
        labels = []
        for k in range(index, last + 1):
            if "(\\#" in lines[k]:
                labels += _LABEL.findall(lines[k])
                lines[k] = _LABEL.sub("", lines[k]).rstrip() or "{}"  # no blank line in math
        lines[index] = begin.group(1) + "$$" + lines[index][len(begin.group(1)):]
        lines[last] = lines[last].rstrip() + "$$" + (f" {{#{labels[0]}}}" if labels else "")
        changed, index = True, last + 1
    return changed
