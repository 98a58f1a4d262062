"""Numbers in running text, normalised so that the same quantity compares equal across languages.

"1.000,5" (it) and "1,000.5" (en), "115 milioni" and "$115 million", "centoquindici" and "115",
"trentennale" and "30-year" all become one value. Digits are read with the language's decimal
symbol (from Babel's CLDR data); numbers written in words go through text2num's `alpha2digit`;
a few word families that text2num leaves alone (Italian "-ennale" compounds, "thirty-year") are
handled here. Identifiers with digits glued to letters ("A320", "KazSat2") are not quantities.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_decimal_symbol
from text_to_num import alpha2digit

WORD_LANGS = frozenset({"en", "it", "fr", "es", "pt", "de", "nl"})  # text2num's languages

SCALES = {
    "thousand": 3, "thousands": 3, "mila": 3, "mille": 3, "mil": 3, "tausend": 3,
    "million": 6, "millions": 6, "milione": 6, "milioni": 6, "mln": 6, "mn": 6, "millón": 6,
    "millones": 6, "millionen": 6, "mio": 6, "milhão": 6, "milhões": 6,
    "billion": 9, "billions": 9, "bn": 9, "miliardo": 9, "miliardi": 9, "mld": 9, "mrd": 9,
    "milliard": 9, "milliards": 9, "milliarde": 9, "milliarden": 9, "mil millones": 9,
    "trillion": 12, "trillions": 12, "bilione": 12, "bilioni": 12, "billón": 12,
}
_SCALE = "|".join(sorted((re.escape(w) for w in SCALES), key=len, reverse=True))
_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:([.,\u00a0\u202f'’])\d{3})(?:\2\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:st|nd|rd|th|s|ª|º|°)?(?![\w])(?:\s*(" + _SCALE + r")\b\.?)?", re.IGNORECASE)
_WORD_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)(?:st|nd|rd|th|ª|º|°)?$")
_PERCENT = re.compile(r"\b(?:per\s+cento|percento|per\s+cent|percent)\b", re.IGNORECASE)
# "thirty-year", "ten-day": text2num reads the number only once the hyphen is a space
_HYPHEN_UNIT = re.compile(r"(?<=[a-z])-(?=(?:year|month|week|day|hour|minute|mile|kilometre|"
                          r"kilometer|metre|meter|member|person|point|page|fold|storey|story)s?\b)",
                          re.IGNORECASE)
# Italian compounds naming a span of years: biennale, trentennale, ventennio, quarantenne…
_IT_SPANS = {"bi": 2, "tri": 3, "quadri": 4, "quinqu": 5, "sess": 6, "sett": 7, "ott": 8, "nov": 9,
             "dec": 10, "vent": 20, "trent": 30, "quarant": 40, "cinquant": 50, "sessant": 60,
             "settant": 70, "ottant": 80, "novant": 90, "cent": 100, "mill": 1000}
_IT_SPAN = re.compile(r"\b(" + "|".join(sorted(_IT_SPANS, key=len, reverse=True))
                      + r")enn(?:ale|ali|io|i|e)\b", re.IGNORECASE)
_SPAN_LANGS = {"it": (_IT_SPAN, _IT_SPANS)}


@dataclass(frozen=True)
class Number:
    value: str  # canonical decimal text: "115000000", "1000.5"
    surface: str  # as written, for locating and highlighting


def canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=64)
def decimal_symbol(lang: str) -> str:
    try:
        return get_decimal_symbol(lang.replace("-", "_")) if lang else "."
    except Exception:  # an unknown locale: read digits the English way
        return "."


def read_digits(text: str, lang: str) -> Decimal | None:
    """Digits with group and decimal separators, read the way `lang` writes them."""
    text = text.replace("\u00a0", "").replace("\u202f", "").replace("'", "").replace("’", "")
    seps = [c for c in text if c in ".,"]
    if not seps:
        whole, frac = text, ""
    else:
        if len(set(seps)) == 2:
            decimal = seps[-1]
        elif len(seps) > 1:
            decimal = None  # one separator used repeatedly groups thousands
        else:
            tail = text.rsplit(seps[0], 1)[1]
            decimal = seps[0] if seps[0] == decimal_symbol(lang) or len(tail) != 3 else None
        if decimal:
            whole, frac = text.rsplit(decimal, 1)
        else:
            whole, frac = text, ""
        whole = whole.replace(".", "").replace(",", "")
    try:
        return Decimal(f"{whole}.{frac}" if frac else whole)
    except InvalidOperation:
        return None


def extract(text: str, lang: str) -> list[Number]:
    """Every quantity in `text`, in order of appearance (words and compounds after digits)."""
    base = lang.split("-")[0].lower()
    text = _HYPHEN_UNIT.sub(" ", _PERCENT.sub("%", text))
    found: list[Number] = []

    def digits(match: re.Match) -> str:
        value = read_digits(match.group(1), base)
        if value is not None:
            scale = match.group(3)
            if scale:
                value = value.scaleb(SCALES[scale.lower().rstrip(".")])
            found.append(Number(canonical(value), match.group(0).strip()))
        return " § "

    rest = _DIGITS.sub(digits, text)
    if base in WORD_LANGS and any(c.isalpha() for c in rest):
        found.extend(_words(rest, base))
    spans = _SPAN_LANGS.get(base)
    if spans:
        pattern, values = spans
        found.extend(Number(str(values[m.group(1).lower()]), m.group(0)) for m in pattern.finditer(text))
    return found


def _words(text: str, lang: str) -> list[Number]:
    try:
        converted = alpha2digit(text, lang)
    except Exception:  # text2num rejects some inputs; words then simply do not count
        return []
    if converted == text:
        return []
    before, after = text.split(), converted.split()
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for token in after[j1:j2]:
            match = _WORD_NUMBER.match(token.strip(".,;:()[]«»\"“”"))
            if match:
                value = read_digits(match.group(1), lang)
                if value is not None:
                    out.append(Number(canonical(value), " ".join(before[i1:i2]).strip(".,;:()")))
    return out
