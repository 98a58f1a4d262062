"""bookdown's cross-references: `Figure \\@ref(fig:tidy)` names a figure by its number alone,
the author writing the word. Pandoc read `\\@` as an escaped `@` and printed "@ref(fig:tidy)"
in every format, without a word. Each becomes pandoc-crossref's reference to the number alone,
`[-@fig:tidy]` (`crossref`), for a figure (a captioned chunk's, `directives._graphic`), a table
(`tab:` → `tbl:`) or an equation. A section's, `\\@ref(intro)`, names a heading's ID that no
cross-reference of Quarto's reaches (those are `sec-…`): printed as written, with a warning.
"""

from __future__ import annotations

import re

from .. import spans
from ..sources import fenced

_REF = re.compile(r"\\@ref\(([^()\s]+)\)")
_KINDS = {"fig": "fig", "tab": "tbl", "eq": "eq"}


def worth(text: str) -> bool:
    return "\\@ref(" in text


def refs(lines: list[str], notices: list) -> bool:
    """Rewrite, in place, outside code, each reference to a figure, table or equation; a
    warning for each other one. True if any line changed."""
    code, _ = fenced(lines)
    changed = False
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
