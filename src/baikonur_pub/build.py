"""Plan the artifacts, assemble each language once, render every format, write atomically.

Everything is rendered in memory before the first byte is written, so a content error leaves the
output folder exactly as it was; each file is then written to a temporary name in the same
folder and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import bibliography, config
from .errors import PublishError, RenderError
from .manuscript import Edition, assemble
from .pandoc import Pandoc
from .render import FORMATS, RenderContext, renderer


@dataclass(frozen=True)
class Artifact:
    lang: str
    fmt: str
    path: Path


def plan(pub: config.Publication, langs: tuple[str, ...], formats: tuple[str, ...],
         out: Path) -> list[Artifact]:
    return [Artifact(code, fmt, out / f"{pub.slug}-{code}.{fmt}")
            for code in langs for fmt in formats]


def editions(pub: config.Publication, langs: tuple[str, ...], pandoc: Pandoc) -> dict[str, Edition]:
    bib = bibliography.load(pub)
    return {code: assemble(pub, pub.language(code), pandoc, bib) for code in langs}


def build(pub: config.Publication, langs: tuple[str, ...] = (), formats: tuple[str, ...] = (),
          out: Path | None = None) -> list[Artifact]:
    """Build the requested artifacts (default: every language, every format) into `out`."""
    langs = langs or pub.codes
    formats = formats or FORMATS
    out = Path(out) if out else pub.root / "dist"
    if out.resolve().is_relative_to(pub.manuscript.resolve()):
        raise PublishError("the output folder may not be inside the manuscript folder", str(out))
    epoch = source_date_epoch(pub)
    pandoc = Pandoc.locate().with_epoch(epoch)
    ctx = RenderContext(pandoc, epoch)
    eds = editions(pub, langs, pandoc)
    artifacts = plan(pub, langs, formats, out)
    rendered = [(a, renderer(a.fmt)(eds[a.lang], ctx)) for a in artifacts]
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create output folder: {exc.strerror}", str(out)) from None
    for artifact, data in rendered:
        write_atomic(artifact.path, data)
    return artifacts


def source_date_epoch(pub: config.Publication) -> int:
    """SOURCE_DATE_EPOCH from the environment, else midnight UTC of the publication date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise PublishError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}")
        return int(value)
    return int(dt.datetime.combine(pub.date, dt.time(), dt.timezone.utc).timestamp())


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename: never a partial file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise RenderError(f"cannot write to output folder: {exc.strerror}", str(path.parent)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
