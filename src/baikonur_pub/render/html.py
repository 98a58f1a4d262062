"""The print HTML: pandoc writes the body, a Jinja2 template in styles/templates/ the page.

Manuscript text only ever reaches the template as already-rendered HTML from pandoc (marked
safe) or as escaped strings; it is never itself treated as a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..errors import RenderError
from ..manuscript import Edition, formatted_date
from . import RenderContext, common_args

_SPLIT = "<!-- baikonur-pub:abstract-end -->"


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    url: str


def fonts() -> list[FontFace]:
    """The text (Source Serif) and heading (Source Sans) faces from their PyPI packages."""
    import font_source_sans_pro
    import font_source_serif_pro

    faces = []
    for module, family, stem in ((font_source_serif_pro, "Source Serif Pro", "SourceSerifPro"),
                                 (font_source_sans_pro, "Source Sans Pro", "SourceSansPro")):
        folder = Path(module.__file__).parent / "files"
        for suffix, weight, style in (("Regular", 400, "normal"), ("It", 400, "italic"),
                                      ("Semibold", 600, "normal"), ("Bold", 700, "normal"),
                                      ("BoldIt", 700, "italic")):
            path = folder / f"{stem}-{suffix}.otf"
            if path.is_file():
                faces.append(FontFace(family, weight, style, path.as_uri()))
    return faces


def font_dirs() -> list[Path]:
    return sorted({Path(f.url.removeprefix("file://")).parent for f in fonts()})


def environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def body(edition: Edition, ctx: RenderContext) -> tuple[str, str]:
    """(abstract HTML, body HTML) from one pandoc run over the edition's AST."""
    blocks = edition.abstract_blocks + [{"t": "RawBlock", "c": ["html", _SPLIT]}] + edition.body_blocks
    ast = dict(edition.ast, blocks=blocks)
    html = ctx.pandoc.write(ast, "html5", [*common_args(edition), "--html-q-tags"],
                            what=f"{edition.code}: writing HTML").decode("utf-8")
    abstract, _, rest = html.partition(_SPLIT)
    return abstract, rest


def page(edition: Edition, ctx: RenderContext, template: str = "pdf.html.j2") -> str:
    """The complete HTML document WeasyPrint lays out."""
    pub, lang = edition.pub, edition.lang
    abstract, main = body(edition, ctx)
    others = [l for l in pub.languages if l.code != lang.code]
    env = environment(pub.styles_dir / "templates")
    try:
        return env.get_template(template).render(
            lang=lang.locale,
            title=lang.title,
            subtitle=lang.subtitle,
            short_title=lang.short_title,
            authors=pub.author,
            date=formatted_date(pub, lang),
            abstract=Markup(abstract),
            body=Markup(main),
            toc=[h for h in edition.headings if h.level <= 2 and "abstract" not in h.id],
            other_editions=[f"{pub.slug}-{o.code}.pdf" for o in others],
            fonts=fonts(),
        )
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise RenderError(f"template error: {exc.message}",
                          pub.shown(pub.styles_dir / "templates" / template), line) from None
