"""Quotation marks set once, in the AST every format is written from.

Pandoc keeps quotations as `Quoted` elements and each writer chose its own marks: the PDF's
CSS `quotes` gave «…» in Italian where EPUB and DOCX wrote “…”. Here every `Quoted` becomes the
marks of the language it stands in — the edition's, or a `[…]{lang=xx}` part's — from
styles/typography.yaml, so all three formats agree. Code is never touched: pandoc makes no
quotations inside code.
"""

from __future__ import annotations

import functools

from ..schema import ListOf, MapOf, Option, Record, Text, validate
from ..theorems import KINDS as THEOREMS
from ..errors import ConfigError
from ..sources import parse_yaml, read_text

SETTINGS = "typography.yaml"
_FALLBACK = ("“", "”", "‘", "’")


# Quarto's and GitHub's kinds, and a lesson's exercise and its solution (the Carpentries
# Workbench's challenge and solution, Obsidian's `> [!exercise]`)
CALLOUTS = ("note", "tip", "important", "warning", "caution", "exercise", "solution")
# A lesson's boxes the Carpentries Workbench titles by their name: notes, titled so
BOXES = ("objectives", "questions", "keypoints")

SCHEMA = Record({
    "quotes": Option(MapOf(ListOf(Text(), min=4, max=4, why="quotes of '{name}' must be four marks "
                                  "(outer open, outer close, inner open, inner close)"),
                           key_name="lang"),
                     "Quotation marks per language (locale, language or `default`): outer open, "
                     "outer close, inner open, inner close.", default={}),
    "labels": Option(MapOf(Record({
        "figure": Option(Text(), "Caption and reference label of figures."),
        "table": Option(Text(), "Caption and reference label of tables."),
        "section": Option(Text(), "Reference label of sections."),
        "equation": Option(Text(), "Reference label of numbered equations (`$$ … $$ {#eq-…}`)."),
        "listing": Option(Text(), "Caption and reference label of code listings (`{#lst-…}`; "
                          "mdBook's `<Listing number=\"1-1\" caption=\"…\">`)."),
        "references": Option(Text(), "Heading of the reference list, where the edition's "
                             "`references-title` is not set."),
        "contents": Option(Text(), "Heading of the table of contents (every format; where not "
                           "set, pandoc's word for the language)."),
        "colon": Option(Text(), "What follows a label before its text, space included: `\": \"` "
                        "by default, a narrow no-break space (U+202F) first in French, "
                        "the full-width `：` in Chinese and Japanese."),
        "edition": Option(Text(), "The title page's line naming an edition's language, `%s` "
                          "standing for its name (`%s edition`)."),
        **{kind: Option(Text(), f"Title of a {kind} callout (`::: {{.callout-{kind}}}`, "
                        f"`> [!{kind.upper()}]`) that gives none.") for kind in CALLOUTS},
        **{box: Option(Text(), f"Title of a lesson's {box} (the Carpentries Workbench's "
                       f"`::: {box}`).") for box in BOXES},
        **{kind: Option(Text(), f"Label of a numbered {kind} (Quarto's `::: {{#{prefix}-…}}`, "
                        f"sphinx-proof's `{{prf:{kind}}}`) and of references to it.")
           for prefix, kind in THEOREMS.items() if kind not in CALLOUTS},
        "proof": Option(Text(), "Label opening a proof (`::: {.proof}`, `{prf:proof}`)."),
    }, where=" in labels of '{name}'", sparse=True), key_name="lang"),
        "Labels of numbered figures and tables and of cross-references, per language.",
        default={}),
}, why="expected a mapping with 'quotes' and 'labels'")


def _settings(pub) -> dict:
    """styles/typography.yaml, validated once a process for each text it has (a build asks
    for its labels many times; the preview sees an edit at once)."""
    path = pub.styles_dir / SETTINGS
    if not path.is_file():
        return {"quotes": {}, "labels": {}}
    shown = pub.shown(path)
    return _validated(read_text(path, ConfigError, shown), shown)


@functools.lru_cache(maxsize=8)
def _validated(text: str, shown: str) -> dict:
    data, lines = parse_yaml(text, shown)
    return validate(SCHEMA, data, shown, lines)


def _labels(pub) -> dict:
    return _settings(pub)["labels"]


def labels(pub, locale: str) -> dict[str, str]:
    """Caption and cross-reference labels (figure, table, section) for `locale`."""
    table = _labels(pub)
    return dict(marks(table, locale)) if table else {}


def word(pub, locale: str, name: str) -> str | None:
    """The language's own `name` label (`contents`, `edition`…), None when only `default` has
    one (a caller may know better: pandoc's translations, for `contents`)."""
    entry = marks({k: v for k, v in _labels(pub).items() if k != "default"}, locale)
    return entry.get(name) if isinstance(entry, dict) else None


def callout_title(pub, locale: str, kind: str) -> str:
    """The title a callout of `kind` gets in `locale` when it gives none: the language's word,
    else `default`'s, else the kind."""
    return word(pub, locale, kind) or default_word(pub, kind, kind.capitalize())


def colon(pub, locale: str) -> str:
    """What follows a label before its text ("Édition en anglais : …", "图 1：…")."""
    return word(pub, locale, "colon") or default_word(pub, "colon", ": ")


def default_word(pub, name: str, fallback: str) -> str:
    return _labels(pub).get("default", {}).get(name, fallback)


def _table(pub) -> dict[str, tuple[str, ...]]:
    table = _settings(pub)["quotes"]
    return {key: tuple(value) for key, value in table.items()} or {"default": _FALLBACK}


def marks(table: dict, lang: str):
    """The entry of `table` for `lang`: its locale, its language, else `default`."""
    lang = lang.replace("_", "-")
    for key in (lang, lang.split("-")[0], "default"):
        if key in table:
            return table[key]
    return _FALLBACK


UNLISTED = "unlisted"  # a heading's class: in no contents or bookmarks (pandoc's and Quarto's)


def contents_headings(edition) -> list:
    """The headings a contents lists: chapters and sections, less those marked `.unlisted`."""
    return [h for h in quoted_headings(edition) if h.level <= 2 and UNLISTED not in h.classes]


def quoted_headings(edition) -> list:
    """The edition's headings, their titles in its language's quotation marks as its pages set
    them (a contents made from the parsed titles showed “média” beside « média »)."""
    from dataclasses import replace

    from ..ast import stringify, walk

    headers = [el for el in walk(edition.ast["blocks"]) if el.get("t") == "Header"]
    if not any(el.get("t") == "Quoted" for h in headers for el in walk(h["c"][2])):
        return list(edition.headings)
    quoted = set_quotes(edition.pub, {"blocks": headers}, edition.lang.locale)["blocks"]
    titles = {}
    for header in quoted:
        titles.setdefault(header["c"][1][0], stringify(header["c"][2]))
    return [replace(h, title=titles.get(h.id, h.title)) for h in edition.headings]


def set_quotes(pub, ast: dict, locale: str) -> dict:
    """A copy of `ast` with every quotation in its language's marks."""
    table = _table(pub)

    def visit(node, lang: str):
        if isinstance(node, list):
            out = []
            for item in node:
                if isinstance(item, dict) and item.get("t") == "Quoted":
                    kind, inlines = item["c"]
                    outer, close, inner, inner_close = marks(table, lang)
                    opening, closing = ((outer, close) if kind["t"] == "DoubleQuote"
                                        else (inner, inner_close))
                    out += [{"t": "Str", "c": opening}, *visit(inlines, lang),
                            {"t": "Str", "c": closing}]
                else:
                    out.append(visit(item, lang))
            return out
        if not isinstance(node, dict):
            return node
        if node.get("t") in ("Span", "Div"):
            pairs = dict(node["c"][0][2])
            lang = pairs.get("lang", lang)
        if node.get("t") in ("Code", "CodeBlock", "RawInline", "RawBlock", "Math"):
            return node
        return {k: visit(v, lang) if k == "c" else v for k, v in node.items()}

    return {**ast, "blocks": visit(ast["blocks"], locale)}
