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
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..sources import line_of, load_yaml


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


def _pattern(forms: tuple[str, ...]) -> re.Pattern:
    parts = []
    for form in forms:
        stem = re.escape(form.rstrip("*")).replace(r"\ ", r"\s+")
        parts.append(stem + (r"[\w’'-]*" if form.endswith("*") else ""))
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", re.IGNORECASE)


def make(entries: list[dict[str, list[str]]]) -> Glossary:
    terms = []
    for entry in entries:
        forms = {code: tuple(v) for code, v in entry.items()}
        terms.append(Term(forms, {code: _pattern(v) for code, v in forms.items()}))
    return Glossary(tuple(terms))


def load(path: Path, shown: str) -> Glossary:
    """Read a glossary file; a malformed entry is a ConfigError at its line."""
    data, lines = load_yaml(path, shown)
    entries = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError("expected a list of term entries under 'terms'", shown, 1)
    clean = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or len(entry) < 2:
            raise ConfigError("a term entry maps two or more language codes to their forms",
                              shown, line_of(lines, "terms", i))
        forms = {}
        for code, value in entry.items():
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not value or not all(
                    isinstance(v, str) and v.strip("* ") for v in value):
                raise ConfigError(f"forms of '{code}' must be text or a list of text", shown,
                                  line_of(lines, "terms", i, code))
            forms[str(code)] = value
        clean.append(forms)
    return make(clean)
