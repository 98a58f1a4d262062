"""Renderers: one module per output format, each `render(edition, ctx) -> bytes`.

All of them start from the same Edition AST, so the citations and reference list pandoc's
citeproc produced once are the ones every format shows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from importlib import import_module
from typing import Callable, Mapping

from ..errors import ConfigError
from ..pandoc import Pandoc
from ..sources import Lines, load_yaml

FORMATS = ("pdf", "epub", "docx")
# One syntax-highlighting theme for every format: styles/code.theme (pandoc's theme format; our
# palette keeps 4.5:1 contrast on the code background), else pandoc's `kate`.
CODE_THEME = "code.theme"


def code_theme(pub) -> str:
    path = pub.styles_dir / CODE_THEME
    return str(path) if path.is_file() else "kate"


@functools.cache
def _token_rules(pandoc, theme: str, stamp: float) -> str:
    document = pandoc.run(["--from=markdown", "--to=html5", "--standalone", "--metadata=title:x",
                           f"--syntax-highlighting={theme}"], "```python\nx = 1\n```\n",
                          what="highlighting style")[0].decode("utf-8")
    return "\n".join(re.findall(r"code span\.\w+ \{[^}]*\}", document))


def highlight_css(pub, ctx: "RenderContext") -> str:
    """The colours of the code theme's tokens as pandoc's own HTML carries them, for the PDF
    (its HTML is a fragment) and the EPUB (whose inline styles are dropped): `ctx.token_css`
    when the build asked for them already, else asked of pandoc once per theme and process."""
    if ctx.token_css is not None:
        return ctx.token_css
    theme = code_theme(pub)
    path = Path(theme)
    return _token_rules(ctx.pandoc, theme, path.stat().st_mtime if path.is_file() else 0.0)


@dataclass(frozen=True)
class RenderContext:
    pandoc: Pandoc
    epoch: int  # SOURCE_DATE_EPOCH: every timestamp and identifier in the artifacts derives from it
    covers: Mapping[str, bytes] = field(default_factory=dict)  # language → cover PNG made in advance
    # highlight_css, asked once by the build for all its processes (each layout worker asked
    # pandoc again: 2 of a cold build's 21 pandoc runs, on the layouts' path)
    token_css: str | None = None


def renderer(fmt: str) -> Callable:
    """The `render` function of format `fmt`, imported on demand (WeasyPrint is heavy)."""
    return import_module(f"{__name__}.{fmt}").render


def common_args(edition) -> list[str]:
    """Pandoc writer options every format shares, so numbering is identical everywhere."""
    # Images reach pandoc as data: URIs; nothing is to be looked up but in the trusted styles.
    return ["--number-sections", "--wrap=none", f"--resource-path={edition.pub.styles_dir}",
            f"--syntax-highlighting={code_theme(edition.pub)}"]


def load_settings(pub, name: str, needed_for: str, schema) -> tuple[dict, Lines, str]:
    """styles/<name> checked against its schema: (values, line map, shown path). A missing file
    is an error naming it; every problem inside is reported at once, each at its line."""
    from ..schema import validate

    path = pub.styles_dir / name
    shown = pub.shown(path)
    if not path.is_file():
        raise ConfigError(f"{name} is missing: {needed_for}", shown)
    data, lines = load_yaml(path, shown)
    return validate(schema, data, shown, lines), lines, shown
