"""The bilingual review DOCX read back with python-docx: a table per pair of sections, one row
per block the cross-check aligned (its texts in order, an empty side shaded), a comment for each
unwaived finding; LibreOffice converts it.

tests/roots/facing has paragraphs on one side only (findings) and one waived finding.
"""

from __future__ import annotations

import json

import docx
import pypdf
import pytest

from baikonur_pub import bibliography, config, parity, validate
from baikonur_pub.manuscript import assemble
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parity import checks, sections_of
from baikonur_pub.parity.align import align
from conftest import build_sample, built_twice, checked
from readers import norm

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    return build_sample(tmp_path_factory, "facing", "docx")


@pytest.fixture(scope="module")
def aligned(dist):
    """The cross-check's own view: (section pairs with their aligned blocks, findings)."""
    pub = config.load(dist.parent)
    bib = bibliography.load(pub)
    eds = {c: assemble(pub, pub.language(c), Pandoc.locate(), bib) for c in pub.codes}
    pair = checks.Pair("it", "en", align(sections_of(eds["it"]), sections_of(eds["en"])))
    blocks = [(s, t, pair.blocks(s, t) if s and t else
               [(u, None) for u in s.parts] if s else [(None, u) for u in t.parts])
              for s, t in pair.alignment.pairs]
    return blocks, parity.check_project(pub, eds).findings


def shaded(cell) -> bool:
    shading = cell._tc.find(f"{W}tcPr/{W}shd")
    return shading is not None and shading.get(f"{W}fill") not in (None, "auto", "FFFFFF")


@pytest.mark.slow
def test_one_table_per_section_and_one_row_per_aligned_block_in_order(dist, aligned):
    document = docx.Document(str(dist / "duo-review-en.docx"))
    blocks, _ = aligned
    assert len(document.tables) == len(blocks)
    for table, (s, t, units) in zip(document.tables, blocks):
        rows = table.rows[1:]  # the first row names the languages
        assert [c.text for c in table.rows[0].cells] == ["italiano", "inglese"]
        assert len(rows) == len(units)
        for row, (a, b) in zip(rows, units):
            left, right = row.cells
            assert norm(left.text) == (norm(a.shown) if a else "")
            assert norm(right.text) == (norm(b.shown) if b else "")
            assert shaded(left) == (a is None) and shaded(right) == (b is None)


@pytest.mark.slow
def test_blocks_on_one_side_only_leave_the_other_cell_empty_and_shaded(dist):
    document = docx.Document(str(dist / "duo-review-en.docx"))
    cells = [row.cells for table in document.tables for row in table.rows[1:]]
    empty_left = [r for l, r in cells if not l.text and shaded(l)]
    empty_right = [l for l, r in cells if not r.text and shaded(r)]
    assert len(empty_left) == 27  # sec-long-english: 27 more English paragraphs (one waived)
    assert len(empty_right) == 4  # sec-long: 4 more Italian paragraphs
    assert all(c.text.startswith("Paragraph") for c in empty_left)


@pytest.mark.slow
def test_every_unwaived_finding_is_a_comment_on_the_row_it_concerns(dist, aligned):
    document = docx.Document(str(dist / "duo-review-en.docx"))
    _, findings = aligned
    unwaived = [f for f in findings if not f.waived and f.lang in ("it", "en")]
    comments = list(document.comments)
    assert len(comments) == len(unwaived) > 20
    assert sorted(c.text for c in comments) == sorted(
        f"{f.severity}: {f.message} [{f.code}] ({f.file}:{f.line})" for f in unwaived)
    # a block-extra comment sits on the row of the paragraph it quotes
    body = document.element.body
    for row in body.iter(f"{W}tr"):
        starts = row.findall(f".//{W}commentRangeStart")
        text = "".join(t.text or "" for t in row.iter(f"{W}t"))
        for start in starts:
            comment = document.comments.get(int(start.get(f"{W}id")))
            if "block-extra" in comment.text:
                quoted = comment.text.split("“", 1)[1].split("…", 1)[0][:40]
                assert quoted in text


@pytest.mark.slow
def test_headings_citations_and_languages_are_kept(dist):
    document = docx.Document(str(dist / "duo-review-en.docx"))
    assert all(t.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None for t in document.tables)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1 Capitolo breve / Short chapter" in headings
    assert "1.1 Sezione annidata / Nested section" in headings
    text = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "(Verdi 2021)" in text
    langs = {(lang.get(f"{W}val")) for lang in document.element.body.iter(f"{W}lang")}
    assert langs == {"it-IT", "en-US"}


@pytest.mark.slow
def test_libreoffice_opens_the_review_document(dist, tmp_path):
    pdf = checked(validate.libreoffice_pdf, dist / "duo-review-en.docx", tmp_path)
    reader = pypdf.PdfReader(pdf)
    text = norm(" ".join(p.extract_text() for p in reader.pages))
    for needle in ("Capitolo lungo / Long chapter", "Paragrafo 30", "Paragraph 31", "(Verdi 2021)"):
        assert needle in text
    # set in the publication's faces, embedded in the DOCX, never in a fallback
    fonts = {str(font["/BaseFont"]).split("+")[-1] for page in reader.pages
             for font in (page["/Resources"].get("/Font") or {}).values()}
    assert {"SourceSerifPro-Regular", "SourceSansPro-Bold"} <= fonts, fonts
    assert all(name.startswith("Source") for name in fonts), fonts


@pytest.mark.slow
def test_review_document_is_byte_identical_across_builds(tmp_path_factory, tmp_path):
    a, b = built_twice(tmp_path_factory, tmp_path, "docx", "en", "facing", "duo-review-en.docx")
    assert a.read_bytes() == b.read_bytes()
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["duo-review-en.docx"]["format"] == "review"


@pytest.mark.slow
def test_a_waiver_edit_rebuilds_the_review_document_only(tmp_path):
    """The review document shows the cross-check's findings, the other artifacts do not: a
    changed waiver rebuilds it alone; an edited translation rebuilds that language's artifacts
    and both bilingual ones."""
    from baikonur_pub import build
    from conftest import copy_project

    root = copy_project("facing", tmp_path / "p")
    build.build(config.load(root))
    waivers = root / "manuscript" / "parity-waivers.yaml"
    waivers.write_text(waivers.read_text(encoding="utf-8").replace("on purpose", "by design"),
                       encoding="utf-8")
    result = build.build(config.load(root))
    assert [(a.lang, a.fmt) for a in result.built] == [("en", "review")]
    chapter = root / "manuscript" / "en" / "01-short.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    result = build.build(config.load(root))
    assert sorted((a.lang, a.fmt) for a in result.built) == [
        ("en", "docx"), ("en", "epub"), ("en", "facing"), ("en", "pdf"), ("en", "review")]


@pytest.mark.slow
def test_thousands_of_findings_are_counted_and_the_first_thousand_are_comments(project):
    """python-docx reads every comment written to number the next, and each finding was placed
    by searching every row: 20,000 paragraphs on one side only hung the build (minutes past the
    hostile harness's 90 s). The first MAX_COMMENTS findings are comments; the intro counts all."""
    import re

    from baikonur_pub.render.review import MAX_COMMENTS
    from conftest import append, draft

    root = project("minimal")
    append(root, "en/02-two.md", "".join(f"\nParagraph {i} of the English alone.\n"
                                         for i in range(MAX_COMMENTS + 200)))
    document = docx.Document(str(draft(root, "en", "docx") / "sample-review-en.docx"))
    assert len(document.comments) == MAX_COMMENTS
    intro = next(p.text for p in document.paragraphs if "findings of the cross-check" in p.text)
    found = re.search(rf"(\d+) findings of the cross-check, the first {MAX_COMMENTS} as comments "
                      r"\(baikonur-pub check lists them all\)", intro)
    assert found and int(found.group(1)) >= MAX_COMMENTS + 200, intro
    first = next(iter(document.comments))
    assert "Paragraph 0 of the English alone" in first.text, first.text
