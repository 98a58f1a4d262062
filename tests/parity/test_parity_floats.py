"""Figures and tables across languages: figures pair by ID as sections do, generated caption
labels ("Figura 2:") are neither text nor numbers, a table missing whole is one finding, and a
row missing from a paired table is one finding at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(root: Path) -> list[dict]:
    result = run_cli("check", "--project", str(root), "--format", "json")
    return [f for f in json.loads(result.stdout)["findings"] if not f["waived"]]


@pytest.fixture
def sink(project) -> Path:
    return project("kitchen-sink")


def test_the_kitchen_sink_pairs_every_figure_and_table(sink):
    assert findings(sink) == []


def test_a_first_figure_missing_is_reported_and_the_next_still_pairs(sink):
    """The generated numbers shift ("Figure 1" in en is "Figura 2" in it): the pairing goes by ID,
    so the map is the one reported, and the line figure stays paired."""
    edit(sink / "manuscript/en/02-data.md", "![A map](img/map.png){#fig-map}\n\n", "")
    edit(sink / "manuscript/en/01-text.md", "@fig-map", "the map")
    data = [f for f in findings(sink) if f["section"] == "sec-data"]
    assert [(f["code"], f["file"], f["line"]) for f in data] == \
        [("block-missing", "manuscript/it/02-dati.md", 3)], data
    assert "Una mappa" in data[0]["message"] and "Una mappaUna mappa" not in data[0]["message"]
    assert not any(f["code"] == "number-mismatch" for f in findings(sink))


def test_a_figure_whose_id_differs_is_missing_and_extra(sink):
    edit(sink / "manuscript/en/02-data.md", "{#fig-line}", "{#fig-lines}")
    edit(sink / "manuscript/en/01-text.md", "[-@fig-line]", "[-@fig-lines]")
    data = sorted((f["code"], f["file"]) for f in findings(sink) if f["section"] == "sec-data")
    assert data == [("block-extra", "manuscript/en/02-data.md"),
                    ("block-missing", "manuscript/it/02-dati.md")]


def test_a_table_missing_whole_is_one_finding_with_its_facts(sink):
    path = sink / "manuscript/en/02-data.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("| Year"), text.index("{#tbl-counts}") + len("{#tbl-counts}\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    edit(sink / "manuscript/en/01-text.md", " and @tbl-counts", "")
    data = [f for f in findings(sink) if f["section"] == "sec-data"]
    assert len(data) == 1 and data[0]["code"] == "block-missing", data
    assert data[0]["message"].startswith("sec-data: table (3 rows) “Lanci per anno”")
    assert {"number 2019", "number 13", "number 2020", "number 7"} <= set(data[0]["details"])


def test_a_row_missing_from_a_paired_table_is_one_finding_at_its_line(sink):
    edit(sink / "manuscript/en/02-data.md", "| 2020 |        7 |\n", "")
    data = [f for f in findings(sink) if f["section"] == "sec-data"]
    assert [(f["code"], f["file"], f["line"]) for f in data] == \
        [("block-missing", "manuscript/it/02-dati.md", 10)], data
    assert "table row “2020 | 7”" in data[0]["message"]
