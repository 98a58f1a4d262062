"""Code blocks compare by what runs, not by what translators may translate.

Comments are set aside (`comments.strip_comments`: read with the strings, as the block's
language does), and so are a string over lines that holds only words, and quoted strings and placeholders that are only words (`echo 'Script failed'`, `<description>`,
`[optional scope]`, `cat("Thanks to all ", n, " of you: ")` with the spaces that join them to
what is printed beside; JavaScript's template literals, `${…}` kept; an escaped quote in
one, `'qualcos\\'altro'`): a translation may word them in its language. Strings with any other
character (`'(.*)[.]bak'`) are code and compare exactly, as does everything else, but for case
and spacing.
"""

from __future__ import annotations

import re

from .comments import COMPONENTS, MARKUP, TEMPLATED, strip_comments

# a string of words, numbers among them (`'over 40'`, `'sopra i 40'`): the words are prose, the
# numbers stay (`…40`); a placeholder's words may name a file (`<contents of mod.lua>`)
# (a number is digits: its `.` or `,` and the digits after are the group's next turn; written
# `\d+(?:[.,]\d+)*`, a number and the marks between words split `1.1.1…` every way, 2^n
# tries for a quote never closed)
_SAID = r"""(["']) ?[^\W\d_][^\W\d_ .,:;!?'’\\-]*(?:[ .,:;!?'’\\-]+(?:[^\W\d_]+|\d+))*[.,:;!?]? ?\1"""
_PROSE = re.compile(_SAID + r"""|<[^\W\d_][\w -]*(?: [\w-]+\.\w+)?>|\[[^\W\d_]+(?: [^\W\d_()']+(?:\([^\W\d_]*\))?)+\]""")
_SAID_IN_MARKUP = re.compile(_SAID)  # `<p>` is a tag there, not a placeholder
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _words(match: re.Match) -> str:
    """Prose as `…`, the numbers in it kept: they are facts, in any language."""
    return "…" + " ".join(_NUMBER.findall(match.group(0)))


# JavaScript's template literal: its text outside `${…}` is what a translation words
_TEMPLATE = re.compile(r"`((?:[^`\\$]|\\.|\$(?!\{)|\$\{[^{}`]*\})*)`")
_TEMPLATE_PART = re.compile(r"(\$\{[^{}`]*\})")
# a letter, then letters and punctuation in any order (written as a repeated group of
# punctuation then letters that may be none, a run of punctuation before a digit was split
# every way: `a` and 22 dots then `1`, 0.5 s, each dot more twice that)
_WORDY = re.compile(r"[^\W\d_](?:[^\W\d_]|[ .,:;!?'’-])*")


def _template_words(match: re.Match) -> str:
    """A template literal whose text is words, each piece of it `…`, its `${…}` kept."""
    parts = _TEMPLATE_PART.split(match.group(1))
    texts = [p.strip(" .,:;!?") for p in parts[::2] if p.strip(" .,:;!?")]
    if not texts or not all(_WORDY.fullmatch(t) for t in texts):
        return match.group(0)
    return "`" + "".join(p if i % 2 else ("…" if p.strip() else p)
                         for i, p in enumerate(parts)) + "`"


# spacing around punctuation is style (`[3, 4]) )` is `[3,4]))`); between words it parts them
_AROUND_PUNCTUATION = re.compile(r" ?([^\w\s…]) ?")


def spaced_alike(x: str, y: str) -> bool:
    """Two pieces of code alike once case and spacing are set aside, as lines compare."""
    def norm(text: str) -> str:
        return _AROUND_PUNCTUATION.sub(r"\1", " ".join(text.split()).lower())
    return norm(x) == norm(y)


def comparable_lines(code: str, lang: str) -> list[tuple[str, str]]:
    """(line as written, line as it compares) for each line that holds code: comments, wordy
    strings and placeholders, case and spacing set aside."""
    stripped = strip_comments(code, lang).split("\n")
    markup = lang.lower().lstrip(".") in MARKUP | COMPONENTS
    scripted = lang.lower().lstrip(".") in TEMPLATED | MARKUP | COMPONENTS
    out, program = [], False  # in markup, inside <script> or <style>: code, not text
    for written, line in zip(code.split("\n"), stripped):
        opened = markup and _PROGRAM.search(line)
        text = markup and not program and not opened
        if markup:
            program = (program or bool(opened)) and not _PROGRAM_END.search(line)
        if scripted:
            line = _TEMPLATE.sub(_template_words, line)
        norm = _AROUND_PUNCTUATION.sub(r"\1", " ".join(
            (_SAID_IN_MARKUP.sub(_words, _text_out(line) if text else line) if markup
             else _PROSE.sub(_words, line)).split()).lower())
        if norm:
            out.append((written.strip(), norm))
    return out


# A markup line's pieces: its tags and template expressions (`{{ count }}`), and the text
# between, which a translation translates (`<p>Il conteggio è: {{ count }}</p>`)
# (an expression never runs past the next `{{`: `\{\{.*?\}\}` read from each of a line of
# unclosed ones to its end)
_PIECES = re.compile(r"(<[^>]*>?|\{\{(?:[^{}]|\{(?!\{)|\}(?!\}))*\}\}|\{[^{}]*\})")
_PROGRAM, _PROGRAM_END = re.compile(r"<(script|style)\b", re.I), re.compile(r"</(script|style)\s*>", re.I)
_WORDS = re.compile(r"[^\W\d_][^<>{}=\"`$/\\]*")


def _text_out(line: str) -> str:
    """`line` of markup with its text (words, outside tags and expressions) as `…`."""
    return "".join(piece if i % 2 or not _WORDS.fullmatch(piece.strip()) else
                   piece.replace(piece.strip(), "…") if piece.strip() else piece
                   for i, piece in enumerate(_PIECES.split(line)))


def comparable(code: str, lang: str) -> str:
    return "\n".join(norm for _, norm in comparable_lines(code, lang))
