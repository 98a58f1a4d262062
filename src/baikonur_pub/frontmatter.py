"""A chapter's front matter, as sources written for Jekyll, Hugo, Quarto or MkDocs carry it.

Chapters carry no metadata for pandoc (its YAML block and `%` title block are off in the
reader: they would be pandoc options chosen by the manuscript, `csl`, `bibliography`,
`cover-image`…). Front matter is read here instead, with the configuration's bounded safe YAML
loader: `title` becomes the chapter's level-1 heading (unless its text opens with one of its
own), `lang` must be its edition's, and every other key is set aside (a `front-matter-ignored`
warning of the cross-check).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .config import Language
from .dialects.liquid import shows_nothing
from .errors import ConfigError, ManuscriptError
from .sources import line_of, lines as split_lines, load_yaml_text

if TYPE_CHECKING:
    from .manuscript import SourceFile

_OPENS = re.compile(r"\A(?:[ \t]*\n)*---[ \t]*\n(?=[ \t]*\S)")
_CLOSES = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
FRONT_KEYS = ("title", "lang", "language")  # what front matter says; the rest is set aside


_TITLE_LINE = re.compile(r"^\s{0,3}#(?!#)\s")


def _block(source: "SourceFile"):
    """(the front matter's mapping, its keys' lines, the line of its opening `---`, the match
    of its closing one), or None for a chapter without; a located error for a broken one."""
    text, shown = source.text, source.shown
    opened = _OPENS.match(text)
    if not opened:
        return None
    first = text.count("\n", 0, opened.end())  # the line of the opening `---`
    closed = _CLOSES.search(text, opened.end())
    if not closed:
        raise ManuscriptError("front matter is not closed: end it with a line `---` (or `...`)",
                              shown, first)
    try:
        data, lines = load_yaml_text(text[opened.end():closed.start()], shown, first + 1)
    except ConfigError as exc:  # the chapter's, not the configuration's
        raise ManuscriptError(f"front matter: {exc.message}", shown, exc.line) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ManuscriptError("front matter must be a mapping of keys to values", shown, first + 1)
    return data, lines, first, closed


def declared(source: "SourceFile") -> str:
    """The language a file's front matter says (`lang`, else `language`), "" for none: what
    two files compared are in when no option says."""
    data = (_block(source) or ({},))[0]
    return next((str(data[key]).strip() for key in ("lang", "language") if data.get(key)), "")


def _own_title(body: list[str]) -> bool:
    """Whether the chapter's text opens with a level-1 heading of its own (`# Title`, or a
    line underlined `===`): then that is its title, as Docusaurus and Jekyll show it, and the
    front matter's is the page's name only (both made two chapters of one)."""
    lines = [line for line in body if line.strip() and not shows_nothing(line)][:2]
    return bool(lines) and (bool(_TITLE_LINE.match(lines[0])) or (
        len(lines) > 1 and re.fullmatch(r"\s{0,3}=+\s*", lines[1]) is not None
        and body.index(lines[1]) == body.index(lines[0]) + 1))


def read(source: "SourceFile", lang: Language | None) -> "SourceFile":
    """`source` with its front matter read: a `title` is the chapter's level-1 heading, on the
    line of its key, and every other line of the block is left blank, so each line after it
    keeps its number; a `lang` (or `language`) other than the edition's is an error (a chapter
    listed under the wrong language; `None`: two files compared, whose language it says);
    other keys are set aside, named in `ignored`."""
    text, shown = source.text, source.shown
    found = _block(source)
    if found is None:
        return source
    data, lines, first, closed = found
    title = data.get("title")
    if title is not None and not isinstance(title, (str, int, float)):
        raise ManuscriptError("front matter 'title' must be text", shown, line_of(lines, "title"))
    for key in ("lang", "language"):
        said = str(data.get(key) or "").strip()
        if lang and said and said.replace("_", "-").split("-")[0].lower() != lang.code.split("-")[0].lower():
            raise ManuscriptError(f"front matter says {key}: {said}, but the chapter is listed "
                                  f"under '{lang.code}' in publication.yaml", shown,
                                  line_of(lines, key))
    end = text.count("\n", 0, closed.end()) + (not closed.group().endswith("\n"))
    replaced = [""] * (end - first + 1)
    body = split_lines(text)
    if title is not None and " ".join(str(title).split()) and not _own_title(body[end:]):
        # a `<` opening a tag is text, as a site shows a page's title: MDN's "<table>: The
        # Table element" was raw HTML never closed, and the chapter was refused
        shown_title = _TAG_OPEN.sub(r"\\<", " ".join(str(title).split()))
        replaced[line_of(lines, "title") - first] = "# " + shown_title
    kept = body[:first - 1] + replaced + body[end:]
    ignored = tuple(str(k) for k in data if k not in FRONT_KEYS)
    return replace(source, text="\n".join(kept) + ("\n" if text.endswith("\n") else ""),
                   ignored=ignored, front_line=first)
