"""What a translation may rewrite in code, found by reading it once, as its language does.

Comments and strings are read in one pass, left to right: a comment marker inside a string is
code (`echo "#1"`), a quote inside a comment is text (`// don't`). Reading comments first and
strings after (or strings running over lines) let one apostrophe hide every comment after it.
Comment syntax comes from the block's language class (```` ```lua ````); a block without one is
read with the shell's and C's line comments, the two a README most often holds.
"""

from __future__ import annotations

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
# strings that may run over lines: triple quotes (Python, Elixir, Kotlin…) in any language, Lua's
# long brackets, Go's raw strings, JavaScript's template literals
_TRIPLE = r'"""[\s\S]*?"""|' + r"'''[\s\S]*?'''"
_LONG = {"lua": r"\[(?P<lv>=*)\[[\s\S]*?\](?P=lv)\]", "go": r"`[^`]*`",
         **dict.fromkeys(TEMPLATED, r"`(?:\\.|[^`\\])*`")}
_C, _HTML, _HASKELL = r"/\*[\s\S]*?\*/", r"<!--[\s\S]*?-->", r"\{-[\s\S]*?-\}"
# block comments beyond C's: Lua's `--[[ … ]]`, Haskell's `{- … -}`, CMake's `#[[ … ]]`
_BLOCKS = {"lua": [r"--\[(?P<cv>=*)\[[\s\S]*?\](?P=cv)\]"], "haskell": [_HASKELL],
           "hs": [_HASKELL], "elm": [_HASKELL], "cmake": [r"#\[(?P<mv>=*)\[[\s\S]*?\](?P=mv)\]"]}
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_]\w*)\1")
# a string over lines that holds only words (prose a translation words in its language)
_WORDS = re.compile(r"""[^\W\d_]+(?:[\s.,:;!?'’"()-]+[^\W\d_]+)*[\s.,:;!?'’"()-]*""")
_DELIMITED = re.compile(r"""("{3}|'{3}|\[=*\[|`)([\s\S]*)("{3}|'{3}|\]=*\]|`)""")


def _syntax(lang: str) -> tuple[list[str], list[str]]:
    """(block comments as regular expressions, line-comment markers) of `lang`."""
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


def _pattern(lang: str) -> re.Pattern:
    blocks, markers = _syntax(lang)
    longs = [_TRIPLE] + ([_LONG[lang]] if lang in _LONG else [])
    lines = [rf"(?:(?<=\s)|^){re.escape(m)}.*$" for m in markers]
    return re.compile("|".join(
        ([f"(?P<block>{'|'.join(blocks)})"] if blocks else [])
        + [f"(?P<long>{'|'.join(longs)})", f"(?P<quote>{QUOTED})"]
        + ([f"(?P<line>{'|'.join(lines)})"] if lines else [])), re.MULTILINE)


def _replace(m: re.Match) -> str:
    text, kind = m.group(0), {k for k, v in m.groupdict().items() if v is not None}
    if "block" in kind:
        return "\n" * text.count("\n")
    if "line" in kind:
        return ""
    return _long_words(text) if "long" in kind and "\n" in text else text


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
    """`code` without its comments (line count kept), strings over lines of words as `…`."""
    lang = lang.lower().lstrip(".")
    if lang and lang not in MARKUP | COMPONENTS | DASH | SLASH | HASH:
        return code  # a language we do not know: compare everything
    return _pattern(lang).sub(_replace, _heredoc_bodies(code) if lang in SHELLS or not lang else code)
