"""Directives and chunks: a fence that names what it holds in braces (MyST's ```` ```{note} ````,
knitr's ```` ```{r name, echo=FALSE} ````) or a colon fence (MyST's `:::{note}`, Docusaurus'
`:::tip[Title]`), rewritten line for line into pandoc's Markdown (see `dialects`); an executable
chunk's options and what Quarto shows of it in `chunks`."""

from __future__ import annotations

import re

from .. import theorems
from ..callouts import kind_of
from . import chunks, myst
from .attributes import LABEL, quoted, titled_div
from .chunks import CHUNK

FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})(.*)$")  # deeper than 3: in a list item
# ```{name} argument (MyST) or ```{name options} (knitr): a name in braces pandoc cannot read
# as attributes, which start with `.`, `#` or `=`
BRACED = re.compile(r"^\{([A-Za-z][\w-]*(?::[\w-]+)?)(?:[\s,]+([^}]*))?\}\s*(.*)$")  # `{prf:lemma}`
# right after the colons (Docusaurus) or a space (VitePress): a name, a title in brackets or after
_DOCUSAURUS = re.compile(r"^([A-Za-z][\w-]*)(?:\[(.*)\])?(?:\s+(.*))?$")
OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")  # a directive's option line (`:class: tip`)
_CODE_DIRECTIVES = ("code-block", "code", "sourcecode")
_CELL_DIRECTIVES = ("code-cell",)  # MyST notebooks' executable cells
# their argument is the title (a sidebar, a margin note, a topic: a note beside the text)
_TITLED = ("admonition", "dropdown", "sidebar", "margin", "topic")
_LABELLING = ("solution",)  # sphinx-exercise's `{solution} ex-1`: the exercise's label, no title
# sphinx-exercise's gated directives: ```` ```{exercise-start} ```` and its options, the
# exercise's Markdown (code cells, other directives), then ```` ```{exercise-end} ````
_GATED = re.compile(r"^(exercise|solution)-(start|end)$")
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

def closes(match: re.Match, fence: str) -> bool:
    return (match.group(2)[0] == fence[0] and len(match.group(2)) >= len(fence)
            and not match.group(3).strip())


def named_fence(out: list[str], number: int, match: re.Match, braced: re.Match, at: int,
            notices: list, closers: list) -> str | None:
    """A fence naming a directive or a chunk's engine in braces, at `out[number]`, rewritten
    with what follows it; the code fence it leaves open (None when it made a div, or left
    the whole block out)."""
    indent, marks = match.group(1), match.group(2)
    name, inner, argument = braced.group(1), braced.group(2) or "", braced.group(3).strip()
    low = name.lower()
    end = block_end(out, number, marks)
    if low in _CONTAINERS:  # sphinx-design's tabs, each shown in turn under its label
        options, first_body = _options(out, number + 1, end)
        out[number] = indent + ":::" + titled_div(low, argument or inner)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        closers.append((marks[0], len(marks), indent))
        return None
    if (proof := _proof(low)) and end is not None:  # sphinx-proof's `{prf:theorem} Title`
        options, first_body = _options(out, number + 1, end)
        out[number] = indent + ":::" + _theorem_div(proof, argument or inner, options)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        closers.append((marks[0], len(marks), indent))
        return None
    if low == myst.LIST_TABLE and end is not None:  # a div of its lists, a table once parsed
        options, first_body = _options(out, number + 1, end)
        caption = " ".join((argument or inner).split())
        # the caption a paragraph of its own where an option's line leaves room, its Markdown
        # read (a blank line after it: an option line or the blank one under the options)
        room = first_body - (number + 1) >= 2 or (
            first_body > number + 1 and first_body < end and not out[first_body].strip())
        out[number] = indent + ":::" + myst.list_table_div("" if room else caption, options)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        if room and caption:
            out[number + 1] = indent + caption
        closers.append((marks[0], len(marks), indent))
        return None
    if gated := _GATED.match(low):
        return _gate(out, number, end, marks, indent, gated.group(1), gated.group(2) == "start",
                     argument or inner, closers)
    kind = kind_of("note" if low in _TITLED else low)
    if kind and low not in _CELL_DIRECTIVES:
        options, first_body = _options(out, number + 1, end)
        kind = _class_kind(options, kind) or "note"
        title = "" if low in _LABELLING else argument or inner
        out[number] = indent + ":::" + titled_div(f"callout-{kind}", title, options)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        closers.append((marks[0], len(marks), indent))
        return None
    if low in _CODE_DIRECTIVES:
        options, first_body = _options(out, number + 1, end)
        language = (argument or inner).split()[0] if (argument or inner).split() else ""
        out[number] = indent + marks + f"{{{f'.{language} ' if language else ''}.{CHUNK}}}"
        for blank in range(number + 1, first_body):
            out[blank] = ""
        return marks
    if low == "literalinclude" and (shown := _literal_include(out, number, end, match,
                                                             argument or inner)):
        return shown
    if low in myst.DIRECTIVES and end is not None:
        options, first_body = _options(out, number + 1, end)
        return myst.directive(out, number, end, marks, indent, low, argument or inner, options,
                              first_body)
    if low in _DIRECTIVES or ":" in low:  # a domain's (`{py:function}`): no chunk's engine
        notices.append(("markup-foreign", at, f"MyST directive {{{name}}} is not read: its "
                        "content is shown as code, and nothing it names is read"))
        out[number] = indent + marks
        return marks
    # an executable chunk, `name` its engine (r, python, julia, bash, sql, ojs…)
    engine = low if low not in _CELL_DIRECTIVES else (argument.split() or ["python"])[0].lower()
    options = chunks.read_options(out, number + 1, end, inner)
    if low in _CELL_DIRECTIVES and end is not None:
        cell = _cell_tags(out, number, end)
        if "remove-cell" in cell:  # nothing of it on the page
            for blank in range(number, end + 1):
                out[blank] = ""
            return None
        if cell & {"remove-input", "hide-input"}:
            options["echo"] = "false"  # what the page shows is its output, not in the book
        if cell & {"remove-output", "hide-output"}:
            options["output"] = "false"
    return chunks.chunk(out, number, end, marks, indent, engine, options, at, notices)


def _class_kind(options: dict, kind: str | None) -> str | None:
    """The kind a directive's `:class:` names (`{admonition}` with `:class: warning`), else
    its own: `dropdown` (sphinx-togglebutton's) only folds it on a page."""
    named = [kind_of(c) for c in options.get("class", "").split() if c.lower() != "dropdown"]
    return next((k for k in named if k), kind)


def _gate(out: list[str], number: int, end: int | None, marks: str, indent: str, name: str,
          start: bool, argument: str, closers: list) -> None:
    """A gated directive's start opens the callout and its end closes it. What the start's
    own fence holds past its options is the exercise's first text (sphinx-exercise shows it
    so); the fence closing it is a blank line, once it has closed what its text left open (a
    ```` ```{hint} ```` written without its own closing fence, closed by the start's: the
    lecture's Markdown ends there)."""
    options, first_body = _options(out, number + 1, end)
    if start:
        out[number] = indent + ":::" + titled_div(
            f"callout-{_class_kind(options, name)}", "" if name in _LABELLING else argument,
            options)
        if end is not None:
            closers.append((marks[0], len(marks), None))
    else:
        if closers and closers[-1][2] is None:
            closers.pop()  # a start's fence never closed: the end closes it
        out[number] = indent + ":::"
        if end is not None and all(not line.strip() for line in out[first_body:end]):
            out[end] = ""
    for blank in range(number + 1, first_body):
        out[blank] = ""


def _cell_tags(out: list[str], number: int, end: int) -> set[str]:
    """The tags of a MyST code cell (`:tags: [hide-input]`, or `tags:` in a `---` block at its
    start), its option lines left out of its code."""
    options, first_body = _options(out, number + 1, end)
    for blank in range(number + 1, first_body):
        out[blank] = ""
    return set(re.findall(r"[\w-]+", options.get("tags", "")))


# literalinclude's options this reads: which lines (one range), and how they are shown; with
# any other (`start-after`, `pyobject`, `diff`…) it stays a directive that reads nothing
_LITERAL_SHOWN = {"language", "lines", "caption", "linenos", "lineno-start", "emphasize-lines",
                  "name", "class", "force"}
_LINES = re.compile(r"^\s*+(\d*+)\s*+(-?)\s*+(\d*+)\s*+$")


def _literal_include(out: list[str], number: int, end: int | None, match: re.Match,
                     path: str) -> str | None:
    """MyST's ```` ```{literalinclude} path ```` with `:language:` and `:lines: 4-10`: a code
    block that includes the file as Quarto's `include-code-files` writes one
    (`{.py include="x.py" start-line=4 end-line=10}`, read by `includes` under the resource
    policy), its `caption` shown above the code as a file name. The fence it leaves open, or
    None when it is something else."""
    options, first_body = _options(out, number + 1, end)
    lines = _LINES.match(options.get("lines", ""))
    if end is None or first_body != end or set(options) - _LITERAL_SHOWN or not lines:
        return None
    start, dash, stop = lines.groups()
    language = options.get("language", "").strip()
    attrs = [f".{language}"] if re.fullmatch(r"[\w+#.-]+", language) else []
    attrs.append(f"include={quoted(path.strip())}")
    attrs += [f"start-line={start}"] if start else []
    attrs += [f"end-line={stop or start}"] if (stop or (start and not dash)) else []
    if options.get("caption", "").strip():
        attrs.append(f"filename={quoted(options['caption'].strip())}")
    indent, marks = match.group(1), match.group(2)
    out[number] = indent + marks + "{" + " ".join(attrs) + "}"
    for blank in range(number + 1, end):
        out[blank] = ""
    return marks


def block_end(out: list[str], number: int, marks: str) -> int | None:
    """The index of the fence closing the block opened at `out[number]`, None if none does.
    A fence of the same character, as long or longer, alone on its line, closes it; inner
    blocks, fenced with fewer (MyST nests so), do not."""
    for index in range(number + 1, len(out)):
        match = FENCE.match(out[index])
        if match and closes(match, marks):
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
    while index < stop and (option := OPTION.match(out[index])):
        options[option.group(1).lower()] = option.group(2).strip()
        index += 1
    return options, index


_CONTAINERS = ("tab-set", "tab-item")


def _proof(low: str) -> str | None:
    """The kind a sphinx-proof directive names (`prf:lemma`: lemma, `prf:proof`: proof)."""
    return theorems.DIRECTIVES.get(low[4:]) if low.startswith("prf:") else None


def _theorem_div(kind: str, title: str, options: dict) -> str:
    """The attributes of the div of a theorem of `kind` (`theorems`): its label its ID, its
    title its name; `:nonumber:` unnumbered."""
    label = options.get("label") or options.get("name") or ""
    ident = f"#{label} " if LABEL.fullmatch(label) else ""
    classes = " ".join(f".{c}" for c in dict.fromkeys(
        [kind] if kind == theorems.PROOF else [theorems.CLASS, kind]))
    classes += " .unnumbered" if "nonumber" in options else ""
    title = " ".join(title.split())
    return f" {{{ident}{classes}" + (f" name={quoted(title)}" if title else "") + "}"


def colon(out: list[str], number: int, match: re.Match, at: int, notices: list) -> None:
    """A colon fence opening MyST's `:::{note}` (`colon_fence`) or Docusaurus' `:::tip[Title]`
    (a name right after the colons) as a callout; its closing `:::` is pandoc's already."""
    indent, rest = match.group(1), match.group(3)
    braced = BRACED.match(rest.strip()) if rest.strip().startswith("{") else None
    if braced:
        name, argument = braced.group(1), (braced.group(3) or braced.group(2) or "").strip()
        low = name.lower()
        if low in _CONTAINERS:
            options, first_body = _options(out, number + 1, None)
            out[number] = indent + ":::" + titled_div(low, argument)
            for blank in range(number + 1, first_body):
                out[blank] = ""
            return
        if proof := _proof(low):
            options, first_body = _options(out, number + 1, None)
            out[number] = indent + ":::" + _theorem_div(proof, argument, options)
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
        out[number] = indent + ":::" + titled_div(f"callout-{_class_kind(options, kind) or 'note'}",
                                                  "" if low in _LABELLING else argument, options)
        for blank in range(number + 1, first_body):
            out[blank] = ""
        return
    container(out, number, match, at, notices)


# VitePress' containers (markdown-it-container): `::: tip`, `::: warning Title`, `::: details
# Summary`, `::: code-group`; its details a note, titled by its summary. Pandoc reads `::: name`
# (a word, then colons if any) as a div of that class: only these names are taken from it.
_VITEPRESS = frozenset(("info", "tip", "warning", "danger", "details", "note", "important",
                        "caution"))
_PANDOC_DIV = re.compile(r"^\s+[\w-]+(?:\s+:+)?\s*$")  # `::: Warning ::::`, pandoc's own


def container(out: list[str], number: int, match: re.Match, at: int, notices: list) -> None:
    """A colon fence naming what it opens, Docusaurus' `:::tip[Title]` or `:::warning Title`
    and VitePress' `::: tip`, `::: danger STOP`, `::: details Click me`, `::: code-group`: a
    callout of the nearest kind, titled; a code group its code blocks, each under its title
    (`[npm]` on its fence). Any other name with words after it (pandoc read the line, and
    the closing `:::`, as text) is a div of its content, a `markup-foreign` warning."""
    indent, rest = match.group(1), match.group(3)
    # (each run of spaces read from its start only: from each of its spaces, `\s+` read on to
    # the line's end, so `::: a`, 20,000 spaces and a letter took 2.4 s)
    words = re.sub(r"(?<!\s)\s+:+\s*$", "", rest).strip()
    named = _DOCUSAURUS.match(words) if words[:1].isalpha() else None
    if not named:
        return
    name, title = named.group(1), named.group(2) or named.group(3) or ""
    title = re.sub(r"(?<!\s)\s*\{[^{}]*\}\s*$", "", title)  # VitePress' `{open}` and such
    low, spaced, pandocs = name.lower(), rest[:1].isspace(), bool(_PANDOC_DIV.match(rest))
    kind = "note" if low == "details" else kind_of(low)
    if kind and not (pandocs and low not in _VITEPRESS):
        out[number] = indent + ":::" + titled_div(f"callout-{kind}", title)
    elif low == "code-group" and not title:
        out[number] = indent + "::: {.code-group}"
    elif not pandocs and (spaced or title):
        shown = " ".join(title.split())
        notices.append(("markup-foreign", at, f"container ':::{' ' if spaced else ''}{name}' "
                        "(VitePress', Docusaurus') is not read: its content is shown as it is"
                        + (f", its title '{shown}' left out" if shown else "")))
        out[number] = indent + "::: {." + low + "}"


def under_text(out: list[str], number: int, match: re.Match, item_pattern: re.Pattern) -> str:
    """A fence right under a list item's text, indented past the item's content by one to three
    columns (`1. Runs once:` then `    ```html`), as CommonMark (GitHub, markdown-it) reads it:
    pandoc read the block as inline code in the item's paragraph, its lines run together. The
    block (fence, code, closing fence) is moved to the item's column, line for line; the
    fence's line is returned."""
    depth = len(match.group(1).expandtabs(4))
    for index in range(number - 1, max(-1, number - 200), -1):
        line = out[index].expandtabs(4)
        item = item_pattern.match(line)
        if line.strip() and len(line) - len(line.lstrip()) < depth:
            if not item:
                return out[number]
            column = len(item.group(1)) + len(line[len(item.group(1)):].split()[0]) + len(item.group(2))
            extra = depth - column
            if not 0 < extra <= 3:
                return out[number]
            end = next((i for i in range(number + 1, len(out)) if (m := FENCE.match(out[i]))
                        and closes(m, match.group(2))), None)
            for i in range(number, (end if end is not None else number) + 1):
                cut = out[i].expandtabs(4)
                if cut[:depth].strip() == "":
                    out[i] = cut[extra:]
            return out[number]
    return out[number]
