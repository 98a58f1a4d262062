"""MyST's targets, `(label)=` on a line of its own: the ID of the heading under it, an anchor
at the start of the paragraph under it, or an empty div above any other block; rewritten line
for line into pandoc's Markdown (see `dialects`)."""

from __future__ import annotations

import re

from . import myst
from .attributes import LABEL
from .directives import FENCE, OPTION, block_end

TARGET = re.compile(r"^\s{0,3}\(([^()\s]+)\)=\s*$")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s")


def target(out: list[str], number: int, label: str, at: int, notices: list) -> None:
    """MyST's target `(label)=`: the ID of the heading after it (blank lines between, and what
    shows nothing: a notebook's raw header, an index entry, as Jupyter Book writes a chapter's
    first lines), or an anchor at the start of the paragraph after it."""
    following = number + 1
    while following < len(out):
        if not out[following].strip():
            following += 1
        elif (hidden := _HIDDEN.match(out[following])) and (
                end := block_end(out, following, hidden.group(1))) is not None:
            following = end + 1
        else:
            break
    line = out[following] if following < len(out) else ""
    if FENCE.match(line) and _labels(out, following) & {label}:
        out[number] = ""  # the directive's own `:label:` names it already (one ID)
    elif _ATX.match(line) and not line.rstrip().endswith("}"):
        out[number] = ""
        out[following] = line.rstrip().rstrip("#").rstrip() + f" {{#{label}}}"
    elif _PARAGRAPH.match(line) and following == number + 1 + _blank_run(out, number + 1):
        out[number] = ""
        indent = len(line) - len(line.lstrip(" "))
        out[following] = line[:indent] + f"[]{{#{label}}}" + line[indent:]
    elif LABEL.fullmatch(label) and (
            (following < len(out) and not out[number + 1].strip())
            or ((fence := FENCE.match(line)) and not _SHOWN_OTHERWISE.match(fence.group(3).strip()))):
        # a code cell's, a box's, any block's below a blank line: an anchor above it
        out[number] = _target_line(label)
    else:
        notices.append(("markup-foreign", at, f"MyST target ({label})= is read only before a "
                        f"heading or a paragraph: give the element an ID, {{#{label}}}, as "
                        "pandoc writes it"))


def _labels(out: list[str], fence: int) -> set[str]:
    """The `:label:` and `:name:` options right under a directive's fence."""
    found, index = set(), fence + 1
    while index < len(out) and (option := OPTION.match(out[index])):
        if option.group(1) in ("label", "name"):
            found.add(option.group(2).strip())
        index += 1
    return found



def _blank_run(out: list[str], start: int) -> int:
    count = 0
    while start + count < len(out) and not out[start + count].strip():
        count += 1
    return count


# what a target may stand above and still label the heading after: `{raw}` for a format none
# of the book's, `{index}`
_HIDDEN = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*\{(?:index\}|raw\}\s*(?!html|latex|tex)\w+)")
# directives not written as a fence (`myst`): the line of a target right above would be theirs
_SHOWN_OTHERWISE = re.compile(r"^\{(?:" + "|".join(myst.DIRECTIVES) + r")\}")
# a paragraph's first line: none of the marks that open another block, no image alone
_PARAGRAPH = re.compile(r"^ {0,3}(?![#>|*+\-`~:<$!(\[]|\d+[.)]|\s)\S")


def _target_line(label: str) -> str:
    """What a target `(label)=` above a block that is not a paragraph is written as: an empty
    div with the ID, which ends no paragraph and is ended by any block (a code fence, a div's
    `:::`, which a paragraph would have swallowed)."""
    return f'<div id="{label}"></div>'
