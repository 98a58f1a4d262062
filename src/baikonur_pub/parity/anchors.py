"""Where an in-document link (`#anchor`) leads: a section, or another element's ID.

A heading answers to its ID and to the slugs GitHub and pandoc give its title, so a README's
table of contents resolves whether it was written for GitHub or for pandoc.
"""

from __future__ import annotations

from urllib.parse import unquote

from ..ast import walk
from ..links import Hints
from . import links
from .outline import Section


def _element_ids(blocks: list[dict]) -> list[str]:
    """IDs of every element with attributes (Div, Span, Image, Figure, Table, CodeBlock…), and
    of headings that start no section (in a quote or a callout: the Rust book's "The Stack
    and the Heap", linked from other chapters, is in a quote)."""
    out = []
    for el in walk(blocks):
        c = el.get("c")
        attr = c[1] if el.get("t") == "Header" else c[0] if isinstance(c, list) and c else None
        if isinstance(attr, list) and len(attr) == 3 and isinstance(attr[0], str) and attr[0]:
            out.append(attr[0])
    return out


class Anchors:
    """Anchor → the section it leads to (or '#id' for another element) in one document."""

    def __init__(self, sections: list[Section]):
        self.map: dict[str, Section | str] = {}
        self._hints: Hints | None = None
        self.ids = sorted({s.key for s in sections if s.key}
                          | {ident for s in sections for ident in _element_ids(s.raw)})
        for s in sections:  # explicit IDs first: they win over any slug
            if s.key:
                self.map.setdefault(s.key.lower(), s)
        for s in sections:
            if s.level and not s.explicit:  # pandoc gives a heading with an ID no other anchor
                for slug in links.slugs(s.title, s.key):
                    self.map.setdefault(slug, s)
        for s in sections:
            for ident in _element_ids(s.raw):
                self.map.setdefault(ident.lower(), "#" + ident)

    def resolve(self, target: str) -> Section | str | None:
        key = links.anchor_key(target)
        found = self.map.get(key)
        if found is None and key.endswith(tuple(f"-{i}" for i in range(1, 10))):
            found = self.map.get(key.rsplit("-", 1)[0])  # GitHub's suffix for a repeated title
        return found

    def hint(self, target: str) -> str:
        """` (did you mean '#request-targets'?)`: the ID closest to an anchor that leads
        nowhere, as the build's error words it (links.check), else ""."""
        if self._hints is None:
            self._hints = Hints(self.ids)
        return self._hints(unquote(target[1:]))
