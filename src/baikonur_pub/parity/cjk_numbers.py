"""Digits in Chinese and Japanese text that are part of a name or a word (`numbers.extract`).

Chinese and Japanese set no space between a Latin name and its number ("Windows10", "ISO8601",
"Python3"): where the other language writes "Windows 10", the 10 is the same quantity, so the
glued digits count as its counterpart — softly, never a finding alone, as "A320" is a name.
Radix words ("16進数" hexadecimal, "2进制" binary, "十六进制") are vocabulary, not quantities:
the other language writes "hex" or "binary"; they too count only as a counterpart ("base 16").
A lone 1 with its counter ("1ページ", "1个") is what English writes "one page", Italian "una
pagina": words that are articles too, never read as numbers; the 1 counts only as a counterpart,
as 一 alone does (`numerals`).
"""

from __future__ import annotations

import re

# Latin letters (a name) directly followed by digits, the digits not followed by a letter, a
# digit or a decimal point that goes on: "Windows10であれば", "ISO8601形式".
_GLUED = re.compile(r"(?<=[A-Za-z])(\d+(?:\.\d+)?)(?![0-9A-Za-z]|\.\d)")
# Radix words: 16進 / 16進数 / 16進法 (ja), 16进制 / 十六进制 (zh).
_RADIX = re.compile(r"(\d+|[〇一二三四五六七八九十]+)(?=進|进制)")
# A lone digit 1: not part of a longer number, a decimal or a name ("1ページ", "第1章").
_ONE = re.compile(r"(?<![\d.,A-Za-z])1(?![\d.,A-Za-z])")
_HAN = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _han_value(run: str) -> int:
    if "十" not in run:
        return int("".join(str(_HAN[c]) for c in run))
    tens, _, ones = run.partition("十")
    return (_HAN[tens] if tens else 1) * 10 + (_HAN[ones] if ones else 0)


def soft_cjk_numbers(text: str) -> tuple[list[tuple[str, str]], str]:
    """(value, surface) of each glued, radix or lone-1 number in `text`, and `text` with the
    radix numbers and lone 1s masked (so that they are not read again as quantities)."""
    found: list[tuple[str, str]] = []
    for m in _GLUED.finditer(text):
        found.append((m.group(1).rstrip("0").rstrip(".") if "." in m.group(1) else
                      str(int(m.group(1))), m.group(1)))

    def radix(m: re.Match) -> str:
        run = m.group(1)
        found.append((str(int(run) if run.isdigit() else _han_value(run)), run))
        return "§"

    def one(m: re.Match) -> str:
        found.append(("1", "1"))
        return "§"

    return found, _ONE.sub(one, _RADIX.sub(radix, text))
