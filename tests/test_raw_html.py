"""Raw HTML a manuscript may hold, made into what every format can carry: `<br>`, `<hr>` and
`<wbr>` as the elements they mean (DOCX drops raw HTML), the rest as well-formed XHTML (the
EPUB's content documents are XML: one `<br>` or `&thinsp;` copied as it is made one no reader
opened)."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from baikonur_pub import bibliography, config
from baikonur_pub.ast import walk
from baikonur_pub.manuscript import assemble
from baikonur_pub.pandoc import Pandoc
from conftest import checked, run_cli

TEXT = ("Versions:<br>1.0.0&thinsp;and <abbr title='Semantic &hellip; Versioning'>SemVer</abbr>"
        "<wbr>2.\n\n<hr>\n\nAfter the rule.\n\n"
        # blocks of raw HTML apart, as pandoc gives them: they nest across the chapter's blocks
        "<details>\n  <summary>Expand</summary>\n\n<p>Hidden text.</p>\n\n</details>")


def _with_text(root):
    chapter = root / "manuscript" / "en" / "02-two.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + TEXT + "\n", encoding="utf-8")
    return root


def test_br_hr_and_wbr_become_elements_and_the_rest_well_formed_xhtml(project):
    pub = config.load(_with_text(project("minimal")))
    edition = assemble(pub, pub.language("en"), Pandoc.locate(), bibliography.load(pub))
    kinds = [n["t"] for n in walk(edition.ast["blocks"])]
    assert "LineBreak" in kinds and "HorizontalRule" in kinds
    assert any(n["t"] == "Str" and n["c"] == "\u200b" for n in walk(edition.ast["blocks"]))
    raw = [n["c"][1] for n in walk(edition.ast["blocks"]) if n["t"] in ("RawInline", "RawBlock")]
    assert raw == ["<abbr title='Semantic &#8230; Versioning'>", "</abbr>", "<details>",
                   "<summary>", "</summary>", "<p>", "</p>", "</details>"]


@pytest.mark.slow  # pandoc's EPUB and EPUBCheck
def test_the_epub_of_raw_html_is_valid_and_the_docx_keeps_the_line_break(project):
    from baikonur_pub import validate
    from docx import Document

    root = _with_text(project("minimal"))
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "epub",
                     "--format", "docx", "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    epub = root / "dist" / "sample-en.epub"
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                etree.fromstring(archive.read(name))  # well-formed, or this raises
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages
    paragraphs = [p for p in Document(str(root / "dist" / "sample-en.docx")).paragraphs
                  if "Versions:" in p.text]
    assert paragraphs and paragraphs[0].text.startswith("Versions:\n1.0.0")
