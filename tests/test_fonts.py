"""Fallback fonts per script (styles/fonts.yaml): Greek and Cyrillic in every style, CJK, emoji,
SVG text, and the glyph check that still names every character no font has."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from baikonur_pub import config
from baikonur_pub.errors import PublishError
from baikonur_pub.render import fonts

from conftest import REPO, copy_project, run_cli
from readers import pdf_fonts

ITALICS = {"en": "\nIn italics, *Ἀρχιμήδης and Циолковский*; in bold italics, ***φύσις ракета***.\n",
           "it": "\nIn corsivo, *Ἀρχιμήδης e Циолковский*; in grassetto corsivo, ***φύσις ракета***.\n"}


def shipped():
    return config.load(REPO)


# --- the plan: which face sets which character --------------------------------------------------

def test_greek_and_cyrillic_go_to_noto_because_the_italics_lack_them():
    plan = fonts.plan(shipped())
    for char in "λόγοςЦиолковский":
        assert plan.owner("text", ord(char)) == "Noto Serif", char
        assert plan.owner("heading", ord(char)) == "Noto Sans", char
    assert plan.owner("text", ord("a")) is None and plan.owner("text", ord("è")) is None


def test_cjk_emoji_and_right_to_left_scripts_have_a_face_and_cherokee_has_none():
    plan = fonts.plan(shipped())
    assert plan.owner("text", ord("宇")) == "Noto Serif JP"
    assert plan.owner("heading", ord("宙")) == "Noto Sans JP"
    assert plan.owner("text", ord("🚀")) == "Noto Emoji"
    assert plan.owner("text", ord("ب")) == "Amiri" and plan.owner("heading", ord("ب")) == "Amiri"
    assert plan.owner("text", ord("ש")) == "Noto Sans Hebrew"
    assert plan.owner("text", ord("क")) == "Noto Sans Devanagari"
    assert plan.owner("text", ord("ሰ")) == "Noto Sans Ethiopic"
    assert ord("Ꮳ") not in fonts.covered(shipped())


def test_the_character_map_read_of_every_packaged_font_is_the_one_fonttools_reads():
    from fontTools.ttLib import TTFont

    from baikonur_pub.render import html

    plan = fonts.plan(shipped())
    paths = {f.path for f in html.fonts()} | {p for fb in plan.fallbacks.values()
                                              for p in fb.files.values()}
    assert len(paths) > 30
    for path in paths:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            assert fonts.cmap(path) == frozenset(font["cmap"].getBestCmap()), path.name


def test_pdf_family_lists_put_declared_fallbacks_first_and_epub_lists_the_primary_first():
    pub = shipped()
    pdf = fonts.expand("p { font: italic 10pt var(--font-text) }", pub, "pdf", {"Noto Serif"})
    assert pdf == 'p { font: italic 10pt "Noto Serif", "Source Serif Pro" }'
    epub = fonts.stacks(pub, "epub")["text"]
    assert epub.startswith('"Source Serif Pro", "Noto Serif"') and epub.endswith("serif")
    assert fonts.stacks(pub, "pdf", only=set())["code"] == '"IBM Plex Mono", "Source Sans Pro"'


def test_a_pdf_page_declares_only_the_fallbacks_its_text_needs():
    faces = fonts.pdf_faces(shipped(), "Plain Latin text, àèìòù.")
    assert faces == []
    faces = fonts.pdf_faces(shipped(), "Greek λόγος")
    assert {f.family for f in faces} == {"Noto Serif", "Noto Sans"}
    assert all("U+3BB" in f.range and "U+61" not in f.range.split(", ") for f in faces)


def test_fonts_yaml_problems_name_the_file_and_line(tmp_path):
    copy_project("shipped", tmp_path)
    (tmp_path / "styles/fonts.yaml").write_text(
        "fonts:\n  Missing Face:\n    package: no_such_font_package_xyz\n    pip: no-such-font\n"
        "    regular: X.ttf\nscripts:\n  klingon: {text: [Missing Face]}\n")
    pub = config.load(tmp_path)
    with pytest.raises(PublishError) as caught:
        fonts.plan(pub)
    message = str(caught.value.format_message()) if hasattr(caught.value, "format_message") else str(caught.value)
    text = str(caught.value) + message
    assert "styles/fonts.yaml:3" in text and "pip install no-such-font" in text
    assert "unknown script 'klingon'" in text


def test_an_svg_naming_fonts_we_do_not_ship_is_given_ours():
    from baikonur_pub import svgtext

    stacks = fonts.stacks(shipped(), "pdf", only=set())
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><style>.t { font-family: Georgia; }</style>'
           b'<text font-family="Helvetica, Arial">a</text>'
           b'<text style="font-size: 3px; font-family: \'Courier New\'">b</text></svg>')
    out = svgtext.prepare(svg, stacks).decode()
    assert "Helvetica" not in out and "Courier" not in out and "Georgia" not in out
    assert "font-family=\"'Source Sans Pro'\"" in out
    assert "font-family: 'IBM Plex Mono', 'Source Sans Pro'" in out
    assert ".t { font-family: 'Source Serif Pro'" in out



def test_an_svgs_own_web_fonts_are_dropped_and_its_other_rules_kept():
    """Drawing tools export `@import url(https://fonts.…)` and `@font-face` with the SVG: the
    policy lets a top-level one through only because the renderers' copy has none."""
    from baikonur_pub import css, markup, svgtext

    stacks = fonts.stacks(shipped(), "pdf", only=set())
    style = ("@import url(https://fonts.example/css?family=Open+Sans);"
             "@font-face{font-family:'PT Mono';src:url(/font/PTMono.woff2)}"
             ".t{font-family:'PT Mono';fill:#181717}")
    css.check_css(style, svg=True)
    with pytest.raises(markup.Refusal):
        css.check_css(style)  # in a manuscript's own style attribute or HTML: refused
    with pytest.raises(markup.Refusal):  # nested in another rule: refused like any url()
        css.check_css("@media print{@font-face{src:url(/x.woff)}}", svg=True)
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><style>{style}</style><text class="t">a</text></svg>'
    out = svgtext.prepare(svg.encode(), stacks).decode()
    assert "@import" not in out and "@font-face" not in out and "url(" not in out
    assert "IBM Plex Mono" in out and "PT Mono" not in out  # a monospaced name: the code face
    assert "fill:#181717" in out


# --- end to end ---------------------------------------------------------------------------------

@pytest.mark.slow
def test_italic_greek_and_cyrillic_build_twice_with_the_cache_in_place(project, tmp_path):
    """Recipe 12.12: italic Greek and Cyrillic, built, edited and built again with the cache in
    place, then forced in one process: every build passes, and the italics come from Noto
    Serif Italic, never from a slanted upright face or a host font."""
    root = project("minimal")
    for code, chapter in (("en", "en/01-one.md"), ("it", "it/01-uno.md")):
        path = root / "manuscript" / chapter
        path.write_text(path.read_text() + ITALICS[code])
    env_cache = {"BAIKONUR_CACHE": str(tmp_path / "cache")}
    runs = [["build", "--format", "pdf"], ["build", "--format", "pdf"],
            ["build", "--format", "pdf", "--jobs", "1", "--force"]]
    for index, args in enumerate(runs):
        if index == 1:
            path = root / "manuscript/en/01-one.md"
            path.write_text(path.read_text() + "\nOne more *Ω* line.\n")
        proc = subprocess.run([sys.executable, "-m", "baikonur_pub", *args, "--project", str(root)],
                              capture_output=True, text=True, cwd=root, env={**_env(), **env_cache})
        assert proc.returncode == 0, proc.stderr
        for code in ("en", "it"):
            used = pdf_fonts(root / "dist" / f"sample-{code}.pdf")
            italic = "".join(t for name, t in used.items() if name.startswith("Noto-Serif-Bold-Italic")
                             or name.startswith("Noto-Serif-Italic"))
            assert set("ἈρχιμήδηςЦиолковскийφύσιςракета") <= set(italic), used
            assert all(name.startswith(("Source-", "Noto-", "IBM-Plex")) for name in used), used


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != "BAIKONUR_CACHE"}


@pytest.mark.slow
def test_cjk_and_emoji_reach_every_format(project):
    root = project("minimal")
    for chapter in ("en/01-one.md", "it/01-uno.md"):
        path = root / "manuscript" / chapter
        path.write_text(path.read_text() + "\nSpace: 宇宙 🚀, and *λόγος*.\n")
    result = run_cli("build", "--project", str(root), "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    used = pdf_fonts(root / "dist/sample-en.pdf")
    assert "宇" in used.get("Noto-Serif-JP", "") and "🚀" in used.get("Noto-Emoji", ""), used
    with zipfile.ZipFile(root / "dist/sample-en.epub") as epub:
        names = epub.namelist()
        css = "".join(epub.read(n).decode() for n in names if n.endswith(".css"))
        assert any("NotoSerifJP" in n for n in names) and any("NotoEmoji" in n for n in names)
        assert '"Source Serif Pro", "Noto Serif"' in css and "Noto Serif JP" in css
        serif = next(n for n in names if n.endswith("SourceSerifPro-Regular.otf"))
        assert _has(epub.read(serif), "a") and not _has(epub.read(serif), "λ")  # left to Noto
    with zipfile.ZipFile(root / "dist/sample-en.docx") as docx:
        document = docx.read("word/document.xml").decode()
    assert re.search(r'w:ascii="Noto Serif JP"[^>]*/>(<[^>]+>)*<w:t[^>]*>宇宙', document)
    assert re.search(r'w:ascii="Noto Emoji"[^>]*/>(<[^>]+>)*<w:t[^>]*>🚀', document)


def _has(font: bytes, char: str) -> bool:
    from fontTools.ttLib import TTFont

    return ord(char) in TTFont(io.BytesIO(font))["cmap"].getBestCmap()


@pytest.mark.slow
def test_svg_text_in_a_font_we_do_not_ship_builds_and_its_glyph_errors_name_the_svg(project):
    root = project("minimal")
    folder = root / "manuscript/en/img"
    folder.mkdir(parents=True)
    svg = folder / "chart.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">\n'
                   '<text x="4" y="20" font-family="Helvetica">Axis s</text>\n</svg>\n')
    chapter = root / "manuscript/en/01-one.md"
    chapter.write_text(chapter.read_text() + "\n![A chart](img/chart.svg)\n")
    args = [sys.executable, "-m", "baikonur_pub", "build", "--format", "pdf", "--lang", "en",
            "--no-check", "--project", str(root)]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert all(n.startswith(("Source-", "Noto-", "IBM-Plex"))
               for n in pdf_fonts(root / "dist/sample-en.pdf"))
    svg.write_text(svg.read_text().replace("Axis s", "Axis Ꮳ"))
    proc = subprocess.run(args, capture_output=True, text=True, cwd=root)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if not line.startswith("draft:")]
    assert len(errors) == 1 and re.fullmatch(r"manuscript/en/img/chart\.svg:2: character 'Ꮳ' .*",
                                              errors[0]), proc.stderr


def test_an_optional_font_not_installed_is_skipped_and_named_in_the_hint(tmp_path):
    copy_project("shipped", tmp_path)
    (tmp_path / "styles/fonts.yaml").write_text(
        "fonts:\n  Fake Hangul:\n    package: no_such_font_package_xyz\n    pip: fake-hangul\n"
        "    optional: true\n    regular: X.ttf\nscripts:\n  cjk: {text: [Fake Hangul]}\n")
    pub = config.load(tmp_path)
    assert fonts.plan(pub).fallbacks == {}
    assert fonts.hint(pub, "한").endswith("pip install fake-hangul)")
    assert fonts.hint(pub, "a") == ""


def test_a_font_made_for_the_edition_language_comes_first():
    pub = shipped()
    assert fonts.plan(pub, "ja").owner("text", ord("宇")) == "Noto Serif JP"
    assert fonts.plan(pub, "en").owner("text", ord("宇")) == "Noto Serif JP"  # first listed


def test_every_family_in_the_style_sheets_is_a_role_the_fallbacks_follow():
    """A family named in styles/*.css as itself ("Source Sans Pro") has no fallbacks: the facing
    title page once set an Arabic date in a host font (DejaVu Sans) and the build refused it.
    Every `font` and `font-family` declaration names var(--font-text|heading|code)."""
    import tinycss2

    def declarations(content):
        for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration":
                yield item
            elif item.type in ("at-rule", "qualified-rule") and item.content is not None:
                if getattr(item, "lower_at_keyword", "") != "font-face":
                    yield from declarations(item.content)

    sheets = sorted((REPO / "styles").glob("*.css"))
    assert len(sheets) >= 3
    for sheet in sheets:
        for rule in tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"), skip_comments=True,
                                              skip_whitespace=True):
            if rule.type == "error" or getattr(rule, "lower_at_keyword", "") == "font-face":
                continue
            for declaration in declarations(rule.content or []):
                if declaration.lower_name in ("font", "font-family"):
                    value = tinycss2.serialize(declaration.value)
                    assert "var(--font-" in value or value.strip() == "inherit", \
                        f"{sheet.name}: {declaration.lower_name}: {value}"


def test_the_hint_for_a_hangul_syllable_names_the_korean_fonts_alone():
    """Hangul is Korean's alone: the hint named the simplified-Chinese package too (both are
    optional CJK faces in styles/fonts.yaml), found on a README's language selector."""
    from baikonur_pub import config
    from baikonur_pub.render import fonts

    pub = config.load(Path(__file__).parent / "roots" / "minimal")
    hint = fonts.hint(pub, "한")
    installed = fonts.plan(pub).owner("text", ord("한")) is not None
    assert hint == "" if installed else hint.endswith("pip install pylopdf-fonts-ko)"), hint


def test_the_hint_for_a_han_character_names_the_package_made_for_the_language():
    """A simplified character no installed face has (时): the Chinese fonts, not the Korean
    ones too (they hold only the Hanja); a Korean edition's hint names the Korean fonts."""
    from baikonur_pub import config
    from baikonur_pub.render import fonts

    pub = config.load(Path(__file__).parent / "roots" / "minimal")
    if fonts.plan(pub).owner("text", ord("时")) is not None:
        assert fonts.hint(pub, "时") == ""
        return
    assert fonts.hint(pub, "时").endswith("pip install pylopdf-fonts-zh-cn)")
    assert fonts.hint(pub, "时", "zh-TW").endswith("pip install pylopdf-fonts-zh-cn)")
    assert fonts.hint(pub, "时", "ko").endswith("pip install pylopdf-fonts-ko)")


def test_an_svgs_ids_become_xml_names_used_once_and_references_follow():
    """Drawing tools name elements after their layers (`Oval-9` twice, `https://x`); EPUBCheck
    refused such figures (RSC-005). A reference to a repeated ID keeps meaning the first."""
    from lxml import etree

    from baikonur_pub import svgtext

    svg = (b'<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="Gradient 1"/>'
           b'<path id="&lt;p&gt;" d="M0 0h1" style="fill: url(#Gradient 1)"/></defs>'
           b'<use href="#&lt;p&gt;"/><circle id="Oval-9" fill="url(#Oval-9)"/><circle id="Oval-9"/>'
           b'<text id="https://x">a</text></svg>')
    root = etree.fromstring(svgtext.prepare(svg, fonts.stacks(shipped(), "pdf", only=set())))
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 5
    assert all(re.fullmatch(r"[A-Za-z_][\w.-]*", i) for i in ids), ids
    by_tag = {etree.QName(e).localname: e for e in root.iter() if isinstance(e.tag, str)}
    assert by_tag["use"].get("href") == "#" + by_tag["path"].get("id")
    assert by_tag["path"].get("style") == f"fill: url(#{root[0][0].get('id')})"
    circles = root.findall("{http://www.w3.org/2000/svg}circle")
    assert circles[0].get("id") == "Oval-9" and circles[0].get("fill") == "url(#Oval-9)"
    plain = b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>'
    assert svgtext.prepare(plain, {}) == plain  # valid IDs: the file as it was


SVG_11 = (b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
          b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
          b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"/></svg>')


def test_an_svg_naming_svg_11s_dtd_is_taken_and_shipped_without_its_doctype():
    """Inkscape and Graphviz write SVG 1.1's DOCTYPE: the figure passes the policy, and what the
    renderers get has no DOCTYPE (no DTD for a renderer or a validator to fetch)."""
    from lxml import etree

    from baikonur_pub import css, svgtext

    css.check_svg(SVG_11, "fig.svg")
    out = svgtext.prepare(SVG_11, {})
    assert b"DOCTYPE" not in out and b"svg11.dtd" not in out
    assert etree.fromstring(out).find("{http://www.w3.org/2000/svg}g").get("id") == "a"


@pytest.mark.parametrize("subset", [
    b'<!ENTITY x SYSTEM "file:///etc/passwd">',
    b'<!ATTLIST image href CDATA "file:///etc/passwd">',  # a default the renderer would see
    b'<!ELEMENT svg ANY>',
])
def test_an_svg_whose_doctype_declares_anything_is_refused(subset):
    from baikonur_pub import css, markup

    for doctype in (b'<!DOCTYPE svg [' + subset + b']>',
                    b'<!DOCTYPE svg SYSTEM "a>b" [' + subset + b']>'):
        svg = doctype + b'<svg xmlns="http://www.w3.org/2000/svg"><image/></svg>'
        with pytest.raises(markup.Refusal, match="DOCTYPE that declares"):
            css.check_svg(svg, "fig.svg")


@pytest.mark.slow
def test_characters_a_font_not_installed_would_cover_are_one_line_naming_it(tmp_path):
    """A chapter in a script no installed font has was 20 lines of one character each, then
    "… and N more", every line with the same package to install: one line, at the first."""
    copy_project("shipped", tmp_path)
    (tmp_path / "styles/fonts.yaml").write_text(
        "fonts:\n  Fake Hangul:\n    package: no_such_font_package_xyz\n    pip: fake-hangul\n"
        "    optional: true\n    regular: X.ttf\nscripts:\n  cjk: {text: [Fake Hangul]}\n")
    chapter = sorted((tmp_path / "manuscript/en").glob("*.md"))[1]
    lines = chapter.read_text(encoding="utf-8").count("\n")
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n한국어 문장입니다 가나다라마바사아자차카타파하.\n",
                       encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--lang", "en",
                           "--format", "pdf", "--no-check"], capture_output=True, text=True,
                          cwd=tmp_path)
    errors = [line for line in proc.stderr.splitlines() if not line.startswith("draft:")]
    assert proc.returncode == 1 and len(errors) == 1, proc.stderr
    assert re.fullmatch(rf"manuscript/en/{chapter.name}:{lines + 2}: 21 characters \('한', '국', .*, …\) "
                        r"are not covered by the fonts \(fonts.yaml lists fonts for them that are not "
                        r"installed: pip install fake-hangul\)", errors[0]), errors[0]


@pytest.mark.slow
def test_phonetic_letters_combining_marks_sub_and_superscripts_and_ligatures_are_set(project):
    """IPA (`/vjuː/`, ʃ, ɐ), phonetic extensions (ᵻ), Latin Extended-E (ꭓ), a decomposed é,
    H₂O, x⁴ and ﬁ: the Latin fallback has them, but its script's ranges stopped at U+024F and
    the build refused them as covered by no font."""
    from conftest import append, draft

    root = project("minimal")
    line = "Said /vjuː/ ʃɐ ᵻ, H₂O x⁴ and the ﬁne de\u0301cor ꭓ."
    append(root, "en/02-two.md", f"\n{line}\n")
    text = "".join(page.extract_text() for page in
                   __import__("pypdf").PdfReader(draft(root, "en", "pdf") / "sample-en.pdf").pages)
    for word in ("/vjuː/", "ʃɐ", "ᵻ", "H₂O", "x⁴", "ꭓ"):
        assert word in text, word


@pytest.mark.slow
def test_box_drawing_in_code_is_set_in_the_code_face_and_in_prose_still_refused(project):
    """A directory tree in a code block (`├── main.py`, common in software docs) was refused
    as covered by no font: the check before the layout knew only the prose faces, while code
    is set in the monospaced face, which has box drawing. In a paragraph it is still refused,
    at its line: no prose face has it."""
    from pypdf import PdfReader

    from conftest import append, draft

    root = project("minimal")
    append(root, "en/02-two.md", "\n```\n.\n├── app\n│   └── main.py\n```\n")
    text = "".join(p.extract_text() for p in PdfReader(draft(root, "en", "pdf") / "sample-en.pdf").pages)
    assert "├── app" in text and "│   └── main.py" in text
    append(root, "en/02-two.md", "\nA tree ├ in prose.\n")
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "pdf",
                     "--no-check", "--out", str(root / "out"))
    errors = [line for line in result.output.splitlines() if "not covered" in line]
    assert result.exit_code == 1 and errors == [
        "manuscript/en/02-two.md:11: character '├' (U+251C, box drawings light vertical and "
        "right) is not covered by the fonts"], result.output


@pytest.mark.slow
def test_raw_html_keys_and_sample_output_are_set_in_the_code_face(project):
    """`<kbd>Ctrl</kbd>` and `<samp>`: the browser's default for them is `monospace`, a font of
    the build machine, so the PDF build failed with "character 'C' is not covered by the
    fonts" for plain letters. They are set in the code face, as `<code>` is."""
    from conftest import append, draft

    root = project("minimal")
    append(root, "en/02-two.md", "\nPress <kbd>Ctrl</kbd>+<kbd>Q</kbd> to see <samp>Quit</samp>.\n")
    used = pdf_fonts(draft(root, "en", "pdf") / "sample-en.pdf")
    assert {"C", "t", "r", "l", "Q", "u", "i"} <= set(used["IBM-Plex-Mono"]), used


@pytest.mark.slow
def test_a_style_naming_a_family_not_shipped_is_named_as_such_not_as_uncovered_letters(project):
    """A rule in styles/pdf.css naming a family the build does not ship made Pango draw the
    text in a font of the machine, and the build said "character 'e' is not covered by the
    fonts" for plain letters, at lines that had nothing to do with it."""
    root = project("minimal")
    with open(root / "styles" / "pdf.css", "a", encoding="utf-8") as sheet:
        sheet.write('\nh1 { font-family: "Not A Shipped Face", sans-serif; }\n')
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "pdf",
                     "--no-check", "--out", str(root / "out"))
    lines = [line for line in result.output.splitlines() if "font" in line]
    assert result.exit_code == 1 and lines, result.output  # one for each PDF (and the facing)
    for line in lines:
        assert re.fullmatch(r"styles: (en|it): text the packaged fonts set was drawn in '[^']+', a "
                            r"font of this machine \('[^']+'…\): a style sets it in a family the "
                            r"build does not ship; name one of IBM Plex Mono, Source Sans Pro, "
                            r"Source Serif Pro or of fonts\.yaml", line), line
    assert "not covered" not in result.output
