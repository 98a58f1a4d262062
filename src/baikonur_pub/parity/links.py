"""Link targets as they compare across languages.

A URL compares after normalising what does not change where it leads (RFC 3986 §6 plus common
web practice): scheme http/https, host case, a leading `www.`, default ports, percent-escapes of
characters that need none, a trailing slash, an empty query or fragment. An in-document anchor
(`#le-basi`) compares by the heading it resolves to, so a translated table of contents, whose
anchors are the translated headings' slugs, agrees with the original.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from babel.core import parse_locale

_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}


_LANG_DIRS = {"lang", "language", "languages", "locale", "locales", "i18n", "l10n", "intl"}
_LANG_QUERY = re.compile(r"(?:^|&)(?:lang|language|locale|hl|uselang)=[\w-]+", re.IGNORECASE)


@functools.lru_cache(maxsize=64)  # asked once per URL compared: the answer per language pair
def _codes(langs: str) -> frozenset[str]:
    """The names of the languages compared as URLs spell them: `fr-CA`, `fr`, and the ISO 639-2
    codes Babel knows for it (`fra`, `fre`: `doc-fra.aspx` on Canada's sites)."""
    from babel.core import get_global

    codes = {c.lower() for lang in langs.split() for c in (lang, lang.split("-")[0])}
    return frozenset(codes | {alias for alias, code in get_global("language_aliases").items()
                              if code in codes and len(alias) == 3})


_TOKEN = re.compile(r"([-_.])")


@functools.lru_cache(maxsize=1)
def _scripts() -> frozenset[str]:
    from babel import Locale

    return frozenset(Locale("en").scripts)


def _names_language(token: str, codes: frozenset[str]) -> bool:
    """`token` is one of `codes` in any case, alone or tagged with a script or region as a
    locale writes it (`en-US`, `fr_fr`, `zh-Hant-TW`: Babel parses the tag)."""
    if token.lower() in codes:
        return True
    if "-" not in token and "_" not in token:
        return False
    try:
        lang, _, script, variant = parse_locale(token, "-" if "-" in token else "_")
    except ValueError:
        return False
    return lang in codes and variant is None and (script is None or script in _scripts())


def _language_words(words: list[str], separators: list[str], codes: frozenset[str]) -> set[int]:
    """Indexes of the words of a file name that name a language (`report_it.pdf`), and of the
    region that tags one (`guide_en-GB.pdf`)."""
    out = set()
    for i, word in enumerate(words):
        if i in out or not _names_language(word, codes):
            continue
        out.add(i)
        if i + 1 < len(words) and _names_language(word + separators[i] + words[i + 1], codes):
            out.add(i + 1)
    return out


def _unlocalise(host: str, path: str, query: str, langs: str) -> tuple[str, str, str]:
    """Drop what names one of the languages compared (space-separated in `langs`), with or
    without its region: `fr.wikipedia.org`, `/lang/it/`, `/en-US/docs`, `doc-fra.aspx`,
    `?hl=es`. A translation that links to the translated page links to the same place."""
    codes = _codes(langs)
    labels = host.split(".")
    if len(labels) > 2 and _names_language(labels[0], codes):
        host = ".".join(labels[1:])
    kept = []
    for segment in path.split("/"):
        if _names_language(segment, codes):
            if kept and kept[-1].lower() in _LANG_DIRS:
                kept.pop()
            continue
        pieces = _TOKEN.split(segment)  # words, and between them their separators
        words, separators = pieces[0::2], pieces[1::2]
        drop = _language_words(words, separators, codes)
        if drop and len(drop) < len(words):
            out: list[str] = []
            for i, word in enumerate(words):
                if i not in drop:
                    out += [separators[i - 1], word] if out else [word]
            segment = "".join(out)
        kept.append(segment)
    return host, "/".join(kept), _LANG_QUERY.sub("", query).lstrip("&")


def normalise_url(url: str, lang: str = "") -> str:
    """The URL in a canonical spelling (and, given the document's language, without the parts
    that name that language); anything unparsable is returned stripped."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "ftp", ""):
        return url if scheme != "mailto" else url.lower()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    path, query = parts.path, parts.query
    if lang:
        host, path, query = _unlocalise(host, path, query, lang)
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = quote(unquote(path), safe="/:@!$&'()*+,;=~-._")
    if path.endswith("/"):
        path = path.rstrip("/")
    query = quote(unquote(query), safe="=&/:@!$'()*+,;~-._?")
    fragment = unquote(parts.fragment)
    scheme = "https" if scheme == "http" else scheme
    if not scheme and not netloc:  # a relative path: no scheme to add
        return urlunsplit(("", "", path, query, fragment))
    return urlunsplit((scheme, netloc, path, query, fragment))


def page_of(url: str) -> str:
    """What a link leaving the document compares by (a normalised URL): its page. Its fragment
    names a section in the page's own language (`…/methods.html#方法` and `#methods`: every
    link into a translated site differed), and a page written as its source (`x.md`) is the
    one a site serves (`x.html`)."""
    page = url.split("#", 1)[0]
    parts = urlsplit(page)
    if not parts.scheme and not parts.netloc:
        page = re.sub(r"\.(?:md|markdown|html?)$", "", page, flags=re.IGNORECASE)
    return page or url


def is_anchor(target: str) -> bool:
    return target.startswith("#") and len(target) > 1


def slugs(title: str, ident: str) -> set[str]:
    """Every anchor a heading answers to: its ID, GitHub's slug and pandoc's."""
    out = {ident.lower()} if ident else set()
    low = title.lower().strip()
    github = re.sub(r"[^\w\- ]", "", low, flags=re.UNICODE).replace(" ", "-")
    out.add(github)
    out.add(re.sub(r"-+", "-", github).strip("-"))
    ascii_ = unicodedata.normalize("NFKD", low).encode("ascii", "ignore").decode()
    out.add(re.sub(r"[^a-z0-9_.\- ]", "", ascii_).strip().replace(" ", "-"))
    out.discard("")
    return out


def anchor_key(target: str) -> str:
    return unquote(target[1:]).strip().lower()


def own_anchor(target: str, files: set[str]) -> str:
    """`#fragment` for a link to one of `files` itself with a fragment (a README that links to
    its own sections through its address on the forge), else `target` unchanged."""
    if "#" not in target or target.startswith("#"):
        return target
    where, fragment = target.split("#", 1)
    name = urlsplit(where).path.rsplit("/", 1)[-1]
    if name and fragment and any(f.replace("\\", "/").rsplit("/", 1)[-1] == name for f in files):
        return "#" + fragment
    return target
