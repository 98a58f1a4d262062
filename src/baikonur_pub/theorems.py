"""Theorems, lemmas, definitions, examples and their proofs, numbered in every format.

Quarto writes one as a div whose ID names its kind (`::: {#thm-line name="Line"}`, or its
title as the div's first heading), a proof as `::: {.proof}`; Jupyter Book (sphinx-proof) as
a directive, ```` ```{prf:theorem} Line ```` with `:label:`, read into the same div
(`dialects.directives`). Each kind is numbered in reading order, as figures are, and opens
with its label in bold: "**Theorem 1 (Line).**"; a proof with "*Proof.*". `@thm-line` and
`{prf:ref}`line`` lead to it ("Theorem 1", `crossref`). The labels come from
styles/typography.yaml, like the captions'.
"""

from __future__ import annotations

from .ast import inlines, stringify

CLASS = "theorem"  # every numbered kind's div carries it, and the kind's own class
PROOF = "proof"
# Quarto's ID prefixes, and sphinx-proof's directive names, of each kind
KINDS = {"thm": "theorem", "lem": "lemma", "cor": "corollary", "prp": "proposition",
         "cnj": "conjecture", "def": "definition", "exm": "example", "exr": "exercise",
         "sol": "solution", "rem": "remark", "alg": "algorithm"}
DIRECTIVES = {**{name: name for name in KINDS.values()}, "axiom": "definition",
              "criterion": "definition", "assumption": "definition", "property": "proposition",
              "observation": "remark", "proof": PROOF}
NUMBER = "number"  # the attribute holding a numbered div's number (`number`)
LABEL_CLASS = "caption-label"  # as a caption's label: the cross-check reads past it
DEFAULT_LABELS = {"theorem": "Theorem", "lemma": "Lemma", "corollary": "Corollary",
                  "proposition": "Proposition", "conjecture": "Conjecture",
                  "definition": "Definition", "example": "Example", "exercise": "Exercise",
                  "solution": "Solution", "remark": "Remark", "algorithm": "Algorithm",
                  "proof": "Proof"}


def kind_of_id(ident: str) -> str | None:
    prefix, dash, rest = ident.partition("-")
    return KINDS.get(prefix) if dash and rest else None


def _kind(classes: list[str]) -> str | None:
    """A theorem div's kind: its class besides `theorem` (a theorem's is `theorem` alone)."""
    kinds = [c for c in classes if c in DEFAULT_LABELS and c != PROOF]
    return next((c for c in kinds if c != CLASS), kinds[0] if kinds else None)


def tidy(el: dict) -> None:
    """A Quarto theorem's div given its classes (`theorem` and the kind's) and its title (a
    `name` attribute, else the div's first heading, which is no section of the book). Called
    on every element of the tree's one walk (`dialects.tree.tidy`)."""
    if el.get("t") != "Div":
        return
    ident, classes, attrs = el["c"][0]
    kind = kind_of_id(ident)
    if kind and CLASS not in classes:
        classes[:0] = list(dict.fromkeys([CLASS, kind]))
    if (kind or PROOF in classes or CLASS in classes) and el["c"][1] \
            and el["c"][1][0]["t"] == "Header" and "name" not in dict(attrs):
        heading = el["c"][1].pop(0)
        attrs.append(["name", stringify(heading["c"][2])])


def count(el: dict, counts: dict[str, int], prefix: str = "") -> tuple[str, str] | None:
    """A numbered div's number of its kind, in reading order (`crossref.numbers` calls it on
    each element in turn, `counts` its kinds' counts so far; `prefix` its chapter's, "2."),
    kept in its attributes; its (kind, number), None for any other element."""
    if el.get("t") != "Div" or CLASS not in el["c"][0][1] or "unnumbered" in el["c"][0][1]:
        return None
    attrs = el["c"][0][2]
    kind = _kind(el["c"][0][1])
    if kind is None:
        return None
    counts[kind] = counts.get(kind, 0) + 1
    attrs[:] = [a for a in attrs if a[0] != NUMBER] + [[NUMBER, f"{prefix}{counts[kind]}"]]
    return kind, f"{prefix}{counts[kind]}"


def label(el: dict, labels: dict[str, str]) -> None:
    """Open a theorem's or a proof's first paragraph with its label: "**Theorem 1 (Line).**",
    "*Proof.*"."""
    if el.get("t") != "Div":
        return
    classes, attrs = el["c"][0][1], dict(el["c"][0][2])
    if PROOF in classes:
        kind, style = PROOF, "Emph"
    elif CLASS in classes:
        kind, style = _kind(classes), "Strong"
    else:
        return
    if kind is None:
        return
    # said in the label: no format keeps them (`name` on a div is no HTML, EPUBCheck RSC-005)
    el["c"][0][2] = [a for a in el["c"][0][2] if a[0] not in ("name", NUMBER)]
    words = labels.get(kind) or DEFAULT_LABELS[kind]
    words += f" {attrs[NUMBER]}" if attrs.get(NUMBER) else ""
    mark = [{"t": "Span", "c": [["", [LABEL_CLASS], []], inlines(words, " ")]}]
    if attrs.get("name"):
        mark += [{"t": "Space"}, {"t": "Str", "c": "("}, *inlines(attrs["name"], " "),
                 {"t": "Str", "c": ")"}]
    opening = [{"t": style, "c": mark + [{"t": "Str", "c": "."}]}]
    body = el["c"][1]
    if body and body[0]["t"] in ("Para", "Plain"):
        body[0]["c"][:0] = opening + [{"t": "Space"}]
    else:
        body.insert(0, {"t": "Para", "c": opening})
