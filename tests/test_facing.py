"""The facing-page PDF read back page by page: the primary language alone on the even pages, the
translation alone on the odd ones (against the words of the editions' own PDFs), every chapter's
two headings on one spread, continuous folios, PDF/UA with the translation's /Lang.

tests/roots/facing has a chapter longer in Italian and one longer in English (several pages
each), so both sides continue onto blank pages somewhere.
"""

from __future__ import annotations

import re

import pikepdf
import pypdf
import pytest

from baikonur_pub import config
from baikonur_pub.render import pdfua
from conftest import REPO, build_sample, built_twice, copy_project, run_cli
from readers import MM, norm, pdf_pages

WORD = re.compile(r"[^\W\d_]{3,}")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    return build_sample(tmp_path_factory, "facing", "pdf")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def edition_words(path) -> set[str]:
    return words(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


def folios(path) -> list[str]:
    """The text in each page's bottom margin."""
    out = []
    for page in pypdf.PdfReader(path).pages:
        parts: list[str] = []
        page.extract_text(visitor_text=lambda text, cm, tm, font, size, parts=parts: parts.append(
            text) if (tm[5] * cm[3] + cm[5] if cm else tm[5]) < 20 * MM else None)
        out.append(norm("".join(parts)))
    return out


@pytest.mark.slow
def test_even_pages_hold_only_the_primary_language_and_odd_pages_only_the_translation(dist):
    it, en = edition_words(dist / "duo-it.pdf"), edition_words(dist / "duo-en.pdf")
    only = {0: it - en, 1: en - it}  # words one edition has and the other has not
    pages = pypdf.PdfReader(dist / "duo-it-en.pdf").pages
    assert len(pages) % 2 == 1  # the title page, then whole spreads
    blank = 0
    for number, page in enumerate(pages[1:], 2):
        side = number % 2  # 0: left-hand (even) page, the primary; 1: the translation
        found = words(page.extract_text())
        assert not found & only[1 - side], (number, sorted(found & only[1 - side])[:10])
        assert found <= it | en | words("duo") or not found, (number, found - it - en)
        if not found & only[side]:
            blank += 1
            assert not found, (number, found)  # a page holding neither language is blank
    assert blank >= 2  # each side ran shorter in one chapter


@pytest.mark.slow
def test_every_chapter_starts_on_one_spread_in_both_languages(dist):
    reader = pypdf.PdfReader(dist / "duo-it-en.pdf")
    pub = config.load(dist.parent)
    marks = [(norm(item.title), reader.get_destination_page_number(item) + 1)
             for item in reader.outline if not isinstance(item, list)]
    titles = {code: [norm(t) for t in _chapter_titles(pub, code)] for code in ("it", "en")}
    left = [page for title, page in marks if title in titles["it"]]
    right = [page for title, page in marks if title in titles["en"]]
    assert len(left) == len(right) == len(titles["it"]) == 5  # abstract, 3 chapters, references
    for l, r in zip(left, right):
        assert l % 2 == 0 and r == l + 1, marks
    assert len(set(left)) == len(left)


def _chapter_titles(pub, code: str) -> list[str]:
    from baikonur_pub.manuscript import assemble
    from baikonur_pub import bibliography
    from baikonur_pub.pandoc import Pandoc

    edition = assemble(pub, pub.language(code), Pandoc.locate(), bibliography.load(pub))
    return [f"{h.number} {h.title}".strip() for h in edition.headings if h.level == 1]


@pytest.mark.slow
def test_a_long_chapter_continues_spread_by_spread_with_blank_space_on_the_shorter_side(dist):
    pages = pdf_pages(dist / "duo-it-en.pdf")
    paragraphs = {side: [n for n, text in enumerate(pages, 1) if ("Paragrafo" if side == "it"
                                                                    else "Paragraph") in text]
                  for side in ("it", "en")}
    # The long chapter spans several spreads on both sides, the Italian pages always left.
    assert len(paragraphs["it"]) >= 4 and len(paragraphs["en"]) >= 6
    assert all(n % 2 == 0 for n in paragraphs["it"]) and all(n % 2 for n in paragraphs["en"])


@pytest.mark.slow
def test_page_numbers_run_continuously_from_the_title_page(dist):
    found = folios(dist / "duo-it-en.pdf")
    assert found[0] == ""  # the title page carries no folio
    assert found[1:] == [str(n) for n in range(2, len(found) + 1)]


@pytest.mark.slow
def test_contents_spread_lists_each_side_with_its_own_page_numbers(dist):
    reader = pypdf.PdfReader(dist / "duo-it-en.pdf")
    left, right = (norm(reader.pages[i].extract_text()) for i in (1, 2))
    assert left.startswith("A fronte") is False and "Indice" in left and "Contents" in right
    marks = {norm(item.title): reader.get_destination_page_number(item) + 1
             for item in reader.outline if not isinstance(item, list)}
    assert re.search(rf"Capitolo lungo[ .]*{marks['2 Capitolo lungo']}\b", left), left
    assert re.search(rf"Long chapter[ .]*{marks['2 Long chapter']}\b", right), right


@pytest.mark.slow
def test_title_page_holds_both_titles_each_in_its_language(dist):
    pdf = pikepdf.open(dist / "duo-it-en.pdf")
    text = norm(pypdf.PdfReader(dist / "duo-it-en.pdf").pages[0].extract_text())
    assert "Rapporto a fronte" in text and "Facing report" in text
    assert str(pdf.Root.Lang) == "it-IT"
    assert pdf.open_metadata().get("dc:title") == "Rapporto a fronte / Facing report"


@pytest.mark.slow
def test_pdfua_tree_reads_each_chapter_whole_with_the_translation_marked_in_its_language(dist):
    data = (dist / "duo-it-en.pdf").read_bytes()
    assert pdfua.problems(data) == []
    import pdfua as checker  # the PyPI checker, as for the single editions

    report = checker.validate(str(dist / "duo-it-en.pdf"))
    assert report.exit_code == 0, [f.message for f in report.findings]
    pdf = pikepdf.open(dist / "duo-it-en.pdf")
    assert str(pdf.Root.Lang) == "it-IT"
    top = pdf.Root.StructTreeRoot.K[0]
    parts = [k for k in top.K if isinstance(k, pikepdf.Dictionary)]
    assert str(parts[0].S) == "/Sect"  # the title page, then a part per side of each spread run
    langs = [str(k.get("/Lang", "")) for k in parts[1:]]
    assert langs == ["", "en-US"] * 6  # contents, abstract, three chapters, references

    def headings(element) -> list[str]:
        found = []
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found += [str(kid.S)] if str(kid.S) == "/H1" else headings(kid)
        return found

    # Each part holds one chapter whole (its pages were merged back into one element).
    assert [len(headings(p)) for p in parts[3:]] == [1] * 10


@pytest.mark.slow
def test_facing_pdf_is_byte_identical_across_builds_and_switched_off_by_the_config(tmp_path_factory,
                                                                                   tmp_path):
    a, b = built_twice(tmp_path_factory, tmp_path, "pdf", "en", "facing", "duo-it-en.pdf")
    root = tmp_path / "p"
    assert a.read_bytes() == b.read_bytes()
    assert not (tmp_path / "a" / "duo-it.pdf").exists()  # only what was asked for, and its pair
    config_file = root / "manuscript" / "publication.yaml"
    config_file.write_text(config_file.read_text(encoding="utf-8")
                           + "bilingual:\n  facing-pdf: false\n", encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--out", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "c").glob("*.pdf")) == ["duo-en.pdf", "duo-it.pdf"]


def test_bilingual_switches_must_be_booleans(project):
    from baikonur_pub.errors import ConfigError

    root = project("minimal")
    config_file = root / "manuscript" / "publication.yaml"
    config_file.write_text(config_file.read_text(encoding="utf-8")
                           + "bilingual:\n  facing-pdf: sometimes\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="publication.yaml:22: .facing-pdf. must be true or false"):
        config.load(root)


def test_shipped_config_builds_both_bilingual_artifacts_by_default():
    pub = config.load(REPO)
    assert pub.bilingual.facing_pdf and pub.bilingual.review_docx


@pytest.mark.slow
def test_links_lead_within_their_own_language_and_out_unchanged(dist):
    """Both sides share section IDs: an in-document link (a citation, a cross-reference, a
    contents entry) lands on its own language's page; a web link is kept as written."""
    pdf = pikepdf.open(dist / "duo-it-en.pdf")
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}
    names = pdf.Root.Names.Dests if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names else None
    tree = pikepdf.NameTree(names) if names is not None else {}
    uris, internal = [], []
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.get("/Annots", []):
            action = annotation.get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action.URI))
            elif "/Dest" in annotation or (action is not None and action.get("/S") == "/GoTo"):
                dest = annotation.get("/Dest") if "/Dest" in annotation else action.D
                if isinstance(dest, (pikepdf.String, str)):
                    dest = tree[str(dest)]
                internal.append((number, pages[dest[0].objgen]))
    assert uris.count("https://example.org/baikonur") == 2
    assert internal and all(a % 2 == b % 2 for a, b in internal)  # never across to the other side


@pytest.mark.slow
def test_proof_shows_the_facing_pdf_as_spreads(dist, tmp_path):
    from PIL import Image

    from conftest import need

    need("pdftoppm")
    result = run_cli("proof", "--project", str(dist.parent), "--lang", "en", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "duo-it-en.png" in result.output
    pages = sorted((tmp_path / "duo-it-en").glob("page-*.png"))
    page = Image.open(pages[0])
    sheet = Image.open(tmp_path / "duo-it-en.png")
    spreads = (len(pages) + 1) // 2  # page 1 alone, then pairs
    assert sheet.width > 4 * page.width  # two spreads of two pages a row
    assert sheet.height >= -(-spreads // 2) * page.height


def _flat(outline) -> list:
    return [i for item in outline for i in (_flat(item) if isinstance(item, list) else [item])]


@pytest.mark.slow
def test_facing_depth_two_starts_every_section_on_a_spread_of_its_own(tmp_path):
    root = copy_project("facing", tmp_path / "p")
    config_file = root / "manuscript" / "publication.yaml"
    config_file.write_text(config_file.read_text(encoding="utf-8")
                           + "bilingual:\n  facing-depth: 2\n", encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--lang", "en",
                     "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "out" / "duo-it-en.pdf")
    marks = [(norm(i.title), reader.get_destination_page_number(i) + 1) for i in _flat(reader.outline)]
    pages = dict(marks)
    assert pages["1.1 Sezione annidata"] % 2 == 0
    assert pages["1.1 Nested section"] == pages["1.1 Sezione annidata"] + 1
    assert pages["1.1 Sezione annidata"] > pages["1 Capitolo breve"]  # a spread of its own
    assert pages["2 Long chapter"] == pages["2 Capitolo lungo"] + 1


def test_ids_and_in_document_links_are_made_unique_per_language_and_nothing_else():
    from baikonur_pub.render.facing import _prefixed

    html = ('<h1 id="sec-a">A</h1><p>See <a href="#sec-a">A</a>, <a href="https://e.org/#f">'
            'e</a>, <code>id="x" href="#y"</code></p><svg><use xlink:href="#g"/></svg>')
    escaped = html.replace('<code>id="x" href="#y"</code>', '<code>id=&quot;x&quot;</code>')
    assert _prefixed(escaped, "en") == (
        '<h1 id="en--sec-a">A</h1><p>See <a href="#en--sec-a">A</a>, <a href="https://e.org/#f">'
        'e</a>, <code>id=&quot;x&quot;</code></p><svg><use xlink:href="#en--g"/></svg>')


@pytest.mark.slow
def test_the_fallback_faces_follow_the_text_the_build_writes_into_the_book(tmp_path):
    """A translation in Japanese: the build writes its quotation marks 「」 (typography.yaml),
    which its sources do not hold. The facing PDF declared its fallback faces from the sources
    and drew them from a face that lacks them (the build failed: "character '「' is not
    covered"); it now declares them from the documents it lays out, so they come from Noto
    Serif JP, like the kana. (Found with a real Japanese translation.)"""
    from readers import pdf_fonts

    root = copy_project("facing", tmp_path / "p")
    config_file = root / "manuscript" / "publication.yaml"
    config_file.write_text(config_file.read_text(encoding="utf-8").replace("locale: en-US",
                                                                           "locale: ja-JP"))
    chapter = next((root / "manuscript" / "en").glob("01-*.md"))
    # (Cyrillic too: with Noto Serif declared for it, fontconfig took Noto Serif for 「」)
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n"引用"と書きました。変数 `имя`。\n',
                       encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--lang", "en",
                     "--no-check", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    drawn = pdf_fonts(tmp_path / "out" / "duo-it-en.pdf")
    japanese = "".join(chars for name, chars in drawn.items() if "NotoSerifJP" in name.replace("-", ""))
    assert {"「", "」", "引", "と"} <= set(japanese), drawn.keys()


@pytest.mark.slow
def test_chapters_without_explicit_ids_still_face_their_translations(tmp_path):
    """A translation whose chapter headings carry no `{#…}` has IDs of its own words: the
    chapters pair as the cross-check pairs them. Paired by ID alone, every chapter got spreads
    of its own with the other side blank (found on a real seven-language specification)."""
    import re

    root = copy_project("facing", tmp_path / "p")
    for chapter in (root / "manuscript" / "en").glob("0*.md"):
        text = chapter.read_text(encoding="utf-8")
        chapter.write_text(re.sub(r"^(# .*?) \{#sec-[\w-]+( \.unnumbered)?\}",
                                  lambda m: f"{m.group(1)}" + (" {.unnumbered}" if m.group(2) else ""),
                                  text, flags=re.M), encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--lang", "en",
                     "--no-check", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "out" / "duo-it-en.pdf")
    marks = dict((norm(i.title), reader.get_destination_page_number(i) + 1)
                 for i in reader.outline if not isinstance(i, list))
    for it, en in (("1 Capitolo breve", "1 Short chapter"), ("2 Capitolo lungo", "2 Long chapter"),
                   ("Sintesi", "Abstract")):
        assert marks[it] % 2 == 0 and marks[en] == marks[it] + 1, marks


@pytest.mark.slow
def test_a_right_to_left_primary_language_opens_the_book_from_the_right(tmp_path, dist):
    """Arabic primary, English beside it: viewers show each spread right to left, so the
    primary's (even) page is the right-hand one; a left-to-right primary leaves the default."""
    root = copy_project("arabic", tmp_path / "p")
    source = root / "manuscript" / "publication.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("primary: en", "primary: ar"),
                      encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--no-check",
                     "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(tmp_path / "out" / "arabic-ar-en.pdf")
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"
    ltr = pypdf.PdfReader(dist / "duo-it-en.pdf").trailer["/Root"]["/ViewerPreferences"]
    assert "/Direction" not in ltr and ltr["/DisplayDocTitle"]


def _code_pages(path, indices=None) -> list[list[tuple[float, float, str]]]:
    """The code set on each page (of those at `indices`, every one by default) that holds
    any: its lines top to bottom, each (left edge, baseline, text), in points."""
    reader = pypdf.PdfReader(path)
    pages = []
    for index in range(len(reader.pages)) if indices is None else indices:
        runs: dict[float, list[tuple[float, str]]] = {}

        def keep(text, cm, tm, font, size, runs=runs):
            if text.strip("\n") and font is not None and "Plex-Mono" in str(font.get("/BaseFont")):
                x, y = (tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]) if cm else (tm[4], tm[5])
                runs.setdefault(round(y, 1), []).append((round(x, 1), text))

        reader.pages[index].extract_text(visitor_text=keep)
        if runs:
            pages.append([(min(runs[y])[0], y, "".join(t for _, t in sorted(runs[y])))
                          for y in sorted(runs, reverse=True)])
    return pages


@pytest.mark.slow
def test_code_beside_its_translation_is_set_line_for_line_as_in_the_editions_own_pdfs(tmp_path):
    """tests/roots/xf-code: a code line longer than the measure, a blank code line, a block
    taller than a page. Each side of the facing PDF sets them as its edition's own PDF does
    (the facing layout sizes code lines its own way, without WeasyPrint's shrink-to-fit, which
    cost a book of code a third of its layout): the same lines, wrapped at the same places,
    with the same indents, the block taller than a page over several pages, the wrapped line's
    continuation indented 2em and the blank line kept."""
    root = copy_project("xf-code", tmp_path / "p")
    result = run_cli("build", "--project", str(root), "--format", "pdf", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    facing = tmp_path / "out" / "xfcode-it-en.pdf"
    count = len(pypdf.PdfReader(facing).pages)
    for code, first in (("it", 1), ("en", 2)):  # page 2 (index 1) is the primary's, page 3 the other's
        side = _code_pages(facing, range(first, count, 2))
        own = _code_pages(tmp_path / "out" / f"xfcode-{code}.pdf")
        # the same lines, wrapped and indented alike; the pages may break elsewhere, as a
        # chapter starts a spread here and a long block goes on over its page (html.long_code)
        assert [(x, t) for p in side for x, _, t in p] == [(x, t) for p in own for x, _, t in p]
        short, long_, *wrapped, last = side[0]
        assert short[2] == "short_line <- 1" and long_[2].startswith("after_blank <- ggplot(")
        assert last[2] == "last_line <- 2" and last[0] == long_[0] == short[0]
        assert wrapped and all(x - long_[0] == pytest.approx(2 * 8.5, abs=0.5)  # hung 2em in
                               for x, _, _ in wrapped)
        step = long_[1] - wrapped[0][1]  # one line down; a blank line before after_blank
        assert short[1] - long_[1] == pytest.approx(2 * step, abs=0.5)
        steps = [[t.split(" ", 1)[0] for _, _, t in p] for p in side[1:]]
        assert len(steps) >= 2 and sum(steps, []) == [f"step_{i:03d}" for i in range(1, 91)]
