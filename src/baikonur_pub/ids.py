"""Element IDs, in one place: which elements carry one, which IDs the renderers take for what
they generate, which the sources write themselves, and that each is given once.

Used by the resource policy's walk (`resources.confine`: a reserved ID written is refused, one
pandoc made from a heading's text is renamed), by the strict parse (`check_unique`) and by the
link check (`links.ids`).
"""

from __future__ import annotations

import itertools
import re

from .ast import walk
from .errors import ManuscriptError, raise_all
from .markup import Refusal

# Elements whose first field is an Attr ("id", classes, pairs); a Header's Attr comes second.
WITH_ATTR = ("Div", "Span", "CodeBlock", "Code", "Table", "Figure", "Image", "Link")
# An ID the sources give: `{#id}`, `{.class #id}`, `{#id lang=it}`.
# An ID as a manuscript writes one: in attributes, `{#id}`, or in raw HTML, `<span id="id">`
# (never past another `{`: from each `{` of a line of `{:` unclosed, `[^}\n]*?#` read to its end)
WRITTEN = re.compile(r"""\{[^{}\n]*?#([^\s}]+)|<[^<>\n]*?\bid\s*=\s*["']?([^\s"'<>]+)""")
# What the renderers name themselves: citeproc's reference list (`refs`, `ref-<key>`, its
# heading `bibliography`) and pandoc's notes (`footnotes`, `fn<N>`, `fnref<N>`). A manuscript ID
# among them is a duplicate in the PDF's HTML and the EPUB (EPUBCheck RSC-005: "Duplicate ID").
RESERVED = re.compile(r"^(refs|bibliography|references|ref-.*|footnotes|fn\d+|fnref\d+)$")
NOTES = re.compile(r"^(footnotes|fn\d+|fnref\d+)$")  # all there is without a bibliography


def element_id(el: dict) -> str:
    """The ID of an element that has one ("" if none)."""
    if el["t"] == "Header":
        return el["c"][1][0]
    if el["t"] in WITH_ATTR:
        return el["c"][0][0]
    return ""


def refuse_reserved(ident: str, references: bool = True) -> None:
    """Refuse an ID the renderers name themselves; `references`: there is a reference list
    (without a bibliography, `{#ref-unwrapping}` names nothing of citeproc's)."""
    if ident and (RESERVED if references else NOTES).match(ident):
        raise Refusal(f"ID '#{ident}' is reserved for the generated "
                      f"{'reference list and ' if references else ''}notes: choose another", ident)


def rename_generated(blocks: list, owners: list[int], files) -> None:
    """Give a heading whose ID pandoc made from its text (`# Footnotes` → `footnotes`) and
    which falls among RESERVED the next free ID (`footnotes-1`, as pandoc names a second
    `# Footnotes`), in place, and point the manuscript's links to it there. An ID the manuscript
    writes itself (`{#footnotes}`) stays, and the policy's walk refuses it with its line."""
    mine = [el for block, owner in zip(blocks, owners) if owner >= 0 for el in walk(block)]
    reserved = [el for el in mine if el["t"] == "Header" and RESERVED.match(el["c"][1][0])]
    if not reserved:  # as in most manuscripts: nothing else to read (0.1 s at 50× the report's)
        return
    taken = {element_id(el) for el in mine} - {""}
    # One pass over the sources, one lookup a heading: a manuscript of many such headings
    # (`# fn1` … `# fn3000`) took 1.4 s with a search of the whole text for each.
    written = {m.group(1) or m.group(2) for f in files for m in WRITTEN.finditer(f.text)}
    renames: dict[str, str] = {}
    for el in reserved:
        ident = element_id(el)
        if ident not in written:
            base = ident if not RESERVED.match(f"{ident}-1") else f"section-{ident}"
            candidates = itertools.chain([base] if base != ident else [],
                                         (f"{base}-{n}" for n in itertools.count(1)))
            renames[ident] = next(c for c in candidates if c not in taken)
            taken.add(renames[ident])
            el["c"][1][0] = renames[ident]
    if not renames:
        return
    folded = {old.casefold(): new for old, new in renames.items()}
    for el in mine:
        if el["t"] == "Link" and el["c"][2][0].startswith("#"):
            target = el["c"][2][0][1:]
            new = renames.get(target) or folded.get(target.casefold())
            if new:
                el["c"][2][0] = f"#{new}"


def repeated(ast: dict, owners, headings, files) -> list[tuple[bool, ManuscriptError]]:
    """(whether it is a section's, the error) for every ID given again: a section's (at its
    heading's line), and any other element's (a span, div, figure, table or code that repeats
    an ID: the HTML and the EPUB would hold it twice, EPUBCheck RSC-005, and a link to it could
    land on either)."""
    found: list[tuple[bool, ManuscriptError]] = []
    first: dict[str, tuple[str | None, int | None]] = {}
    for heading in headings:
        if heading.id in first and heading.file:
            found.append((True, ManuscriptError(f"section ID '#{heading.id}' is used twice (also "
                                                f"at {_at(first[heading.id])})", heading.file,
                                                heading.line)))
        first.setdefault(heading.id, (heading.file, heading.line))
    sections = set(first)
    written: dict[str, list[tuple[str, int]]] = {}  # where the sources give each ID, in order
    for source in files:
        for number, text in enumerate(source.lines, 1):
            for match in WRITTEN.finditer(text):
                written.setdefault(match.group(1) or match.group(2), []).append((source.shown,
                                                                                 number))
    seen: dict[str, int] = {}
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue  # generated: the reference list
        for el in walk(block):
            ident = element_id(el) if el["t"] in WITH_ATTR else ""
            if not ident:
                continue
            count = seen[ident] = seen.get(ident, 0) + 1
            places = written.get(ident, [])
            if ident in first:
                index = count - (ident not in sections)  # the heading's own place comes first
                here = places[min(index, len(places) - 1)] if places else (files[owner].shown, None)
                found.append((False, ManuscriptError(f"ID '#{ident}' is used twice (also at "
                                                     f"{_at(first[ident])})", *here)))
                continue
            first[ident] = places[0] if places else (files[owner].shown, None)
    return found


def check_unique(ast: dict, owners: list[int], headings, files) -> None:
    """Every ID once (see `repeated`): each one given again is an error, all in one run."""
    raise_all([error for _, error in repeated(ast, owners, headings, files)])


def _at(place: tuple[str | None, int | None]) -> str:
    shown, line = place
    return f"{shown}:{line}" if line else str(shown)
