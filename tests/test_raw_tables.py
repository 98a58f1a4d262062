"""A table written in raw HTML (as MDN, GitHub READMEs and Docusaurus pages write one) is the
table it means in every format: pandoc's DOCX writer drops raw HTML, and its cells were loose
paragraphs there (`raw_tables`)."""

from __future__ import annotations

import copy
import zipfile

import pytest
from lxml import etree

from baikonur_pub import bibliography, config, raw_tables
from baikonur_pub.ast import stringify, walk
from baikonur_pub.manuscript import READER, assemble
from baikonur_pub.pandoc import Pandoc
from conftest import checked, run_cli
from readers import XHTML, epub_documents

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TABLE = """<table id="tbl-sites" class="sites">
  <caption>Launch sites</caption>
  <thead><tr><th>Name</th><th>Value</th></tr></thead>
  <tbody>
    <tr><td>alpha</td><td>see [one](#sec-one)</td></tr>
    <tr><td>*beta*</td><td>2</td></tr>
    <tr><td colspan="2">gamma, both columns</td></tr>
  </tbody>
</table>
"""


def _blocks(text: str) -> list:
    """The blocks pandoc's Markdown reader gives `text`, as a build reads a chapter."""
    return Pandoc.locate().read_markdown(text, "test", reader=READER)[0]["blocks"]


def _made(text: str) -> list:
    blocks = _blocks(text)
    raw_tables.make_tables(blocks, [0] * len(blocks))
    return blocks


def _cells(rows: list) -> list[list[str]]:
    return [[stringify(cell[4]) for cell in row[1]] for row in rows]


def test_a_raw_html_table_is_a_table_of_its_header_rows_and_cells():
    (table,) = _made(TABLE)
    attr, caption, colspecs, head, bodies, foot = table["c"]
    assert table["t"] == "Table" and attr == ["tbl-sites", ["sites"], []]
    assert stringify(caption[1]) == "Launch sites" and len(colspecs) == 2
    assert _cells(head[1]) == [["Name", "Value"]]
    assert _cells(bodies[0][3]) == [["alpha", "see one"], ["beta", "2"], ["gamma, both columns"]]
    assert bodies[0][3][2][1][0][3] == 2  # colspan
    kinds = {el["t"] for el in walk(bodies)}
    assert {"Link", "Emph"} <= kinds and not kinds & {"RawBlock", "RawInline"}


def test_cells_written_with_blank_lines_keep_their_paragraphs_and_lists():
    (table,) = _made("<table>\n<tr>\n<td>\n\n**Bold** text\n\n- one\n- two\n\n</td>\n"
                     "<td>\n\nSecond `code`\n\n</td>\n</tr>\n</table>\n")
    cells = table["c"][4][0][3][0][1]
    assert [b["t"] for b in cells[0][4]] == ["Para", "BulletList"]
    assert [b["t"] for b in cells[1][4]] == ["Para"]


def test_rows_of_th_are_the_header_and_leading_th_the_row_heads():
    """As pandoc's HTML reader reads them: a first row of `th` with no `<thead>` is the header;
    a `th` opening every row is a row head column; a short row is filled."""
    (table,) = _made("<table>\n<tr><th>Site</th><th>Lat</th><th>Lon</th></tr>\n"
                     "<tr><th>Baikonur</th><td>45.9</td><td>63.3</td></tr>\n"
                     "<tr><th>Kourou</th><td>5.2</td></tr>\n</table>\n")
    _, _, colspecs, head, bodies, _ = table["c"]
    assert _cells(head[1]) == [["Site", "Lat", "Lon"]] and len(colspecs) == 3
    assert bodies[0][1] == 1  # RowHeadColumns
    assert [cell[3] for cell in bodies[0][3][1][1]] == [1, 1, 1]  # the filling cell spans one


@pytest.mark.parametrize("text", [
    "<table>\n<tr><td>a\n</table>\n",  # a cell never closed
    "<table>\nstray text\n<tr><td>a</td></tr>\n</table>\n",  # text outside the cells
    "<table>\n<tr><td>a<table><tr><td>in</td></tr></table></td></tr>\n</table>\n",  # nested
    '<table>\n<tr><td style="color: red">a</td></tr>\n</table>\n',  # a style a cell would lose
    "<table>\n<tr><td>a</td><th>b</th></tr>\n</table>\n",  # a th in mid-row
    "<table>\n<tfoot><tr><th>sum</th></tr></tfoot>\n</table>\n",  # a th in the footer
    "<table>\n<tr><td>a</td></tr>\n",  # never closed
    "</table>\n<table>\n",
    '<table>\n<colgroup><col width="30%"></colgroup>\n<tr><td>a</td></tr>\n</table>\n',
])
def test_a_table_that_cannot_be_read_with_certainty_is_left_as_it_was(text):
    blocks = _blocks(text)
    before, owners = copy.deepcopy(blocks), [0] * len(blocks)
    raw_tables.make_tables(blocks, owners)
    assert blocks == before and owners == [0] * len(before)


def test_the_chapters_of_the_blocks_follow_and_a_table_never_spans_two():
    blocks = _blocks("Text.\n\n" + TABLE + "\nMore.\n\n<table>\n<tr><td>a</td></tr>\n")
    tail = _blocks("</table>\n")
    blocks += tail
    owners = [0] * (len(blocks) - len(tail)) + [1] * len(tail)
    raw_tables.make_tables(blocks, owners)
    assert [b["t"] for b in blocks[:4]] == ["Para", "Table", "Para", "RawBlock"]
    assert owners == [0] * (len(blocks) - 1) + [1] and blocks[-1]["c"][1] == "</table>"


def _raw(text: str) -> dict:
    return {"t": "RawBlock", "c": ["html", text]}


def _plain(text: str) -> dict:
    return {"t": "Plain", "c": [{"t": "Str", "c": text}]}


def _rows(count: int) -> list:
    return [block for i in range(count) for block in
            (_raw("<tr>"), _raw("<td>"), _plain(f"r{i}"), _raw("</td>"), _raw("</tr>"))]


@pytest.mark.parametrize("shape", ["rows", "unclosed", "nested", "broken"])
def test_hostile_tables_take_work_in_proportion_to_their_blocks(monkeypatch, shape):
    """2,000 rows (as pandoc gives them: each tag a block), 2,000 tables never closed, nested
    2,000 deep, 2,000 each broken at its end: each block's tag read a bounded number of
    times (counted, not timed: the count does not depend on the size), so no manuscript
    makes the build hang here (tests/hostile builds 5,000 rows end to end)."""
    n = 2_000
    blocks = {"rows": [_raw('<table class="big">')] + _rows(n) + [_raw("</table>")],
              "unclosed": [b for _ in range(n) for b in [_raw("<table>")] + _rows(1)],
              "nested": [_raw("<table>"), _raw("<tr>"), _raw("<td>")] * n
              + [_raw("</td>"), _raw("</tr>"), _raw("</table>")] * n,
              "broken": [b for _ in range(n) for b in [_raw("<table>")] + _rows(1)
                         + [_plain("stray"), _raw("</table>")]]}[shape]
    reads, piece = [], raw_tables._piece
    monkeypatch.setattr(raw_tables, "_piece", lambda block: reads.append(1) or piece(block))
    size = len(blocks)
    raw_tables.make_tables(blocks, [0] * size)
    assert len(reads) <= 2 * size
    if shape == "rows":
        assert len(blocks) == 1 and len(blocks[0]["c"][4][0][3]) == n


def test_the_edition_and_the_cross_check_have_the_table(project):
    from baikonur_pub.parity import sections_of

    pub = config.load(project("raw-tables"))
    edition = assemble(pub, pub.language("en"), Pandoc.locate(), bibliography.load(pub))
    assert [b["t"] for b in edition.ast["blocks"]].count("Table") == 1
    assert len(edition.block_files) == len(edition.ast["blocks"])
    counts = [s.counts.get("tables") for s in sections_of(edition)]
    assert ((4, 2),) in counts  # header and three rows, two columns


@pytest.mark.slow  # pandoc's DOCX and EPUB, EPUBCheck
def test_the_docx_has_the_table_and_the_epub_is_valid(project):
    from docx import Document

    from baikonur_pub import validate

    root = project("raw-tables")
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "docx",
                     "--format", "epub", "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    document = Document(str(root / "dist" / "sample-en.docx"))
    (table,) = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Name", "Value"], ["alpha", "see one"], ["beta", "2"],
        ["gamma, both columns", "gamma, both columns"]]  # python-docx repeats a merged cell
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    links = {h.get(f"{W}anchor"): "".join(t.text for t in h.iter(f"{W}t"))
             for h in table._tbl.iter(f"{W}hyperlink")}
    assert links == {"sec-one": "one"}
    beta = next(r for r in table._tbl.iter(f"{W}r")
                if "".join(t.text for t in r.iter(f"{W}t")) == "beta")
    assert beta.find(f"{W}rPr/{W}i") is not None
    assert not [p for p in document.paragraphs if p.text in ("alpha", "beta", "Name")]

    epub = root / "dist" / "sample-en.epub"
    doc = next(d for d in epub_documents(epub) if "Launch sites" in "".join(d.itertext()))
    (html_table,) = doc.iter(f"{XHTML}table")
    assert html_table.get("id") == "tbl-sites"
    assert [th.text for th in html_table.iter(f"{XHTML}th")] == ["Name", "Value"]
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                etree.fromstring(archive.read(name))
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages


def test_a_malformed_raw_table_stays_the_error_it_was(project):
    """Left as raw HTML, it is refused as before, at its line: no crash, no table made up."""
    root = project("raw-tables")
    chapter = root / "manuscript" / "en" / "01-one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\n<table>\n<tr><td>unclosed\n</table>\n", encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--lang", "en", "--format", "docx",
                     "--no-check", "--out", str(root / "dist"))
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == [
        "manuscript/en/01-one.md:7: raw HTML </table> closes <td>: the EPUB needs every element "
        "closed in order (XHTML)",
        "manuscript/en/01-one.md:6: raw HTML <td> is never closed: the EPUB needs every element "
        "closed (XHTML)"]
