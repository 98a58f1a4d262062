"""Proof sheets: every PDF page as PNG, and one contact sheet per language, for review by eye.

Layout faults (overlaps, stranded headings, empty pages, drifting margins) are easiest to see
with all pages side by side. Pages are rasterised by poppler's `pdftoppm`, the sheet is
assembled with Pillow; nothing here alters the PDFs.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import RenderError

DPI = 60  # a readable thumbnail of an A4 page is about 500 px tall
COLUMNS = 4
GAP = 16  # px between tiles and around the sheet


@dataclass(frozen=True)
class Proof:
    pdf: Path
    pages: tuple[Path, ...]
    sheet: Path


def rasterise(pdf: Path, folder: Path, dpi: int = DPI) -> list[Path]:
    """One PNG per page of `pdf` in `folder`, in page order."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RenderError("pdftoppm is needed for proofs; install it with: "
                          "apt-get install poppler-utils")
    if not pdf.is_file():
        raise RenderError("no such PDF; build it first with: baikonur-pub build --format pdf",
                          str(pdf))
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    proc = subprocess.run([tool, "-png", "-r", str(dpi), str(pdf), str(folder / "page")],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise RenderError(f"pdftoppm failed: {proc.stderr.strip() or proc.returncode}", str(pdf))
    # pdftoppm pads page numbers to the width of the page count: sort numerically
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def contact_sheet(pages: list[Path], out: Path, columns: int = COLUMNS,
                  spreads: bool = False) -> Path:
    """All pages on one grey sheet, `columns` wide, with page numbers under each tile. With
    `spreads`, as a book opens: page 1 alone on the right, then 2|3, 4|5… side by side."""
    from PIL import Image, ImageDraw

    images = [Image.open(p).convert("RGB") for p in pages]
    width = max(i.width for i in images)
    height = max(i.height for i in images)
    label = 14
    if spreads:
        return _spreads(images, width, height, label, out)
    columns = min(columns, len(images))
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (GAP + columns * (width + GAP),
                              GAP + rows * (height + label + GAP)), (128, 128, 128))
    draw = ImageDraw.Draw(sheet)
    for index, image in enumerate(images):
        x = GAP + (index % columns) * (width + GAP)
        y = GAP + (index // columns) * (height + label + GAP)
        sheet.paste(image, (x, y))
        draw.text((x, y + height + 2), str(index + 1), fill=(255, 255, 255))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, format="PNG", optimize=True)
    return out


def _spreads(images: list, width: int, height: int, label: int, out: Path) -> Path:
    from PIL import Image, ImageDraw

    slots = [None, *images] + ([None] if len(images) % 2 == 0 else [])  # a blank before page 1
    pairs = [slots[i:i + 2] for i in range(0, len(slots), 2)]
    columns = min(COLUMNS // 2, len(pairs))
    rows = -(-len(pairs) // columns)
    sheet = Image.new("RGB", (GAP + columns * (2 * width + GAP),
                              GAP + rows * (height + label + GAP)), (128, 128, 128))
    draw = ImageDraw.Draw(sheet)
    for index, pair in enumerate(pairs):
        x = GAP + (index % columns) * (2 * width + GAP)
        y = GAP + (index // columns) * (height + label + GAP)
        for side, image in enumerate(pair):
            if image is not None:
                sheet.paste(image, (x + side * width, y))
                draw.text((x + side * width, y + height + 2), str(2 * index + side),
                          fill=(255, 255, 255))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, format="PNG", optimize=True)
    return out


def proof(pdf: Path, out: Path, dpi: int = DPI, spreads: bool = False) -> Proof:
    """`out/<stem>/page-N.png` for every page and the sheet `out/<stem>.png`."""
    with tempfile.TemporaryDirectory(prefix="baikonur-proof-") as tmp:
        pages = rasterise(pdf, Path(tmp), dpi)
        if not pages:
            raise RenderError("the PDF has no pages", str(pdf))
        folder = out / pdf.stem
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        kept = [Path(shutil.copy2(p, folder / f"page-{i:03d}.png")) for i, p in enumerate(pages, 1)]
    return Proof(pdf, tuple(kept), contact_sheet(kept, out / f"{pdf.stem}.png", spreads=spreads))
