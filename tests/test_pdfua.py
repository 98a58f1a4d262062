"""PDF/UA-1: the checkpoints a checker applies, read back with pikepdf (veraPDF cannot run here).

`pdfua.problems` decides the mechanical part of Matterhorn (no orphan structure element, no
text outside structure or Artifact, links inside Link elements and described); it is shown to
reject WeasyPrint's own tagging, so passing it means something. The PyPI checker `pdfua`
(12 checks of the machine-checkable subset) runs too.
"""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest

from baikonur_pub import config
from baikonur_pub.render import pdfua
from conftest import REPO, build_sample, need

PUB = config.load(REPO)


_OPEN: list = []  # the documents whose objects a test still holds


def structure(path) -> pikepdf.Dictionary:
    _OPEN.append(pikepdf.open(path))
    return _OPEN[-1].Root.StructTreeRoot.K[0]


def kids(element) -> list:
    k = element.get("/K")
    return list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]


def elements(element, role: str | None = None):
    for kid in kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            if role is None or kid.S == role:
                yield kid
            yield from elements(kid, role)


def artifacts(path) -> list[str]:
    """The /Type of every Artifact marked-content sequence, all pages."""
    found = []
    for page in pikepdf.open(path).pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and operands[0] == "/Artifact":
                found.append(str(operands[1].get("/Type", "")))
    return found


@pytest.fixture(scope="module")
def languages(tmp_path_factory):
    """tests/roots/languages: a quoted English title in Italian and the reverse, and a
    reference whose CSL `language` is English."""
    return build_sample(tmp_path_factory, "languages", "pdf")


def test_checker_rejects_what_weasyprint_tags_alone(tmp_path):
    import weasyprint

    html = ("<html lang='en'><head><title>Raw</title><style>@page { @bottom-center { content: counter(page) } }"
            "</style></head><body><h1 id='a'>Title</h1><p><a href='#a'>link</a></p></body></html>")
    data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    found = pdfua.problems(data)
    assert any("orphan" in p for p in found), found
    assert any("is in no element" in p for p in found), found
    from baikonur_pub import verify

    (tmp_path / "raw.pdf").write_bytes(data)  # `baikonur-pub verify` says so too
    assert verify._pdf(tmp_path / "raw.pdf", False).startswith("claims PDF/UA-1 but")


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_shipped_pdf_has_nothing_a_pdf_ua_checker_rejects(shipped_dist, code):
    path = shipped_dist / f"{PUB.slug}-{code}.pdf"
    assert pdfua.problems(path.read_bytes()) == []
    xmp = pikepdf.open(path).open_metadata()
    assert xmp.get("pdfuaid:part") == "1"


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_pypi_pdfua_checker_finds_nothing(shipped_dist, code):
    import pdfua as checker

    report = checker.validate(str(shipped_dist / f"{PUB.slug}-{code}.pdf"))
    assert report.exit_code == 0, [f.message for f in report.findings]


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_running_heads_folios_and_leaders_are_artifacts(shipped_dist, code):
    path = shipped_dist / f"{PUB.slug}-{code}.pdf"
    found = artifacts(path)
    pages = len(pikepdf.open(path).pages)
    body_pages = pages - 1  # the title page has neither head nor folio
    assert found.count("/Pagination") >= body_pages + 2 * (pages - 3)  # folios; two heads each
    contents = len(PUB.language(code).chapters) + 2  # chapters, abstract, references
    assert found.count("/Layout") >= 10 * contents  # leader dots, many per entry


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_one_sect_per_chapter_and_a_toc_of_tocis(shipped_dist, code):
    document = structure(shipped_dist / f"{PUB.slug}-{code}.pdf")
    sects = [k for k in kids(document) if k.S == "/Sect"]
    assert len(sects) == len(kids(document))
    lang = PUB.language(code)
    # title page, contents, abstract, the chapters, the reference list
    assert len(sects) == 3 + len(lang.chapters) + 1
    for sect in sects[3:]:
        headings = [k for k in kids(sect) if isinstance(k, pikepdf.Dictionary) and k.S == "/H1"]
        assert len(headings) == 1 and kids(sect)[0] == headings[0]
    tocs = list(elements(sects[1], "/TOC"))
    assert len(tocs) == 1
    items = [k for k in kids(tocs[0])]
    assert [i.S for i in items] == ["/TOCI"] * (len(lang.chapters) + 2)
    for item in items:  # a link holding its annotations, then number, title and page: no dots
        (link,) = kids(item)
        assert link.S == "/Link" and not list(elements(link, "/Link"))
        assert sum(isinstance(k, int) for k in kids(link)) <= 4


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_links_are_described_by_their_target(shipped_dist, code):
    pdf = pikepdf.open(shipped_dist / f"{PUB.slug}-{code}.pdf")
    descriptions = {}
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            target = str(annotation.get("/Dest", "")) or str(annotation.A.F.UF)
            descriptions[target] = str(annotation.Contents)
    assert descriptions["sec-intro"].startswith("1 ")  # number and title, not the id
    assert len(descriptions["sec-intro"]) > 12
    refs = {t: d for t, d in descriptions.items() if t.startswith("ref-")}
    assert refs and all(re.search(r"\b(19|20)\d\d\b", d) for d in refs.values()), refs
    assert not any(d == t or d.startswith(("ref-", "sec-")) for t, d in descriptions.items())
    other = next(c for c in PUB.codes if c != code)
    assert f"{PUB.slug}-{other}.pdf" in descriptions[f"{PUB.slug}-{other}.pdf"]


@pytest.mark.slow
def test_parts_in_another_language_carry_their_lang(languages):
    for code, other in (("it", "en"), ("en", "it")):
        path = languages / f"langs-{code}.pdf"
        assert pdfua.problems(path.read_bytes()) == []
        tagged = [str(e.Lang) for e in elements(structure(path)) if "/Lang" in e]
        assert other in tagged
    # the CSL `language: en` reference in the Italian edition, and only there
    assert [str(e.Lang) for e in elements(structure(languages / "langs-it.pdf")) if "/Lang" in e] \
        == ["en", "en"]


@pytest.mark.slow
@pytest.mark.parametrize("code", PUB.codes)
def test_line_end_hyphens_extract_as_soft_hyphens_joining_whole_words(shipped_dist, code):
    text = subprocess.run([need("pdftotext"), str(shipped_dist / f"{PUB.slug}-{code}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    source = " ".join(f.read_text(encoding="utf-8") for f in
                      (REPO / "manuscript" / code).glob("*.md"))
    broken = re.findall(r"(\w+)\u00ad\n(\w+)", text)
    assert len(broken) >= 5  # the shipped report hyphenates a few words per edition
    for left, right in broken:
        assert left + right in source, (left, right)
    hard = re.findall(r"(\w+)-\n(\w+)", text)
    assert all(f"{left}-{right}" in source for left, right in hard), hard


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    """tests/roots/notes: footnotes, nested sections, a figure."""
    return build_sample(tmp_path_factory, "notes", "pdf")


@pytest.mark.slow
def test_footnotes_are_notes_at_their_call_and_figures_have_their_alt(notes):
    path = notes / "notes-en.pdf"
    assert pdfua.problems(path.read_bytes()) == []
    document = structure(path)
    paragraphs_with_notes = [p for p in elements(document, "/P")
                             if any(k.get("/S") == "/Note" for k in kids(p)
                                    if isinstance(k, pikepdf.Dictionary))]
    notes_found = list(elements(document, "/Note"))
    assert len(notes_found) == 2 and len(paragraphs_with_notes) == 2
    assert len({str(n.ID) for n in notes_found}) == 2
    assert all(k.S == "/Sect" for k in kids(document))  # no footnote area left at the end
    (figure,) = elements(document, "/Figure")
    assert str(figure.Alt)


def test_the_glyph_codes_a_tj_array_shows_are_read_whatever_its_strings_are_written_as():
    import pikepdf

    from baikonur_pub.render.soft_hyphens import _shown

    # As WeasyPrint writes them (hex strings between kerning numbers, empty literals) …
    written = pikepdf.Array([pikepdf.String(b"\x04\x62"), -14, pikepdf.String(b""), 10.5,
                             pikepdf.String(b"\x00\x2a")])
    assert _shown(written) == b"0462002a"
    # … and as another writer might: literal strings.
    literal = pikepdf.Array([pikepdf.String(b"AB"), -3, pikepdf.String(b"\xff\xfe")])
    assert literal.unparse() == b"[ (AB) -3 <fffe> ]"
    assert _shown(literal) == b"4142fffe"
    # An odd number of hex digits ends with a 0 (ISO 32000-1 7.3.4.3).
    pdf = pikepdf.new()
    parsed = pikepdf.parse_content_stream(pikepdf.Stream(pdf, b"[<04A> 3 <0B>] TJ"))
    assert _shown(parsed[0].operands[0]) == b"04a00b"
