"""What an edition takes from its language when the configuration leaves it out: the locale
(CLDR's likely one for the code), the reference list's heading, the words of the title page and
contents (styles/typography.yaml), and the date as the locale writes it."""

from __future__ import annotations

import pytest

from baikonur_pub import bibliography, config
from baikonur_pub.ast import stringify
from baikonur_pub.errors import ConfigError
from baikonur_pub.manuscript import assemble, formatted_date
from baikonur_pub.pandoc import Pandoc


def test_a_language_without_locale_or_references_title_gets_its_own(project):
    """`zh:` with a title and chapters only: CLDR's likely locale (zh-CN), and the reference
    list's heading in Chinese (styles/typography.yaml), not in English."""
    root = project("minimal")
    source = root / "manuscript" / "publication.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("    locale: it-IT\n", "").replace("    references-title: Riferimenti\n", "")
    source.write_text(text, encoding="utf-8")
    text = text.replace("  en:\n    locale: en-US\n    title: Sample report\n    references-title: References\n",
                        "  zh:\n    title: 示例报告\n")
    source.write_text(text.replace("en/0", "zh/0"), encoding="utf-8")
    references = root / "manuscript" / "references.yaml"
    references.write_text(references.read_text(encoding="utf-8").replace("en: A title", "zh: 标题"),
                          encoding="utf-8")
    (root / "manuscript" / "en").rename(root / "manuscript" / "zh")
    pub = config.load(root)
    assert pub.language("it").locale == "it-IT" and pub.language("zh").locale == "zh-CN"
    pandoc, bib = Pandoc.locate(), bibliography.load(pub)
    headings = {code: [stringify(b["c"][2]) for b in assemble(pub, pub.language(code), pandoc, bib).ast["blocks"]
                       if b["t"] == "Header"] for code in ("it", "zh")}
    assert headings["it"][-1] == "Riferimenti bibliografici" and headings["zh"][-1] == "参考文献"
    assert formatted_date(pub, pub.language("zh")) == "2024年3月1日"
    assert formatted_date(pub, pub.language("it")) == "1 marzo 2024"


def test_a_language_babel_does_not_know_needs_its_locale(project):
    root = project("minimal")
    source = root / "manuscript" / "publication.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("  en:\n    locale: en-US\n",
                                                                 "  qqx:\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(root)
    assert "manuscript/publication.yaml:14: language 'qqx' is not one Babel knows: give its " \
           "'locale'" in caught.value.format_message()


@pytest.mark.slow  # pandoc and WeasyPrint: one Japanese PDF
def test_a_japanese_title_page_and_contents_are_in_japanese(project):
    """The title page named the edition "日本語 edition" and the contents "Contents": the
    templates knew seven languages' words; they now come from styles/typography.yaml. The
    EPUB's landmarks were English too."""
    from pypdf import PdfReader

    from conftest import run_cli

    root = project("minimal")
    source = root / "manuscript" / "publication.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("  en:\n    locale: en-US\n    title: Sample report\n    "
                                   "references-title: References\n", "  ja:\n    title: 試験報告\n")
                      .replace("en/0", "ja/0"), encoding="utf-8")
    (root / "manuscript" / "en").rename(root / "manuscript" / "ja")
    references = root / "manuscript" / "references.yaml"
    references.write_text(references.read_text(encoding="utf-8").replace("en: A title", "ja: 表題"),
                          encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--lang", "ja", "--format", "pdf",
                     "--format", "epub", "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    pages = [page.extract_text() for page in PdfReader(root / "dist" / "sample-ja.pdf").pages]
    assert "2024年3月1日" in pages[0] and "日本語版" in pages[0] and "イタリア語版" in pages[0]
    assert "目次" in pages[1] and "Contents" not in "".join(pages)
    assert "参考文献" in "".join(pages)
    # the EPUB's landmarks (the reading system's "go to" menu: styles/epub.yaml) too
    import zipfile

    with zipfile.ZipFile(root / "dist" / "sample-ja.epub") as epub:
        nav = epub.read("EPUB/nav.xhtml").decode("utf-8")
    landmarks = nav[nav.index('epub:type="landmarks"'):]
    assert all(word in landmarks for word in ("表紙", "扉", "目次", "本文の開始")), landmarks


def test_an_edited_typography_file_is_read_again_by_the_same_process(project):
    """A process that builds more than once (the preview, the tests) kept styles/typography.yaml
    by its path: a label edited after the first build was never seen. It is kept by its text."""
    from baikonur_pub.render import typography

    root = project("minimal")
    pub = config.load(root)
    assert typography.word(pub, "it-IT", "contents") == "Indice"
    settings = root / "styles" / "typography.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("contents: Indice,",
                                                                     "contents: Sommario,"),
                        encoding="utf-8")
    assert typography.word(pub, "it-IT", "contents") == "Sommario"
