"""Words and paragraphs in other scripts: each in its own face in every format, right to left
where it is written so. tests/roots/scripts: Arabic, Hebrew, Hindi, Thai and Armenian words in
the text, and an Arabic and a Hebrew paragraph (`::: {lang=… dir=rtl}`) in each language."""

from __future__ import annotations

import re
import zipfile

import pytest

from conftest import build_sample, checked
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


def test_the_epubs_with_other_scripts_pass_epubcheck(dist, epubcheck_of):
    for code in ("it", "en"):
        result = checked(epubcheck_of, dist / f"scripts-{code}.epub")
        assert result.clean, result.messages


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


# --- a whole edition right to left: tests/roots/arabic, English and Arabic --------------------

@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    return build_sample(tmp_path_factory, "arabic")


def _spans(path, needles: tuple[str, ...]) -> tuple[float, dict[str, tuple[float, float]]]:
    """The page width, and (left, right) in points of the first place each of `needles` is
    found in the PDF at `path` (pdfium)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        found = {}
        for page in document:
            text = page.get_textpage()
            for needle in needles:
                hit = text.search(needle).get_next() if needle not in found else None
                if hit:
                    boxes = [text.get_charbox(i) for i in range(hit[0], hit[0] + hit[1])]
                    found[needle] = (min(b[0] for b in boxes), max(b[2] for b in boxes))
        return document[0].get_width(), found
    finally:
        document.close()


def test_an_arabic_edition_is_set_from_the_right_and_its_english_reference_from_the_left(arabic):
    """The Arabic PDF: `/Lang` ar-EG, pages side by side from right to left, the short title
    in the running head's right half; a short paragraph, a list item and a quotation end at the
    text column's right edge (85 pt from the page's right) and start far from its left edge; the
    reference entry, which starts with a Latin name, starts at the left edge."""
    import pikepdf
    import pypdf

    with pikepdf.open(arabic / "arabic-ar.pdf") as pdf:
        assert str(pdf.Root.Lang) == "ar-EG"
        assert pdf.Root.ViewerPreferences.Direction == "/R2L"  # two pages side by side: R to L
    with pikepdf.open(arabic / "arabic-en.pdf") as pdf:
        assert "/Direction" not in pdf.Root.ViewerPreferences
    width, found = _spans(arabic / "arabic-ar.pdf", ("فقرة ثانية", "الإطلاق الأول", "اقتباس"))
    right, left = width - 85, 85
    for needle in ("فقرة ثانية", "الإطلاق الأول", "اقتباس"):
        start, end = found[needle]
        assert end > right - 40 and start > left + 200, (needle, found)
    assert found["فقرة ثانية"][1] > right - 1.5  # a paragraph: flush with the column
    # pdfium reads a line mixing both directions in no fixed order: where pypdf sees the
    # entry's first run of text drawn (its x), it starts the line at the left edge
    drawn = []
    pypdf.PdfReader(arabic / "arabic-ar.pdf").pages[-1].extract_text(visitor_text=lambda text,
        cm, tm, font, size: drawn.append((text, tm[4] * cm[0] + cm[4])))
    (x,) = [x for text, x in drawn if text.startswith("Rossi, A.")]
    assert abs(x - left) < 1.5, drawn
    # the running head starts at the right too: the short title in its right half
    heads = [x for text, x in drawn if "تقرير تجريبي" in text]
    assert heads and all(x > width / 2 for x in heads), drawn


def test_arabic_text_reads_back_letter_for_letter(arabic):
    """pypdf's text of the Arabic PDF holds the title page's, the contents', the headings' and
    the running head's words as written: a face that draws letters as a dotless base plus dots
    (Noto Sans Arabic) read back "ةةرير ةبريبي" for تقرير تجريبي."""
    import pypdf

    text = " ".join(page.extract_text() for page in pypdf.PdfReader(arabic / "arabic-ar.pdf").pages)
    for words in ("تقرير تجريبي", "النسخة العربية", "المحتويات", "الفصل الأول", "الفصل الثاني",
                  "فقرة ثانية تحتوي على", "الإطلاق الأول", "المراجع"):
        assert words in text, words


def test_an_arabic_epub_turns_its_pages_leftwards_and_marks_every_document(arabic, epubcheck_of):
    with zipfile.ZipFile(arabic / "arabic-ar.epub") as epub:
        documents = {n: epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml")}
        opf = epub.read("EPUB/content.opf").decode()
    assert 'page-progression-direction="rtl"' in opf
    for name, text in documents.items():
        assert re.search(r'<html [^>]*dir="rtl"', text), name
    assert any('<code dir="ltr">ls -l</code>' in t for t in documents.values())
    assert any(re.search(r'class="csl-entry"[^>]*dir="ltr"', t) for t in documents.values())
    with zipfile.ZipFile(arabic / "arabic-en.epub") as epub:
        assert not any('dir="rtl"' in epub.read(n).decode() for n in epub.namelist()
                       if n.endswith((".xhtml", ".opf")))
    for code in ("ar", "en"):
        result = checked(epubcheck_of, arabic / f"arabic-{code}.epub")
        assert result.clean, result.messages


def test_an_arabic_docx_is_right_to_left_from_its_title_to_its_section(arabic):
    """Every paragraph `w:bidi` (title block, contents, running head and folio included) but
    the reference entry, which starts with a Latin name, and the code block, marked left to
    right (pandoc marked it right to left: its lines ran from the right); the section too."""
    import docx

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = docx.Document(str(arabic / "arabic-ar.docx")).element.body
    paragraphs = [p for p in body.iter(f"{w}p") if "".join(t.text or "" for t in p.iter(f"{w}t")).strip()]
    left_to_right = ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in paragraphs
                     if p.find(f"{w}pPr/{w}bidi") is None
                     or p.find(f"{w}pPr/{w}bidi").get(f"{w}val") in ("0", "false")]
    assert len(left_to_right) == 2 and left_to_right[0] == "ls -l /srv/launches", left_to_right
    assert left_to_right[1].startswith("Rossi"), left_to_right
    assert len(paragraphs) > 10
    assert body.find(f"{w}sectPr/{w}bidi") is not None
    with zipfile.ZipFile(arabic / "arabic-ar.docx") as package:
        for name in ("word/header1.xml", "word/footer1.xml"):  # the running head, the folio
            part = package.read(name).decode()
            assert part.count("<w:p>") + part.count("<w:p ") == part.count("<w:bidi/>") > 0, name
    english = docx.Document(str(arabic / "arabic-en.docx")).element.body
    assert english.find(f".//{w}bidi") is None


def test_libreoffice_sets_the_arabic_docx_from_the_right(arabic, tmp_path):
    """The Arabic DOCX as LibreOffice lays it out: the title and a short paragraph end at the
    right margin and start far from the left one; the English reference entry starts at the
    left margin."""
    from baikonur_pub import validate

    pdf = checked(validate.libreoffice_pdf, arabic / "arabic-ar.docx", tmp_path)
    width, found = _spans(pdf, ("تقرير تجريبي", "فقرة ثانية", "Journal of Samples", "/srv/launches"))
    assert set(found) == {"تقرير تجريبي", "فقرة ثانية", "Journal of Samples", "/srv/launches"}, found
    for needle in ("تقرير تجريبي", "فقرة ثانية"):
        start, end = found[needle]
        assert end > width * 0.75 and start > width * 0.5, (needle, found)
    assert found["Journal of Samples"][0] < width * 0.5, found
    assert found["/srv/launches"][1] < width * 0.5, found  # the code line, from the left


def test_japanese_text_is_set_ragged_not_stretched_at_its_latin_words(tmp_path):
    """WeasyPrint justifies by widening spaces only; in Japanese, which has none between words,
    a justified line opened gaps around its few Latin words (a real translation's pages showed
    them). Set ragged, every space after "JavaScript" keeps its one natural width, 3.7 pt at
    10.5 pt type; justified, they measured 5.4 to 8.6 pt (pdfium boxes)."""
    import pypdfium2

    from conftest import copy_project, run_cli

    root = copy_project("minimal", tmp_path / "p")
    config_file = root / "manuscript" / "publication.yaml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("locale: en-US",
                                                                           "locale: ja-JP"))
    chapter = root / "manuscript" / "en" / "02-two.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + "JavaScript は当初、Web ペ"
                       "ージを活かすために作られました。この言語のプログラムはスクリプトと呼ばれます。" * 4
                       + "\n", encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--lang", "en",
                     "--no-check", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    document = pypdfium2.PdfDocument(tmp_path / "out" / "sample-en.pdf")
    try:
        gaps = []
        for page in document:
            text = page.get_textpage()
            search = text.search("JavaScript")
            while hit := search.get_next():
                end = text.get_charbox(hit[0] + hit[1] - 1)[2]
                after = text.get_charbox(hit[0] + hit[1] + 1)[0]  # past the space: は
                gaps.append(after - end)
    finally:
        document.close()
    assert len(gaps) >= 4 and max(gaps) - min(gaps) < 0.1 and max(gaps) < 4.5, gaps


def test_the_review_document_sets_each_arabic_cell_right_to_left(arabic):
    """The bilingual review DOCX, side by side: a cell whose text starts in Arabic is `w:bidi`
    with `w:rtl` runs and Arabic as their complex-script language; an English cell is not."""
    import docx

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = docx.Document(str(arabic / "arabic-review-ar.docx")).element.body
    cells = [(p, "".join(t.text or "" for t in p.iter(f"{w}t"))) for p in body.iter(f"{w}p")
             if any(a.tag == f"{w}tc" for a in p.iterancestors())]
    arabic_cells = [p for p, text in cells if text[:1] and "\u0600" <= text[0] <= "\u06ff"]
    latin_cells = [p for p, text in cells if text[:1].isascii() and text.strip()]
    assert len(arabic_cells) >= 6 and len(latin_cells) >= 6
    for p in arabic_cells:
        assert p.find(f"{w}pPr/{w}bidi") is not None
        runs = list(p.iter(f"{w}r"))
        assert runs and all(r.find(f"{w}rPr/{w}rtl") is not None for r in runs)
        assert {r.find(f"{w}rPr/{w}lang").get(f"{w}bidi") for r in runs} == {"ar-EG"}
    assert not any(p.find(f"{w}pPr/{w}bidi") is not None for p in latin_cells)
