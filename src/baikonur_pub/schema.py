"""One schema mechanism for every YAML input (publication.yaml, the styles' YAML, waivers, glossary).

In the spirit of MkDocs' `config_options`: each option states once its kind (type and validator),
its default and its doc. `validate` walks a loaded YAML value against a kind and collects every
problem with the line of the key it concerns, then raises them all together; the README's tables
are made from the same docs (`markdown_table`, kept in step by a test and by
`python -m baikonur_pub.schema README.md`).

A kind is a small object with `check(value, at) -> value` (INVALID when it reported a problem) and
`shape` (a few words for the docs). Files and other context-bound checks are `Custom` kinds whose
function receives the value and the `At` (which carries the caller's context).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .errors import ConfigError, raise_all
from .sources import Lines, line_of

INVALID = object()  # a value that was reported; the option's default stands in for it


@dataclass
class _Run:
    shown: str
    lines: Lines
    context: Any
    problems: list = field(default_factory=list)


@dataclass(frozen=True)
class At:
    """Where a value sits (its key path), so a problem can name its line."""

    run: _Run
    path: tuple = ()
    lead: bool = False  # its problems come first (a bad key is often the cause of the rest)

    def __truediv__(self, key) -> "At":
        return At(self.run, (*self.path, key), self.lead)

    @property
    def context(self) -> Any:
        return self.run.context

    @property
    def line(self) -> int | None:
        return line_of(self.run.lines, *self.path)

    def problem(self, message: str, first: bool = False) -> object:
        """Record a problem here; `first` ones (unknown keys, often the cause of the rest) lead."""
        self.run.problems.append((0 if first or self.lead else 1, self.line or 0, message))
        return INVALID

    @property
    def name(self) -> str:
        return str(self.path[-1]) if self.path else ""


class Kind:
    shape = "value"

    def check(self, value: Any, at: At) -> Any:
        return value


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Text(Kind):
    """Text (a YAML number counts, as `2025` in a title would); `pattern` with its `hint`."""

    pattern: str | None = None
    hint: str = ""
    shape: str = "text"

    def check(self, value, at):
        if not _is_text(value):
            return at.problem(f"'{at.name}' must be text")
        text = str(value)
        if self.pattern and not re.fullmatch(self.pattern, text):
            return at.problem(self.hint.format(value=text, name=at.name))
        return text


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple
    what: str = ""
    label: str = ""  # the docs' words for a long list of values

    @property
    def shape(self) -> str:
        return self.label or "one of " + ", ".join(f"`{v}`" for v in self.values)

    def check(self, value, at):
        if value not in self.values and self.label:
            return at.problem(unknown(str(value), set(map(str, self.values)), noun=self.what))
        if value not in self.values:
            return at.problem(f"{self.what or at.name} must be one of "
                              f"{', '.join(map(str, self.values))}")
        return value


@dataclass(frozen=True)
class Number(Kind):
    unit: str = "a number"  # what the message says it must be: "a whole number from 1 to 9"
    shape: str = "number"
    whole: bool = False
    low: float | None = None
    high: float | None = None

    def check(self, value, at):
        if (not isinstance(value, (int, float)) or isinstance(value, bool)
                or (self.whole and not isinstance(value, int))
                or (self.low is not None and value < self.low)
                or (self.high is not None and value > self.high)):
            return at.problem(f"'{at.name}' must be {self.unit}")
        return value


@dataclass(frozen=True)
class Flag(Kind):
    shape: str = "true or false"

    def check(self, value, at):
        if not isinstance(value, bool):
            return at.problem(f"'{at.name}' must be true or false")
        return value


@dataclass(frozen=True)
class Date(Kind):
    low: dt.date = dt.date(1, 1, 1)
    high: dt.date = dt.date(9999, 12, 31)
    why: str = ""
    shape: str = "ISO date"

    def check(self, value, at):
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:  # quoted (`date: "2025-05-15"`), as YAML writers and JSON put it
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                return at.problem(f"'{at.name}' {value!r} is no date of the calendar")
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            return at.problem(f"'{at.name}' must be an ISO date like 2025-05-15, not {value!r}")
        if not self.low <= value <= self.high:
            return at.problem(f"'{at.name}' must lie between {self.low} and {self.high}{self.why}")
        return value


@dataclass(frozen=True)
class Words(Kind):
    """One text or a list of texts, as a tuple."""

    shape: str = "text or list of text"
    nonempty: bool = False

    def check(self, value, at):
        items = [value] if _is_text(value) else value
        if not isinstance(items, list) or not all(_is_text(v) for v in items) or (
                self.nonempty and (not items or not all(str(v).strip("* ") for v in items))):
            return at.problem(f"'{at.name}' must be text or a list of text")
        return tuple(str(v) for v in items)


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind
    min: int = 0
    why: str = ""
    max: int | None = None

    @property
    def shape(self) -> str:
        return f"list of {self.item.shape}"

    def check(self, value, at):
        if not isinstance(value, list) or len(value) < self.min or (
                self.max is not None and len(value) > self.max):
            return at.problem(self.why.format(name=at.name) or f"'{at.name}' must be a list")
        out = [self.item.check(v, at / i) for i, v in enumerate(value)]
        return tuple(v for v in out if v is not INVALID)


@dataclass(frozen=True)
class Option:
    kind: Kind
    doc: str
    default: Any = None
    required: bool = False
    missing: str = ""  # the message when a required option is absent, if not the usual one


@dataclass(frozen=True)
class Record(Kind):
    """A mapping with known keys, each an Option; the result is a dict keyed by the Python names
    (`short-title` → `short_title`), defaults filled in — or, `sparse`, only the keys given, as
    written (a style that sets `bold` and nothing else)."""

    options: dict[str, Option]
    where: str = ""  # ` in language '{name}'`: said of unknown keys; `{name}` is this mapping's key
    why: str = ""
    noun: str = "key"  # unknown key / unknown landmark / unknown style key
    sparse: bool = False
    shape: str = "mapping"

    def check(self, value, at):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            at.problem(self.why.format(name=at.name) or f"'{at.name}' must be a mapping")
            value = {}
        where = self.where.format(name=at.name)
        for key in value:
            if key not in self.options:
                (at / key).problem(unknown(str(key), set(self.options), where, self.noun),
                                   first=True)
        out = {}
        for key, option in self.options.items():
            raw = value.get(key)
            if raw is None and isinstance(option.kind, Record) and not option.required:
                raw = {}  # an absent group of options: its defaults
            name = key if self.sparse else key.replace("-", "_")
            if raw is None:
                if option.required:
                    at.problem(option.missing or f"missing required key '{key}'")
                if not self.sparse:
                    out[name] = option.default
                continue
            checked = option.kind.check(raw, at / key)
            if checked is not INVALID or not self.sparse:
                out[name] = option.default if checked is INVALID else checked
        return out


@dataclass(frozen=True)
class MapOf(Kind):
    """A mapping whose keys the author chooses (language codes, style names)."""

    item: Kind
    key: Kind | None = None
    key_name: str = "name"  # how the docs show a key: `languages.<code>.title`
    min: int = 0
    why: str = ""

    @property
    def shape(self) -> str:
        return f"mapping of <{self.key_name}> to {self.item.shape}"

    def check(self, value, at):
        if value is None:
            value = {}
        if not isinstance(value, dict) or len(value) < self.min:
            return at.problem(self.why.format(name=at.name) or f"'{at.name}' must be a mapping")
        out = {}
        for key, raw in value.items():
            if self.key is not None and self.key.check(key, At(at.run, (*at.path, key), True)) \
                    is INVALID:
                continue
            checked = self.item.check(raw, at / key)
            if checked is not INVALID:
                out[str(key)] = checked
        return out


@dataclass(frozen=True)
class Either(Kind):
    """The first kind whose shape fits (text, or a mapping of parts)."""

    kinds: tuple[Kind, ...]
    fits: tuple[Callable[[Any], bool], ...]

    @property
    def shape(self) -> str:
        return " or ".join(k.shape for k in self.kinds)

    def check(self, value, at):
        for kind, fits in zip(self.kinds, self.fits):
            if fits(value):
                return kind.check(value, at)
        return self.kinds[-1].check(value, at)


@dataclass(frozen=True)
class Custom(Kind):
    """A check that needs the caller's context (files, locales): `fn(value, at)`."""

    fn: Callable[[Any, At], Any]
    shape: str = "value"

    def check(self, value, at):
        return self.fn(value, at)


def unknown(key: str, known: set[str], where: str = "", noun: str = "key") -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known))}"
    return f"unknown {noun} '{key}'{where} ({hint})"


def validate(kind: Kind, data: Any, shown: str, lines: Lines, context: Any = None,
             then: Callable[[Any, At], None] | None = None) -> Any:
    """`data` checked against `kind`; `then(value, at)` adds the checks across options. Every
    problem, in file order (unknown keys first), is raised at once as ConfigError."""
    run = _Run(shown, lines, context)
    value = kind.check(data, At(run))
    if then is not None and value is not INVALID:
        then(value, At(run))
    run.problems.sort(key=lambda p: p[:2])
    raise_all([ConfigError(message, shown, line or None) for _, line, message in run.problems])
    return value


def rows(kind: Kind, prefix: str = "") -> Iterator[tuple[str, str, str]]:
    """(dotted key, shape, doc) for every documented option under `kind`, in schema order."""
    if isinstance(kind, MapOf):
        yield from rows(kind.item, f"{prefix}.<{kind.key_name}>" if prefix else f"<{kind.key_name}>")
    elif isinstance(kind, Either):
        for sub in kind.kinds:
            yield from rows(sub, prefix)
    elif isinstance(kind, ListOf):
        yield from rows(kind.item, f"{prefix}[]")
    elif isinstance(kind, Record):
        for key, option in kind.options.items():
            name = f"{prefix}.{key}" if prefix else key
            default = "" if option.default in (None, (), "", {}) or option.required else \
                f" Default: `{_shown_default(option.default)}`."
            required = " Required." if option.required else ""
            yield name, option.kind.shape, option.doc + required + default
            yield from rows(option.kind, name)


def _shown_default(value: Any) -> str:
    if isinstance(value, bool):  # as YAML spells it
        return "true" if value else "false"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', '-')}: {v}" for k, v in value.items())
    return str(value)


def markdown_table(kind: Kind) -> str:
    lines = ["| key | kind | meaning |", "|---|---|---|"]
    lines += ["| `%s` | %s | %s |" % (key, re.sub(r"<(\w+)>", r"`<\1>`", shape),
                                     doc.replace("|", r"\|"))
              for key, shape, doc in rows(kind)]
    return "\n".join(lines) + "\n"


# Every YAML input and the module whose SCHEMA states it; README.md shows each one's table
# between `<!-- schema: NAME -->` and `<!-- /schema -->`.
DOCUMENTED = {
    "manuscript/publication.yaml": "baikonur_pub.config",
    "manuscript/glossary.yaml": "baikonur_pub.parity.glossary",
    "manuscript/parity-waivers.yaml": "baikonur_pub.parity.waivers",
    "styles/typography.yaml": "baikonur_pub.render.typography",
    "styles/fonts.yaml": "baikonur_pub.render.fonts",
    "styles/epub.yaml": "baikonur_pub.render.epub",
    "styles/docx-styles.yaml": "baikonur_pub.render.docx",
}
_MARKED = re.compile(r"(<!-- schema: (\S+) -->\n)(.*?)(<!-- /schema -->)", re.DOTALL)


def readme_tables(text: str) -> str:
    """`text` (README.md) with every marked table made anew from its schema."""
    from importlib import import_module

    def table(match: re.Match) -> str:
        kind = import_module(DOCUMENTED[match.group(2)]).SCHEMA
        return match.group(1) + "\n" + markdown_table(kind) + "\n" + match.group(4)

    return _MARKED.sub(table, text)


def update_readme(path: str = "README.md") -> None:
    """`make readme-tables`: rewrite README.md's tables from the schemas."""
    from pathlib import Path

    Path(path).write_text(readme_tables(Path(path).read_text(encoding="utf-8")), encoding="utf-8")
