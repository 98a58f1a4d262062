"""Numbers in running text, normalised so that the same quantity compares equal across languages.

"1.000,5" (it) and "1,000.5" (en), "115 milioni" and "$115 million", "centoquindici" and "115",
"trentennale" and "30-year" all become one value. Digits are read with the language's decimal
symbol (from Babel's CLDR data); numbers written in words go through text2num's `alpha2digit`;
a few word families that text2num leaves alone (Italian "-ennale" compounds, "thirty-year") are
handled here. Identifiers with digits glued to letters ("A320", "KazSat2") are not quantities,
nor are plural scale words no number comes before ("thousands of rows", "milhares de linhas").
A date is one value however it is written: "2019-03-01", "1er mars 2019" and "March 1, 2019"
(month names and orders from CLDR, through Babel). Numbers in inline code (`80`) count only as
the counterpart of the other language's, and so do Chinese and Japanese numerals (第九章).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import get_decimal_symbol
from text_to_num import alpha2digit

from ..locales import babel_locale
from .dates import dates
from .numerals import han_numerals, soft_cjk_numbers

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
# Letters of alphabetic scripts: digits glued to them are identifiers ("A320"); digits beside
# CJK characters, which have no spaces between words, are quantities ("共3个").
_LETTER = "0-9A-Za-z_\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_UNIT = r"(?:[KMGTP]i?[Bbo]|[KMGTP]io|[KMGT]|ms|px|[kMG]?Hz|[mck]m|kg)"  # 128K, 64MB, 10ms
_SPACES = "\u00a0\u202f\u2009"  # no-break, narrow no-break and thin space group digits
_IN_WORDS = (r"(?:st|nd|rd|th|s|ª|º|°|ème|e|er|re|º|ª)?")


@lru_cache(maxsize=32)
def _digits_pattern(space_groups: bool) -> re.Pattern:
    group = "[.,'’" + _SPACES + (" " if space_groups else "") + "]"
    return re.compile(
        rf"(?<![{_LETTER}.,])(\d{{1,3}}(?:({group})\d{{3}})(?:\2\d{{3}})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
        rf"(?:{_UNIT}|{_IN_WORDS})(?![{_LETTER}])(?:\s*(" + _SCALE + r")\b\.?)?", re.IGNORECASE)
_WORD_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)(?:st|nd|rd|th|ª|º|°)?$")
_PERCENT = re.compile(r"\b(?:per\s+cento|percento|per\s+cent|percent)\b", re.IGNORECASE)
# "thirty-year", "ten-day": text2num reads the number only once the hyphen is a space. English
# words: elsewhere a number joined to a noun is a word of its own (French "deux-points", colon)
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
# A word an apostrophe joins to the next is no number word: an elided article or preposition
# (Italian un', l', dell', quell'; French l', d', qu'; "o'clock"), or a clitic after a word
# (one's, don't, geht's). text2num splits at the typographic apostrophe pandoc writes for ',
# and read "un un’iterazione" as "1 1’iterazione" (a number) and "d’un million" as no number.
_CLITIC = re.compile(r"(?<=[^\W\d_])['’ʼ](?:s|t|re|ll|ve|d|m)\b", re.IGNORECASE)
_ELIDED = re.compile(r"\b[^\W\d_]+['’ʼ](?=[^\W\d_])")


# Number words that are also everyday words: they count only to match the other side's numeral.
AMBIGUOUS = {"it": {"sei", "otto"}, "fr": {"neuf"}, "es": {"dos", "sobre"}, "pt": {"sete"},
             "de": {"acht", "elf"}, "nl": {"acht"}, "en": {"one"}}
# Small ordinals, which text2num mostly leaves as words: they pair with numerals ("primo", "field 1").
_ORD = {
    "en": "first second third fourth fifth sixth seventh eighth ninth tenth",
    "it": "prim second terz quart quint sest settim ottav non decim",
    "es": "primer segund tercer cuart quint sext séptim octav noven décim",
    "pt": "primeir segund terceir quart quint sext sétim oitav non décim",
    "fr": "premi deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième",
}
_ORD_END = {"en": "", "it": "(?:o|a|i|e)", "es": "(?:o|a|os|as)?", "pt": "(?:o|a|os|as)",
            "fr": "s?"}
SOFT_LIMIT = 10  # number words up to ten are evidence, never a finding on their own
THRESHOLD = 2  # text2num's 3 left "two" a word, no match for a "2"; "one" is an article too
# Plural scale words standing alone say "many", not a quantity: "thousands of rows" is no 1000
# ("two thousand" and "2 millions" are numbers). text2num reads some of them as the bare scale.
VAGUE = {lang: frozenset(words.split()) for lang, words in {
    "en": "tens dozens scores hundreds thousands millions billions trillions",
    "it": "decine dozzine centinaia migliaia milioni miliardi",
    "fr": "dizaines douzaines centaines milliers millions milliards",
    "es": "decenas docenas cientos centenares miles millones billones",
    "pt": "dezenas dúzias centenas milhares milhões bilhões trilhões",
    "de": "dutzende hunderte tausende millionen milliarden",
    "nl": "tientallen dozijnen honderden duizenden miljoenen miljarden",
}.items()}


@dataclass(frozen=True)
class Number:
    value: str  # canonical decimal text: "115000000", "1000.5"
    surface: str  # as written, for locating and highlighting
    soft: bool = False  # a small number word, an ambiguous one or an ordinal: matches, never reported alone


def canonical(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@lru_cache(maxsize=64)
def decimal_symbol(lang: str) -> str:
    try:
        return get_decimal_symbol(babel_locale(lang)) if lang else "."
    except Exception:  # an unknown locale: read digits the English way
        return "."


def read_digits(text: str, lang: str) -> Decimal | None:
    """Digits with group and decimal separators, read the way `lang` writes them."""
    for space in _SPACES + " '’":
        text = text.replace(space, "")
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


def extract(text: str, lang: str, others: tuple[str, ...] = ()) -> list[Number]:
    """Every quantity in `text`, in order of appearance (dates first, also as the `others`
    languages write them; words and compounds after digits, soft when one of `others` writes
    numbers in words this does not read)."""
    base = lang.split("-")[0].lower()
    text = _PERCENT.sub("%", text)
    if base == "en":
        text = _HYPHEN_UNIT.sub(" ", text)
    spans, text = dates(text, base, tuple(o.split("-")[0].lower() for o in others))
    found = [Number(day, surface) for day, surface in spans]
    if base in ("zh", "ja"):  # "Windows10", "16進": a name's or a word's digits, counterparts only
        glued, text = soft_cjk_numbers(text)
        found.extend(Number(value, surface, soft=True) for value, surface in glued)

    def digits(match: re.Match) -> str:
        value = read_digits(match.group(1), base)
        if value is not None:
            scale = match.group(3)
            if scale:
                value = value.scaleb(SCALES[scale.lower().rstrip(".")])
            found.append(Number(canonical(value), match.group(0).strip()))
        return " § "

    rest = _digits_pattern(_space_groups(base)).sub(digits, _lists_spaced(text, base))
    if base in WORD_LANGS and any(c.isalpha() for c in rest):
        # each elided word and clitic a non-word, the word it leaned on alone: "§ iterazione",
        # "§ un million", "twenty-one §"
        rest = _mask_vague(_ELIDED.sub("§ ", _CLITIC.sub(" §", rest)), base)
        words = _words(rest, base)
        if any(o.split("-")[0].lower() not in WORD_LANGS for o in others):
            # a language whose number words are not read (Korean's "열두", Russian's
            # "двенадцать"): "twelve" there is evidence when written in digits, never a finding
            words = [Number(n.value, n.surface, soft=True) for n in words]
        found.extend(words)
        found.extend(_ordinals(rest, base))
    spans = _SPAN_LANGS.get(base)
    if spans:
        pattern, values = spans
        found.extend(Number(str(values[m.group(1).lower()]), m.group(0)) for m in pattern.finditer(text))
    if base in ("zh", "ja"):
        found.extend(Number(str(value), numeral, soft=True)
                     for value, numeral in han_numerals(text))
    return found


_COMMA_RUN = re.compile(r"(?<![\d,.])\d+(?:,\d+)+(?![\d,]|\.\d)")


def _lists_spaced(text: str, lang: str) -> str:
    """`text` with each comma between digits that neither groups thousands nor is the
    language's decimal symbol followed by a space: a list of numbers ("(3,4)", a shape written
    without a space, "2,3,4"), in a language whose decimal symbol is the point. Read as 3.4,
    Chinese "（3,4）" was a number the English "(3, 4)" did not have."""
    if "," not in text or decimal_symbol(lang) != ".":
        return text

    def spaced(match: re.Match) -> str:
        first, *groups = match.group(0).split(",")
        if len(first) <= 3 and all(len(g) == 3 for g in groups):
            return match.group(0)  # 1,000,000
        return ", ".join([first, *groups])
    return _COMMA_RUN.sub(spaced, text)


_PIECE = 1_000  # words text2num reads at once: its time grows with the square of a text's
# length (80,000 words 9 s); a piece ends after a sentence where one ends near its end
_SENTENCE_END = re.compile(r"[.;:!?…。！？]$")


def _words(text: str, lang: str) -> list[Number]:
    words = text.split()
    if len(words) > _PIECE:
        out, start = [], 0
        while start < len(words):
            end = min(start + _PIECE, len(words))
            if end < len(words):
                end = next((k + 1 for k in range(end - 1, end - _PIECE // 5, -1)
                            if _SENTENCE_END.search(words[k])), end)
            out += _words(" ".join(words[start:end]), lang)
            start = end
        return out
    try:
        converted = alpha2digit(text, lang, threshold=THRESHOLD)
    except Exception:  # text2num rejects some inputs; words then simply do not count
        return []
    if converted == text:
        return []
    before, after = text.split(), converted.split()
    out = []
    for i1, i2, j1, j2 in _replaced(before, after):
        values = [read_digits(m.group(1), lang) for m in (_WORD_NUMBER.match(token.strip(
            ".,;:()[]«»\"“”")) for token in after[j1:j2]) if m]
        values = [v for v in values if v is not None]
        for value, words in zip(values, _runs(before[i1:i2], len(values), lang)):
            words = _trimmed(words, set(after[j1:j2]))
            surface = " ".join(words).strip(".,;:()")
            soft = (value <= SOFT_LIMIT and len(words) == 1) or (
                surface.lower() in AMBIGUOUS.get(lang, ()))
            out.append(Number(canonical(value), surface, soft))
    return out


_RUN = 32  # words: text2num's longest run ("one hundred and twenty-three thousand…") is far shorter


def _replaced(before: list[str], after: list[str]):
    """(i1, i2, j1, j2): each run of `before`'s words text2num wrote as `after[j1:j2]`, read
    in one pass: it only replaces runs of number words by numerals, every other word kept in
    order. (difflib's alignment of the two word lists took 12.6 s for a paragraph of 2,500
    words alternating numbers and words.) A run ends where `before` goes on as `after` does,
    three words alike, the shortest such run first; none within `_RUN` words: one word."""
    at: dict[str, list[int]] = {}
    for index, word in enumerate(before):
        at.setdefault(word, []).append(index)
    i = j = 0
    while i < len(before) and j < len(after):
        if before[i] == after[j]:
            i, j = i + 1, j + 1
            continue
        i2, j2 = i + 1, j + 1
        for k in range(j + 1, min(j + _RUN, len(after)) + 1):
            ahead = after[k:k + 3]
            if not ahead:  # the text ends with the run
                found = len(before) if len(before) - i <= _RUN else None
            else:
                places, found = at.get(ahead[0], []), None
                index = bisect.bisect_right(places, i)  # the places within the run's reach
                while index < len(places) and places[index] - i <= _RUN:
                    if before[places[index]:places[index] + len(ahead)] == ahead:
                        found = places[index]
                        break
                    index += 1
            if found is not None:
                i2, j2 = found, k
                break
        yield i, i2, j, j2
        i, j = i2, j2


def _runs(words: list[str], count: int, lang: str) -> list[list[str]]:
    """The words each of `count` numbers was read from, text2num having read them from one run
    of `words` ("un deux" is 1 and 2, "deux cent un deux" 201 and 2): each its own surface
    (both were "un deux", one finding said twice)."""
    if count < 2:
        return [words] * count
    if len(words) == count:
        return [[w] for w in words]
    runs, start = [], 0
    for left in range(count - 1, 0, -1):  # the longest run that reads as one number
        end = next((end for end in range(len(words) - left, start + 1, -1)
                    if len(_read(words[start:end], lang)) == 1), start + 1)
        runs.append(words[start:end])
        start = end
    return runs + [words[start:]]


def _trimmed(words: list[str], kept: set[str]) -> list[str]:
    """A number's words without the words at its ends that text2num `kept` as words: the run
    it rewrote, "one, two, or three" as "1, 2, or 3", gave the 3 the surface "or three"."""
    start, end = 0, len(words)
    while end - start > 1 and words[start] in kept:
        start += 1
    while end - start > 1 and words[end - 1] in kept:
        end -= 1
    return words[start:end]


def _read(words: list[str], lang: str) -> list[str]:
    try:
        return alpha2digit(" ".join(words), lang, threshold=THRESHOLD).split()
    except Exception:  # text2num rejects some inputs: the words stand apart
        return words


def in_code(codes: list[str]) -> list[Number]:
    """The numbers written in inline code (`80`, `HTTP/1.1`), read as code writes them: they
    match a number the other language writes in its text, and are never a finding alone
    (the text is what a translation translates)."""
    pattern = _digits_pattern(False)
    return [Number(canonical(value), m.group(1), soft=True) for code in codes
            for m in pattern.finditer(code) if (value := read_digits(m.group(1), "")) is not None]


@lru_cache(maxsize=16)
def _vague_pattern(lang: str) -> tuple[re.Pattern, re.Pattern]:
    """The vague word with the word before it; the vague word alone, to look for first (the
    pair's optional word before is tried at every character: a third of the numbers' time)."""
    words = "|".join(sorted(VAGUE[lang], key=len, reverse=True))
    return (re.compile(r"(?:(\S+)\s+)?\b(" + words + r")\b", re.IGNORECASE),
            re.compile(r"\b(?:" + words + r")\b", re.IGNORECASE))


def _mask_vague(text: str, lang: str) -> str:
    """`text` with each vague plural (`VAGUE`) that no number word comes before made a
    non-word: "thousands of rows" says no 1000; "deux millions" stays 2000000."""
    if lang not in VAGUE:
        return text

    def mask(match: re.Match) -> str:
        before, word = match.group(1), match.group(2)
        if before:
            try:
                if len(alpha2digit(f"{before} {word}", lang).split()) < 2:
                    return match.group(0)  # one number of two words: a count of millions
            except Exception:  # text2num rejects some inputs: the word stands alone
                pass
        return f"{before} §" if before else "§"

    pattern, word = _vague_pattern(lang)
    return pattern.sub(mask, text) if word.search(text) else text


@lru_cache(maxsize=16)
def _ordinal_pattern(lang: str) -> re.Pattern | None:
    if lang not in _ORD:
        return None
    words = [re.escape(w) + _ORD_END[lang] for w in _ORD[lang].split()]
    if lang == "fr":
        words[0] = "premi(?:er|ère)s?"
        words[1] = "(?:deuxième|seconde?)s?"
    return re.compile(r"\b(?:" + "|".join(f"(?P<o{i}>{w})" for i, w in enumerate(words)) + r")\b",
                      re.IGNORECASE)


def _ordinals(text: str, lang: str) -> list[Number]:
    pattern = _ordinal_pattern(lang)
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer(text):
        index = next(int(k[1:]) for k, v in m.groupdict().items() if v)
        out.append(Number(str(index + 1), m.group(0), True))
    return out


@lru_cache(maxsize=32)
def _space_groups(lang: str) -> bool:
    """Whether the language groups thousands with a space (French "100 000")."""
    try:
        from babel.numbers import get_group_symbol

        return (get_group_symbol(lang) if lang else ",").isspace()
    except Exception:
        return False
