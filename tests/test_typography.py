"""Quotation marks: one AST pass, so PDF, EPUB and DOCX set the same marks for each language.

tests/roots/content/manuscript/*/01-*.md: `Disse "basta" e [said "stop"]{lang=en}.` in
Italian, `She said "stop" and 'no'.` in English."""

from __future__ import annotations

import re
import zipfile

import pytest
from pypdf import PdfReader


# The tests of tests/roots/content share its one build: on one xdist worker, so the other
# worker is not left waiting for it.
pytestmark = pytest.mark.xdist_group("content")


def test_quotes_are_the_same_in_every_format_and_follow_the_language(content_dist):
    dist = content_dist
    expected = {"it": ["«basta»", "“stop”"], "en": ["“stop”", "‘no’"]}
    for code, wanted in expected.items():
        pdf = " ".join(p.extract_text() for p in PdfReader(dist / f"sample-{code}.pdf").pages)
        with zipfile.ZipFile(dist / f"sample-{code}.epub") as z:
            epub = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        with zipfile.ZipFile(dist / f"sample-{code}.docx") as z:
            docx = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode())
        for mark in wanted:
            assert mark in pdf and mark in re.sub(r"<[^>]+>", "", epub) and mark in docx, (code, mark)
    facing = " ".join(p.extract_text() for p in PdfReader(dist / "sample-it-en.pdf").pages)
    for mark in (m for wanted in expected.values() for m in wanted):  # each side its own quotes
        assert mark in facing, mark
