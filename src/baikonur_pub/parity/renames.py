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

from .likeness import spelled_alike

_NAME = re.compile(r"[^\W\d]\w*")
# Blocks aligned line by line to find renamings, at most this many line pairs: difflib's
# alignment grows faster than the lines (without its junk heuristic, 2,000 lines repeating a
# few shapes took 35 s; with it, 32,000 lines of 400 shapes 18.6 s, 4,000 lines 0.1 s). A
# longer block is compared as written.
_ALIGNED = 4_000 * 4_000


def _shape(line: str) -> str:
    return _NAME.sub("\0", line)


class Renames:
    """What the paired code blocks of a whole translation show of its renamings: each name of
    the source's code with the names the translation's writes in its place, line for line, and
    the names each side's code uses. A name renamed once in each of many blocks (`flights` →
    `vuelos` in every example of a chapter) is a renaming of the book, as one renamed twice in
    one block is of that block."""

    def __init__(self):
        self.to, self.back, self.uses = defaultdict(set), defaultdict(set), Counter()
        self.names_a: set[str] = set()
        self.names_b: set[str] = set()

    def read(self, a: list[str], b: list[str]) -> None:
        """Add what the blocks `a` and `b` (their lines) show."""
        self.names_a.update(n for line in a for n in _NAME.findall(line))
        self.names_b.update(n for line in b for n in _NAME.findall(line))
        if a == b or len(a) * len(b) > _ALIGNED:
            return
        shapes_a, shapes_b = [_shape(x) for x in a], [_shape(y) for y in b]
        matcher = SequenceMatcher(None, shapes_a, shapes_b)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag not in ("equal", "replace") or i2 - i1 != j2 - j1:
                continue
            for x, y, shape_x, shape_y in zip(a[i1:i2], b[j1:j2], shapes_a[i1:i2], shapes_b[j1:j2]):
                if shape_x == shape_y:
                    for p, q in zip(_NAME.finditer(x), _NAME.finditer(y)):
                        if x[p.start() - 1:p.start()] == "." or y[q.start() - 1:q.start()] == ".":
                            continue  # a member's name (`Math.max`): the library's, never renamed
                        self.to[p.group()].add(q.group())
                        self.back[q.group()].add(p.group())
                        self.uses[p.group()] += 1

    def consistent(self) -> dict[str, str]:
        """Each name that became one other name wherever the two codes share a line, more
        than once, and is nowhere kept (nor its new name used for anything else)."""
        return {p: q for p, (q,) in ((p, tuple(qs)) for p, qs in self.to.items() if len(qs) == 1)
                if q != p and self.back[q] == {p} and self.uses[p] > 1
                and p not in self.names_b and q not in self.names_a}

    def of_the_book(self) -> dict[str, str]:
        """Each name that became one other name on every line the codes of a whole translation
        share, three times or more, its new name none of the source's. Across a book a name
        may stay elsewhere, in another sense (`mpg` the data set, renamed `millas`, and
        `mtcars$mpg` a column), and two may become one (`displ` and `disp`, `cilindrada`). A
        name spelled nearly as before is a typo repeated, not a translation (`diamond` for the
        data set `diamonds`, three times in a real translation)."""
        return {p: q for p, (q,) in ((p, tuple(qs)) for p, qs in self.to.items() if len(qs) == 1)
                if q != p and self.uses[p] >= 3 and q not in self.names_a
                and not spelled_alike(p, q)}


def rename(lines: list[str], renames: dict[str, str]) -> list[str]:
    """`lines` with each name of `renames` written as its new name."""
    if not renames:
        return lines
    return [_NAME.sub(lambda m: renames.get(m.group(0), m.group(0)), line) for line in lines]


def renamed(a: list[str], b: list[str]) -> list[str]:
    """Lines `a` with the names `b` renamed consistently written as `b` writes them."""
    found = Renames()
    found.read(a, b)
    return rename(a, found.consistent())
