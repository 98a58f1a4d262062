"""Renderers: one module per output format, each `render(edition, ctx) -> bytes`.

All of them start from the same Edition AST, so the citations and reference list pandoc's
citeproc produced once are the ones every format shows.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import import_module
from typing import Callable, Mapping

from ..pandoc import Pandoc

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
    pub = edition.pub
    return ["--number-sections", "--wrap=none",
            f"--resource-path={pub.manuscript}{os.pathsep}{pub.styles_dir}"]
