"""Numbered figures and tables, cross-references in Quarto's syntax, in the edition's language."""

from __future__ import annotations

import zipfile

from pypdf import PdfReader

from baikonur_pub import build, config

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                    "0000000c4944415478da63f8cfc000000301010018dd8db00000000049454e44ae426082")
TEXT = {
    "it": ("01-uno.md", "Come mostra @fig-map (e [-@tbl-data] in @sec-two):\n\n"
                        "![Una mappa](map.png){#fig-map}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                        ": Dati {#tbl-data}\n"),
    "en": ("01-one.md", "As @fig-map shows (and [-@tbl-data] in @sec-two):\n\n"
                        "![A map](map.png){#fig-map}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                        ": Data {#tbl-data}\n"),
}


def test_figures_tables_and_sections_are_numbered_and_linked_in_each_language(project, tmp_path,
                                                                              monkeypatch):
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    root = project("minimal")
    for code, (chapter, text) in TEXT.items():
        (root / "manuscript" / code / "map.png").write_bytes(PNG)
        path = root / "manuscript" / code / chapter
        path.write_text(path.read_text() + "\n" + text)
    build.build(config.load(root), jobs=1)  # one process: the fast path
    expected = {"it": ["Figura\u00a01", "(e 1 in Sezione\u00a02)", "Figura 1: Una mappa", "Tabella 1: Dati"],
                "en": ["Figure\u00a01", "(and 1 in Section\u00a02)", "Figure 1: A map", "Table 1: Data"]}
    for code, wanted in expected.items():
        pdf = " ".join(p.extract_text() for p in PdfReader(root / f"dist/sample-{code}.pdf").pages)
        with zipfile.ZipFile(root / f"dist/sample-{code}.docx") as archive:
            docx = archive.read("word/document.xml").decode()
        with zipfile.ZipFile(root / f"dist/sample-{code}.epub") as archive:
            epub = " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml"))
        for text in wanted:
            assert " ".join(text.split()) in " ".join(pdf.split()), (code, text)
        assert 'href="#fig-map"' in epub or "#fig-map" in epub
        assert wanted[0] in docx.replace("&#160;", "\u00a0")
    # The facing-page edition numbers each side in its own language, and its links (the IDs
    # made unique per side) land on that side's own figure.
    facing = PdfReader(root / "dist/sample-it-en.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in facing.pages)
    for wanted in expected.values():
        for caption in wanted[2:]:
            assert caption in text, caption
    named = {str(name) for name in facing.named_destinations}
    assert {"it--fig-map", "en--fig-map"} <= named, sorted(named)[:20]
