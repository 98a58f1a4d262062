"""What the parse tidies in the AST of other tools' syntax, and what each format shows of it:
chunks' option lines, `fig-alt`, page breaks, titled code and tabs, inline chunks; Quarto's
conditional content (see `dialects`)."""

from __future__ import annotations

import copy
import re

from .. import theorems
from ..ast import inlines, walk
from ..callouts import block_lists
from ..errors import Collected, ManuscriptError
from ..sources import written_line
from . import breaks, jsinfo, mdn, myst, workbench
from .chunks import CHUNK, CHUNK_OPTION, DRAWN
from .pymdown import INCLUDE_CODE, language

def tidy(blocks: list, listing: str = "Listing", colon: str = ": ") -> None:
    """The code of chunks and directives without its option lines (`#| label: x`, and the
    `:linenos:` left blank), Quarto's `fig-alt` (or an `alt`) as its image's text alternative
    (the caption stays the figure's), its `{{< pagebreak >}}` a page break (`PAGE_BREAK`), and mdBook's
    listings captioned "`listing` 1-1`colon`…" under their code, a figure its chunk would draw
    its text alternative above its caption (`chunks._drawn`), the headings of MDX's
    components unnumbered, a div's last paragraph a paragraph, in place; MDN's definition
    lists (`mdn.tidy`); javascript.info's highlight marks out of code (`jsinfo.tidy`); the
    Carpentries Workbench's boxes callouts and its tabs tabs (`workbench.tidy`)."""
    _paragraphs_above_fences(blocks)
    workbench.tidy(blocks)  # its tabs titled below
    breaks.spaced(blocks)  # a line break beside Korean: a space
    mdn.tidy(blocks)
    jsinfo.tidy(blocks)
    blocks[:] = [_tab_titled(_with_filename(_PAGE_BREAK if _is_page_break(b) else _code_file(
        myst.table_of(b)))) for b in blocks]
    for el in walk(blocks):
        theorems.tidy(el)  # a theorem's heading its title, before headings are sections
        if el.get("t") == "Math" and "\\cr" in el["c"][1]:
            el["c"][1] = _CR.sub(r"\\\\ ", el["c"][1])
        if el.get("t") == "Div" and "listing" in el["c"][0][1]:
            _captioned(el, listing, colon)  # its file name, before its blocks are tidied below
        if el.get("t") == "Div" and "component" in el["c"][0][1]:
            for heading in (x for x in walk(el["c"][1]) if x["t"] == "Header"):
                if "unnumbered" not in heading["c"][1][1]:  # an MDX aside's (`mdx`): "1.3.2.2"
                    heading["c"][1][1].append("unnumbered")  # under the section before it
        for inner in block_lists(el):
            inner[:] = [_PAGE_BREAK if _is_page_break(b) else b for b in inner]
        if el.get("t") == "Div" and DRAWN in el["c"][0][1]:  # the plot's words in its place
            alt = _alt_taken(el)
            if alt and el["c"][1]:
                el["c"][1].insert(len(el["c"][1]) - 1, {"t": "Para", "c": inlines(alt)})
        if el.get("t") == "Image" and any(k in _ALTS for k, _ in el["c"][0][2]):
            alt = _alt_taken(el, _ALTS)
            if alt:
                el["c"][1] = inlines(alt)
            continue
        for inner in block_lists(el):  # a list-table's lists of cells (`myst`) a table
            inner[:] = [_tab_titled(_with_filename(_code_file(myst.table_of(b)))) for b in inner]
        if el.get("t") == "CodeBlock" and CHUNK in el["c"][0][1]:
            el["c"][0][1] = [c for c in el["c"][0][1] if c != CHUNK]
            code = el["c"][1].split("\n")
            while code and (CHUNK_OPTION.match(code[0]) or not code[0].strip()):
                code.pop(0)
            el["c"][1] = "\n".join(code)


# TeX's `\cr` ending a matrix's row, as MathJax reads it (QuantEcon's lectures): pandoc's TeX
# reader knows amsmath's `\\` only, and printed the formula's source
_CR = re.compile(r"(?<!\\)\\cr(?![A-Za-z])")


# An image's text alternative as an attribute: Quarto's `fig-alt`, and the `alt` the Carpentries
# Workbench writes (`![](fig/tree.svg){alt='…'}`, its description empty: it was missing)
_ALTS = ("fig-alt", "alt")


def _alt_taken(el: dict, names: tuple[str, ...] = ("fig-alt",)) -> str:
    """The first of `names` among an element's attributes, its spaces collapsed; all of
    them taken out of the attributes."""
    attrs = el["c"][0][2]
    given = dict(attrs)
    alt = " ".join(next((given[n] for n in names if n in given), "").split())
    el["c"][0][2] = [[k, v] for k, v in attrs if k not in names]
    return alt


def _paragraphs_above_fences(blocks: list) -> None:
    """A paragraph right above a div's closing `:::` is pandoc's Plain when a list may follow a
    paragraph's line (`manuscript.READER`): no <p> in the EPUB, no paragraph style in the PDF or
    DOCX. Read as pandoc wrote it, before the blocks made here (a code block's file name is a
    Plain in a div of its own); a one-line `<div>text</div>`, a Plain before, is a Para too."""
    for el in walk(blocks):
        if el["t"] == "Div" and el["c"][1] and el["c"][1][-1]["t"] == "Plain":
            el["c"][1][-1] = {"t": "Para", "c": el["c"][1][-1]["c"]}


PAGE_BREAK = "pagebreak"  # the class of the empty div that breaks the page (the PDF's CSS)
_PAGE_BREAK = {"t": "Div", "c": [["", [PAGE_BREAK], []], []]}
# the DOCX's: a paragraph holding a page break, written by the renderer, never by a manuscript
_DOCX_BREAK = {"t": "RawBlock", "c": ["openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>']}


def _captioned(div: dict, word: str, colon: str) -> None:
    """An mdBook listing: its file name above its first code block (`filename`), its caption
    under it, labelled and numbered as written; inline code in the caption stays code."""
    ident, classes, attrs = div["c"][0]
    given = dict(attrs)
    code = next((el for el in walk(div["c"][1]) if el.get("t") == "CodeBlock"), None)
    if given.get("filename") and code is not None:
        code["c"][0][2] = [*code["c"][0][2], ["filename", given["filename"]]]
    label = " ".join(x for x in (word, given.get("number", "")) if x)
    caption = []
    for i, part in enumerate(re.split(r"`([^`]+)`", given.get("caption", ""))):
        if i % 2:
            caption.append({"t": "Code", "c": [["", [], []], part]})
        elif part:  # words, and the spaces that part them from the code around
            caption += ([{"t": "Space"}] if part[0].isspace() else []) + inlines(part) + (
                [{"t": "Space"}] if part[-1].isspace() and part.strip() else [])
    if given.get("number") or caption:
        para = [{"t": "Strong", "c": inlines(label + colon.rstrip())}]
        para += ([{"t": "Space"}] if colon.endswith(" ") and caption else []) + caption
        div["c"][1].append({"t": "Para", "c": para})
    div["c"][0] = [ident, classes, [[k, v] for k, v in attrs
                                    if k not in ("number", "filename", "caption")]]


def _tab_titled(block):
    """A tab (`tab-item` div) with its label as its first line, in bold."""
    if not (isinstance(block, dict) and block.get("t") == "Div"
            and "tab-item" in block["c"][0][1]):
        return block
    attrs = dict(block["c"][0][2])
    title, rest = attrs.get("title", "").split(), [[k, v] for k, v in block["c"][0][2]
                                                   if k != "title"]
    heading = [{"t": "Para", "c": [{"t": "Strong", "c": inlines(" ".join(title))}]}] if title else []
    return {"t": "Div", "c": [[block["c"][0][0], block["c"][0][1], rest], heading + block["c"][1]]}


def _code_file(block):
    """A paragraph holding a code file's line (`pymdown.variants`, inline code of class
    `include-code`): the code block that includes it (`includes`), its file's language; the
    paragraph's other lines, if any, paragraphs around it in a div (one block stays one)."""
    if not (isinstance(block, dict) and block.get("t") in ("Para", "Plain") and any(
            x.get("t") == "Code" and INCLUDE_CODE in x["c"][0][1] for x in block["c"])):
        return block
    made, words = [], []
    for x in block["c"] + [None]:
        if x is not None and not (x.get("t") == "Code" and INCLUDE_CODE in x["c"][0][1]):
            words.append(x)
            continue
        while words and words[-1].get("t") in ("SoftBreak", "Space", "LineBreak"):
            words.pop()
        while words and words[0].get("t") in ("SoftBreak", "Space", "LineBreak"):
            words.pop(0)
        if words:
            made.append({"t": block["t"], "c": words})
        words = []
        if x is not None:
            attrs = dict(x["c"][0][2])
            code_language = language(attrs.get("include", ""))
            made.append({"t": "CodeBlock", "c": [["", [code_language] if code_language else [],
                                                  x["c"][0][2]], ""]})
    return made[0] if len(made) == 1 else {"t": "Div", "c": [["", [], []], made]}


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


_PAGE_BREAKS = (["{{<", "pagebreak", ">}}"], ["\\newpage"], ["\\pagebreak"], ["\\clearpage"])


def _is_page_break(block) -> bool:
    """A paragraph of Quarto's shortcode `{{< pagebreak >}}` alone, or of LaTeX's `\\newpage`,
    `\\pagebreak`, `\\clearpage` (pandoc Markdown's page break, when LaTeX wrote the PDF)."""
    return (isinstance(block, dict) and block.get("t") in ("Para", "Plain")
            and "".join(x["c"] if x["t"] == "Str" else " " for x in block["c"]
                        if x["t"] in ("Str", "Space")).split() in _PAGE_BREAKS)


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
        classes, conditions = el["c"][0][1], dict(el["c"][0][2])
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
            if item == _PAGE_BREAK:
                # as LaTeX's `\newpage` on a page still empty, a break right after a break is
                # none (a thesis's chapters of `\tableofcontents` and `\newpage` left blank pages)
                last = next((x for x in reversed(out) if not _comment(x)), None)
                if last in (_PAGE_BREAK, _DOCX_BREAK):
                    continue
                out.append(_DOCX_BREAK if fmt == "docx" else item)  # pandoc's DOCX has no break
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


def _comment(block) -> bool:
    return (isinstance(block, dict) and block.get("t") == "RawBlock" and block["c"][0] == "html"
            and block["c"][1].lstrip().startswith("<!--"))


def _resolved(item, resolve):
    """`item` with `resolve` applied to every list of elements inside it."""
    if isinstance(item, list):
        return resolve(item) if item and all(isinstance(x, dict) and "t" in x for x in item) \
            else [_resolved(x, resolve) for x in item]
    if isinstance(item, dict) and "c" in item:
        item["c"] = _resolved(item["c"], resolve)
    return item
