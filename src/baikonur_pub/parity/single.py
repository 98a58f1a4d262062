"""The checks that read one language at a time: heading IDs, in-document links, and the
citations against the bibliography (across every language)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

from .. import crossref, keys
from . import anchors as anchors_mod
from . import links as links_mod
from .findings import Finding
from .outline import Section
from .units import find_link


def ids(sections: list[Section], lang: str, require: bool) -> list[Finding]:
    """id-duplicate always; id-missing when every heading is expected to carry an ID."""
    out, first = [], {}
    for s in sections:
        if s.level == 0:
            continue
        if s.explicit and s.key in first:
            other = first[s.key]
            s.duplicate = True
            out.append(Finding("id-duplicate", lang, s.file, s.line, s.key, f"{s.key}: section ID "
                               f"is used twice in {lang} (also at {other.file}:{other.line})"))
        elif s.explicit:
            first[s.key] = s
        elif require:
            out.append(Finding("id-missing", lang, s.file, s.line, s.name, f"{s.name}: heading in "
                               f"{lang} has no explicit ID ({{#…}}); it pairs by its content and place"))
    return out


def unresolved(sections: list[Section], lang: str) -> list[Finding]:
    """anchor-unresolved: an in-document link that leads to no heading or ID of its document."""
    files = {s.file for s in sections}
    if not any(links_mod.is_anchor(links_mod.own_anchor(x, files)) for s in sections for u in s.parts
               for x in u.links):
        return []
    index = anchors_mod.Anchors(sections)
    out = []
    for s in sections:
        for u in s.parts:
            own = (links_mod.own_anchor(x, files) for x in u.links)
            for target in dict.fromkeys(x for x in own if links_mod.is_anchor(x)):
                if index.resolve(target) is None:
                    line = find_link(u, s.masked, target)
                    out.append(Finding("anchor-unresolved", lang, s.file, line, s.name,
                                       f"{s.name}: link {unquote(target)} in {lang} leads to no "
                                       f"heading or ID of the document{index.hint(target)}",
                                       needle=target))
    return out


def bibliography(sections: Iterable[tuple[str, Section]], known: frozenset[str] | None,
                 nocite: set[str], entry_line: dict[str, tuple[str, int]]) -> list[Finding]:
    """citation-undefined (per language and key) and citation-unused (per entry); a
    cross-reference with no target (the build numbers those that have one) is xref-undefined.
    `known` None: no bibliography, `@name` is text, and only the cross-references are checked
    (the build refuses them as it does with one)."""
    out, cited, reported = [], set(), set()
    sections = list(sections)
    unrun: dict[str, set[str]] = {}  # per language, the labels of chunks never run
    for lang, s in sections:
        unrun.setdefault(lang, set()).update(crossref.code_ids(s.raw))
    for lang, s in sections:
        for key in s.cites:
            cited.add(key)
            if known is None and not crossref.is_cross_reference(key):
                continue
            if key not in (known or ()) and (lang, key) not in reported:
                reported.add((lang, key))
                if crossref.is_cross_reference(key):
                    out.append(Finding("xref-undefined", lang, s.file, s.locate("@" + key), s.name,
                                       f"{s.name}: cross-reference @{keys.shown(key)} in {lang} leads to no "
                                       f"{crossref.kind_of(key)} with this ID"
                                       f"{keys.unspaced_hint(key)}"
                                       f"{crossref.never_run_hint(key, frozenset(unrun[lang]))}",
                                       needle="@" + key))
                    continue
                out.append(Finding("citation-undefined", lang, s.file, s.locate("@" + key), s.name,
                                   f"{s.name}: citation key @{keys.shown(key)} in {lang} is not in the "
                                   f"bibliography{keys.citation_hint(key, known)}",
                                   needle="@" + key))
    if "*" in nocite:
        return out
    for key, (file, line) in entry_line.items():
        if key not in cited and key not in nocite:
            out.append(Finding("citation-unused", "", file, line, "", f"bibliography entry "
                               f"{key} is cited in no language (list it under nocite to keep it)"))
    return out
