"""Pair the blocks of a pair of sections (paragraphs, list items, table rows, code, figures):
the same global alignment as the sections' (`align`), over the evidence a block keeps in
translation, and leftovers this alike paired afterwards as moved."""

from __future__ import annotations

from collections import Counter

from . import links as links_mod
from .align import MOVED_FLOOR, NAME, WORDS, best_scores, compared_numbers
from .likeness import jaccard, near_jaccard
from .units import Unit

UNIT_FLOOR = 0.35  # below this two blocks are better reported missing and extra than paired


class _UnitEvidence:
    def __init__(self, u: Unit, position: float, link_values=None, scale: float = 1.0):
        self.kind = u.kind
        self.numbers = {n.value for n in u.numbers if not n.soft}
        self.soft = {n.value for n in u.numbers if n.soft}
        values = set(link_values(u)) if link_values else {
            links_mod.normalise_url(x) for x in u.links if not links_mod.is_anchor(x)}
        self.broken = "?" in values  # an anchor leading nowhere: the links say nothing
        self.links = values - {"?"}
        self.code = set(u.inline_code) | {strip_code(c, lang) for c, lang in u.codes}
        self.cites = set(u.cites) | {"@" + x for x in u.xrefs}
        seen = u.text + " " + " ".join(u.inline_code)  # inline code may carry the names
        self.names = {n.lower() for n in NAME.findall(seen)}
        self.words = {w.lower() for w in WORDS.findall(seen)}
        self.block = code_text(u) if u.kind == "code block" else ""
        self.grams = _grams(self.block)
        self.gram_count = sum(self.grams.values())  # once, not for each block it is compared with
        self.length = max(len(u.text) * scale, 1)
        self.position = position
        self.ident = u.ident
        self.callout = u.callout


def _grams(text: str) -> Counter:
    """A code block's runs of three characters, counted: what two blocks share, however long.
    (difflib's alignment of their characters, as before, grows with the square of their
    lengths and worse: two differing blocks of 2,000 characters took 18 s, a hostile section
    of them hours.)"""
    return Counter(text[i:i + 3] for i in range(len(text) - 2)) if len(text) > 2 else Counter(
        [text] if text else [])


def strip_code(code: str, lang: str) -> str:
    """Code as it compares across languages (code.comparable)."""
    from .code import comparable

    return comparable(code, lang)


def code_text(u: Unit) -> str:
    return strip_code(u.code, u.code_lang)


def unit_similarity(a: _UnitEvidence, b: _UnitEvidence, facts_only: bool = False) -> float:
    """How alike two blocks are, 0…1; `facts_only` leaves length and position out (0 when the
    blocks carry no facts to compare)."""
    if a.kind != b.kind:  # a paragraph written as a list item (or back) may still be the same text
        prose = {"paragraph", "list item"}
        if {a.kind, b.kind} != prose:
            return 0.0
        return 0.8 * unit_similarity(a, _same_kind(b, a.kind), facts_only)
    near = 1.0 - min(1.0, 3 * abs(a.position - b.position))
    if a.kind == "figure" and a.ident and b.ident:  # figures with IDs pair by ID, as sections do
        return 0.9 + 0.1 * near if a.ident == b.ident else 0.0
    if a.kind == "table row" and a.ident and b.ident and a.ident != b.ident:
        return 0.0  # rows of two different tables
    if a.kind == "code block":
        if a.block == b.block:
            return 0.7 + 0.3 * near
        shared = sum((a.grams & b.grams).values())
        ratio = 2 * shared / (a.gram_count + b.gram_count or 1)
        return 0.7 * ratio + 0.3 * near
    score = weight = 0.0
    links = (a.links, b.links, 0 if a.broken or b.broken else 2)
    code = (a.code, b.code, 2 if a.code and b.code else 1)  # code on one side: formatting, often
    for x, y, w in ((*compared_numbers(a, b), 2), links, code, (a.cites, b.cites, 2)):
        if (x or y) and w:
            near_ok = x is a.links or x is a.code  # a typo in a URL or a code name: still one
            score += w * (near_jaccard(x, y) if near_ok else jaccard(x, y)); weight += w
    if a.names or b.names:  # a name counts as shared when the other side has the word at all
        names = a.names | b.names
        score += 1.5 * len({n for n in names if n in a.words and n in b.words}) / len(names)
        weight += 1.5
    if facts_only:
        return score / weight if weight else 0.0
    if a.callout or b.callout:  # a note's text and a tip's, or the text around them, are unlike
        score += 1.0 if a.callout == b.callout else 0.0
        weight += 1
    score += min(a.length, b.length) / max(a.length, b.length) + near
    weight += 2
    return score / weight


def _same_kind(e: _UnitEvidence, kind: str) -> _UnitEvidence:
    twin = object.__new__(_UnitEvidence)
    twin.__dict__.update(e.__dict__, kind=kind)
    return twin


def align_units(src: list[Unit], tgt: list[Unit], src_links=None, tgt_links=None,
                ratio: float = 1.0) -> list[tuple[Unit | None, Unit | None]]:
    """Pairs of blocks in reading order (a heading always pairs with the heading). `src_links`
    and `tgt_links` give a unit's link targets as they compare (anchors resolved); `ratio`, the
    translation's expected length for 1 of the source."""
    head: list[tuple[Unit | None, Unit | None]] = []
    if src and tgt and src[0].kind == "heading" and tgt[0].kind == "heading":
        head, src, tgt = [(src[0], tgt[0])], src[1:], tgt[1:]
    n, m = len(src), len(tgt)
    if n == m and all(a.kind == b.kind for a, b in zip(src, tgt)) and n <= 1:
        return head + list(zip(src, tgt))
    ea = [_UnitEvidence(u, i / max(n - 1, 1), src_links, ratio) for i, u in enumerate(src)]
    eb = [_UnitEvidence(u, j / max(m - 1, 1), tgt_links) for j, u in enumerate(tgt)]
    gain = [[unit_similarity(a, b) - UNIT_FLOOR for b in eb] for a in ea]
    best = best_scores(gain, n, m)
    out: list[tuple[Unit | None, Unit | None]] = []
    i, j = n, m
    while i or j:
        g = gain[i - 1][j - 1] if i and j else 0
        if i and j and g > 0 and best[i][j] == best[i - 1][j - 1] + g:
            out.append((src[i - 1], tgt[j - 1])); i -= 1; j -= 1
        elif i and best[i][j] == best[i - 1][j]:
            out.append((src[i - 1], None)); i -= 1
        else:
            out.append((None, tgt[j - 1])); j -= 1
    return head + _moved_units(out[::-1], ea, eb, src, tgt)


def _moved_units(pairs: list, ea: list, eb: list, src: list[Unit], tgt: list[Unit]) -> list:
    """A block left unpaired on each side that still looks alike (position aside) moved within
    the section: pair them, at the translation's place, instead of a missing and an extra."""
    alone_a = {id(a) for a, b in pairs if b is None}  # once: a scan of the pairs per block
    alone_b = {id(b) for a, b in pairs if a is None}  # was 11 s for 20,000 blocks lent a section
    lone_a = [i for i, u in enumerate(src) if id(u) in alone_a]
    lone_b = [j for j, u in enumerate(tgt) if id(u) in alone_b]
    if not lone_a or not lone_b:
        return pairs
    taken, moved = set(), {}
    for i in lone_a:
        options = []
        for j in lone_b:
            if j in taken:
                continue
            options.append((unit_similarity(ea[i], eb[j], facts_only=True), j))
        if options:
            score, j = max(options)
            if score >= MOVED_FLOOR:
                taken.add(j); moved[id(tgt[j])] = src[i]
    if not moved:
        return pairs
    gone = {id(u) for u in moved.values()}
    return [(moved.get(id(b), a), b) for a, b in pairs
            if not (b is None and a is not None and id(a) in gone)]
