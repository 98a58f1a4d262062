"""What pandoc reads without an error: its warnings about the chapters, footnotes called and
never defined (printed as written, `[^2]`, with no warning at all), and `@name` where no
bibliography gives citations a meaning. Each is located at its chapter's line, for the
cross-check to report or the build to refuse."""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from . import crossref, keys, labels
from .ast import cite_keys, walk
from .errors import CitationError, Collected, ManuscriptError
from .sources import prose, written_line

_WARNING_AT = re.compile(r"^\[WARNING\] (.*?) at line (\d+) column \d+(.*)$")
_CHECKED = ("Duplicate identifier",)  # what a check of ours reports itself (id-duplicate)


def pandoc_warnings(text: str, files, in_file) -> list[tuple[str, str, int, str]]:
    """Pandoc's warnings about the chapters, each at its chapter's line (a note defined and
    never called, a link reference defined twice): they went nowhere before. `in_file` maps a
    line of the joined input pandoc read to (chapter, line)."""
    found = []
    for line in text.splitlines():
        match = _WARNING_AT.match(line.strip())
        where = in_file(int(match.group(2)), files) if match else None
        if where and not match.group(1).startswith(_CHECKED):
            said = labels.unscoped(match.group(1) + match.group(3)).rstrip(". ")
            found.append(("pandoc-warning", *where, f"pandoc: {said[0].lower()}{said[1:]}"))
    return found


# (never past the next `[`: from each `[^` of `[^[^[^…`, the label was read to the end)
_NOTE_CALL = re.compile(r"\[\^([^\]\s\[]+)\]")
_ESCAPED_CALL = re.compile(r"\\(\[\^[^\]\s]+\])")


def unmade_notes(ast: dict, owners: list[int], files) -> list[ManuscriptError]:
    """Every footnote called and never defined: pandoc prints `[^key]` as it is written, in
    every format, and says nothing. One escaped on purpose (`\\[^key]`) is text. Located up to
    the limit of one check (`Collected`), counted past it."""
    found, seen, escaped = Collected("undefined footnotes"), {}, {}
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue
        if owner not in escaped:
            escaped[owner] = set(_ESCAPED_CALL.findall(files[owner].text))
        for el in walk(block):
            for match in _NOTE_CALL.finditer(el["c"]) if el["t"] == "Str" else ():
                call = match.group(0)
                if call in escaped[owner]:
                    continue
                nth = seen[(owner, call)] = seen.get((owner, call), -1) + 1
                found.add(lambda call=call, owner=owner, nth=nth: ManuscriptError(
                    f"footnote {call} is called but never defined (its text goes on a line of its "
                    f"own: {call}: …)", *written_line([files[owner]], call, nth, outside_code=True)))
    return found.listed()


def untitled(headings) -> list[ManuscriptError]:
    """Every heading without text (`## {#id}`, an anchor alone, `#` alone on a line): the
    contents, the PDF's bookmarks and the EPUB's navigation show a section by its text, and an
    empty entry is no EPUB (EPUBCheck RSC-005 "Anchors within nav elements must contain text")."""
    return [ManuscriptError("heading has no text: the contents and the bookmarks show a section "
                            "by its text", heading.file, heading.line)
            for heading in headings if heading.file and not heading.title]


def untitled_chapters(blocks: list, owners: list[int], files) -> list[tuple[str, str, int, str]]:
    """A notice for each chapter but the first that begins with text before any heading: a
    chapter begins at its heading in every format (the EPUB splits there, the contents list
    it), so that text runs on under the last section of the chapter before. Learn X in Y
    minutes' pages (titled by a front matter `name:`) put their introductions and code under
    the page before's "Further Reading". A chapter split over two files may go on so: a
    warning, at the chapter's first line of text."""
    first: dict[int, dict] = {}
    for block, owner in zip(blocks, owners):
        if owner >= 0:
            first.setdefault(owner, block)
    found = []
    for owner, block in sorted(first.items()):
        inner = block["c"][1] if block["t"] == "Div" and block["c"][1] else [block]
        if owner == 0 or inner[0]["t"] == "Header":
            continue
        source = files[owner]
        line = next((n for n, text in enumerate(source.lines, 1) if text.strip()), 1)
        found.append(("chapter-untitled", source.shown, line, "chapter begins with text before "
                      "any heading: it runs on under the last section of the chapter before (a "
                      "chapter begins at its heading: `# Title`, or `title:` in front matter)"))
    return found


def empty_sections(blocks: list, owners: list[int], headings) -> tuple[tuple, list]:
    """A `section-empty` warning for each heading with nothing under it before the next at
    its level or above, or the end (a lesson's "Endnotes" above only footnote definitions,
    whose text goes to the notes). The last chapter's last heading, at the reference list's
    level and followed by it, is pandoc's convention for where the references go (`#
    References` at the end): its words title the list (`headings` returned so), and it leaves
    `blocks` and `owners`, in place; it was an empty numbered chapter before the list's own."""
    at, count = {}, 0  # top-level heading's block index → its index in `headings`
    for i, block in enumerate(blocks):
        for el in walk(block) if block["t"] == "Div" else [block]:
            if el["t"] == "Header":
                at[i] = count if el is block else at.get(i)
                count += 1
    found, titled = [], None
    for i, k in at.items():
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if k is None or owners[i] < 0 or (after is not None and not (after["t"] == "Header" and (
                owners[i + 1] < 0 or after["c"][0] <= blocks[i]["c"][0]))):
            continue
        if (after is not None and owners[i + 1] < 0 and after["c"][1][0] == "bibliography"
                and blocks[i]["c"][0] <= after["c"][0]):  # a chapter's heading, as the list's
            titled = (i, k)
        else:
            found.append(("section-empty", headings[k].file, headings[k].line, f"section "
                          f"'{headings[k].title}' holds nothing: an empty section in every format "
                          "(a footnote's text goes where the note is referenced, not under the "
                          "heading its definition follows)"))
    if titled:
        (i, k), headings = titled, list(headings)
        blocks[i + 1]["c"][2] = blocks[i]["c"][2]
        headings[k + 1] = replace(headings[k + 1], title=headings[k].title)
        del blocks[i], owners[i], headings[k]
    return tuple(headings), found


# A number typed before a heading's words: "3. Results", "2.1 Scope", "4) Costs" (a year, "2020
# in review", is no section number: a number alone must end in `.` or `)`)
_TYPED_NUMBER = re.compile(r"(?:\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+)\s")


def numbering(headings) -> list[tuple[str, str, int, str]]:
    """A warning for each numbered heading more than one level under the heading before it
    (`#` then `###`, numbered "1.0.1"): the contents, the PDF's bookmarks and screen readers
    lose a level, and EPUB checkers flag it; and for each that types its own number, which the
    build's then precedes ("1.2 3. Results"). Both in a real course; MyST warns of the first."""
    found, before = [], 0  # the level of the heading before (0: none yet)
    for heading in headings:
        skipped, before = heading.level > before + 1, heading.level
        if not heading.number or not heading.file:
            continue
        where = (heading.file, heading.line or 1)
        if skipped:
            found.append(("heading-skipped", *where, f"heading '{heading.title}' is more than one "
                          f"level under the heading before it (numbered {heading.number}): the "
                          "contents, bookmarks and screen readers skip a level; make it one "
                          "level under"))
        if _TYPED_NUMBER.match(heading.title):
            found.append(("heading-numbered", *where, f"heading '{heading.title}' types its own "
                          f"number, and the build numbers sections ('{heading.number} "
                          f"{heading.title}'): leave it out, or mark the heading {{.unnumbered}}"))
    return found


@functools.lru_cache(maxsize=8)
def _prose(lines: tuple[str, ...]) -> list[str]:
    """A chapter's lines outside code, made once for the up to 49 keys `cited_at` locates
    (each made them anew: a chapter of 20,000 paragraphs of unknown keys and broken links,
    its check's Python 31.5–32.6 → 27.2–27.5 s with `resources`' gate on raw tables)."""
    return prose(lines)


def cited_at(files, key: str) -> tuple[str | None, int | None]:
    """(chapter, line) of the first line citing `@key` (or `@{key}`)."""
    pattern = re.compile(rf"(?<![\w@])@{re.escape(key)}(?![\w])|@\{{{re.escape(key)}\}}")
    # outside code first: `@click` in an HTML listing is no citation
    for lines in (lambda written: _prose(tuple(written)), list):
        for source in files:
            for number, line in enumerate(lines(source.lines), 1):
                if pattern.search(line):
                    return source.shown, number
    return (files[0].shown if files else None), None


def citations_as_text(ast: dict, files) -> list[tuple[str, str, int, str]]:
    """With no bibliography a citation means nothing: `@name` (a GitHub handle, an npm package,
    `@commitlint/config-conventional`) stays text as written, each key once a warning at its
    line (`citation-as-text`), in case a bibliography was meant. Cross-references are not
    citations: `crossref` checks them."""
    found = Collected("citations kept as text")
    for key in dict.fromkeys(cite_keys(ast["blocks"])):
        if not crossref.is_cross_reference(key):
            found.add(lambda key=key: ManuscriptError(
                f"@{keys.shown(key)} is no citation, publication.yaml naming no bibliography: "
                f"it is printed as written (write \\@ to say so)", *cited_at(files, key)))
    return [("citation-as-text", e.path, e.line or 1, e.message) for e in found.listed()]


# Markup of other tools that pandoc reads as text, printed as text in every format (its quotes
# made typographic, its words hyphenated as any): an
# admonition of MkDocs (Python-Markdown) `dialects` could not read, the tags of Jekyll (Liquid),
# the shortcodes of Hugo and Quarto, the macros of templates (`{{Glossary("HTTP")}}` on MDN).
_FOREIGN = (
    (re.compile(r"^(!!!|\?\?\?\+?) ([A-Za-z]+)"),
     "MkDocs admonition {0} is text to pandoc: write a callout, ::: {{.callout-note}} … :::"),
    # to its first `%}`, never past another `{%`: `.*?-?%\}` read from each `{%` to the line's
    # end when none closed (a line of 40,000 `{% raw `: 7.8 s, 400,000 past any bound); the
    # tag's name whole (`\w*+`: its letters and the body's were split every way, 8,000 1.4 s)
    (re.compile(r"(?<!\{)\{%-? ?[a-z]\w*+(?:[^%{]|%(?!\})|\{(?!%))*%\}(?!\})"),
     "Jekyll (Liquid) tag {0} is text to pandoc: it is printed as text"),
    # (what a piece holds is bounded, {0,500}: an unclosed one was read from each opening to
    # the paragraph's end, quadratic in a line of `{{a(` or `\a{`)
    (re.compile(r"\{\{(?![<%])\s*[A-Za-z_][\w.-]*\s*(?:\(.{0,500}?\)\s*)?\}\}"),
     "template macro {0} (MDN's KumaScript, Jinja, Handlebars) is text to pandoc: it is printed "
     "as text"),
    (re.compile(r"\{\{[<%]-? ?/?[\w.-]+.{0,500}?-?[>%]\}\}"),
     "shortcode {0} (Hugo's, Quarto's) is text to pandoc: it is printed as text, and "
     "nothing it names is read (a note, alert or comment alone on its lines is read)"),
    (re.compile(r"\{\{#(?:include|rustdoc_include|playground|title)\b[^}]{0,500}\}\}"),
     "mdBook directive {0} is text to pandoc: it is printed as text, and nothing it names "
     "is read"),
    (re.compile(r"\\(?:begin|end)\{[A-Za-z]+\*?\}|\\[A-Za-z]+\*?(?:\[[^\]]{0,500}\])?\{[^}]{0,500}\}"),
     "LaTeX command {0} is printed as text: no format of the book is written by LaTeX (math "
     "goes between $ signs; a page break is \\newpage alone in its paragraph)"),
)


_WORDS = ("Str", "Space", "SoftBreak", "LineBreak")
_HTML_CODE = re.compile(r"<(/?)(code|kbd|samp|tt)\b", re.I)


def _words(inlines) -> list[str]:
    """The text of `inlines` outside code, in backticks or between HTML's `<code>` and
    `</code>` (pandoc gives the words between as text)."""
    words, code = [], 0
    for x in walk(inlines):
        if x["t"] == "RawInline" and (tag := _HTML_CODE.match(x["c"][1])):
            code = max(0, code - 1) if tag.group(1) else code + 1
        elif x["t"] in _WORDS and not code:
            words.append(x["c"] if x["t"] == "Str" else " ")
    return words


def foreign_markup(ast: dict, owners: list[int], files) -> list[tuple[str, str, int, str]]:
    """Every piece of another tool's markup in a paragraph or a heading, a `markup-foreign`
    warning at its line (a site's sources built as a book printed `{% include note.html %}`
    as text). Each is located by its opening (`{{Glossary`, `{%`): pandoc gives the rest with
    its quotes made typographic."""
    found, seen = Collected("pieces of other tools' markup"), {}
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue
        for el in walk(block):
            if el["t"] not in ("Para", "Plain", "Header"):  # a code block's directive: `includes`
                continue
            inlines = el["c"][2] if el["t"] == "Header" else el["c"]
            text = "".join(_words(inlines))  # not code: code may show any markup
            matches = sorted(((m, message) for pattern, message in _FOREIGN
                              for m in pattern.finditer(text)), key=lambda pair: pair[0].start())
            for match, message in matches:
                needle = re.match(r"[^\s(“”‘’\"']+", match.group(0)).group(0)
                nth = seen[(owner, needle)] = seen.get((owner, needle), -1) + 1
                shown = match.group(0) if len(match.group(0)) <= 40 else match.group(0)[:39] + "…"
                found.add(lambda m=message.format(shown), n=needle, o=owner, k=nth: ManuscriptError(
                    m, *written_line([files[o]], n, k, outside_code=True)))
    return [("markup-foreign", e.path, e.line or 1, e.message) for e in found.listed()]


def unknown_citations(ast: dict, files, bib) -> None:
    """Every citation key the bibliography lacks, each at its line."""
    known = bib.ids
    problems = Collected("citation keys not in the bibliography")

    def unknown(key: str) -> CitationError:
        shown, line = cited_at(files, key)
        return CitationError(f"citation key '@{keys.shown(key)}' is not in the bibliography"
                             f"{keys.citation_hint(key, known)}", shown, line)

    for key in dict.fromkeys(cite_keys(ast["blocks"])):
        if key not in known and not crossref.is_cross_reference(key):  # crossref reports those
            problems.add(lambda: unknown(key))
    problems.raise_all()


_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")  # `(.*?)\s*$`: every split of its spaces
_LANGUAGE = re.compile(r"^(?:[\w+#.-]+|\{[^}]*\})$")  # what opens a block: ```js, ```{.py}


def fences_left_open(files) -> list[tuple[str, str, int, str]]:
    """A line in a code block that opens another with a language (```` ```js ```` inside a
    block opened with ```` ``` ````): the block before was most likely never closed, the other's
    closing fence closes it, and the prose between is printed as code (a heading in it lost;
    javascript.info's Italian had one). A `fence-suspect` warning at that line, once a block;
    code that shows a fence is opened with a longer one (```` ```` ````), which this never
    reads as a block's end."""
    found = []
    for source in files:
        fence, said = None, False
        for number, line in enumerate(source.lines, 1):
            match = _FENCE_LINE.match(line)
            if not match:
                continue
            marks, rest = match.group(1), match.group(2).strip()
            if fence is None:
                fence, start, said = marks, number, False
            elif marks[0] == fence[0] and len(marks) >= len(fence):
                if not rest:
                    fence = None
                elif not said and _LANGUAGE.match(rest):
                    said = True
                    found.append(("fence-suspect", source.shown, number,
                                  f"{marks}{rest} opens a code block inside the one opened at "
                                  f"line {start} with {fence}: that one is likely never closed, "
                                  "and the text between is printed as code (to show a fence "
                                  f"in code, open the block with more: {fence[0] * (len(marks) + 1)})"))
    return found
