"""javascript.info's Markdown (the engine of The Modern JavaScript Tutorial and its
translations), read as its e-book shows it (see `dialects`).

Pandoc read all of it without a word, or refused it: a box ```` ```smart header="Title" ````
… ```` ``` ```` was a code block of prose, `[cut]` and `[iframe src="demo"]` were printed as
written, `*!*` and `*/!*` (the lines the site highlights) stayed in the code, and a link to
another article, `[](info:closure)` or `<info:closure>`, or to MDN, `[map](mdn:js/Array/map)`,
was an error (an unknown scheme).

- `container` and `rewrite_container`: its boxes (markdown-it-container with backticks, as
  many as the box needs to hold code fences of fewer): `smart`, `warn`, `ponder` and
  `spoiler` a callout (`> [!NOTE] Title`, the body quoted line for line and read again),
  `quote author="…"` a quotation and its author; `online` (what only the site shows) left out
  as the engine leaves it out of its e-books, `offline`, `summary` and `compare` their content.
- `block_tag`: a tag alone in its paragraph: `[cut]` (where the site's summary ends) is
  nothing; `[iframe …]`, `[codetabs …]`, `[demo]`, `[edit …]` (live examples, a sandbox) and
  `[recent …]`, `[old]` (banners) only the site can show: left out, a `markup-foreign` warning;
  `[js src="x.js"]` (a language's name) shows the file, as Quarto's `include` does.
- `links`: `info:slug` leads to the chapter of the edition whose file (or, in the tutorial's
  own layout `03-closure/article.md`, whose folder) is that article, less its number, else to
  the article on the site (`https://javascript.info/closure`, a translation's
  `https://it.javascript.info/closure`); a link without text shows the chapter's title or the
  address. `mdn:js/Array/map` is MDN's page, in the edition's language where MDN has it.
- `tidy`: `*!*`/`*/!*` taken out of code (the site highlights what they mark; the book shows
  the code), and an image's `![text|width=200](x.svg)` its text and size.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..ast import walk
from ..spans import delimited, outside_code, without

if TYPE_CHECKING:
    from ..manuscript import SourceFile

# the engine's boxes, each a markdown-it-container with backticks: the callout kind of each
# titled one (`header="…"`), and what the others are
_BOXES = {"smart": "note", "warn": "warning", "ponder": "note", "spoiler": "note"}
_SHOWN = ("offline", "summary", "compare")  # their content, as written
_LEFT_OUT = ("online",)  # the site's alone: the engine's e-books leave it out
_CONTAINER = re.compile(r"^(smart|warn|ponder|spoiler|quote|online|offline|summary|compare)"
                        r"(?:\s+(.*))?$")
_ATTR = re.compile(r"""([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?""")


def worth(text: str) -> bool:
    """Whether `text` may hold any of javascript.info's syntax (the line scan's gate)."""
    return ("info:" in text or "mdn:" in text or "[cut]" in text
            or bool(_WORTH.search(text)))


# (within a line: `^\s*` ran on from each line's start over every blank line after it, so a
# chapter of 20,000 blank lines took 5 s, each line read again from every line above it)
_WORTH = re.compile(r"^[^\S\n]*(?:`{3,}[^\S\n]*(?:smart|warn|ponder|spoiler|quote|online|offline"
                    r"|summary|compare)\b|\[\w+(?:[^\S\n][^\]\n]*)?\][^\S\n]*$)", re.M)


def attributes(written: str) -> dict[str, str]:
    """`header="A title" height=100 run` → {"header": "A title", "height": "100", "run": ""}."""
    return {m.group(1): next((g for g in m.groups()[1:] if g is not None), "")
            for m in _ATTR.finditer(written or "")}


def container(rest: str) -> tuple[str, dict] | None:
    """(name, attributes) of a fence opening one of the engine's boxes (None: a code fence)."""
    match = _CONTAINER.match(rest.strip())
    if not match or (match.group(2) and "=" not in match.group(2)
                     and match.group(1) not in ("compare",)):
        return None  # ```` ```quote something ```` without attributes: code of a language
    return match.group(1), attributes(match.group(2) or "")


def _end(out: list[str], number: int, marks: str, fence: re.Pattern) -> int | None:
    """The line closing the box opened at `out[number]`: the first fence of as many marks or
    more with nothing after them, as markdown-it-container reads it."""
    for end in range(number + 1, len(out)):
        match = fence.match(out[end])
        if match and match.group(2)[0] == marks[0] and len(match.group(2)) >= len(marks) \
                and not match.group(3).strip():
            return end
    return None


def rewrite_container(out: list[str], number: int, match: re.Match, box: tuple[str, dict],
                      fence: re.Pattern, read_again) -> int | None:
    """The box opened at `out[number]` rewritten line for line; the index of the line to scan
    next (None: a box never closed, left to pandoc as code). `read_again(lines, number)` reads a
    quoted body again (it may hold boxes, directives of its own)."""
    name, attrs = box
    indent, marks = match.group(1), match.group(2)
    end = _end(out, number, marks, fence)
    if end is None:
        return None
    if name in _LEFT_OUT:
        out[number:end + 1] = [""] * (end + 1 - number)
        return end + 1
    if name in _SHOWN:
        out[number] = out[end] = ""
        return number + 1  # the body is read on, where it stands
    body = [line[len(indent):] if line.startswith(indent) else line.lstrip()
            for line in out[number + 1:end]]
    body = read_again(body, number + 1)
    while body and not body[-1].strip() and name == "quote":
        body.pop()
    quoted = [indent + ("> " + line if line.strip() else ">") for line in body]
    if name == "quote":
        out[number] = indent + ">"
        author = " ".join(attrs.get("author", "").split())
        if author and quoted and quoted[-1].strip() != ">":
            quoted[-1] += "\\"  # the author on a line of its own under the quotation
        closing = indent + f"> — {author}" if author else ""
    else:
        title = " ".join(attrs.get("header", "").split())
        out[number] = indent + f"> [!{_BOXES[name].upper()}]" + (f" {title}" if title else "")
        closing = ""
    out[number + 1:end + 1] = quoted + [""] * (end - number - 1 - len(quoted)) + [closing]
    return end + 1


# a tag alone in its paragraph (the engine's `blockTags`): `[cut]`, `[iframe src="x"]`
_TAG = re.compile(r"^\s{0,3}\[(\w+)(?:\s+([^\]]*))?\]\s*$")
_WEB_ONLY = {"iframe": "a live example", "codetabs": "the files of an example, in tabs",
             "demo": "a live demo", "edit": "an online sandbox", "todo": "a note to its authors",
             "recent": "the 'recent addition' banner", "old": "the 'old material' banner"}
_SOURCES = {"js": "js", "html": "html", "css": "css", "javascript": "js", "json": "json",
            "markup": "html", "svg": "xml", "xml": "xml", "http": "http", "sql": "sql",
            "bash": "bash", "sh": "bash", "python": "python", "java": "java", "php": "php",
            "ruby": "ruby", "scss": "scss", "ts": "ts", "typescript": "ts", "jsx": "jsx"}


def block_tag(out: list[str], number: int, at: int, notices: list, defined: set[str]) -> bool:
    """Rewrites the engine's tag at `out[number]` when one stands alone in its paragraph (and is
    no link reference a `[label]: …` of the chapter defines); whether it did."""
    match = _TAG.match(out[number])
    if not match:
        return False
    name, rest = match.group(1).lower(), match.group(2) or ""
    alone = (number == 0 or not out[number - 1].strip()) and (
        number + 1 == len(out) or not out[number + 1].strip())
    if not alone or match.group(0).strip().lower() in defined or (
            name not in _WEB_ONLY and name != "cut" and name not in _SOURCES):
        return False
    attrs = attributes(rest)
    if name == "cut":
        out[number] = ""
    elif name in _SOURCES and attrs.get("src"):
        src = attrs["src"]
        out[number] = f'```{{.{_SOURCES[name]} include="{src}"}}'
        if number + 1 < len(out):
            out[number + 1] = "```"
        else:
            out.append("```")
    elif name in _WEB_ONLY:
        out[number] = ""
        what = f"[{match.group(1)}{(' ' + rest) if rest else ''}]"
        notices.append(("markup-foreign", at, f"javascript.info's {what[:60]} shows "
                        f"{_WEB_ONLY[name]}, which only the web page can: the book leaves it "
                        "out"))
    else:
        return False
    return True


def defined_labels(text: str) -> set[str]:
    """The link references a chapter defines (`[demo]: https://…`), as `[label]` in lower case.
    A label within its line: read on over lines, `[a` on each of 20,000 lines took 6.6 s."""
    return {f"[{m.group(1).lower()}]" for m in re.finditer(r"^\s{0,3}\[([^\]\n]+)\]:\s", text, re.M)}


# `](info:slug#hash)`, `<info:slug>`, `[x]: info:slug`, the same of `mdn:`
_LINK = re.compile(r"(\]\(\s*|<|^\s{0,3}\[[^\]]+\]:\s*)(info|mdn):([^\s)>\"']*)(>?)", re.M)
_EMPTY = re.compile(r"\[\]\(\s*((?:info|mdn):[^\s)]*)\s*\)")
# MDN's languages (its translated content): another edition's MDN links lead to English
_MDN_LOCALES = {"de": "de", "es": "es", "fr": "fr", "ja": "ja", "ko": "ko", "pt": "pt-BR",
                "ru": "ru", "zh": "zh-CN"}


class Links:
    """`info:` and `mdn:` links of one chapter, resolved against its edition."""

    def __init__(self, source_path: Path, lang=None):
        self.code = (getattr(lang, "code", None) or "en").split("-")[0].lower()
        self.here = source_path.parent
        self.chapters: dict[str, Path] = {}
        for path in getattr(lang, "files", ()) or ():
            path = Path(path)
            stem = path.stem if path.stem.lower() not in ("article", "index", "readme") \
                else path.parent.name
            self.chapters.setdefault(re.sub(r"^\d+[-_.]", "", stem).lower(), path)

    def rewrite(self, line: str) -> str:
        """`line` with its links of both schemes resolved, outside code spans."""
        return outside_code(line, self._resolved)

    def _resolved(self, text: str) -> str:
        text = _EMPTY.sub(r"<\1>", text)  # no text: the chapter's title, or the address
        return _LINK.sub(self._link, text)

    def _link(self, match: re.Match) -> str:
        opening, scheme, target, closing = match.groups()
        angle = opening == "<"
        if angle and not closing:
            return match.group(0)
        if scheme == "mdn":
            url = self._mdn(target)
            return f"<{url}>" if angle else opening + url + closing
        slug, _, fragment = target.partition("#")
        chapter = self.chapters.get(slug.lower()) if not slug.startswith("task/") else None
        if chapter is None:
            host = "javascript.info" if self.code == "en" else f"{self.code}.javascript.info"
            url = f"https://{host}/{slug}" + (f"#{fragment}" if fragment else "")
            return f"<{url}>" if angle else opening + url + closing
        relative = _relative(chapter, self.here) + (f"#{fragment}" if fragment else "")
        if angle:
            return f"[{_escaped(slug)}]({relative})"  # the slug: no other file is read here
        return opening + relative + closing

    def _mdn(self, target: str) -> str:
        """The engine's `mdn:` address: `js/…` a global object's page, `api/…` an interface's,
        else the path under `Web/` (its first part replaced)."""
        parts = target.split("/")
        first = parts.pop(0) if parts else ""
        prefix = {"js": "JavaScript/Reference/Global_Objects/", "api": "API/"}.get(first.lower(), "")
        locale = _MDN_LOCALES.get(self.code, "en-US")
        return f"https://developer.mozilla.org/{locale}/docs/Web/{prefix}{'/'.join(parts)}"


class Context:
    """What the scan of one chapter knows of it: javascript.info's links (made when a line
    needs them) and the link references it defines (`[demo]: …` makes `[demo]` a link)."""

    def __init__(self, source: "SourceFile", lang):
        self.source, self.lang, self._links = source, lang, None
        self.defined = defined_labels(source.text) if "]:" in source.text else set()

    @property
    def links(self) -> Links:
        if self._links is None:
            self._links = Links(self.source.path, self.lang)
        return self._links


def _relative(path: Path, folder: Path) -> str:
    try:
        return PurePosixPath(Path(path).resolve().relative_to(folder.resolve())).as_posix()
    except ValueError:
        return PurePosixPath(os.path.relpath(Path(path).resolve(), folder.resolve())).as_posix()


def _escaped(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", text)


# ---- the tree: after pandoc's parse

_WHOLE_OPEN = re.compile(r"^\s*\*!\*\s*$")
_WHOLE_CLOSE = re.compile(r"^\s*\*/!\*\s*$")
# from a run of spaces' start only: searched from each of its spaces, `\s*` read the run again
_ENDS = re.compile(r"(?<!\s)\s*\*!\*\s*$")


def unmarked(code: str) -> str:
    """`code` without the engine's highlight marks, as its `extractHighlight` takes them out: a
    line `*!*` … a line `*/!*` (the lines between highlighted), `*!*x*/!*` in a line, a line
    ending in `*!*`. A mark of no pair stays: it is the code's."""
    lines, out, opened = code.split("\n"), [], None
    closes = [i for i, line in enumerate(lines) if _WHOLE_CLOSE.match(line)]
    for i, line in enumerate(lines):
        if _WHOLE_OPEN.match(line) and opened is None and any(c > i for c in closes):
            opened = i
            continue
        if _WHOLE_CLOSE.match(line) and opened is not None:
            opened = None
            continue
        if "*!*" in line and "*/!*" in line:  # each mark to the first close after it
            line = without(line, delimited(line, ("*!*", "*/!*")), lambda marked: marked[3:-4])
        elif _ENDS.search(line) and line.strip() != "*!*":
            line = _ENDS.sub("", line)
        out.append(line)
    return "\n".join(out)


# after an image text's last `|`: `width=200 height=100`, a space between (`(?:key=value\s*)+`
# let a value and the next key share letters: split every way, 2^n tries for n pairs of
# three letters never ending well, 40 of them hung)
_SIZE = re.compile(r"\s*([\w-]+=\"?[\w.%]+\"?(?:\s+[\w-]+=\"?[\w.%]+\"?)*)\s*")


def tidy(blocks: list) -> None:
    """Code without its highlight marks, images with their size as the engine reads it from
    their text (`![A drawing|width=200 height=100](x.svg)`), in place."""
    for el in walk(blocks):
        if el.get("t") == "CodeBlock" and ("*!*" in el["c"][1] or "*/!*" in el["c"][1]):
            el["c"][1] = unmarked(el["c"][1])
        elif el.get("t") == "Image" and el["c"][1]:
            last = el["c"][1][-1]
            text = "".join(x.get("c", " ") if x.get("t") == "Str" else " " for x in el["c"][1])
            if "|" not in text or last.get("t") != "Str":
                continue
            match = _SIZE.fullmatch(text.rpartition("|")[2])
            if match:
                sizes = attributes(match.group(1))
                kept = [[k, v] for k, v in el["c"][0][2] if k not in ("width", "height")]
                el["c"][0][2] = kept + [[k, sizes[k] + ("px" if sizes[k].isdigit() else "")]
                                        for k in ("width", "height") if sizes.get(k)]
                el["c"][1] = _alt_before_bar(el["c"][1])


def _alt_before_bar(alt: list) -> list:
    """The inlines of an image's text before its `|`."""
    kept = []
    for x in alt:
        if x.get("t") == "Str" and "|" in x["c"]:
            before = x["c"].split("|", 1)[0]
            if before:
                kept.append({"t": "Str", "c": before})
            break
        kept.append(x)
    while kept and kept[-1].get("t") in ("Space", "SoftBreak"):
        kept.pop()
    return kept
