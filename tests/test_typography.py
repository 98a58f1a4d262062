"""Quotation marks: one AST pass, so PDF, EPUB and DOCX set the same marks for each language."""

from __future__ import annotations

import re
import zipfile

from pypdf import PdfReader

from baikonur_pub import build, config


def test_quotes_are_the_same_in_every_format_and_follow_the_language(project, tmp_path, monkeypatch):
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    root = project("minimal")
    for code, chapter, text in (("it", "01-uno.md", 'Disse "basta" e [said "stop"]{lang=en}.'),
                                ("en", "01-one.md", 'She said "stop" and \'no\'.')):
        path = root / "manuscript" / code / chapter
        path.write_text(path.read_text() + f"\n{text}\n")
    build.build(config.load(root), jobs=1)  # one process: the fast path
    dist = root / "dist"
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
