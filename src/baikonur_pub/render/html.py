"""The print HTML: pandoc writes the body, a Jinja2 template in styles/templates/ the page.

Manuscript text only ever reaches the template as already-rendered HTML from pandoc (marked
safe) or as escaped strings; it is never itself treated as a template.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.sandbox
from babel import Locale
from markupsafe import Markup

from .. import __version__
from ..locales import babel_locale
from ..environment import timestamp
from ..errors import RenderError
from .. import dialects, formulas, images
from ..manuscript import Edition, formatted_date
from . import RenderContext, common_args, typography, languages, package

_SPLIT = "<!-- baikonur-pub:abstract-end -->"
TEXT_FAMILY = "Source Serif Pro"
HEADING_FAMILY = "Source Sans Pro"
CODE_FAMILY = "IBM Plex Mono"  # monospaced, so code reads as typed ("ls" never "Is"); OFL 1.1


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    path: Path
    range: str = ""  # CSS unicode-range: a fallback face sets only what it takes over

    @property
    def url(self) -> str:
        return self.path.as_uri()

    @property
    def file(self) -> str:
        return self.path.name


def fonts() -> list[FontFace]:
    """The text (Source Serif), heading (Source Sans) and code (IBM Plex Mono) faces from
    their PyPI packages.

    Only these are offered to WeasyPrint, so the PDF never depends on the host's fonts.
    """
    import font_source_sans_pro
    import font_source_serif_pro

    faces = []
    for module, family, stem in ((font_source_serif_pro, TEXT_FAMILY, "SourceSerifPro"),
                                 (font_source_sans_pro, HEADING_FAMILY, "SourceSansPro")):
        folder = Path(module.__file__).parent / "files"
        for suffix, weight, style in (("Regular", 400, "normal"), ("It", 400, "italic"),
                                      ("Semibold", 600, "normal"), ("Bold", 700, "normal"),
                                      ("BoldIt", 700, "italic")):
            path = folder / f"{stem}-{suffix}.otf"
            if path.is_file():
                faces.append(FontFace(family, weight, style, path))
    import fontpkg_ibm_plex_mono

    folder = Path(fontpkg_ibm_plex_mono.__file__).parent / "files"
    for suffix, weight, style in (("Regular", 400, "normal"), ("Italic", 400, "italic"),
                                  ("Bold", 700, "normal"), ("BoldItalic", 700, "italic")):
        path = folder / f"IBMPlexMono-{suffix}.ttf"
        if path.is_file():
            faces.append(FontFace(CODE_FAMILY, weight, style, path))
    if not {f.family for f in faces} >= {TEXT_FAMILY, HEADING_FAMILY, CODE_FAMILY}:
        raise RenderError("the font packages font-source-serif-pro, font-source-sans-pro and "
                          "fontpkg-ibm-plex-mono ship no font files; reinstall them")
    return faces


def font_dirs() -> list[Path]:
    return sorted({f.path.parent for f in fonts()})


@functools.cache
def _environment(templates: str) -> jinja2.Environment:
    """One environment per templates folder, so each template is compiled once per process
    (Jinja still reloads a template whose file changed). Sandboxed: a template reaches no
    Python internals (`cycler.__init__.__globals__` is refused), even one edited in a PR."""
    return jinja2.sandbox.ImmutableSandboxedEnvironment(loader=jinja2.FileSystemLoader(templates),
                              autoescape=jinja2.select_autoescape(["html.j2", "xml.j2"],
                                                                  default=False),
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


def render_template(pub, name: str, **values) -> str:
    """Render styles/templates/<name>: HTML and XML templates escape what they are given (the
    manuscript is never itself a template); an error names the template file and line."""
    templates = pub.styles_dir / "templates"
    try:
        return _environment(str(templates)).get_template(name).render(**values)
    except jinja2.sandbox.SecurityError as exc:
        raise RenderError(f"template refused by the sandbox: {exc}", pub.shown(templates / name)) from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template error: {exc.message}", pub.shown(templates / name),
                          getattr(exc, "lineno", None)) from None


def inline_notes(node):
    """Pandoc `Note`s become `<span class="footnote">` in place, so CSS `float: footnote`
    can set them at the foot of the page they are called from (pandoc would collect them
    at the end of the document)."""
    if isinstance(node, list):
        return [inline_notes(n) for n in node]
    if not isinstance(node, dict) or "t" not in node:
        return node
    if node["t"] == "Note":
        inlines: list = []
        for block in node["c"]:
            if block["t"] in ("Para", "Plain") and inlines:
                inlines.append({"t": "LineBreak"})
            if block["t"] in ("Para", "Plain"):
                inlines.extend(inline_notes(block["c"]))
        return {"t": "Span", "c": [["", ["footnote"], []], inlines]}
    if "c" in node:
        return dict(node, c=inline_notes(node["c"]))
    return node


_BOXES = ("☐", "☒")


_LED = ("CodeBlock", "Table", "Figure", "BulletList", "OrderedList", "DefinitionList", "Div")


def lead_ins(node):
    """A paragraph ending in a colon that leads into a code block, a table, a figure or a list
    ("Successful web page response:") in a `lead-in` div, which the CSS keeps on the page of
    what it announces: WeasyPrint moved a code block that did not fit to the next page and
    left the paragraph alone at the foot of the last (seen on a real guide)."""
    if isinstance(node, list):
        out = [lead_ins(n) for n in node]
        return [{"t": "Div", "c": [["", ["lead-in"], []], [block]]}
                if _leads(block, out[i + 1] if i + 1 < len(out) else None) else block
                for i, block in enumerate(out)]
    if not isinstance(node, dict) or "c" not in node:
        return node
    return dict(node, c=lead_ins(node["c"]))


def _leads(block, after) -> bool:
    if not (isinstance(block, dict) and block.get("t") == "Para" and block["c"]
            and isinstance(after, dict) and after.get("t") in _LED):
        return False
    last = block["c"][-1]
    return last.get("t") == "Str" and last["c"].rstrip().endswith((":", "："))


LONG_CODE = 40  # lines: a code block longer than this may break across pages (`long_code`)


def long_code(node):
    """A code block of more than `LONG_CODE` lines in a `long-code` div (the box of its file
    name gets the class instead), which the CSS lets break across pages: kept whole, as
    shorter ones are, a block of 15 pages went to the next page and left the page before it
    nearly empty (seen on a real tutorial). A div: pandoc's HTML puts a block's classes on its
    `pre`, not on the `div.sourceCode` around it."""
    if isinstance(node, list):
        return [long_code(n) for n in node]
    if not isinstance(node, dict) or "c" not in node:
        return node
    if node.get("t") == "CodeBlock":
        return {"t": "Div", "c": [["", ["long-code"], []], [node]]} if _long(node) else node
    if node.get("t") == "Div" and "code-with-filename" in node["c"][0][1]:
        if any(_long(b) for b in node["c"][1]):
            (ident, classes, pairs), blocks = node["c"]
            return dict(node, c=[[ident, [*classes, "long-code"], pairs], blocks])
        return node
    return dict(node, c=long_code(node["c"]))


def _long(block: dict) -> bool:
    return block.get("t") == "CodeBlock" and block["c"][1].count("\n") >= LONG_CODE


def task_lists(node):
    """A task list (`- [ ] item`) keeps its boxes as text: pandoc writes each as an HTML form
    checkbox, which WeasyPrint lays out as a form field on a line of its own above the item's
    text, after a bullet. The list goes in a `task-list` div, for the CSS to hang the boxes."""
    if isinstance(node, list):
        return [task_lists(n) for n in node]
    if not isinstance(node, dict) or "c" not in node:
        return node
    node = dict(node, c=task_lists(node["c"]))
    kind = node.get("t")
    items = node["c"] if kind == "BulletList" else node["c"][1] if kind == "OrderedList" else []
    if items and all(_boxed(item) for item in items):
        items = [[dict(item[0], c=[{"t": "Span", "c": [["", ["task"], []], [_box(item[0]["c"][0])]]},
                                   *item[0]["c"][1:]])] + item[1:] for item in items]
        listed = dict(node, c=items if kind == "BulletList" else [node["c"][0], items])
        return {"t": "Div", "c": [["", ["task-list"], []], [listed]]}
    return node


def _box(box: dict) -> dict:
    """☒ (pandoc's done box) as ☑, which the text faces draw; ☐ as it is."""
    return {"t": "Str", "c": "☑"} if box["c"] == "☒" else box


def _boxed(item: list) -> bool:
    first = item[0] if item else {}
    inlines = first.get("c") if first.get("t") in ("Plain", "Para") else None
    return bool(inlines) and len(inlines) > 1 and inlines[0] in (
        {"t": "Str", "c": box} for box in _BOXES) and inlines[1].get("t") == "Space"


def body(edition: Edition, ctx: RenderContext) -> tuple[str, str]:
    """(abstract HTML, body HTML) from one pandoc run over the edition's AST."""
    blocks = languages.mark(edition, dialects.for_format(
        edition.abstract_blocks + [{"t": "RawBlock", "c": ["html", _SPLIT]}] + edition.body_blocks,
        "pdf"))
    ast = images.inline_images(edition.pub,
                                  dict(edition.ast, blocks=lead_ins(long_code(task_lists(inline_notes(blocks))))))
    ast = typography.set_quotes(edition.pub, ast, edition.lang.locale)
    html = ctx.pandoc.write(ast, "html5", [*common_args(edition), "--mathml"],
                            what=f"{edition.code}: writing HTML").decode("utf-8")
    html = formulas.drawn(html, edition)  # WeasyPrint lays out no MathML: SVG images of it
    abstract, _, rest = html.partition(_SPLIT)
    return abstract, rest


def language_name(code: str, in_locale: str) -> str:
    """The name of language `code` in the language of `in_locale` ("inglese", "Italian")."""
    return Locale.parse(babel_locale(in_locale)).languages.get(code, code)


def page(edition: Edition, ctx: RenderContext, template: str = "pdf.html.j2") -> str:
    """The complete HTML document WeasyPrint lays out."""
    pub, lang = edition.pub, edition.lang
    abstract, main = body(edition, ctx)
    others = [l for l in pub.languages if l.code != lang.code]
    values = dict(
            lang=lang.locale,
            dir=lang.direction,
            code=lang.code,
            language=language_name(lang.code, lang.locale),
            title=lang.title,
            subtitle=lang.subtitle,
            short_title=lang.short_title,
            authors=pub.author,
            date=formatted_date(pub, lang),
            keywords=pub.keywords_of(lang),
            generator=f"baikonur-pub {__version__}",
            timestamp=timestamp(ctx.epoch),  # WeasyPrint takes the PDF dates from it
            abstract=Markup(abstract),
            body=Markup(main),
            toc=typography.contents_headings(edition),  # the abstract too, as in EPUB and DOCX
            other_editions=[{"language": language_name(o.code, lang.locale),
                             "file": f"{pub.slug}-{o.code}.pdf"} for o in others],
            contents=package.contents_title(edition, ctx),
            edition_words=package.edition_words(edition),
            colon=typography.colon(edition.pub, lang.locale),
        )
    # Two passes: the fallback faces a page declares depend on its whole text.
    document = render_template(pub, template, **values, fonts=fonts())
    extra = page_fonts(pub, document, lang.code)[len(fonts()):]
    return render_template(pub, template, **values, fonts=fonts() + extra) if extra else document


def page_fonts(pub, text: str, lang: str | None = None) -> list:
    """The @font-face rules of a page WeasyPrint lays out: the publication's faces and the
    fallbacks of styles/fonts.yaml that `text` needs (each font file is copied and scanned by
    fontconfig per rule: a rule for nothing costs time)."""
    from . import fonts as fallbacks

    return fonts() + fallbacks.pdf_faces(pub, text, lang)
