"""Words and paragraphs in other scripts: each in its own face in every format, right to left
where it is written so. tests/roots/scripts: Arabic, Hebrew, Hindi, Thai and Armenian words in
the text, and an Arabic and a Hebrew paragraph (`::: {lang=… dir=rtl}`) in each language."""

from __future__ import annotations

import re
import zipfile

import pytest

from conftest import build_sample
from readers import pdf_fonts

pytestmark = pytest.mark.slow  # one build of the sample, in every format

ARABIC = "قاعدة بايكونور الفضائية مرحبا أُطلق أول قمر صناعي من عام، وهو سبوتنيك"
FACES = {"Amiri": ARABIC, "Noto-Sans-Hebrew": "שלום עולם השיגור הראשון היה ב",
         "Noto-Sans-Devanagari": "अंतरिक्ष", "Noto-Sans-Thai": "อวกาศ",
         "Noto-Sans-Armenian": "տիեզերք"}


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    return build_sample(tmp_path_factory, "scripts")


def test_each_script_is_drawn_by_its_own_face_in_the_pdf(dist):
    """Every letter of each script comes from the face fonts.yaml gives it (Amiri in its bold
    and italic too), and from no other."""
    for code in ("it", "en"):
        drawn = pdf_fonts(dist / f"scripts-{code}.pdf")
        for face, text in FACES.items():
            letters = {c for c in text if c.isalpha() or c == "،"}
            by_face = "".join(chars for name, chars in drawn.items() if name.startswith(face))
            assert letters <= set(by_face), (face, letters - set(by_face))
            others = "".join(chars for name, chars in drawn.items() if not name.startswith(face))
            assert not letters & set(others), (face, letters & set(others), drawn.keys())
        assert any(name.startswith("Amiri-Bold") for name in drawn)  # **سبوتنيك 1**
        assert any(name.startswith("Amiri-Italic") for name in drawn)  # *مرحبا*


def _lines(page) -> dict[str, tuple[float, float]]:
    """(left, right) in points of the line holding each of a few marker strings (pdfium)."""
    text = page.get_textpage()
    found = {}
    for marker in ("A Hebrew one", "Una ebraica", "השיגור", "سبوتنيك"):
        hit = text.search(marker).get_next()
        if not hit:
            continue
        box = text.get_charbox(hit[0])
        middle = (box[1] + box[3]) / 2  # glyphs of one line differ in height, not in this
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
        on_line = [b for b in boxes if b[2] > b[0] and b[1] <= middle <= b[3]]
        found[marker] = (min(b[0] for b in on_line), max(b[2] for b in on_line))
    return found


def test_a_right_to_left_paragraph_is_set_from_the_right_margin(dist):
    """pdfium's character boxes: the Hebrew and the Arabic paragraph each end at the same right
    edge (the text column's: the paragraphs are short, so a left-to-right one would end far
    from it) and start well right of the column's left edge, where the Latin line starts."""
    import pypdfium2

    for code, latin in (("en", "A Hebrew one"), ("it", "Una ebraica")):
        document = pypdfium2.PdfDocument(dist / f"scripts-{code}.pdf")
        try:
            lines = next(found for page in document if len(found := _lines(page)) == 3)
        finally:
            document.close()
        left = lines[latin][0]
        hebrew, arabic = lines["השיגור"], lines["سبوتنيك"]
        assert abs(hebrew[1] - arabic[1]) < 1.5, lines
        assert hebrew[1] - lines[latin][1] > 150 and hebrew[0] - left > 100, lines


def test_the_epub_marks_the_paragraphs_right_to_left_and_embeds_each_face(dist):
    with zipfile.ZipFile(dist / "scripts-en.epub") as epub:
        names = epub.namelist()
        text = "".join(epub.read(n).decode() for n in names if n.endswith(".xhtml"))
        css = "".join(epub.read(n).decode() for n in names if n.endswith(".css"))
    assert re.search(r'<div lang="he" dir="rtl"[^>]*>\s*<p>שלום עולם', text)
    assert re.search(r'<div lang="ar" dir="rtl"[^>]*>\s*<p>أُطلق', text)
    for face in ("Amiri-Amiri-Regular", "Amiri-Amiri-Bold", "NotoSansHebrew", "NotoSansThai",
                 "NotoSansDevanagari", "NotoSansArmenian"):
        assert any(face in n for n in names), face
    assert '"Amiri"' in css


def test_the_docx_sets_the_paragraphs_right_to_left_in_each_face(dist):
    """Word: the paragraph `w:bidi`, its runs `w:rtl`, the face in every rFonts slot (the
    complex-script one, `w:cs`, is the one Word takes for Arabic and Hebrew) and embedded."""
    import docx

    document = docx.Document(str(dist / "scripts-en.docx"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for start, face in (("שלום", "Noto Sans Hebrew"), ("أُطلق", "Amiri")):
        (paragraph,) = [p for p in document.paragraphs if p.text.startswith(start)]
        assert paragraph._p.find(f"{w}pPr/{w}bidi") is not None
        assert all(r._r.find(f"{w}rPr/{w}rtl") is not None for r in paragraph.runs)
        runs = [r for r in paragraph.runs if any("\u0590" <= c <= "\u06ff" for c in r.text)]
        fonts = {r._r.find(f"{w}rPr/{w}rFonts").get(f"{w}cs") for r in runs}
        assert fonts == {face}, fonts
    with zipfile.ZipFile(dist / "scripts-en.docx") as package:
        table = package.read("word/fontTable.xml").decode()
    for face in ("Amiri", "Noto Sans Hebrew"):
        assert re.search(rf'<w:font w:name="{face}">.*?<w:embedRegular', table, re.S), face
