"""DOCX: the package read back as XML (document, styles, footnotes, core properties), and
LibreOffice Writer converting it to a PDF that holds every heading and reference entry."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from baikonur_pub import bibliography, config
from baikonur_pub.build import source_date_epoch
from baikonur_pub.environment import timestamp
from baikonur_pub.manuscript import assemble
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.errors import ConfigError
from baikonur_pub.render import docx
from conftest import REPO, build_sample, built_twice, checked
from readers import (DC, W, docx_headings, docx_paragraphs, docx_references, docx_styles, norm,
                     pdf_text, zip_xml)

PUB = config.load(REPO)
LANGS = PUB.codes
SPEC = yaml.safe_load((REPO / "styles" / "docx-styles.yaml").read_text(encoding="utf-8"))
TWIPS_PER_MM = 1440 / 25.4


def shipped(dist: Path, code: str) -> Path:
    return dist / f"{PUB.slug}-{code}.docx"


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> Path:
    """tests/roots/notes (footnotes, nested sections, a figure) built as DOCX."""
    return build_sample(tmp_path_factory, "notes", "docx")


def _contents(path: Path):
    """(document body, its table-of-contents block)."""
    body = zip_xml(path, "word/document.xml").find(f"{W}body")
    return body, body.find(f"{W}sdt")


def _val(el, path: str) -> str | None:
    found = el.find(path)
    return None if found is None else found.get(f"{W}val")


# Styles and page -------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_every_style_carries_the_edition_language(shipped_dist, code):
    styles = docx_styles(shipped(shipped_dist, code))
    assert len(styles) > 40
    languages = {name: _val(style, f"{W}rPr/{W}lang") for name, style in styles.items()}
    assert set(languages.values()) == {PUB.language(code).locale}, languages
    defaults = zip_xml(shipped(shipped_dist, code), "word/styles.xml").find(f"{W}docDefaults")
    assert _val(defaults, f"{W}rPrDefault/{W}rPr/{W}lang") == PUB.language(code).locale


@pytest.mark.slow
def test_styles_follow_the_style_spec(shipped_dist):
    styles = {name.lower(): s for name, s in docx_styles(shipped(shipped_dist, LANGS[0])).items()}
    for name in ("Title", "Heading 1", "Heading 2", "Bibliography", "Footnote Text"):
        wanted = SPEC["styles"][name]
        rpr = styles[name.lower()].find(f"{W}rPr")
        assert int(_val(rpr, f"{W}sz")) == round(wanted["size"] * 2), name
        if "font" in wanted:
            family = SPEC["fonts"].get(wanted["font"], wanted["font"])
            assert rpr.find(f"{W}rFonts").get(f"{W}ascii") == family, name
    heading = styles["heading 1"].find(f"{W}pPr")
    assert heading.find(f"{W}pageBreakBefore") is None  # sections run on, as in the PDF
    assert heading.find(f"{W}keepNext") is not None
    link = styles["hyperlink"].find(f"{W}rPr")
    assert _val(link, f"{W}color") == SPEC["styles"]["Hyperlink"]["color"]
    assert _val(link, f"{W}u") == "single"


@pytest.mark.slow
def test_reference_list_has_its_own_hanging_indent_style(shipped_dist):
    path = shipped(shipped_dist, LANGS[0])
    indent = docx_styles(path)["Bibliography"].find(f"{W}pPr/{W}ind")
    hanging = round(SPEC["styles"]["Bibliography"]["hanging-indent"] * TWIPS_PER_MM)
    assert abs(int(indent.get(f"{W}hanging")) - hanging) <= 1
    assert abs(int(indent.get(f"{W}left")) - hanging) <= 1
    assert len(docx_references(path)) == 5


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_page_is_a4_with_the_spec_margins_header_and_footer(shipped_dist, code):
    path = shipped(shipped_dist, code)
    section = zip_xml(path, "word/document.xml").find(f".//{W}body/{W}sectPr")
    size = section.find(f"{W}pgSz")
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)
    margins = section.find(f"{W}pgMar")
    for side, mm in SPEC["page"]["margins"].items():
        assert abs(int(margins.get(f"{W}{side}")) - mm * TWIPS_PER_MM) <= 1, side
    assert section.find(f"{W}titlePg") is not None  # no header or folio on the title page
    with zipfile.ZipFile(path) as zf:
        header = zf.read("word/header1.xml").decode()
        footer = zf.read("word/footer1.xml").decode()
    assert PUB.language(code).short_title in header
    assert 'w:instr="PAGE"' in footer


# Title page, contents, notes, properties ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_title_page_then_contents_block(shipped_dist, code):
    path = shipped(shipped_dist, code)
    lang = PUB.language(code)
    assert docx_paragraphs(path)[:4] == [("Title", norm(lang.title)), ("Subtitle", norm(lang.subtitle)),
                                         ("Author", PUB.author[0]), ("Date", docx_paragraphs(path)[3][1])]
    _, sdt = _contents(path)
    assert _val(sdt, f".//{W}docPartGallery") == "Table of Contents"
    assert docx_styles(path)["TOC Heading"].find(f"{W}pPr/{W}pageBreakBefore") is not None
    contents = {"it": "Indice", "en": "Contents"}[code]  # pandoc's own translations
    assert contents in "".join(t.text or "" for t in sdt.iter(f"{W}t"))


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_contents_hold_a_linked_entry_with_a_page_reference_per_heading(shipped_dist, code):
    """A PAGEREF per entry (dirty, so Word refreshes it), no TOC field around them: LibreOffice
    shows a TOC field's stored result without computing page numbers."""
    body, sdt = _contents(shipped(shipped_dist, code))
    instructions = [t.text.strip() for t in sdt.iter(f"{W}instrText")]
    assert not any(i.startswith("TOC") for i in instructions)
    entries = [(link.get(f"{W}anchor"), "".join(t.text or "" for t in link.iter(f"{W}t")))
               for link in sdt.iter(f"{W}hyperlink")]
    assert instructions == [f"PAGEREF {anchor} \\h" for anchor, _ in entries]
    assert all(c.get(f"{W}dirty") == "true" for c in sdt.iter(f"{W}fldChar")
               if c.get(f"{W}fldCharType") == "begin")
    headings, bookmark = [], None
    for element in body:
        if element.tag == f"{W}bookmarkStart":
            bookmark = element.get(f"{W}name")
        elif element.tag == f"{W}p":
            if (_val(element, f"{W}pPr/{W}pStyle") or "") in ("Heading1", "Heading2", "Heading3"):
                headings.append((bookmark, "".join(t.text for t in element.iter(f"{W}t"))))
            bookmark = None
    assert entries == headings and len(entries) >= 9


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_sections_start_no_page_only_the_front_matter_does(shipped_dist, code):
    path = shipped(shipped_dist, code)
    assert docx_styles(path)["heading 1"].find(f"{W}pPr/{W}pageBreakBefore") is None
    body = zip_xml(path, "word/document.xml").find(f"{W}body")
    breaking = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    edition = assemble(PUB, PUB.language(code), Pandoc.locate(), bibliography.load(PUB))
    abstract, first = [h for h in edition.headings if h.level == 1][:2]
    assert breaking == [abstract.title, f"{first.number}{first.title}"]  # then no other


def test_links_are_underlined_with_at_least_4_5_to_1_contrast():
    from test_epub import _luminance

    link = SPEC["styles"]["Hyperlink"]
    assert link["underline"] is True
    assert 1.05 / (_luminance("#" + link["color"]) + 0.05) >= 4.5


@pytest.mark.slow
def test_footnotes_are_word_footnotes(notes):
    path = notes / "notes-en.docx"
    document = zip_xml(path, "word/document.xml")
    references = [r.get(f"{W}id") for r in document.iter(f"{W}footnoteReference")]
    assert len(references) == 2
    notes_xml = zip_xml(path, "word/footnotes.xml")
    texts = {n.get(f"{W}id"): norm("".join(t.text or "" for t in n.iter(f"{W}t")))
             for n in notes_xml.iter(f"{W}footnote")}
    assert texts[references[0]] == "The text of the first note."
    assert texts[references[1]].startswith("The text of the second note, with a citation (Brown 2021)")


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_core_properties_name_the_edition_and_date_it_from_source_date_epoch(shipped_dist, code):
    core = zip_xml(shipped(shipped_dist, code), "docProps/core.xml")
    terms = "{http://purl.org/dc/terms/}"
    assert core.find(f"{DC}title").text == PUB.language(code).title
    assert core.find(f"{DC}creator").text == ", ".join(PUB.author)
    assert core.find(f"{DC}language").text == PUB.language(code).locale
    stamp = timestamp(source_date_epoch(PUB))
    assert core.find(f"{terms}created").text == stamp
    assert core.find(f"{terms}modified").text == stamp


@pytest.mark.slow
def test_two_builds_give_identical_bytes(tmp_path_factory, tmp_path):
    first, second = built_twice(tmp_path_factory, tmp_path, "docx", "en")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert "word/media/" in " ".join(zf.namelist())  # the figure survived


def test_unknown_style_key_is_reported_at_its_line(project):
    root = project("minimal")
    spec = root / "styles" / "docx-styles.yaml"
    lines = spec.read_text(encoding="utf-8").splitlines()
    number = next(i for i, l in enumerate(lines, 1) if l.strip().startswith("Heading 2:"))
    lines[number - 1] = "  Heading 2: {size: 12, colour: red}"
    spec.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pub = config.load(root)
    edition = assemble(pub, pub.languages[0], Pandoc.locate(), bibliography.load(pub))
    with pytest.raises(ConfigError) as error:
        docx.load_spec(edition)
    assert error.value.format_message().startswith(
        f"styles/docx-styles.yaml:{number}: unknown style key 'colour'")


# LibreOffice round trip ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_libreoffice_converts_it_to_a_pdf_with_every_heading_and_reference(shipped_dist, code,
                                                                          libreoffice_pdf_of):
    pdf = checked(libreoffice_pdf_of, shipped(shipped_dist, code))
    text = norm(pdf_text(pdf))
    edition = assemble(PUB, PUB.language(code), Pandoc.locate(), bibliography.load(PUB))
    for heading in edition.headings:
        assert heading.title in text, heading.title
        if heading.level == 1:  # in the body and in the table of contents
            assert text.count(heading.title) >= 2, heading.title
    for entry in docx_references(shipped(shipped_dist, code)):
        assert entry in text, entry


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_libreoffice_sets_it_in_the_embedded_publication_fonts(shipped_dist, code,
                                                               libreoffice_pdf_of):
    pdf = checked(libreoffice_pdf_of, shipped(shipped_dist, code))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts}
    assert {"SourceSerifPro-Regular", "SourceSerifPro-Bold", "SourceSerifPro-It",
            "SourceSansPro-Bold"} <= names, names
    assert names <= {n for n in names if n.startswith("Source")} | {"OpenSymbol"}, names
    with zipfile.ZipFile(shipped(shipped_dist, code)) as zf:
        embedded = [n for n in zf.namelist() if n.startswith("word/fonts/")]
        assert len(embedded) == 8 and all(n.endswith(".odttf") for n in embedded)
        assert sum(zf.getinfo(n).file_size for n in embedded) < 400_000  # subset to the text


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_libreoffice_shows_contents_page_numbers_where_headings_are(shipped_dist, code,
                                                                     libreoffice_pdf_of):
    import pypdf

    pdf = checked(libreoffice_pdf_of, shipped(shipped_dist, code))
    pages = [norm(p.extract_text()) for p in pypdf.PdfReader(pdf).pages]
    contents = pages[1]
    lang = PUB.language(code)
    assert len(pages) <= 7  # as long as the PDF edition, not one page per section
    for entry in [h for h in docx_headings(shipped(shipped_dist, code))]:
        title = entry.split(" ", 1)[1] if entry[:1].isdigit() else entry
        match = re.search(re.escape(title) + r"\s*\.*\s*(\d+)", contents)
        assert match, (title, contents)
        page = int(match.group(1))
        assert title in pages[page - 1] and title not in " ".join(pages[2:page - 1]), title
    assert lang.references_title in contents


@pytest.mark.slow  # pandoc: one DOCX
def test_contents_entries_in_a_fallback_script_name_its_face(project, tmp_path, monkeypatch):
    """A heading in Devanagari: its entry in the contents is set in the face that has the
    script, as the heading is. The contents were written after the fallback faces were given,
    so a Sinhala edition's contents kept the body face and LibreOffice showed them blank."""
    from docx import Document

    from baikonur_pub import build
    from baikonur_pub.render.docx_fonts import W

    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "# First chapter", "# First chapter अंतरिक्ष"), encoding="utf-8")
    build.build(config.load(root), langs=("en",), formats=("docx",), jobs=1)
    body = Document(str(root / "dist/sample-en.docx")).element.body
    faces = {}
    for run in body.iter(f"{{{W}}}r"):
        text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
        if "अंतरिक्ष" in text:
            in_contents = any(a.tag == f"{{{W}}}sdt" for a in run.iterancestors())
            fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
            faces[in_contents] = None if fonts is None else fonts.get(f"{{{W}}}cs")
    assert faces == {True: "Noto Sans Devanagari", False: "Noto Sans Devanagari"}, faces


@pytest.mark.slow  # pandoc: one DOCX
def test_a_long_section_number_gets_room_before_its_title_in_the_contents(project, tmp_path,
                                                                          monkeypatch):
    """`1.1.10` is wider than the 1 cm the contents give a number: it ran into its title (the
    tab then went to the next stop). The title's tab stop moves out for a long number only."""
    from docx import Document

    from baikonur_pub import build
    from baikonur_pub.render.docx_fonts import W

    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    root = project("minimal")
    chapter = root / "manuscript/en/01-one.md"
    sections = "".join(f"\n### Part {i}\n\nText {i}.\n" for i in range(1, 11))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n## Section\n" + sections,
                       encoding="utf-8")
    build.build(config.load(root), langs=("en",), formats=("docx",), jobs=1, check=False)
    body = Document(str(root / "dist/sample-en.docx")).element.body
    stops = {}
    for paragraph in body.iter(f"{{{W}}}p"):
        texts = [t.text or "" for t in paragraph.iter(f"{{{W}}}t")]
        if texts and texts[0] in ("1.1.1", "1.1.10") and any(
                a.tag == f"{{{W}}}sdt" for a in paragraph.iterancestors()):
            tab = paragraph.find(f"{{{W}}}pPr/{{{W}}}tabs/{{{W}}}tab")
            indent = int(paragraph.find(f"{{{W}}}pPr/{{{W}}}ind").get(f"{{{W}}}left"))
            stops[texts[0]] = int(tab.get(f"{{{W}}}pos")) - indent
    assert stops["1.1.1"] == 567 and stops["1.1.10"] > 567 + 100, stops
