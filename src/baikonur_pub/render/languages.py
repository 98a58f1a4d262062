"""The language of parts: a reference's title in another language says so in every format.

Spans written `[text]{lang=en}` already carry their language through pandoc (HTML `lang`, DOCX
`w:lang`). Citeproc reads a reference's CSL `language` field only to decide on title case; it
does not mark the entry. Here the title of every entry whose `language` differs from the
edition's is wrapped in a Span with that `lang` (the whole entry when its title cannot be
found), so a screen reader switches voice for "Outer Space Treaty" in the Italian edition, Word
proof-reads it in English and the PDF gets `/Lang` on it.
"""

from __future__ import annotations

import copy
import unicodedata

from .. import bibliography
from ..ast import stringify, walk


def _text(inlines) -> str:
    parts = []
    for node in walk(inlines):
        if node.get("t") == "Str":
            parts.append(node["c"])
        elif node.get("t") in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
    return " ".join("".join(parts).casefold().split())


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def reference_languages(edition) -> dict[str, tuple[str, str]]:
    """Citation key → (language, title) of the entries in a language other than the edition's."""
    bib = bibliography.load(edition.pub)
    if bib is None:
        return {}
    found = {}
    for entry in bib.for_language(edition.code, edition.pub.codes):
        language = entry.get("language")
        if isinstance(language, str) and language.strip() and \
                _primary(language) != _primary(edition.lang.locale):
            found[str(entry["id"])] = (language.strip(), str(entry.get("title") or ""))
    return found


def _wrap_title(inlines: list, title: str, lang: str) -> bool:
    """Wrap the first emphasised or quoted part equal to `title` (case aside) in a lang Span."""
    wanted = " ".join(title.casefold().split())
    for index, node in enumerate(inlines):
        if not isinstance(node, dict):
            continue
        if node.get("t") in ("Emph", "Quoted", "Strong") and wanted and \
                _text(node["c"] if node["t"] != "Quoted" else node["c"][1]).strip(" .,") == wanted:
            inlines[index] = {"t": "Span", "c": [["", [], [["lang", lang]]], [node]]}
            return True
        child = node.get("c")
        if isinstance(child, list) and any(isinstance(c, dict) for c in child):
            if _wrap_title(child, title, lang):
                return True
    for start in range(len(inlines)):  # a title set in roman: a run of words equal to it
        for end in range(start + 1, len(inlines) + 1):
            text = _text(inlines[start:end])
            if text.strip(" .,") == wanted and inlines[end - 1].get("t") == "Str":
                inlines[start:end] = [{"t": "Span", "c": [["", [], [["lang", lang]]],
                                                          inlines[start:end]]}]
                return True
            if not wanted.startswith(text.strip()):
                break
    return False


def direction(text: str) -> str | None:
    """`rtl` or `ltr` by the first strongly directional character of `text` (as HTML's
    `dir=auto` decides), None when it has none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def mark(edition, blocks: list) -> list:
    """`blocks` with each foreign-language reference entry's title (or entry) marked, and each
    entry written in the other direction than the edition's given its own (an English entry in
    an Arabic edition reads left to right: WeasyPrint knows neither `dir=auto` nor
    `unicode-bidi: plaintext`, and Word reads a paragraph's direction from the paragraph)."""
    foreign = reference_languages(edition)
    base = edition.lang.direction

    def visit(block):
        if not isinstance(block, dict):
            return block
        if block.get("t") == "Div":
            (ident, classes, attrs), content = block["c"]
            key = ident.removeprefix("ref-")
            if "csl-entry" in classes:
                if key in foreign:
                    lang, title = foreign[key]
                    content = copy.deepcopy(content)
                    if not any(_wrap_title(b["c"], title, lang) for b in content
                               if b.get("t") in ("Para", "Plain")):
                        attrs = [*attrs, ["lang", lang]]
                own = direction(stringify(content))
                if own and own != base:
                    attrs = [*attrs, ["dir", own]]
                return {"t": "Div", "c": [[ident, classes, attrs], content]}
            return {"t": "Div", "c": [block["c"][0], [visit(b) for b in content]]}
        return block

    return [visit(b) for b in blocks]


def with_parts(edition) -> dict:
    """The edition's AST with the languages of its parts marked (see `mark`)."""
    return dict(edition.ast, blocks=mark(edition, edition.ast["blocks"]))
