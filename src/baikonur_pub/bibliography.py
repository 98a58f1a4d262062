"""One bibliography for every edition: CSL-YAML whose fields may vary by language.

A field whose value is a mapping keyed by language codes (`title: {it: …, en: …}`) is resolved
to that language's value before citeproc sees it, so each edition's reference list is written
in its own language from the same entries.

CSL-JSON is read as it is; BibLaTeX (`.bib`) and BibTeX (`.bibtex`), what most authors keep,
are turned into CSL by pandoc's own readers (as citeproc reads them, in the sandbox: a field's
`\\input{…}` reads nothing), and each entry is located at its `@type{key,` line.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .config import LANGUAGE_CODE, Publication
from .errors import CitationError, RenderError
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
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data, lines = json.loads(read_text(path, CitationError, shown)), {}
        except json.JSONDecodeError as exc:
            raise CitationError(f"invalid CSL-JSON: {exc.msg}", shown, exc.lineno) from None
    elif suffix in BIBTEX_READERS:
        data, lines = _from_bibtex(read_text(path, CitationError, shown), BIBTEX_READERS[suffix],
                                   shown)
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


# Pandoc's reader for each suffix, as pandoc's citeproc chooses them.
BIBTEX_READERS = {".bib": "biblatex", ".bibtex": "bibtex"}
# An entry's start: `@article{key,` (or `@book(key,`); @string, @preamble and @comment are none.
_ENTRY = re.compile(r"^[ \t]*@[ \t]*(?!(?:string|preamble|comment)\b)[A-Za-z]+[ \t]*[{(][ \t]*([^,\s]+)[ \t]*,",
                    re.MULTILINE | re.IGNORECASE)


def _from_bibtex(text: str, reader: str, shown: str) -> tuple[list, dict]:
    """The entries of a BibLaTeX or BibTeX file as CSL, and the line of each one's `id`."""
    expanded, line = _expanded_size(text)
    if expanded > 2 * len(text) + 2**20:
        # @string macros defined from each other double at each step: 21 steps made 32 MB of
        # title out of 1 KB, which pandoc read for minutes in 3.6 GB (as YAML's aliases would,
        # which the YAML reader bounds too).
        raise CitationError(f"its @string macros expand the fields to {expanded >> 20} MB, "
                            "far more than the file holds", shown, line)
    try:
        csl = _csl_of(text, reader)
    except RenderError as exc:
        found = re.search(r"\(line (\d+), column \d+\):?\s*(.*)", exc.message)
        what, line = (found.group(2), int(found.group(1))) if found else (exc.message, None)
        heads = [head.start() for head in _HEAD.finditer(text)]
        if what == "unexpected end of input" and heads:  # the entry left open, not the end
            what, line = "this entry is never closed", text.count("\n", 0, heads[-1]) + 1
        raise CitationError(f"invalid {'BibTeX' if reader == 'bibtex' else 'BibLaTeX'}: {what}",
                            shown, line) from None
    entries = json.loads(csl)
    starts: dict[str, list[int]] = {}
    line, counted = 1, 0
    for match in _ENTRY.finditer(text):
        line, counted = line + text.count("\n", counted, match.start()), match.start()
        starts.setdefault(match.group(1), []).append(line)
    lines = {}
    for i, entry in enumerate(entries):
        at = starts.get(str(entry.get("id")), [])
        if at:
            lines[(i,)] = lines[(i, "id")] = at.pop(0)
    return entries, lines


# What `_expanded_size` reads of BibTeX: an entry's head, its key, a field's name, one part
# of a value (a "…" or {…} text, a number or a macro's name), `#` joining parts, `,` fields.
_HEAD = re.compile(r"@\s*(\w+)\s*[{(]")
# (possessive: `\s*[^,\s{}()]*\s*,` split a run of spaces after `@article{` every way
# between its two `\s*`, 16,000 spaces 1.4 s)
_KEY = re.compile(r"\s*+[^,\s{}()]*+\s*+,")
_NAME = re.compile(r"\s*([^\s=,{}()\"#]+)\s*=")
_PART = re.compile(r'\s*(?:(")|(\{)|(\d+)|([^\s"#%\'(),={}]+))')
_HASH, _COMMA, _MARKS = re.compile(r"\s*#"), re.compile(r"\s*,"), re.compile(r'[{}"]')


def _expanded_size(text: str) -> tuple[int, int]:
    """How many characters the fields hold once @string macros are expanded (sizes added up,
    nothing expanded), and the line of the largest value. What this scan cannot follow is left
    to pandoc's reader, which locates the fault; an `@` inside a value can only add a little."""
    macros: dict[str, int] = {}
    total, worst, worst_at = 0, 0, 0
    for head in _HEAD.finditer(text):
        kind, at = head.group(1).lower(), head.end()
        if kind == "comment":
            continue
        if kind not in ("string", "preamble"):
            if (key := _KEY.match(text, at)) is None:
                continue
            at = key.end()
        while True:
            name = None
            if kind != "preamble":
                if (name := _NAME.match(text, at)) is None:
                    break
                at = name.end()
            start = at
            size, at = _value_size(text, at, macros)
            if kind == "string":
                macros[name.group(1).lower()] = size
            total += size
            if size > worst:
                worst, worst_at = size, start
            if kind == "preamble" or (comma := _COMMA.match(text, at)) is None:
                break
            at = comma.end()
    return total, text.count("\n", 0, worst_at) + 1


def _value_size(text: str, at: int, macros: dict[str, int]) -> tuple[int, int]:
    """The size of the value at `at` (its parts joined by `#`, a macro by its size), and its end."""
    size = 0
    while (part := _PART.match(text, at)) is not None:
        quote, brace, number, name = part.groups()
        at = part.end()
        if quote or brace:
            end = _delimited(text, at, quote or brace)
            size, at = size + end - at, end
        else:
            size += len(number) if number else macros.get(name.lower(), len(name))
        if (joined := _HASH.match(text, at)) is None:
            break
        at = joined.end()
    return size, at


def _delimited(text: str, at: int, mark: str) -> int:
    """Where a `"…"` or `{…}` value opened just before `at` ends (braces balance inside)."""
    depth = 0
    for found in _MARKS.finditer(text, at):
        char, i = found.group(), found.start()
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0 and mark == "{":
                return i + 1
            depth -= 1
        elif char == '"' and mark == '"' and depth == 0:
            return i + 1
    return len(text)


@functools.lru_cache(maxsize=4)
def _csl_of(text: str, reader: str) -> str:
    """Pandoc's CSL-JSON for a BibLaTeX/BibTeX text (once per process: the build, the
    cross-check and the reference languages all load the bibliography)."""
    from .pandoc import Pandoc

    out, _ = Pandoc(Pandoc.find(), ()).run([f"--from={reader}", "--to=csljson"], text,
                                           what="bibliography")
    return out.decode("utf-8")


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


def csl_problem(path: Path) -> str | None:
    """Why citeproc may not use this CSL file, or None. A dependent style names a parent that
    pandoc would fetch from the network; the file is parsed with no entities and no network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        return f"the CSL style is not well-formed XML: {getattr(exc, 'msg', exc)}"
    if root.getroottree().docinfo.internalDTD is not None:
        return "the CSL style may not declare a DOCTYPE or entities"
    for link in root.iter("{http://purl.org/net/xbiblio/csl}link"):
        if link.get("rel") == "independent-parent":
            return ("the CSL style is a dependent style: pandoc would fetch its parent from the "
                    "network; use the independent (parent) style file instead")
    return None
