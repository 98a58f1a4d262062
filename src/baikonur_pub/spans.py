"""Where the pieces of a text are, each kind found in one pass: code spans, and what a pair
of marks encloses. A regular expression for either, searched again from each opening never
closed, read to the text's end each time (quadratic: 10,000 backticks after `{{` took 64 s
through one pattern; 100,000 `<!--` in a code block never ended)."""

from __future__ import annotations

import re

_TICKS = re.compile(r"`+")


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where `text`'s code spans are: a run of backticks closed by the next run as long, found
    in one pass (each run's length has its list of runs, each list read once)."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    of_length: dict[int, list[int]] = {}
    for index, (a, b) in enumerate(runs):
        of_length.setdefault(b - a, []).append(index)
    read = dict.fromkeys(of_length, 0)
    spans, after = [], 0
    for index, (a, b) in enumerate(runs):
        same = of_length[b - a]
        while read[b - a] < len(same) and same[read[b - a]] <= index:
            read[b - a] += 1
        if a < after:
            continue
        if read[b - a] < len(same):
            close = runs[same[read[b - a]]]
            spans.append((a, close[1]))
            after = close[1]
    return spans


def outside_code(text: str, rewrite) -> str:
    """`text` with `rewrite` applied to its parts outside code spans (`code_spans`: a pattern
    of a run of backticks and its back-reference, lazily, took every length of a run from
    each backtick, 8,000 in a row 1.9 s)."""
    parts, start = [], 0
    for a, b in code_spans(text):
        parts += [rewrite(text[start:a]), text[a:b]]
        start = b
    return "".join(parts) + rewrite(text[start:])


def delimited(text: str, *pairs: tuple[str, str]) -> list[tuple[int, int]]:
    """(start, end) of each piece of `text` opened by one of `pairs`' openings and closed by
    the first of its closings after it, the earliest opening first (at one place, the first
    pair's): what `A.*?B|C.*?D` finds (DOTALL), in one pass. That pattern searched again from
    each opening never closed, each time to the text's end: 100,000 unclosed `<!--` in a code
    block would have taken hours. An opening never closed is the last of its kind read: no
    later one is closed either."""
    spans, at = [], 0
    live = list(pairs)
    following = {pair: -1 for pair in live}  # each kind's next opening at or after `at`
    while live:
        for pair in live:
            if following[pair] < at:
                following[pair] = text.find(pair[0], at)
        live = [pair for pair in live if following[pair] != -1]
        if not live:
            break
        start = min(following[pair] for pair in live)
        opening, closing = next(pair for pair in live if following[pair] == start)
        end = text.find(closing, start + len(opening))
        if end == -1:
            live.remove((opening, closing))
            continue
        spans.append((start, end + len(closing)))
        at = end + len(closing)
    return spans


def without(text: str, spans: list[tuple[int, int]], keep=lambda piece: "") -> str:
    """`text` with each of `spans` (in order, apart) replaced by `keep` of it."""
    parts, at = [], 0
    for start, end in spans:
        parts += [text[at:start], keep(text[start:end])]
        at = end
    return "".join(parts) + text[at:]
