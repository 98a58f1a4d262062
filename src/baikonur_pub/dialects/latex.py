"""LaTeX's layout commands alone on their lines, left out with a warning each; its commands
that set a word's look (`\\textit{I}`, `\\textbf{…}`), written as Markdown's.

Sources written for pandoc's LaTeX output (a thesis template, a paper) set the page with
commands alone on their lines: `\\pagenumbering{roman}`, `\\doublespacing`, `\\tableofcontents`,
`\\listoffigures`, `\\vspace*{\\fill}`. Pandoc's other writers drop them; here raw TeX is text
(`manuscript.READER`), so each was printed as written, a page of `\\tableofcontents
\\listoffigures` in every format, most with no word. They lay out nothing a book of ours does
(its contents are made by the build), so a line of them only is left blank, with a
`markup-foreign` warning. A command that sets the look of plain text (italic, bold, small
capitals, typewriter…), on one line or over a paragraph's, means what Markdown writes with `*…*`, `**…**`,
`[…]{.smallcaps}`, `` `…` ``: it is written so, in place (LaTeX's output would have shown it so;
it was printed as written, with a warning). One whose argument holds other markup or commands
stays text, with its warning (`lapses`). `\\newpage` alone is a page break (`tree`). Line for
line, outside code, display math and inline math.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..sources import in_display_math
from ..spans import code_spans
from .rules import ATX

# text-mode commands that only lay out a page, a list, or the line after them
_LAYOUT = ("tableofcontents|listoffigures|listoftables|pagenumbering|setcounter|addtocounter|"
           "setlength|addtolength|doublespacing|singlespacing|onehalfspacing|noindent|indent|"
           "vspace|hspace|vfill|hfill|bigskip|medskip|smallskip|pagestyle|thispagestyle|"
           "maketitle|frontmatter|mainmatter|backmatter|appendix|cleardoublepage|FloatBarrier|"
           "raggedright|raggedleft|centering|footnotesize|scriptsize|tiny|small|normalsize|"
           "large|Large|LARGE|huge|Huge|linespread|selectlanguage|addcontentsline")
# one command, `*` and its arguments (braces one level deep: `{\fill}`), then spaces
_COMMAND = rf"\\(?:{_LAYOUT})(?![A-Za-z])\*?(?:\[[^\]\n]{{0,200}}\]|\{{(?:[^{{}}\n]|\{{[^{{}}\n]*\}}){{0,200}}\}})*[ \t]*"
_LINE = re.compile(rf" {{0,3}}(?:{_COMMAND})+")

# text-mode commands that set their argument's look, and what Markdown writes around it
_LOOKS = {"emph": ("*", "*"), "textit": ("*", "*"), "textsl": ("*", "*"), "textbf": ("**", "**"),
          "textsc": ("[", "]{.smallcaps}"), "underline": ("[", "]{.underline}"),
          "textsuperscript": ("^", "^"), "textsubscript": ("~", "~"), "texttt": ("`", "`"),
          "textrm": ("", ""), "textsf": ("", ""), "textup": ("", ""), "textmd": ("", ""),
          "textnormal": ("", ""), "mbox": ("", "")}
# one of them around plain text: no brace, no other command (LaTeX's escapes `\%` `\&` `\_` `\#`
# `\$` aside), nothing Markdown reads as markup. The argument is read up to the next backslash,
# brace or such character: a line is read once, however many commands open on it.
_LOOK = re.compile(r"\\(" + "|".join(_LOOKS) + r")\{((?:[^{}\\\n*_~^\[\]<>`|@$&]|\\[%&_#$]|\n(?![ \t]*\n))*)\}")
_ESCAPED = re.compile(r"\\([%&_#$])")
_DOLLAR = re.compile(r"(?<!\\)\$")  # one that opens or closes inline math


def layout(lines: list[str], code: list[bool], notices: list) -> bool:
    """Blank, in place, each line of layout commands only (a warning each), and write each
    paragraph's look commands as Markdown (`looks`), outside `code` (fenced code's lines) and
    display math. True if any line changed."""
    if not any("\\" in line for line in lines):
        return False
    math = in_display_math(lines, code)
    changed, indented, paragraph = False, False, []

    def read_paragraph() -> None:  # its lines joined: an argument may go on over a line end
        nonlocal changed
        text = "\n".join(lines[k] for k in paragraph)
        if "\\" in text and (written := looks(text)) != text:
            for k, line in zip(paragraph, written.split("\n")):
                lines[k] = line
            changed = True
        paragraph.clear()

    for i, line in enumerate(lines):
        blank = not line.strip()
        if code[i] or math[i] or blank or "$$" in line:
            read_paragraph()
            indented = indented and not blank  # an indented block ends at a blank line
        elif "\\" in line and _LINE.fullmatch(line):
            notices.append(("markup-foreign", i + 1, f"LaTeX command {line.strip()} left out: "
                            "no format of the book is written by LaTeX"))
            lines[i] = ""
            changed = True
            read_paragraph()
        elif indented or not paragraph and line.startswith(("    ", "\t")):
            indented = True  # indented code, or a list's paragraph: left as it is
        elif ATX.match(line):  # a paragraph of its own
            read_paragraph()
            paragraph.append(i)
            read_paragraph()
        else:
            paragraph.append(i)
    read_paragraph()
    return changed


def looks(text: str) -> str:
    """`text` with each command of `_LOOKS` around plain text written as Markdown, but in a
    code span or inline math (after an odd number of `$` outside code)."""
    spans = code_spans(text) if "`" in text else []
    starts = [a for a, _ in spans]

    def in_code(at: int) -> bool:
        k = bisect_right(starts, at) - 1
        return k >= 0 and at < spans[k][1]

    dollars = [m.start() for m in _DOLLAR.finditer(text) if not in_code(m.start())] if "$" in text else []
    parts, at = [], 0
    for match in _LOOK.finditer(text):
        start = match.start()
        if in_code(start) or bisect_right(dollars, start) % 2:
            continue
        written = _markdown(match.group(1), match.group(2))
        if written is not None:
            parts += [text[at:start], written]
            at = match.end()
    return "".join(parts) + text[at:] if parts else text


def _markdown(name: str, text: str) -> str | None:
    """Command `name`'s argument `text` in Markdown's look, its spaces and line ends where they
    were; None when Markdown has no way to write it (a superscript over a line end)."""
    before, after = _LOOKS[name]
    if name == "texttt":  # a code span shows its text as it is: LaTeX's escapes undone
        text = _ESCAPED.sub(r"\1", text)
    core = text.strip()
    if not core:
        return text  # `\\textit{}`: nothing to set
    if before in ("^", "~"):  # pandoc's superscript and subscript hold escaped spaces only
        if "\n" in core:
            return None  # (a line end is none: each line stays one of the file's)
        core = core.replace(" ", "\\ ")
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{before}{core}{after}{trail}"
