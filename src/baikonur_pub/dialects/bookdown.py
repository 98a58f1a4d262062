"""bookdown's cross-references: `Figure \\@ref(fig:tidy)` names a figure by its number alone,
the author writing the word. Pandoc read `\\@` as an escaped `@` and printed "@ref(fig:tidy)"
in every format, without a word. Each becomes pandoc-crossref's reference to the number alone,
`[-@fig:tidy]` (`crossref`), for a figure (a captioned chunk's, `chunks._graphic`), a table
(`tab:` → `tbl:`) or an equation. A section's, `\\@ref(intro)`, names a heading's ID that no
cross-reference of Quarto's reaches (those are `sec-…`): printed as written, with a warning.
A table's label is at the start of its caption, `Table: (\\#tab:data) Two columns.`: it becomes
the caption's ID at its end (`{#tbl:data}`); an equation's, `(\\#eq:mass)`, is `mathenv`'s.
"""

from __future__ import annotations

import re

from .. import spans

_REF = re.compile(r"\\@ref\(([^()\s]+)\)")
_KINDS = {"fig": "fig", "tab": "tbl", "eq": "eq"}
# a table's caption (`Table:` or `:`) that starts with bookdown's label
_CAPTION = re.compile(r"^( {0,3}(?:Table)?:[ \t]+)\(\\#tab:([\w:.-]+)\)[ \t]*")
_ROW = re.compile(r"^ {0,3}[|+-]")  # a table's first line, after the caption


def worth(text: str) -> bool:
    return "\\@ref(" in text or "(\\#tab:" in text


def captions(lines: list[str], code: list[bool]) -> bool:
    """Move, in place, each table caption's leading label to its end, as pandoc's attribute.
    True if any was."""
    changed = False
    for index, line in enumerate(lines):
        if code[index] or "(\\#tab:" not in line or not (caption := _CAPTION.match(line)):
            continue
        last = index  # the caption's last line: before a blank line or the table's first
        while (last + 1 < len(lines) and lines[last + 1].strip() and not code[last + 1]
               and not _ROW.match(lines[last + 1]) and not _CAPTION.match(lines[last + 1])):
            last += 1
        lines[index] = caption.group(1) + line[caption.end():]
        lines[last] = lines[last].rstrip() + f" {{#tbl:{caption.group(2)}}}"
        changed = True
    return changed


def refs(lines: list[str], code: list[bool], notices: list) -> bool:
    """Rewrite, in place, outside `code` (fenced code's lines), each reference to a figure,
    table or equation (a warning for each other one), and each table caption's label. True if
    any line changed."""
    changed = captions(lines, code)
    for index, line in enumerate(lines):
        if code[index] or "\\@ref(" not in line:
            continue

        def written(match: re.Match, at=index + 1) -> str:
            kind, colon, name = match.group(1).partition(":")
            if colon and kind in _KINDS and name:
                return f"[-@{_KINDS[kind]}:{name}]"
            notices.append(("markup-foreign", at, f"bookdown's reference {match.group(0)} is "
                            "printed as written: a section is referred to as "
                            f"@sec-{match.group(1)}, its heading's ID {{#sec-{match.group(1)}}}"))
            return match.group(0)

        rewritten = spans.outside_code(line, lambda part: _REF.sub(written, part))
        changed |= rewritten != line
        lines[index] = rewritten
    return changed
