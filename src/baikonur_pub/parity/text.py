"""Is a block the same text in both languages, and is that expected?

A block is untranslated when its lower-case words (names, numbers and citations set aside) are
the same in both languages. Some blocks are the same by nature: a language selector, a line of
badges, a list of links or names. They are made mostly of link text, capitalised names or
language names (each language's own name for itself, from CLDR via Babel).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .units import Unit

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_WORDS = 4  # fewer common words than this say too little to call a block untranslated
_COMMON = ("ar bg bn ca cs da de el en eo es et eu fa fi fr ga gl he hi hr hu hy id is it ja ka kk "
           "ko lt lv mk ml mn mr ms nb ne nl pa pl pt ro ru sk sl sq sr sv sw ta te th tl tr uk ur "
           "uz vi zh").split()


def common_words(text: str) -> tuple[str, ...]:
    """Lower-case words of cased scripts: what is left once names and numbers are set aside."""
    return tuple(w.lower() for w in _WORD.findall(text) if w[0].islower())


def same_text(a: Unit, b: Unit) -> bool:
    words = common_words(b.text)
    return len(words) >= MIN_WORDS and words == common_words(a.text)


@lru_cache(maxsize=1)
def language_names() -> frozenset[str]:
    """Every language's name for itself and in English, lower-cased, as single words."""
    from babel import Locale, localedata

    names = set()
    for code in _COMMON:
        if not localedata.exists(code):
            continue
        try:
            locale = Locale.parse(code)
        except Exception:  # a locale Babel lists but cannot load
            continue
        for name in (locale.get_display_name(code), locale.get_display_name("en")):
            if name:
                names.update(w.lower() for w in _WORD.findall(name))
    return frozenset(names)


def same_by_nature(u: Unit) -> bool:
    """Mostly links, names or language names: expected to read the same in every language."""
    text = u.text
    if not text:
        return True
    if u.linked >= 0.5 * len(text):
        return True
    words = _WORD.findall(text)
    names = language_names()
    plain = [w for w in words if w[0].islower() and w.lower() not in names]
    return len(plain) < MIN_WORDS or len(plain) <= 0.3 * len(words)
