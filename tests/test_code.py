"""Code in every format: a monospaced face, one accessible highlighting theme, never altered."""

from __future__ import annotations

import json
import re
import zipfile

import pikepdf
import pytest

from conftest import REPO


def _luminance(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)


# The tests of tests/roots/content share its one build: on one xdist worker, so the other
# worker is not left waiting for it.
pytestmark = pytest.mark.xdist_group("content")


def test_code_theme_keeps_wcag_aa_contrast_on_its_background():
    theme = json.loads((REPO / "styles/code.theme").read_text())
    background = _luminance(theme["background-color"])
    for name, style in theme["text-styles"].items():
        if style["text-color"]:
            fore = _luminance(style["text-color"])
            ratio = (max(fore, background) + 0.05) / (min(fore, background) + 0.05)
            assert ratio >= 4.5, (name, style["text-color"], ratio)


def test_code_is_monospaced_highlighted_and_unaltered_in_every_format(content_dist):
    """tests/roots/content/manuscript/*/01-*.md: inline `lsb_release -a` and a Python block
    whose comment holds straight quotes."""
    dist = content_dist
    with pikepdf.open(dist / "sample-en.pdf") as pdf:
        fonts = {str(f.get("/BaseFont")) for page in pdf.pages
                 for f in (page.Resources.get("/Font") or {}).values()}
    assert any("IBM-Plex-Mono" in f for f in fonts), fonts
    with zipfile.ZipFile(dist / "sample-en.epub") as epub:
        names = epub.namelist()
        text = " ".join(epub.read(n).decode() for n in names if n.endswith(".xhtml"))
    assert any("IBMPlexMono" in n for n in names)
    assert "lsb_release" in text and "say 'hello'" in text  # no smart quotes inside code
    assert re.search(r'<span class="kw">def</span>', text)
    with zipfile.ZipFile(dist / "sample-en.docx") as docx:
        styles = docx.read("word/styles.xml").decode()
        document = docx.read("word/document.xml").decode()
    source_code = re.search(r'<w:style [^>]*w:styleId="SourceCode".*?</w:style>', styles, re.S)
    assert source_code and "IBM Plex Mono" in source_code.group(0)
    assert "KeywordTok" in document and "say 'hello'" in document
