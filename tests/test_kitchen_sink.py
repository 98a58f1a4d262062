"""tests/roots/kitchen-sink: every construct a real report uses, built to six artifacts that the
real validators accept and that say the same thing in every format."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import checked

pytestmark = pytest.mark.slow
QUOTES = {"it": "«virgolettato»", "en": "“quotation”"}
LABELS = {"it": ("Sezione 2 mostra Figura 1 e Tabella 1", "Figura 2: Una linea"),
          "en": ("Section 2 shows Figure 1 and Table 1", "Figure 2: A line")}


@pytest.fixture(scope="module")
def sink(sample_dist) -> Path:
    dist = sample_dist("kitchen-sink")
    output = (dist.parent / "build-output.txt").read_text(encoding="utf-8")
    assert "warning" not in output, output  # the translation passes the cross-check
    return dist


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def _zip_text(path: Path, suffix: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return " ".join(re.sub(r"<[^>]+>", "", archive.read(n).decode())
                        for n in archive.namelist() if n.endswith(suffix))


@pytest.mark.parametrize("code", ["it", "en"])
def test_epubs_pass_epubcheck_with_nothing_to_report(sink, epubcheck_of, code):
    result = checked(epubcheck_of, sink / f"sink-{code}.epub")
    assert result.clean, result.messages


@pytest.mark.parametrize("code", ["it", "en"])
def test_docx_opens_in_libreoffice(sink, libreoffice_pdf_of, code):
    pdf = checked(libreoffice_pdf_of, sink / f"sink-{code}.docx")
    text = " ".join(PdfReader(pdf).pages[-1].extract_text().split())
    assert text  # the document converts, and has text on its pages


@pytest.mark.parametrize("code", ["it", "en"])
def test_quotes_labels_and_comments_agree_in_every_format(sink, code):
    pdf = _pdf_text(sink / f"sink-{code}.pdf")
    epub = " ".join(_zip_text(sink / f"sink-{code}.epub", ".xhtml").split())
    docx = " ".join(_zip_text(sink / f"sink-{code}.docx", "document.xml").split())
    for text in (pdf, epub, docx):
        assert QUOTES[code] in text
        assert "titolo {#sec-hidden}" not in text and "Not a heading" not in text
        assert "lsb_release -a" in text  # code kept as typed: no hyphen, no smart quotes
    reference, caption = LABELS[code]
    assert reference in pdf.replace("\u00a0", " ") and caption in pdf


@pytest.mark.parametrize("code", ["it", "en"])
def test_every_image_is_in_every_format(sink, code):
    with pikepdf.open(sink / f"sink-{code}.pdf") as pdf:
        rasters = [k for page in pdf.pages for k, x in (page.Resources.get("/XObject") or {}).items()
                   if x.get("/Subtype") == "/Image"]
    assert rasters  # the PNG (the SVG is drawn as vector graphics)
    for path, folder in ((sink / f"sink-{code}.epub", "EPUB/media/"),
                         (sink / f"sink-{code}.docx", "word/media/")):
        with zipfile.ZipFile(path) as archive:
            media = [n for n in archive.namelist() if n.startswith(folder)]
        assert any(n.endswith(".png") for n in media) and any(n.endswith(".svg") for n in media), media


@pytest.mark.parametrize("code", ["it", "en"])
def test_links_resolve_and_none_points_into_the_build_machine(sink, code):
    with pikepdf.open(sink / f"sink-{code}.pdf") as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in (page.get("/Annots") or [])
                if "/A" in a and "/URI" in a.A]
    assert "https://example.org/" in uris
    assert "https://example.org/sink/" + code + "/docs/guide.md" in uris  # links.base-url
    assert not [u for u in uris if u.startswith("file:")]
    with zipfile.ZipFile(sink / f"sink-{code}.epub") as archive:
        files = {n.rsplit("/", 1)[-1]: archive.read(n).decode() for n in archive.namelist()
                 if n.endswith(".xhtml")}
    ids = {name: set(re.findall(r'\sid="([^"]+)"', text)) for name, text in files.items()}
    for name, text in files.items():
        for target in re.findall(r'href="([^"]*#[^"]+)"', text):
            where, _, fragment = target.partition("#")
            assert fragment in ids[where.rsplit("/", 1)[-1] or name], (name, target)
