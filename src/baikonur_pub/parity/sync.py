"""Sync marks: which version of each primary section a translation was last checked against.

`check --mark-synced` stores a hash of each primary section's normalised content (its text,
heading, citations, links and block counts; not its Markdown spelling) per translation language
in `manuscript/parity-sync.lock`. When the primary section later changes, its translations are
reported as stale-translation until they are marked again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..errors import ConfigError
from ..writing import write_atomic
from .findings import Finding
from .outline import Section

LOCK_NAME = "parity-sync.lock"


def fingerprint(s: Section) -> str:
    content = [s.level, s.units, sorted(s.cites), sorted(s.links),
               sorted((k, str(v)) for k, v in s.counts.items())]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


def read(path: Path, shown: str) -> dict[str, dict[str, str]]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        synced = data["synced"]
        assert isinstance(synced, dict) and all(isinstance(v, dict) for v in synced.values())
        return synced
    except (ValueError, KeyError, TypeError, AssertionError):
        raise ConfigError("unreadable sync file: delete it and mark the sections again", shown, 1) from None


def write(path: Path, primary: str, synced: dict[str, dict[str, str]]) -> None:
    data = {"version": 1, "primary": primary,
            "synced": {lang: dict(sorted(marks.items())) for lang, marks in sorted(synced.items())}}
    # Whole or not at all: half a file would be "unreadable", and every mark lost.
    write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def mark(synced: dict, primary: list[Section], langs: list[str], only: set[str]) -> list[str]:
    """Record the current fingerprint of `only` (default: every section with an ID)."""
    keys = {s.key for s in primary if s.explicit}
    unknown = sorted(only - keys)
    if unknown:
        raise ConfigError(f"no section with ID '{unknown[0]}' in the primary language")
    marked = []
    for s in primary:
        if s.explicit and (not only or s.key in only):
            for lang in langs:
                synced.setdefault(lang, {})[s.key] = fingerprint(s)
            marked.append(s.key)
    return marked


def stale(synced: dict, pairs, src_lang: str, tgt_lang: str) -> list[Finding]:
    marks = synced.get(tgt_lang, {})
    out = []
    for s, t in pairs:
        if s is None or t is None or s.key not in marks or marks[s.key] == fingerprint(s):
            continue
        out.append(Finding("stale-translation", tgt_lang, t.file, t.line, s.name,
                           f"{s.name}: section in {src_lang} ({s.file}:{s.line}) changed since "
                           f"{tgt_lang} was marked in sync; update the translation, then run "
                           f"check --mark-synced --section {s.key}"))
    return out
