"""LaTeX's layout commands alone on their lines, left out with a warning each.

Sources written for pandoc's LaTeX output (a thesis template, a paper) set the page with
commands alone on their lines: `\\pagenumbering{roman}`, `\\doublespacing`, `\\tableofcontents`,
`\\listoffigures`, `\\vspace*{\\fill}`. Pandoc's other writers drop them; here raw TeX is text
(`manuscript.READER`), so each was printed as written, a page of `\\tableofcontents
\\listoffigures` in every format, most with no word. They lay out nothing a book of ours does
(its contents are made by the build), so a line of them only is left blank, with a
`markup-foreign` warning; a command that holds text (`\\textit{…}`) stays text, as before.
`\\newpage` alone is a page break (`tree`). Line for line, outside code and display math.
"""

from __future__ import annotations

import re

from ..sources import fenced

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


def layout(lines: list[str], notices: list) -> bool:
    """Blank, in place, each line of layout commands only; a warning each. True if any was."""
    if not any("\\" in line for line in lines):
        return False
    code, _ = fenced(lines)
    changed, math = False, False
    for i, line in enumerate(lines):
        if code[i]:
            continue
        if line.count("$$") % 2:
            math = not math
        if not math and "\\" in line and _LINE.fullmatch(line):
            notices.append(("markup-foreign", i + 1, f"LaTeX command {line.strip()} left out: "
                            "no format of the book is written by LaTeX"))
            lines[i] = ""
            changed = True
    return changed
