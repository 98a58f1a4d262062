"""A float's ID and caption written other ways than Quarto's (pandoc-crossref's, older
pandoc-crossref's, a listing's), made the one every pass reads, before the floats are numbered
(`crossref`)."""

from __future__ import annotations

import re

from . import subfigures
from .ast import inlines
from .callouts import block_lists
from .crossref import LABEL_CLASS, LISTING, numbered_kind

# pandoc-crossref's caption of the code block beside it, a paragraph `: Caption {#lst:code}`
_LISTING_ID = re.compile(r"^\{#(lst[-:][^\s{}]+)\}$")


def written_otherwise(blocks: list, owners: list[int] | None) -> None:
    """The other ways to give a float its ID and caption, made the one every pass reads, in
    place: a table's or figure's ID in an empty span of its caption (`: Data []{#tbl:data}`,
    pandoc-crossref's older form) is the float's; a code block with a listing's ID (its caption
    in `lst-cap`, Quarto's, or `caption`, pandoc-crossref's), or beside a paragraph `: Caption
    {#lst:code}` (that paragraph taken in), is a `listing` div of its caption and its code.
    `owners` (of the top-level blocks) follows a paragraph taken in."""
    kept, kept_owners = [], []  # a new list: a paragraph deleted in place was quadratic
    taken = -1  # the index of the paragraph under a code block, taken into it
    for i, block in enumerate(blocks):
        if i == taken:
            continue
        for inner in block_lists(block):
            written_otherwise(inner, None)
        if block["t"] == "Div":
            block = subfigures.figure(block, lambda i: numbered_kind(i) == "figure", LABEL_CLASS)
        if block["t"] in ("Table", "Figure") and not block["c"][0][0]:
            _caption_id(block, "table" if block["t"] == "Table" else "figure")
        if block["t"] == "CodeBlock":
            block, took = _listing(block, blocks, i, owners, kept)
            if took == i - 1:
                kept.pop()
                kept_owners.pop()
            taken = took if took == i + 1 else taken
        kept.append(block)
        kept_owners.append(owners[i] if owners is not None else 0)
    blocks[:] = kept
    if owners is not None:
        owners[:] = kept_owners


def _listing(block: dict, blocks: list, i: int, owners, kept: list) -> tuple[dict, int | None]:
    """The code block `blocks[i]` as a listing's div if it has a listing's ID or a caption
    paragraph under it (else above it, the last block kept), and the index of the paragraph
    it took in, if any."""
    ident, classes, attrs = block["c"][0]
    caption, took = None, None
    for j in (i + 1, i - 1):  # pandoc-crossref's caption, under its code or above it
        if (not ident and 0 <= j < len(blocks) and (j > i or (kept and kept[-1] is blocks[j]))
                and (owners is None or owners[j] == owners[i])
                and (found := _listing_caption(blocks[j]))):
            (ident, caption), took = found, j
            break
    if numbered_kind(ident) != "listing":
        return block, None
    given = dict(attrs)
    if caption is None:
        caption = inlines(" ".join((given.get("lst-cap") or given.get("caption", "")).split()))
    code = {"t": "CodeBlock", "c": [["", classes, [[k, v] for k, v in attrs
                                                   if k not in ("lst-cap", "caption")]], block["c"][1]]}
    div = {"t": "Div", "c": [[ident, [LISTING], []], [{"t": "Para", "c": caption}, code]]}
    return div, took


def _caption_id(node: dict, kind: str) -> None:
    for block in node["c"][1][1]:
        if block["t"] not in ("Plain", "Para"):
            continue
        for k, el in enumerate(block["c"]):
            if el["t"] == "Span" and not el["c"][1] and numbered_kind(el["c"][0][0]) == kind:
                node["c"][0][0] = el["c"][0][0]
                del block["c"][k]
                block["c"][:] = _trimmed(block["c"])
                return


def _listing_caption(block: dict) -> tuple[str, list] | None:
    """(ID, caption) of a paragraph `: Caption {#lst:code}`, else None."""
    c = block["c"] if block["t"] == "Para" else []
    match = (len(c) >= 3 and c[0] == {"t": "Str", "c": ":"} and c[1]["t"] == "Space"
             and c[-1]["t"] == "Str" and _LISTING_ID.match(c[-1]["c"]))
    if not match:
        return None
    return match.group(1), _trimmed(c[2:-1])


def _trimmed(inlines: list) -> list:
    """`inlines` without the spaces and breaks they end with."""
    end = len(inlines)
    while end and inlines[end - 1]["t"] in ("Space", "SoftBreak"):
        end -= 1
    return inlines[:end]
