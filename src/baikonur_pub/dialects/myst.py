"""MyST's roles and the directives of Jupyter Book and Sphinx that show something in a book,
rewritten line for line into pandoc's Markdown (see `dialects`). Pandoc read a role as text
and inline code ("{ref}`label`"), and each directive below was shown as code of its options.

- `{ref}`, `{numref}`, `{eq}`, `{any}`, sphinx-proof's `{prf:ref}` and a link without text,
  `[](label)`, lead to the element their label names: with text (`{ref}`the loop <loop>``) a
  link of that text; without, a link whose text the cross-references give (`crossref.apply`):
  a section's or a box's title, "Figure 2", "Theorem 1", "(3)"; `{doc}` and `[](other.md)`
  lead to a chapter, titled by its heading when no text is given (`links.chapters`); a
  reference into another project (intersphinx) is its text, with a warning;
- `{math}`x`` is math, `{cite}` a citation, `{index}`word`` the word, `{sub}`/`{sup}`
  sub- and superscript, Python's and the glossary's roles their text (code for names);
- `{figure} path` an image with its caption, `:name:` its ID (`fig-` prefixed: numbered),
  `:alt:` its text alternative; `{image}` an image; `{math}` with `:label:` and
  `$$ … $$ (label)` numbered equations; `{raw} html` raw HTML (the policy of every raw block),
  `{raw} latex` LaTeX, `{raw}` for another format (a notebook's header) and `{index}` nothing;
  `{epigraph}`, `{pull-quote}` and `{highlights}` a quote;
- in a MyST notebook, `$ t $` math and `+++` a cell break (`notebook_lines`); targets
  `(label)=` are read in `targets`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..ast import inlines
from ..crossref import KINDS, REFERENCE
from ..spans import code_spans
from .attributes import LABEL, value

MARK = "}`"  # in every line that holds a role
# `{name}`content``: a role (`{cite:p}`, `{py:func}` have a domain); content on one line
_ROLE = re.compile(r"\{([A-Za-z][\w.+-]*(?::[\w.+-]+)?)\}`([^`]+)`")
# a role whose content goes on past its line's end (a paragraph's lines, wrapped)
_OPEN = re.compile(r"\{[A-Za-z][\w.+-]*(?::[\w.+-]+)?\}`[^`]*$")
_TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)  # `text <target>`
_CITED = ("cite", "cite:p", "cite:ps", "cite:cts", "cite:alp", "cite:empty", "footcite")
_IN_TEXT = ("cite:t", "cite:ts", "cite:ct", "cite:author", "cite:year", "footcite:t")
_NAMES = re.compile(r"^(?:py:|std:)?(func|meth|class|mod|attr|obj|data|exc|const|envvar|"
                    r"option|command|program|file|samp|mimetype|kbd|code|literal|token)$")
_TEXT = ("index", "term", "abbr", "dfn", "guilabel", "menuselection", "title-reference",
         "emphasis", "strong")
_LINKED = ("ref", "numref", "eq", "any", "doc", "download", "external")
# MyST's labelled display math, closed on a line: `$$ x $$ (label)`
_DOLLAR_LABEL = re.compile(r"\$\$\s*\(([\w.:-]+)\)\s*$")


# MyST's link without text, `[](label)` or `[](other.md)`: the element's or the chapter's title
_AUTO = re.compile(r"(?<![!\]\\])\[\]\(([\w.:/-]+)\)(?!\{)")


def worth(text: str) -> bool:
    return MARK in text or ")=" in text or "$$ (" in text or "$$(" in text or "[](" in text


def wrapped(out: list[str], number: int, at: int, notices: list) -> None:
    """The roles of `out[number]`, rewritten in place, with the lines a role's content runs on
    to (up to its closing backtick, in the paragraph): each line keeps its number."""
    last = number
    if _OPEN.search(out[number]):
        while last + 1 < len(out) and last < number + 8 and out[last + 1].strip():
            last += 1
            if "`" in out[last]:
                break
    lines = roles("\n".join(out[number:last + 1]), at, notices).split("\n")
    if len(lines) == last + 1 - number:
        out[number:last + 1] = lines


def roles(line: str, at: int, notices: list) -> str:
    """`line` with its roles rewritten, its code spans as written."""
    line = _DOLLAR_LABEL.sub(lambda m: f"$$ {{#{equation_id(m.group(1))}}}", line) \
        if "$$" in line else line
    if MARK not in line and "[](" not in line:
        return line
    spans = code_spans(_ROLE.sub(lambda m: "\0" * len(m.group(0)), line))
    starts = [a for a, _ in spans]

    def in_code(position: int) -> bool:
        index = bisect_right(starts, position) - 1
        return index >= 0 and position < spans[index][1]

    def one(match: re.Match) -> str:
        if in_code(match.start()):
            return match.group(0)
        role, content = match.group(1).lower(), match.group(2)
        role = "ref" if role == "prf:ref" else role  # sphinx-proof's, to a theorem
        titled = _TITLED.match(content)
        text, target = (titled.group(1), titled.group(2)) if titled else ("", content)
        if role in _LINKED or role.startswith("external"):
            return _link(role, text, target.strip(), at, notices)
        if role == "math":
            return f"${content.strip()}$"
        if role in _CITED or role in _IN_TEXT:
            keys = [k.strip() for k in content.split(",") if k.strip()]
            cites = "; ".join("@" + k for k in keys)
            return cites if role in _IN_TEXT and len(keys) == 1 else f"[{cites}]"
        if role in ("sub", "subscript"):
            return f"~{_escaped(content, '~')}~"
        if role in ("sup", "superscript"):
            return f"^{_escaped(content, '^')}^"
        if _NAMES.match(role):  # `~pkg.mod.f` shows `f`, as Sphinx does
            name = text or content
            return _code(name[1:].rsplit(".", 1)[-1] if name.startswith("~") else name)
        if role in _TEXT or role.startswith("index"):
            return text or (content if role not in ("index",) else content.split(";")[-1].strip())
        notices.append(("markup-foreign", at, f"MyST role {{{match.group(1)}}} is not read: "
                        "its content is shown as code"))
        return _code(content)
    line = _ROLE.sub(one, line)
    return _auto_links(line) if "[](" in line else line


def _auto_links(line: str) -> str:
    """MyST's links without text (`[](label)`, `[](other.md)`) as the roles' (`_link`), code
    spans as written."""
    spans = code_spans(line)
    starts = [a for a, _ in spans]

    def auto(match: re.Match) -> str:
        target, index = match.group(1), bisect_right(starts, match.start()) - 1
        scheme = target.split(":", 1)[0] if ":" in target else None
        if (index >= 0 and match.start() < spans[index][1]) or (
                scheme is not None and scheme.lower() not in KINDS):
            return match.group(0)  # a URL (`https:`, javascript.info's `info:`), not a label
        if "/" in target or target.endswith((".md", ".ipynb")):
            return f"[](<{target}>){{.{REFERENCE}}}"
        return f"[](<#{target}>){{.{REFERENCE} .ref}}"
    return _AUTO.sub(auto, line)


def _link(role: str, text: str, target: str, at: int, notices: list) -> str:
    """A role that leads somewhere as pandoc's link (see the module's docstring)."""
    project = target.split(":", 1)[0].lower() if ":" in target else None
    if role.startswith("external") or (project is not None and project not in KINDS
                                       and role in ("doc", "ref", "any")
                                       and project not in ("http", "https")):
        notices.append(("markup-foreign", at, f"MyST reference to '{target}' in another "
                        "project (intersphinx) is shown as its text: nothing says where it leads"))
        return text or target.split(":", 1)[-1]
    if role == "doc":  # its name, as the site serves it: a chapter of the book's is found
        return f"[{text}](<{target}>)" if text else f"[](<{target}>){{.{REFERENCE}}}"
    if role == "download":
        return f"[{text or target}]({target})"
    # to the label however the element's ID was made (`:name: pads` is `fig-pads`); a
    # numref's text holds its number as `%s` or `{number}`
    return f"[{text}](<#{target}>){{.{REFERENCE} .{role}}}"


def _code(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    return f"{ticks}{text}{ticks}"


def _escaped(text: str, mark: str) -> str:
    return text.replace("\\", "\\\\").replace(mark, "\\" + mark).replace(" ", "\\ ")


def equation_id(label: str) -> str:
    """The ID of the equation MyST labels `label`: numbered equations' IDs start `eq-`."""
    return label if re.match(r"eq[-:]", label) else f"eq-{label}"


def figure_id(label: str) -> str:
    return label if re.match(r"fig[-:]", label) else f"fig-{label}"


DIRECTIVES = ("figure", "image", "math", "raw", "index", "epigraph", "pull-quote", "highlights")
LIST_TABLE = "list-table"  # its rows a list of lists (`list_table_div`, `tables`)


def directive(out: list[str], number: int, end: int | None, marks: str, indent: str, low: str,
              argument: str, options: dict, first_body: int) -> str | None:
    """One of `DIRECTIVES`, closed at `end`, rewritten in `out` (see the module's docstring):
    the code fence it leaves open (a raw block's), else None."""
    body = range(first_body, end)
    if low == "index":
        for index in range(number, end + 1):
            out[index] = ""
        return None
    if low == "raw":
        shown = argument.split()[0].lower() if argument.split() else ""
        if shown in ("html", "latex", "tex", "html5"):
            out[number] = indent + marks + "{=" + ("latex" if shown == "tex" else shown) + "}"
            for index in range(number + 1, first_body):
                out[index] = ""
            return marks
        for index in range(number, end + 1):
            out[index] = ""  # a notebook's header, a format none of the book's
        return None
    if low in ("figure", "image"):
        caption, legend = _caption(out, body)
        attrs = [f"#{figure_id(options['name'])}"] if low == "figure" and LABEL.fullmatch(
            options.get("name", "")) else []
        attrs += [f"{key}={value(options[key])}" for key in ("width", "height")
                  if options.get(key)]
        if options.get("alt"):
            attrs.append(f"alt={value(options['alt'])}")
        path = argument.strip()
        for index in range(number, legend):
            out[index] = ""
        text = caption if low == "figure" else ""
        out[number] = indent + f"![{text}](<{path}>)" + (
            "{" + " ".join(attrs) + "}" if attrs else "")
        out[end] = ""
        return None
    if low == "math":  # each equation its lines between blank ones; the label the last's
        for index in range(number, first_body):
            out[index] = ""
        out[end] = ""
        label = options.get("label") or options.get("name")
        label = label if label and LABEL.fullmatch(label) else None
        groups: list[list[int]] = [[]]
        for index in body:
            if out[index].strip():
                groups[-1].append(index)
            elif groups[-1]:
                groups.append([])
        groups = [g for g in groups if g]
        for group in groups:
            out[group[0]] = indent + "$$" + out[group[0]].strip()
            out[group[-1]] = out[group[-1]].rstrip() + "$$" + (
                f" {{#{equation_id(label)}}}" if label and group is groups[-1] else "")
        return None
    # a quote: `{epigraph}`, `{pull-quote}`, `{highlights}`
    for index in range(number, first_body):
        out[index] = ""
    for index in body:
        out[index] = (indent + "> " + out[index][len(indent):]) if out[index].strip() \
            else indent + ">"
    out[end] = ""
    return None


def _caption(out: list[str], body: range) -> tuple[str, int]:
    """A figure's caption, its first paragraph's lines joined, and the index its legend (what
    follows) starts at."""
    lines = [index for index in body]
    while lines and not out[lines[0]].strip():
        lines.pop(0)
    caption = []
    for index in lines:
        if not out[index].strip():
            return " ".join(caption), index
        caption.append(out[index].strip())
    return " ".join(caption), body.stop


# what tells a chapter written as a MyST notebook (jupytext's front matter, set aside)
_NOTEBOOK_KEYS = ("jupytext", "kernelspec", "myst", "mystnb")
# `$ x $`: math to MyST (dollarmath allows spaces inside), text to pandoc; a `$$` is display,
# and a `$` before a digit closes nothing to pandoc (`$5 and $6` stays text)
_SPACED = re.compile(r"(?<![\\$])\$(?!\$)( *)([^$\n]*?[^$\s\\])( *)\$(?![$\d])")
_CELL_BREAK = re.compile(r"^\+\+\+(?:\s*\{.*\})?\s*$")  # `+++ {"tags": []}`


def notebook(source) -> bool:
    return any(key in source.ignored for key in _NOTEBOOK_KEYS)


def notebook_lines(lines: list[str], code: list[bool]) -> bool:
    """A MyST notebook's `$ x $` written `$x$`, its cell breaks (`+++`) blank lines, in place;
    whether any line changed. Code is left as written."""
    changed = False
    for index, line in enumerate(lines):
        if code and code[index]:
            continue
        if _CELL_BREAK.match(line):
            lines[index], changed = "", True
        elif "$ " in line or " $" in line:
            spans = code_spans(line)
            starts = [a for a, _ in spans]

            def tight(match: re.Match) -> str:
                at = bisect_right(starts, match.start()) - 1
                if (at >= 0 and match.start() < spans[at][1]) or not (
                        match.group(1) or match.group(3)):
                    return match.group(0)
                return f"${match.group(2)}$"
            new = _SPACED.sub(tight, line)
            changed |= new != line
            lines[index] = new
    return changed


def list_table_div(caption: str, options: dict) -> str:
    """The attributes of the div a `{list-table} Caption` is written as, its rows the lists it
    holds: `tables` makes it a table once pandoc has read them (`:name:` its `tbl-` ID,
    `:header-rows:`, `:stub-columns:`, `:widths:`)."""
    name = options.get("name", "")
    attrs = [f"#{table_id(name)}"] if LABEL.fullmatch(name) else []
    attrs.append(f".{LIST_TABLE}")
    for key in ("header-rows", "stub-columns", "widths"):
        if re.fullmatch(r"[\d ,]+", options.get(key, "")):
            attrs.append(f'{key}="{options[key].strip()}"')
    if caption.strip():
        attrs.append(f"caption={value(' '.join(caption.split()))}")
    return " {" + " ".join(attrs) + "}"


def table_id(label: str) -> str:
    return label if re.match(r"tbl[-:]", label) else f"tbl-{label}"


def table_of(block: dict) -> dict:
    """A list-table's div (`list_table_div`) as the table its lists of cells mean; any other
    block, and one whose rows are not each a list of cells (the lists the author wrote), as
    it is. Called on every block of the tree's one walk (`tree.tidy`)."""
    if block.get("t") == "Div" and LIST_TABLE in block["c"][0][1]:
        table = _table(block)
        if table is None:  # its options said of a table: no HTML of a div (EPUBCheck RSC-005)
            block["c"][0][2] = []
        return table or block
    return block


def _table(div: dict) -> dict | None:
    ident, _, attrs = div["c"][0]
    attrs = dict(attrs)
    content = div["c"][1]
    words = content[0]["c"] if len(content) == 2 and content[0]["t"] == "Para" else None
    lists = content[1:] if words is not None else content
    if len(lists) != 1 or lists[0]["t"] != "BulletList":
        return None
    rows = []
    for item in lists[0]["c"]:
        if len(item) != 1 or item[0]["t"] != "BulletList":
            return None
        rows.append([cell for cell in item[0]["c"]])
    columns = max((len(r) for r in rows), default=0)
    if not rows or not 0 < columns <= 1000:
        return None
    heads = int(attrs.get("header-rows", "0").strip() or 0)
    stubs = int(attrs.get("stub-columns", "0").strip() or 0)
    weights = [int(w) for w in re.findall(r"\d+", attrs.get("widths", ""))]
    widths = ([{"t": "ColWidth", "c": w / sum(weights)} for w in weights]
              if len(weights) == columns and sum(weights) else [{"t": "ColWidthDefault"}] * columns)

    def row(cells: list) -> list:
        cells = [[["", [], []], {"t": "AlignDefault"}, 1, 1, _plain(c)] for c in cells]
        cells += [[["", [], []], {"t": "AlignDefault"}, 1, columns - len(cells), []]] \
            if len(cells) < columns else []
        return [["", [], []], cells]
    caption = [{"t": "Plain", "c": words}] if words else \
        [{"t": "Plain", "c": inlines(attrs["caption"], " ")}] if attrs.get("caption") else []
    return {"t": "Table", "c": [
        [ident, [], []], [None, caption], [[{"t": "AlignDefault"}, w] for w in widths],
        [["", [], []], [row(r) for r in rows[:heads]]],
        [[["", [], []], min(stubs, columns), [], [row(r) for r in rows[heads:]]]],
        [["", [], []], []]]}


def _plain(blocks: list) -> list:
    """A cell's blocks, its one paragraph plain (a list item's is `Plain` or `Para`)."""
    if len(blocks) == 1 and blocks[0]["t"] == "Para":
        return [{"t": "Plain", "c": blocks[0]["c"]}]
    return blocks
