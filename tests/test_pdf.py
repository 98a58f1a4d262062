"""The PDF as a document: fonts, outline, contents page numbers, metadata, links, glyph coverage.

Read back with pypdf; the proof test uses poppler's pdftoppm. Page zones: running heads lie
within 18 mm of the top edge, folios within 20 mm of the bottom (see styles/pdf.css).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from baikonur_pub import __version__, bibliography, config
from baikonur_pub.ast import cite_keys
from baikonur_pub.manuscript import assemble
from baikonur_pub.pandoc import Pandoc
from conftest import REPO, append, build_sample, draft, need, run_cli, tree_hash
from readers import MM, norm, pdf_pages

PUB = config.load(REPO)
LOCALE_DATES = {"it": "15 maggio 2025", "en": "May 15, 2025"}  # CLDR's long form of each locale


def squash(text: str) -> str:
    """Text without any whitespace: extraction spacing around inline-blocks varies."""
    return re.sub(r"\s+", "", text)


def zones(page) -> tuple[str, str, str]:
    """(running head, body, foot) text of a page, split by distance from the edges."""
    height = float(page.mediabox.height)
    parts: dict[str, list[str]] = {"head": [], "body": [], "foot": []}

    def visit(text, cm, tm, font, size):
        if not text.strip():
            parts["body"].append(text)
            return
        y = tm[5] * cm[3] + cm[5]
        zone = "head" if y > height - 18 * MM else "foot" if y < 20 * MM else "body"
        parts[zone].append(text)

    page.extract_text(visitor_text=visit)
    return tuple(norm("".join(parts[z])) for z in ("head", "body", "foot"))


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, depth first."""
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))
    walk(reader.outline, 1)
    return found


def link_annotations(reader: pypdf.PdfReader):
    """(page number, annotation) of every link annotation."""
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                yield number, annot


def edition(pub, code):
    return assemble(pub, pub.language(code), Pandoc.locate(), bibliography.load(pub))


def build_pdfs(root: Path, out: Path) -> Path:
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def features(tmp_path_factory) -> tuple[config.Publication, Path]:
    """tests/roots/pdf-features (footnotes, subsections, quotes) built once for the session."""
    dist = build_sample(tmp_path_factory, "pdf-features", "pdf")  # once for all xdist workers
    return config.load(dist.parent), dist


def reader_of(dist: Path, pub, code) -> pypdf.PdfReader:
    return pypdf.PdfReader(dist / f"{pub.slug}-{code}.pdf")


# --- the shipped report -------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_every_font_is_a_packaged_face_embedded_as_a_subset(shipped_dist, code):
    reader = reader_of(shipped_dist, PUB, code)
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[font["/BaseFont"]] = descriptor
    assert fonts
    for name, descriptor in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+Source-(Serif|Sans)-Pro(-[A-Za-z-]+)?", name), name
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
    families = {re.sub(r"-(Bold|Italic|Semi-Bold).*", "", n.split("+")[1]) for n in fonts}
    assert families == {"Source-Serif-Pro", "Source-Sans-Pro"}


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_outline_mirrors_the_section_headings(shipped_dist, code):
    reader = reader_of(shipped_dist, PUB, code)
    expected = [(h.level, f"{h.number} {h.title}".strip()) for h in edition(PUB, code).headings]
    assert [(level, title) for level, title, _ in outline(reader)] == expected


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_contents_page_numbers_are_the_pages_headings_appear_on(shipped_dist, code):
    reader = reader_of(shipped_dist, PUB, code)
    pages = [zones(p) for p in reader.pages]
    toc_links = {a["/Dest"] for n, a in link_annotations(reader) if n == 2}
    toc = squash(pages[1][1])  # the contents precede the abstract, as in EPUB and DOCX
    entries = [h for h in edition(PUB, code).headings if h.id in toc_links]
    assert len(entries) == len(toc_links) >= 8
    labels = [squash(f"{h.number}{h.title}") for h in entries]
    starts = [toc.index(label) for label in labels]
    assert starts == sorted(starts)
    for i, (heading, label) in enumerate(zip(entries, labels)):
        end = starts[i + 1] if i + 1 < len(starts) else len(toc)
        printed = re.fullmatch(r"\.*(\d+)", toc[starts[i] + len(label):end])
        assert printed, f"no page number after {label}: {toc}"
        found = next(n for n, (_, body, _) in enumerate(pages[2:], 3) if label in squash(body))
        assert int(printed.group(1)) == found, heading.title
        assert pages[found - 1][2] == str(found)  # the folio printed on that page


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_running_heads_and_folios_on_body_pages_not_on_the_title_page(shipped_dist, code):
    lang = PUB.language(code)
    pages = [zones(p) for p in reader_of(shipped_dist, PUB, code).pages]
    assert pages[0][0] == pages[0][2] == ""
    for number, (head, body, foot) in enumerate(pages[3:], 4):
        assert head.startswith(lang.short_title), head
        assert foot == str(number)
        assert body


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_metadata_and_document_language(shipped_dist, code):
    reader = reader_of(shipped_dist, PUB, code)
    lang = PUB.language(code)
    meta = reader.metadata
    assert meta.title == lang.title
    assert meta.author == ", ".join(PUB.author)
    assert meta.subject == lang.subtitle
    assert meta["/Keywords"] == ", ".join(lang.keywords or PUB.keywords)
    assert meta.creator == f"baikonur-pub {__version__}"
    assert meta.creation_date == dt.datetime(PUB.date.year, PUB.date.month, PUB.date.day,
                                             tzinfo=dt.timezone.utc)
    assert meta["/ModDate"] == meta["/CreationDate"]
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang.locale
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_title_page_shows_the_date_in_the_locale_form_and_links_the_other_edition(shipped_dist, code):
    assert PUB.date == dt.date(2025, 5, 15)
    reader = reader_of(shipped_dist, PUB, code)
    assert LOCALE_DATES[code] in norm(reader.pages[0].extract_text())
    others = {f"{PUB.slug}-{c}.pdf" for c in PUB.codes if c != code}
    actions = [a["/A"] for n, a in link_annotations(reader) if n == 1 and "/A" in a]
    assert all(action["/S"] == "/GoToR" for action in actions)  # a file beside this one
    assert {action["/F"]["/UF"] for action in actions} == others


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_citation_links_land_on_their_reference_entries(shipped_dist, code):
    reader = reader_of(shipped_dist, PUB, code)
    title = PUB.language(code).references_title
    refs_page = max(n for n, p in enumerate(reader.pages, 1) if title in zones(p)[1])
    targets = [a["/Dest"] for n, a in link_annotations(reader) if str(a.get("/Dest", "")).startswith("ref-")]
    assert {t.removeprefix("ref-") for t in targets} == set(cite_keys(edition(PUB, code).ast["blocks"]))
    for target in targets:
        destination = reader.named_destinations[target]
        assert reader.get_destination_page_number(destination) + 1 == refs_page, target


# --- sample projects ----------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", ["it", "en"])
def test_footnotes_are_set_at_the_foot_of_the_page_that_calls_them(features, code):
    pub, dist = features
    note, call = {"it": ("Seconda nota, breve.", "tra virgolette"),
                  "en": ("Second note, short.", "in quotes")}[code]
    pages = [zones(p)[1] for p in reader_of(dist, pub, code).pages]
    with_call = [n for n, body in enumerate(pages) if call in body]
    with_note = [n for n, body in enumerate(pages) if note in body]
    assert with_call == with_note and len(with_note) == 1
    assert pages[with_note[0]].endswith(note)  # notes close the page's body text
    assert not any(note in body for body in pages[with_note[0] + 1:])  # not gathered at the end


@pytest.mark.slow
def test_the_notes_sit_under_a_rule_not_on_a_painted_band(features):
    """The page with a note, rasterised: in the 12 mm above the notes' first line a rule runs
    across the text column (one or two rows, anti-aliased), and from there to the notes' last
    line no row is mostly the rule's grey (#9aa3ad): a background drawn as a short rule once
    filled the whole footnote area, and the notes sat on a grey band."""
    import pypdfium2

    pub, dist = features
    scale = 100 / 72
    document = pypdfium2.PdfDocument(dist / f"{pub.slug}-en.pdf")
    try:
        for page in document:
            text = page.get_textpage()
            first = text.search("A footnote that also cites").get_next()
            if first:
                last = text.search("Second note, short.").get_next()
                top = page.get_height() - text.get_charbox(first[0])[3]
                bottom = page.get_height() - text.get_charbox(last[0])[1]
                image = page.render(scale=scale).to_pil().convert("RGB")
                break
    finally:
        document.close()
    pixels, width = image.load(), image.size[0]

    def share(row: int, test) -> float:  # of the text column's pixels in `row`
        left, right = width // 6, width * 5 // 6
        return sum(test(pixels[x, row]) for x in range(left, right)) / (right - left)

    above = range(int((top - 12 * MM) * scale), int(top * scale))
    ruled = [r for r in above if share(r, lambda p: max(p) < 250) > 0.6]
    notes = range(above.start, int(bottom * scale) + 1)
    grey = [r for r in notes if share(r, lambda p: all(abs(a - b) <= 12 for a, b in
                                                       zip(p, (154, 163, 173)))) > 0.5]
    assert 1 <= len(ruled) <= 2, ruled
    assert len(grey) <= 2, grey


@pytest.mark.slow
def test_quotation_marks_follow_the_language(features):
    pub, dist = features
    it = norm(" ".join(zones(p)[1] for p in reader_of(dist, pub, "it").pages))
    en = norm(" ".join(zones(p)[1] for p in reader_of(dist, pub, "en").pages))
    assert "«tra virgolette»" in it
    assert "“in quotes”" in en


@pytest.mark.slow
def test_subsections_are_listed_in_contents_and_outline(features):
    pub, dist = features
    reader = reader_of(dist, pub, "en")
    assert [(lvl, t) for lvl, t, _ in outline(reader)] == [
        (1, "Abstract"), (1, "1 First chapter"), (2, "1.1 A subsection"),
        (2, "1.2 Another subsection"), (1, "2 Second chapter"), (1, "References")]
    toc = squash(zones(reader.pages[1])[1])
    assert "1.1Asubsection" in toc and "1.2Anothersubsection" in toc


@pytest.mark.slow
def test_pdf_a_3b_is_selectable_in_publication_yaml(project, tmp_path):
    root = project("minimal")
    config_file = root / "manuscript/publication.yaml"
    config_file.write_text(config_file.read_text() + "pdf:\n  variant: pdf/a-3b\n")
    dist = build_pdfs(root, tmp_path / "out")
    xmp = pypdf.PdfReader(dist / "sample-en.pdf").trailer["/Root"]["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part(>|=\")3", xmp) and re.search(rb"pdfaid:conformance(>|=\")B", xmp)


def fails_with(root: Path, pattern: str) -> None:
    out = root / "dist"
    before = tree_hash(out)
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--project", str(root),
                           "--format", "pdf"], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch(pattern, lines[0]), proc.stderr
    assert tree_hash(out) == before


@pytest.mark.slow  # a whole build in a subprocess
def test_character_outside_the_fonts_fails_naming_it_and_its_line(project):
    fails_with(project("pdf-glyph"), r"manuscript/en/02-two\.md:4: character 'Ꮳ' \(U\+13E3, "
                                     r"cherokee letter tsa\) is not covered by the fonts")


@pytest.mark.slow  # a whole build in a subprocess
def test_every_character_outside_the_fonts_is_listed_with_its_line(project):
    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\nA greeting, ᎣᏏᏲ, in a script no font has.\n")
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--project", str(root),
                           "--format", "pdf"], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.strip().splitlines() if "warning:" not in line]
    assert [line.split(": character ")[1][1] for line in lines] == ["Ꭳ", "Ꮟ", "Ᏺ"], lines
    assert all(line.startswith("manuscript/en/01-one.md:5: ") for line in lines), lines


def test_url_fetcher_serves_project_files_and_data_only(tmp_path):
    from baikonur_pub.render import weasy

    (tmp_path / "inside.css").write_text("p {}")
    fetcher = weasy.fetcher([tmp_path])
    fetcher.fetch((tmp_path / "inside.css").as_uri())
    fetcher.fetch("data:text/plain,ok")
    for url in ("file:///etc/hostname", (tmp_path / ".." / "x.css").resolve().as_uri(),
                "https://example.org/font.woff2"):
        with pytest.raises(ValueError, match="refusing"):
            fetcher.fetch(url)


@pytest.mark.slow
def test_proof_renders_every_page_and_a_contact_sheet_per_language(features, tmp_path):
    from PIL import Image

    need("pdftoppm")
    pub, dist = features
    result = run_cli("proof", "--project", str(pub.root), "--dist", str(dist), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    for code in pub.codes:
        count = len(reader_of(dist, pub, code).pages)
        pages = sorted((tmp_path / f"{pub.slug}-{code}").glob("page-*.png"))
        assert len(pages) == count
        sheet, page = Image.open(tmp_path / f"{pub.slug}-{code}.png"), Image.open(pages[0])
        assert sheet.width > min(count, 4) * page.width and sheet.height > page.height


@pytest.mark.slow  # a PDF built
def test_nested_lists_use_bullets_the_fonts_have(project, tmp_path, monkeypatch):
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    from baikonur_pub import build

    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\nLead-in:\n\n- a\n    - b\n        - c\n")
    build.build(config.load(root), langs=("en",), formats=("pdf",), jobs=1)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(root / "dist/sample-en.pdf").pages)
    assert all(mark in text for mark in "•–·")  # and the glyph check let the build pass


@pytest.mark.slow
def test_a_table_wider_than_the_page_shrinks_into_the_text_column(project, tmp_path, monkeypatch):
    """Ten columns of words and unbroken URLs: WeasyPrint laid the table out at its words'
    widths and the last three columns ran off the page, cut. Cells may now break anywhere
    (hyphenated where a word allows): every column's marker lies inside the text column
    (pdfium's boxes), and the URL's end ("html") is there in every column."""
    import pypdfium2

    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    from baikonur_pub import build

    root = project("minimal")
    cells = range(10)
    table = "\n".join(["| " + " | ".join(f"Column heading {i}" for i in cells) + " |",
                       "|" + "---|" * 10,
                       "| " + " | ".join(f"m{i}" for i in cells) + " |",
                       "| " + " | ".join("https://example.org/a/very/long/path/index.html"
                                         for _ in cells) + " |"])
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\n" + table + "\n")
    build.build(config.load(root), langs=("en",), formats=("pdf",), jobs=1)
    document = pypdfium2.PdfDocument(root / "dist/sample-en.pdf")
    try:
        width = document[0].get_width()
        boxes, ends = {}, 0
        for page in document:
            text = page.get_textpage()
            for i in cells:
                if hit := text.search(f"m{i}", match_whole_word=True).get_next():
                    boxes[i] = text.get_charbox(hit[0] + 1)
            ends += sum(1 for _ in iter(text.search("html").get_next, None))
    finally:
        document.close()
    assert sorted(boxes) == list(cells), boxes
    assert all(85 - 1 < box[0] and box[2] < width - 85 + 1 for box in boxes.values()), boxes
    assert ends == 10


@pytest.mark.slow
def test_a_table_taller_than_a_page_starts_under_its_caption_and_repeats_its_header(
        project, tmp_path, monkeypatch):
    """Kept whole (`break-inside: avoid`), a table taller than a page was moved to the next
    page and its caption left alone on the one before. It now breaks between rows, as
    LaTeX's longtable does: the caption's page holds the first rows, and the next page opens
    with the header again."""
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    from baikonur_pub import build

    root = project("minimal")
    rows = [f"| row{i} | {'a cell of several words that wraps in its narrow column ' * 2}| x |"
            for i in range(40)]
    chapter = root / "manuscript/en/02-two.md"
    chapter.write_text(chapter.read_text() + "\n" + "\n".join(
        ["| Heading | Text | More |", "|---|---|---|", *rows]) + "\n\n: A tall table\n")
    build.build(config.load(root), langs=("en",), formats=("pdf",), jobs=1)
    pages = pdf_pages(root / "dist/sample-en.pdf")
    (caption,) = [i for i, page in enumerate(pages) if "A tall table" in page]
    assert "row0" in pages[caption] and "row1" in pages[caption]
    following = [page for page in pages[caption + 1:] if "row39" in page or "row20" in page]
    assert following and all(page.lstrip().startswith("Heading") for page in following), following


@pytest.mark.slow
def test_a_definition_stands_indented_under_its_term(project, tmp_path, monkeypatch):
    """A definition list (`Term` / `:   its definition`), as glossaries and option lists are
    written: the definition was set at the term's margin, the two read as one column. pdfium's
    boxes: the definition starts 1.6 em (about 17 pt) right of its term."""
    import pypdfium2

    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    from baikonur_pub import build

    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    definition = "Zeroth definition words " * 12
    chapter.write_text(chapter.read_text() + f"\nQuasiterm\n\n:   {definition}\n")
    build.build(config.load(root), langs=("en",), formats=("pdf",), jobs=1)
    document = pypdfium2.PdfDocument(root / "dist/sample-en.pdf")
    try:
        for page in document:
            text = page.get_textpage()
            if term := text.search("Quasiterm").get_next():
                term_left = text.get_charbox(term[0])[0]
                lines = [text.get_charbox(hit[0])[0] for hit in
                         iter(text.search("Zeroth", match_whole_word=True).get_next, None)]
                break
        else:
            pytest.fail("no page holds the term")
    finally:
        document.close()
    starts = sorted(set(round(x) for x in lines))
    assert starts[0] - term_left > 12, (term_left, starts)  # the definition's left edge


@pytest.mark.slow
def test_a_task_list_sets_each_box_on_the_line_of_its_item(project):
    """`- [ ] item`: pandoc writes a form checkbox, which WeasyPrint set on a line of its own
    after a bullet; the PDF has the box as text, hung before the item (☑ when done), and no
    form field. An emoji with its presentation selector (❤️: U+2764 U+FE0F) needs no glyph
    for the selector."""
    from conftest import append, draft

    root = project("minimal")
    append(root, "en/02-two.md", "\n- [ ] Does it have a licence?\n- [x] Is it maintained?\n\n"
                                 "Community is the \u2764\ufe0f of it.\n")
    reader = pypdf.PdfReader(draft(root, "en", "pdf") / "sample-en.pdf")
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    assert "☐ Does it have a licence?" in lines and "☑ Is it maintained?" in lines
    assert not any(line.startswith("•") for line in lines)
    assert not any(page.get("/Annots") and any(a.get_object().get("/FT") for a in page["/Annots"])
                   for page in reader.pages)


@pytest.mark.slow
def test_a_paragraph_leading_into_code_stays_on_its_page(project):
    """"The response is:" followed by a code block: at every foot of a page it may reach (one
    more filler paragraph each time), it is never left alone, its code on the next page."""
    root = project("minimal")
    code = "\n".join(f"    line {n} of the example" for n in range(14))
    text = "".join("\n" + "A filler paragraph of the chapter, long enough to take two lines of "
                   "the page as it is set, and then some more words.\n" * k
                   + f"\nLead-in number {k} is:\n\n```\n{code}\n```\n" for k in range(1, 16))
    append(root, "en/02-two.md", text)
    pages = [p.extract_text() for p in pypdf.PdfReader(draft(root, "en", "pdf")
                                                       / "sample-en.pdf").pages]
    for k in range(1, 16):
        (lead,) = [i for i, t in enumerate(pages) if f"Lead-in number {k} is:" in t]
        assert "line 0 of the example" in pages[lead].split(f"Lead-in number {k} is:")[1]


@pytest.mark.slow
def test_a_french_title_page_sets_a_narrow_space_before_its_colon(tmp_path):
    """French typography: "Édition en anglais : …" (U+202F), the language's `colon` label."""
    assert run_cli("init", str(tmp_path / "p"), "--languages", "fr,en").exit_code == 0
    title = pypdf.PdfReader(draft(tmp_path / "p", "fr", "pdf") / "p-fr.pdf").pages[0].extract_text()
    assert "Édition en anglais\u202f: p-en.pdf" in title


@pytest.mark.slow
def test_the_contents_quote_as_the_pages_do(tmp_path):
    """A French heading's « » in the contents too (it listed the parsed title, with “ ”)."""
    root = tmp_path / "p"
    assert run_cli("init", str(root), "--languages", "fr,en").exit_code == 0
    chapter = next((root / "manuscript/fr").glob("01-*.md"))
    lines = chapter.read_text(encoding="utf-8").split("\n")
    chapter.write_text("\n".join(['# Le "média" et nous {#sec-intro}', *lines[1:]]), encoding="utf-8")
    pages = [p.extract_text() for p in pypdf.PdfReader(draft(root, "fr", "pdf") / "p-fr.pdf").pages]
    contents = next(text for text in pages if text.startswith("Table des matières"))
    assert re.search(r"Le «\s?média\s?» et nous", contents) and "“" not in contents


@pytest.mark.slow
def test_the_cover_link_to_the_other_edition_is_underlined_below_its_text_with_an_emoji_in_the_book(project):
    """With an emoji in the edition, Noto Emoji is first in the family lists, and WeasyPrint took
    the underline's place from it: the link on the title page was struck through. The row of
    pixels the underline paints is now under the text's baseline, in the bottom third of the
    link's box."""
    import pypdf
    import pypdfium2

    from conftest import append, draft

    root = project("minimal")
    append(root, "en/02-two.md", "\nThe world 🌍 is round.\n")
    path = draft(root, "en", "pdf") / "sample-en.pdf"
    page = pypdf.PdfReader(path).pages[0]
    rect = next(a.get_object()["/Rect"] for a in page["/Annots"]
                if a.get_object().get("/Subtype") == "/Link")
    x0, y0, x1, y1 = (float(v) for v in rect)
    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    scale = 4
    image = pypdfium2.PdfDocument(str(path))[0].render(scale=scale).to_pil().convert("L")
    height = image.height
    box = image.crop((int(x0 * scale) + 2, int(height - y1 * scale), int(x1 * scale) - 2,
                      int(height - y0 * scale)))
    rows = [sum(1 for x in range(box.width) if box.getpixel((x, y)) < 160) for y in range(box.height)]
    underline = max(range(box.height), key=lambda y: rows[y])
    assert rows[underline] > 0.9 * box.width, rows  # a line across the whole link
    assert underline > 0.6 * box.height, (underline, box.height)


def test_a_long_code_block_goes_on_over_the_page_and_a_short_one_stays_whole(project):
    """A code block of a tutorial's length was kept whole: it went to the next page and left
    the page before it nearly empty. One of more than 40 lines now starts on the page of the
    text before it; a short one after a page's worth of text still moves whole."""
    root = project("minimal")
    long_lines = "".join(f"long_{i} = {i}\n" for i in range(200))
    short_lines = "".join(f"short_{i} = {i}\n" for i in range(12))
    filler = "".join(f"Filler paragraph {i} fills the page up to its foot.\n\n" for i in range(33))
    append(root, "en/02-two.md", "\nAn introduction to the listing.\n\n```python\n" + long_lines
           + "```\n\n" + filler + "```python\n" + short_lines + "```\n")
    pages = [p.extract_text() for p in pypdf.PdfReader(draft(root, "en", "pdf")
                                                      / "sample-en.pdf").pages]
    (intro,) = [n for n, text in enumerate(pages) if "An introduction to the listing" in text]
    assert "long_0 = 0" in pages[intro]  # it begins under the text that leads into it
    (short,) = {n for n, text in enumerate(pages) for i in (0, 11) if f"short_{i} = {i}" in text}
