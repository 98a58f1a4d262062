"""Chinese and Japanese numbers (`numbers.extract` for zh and ja): numerals (第九章), and digits
that are part of a name or a word (Windows10, 16進)."""

from __future__ import annotations

import re
import unicodedata


# Chinese and Japanese numerals (第九章, 三千五百万, 二〇二四): text2num reads neither. They
# are counterparts only (`soft`, in `numbers`): the characters also make words (万一 "in case", 千万 "by
# all means"), so one is never a finding of its own; and 一 alone, in most words, is none
# (as a number it was evidence against paragraphs that pair: 每一个 against "anyone").
_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_HAN_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_HAN_RUN = re.compile("[" + "".join([*_HAN_DIGITS, *_HAN_UNITS, *_HAN_LARGE]) + "]+")
# A run longer than any numeral written out is no number: its value grew by four digits with
# each 万 (100,000 of them 7.8 s), and int() and str() refuse more than 4,300 digits (a run of
# 5,000 一 was an internal error)
_LONGEST = 40


def han_numerals(text: str) -> list[tuple[int, str]]:
    """(value, the numeral as written) of each numeral in `text`."""
    out = []
    for match in _HAN_RUN.finditer(text):
        run = match.group(0)
        if run == "一" or not any(c in _HAN_DIGITS or c in _HAN_UNITS for c in run) or \
                len(run) > _LONGEST:
            continue  # 一 alone is mostly a word's (每一个 "each", 一样 "same"), 万 alone too
        out.append((_value(run), run))
    return out


def _value(run: str) -> int:
    """The number a run of numerals writes."""
    if all(c in _HAN_DIGITS for c in run) and len(run) > 1:  # 二〇二四: digit by digit
        return int("".join(str(_HAN_DIGITS[c]) for c in run))
    total = section = digit = 0
    for c in run:
        if c in _HAN_DIGITS:
            digit = _HAN_DIGITS[c]
        elif c in _HAN_UNITS:
            section, digit = section + (digit or 1) * _HAN_UNITS[c], 0
        else:
            total, section, digit = (total + section + digit) * _HAN_LARGE[c], 0, 0
    return total + section + digit


# Digits in Chinese and Japanese text that are part of a name or a word (`soft_cjk_numbers`).
# Chinese and Japanese set no space between a Latin name and its number ("Windows10", "ISO8601",
# "Python3"): where the other language writes "Windows 10", the 10 is the same quantity, so the
# glued digits count as its counterpart — softly, never a finding alone, as "A320" is a name.
# Radix words ("16進数" hexadecimal, "2进制" binary, "十六进制") are vocabulary, not quantities:
# the other language writes "hex" or "binary"; they too count only as a counterpart ("base 16").
# A lone 1 with its counter ("1ページ", "1个") is what English writes "one page", Italian "una
# pagina": words that are articles too, never read as numbers; the 1 counts only as a counterpart,
# as 一 alone does (above).

# Latin letters (a name) directly followed by digits, the digits not followed by a letter, a
# digit or a decimal point that goes on: "Windows10であれば", "ISO8601形式".
_GLUED = re.compile(r"(?<=[A-Za-z])(\d+(?:\.\d+)?)(?![0-9A-Za-z]|\.\d)")
# Radix words: 16進 / 16進数 / 16進法 (ja), 16进制 / 十六进制 (zh). A number read whole from
# its first digit only (from each digit to the run's end: 8,000 digits 0.05 s, quadratic).
_RADIX = re.compile(r"((?<!\d)\d++|(?<![〇一二三四五六七八九十])[〇一二三四五六七八九十]++)(?=進|进制)")
# A lone digit 1: not part of a longer number, a decimal or a name ("1ページ", "第1章").
_ONE = re.compile(r"(?<![\d.,A-Za-z])1(?![\d.,A-Za-z])")


def _digits(run: str) -> str:
    """A run of decimal digits of any script as ASCII digits without leading zeros: what
    `str(int(run))` gives, for any length (int() refuses more than 4,300 digits)."""
    return "".join(str(unicodedata.decimal(c)) for c in run).lstrip("0") or "0"


def soft_cjk_numbers(text: str) -> tuple[list[tuple[str, str]], str]:
    """(value, surface) of each glued, radix or lone-1 number in `text`, and `text` with the
    radix numbers and lone 1s masked (so that they are not read again as quantities)."""
    found: list[tuple[str, str]] = []
    for m in _GLUED.finditer(text):
        found.append((m.group(1).rstrip("0").rstrip(".") if "." in m.group(1) else
                      _digits(m.group(1)), m.group(1)))

    def radix(m: re.Match) -> str:
        run = m.group(1)
        if run.isdigit() or len(run) <= _LONGEST:
            found.append((_digits(run) if run.isdigit() else str(_value(run)), run))
        return "§"

    def one(m: re.Match) -> str:
        found.append(("1", "1"))
        return "§"

    return found, _ONE.sub(one, _RADIX.sub(radix, text))
