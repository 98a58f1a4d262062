"""Pair the sections of a translation with those of the source.

With explicit IDs on every heading, sections pair by ID and a longest increasing subsequence
tells which pairs moved. Without them (any translated README), sections pair by a global
sequence alignment (Needleman–Wunsch) over evidence that survives translation: heading level,
numbers, URLs (without the languages' codes), inline code, citation keys, proper names, list
shape, length, position, and the cognates titles keep (Security, Sécurité). A section missing in
the middle then costs one gap instead of shifting every later pair; leftover sections that still
look alike, or whose titles are cognate word for word, are paired afterwards as moved.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ..errors import ManuscriptError
from . import links as links_mod
from .likeness import cognates, jaccard, title_likeness, title_words
from .outline import Section

# Typical text length of a language relative to English. Lengths compare through it: a
# faithful Chinese paragraph is a third as long as its English source, and once compared raw
# the length said "unlike" of every pair (an en/zh chapter: 44 paragraphs missing, 72 extra).
EXPANSION = {"en": 1.0, "it": 1.12, "fr": 1.15, "es": 1.15, "pt": 1.12, "de": 1.2, "nl": 1.1,
             "zh": 0.35, "ja": 0.45, "ko": 0.45}  # CJK: characters, not letters


def expected_ratio(src_lang: str, tgt_lang: str) -> float:
    """The length a translation into `tgt_lang` typically has, for 1 of `src_lang`."""
    return EXPANSION.get(tgt_lang[:2], 1.0) / EXPANSION.get(src_lang[:2], 1.0)


MATCH_FLOOR = 0.35  # below this similarity two sections are better left unpaired
MOVED_FLOOR = 0.6  # leftovers this alike are one moved section, not a missing and an extra
WORDS = re.compile(r"[\w-]+")  # apostrophes split: Quarto’s, dell’Europa hold the names
NAME = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w-]{2,}")


# Pairs compared in one alignment: every two are scored, and a hostile chapter holds 100,000
# blocks. Past the bound the check stops with what to change. Sections: 2,000 a side with a
# link and code each took 52 s and 460 MB. Blocks cost more a pair (code and URLs compare
# character by character): 1,400 a side of one link each took 130 s.
MAX_COMPARED = 4_000_000
MAX_COMPARED_BLOCKS = 1_000_000


def bound(n: int, m: int, what: str, remedy: str, shown: str, line: int,
          limit: int = MAX_COMPARED) -> None:
    """Raise when pairing `n` things with `m` would compare more than `limit` pairs."""
    if n * m > limit:
        raise ManuscriptError(f"{what}: too many to pair one by one ({n * m:,} comparisons, "
                              f"over {limit:,}): {remedy}", shown, line or None)


@dataclass
class Alignment:
    pairs: list[tuple[Section | None, Section | None]]  # in reading order of the translation
    moved: set[int] = field(default_factory=set)  # ids of target sections paired out of order


def align(src: list[Section], tgt: list[Section], ratio: float = 1.0) -> Alignment:
    """`ratio`: the translation's expected length for 1 of the source (`expected_ratio`)."""
    if src and tgt and src[0].level == 0 and tgt[0].level == 0:  # text before the first heading
        rest = align(src[1:], tgt[1:], ratio)
        return Alignment([(src[0], tgt[0])] + rest.pairs, rest.moved)
    headed = [s for s in src + tgt if s.level > 0]
    if headed and all(s.explicit for s in headed):
        return _by_id(src, tgt)
    return _by_sequence(src, tgt, ratio)


def _join_duplicates(pairs: list) -> list:
    """A section whose ID duplicates another, left unpaired next to an unpaired section on the
    other side, is that section: pair them (the id-duplicate finding says what is wrong)."""
    out: list = []
    for pair in pairs:
        if out:
            (ps, pt), (s, t) = out[-1], pair
            if ps is not None and pt is None and s is None and t is not None and (ps.duplicate or t.duplicate):
                out[-1] = (ps, t); continue
            if ps is None and pt is not None and s is not None and t is None and (s.duplicate or pt.duplicate):
                out[-1] = (s, pt); continue
        out.append(pair)
    return out


def _occurrence_keys(sections: list[Section]) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    keys = []
    for s in sections:
        seen[s.key] = seen.get(s.key, 0) + 1
        keys.append((s.key, seen[s.key]))
    return keys


def _by_id(src: list[Section], tgt: list[Section]) -> Alignment:
    where = {k: t for k, t in zip(_occurrence_keys(tgt), tgt)}
    matched = {}
    for key, s in zip(_occurrence_keys(src), src):
        t = where.get(key)
        if t is not None:
            matched[id(s)] = t
    order = [matched[id(s)].index for s in src if id(s) in matched]
    keep = set(_lis(order))
    moved = {id(matched[id(s)]) for s in src if id(s) in matched and matched[id(s)].index not in keep}
    return Alignment(_join_duplicates(_merge(src, tgt, matched)), moved)


def _lis(values: list[int]) -> list[int]:
    """One longest strictly increasing subsequence of `values` (patience sorting, O(n log n))."""
    tails, tail_at, back = [], [], [-1] * len(values)
    for i, v in enumerate(values):
        j = bisect_left(tails, v)
        if j == len(tails):
            tails.append(v); tail_at.append(i)
        else:
            tails[j] = v; tail_at[j] = i
        back[i] = tail_at[j - 1] if j else -1
    out, i = [], tail_at[-1] if tail_at else -1
    while i >= 0:
        out.append(values[i]); i = back[i]
    return out[::-1]


def _merge(src, tgt, matched: dict) -> list[tuple[Section | None, Section | None]]:
    """Target order, with each unpaired source section placed after its predecessor's partner."""
    partner = {id(t): s for s in src if id(s) in matched for t in [matched[id(s)]]}
    pairs: list = [(partner.get(id(t)), t) for t in tgt]
    anchor = {}  # id(src) → position in pairs of that source section's pair
    for pos, (s, _t) in enumerate(pairs):
        if s is not None:
            anchor[id(s)] = pos
    inserts: dict[int, list] = {}
    last = -1
    for s in src:
        if id(s) in anchor:
            last = anchor[id(s)]
        else:
            inserts.setdefault(last, []).append((s, None))
    out = list(inserts.get(-1, []))
    for pos, pair in enumerate(pairs):
        out.append(pair)
        out.extend(inserts.get(pos, []))
    return out


class _Evidence:
    """Language-independent features of a section with its subsections, computed once: a
    chapter split into subsections on one side and written in one piece on the other still
    looks alike. Those of its own text too (`own`), when it has subsections and text of its
    own: two such sections compare by their own text, since their subsections pair on their
    own (counted in both, subsections a translation moved under another section pulled their
    old parent to that section)."""

    def __init__(self, tree: list[Section], position: float, scale: float = 1.0, langs: str = ""):
        s = tree[0]
        self.own = (_Evidence(tree[:1], position, scale, langs)
                    if len(tree) > 1 and len(s.parts) > 1 else None)  # text besides its heading
        self.level = s.level
        self.explicit = s.key if s.explicit else None
        self.numbers = {n.value for x in tree for n in x.numbers if not n.soft}
        self.soft = {n.value for x in tree for n in x.numbers if n.soft}
        # where a link leads, without its fragment (a translation's links into a page land on
        # its translated headings: `_data#données-pour-l’échange…`) nor the languages' codes
        # (`/en-US/docs/…` and `/fr/docs/…` are one page), as the link check compares them
        self.links = {links_mod.normalise_url(u, langs).partition("#")[0] for x in tree
                      for u in x.links if not links_mod.is_anchor(u)}
        self.code = {c for x in tree for c in x.code}
        self.cites = {c for x in tree for c in x.cites}
        # per block, so that a block's first word starts a sentence (after a heading, which
        # ends in no full stop, "Because" was a name); headings aside (Title Case)
        self.names = {n for x in tree for u in x.parts if u.kind != "heading"
                      for n in NAME.findall(u.text)}
        self.title = title_words(s.title)
        self.lists = s.counts.get("lists", ())
        self.length = max(sum(len(x.text) for x in tree) * scale, 1)
        self.position = position


def _trees(sections: list[Section]) -> list[list[Section]]:
    """Each section followed by its subsections (those after it at a deeper level)."""
    out = []
    for i, s in enumerate(sections):
        j = i + 1
        while s.level and j < len(sections) and sections[j].level > s.level:
            j += 1
        out.append(sections[i:j])
    return out


def compared_numbers(a, b) -> tuple[set, set]:
    """The numbers two sides' evidence compares: each side's own, and its soft ones (a small
    number word, a Chinese numeral: 从零开始 is "from scratch") only where the other side has
    them too, as they count everywhere else (`numbers.Number.soft`). Counted whole, the 零 of
    a faithful paragraph made it unlike its source, and the alignment shifted round it."""
    return (a.numbers | (a.soft & (b.numbers | b.soft)),
            b.numbers | (b.soft & (a.numbers | a.soft)))


def similarity(a: _Evidence, b: _Evidence, title: float | None = None) -> float:
    """How alike two sections are, 0…1; `title`, their titles' likeness where it counts."""
    if a.explicit and b.explicit:
        return 1.0 if a.explicit == b.explicit else 0.0
    if a.own is not None and b.own is not None:
        a, b = a.own, b.own
    score = weight = 0.0
    for x, y, w in ((*compared_numbers(a, b), 2), (a.links, b.links, 2), (a.code, b.code, 2),
                    (a.cites, b.cites, 2), (a.names, b.names, 1.5)):
        if x or y:
            score += w * jaccard(x, y); weight += w
    if a.lists or b.lists:
        score += 1.0 if a.lists == b.lists else 0.3 if len(a.lists) == len(b.lists) else 0.0
        weight += 1
    if title is not None:
        score += 2 * title; weight += 2
    # the heading level counts double: a section present on one side only must not pull its
    # neighbour into a pair at another level (then a section-level error follows)
    score += 2.0 if a.level == b.level else 0.0
    score += min(a.length, b.length) / max(a.length, b.length)
    score += 1.0 - min(1.0, 4 * abs(a.position - b.position))
    weight += 4
    return score / weight


def best_scores(gain: list[list[float]], n: int, m: int) -> list[list[float]]:
    """The table of best total gains of a monotone pairing (only pairs of positive gain)."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, g = best[i], best[i - 1], gain[i - 1]
        for j in range(1, m + 1):
            diag = prev[j - 1] + g[j - 1] if g[j - 1] > 0 else float("-inf")
            row[j] = max(prev[j], row[j - 1], diag)
    return best


def _by_sequence(src: list[Section], tgt: list[Section], ratio: float = 1.0) -> Alignment:
    if src and tgt:
        bound(len(src), len(tgt), f"{len(src):,} sections in {src[0].lang or 'the source'} "
              f"against {len(tgt):,} in {tgt[0].lang or 'the translation'}", "give the headings "
              "explicit IDs ({#id}), which pair without comparing", src[0].file, src[0].line)
    langs = " ".join(x[0].lang for x in (src, tgt) if x and x[0].lang)
    ea = [_Evidence(tree, i / max(len(src) - 1, 1), ratio, langs) for i, tree in enumerate(_trees(src))]
    eb = [_Evidence(tree, j / max(len(tgt) - 1, 1), langs=langs) for j, tree in enumerate(_trees(tgt))]
    n, m = len(src), len(tgt)
    titles = _titles(ea, eb)
    gain = [[similarity(a, b, titles[i][j]) - MATCH_FLOOR for j, b in enumerate(eb)]
            for i, a in enumerate(ea)]
    best = best_scores(gain, n, m)
    matched, i, j = {}, n, m
    while i and j:
        g = gain[i - 1][j - 1]
        if g > 0 and best[i][j] == best[i - 1][j - 1] + g:
            matched[id(src[i - 1])] = tgt[j - 1]; i -= 1; j -= 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    moved = set()
    taken = {id(t) for t in matched.values()}
    for i, s in enumerate(src):
        if id(s) in matched:
            continue
        options = [(gain[i][j], j) for j, t in enumerate(tgt) if id(t) not in taken
                   and (gain[i][j] + MATCH_FLOOR >= MOVED_FLOOR
                        or _namesakes(ea[i], eb[j], gain[i][j], titles[i][j]))]
        if options:
            _, j = max(options)
            matched[id(s)] = tgt[j]; taken.add(id(tgt[j])); moved.add(id(tgt[j]))
    _by_subsections(src, tgt, matched, taken)
    _in_gaps(src, tgt, matched, taken, ratio, langs)
    return Alignment(_merge(src, tgt, matched), moved)


def _in_gaps(src: list[Section], tgt: list[Section], matched: dict, taken: set, ratio: float,
             langs: str) -> None:
    """Pair the one unpaired section of each side left between the same two pairs when their
    own text is alike, whatever their levels: a heading one level deeper in the translation
    (`###` for `##`) took its subsections away, and the whole it was compared as no longer
    looked like the source's (one missing, one extra, for what is one section-level error)."""
    at = {id(t): j for j, t in enumerate(tgt)}
    trees_a, trees_b = _trees(src), _trees(tgt)
    before, run = -1, []  # the partner's index of the last paired source section; unpaired since
    for i, s in enumerate([*src, None]):
        partner = at[id(matched[id(s)])] if s is not None and id(s) in matched else None
        if s is not None and partner is None:
            run.append(i)
            continue
        after = len(tgt) if s is None else partner
        free = [j for j in range(before + 1, after) if id(tgt[j]) not in taken]
        if len(run) == 1 and len(free) == 1 and before < after:
            a = _Evidence(trees_a[run[0]][:1], run[0] / max(len(src) - 1, 1), ratio, langs)
            b = _Evidence(trees_b[free[0]][:1], free[0] / max(len(tgt) - 1, 1), langs=langs)
            if similarity(a, b) > MATCH_FLOOR:
                matched[id(src[run[0]])] = tgt[free[0]]
                taken.add(id(tgt[free[0]]))
        before = after if partner is not None else before
        run = []


def _titles(ea: list[_Evidence], eb: list[_Evidence]) -> list[list[float | None]]:
    """The likeness of every two sections' titles, where it counts: where either title has a
    cognate on the other side at all (then a title without one is evidence against; between
    languages that share no words, titles are no evidence)."""
    near = cognates({w for a in ea for w in a.title}, {w for b in eb for w in b.title})
    likeness = [[title_likeness(a.title, b.title, near) for b in eb] for a in ea]
    rows = [any(row) for row in likeness]
    columns = [any(column) for column in zip(*likeness)]
    return [[x if rows[i] or columns[j] else None for j, x in enumerate(row)]
            for i, row in enumerate(likeness)]


def _namesakes(a: _Evidence, b: _Evidence, gain: float, title: float | None) -> bool:
    """Leftovers at one level whose titles are cognate word for word (Security, Sécurité) and
    that look alike at all are one section, moved, whatever else moved around them (its
    subsections placed elsewhere made it lose its place in the sequence)."""
    return gain > 0 and a.level == b.level and title == 1.0


def _by_subsections(src: list[Section], tgt: list[Section], matched: dict, taken: set) -> None:
    """Pair the sections whose subsections pair: an unpaired section and an unpaired section of
    the other side at its level, each holding at least half of the other's subsections' pairs,
    are one section whatever their own text says (a paragraph moved into the next section, two
    examples added on one side: open source guides' "What happens after you submit your
    contribution", whose four subsections paired, was one section missing and one extra)."""
    spans = [(j, j + len(tree)) for j, tree in enumerate(_trees(tgt))]
    at = {id(t): j for j, t in enumerate(tgt)}
    for i, tree in enumerate(_trees(src)):
        s = tree[0]
        if id(s) in matched or not s.level or len(tree) < 2:
            continue
        homes = [at[id(matched[id(c)])] for c in tree[1:] if id(c) in matched]
        for j, (start, end) in enumerate(spans):
            t = tgt[j]
            if t.level != s.level or id(t) in taken or end - start < 2:
                continue
            inside = sum(start < k < end for k in homes)
            if inside and 2 * inside >= len(tree) - 1 and 2 * inside >= end - start - 1:
                matched[id(s)] = t
                taken.add(id(t))
                break
