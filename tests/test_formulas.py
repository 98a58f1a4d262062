"""TeX formulas in every format: drawn in the PDF, MathML in the EPUB, Word's math in the DOCX;
never the TeX source. tests/roots/content/manuscript/*/02-*.md hold `$v = \\sqrt{GM/r}$`, `$h$`,
`$R$` and a display formula."""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pypdf
import pytest

# The tests of tests/roots/content share its one build (see test_code.py).
pytestmark = pytest.mark.xdist_group("content")

FORMULAS = {"v = \\sqrt{GM/r}", "h", "R", "T = 2\\pi \\sqrt{\\frac{(R + h)^3}{GM}}"}


def _formulas(pdf: pikepdf.Pdf) -> list[str]:
    """The Alt of every Formula element of the structure tree, in order."""
    found = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Formula":
                found.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot)
    return found


def _raster(path, scale: float, first: str, *others: str):
    """The page holding `first`, rasterised by pdfium in grey at `scale`: (image, its width and
    height in points, each text's (first, last) character box on it, PDF points, y up)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        for page in document:
            text = page.get_textpage()
            if text.search(first).get_next():
                boxes = {}
                for needle in (first, *others):
                    start, count = text.search(needle).get_next()
                    boxes[needle] = (text.get_charbox(start), text.get_charbox(start + count - 1))
                image = page.render(scale=scale).to_pil().convert("L")
                return image, page.get_width(), page.get_height(), boxes
        pytest.fail(f"no page holds {first!r}")
    finally:
        document.close()


def test_formulas_are_tagged_formulas_with_their_tex_as_alternative_never_tex_text(content_dist):
    """PDF/UA-1 7.7: each formula a Formula element whose Alt is its TeX; the page's text
    (what a reader copies or searches) holds no TeX command."""
    for code in ("it", "en"):
        path = content_dist / f"sample-{code}.pdf"
        with pikepdf.open(path) as pdf:
            assert set(_formulas(pdf)) == FORMULAS
            assert len(_formulas(pdf)) == 4
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
        assert not re.search(r"\\(sqrt|frac|pi)|\$", text), text


def test_formulas_are_drawn_on_the_line_and_display_ones_centred(content_dist):
    """Rasterised with pdfium: ink between "orbit is" and the comma after the inline formula,
    within that line's height; the display formula below "takes" is inked in the middle of the
    text column and nowhere near either margin."""
    scale = 100 / 72
    image, width, height, boxes = _raster(content_dist / "sample-en.pdf", scale, "orbit is",
                                          ", and at height", "takes")
    is_box, comma_box, takes = boxes["orbit is"][1], boxes[", and at height"][0], boxes["takes"][0]
    pixels = image.load()

    def inked(left, top, right, bottom) -> list[tuple[int, int]]:  # PDF points, y up
        return [(x, y) for x in range(int(left * scale), int(right * scale))
                for y in range(int((height - top) * scale), int((height - bottom) * scale))
                if pixels[x, y] < 128]

    line_top, line_bottom = is_box[3] + 4, is_box[1] - 4
    assert comma_box[0] - is_box[2] > 20  # the formula takes room on the line
    assert len(inked(is_box[2] + 2, line_top, comma_box[0] - 1, line_bottom)) > 30
    below = inked(0, takes[1] - 2, width, takes[1] - 60)
    assert below, "the display formula is not drawn"
    xs = [x / scale for x, _ in below]
    column_left, column_right = width / 6, width * 5 / 6
    assert min(xs) > column_left + 40 and max(xs) < column_right - 40
    assert abs((min(xs) + max(xs)) / 2 - width / 2) < 30


def test_tex_math_is_mathml_in_the_epub_and_word_math_in_the_docx(content_dist):
    """EPUB 3 reading systems render MathML (EPUBCheck: see test_crossref, which checks these
    EPUBs); Word its own math. Neither may show the TeX source."""
    for code in ("it", "en"):
        with zipfile.ZipFile(content_dist / f"sample-{code}.epub") as epub:
            texts = {n: epub.read(n).decode() for n in epub.namelist() if n.endswith((".xhtml", ".opf"))}
        (chapter,) = [t for n, t in texts.items() if "<math" in t]
        assert re.search(r"<math [^>]*display=\"inline\".*<msqrt>", chapter, re.S)
        assert re.search(r"<math [^>]*display=\"block\".*<mfrac>", chapter, re.S)
        assert "\\sqrt" not in re.sub(r"<annotation.*?</annotation>", "", chapter, flags=re.S)
        (opf,) = [t for n, t in texts.items() if n.endswith(".opf")]
        assert re.search(r'properties="[^"]*mathml', opf)
        with zipfile.ZipFile(content_dist / f"sample-{code}.docx") as docx:
            document = docx.read("word/document.xml").decode()
        assert "<m:oMath>" in document and "<m:rad>" in document and "<m:f>" in document
        assert "\\sqrt" not in document


@pytest.mark.slow  # pandoc and WeasyPrint: one PDF
def test_an_inline_formula_wider_than_the_column_shrinks_into_it(project):
    """`$a_1 + … + a_{40}$` in the running text: drawn whole inside the text column, on a line
    of its own, scaled down with its proportions (WeasyPrint fits a replaced element to the
    line; this guards that the formula's size, given in em, never takes that away)."""
    from conftest import append, draft

    root = project("minimal")
    wide = " + ".join(f"a_{{{i}}}" for i in range(1, 41))
    append(root, "en/02-two.md", f"\nThe sum ${wide}$ ends here.\n")
    scale = 100 / 72
    image, width, height, boxes = _raster(draft(root, "en", "pdf") / "sample-en.pdf", scale, "The sum")
    sum_box = boxes["The sum"][0]
    pixels = image.load()
    column_right = width - 30 * 72 / 25.4  # styles/pdf.css: 30 mm side margins
    outside = [x for x in range(int((column_right + 2) * scale), image.size[0])
               for y in range(int((height - sum_box[3] - 20) * scale), int((height - sum_box[1] + 20) * scale))
               if pixels[x, y] < 128]
    assert not outside, f"ink past the column, from x={min(outside) / scale:.0f} pt"
    inside = [x for x in range(int(sum_box[2] * scale), int(column_right * scale))
              for y in range(int((height - sum_box[3]) * scale), int((height - sum_box[1]) * scale))
              if pixels[x, y] < 128]
    assert inside, "the formula is not drawn on the line"


@pytest.mark.slow  # pandoc and WeasyPrint: one PDF
def test_words_of_other_scripts_in_a_formula_are_drawn_in_the_texts_font(project):
    """`$\\text{速度}$`: the math font has no Han, so the formula borrows the glyphs of the font
    that sets 速度 in the text (Noto Serif JP). Drawn at the text's size, the formula's ink
    matches the text's; an empty box (the math font's) would leave none."""
    from conftest import append, draft

    root = project("minimal")
    append(root, "en/02-two.md", "\nIn the text 速度 and in a formula: $\\text{速度}$ ends here.\n")
    pdf = draft(root, "en", "pdf") / "sample-en.pdf"
    with pikepdf.open(pdf) as document:
        assert "\\text{速度}" in _formulas(document)
    scale = 200 / 72
    image, _, height, boxes = _raster(pdf, scale, "速度", "formula:", "ends here")
    pixels = image.load()

    def ink(left: float, right: float, box) -> int:
        top, bottom = height - box[3] - 2, height - box[1] + 2  # the line, a little more
        return sum(pixels[x, y] < 128 for x in range(int(left * scale), int(right * scale))
                   for y in range(int(top * scale), int(bottom * scale)))

    text_first, text_last = boxes["速度"]
    in_text = ink(text_first[0] - 0.5, text_last[2] + 0.5, text_first)
    in_formula = ink(boxes["formula:"][1][2] + 0.5, boxes["ends here"][0][0] - 0.5, text_first)
    assert in_text > 200
    assert 0.7 < in_formula / in_text < 1.4, (in_formula, in_text)


@pytest.mark.slow  # pandoc and WeasyPrint: one PDF
def test_a_pdf_holds_as_many_formulas_as_the_configuration_allows(project):
    """Each formula costs a build about 16 ms and 0.2 MB to draw, so one language's PDF holds at
    most `pdf.max-formulas` (1,000): a real math book holds more (1,799 in ten lectures of one)
    and could not be built at all. One formula more than allowed is a located error before any
    drawing, and nothing is written; as many as allowed are each a Formula of the PDF."""
    from conftest import append, draft, run_cli

    root = project("minimal")
    append(root, "en/02-two.md", "\n" + " ".join(f"Term $x_{{{i}}}$." for i in range(5)) + "\n")
    config = root / "manuscript" / "publication.yaml"
    written = config.read_text(encoding="utf-8")
    config.write_text(written + "pdf:\n  max-formulas: 4\n", encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "pdf",
                     "--no-check", "--out", str(root / "dist"))
    assert result.exit_code == 1
    lines = (root / "manuscript/en/02-two.md").read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines, 1) if "$x_{4}$" in line)
    assert re.search(rf"^manuscript/en/02-two\.md:{at}: 5 formulas: more than the 4 one "
                     r"language's PDF may hold \(pdf\.max-formulas: 4 in publication\.yaml\)",
                     result.output, re.M), result.output
    assert "rendering sample-en.pdf" not in result.output  # told after the parse, before the PDF
    assert not list((root / "dist").glob("*.pdf"))
    config.write_text(written + "pdf:\n  max-formulas: 5\n", encoding="utf-8")
    with pikepdf.open(draft(root, "en", "pdf") / "sample-en.pdf") as pdf:
        assert [f"x_{{{i}}}" for i in range(5)] == [f for f in _formulas(pdf) if f.startswith("x_")]


@pytest.mark.parametrize("value", ["0", "2.5", "many", "100001"])
def test_max_formulas_must_be_a_whole_number_in_range(project, value):
    from conftest import run_cli

    root = project("minimal")
    config = root / "manuscript" / "publication.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"pdf:\n  max-formulas: {value}\n",
                      encoding="utf-8")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    line = len(config.read_text(encoding="utf-8").splitlines())
    assert f"manuscript/publication.yaml:{line}: 'max-formulas' must be a whole number from 1 to " \
           "100,000" in result.output, result.output
