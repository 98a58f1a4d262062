"""What the EPUB and DOCX writers share: the AST they hand pandoc, the word for "Contents", and
the rewrite of the ZIP package pandoc returns (entries edited, every date the build epoch)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Callable

import yaml

from .. import dialects, images
from ..errors import RenderError
from ..manuscript import Edition
from . import RenderContext, languages, typography


def with_meta(edition: Edition, fmt: str, **values: str | None) -> dict:
    """The edition's AST for `fmt` (Quarto's conditional content resolved) with metadata
    strings added (None values are left out)."""
    ast = languages.with_parts(edition)
    ast = images.inline_images(edition.pub, dict(ast, blocks=dialects.for_format(ast["blocks"],
                                                                                 fmt)))
    ast = typography.set_quotes(edition.pub, ast, edition.lang.locale)
    ast["meta"].update({k: {"t": "MetaString", "c": v} for k, v in values.items() if v is not None})
    return ast


def contents_title(edition: Edition, ctx: RenderContext) -> str:
    """The language's word for "Contents": styles/typography.yaml's, else pandoc's own
    translations', else the default label. Every format asks here."""
    locale = edition.lang.locale
    own = typography.word(edition.pub, locale, "contents")
    if own:
        return own
    for name in dict.fromkeys((locale, locale.split("-")[0])):
        try:
            data = yaml.safe_load(ctx.pandoc.data_file(f"translations/{name}.yaml"))
        except (RenderError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and isinstance(data.get("Contents"), str):
            return data["Contents"]
    return typography.default_word(edition.pub, "contents", "Contents")


def edition_words(edition: Edition) -> str:
    """The title page's "%s edition" line of this language (`%s`: a language's name)."""
    return (typography.word(edition.pub, edition.lang.locale, "edition")
            or typography.default_word(edition.pub, "edition", "%s edition"))


def rewrite_zip(data: bytes, edits: dict[str, Callable[[bytes], bytes]], epoch: int) -> bytes:
    """The zip package (EPUB, DOCX) `data` with `edits` applied to the named entries.

    Entries keep their order and compression (so an EPUB's `mimetype` stays first and stored);
    every entry is dated at `epoch`, so the bytes depend on the content only.
    """
    stamp = dt.datetime.fromtimestamp(max(epoch, 315532800), dt.timezone.utc).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename in edits:
                content = edits[entry.filename](content)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = entry.compress_type
            info.create_system, info.external_attr = entry.create_system, entry.external_attr
            target.writestr(info, content)
    return out.getvalue()
