"""Inline code that a translation copied with a typo (`xmlstartlet` for `xmlstarlet`).

Inline code is not compared as a whole: a translation may translate a placeholder in it
(`type command` → `type 命令`). A name spelled nearly alike on the other side, and not
spelled alike anywhere in that block, is one change, though: the block pairs by it
(`block_align`, as near-identical URLs do) and it is reported as a code-mismatch.
"""

from __future__ import annotations

from .likeness import spelled_alike
from .code import spaced_alike

# Pairs of unmatched spans compared at most, per block: a faithful translation leaves a few
# unmatched; a block of thousands on each side (a hostile manuscript) is not searched.
MAX_PAIRS = 2500


def near_misses(src: list[str], tgt: list[str]) -> list[tuple[str, str]]:
    """(source, translation) pairs of inline code spelled nearly, not exactly, alike."""
    a, b = set(src), set(tgt)
    if len(a - b) * len(b - a) > MAX_PAIRS:
        return []
    out = []
    for y in tgt:
        if y in a or any(y == seen for _, seen in out):
            continue
        if any(spaced_alike(x, y) for x in a - b):
            continue  # `apply ()` for `apply()`: the same code, as lines compare
        close = [x for x in src if x not in b and spelled_alike(x, y)]
        if close:
            out.append((close[0], y))
    return out
