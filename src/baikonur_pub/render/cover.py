"""The EPUB cover: the PDF title page, laid out by WeasyPrint and rasterised to PNG.

The cover reuses the print design (styles/pdf.css and the title-page markup of
styles/templates/cover.html.j2), so both editions of a format look alike without a second
design to maintain. It is a PNG rather than an SVG because every reading system and shop shows a
raster cover in its library view, while SVG covers are skipped by several of them, and because
text in an SVG image cannot use the embedded fonts. pypdfium2 rasterises the one-page PDF; the
PNG holds no timestamp, so the same input gives the same bytes.

The cover depends on the configuration and the styles only, not on the chapters: it is cached
on its own, so editing a chapter never lays out a cover again.
"""

from __future__ import annotations

import io


from ..config import Language, Publication
from ..manuscript import formatted_date
from . import fonts, html, weasy

TEMPLATE = "cover.html.j2"
HEIGHT_PX = 1600  # the long side shops ask for at least; the width follows the page's aspect


def shown(pub: Publication, lang: Language) -> dict:
    """What the cover shows: with the styles, all its page depends on (the cache key's part)."""
    return dict(lang=lang.locale, dir=lang.direction, title=lang.title, subtitle=lang.subtitle,
                authors=list(pub.author), date=formatted_date(pub, lang))


def page_html(pub: Publication, lang: Language) -> str:
    values = shown(pub, lang)
    page = html.render_template(pub, TEMPLATE, **values, fonts=html.fonts())
    return html.render_template(pub, TEMPLATE, **values, fonts=html.page_fonts(pub, page, lang.code))


def title_page_pdf(pub: Publication, lang: Language, page: str | None = None) -> bytes:
    """The title page alone (`page`, its HTML, when already made), as a one-page PDF in the
    print stylesheet."""
    page = page or page_html(pub, lang)
    css = fonts.stylesheet(pub, "pdf.css", "pdf", page, lang.code)
    doc = weasy.layout(page, pub.manuscript.as_uri() + "/",
                       weasy.fetcher([pub.styles_dir, *fonts.font_dirs(pub)]),
                       css_strings=[css] if css else [], what=f"{lang.code}: cover")
    return doc.copy(doc.pages[:1]).write_pdf()


def png(pub: Publication, lang: Language, page: str | None = None,
        height: int = HEIGHT_PX) -> bytes:
    """The cover image: the title page rasterised to `height` pixels."""
    import pypdfium2

    document = pypdfium2.PdfDocument(title_page_pdf(pub, lang, page))
    try:
        page = document[0]
        image = page.render(scale=height / page.get_height()).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG")  # optimize=True: 3 % smaller, 2.5× slower
    return out.getvalue()
