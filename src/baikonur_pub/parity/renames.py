"""Names a translation gave the code in its language (`head` → `testa`, `:hello` → `:ciao`).

A tutorial translated whole renames its variables, functions and symbols as it translates its
comments: the code is the same if each name became one other name, the same in every line the
two blocks share, and nowhere kept. A name used once and changed is a change, not a renaming
(`printf` → `println`): nothing shows it was done on purpose.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher

_NAME = re.compile(r"[^\W\d]\w*")
# Blocks aligned line by line to find renamings, at most this many line pairs: difflib's
# alignment grows faster than the lines (without its junk heuristic, 2,000 lines repeating a
# few shapes took 35 s; with it, 32,000 lines of 400 shapes 18.6 s, 4,000 lines 0.1 s). A
# longer block is compared as written.
_ALIGNED = 4_000 * 4_000


def _shape(line: str) -> str:
    return _NAME.sub("\0", line)


def renamed(a: list[str], b: list[str]) -> list[str]:
    """Lines `a` with the names `b` renamed consistently written as `b` writes them."""
    if len(a) * len(b) > _ALIGNED:
        return a
    shapes_a, shapes_b = [_shape(x) for x in a], [_shape(y) for y in b]
    to, back, uses = defaultdict(set), defaultdict(set), Counter()
    matcher = SequenceMatcher(None, shapes_a, shapes_b)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag not in ("equal", "replace") or i2 - i1 != j2 - j1:
            continue
        for x, y, shape_x, shape_y in zip(a[i1:i2], b[j1:j2], shapes_a[i1:i2], shapes_b[j1:j2]):
            if shape_x == shape_y:
                for p, q in zip(_NAME.finditer(x), _NAME.finditer(y)):
                    if x[p.start() - 1:p.start()] == "." or y[q.start() - 1:q.start()] == ".":
                        continue  # a member's name (`Math.max`): the library's, never renamed
                    to[p.group()].add(q.group())
                    back[q.group()].add(p.group())
                    uses[p.group()] += 1
    names_a = {n for line in a for n in _NAME.findall(line)}
    names_b = {n for line in b for n in _NAME.findall(line)}
    renames = {p: q for p, (q,) in ((p, tuple(qs)) for p, qs in to.items() if len(qs) == 1)
               if q != p and back[q] == {p} and uses[p] > 1 and p not in names_b and q not in names_a}
    if not renames:
        return a
    return [_NAME.sub(lambda m: renames.get(m.group(0), m.group(0)), line) for line in a]
