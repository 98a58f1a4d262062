"""One bibliography for every edition: CSL-YAML whose fields may vary by language.

A field whose value is a mapping keyed by language codes (`title: {it: …, en: …}`) is resolved
to that language's value before citeproc sees it, so each edition's reference list is written
in its own language from the same entries.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .config import LANGUAGE_CODE, Publication
from .errors import CitationError
from .sources import Lines, line_of, load_yaml, read_text


@dataclass(frozen=True)
class Bibliography:
    path: Path
    shown: str
    entries: tuple[dict, ...]
    lines: Lines

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(e["id"] for e in self.entries)

    def for_language(self, code: str, codes: tuple[str, ...]) -> list[dict]:
        """Entries with per-language fields resolved to `code` and dates as CSL date strings."""
        return [_resolve(entry, code, self, i) for i, entry in enumerate(self.entries)]

    def dump_for_language(self, code: str, codes: tuple[str, ...]) -> str:
        """CSL-YAML text for citeproc."""
        return yaml.safe_dump({"references": self.for_language(code, codes)},
                              allow_unicode=True, sort_keys=False)


def load(pub: Publication) -> Bibliography | None:
    if pub.bibliography is None:
        return None
    path, shown = pub.bibliography, pub.shown(pub.bibliography)
    if path.suffix.lower() == ".json":
        try:
            data, lines = json.loads(read_text(path, CitationError, shown)), {}
        except json.JSONDecodeError as exc:
            raise CitationError(f"invalid CSL-JSON: {exc.msg}", shown, exc.lineno) from None
    else:
        data, lines = load_yaml(path, shown)
    entries = data.get("references") if isinstance(data, dict) else data
    key = ("references",) if isinstance(data, dict) else ()
    if not isinstance(entries, list):
        raise CitationError("expected a list of entries under 'references'", shown, 1)
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        line = line_of(lines, *key, i)
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise CitationError("every entry needs an 'id'", shown, line)
        if entry["id"] in seen:
            raise CitationError(f"duplicate entry id '{entry['id']}' (first at line {seen[entry['id']]})",
                                shown, line)
        seen[entry["id"]] = line or 0
    return Bibliography(path, shown, tuple(entries), {k[len(key):]: v for k, v in lines.items()
                                                      if k[:len(key)] == key})


# The keys of CSL's own mappings (dates); every other mapping keyed by language codes is per
# language, even when it lacks one of this publication's languages or has others (a shared
# bibliography): it once went to citeproc as it was, which left the field out without a word.
_CSL_KEYS = {"date-parts", "literal", "raw", "season", "circa", "edtf"}


def _by_language(value: Any) -> bool:
    return (isinstance(value, dict) and bool(value) and not set(value) & _CSL_KEYS
            and all(isinstance(k, str) and LANGUAGE_CODE.match(k) for k in value))


def _resolve(entry: dict, code: str, bib: Bibliography, index: int) -> dict:
    out: dict[str, Any] = {}
    for name, value in entry.items():
        if _by_language(value):
            if code not in value:
                raise CitationError(f"entry '{entry['id']}': field '{name}' has no value for "
                                    f"language '{code}'", bib.shown, line_of(bib.lines, index, name))
            value = value[code]
        out[name] = _csl_value(value)
    return out


def _csl_value(value: Any) -> Any:
    """YAML gives ints and dates; CSL-YAML dates are EDTF strings."""
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list):
        return [_csl_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _csl_value(v) for k, v in value.items()}
    return value
