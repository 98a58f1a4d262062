"""The checks: one function per kind of disagreement, each returning findings.

Pair checks compare a source section with its translation and report on the translation's
language; every message names both sides, with file:line where each fact sits. Inside a pair of
sections the blocks are paired first (block_align.align_units): a block on one side only is one
finding holding its facts as details, and facts are compared over the paired blocks only, so
one dropped list item never shows up again as a missing link, citation or term.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .. import spans
from . import text as text_mod
from .align import expected_ratio
from .code_findings import code, strays
from .facts import compare, facts
from .findings import Finding
from .glossary import Glossary
from .outline import Section
from .pair import Pair, label
from .units import Unit, as_whole, find_link, lone_wholes
# The checks of one language at a time, beside the pair checks (parity/__init__ calls them here).
from .single import bibliography, ids, unresolved  # noqa: F401

__all__ = ["Pair", "PAIR_CHECKS", "bibliography", "ids", "run_pair", "unresolved"]

BAND_WIDTH = 1.5  # the default band: expected ratio ÷ 1.5 … × 1.5
MIN_LENGTH = 200  # shorter sections vary too much for the length ratio to mean anything


def structure(p: Pair) -> list[Finding]:
    """section-missing, section-extra, section-order, section-level. The subsections of a
    section missing (or extra) as a whole are details of its finding, not findings of their own."""
    out: list[Finding] = []
    open_: dict[int, tuple[Section, int]] = {}  # side → (unpaired section, index of its finding)
    for s, t in p.alignment.pairs:
        one, side = (s, 0) if t is None else (t, 1) if s is None else (None, -1)
        parent = open_.get(side)
        if one is not None and parent is not None and one.level > parent[0].level:
            f = out[parent[1]]
            out[parent[1]] = replace(f, details=f.details + (f"subsection “{one.title}”",))
            continue
        if one is None or side in open_:
            open_.pop(side, None) if one is not None else open_.clear()
        if t is None:
            if s.file in p.quiet_files:
                continue  # its chapter is empty in the translation: one chapter-empty says it
            open_[0] = (s, len(out))
            out.append(p.finding("section-missing", s, s.line, f"{_what(s)} of {p.src_lang} "
                                 f"({p.where(s)}) has no counterpart in {p.tgt_lang}"))
        elif s is None:
            open_[1] = (t, len(out))
            out.append(p.finding("section-extra", t, t.line, f"{_what(t)} in {p.tgt_lang} "
                                 f"has no counterpart in {p.src_lang}"))
        else:
            if id(t) in p.alignment.moved:
                out.append(p.finding("section-order", t, t.line, f"section is in another place in "
                                     f"{p.tgt_lang} than in {p.src_lang} ({p.where(s)})", name=label(s, t)))
            if s.level != t.level:
                out.append(p.finding("section-level", t, t.line, f"heading level {t.level} in "
                                     f"{p.tgt_lang}, {s.level} in {p.src_lang} ({p.where(s)})",
                                     name=label(s, t)))
    return out


BEFORE_HEADING = "text before the first heading"


def _what(s: Section) -> str:
    return f"section “{s.title}”" if s.level else BEFORE_HEADING


def details(unit: Unit, lang: str, glossary: Glossary | None) -> tuple[str, ...]:
    """The facts inside a block, for the one finding that reports the block."""
    out = [f"citation @{k}" for k in unit.cites]
    out += [f"cross-reference @{x}" for x in unit.xrefs]
    out += [f"number {n.surface}" for n in unit.numbers if not n.soft]
    out += [f"link {x}" for x in unit.links]
    if glossary is not None:
        out += [f"term “{w}”" for w in glossary.scan(lang, unit.text).values()]
    return tuple(dict.fromkeys(out))


def blocks(p: Pair) -> list[Finding]:
    """block-missing, block-extra: a block of one section of a pair without a counterpart (a
    code block right after a block missing on the same side is part of that one finding; one
    that left the list item before it, part of that item's code-mismatch; a table or callout
    missing whole is one finding)."""
    out = []
    for s, t in p.paired:
        last = None
        wholes = lone_wholes(p.blocks(s, t))
        grouped = {id(u) for units in wholes.values() for u in units}
        outside = {id(u) for units in strays(p, s, t).values() for u in units}
        for a, b in p.blocks(s, t):
            one = a if b is None else b if a is None else None
            if one is not None and id(one) in p._blocks["lent"]:
                continue  # a block of an unpaired subsection: its section-missing/extra says it
            if one is not None and id(one) in outside:
                continue
            if one is not None and id(one) in grouped:
                if id(one) not in wholes:
                    continue  # a later row of a table (or block of a callout) reported whole
                one = as_whole(wholes[id(one)])
                a, b = (one, None) if b is None else (None, one)
            if one is not None and one.kind == "code block" and last is not None and last[0] is (b is None):
                f = out[-1]
                out[-1] = replace(f, details=f.details + (f"code block “{one.quote()}”",))
                continue
            last = (b is None,) if one is not None else None
            if b is None:
                out.append(p.finding("block-missing", s, a.line, f"{a.kind} “{a.quote()}” of "
                                     f"{p.src_lang} ({p.where(s, a.line)}) has no counterpart in "
                                     f"{p.tgt_lang} ({p.where(t)})", name=label(s, t),
                                     details=details(a, p.src_lang, p.glossary)))
            elif a is None:
                out.append(p.finding("block-extra", t, b.line, f"{b.kind} “{b.quote()}” in "
                                     f"{p.tgt_lang} ({p.where(t, b.line)}) has no counterpart in "
                                     f"{p.src_lang} ({p.where(s)})", b.quote(), name=label(s, t),
                                     details=details(b, p.tgt_lang, p.glossary)))
    return out


def counts(p: Pair) -> list[Finding]:
    """count-mismatch: footnotes in the paired blocks of a pair of sections, and the items
    nested in a pair of list items."""
    out = []
    for s, t in p.paired:
        matched = p.matched(s, t)
        for x, y in matched:
            if x.nested != y.nested:
                out.append(p.finding("count-mismatch", t, y.line, f"{y.kind} in {p.tgt_lang} "
                                     f"({p.where(t, y.line)}) holds {y.nested} nested items, "
                                     f"{x.nested} in {p.src_lang} ({p.where(s, x.line)})",
                                     name=label(s, t)))
        a, b = sum(x.notes for x, _ in matched), sum(y.notes for _, y in matched)
        if a != b:
            out.append(p.finding("count-mismatch", t, t.line, f"footnotes differ: {b} in "
                                 f"{p.tgt_lang}, {a} in {p.src_lang} ({p.where(s)})", name=label(s, t)))
    return out


def numbers(p: Pair) -> list[Finding]:
    """number-mismatch, after normalising formats, scale words and numbers in words."""
    out = []
    for s, t in p.paired:
        fa, fb = facts(p, s, t, lambda side, u: [(n.value, n.surface, n.soft) for n in u.numbers])
        out += compare(p, s, t, "number-mismatch", "number", fa, fb)
    return out


def xrefs(p: Pair) -> list[Finding]:
    """xref-mismatch: figures, tables or sections cross-referenced on one side of a pair only
    (the languages share their IDs: keys compare as written, resolved or not)."""
    out = []
    for s, t in p.paired:
        fa, fb = facts(p, s, t, lambda side, u: [(x, "@" + x, False) for x in u.xrefs])
        out += compare(p, s, t, "xref-mismatch", "cross-reference", fa, fb)
    return out


def citations(p: Pair) -> list[Finding]:
    """citation-mismatch: keys cited on one side of a pair only."""
    out = []
    for s, t in p.paired:
        fa, fb = facts(p, s, t, lambda side, u: [(k, "@" + k, False) for k in u.cites])
        out += compare(p, s, t, "citation-mismatch", "citation", fa, fb)
    return out


def links(p: Pair) -> list[Finding]:
    """link-mismatch: link and image targets on one side of a pair only. URLs compare normalised;
    an anchor compares by the (paired) heading it leads to; one that leads nowhere is left to
    anchor-unresolved, and stands for one differing anchor on the other side."""
    out = []

    def pick(side: int, u: Unit):
        return [(value, target, value == "?") for value, target in p.links_of(side, u)]

    for s, t in p.paired:
        fa, fb = facts(p, s, t, pick, find_link)
        broken_a, broken_b = sum(f.value == "?" for f in fa), sum(f.value == "?" for f in fb)
        fa, fb = [f for f in fa if f.value != "?"], [f for f in fb if f.value != "?"]
        found = compare(p, s, t, "link-mismatch", "link target", fa, fb)
        spare = {s.file: broken_b, t.file: broken_a}  # a broken anchor stands for one on the other side
        kept = []
        for f in found:
            if f.needle.startswith("#") and "differs" not in f.message and spare.get(f.file, 0) > 0:
                spare[f.file] -= 1
                continue
            kept.append(f)
        out += kept
    return out


def terms(p: Pair) -> list[Finding]:
    """term-mismatch: a glossary term present on one side of a pair without its counterpart."""
    if p.glossary is None:
        return []
    out = []
    for s, t in p.paired:
        matched = p.matched(s, t)
        text_a, text_b = " ".join(a.text for a, _ in matched), " ".join(b.text for _, b in matched)
        in_a, in_b = p.glossary.scan(p.src_lang, text_a), p.glossary.scan(p.tgt_lang, text_b)
        for i in sorted(set(in_a) ^ set(in_b)):
            term = p.glossary.terms[i]
            if p.src_lang not in term.forms or p.tgt_lang not in term.forms:
                continue
            ha, hb = in_a.get(i, ""), in_b.get(i, "")
            if ha and not hb:
                line = s.locate(ha)
                out.append(p.finding("term-mismatch", s, line, f"term “{ha}” in {p.src_lang} "
                                     f"({p.where(s, line)}) has no “{term.label(p.tgt_lang)}” in "
                                     f"{p.tgt_lang} ({p.where(t)})", ha, name=label(s, t)))
            elif hb and not ha:
                line = t.locate(hb)
                out.append(p.finding("term-mismatch", t, line, f"term “{hb}” in {p.tgt_lang} "
                                     f"({p.where(t, line)}) has no “{term.label(p.src_lang)}” in "
                                     f"{p.src_lang} ({p.where(s)})", hb, name=label(s, t)))
    return out


def default_band(src_lang: str, tgt_lang: str) -> tuple[float, float]:
    expected = expected_ratio(src_lang, tgt_lang)
    return round(expected / BAND_WIDTH, 2), round(expected * BAND_WIDTH, 2)


def length(p: Pair) -> list[Finding]:
    """length-ratio (info): translation length / source length outside the band."""
    if p.src_lang == p.tgt_lang or "length-ratio" in p.skipped:
        return []
    low, high = p.band or default_band(p.src_lang, p.tgt_lang)
    out = []
    for s, t in p.paired:
        matched = p.matched(s, t)
        a, b = sum(len(x.text) for x, _ in matched), sum(len(y.text) for _, y in matched)
        if max(a, b) < MIN_LENGTH:
            continue
        ratio = b / max(a, 1)
        if not low <= ratio <= high:
            out.append(p.finding("length-ratio", t, t.line, f"text in {p.tgt_lang} is {ratio:.2f}× "
                                 f"as long as in {p.src_lang} ({p.where(s)}); expected "
                                 f"{low:g}–{high:g}", name=label(s, t)))
    return out


_NAMED_ONLY = ("heading", "callout title", "code block", "figure")  # titles, code, images
# What no translator translates, left in the text by pandoc: the shortcodes of Hugo and Quarto
# ({{< … >}}, {{% … %}}), the directives and macros of mdBook, Handlebars and MDN
# ({{#include …}}, {{Glossary("HTTP")}}), the tags and comments of Liquid and Jinja ({% … %},
# {# … #}), and web addresses. A phrase quoted in a directive (`title="Before you begin"`) is
# text, though. Each directive runs to its first closing, never past the next opening of its
# kind (`\{%.*?%\}` read from each `{%` of a line of unclosed ones to its end: 40,000 `{% raw `
# took 3.8 s, 400,000 past any bound); a phrase is any quoted, kept when it has a space (the
# space in the pattern tried every split of a quote never closed; `“([^”]*)”` read each
# opening of a quote never closed to the directive's end: 20,000 `“` in one took 5.6 s)
_DIRECTIVE = re.compile(r"\{\{(?:[^{}]|\{(?!\{)|\}(?!\}))*\}\}|\{%(?:[^{%]|%(?!\})|\{(?!%))*%\}"
                        r"|\{#(?:[^{#]|#(?!\})|\{(?!#))*#\}")
# (a scheme of at most 64 characters: `[\w+.-]*` read from each word of `a.a.a.a…` to its end)
_URL = re.compile(r"\b[A-Za-z][\w+.-]{0,63}://\S+|\bwww\.\S+")
_QUOTES = (("“", "”"), ('"', '"'))  # a phrase: found by `spans.delimited`, one pass
_SPACE = re.compile(r"\s")


def _translatable(u: Unit) -> Unit:
    """`u` with its text reduced to what a translator translates: directives and web addresses
    set aside, the phrases quoted inside a directive kept."""
    if not ("{" in u.text or "://" in u.text or "www." in u.text):
        return u
    quoted = [directive[start + 1:end - 1] for directive in _DIRECTIVE.findall(u.shown)
              for start, end in spans.delimited(directive, *_QUOTES)]
    phrases = [phrase for phrase in quoted if _SPACE.search(phrase)]
    return replace(u, text=" ".join([_URL.sub(" ", _DIRECTIVE.sub(" ", u.text)), *phrases]))


def untranslated(p: Pair) -> list[Finding]:
    """untranslated: a paired block identical in both languages (names, citations, numbers,
    directives and web addresses aside), unless it is the same by nature (mostly links, names
    or language names)."""
    if p.src_lang == p.tgt_lang or "untranslated" in p.skipped:
        return []
    out = []
    for s, t in p.paired:
        for a, b in p.matched(s, t):
            if a.kind in _NAMED_ONLY:
                continue
            words_b = _translatable(b)
            if not text_mod.same_text(_translatable(a), words_b) \
                    or text_mod.same_by_nature(words_b):
                continue
            needle = " ".join(b.text.split()[:4])
            out.append(p.finding("untranslated", t, b.line, f"{b.kind} in {p.tgt_lang} "
                                 f"({p.where(t, b.line)}) is the same as in {p.src_lang} "
                                 f"({p.where(s, a.line)})", needle, name=label(s, t)))
    return out


PAIR_CHECKS = (structure, blocks, counts, code, numbers, citations, xrefs, links, terms, length,
               untranslated)


def run_pair(p: Pair) -> list[Finding]:
    return [f for check in PAIR_CHECKS for f in check(p)]
