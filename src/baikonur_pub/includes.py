"""Code blocks that show a file of the manuscript, as mdBook, Quarto and MyST write them.

```` ```rust ```` then `{{#include ../listings/ch01/main.rs}}` (or `{{#rustdoc_include …}}`,
`{{#playground …}}`) on a line of the block: that line becomes the file's text, or the part the
directive names: a line (`:4`), lines (`:4:10`, `:4:`, `:10`… as mdBook counts them, from 1),
or an anchor (`:here`, the lines between `ANCHOR: here` and `ANCHOR_END: here`; every anchor
line is left out, as mdBook leaves them). The Rust book writes every listing so.

Quarto's `include-code-files` writes the file as the block's attributes, `{.py include="x.py"
start-line=4 end-line=10}`, and MyST's ```` ```{literalinclude} x.py ```` (with `:lines: 4-10`)
is read as such a block (`dialects`).

The file obeys the resource policy like an image (`resources.manuscript_file`: inside the
manuscript, no link out, a regular file) and is UTF-8 text of at most `MAX_BYTES`; a file
that cannot be included is an error at the directive's line, every one of a run. The included
text is in the AST, not in the chapter: every line of the chapter keeps its number. Outside a
code block such a directive is text (a `markup-foreign` warning, `lapses`).
"""

from __future__ import annotations

import re
from pathlib import Path

from .ast import walk
from .errors import Collected, ManuscriptError, PublishError
from .resources import manuscript_file
from .sources import written_line

MAX_BYTES = 2**20  # a listing; a book's longest are a few KB
DIRECTIVE = re.compile(r"\{\{#(include|rustdoc_include|playground)\s+([^}:\s]+)"
                       r"(?::([^}\s]*))?\s*\}\}")
_ANCHOR = re.compile(r"ANCHOR(?:_END)?:\s*([\w-]+)")
# Python-Markdown's, on a line of a code block: mdx_include's `{! ../src/app.py !}` (`{!>`,
# `{!<`: recursion on or off, and `| encoding`), pymdownx.snippets' `--8<-- "src/app.py"`
# (`"app.py:4:10"`: those lines, as mdBook writes them)
# (`\s*+`: two `\s*` around an optional mark split a run of spaces every way)
MARKDOWN_INCLUDE = re.compile(r"\{!\s*+[<>]?\s*([^\s|!]+)\s*(?:\|\s*[\w-]+\s*)?!\}"
                              r"|-{1,}8<-{1,}\s+([\"']?)([^\s\"']+?)(?::(\d*:?\d*))?\2")


def _directive(line: str) -> tuple[str, str, str] | None:
    """(what is written, the file, the part) of a code block's line that includes a file."""
    if match := DIRECTIVE.fullmatch(line.strip()):
        return match.group(0), match.group(2), match.group(3) or ""
    if match := MARKDOWN_INCLUDE.fullmatch(line.strip()):
        return match.group(0), match.group(1) or match.group(3), match.group(4) or ""
    return None


def include_code(pub, ast: dict, owners: list[int], files) -> None:
    """Every code block line that is an mdBook directive, and every code block with an
    `include` attribute, replaced by what it includes, in place; every file that cannot be
    included is an error at its directive's line."""
    problems = Collected("code includes")
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue
        for el in walk(block):
            if el.get("t") != "CodeBlock":
                continue
            attrs = dict(el["c"][0][2])
            if attrs.get("include"):
                _attribute(pub, files[owner], el, attrs, problems)
            if not any(mark in el["c"][1] for mark in ("{{#", "{!", "8<")):
                continue
            lines = []
            for line in el["c"][1].split("\n"):
                found = _directive(line)
                if not found:
                    lines.append(line)
                    continue
                try:
                    lines.append(_included(pub, files[owner], found[1], found[2]))
                except PublishError as exc:
                    _refused(problems, exc, files[owner], found[0])
                    lines.append(line)
            el["c"][1] = "\n".join(lines)
    problems.raise_all()


def _attribute(pub, source, el: dict, attrs: dict, problems: Collected) -> None:
    """A code block of Quarto's `include-code-files` (`{.py include="x.py" start-line=4
    end-line=10}`, as MyST's `literalinclude` is read): the file's text, or those lines."""
    target = attrs["include"].strip()
    start, end = attrs.get("start-line", "").strip(), attrs.get("end-line", "").strip()
    part = f"{start}:{end}" if start or end else ""
    el["c"][0][2] = [[k, v] for k, v in el["c"][0][2]
                     if k not in ("include", "start-line", "end-line")]
    try:
        if part and not re.fullmatch(r"\d*:\d*", part):
            raise ManuscriptError(f"included file '{target}': start-line and end-line are line "
                                  f"numbers, not '{start}', '{end}'")
        el["c"][1] = _included(pub, source, target, part)
    except PublishError as exc:
        _refused(problems, exc, source, target)


def _refused(problems: Collected, exc: PublishError, source, written: str) -> None:
    """`exc` as an error at the line of `source` that writes `written` (its directive)."""
    where = written_line([source], written)
    problems.add(lambda: ManuscriptError(exc.message, *where))


def _line_number(written: str, default: int) -> int:
    """A line number as written (int() refuses more than 4,300 digits: one of more than
    nine is past the end of any file this reads)."""
    digits = written.lstrip("0")
    return default if not written else 10**10 if len(digits) > 9 else int(digits or "0")


def _included(pub, source, target: str, part: str) -> str:
    """The text of `target` (relative to `source`'s folder) that `part` names: all of it, lines
    (`4`, `4:10`, `4:`, `:10`) or an anchor's."""
    path = manuscript_file(pub, Path(source.path).parent / target, target)
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ManuscriptError(f"included file '{target}' is over {MAX_BYTES // 1024} KB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ManuscriptError(f"included file '{target}' is not UTF-8 text") from None
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    if re.fullmatch(r"\d*(:\d*)?", part) and part:
        start, _, end = part.partition(":")
        if ":" not in part:  # one line
            end = start
        first, last = _line_number(start, 1), _line_number(end, len(lines))
        if not 1 <= first <= max(last, 1) or first > len(lines):
            raise ManuscriptError(f"included file '{target}' has no lines {part} "
                                  f"(it has {len(lines)})")
        lines = lines[first - 1:last]
    elif part:
        named = [(i, m.group(0).startswith("ANCHOR_END")) for i, l in enumerate(lines)
                 for m in [_ANCHOR.search(l)] if m and m.group(1) == part]
        opened = [i for i, end in named if not end]
        closed = [i for i, end in named if end]
        if not opened or not closed or closed[0] < opened[0]:
            raise ManuscriptError(f"included file '{target}' has no anchor '{part}' "
                                  f"(ANCHOR: {part} … ANCHOR_END: {part})")
        lines = lines[opened[0] + 1:closed[0]]
    return "\n".join(l for l in lines if not _ANCHOR.search(l))
