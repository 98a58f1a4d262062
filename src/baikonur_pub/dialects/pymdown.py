"""MkDocs' Python-Markdown extensions, read line for line (see `dialects`):

- pymdownx.blocks, the generic blocks Material for MkDocs documents since 2023:
  `/// tip | Title` … `///` (every admonition type, and `/// admonition | Title` with a
  `type:` option), `/// details | Summary` (open: a book shows it whole) and
  `/// tab | Python 3.10+`, their options indented under the opening line (`    type: warning`,
  set aside once read). An outer block is fenced with more slashes (`//// tab` around a
  `/// note`). Each becomes the callout or tab pandoc's Markdown has (`callouts`, `tree`);
  the other blocks (`html`, `caption`, `define`…) show their content with a `markup-foreign`
  warning. Pandoc read them as text: `/// tip` printed in every format.
- a code file shown by a line of its own, `{* ../src/app.py hl[3] ln[2:5] title["app.py"] *}`
  (markdown-include-variants, as the FastAPI, Typer and SQLModel docs write every example):
  a code block that includes the file (`includes`, under the resource policy), lines `ln[…]`
  only, its `title` shown above it as a file name; line marks (`hl[…]`) set aside. Pandoc
  printed the line as text, the example missing from the book.

A block's opening and closing keep their lines (every later line keeps its number).
"""

from __future__ import annotations

import re

from ..callouts import kind_of
from .attributes import quoted, titled_div

_OPEN = re.compile(r"^(\s*)(/{3,})[ \t]*([A-Za-z][\w-]*)[ \t]*(?:\|[ \t]*(.*?))?[ \t]*$")
_CLOSE = re.compile(r"^(\s*)(/{3,})[ \t]*$")
_OPTION = re.compile(r"^([\w-]+)\s*:(.*)$")  # its value stripped after: `(.*?)\s*$` tried every split of its spaces
# blocks whose content is shown as it is, the block itself not read
_OTHER_BLOCKS = frozenset(("html", "caption", "figure-caption", "table-caption", "define"))
WORTH = ("///", "{*")  # what a chapter holds when it may hold any of these


class Blocks:
    """The pymdownx blocks of a chapter's lines: the slashes of those still open, and the last
    line closing a block of each number of slashes (a block never closed is text)."""

    def __init__(self, out: list[str]):
        self.open: list[int] = []
        self.last = {len(m.group(2)): index for index, line in enumerate(out)
                     if "///" in line and (m := _CLOSE.match(line))}


def block(out: list[str], number: int, blocks: Blocks, at: int, notices: list) -> bool:
    """Whether `out[number]` opens or closes a pymdownx block, rewritten if so (its option
    lines blanked)."""
    line, stack = out[number], blocks.open
    if close := _CLOSE.match(line):
        if not stack or stack[-1] != len(close.group(2)):
            return False
        stack.pop()
        out[number] = close.group(1) + ":::"
        return True
    opening = _OPEN.match(line)
    if not opening or blocks.last.get(len(opening.group(2)), -1) <= number:
        return False
    indent, slashes, name, title = opening.groups()
    low, title = name.lower(), title or ""
    options = _options(out, number + 1, len(indent.expandtabs(4)))
    if low == "tab":
        div = titled_div("tab-item", title)
    elif low in ("details", "admonition") or kind_of(low):
        kind = kind_of(options.get("type", "")) or kind_of(low) or "note"
        div = titled_div(f"callout-{kind}", title)
    elif low in _OTHER_BLOCKS:
        notices.append(("markup-foreign", at, f"pymdownx block '/// {name}' is not read: its "
                        "content is shown as it is" + (f", '{title}' left out" if title else "")))
        div = " {.pymdownx-" + low + "}"
    else:
        return False  # no block pymdownx knows: text to it too
    stack.append(len(slashes))
    out[number] = indent + ":::" + div
    return True


def _options(out: list[str], start: int, depth: int) -> dict[str, str]:
    """A block's options: the lines indented four spaces deeper than it, right under its
    opening (YAML, read as `key: value`), blanked."""
    options, index = {}, start
    while index < len(out) and out[index].strip() and \
            len(out[index].expandtabs(4)) - len(out[index].expandtabs(4).lstrip()) >= depth + 4:
        if option := _OPTION.match(out[index].strip()):
            options[option.group(1).lower()] = option.group(2).strip().strip("\"'")
        out[index] = ""
        index += 1
    return options


# markdown-include-variants: `{* path options *}` alone on its line
_VARIANTS = re.compile(r"^(\s*)\{\*\s*([^\s*`]+)((?:\s+[\w-]+\[[^\]]*\])*)\s*\*\}\s*$")
# (from a word's start only: from each letter, `[\w-]+` read the word again)
_VARIANT_OPTION = re.compile(r"(?<![\w-])([\w-]+)\[([^\]]*)\]")
INCLUDE_CODE = "include-code"  # the class of the inline code `tree` makes a code block of
LANGUAGES = {"py": "python", "js": "javascript", "mjs": "javascript", "ts": "typescript",
             "sh": "bash", "yml": "yaml", "rs": "rust", "rb": "ruby", "md": "markdown",
             "kt": "kotlin", "cs": "csharp", "hs": "haskell", "txt": ""}


def language(path: str) -> str:
    """The language a code file is written in, by its extension (`app.py`: python)."""
    ext = path.rsplit("/", 1)[-1].rpartition(".")[2].lower() if "." in path else ""
    return LANGUAGES.get(ext, ext if re.fullmatch(r"[a-z][\w+-]*", ext) else "")


def variants(out: list[str], number: int) -> bool:
    """Whether `out[number]` is `{* path … *}`, rewritten if so: inline code of the path
    with the include's attributes, which `tree` makes the code block (pandoc's Markdown has
    no one-line code block)."""
    match = _VARIANTS.match(out[number])
    if not match:
        return False
    indent, path, rest = match.groups()
    given = {m.group(1).lower(): m.group(2).strip() for m in _VARIANT_OPTION.finditer(rest)}
    attrs = [f".{INCLUDE_CODE}", f"include={quoted(path)}"]
    lines = re.fullmatch(r"(\d+)(?::(\d+))?", given.get("ln", ""))
    if lines:
        attrs += [f"start-line={lines.group(1)}", f"end-line={lines.group(2) or lines.group(1)}"]
    title = given.get("title", "").strip().strip("\"'")
    if title:
        attrs.append(f"filename={quoted(title)}")
    out[number] = f"{indent}`{path}`{{{' '.join(attrs)}}}"
    return True
