"""Other tools' Markdown, read as those tools mean it.

Sources written for Quarto or R Markdown, Sphinx (MyST), Docusaurus or MkDocs carry block
syntax pandoc does not know, and pandoc read it without a word: an executable chunk
```` ```{r} ```` or a directive ```` ```{note} ```` became one paragraph of inline code, a
`:::tip[Title]` or `!!! note` paragraph text, a target `(label)=` text glued to its heading.
Each is rewritten here, before pandoc reads the chapter, into pandoc's Markdown for what the
tool meant, line for line (every line keeps its number, for every message after):

- admonitions (MyST ```` ```{note} ```` and `:::{note}`, `{admonition} Title` with `:class:`,
  sphinx-design's `{dropdown}`, Docusaurus `:::tip[Title]`, MkDocs `!!! tip "Title"` and
  `???`) become callouts (`callouts`), their kind the nearest of the five;
- executable chunks (```` ```{r} ````, ```` ```{python} ````, knitr's `{r name, echo=FALSE}`,
  MyST's `{code-cell}`) are shown as code of their language and never run: a build runs no
  code from a manuscript. Their option lines (`#| echo: false`) are left out; a chunk Quarto
  would hide (`echo: false`, `include: false`) is left out whole; each chunk that would have
  shown output is a `code-not-run` warning, as its output is not in the book;
- MyST's `{code-block} python` is a code block, and a target `(label)=` before a heading is
  that heading's ID;
- any other directive (`{figure}`, `{toctree}`, `{include}`…) is shown as written, in a code
  block, with a `markup-foreign` warning: nothing it names is read.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .ast import walk
from .callouts import block_lists, kind_of
from .errors import Collected, ManuscriptError, PublishError
from .sources import load_yaml_text, written_line

if TYPE_CHECKING:
    from .manuscript import SourceFile

CHUNK = "chunk"  # the class of a code block made here (`tidy` drops its option lines)
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})(.*)$")  # deeper than 3: in a list item
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])(\s+)\S")
# ```{name} argument (MyST) or ```{name options} (knitr): a name in braces pandoc cannot read
# as attributes, which start with `.`, `#` or `=`
_BRACED = re.compile(r"^\{([A-Za-z][\w-]*)(?:[\s,]+([^}]*))?\}\s*(.*)$")
_DOCUSAURUS = re.compile(r"^([A-Za-z]+)(?:\[(.*)\])?(?:\s+(.*))?$")  # right after the colons
_MKDOCS = re.compile(r'^(!!!|\?\?\?\+?)\s+([\w-]+)(?:\s+"(.*)")?\s*$')
_TARGET = re.compile(r"^\s{0,3}\(([^()\s]+)\)=\s*$")
_ATX = re.compile(r"^\s{0,3}#{1,6}\s")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")  # a directive's option line (`:class: tip`)
_CHUNK_OPTION = re.compile(r"^\s*(?:#|//|--)\|\s?(.*)$")  # `#| echo: false` (Quarto)
_CODE_DIRECTIVES = ("code-block", "code", "sourcecode")
_CELL_DIRECTIVES = ("code-cell",)  # MyST notebooks' executable cells
_TITLED = ("admonition", "dropdown")  # their argument is the title
# MyST's (docutils', sphinx-design's) directives, none of which is a chunk's engine
_DIRECTIVES = frozenset((
    "figure", "image", "toctree", "include", "literalinclude", "math", "eval-rst", "raw",
    "list-table", "csv-table", "table", "glossary", "margin", "sidebar", "topic", "rubric",
    "epigraph", "pull-quote", "highlights", "card", "grid",
    "grid-item", "grid-item-card", "button-ref", "button-link", "mermaid", "only",
    "contents", "index", "bibliography", "footbibliography", "versionadded",
    "versionchanged", "deprecated", "tabularcolumns", "centered", "hlist", "csv", "automodule",
    "autoclass", "autofunction", "currentmodule", "plot", "graphviz", "jupyter-execute",
    "glue", "panels", "div", "container", "parsed-literal", "line-block", "compound"))


def read(source: "SourceFile") -> "SourceFile":
    """`source` with other tools' block syntax rewritten line for line; what it meant and
    could not be kept is in `source.notices`."""
    lines = source.text.split("\n")
    if not _worth_reading(source.text):
        return source
    notices: list[tuple[str, int, str]] = []
    rewritten = _rewrite(lines, 0, notices)
    if rewritten == lines and not notices:
        return source
    return replace(source, text="\n".join(rewritten),
                   notices=source.notices + tuple(notices))


def _worth_reading(text: str) -> bool:
    return any(mark in text for mark in ("{", "!!!", "???", ")=", ":::"))


def _rewrite(lines: list[str], offset: int, notices: list) -> list[str]:
    """`lines` (the first is line `offset + 1` of the file) rewritten."""
    out = list(lines)
    fence = None  # the fence of the code block we are in: nothing in it is rewritten
    closers: list[tuple[str, int]] = []  # backtick directives made divs: their fence, to close
    number = 0
    while number < len(out):
        line, at = out[number], offset + number + 1
        match = _FENCE.match(line)
        if match and len(match.group(1).expandtabs(4)) > 3 and not _in_item(out, number):
            match = None  # indented code, showing a fence
        if fence:
            if match and _closes(match, fence):
                fence = None
            number += 1
            continue
        if match and match.group(2)[0] != ":":
            marks, rest = match.group(2), match.group(3).strip()
            if closers and not rest and marks[0] == closers[-1][0] and len(marks) >= closers[-1][1]:
                closers.pop()
                out[number] = match.group(1) + ":::"
            elif braced := _BRACED.match(rest):
                fence = _braced(out, number, match, braced, at, notices, closers)
            else:
                fence = marks
                if len(rest.split()) > 1 and not rest.startswith("{"):
                    out[number] = match.group(1) + marks + _fence_attrs(rest)
            number += 1
            continue
        if match:  # a colon fence: MyST's `:::{note}` or Docusaurus' `:::tip[Title]`
            _colon(out, number, match, at, notices)
        elif (mdx := _mdx(line)) is not None:
            out[number] = mdx
        elif (mkdocs := _MKDOCS.match(line)) is not None:
            number = _mkdocs(out, number, mkdocs, offset, notices)
            continue
        elif (target := _TARGET.match(line)) is not None:
            _target(out, number, target.group(1), at, notices)
        elif "@" in line and "[" in line:
            out[number] = _apart(line)
        number += 1
    return out


# `@fig-map [@smith2020]`: pandoc reads the bracket as the cross-reference's own (one citation
# of both, which citeproc rendered "(fig-map?; Smith 2020)"); Quarto reads a reference and a
# citation. A no-break space between (`\ `) makes them two, on the same line.
_GROUPED = re.compile(r"(?<![\w@])(@(?:fig|tbl|sec|eq)-[\w:.-]*\w) (?=\[[^\]]*@)", re.I)
_SPANS = re.compile(r"(`+).*?\1")


def _apart(line: str) -> str:
    """`line` with each cross-reference followed by a bracketed citation kept apart from it,
    outside code spans."""
    parts, at = [], 0
    for code in _SPANS.finditer(line):
        parts += [_GROUPED.sub(r"\1\\ ", line[at:code.start()]), code.group(0)]
        at = code.end()
    return "".join(parts) + _GROUPED.sub(r"\1\\ ", line[at:])


# Docusaurus' (MDX) lines, alone on theirs: tabs, each shown in turn under its label (a book
# has no tabs to click), and the imports, exports and comments a page shows nothing of
_TABS = re.compile(r"^\s*</?Tabs\b[^>]*>\s*$")
_TAB = re.compile(r"^(\s*)<TabItem\b([^>]*?)/?>\s*$")
_TAB_END = re.compile(r"^(\s*)</TabItem>\s*$")
_LABEL = re.compile(r"""\b(label|value)=(?:"([^"]*)"|'([^']*)'|\{["']([^"']*)["']\})""")
_MDX_LINE = re.compile(r"""^(?:import\s+(?:[\w{},*\s]+\s+from\s+)?["'][^"']+["'];?"""
                       r"""|export\s+(?:const|let|var|function|default)\b.*"""
                       r"""|\s*\{/\*.*\*/\})\s*$""")


def _mdx(line: str) -> str | None:
    """The line an MDX line of Docusaurus' is in pandoc's Markdown (None: no such line): a tab
    a titled div (`tab-item`), the tabs around them and an import, an export or a comment
    nothing."""
    if _TABS.match(line) or _MDX_LINE.match(line):
        return ""
    if tab := _TAB.match(line):
        labels = {m.group(1): next(g for g in m.groups()[1:] if g is not None)
                  for m in _LABEL.finditer(tab.group(2))}
        title = labels.get("label") or labels.get("value") or ""
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        return "::: {.tab-item" + (f' title="{quoted}"' if title else "") + "}"  # not indented:
    if _TAB_END.match(line):                                                   # pandoc's rule
        return ":::"
    return None


_META_TITLE = re.compile(r"""\b(?:title|filename)=(?:"([^"]*)"|'([^']*)'|(\S+))""")


def _fence_attrs(rest: str) -> str:
    """A fence's words pandoc cannot read (```` ```js title="src/app.js" {2,3} showLineNumbers ````
    in Docusaurus, MkDocs, GitHub): a block of the first word's language, its title Quarto's
    `filename` (shown above the code), the rest (line marks, numbering) set aside. Pandoc
    read such a block as one paragraph of inline code, its lines run together."""
    language = rest.split()[0]
    attrs = [f".{language}"] if re.fullmatch(r"[\w+#.-]+", language) and "=" not in language else []
    titled = _META_TITLE.search(rest)
    if titled:
        name = next(g for g in titled.groups() if g is not None)
        attrs.append('filename="' + name.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + " ".join(attrs) + "}" if attrs else ""


def _in_item(out: list[str], number: int) -> bool:
    """Whether the indented line `out[number]` is a list item's content (not indented code):
    the line above it that is indented less opens an item whose content starts as deep."""
    depth = len(out[number]) - len(out[number].lstrip())
    for index in range(number - 1, -1, -1):
        line = out[index]
        if line.strip() and len(line) - len(line.lstrip()) < depth:
            item = _ITEM.match(line)
            return bool(item) and len(line) - len(line.lstrip()) < depth
    return False


def _closes(match: re.Match, fence: str) -> bool:
    return (match.group(2)[0] == fence[0] and len(match.group(2)) >= len(fence)
            and not match.group(3).strip())


def _braced(out: list[str], number: int, match: re.Match, braced: re.Match, at: int,
            notices: list, closers: list) -> str | None:
    """A fence naming a directive or a chunk's engine in braces, at `out[number]`, rewritten
    with what follows it; the code fence it leaves open (None when it made a div, or left
    the whole block out)."""
    indent, marks = match.group(1), match.group(2)
    name, inner, argument = braced.group(1), braced.group(2) or "", braced.group(3).strip()
    low = name.lower()
    end = _block_end(out, number, marks)
    if low in _CONTAINERS:  # sphinx-design's tabs, each shown in turn under its label
        options, first_body = _options(out, number + 1, end)
        out[number] = indent + ":::" + _container(low, argument or inner)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        closers.append((marks[0], len(marks)))
        return None
    kind = kind_of("note" if low in _TITLED else low)
    if kind and low not in _CELL_DIRECTIVES:
        options, first_body = _options(out, number + 1, end)
        kind = kind_of(options.get("class", "").split()[0]) if options.get("class") else kind
        kind = kind or "note"
        out[number] = indent + ":::" + _div_attrs(kind, argument or inner)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        closers.append((marks[0], len(marks)))
        return None
    if low in _CODE_DIRECTIVES:
        options, first_body = _options(out, number + 1, end)
        language = (argument or inner).split()[0] if (argument or inner).split() else ""
        out[number] = indent + marks + f"{{{f'.{language} ' if language else ''}.{CHUNK}}}"
        for blank in range(number + 1, first_body):
            out[blank] = ""
        return marks
    if low in _DIRECTIVES:
        notices.append(("markup-foreign", at, f"MyST directive {{{name}}} is not read: its "
                        "content is shown as code, and nothing it names is read"))
        out[number] = indent + marks
        return marks
    # an executable chunk, `name` its engine (r, python, julia, bash, sql, ojs…)
    engine = low if low not in _CELL_DIRECTIVES else (argument.split() or ["python"])[0].lower()
    options = _chunk_options(out, number + 1, end, inner)
    figure = _graphic(out, number + 1, end, options) if end is not None else None
    if figure is not None and options.get("include") != "false":
        out[number] = indent + figure  # what Quarto shows of it: no code runs for an image
        for blank in range(number + 1, end + 1):
            out[blank] = ""
        return None
    if end is not None and "false" in (options.get("include"), options.get("echo")):
        for blank in range(number, end + 1):
            out[blank] = ""
        if options.get("eval") != "false":  # else it shows nothing in Quarto either
                notices.append(("code-not-run", at, f"the {engine} chunk is left out, as its "
                            "options hide its code, and its output is not in the book: a build "
                            "runs no code from a manuscript"))
        return None
    out[number] = indent + marks + f"{{.{engine} .{CHUNK}}}"
    if options.get("eval") != "false":
        notices.append(("code-not-run", at, f"the {engine} chunk is shown as code and not run: "
                        "a build runs no code from a manuscript, so its output is not in the "
                        "book (#| eval: false says so and silences this)"))
    return marks


def _block_end(out: list[str], number: int, marks: str) -> int | None:
    """The index of the fence closing the block opened at `out[number]`, None if none does.
    A fence of the same character, as long or longer, alone on its line, closes it; inner
    blocks, fenced with fewer (MyST nests so), do not."""
    for index in range(number + 1, len(out)):
        match = _FENCE.match(out[index])
        if match and _closes(match, marks):
            return index
    return None


def _options(out: list[str], start: int, end: int | None) -> tuple[dict, int]:
    """A directive's options, as `:key: value` lines or a `---` YAML block at the start of its
    body; and the index of the body's first line after them."""
    stop = len(out) if end is None else end
    options, index = {}, start
    if index < stop and out[index].strip() == "---":
        for close in range(index + 1, stop):
            if out[close].strip() == "---":
                for line in out[index + 1:close]:
                    key, _, value = line.partition(":")
                    options[key.strip().lower()] = value.strip()
                return options, close + 1
        return options, index
    while index < stop and (option := _OPTION.match(out[index])):
        options[option.group(1).lower()] = option.group(2).strip()
        index += 1
    return options, index


def _chunk_options(out: list[str], start: int, end: int | None, inner: str) -> dict:
    """A chunk's options: knitr's in its braces (`{r name, echo=FALSE}`), then Quarto's `#|`
    lines at the start of its code, YAML (`fig-cap: |` and the lines indented under it), read
    with the configuration's bounded safe loader. Values are text; false is "false"."""
    options = {}
    parts = [p for p in inner.split(",") if p.strip()]
    for index, part in enumerate(parts):
        key, eq, value = part.partition("=")
        if eq:
            options[key.strip().lower()] = value.strip().strip("\"'")
        elif index == 0:
            options["label"] = key.strip()  # knitr's first, unnamed: the chunk's name
    lines = []
    for index in range(start, len(out) if end is None else end):
        option = _CHUNK_OPTION.match(out[index])
        if not option:
            break
        lines.append(option.group(1))
    try:
        data, _ = load_yaml_text("\n".join(lines), "chunk options")
    except PublishError:
        data = None  # not YAML: the code shows them as written
    if isinstance(data, dict):
        options.update({str(k).lower(): v for k, v in data.items()})
    return {k: (str(v).lower() if isinstance(v, bool) else
                "false" if str(v).upper() == "FALSE" else " ".join(str(v).split()))
            for k, v in options.items() if v is not None}


# knitr::include_graphics("path"): an image the chunk shows, which needs nothing to run
_GRAPHIC = re.compile(r"""^\s*(?:knitr::)?include_graphics\(\s*(["'])([^"'\s]+)\1\s*(?:,[^()]*)?\)\s*$""")


def _graphic(out: list[str], start: int, end: int, options: dict) -> str | None:
    """The Markdown of the figure a chunk showing one image makes (`knitr::include_graphics`),
    on one line: its caption, label and text alternative from the chunk's options."""
    code = [line for line in out[start:end] if line.strip() and not _CHUNK_OPTION.match(line)]
    match = _GRAPHIC.match(code[0]) if len(code) == 1 else None
    if not match:
        return None
    label, alt = options.get("label", ""), options.get("fig-alt", "")
    attrs = [f"#{label}"] if re.fullmatch(r"[\w-]+", label) else []
    if alt:
        attrs.append('fig-alt="' + alt.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return (f"![{options.get('fig-cap', '')}]({match.group(2)})"
            + ("{" + " ".join(attrs) + "}" if attrs else ""))


_CONTAINERS = ("tab-set", "tab-item")


def _container(name: str, title: str) -> str:
    title = " ".join(title.split())
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return f" {{.{name}" + (f' title="{quoted}"' if title else "") + "}"


def _div_attrs(kind: str, title: str) -> str:
    title = " ".join(title.split())
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return f" {{.callout-{kind}" + (f' title="{quoted}"' if title else "") + "}"


def _colon(out: list[str], number: int, match: re.Match, at: int, notices: list) -> None:
    """A colon fence opening MyST's `:::{note}` (`colon_fence`) or Docusaurus' `:::tip[Title]`
    (a name right after the colons) as a callout; its closing `:::` is pandoc's already."""
    indent, rest = match.group(1), match.group(3)
    braced = _BRACED.match(rest.strip()) if rest.strip().startswith("{") else None
    if braced:
        name, argument = braced.group(1), (braced.group(3) or braced.group(2) or "").strip()
        low = name.lower()
        if low in _CONTAINERS:
            options, first_body = _options(out, number + 1, None)
            out[number] = indent + ":::" + _container(low, argument)
            for blank in range(number + 1, first_body):
                out[blank] = ""
            return
        kind = kind_of("note" if low in _TITLED else low)
        if not kind:
            notices.append(("markup-foreign", at, f"MyST directive {{{name}}} is not read: its "
                            "content is shown as text"))
            out[number] = indent + ":::" + " {.myst}"
            return
        options, first_body = _options(out, number + 1, None)
        kind = kind_of(options.get("class", "").split()[0]) if options.get("class") else kind
        out[number] = indent + ":::" + _div_attrs(kind or "note", argument)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        return
    docusaurus = _DOCUSAURUS.match(rest) if rest[:1].isalpha() else None
    kind = kind_of(docusaurus.group(1)) if docusaurus else None
    if kind:
        out[number] = indent + ":::" + _div_attrs(kind, docusaurus.group(2) or
                                                  docusaurus.group(3) or "")


def _mkdocs(out: list[str], number: int, match: re.Match, offset: int, notices: list) -> int:
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
    body = _rewrite(body, offset + number + 1, notices)
    out[number] = f"> [!{kind.upper()}]" + (f" {' '.join(title.split())}" if title.strip() else "")
    out[number + 1:end] = [("> " + line) if line.strip() else ">" for line in body]
    return end


def _target(out: list[str], number: int, label: str, at: int, notices: list) -> None:
    """MyST's target `(label)=`: the ID of the heading after it (blank lines between)."""
    following = next((i for i in range(number + 1, len(out)) if out[i].strip()), None)
    heading = out[following] if following is not None else ""
    if _ATX.match(heading) and not heading.rstrip().endswith("}"):
        out[number] = ""
        out[following] = heading.rstrip().rstrip("#").rstrip() + f" {{#{label}}}"
    else:
        notices.append(("markup-foreign", at, f"MyST target ({label})= is read only before a "
                        f"heading: give the element an ID, {{#{label}}}, as pandoc writes it"))


def tidy(blocks: list) -> None:
    """The code of chunks and directives without its option lines (`#| label: x`, and the
    `:linenos:` left blank), Quarto's `fig-alt` as its image's text alternative (the caption
    stays the figure's), and its `{{< pagebreak >}}` a page break (`PAGE_BREAK`), in place."""
    blocks[:] = [_tab_titled(_with_filename(_PAGE_BREAK if _is_page_break(b) else b))
                 for b in blocks]
    for el in walk(blocks):
        for inner in block_lists(el):
            inner[:] = [_PAGE_BREAK if _is_page_break(b) else b for b in inner]
        if el.get("t") == "Image" and any(k == "fig-alt" for k, _ in el["c"][0][2]):
            alt = " ".join(dict(el["c"][0][2])["fig-alt"].split())
            el["c"][0][2] = [[k, v] for k, v in el["c"][0][2] if k != "fig-alt"]
            if alt:
                el["c"][1] = [x for i, w in enumerate(alt.split())
                              for x in ([{"t": "Space"}] if i else []) + [{"t": "Str", "c": w}]]
            continue
        for inner in block_lists(el):
            inner[:] = [_tab_titled(_with_filename(b)) for b in inner]
        if el.get("t") == "CodeBlock" and CHUNK in el["c"][0][1]:
            el["c"][0][1] = [c for c in el["c"][0][1] if c != CHUNK]
            code = el["c"][1].split("\n")
            while code and (_CHUNK_OPTION.match(code[0]) or not code[0].strip()):
                code.pop(0)
            el["c"][1] = "\n".join(code)


PAGE_BREAK = "pagebreak"  # the class of the empty div that breaks the page (the PDF's CSS)
_PAGE_BREAK = {"t": "Div", "c": [["", [PAGE_BREAK], []], []]}
# the DOCX's: a paragraph holding a page break, written by the renderer, never by a manuscript
_DOCX_BREAK = {"t": "RawBlock", "c": ["openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>']}


def _tab_titled(block):
    """A tab (`tab-item` div) with its label as its first line, in bold."""
    if not (isinstance(block, dict) and block.get("t") == "Div"
            and "tab-item" in block["c"][0][1]):
        return block
    attrs = dict(block["c"][0][2])
    title, rest = attrs.get("title", "").split(), [[k, v] for k, v in block["c"][0][2]
                                                   if k != "title"]
    heading = [{"t": "Para", "c": [{"t": "Strong", "c": [x for i, w in enumerate(title) for x in
                                                        ([{"t": "Space"}] if i else [])
                                                        + [{"t": "Str", "c": w}]]}]}] if title else []
    return {"t": "Div", "c": [[block["c"][0][0], block["c"][0][1], rest], heading + block["c"][1]]}


def _with_filename(block):
    """A code block with Quarto's `filename` attribute, the name shown above its code (as
    Quarto shows it): a `code-with-filename` div of the name, in code, and the block."""
    if not (isinstance(block, dict) and block.get("t") == "CodeBlock"):
        return block
    attrs = dict(block["c"][0][2])
    if not attrs.get("filename", "").strip():
        return block
    rest = [[k, v] for k, v in block["c"][0][2] if k != "filename"]
    name = {"t": "Div", "c": [["", ["code-filename"], []],
                              [{"t": "Plain", "c": [{"t": "Code", "c": [["", [], []],
                                                                      attrs["filename"].strip()]}]}]]}
    code = {"t": "CodeBlock", "c": [[block["c"][0][0], block["c"][0][1], rest], block["c"][1]]}
    return {"t": "Div", "c": [["", ["code-with-filename"], []], [name, code]]}


def _is_page_break(block) -> bool:
    """A paragraph of Quarto's shortcode `{{< pagebreak >}}` alone."""
    return (isinstance(block, dict) and block.get("t") in ("Para", "Plain")
            and "".join(x["c"] if x["t"] == "Str" else " " for x in block["c"]
                        if x["t"] in ("Str", "Space")).split() == ["{{<", "pagebreak", ">}}"])


_INLINE_CHUNK = re.compile(r"^(?:r|\{([A-Za-z]\w*)\})\s+\S")  # `r nrow(x)`, `{python} len(x)`


def inline_chunks(ast: dict, owners: list[int], files) -> list[tuple[str, str, int, str]]:
    """Inline code R Markdown or Quarto would run and replace with its value (`` `r x` ``,
    `` `{python} x` ``): printed as written, a `code-not-run` warning at its line."""
    found = Collected("inline chunks")
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue
        for el in walk(block):
            if el.get("t") == "Code" and (match := _INLINE_CHUNK.match(el["c"][1])):
                engine, code = match.group(1) or "r", el["c"][1]
                found.add(lambda e=engine, c=code, o=owner: ManuscriptError(
                    f"inline {e} code `{c if len(c) <= 40 else c[:39] + '…'}` is printed as "
                    "written, not run: a build runs no code from a manuscript",
                    *written_line([files[o]], c)))
    return [("code-not-run", e.path, e.line or 1, e.message) for e in found.listed()]


# Quarto's conditional content: the format names (and Quarto's aliases) each of ours answers
# to. The PDF is a printed book (not a web page, though WeasyPrint lays out HTML); the EPUB,
# and the preview that shows it, are HTML to Quarto.
FORMATS = {"pdf": frozenset({"pdf", "latex"}),
           "epub": frozenset({"epub", "html", "html5", "html:js"}),
           "docx": frozenset({"docx", "wordprocessing"})}
_CONDITIONS = ("content-visible", "content-hidden")


def for_format(blocks: list, fmt: str) -> list:
    """`blocks` with Quarto's conditional content resolved for `fmt` (`FORMATS`): a div or
    span `.content-visible when-format="html"` (or `unless-format`) shows its content in the
    formats it names only, `.content-hidden` the opposite. One with other conditions
    (`when-meta`) is shown. A page break is the DOCX's own. The edition's own AST is shared by every format: it is copied,
    and only when it holds such content."""
    if not any(el.get("t") in ("Div", "Span") and set(el["c"][0][1]) & {*_CONDITIONS, PAGE_BREAK}
               for el in walk(blocks)):
        return blocks
    names = FORMATS[fmt]

    def shown(el: dict) -> bool | None:
        (_, classes, attrs), conditions = el["c"][0], dict(el["c"][0][2])
        if not set(classes) & set(_CONDITIONS):
            return None
        when = {f.strip() for f in conditions.get("when-format", "").split(",") if f.strip()}
        unless = {f.strip() for f in conditions.get("unless-format", "").split(",") if f.strip()}
        if not when and not unless:
            return True
        matched = bool(when & names) if when else not (unless & names)
        return matched if "content-visible" in classes else not matched

    def resolve(items: list) -> list:
        out = []
        for item in items:
            if item == _PAGE_BREAK and fmt == "docx":  # pandoc's DOCX has no page break of its own
                out.append(_DOCX_BREAK)
                continue
            if isinstance(item, dict) and item.get("t") in ("Div", "Span"):
                verdict = shown(item)
                if verdict is False:
                    continue
                if verdict is True:
                    out += resolve(item["c"][1])
                    continue
            out.append(_resolved(item, resolve))
        return out

    return resolve(copy.deepcopy(blocks))


def _resolved(item, resolve):
    """`item` with `resolve` applied to every list of elements inside it."""
    if isinstance(item, list):
        return resolve(item) if item and all(isinstance(x, dict) and "t" in x for x in item) \
            else [_resolved(x, resolve) for x in item]
    if isinstance(item, dict) and "c" in item:
        item["c"] = _resolved(item["c"], resolve)
    return item
