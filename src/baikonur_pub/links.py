"""Links checked as a whole, once the edition is parsed: every `#id` must land somewhere, and
no link may point at a file outside the book. A link to another chapter of the edition is a
link into the book (`chapters`).

A link inside the document (`#sec-intro`, `#fig-map`, pandoc's automatic heading IDs, the
reference list's `#ref-…`) must name an ID the edition has — exactly, or as GitHub matches them,
regardless of case, and is then rewritten to the exact ID: a broken one is an error with its
file and line, with the closest ID as a hint. A link to a file (`AUTHORS.md`, `/docs/x.md`)
would point into the build machine from a PDF and is an EPUBCheck error (RSC-007): it is an
error too, unless `links.base-url` in publication.yaml says where the manuscript's files are
published, and then it is rewritten against it (paths resolve from the chapter's folder).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

from .ast import inlines, stringify, walk
from .crossref import KINDS, REFERENCE
from .errors import Collected, ManuscriptError
from .ids import element_id
from .raw_links import hrefs
from .sources import written_line

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# MyST's link to a document (`name`, `part/name`) or to a label: `[text](name)`
_BARE = re.compile(r"[\w-]+(?:/[\w-]+)*")
# pandoc's second `usage`: `usage-1` (its numbers: a heading's own digits, `Part 1111…`,
# were read as one, and int() refuses more than 4,300 of them: an internal error)
_SUFFIXED = re.compile(r"(.+)-([1-9][0-9]{0,8})", re.DOTALL)


def ids(ast: dict) -> set[str]:
    """Every ID an element of the edition carries (headings, divs, spans, figures, code…)."""
    return {element_id(el) for el in walk(ast["blocks"])} - {""}


def local_anchors(ast: dict, owners: list[int]) -> None:
    """A `#name` link leads to its own chapter's `name` when pandoc renamed it there: chapters
    are pages of their own on a site, each with its `## Usage`, but one document to pandoc,
    which names the second `usage-1`; `#usage` on that page led to the first chapter's. (Only
    an ID another chapter holds, and this one holds suffixed.)"""
    per: dict[int, set[str]] = {}
    for block, owner in zip(ast["blocks"], owners):
        per.setdefault(owner, set()).update(element_id(el) for el in walk(block))
    suffixed: dict[int, dict[str, list[tuple[int, str]]]] = {}  # `usage` → [(1, `usage-1`)]
    for owner, held in per.items():  # once: each link searching every ID was quadratic
        for ident in held:
            if match := _SUFFIXED.fullmatch(ident):
                suffixed.setdefault(owner, {}).setdefault(match[1], []).append((int(match[2]), ident))
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue
        for el in _links(block):
            target = el["c"][2][0]
            name = unquote(target[1:]) if target.startswith("#") else ""
            if not name or name in per[owner]:
                continue
            own = min(suffixed.get(owner, {}).get(name, ()), default=None)
            if own and any(name in ids_ for o, ids_ in per.items() if o != owner):
                el["c"][2][0] = f"#{own[1]}"


def chapters(pub, ast: dict, owners: list[int], files) -> None:
    """Links to another chapter of the edition (`02-two.md`, `02-two.md#Orbits`), as a
    manuscript written for GitHub or a static site has them, become links into the book: to
    the chapter's first heading, or to the ID the fragment names (matched as `check` matches
    `#id` links). A link that names no file but a page the way a static site serves chapters
    (Jekyll, Hugo, MkDocs: `legal.md` at `legal/`, so `../legal/#terms` from the page of
    `contribute.md`) leads to that chapter too, and so does the page mdBook and Sphinx make of
    it beside the others (`02-two.html#later`), and a page from the site's root named as a
    chapter is (`/learn/02-two`). Run in every mode, so the cross-check compares where links
    lead."""
    manuscript = pub.manuscript.resolve()
    index, pages, stems = {}, {}, {}
    for i, source in enumerate(files):
        try:
            path = PurePosixPath(source.path.resolve().relative_to(manuscript).as_posix())
        except ValueError:
            continue
        index[str(path)] = i
        pages.setdefault(str(path.with_suffix("")), i)
        stems[path.stem] = None if path.stem in stems else i  # a name two chapters share: none
        if path.stem.lower() in ("index", "_index", "readme"):
            pages.setdefault(str(path.parent), i)
    first: dict[int, str] = {}
    titles: dict[int, dict] = {}  # each chapter's first heading (MyST's {doc}`name`: its title)
    for block, owner in zip(ast["blocks"], owners):
        if block.get("t") == "Header" and owner >= 0:
            first.setdefault(owner, block["c"][1][0])
            titles.setdefault(owner, block)
    known = None  # every ID, found when a bare name first asks
    folders: dict[int, PurePosixPath] = {}
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue
        folder = folders.get(owner) or folders.setdefault(owner, folder_of(files[owner], manuscript))
        for el in _links(block):
            target = el["c"][2][0].strip()
            if not target or _SCHEME.match(target) or target.startswith("#"):
                continue
            parsed = urlparse(target)
            chapter = index.get(_relative(parsed.path, folder))
            if chapter is None and parsed.path and not parsed.path.startswith("/") \
                    and "." not in PurePosixPath(parsed.path).name:  # a page, not a file
                page = folder / PurePosixPath(files[owner].path.name).stem
                chapter = pages.get(_relative(parsed.path, page))
            if chapter is None and PurePosixPath(parsed.path).suffix.lower() in (".html", ".htm"):
                # a page as mdBook and Sphinx serve a chapter, beside it: `ch03-01.html`
                chapter = pages.get(_relative(str(PurePosixPath(parsed.path).with_suffix("")),
                                              folder))
            if chapter is None and parsed.path.startswith("/"):
                # a page of the site the chapter was written for, from its root, named as a
                # chapter is (react.dev's `/learn/your-first-component` for
                # `your-first-component.md`): that chapter, when no other has its name
                name = PurePosixPath(parsed.path.rstrip("/")).name
                name = name.rsplit(".", 1)[0] if name.lower().endswith((".html", ".htm")) else name
                chapter = stems.get(name) if "." not in name and name.lower() not in (
                    "index", "_index", "readme") else None
            if chapter is None and _BARE.fullmatch(target):
                # MyST's `[text](name)`: a document beside the chapter, else a label
                chapter = index.get(_relative(target + ".md", folder))
                if chapter is None and "/" not in target:
                    known = known if known is not None else ids(ast)
                    label = next((i for i in (target, *(f"{k}-{target}" for k in KINDS))
                                  if i in known), None)
                    if label is not None:
                        el["c"][2][0] = f"#{label}"
                        continue
            if chapter is not None:
                anchor = parsed.fragment or first.get(chapter, "")
                el["c"][2][0] = f"#{anchor}"  # `check` resolves it, or says where it fails
                if REFERENCE in el["c"][0][1] and chapter in titles:  # MyST's {doc}`name`
                    el["c"][1] = inlines(stringify(titles[chapter]["c"][2]), " ")  # no link in it
            if REFERENCE in el["c"][0][1]:
                el["c"][0][1] = [c for c in el["c"][0][1] if c != REFERENCE]
                el["c"][1] = el["c"][1] or [{"t": "Str", "c": target}]  # a page of the site


def _file_link(pub, target: str, folder: PurePosixPath, base_url: str) -> tuple[str | None, str]:
    """(the URL to publish it as, else None; why not) for a link to a file (`/ui`,
    `../b.md`): under `base_url` (the edition's, else links.base-url) when set and it stays
    inside the manuscript."""
    parsed = urlparse(target)
    fragment, path, query = parsed.fragment, parsed.path, parsed.query
    site = urlparse(base_url or "").path.rstrip("/") + "/"
    if base_url and site != "/" and path.startswith(site):  # the site's own path, `/docs/x/`
        path = path[len(site) - 1:]  # under a base path: `/web-map-doc/docs/x/` was doubled
    relative = _relative(path, folder)
    if base_url and not relative.startswith("../") and relative != "..":
        relative += "/" if path.endswith("/") and relative != "." else ""  # a page: as written
        return (urljoin(base_url, "" if relative == "." else relative)
                + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")), ""
    return None, ("set links.base-url in publication.yaml to publish such links" if not base_url
                  else "give a web address: links.base-url publishes only what lies inside the "
                       "manuscript folder, and this leaves it")


def _written(ast: dict, owners: list[int], files, manuscript: Path):
    """(chapter, its folder, link element, target) of every link the author wrote that leads
    neither elsewhere (a scheme) nor nowhere."""
    folders: dict[int, PurePosixPath] = {}  # resolving a path per block: 4.5 s of 30,000
    for block, owner in zip(ast["blocks"], owners):
        if owner < 0:
            continue  # generated (the reference list): citeproc's own links
        folder = folders.get(owner) or folders.setdefault(owner, folder_of(files[owner], manuscript))
        for el in _links(block):
            target = el["c"][2][0].strip()
            if target and not _SCHEME.match(target):
                yield owner, folder, el, target


class Hints:
    """` (did you mean '#request-targets'?)`: the ID closest to a name that leads nowhere, else
    "" (the build's error and the cross-check's finding word it alike). A hint compares the
    name with every ID, so the IDs compared are bounded in all: the cross-check of a hostile
    chapter of 4,000 headings and 4,000 links leading nowhere spent 40 s on hints. Past the
    budget a link is still reported, without its hint."""

    BUDGET = 400_000  # IDs compared in all: a report of 100 IDs gets 4,000 hints

    def __init__(self, known):
        self.known, self.left = sorted(known), self.BUDGET

    def __call__(self, name: str) -> str:
        if self.left < len(self.known):
            return ""
        self.left -= len(self.known)
        close = difflib.get_close_matches(name, self.known, n=1)
        return f" (did you mean '#{close[0]}'?)" if close else ""


def check(pub, ast: dict, owners: list[int], files, strict: bool = True,
          base_url: str = "") -> None:
    """Rewrite the links that resolve (an anchor matched regardless of case, a file under
    `links.base-url`); raise every other when `strict`. The cross-check's parse (not strict)
    is rewritten alike: its findings must not depend on which parse the cache holds."""
    known = ids(ast)
    folded: dict[str, list[str]] = {}  # once, not per link: 20,000 links and as many IDs
    for key in known:
        folded.setdefault(key.casefold(), []).append(key)
    problems, seen = Collected("broken links"), {}  # (chapter, target) → links to it so far
    hint = Hints(known)

    def broken(source, target: str, name: str, nth: int) -> ManuscriptError:
        return _located(source, target, f"link to '#{name}': no section or element has this "
                        f"ID{hint(name)}", nth)  # the name as written, not escaped

    for owner, folder, el, target in _written(ast, owners, files, pub.manuscript.resolve()):
        source = files[owner]
        nth = seen[(owner, target)] = seen.get((owner, target), -1) + 1
        if target.startswith("#"):
            name = unquote(target[1:])
            same = folded.get(name.casefold(), [])
            if name not in known and len(same) == 1:
                # GitHub matches anchors regardless of case (`#Основы` → `основы`): so do we,
                # and the link names the ID exactly, as every reader needs it.
                el["c"][2][0] = f"#{same[0]}"
            elif name not in known:
                problems.add(lambda: broken(source, target, name, nth))
            continue
        published, why = _file_link(pub, target, folder, base_url or pub.links.base_url)
        if published:
            el["c"][2][0] = published
        else:
            problems.add(lambda: _located(source, target, _to_file(target, why), nth))
    if strict:
        problems.raise_all()


def to_files(pub, ast: dict, owners: list[int], files, base_url: str = "") -> list[ManuscriptError]:
    """The links to files that building refuses (the cross-check's finding link-file), each
    at its line: those `check` left as written."""
    problems, seen = Collected("links to files"), {}
    for owner, folder, _, target in _written(ast, owners, files, pub.manuscript.resolve()):
        if not target.startswith("#"):
            nth = seen[(owner, target)] = seen.get((owner, target), -1) + 1
            published, why = _file_link(pub, target, folder, base_url or pub.links.base_url)
            if not published:
                problems.add(lambda: _located(files[owner], target, _to_file(target, why), nth))
    return problems.listed()


def _to_file(target: str, why: str) -> str:
    path = urlparse(target).path
    name = PurePosixPath(path).name
    if path.endswith("/") or "." not in name or name.lower().endswith((".html", ".htm")):
        # `../legal/`, `legal.html`: a site's page
        return (f"link to '{target}' points at a page that is no chapter of this edition: list "
                f"that chapter in publication.yaml, link to a section (#id), or {why}")
    return f"link to '{target}' points at a file, not into the book: link to a section (#id), or {why}"


def folder_of(source, manuscript) -> PurePosixPath:
    """The chapter's folder, relative to the manuscript folder."""
    return PurePosixPath(source.path.resolve().parent.relative_to(manuscript).as_posix())


def _relative(path: str, folder: PurePosixPath) -> str:
    """A link's path as a path in the manuscript folder: `/x` from its root, else from the
    chapter's folder (may start with `../` when it leaves it)."""
    path = unquote(path)
    return posixpath.normpath(path.lstrip("/") if path.startswith("/") else str(folder / path))


def _located(source, needle: str, message: str, nth: int = 0) -> ManuscriptError:
    """At the line that writes `needle`, as pandoc gave it or as written (`%20` a space): the
    `nth` such line (0: the first), for the `nth` link of the chapter to the same target (each
    was reported at the first line, and the same line twice counts once: the others hid until
    it was fixed)."""
    found = written_line([source], needle, nth, whole=True)
    return ManuscriptError(message, *(found if found[1] else written_line([source], needle, nth)))


def _links(node):
    """The manuscript's links below `node`; citeproc's own (inside citations) are not ours.
    Those of raw HTML too (`<a href>` inside `<pre>`: `raw_links.hrefs`), checked and rewritten
    alike: a raw `<a>…</a>` of a paragraph is a Link already (`raw_links.pair_links`)."""
    if isinstance(node, list):
        for item in node:
            yield from _links(item)
    elif isinstance(node, dict):
        if node.get("t") == "Cite":
            return
        if node.get("t") in ("RawBlock", "RawInline"):
            yield from hrefs(node)
            return
        if node.get("t") == "Link":
            yield node
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _links(value)
