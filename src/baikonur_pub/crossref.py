"""Numbered figures and tables, and cross-references in Quarto's syntax, in every format.

Figures (`![Caption](img.png){#fig-map}`) and tables (`: Caption {#tbl-data}`) are numbered in
reading order and their captions start with the edition's label ("Figura 1: …", "Figure 1:
…"). Pandoc reads `@fig-map`, `@tbl-data` and `@sec-intro` as citations; here each becomes a
link to its target with the localised label and number ("Figura 1", "Table 2", "Section 2.1";
`[-@fig-map]` gives the number alone, `@Fig-map` a capital). The labels come from
styles/typography.yaml. An unknown target is an error with its file and line. The pass runs on
the AST every format and the cross-check read, so all of them agree.
"""

from __future__ import annotations

import re

from .errors import ManuscriptError, raise_all
from .sources import first_line

KINDS = {"fig": "figure", "tbl": "table", "sec": "section"}
DEFAULT_LABELS = {"figure": "Figure", "table": "Table", "section": "Section"}
_KEY = re.compile(r"^(fig|tbl|sec)-", re.I)


def _text(text: str) -> list[dict]:
    out: list[dict] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def numbers(ast: dict, headings) -> dict[str, tuple[str, str]]:
    """ID → (kind, number) of every figure, table and numbered section."""
    found: dict[str, tuple[str, str]] = {}
    counts = {"figure": 0, "table": 0}
    stack = list(reversed(ast["blocks"]))
    while stack:  # reading order, into divs and other containers
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        t = node.get("t")
        if t in ("Figure", "Table"):  # as Quarto: those with a fig-/tbl- ID are numbered
            kind, prefix = ("figure", "fig-") if t == "Figure" else ("table", "tbl-")
            ident = node["c"][0][0]
            if ident.startswith(prefix):
                counts[kind] += 1
                found[ident] = (kind, str(counts[kind]))
        if isinstance(node.get("c"), list):
            stack.extend(reversed(node["c"]))
    for heading in headings:
        if heading.number:
            found.setdefault(heading.id, ("section", heading.number))
    return found


LABEL_CLASS = "caption-label"


def apply(ast: dict, headings, labels: dict[str, str], owners: list[int], files,
          strict: bool = True) -> None:
    """Number the captions and resolve the cross-references of `ast`, in place."""
    labels = {**DEFAULT_LABELS, **labels}
    targets = numbers(ast, headings)
    problems = []

    def caption(node: dict) -> None:
        ident = node["c"][0][0]
        if ident not in targets:
            return
        kind, number = targets[ident]
        blocks = node["c"][1][1]
        # A span of its own, so the cross-check can tell the generated label from the caption.
        prefix = [{"t": "Span", "c": [["", [LABEL_CLASS], []], _text(f"{labels[kind]} {number}:")]},
                  {"t": "Space"}]
        if blocks and blocks[0]["t"] in ("Plain", "Para"):
            blocks[0]["c"][:0] = prefix
        else:
            blocks.insert(0, {"t": "Plain", "c": prefix[:-1]})

    def reference(cite: dict, source) -> dict | None:
        citations = cite["c"][0]
        if not all(_KEY.match(c["citationId"]) for c in citations):
            return None
        parts: list[dict] = []
        for i, citation in enumerate(citations):
            key = citation["citationId"]
            ident = key[:1].lower() + key[1:]
            if ident not in targets:
                if strict:
                    problems.append(_located(source, f"@{key}",
                                             f"cross-reference '@{key}': no {KINDS[key[:3].lower()]} "
                                             "has this ID"))
                return None
            kind, number = targets[ident]
            label = labels[kind]
            if key[0].isupper():
                label = label[:1].upper() + label[1:]
            words = number if citation["citationMode"]["t"] == "SuppressAuthor" else f"{label}\u00a0{number}"
            if i:
                parts += [{"t": "Str", "c": ","}, {"t": "Space"}]
            parts += citation["citationPrefix"] + ([{"t": "Space"}] if citation["citationPrefix"] else [])
            parts.append({"t": "Link", "c": [["", ["cross-ref"], []], [{"t": "Str", "c": words}],
                                             [f"#{ident}", ""]]})
            parts += citation["citationSuffix"]
        return {"t": "Span", "c": [["", [], []], parts]}

    def visit(node, source):
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, dict) and item.get("t") == "Cite":
                    replaced = reference(item, source)
                    if replaced is not None:
                        node[index] = replaced
                        continue
                visit(item, source)
        elif isinstance(node, dict):
            if node.get("t") in ("Figure", "Table"):
                caption(node)
            if isinstance(node.get("c"), (list, dict)):
                visit(node["c"], source)

    for block, owner in zip(ast["blocks"], owners):
        visit([block], files[owner] if owner >= 0 else None)
    raise_all(problems)


def _located(source, needle: str, message: str) -> ManuscriptError:
    return ManuscriptError(message, *first_line([source], needle)) if source else ManuscriptError(message)
