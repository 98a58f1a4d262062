"""One resource policy for everything a manuscript can make the build read, load or run.

Trusted: the tool, `styles/` and the configuration's choices of it. Not trusted: every file
under `manuscript/`, which may come from a pull request. The policy, stated once:

- A manuscript file may be read only through `manuscript_file`: once resolved it lies under
  `manuscript/`, no part of its path starts with a dot, it is a regular file (never a device,
  a FIFO or `/proc`), of bounded size. Symlinks that stay inside are followed; others refused.
- The parsed AST, blocks *and* metadata, is walked once by `confine` before anything else
  sees it. Images resolve from the chapter's own folder, then from `manuscript/`, pass the
  gate above and are rewritten to the checked file's manuscript-relative path. Links use only
  ordinary web schemes. Raw HTML (every raw format a writer passes through: `html`, `html4`,
  `html5`, `epub`…) is parsed: its elements come from an allowlist, its attributes may not
  load anything, and `style` is parsed with tinycss2, not matched with a pattern. A raw `<img>`
  becomes an AST image, so it follows the image rules; a raw `<a>…</a>` a link (a named anchor
  a span: `raw_links`), so it follows the link rules (`links`). Raw OpenXML would inject
  Word fields: refused. Every other raw format is written by none of our writers: dropped.
  Comments are dropped. IDs that the renderers give what they generate (`ids.RESERVED`) are
  refused when the manuscript writes them; a heading pandoc named into them from its text
  (`# Footnotes`) is renamed, and the links to it follow (`ids.rename_generated`).
- Renderers receive the images as `data:` URIs (`images.inline_images`), so pandoc reads no manuscript
  file at all (DOCX and HTML run with `--sandbox`; the EPUB writer, which must read the styles,
  gets an AST that names no file), and WeasyPrint's fetcher serves only the styles and fonts.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace
import re
import stat
from pathlib import Path
from urllib.parse import unquote, urlparse

from .css import check_css
from .errors import Collected, ManuscriptError, PublishError
from .ids import refuse_reserved, rename_generated
from .markup import (ALLOWED_TAGS, AS_ELEMENT, OTHER_ELEMENTS, TAG_LIKE, Balance as _Balance, Refusal,
                     Tags as _Tags, event_handler, explained, native_attribute, text_before, xhtml)
from .raw_links import HTML_FORMATS as _HTML_FORMATS, pair_links
from .raw_tables import make_tables
from .sources import FileLines, written_line

MAX_RESOURCE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64  # nesting of blocks (lists in lists, quotes in quotes); reports use under 10
LINK_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "urn", "doi"}
_REFUSED_FORMATS = {"openxml", "docx", "opendocument", "odt", "rtf"}
_LOADING_ATTRS = {"src", "srcset", "data", "poster", "background", "xlink:href", "lowsrc",
                  "dynsrc", "longdesc", "formaction", "action", "ping", "manifest", "codebase",
                  "archive", "profile", "usemap", "icon"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_COMMENT = re.compile(r"^\s*<!--.*?-->\s*$", re.S)


def manuscript_file(pub, path: Path, shown: str | None = None,
                    error: type[PublishError] = ManuscriptError) -> Path:
    """`path` resolved, if the policy lets the build read it; else a located error."""
    shown = shown or pub.shown(path)
    base = pub.manuscript.resolve()
    try:
        resolved = Path(path).resolve()
        relative = resolved.relative_to(base)
    except (ValueError, OSError, RuntimeError):
        raise error(f"'{shown}' is outside the manuscript folder", shown) from None
    if any(part.startswith(".") for part in relative.parts):
        raise error(f"'{shown}' is in a hidden folder or file: not readable by a build", shown)
    try:
        info = resolved.stat()
    except OSError as exc:
        raise error(f"'{shown}' {'not found' if isinstance(exc, FileNotFoundError) else exc.strerror}",
                    shown) from None
    if not stat.S_ISREG(info.st_mode):
        raise error(f"'{shown}' is not a regular file", shown)
    return resolved


def scheme(url: str) -> str:
    match = _SCHEME.match(url.strip())
    return match.group(1).lower() if match else ""


# --- the AST walk ----------------------------------------------------------------------------

def confine(pub, ast: dict, owners: list[int], files, bib_shown: str | None
            ) -> tuple[tuple[str, int, str], ...]:
    """Apply the policy to the whole AST in place; raise every refusal, each located. Returns
    the remote images left out (images.remote: drop), each as (file, line, URL)."""
    seen: dict[tuple[int, str], int] = {}  # (chapter, needle) → refusals of it so far
    dropped: list[tuple[int, str]] = []  # (chapter, URL)

    def locate(owner: int, needle: str) -> tuple[str, int | None]:
        nth = seen[(owner, needle)] = seen.get((owner, needle), -1) + 1
        if owner >= 0:  # the whole needle as a link target writes it, else as written
            sources = [files[owner]] + [f for i, f in enumerate(files) if i != owner]
            for whole, part in ((True, needle), (False, needle), (False, needle[:40])):
                found = written_line(sources, part, nth, outside_code=True, whole=whole)
                if found[1] is not None:
                    return found
            # a tag as the parser gives it, `<tabs`, written `<Tabs`
            lowered = [SimpleNamespace(shown=s.shown, lines=[line.lower() for line in s.lines])
                       for s in sources]
            again = written_line(lowered, needle.lower(), nth, outside_code=True)
            return again if again[1] is not None else found
        if owner == -1 and bib_shown:  # the reference list: the line of the bibliography
            return written_line([FileLines(bib_shown, pub.bibliography)], needle, nth)
        return pub.shown(pub.source), None

    pair_links(ast["blocks"])  # a raw `<a href>…</a>` is a link as `[…](…)` is, from here on
    make_tables(ast["blocks"], owners, files)  # a raw `<table>…</table>`, a table (in DOCX too)
    rename_generated(ast["blocks"], owners, files)

    found = Collected("refusals")
    refusals: list[tuple[Refusal, int]] = []  # located once all are in (`markup.explained`)

    def refused(refusal: Refusal, owner: int) -> None:
        refusals.append((refusal, owner))

    def visit(node, owner: int, folder: Path, balance=None) -> object:
        try:  # generated blocks (owner -1: the reference list) may use citeproc's own IDs
            return _visit(pub, node, folder, 0, owner != -1, balance, (dropped, owner, refused))
        except Refusal as refusal:
            refused(refusal, owner)
            return None

    kept = []  # (the blocks one block became, its chapter)
    for owner, group in itertools.groupby(zip(ast["blocks"], owners), key=lambda pair: pair[1]):
        # A chapter's top-level raw HTML nests across its blocks: pandoc gives `<details>`, a
        # paragraph, `</details>` (or `<p>`, the text, `</p>`) as blocks of their own.
        balance = _Balance()
        folder = files[owner].path.parent if owner >= 0 else pub.manuscript
        kept += [(visit([block], owner, folder, balance), owner) for block, _ in group]
        try:
            balance.end()
        except Refusal as refusal:
            refused(refusal, owner)
    meta = visit(ast.get("meta", {}), -2, pub.manuscript)
    for refusal, owner, shown in explained(refusals):  # in order: `locate` counts each needle
        if shown:
            found.add(lambda: ManuscriptError(refusal.message, *locate(owner, refusal.needle)))
        else:
            seen[(owner, refusal.needle)] = seen.get((owner, refusal.needle), -1) + 1
    found.raise_all()
    ast["meta"] = meta
    ast["blocks"] = [block for blocks, _ in kept for block in blocks]
    owners[:] = [owner for blocks, owner in kept for _ in blocks]
    return tuple((shown, line or 1, url) for owner, url in dropped
                 for shown, line in [locate(owner, url)])


def _visit(pub, node, folder: Path, depth: int, ids: bool = True, shared=None, dropped=None):
    """The node with the policy applied (lists may shrink: dropped raw blocks, comments, remote
    images). `shared`: the Balance a list's raw HTML joins (the chapter's, for its top-level
    blocks; else the list's own, which must nest within it). `dropped`: (list, chapter,
    refused), where a remote image left out is noted, and `refused(refusal, chapter)` takes
    each refusal of an element of a list, for the next to be checked too (five bad links in
    one paragraph are five messages in one run)."""
    if depth > MAX_DEPTH * 4:
        raise Refusal(f"nested more than {MAX_DEPTH} levels deep (lists or quotes inside each "
                      "other): flatten it", "")
    if isinstance(node, list):
        out, balance = [], shared  # the raw HTML of one run of blocks or inlines must nest
        for index, item in enumerate(node):
            try:
                if isinstance(item, dict) and item.get("t") in ("RawBlock", "RawInline"):
                    replacement = _raw(pub, item, folder)
                    if replacement is item:
                        balance = balance or _Balance(inline=item["t"] == "RawInline")
                        after = node[index + 1] if index + 1 < len(node) else None
                        balance.take(item["c"][1], after["c"] if isinstance(after, dict)
                                     and after.get("t") == "Str" else "",
                                     lambda: text_before(node, index))
                        out.append({"t": item["t"], "c": [item["c"][0], xhtml(item["c"][1])]})
                        continue
                    if replacement is None:
                        continue
                    item = replacement
                item = _visit(pub, item, folder, depth + 1, ids, dropped=dropped)
            except Refusal as refusal:
                if dropped is None:
                    raise
                dropped[2](refusal, dropped[1])
                continue
            if item is not _LEFT_OUT:
                out.append(item)
        if balance is not None and balance is not shared:
            balance.end()
        return out
    if not isinstance(node, dict):
        return node
    t = node.get("t")
    if t in _TEXT:
        return node
    if t == "Math":
        _check_math(node["c"][1])
        return node
    if t == "Image":
        from . import images  # which imports this module's file rule

        attr, alt, (target, title) = node["c"]
        _attributes("img", attr[2], target)
        _check_id(pub, attr[0], ids)
        if dropped is not None and pub.images.remote == "drop" and images.remote(target):
            dropped[0].append((dropped[1], target))
            return _LEFT_OUT
        node = dict(node, c=[attr, _visit(pub, alt, folder, depth + 1, ids, dropped=dropped),
                             [images.image_target(pub, target, folder), title]])
        return node
    if t == "Link":
        attr, text, (target, title) = node["c"]
        _attributes("a", attr[2], target)
        _check_id(pub, attr[0], ids)
        _link(target)
    elif t in ("Header",):
        _attributes("h1", node["c"][1][2], "")
        _check_id(pub, node["c"][1][0], ids)
    elif t in ("Div", "Span", "CodeBlock", "Code", "Table", "Figure"):
        attr = node["c"][0]
        _attributes(t.lower(), attr[2], "")
        _check_id(pub, attr[0], ids)
        # `<span v-on:click="go">` is read as a Span: a name no XML document can hold, left out
        attr[2][:] = [pair for pair in attr[2] if native_attribute(pair[0])]
    out = {key: (_visit(pub, value, folder, depth + 1, ids, dropped=dropped) if key == "c"
                 else value) for key, value in node.items()}
    if t == "Figure" and not node["c"][0][0] and not any(
            b.get("c") for b in out["c"][2] if b.get("t") in ("Plain", "Para")) \
            and all(b.get("t") in ("Plain", "Para") for b in out["c"][2]):
        return _LEFT_OUT  # all it showed was a remote image, left out: no caption alone
    if t == "Link" and node["c"][1] and not out["c"][1]:
        # all it showed was a remote image, left out: its text alternative, else where it leads
        alt = [x for el in node["c"][1] if el.get("t") == "Image" for x in el["c"][1]]
        out["c"][1] = _visit(pub, alt, folder, depth + 1, ids) or [{"t": "Str", "c": target}]
    return out


_LEFT_OUT = object()  # what `_visit` gives for an element its list leaves out


# Most of a document's elements: nothing in them for the policy to see (as shared, not copied).
_TEXT = frozenset({"Str", "Space", "SoftBreak", "LineBreak"})
_TEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|\s+|[^\\{}^_\s]")


def _check_math(tex: str) -> None:
    """A formula's nesting, bounded like the blocks': pandoc writes each level as XML elements
    (MathML in the EPUB, Word's math in the DOCX), and past 256 of them XML readers refuse the
    document (lxml: "Excessive depth"). Counted: `{…}` groups, and runs of commands or `^`/`_`
    that take the next one as their argument (`\\sqrt\\sqrt x`)."""
    depth = deepest = run = 0
    for token in _TEX_TOKEN.findall(tex):
        if token == "{":
            depth, run = depth + 1, 0
        elif token == "}":
            depth, run = max(depth - 1, 0), 0
        elif token[0] in "\\^_" and len(token) > 1 or token in "^_":
            run += 1
        elif not token.isspace():
            run = 0
        deepest = max(deepest, depth + run)
    if deepest > MAX_DEPTH:
        raise Refusal(f"formula nested more than {MAX_DEPTH} levels deep: split it or simplify it",
                      tex[:30])


def _check_id(pub, ident: str, check: bool = True) -> None:
    if check:
        refuse_reserved(ident, references=bool(pub.bibliography))


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _cut(text: str, size: int = 80) -> str:
    """`text` as a message shows it: whole, or its start and an ellipsis."""
    return text if len(text) <= size else text[:size - 1] + "…"


def _link(target: str) -> None:
    kind = scheme(target)
    if kind and kind not in LINK_SCHEMES:
        raise Refusal(f"link '{_cut(target)}': {kind}: links are not allowed (use "
                      f"{', '.join(sorted(LINK_SCHEMES))}, or a #section link)", target)
    if kind in ("http", "https", "ftp"):  # `http:/ /semver.org`, in a real translation
        try:
            host = urlparse(target).hostname
        except ValueError:
            host = None
        if not host or not re.fullmatch(r"[^\s%/\\?#@:<>\[\]]+|[0-9A-Fa-f:.]+", host):
            raise Refusal(f"link '{_cut(unquote(target))}' names no host (write {kind}://host/…; "
                          "EPUBCheck refuses it, RSC-020)", target)
    # What pandoc leaves of a URL that no URL parser takes (EPUBCheck's RSC-020: the EPUB is
    # refused); pandoc escapes the rest (a space, quotes, braces, `|`, `^`, `<`).
    if _BAD_ESCAPE.search(target):
        raise Refusal(f"link '{_cut(target)}' holds a % that starts no escape, which no URL "
                      "does (EPUBCheck RSC-020): a % itself is written %25", target)
    if target.count("#") > 1:
        raise Refusal(f"link '{_cut(target)}' holds a second #, which no URL does (EPUBCheck "
                      "RSC-020): a URL has one fragment, and a # inside it is written %23",
                      target)
    if "\\" in target:  # `wiki/Jacob\uBernoulli`: an escape Markdown does not know stays
        raise Refusal(f"link '{_cut(target)}' holds a backslash, which no URL does (EPUBCheck "
                      "RSC-020): a URL separates with '/', and `\\_` is the escape of '_'",
                      target)


# --- raw formats, HTML, CSS, SVG -------------------------------------------------------------

def _raw(pub, node: dict, folder: Path):
    """The raw element to keep (itself, or an image it becomes), or None to drop it."""
    fmt, text = node["c"]
    fmt = fmt.lower()
    if fmt in _REFUSED_FORMATS:
        raise Refusal(f"raw {fmt} is not allowed in a manuscript (it could inject fields or "
                      "load files)", f"{{={fmt}}}")
    if not _HTML_FORMATS.match(fmt):
        return None  # no writer of ours outputs it
    if _COMMENT.match(text) and "-->" not in text.strip()[4:-3]:
        return None  # comments never reach an artifact
    parsed = _Tags.read(text)
    tags, ends = parsed.tags, parsed.ends
    unread = TAG_LIKE.match(text.strip())
    if unread and not unread.group(1).isascii():
        # `<ধরণ>`: pandoc's tag, Python's parser's text (its names are ASCII), an element to
        # the EPUB's XML never closed
        tags, ends = ([], [unread.group(1).lower()]) if text.strip().startswith("</") \
            else ([(unread.group(1).lower(), [])], [])
    for index, (tag, attrs) in enumerate(tags):
        if tag not in ALLOWED_TAGS:  # its end tag, if any, is then accounted for
            raise _not_allowed(f"<{tag}>", tag, opens="" if index in parsed.empty else tag)
        _attributes(tag, [(k, v or "") for k, v in attrs], "", raw=True)
    for tag in ends:
        # `</button>` alone (pandoc reads `<button @click="go">` as text): reached the EPUB,
        # an end tag closing nothing, when only start tags were looked at
        if tag not in ALLOWED_TAGS:
            raise _not_allowed(f"</{tag}>", tag, stray=tag)
    if len(tags) == 1 and tags[0][0] == "img":
        return _img(dict(tags[0][1]), node["t"] == "RawBlock")
    if len(tags) == 1 and tags[0][0] in AS_ELEMENT and _Tags.only_tag(text):
        # `<br>`, `<hr>`, `<wbr>` alone: what they mean, in every format (DOCX drops raw HTML)
        element = AS_ELEMENT[tags[0][0]]
        if node["t"] == "RawBlock":
            return element if element["t"] == "HorizontalRule" else {"t": "Plain", "c": [element]}
        if element["t"] != "HorizontalRule":
            return element
    if any(tag == "img" for tag, _ in tags):
        raise Refusal("raw HTML <img> inside other HTML: write the image in Markdown, "
                      "![text](file)", "<img")
    return node


def _not_allowed(written: str, tag: str, **pairing) -> Refusal:
    """The refusal of a start or end tag (`written`) of an element a manuscript may not hold."""
    text_hint = _INSTEAD.get(tag, "") if tag in OTHER_ELEMENTS else \
        f"; for the text {written}, write `{written}` or \\{written}"  # a placeholder, surely
    return Refusal(f"raw HTML {written} is not allowed in a manuscript (only formatting "
                   f"elements are{text_hint})", written[:-1], **pairing)


# What a manuscript writes instead of an element it may not hold (a web page's checklist
# of <input type="checkbox"> and <label>, an embedded player).
_INSTEAD = {tag: "; a checklist is a Markdown task list, `- [ ] item` (☐ in every format)"
            for tag in ("input", "label", "form", "fieldset", "legend")}
_INSTEAD["button"] = "; a button does nothing on paper: write its label as text, or as `code`"
_INSTEAD.update({tag: "; link to it instead, `[text](https://…)`"
                 for tag in ("iframe", "video", "audio", "embed", "object")})


def _img(attrs: dict, block: bool) -> dict:
    """A raw `<img>` as the AST image it means, so every format shows it (and the image rules
    apply to it)."""
    src = attrs.pop("src", None) or ""
    if not src:
        raise Refusal("raw HTML <img> without src", "<img")
    alt = attrs.pop("alt", "") or ""
    title = attrs.pop("title", "") or ""
    ident = attrs.pop("id", "") or ""
    classes = (attrs.pop("class", "") or "").split()
    pairs = [[k, v or ""] for k, v in attrs.items()]
    inlines = []
    for i, word in enumerate(alt.split()):
        if i:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    image = {"t": "Image", "c": [[ident, classes, pairs], inlines, [src, title]]}
    return {"t": "Plain", "c": [image]} if block else image


def _attributes(tag: str, pairs, anchor: str, raw: bool = False) -> None:
    for key, value in pairs:
        name, value = key.lower(), value or ""
        if event_handler(name):
            raise Refusal(f"event handler attribute '{name}' is not allowed", name)
        if name == "rel" and "attachment" in value.lower().split():
            raise Refusal("rel=\"attachment\" would embed a file in the PDF: not allowed in a "
                          "manuscript", anchor or "attachment")
        if name == "style":
            check_css(value, declarations=True)
        elif name in _LOADING_ATTRS and not (raw and tag == "img" and name == "src"):
            raise Refusal(f"attribute '{name}' would load a resource: not allowed", name)
        elif name == "href" and raw:
            _link(value)
