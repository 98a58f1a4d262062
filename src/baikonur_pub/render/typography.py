"""Quotation marks set once, in the AST every format is written from.

Pandoc keeps quotations as `Quoted` elements and each writer chose its own marks: the PDF's
CSS `quotes` gave «…» in Italian where EPUB and DOCX wrote “…”. Here every `Quoted` becomes the
marks of the language it stands in — the edition's, or a `[…]{lang=xx}` part's — from
styles/typography.yaml, so all three formats agree. Code is never touched: pandoc makes no
quotations inside code.
"""

from __future__ import annotations

import functools

from ..errors import ConfigError
from ..sources import load_yaml

SETTINGS = "typography.yaml"
_FALLBACK = ("“", "”", "‘", "’")


@functools.cache
def _settings(path: str, shown: str) -> tuple[dict, dict]:
    from pathlib import Path

    if not Path(path).is_file():
        return {}, {}
    data, lines = load_yaml(Path(path), shown)
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping with 'quotes' and 'labels'", shown, 1)
    for key in data:
        if key not in ("quotes", "labels"):
            raise ConfigError(f"unknown key '{key}' (known: quotes, labels)", shown, lines.get((key,)))
    return data, lines


def labels(pub, locale: str) -> dict[str, str]:
    """Caption and cross-reference labels (figure, table, section) for `locale`."""
    path = pub.styles_dir / SETTINGS
    data, lines = _settings(str(path), pub.shown(path))
    table = data.get("labels") or {}
    entry = marks(table, locale) if table else {}
    if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
        raise ConfigError("labels must map a language to {figure, table, section} text",
                          pub.shown(path), lines.get(("labels",)))
    return dict(entry)


@functools.cache
def _table(path: str, shown: str) -> dict[str, tuple[str, ...]]:
    data, lines = _settings(path, shown)
    if not data:
        return {"default": _FALLBACK}
    table = data.get("quotes")
    if not isinstance(table, dict):
        raise ConfigError("expected 'quotes:' mapping languages to four marks", shown, 1)
    out = {}
    for key, marks in table.items():
        if not (isinstance(marks, list) and len(marks) == 4 and all(isinstance(m, str) for m in marks)):
            raise ConfigError(f"quotes of '{key}' must be four marks (outer open, outer close, "
                              "inner open, inner close)", shown, lines.get(("quotes", key)))
        out[str(key)] = tuple(marks)
    return out


def marks(table: dict, lang: str):
    """The entry of `table` for `lang`: its locale, its language, else `default`."""
    lang = lang.replace("_", "-")
    for key in (lang, lang.split("-")[0], "default"):
        if key in table:
            return table[key]
    return _FALLBACK


def set_quotes(pub, ast: dict, locale: str) -> dict:
    """A copy of `ast` with every quotation in its language's marks."""
    path = pub.styles_dir / SETTINGS
    table = _table(str(path), pub.shown(path))

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
