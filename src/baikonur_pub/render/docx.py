"""DOCX by pandoc from the edition's AST."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..manuscript import Edition
from . import RenderContext, common_args


def render(edition: Edition, ctx: RenderContext) -> bytes:
    args = [*common_args(edition), "--toc"]
    with tempfile.TemporaryDirectory(prefix="baikonur-docx-") as tmp:
        return ctx.pandoc.write(edition.ast, "docx", args, what=f"{edition.code}: writing DOCX",
                                output=Path(tmp) / "out.docx")
