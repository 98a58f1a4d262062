"""Renderers: one module per output format, each `render(edition, ctx) -> bytes`.

All of them start from the same Edition AST, so the citations and reference list pandoc's
citeproc produced once are the ones every format shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Callable, Mapping

from ..errors import ConfigError
from ..pandoc import Pandoc
from ..sources import Lines, line_of, load_yaml

FORMATS = ("pdf", "epub", "docx")


@dataclass(frozen=True)
class RenderContext:
    pandoc: Pandoc
    epoch: int  # SOURCE_DATE_EPOCH: every timestamp and identifier in the artifacts derives from it
    covers: Mapping[str, bytes] = field(default_factory=dict)  # language → cover PNG made in advance


def renderer(fmt: str) -> Callable:
    """The `render` function of format `fmt`, imported on demand (WeasyPrint is heavy)."""
    return import_module(f"{__name__}.{fmt}").render


def common_args(edition) -> list[str]:
    """Pandoc writer options every format shares, so numbering is identical everywhere."""
    # Images reach pandoc as data: URIs; nothing is to be looked up but in the trusted styles.
    return ["--number-sections", "--wrap=none", f"--resource-path={edition.pub.styles_dir}"]


def load_settings(pub, name: str, needed_for: str, shape: str,
                  known: tuple[str, ...]) -> tuple[dict, Lines, str]:
    """styles/<name>, a YAML mapping: (data, line map, shown path). A missing file, another
    shape or an unknown top-level key is an error naming the file (and the key's line)."""
    path = pub.styles_dir / name
    shown = pub.shown(path)
    if not path.is_file():
        raise ConfigError(f"{name} is missing: {needed_for}", shown)
    data, lines = load_yaml(path, shown)
    if not isinstance(data, dict):
        raise ConfigError(f"expected a mapping with {shape}", shown, 1)
    for key in data:
        if key not in known:
            raise ConfigError(f"unknown key '{key}' (known: {', '.join(known)})", shown,
                              line_of(lines, key) or 1)
    return data, lines, shown
