"""The facing-page edition: the primary language on the left-hand (even) pages, a translation
on the right-hand (odd) pages, every chapter starting on the same spread in both.

WeasyPrint lays out one flow per document, so each language is laid out once on its own
(`part="body"`: the abstract, then every chapter from a new page, no folio), the pages of each
chapter are counted, and the book is assembled from those pages (`Document.copy` takes pages
of several documents): per chapter, the two sides' pages in turn, the shorter side continued
by blank pages. Only then are the page numbers known, so they come last, and cost no second
layout: a `folios` document of as many empty pages, each carrying only its number, lends its
margin box to the page in its place (and its empty pages stand in as the blank ones); the
contents, with the numbers written in, are laid out after the chapters.

Page 1 is the bilingual title page (recto); the contents follow as a spread, then the chapters.
In the structure tree (PDF/UA) each chapter of each language is one whole part, the primary's
before the translation's, the translation's marked with its `/Lang`.
"""

from __future__ import annotations

import contextlib
import difflib
import re

from markupsafe import Markup

from .. import __version__, threads
from ..errors import RenderError
from ..manuscript import Edition, formatted_date
from . import RenderContext, fonts, highlight_css, html, package, pdf, pdfua, typography, weasy

TEMPLATE = "facing.html.j2"
STYLESHEET = "facing.css"
_ANCHOR = re.compile(r'(\sid="|\s(?:xlink:)?href="#)')  # attributes only: text is escaped


def _prefixed(fragment: str, code: str) -> Markup:
    """IDs and in-document links made unique per language: both sides share section IDs.
    (Pandoc's HTML, escaped as it writes it: marked safe as in `html.page`.)"""
    return Markup(_ANCHOR.sub(lambda m: f"{m.group(1)}{code}--", fragment))


def _side(edition: Edition, ctx: RenderContext) -> dict:
    pub, lang = edition.pub, edition.lang
    return {"code": lang.code, "lang": lang.locale, "dir": lang.direction, "title": lang.title,
            "subtitle": lang.subtitle, "short_title": lang.short_title or lang.title,
            "description": lang.subtitle or lang.title, "date": formatted_date(pub, lang),
            "language": html.language_name(lang.code, lang.locale),
            "contents": package.contents_title(edition, ctx),
            "edition_words": package.edition_words(edition)}


def _part(pub, ctx: RenderContext, part: str, sides: list[dict], **values) -> str:
    """The HTML of one part of the book (see facing.html.j2)."""
    return html.render_template(
        pub, TEMPLATE, part=part, sides=sides, authors=pub.author,
        keywords=pub.keywords, generator=f"baikonur-pub {__version__}",
        timestamp=html.timestamp(ctx.epoch), **values)


class _Layout:
    """WeasyPrint with the editions' stylesheets and fetcher, for each part of the book."""

    def __init__(self, primary: Edition, ctx: RenderContext, text: str):
        pub = primary.pub
        self.pub, self.ctx = pub, ctx
        # As for the editions: the documents name no manuscript file (images are data: URIs).
        self.fetcher = weasy.fetcher([pub.styles_dir, *fonts.font_dirs(pub)])
        self.base = pub.manuscript.resolve().as_uri() + "/"
        self.variant = None if pub.pdf.variant == "none" else pub.pdf.variant
        extra = pub.styles_dir / STYLESHEET
        if not extra.is_file():
            raise RenderError(f"{STYLESHEET} is missing: the facing-page edition needs it",
                              pub.shown(extra))
        # Parsed once for every part, the fonts' @font-face rules first (as in the editions,
        # where the template holds them), the print styles after.
        # `text`, both languages' sources: the fallbacks of styles/fonts.yaml it needs are declared.
        faces = "".join(f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
                        f'font-style: {f.style}; src: url("{f.path.as_uri()}");'
                        + (f' unicode-range: {f.range};' if getattr(f, "range", "") else "") + " }\n"
                        for f in html.page_fonts(pub, text))
        # pdf.css and facing.css name families as var(--font-…): expanded from fonts.yaml.
        self.styles = weasy.styles(self.fetcher, [], [
            faces, fonts.stylesheet(pub, "pdf.css", "pdf", text) or "",
            fonts.stylesheet(pub, STYLESHEET, "pdf", text) or "", highlight_css(pub, ctx)],
            what="facing PDF")
        self.documents: list[str] = []

    def page(self, part: str, sides: list[dict], **values) -> str:
        return _part(self.pub, self.ctx, part, sides, **values)

    def lay_out(self, document: str):
        self.documents.append(document)
        laid_out = weasy.layout(document, self.base, self.fetcher, variant=self.variant,
                                what="facing PDF", styles=self.styles)
        weasy.retarget_links(laid_out, lambda target: target.removeprefix(self.base))
        return laid_out


def _starts(document, anchors: list[str]) -> list[int]:
    """Index of the page each anchor is on."""
    where = {name: index for index, page in enumerate(document.pages) for name in page.anchors}
    missing = [a for a in anchors if a not in where]
    if missing:
        raise RenderError(f"facing PDF: heading {missing[0].split('--', 1)[1]} was not laid out")
    return [where[a] for a in anchors]


def _chapters(edition: Edition, document) -> dict[str, list]:
    """ID of each heading that starts a spread (`bilingual.facing-depth`: chapters, or their
    sections too) → its pages, in order; text before the first heading goes with the first,
    an edition without headings is one piece. A heading right under its parent shares its
    parent's first page, so the parent's piece is empty (and has no spread of its own)."""
    depth = edition.pub.bilingual.facing_depth
    ids = [h.id for h in edition.headings if h.level <= depth] or [""]
    starts = [0] + _starts(document, [f"{edition.code}--{i}" for i in ids[1:]])
    ends = starts[1:] + [len(document.pages)]
    return {i: document.pages[a:b] for i, a, b in zip(ids, starts, ends)}


def _pairs(left: list[str], right: list[str],
           partner: dict[str, str] | None = None) -> list[tuple[str | None, str | None]]:
    """Chapters paired in order: by ID, or as the cross-check pairs their sections (`partner`:
    translation ID → primary ID; a translation whose headings carry no explicit IDs has IDs
    of its own words, and every chapter once got spreads of its own, the other side blank).
    One present on one side only gets a spread of its own (a draft built with --no-check may
    differ)."""
    partner = partner or {}
    keys = [partner.get(i, i) for i in right]
    out: list[tuple[str | None, str | None]] = []
    matcher = difflib.SequenceMatcher(a=left, b=keys, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            out += list(zip(left[a0:a1], right[b0:b1]))
        else:
            out += [(i, None) for i in left[a0:a1]] + [(None, i) for i in right[b0:b1]]
    return out


def _partners(primary: Edition, translation: Edition) -> dict[str, str]:
    """Translation section ID → the primary section ID the cross-check pairs it with."""
    from ..parity import sections_of
    from ..parity.align import align
    from ..parity.pair import ratio_of

    alignment = align(sections_of(primary), sections_of(translation),
                      ratio_of(primary.code, translation.code, None))
    return {t.key: s.key for s, t in alignment.pairs if s is not None and t is not None
            and s.key and t.key}


def render(primary: Edition, translation: Edition, ctx: RenderContext) -> bytes:
    """The facing-page PDF of `translation` beside `primary`."""
    data, text, arrange = _written(primary, translation, ctx)
    if arrange is not None:  # tagged: the structure tree finished, the layouts freed first
        pdf.free_layouts(len(arrange))
        # A right-to-left primary language: the book opens from the right, each spread shown
        # with the primary's (even) page on the right-hand side.
        data = pdfua.finish(data, primary.lang.locale, text, arrange=arrange,
                            direction=primary.lang.direction)
        pdfua.check(data, f"{translation.code}: facing PDF")
    return data


def _written(primary: Edition, translation: Edition,
             ctx: RenderContext) -> tuple[bytes, str, list | None]:
    """The book laid out and written: (PDF, its documents' text, the reading order of its
    pages when tagged). Every layout is dropped on return."""
    pub = primary.pub
    editions = (primary, translation)
    if pub.pdf.variant == "pdf/ua-1":
        for edition in editions:
            pdfua.check_alternatives(edition)
    sides = [_side(e, ctx) for e in editions]
    with threads.pool(1, "facing-html") as thread:
        other = thread.submit(html.body, translation, ctx)  # both pandoc runs at once
        written = [html.body(primary, ctx), other.result()]
    documents = [_part(pub, ctx, "body", [side], depth=pub.bilingual.facing_depth,
                       abstract=_prefixed(abstract, edition.code), body=_prefixed(main, edition.code))
                 for edition, side, (abstract, main) in zip(editions, sides, written)]
    # The fallback faces declared are those the text laid out needs: the bodies as written
    # (the quotation marks and labels the build puts in: 「」 in Japanese), and the title and
    # contents parts without their page numbers (the template's own words: "النسخة %s").
    text = "".join(pdf.document_text(document) for document in documents)
    text += pdf.document_text(_part(pub, ctx, "title", sides)) + "".join(
        pdf.document_text(_part(pub, ctx, "contents", [side], toc=[])) for side in sides)
    layout = _Layout(primary, ctx, text)
    bodies = []
    for edition, document in zip(editions, documents):
        pdf.check_coverage(edition, document)
        bodies.append(layout.lay_out(document))
    chapters = [_chapters(e, d) for e, d in zip(editions, bodies)]
    spreads = []  # (chapter ID, primary pages, translation pages)
    for left, right in _pairs(list(chapters[0]), list(chapters[1]),
                              _partners(primary, translation)):
        spreads.append((left or right, chapters[0].get(left, []), chapters[1].get(right, [])))

    def number_pages(contents_spreads: int) -> dict[tuple[int, int], int]:
        """(side, index of the page in that side's body) → page number in the book."""
        numbers, page = {}, 2 + 2 * contents_spreads
        offsets = [0, 0]
        for _, *pages in spreads:
            for side in (0, 1):
                for i in range(len(pages[side])):
                    numbers[(side, offsets[side] + i)] = page + 2 * i + side
                offsets[side] += len(pages[side])
            page += 2 * max(len(pages[0]), len(pages[1]))
        return numbers

    def contents(contents_spreads: int) -> list:
        numbers = number_pages(contents_spreads)
        laid = []
        for side, (edition, body) in enumerate(zip(editions, bodies)):
            headings = typography.contents_headings(edition)
            pages = _starts(body, [f"{edition.code}--{h.id}" for h in headings])
            toc = [{"level": h.level, "number": h.number, "title": h.title,
                    "anchor": f"{edition.code}--{h.id}", "page": numbers[(side, p)]}
                   for h, p in zip(headings, pages)]
            laid.append(layout.lay_out(layout.page("contents", [sides[side]], toc=toc)))
        return laid

    tocs = contents(1)
    needed = max(len(t.pages) for t in tocs)
    if needed != 1:  # the numbers moved by the contents' own length: once more, with them right
        tocs = contents(needed)
        if max(len(t.pages) for t in tocs) != needed:
            raise RenderError("facing PDF: the contents do not settle on a number of pages")
    title = layout.lay_out(layout.page("title", sides))
    if len(title.pages) != 1:
        raise RenderError("facing PDF: the bilingual title page does not fit one page")

    # The book, page by page: (page, group, side); a group is one spread run (contents, a chapter).
    book: list[tuple[object, int, int]] = [(title.pages[0], 0, 0)]
    for group, pages in enumerate([("contents", tocs[0].pages, tocs[1].pages)] + spreads, 1):
        _, left, right = pages
        for i in range(max(len(left), len(right))):
            book.append((left[i] if i < len(left) else None, group, 0))
            book.append((right[i] if i < len(right) else None, group, 1))
    folios = layout.lay_out(layout.page("folios", sides[:1], pages=len(book)))
    if len(folios.pages) != len(book):
        raise RenderError("facing PDF: the page numbers were not laid out one per page")
    pages = []
    for number, (page, _, _) in enumerate(book):
        if page is None:  # a blank page: the folio page itself
            page = folios.pages[number]
        elif number:  # every page but the title page gets its folio
            weasy.lend_margin_boxes(folios.pages[number], page)
        pages.append(page)
    combined = title.copy(pages)
    tagged = layout.variant == "pdf/ua-1"
    descriptions = {}
    for document in layout.documents:
        descriptions.update(pdfua.link_descriptions(document))
    with pdfua.tagging(descriptions) if tagged else contextlib.nullcontext():
        data = combined.write_pdf(pdf_variant=layout.variant, pdf_tags=layout.variant is not None,
                                  pdf_identifier=True)
    pdf.check_fonts_used(primary, combined, tuple(e for e in editions if e is not primary))
    if not tagged:
        return data, "", None
    return (data, "".join(pdf.document_text(d) for d in layout.documents),
            [(group, side) for _, group, side in book])
