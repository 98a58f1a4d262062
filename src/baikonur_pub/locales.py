"""Language tags as Babel reads them, and the locale a bare language code stands for."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def babel_locale(tag: str) -> str:
    """A BCP 47 tag (`pt-BR`) as Babel spells it (`pt_BR`)."""
    return tag.replace("-", "_")


def likely_locale(code: str) -> str | None:
    """The BCP 47 locale CLDR's likely subtags give a language code (`it` → `it-IT`, `zh` →
    `zh-CN`, `pt-BR` as it is), or None for a code Babel does not know."""
    from babel.core import get_global

    try:
        locale = Locale.parse(babel_locale(code))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    territory = locale.territory
    if territory is None:  # CLDR's likely subtags: it → it_Latn_IT
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = next((p for p in likely.split("_")[1:] if p.isupper() and len(p) == 2), None)
    return f"{locale.language}-{territory}" if territory else locale.language
