"""Chinese and Japanese numerals as numbers (`numbers.extract` for zh and ja)."""

from __future__ import annotations

import re


# Chinese and Japanese numerals (第九章, 三千五百万, 二〇二四): text2num reads neither. They
# are counterparts only (`soft`, in `numbers`): the characters also make words (万一 "in case", 千万 "by
# all means"), so one is never a finding of its own; and 一 alone, in most words, is none
# (as a number it was evidence against paragraphs that pair: 每一个 against "anyone").
_HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}
_HAN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_HAN_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_HAN_RUN = re.compile("[" + "".join([*_HAN_DIGITS, *_HAN_UNITS, *_HAN_LARGE]) + "]+")


def han_numerals(text: str) -> list[tuple[int, str]]:
    """(value, the numeral as written) of each numeral in `text`."""
    out = []
    for match in _HAN_RUN.finditer(text):
        run = match.group(0)
        if run == "一" or not any(c in _HAN_DIGITS or c in _HAN_UNITS for c in run):
            continue  # 一 alone is mostly a word's (每一个 "each", 一样 "same"), 万 alone too
        if all(c in _HAN_DIGITS for c in run) and len(run) > 1:  # 二〇二四: digit by digit
            value = int("".join(str(_HAN_DIGITS[c]) for c in run))
        else:
            total = section = digit = 0
            for c in run:
                if c in _HAN_DIGITS:
                    digit = _HAN_DIGITS[c]
                elif c in _HAN_UNITS:
                    section, digit = section + (digit or 1) * _HAN_UNITS[c], 0
                else:
                    total, section, digit = (total + section + digit) * _HAN_LARGE[c], 0, 0
            value = total + section + digit
        out.append((value, run))
    return out
