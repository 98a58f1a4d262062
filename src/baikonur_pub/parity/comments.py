"""What a translation may rewrite in code, found by reading it once, as its language does.

Comments and strings are read in one pass, left to right: a comment marker inside a string is
code (`echo "#1"`), a quote inside a comment is text (`// don't`). Reading comments first and
strings after (or strings running over lines) let one apostrophe hide every comment after it.
Comment syntax comes from the block's language class (```` ```lua ````); a block without one is
read with the shell's and C's line comments, the two a README most often holds.
"""

from __future__ import annotations

import functools
import re

HASH = {"bash", "sh", "shell", "zsh", "console", "shell-session", "python", "py", "ruby", "rb",
        "perl", "r", "yaml", "yml", "toml", "ini", "conf", "make", "makefile", "dockerfile",
        "powershell", "ps1", "tcl", "nim", "elixir", "julia", "coffee", "awk", "sed", "cmake"}
SLASH = {"c", "cpp", "c++", "h", "java", "javascript", "js", "jsx", "typescript", "ts", "tsx",
         "go", "rust", "rs", "swift", "kotlin", "kt", "scala", "csharp", "cs", "php", "dart",
         "json5", "jsonc", "css", "scss", "less", "groovy", "zig", "objc"}
SHELLS = {"bash", "sh", "shell", "zsh", "console", "shell-session"}
DASH = {"sql", "lua", "haskell", "hs", "elm", "ada"}
MARKUP = {"html", "htm", "xml", "svg", "markdown", "md", "xhtml", "vue-html"}
# components of a template, a script and a style in one file: HTML's comments and JavaScript's
COMPONENTS = {"vue", "svelte", "astro"}
TEMPLATED = {"javascript", "js", "jsx", "typescript", "ts", "tsx", "mjs", "cjs"}

# A quoted string ends on its line: an apostrophe in prose or a Rust lifetime (`&'a str`) opens
# none that would run on and swallow the comments of the lines after it
QUOTED = r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'"
_QUOTE = re.compile(QUOTED)
_LEVEL = object()  # ends at the closing bracket of its opening's level: `]]`, `]=]`…
_TEMPLATE_END = re.compile(r"(?:\\.|[^`\\])*`")
# What a block of code may open: (kind, its opening, how it ends). Kinds: `block`, a comment
# over lines; `line`, a comment to the line's end; `long`, a string that may run over lines;
# `quote`, a string on its line. One that never ends runs to the end of the block, as it does
# for the language: each is found by searching on from its opening, never again from an
# earlier place (a regular expression for the whole comment searched again from each of
# 20,000 unclosed `/*`: 10 s for one block).
_C, _HTML = ("block", r"/\*", "*/"), ("block", r"<!--", "-->")
_HASKELL = ("block", r"\{-", "-}")
_BLOCKS = {"lua": [("block", r"--\[=*\[", _LEVEL)], "haskell": [_HASKELL], "hs": [_HASKELL],
           "elm": [_HASKELL], "cmake": [("block", r"#\[=*\[", _LEVEL)]}
# strings that may run over lines: triple quotes (Python, Elixir, Kotlin…) in any language, Lua's
# long brackets, Go's raw strings, JavaScript's template literals
_TRIPLE = [("long", '"""', '"""'), ("long", "'''", "'''")]
_LONG = {"lua": [("long", r"\[=*\[", _LEVEL)], "go": [("long", "`", "`")],
         **dict.fromkeys(TEMPLATED, [("long", "`", _TEMPLATE_END)])}
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
# a string over lines that holds only words (prose a translation words in its language)
_WORDS = re.compile(r"""[^\W\d_]+(?:[\s.,:;!?'’"()-]+[^\W\d_]+)*[\s.,:;!?'’"()-]*""")
_DELIMITED = re.compile(r"""("{3}|'{3}|\[=*\[|`)([\s\S]*)("{3}|'{3}|\]=*\]|`)""")


def _syntax(lang: str) -> tuple[list[tuple], list[str]]:
    """(block comments, line-comment markers) of `lang`."""
    if lang in MARKUP:
        return [_HTML], []
    if lang in COMPONENTS:
        return [_HTML, _C], ["//"]
    if lang in DASH:
        return _BLOCKS.get(lang, [_C]), ["--"]
    if lang in SLASH:
        return [_C], ["//"]
    if lang in HASH:
        return _BLOCKS.get(lang, []), ["#"]
    return [], ["#", "//"]


@functools.cache
def _openings(lang: str) -> tuple[re.Pattern, list[tuple]]:
    """The openings of `lang` as one pattern (group `t<i>` for token i), and the tokens. A
    block comment comes before the line comment it starts with (Lua's `--[[`, `--`)."""
    blocks, markers = _syntax(lang)
    tokens = blocks + _TRIPLE + _LONG.get(lang, []) + [("quote", r"[\"']", _QUOTE)] + [
        ("line", rf"(?:(?<=\s)|^){re.escape(m)}", "\n") for m in markers]
    pattern = "|".join(f"(?P<t{i}>{token[1]})" for i, token in enumerate(tokens))
    return re.compile(pattern, re.MULTILINE), tokens


def _end(code: str, start: int, opened: int, token: tuple) -> tuple[str, int]:
    """(kind, where it ends) of the token opened at `start` (its opening ends at `opened`)."""
    kind, _, close = token
    if close is _QUOTE:
        said = _QUOTE.match(code, start)
        if said:
            return kind, said.end()
        line_end = code.find("\n", start)  # unclosed: the rest of its line is as written
        return "text", len(code) if line_end == -1 else line_end
    if isinstance(close, re.Pattern):
        found = close.match(code, opened)
        return kind, found.end() if found else len(code)
    if close is _LEVEL:
        close = "]" + "=" * code.count("=", start, opened) + "]"
    at = code.find(close, opened)
    if at == -1:
        return kind, len(code)
    return kind, at if kind == "line" else at + len(close)


def _replace(kind: str, text: str) -> str:
    if kind == "block":
        return "\n" * text.count("\n")
    if kind == "line":
        return ""
    return _long_words(text) if kind == "long" and "\n" in text else text


def _long_words(text: str) -> str:
    """A string over lines: `…` between its delimiters if it holds only words; lines kept."""
    parts = _DELIMITED.fullmatch(text)
    if not parts or not _WORDS.fullmatch(parts.group(2).strip()):
        return text
    return parts.group(1) + "…" + "\n" * text.count("\n") + parts.group(3)


def _heredoc_bodies(code: str) -> str:
    """A here-document's lines are data, often sample text a translation translates: blanked
    (the line count is kept), the command that reads them stays."""
    out, end = [], None
    for line in code.split("\n"):
        if end is not None:
            if line.strip() == end:
                end = None
                out.append(line)
            else:
                out.append("")
            continue
        match = _HEREDOC.search(line)
        end = match.group(2) if match else None
        out.append(line)
    return "\n".join(out)


def strip_comments(code: str, lang: str) -> str:
    """`code` without its comments (line count kept), strings over lines of words as `…`:
    read once, left to right."""
    lang = lang.lower().lstrip(".")
    if lang and lang not in MARKUP | COMPONENTS | DASH | SLASH | HASH:
        return code  # a language we do not know: compare everything
    if lang in SHELLS or not lang:
        code = _heredoc_bodies(code)
    openings, tokens = _openings(lang)
    out, at = [], 0
    while (found := openings.search(code, at)) is not None:
        token = tokens[int(found.lastgroup[1:])]
        kind, end = _end(code, found.start(), found.end(), token)
        out += [code[at:found.start()], _replace(kind, code[found.start():end])]
        at = end
    return "".join(out) + code[at:]
