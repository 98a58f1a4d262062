"""The project's files: bounded UTF-8 reads with a located error, YAML with line numbers and
limits (what the build writes: `writing`).

YAML goes through PyYAML's SafeLoader (what `yaml.safe_load` uses; its libyaml twin
CSafeLoader where PyYAML has it), so a `!!python/object` tag is an error, never code. We
compose the node tree ourselves to keep each key's line for error messages, and walk it once
with a budget: an alias bomb (nine levels of nine aliases in 400 bytes) expands to more nodes
than the budget allows and is refused before anything else walks the data. A key given twice
is an error (PyYAML would keep the last silently).
"""

from __future__ import annotations

import copy
import functools
import html
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from .ast import walk
from .errors import ConfigError, ManuscriptError, PublishError, raise_all
from .spans import code_spans, without

Lines = dict[tuple, int]

MAX_TEXT_BYTES = 8 * 1024 * 1024  # far beyond any chapter or bibliography of a report
MAX_YAML_NODES = 200_000  # after alias expansion; a 1,000-entry bibliography has ~30,000
# C0 and C1 controls other than tab, line feed and carriage return: invisible in an editor,
# invalid in XML (reports, EPUB) and, for form feed and the like, line breaks to Python only.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_bytes(path: Path, error: type[PublishError] = ConfigError, shown: str | None = None,
               limit: int = MAX_TEXT_BYTES) -> bytes:
    """At most `limit` bytes of a regular file, or a located error (a device such as /dev/zero,
    a folder, an unreadable or oversized file are refused, never read for ever)."""
    shown = shown or str(path)
    try:  # O_NONBLOCK: opening a FIFO must not wait for a writer that never comes
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise error("not a regular file", shown)
            raw = handle.read(limit + 1)
    except FileNotFoundError:
        raise error("file not found", shown) from None
    except IsADirectoryError:
        raise error("not a regular file", shown) from None
    except OSError as exc:
        raise error(f"cannot read file: {exc.strerror}", shown) from None
    if len(raw) > limit:
        raise error(f"file is over the {limit // 2**20} MiB limit", shown)
    return raw


def read_text(path: Path, error: type[PublishError] = ConfigError, shown: str | None = None,
              limit: int = MAX_TEXT_BYTES) -> str:
    """The file's text, or an error naming the line of the first byte that is not UTF-8 or of
    the first control character, or one error per merge conflict git left in it (`conflicts`),
    each at its `<<<<<<<` line. Line ends are normalised to `\\n`."""
    shown = shown or str(path)
    raw = read_bytes(path, error, shown, limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", shown, line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    bad = _CONTROL.search(text)
    if bad:
        raise error(f"control character U+{ord(bad.group()):04X} in the text (invisible in an "
                    "editor, invalid in the artifacts): remove it", shown,
                    text.count("\n", 0, bad.start()) + 1)
    if text.startswith("<<<<<<<") or "\n<<<<<<<" in text:
        raise_all([error(f"unresolved merge conflict (git's <<<<<<<, ======= and >>>>>>> lines, "
                         f"down to line {end}): keep the text that belongs and delete the markers",
                         shown, start) for start, end in conflicts(lines(text))])
    return text


def lines(text: str) -> list[str]:
    """The text's lines as an editor numbers them: split at `\\n` only (str.splitlines would also
    split at U+2028, U+0085 and the like, and shift every later line number)."""
    parts = text.split("\n")
    return parts[:-1] if parts and parts[-1] == "" else parts


def written_line(sources, needle: str, nth: int = 0, outside_code: bool = False,
                 whole: bool = False) -> tuple[str | None, int | None]:
    """`first_line` of `needle`, else of it as the author wrote it, where pandoc handed it
    over percent-escaped (`http:/ /x` arrives as `http:/%20/x`, `(#a b)` as `#a%20b`) or
    decoded (`#r&eacute;sum&eacute;` arrives as `#résumé`); only in the text outside code with
    `outside_code` (what the AST has outside code: raw HTML, links, images), falling back to
    any line. `whole`: only where the needle ends before a space, a bracket or a quote (a link
    target, not the start of a longer one)."""
    if outside_code:
        found = written_line([_Prose(s.shown, prose(s.lines)) for s in sources], needle, nth,
                             whole=whole)
        if found[1] is not None:
            return found
    found = first_line(sources, needle, nth, whole)
    plain = unquote(needle)
    if found[1] is None and plain != needle:
        found = first_line(sources, plain, nth, whole)
    if found[1] is None and plain:
        decoded = [_Prose(s.shown, [html.unescape(line) if "&" in line else line
                                    for line in s.lines]) for s in sources]
        again = first_line(decoded, plain, nth, whole)
        if again[1] is not None:
            return again
    return found


@dataclass(frozen=True)
class FileLines:
    """A file's lines, read only when a problem needs locating in it (the bibliography: no
    chapter, but a source of the AST's generated reference list)."""

    shown: str
    path: Path

    @property
    def lines(self) -> list[str]:
        return read_text(self.path, PublishError, self.shown).split("\n")


_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# code written as HTML on one line (`<code>{{ id }}</code>`, `<kbd>`, `<samp>`): code too
# (never past the next opening: from each `<code>` never closed, `.*?` read to the line's end)
_HTML_CODE = re.compile(r"<(code|kbd|samp|tt)\b[^<>]*>(?:(?!<(?:code|kbd|samp|tt)\b).)*?</\1\s*>", re.I)


def _opens(match: re.Match, line: str) -> bool:
    """Whether a line starting with a fence opens a code block in pandoc's Markdown: after the
    fence comes nothing, one word (the language; no backtick after backticks) or attributes in
    braces. ```` ```html run height=100 ```` is a paragraph, as CommonMark would not have it."""
    rest = line[match.end():].strip()
    if rest.startswith("{"):
        return rest.endswith("}")
    return not rest or (len(rest.split()) == 1 and not (match.group(1)[0] == "`" and "`" in rest))


def _fence_step(fence: str | None, line: str,
                strict: bool = False) -> tuple[bool, str | None, bool]:
    """One line of `fenced`: whether it is code, the fence open after it, and whether it looked
    like a fence and opened no block."""
    match = _FENCE_RE.match(line)
    if fence:
        closes = (match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
                  and not line[match.end():].strip())
        return True, None if closes else fence, False
    if match and (not strict or _opens(match, line)):
        return True, match.group(1), False
    return False, None, bool(match)


def fenced(lines, strict: bool = False) -> tuple[list[bool], tuple[str, int, int | None] | None]:
    """For each line, whether it belongs to a fenced code block (its fences too), and for a
    block never closed (its fence, its line, the last line before it that looked like a fence
    and was not). A fence closes with as many of its characters or more, alone on its line.

    Any line starting with a fence opens one, unless `strict`: then only what opens one in
    pandoc's Markdown (`_opens`). ```` ```warn header="x" ```` is a paragraph to pandoc, so the
    fence meant to close it opens a block; but a paragraph ```` ```js run ```` … ```` ``` ````
    is inline code to pandoc, which no line scan can tell: strict is for locating a block left
    open once the parse showed one was."""
    inside, fence, start, refused = [], None, 0, None
    for number, line in enumerate(lines, 1):
        code, after, looked = _fence_step(fence, line, strict)
        inside.append(code)
        start = number if after and not fence else start
        refused = number if looked else refused
        fence = after
    return inside, (fence, start, refused) if fence else None



def in_display_math(lines: list[str], code: list[bool]) -> list[bool]:
    """For each line, whether it starts inside display math: after an odd number of `$$`
    outside `code` (`fenced`) on the lines before it."""
    inside, math = [], False
    for line, in_code in zip(lines, code):
        inside.append(math)
        if not in_code and line.count("$$") % 2:
            math = not math
    return inside

# Git's conflict markers (merge, rebase, stash pop, cherry-pick), seven characters at the start
# of a line: the start and the end carry a label, diff3 and zdiff3 add the base's `|||||||`
# between the start and the separator.
_CONFLICT_START = re.compile(r"<{7}(?:[ \t].*)?$")
_CONFLICT_BASE = re.compile(r"\|{7}(?:[ \t].*)?$")
_CONFLICT_SEPARATOR = re.compile(r"={7}[ \t]*$")
_CONFLICT_END = re.compile(r">{7}(?:[ \t].*)?$")


def conflicts(lines: list[str]) -> list[tuple[int, int]]:
    """The unresolved merge conflicts git left in `lines`: (line of `<<<<<<<`, line of
    `>>>>>>>`), 1-based. Only a start outside a fenced code block followed by a separator
    `=======` (after diff3's `|||||||`, if any) and an end, with no other start between: a
    `=======` alone underlines a heading, and a tutorial about git shows markers in code. The
    fences are followed through each conflict's first side only (both sides may open one)."""
    out, fence, number = [], None, 0
    while number < len(lines):
        line, number = lines[number], number + 1
        found = not fence and _CONFLICT_START.match(line) and _conflict_at(lines, number)
        if found:
            first_side_end, end = found
            out.append((number, end))
            for ours in lines[number:first_side_end - 1]:
                fence = _fence_step(fence, ours)[1]
            number = end
        else:
            fence = _fence_step(fence, line)[1]
    return out


def _conflict_at(lines: list[str], start: int) -> tuple[int, int] | None:
    """(line of the marker ending the first side, line of the end) of the conflict opened on
    line `start`, or None. The scan stops at the next start: finding them all reads a file
    about twice, however many starts lack an end."""
    first_side_end = separator = None
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if _CONFLICT_START.match(line):
            return None
        if separator is None:
            if _CONFLICT_SEPARATOR.match(line):
                separator = number
                first_side_end = first_side_end or number
            elif first_side_end is None and _CONFLICT_BASE.match(line):
                first_side_end = number
        elif _CONFLICT_END.match(line):
            return first_side_end, number
    return None


def prose(lines: list[str]) -> list[str]:
    """`lines` with code left out: a fenced block's lines blank, a code span on a line removed
    (in backticks or HTML's `<code>`)
    (for locating what pandoc found outside code: a `<script>` refused as raw HTML was put at
    an earlier line that showed `` `<script>` `` as code)."""
    inside, _ = fenced(lines)
    return ["" if code else _spans_out(line) for line, code in zip(lines, inside)]


def _spans_out(line: str) -> str:
    if "`" in line:
        line = without(line, code_spans(line))
    return _HTML_CODE.sub("", line) if "<" in line else line


@dataclass(frozen=True)
class _Prose:
    shown: str
    lines: list


def first_line(sources, needle: str, nth: int = 0,
               whole: bool = False) -> tuple[str | None, int | None]:
    """(shown path, line) of the first of `sources` (objects with `.shown` and `.lines`) whose
    line holds `needle` — or the `nth` such line (0: the first; the last when there are fewer),
    for the `nth` problem with the same needle: each was put at the first line, and the same
    problem twice counts once, so the others hid until it was fixed. The first source without
    a line when none holds it."""
    found = None
    ends = re.compile(re.escape(needle) + r"(?=[\s)>\]\"'|]|$)") if whole and needle else None
    for source in sources:
        for number, text in enumerate(source.lines, 1):
            if needle and needle in text and (ends is None or ends.search(text)):
                found = (source.shown, number)
                if nth == 0:
                    return found
                nth -= 1
    return found or ((sources[0].shown if sources else None), None)


# libyaml's parser under PyYAML's safe constructor, where PyYAML was built with it (the wheels
# are): the 50× manuscript's waivers load in 0.06 s instead of 0.66 s (measured). A file it
# refuses is read again by PyYAML's own parser, whose messages say what it found.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, shown: str | None = None) -> tuple[Any, Lines]:
    """Parse a YAML file safely; return the data and a map from key path to 1-based line."""
    shown = shown or str(path)
    return parse_yaml(read_text(path, ConfigError, shown), shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, Lines]:
    """`load_yaml` of a file's text, read already."""
    data, lines = _parsed(text, shown)
    return copy.deepcopy(data), dict(lines)


# The files of the styles and the configuration are read by every build and check; a process
# that runs many (the preview, the tests) parses each text once: a copy costs 0.27 ms where
# the parse of styles/typography.yaml costs 4.2 ms (measured). Keyed by the text, never stale.
@functools.lru_cache(maxsize=16)
def _parsed(text: str, shown: str) -> tuple[Any, Lines]:
    try:
        return _load(text, _FAST_LOADER, shown)
    except ConfigError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
    return _load(text, yaml.SafeLoader, shown)


def load_yaml_text(text: str, shown: str, first_line: int = 1) -> tuple[Any, Lines]:
    """`load_yaml` of text that begins at line `first_line` of `shown` (a chapter's front
    matter): the same safe loader and bounds, lines counted in the whole file."""
    return _load("\n" * (first_line - 1) + text, yaml.SafeLoader, shown)  # lines as in the file


def _load(text: str, loader_class, shown: str) -> tuple[Any, Lines]:
    loader = None
    try:
        loader = loader_class(text)  # PyYAML's reader refuses some characters here already
        node = loader.get_single_node()
        lines: Lines = {}
        if node is not None:
            _collect_lines(node, (), lines, [MAX_YAML_NODES], shown)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.problem and exc.context and exc.context_mark and mark is not exc.context_mark:
            problem += f" ({exc.context} at line {exc.context_mark.line + 1})"
        raise ConfigError(f"invalid YAML: {problem}", shown, mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, RecursionError) as exc:
        what = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ConfigError(f"invalid YAML: {what}", shown) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


def _collect_lines(node: yaml.Node, path: tuple, lines: Lines, budget: list[int], shown: str) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise ConfigError(f"YAML expands to more than {MAX_YAML_NODES:,} values (aliases "
                          "repeating aliases?)", shown, node.start_mark.line + 1)
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen and key.tag != "tag:yaml.org,2002:merge":
                    raise ConfigError(f"key '{key.value}' appears twice (first at line "
                                      f"{seen[key.value]})", shown, key.start_mark.line + 1)
                seen[key.value] = key.start_mark.line + 1
            sub = path + (getattr(key, "value", None),)
            _collect_lines(value, sub, lines, budget, shown)
            lines[sub] = key.start_mark.line + 1  # the key's own line reads best in messages
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, path + (index,), lines, budget, shown)


def line_of(lines: Lines, *path) -> int | None:
    """The line of the deepest known prefix of `path` (so a bad value points near its key)."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def swallowed(culprit, blocks: list[dict], mark: str) -> ManuscriptError:
    """The error for the block of `culprit` that holds the next chapter's `mark`, at the line
    that opens it: a `<div class="x">` (or `{#id}`) whose closing tag pandoc read as code
    (indented four spaces, as an HTML editor writes it) swallowed the rest of the book."""
    import json

    holder = next((b for b in blocks if mark in json.dumps(b, ensure_ascii=False)), None)
    line = None
    if holder is not None and holder["t"] == "Div":
        ident, classes, _ = holder["c"][0]
        for needle in [f'id="{ident}"' if ident else "", *(f'"{c}"' for c in classes),
                       *(f".{c}" for c in classes)]:
            line = next((i for i, text in enumerate(culprit.lines, 1) if needle
                         and needle in text and ("<" in text or ":::" in text)), None)
            if line:
                break
    code = holder is not None and any(el["t"] == "CodeBlock" and "</" in el["c"][1]
                                      for el in walk(holder))
    return ManuscriptError(
        "this block (raw HTML or a fenced div) is never closed and runs into the next chapter"
        + (": a line indented four spaces or more inside it is code to pandoc, so an end tag "
           "there closes nothing: indent the HTML less" if code
           else ""), culprit.shown, line or len(culprit.lines))
