"""Accepted findings: the editor's record of differences that are meant to be there.

```yaml
length-ratio:              # optional: accepted length band per translation language
  en: [0.7, 1.4]
waivers:
  - code: number-mismatch  # required
    section: sec-lease     # ID (or heading, for documents without IDs); absent = any
    lang: en               # translation language; absent = any
    match: "30"            # optional: text the finding's message must contain
    reason: The English edition rounds the figure.   # required
```
A waiver that no longer matches any finding is itself reported (waiver-stale), so the file
cannot silently outlive the differences it excuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..schema import At, Choice, Custom, ListOf, MapOf, Option, Record, Text, validate
from ..sources import line_of, load_yaml
from .findings import CODES, Finding

@dataclass(frozen=True)
class Waiver:
    code: str
    reason: str
    section: str | None = None
    lang: str | None = None
    match: str | None = None
    file: str = ""
    line: int = 0

    def matches(self, f: Finding) -> bool:
        return (f.code == self.code and (self.section is None or f.section == self.section)
                and (self.lang is None or f.lang == self.lang)
                and (self.match is None or self.match.lower() in f.message.lower()))


@dataclass(frozen=True)
class Waivers:
    items: tuple[Waiver, ...] = ()
    bands: dict | None = None  # lang → (low, high)


def _band(value, at: At):
    if (not isinstance(value, list) or len(value) != 2 or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in value)
            or not 0 < value[0] < value[1]):
        return at.problem(f"length-ratio of '{at.name}' must be [low, high] with 0 < low < high")
    return (float(value[0]), float(value[1]))


REASON = "a waiver needs a 'reason' saying why the difference is accepted"
SCHEMA = Record({
    "length-ratio": Option(MapOf(Custom(_band, shape="[low, high]"), key_name="lang"),
                           "Accepted band of translation/primary text length per translation "
                           "language.", default={}),
    "waivers": Option(ListOf(Record({
        "code": Option(Choice(tuple(CODES), what="finding code",
                                      label="a finding code"), "The finding's code.",
                       required=True),
        "section": Option(Text(), "Section ID (or heading, for documents without IDs; a "
                          "heading that repeats as the reports name it, `Orbit > See also`); "
                          "any when absent."),
        "lang": Option(Text(), "Translation language; any when absent."),
        "match": Option(Text(), "Text the finding's message must contain."),
        "reason": Option(Text(r"(?s)\s*\S.*", REASON), "Why the difference is accepted.",
                         required=True, missing=REASON),
    }, where=" in waiver", why="a waiver is a mapping with code, section, lang, reason")),
        "Accepted findings.", default=()),
}, why="expected the keys 'waivers' (a list) and optionally 'length-ratio'")


def load(path: Path | None, shown: str) -> Waivers:
    if path is None:
        return Waivers()
    data, lines = load_yaml(path, shown)
    if data is None:
        return Waivers()
    values = validate(SCHEMA, data, shown, lines)
    items = tuple(Waiver(raw["code"], raw["reason"].strip(), raw["section"], raw["lang"],
                         raw["match"], shown, line_of(lines, "waivers", i) or 0)
                  for i, raw in enumerate(values["waivers"]))
    return Waivers(items, values["length_ratio"])


def _inside_block(w: Waiver, findings: list[Finding]) -> bool:
    """The waived fact now sits inside a block reported missing or extra as a whole (one cause,
    one finding): the waiver is not stale, it has nothing left to match on its own."""
    quoted = w.match.split("“", 1)[1].split("”", 1)[0] if w.match and "“" in w.match else w.match
    if not quoted:
        return False
    return any(f.details and (w.section is None or f.section == w.section)
               and (w.lang is None or f.lang == w.lang)
               and any(quoted.lower() in d.lower() for d in f.details) for f in findings)


def apply(findings: list[Finding], waivers: Waivers, sections: set[str] | None = None) -> list[Finding]:
    """Mark findings matched by a waiver; report each unused waiver (waiver-stale), and the
    waivers of a section that no longer exists (renamed, say) once for that section."""
    used = set()
    out = []
    for f in findings:
        for i, w in enumerate(waivers.items):
            if w.matches(f):
                used.add(i)
                f = f.waive(w.reason)
                break
        out.append(f)
    gone: dict[str, list[Waiver]] = {}
    for i, w in enumerate(waivers.items):
        if i in used or _inside_block(w, out):
            continue
        if sections is not None and w.section and w.section not in sections:
            gone.setdefault(w.section, []).append(w)
            continue
        what = " ".join(x for x in (w.code, w.section and f"in {w.section}",
                                    w.lang and f"({w.lang})") if x)
        out.append(Finding("waiver-stale", w.lang or "", w.file, w.line, w.section or "",
                           f"waiver for {what} matches no finding; remove it"))
    for section, ws in gone.items():
        lines = ", ".join(str(w.line) for w in ws)
        count = f"{len(ws)} waivers" if len(ws) > 1 else "a waiver"
        out.append(Finding("waiver-stale", "", ws[0].file, ws[0].line, section,
                           f"{count} for section {section} (line{'s' * (len(ws) > 1)} {lines}) "
                           f"match no finding: no section is called {section} any more; rename "
                           f"or remove {'them' if len(ws) > 1 else 'it'}"))
    return out
