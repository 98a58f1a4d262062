"""The checks: one function per kind of disagreement, each returning findings.

Pair checks compare a source section with its translation and report on the translation's
language; every message names both sides, with file:line where each fact sits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .align import Alignment
from .findings import Finding
from .glossary import Glossary
from .outline import Section

# Typical text length of a language relative to English, for the default length-ratio band.
EXPANSION = {"en": 1.0, "it": 1.12, "fr": 1.15, "es": 1.15, "pt": 1.12, "de": 1.2, "nl": 1.1}
BAND_WIDTH = 1.5  # the default band: expected ratio ÷ 1.5 … × 1.5
MIN_LENGTH = 200  # shorter sections vary too much for the length ratio to mean anything
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass
class Pair:
    """Everything the pair checks need for one source/translation couple."""

    src_lang: str
    tgt_lang: str
    alignment: Alignment
    glossary: Glossary | None = None
    band: tuple[float, float] | None = None

    @property
    def paired(self) -> list[tuple[Section, Section]]:
        return [(s, t) for s, t in self.alignment.pairs if s is not None and t is not None]

    def where(self, section: Section, line: int | None = None) -> str:
        return f"{section.file}:{line or section.line}"

    def finding(self, code: str, section: Section, line: int, message: str, needle: str = "",
                name: Section | None = None) -> Finding:
        return Finding(code, self.tgt_lang, section.file, line, (name or section).name,
                       f"{(name or section).name}: {message}", needle=needle)


def structure(p: Pair) -> list[Finding]:
    """section-missing, section-extra, section-order, section-level."""
    out = []
    for s, t in p.alignment.pairs:
        if t is None:
            out.append(p.finding("section-missing", s, s.line, f"section “{s.title}” of {p.src_lang} "
                                 f"({p.where(s)}) has no counterpart in {p.tgt_lang}"))
        elif s is None:
            out.append(p.finding("section-extra", t, t.line, f"section “{t.title}” in {p.tgt_lang} "
                                 f"has no counterpart in {p.src_lang}"))
        else:
            if id(t) in p.alignment.moved:
                out.append(p.finding("section-order", t, t.line, f"section is in another place in "
                                     f"{p.tgt_lang} than in {p.src_lang} ({p.where(s)})", name=s))
            if s.level != t.level:
                out.append(p.finding("section-level", t, t.line, f"heading level {t.level} in "
                                     f"{p.tgt_lang}, {s.level} in {p.src_lang} ({p.where(s)})", name=s))
    return out


def ids(sections: list[Section], lang: str, require: bool) -> list[Finding]:
    """id-duplicate always; id-missing when every heading is expected to carry an ID."""
    out, first = [], {}
    for s in sections:
        if s.level == 0:
            continue
        if s.explicit and s.key in first:
            other = first[s.key]
            out.append(Finding("id-duplicate", lang, s.file, s.line, s.key, f"{s.key}: section ID "
                               f"is used twice in {lang} (also at {other.file}:{other.line})"))
        elif s.explicit:
            first[s.key] = s
        elif require:
            out.append(Finding("id-missing", lang, s.file, s.line, s.name, f"{s.name}: heading in "
                               f"{lang} has no explicit ID ({{#…}}); it pairs by position only"))
    return out


def _describe(kind: str, value) -> str:
    if kind == "lists":
        return ", ".join(map(str, value)) + " items" if value else "no lists"
    if kind == "tables":
        return "; ".join(f"{r}×{c}" for r, c in value) if value else "no tables"
    return str(value or 0)


def counts(p: Pair) -> list[Finding]:
    """count-mismatch: one finding per kind of block whose count differs."""
    out = []
    for s, t in p.paired:
        for kind in ("paragraphs", "lists", "footnotes", "block quotes", "tables", "images",
                     "code blocks"):
            a, b = s.counts.get(kind), t.counts.get(kind)
            if (a or 0) != (b or 0):
                label = {"lists": "list items per list", "tables": "table rows×columns"}.get(kind, kind)
                out.append(p.finding("count-mismatch", t, t.line, f"{label} differ: "
                                     f"{_describe(kind, b)} in {p.tgt_lang}, {_describe(kind, a)} "
                                     f"in {p.src_lang} ({p.where(s)})", name=s))
    return out


def _one_sided(p: Pair, s: Section, t: Section, code: str, what: str,
               a: list[tuple[str, str]], b: list[tuple[str, str]]) -> list[Finding]:
    """Facts (value, surface) on one side only; a lone change on each side is one finding."""
    in_a, in_b = {v for v, _ in a}, {v for v, _ in b}
    only_a, only_b = _first_seen(a, in_b), _first_seen(b, in_a)
    out = []
    for i in range(max(len(only_a), len(only_b))):
        va, xa = only_a[i] if i < len(only_a) else (None, "")
        vb, xb = only_b[i] if i < len(only_b) else (None, "")
        la = s.locate(xa) if va is not None else 0
        lb = t.locate(xb) if vb is not None else 0
        if va is not None and vb is not None:
            message = (f"{what} {xb} in {p.tgt_lang} ({p.where(t, lb)}) differs from {xa} in "
                       f"{p.src_lang} ({p.where(s, la)})")
            out.append(p.finding(code, t, lb, message, xb, name=s))
        elif vb is not None:
            out.append(p.finding(code, t, lb, f"{what} {xb} in {p.tgt_lang} ({p.where(t, lb)}) has "
                                 f"no counterpart in {p.src_lang}", xb, name=s))
        else:
            out.append(p.finding(code, s, la, f"{what} {xa} in {p.src_lang} ({p.where(s, la)}) has "
                                 f"no counterpart in {p.tgt_lang}", xa, name=s))
    return out


def _first_seen(facts: list[tuple[str, str]], other: set[str]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for value, surface in facts:
        if value not in other:
            seen.setdefault(value, surface)
    return list(seen.items())


def numbers(p: Pair) -> list[Finding]:
    """number-mismatch, after normalising formats, scale words and numbers in words."""
    out = []
    for s, t in p.paired:
        out += _one_sided(p, s, t, "number-mismatch", "number", [(n.value, n.surface) for n in s.numbers],
                          [(n.value, n.surface) for n in t.numbers])
    return out


def citations(p: Pair) -> list[Finding]:
    """citation-mismatch: keys cited on one side of a pair only."""
    out = []
    for s, t in p.paired:
        out += _one_sided(p, s, t, "citation-mismatch", "citation", [(k, "@" + k) for k in s.cites],
                          [(k, "@" + k) for k in t.cites])
    return out


def links(p: Pair) -> list[Finding]:
    """link-mismatch: link and image targets on one side of a pair only."""
    out = []
    for s, t in p.paired:
        out += _one_sided(p, s, t, "link-mismatch", "link target", [(u, u) for u in s.links],
                          [(u, u) for u in t.links])
    return out


def terms(p: Pair) -> list[Finding]:
    """term-mismatch: a glossary term present on one side of a pair without its counterpart."""
    if p.glossary is None:
        return []
    out = []
    for s, t in p.paired:
        in_a, in_b = p.glossary.scan(p.src_lang, s.text), p.glossary.scan(p.tgt_lang, t.text)
        for i in sorted(set(in_a) ^ set(in_b)):
            term = p.glossary.terms[i]
            if p.src_lang not in term.forms or p.tgt_lang not in term.forms:
                continue
            ha, hb = in_a.get(i, ""), in_b.get(i, "")
            if ha and not hb:
                line = s.locate(ha)
                out.append(p.finding("term-mismatch", s, line, f"term “{ha}” in {p.src_lang} "
                                     f"({p.where(s, line)}) has no “{term.label(p.tgt_lang)}” in "
                                     f"{p.tgt_lang} ({p.where(t)})", ha, name=s))
            elif hb and not ha:
                line = t.locate(hb)
                out.append(p.finding("term-mismatch", t, line, f"term “{hb}” in {p.tgt_lang} "
                                     f"({p.where(t, line)}) has no “{term.label(p.src_lang)}” in "
                                     f"{p.src_lang} ({p.where(s)})", hb, name=s))
    return out


def default_band(src_lang: str, tgt_lang: str) -> tuple[float, float]:
    expected = EXPANSION.get(tgt_lang[:2], 1.0) / EXPANSION.get(src_lang[:2], 1.0)
    return round(expected / BAND_WIDTH, 2), round(expected * BAND_WIDTH, 2)


def length(p: Pair) -> list[Finding]:
    """length-ratio (info): translation length / source length outside the band."""
    if p.src_lang == p.tgt_lang:
        return []
    low, high = p.band or default_band(p.src_lang, p.tgt_lang)
    out = []
    for s, t in p.paired:
        a, b = len(s.text), len(t.text)
        if max(a, b) < MIN_LENGTH:
            continue
        ratio = b / max(a, 1)
        if not low <= ratio <= high:
            out.append(p.finding("length-ratio", t, t.line, f"text in {p.tgt_lang} is {ratio:.2f}× "
                                 f"as long as in {p.src_lang} ({p.where(s)}); expected "
                                 f"{low:g}–{high:g}", name=s))
    return out


def _common_words(text: str) -> tuple[str, ...]:
    """The lower-case words of a paragraph: what is left once names and numbers are set aside."""
    return tuple(w.lower() for w in _WORD.findall(text) if not w[0].isupper())


def untranslated(p: Pair) -> list[Finding]:
    """untranslated: a paragraph identical in both languages (names, citations, numbers aside)."""
    if p.src_lang == p.tgt_lang:
        return []
    out = []
    for s, t in p.paired:
        source = {_common_words(x) for x in s.paragraphs}
        for text in t.paragraphs:
            words = _common_words(text)
            if len(words) >= 4 and words in source:
                needle = " ".join(text.split()[:4])
                line = t.locate(needle)
                out.append(p.finding("untranslated", t, line, f"paragraph in {p.tgt_lang} "
                                     f"({p.where(t, line)}) is the same as in {p.src_lang} "
                                     f"({p.where(s)})", needle, name=s))
    return out


PAIR_CHECKS = (structure, counts, numbers, citations, links, terms, length, untranslated)


def run_pair(p: Pair) -> list[Finding]:
    return [f for check in PAIR_CHECKS for f in check(p)]


def bibliography(sections: Iterable[tuple[str, Section]], known: frozenset[str],
                 nocite: set[str], entry_line: dict[str, tuple[str, int]]) -> list[Finding]:
    """citation-undefined (per language and key) and citation-unused (per entry)."""
    out, cited, reported = [], set(), set()
    for lang, s in sections:
        for key in s.cites:
            cited.add(key)
            if key not in known and (lang, key) not in reported:
                reported.add((lang, key))
                out.append(Finding("citation-undefined", lang, s.file, s.locate("@" + key), s.name,
                                   f"{s.name}: citation key @{key} in {lang} is not in the "
                                   f"bibliography", needle="@" + key))
    if "*" in nocite:
        return out
    for key, (file, line) in entry_line.items():
        if key not in cited and key not in nocite:
            out.append(Finding("citation-unused", "", file, line, "", f"bibliography entry "
                               f"{key} is cited in no language (list it under nocite to keep it)"))
    return out
