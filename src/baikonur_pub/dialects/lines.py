"""The line scan: a chapter's lines read once, each construct of another tool rewritten line
for line where it stands, code left alone (see `dialects`)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import spans
from ..callouts import ALERT_COLOURS, kind_of
from ..sources import fenced
from . import (bookdown, d2lbook, jsinfo, latex, liquid, mathenv, mdn, mdx, myst, pymdown, rules,
               svelte, targets)
from .above import ITEM, Above, code_lines as find_code_lines
from .attributes import ATTRIBUTE, quoted, titled_div
from .directives import BRACED, FENCE, closes, colon, named_fence, under_text

if TYPE_CHECKING:
    from ..manuscript import SourceFile

# a list may follow a paragraph's line, as CommonMark has it (`lists_without_preceding_blankline`);
# a number other than 1 there is still the paragraph's text ("ended in\n1945. After"), as there
_ORDERED = re.compile(r"^(\s{0,3}(?!0*1[.)])\d{1,9})([.)])(?=\s)")
_MKDOCS = re.compile(r'^(!!!|\?\?\?\+?)\s+([\w-]+)(?:\s+"(.*)")?\s*$')


def read(source: "SourceFile", lang=None, values=None) -> "SourceFile":
    """`source` with other tools' block syntax rewritten line for line; what it meant and
    could not be kept is in `source.notices`. `lang`, the edition's language (its `code` and
    chapter `files`), is where javascript.info's `info:` links lead (`jsinfo.Links`);
    `values`, the names Svelte's blocks test (`svelte`)."""
    lines = source.text.split("\n")
    notices: list[tuple[str, int, str]] = []
    # which lines are fenced code, found once: the rewrites below add or blank no fence
    glyphs = _GLYPH_WORTH.search(source.text)
    code = fenced(lines)[0] if "\\" in source.text or "---" in source.text or glyphs else []
    changed = bool(glyphs) and _glyph_items(lines, code)
    changed |= mathenv.worth(source.text) and mathenv.display(lines, code)  # before `latex`
    changed |= rules.apart(lines, code) | latex.layout(lines, code, notices)  # every chapter
    changed |= bookdown.worth(source.text) and bookdown.refs(lines, code, notices)
    if myst.notebook(source):  # `$ x $` is MyST's math, `+++` its cell break
        changed |= myst.notebook_lines(lines, code or fenced(lines)[0])
    d2l = d2lbook.worth(source.text) and d2lbook.rewrite(lines, notices)
    if not d2l and not _worth_reading(source.text):
        return replace(source, text="\n".join(lines), notices=source.notices + tuple(notices)) \
            if changed else source
    context = jsinfo.Context(source, lang)
    verbatim = liquid.rewrite(lines, notices) if liquid.worth(source.text) else set()
    rewritten = _rewrite(svelte.choose(lines, source.shown, values) if svelte.worth(source.text)
                         else lines, 0, notices, context, verbatim)
    if rewritten == source.text.split("\n") and not notices:
        return source
    return replace(source, text="\n".join(rewritten),
                   notices=source.notices + tuple(notices))


# A list written with a word processor's bullets, `• item` (text pasted from a document): a
# paragraph to pandoc, its items run together ("• x: vectors. • w: weights.") in every format.
_GLYPH = re.compile(r"^( {0,3})[•◦▪‣⁃]( +)(?=\S)")
_GLYPH_WORTH = re.compile(r"^ {0,3}[•◦▪‣⁃] ", re.M)


def _glyph_items(lines: list[str], code: list[bool]) -> bool:
    """Make, in place, each line outside `code` that starts with a bullet glyph and opens a
    block (after a blank line, or inside a list made so: its items, their lines) a list
    item. True if any was. A glyph a paragraph's line wrapped to ("A\n• B") stays text."""
    changed, in_list = False, False
    for index, line in enumerate(lines):
        glyph = None if code[index] else _GLYPH.match(line)
        after_blank = index == 0 or not lines[index - 1].strip()
        if glyph and (after_blank or in_list):
            lines[index] = glyph.group(1) + "-" + line[glyph.end(1) + 1:]
            changed = in_list = True
        elif line.strip() and after_blank:
            in_list = in_list and line.startswith((" ", "\t"))  # a paragraph of its item, or not
    return changed


# a fence whose language has more after it, VitePress' ```` ```js [config.js] ````,
# ```` ```ts:line-numbers ````: the only such marks the ones below miss
_MORE_THAN_LANGUAGE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*[\w+#.-]+(?:[ \t]+\S|[\[:=,])",
                                 re.M)


def _worth_reading(text: str) -> bool:
    return jsinfo.worth(text) or myst.worth(text) or (any(mark in text for mark in (
        "{", "!!!", "???", ")=", ":::", "[[", "<<<", "@include", *pymdown.WORTH))
            or bool(_MORE_THAN_LANGUAGE.search(text)) or bool(_FENCE_UNDER_TEXT.search(text))
            or bool(_NUMBER_UNDER_TEXT.search(text))
            or bool(_TAG_LINE.search(text)))


_TAG_LINE = re.compile(r"^[ \t]*</?[A-Z]", re.M)  # a JSX component's tag (`mdx`)
# A line's last character that is not a space, then the next line: `\S[^\n]*\n` tried each
# character of a line as the start, each reading to the line's end (40,000 letters 2.4 s).
_NUMBER_UNDER_TEXT = re.compile(r"\S[^\S\n]*\n[ \t]{0,3}\d{1,9}[.)]\s")  # `_ORDERED`
_FENCE_UNDER_TEXT = re.compile(r"\S[^\S\n]*\n[ \t]+(?:`{3,}|~{3,})")  # in a list item: `_under_text`


def _rewrite(lines: list[str], offset: int, notices: list, context: jsinfo.Context | None = None,
             verbatim: set[int] = frozenset()) -> list[str]:
    """`lines` (the first is line `offset + 1` of the file) rewritten, but for the indexes in
    `verbatim` (what Jekyll's `{% raw %}` holds)."""
    out = list(lines)
    fence = None  # the fence of the code block we are in: nothing in it is rewritten
    # backtick directives made divs: their fence, to close, and the indent of their opening
    closers: list[tuple[str, int, str | None]] = []
    divs: list[str] = []  # the indent of each colon fence still open
    blocks = pymdown.Blocks(out)  # pymdownx's `/// tip` … `///`
    components = mdx.Components(out)  # MDX's `<DeepDive>` … `</DeepDive>`
    code_lines = None  # the lines of indented code blocks (`above.code_lines`), found when needed
    above = Above(out)
    number = 0
    while number < len(out):
        line, at = out[number], offset + number + 1
        if number in verbatim:
            number += 1
            continue
        match = FENCE.match(line)
        if match and len(match.group(1).expandtabs(4)) > 3 and not above.in_item(number):
            match = None  # indented code, showing a fence
        if fence:
            if match and closes(match, fence):
                fence = None
            number += 1
            continue
        if match and match.group(2)[0] != ":":
            if number and out[number - 1].strip() and above.in_item(number):
                match = FENCE.match(under_text(out, number, match, ITEM)) or match
            marks, rest = match.group(2), match.group(3).strip()
            if closers and not rest and marks[0] == closers[-1][0] and len(marks) >= closers[-1][1]:
                # at the opening's indent: MyST closes where CommonMark does (indented up to
                # three spaces), pandoc's `:::` indented past the item's text is the item's
                # (None: a gated directive's start, whose fence closes no div)
                opened = closers.pop()[2]
                out[number] = "" if opened is None else opened + ":::"
            elif braced := BRACED.match(rest):
                fence = named_fence(out, number, match, braced, at, notices, closers)
            elif (box := jsinfo.container(rest)) is not None and (after := jsinfo.rewrite_container(
                    out, number, match, box, FENCE,
                    lambda body, first: _rewrite(body, offset + first, notices, context))
                  ) is not None:  # javascript.info's ```` ```smart header="…" ````
                number = after
                continue
            else:
                fence = marks
                if _LINE_MARKS.match(rest):  # VitePress' ```` ```{1,3} ````, no language
                    out[number] = match.group(1) + marks
                elif (mdn_attrs := mdn.fence(rest)) == mdn.HIDDEN:  # ```` ```css hidden ````
                    fence, number = _left_out(out, number, marks)
                    continue
                elif mdn_attrs is not None:  # ```` ```js-nolint ````
                    out[number] = match.group(1) + marks + mdn_attrs
                elif _MORE.match(rest) and not rest.startswith("{"):
                    out[number] = match.group(1) + marks + _fence_attrs(rest)
            number += 1
            continue
        if ("{" in line or "info:" in line or "mdn:" in line or "$$" in line or "[](" in line) \
                and not match:
            code_lines = find_code_lines(out) if code_lines is None else code_lines
            if number not in code_lines and ("}`" in line or "$$" in line or "[](" in line):
                myst.wrapped(out, number, at, notices)  # `{ref}`label``
                line = out[number]
            if number not in code_lines and "={" in line:  # JSX's `<img width={300} />`
                line = out[number] = mdx.attributes(line, at, notices)
            if number not in code_lines and "{{" in line:  # MDN's `{{jsxref("Map")}}`
                line = out[number] = mdn.macros(line, at, notices)
            if number not in code_lines and context and ("info:" in line or "mdn:" in line):
                line = out[number] = context.links.rewrite(line)  # javascript.info's links
        if match and match.group(3).strip():  # a colon fence: MyST's `:::{note}`, Docusaurus'
            divs.append(match.group(1))           # `:::tip[Title]`, VitePress' `::: tip`
            colon(out, number, match, at, notices)
        elif match:
            opened = divs.pop() if divs else None
            if opened is not None and len(match.group(1).expandtabs(4)) > len(opened.expandtabs(4)):
                out[number] = opened + match.group(2)  # written into a list item (Prettier)
        elif ("/" in line or "{*" in line) and not _indented_code(out, number, above) and (
                pymdown.block(out, number, blocks, at, notices) or pymdown.variants(out, number)):
            pass
        elif line.lstrip(" ").startswith("[") and jsinfo.block_tag(
                out, number, at, notices, context.defined if context else set()):
            pass  # javascript.info's `[cut]`, `[iframe src="…"]`
        elif _TOC.match(line):
            out[number] = ""  # markdown-it's contents: the book has its own
        elif (vitepress := _vitepress_include(out, number, above)) is not None:
            notices.append(("markup-foreign", at, vitepress))
        elif (written := _mdx(line)) is not None:
            out[number] = written
        elif "<" in line and not _indented_code(out, number, above) and components.take(
                number, at, notices):
            pass  # a JSX component's tag alone on its line (`mdx`)
        elif (mkdocs := _MKDOCS.match(line)) is not None:
            number = _mkdocs(out, number, mkdocs, offset, notices, context)
            continue
        elif (target := targets.TARGET.match(line)) is not None:
            targets.target(out, number, target.group(1), at, notices)
        elif "@" in line and "[" in line:
            out[number] = _apart(line)
        elif (ordered := _ORDERED.match(line)) and above.after_prose(number):
            out[number] = ordered.expand(r"\1\\\2") + line[ordered.end():]  # `1945.`
        number += 1
    return out


# `@fig-map [@smith2020]`: pandoc reads the bracket as the cross-reference's own (one citation
# of both, which citeproc rendered "(fig-map?; Smith 2020)"); Quarto reads a reference and a
# citation. A no-break space between (`\ `) makes them two, on the same line.
_GROUPED = re.compile(r"(?<![\w@])(@(?:fig|tbl|sec|eq)-[\w:.-]*\w) (?=\[[^\]]*@)", re.I)


def _apart(line: str) -> str:
    """`line` with each cross-reference followed by a bracketed citation kept apart from it,
    outside code spans."""
    return spans.outside_code(line, lambda part: _GROUPED.sub(r"\1\\ ", part))


# Hugo's paired shortcodes alone on their lines, as themes write notes (Docsy, the Kubernetes
# and Hugo sites): `{{< note >}}`, `{{% alert title="Careful" color="warning" %}}` … and their
# closing `{{< /note >}}`; `{{< comment >}}` … hides its text from the page. The head here, the
# rest to `>}}` read in `_hugo`: `(.*?)\s*-?>\}\}` tried every split of a line's spaces (a line
# `{{< a` and 20,000 spaces: 9.9 s), and read `{{< note >}} text {{< /note >}}` as one opening
# whose words were lost
_SHORTCODE = re.compile(r"\s{0,3}\{\{([<%])-?\s*(/?)([\w-]+)")


def _hugo(line: str) -> str | None:
    """The line a Hugo shortcode alone on its line is (None: no such shortcode): a callout's
    opening or closing div fence, a comment's HTML comment marks."""
    match = _SHORTCODE.match(line)
    end = "%}}" if match and match.group(1) == "%" else ">}}"
    rest = line[match.end():].rstrip() if match else ""
    if not rest.endswith(end) or "{{" in rest or "}}" in rest[:-3]:
        return None  # not alone on its line: printed as written (`markup-foreign`)
    closing, name, rest = match.group(2), match.group(3).lower(), rest[:-3].rstrip("-")
    if name == "comment":
        return "-->" if closing else "<!--"
    params = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
              for m in ATTRIBUTE.finditer(rest)}
    kind = (ALERT_COLOURS.get((params.get("color") or "").lower(), "note") if name == "alert"
            else kind_of(name))
    if kind is None:
        return None
    return ":::" if closing else ":::" + titled_div(f"callout-{kind}", params.get("title", ""))


def _mdx(line: str) -> str | None:
    """The line an MDX line (`mdx.line`) or a Hugo note (`_hugo`) is (None: neither)."""
    if "{{" in line and (hugo := _hugo(line)) is not None:
        return hugo
    return mdx.line(line)


_META_TITLE = re.compile(r"""\b(?:title|filename)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
_PATH = re.compile(r"(?:[\w@.-]+/)*[\w@-][\w@.-]*\.\w+")  # Sandpack's ```` ```js src/App.js ````
# a fence's language and what follows it, which pandoc cannot read: words after a space
# (Docusaurus, MkDocs), options after a comma (rustdoc), or VitePress' marks right after it,
# ```` ```js{2-6} ````, ```` ```ts:line-numbers=2 ````, ```` ```js [title] ````; and
# ```` ```js-vue ```` (VitePress: interpolated) is JavaScript
_LANGUAGE = re.compile(r"([\w+#.-]+?)(?:-vue)?(?=[\s{\[:,]|=\d*(?:[\s{\[:]|$)|$)")
_MORE = re.compile(r"^[^\s{=]\S*(?:\s+\S|[{\[:=,])")
_LINE_MARKS = re.compile(r"^\{[\d,\s-]+\}$")
_TOC = re.compile(r"^\s{0,3}\[\[toc\]\]\s*$", re.I)  # VitePress' (markdown-it's) contents


def _bracketed(text: str) -> str:
    """The name in brackets, VitePress' ```` ```sh [npm] ```` (from the first `[` to the last
    `]`, as it reads it; found, not searched for: a pattern of a bracket, anything and a
    bracket read from each `[` of a line of them to its end)."""
    start, end = text.find("["), text.rfind("]")
    return text[start + 1:end].strip() if start != -1 and end > start else ""


def _fence_attrs(rest: str) -> str:
    """A fence's words pandoc cannot read (```` ```js title="src/app.js" {2,3} showLineNumbers ````
    in Docusaurus, MkDocs, GitHub; VitePress' ```` ```js{2-6} ````, ```` ```ts:line-numbers ````
    and ```` ```js [config.js] ````; Sandpack's ```` ```js src/App.js active ````, on react.dev):
    a block of the language, its title (or the name in brackets, outside the meta's braces, or
    the bare path) Quarto's `filename` (shown above the code), the rest (line marks, numbering,
    react.dev's `{expectedErrors: {…: [7]}}`, whose `[7]` was shown as the file name) set
    aside. Pandoc read such a block as one paragraph of inline code, its lines run
    together. rustdoc's and mdBook's ```` ```rust,ignore,should_panic ```` is Rust: pandoc
    took `rust,ignore` for the language and set the code plain."""
    language = _LANGUAGE.match(rest)
    attrs = [f".{language.group(1)}"] if language else []
    titled, outside = _META_TITLE.search(rest), _outside_braces(rest)
    name = (next(g for g in titled.groups() if g is not None) if titled
            else _bracketed(outside))
    if not name and language:  # a bare path after the language, as Sandpack names a file
        name = next((word for word in outside[language.end():].split()
                     if _PATH.fullmatch(word)), None)
    if name:
        attrs.append(f"filename={quoted(name)}")
    return "{" + " ".join(attrs) + "}" if attrs else ""


def _outside_braces(text: str) -> str:
    """`text` less its `{…}` groups, nested ones too (the meta's options, line marks)."""
    out, depth = [], 0
    for char in text:
        depth += char == "{"
        out.append(" " if depth else char)
        depth -= char == "}" and depth > 0
    return "".join(out)


# VitePress' imports: a code snippet, `<<< @/snippets/snippet.js{2} [title]` alone on its line,
# and a Markdown file, `<!--@include: ./parts/basics.md-->` (an HTML comment to pandoc)
# what is named taken whole, then stripped: `(.*?)\s*$` tried every split of a run of spaces
# (`<<< a`, 20,000 spaces and a letter: 2.8 s); an include up to the first `-->` of its own
_SNIPPET = re.compile(r"^(\s*)<<<(?!<)\s*(\S.*)$")
_MD_INCLUDE = re.compile(r"<!--\s*@include:((?:[^-<]|-(?!->)|<(?!!--))*)-->")


def _vitepress_include(out: list[str], number: int, above: Above) -> str | None:
    """What is said of VitePress' import at `out[number]` (None: no such line): nothing it
    names is read."""
    line = out[number]
    if snippet := _SNIPPET.match(line):
        if len(snippet.group(1).expandtabs(4)) > 3 and not above.in_item(number):
            return None  # indented code
        return (f"VitePress code import <<< {snippet.group(2).rstrip()} is not read: it is printed as "
                "written, and the file is not in the book (a code block can include it: "
                "```{.js include=\"../snippets/x.js\"}, its path from the chapter's folder)")
    if "@include" in line and (included := _MD_INCLUDE.search(line)):
        return (f"VitePress include <!--@include: {included.group(1).strip()}--> is not read: an HTML "
                "comment to pandoc, so the file's text is not in the book")
    return None


def _left_out(out: list[str], number: int, marks: str) -> tuple[str | None, int]:
    """A code block the page does not show (MDN's ```` ```css hidden ````) made blank lines,
    its fence's too: (the fence still open, the line after it). One never closed stays (the
    chapter's check reports it)."""
    for end in range(number + 1, len(out)):
        if (match := FENCE.match(out[end])) and closes(match, marks):
            out[number:end + 1] = [""] * (end + 1 - number)
            return None, end + 1
    return marks, number + 1


def _indented_code(out: list[str], number: int, above: Above) -> bool:
    """Whether `out[number]` is a line of indented code (four spaces in, not in a list item)."""
    line = out[number]
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip()) > 3 and not above.in_item(number)


def _mkdocs(out: list[str], number: int, match: re.Match, offset: int, notices: list,
            context: jsinfo.Context | None = None) -> int:
    """MkDocs' `!!! kind "Title"` (`???` folded) and its body, indented four spaces: a
    GitHub-style quote `> [!KIND] Title`, each body line quoted (a quote needs no closing
    line, which a div would, and lines keep their numbers). The body is read again, as it
    may hold blocks of its own."""
    kind = kind_of(match.group(2)) or "note"
    title = match.group(3) if match.group(3) is not None else ""
    end = number + 1
    while end < len(out) and (not out[end].strip() or out[end].startswith(("    ", "\t"))):
        end += 1
    while end > number + 1 and not out[end - 1].strip():
        end -= 1  # the blank lines after the body are not the body's
    body = [line[4:] if line.startswith("    ") else line[1:] if line.startswith("\t") else ""
            for line in out[number + 1:end]]
    body = _rewrite(body, offset + number + 1, notices, context)
    out[number] = f"> [!{kind.upper()}]" + (f" {' '.join(title.split())}" if title.strip() else "")
    out[number + 1:end] = [("> " + line) if line.strip() else ">" for line in body]
    return end
