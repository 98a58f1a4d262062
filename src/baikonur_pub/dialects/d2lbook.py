"""d2lbook's Markdown (Dive into Deep Learning and the books made with its tool), rewritten line
for line into pandoc's (see `dialects`). Pandoc read its roles as inline code: `:label:` and
`:numref:` were printed as written beside raw backticks, `:cite:` keys were no citation, and
each `#@tab pytorch` line was shown as code.

- `:label:`x`` on the line after a heading, a figure or a table is that element's ID, after a
  display formula `:eqlabel:`x``; the ID takes the prefix of its kind (`sec-`, `fig-`, `tbl-`,
  `eq-`, a label's own `fig_`… replaced), so they are numbered and `@fig-x` reaches them;
- `:numref:`x`` is a cross-reference (`[@fig-x]`: "Figure 1"), `:eqref:`x`` the equation's
  number in parentheses; a label this chapter does not define is taken for the kind its own
  prefix names (`fig_`, `img_` a figure, `tab_`, `table_` a table, `eq_` an equation, any
  other a section), as d2l names them;
- `:cite:`A,B`` is a citation `[@A; @B]`, `:citet:`A`` the in-text `@A`; Sphinx's
  `:class:`, `:func:`, `:mod:` the name as code;
- slide marks: `[**text**]`, `(**text**)` are the text (as d2lbook's book shows it), what
  `[~~…~~]`, `(~~…~~)` hold only a slide shows;
- `:width:`400px`` under an image is its width;
- `:begin_tab:`pytorch`` … `:end_tab:` is a tab shown under its label, and a code cell's
  `#@tab pytorch` (`%%tab`) line the cell's title; the notebook's setup cell
  (`%load_ext d2lbook.tab`) is left out. Cells are never run: one `code-not-run` warning a
  chapter says their output is not in the book.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..spans import code_spans
from .attributes import quoted, titled_div
from .directives import FENCE, closes

MARKS = (":label:`", ":numref:`", ":eqref:`", ":eqlabel:`", ":cite", ":begin_tab:`",
         ":end_tab:", ":width:`", "#@tab", "%%tab", "d2lbook")
_ALONE = re.compile(r"^\s*:(label|eqlabel|width):`([^`]+)`\s*$")
_BEGIN_TAB = re.compile(r"^\s*:begin_tab:`([^`]*)`\s*$")
_END_TAB = re.compile(r"^\s*:end_tab:\s*$")
_CELL_TAB = re.compile(r"^\s*(?:#@tab|%%tab)\s(.*)$")  # its names stripped where read
_INPUT = re.compile(r"^\{[^}]*\.input\b[^}]*\}$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
# the target up to the next parenthesis: `[^)]*` read past each `(` to the line's end, from
# each `](` (`![` and 20,000 `](a`: 1.7 s)
_IMAGE = re.compile(r"^\s*!\[.*\]\([^()]*\)(\{[^}]*\})?\s*$")
# a role in text, or a code span (roles are not read in one)
_INLINE = re.compile(r":(numref|ref|eqref|cite|citet|citep|label|class|func|mod):`([^`]*)`")
_OWN = {"fig": ("fig_", "img_"), "tbl": ("tab_", "table_"), "eq": ("eq_",), "sec": ("sec_",)}
# how d2l shows a framework's name
FRAMEWORKS = {"mxnet": "MXNet", "pytorch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX",
              "paddle": "Paddle", "all": ""}


def worth(text: str) -> bool:
    return any(mark in text for mark in MARKS)


def ident(kind: str, label: str) -> str:
    """The ID a d2l label of an element of `kind` (`fig`, `tbl`, `eq`, `sec`) has."""
    for prefix in _OWN[kind]:
        if label.startswith(prefix) and len(label) > len(prefix):
            return f"{kind}-{label[len(prefix):]}"
    return f"{kind}-{label}"


def guessed(label: str) -> str:
    """The kind a label defined elsewhere names, by its prefix as d2l writes them."""
    return next((kind for kind, prefixes in _OWN.items() if label.startswith(prefixes)), "sec")


def rewrite(lines: list[str], notices: list) -> bool:
    """`lines` rewritten in place; whether anything changed."""
    before = list(lines)
    kinds: dict[str, str] = {}
    _blocks(lines, kinds, notices)
    fence, paragraph = None, []
    for number, line in enumerate(lines + [""]):
        match = FENCE.match(line)
        if fence:
            fence = None if match and closes(match, fence) else fence
            continue
        if match and match.group(2)[0] != ":" or not line.strip():
            fence = match.group(2) if match and match.group(2)[0] != ":" else None
            if paragraph:
                _slides(lines, paragraph[0], number)
            paragraph = []
            continue
        paragraph.append(number)
        if ":" in line and "`" in line:
            lines[number] = _roles(line, kinds)
    return lines != before


# d2lbook's slide marks: `[**text**]` and `(**text**)` the text a slide shows, which the book
# shows without the marks (nor bold); `[~~text~~]`, `(~~text~~)` what only a slide shows.
# Over lines of one paragraph, never nested; `[**a**](url)` is a link's text. Marks are paired
# in one pass (a lazy pattern tried at each of 100,000 unclosed `[**` took minutes).
_MARK = re.compile(r"\[\*\*|\*\*\]|\(\*\*|\*\*\)|\[~~|~~\]|\(~~|~~\)")
_CLOSER = {"[**": "**]", "(**": "**)", "[~~": "~~]", "(~~": "~~)"}
_MATH = re.compile(r"(?<![\\$])\$[^$\s](?:[^$]*?[^$\s])?\$")
def _masked(text: str) -> str:
    """`text` with its code spans and inline formulas blanked, their lengths kept."""
    chars = list(text)
    for a, b in code_spans(text):
        chars[a:b] = "\0" * (b - a)
    masked = "".join(chars)
    return _MATH.sub(lambda m: "\0" * len(m.group(0)), masked)


def _slides(lines: list[str], first: int, end: int) -> None:
    """The slide marks of the paragraph `lines[first:end]` taken out, its lines kept."""
    text = "\n".join(lines[first:end])
    if "**" not in text and "~~" not in text:
        return
    masked = _masked(text)
    parts, at, opened = [], 0, None
    for match in _MARK.finditer(masked):
        mark = match.group(0)
        if mark in _CLOSER:
            opened = match
        elif opened is not None and _CLOSER[opened.group(0)] == mark:
            if not (mark.endswith("]") and masked.startswith("(", match.end())):
                inner = text[opened.end():match.start()]
                parts += [text[at:opened.start()],
                          inner if "*" in mark else "\n" * inner.count("\n")]
                at = match.end()
            opened = None
    changed = ("".join(parts) + text[at:]).split("\n")
    if len(changed) == end - first:
        lines[first:end] = changed


def _blocks(lines: list[str], kinds: dict, notices: list) -> None:
    """Labels, widths, tabs and code cells: each rewritten where it stands."""
    fence, cells, number, default = None, 0, 0, default_tab(lines)
    previous, named, unclosed = None, set(), set()  # the last line with text; labelled lines
    while number < len(lines):
        line, at = lines[number], number + 1
        match = FENCE.match(line)
        if fence:
            fence = None if match and closes(match, fence) else fence
        elif match and match.group(2)[0] != ":":
            fence = match.group(2)
            if _INPUT.match(match.group(3).strip()):
                after = _cell(lines, number, match, default, unclosed)
                shown = any(lines[number:after])  # the setup cell is blanked, not shown
                if shown and not cells:
                    notices.append(("code-not-run", at, "d2lbook's code cells are shown as "
                                    "code and not run: their output is not in the book"))
                cells += shown
                number, fence = after, None
                previous = after - 1 if shown and lines[after - 1].strip() else previous
                continue
        elif alone := _ALONE.match(line):
            _label(lines, number, previous, alone.group(1), alone.group(2).strip(), kinds,
                   notices, named)
        elif tab := _BEGIN_TAB.match(line):
            names = [FRAMEWORKS.get(n.strip().lower(), n.strip()) for n in tab.group(1).split(",")]
            lines[number] = ":::" + titled_div("tab-item", ", ".join(n for n in names if n))
        elif _END_TAB.match(line):
            lines[number] = ":::"
        previous = number if lines[number].strip() else previous
        number += 1


def default_tab(lines: list[str]) -> str | None:
    """The tab a cell without a `#@tab` line belongs to: d2lbook gives it the book's default
    framework (the first of its config's tabs, which the manuscript does not hold). A chapter
    names its tabs in that order, so it is the first a `:begin_tab:` names, unless a cell is
    tagged with that one alone (then its cells are tagged, and the untagged ones unknown)."""
    first, alone, tagged = None, set(), False
    for line in lines:
        if cell := _CELL_TAB.match(line):
            names = [n.strip().lower() for n in cell.group(1).split(",")]
            tagged = True
            if len(names) == 1:
                alone.add(names[0])
        elif first is None and (tab := _BEGIN_TAB.match(line)):
            first = tab.group(1).split(",")[0].strip().lower() or None
    return first if tagged and first not in alone and first != "all" else None


def _cell(lines: list[str], number: int, match: re.Match, default: str | None = None,
          unclosed: set | None = None) -> int:
    """A code cell from its fence at `number`: its `#@tab` line its title (the fence moved down
    onto it; without one, the `default` tab's), the setup cell blanked; the index after its
    closing fence."""
    unclosed = set() if unclosed is None else unclosed  # fences no later line closes
    end = None if match.group(2) in unclosed else next(
        (i for i in range(number + 1, len(lines))
         if (m := FENCE.match(lines[i])) and closes(m, match.group(2))), None)
    if end is None:
        unclosed.add(match.group(2))
        return number + 1
    body = lines[number + 1:end]
    if any("d2lbook" in b for b in body) and all(
            not b.strip() or b.lstrip().startswith(("%", "from d2l", "import", "tab."))
            for b in body):
        lines[number:end + 1] = [""] * (end + 1 - number)
        return end + 1
    first = next((i for i in range(number + 1, end) if lines[i].strip()), None)
    tab = _CELL_TAB.match(lines[first]) if first is not None else None
    if tab:
        names = [FRAMEWORKS.get(n.strip().lower(), n.strip()) for n in tab.group(1).split(",")]
        title = ", ".join(n for n in names if n)
        lines[first] = match.group(1) + match.group(2) + _titled(match.group(3).strip(), title)
        lines[number:first] = [""] * (first - number)
    elif default:
        title = FRAMEWORKS.get(default, default)
        lines[number] = match.group(1) + match.group(2) + _titled(match.group(3).strip(), title)
    return end + 1


def _titled(attrs: str, title: str) -> str:
    return attrs[:-1].rstrip() + f" filename={quoted(title)}}}" if title else attrs


def _label(lines, number, above, role, value, kinds, notices, named) -> None:
    """`:label:`, `:eqlabel:` or `:width:` alone on its line, given to the element on the
    line `above` (the last with text); one label an element (`named`)."""
    at = number + 1
    target = lines[above] if above is not None else ""
    if role == "width":
        if _IMAGE.match(target):
            lines[above] = _attribute(target, f"width={quoted(value)}")
            lines[number] = ""
        return
    if above in named:
        notices.append(("markup-foreign", at, f"d2lbook label {value}: the element above has "
                        "a label already, and an element has one ID"))
        return
    if role == "eqlabel" or target.rstrip().endswith("$$"):
        kind = "eq"
    elif _HEADING.match(target):
        kind = "sec"
    elif _IMAGE.match(target):
        kind = "fig"
    elif target.lstrip().startswith("|") or _table_above(lines, above):
        kind = "tbl"
    else:
        notices.append(("markup-foreign", at, f"d2lbook label {value} is read after a heading, "
                        "an image, a table or a formula: here it names nothing"))
        return
    kinds[value] = kind
    named.add(above)
    name = ident(kind, value)
    if kind == "eq" and target.rstrip().endswith("$$"):
        lines[above] = target.rstrip() + f" {{#{name}}}"
    elif kind == "eq":
        notices.append(("markup-foreign", at, f"d2lbook equation label {value} follows no "
                        "display formula ($$ … $$): it names nothing"))
        return
    elif kind == "tbl":
        caption = _caption_above(lines, above)
        if caption is None:  # a caption of the ID alone, right under the table
            lines[number] = f": {{#{name}}}"
            return
        lines[caption] = lines[caption].rstrip() + f" {{#{name}}}"
    elif kind == "sec":
        lines[above] = target.rstrip().rstrip("#").rstrip() + f" {{#{name}}}"
    else:
        lines[above] = _attribute(target, f"#{name}")
    lines[number] = ""


def _caption_above(lines: list[str], last: int) -> int | None:
    """The index of the caption d2l writes over a table (`:Caption.`) whose last row is
    `lines[last]`, if it has one."""
    first = last
    while first > 0 and lines[first - 1].strip():
        first -= 1
    above = next((i for i in range(first - 1, -1, -1) if lines[i].strip()), None)
    if above is not None and _CAPTION.match(lines[above]) and not lines[above].rstrip().endswith("}"):
        return above
    return None


_CAPTION = re.compile(r"^\s{0,3}(?:Table)?:(?!:)\s*\S")


def _table_above(lines: list[str], above: int | None) -> bool:
    return above is not None and bool(re.match(r"^\s*:?-{3,}", lines[above]))


def _attribute(image_line: str, attribute: str) -> str:
    """An image line with `attribute` added to its braces (made when it has none)."""
    line = image_line.rstrip()
    if line.endswith("}"):
        return line[:-1].rstrip() + " " + attribute + "}"
    return line + "{" + attribute + "}"


def _roles(line: str, kinds: dict) -> str:
    """`line` with its roles made pandoc's cross-references and citations, code spans kept."""
    def one(match: re.Match) -> str:
        role, value = match.group(1), match.group(2).strip()
        if role in ("class", "func", "mod"):  # Sphinx's Python roles: the name, as code
            return f"`{value}`"
        if role in ("numref", "ref"):
            return f"[@{ident(kinds.get(value) or guessed(value), value)}]"
        if role == "eqref":
            return f"([-@{ident('eq', value)}])"
        if role == "label":
            return f"[]{{#{value}}}"
        keys = [k.strip() for k in value.split(",") if k.strip()]
        if role == "citet":
            before = line[:match.start()]
            if before[-1:].isalnum():  # `文本@A` is text to pandoc: bracketed, a citation
                return "[" + "; ".join("@" + k for k in keys) + "]"
            return ", ".join("@" + k for k in keys)
        return "[" + "; ".join("@" + k for k in keys) + "]"
    spans = code_spans(_INLINE.sub(lambda m: "\0" * len(m.group(0)), line))
    starts = [a for a, _ in spans]

    def in_code(at: int) -> bool:
        index = bisect_right(starts, at) - 1
        return index >= 0 and at < spans[index][1]
    return _INLINE.sub(lambda m: m.group(0) if in_code(m.start()) else one(m), line)
