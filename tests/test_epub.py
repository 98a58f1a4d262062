"""EPUB 3: EPUBCheck's verdict, and the package read back as XML (OPF, nav, content documents)."""

from __future__ import annotations

import io
import re
import struct
import uuid
import zipfile
from pathlib import Path

import pytest
import yaml
from xml.etree import ElementTree as ET

from baikonur_pub import bibliography, config, validate
from baikonur_pub.build import source_date_epoch
from baikonur_pub.environment import timestamp
from baikonur_pub.errors import ConfigError
from baikonur_pub.manuscript import assemble
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.render import epub
from conftest import REPO, build_sample, built_twice, checked
from readers import (DC, EPUB_NS, OPF, XHTML, element_text,
                     epub_manifest, epub_meta, epub_opf, norm, zip_xml)

PUB = config.load(REPO)
LANGS = PUB.codes



def shipped(dist: Path, code: str) -> Path:
    return dist / f"{PUB.slug}-{code}.epub"


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> Path:
    """tests/roots/notes (footnotes, nested sections, a figure) built as EPUB."""
    return build_sample(tmp_path_factory, "notes", "epub")


# EPUBCheck ----------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_epubcheck_reports_no_error_and_no_warning(shipped_dist, epubcheck_of, code):
    result = checked(epubcheck_of, shipped(shipped_dist, code))
    assert (result.fatals, result.errors, result.warnings) == (0, 0, 0), result.messages


@pytest.mark.slow
@pytest.mark.parametrize("code", ["it", "en"])
def test_epubcheck_accepts_notes_nested_sections_and_figures(notes, epubcheck_of, code):
    result = checked(epubcheck_of, notes / f"notes-{code}.epub")
    assert result.clean, result.messages


# Package metadata ----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_package_metadata_names_the_edition(shipped_dist, code):
    opf, _ = epub_opf(shipped(shipped_dist, code))
    lang = PUB.language(code)
    ident = opf.find(f".//{DC}identifier")
    assert opf.get("unique-identifier") == ident.get("id")
    assert ident.text == epub.identifier(PUB.slug, code)
    assert uuid.UUID(ident.text.removeprefix("urn:uuid:")).version == 5
    assert opf.find(f".//{DC}title").text == lang.title
    assert opf.find(f".//{DC}language").text == lang.locale
    assert [c.text for c in opf.iter(f"{DC}creator")] == list(PUB.author)
    assert opf.find(f".//{DC}date").text == PUB.date.isoformat()
    assert epub_meta(opf, "dcterms:modified") == [timestamp(source_date_epoch(PUB))]


def test_identifier_depends_on_slug_and_language_only():
    assert epub.identifier("report", "it") == epub.identifier("report", "it")
    assert len({epub.identifier("report", "it"), epub.identifier("report", "en"),
                epub.identifier("other", "it")}) == 3


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_accessibility_metadata_follows_epub_accessibility_1_1(shipped_dist, code):
    opf, _ = epub_opf(shipped(shipped_dist, code))
    assert epub_meta(opf, "schema:accessMode") == ["textual", "visual"]  # the cover is an image
    assert epub_meta(opf, "schema:accessModeSufficient") == ["textual", "textual,visual"]
    assert {"tableOfContents", "readingOrder", "structuralNavigation"} <= set(
        epub_meta(opf, "schema:accessibilityFeature"))
    assert epub_meta(opf, "schema:accessibilityHazard") == ["none"]
    assert epub_meta(opf, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    parts = yaml.safe_load((REPO / "styles" / "epub.yaml").read_text(encoding="utf-8"))[
        "accessibility-summary"][code]
    (summary,) = epub_meta(opf, "schema:accessibilitySummary")
    assert norm(parts["text"]) in summary and norm(parts["citations"]) in summary
    assert parts["notes"] not in summary  # the shipped report has no notes
    assert parts["figures"] not in summary


@pytest.mark.slow
@pytest.mark.parametrize("code", ["it", "en"])
def test_summary_mentions_notes_and_figures_only_when_the_edition_has_them(notes, code):
    opf, _ = epub_opf(notes / f"notes-{code}.epub")
    parts = yaml.safe_load((REPO / "styles" / "epub.yaml").read_text(encoding="utf-8"))[
        "accessibility-summary"][code]
    (summary,) = epub_meta(opf, "schema:accessibilitySummary")
    assert parts["notes"] in summary and parts["figures"] in summary


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_daisy_ace_reports_no_violation(shipped_dist, code, tmp_path):
    result = checked(validate.ace, shipped(shipped_dist, code), tmp_path / "ace")
    assert result.violations == () and result.outcome == "pass"
    assert "dcterms:conformsTo" in result.metadata["present"]


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_keywords_are_in_the_edition_language(shipped_dist, code):
    opf, _ = epub_opf(shipped(shipped_dist, code))
    subjects = [(s.text, s.get("{http://www.w3.org/XML/1998/namespace}lang"))
                for s in opf.iter(f"{DC}subject")]
    lang = PUB.language(code)
    assert subjects == [(k, lang.locale) for k in lang.keywords]


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_small_enough_to_mail_fonts_subset_to_the_text(shipped_dist, code):
    path = shipped(shipped_dist, code)
    assert path.stat().st_size < 250_000
    from fontTools.ttLib import TTFont

    with zipfile.ZipFile(path) as zf:
        fonts = [n for n in zf.namelist() if n.endswith(".otf")]
        text = "".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".xhtml"))
        for name in fonts:
            cmap = TTFont(io.BytesIO(zf.read(name)))["cmap"].getBestCmap()
            assert len(cmap) < 400, name  # the full faces map over 1,000 characters
            assert {ord(c) for c in "Baikonur" + PUB.language(code).title if not c.isspace()} \
                <= set(cmap), name
    assert "č" in text or code == "en"


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_content_documents_are_titled_by_their_heading(shipped_dist, code):
    from readers import epub_documents

    titles = [element_text(doc.find(f"{XHTML}head/{XHTML}title")) for doc in epub_documents(
        shipped(shipped_dist, code))]
    assert not any(t.endswith(".xhtml") for t in titles), titles
    assert PUB.language(code).references_title in titles
    for doc in epub_documents(shipped(shipped_dist, code)):
        styles = " ".join(element_text(s) for s in doc.iter(f"{XHTML}style"))
        assert "indent" not in styles  # one hanging indent: epub.css's


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_links_are_underlined_with_at_least_4_5_to_1_contrast():
    css = (REPO / "styles" / "epub.css").read_text(encoding="utf-8")
    rule = re.search(r"(?m)^a \{([^}]*)\}", css).group(1)
    colour = re.search(r"color:\s*(#[0-9a-fA-F]{6})", rule).group(1)
    assert "underline" in rule
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


# Cover, fonts, stylesheet ------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_cover_is_a_png_of_the_title_page_with_a_text_alternative(shipped_dist, code):
    path = shipped(shipped_dist, code)
    opf, base = epub_opf(path)
    cover = next(i for i in opf.iter(f"{OPF}item") if i.get("properties") == "cover-image")
    assert cover.get("media-type") == "image/png"
    with zipfile.ZipFile(path) as zf:
        png = zf.read(f"{base}/{cover.get('href')}")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert height == 1600 and 0.68 < width / height < 0.73  # an A4 page
    first = opf.find(f"{OPF}spine/{OPF}itemref").get("idref")
    page = next(i for i in opf.iter(f"{OPF}item") if i.get("id") == first)
    svg = zip_xml(path, f"{base}/{page.get('href')}").find(".//{http://www.w3.org/2000/svg}svg")
    assert svg.get("aria-label") == PUB.language(code).title


@pytest.mark.slow
def test_fonts_are_embedded_and_every_font_face_points_at_one(shipped_dist):
    path = shipped(shipped_dist, LANGS[0])
    manifest = epub_manifest(path)
    fonts = {href for href, item in manifest.items() if item.get("media-type") == "font/otf"}
    # the shipped report has no code: the code face is not embedded
    assert {Path(f).name for f in fonts} == {face.file for face in epub.faces(code=False)}
    assert len(fonts) == len([f for f in epub.FACES if f[0] != "IBM Plex Mono"])
    _, base = epub_opf(path)
    with zipfile.ZipFile(path) as zf:
        css = " ".join(zf.read(f"{base}/{h}").decode() for h in manifest if h.endswith(".css"))
    urls = re.findall(r'url\("\.\./([^"]+)"\)', css)
    assert sorted(urls) == sorted(fonts)
    assert 'font-family: "Source Serif Pro"' in css


def _font_sizes(css: str) -> dict[str, float]:
    """selector → the number in its font-size (or `font:` shorthand) declaration."""
    sizes = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        match = re.search(r"font-size:\s*([\d.]+)", body) or re.search(
            r"font:[^;]*?([\d.]+)pt", body)
        if match:
            for selector in selectors.split(","):
                sizes[" ".join(selector.split())] = float(match.group(1))
    return sizes


def test_epub_css_keeps_the_type_hierarchy_of_the_pdf():
    pdf = _font_sizes((REPO / "styles" / "pdf.css").read_text(encoding="utf-8"))
    ebook = _font_sizes((REPO / "styles" / "epub.css").read_text(encoding="utf-8"))
    base = pdf["html"]
    pairs = {".title-page .title": ".titlepage .title", ".title-page .subtitle": ".titlepage .subtitle",
             "main h1": "h1", "main h2": "h2", "main h3": "h3"}
    for print_selector, ebook_selector in pairs.items():
        assert ebook[ebook_selector] == pytest.approx(pdf[print_selector] / base, abs=0.01), ebook_selector


# Navigation, notes, citations ----------------------------------------------------------------------

def _nav(path: Path) -> ET.Element:
    manifest = epub_manifest(path)
    _, base = epub_opf(path)
    href = next(h for h, item in manifest.items() if "nav" in (item.get("properties") or "").split())
    return zip_xml(path, f"{base}/{href}")


def _toc_tree(ol) -> list:
    """[(text, [children…]), …] of a nav <ol>."""
    tree = []
    for li in ol.findall(f"{XHTML}li"):
        link = li.find(f"{XHTML}a")
        sub = li.find(f"{XHTML}ol")
        tree.append((element_text(link), _toc_tree(sub) if sub is not None else []))
    return tree


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_nav_lists_every_heading_in_reading_order(shipped_dist, code):
    path = shipped(shipped_dist, code)
    toc = next(n for n in _nav(path).iter(f"{XHTML}nav") if n.get(f"{EPUB_NS}type") == "toc")
    entries = [text for text, _ in _toc_tree(toc.find(f"{XHTML}ol"))]
    edition = assemble(PUB, PUB.language(code), Pandoc.locate(), bibliography.load(PUB))
    assert entries == [f"{h.number} {h.title}".strip() for h in edition.headings if h.level == 1]
    assert entries[-1] == PUB.language(code).references_title


@pytest.mark.slow
@pytest.mark.parametrize("code, names", [
    ("it", {"titlepage": "Frontespizio", "cover": "Copertina", "toc": "Indice",
            "bodymatter": "Inizio del testo"}),
    ("en", {"titlepage": "Title Page", "cover": "Cover", "toc": "Table of Contents",
            "bodymatter": "Start of Content"})])
def test_landmarks_are_named_in_the_edition_language(shipped_dist, code, names):
    nav = next(n for n in _nav(shipped(shipped_dist, code)).iter(f"{XHTML}nav")
               if n.get(f"{EPUB_NS}type") == "landmarks")
    links = {a.get(f"{EPUB_NS}type"): a.text for a in nav.iter(f"{XHTML}a")}
    assert links == names
    body = next(a.get("href") for a in nav.iter(f"{XHTML}a") if a.get(f"{EPUB_NS}type") == "bodymatter")
    with zipfile.ZipFile(shipped(shipped_dist, code)) as zf:  # the first chapter, after the abstract
        assert 'id="sec-intro"' in zf.read(f"EPUB/{body}").decode()


@pytest.mark.slow
def test_nav_nests_subsections_under_their_sections(notes):
    toc = next(n for n in _nav(notes / "notes-en.epub").iter(f"{XHTML}nav")
               if n.get(f"{EPUB_NS}type") == "toc")
    assert _toc_tree(toc.find(f"{XHTML}ol")) == [
        ("1 First chapter", [("1.1 A section", [("1.1.1 A subsection", [])])]),
        ("2 Second chapter", []), ("References", [])]


def _targets(path: Path) -> dict[str, ET.Element]:
    """Every element with an id, keyed 'file#id' with file relative to the content folder."""
    _, base = epub_opf(path)
    found = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".xhtml") and name.startswith(f"{base}/text/"):
                for el in ET.fromstring(zf.read(name)).iter():
                    if el.get("id"):
                        found[f"{Path(name).name}#{el.get('id')}"] = el
    return found


def _links(path: Path):
    """(document file name, <a>) for every link in the content documents."""
    _, base = epub_opf(path)
    with zipfile.ZipFile(path) as zf:
        for name in sorted(zf.namelist()):
            if name.endswith(".xhtml") and name.startswith(f"{base}/text/"):
                for a in ET.fromstring(zf.read(name)).iter(f"{XHTML}a"):
                    yield Path(name).name, a


@pytest.mark.slow
def test_footnotes_are_note_references_to_footnote_asides(notes):
    path = notes / "notes-en.epub"
    targets = _targets(path)
    refs = [(doc, a) for doc, a in _links(path) if a.get(f"{EPUB_NS}type") == "noteref"]
    assert len(refs) == 2
    notes = []
    for doc, a in refs:
        file, _, anchor = a.get("href").rpartition("#")
        note = targets[f"{file or doc}#{anchor}"]
        assert note.tag == f"{XHTML}aside" and note.get(f"{EPUB_NS}type") == "footnote"
        notes.append(element_text(note))
    assert notes[0].startswith("The text of the first note.")
    assert notes[1].startswith("The text of the second note, with a citation (Brown 2021)")


@pytest.mark.slow
@pytest.mark.parametrize("code", LANGS)
def test_every_citation_links_to_its_entry_in_the_reference_list(shipped_dist, code):
    path = shipped(shipped_dist, code)
    targets = _targets(path)
    citations = [(doc, a) for doc, a in _links(path) if "#ref-" in (a.get("href") or "")]
    assert citations
    for doc, a in citations:
        file, _, anchor = a.get("href").rpartition("#")
        entry = targets[f"{file or doc}#{anchor}"]
        assert "csl-entry" in entry.get("class", "").split()


# Reproducibility -------------------------------------------------------------------------------------

@pytest.mark.slow
def test_two_builds_give_identical_bytes(tmp_path_factory, tmp_path):
    first, second = built_twice(tmp_path_factory, tmp_path, "epub", "it")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        names = zf.infolist()
    assert names[0].filename == "mimetype" and names[0].compress_type == zipfile.ZIP_STORED
    stamp = timestamp(source_date_epoch(config.load(first.parents[1] / "p")))
    assert {i.date_time for i in names} == {tuple(int(n) for n in re.findall(r"\d+", stamp))}


def test_missing_accessibility_summary_is_an_error_naming_the_file(project):
    root = project("minimal")
    (root / "styles" / "epub.yaml").write_text("accessibility-summary: none\n", encoding="utf-8")
    pub = config.load(root)
    edition = assemble(pub, pub.languages[0], Pandoc.locate(), bibliography.load(pub))
    with pytest.raises(ConfigError) as error:
        epub.accessibility_summary(edition)
    assert error.value.format_message() == (
        "styles/epub.yaml:1: 'accessibility-summary' must map language codes to text")


@pytest.mark.slow  # pandoc and DAISY Ace
def test_code_lines_link_within_their_chapter_and_an_empty_header_cell_heads_nothing(project,
                                                                                     tmp_path):
    """Pandoc numbers code blocks anew in each chapter file (`cb1-1` in both): a code line's
    anchor was sent to the first chapter holding that ID. A table whose header row has empty
    cells (`| part | | |`, as tutorials write) failed DAISY Ace (empty-table-header)."""
    from conftest import append, draft

    root = project("minimal")
    for chapter in ("en/01-one.md", "en/02-two.md"):
        append(root, chapter, "\n```js\nlet a = 1;\nlet b = 2;\n```\n")
    append(root, "en/02-two.md", "\n| part | | |\n|---|---|---|\n| begin | `let i = 0` | once |\n")
    book = draft(root, "en", "epub") / "sample-en.epub"
    with zipfile.ZipFile(book) as zf:
        chapters = sorted(n for n in zf.namelist() if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n))
        documents = {n: ET.fromstring(zf.read(n)) for n in chapters}
    lines = 0
    for name, document in documents.items():
        here = {e.get("id") for e in document.iter() if e.get("id")}
        for link in document.iter(f"{XHTML}a"):
            target = link.get("href", "")
            if re.fullmatch(r"(ch\d+\.xhtml)?#cb\d+-\d+", target):
                lines += 1
                assert target.startswith("#") and target[1:] in here, (name, target)
        assert all("".join(cell.itertext()).strip() for cell in document.iter(f"{XHTML}th"))
    assert lines >= 4
    result = checked(validate.ace, book, tmp_path / "ace")
    assert result.violations == () and result.outcome == "pass", result.violations


@pytest.mark.slow  # a PDF and an EPUB built, EPUBCheck
def test_a_heading_marked_unlisted_is_in_no_contents_nor_bookmarks(project, epubcheck_of):
    """`## Detail {.unlisted}` (pandoc's and Quarto's class) was listed in the PDF's contents
    and bookmarks and in the EPUB's navigation document and NCX; its text stays where it is."""
    from pypdf import PdfReader

    from conftest import append, draft

    root = project("minimal")
    append(root, "en/02-two.md", "\n## Hidden detail {#sec-hidden .unlisted}\n\nText.\n\n## Shown {#sec-shown}\n\nMore.\n")
    pdf = PdfReader(draft(root, "en", "pdf") / "sample-en.pdf")
    (contents,) = [p.extract_text() for p in pdf.pages if "Contents" in p.extract_text()]
    assert "Shown" in contents and "Hidden" not in contents
    assert "Hidden" not in str(pdf.outline) and "Shown" in str(pdf.outline)
    assert any("Hidden detail" in p.extract_text() for p in pdf.pages)
    book = draft(root, "en", "epub") / "sample-en.epub"
    with zipfile.ZipFile(book) as archive:
        nav, ncx = archive.read("EPUB/nav.xhtml").decode(), archive.read("EPUB/toc.ncx").decode()
        text = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("EPUB/text/"))
    assert "sec-hidden" not in nav and "sec-hidden" not in ncx and "sec-shown" in nav and "sec-shown" in ncx
    assert "Hidden detail" in text
    result = checked(epubcheck_of, book)
    assert result.clean, result.messages
