"""Numbered figures, tables and equations, and cross-references in Quarto's syntax, in every
format. An equation is display math followed by its ID (`$$ E = mc^2 $$ {#eq-mass}`): a span
of the math and its number, `(1)`.

Figures (`![Caption](img.png){#fig-map}`) and tables (`: Caption {#tbl-data}`) are numbered in
reading order and their captions start with the edition's label ("Figura 1: …", "Figure 1:
…"). Pandoc reads `@fig-map`, `@tbl-data` and `@sec-intro` as citations; here each becomes a
link to its target with the localised label and number ("Figura 1", "Table 2", "Section 2.1";
`[-@fig-map]` gives the number alone, `@Fig-map` a capital); a section with no number
(`.unnumbered`) is named by its title, as Quarto does. The labels come from
styles/typography.yaml. An unknown target is an error with its file and line.

Section numbers are decided here too, for every format: the sections of an unnumbered section
are unnumbered (Quarto's rule; pandoc numbered a preface's sections 0.1, 0.2). The pass runs on
the AST every format and the cross-check read, so all of them agree.
"""

from __future__ import annotations

import re

from .ast import inlines, walk
from .errors import Collected, ManuscriptError
from .sources import first_line

KINDS = {"fig": "figure", "tbl": "table", "sec": "section", "eq": "equation"}
LINK_CLASS = "cross-ref"  # a resolved cross-reference's link (the cross-check reads it back)
UNNUMBERED = "unnumbered"
DEFAULT_LABELS = {"figure": "Figure", "table": "Table", "section": "Section",
                  "equation": "Equation"}
_KEY = re.compile(r"^(fig|tbl|sec|eq)-", re.I)
# Quarto's numbered equation: display math, then its ID in braces (`$$ E = mc^2 $$ {#eq-mass}`)
_EQ_ID = re.compile(r"^\{#(eq-[^\s{}]+)\}$")
EQUATION = "equation"  # the span of a numbered equation; its number's, `equation-number`
# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar,
# and CJK punctuation): pandoc reads every letter after `@` into the key, so `@fig-map中所示`
# asks for a figure `fig-map中所示`, where a Chinese author wrote `@fig-map` and 中所示.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u31f0-\u31ff"
                       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                       "\U00020000-\U0003134f]")


def is_cross_reference(key: str) -> bool:
    return bool(_KEY.match(key))


def kind_of(key: str) -> str:
    """What a cross-reference key names: figure, table, section or equation."""
    return KINDS[_KEY.match(key).group(1).lower()]


def _equations(inlines: list) -> list[tuple[int, int, str]]:
    """(index of the display math, index after its ID, the ID) of each numbered equation."""
    found = []
    for i, el in enumerate(inlines):
        if el.get("t") == "Math" and el["c"][0]["t"] == "DisplayMath":
            j = i + 1 + (i + 1 < len(inlines) and inlines[i + 1].get("t") in ("Space", "SoftBreak"))
            label = inlines[j] if j < len(inlines) else {}
            match = _EQ_ID.match(label.get("c", "")) if label.get("t") == "Str" else None
            if match:
                found.append((i, j + 1, match.group(1)))
    return found


def target_of(key: str) -> str:
    """The ID a cross-reference key names (`@Fig-map`, a capital label, names `fig-map`)."""
    return key[:1].lower() + key[1:]


def shown(text: str, most: int = 60) -> str:
    """A key (or the text after one) as a message shows it: a key may be a whole paragraph of
    a script written without spaces."""
    return text if len(text) <= most else text[:most] + "…"


def unspaced_hint(key: str, known=None) -> str:
    """What to write instead, when pandoc read the text after a key into it: split after the
    longest of the `known` keys followed by such text (with none given, before the first
    character of a script written without spaces)."""
    if known is None:
        cut = _UNSPACED.search(key)
        split = (key[:cut.start()], key[cut.start():]) if cut and cut.start() else None
    else:
        split = split_unspaced(key, known)
    return "" if split is None else (f" (pandoc read the text after @{split[0]} into the key: "
                                     f"write [@{split[0]}]{shown(split[1], 12)})")


_STRANDED = re.compile(r"(?<=[^\W\d_])@([\w:.#$%&+?<>~/-]*\w)")


def stranded(ast: dict, known) -> list[str]:
    """Each `@key` of a known key (a citation or cross-reference) that pandoc left as text
    because a letter comes right before it: `如@fig-map中所示` (Chinese puts no space there)
    is the text “如@fig-map中所示”, no reference at all. Only known keys: `ada@example.org`
    is an address."""
    from .ast import walk

    found = []
    for node in walk(ast["blocks"]):
        if node.get("t") == "Str" and "@" in node["c"]:
            for match in _STRANDED.finditer(node["c"]):
                key = match.group(1)
                split = split_unspaced(key, known)
                key = key if key in known else split[0] if split else None
                if key is not None and key not in found:
                    found.append(key)
    return found


def citation_hint(key: str, known, why: str = "") -> str:
    """What an author who cited nothing meant: a key that took in text after it, else an `@`
    written for itself (`[@scope/package](…)`, a package named in a link, is a citation to
    pandoc). `why`: said first, inside the same parentheses."""
    return unspaced_hint(key, known) or f" ({why + '; ' if why else ''}write \\@ for an @ that " \
        "cites nothing)"


def split_unspaced(key: str, known) -> tuple[str, str] | None:
    """(`@fig-map`'s key, `中所示`) when `key` is a known key followed by text of a script
    written without spaces: the longest such known key, or None. Each known key is tried as
    a prefix (not each place in `key`: a run of 200,000 Chinese characters after an `@` is one
    key, and slicing it at every character took minutes)."""
    best = max((k for k in known if len(k) < len(key) and key.startswith(k)
                and _UNSPACED.match(key, len(k))), key=len, default=None)
    return None if best is None else (best, key[len(best):])


def chapters_at_level_one(blocks: list[dict], owners: list[int]) -> None:
    """The chapters' headings raised so that the shallowest of them is level 1, in place: the
    chapter level, whatever the chapters write. Chapters that start at `##` (mdBook's, a site's
    pages under a title of their own) were sections "0.1", "0.2" in every format, all in one
    file of the EPUB (which splits at chapters), under no chapter in the contents."""
    found = [el for block, owner in zip(blocks, owners) if owner >= 0
             for el in walk(block) if el.get("t") == "Header"]
    shift = min((el["c"][0] for el in found), default=1) - 1
    for el in found if shift > 0 else ():
        el["c"][0] -= shift


def unnumber_within(blocks: list[dict]) -> None:
    """Every heading below an unnumbered one (until a heading at its level or above) is made
    unnumbered, in place: its Header gets the class, which every format's pandoc writer obeys
    and the headings' numbers (manuscript._headings, run after) follow."""
    nodes = [el for block in blocks for el in (walk(block) if block["t"] == "Div" else [block])
             if el["t"] == "Header"]  # the headings' own order (manuscript._headings)
    ceiling = None  # level of the unnumbered heading whose sections these are
    for node in nodes:
        level, (_, classes, _), _ = node["c"]
        if ceiling is not None and level > ceiling:
            if UNNUMBERED not in classes:
                classes.append(UNNUMBERED)
        else:
            ceiling = level if UNNUMBERED in classes else None


def numbers(ast: dict, headings) -> dict[str, tuple[str, str]]:
    """ID → (kind, number) of every figure, table and section; "" for an unnumbered section."""
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
        if t in ("Para", "Plain"):  # `$$ … $$ {#eq-mass}`, numbered as Quarto numbers them
            for _, _, ident in _equations(node["c"]):
                counts["equation"] = counts.get("equation", 0) + 1
                found[ident] = ("equation", str(counts["equation"]))
        if t in ("Figure", "Table"):  # as Quarto: those with a fig-/tbl- ID are numbered
            kind, prefix = ("figure", "fig-") if t == "Figure" else ("table", "tbl-")
            ident = node["c"][0][0]
            if ident.startswith(prefix):
                counts[kind] += 1
                found[ident] = (kind, str(counts[kind]))
        if isinstance(node.get("c"), list):
            stack.extend(reversed(node["c"]))
    for heading in headings:
        if heading.id:
            found.setdefault(heading.id, ("section", heading.number))
    return found


LABEL_CLASS = "caption-label"


def apply(ast: dict, headings, labels: dict[str, str], owners: list[int], files,
          strict: bool = True, cited: frozenset[str] = frozenset()) -> None:
    """Number the captions and resolve the cross-references of `ast`, in place. `cited`: the
    bibliography's keys (a citation pandoc left as text is reported too)."""
    labels = {**DEFAULT_LABELS, **labels}
    targets = numbers(ast, headings)
    titles = {h.id: h.title or h.id for h in reversed(headings)}  # the first of an ID, as targets
    problems = Collected("references")

    def caption(node: dict) -> None:
        ident = node["c"][0][0]
        if ident not in targets:
            return
        kind, number = targets[ident]
        blocks = node["c"][1][1]
        # A span of its own, so the cross-check can tell the generated label from the caption.
        prefix = [{"t": "Span", "c": [["", [LABEL_CLASS], []], inlines(f"{labels[kind]} {number}:", " ")]},
                  {"t": "Space"}]
        if blocks and blocks[0]["t"] in ("Plain", "Para"):
            blocks[0]["c"][:0] = prefix
        else:
            blocks.insert(0, {"t": "Plain", "c": prefix[:-1]})

    def equations(inlines: list) -> None:
        """Each numbered equation a span with its ID, the math and its number: `(1)`."""
        for start, end, ident in reversed(_equations(inlines)):
            number = {"t": "Span", "c": [["", ["equation-number"], []],
                                         [{"t": "Str", "c": f"({targets[ident][1]})"}]]}
            inlines[start:end] = [{"t": "Span", "c": [[ident, [EQUATION], []],
                                                      [inlines[start], number]]}]

    def reference(cite: dict, source) -> dict | None:
        citations = cite["c"][0]
        if not all(_KEY.match(c["citationId"]) for c in citations):
            return None
        parts: list[dict] = []
        for i, citation in enumerate(citations):
            key = citation["citationId"]
            ident = target_of(key)
            after: list[dict] = []
            split = split_unspaced(ident, targets) if len(citations) == 1 else None
            if ident not in targets and split is not None:  # `@fig-map中所示`
                ident, rest = split
                key, after = key[:len(ident)], [{"t": "Str", "c": rest}]
            if ident not in targets:
                if strict:
                    problems.add(lambda: _located(
                        source, f"@{key}", f"cross-reference '@{shown(key)}': no "
                        f"{kind_of(key)} has this ID{unspaced_hint(key)}"))
                return None
            kind, number = targets[ident]
            label = labels[kind]
            if key[0].isupper():
                label = label[:1].upper() + label[1:]
            if not number:  # an unnumbered section: its title says which, with or without `-`
                words = titles[ident]
            elif citation["citationMode"]["t"] == "SuppressAuthor":
                words = number
            else:
                words = f"{label}\u00a0{number}"
            if i:
                parts += [{"t": "Str", "c": ","}, {"t": "Space"}]
            parts += citation["citationPrefix"] + ([{"t": "Space"}] if citation["citationPrefix"] else [])
            parts.append({"t": "Link", "c": [["", [LINK_CLASS], []], inlines(words, " "),
                                             [f"#{ident}", ""]]})
            parts += citation["citationSuffix"] + after
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
            if node.get("t") in ("Para", "Plain"):
                equations(node["c"])
            if isinstance(node.get("c"), (list, dict)):
                visit(node["c"], source)

    known = targets.keys() | cited  # once: per block it was quadratic (30,000 headings: 70 s)
    for block, owner in zip(ast["blocks"], owners):
        visit([block], files[owner] if owner >= 0 else None)
        if strict and owner >= 0:
            for key in stranded({"blocks": [block]}, known):
                problems.add(lambda: _located(files[owner], f"@{key}", f"'@{key}' comes right after "
                                              f"a letter, so it is text, not a reference: write [@{key}]"))
    problems.raise_all()


def _located(source, needle: str, message: str) -> ManuscriptError:
    return ManuscriptError(message, *first_line([source], needle)) if source else ManuscriptError(message)
