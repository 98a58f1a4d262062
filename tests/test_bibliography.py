"""The bibliography in any of the forms authors keep it: CSL-YAML (per-language fields),
CSL-JSON, BibLaTeX (`.bib`) and BibTeX (`.bibtex`), each read into the same entries; and what
an edition needs of its language that the configuration leaves out."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document
from pypdf import PdfReader

from baikonur_pub import bibliography, config
from baikonur_pub.ast import stringify
from baikonur_pub.errors import ConfigError
from baikonur_pub.manuscript import assemble
from baikonur_pub.pandoc import Pandoc
from conftest import run_cli

BIBLATEX = """% the same entry as references.yaml's, in English, as an author keeps it
@string{jos = "Journal of Samples"}

@article{rossi2020,
  author       = {Rossi, A.},
  title        = {A title},
  journaltitle = jos,
  date         = {2020},
}

@book{bianchi2019,
  author       = {Bianchi, B.},
  title        = {Un libro},
  date         = {2019},
  langid       = {italian},
}
"""


def _with_bibliography(root, name: str, text: str) -> None:
    (root / "manuscript" / name).write_text(text, encoding="utf-8")
    source = root / "manuscript" / "publication.yaml"
    settings = source.read_text(encoding="utf-8").replace("bibliography: references.yaml",
                                                          f"bibliography: {name}")
    source.write_text(settings, encoding="utf-8")


def _references(docx_path) -> list[str]:
    paragraphs = [p.text for p in Document(str(docx_path)).paragraphs]
    start = paragraphs.index("References") + 1
    return [p for p in paragraphs[start:] if p.strip()]


def test_a_biblatex_file_gives_the_entries_each_located_at_its_line(project):
    root = project("minimal")
    _with_bibliography(root, "references.bib", BIBLATEX)
    bib = bibliography.load(config.load(root))
    rossi, bianchi = bib.entries
    assert rossi["id"] == "rossi2020" and rossi["title"] == "A title"
    assert rossi["container-title"] == "Journal of Samples"  # the @string macro, expanded
    assert bianchi["language"] == "it-IT"  # biblatex's langid, as CSL's language
    assert (bib.lines[(0, "id")], bib.lines[(1, "id")]) == (4, 11)


@pytest.mark.slow  # pandoc and WeasyPrint: the English edition in every format
def test_a_biblatex_bibliography_gives_the_reference_list_csl_yaml_gives(project, tmp_path):
    """The English edition built from references.yaml and from the same entry in BibLaTeX:
    the DOCX reference lists are the same, and the PDF and EPUB list the entry too."""
    made = {}
    for name in ("references.yaml", "references.bib"):
        root = project("minimal") if name.endswith("yaml") else tmp_path / "bib"
        if name.endswith("bib"):
            from conftest import copy_project

            root = copy_project("minimal", root)
            _with_bibliography(root, name, BIBLATEX)
        result = run_cli("build", "--project", str(root), "--lang", "en", "--out", str(root / "dist"))
        assert result.exit_code == 0, result.output
        made[name] = root / "dist"
    yaml_refs, bib_refs = (_references(made[n] / "sample-en.docx") for n in made)
    assert bib_refs == yaml_refs and "Rossi, A. 2020. “A Title.” Journal of Samples." in bib_refs[0]
    pdf_text = "".join(page.extract_text() for page in PdfReader(made["references.bib"] / "sample-en.pdf").pages)
    assert "Rossi, A. 2020. “A Title.” Journal of Samples." in pdf_text
    with zipfile.ZipFile(made["references.bib"] / "sample-en.epub") as epub:
        pages = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    assert 'id="ref-rossi2020"' in pages and "Journal of Samples" in pages


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


def test_a_language_babel_does_not_know_needs_its_locale(project):
    root = project("minimal")
    source = root / "manuscript" / "publication.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("  en:\n    locale: en-US\n",
                                                                 "  qqx:\n"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(root)
    assert "manuscript/publication.yaml:14: language 'qqx' is not one Babel knows: give its " \
           "'locale'" in caught.value.format_message()
