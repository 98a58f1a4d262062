"""Facts a pair of sections must share (numbers, citations, cross-references, link targets):
each side's facts in its paired blocks, and those on one side only as findings."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .findings import Finding
from .outline import Section
from .pair import Pair, label
from .units import find_line


@dataclass
class Fact:
    value: str
    surface: str
    line: int
    block: int  # index of the pair of blocks it sits in
    soft: bool = False


def compare(p: Pair, s: Section, t: Section, code_: str, what: str, fa: list[Fact],
             fb: list[Fact]) -> list[Finding]:
    """Facts on one side only. A lone one-sided fact on each side of the same pair of blocks
    is one change ("differs from"); soft facts (small number words) are never reported alone."""
    in_a, in_b = {f.value for f in fa}, {f.value for f in fb}
    only_a = list({f.value: f for f in reversed(fa) if f.value not in in_b}.values())[::-1]
    only_b = list({f.value: f for f in reversed(fb) if f.value not in in_a}.values())[::-1]
    name = label(s, t)
    out = []
    for k in sorted({f.block for f in only_a + only_b}):
        xa = [f for f in only_a if f.block == k]
        xb = [f for f in only_b if f.block == k]
        pairs = changes(xa, xb)
        for a, b in pairs:
            # the same text read two ways: `12,084` is 12084 in English, 12.084 in Italian
            change = (f"is read {b.value} there but {a.value} in {p.src_lang} ({p.where(s, a.line)}): "
                      "written alike, the two languages read it differently"
                      if a.surface == b.surface else
                      f"differs from {a.surface} in {p.src_lang} ({p.where(s, a.line)})")
            out.append(p.finding(code_, t, b.line, f"{what} {b.surface} in {p.tgt_lang} "
                                 f"({p.where(t, b.line)}) {change}", b.surface, name=name))
        xa = [f for f in xa if all(f is not a for a, _ in pairs)]
        xb = [f for f in xb if all(f is not b for _, b in pairs)]
        for f in xb:
            if not f.soft:
                out.append(p.finding(code_, t, f.line, f"{what} {f.surface} in {p.tgt_lang} "
                                     f"({p.where(t, f.line)}) has no counterpart in {p.src_lang}",
                                     f.surface, name=name))
        for f in xa:
            if not f.soft:
                out.append(p.finding(code_, s, f.line, f"{what} {f.surface} in {p.src_lang} "
                                     f"({p.where(s, f.line)}) has no counterpart in {p.tgt_lang}",
                                     f.surface, name=name))
    return sorted(out, key=lambda f: (f.file != t.file, f.line))


# one-sided facts of a block compared two by two for typos, at most: each comparison is
# difflib's (a paragraph of 3,000 numbers a side, all changed, took 46 s)
_COMPARED = 40_000


def changes(xa: list[Fact], xb: list[Fact]) -> list[tuple[Fact, Fact]]:
    """One-sided facts of one pair of blocks that are one change: a lone fact on each side, or
    two spelled nearly alike (a typo in a URL)."""
    if len(xa) == 1 and len(xb) == 1:
        return [] if xa[0].soft and xb[0].soft else [(xa[0], xb[0])]
    if len(xa) * len(xb) > _COMPARED:
        return []  # hundreds a side are no typos: each one-sided, as it is
    out, used = [], set()
    for a in xa:
        best = max(((SequenceMatcher(None, a.surface, b.surface).ratio(), i) for i, b in enumerate(xb)
                    if i not in used), default=(0, -1))
        if best[0] >= 0.8:
            used.add(best[1]); out.append((a, xb[best[1]]))
    return out


def facts(p: Pair, s: Section, t: Section, pick, where=find_line) -> tuple[list[Fact], list[Fact]]:
    """Facts of the paired blocks, less those the other side holds in a block of its own
    (block-missing/extra lists them: the fact moved with its block, one cause) and not in
    its paired blocks too (there it is the counterpart: "10–100 GB" and "de 10 a 100 GB").
    `where` finds a fact's line in its block."""
    fa, fb = [], []
    for k, (a, b) in enumerate(p.matched(s, t)):
        for side, unit, section, out in ((0, a, s, fa), (1, b, t, fb)):
            for value, surface, soft in pick(side, unit):
                out.append(Fact(value, surface, where(unit, section.masked, surface), k, soft))
    lone_a = {v for a, b in p.blocks(s, t) if b is None for v, _, _ in pick(0, a)}
    lone_b = {v for a, b in p.blocks(s, t) if a is None for v, _, _ in pick(1, b)}
    in_a, in_b = {f.value for f in fa}, {f.value for f in fb}
    return ([f for f in fa if f.value in in_b or f.value not in lone_b],
            [f for f in fb if f.value in in_a or f.value not in lone_a])
