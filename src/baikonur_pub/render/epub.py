"""EPUB 3 by pandoc from the edition's AST: cover, embedded fonts, stable identity, a11y metadata.

What pandoc does not decide by itself is fixed here so two builds give the same bytes and
EPUBCheck has nothing to report: the identifier is a UUID5 of slug and language (pandoc would
draw a random one), `dc:date` is the ISO publication date (pandoc cannot parse a localised date
such as "15 maggio 2025" and would leave it empty), and `dcterms:modified` and the zip entry
times come from SOURCE_DATE_EPOCH, which pandoc reads from its environment.

Pandoc runs without `--sandbox` here, because the EPUB writer must read the stylesheets, fonts
and cover from disk; the AST it gets names no file (`images.inline_images`: every image is
a data: URI, and raw HTML can load nothing).
"""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path
from typing import Callable

from ..errors import ConfigError
from ..manuscript import Edition
from ..schema import Either, MapOf, Option, Record, Text
from . import (RenderContext, common_args, cover, epub_package, fonts, highlight_css, html,
               load_settings, typography)
from .package import contents_title, rewrite_zip, with_meta

SETTINGS = "epub.yaml"
COVER_PAGE = "EPUB/text/cover.xhtml"  # where pandoc writes the page showing --epub-cover-image
# The faces epub.css uses: serif text in roman, italic, bold and bold italic; sans headings.
FACES = {("Source Serif Pro", 400, "normal"), ("Source Serif Pro", 400, "italic"),
         ("Source Serif Pro", 700, "normal"), ("Source Serif Pro", 700, "italic"),
         ("Source Sans Pro", 400, "normal"), ("Source Sans Pro", 600, "normal"),
         ("Source Sans Pro", 700, "normal"), ("IBM Plex Mono", 400, "normal"),
         ("IBM Plex Mono", 400, "italic"), ("IBM Plex Mono", 700, "normal")}
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/baikonur-pub/")


def identifier(slug: str, code: str) -> str:
    """The edition's `dc:identifier`: the same for every build of this slug and language."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{slug}/{code}')}"


def _labelled_cover(title: str) -> Callable[[bytes], bytes]:
    """An edit for the cover page: pandoc's <svg> wrapper gets the title as its text alternative."""
    from lxml import etree

    svg_ns = "http://www.w3.org/2000/svg"

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        for svg in root.iter(f"{{{svg_ns}}}svg"):
            svg.set("role", "img")
            svg.set("aria-label", title)
            label = etree.Element(f"{{{svg_ns}}}title")
            label.text = title
            svg.insert(0, label)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                              doctype="<!DOCTYPE html>")

    return edit


def faces(code: bool = True) -> list[html.FontFace]:
    """The faces to embed; the code face only when the edition has code."""
    return [f for f in html.fonts() if (f.family, f.weight, f.style) in FACES
            and (code or f.family != html.CODE_FAMILY)]


def fallback_faces(edition: Edition, folder: Path) -> list[html.FontFace]:
    """The fallbacks of styles/fonts.yaml the edition has characters for, in the styles epub.css
    asks for: written into `folder` already subset to those characters (pandoc then packs
    kilobytes, not the megabytes of a CJK font), under names a URL may hold (variable fonts are
    named `Name[wght].ttf`)."""
    import json

    plan = fonts.plan(edition.pub, edition.code)
    text = json.dumps(edition.ast, ensure_ascii=False) + edition.lang.title
    present = {ord(c) for c in set(text)}
    out = []
    for family in dict.fromkeys(f for role in fonts.ROLES for f in plan.used(role, present)):
        sets = present & frozenset().union(*(chars for role in fonts.ROLES
                                              for f, chars in plan.takeover.get(role, ())
                                              if f == family))
        copies: dict[Path, Path] = {}
        for key, (weight, style) in fonts.STYLES.items():
            source = plan.fallbacks[family].files[key]
            if source not in copies:
                name = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{family}-{source.name}")
                copies[source] = folder / name.replace("-.", ".")
                subset = epub_package.subset_font("".join(map(chr, sets)), only=sets)
                copies[source].write_bytes(subset(source.read_bytes()))
            out.append(html.FontFace(family, weight, style, copies[source]))
    return out


LANDMARKS = {"cover": "Cover", "titlepage": "Title Page", "toc": "Table of Contents",
             "bodymatter": "Start of Content"}
NAV_PAGE = "EPUB/nav.xhtml"


SUMMARY_PARTS = {
    "text": "What the publication is and how it can be read (always).",
    "notes": "About note references (only when the edition has notes).",
    "citations": "About citations (only when it cites).",
    "figures": "About figures (only when it has figures).",
    "tables": "About tables (only when it has tables).",
    "cover": "About the cover image (always).",
    "hazards": "Hazards (always).",
}
SCHEMA = Record({
    "accessibility-summary": Option(MapOf(Either(
        (Text(r"(?s)\s*\S.*", "the summary of '{name}' must not be empty"),
         Record({part: Option(Text(), doc) for part, doc in SUMMARY_PARTS.items()},
                where=" in the summary of '{name}'", noun="summary part", sparse=True)),
        (lambda v: not isinstance(v, dict), lambda v: True)), key_name="lang", min=1,
        why="'accessibility-summary' must map language codes to text"),
        "schema:accessibilitySummary per language code (or locale): one text, or sentences per "
        "part, of which only those the edition has are kept; `en` serves a language without one.",
        required=True),
    "landmarks": Option(MapOf(Record(
        {name: Option(Text(r"(?s)\s*\S.*", "landmark '{name}' must be text"), f"Label of "
                      f"“{label}”.") for name, label in LANDMARKS.items()},
        where=" in landmarks of '{name}'", noun="landmark", sparse=True), key_name="lang"),
        "Names of the landmarks (the reading system's “go to” menu) per language code; pandoc "
        "writes them in English.", default={}),
})


def settings(edition: Edition) -> dict:
    """styles/epub.yaml, checked."""
    return load_settings(edition.pub, SETTINGS, "the EPUB needs its accessibility summary",
                         SCHEMA)[0]


def _for_language(edition: Edition, entries: dict):
    """The entry for the edition's language: its code, its locale, the locale's language, `en`."""
    lang = edition.lang
    for key in (lang.code, lang.locale, lang.locale.split("-")[0], "en"):
        if entries.get(key):
            return key, entries[key]
    return None, None


def accessibility_summary(edition: Edition, loaded: dict | None = None,
                          has: dict[str, bool] | None = None) -> str:
    """The summary for the edition's language from styles/epub.yaml (English when it has none):
    a text used as it is, or sentences per feature of which only those the edition has are kept
    (no word about notes in a book without any)."""
    data = loaded or settings(edition)
    key, text = _for_language(edition, data["accessibility_summary"])
    if isinstance(text, dict):
        has = has or epub_package.contents(edition)
        text = " ".join(str(text[part]) for part in SUMMARY_PARTS
                        if text.get(part) and has.get(part, True))
    if not text or not text.strip():
        path = edition.pub.styles_dir / SETTINGS
        raise ConfigError(f"no accessibility summary for '{edition.lang.code}' nor 'en'",
                          edition.pub.shown(path))
    return " ".join(text.split())


def landmark_labels(edition: Edition, loaded: dict | None = None) -> dict[str, str]:
    """The names of the landmarks (the reading system's "go to" menu: cover, title page,
    contents) in the edition's language, from styles/epub.yaml; pandoc writes them in English."""
    data = loaded or settings(edition)
    _, labels = _for_language(edition, data["landmarks"])
    return {**LANDMARKS, **(labels or {})}


def _render_template(edition: Edition, name: str, target: Path, **values) -> Path:
    target.write_text(html.render_template(edition.pub, name, **values), encoding="utf-8")
    return target


def render(edition: Edition, ctx: RenderContext) -> bytes:
    pub, lang = edition.pub, edition.lang
    loaded = settings(edition)
    has = epub_package.contents(edition)
    ast = with_meta(edition, "epub", accessibilitySummary=accessibility_summary(edition, loaded, has),
                    **{"toc-title": contents_title(edition, ctx)})
    with tempfile.TemporaryDirectory(prefix="baikonur-epub-") as tmp:
        folder = Path(tmp)
        embedded = faces(has["code"]) + fallback_faces(edition, folder)
        metadata = _render_template(edition, "epub-metadata.xml.j2", folder / "metadata.xml",
                                    identifier=identifier(pub.slug, lang.code),
                                    date=pub.date.isoformat(),
                                    keywords=pub.keywords_of(lang))
        fonts_css = _render_template(edition, "epub-fonts.css.j2", folder / "fonts.css",
                                     fonts=embedded)
        tokens_css = folder / "code.css"
        tokens_css.write_text(highlight_css(pub, ctx) + "\n", encoding="utf-8")
        cover_png = folder / "cover.png"
        cover_png.write_bytes(ctx.covers.get(lang.code) or cover.png(pub, lang))
        # TeX math as MathML, which EPUB 3 reading systems render (without it, the TeX source
        # stood in the text as typed)
        args = [*common_args(edition), "--mathml", "--toc", "--toc-depth=3", "--split-level=1",
                "--epub-title-page=true", f"--epub-metadata={metadata}",
                f"--epub-cover-image={cover_png}", f"--css={fonts_css}", f"--css={tokens_css}",
                *(f"--epub-embed-font={path}" for path in dict.fromkeys(f.path for f in embedded))]
        styles = fonts.stylesheet(pub, "epub.css", "epub", lang=edition.code)
        if styles is not None:  # the family lists of styles/fonts.yaml written out
            (folder / "epub.css").write_text(styles, encoding="utf-8")
            args.append(f"--css={folder / 'epub.css'}")
        data = ctx.pandoc.write(ast, "epub3", args, what=f"{edition.code}: writing EPUB",
                                output=folder / "out.epub", sandbox=False)
        edits = package_edits(edition, data, landmark_labels(edition, loaded), has)
    return rewrite_zip(data, edits, ctx.epoch)


def package_edits(edition: Edition, data: bytes, labels: dict[str, str],
                  has: dict[str, bool]) -> dict:
    """The edits of pandoc's EPUB (see `epub_package`); `has`: `epub_package.contents`."""
    chapters = epub_package.chapter_files(data)
    abstract = bool(edition.lang.abstract) and len(chapters) > 1
    body = chapters[1 if abstract else 0].removeprefix("EPUB/") if chapters else None
    text = epub_package.text_of(data)
    nav = epub_package.landmarks(labels, body)
    hidden = epub_package.unlisted(frozenset(h.id for h in edition.headings
                                             if typography.UNLISTED in h.classes))
    edits = {COVER_PAGE: _labelled_cover(edition.lang.title),
             NAV_PAGE: lambda data: hidden(nav(data)), "EPUB/toc.ncx": hidden,
             "EPUB/content.opf": epub_package.package(
                 edition, has,
                 edition.lang.locale if edition.lang.keywords else None)}
    homes = epub_package.id_files(data, chapters)
    for index, name in enumerate(chapters):
        edits[name] = epub_package.content_document(front=abstract and index == 0,
                                                    name=name, homes=homes)
    if edition.lang.direction == "rtl":
        for name in epub_package.content_files(data):
            edits[name] = epub_package.right_to_left(edits.get(name))
    plan = fonts.plan(edition.pub, edition.code)
    roles = {family: role for role, family in fonts.ROLES.items()}
    for face in faces(has["code"]):  # the fallbacks were subset before pandoc packed them
        # A primary face leaves out what a fallback sets, so readers fall through to it.
        edits[f"EPUB/fonts/{face.file}"] = epub_package.subset_font(
            text, leave_out=plan.taken(roles[face.family]))
    return edits
