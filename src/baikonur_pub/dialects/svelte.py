"""Svelte's conditional blocks around Markdown, as the Hugging Face course writes one page for
two frameworks: `{#if fw === 'pt'}` … `{:else}` … `{/if}`, each alone on its line.

The site shows one branch (a switch above the title picks the framework); pandoc printed the
braces as text and both branches, and the cross-check compared an English page of one framework
with an Italian page of two. The book shows one branch of each block: the first whose condition
holds, a name compared with a quoted value (`fw === 'pt'`, `!==`, `==`) taking the value
publication.yaml's `conditions` gives it (`fw: tf`), else the first value the chapter compares
it with, so every block of a chapter shows the same framework (the one its first block names
first, the site's default); a condition it cannot decide shows its first branch. Lines in code blocks are never read as blocks; a block inside a quote (`> {#if …}`,
in a `> [!TIP]`) is read there; every line keeps its number."""

from __future__ import annotations

import re

from ..errors import ManuscriptError
from .directives import FENCE, closes

_QUOTE = re.compile(r"(?:[ \t]{0,3}>[ \t]?)*")  # a block in a quote (`> [!TIP]`) is read in it
# the test up to the first `}`: `\s+(.*?)\s*\}` tried every split of a run of spaces, a
# line of 20,000 read 0.6 s (a test holding `}` is read as no block)
_BLOCK = re.compile(r"^\s{0,3}\{(#if|:else(?:\s+if)?|/if)(?:\s([^}]*))?\}\s*$")
_TEST = re.compile(r"""^([A-Za-z_$][\w$]*)\s*(===|!==|==|!=)\s*(?:"([^"]*)"|'([^']*)')$""")


def worth(text: str) -> bool:
    return "{#if" in text or "{:else" in text or "{/if}" in text


def choose(lines: list[str], shown: str, given: dict[str, str] | None = None) -> list[str]:
    """`lines` with each conditional block's lines, and the branches it does not show, left
    blank; a block left open, or an `{:else}` or `{/if}` of none, an error. `given`: the
    values publication.yaml's `conditions` set (`fw: tf`)."""
    lines = list(lines)
    values: dict[str, str] = dict(given or {})
    blocks: list[list] = []  # [line, shown now, a branch already shown, the block itself shown]
    fence = None
    for number, line in enumerate(lines):
        hidden = bool(blocks) and not blocks[-1][1]
        quote = _QUOTE.match(line).group(0)
        line = line[len(quote):]
        match = FENCE.match(line)
        if fence or (match and match.group(2)[0] != ":"):
            if fence is None:
                fence = match.group(2)
            elif match and closes(match, fence):
                fence = None
        elif block := _BLOCK.match(line):
            kind, test = block.group(1), (block.group(2) or "").strip()
            if kind == "#if":
                holds = not hidden and _holds(test, values)
                blocks.append([number, holds, holds, not hidden])
            elif not blocks:
                raise ManuscriptError(f"{{{kind}}} outside any {{#if}} block", shown, number + 1)
            elif kind == "/if":
                blocks.pop()
            else:
                top = blocks[-1]
                top[1] = top[3] and not top[2] and (kind == ":else" or _holds(test, values))
                top[2] = top[2] or top[1]
            hidden = True  # the block's own line
        if hidden:  # the quote's marks kept: one quote still
            lines[number] = quote.rstrip()
    if blocks:
        raise ManuscriptError("{#if} block never closed by {/if}", shown, blocks[-1][0] + 1)
    return lines


def _holds(test: str, values: dict[str, str]) -> bool:
    """Whether `test` holds; a name compared for the first time takes the value it is
    compared with (`===`) or, for `!==`, holds; what cannot be decided holds."""
    match = _TEST.match(test)
    if not match:
        return True
    name, operator = match.group(1), match.group(2)
    value = match.group(3) if match.group(3) is not None else match.group(4)
    equal = values.setdefault(name, value) == value if operator in ("===", "==") else \
        values.get(name, None) != value
    return equal
