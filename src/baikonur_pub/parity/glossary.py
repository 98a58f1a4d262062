"""The glossary: terms that must travel together between languages.

Each entry maps language codes to the forms that count as the term in that language. A form is
matched as whole words, case-insensitively; a trailing `*` accepts any ending, which covers
inflections ("kazak*" finds kazako, kazaka, kazaki). The first form labels the term in messages.

```yaml
terms:
  - it: [Mosca]
    en: [Moscow]
  - it: [Kazakistan, kazak*]
    en: [Kazakhstan, Kazakh*]
```
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from ..schema import ListOf, MapOf, Option, Record, Words, validate
from ..sources import load_yaml


@dataclass(frozen=True)
class Term:
    forms: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern]

    def find(self, lang: str, text: str) -> str:
        """The first form of the term in `text` as written there, or ''."""
        match = self.patterns[lang].search(text)
        return match.group(0) if match else ""

    def label(self, lang: str) -> str:
        return self.forms[lang][0].rstrip("*")


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]

    def scan(self, lang: str, text: str) -> dict[int, str]:
        """Index of every term present in `text` → its first form as written there.

        Words are looked up in a set (a sorted list for `*` prefixes) before any regular
        expression runs, which keeps a long glossary cheap on a long manuscript."""
        low = text.lower()
        words = set(_TOKEN.findall(low))
        ordered = sorted(words)
        found: dict[int, str] = {}
        for i, term in enumerate(self.terms):
            forms = term.forms.get(lang)
            if forms and any(_maybe(f.lower(), words, ordered, low) for f in forms):
                written = term.find(lang, text)
                if written:
                    found[i] = written
        return found


_TOKEN = re.compile(r"\w+")


def _maybe(form: str, words: set[str], ordered: list[str], low: str) -> bool:
    stem = form.rstrip("*")
    if not _TOKEN.fullmatch(stem):  # several words, or punctuation: a substring test first
        return stem.split()[0] in low
    if form.endswith("*"):
        j = bisect_left(ordered, stem)
        return j < len(ordered) and ordered[j].startswith(stem)
    return stem in words


def _pattern(forms: tuple[str, ...]) -> re.Pattern:
    parts = []
    for form in forms:
        stem = re.escape(form.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"[\w’'-]*" if form.endswith("*") else ""))
    return re.compile(r"\b(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


def make(entries: list[dict[str, list[str]]]) -> Glossary:
    terms = []
    for entry in entries:
        forms = {code: tuple(v) for code, v in entry.items()}
        terms.append(Term(forms, {code: _pattern(v) for code, v in forms.items()}))
    return Glossary(tuple(terms))


SCHEMA = Record({
    "terms": Option(ListOf(MapOf(Words(nonempty=True), key_name="lang", min=2,
                                 why="a term entry maps two or more language codes to their forms"),
                           why="expected a list of term entries under 'terms'"),
                    "Term entries: each maps language codes to the forms that count as the term "
                    "(whole words, any case; a trailing `*` accepts any ending).", required=True,
                    missing="expected a list of term entries under 'terms'"),
}, why="expected a list of term entries under 'terms'")


def load(path: Path, shown: str) -> Glossary:
    """Read a glossary file; every malformed entry is reported at its line."""
    data, lines = load_yaml(path, shown)
    return make([{code: list(forms) for code, forms in entry.items()}
                 for entry in validate(SCHEMA, data, shown, lines)["terms"]])
