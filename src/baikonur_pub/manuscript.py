"""Assemble one language's chapters into an Edition: one pandoc parse, citeproc applied.

The chapters are joined with a marker comment between files, parsed once (Markdown → JSON AST
with `--citeproc`, the language's CSL locale and the language's resolved bibliography), and the
markers are then taken out again. They tell which top-level block came from which file; headings
are matched with the source lines they were written on. Every later stage (cross-check, PDF,
EPUB, DOCX) works from this one AST, which is what keeps citations identical across formats.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import format_date

from . import (bibliography, callouts, crossref, dialects, floats, formulas, frontmatter, ids,
               includes, labels, lapses, links, nesting, resources, table_widths)
from .ast import stringify, walk
from .config import Language, Publication
from .errors import ManuscriptError, PublishError, RenderError, raise_all
from .pandoc import Pandoc, PandocTimeout, read_budget
from .render import typography
from .sources import fenced, lines as split_lines, read_text, swallowed

FILE_MARK = "baikonur-pub:file"
MAX_FILE_BYTES = 4 * 1024 * 1024  # far beyond any report chapter; keeps parse time bounded
# Pandoc's Markdown without the metadata a chapter may not carry (a YAML block or a `%` title
# block would be pandoc options chosen by the manuscript; `frontmatter` reads a chapter's title
# and language instead), and with a line break between two East Asian characters dropped, not
# read as a space: Chinese and Japanese put no space between sentences (one a line got one).
# Pandoc's multiline tables of two columns or more are read; a rule (`---`) that would open a
# one-column one, everything up to the next rule, headings and all, is kept a rule (`rules`).
# Raw TeX is off: no format of ours is written by LaTeX, and pandoc took any backslash word for
# a TeX command it then left out of every format (`C:\Users\me` printed "C:"). Such text is
# printed as written; `\newpage` alone is a page break (`dialects.tree`), a LaTeX command with an
# argument a `markup-foreign` warning (`lapses`). A list may follow a paragraph's line, as in
# CommonMark ("learn:\n* one" was one paragraph); a number other than 1 there is text (`lines`).
READER = ("markdown-yaml_metadata_block-pandoc_title_block-raw_tex"
          "+east_asian_line_breaks+lists_without_preceding_blankline")
_ATX_RE = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|$)")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    shown: str  # path relative to the project, as messages show it
    text: str  # as pandoc reads it: front matter, if any, replaced line for line (`frontmatter`)
    ignored: tuple[str, ...] = ()  # front matter keys set aside (a cross-check warning)
    front_line: int = 0  # the line front matter opens on, 0 without any
    # what reading other tools' syntax found (`dialects`): (finding code, line, message)
    notices: tuple[tuple[str, int, str], ...] = ()

    # split once (4,000 headings each splitting anew: 2.4 s of a check), when made: split lazily it was
    # written while a layout's pickling read it ("dictionary changed size during iteration")
    lines: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(split_lines(self.text)))


@dataclass(frozen=True)
class Heading:
    id: str
    level: int
    title: str
    number: str  # "2.1", or "" when unnumbered
    classes: tuple[str, ...]
    file: str
    line: int


@dataclass(frozen=True)
class Edition:
    """One language of the publication, parsed once."""

    pub: Publication
    lang: Language
    ast: dict
    files: tuple[SourceFile, ...]
    block_files: tuple[int, ...]  # per top-level block: index into files, -1 for generated blocks
    headings: tuple[Heading, ...]
    warnings: tuple[str, ...] = ()
    # What the parse found for the cross-check to report: (finding code, file, line, message)
    notices: tuple[tuple[str, str, int, str], ...] = ()

    @property
    def code(self) -> str:
        return self.lang.code

    def blocks_of(self, file_indexes: set[int]) -> list[dict]:
        return [b for b, f in zip(self.ast["blocks"], self.block_files) if f in file_indexes]

    @property
    def abstract_blocks(self) -> list[dict]:
        return self.blocks_of({0}) if self.lang.abstract else []

    @property
    def body_blocks(self) -> list[dict]:
        start = 1 if self.lang.abstract else 0
        return [b for b, f in zip(self.ast["blocks"], self.block_files) if f == -1 or f >= start]


def formatted_date(pub: Publication, lang: Language) -> str:
    """The publication date as the locale writes it in full (CLDR's long form: "15 maggio
    2025", "May 15, 2025", "2025年5月15日", "15. Mai 2025"). One order for every edition gave
    "15 五月 2025" in Chinese and "15 Mai 2025" in German."""
    return format_date(pub.date, format="long", locale=lang.babel_locale)


def read_sources(pub: Publication, lang: Language, strict: bool = True) -> tuple[SourceFile, ...]:
    """The edition's chapters as pandoc reads them; every chapter's problem in one run."""
    files, problems = [], []
    for path in lang.files:
        shown = pub.shown(path)
        try:
            path = resources.manuscript_file(pub, path, shown)
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise ManuscriptError(f"chapter is {size / 2**20:.1f} MiB, over the "
                                      f"{MAX_FILE_BYTES // 2**20} MiB limit for one file: split it",
                                      shown, 1)
            text = read_text(path, ManuscriptError, shown)
            if not text.strip() and strict:  # the cross-check (strict=False) reports chapter-empty
                raise ManuscriptError("chapter is empty", shown, 1)
            files.append(dialects.read(frontmatter.read(SourceFile(path, shown, text), lang), lang,
                                       dict(pub.conditions)))
        except PublishError as exc:
            problems.append(exc)
    raise_all(problems)
    return tuple(files)


def edition_meta(pub: Publication, lang: Language) -> dict:
    """The edition's metadata as pandoc AST values: plain strings (MetaString), never Markdown,
    so no title or keyword can carry an image or raw HTML into an artifact."""
    def value(v):
        if isinstance(v, list):
            return {"t": "MetaList", "c": [value(x) for x in v]}
        if isinstance(v, bool):
            return {"t": "MetaBool", "c": v}
        return {"t": "MetaString", "c": str(v)}

    meta = {
        "title": lang.title,
        "subtitle": lang.subtitle or None,
        "author": list(pub.author),
        "date": formatted_date(pub, lang),
        "lang": lang.locale,
        "keywords": list(pub.keywords_of(lang)) or None,
        # right to left: `dir` sets the HTML's and the DOCX's base direction, the other the
        # EPUB spine's (pages turn leftwards)
        "dir": "rtl" if lang.direction == "rtl" else None,
        "page-progression-direction": "rtl" if lang.direction == "rtl" else None,
    }
    return {k: value(v) for k, v in meta.items() if v is not None}


def assemble(pub: Publication, lang: Language, pandoc: Pandoc,
             bib: bibliography.Bibliography | None = None, *, strict: bool = True) -> Edition:
    """Parse `lang`'s files into an Edition; raise a located error for anything wrong.

    `strict=False` lets unknown citation keys and duplicate section IDs through, for the
    cross-check to report them all at once instead of stopping at the first."""
    files = read_sources(pub, lang, strict)
    for source in files:
        _check_fences(source)
    files = labels.scoped(files)  # a note or link label two chapters define: each its own
    nonce = secrets.token_hex(8)  # a chapter cannot forge the marker it does not know
    joined = "\n\n".join(f"<!-- {FILE_MARK} {nonce} {i} -->\n\n{f.text}" for i, f in enumerate(files))

    # Only what citeproc needs goes in; the edition's metadata replaces the whole of it after.
    title = lang.references_title or typography.labels(pub, lang.locale).get("references",
                                                                             "References")
    meta = {"lang": lang.locale, "reference-section-title": title,
            "link-citations": True, "link-bibliography": True}
    if pub.nocite:
        meta["nocite"] = " ".join(f"@{key}" for key in pub.nocite)
    with tempfile.TemporaryDirectory(prefix="baikonur-") as tmp:
        citeproc = None
        if bib is not None:
            bib_file = Path(tmp) / "references.yaml"
            bib_file.write_text(bib.dump_for_language(lang.code, pub.codes), encoding="utf-8")
            style = pub.csl
            if not style:  # pandoc's, compact (`Pandoc.default_csl`)
                style = Path(tmp) / "default.csl"
                style.write_bytes(pandoc.default_csl())
            citeproc = (bib_file, Path(style))
        try:
            ast, warnings = pandoc.read_markdown(joined, f"{lang.code}: parsing chapters",
                                                 reader=READER, meta=meta, citeproc=citeproc,
                                                 timeout=read_budget(len(joined.encode())))
        except PandocTimeout as exc:
            raise_all(_too_slow(pandoc, files) or [exc])
        except RenderError as exc:
            raise _located(exc, files) from None
    blocks, owners = _split_files(ast["blocks"], files, nonce)
    ast = {**ast, "blocks": blocks, "meta": edition_meta(pub, lang)}
    dialects.tidy(ast["blocks"], typography.word(pub, lang.locale, "listing")
                  or typography.default_word(pub, "listing", "Listing"),
                  typography.colon(pub, lang.locale))
    # before the resource policy: a callout's own options (`icon=false`) are no attributes
    callouts.apply(ast["blocks"], lambda kind: typography.callout_title(pub, lang.locale, kind))
    notices = [(code, f.shown, line, message) for f in files for code, line, message in f.notices]
    notices += [("image-remote", shown, line, f"remote image '{url}' left out (images.remote is "
                "drop in publication.yaml; nothing is fetched)")
               for shown, line, url in resources.confine(pub, ast, owners, files,
                                                         bib.shown if bib else None)]
    nesting.apart(ast["blocks"])  # a link or a note in a link, a note in a note: taken apart
    table_widths.widen(ast["blocks"])  # no column narrower than its longest word
    notices += lapses.pandoc_warnings(warnings, files, _in_file)
    formulas.check(pandoc, ast, owners, files)
    crossref.chapters_at_level_one(ast["blocks"], owners)
    crossref.unnumber_within(ast["blocks"])  # before the headings are numbered
    headings, empty = lapses.empty_sections(ast["blocks"], owners, _headings(ast["blocks"], owners, files))
    problems = []  # the references' problems, all of them in one run
    for step in (lambda: includes.include_code(pub, ast, owners, files),
                 lambda: floats.written_otherwise(ast["blocks"], owners),
                 lambda: crossref.apply(ast, headings, typography.labels(pub, lang.locale), owners, files,
                                        strict, bib.ids if bib else frozenset(), pub.crossref.chapters),
                 lambda: links.local_anchors(ast, owners),
                 lambda: links.chapters(pub, ast, owners, files),
                 lambda: strict and bib and lapses.unknown_citations(ast, files, bib),
                 lambda: links.check(pub, ast, owners, files, strict, lang.base_url)):
        try:
            step()
        except PublishError as exc:
            problems.append(exc)
    if bib is None:  # no bibliography: `@name` is text (a handle, a package), as in Quarto
        notices += lapses.citations_as_text(ast, files)
    notices += lapses.foreign_markup(ast, owners, files)
    notices += lapses.fences_left_open(files)
    notices += lapses.untitled_chapters(ast["blocks"], owners, files) + lapses.numbering(headings) + empty
    notices += dialects.inline_chunks(ast, owners, files)
    unmade = [*(("footnote-undefined", e) for e in lapses.unmade_notes(ast, owners, files)),
              *(("heading-empty", e) for e in lapses.untitled(headings))]
    if strict:
        problems += [e for _, e in unmade]
    else:
        notices += [(code, e.path, e.line or 1, e.message) for code, e in unmade]
    raise_all(problems)
    if strict:
        ids.check_unique(ast, owners, headings, files)
    return Edition(pub, lang, ast, files, tuple(owners), headings,
                   tuple(l for l in warnings.splitlines() if l.strip()), tuple(notices))


def _too_slow(pandoc: Pandoc, files: tuple[SourceFile, ...]) -> list[ManuscriptError]:
    """The chapters pandoc's reader cannot read alone within their own time (the edition's
    parse ran out of its), each an error at its first line."""
    problems = []
    for source in files:
        budget = read_budget(len(source.text.encode()), base=5)
        try:
            pandoc.read_markdown(source.text, source.shown, reader=READER, timeout=budget)
        except PandocTimeout:
            problems.append(ManuscriptError(
                f"pandoc cannot read this chapter within {budget:.0f} s: its reader is slow on "
                "some text (a long run of brackets never closed, `[x](` repeated, is one); "
                "find the paragraph by halving the chapter", source.shown, 1))
        except RenderError:
            pass  # not a matter of time: the edition's parse says what it is
    return problems


def _in_file(line: int, files: tuple[SourceFile, ...]) -> tuple[str, int] | None:
    """The chapter and its line of line `line` of the joined input pandoc read."""
    start = 1
    for source in files:
        start += 2  # the file marker and the blank line after it
        count = len(source.lines)
        if line < start + count:
            return source.shown, max(line - start + 1, 1)
        start += count + (2 if source.text.endswith("\n") else 1)
    return None


def _located(exc: RenderError, files: tuple[SourceFile, ...]) -> RenderError:
    """Turn 'line N' in a pandoc message about the joined input into the chapter's file:line."""
    match = re.search(r"line (\d+)", exc.message)
    where = _in_file(int(match.group(1)), files) if match else None
    if not where:
        return exc
    message = exc.message.split("pandoc failed: ", 1)[-1].replace(match.group(0), "", 1)
    message = re.sub(r"\s*at \(, column \d+\)", "", message)
    return ManuscriptError(message, *where)


def _unclosed(source: SourceFile, fence: str, line: int, refused: int | None) -> ManuscriptError:
    why = (f" (line {refused} opens none: after a fence comes one word, the language, or "
           "attributes in braces: {.js header=\"…\"})" if refused else "")
    return ManuscriptError(f"code block opened with {fence} is never closed{why}", source.shown, line)


def _check_fences(source: SourceFile) -> None:
    """An unclosed code fence or fenced div would swallow the following chapters: refuse it."""
    inside, unclosed = fenced(source.lines)
    divs = []
    for number, (line, code) in enumerate(zip(source.lines, inside), 1):
        if code:
            continue
        stripped = line.strip()
        if re.match(r"^:{3,}\s*$", stripped):
            if divs:
                divs.pop()
        elif re.match(r"^:{3,}\s*\S", stripped):
            divs.append(number)
    if unclosed:
        raise _unclosed(source, *unclosed)
    if divs:
        raise ManuscriptError("fenced div (:::) is never closed", source.shown, divs[-1])


def _split_files(blocks: list[dict], files: tuple[SourceFile, ...],
                 nonce: str) -> tuple[list[dict], list[int]]:
    marker = re.compile(rf"<!--\s*{FILE_MARK}\s+{nonce}\s+(\d+)\s*-->")
    kept, owners, current, seen = [], [], -1, []
    for block in blocks:
        if block["t"] == "RawBlock" and block["c"][0] == "html":
            match = marker.fullmatch(block["c"][1].strip())
            if match and int(match.group(1)) < len(files):
                current = int(match.group(1))
                seen.append(current)
                continue
        if block["t"] == "Div" and block["c"][0][0] == "refs":
            if kept and kept[-1]["t"] == "Header" and kept[-1]["c"][1][0] == "bibliography":
                owners[-1] = -1  # the heading citeproc puts right before the list it adds
            kept.append(block); owners.append(-1)
            continue
        kept.append(block); owners.append(current)
    missing = [i for i in range(len(files)) if i not in seen]
    if missing:  # a marker was swallowed: the file before it left something open
        culprit = files[max(missing[0] - 1, 0)]
        unclosed = fenced(culprit.lines, strict=True)[1]
        if unclosed:
            raise _unclosed(culprit, *unclosed)
        raise swallowed(culprit, blocks, f"{FILE_MARK} {nonce} {missing[0]}")
    return kept, owners


def source_headings(source: SourceFile) -> list[tuple[int, int, str]]:
    """(line, level, raw text) of every ATX or setext heading outside code blocks."""
    found, lines = [], source.lines
    inside, _ = fenced(lines)
    for index, line in enumerate(lines):
        if inside[index]:
            continue
        atx = _ATX_RE.match(line)
        if atx:
            found.append((index + 1, len(atx.group(1)), line.strip()))
        elif (index + 1 < len(lines) and line.strip() and _SETEXT_RE.match(lines[index + 1])
              and (index == 0 or not lines[index - 1].strip())):
            found.append((index + 1, 1 if lines[index + 1].strip()[0] == "=" else 2, line.strip()))
    return found


def locate_headings(blocks: list[dict], owners: list[int], files) -> tuple[Heading, ...]:
    """Headings of `blocks` (top-level block i from files[owners[i]]) with file:line and number."""
    return _headings(blocks, owners, files)


def _headings(blocks: list[dict], owners: list[int], files) -> tuple[Heading, ...]:
    per_file = [source_headings(f) for f in files]
    used = [0] * len(files)
    counters = [0] * 7
    out = []
    for block, owner in zip(blocks, owners):
        for el in walk(block) if block["t"] == "Div" else [block]:
            if el["t"] == "Div" and "callout-heading" in el["c"][0][1] and owner >= 0:
                used[owner] += 1  # a callout's title, written as a heading
            if el["t"] != "Header":
                continue
            level, (ident, classes, _), inlines = el["c"]
            number = ""
            if "unnumbered" not in classes:
                counters[level] += 1
                counters[level + 1:] = [0] * (7 - level - 1)
                number = ".".join(str(n) for n in counters[1:level + 1])
            shown, line = "", 0
            if owner >= 0:
                shown = files[owner].shown
                candidates = per_file[owner]
                if used[owner] < len(candidates):
                    line = candidates[used[owner]][0]
                    used[owner] += 1
            out.append(Heading(ident, level, stringify(inlines), number, tuple(classes), shown, line))
    return tuple(out)


def from_payload(pub: Publication, lang: Language, payload: dict, strict: bool = True) -> Edition:
    """An Edition rebuilt from its cached parse (the source files are read again, not parsed;
    as leniently as the parse was: `strict=False` lets an empty chapter through)."""
    headings = tuple(Heading(**dict(h, classes=tuple(h["classes"]))) for h in payload["headings"])
    return Edition(pub, lang, payload["ast"], read_sources(pub, lang, strict),
                   tuple(payload["block_files"]), headings, tuple(payload["warnings"]),
                   tuple(map(tuple, payload.get("notices", ()))))
