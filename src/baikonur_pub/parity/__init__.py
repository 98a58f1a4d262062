"""Cross-check: do the languages of a publication say the same thing?

`check_project` compares every translation of a project with its primary language, working from
the Editions the build already parsed (no second pandoc run); `compare` does the same for any
two Markdown files. Both return a `Result` that `report` turns into text, JSON, JUnit, SARIF or
an HTML page.
"""

from __future__ import annotations

from pathlib import Path

from .. import bibliography as bibliography_mod
from .. import dialects, frontmatter, ids
from .. import links as book_links
from ..render import pdfua
from ..config import Publication
from ..errors import Collected, ManuscriptError
from ..manuscript import READER, Edition, SourceFile, locate_headings
from ..pandoc import Pandoc
from ..sources import read_text
from . import checks, glossary, languages, outline, report, sync, waivers
from .align import align
from .pair import ratio_of
from .findings import CODES, Finding, ParityError, Result

__all__ = ["CODES", "Finding", "ParityError", "Result", "check_project", "compare", "gate", "load_editions",
           "mark_synced"]


def load_editions(pub: Publication) -> dict[str, Edition]:
    """Every language parsed once, leniently: unknown keys and duplicate IDs become findings.
    Through the build's cache: a language whose inputs a build or a check has parsed already
    runs no pandoc (measured, `check` again: the shipped report 0.34 → 0.16 s, 0.55 → 0.21
    CPU-s; at 50× 2.1 → 1.1 s)."""
    from ..environment import source_date_epoch
    from ..parse import editions, prepare

    cache, pandoc, keys = prepare(pub, source_date_epoch(pub.date))
    return editions(pub, pub.codes, pandoc, cache, keys, strict=False)


def sections_of(ed: Edition) -> list[outline.Section]:
    return outline.build(ed.ast["blocks"], ed.block_files, ed.files, ed.headings, ed.code,
                         ed.pub.codes)


def check_project(pub: Publication, editions: dict[str, Edition]) -> Result:
    """Every translation in `editions` against the primary language (which must be there)."""
    primary = editions[pub.primary]
    outlines = {code: sections_of(ed) for code, ed in editions.items()}
    accepted = waivers.load(pub.waivers, pub.shown(pub.waivers) if pub.waivers else "")
    terms = glossary.load(pub.glossary, pub.shown(pub.glossary)) if pub.glossary else None
    lock = pub.manuscript / sync.LOCK_NAME
    synced = sync.read(lock, pub.shown(lock))
    found: list[Finding] = []
    pairs = {}
    empty = {code: languages.empty_chapters(ed.files) for code, ed in editions.items()}
    for code, sections in outlines.items():
        # every heading needs its ID to pair with a translation's: with none, it pairs nothing
        found += checks.ids(sections, code, require=len(outlines) > 1)
        ed = editions[code]  # any other element's ID given again (the sections' are above)
        found += [Finding("id-duplicate", code, error.path or "", error.line or 1, "",
                          error.message) for is_section, error in
                  ids.repeated(ed.ast, ed.block_files, ed.headings, ed.files) if not is_section]
        found += checks.unresolved(sections, code)
        found += [Finding("link-file", code, e.path or "", e.line or 1, "", e.message)
                  for e in book_links.to_files(pub, ed.ast, ed.block_files, ed.files,
                                               ed.lang.base_url)]
        found += [Finding("image-alt-missing", code, e.path or "", e.line or 1, "", e.message)
                  for e in pdfua.missing_alternatives(ed)]
        found += [Finding(kind, code, shown, line, "", message)
                  for kind, shown, line, message in ed.notices]
        found += [Finding("front-matter-ignored", code, f.shown, f.front_line, "",
                          f"front matter key{'s' * (len(f.ignored) > 1)} {', '.join(f.ignored)} set "
                          "aside: a chapter's front matter gives its title and language only, "
                          "the rest comes from publication.yaml") for f in ed.files if f.ignored]
        found += [Finding("chapter-empty", code, editions[code].files[i].shown, 1, "",
                          f"chapter in {code} {why}") for i, why in empty[code].items()]
    for code in editions:
        if code == pub.primary:
            continue
        quiet = {f.shown for i, f in enumerate(primary.files) if i in empty[code]}
        quiet |= {editions[code].files[i].shown for i in empty[code]}
        band = (accepted.bands or {}).get(code)
        pair = checks.Pair(pub.primary, code, align(outlines[pub.primary], outlines[code],
                                                    ratio_of(pub.primary, code, band)),
                           terms, band, quiet)
        found += checks.run_pair(pair)
        found += sync.stale(synced, pair.alignment.pairs, pub.primary, code)
        pairs[code] = pair.alignment.pairs
    # a chapter's text before its first heading on one side only is one finding (section-extra
    # or -missing), not that and its chapter-untitled too
    one_sided = {f.file for f in found if f.code in ("section-extra", "section-missing")
                 and checks.BEFORE_HEADING in f.message}
    found = [f for f in found if f.code != "chapter-untitled" or f.file not in one_sided]
    bib = bibliography_mod.load(pub)
    entry_lines = {e["id"]: (bib.shown, bib.lines.get((i, "id"), 0))
                   for i, e in enumerate(bib.entries)} if bib is not None else {}
    every = [(code, s) for code, sections in outlines.items() for s in sections]
    found += checks.bibliography(every, bib.ids if bib is not None else None, set(pub.nocite),
                                 entry_lines)
    names = {s.name for sections in outlines.values() for s in sections}
    found = waivers.apply(found, accepted, names)
    return Result(pub.primary, tuple(c for c in editions if c != pub.primary), tuple(found), pairs,
                  primary.lang.title)


def mark_synced(pub: Publication, editions: dict[str, Edition], only: set[str]) -> list[str]:
    """Record the primary sections (all, or `only`) as in sync in every translation."""
    lock = pub.manuscript / sync.LOCK_NAME
    synced = sync.read(lock, pub.shown(lock))
    marked = sync.mark(synced, sections_of(editions[pub.primary]),
                       [c for c in editions if c != pub.primary], only)
    sync.write(lock, pub.primary, synced)
    return marked


def _read(path: Path, pandoc: Pandoc, lang: str | None, others: tuple[str, ...] = ()
          ) -> tuple[list[outline.Section], str, str]:
    """Sections of one file, its language and how the language was known; `others`, the
    languages given, whose dates it may write too."""
    source = SourceFile(path, str(path), read_text(path, ManuscriptError, str(path)))
    declared = frontmatter.declared(source)
    source = dialects.read(frontmatter.read(source, None))  # read as a chapter is, line for line
    ast, _ = pandoc.read_markdown(source.text, f"{path}: parsing", reader=READER)
    dialects.tidy(ast["blocks"])
    lang, how = languages.of_document(declared, lang)
    owners = [0] * len(ast["blocks"])
    headings = locate_headings(ast["blocks"], owners, (source,))
    if not lang:
        lang, how = languages.detect(" ".join(outline.plain(b) for b in ast["blocks"]))
    return outline.build(ast["blocks"], owners, (source,), headings, lang, others), lang, how


def compare(source: Path, translation: Path, pandoc: Pandoc, source_lang: str | None = None,
            target_lang: str | None = None) -> Result:
    """Two Markdown files, IDs or not; languages from the options, else the front matter, else
    detected from the text (the report says which)."""
    given = tuple(code for code in (source_lang, target_lang) if code)
    src, a, how_a = _read(source, pandoc, source_lang, given)
    tgt, b, how_b = _read(translation, pandoc, target_lang, given)
    notes = [languages.assumed(path.name, code, how) for path, code, how in
             ((source, a, how_a), (translation, b, how_b)) if how != "given"]
    skipped = languages.skipped(a, b)
    notes += [f"{check} not run: {why}" for check, why in skipped.items()]
    a, b = a or "source", b or "translation"
    found = checks.ids(src, a, require=any(s.explicit for s in src))
    found += checks.ids(tgt, b, require=any(s.explicit for s in tgt))
    found += checks.unresolved(src, a) + checks.unresolved(tgt, b)
    pair = checks.Pair(a, b, align(src, tgt, ratio_of(a, b, None)), skipped=set(skipped))
    found += checks.run_pair(pair)
    return Result(a, (b,), tuple(found), {b: pair.alignment.pairs}, f"{source.name} / {translation.name}",
                  tuple(notes))


# What the build refuses itself where it matters (the PDF): its warning would only repeat it.
BUILD_ENFORCES = {"image-alt-missing"}


def gate(pub: Publication, editions: dict[str, Edition], warn) -> Result | None:
    """The check `build` runs first: errors stop it (ParityError), warnings go to `warn`."""
    if pub.primary not in editions or len(editions) < 2:
        return None
    result = check_project(pub, editions)
    listed, summary = report.collapsed(result)  # 201 headings without IDs: one line
    for line in summary:
        warn(line)
    for f in listed:
        if not f.waived and f.severity == "warning" and f.code not in BUILD_ENFORCES:
            warn(f"{f.location}: warning: {f.message} [{f.code}]")
    errors = Collected("cross-check errors (baikonur-pub check lists them all)")
    for f in result.findings:
        if not f.waived and f.severity == "error":  # every one, as `check` gives them
            errors.add(lambda f=f: ParityError(f"{f.message} [{f.code}]", f.file or None,
                                               f.line or None))
    errors.raise_all()
    return result
