"""Numbered figures, tables, equations and code listings, and cross-references in Quarto's
syntax and in pandoc-crossref's (`{#fig:map}`, `@fig:map`: a colon for the dash), in every
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

from . import subfigures, theorems
from .ast import inlines, stringify, walk
from .callouts import block_lists
from .errors import Collected, ManuscriptError
from .ids import element_id
from .keys import shown, split_unspaced, stranded, unspaced_hint
from .sources import first_line

KINDS = {"fig": "figure", "tbl": "table", "sec": "section", "eq": "equation",
         "lst": "listing", **theorems.KINDS}
NUMBERED = ("figure", "table", "equation", "listing")  # counted here; theorems by theorems.count
LINK_CLASS = "cross-ref"  # a resolved cross-reference's link (the cross-check reads it back)
REFERENCE = "myst-ref"  # a MyST role's link to a label (`dialects.myst`), resolved here
UNNUMBERED = "unnumbered"
DEFAULT_LABELS = {"figure": "Figure", "table": "Table", "section": "Section",
                  "equation": "Equation", "listing": "Listing"}
# Quarto's `fig-map`, pandoc-crossref's `fig:map` (a widely copied thesis template's, and many
# a paper's: a reference to one was a citation missing from the bibliography)
_KEY = re.compile(r"^(" + "|".join(KINDS) + r")[-:]", re.I)
# a numbered equation: display math, then its ID in braces (`$$ E = mc^2 $$ {#eq-mass}`)
_EQ_ID = re.compile(r"^\{#(eq[-:][^\s{}]+)\}$")
LISTING = "listing"  # the class of a listing's div (mdBook's too, `dialects.tree`)
EQUATION = "equation"  # the span of a numbered equation; its number's, `equation-number`


def is_cross_reference(key: str) -> bool:
    return bool(_KEY.match(key))


def kind_of(key: str) -> str:
    """What a cross-reference key names: figure, table, section, equation or listing."""
    return KINDS[_KEY.match(key).group(1).lower()]


def numbered_kind(ident: str) -> str | None:
    """What an ID numbers, None if nothing: its prefix in lower case (`fig-`, `fig:`)."""
    match = _KEY.match(ident)
    return KINDS[match.group(1)] if match and match.group(1).islower() else None


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


def code_ids(blocks: list) -> frozenset[str]:
    """The IDs of code blocks: among them the labels of chunks shown as code that name the
    figure or the table running them would make (`dialects.directives`)."""
    return frozenset(el["c"][0][0] for el in walk(blocks)
                     if el.get("t") == "CodeBlock" and el["c"][0][0])


def never_run_hint(key: str, ids: frozenset[str]) -> str:
    """Why a figure's or a table's ID leads nowhere when it is the label of a chunk never run."""
    if target_of(key) not in ids:
        return ""
    instead = ("write the table in Markdown" if kind_of(key) == "table" else
               "show an image of it, knitr::include_graphics or ![caption](file)")
    return (f" (the chunk labelled {shown(key)} would make the {kind_of(key)} by running its "
            f"code, which a build never does: {instead}, with this ID)")


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


def _heading_nodes(blocks: list[dict]) -> list[dict]:
    """The Header elements that are the edition's headings, in their order (manuscript._headings)."""
    return [el for block in blocks for el in (walk(block) if block["t"] == "Div" else [block])
            if el["t"] == "Header"]


def unnumber_within(blocks: list[dict]) -> None:
    """Every heading below an unnumbered one (until a heading at its level or above) is made
    unnumbered, in place: its Header gets the class, which every format's pandoc writer obeys
    and the headings' numbers (manuscript._headings, run after) follow."""
    ceiling = None  # level of the unnumbered heading whose sections these are
    for node in _heading_nodes(blocks):
        level, (_, classes, _), _ = node["c"]
        if ceiling is not None and level > ceiling:
            if UNNUMBERED not in classes:
                classes.append(UNNUMBERED)
        else:
            ceiling = level if UNNUMBERED in classes else None


def _chapter_starts(blocks: list[dict]) -> dict[int, str]:
    """id() of each chapter's heading (level 1) → the prefix of its numbers, "2.", "" when it
    is unnumbered (counted as manuscript._headings counts them)."""
    starts, count = {}, 0
    for node in _heading_nodes(blocks):
        if node["c"][0] == 1:
            numbered = UNNUMBERED not in node["c"][1][1]
            count += numbered
            starts[id(node)] = f"{count}." if numbered else ""
    return starts


def numbers(ast: dict, headings, chapters: bool = False) -> dict[str, tuple[str, str]]:
    """ID → (kind, number) of every figure, table, equation, listing, theorem and section; ""
    for an unnumbered section. `chapters`: counted anew in each chapter, after its number
    ("2.1"), as Quarto numbers a book's; an unnumbered chapter's go on from the one before."""
    found: dict[str, tuple[str, str]] = {}
    starts = _chapter_starts(ast["blocks"]) if chapters else {}
    counted: dict = {}  # chapter prefix → (counts, theorem counts) within it

    def within(prefix: str) -> tuple[dict, dict]:
        return counted.setdefault(prefix, (dict.fromkeys(NUMBERED, 0), {}))

    prefix = ""
    counts, theorem_counts = within(prefix)
    stack = list(reversed(ast["blocks"]))
    while stack:  # reading order, into divs and other containers
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        t = node.get("t")
        if id(node) in starts:
            prefix = starts[id(node)]
            counts, theorem_counts = within(prefix)
        if t in ("Para", "Plain"):  # `$$ … $$ {#eq-mass}`, numbered as Quarto numbers them
            for _, _, ident in _equations(node["c"]):
                counts["equation"] += 1
                found[ident] = ("equation", f"{prefix}{counts['equation']}")
        # as Quarto: those with an ID of their kind are numbered (fig-/tbl-/lst-, or fig:…)
        kind = {"Figure": "figure", "Table": "table", "Div": LISTING}.get(t)
        if kind and numbered_kind(node["c"][0][0]) == kind and node["c"][0][0] not in found and (
                t != "Div" or LISTING in node["c"][0][1]):  # (a subfigure is numbered with its figure)
            counts[kind] += 1
            number = f"{prefix}{counts[kind]}"
            found[node["c"][0][0]] = (kind, number)
            found.update({i: (kind, n) for i, n in subfigures.numbered(node, number).items()})
        if (numbered := theorems.count(node, theorem_counts, prefix)) and node["c"][0][0]:
            found[node["c"][0][0]] = numbered  # each kind its own count, as figures
        if isinstance(node.get("c"), list):
            stack.extend(reversed(node["c"]))
    for heading in headings:
        if heading.id:
            found.setdefault(heading.id, ("section", heading.number))
    return found


LABEL_CLASS = "caption-label"


def apply(ast: dict, headings, labels: dict[str, str], owners: list[int], files,
          strict: bool = True, cited: frozenset[str] = frozenset(), chapters: bool = False) -> None:
    """Number the captions and resolve the cross-references of `ast`, in place, its floats
    written one way (`floats`). `cited`: the bibliography's keys (a citation pandoc left as
    text is reported too). `chapters`: numbered within each chapter (`numbers`)."""
    labels = {**DEFAULT_LABELS, **theorems.DEFAULT_LABELS, **labels}
    targets = numbers(ast, headings, chapters)
    titles = {h.id: h.title or h.id for h in reversed(headings)}  # the first of an ID, as targets
    unrun = code_ids(ast["blocks"])
    problems = Collected("references")

    def caption(node: dict) -> None:
        ident = node["c"][0][0]
        if ident not in targets:
            return
        kind, number = targets[ident]
        blocks = node["c"][1] if node["t"] == "Div" else node["c"][1][1]
        if subfigures.lettered(blocks):  # a subfigure's caption is its letter's: "(a) …"
            return
        colon = ":" if kind != LISTING or blocks[0]["c"] else ""  # a listing may have no caption
        # A span of its own, so the cross-check can tell the generated label from the caption.
        prefix = [{"t": "Span", "c": [["", [LABEL_CLASS], []],
                                      inlines(f"{labels[kind]} {number}{colon}", " ")]},
                  {"t": "Space"}][:2 if colon else 1]
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
            if i:
                parts += [{"t": "Str", "c": ","}, {"t": "Space"}]
            if ident not in targets:
                if strict:
                    problems.add(lambda: _located(
                        source, f"@{key}", f"cross-reference '@{shown(key)}': no "
                        f"{kind_of(key)} has this ID{unspaced_hint(key)}"
                        f"{never_run_hint(key, unrun)}"))
                if len(citations) == 1:
                    return None
                # a citation of its own, the others of the bracket resolved (the check reported
                # each key of the bracket as leading nowhere)
                parts.append({"t": "Cite", "c": [[citation], [{"t": "Str", "c": f"@{key}"}]]})
                continue
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
            parts += citation["citationPrefix"] + ([{"t": "Space"}] if citation["citationPrefix"] else [])
            parts.append({"t": "Link", "c": [["", [LINK_CLASS], []], inlines(words, " "),
                                             [f"#{ident}", ""]]})
            parts += citation["citationSuffix"] + after
        return {"t": "Span", "c": [["", [], []], parts]}

    elements: dict[str, dict] = {}  # ID → element, found when a MyST reference first asks
    anchored: dict[str, dict] = {}  # a target's empty div's ID → the block below it
    found = []

    def labelled(link: dict, source) -> None:
        """A MyST role's link (`dialects.myst`): to the element its label names, however its
        kind's prefix was added (`fig-`, `eq-`), its text what Sphinx shows when none is given."""
        label = link["c"][2][0][1:]
        roles = link["c"][0][1]
        if not found:
            elements.update((element_id(el), el) for el in walk(ast["blocks"]) if element_id(el))
            lists = [ast["blocks"], *(b for el in walk(ast["blocks"]) for b in block_lists(el))]
            for inner in lists:
                for block, below in zip(inner, inner[1:]):  # a target's anchor: what is below it
                    if block.get("t") == "Div" and not block["c"][1] and block["c"][0][0]:
                        anchored[block["c"][0][0]] = below
            found.append(True)
        ident = next((i for i in (label, *(f"{k}-{label}" for k in KINDS)) if i in targets
                      or i in elements), None)
        if ident is None:
            if strict:
                problems.add(lambda: _located(source, label, f"reference to '{label}': no "
                                              "section, figure, table, equation or element has "
                                              "this label"))
                link["c"][2][0] = ""  # reported once: no broken link besides
            return
        below = anchored.get(ident)
        if below is not None and element_id(below) in targets:  # `(target)=` above a theorem
            ident = element_id(below)
        kind, number = targets.get(ident, ("", ""))
        given = stringify(link["c"][1]).strip()
        if kind == "equation":
            words = f"({number})" if not given else given.replace("%s", number)
        elif given:  # `{numref}`Fig. %s <label>``
            words = given.replace("%s", number).replace("{number}", number)
        elif kind == "section" and ("numref" not in roles or not number):
            words = titles[ident]
        elif kind:
            words = f"{labels[kind]}\u00a0{number}"
        elif (title := _title_of(below if below is not None else elements[ident])) is not None:
            words = title  # a callout, by its title
        else:
            if strict:
                problems.add(lambda: _located(source, label, f"reference to '{label}' needs its "
                                              f"text, as the element has no title: write "
                                              f"{{ref}}`text <{label}>`"))
                link["c"][2][0] = ""
            return
        link["c"][0][1] = [LINK_CLASS]
        if words != given:  # the author's own text keeps its emphasis, its code
            link["c"][1] = inlines(words, " ")
        link["c"][2][0] = f"#{ident}"

    def visit(node, source):
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, dict) and item.get("t") == "Cite":
                    replaced = reference(item, source)
                    if replaced is not None:
                        node[index] = replaced
                        continue
                if isinstance(item, dict) and item.get("t") == "Link" and \
                        REFERENCE in item["c"][0][1] and item["c"][2][0].startswith("#"):
                    labelled(item, source)
                    continue
                visit(item, source)
        elif isinstance(node, dict):
            if node.get("t") in ("Figure", "Table") or (
                    node.get("t") == "Div" and LISTING in node["c"][0][1]):
                caption(node)
            theorems.label(node, labels)
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


def _title_of(element: dict) -> str | None:
    """The title of a callout (its first block, `callouts`), None for another element."""
    if element["t"] == "Div" and any(c.startswith("callout-") for c in element["c"][0][1]) \
            and element["c"][1]:
        return stringify(element["c"][1][0]).strip() or None
    return None


def _located(source, needle: str, message: str) -> ManuscriptError:
    return ManuscriptError(message, *first_line([source], needle)) if source else ManuscriptError(message)
