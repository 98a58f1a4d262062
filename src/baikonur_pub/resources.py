"""Confine what a manuscript can make the renderers read: project files and `data:` URIs only.

Manuscripts may come from pull requests. Pandoc's EPUB writer and WeasyPrint load images,
stylesheets and attachments named in the document, so every such reference is checked here,
before any renderer runs: remote URLs fail at once (never a hang on a machine without network),
`file:` URLs, paths leaving the project (`../../`, symlinks out) and HTML that would embed or
attach files (`<link>`, `rel="attachment"`, `<script>`, `<iframe>`, …) are refused with the
file and line where they were written.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlparse

from .ast import walk
from .errors import ManuscriptError

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_FORBIDDEN_TAGS = {"link", "script", "iframe", "object", "embed", "base", "frame", "frameset",
                   "meta", "style", "applet", "portal", "svg", "math"}
_LOADING_ATTRS = {"src", "srcset", "data", "poster", "background", "xlink:href", "lowsrc",
                  "dynsrc", "longdesc", "formaction", "action"}


def check(edition) -> None:
    """Raise ManuscriptError for the first reference the renderers must not follow."""
    for el in walk(edition.ast["blocks"]):
        t, c = el["t"], el.get("c")
        if t == "Image":
            _check_loaded(edition, c[2][0], "image")
            _check_attr(edition, c[0], c[2][0])
        elif t == "Link":
            target = c[2][0]
            _check_attr(edition, c[0], target)
            if _scheme(target) == "file":
                _fail(edition, target, f"link to '{target}': file: URLs are not allowed")
        elif t in ("RawBlock", "RawInline") and c[0].lower() in ("html", "html5", "epub"):
            _check_html(edition, c[1])
        elif t == "Header":
            _check_attr(edition, c[1], "")
        elif t in ("Div", "Span", "CodeBlock", "Code"):
            _check_attr(edition, c[0], "")


def _scheme(url: str) -> str:
    match = _SCHEME.match(url.strip())
    return match.group(1).lower() if match else ""


def _check_attr(edition, attr, anchor: str) -> None:
    ident, classes, pairs = attr
    for key, value in pairs:
        if key.lower() == "rel" and "attachment" in value.lower().split():
            _fail(edition, anchor or value, "rel=\"attachment\" would embed a file in the PDF: "
                                            "not allowed in a manuscript")
        if key.lower() == "style" and "url(" in value.replace(" ", "").lower():
            _fail(edition, value, "url() in a style attribute would load a resource: not allowed")


def _check_loaded(edition, target: str, what: str) -> None:
    """A resource a renderer will read: a data: URI or an existing file inside the project."""
    target = target.strip()
    scheme = _scheme(target)
    if scheme == "data":
        return
    if scheme == "file":
        _fail(edition, target, f"{what} '{target}': file: URLs are not allowed; use a path "
                               "relative to the manuscript folder")
    if scheme:
        _fail(edition, target, f"{what} '{target}' is remote: resources are never fetched; "
                               "put the file in the project")
    pub = edition.pub
    path = unquote(urlparse(target).path)
    candidates = [(base / path) for base in (pub.manuscript, pub.styles_dir)]
    root = pub.root.resolve()
    for candidate in candidates:
        if candidate.exists():
            if not candidate.resolve().is_relative_to(root):
                _fail(edition, target, f"{what} '{target}' is outside the project")
            return
    if any(not c.resolve().is_relative_to(root) for c in candidates):
        _fail(edition, target, f"{what} '{target}' is outside the project")
    _fail(edition, target, f"{what} '{target}' not found (paths are relative to the manuscript folder)")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _check_html(edition, html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if tag in _FORBIDDEN_TAGS:
            _fail(edition, f"<{tag}", f"raw HTML <{tag}> is not allowed in a manuscript "
                                      "(it could load or attach files)")
        for name, value in attrs:
            name, value = name.lower(), value or ""
            if name == "rel" and "attachment" in value.lower().split():
                _fail(edition, "attachment", "rel=\"attachment\" would embed a file in the PDF: "
                                             "not allowed in a manuscript")
            if name == "style" and "url(" in value.replace(" ", "").lower():
                _fail(edition, value, "url() in a style attribute would load a resource: not allowed")
            if name.startswith("on"):
                _fail(edition, name, f"raw HTML event handler '{name}' is not allowed")
            if name in _LOADING_ATTRS:
                for part in (value.split(",") if name == "srcset" else [value]):
                    _check_loaded(edition, part.strip().split(" ")[0], f"<{tag} {name}>")
            elif name == "href" and _scheme(value) == "file":
                _fail(edition, value, f"<{tag} href='{value}'>: file: URLs are not allowed")


def _fail(edition, needle: str, message: str):
    shown, line = None, None
    for source in edition.files:
        for number, text in enumerate(source.lines, 1):
            if needle and needle in text:
                shown, line = source.shown, number
                break
        if shown:
            break
    if shown is None and edition.files:
        shown = edition.files[0].shown
    raise ManuscriptError(message, shown, line)
