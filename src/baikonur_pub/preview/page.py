"""The preview page: every language side by side, section by section, findings in place.

Each language's Edition is written to HTML by pandoc once (with a marker before every heading,
so the HTML splits into sections); a language whose Edition did not change reuses its HTML.
Rows pair sections as the cross-check pairs them (by ID, else by alignment), so the page
lines up exactly as the HTML report does. A View holds every row's HTML: comparing two Views
tells which rows a save changed, and only those are sent to the browser.
"""

from __future__ import annotations

import functools
import html as html_module
import re
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

import jinja2
from markupsafe import Markup

from .. import __version__
from .. import dialects
from ..errors import PublishError
from ..manuscript import formatted_date
from ..render import common_args
from ..render import languages
from ..render.html import inline_notes
from . import marks

_MARK = "baikonur-preview:section"
_MARK_RE = re.compile(rf"<!-- {_MARK} (\d+) -->")
TITLE_ROW = "title"


@dataclass(frozen=True)
class Chunks:
    """One language's HTML, section by section: (heading ID or "" before the first heading,
    HTML, source file of the section)."""

    edition: object  # the Edition it was written from (identity tells whether it is current)
    sections: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class View:
    version: int
    rows: tuple[tuple[str, str], ...]  # (element ID, HTML of the row)
    banner: str  # HTML of the errors banner
    summary: str  # HTML of the findings summary
    chunks: dict = field(default_factory=dict, compare=False)  # code → Chunks
    values: dict = field(default_factory=dict, compare=False)  # what the page template needs

    def changes(self, old: "View | None") -> dict:
        """The event payload taking a page showing `old` to this view: the rows that differ
        (or all of them when rows came or went), the banner and the summary."""
        payload = {"version": self.version, "banner": self.banner, "summary": self.summary}
        css = self.values.get("styles_css", "")
        if old is None or css != old.values.get("styles_css", ""):
            payload["css"] = str(css)  # styles/epub.css was saved
        if old is None or [r[0] for r in old.rows] != [r[0] for r in self.rows]:
            payload["rows"] = "".join(html for _, html in self.rows)
        else:
            before = dict(old.rows)
            payload["replace"] = [{"id": rid, "html": html} for rid, html in self.rows
                                  if before.get(rid) != html]
        return payload


@functools.cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("baikonur_pub.preview", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def _macro(name: str):
    return getattr(environment().get_template("parts.html.j2").module, name)


def sections_html(edition, pandoc) -> Chunks:
    """The edition's HTML cut at every heading, from one pandoc run. Notes stay in place
    (`footnote` spans, as in the PDF); IDs carry the language (`en-sec-intro`), so both
    columns' links and citations stay within their own language; images point at the
    preview's file routes."""
    from ..parity.outline import flatten

    pub = edition.pub
    blocks, keys, files = [], [], []
    for block, owner in zip(edition.ast["blocks"], edition.block_files):
        file = edition.files[owner].shown if owner >= 0 else ""
        for item in flatten(block):
            if item["t"] == "Header" or not keys:
                key = item["c"][1][0] if item["t"] == "Header" else ""
                blocks.append({"t": "RawBlock", "c": ["html", f"<!-- {_MARK} {len(keys)} -->"]})
                keys.append(key)
                files.append(file)
            blocks.append(item)
    # the languages of parts, and a reference entry's own direction, as in every format
    ast = dict(edition.ast, blocks=inline_notes(languages.mark(
        edition, dialects.for_format(blocks, "epub"))))  # the preview shows the EPUB
    html = pandoc.write(ast, "html5", [*common_args(edition), "--html-q-tags", "--mathml",
                                       f"--id-prefix={edition.code}-"],
                        what=f"{edition.code}: writing the preview").decode("utf-8")
    html = _local_images(html, pub) if "<img" in html else html
    pieces = _MARK_RE.split(html)[1:]
    sections = tuple((keys[int(i)], text.strip(), files[int(i)])
                     for i, text in zip(pieces[::2], pieces[1::2]))
    return Chunks(edition, sections)


_IMG_RE = re.compile(r'(<img\b[^>]*?\bsrc=")(?![A-Za-z][\w+.-]*:|/)([^"]+)"')


def _local_images(html: str, pub) -> str:
    """Relative image sources become `/manuscript/…` or `/styles/…` (where `resources`
    found them), which the server serves; `data:` URIs and the rest stay as they are."""
    def local(match: re.Match) -> str:
        target = match.group(2)
        path = unquote(html_module.unescape(target))
        for prefix, base in (("manuscript", pub.manuscript), ("styles", pub.styles_dir)):
            if (base / path).is_file():
                return f'{match.group(1)}/{prefix}/{target}"'
        return match.group(0)

    return _IMG_RE.sub(local, html)


def cross_check(pub, editions: dict, errors: dict):
    """The cross-check's Result, once every language has parsed (else None); a broken
    glossary or waivers file is recorded in `errors`."""
    if not (pub.primary in editions and len(editions) == len(pub.codes) > 1):
        return None
    from .. import parity

    try:
        result = parity.check_project(pub, editions)
    except PublishError as exc:
        errors["check"] = exc.format_message()
        return None
    errors.pop("check", None)
    return result


def build(pub, editions: dict, pandoc, errors: dict, version: int, old: View | None,
          result=None) -> View:
    """The page for the current Editions, with the findings of `result` (a cross-check of
    these Editions or of the ones before: rows pair by section ID, so a stale result only
    misplaces what changed, until the fresh one arrives)."""
    chunks = {}
    for code, edition in editions.items():
        previous = old.chunks.get(code) if old else None
        chunks[code] = previous if previous and previous.edition is edition else \
            sections_html(edition, pandoc)
    langs = [pub.language(c) for c in pub.codes if c in chunks]
    rows = _rows(pub, chunks, result)
    findings = list(result.findings) if result else []
    placed: set[int] = set()
    row_html = [_title_row(pub, langs)]
    for number, row in enumerate(rows):
        names = {key for key, _ in row.values()}
        mine = [f for f in findings if f.section in names and f.section != ""]
        placed.update(id(f) for f in mine)
        cells = []
        for lang in langs:
            cell = {"code": lang.code, "locale": lang.locale, "dir": lang.direction, "html": None,
                    "where": ""}
            if lang.code in row:
                _, html, where = chunks[lang.code].sections[row[lang.code][1]]
                marked = marks.highlight(html, [f for f in mine if f.needle and f.file == where])
                cell.update(html=Markup(marked), where=where)
            cells.append(cell)
        rid = f"row-{number}-{_slug(next(iter(row.values()))[0])}"
        row_html.append((rid, str(_macro("row")(rid, cells, mine))))
    others = [f for f in findings if id(f) not in placed]
    values = {"pub": pub, "langs": langs, "fonts": _faces(pub), "styles_css": _css(pub),
              "others": others, "version": version, "tool": __version__}
    summary = str(_macro("summary")(result.summary if result else None,
                                    result.count("info") if result else 0, others))
    return View(version, tuple(row_html), _banner(errors), summary, chunks, values)


def with_errors(view: View | None, errors: dict, version: int) -> View:
    """The last view, with the current errors and a new version."""
    if view is None:
        return View(version, (), _banner(errors), "", {}, {})
    return replace(view, version=version, banner=_banner(errors))


def render(view: View, shown: list[str] | None = None, busy: bool = False) -> str:
    """The complete page (no script needed to read it; the script keeps it current).
    `shown`: the languages shown (all when None); `busy`: a save is being parsed or checked,
    so the page is about to change."""
    values = dict(view.values) if view.values else {"langs": [], "fonts": [], "styles_css": "",
                                                    "pub": None, "others": [], "tool": __version__}
    return environment().get_template("page.html.j2").render(
        view=view, rows=Markup("".join(h for _, h in view.rows)), banner=Markup(view.banner),
        summary=Markup(view.summary), shown=shown or [], busy=busy,
        **dict(values, version=view.version))


def _banner(errors: dict) -> str:
    return str(_macro("banner")(sorted(dict.fromkeys(errors.values()))))


def _title_row(pub, langs) -> tuple[str, str]:
    cells = [{"code": l.code, "locale": l.locale, "dir": l.direction, "title": l.title,
              "subtitle": l.subtitle,
              "authors": ", ".join(pub.author), "date": formatted_date(pub, l)} for l in langs]
    return TITLE_ROW, str(_macro("title_row")(TITLE_ROW, cells))


def _faces(pub) -> list:
    """Every face the page may use, fallbacks of styles/fonts.yaml included (Amiri for
    Arabic): the browser fetches one only for a character in its range."""
    from ..render import fonts as fallbacks

    return fallbacks.screen_faces(pub)


def _css(pub) -> Markup:
    """The publication's screen styles (styles/epub.css: the PDF's hierarchy in em). The
    styles folder is trusted; `</` is still kept from closing the <style> element."""
    from ..render import fonts as fallbacks

    text = fallbacks.stylesheet(pub, "epub.css", "epub") or ""
    return Markup(text.replace("</", "<\\/"))


def _slug(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-") or "front"


def _rows(pub, chunks: dict, result) -> list[dict]:
    """Rows of section references {code: (key, index in that language's chunks)}: the
    primary's sections in order, each translation's paired section beside it, a section
    only one translation has in a row of its own where it falls; sections the cross-check
    does not see (the generated reference list) pair by ID at the end."""
    index = {code: {} for code in chunks}
    for code, ch in chunks.items():
        for i, (key, _, _) in enumerate(ch.sections):
            index[code].setdefault(key, i)
    primary = pub.primary if pub.primary in chunks else next(iter(chunks), None)
    if primary is None:
        return []
    rows = [{primary: (key, i)} for i, (key, _, _) in enumerate(chunks[primary].sections)]
    where = {key: n for n, row in enumerate(rows) for key, _ in [row[primary]]}
    for code in chunks:
        if code == primary:
            continue
        pairs = result.pairs.get(code, []) if result else []
        used, at = set(), -1
        for src, tgt in pairs:
            key = tgt.key if tgt else None
            if key is not None and key not in index[code]:
                continue
            if src is not None and src.key in where:
                at = where[src.key]
                if key is not None:
                    rows[at][code] = (key, index[code][key]); used.add(key)
            elif key is not None:
                at += 1
                rows.insert(at, {code: (key, index[code][key])}); used.add(key)
                where = {r[primary][0]: n for n, r in enumerate(rows) if primary in r}
        for key, i in index[code].items():  # not paired by the check: by ID, else at the end
            if key in used:
                continue
            if key in where and code not in rows[where[key]]:
                rows[where[key]][code] = (key, i)
            else:
                rows.append({code: (key, i)})
    return rows
