"""EPUB 3 by pandoc from the edition's AST, styled by styles/epub.css."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..manuscript import Edition
from . import RenderContext, common_args


def render(edition: Edition, ctx: RenderContext) -> bytes:
    styles = edition.pub.styles_dir
    args = [*common_args(edition), "--toc", "--split-level=1", "--epub-title-page=true"]
    if (styles / "epub.css").is_file():
        args.append(f"--css={styles / 'epub.css'}")
    with tempfile.TemporaryDirectory(prefix="baikonur-epub-") as tmp:
        return ctx.pandoc.write(edition.ast, "epub3", args, what=f"{edition.code}: writing EPUB",
                                output=Path(tmp) / "out.epub", sandbox=False)
