"""Dates in running text, each one value however it is written (`numbers.extract`): "2019-03-01",
"1er mars 2019" and "March 1, 2019" are all `2019-03-01` (month names and the orders of the
fields from CLDR, through Babel)."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from babel import Locale, localedata
from babel.dates import get_month_names, parse_pattern


_YEAR = re.compile(r"\d{4}")
_ISO_DATE = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|re|e|º|ª|°)?"


def dates(text: str, lang: str, others: tuple[str, ...] = ()
          ) -> tuple[list[tuple[str, str]], str]:
    """The dates in `text`, ISO or as `lang` writes them (`1er mars 2019`, `March 1, 2019`,
    `1. März 2019`), each one value (`2019-03-01`), and the text without them: the same date
    in two languages is one number, not a year that matches and a month that does not. Then
    as the `others` (the publication's other languages) write them: a table of English data
    kept as it is in the Italian text ("April 27, 2010") is that date there too, not 27 and
    2010 beside the English text's date."""
    if not _YEAR.search(text):  # every date it reads has a year of four digits
        return [], text
    spans = []
    theirs = (p for other in others if other != lang for p in _date_patterns(other))
    for pattern, months in ((_ISO_DATE, {}), *_date_patterns(lang), *theirs):
        for m in pattern.finditer(text):
            day = _day(m, months)
            if day and not any(a < m.end() and m.start() < b for a, b, _, _ in spans):
                spans.append((m.start(), m.end(), day, m.group(0)))
    spans.sort()
    for start, end, _, _ in reversed(spans):
        text = text[:start] + " § " + text[end:]
    return [(day, surface) for _, _, day, surface in spans], text


def _day(m: re.Match, months: dict[str, int]) -> str:
    """The ISO date a match of `dates` names (`months`: its month names' numbers), or "" (no
    such day: 2019-02-30)."""
    if m.re is _ISO_DATE:
        year, month, day = m.groups()
    else:
        fields = m.groupdict()
        year, day = fields["y"], fields["d"]
        month = fields.get("m") or months.get(fields["name"].lower().rstrip("."))
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except (ValueError, TypeError):
        return ""


_FIELDS = {"d": rf"(?P<d>\d{{1,2}}){_DAY_SUFFIX}", "dd": rf"(?P<d>\d{{1,2}}){_DAY_SUFFIX}",
           "M": r"(?P<m>\d{1,2})", "MM": r"(?P<m>\d{1,2})", "L": r"(?P<m>\d{1,2})",
           "LL": r"(?P<m>\d{1,2})", "y": r"(?P<y>\d{4})", "yyyy": r"(?P<y>\d{4})"}
_NAMES = {"MMM": "abbreviated", "LLL": "abbreviated", "MMMM": "wide", "LLLL": "wide"}


@lru_cache(maxsize=16)
def _date_patterns(lang: str) -> tuple[tuple[re.Pattern, dict[str, int]], ...]:
    """Regular expressions of the dates `lang` writes, each with its month names' numbers:
    CLDR's long and medium formats of every locale of the language that name the month
    (`d MMMM y`, `MMMM d, y`, `d 'de' MMMM 'de' y`), and the language's own long format
    (`y年M月d日`)."""
    if not lang or not localedata.exists(lang):
        return ()
    formats = {Locale.parse(lang).date_formats["long"].pattern}
    for code in localedata.locale_identifiers():
        if code.split("_")[0] == lang:
            try:
                locale = Locale.parse(code)
            except Exception:  # a locale Babel lists but cannot load
                continue
            formats |= {locale.date_formats[k].pattern for k in ("long", "medium")
                        if any(f in locale.date_formats[k].pattern for f in ("MMM", "LLL"))}
    out = []
    for written in sorted(formats):
        compiled = _date_regex(written, lang)
        if compiled is not None:
            out.append(compiled)
    return tuple(out)


def _date_regex(written: str, lang: str) -> tuple[re.Pattern, dict[str, int]] | None:
    """A CLDR date pattern as a regular expression, with its month names' numbers (None when
    it needs what text rarely writes: a weekday, a two-digit year)."""
    pieces = re.split(r"%\((\w+)\)s", parse_pattern(written).format)
    out, months = [], {}
    for i, piece in enumerate(pieces):
        if i % 2 == 0:  # literal text, any run of spaces as any (a no-break space in print)
            out.append("".join(r"\s+" if part.isspace() else re.escape(part)
                               for part in re.split(r"(\s+)", piece.replace("%%", "%")) if part))
        elif piece in _FIELDS:
            out.append(_FIELDS[piece])
        elif piece in _NAMES:
            months = _month_names(lang, _NAMES[piece])
            names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
            out.append(rf"(?P<name>{names})\.?")
        else:
            return None
    if not {"d", "y"} <= {p[0] for p in pieces[1::2]}:
        return None
    return re.compile(r"(?<!\w)" + "".join(out) + r"(?!\w)", re.IGNORECASE), months


def _month_names(lang: str, width: str) -> dict[str, int]:
    """Month names of `lang` (as written and in the stand-alone form), lower-case → number."""
    out = {}
    for context in ("format", "stand-alone"):
        for number, name in get_month_names(width, context, lang).items():
            out[name.lower().rstrip(".")] = number
    return out
