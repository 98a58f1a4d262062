"""HTML's counts (colspan, rowspan, span; start, value, size) as a manuscript writes them and
a reader reads them: int() refuses more than 4,300 digits (an internal error), `str.isdigit`
takes digits int() refuses (`²`), and WeasyPrint lays out as many columns as a span says,
past HTML's bound (colspan="100000": 58 s; 10,000: 0.6 s; HTML's 1,000: 0.1 s)."""

from __future__ import annotations

import re

BOUNDS = {"colspan": 1000, "span": 1000, "rowspan": 65534}  # HTML's own
NAMES = frozenset({*BOUNDS, "start", "value", "size"})  # the counts WeasyPrint reads
_LEADING = re.compile(r"[ \t\n\f\r]*[+-]?0*([0-9]*)")  # HTML's rules for parsing integers


def span(name: str, written: str) -> int | None:
    """The span `written` says when it is only ASCII digits within 1 and `name`'s bound."""
    found = re.fullmatch(r"0*([1-9][0-9]{0,8})", written.strip())
    return int(found[1]) if found and int(found[1]) <= BOUNDS[name] else None


def attribute(name: str, value: str) -> str | None:
    """`value` of the count `name` as raw HTML keeps it: a span past HTML's bound at the bound,
    any other count of ten digits or more left out (None)."""
    digits = _LEADING.match(value)[1]
    if name in BOUNDS and (len(digits) > 9 or int(digits or 0) > BOUNDS[name]):
        return str(BOUNDS[name])
    return None if len(digits) > 9 else value
