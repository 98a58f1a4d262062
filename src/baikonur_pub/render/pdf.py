"""PDF through WeasyPrint: the print HTML plus styles/pdf.css, with a sandboxed URL fetcher."""

from __future__ import annotations

from pathlib import Path

from ..errors import RenderError
from ..manuscript import Edition
from . import RenderContext, html

_SYSTEM_HINT = ("WeasyPrint cannot load its system libraries ({error}); install them with: "
                "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")


def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # Pango missing: cffi raises OSError at import
        raise RenderError(_SYSTEM_HINT.format(error=str(exc).splitlines()[0])) from None
    return weasyprint


def fetcher_class(weasyprint):
    """A URL fetcher that serves `data:` URIs and files below the allowed folders only."""

    class SandboxFetcher(weasyprint.URLFetcher):
        def __init__(self, allowed: list[Path]):
            super().__init__(timeout=5, allowed_protocols={"file", "data"}, fail_on_errors=True)
            self.allowed = [p.resolve() for p in allowed]

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in self.allowed):
                    raise ValueError(f"refusing to read {url}: outside the project")
            elif scheme != "data":
                raise ValueError(f"refusing to fetch remote resource {url}")
            return super().fetch(url, headers)

    return SandboxFetcher


def render(edition: Edition, ctx: RenderContext) -> bytes:
    pub = edition.pub
    weasyprint = _weasyprint()
    fetcher = fetcher_class(weasyprint)([pub.root, *html.font_dirs()])
    document = html.page(edition, ctx)
    css = pub.styles_dir / "pdf.css"
    try:
        stylesheet = weasyprint.CSS(filename=str(css), url_fetcher=fetcher)
        doc = weasyprint.HTML(string=document, base_url=pub.manuscript.as_uri() + "/",
                              url_fetcher=fetcher)
        variant = None if pub.pdf.variant == "none" else pub.pdf.variant
        return doc.write_pdf(stylesheets=[stylesheet], pdf_variant=variant,
                             pdf_tags=variant is not None)
    except weasyprint.urls.FatalURLFetchingError as exc:
        cause = exc.__cause__ or exc
        raise RenderError(f"{edition.code}: PDF: {cause}") from None
