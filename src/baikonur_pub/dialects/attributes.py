"""Pandoc Markdown's attributes, as the rewriters write them (`{#id .class key="value"}`) and
read them from other tools' tags (`name="value"`)."""

from __future__ import annotations

import re

# `name="value"` or `name='value'` (a Hugo shortcode's, an MDX tag's), from a word's start
# only: from each letter, `[\w-]+` read the word again
ATTRIBUTE = re.compile(r"""(?<![\w-])([\w-]+)=(?:"([^"]*)"|'([^']*)')""")
LABEL = re.compile(r"[\w.:-]+")  # a label an ID can be made of (MyST's `:label:`, `(label)=`)


def quoted(value: str) -> str:
    """`value` as a quoted attribute value of pandoc's Markdown."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def value(text: str) -> str:
    """`text` as an attribute value: bare where pandoc reads it so (`50%`), else quoted."""
    text = text.strip()
    return text if re.fullmatch(r"[\w.%-]+", text) else quoted(text)


def titled_div(name: str, title: str, options: dict | None = None) -> str:
    """The attributes a div fence opening a `name` div with `title` carries; its ID the label
    or name a directive's `options` give it (`:label: ex-1`, as references name it)."""
    title = " ".join(title.split())
    label = (options or {}).get("label") or (options or {}).get("name") or ""
    ident = f"#{label} " if LABEL.fullmatch(label) else ""
    return f" {{{ident}.{name}" + (f" title={quoted(title)}" if title else "") + "}"
