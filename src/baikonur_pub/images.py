"""Images: the files a manuscript names, checked by the resource policy (`resources`), and
what the renderers get of them.

An image resolves from the chapter's own folder, then from `manuscript/`; one whose path starts
with `/` (`/images/x.svg`, as static sites and Quarto write the site's or project's root) from
`manuscript/` alone. It passes the file rule (`resources.manuscript_file`) and is known by its
content, not its name; one named by URL (`//host/x.png` too) is never fetched (an error, or with
`images.remote: drop` left out by `resources.confine`). Renderers receive every image as a
`data:` URI of the checked file (`inline_images`).
"""

from __future__ import annotations

import base64
import copy
import io
import mimetypes
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from .errors import ManuscriptError, PublishError
from .css import check_svg
from .markup import Refusal
from .resources import MAX_RESOURCE_BYTES, manuscript_file, scheme

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}


def remote(target: str) -> bool:
    """An image named by URL: fetched by no build (`images.remote`: an error, or left out).
    `//host/x.png` is one too, on the scheme of the page that shows it, and so `/\\host/x.png`
    (a browser reads `\\` as `/` in an http(s) URL)."""
    target = target.strip()
    kind = scheme(target)
    return kind not in ("", "data", "file") or (not kind and bool(_TWO_SLASHES.match(target)))


_TWO_SLASHES = re.compile(r"[/\\]{2}")  # `//`, `\\`, `/\`, `\/`


def image_target(pub, target: str, folder: Path) -> str:
    """The manuscript-relative path of the checked file an image names (see the module doc)."""
    target = target.strip()
    kind = scheme(target)
    if kind == "data":
        mime, data = decoded(target)
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    if kind == "file":
        raise Refusal(f"image '{target}': file: URLs are not allowed; use a path relative to the "
                      "chapter", target)
    if remote(target):
        raise Refusal(f"image '{target}' is remote: resources are never fetched; put the file "
                      "in the manuscript, or set images.remote to drop in publication.yaml",
                      target)
    path = unquote(urlparse(target).path)
    if not path:
        raise Refusal(f"image '{target}' names no file", target)
    found = _found(pub, target, path, folder)
    try:
        resolved = manuscript_file(pub, found, target)
    except PublishError as exc:
        raise Refusal(exc.message.replace(f"'{target}'", f"image '{target}'", 1), target) from None
    suffix = resolved.suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise Refusal(f"image '{target}': {suffix or 'no'} file type; use "
                      f"{', '.join(sorted(IMAGE_TYPES))}", target)
    if resolved.stat().st_size > MAX_RESOURCE_BYTES:
        raise Refusal(f"image '{target}' is over {MAX_RESOURCE_BYTES // 2**20} MiB", target)
    if suffix == ".svg":
        check_svg(resolved, target, nested=lambda uri: decoded(uri, target))
    else:
        image_type(resolved, target)
    return resolved.relative_to(pub.manuscript.resolve()).as_posix()


def _found(pub, target: str, path: str, folder: Path) -> Path:
    """The file an image's `path` names, yet to pass the file rule; else the refusal that
    describes its first reading, the one the author most plausibly meant.

    Readings, in order: from the chapter's folder, then from `manuscript/` (`figure.svg` beside
    `publication.yaml`, for a chapter in `en/`) unless the path climbs out of it from there;
    a path starting with `/` from `manuscript/`, then from each folder the chapter is in,
    nearest first (a Sphinx project's root, where its `_static/` is). The first that exists is the image. A
    reading leaving the manuscript folder (`../../x.png`, a symlink or symlinked folder leading
    out) is refused as outside before it is looked for, so no file outside is ever probed. A
    missing image is not found where the chapter's path leads: `../images/x.png` from `en/` was
    "outside", which it is only read from `manuscript/`, a reading no longer tried."""
    if path.startswith("/"):  # the site's root, Quarto's project root: the manuscript folder;
        # Sphinx's and Jupyter Book's: the folder of the language's project (`en/_static/…`)
        readings = [pub.manuscript / path.lstrip("/")]
        above = folder
        while above != pub.manuscript and pub.manuscript in above.parents:
            readings.append(above / path.lstrip("/"))
            above = above.parent
        why = "a path starting with / is from the manuscript folder or a folder the chapter is in"
    else:
        readings = [folder / path]
        if not _climbs(path) and folder != pub.manuscript:
            readings.append(pub.manuscript / path)
        why = "paths are relative to the chapter's folder"
    base = pub.manuscript.resolve()
    for reading in readings:
        try:
            inside = reading.resolve().is_relative_to(base)
        except (OSError, RuntimeError):  # a symlink loop
            inside = False
        if not inside:
            raise Refusal(f"image '{target}' is outside the manuscript folder", target)
        if os.path.lexists(reading):
            return reading
    raise Refusal(f"image '{target}' not found: no {pub.shown(readings[0])} ({why})", target)


def _climbs(path: str) -> bool:
    """Whether a relative path climbs above the folder it starts from (`../x.png`), as written."""
    return posixpath.normpath(path).split("/")[0] == ".."


_DATA = re.compile(r"data:(image/[\w.+-]+)((?:;[\w.+-]+=[^;,]*)*)(;base64)?,(.*)", re.I | re.S)


def decoded(uri: str, target: str | None = None) -> tuple[str, bytes]:
    """(media type, bytes) of an image written as a `data:` URI, checked as a file is: by its
    content (the type it says is not trusted), an SVG by the SVG rule, an image it holds in
    turn too. A `data:` image is the manuscript's bytes like any file: one held a `<script>`
    and a remote `<image>` and went into the EPUB as written."""
    target = target or (uri if len(uri) <= 40 else uri[:39] + "…")
    match = _DATA.fullmatch(uri.strip())
    if not match:
        raise Refusal(f"image '{target}': a data: URI of an image must say its image/… type",
                      uri[:40])
    body = match.group(4)
    try:
        data = (base64.b64decode(re.sub(r"\s+", "", unquote(body)), validate=True)
                if match.group(3) else unquote(body).encode("utf-8", "surrogateescape"))
    except (ValueError, UnicodeEncodeError):
        raise Refusal(f"image '{target}': its data: URI is not valid base64", uri[:40]) from None
    if len(data) > MAX_RESOURCE_BYTES:
        raise Refusal(f"image '{target}' is over {MAX_RESOURCE_BYTES // 2**20} MiB", uri[:40])
    try:
        if match.group(1).lower() == "image/svg+xml":
            check_svg(data, target, nested=lambda inner: decoded(inner, target))
            return "image/svg+xml", data
        return image_type(io.BytesIO(data), target), data
    except Refusal as refusal:  # located by the URI as written, not as the message shows it
        raise Refusal(refusal.message, uri[:40]) from None


_RASTER = ("PNG", "JPEG", "GIF", "WEBP")  # Pillow's names; their media types are its `MIME`


def image_type(source, target: str) -> str:
    """The media type of a PNG, JPEG, GIF or WebP image (`source`: its path, or its bytes as a
    stream), read from its content (Pillow), not its name: a PNG saved as `.jpg` (a real guide
    has one) went into the EPUB as image/jpeg, and EPUBCheck refused the book (OPF-029). A file
    that is none of them, or broken (a truncated download: its checksums fail), is refused at
    the line naming it."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=_RASTER) as image:
                kind = image.format
                image.verify()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise Refusal(f"image '{target}' has more than {Image.MAX_IMAGE_PIXELS:,} pixels: scale it "
                      "down", target) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Refusal(f"image '{target}' is not a readable PNG, JPEG, GIF or WebP image (a broken "
                      "or mislabelled file)", target) from None
    return Image.MIME[kind]


# --- what renderers get ----------------------------------------------------------------------

def inline_images(pub, ast: dict) -> dict:
    """A copy of `ast` whose images are `data:` URIs of the checked files, so no renderer opens
    a manuscript file by a name the manuscript chose."""
    cache: dict[str, str] = {}

    def data_uri(target: str) -> str:
        if scheme(target) == "data" and target not in cache:
            mime, data = decoded(target)  # checked when the parse confined it
            if mime == "image/svg+xml":
                from . import svgtext
                from .render import fonts

                data = svgtext.prepare(data, fonts.stacks(pub, "pdf", only=set()))
            cache[target] = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        if target not in cache:
            path = manuscript_file(pub, pub.manuscript / target, target)
            with open(path, "rb") as handle:
                data = handle.read(MAX_RESOURCE_BYTES + 1)
            if len(data) > MAX_RESOURCE_BYTES:
                raise ManuscriptError(f"image '{target}' is over {MAX_RESOURCE_BYTES // 2**20} MiB",
                                      pub.shown(path))
            mime = IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
            if mime != "image/svg+xml":
                try:  # as the parse checked it: by its content, from the bytes just read
                    mime = image_type(io.BytesIO(data), target)
                except Refusal as refusal:
                    raise ManuscriptError(refusal.message, pub.shown(path)) from None
            else:  # its text in our fonts, never the host's
                from . import svgtext
                from .render import fonts

                data = svgtext.prepare(data, fonts.stacks(pub, "pdf", only=set()))
            cache[target] = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        return cache[target]

    def visit(node):
        if isinstance(node, list):
            return [visit(n) for n in node]
        if not isinstance(node, dict):
            return node
        if node.get("t") == "Image":
            attr, alt, (target, title) = node["c"]
            return dict(node, c=[attr, visit(alt), [data_uri(target), title]])
        return {k: visit(v) if k == "c" else v for k, v in node.items()}

    return {**ast, "blocks": visit(ast["blocks"]), "meta": visit(copy.deepcopy(ast.get("meta", {})))}
