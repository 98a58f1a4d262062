"""How alike two pieces of evidence that survive translation are: titles by their cognates
(Security, Sécurité), sets of names and links, two spellings of one name (a typo)."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from os.path import commonprefix

_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")  # shorter words are mostly articles and particles


def title_words(title: str) -> frozenset[str]:
    """A title's words of four letters or more, case and accents folded: what a title shares
    with its translation in a related language (Security, Sécurité)."""
    folded = unicodedata.normalize("NFKD", title.casefold())
    return frozenset(_TITLE_WORD.findall("".join(c for c in folded if not unicodedata.combining(c))))


def _cognate(a: str, b: str) -> bool:
    """Two folded words of one root: alike (`security`, `securite`), or sharing their first
    four letters and most of the rest (`privacy`, `privee`; not `content`, `control`)."""
    if a == b:
        return True
    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio >= 0.8 or (len(commonprefix((a, b))) >= 4 and ratio >= 0.6)


def cognates(a: set[str], b: set[str]) -> dict[str, set[str]]:
    """Each word of `a` → its cognates among `b`: words that begin alike, compared once per
    two words however many titles hold them (400 titles a side: 1.7 s title by title)."""
    by_start: dict[str, set[str]] = {}
    for word in b:
        by_start.setdefault(word[:2], set()).add(word)
    return {x: {y for y in by_start.get(x[:2], ()) if _cognate(x, y)} for x in a}


def title_likeness(a: frozenset[str], b: frozenset[str], near: dict[str, set[str]]) -> float:
    """The share of two titles' words with a cognate in the other title (`near`: `cognates`):
    translated titles keep their cognates, which no other evidence sees."""
    if not a or not b:
        return 0.0
    hits = sum(1 for x in a if near[x] & b) + sum(1 for y in b if any(y in near[x] for x in a))
    return hits / (len(a) + len(b))


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b)


NEAR = 0.9  # two spellings this alike are one name (a typo): links, inline code
_NEAR_LENGTH = 300  # characters: difflib aligns up to this (a URL's), 0.1 s at worst


def near_jaccard(a: set, b: set) -> float:
    """Jaccard index where two URLs spelled nearly alike (a typo) count as one."""
    same = a & b
    rest_b = b - same
    near = sum(1 for x in a - same if any(spelled_alike(x, y) for y in rest_b))
    return (len(same) + near) / max(len(a | b) - near, 1)


def spelled_alike(x: str, y: str) -> bool:
    """Spelled nearly alike (90 %), the cheap upper bounds first, as difflib's own
    `get_close_matches` does; texts longer than a URL by their characters' counts alone
    (difflib's alignment grows with the square of their lengths and worse: a list item's code
    of 2,000 characters took 18 s against another)."""
    matcher = SequenceMatcher(None, x, y)
    return (matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR
            and (max(len(x), len(y)) > _NEAR_LENGTH or matcher.ratio() >= NEAR))
