"""Citation and cross-reference keys in messages: shown whole or cut, and what an author meant
by one that leads nowhere, where pandoc read the text after it into the key (a script
written without spaces) or took an `@` for a citation."""

from __future__ import annotations

import re

from .ast import walk

# Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar,
# and CJK punctuation): pandoc reads every letter after `@` into the key, so `@fig-map中所示`
# asks for a figure `fig-map中所示`, where a Chinese author wrote `@fig-map` and 中所示.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3000-\u30ff\u31f0-\u31ff"
                       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                       "\U00020000-\U0003134f]")


def shown(text: str, most: int = 60) -> str:
    """A key (or the text after one) as a message shows it: a key may be a whole paragraph of
    a script written without spaces."""
    return text if len(text) <= most else text[:most] + "…"


def unspaced_hint(key: str, known=None) -> str:
    """What to write instead, when pandoc read the text after a key into it: split after the
    longest of the `known` keys followed by such text (with none given, before the first
    character of a script written without spaces)."""
    if known is None:
        cut = _UNSPACED.search(key)
        split = (key[:cut.start()], key[cut.start():]) if cut and cut.start() else None
    else:
        split = split_unspaced(key, known)
    return "" if split is None else (f" (pandoc read the text after @{split[0]} into the key: "
                                     f"write [@{split[0]}]{shown(split[1], 12)})")


_STRANDED = re.compile(r"(?<=[^\W\d_])@([\w:.#$%&+?<>~/-]*\w)")


def stranded(ast: dict, known) -> list[str]:
    """Each `@key` of a known key (a citation or cross-reference) that pandoc left as text
    because a letter comes right before it: `如@fig-map中所示` (Chinese puts no space there)
    is the text “如@fig-map中所示”, no reference at all. Only known keys: `ada@example.org`
    is an address."""
    found = []
    for node in walk(ast["blocks"]):
        if node.get("t") == "Str" and "@" in node["c"]:
            for match in _STRANDED.finditer(node["c"]):
                key = match.group(1)
                split = split_unspaced(key, known)
                key = key if key in known else split[0] if split else None
                if key is not None and key not in found:
                    found.append(key)
    return found


def citation_hint(key: str, known, why: str = "") -> str:
    """What an author who cited nothing meant: a key that took in text after it, else an `@`
    written for itself (`[@scope/package](…)`, a package named in a link, is a citation to
    pandoc). `why`: said first, inside the same parentheses."""
    return unspaced_hint(key, known) or f" ({why + '; ' if why else ''}write \\@ for an @ that " \
        "cites nothing)"


def split_unspaced(key: str, known) -> tuple[str, str] | None:
    """(`@fig-map`'s key, `中所示`) when `key` is a known key followed by text of a script
    written without spaces: the longest such known key, or None. Each known key is tried as
    a prefix (not each place in `key`: a run of 200,000 Chinese characters after an `@` is one
    key, and slicing it at every character took minutes)."""
    best = max((k for k in known if len(k) < len(key) and key.startswith(k)
                and _UNSPACED.match(key, len(k))), key=len, default=None)
    return None if best is None else (best, key[len(best):])
