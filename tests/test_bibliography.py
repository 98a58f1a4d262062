"""The bibliography in any of the forms authors keep it: CSL-YAML (per-language fields),
CSL-JSON, BibLaTeX (`.bib`) and BibTeX (`.bibtex`), each read into the same entries."""

from __future__ import annotations

import json
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader

from baikonur_pub import bibliography, config
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


def test_the_compact_default_style_cites_and_lists_as_pandocs_own(tmp_path):
    """The parse gives citeproc pandoc's default style without its blank text and comments
    (`Pandoc.default_csl`: half of citeproc's time on a chapter): citations and the reference
    list come out as with pandoc's own file."""
    from baikonur_pub.pandoc import Pandoc

    pandoc = Pandoc.locate()
    (tmp_path / "refs.yaml").write_text(
        "references:\n- id: rossi2020\n  type: article-journal\n  author: [{family: Rossi, given: A.}]\n"
        "  issued: 2020\n  title: A title\n  container-title: Journal of Samples\n  page: 3-9\n"
        "- id: bianchi\n  type: book\n  author: [{family: Bianchi, given: B.}, {family: Verdi, given: C.}]\n"
        "  issued: 2019\n  title: A book\n  publisher: Press\n", encoding="utf-8")
    (tmp_path / "compact.csl").write_bytes(pandoc.default_csl())
    (tmp_path / "own.csl").write_bytes(pandoc.data_file("default.csl"))
    text = "As [@rossi2020, p. 4] and @bianchi say [see @bianchi; @rossi2020].\n"
    own, compact = (pandoc.read_markdown(text, "test", meta={"lang": "it-IT"},
                                         citeproc=(tmp_path / "refs.yaml", tmp_path / style))[0]
                    for style in ("own.csl", "compact.csl"))
    assert own["blocks"] == compact["blocks"] and "Bianchi" in json.dumps(own["blocks"])
    assert len(pandoc.default_csl()) < 0.65 * len(pandoc.data_file("default.csl"))
