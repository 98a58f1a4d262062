"""Every YAML input is checked by one schema mechanism: all problems of a file in one run, each at
its line, and README.md's tables made from the same docs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from baikonur_pub import schema
from baikonur_pub.errors import ConfigError, Problems
from baikonur_pub.parity import glossary, waivers

ROOT = Path(__file__).resolve().parents[1]


def test_readme_tables_are_made_from_the_schemas():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count("<!-- schema: ") == len(schema.DOCUMENTED)
    assert schema.readme_tables(text) == text, "README.md drifted: run `make readme-tables`"


@pytest.mark.parametrize("name", sorted(schema.DOCUMENTED))
def test_every_option_of_every_yaml_input_has_a_doc(name):
    from importlib import import_module

    rows = list(schema.rows(import_module(schema.DOCUMENTED[name]).SCHEMA))
    assert rows and all(doc.strip().endswith(".") for _, _, doc in rows), rows


def _problems(error: ConfigError) -> list[str]:
    return error.format_message().splitlines()


def test_every_problem_in_publication_yaml_is_reported_in_one_run(project):
    root = project("minimal")
    source = root / "manuscript" / "publication.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("date: 2024-03-01", "date: soon").replace("primary: it", "primary: it\nkeyword: space")
    text = text.replace("locale: en-US", "locale: xx-QQ")
    source.write_text(text + "pdf: {variant: pdf/x}\nlinks: {base-url: ftp://x}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "check", "--project", str(root)],
                          capture_output=True, text=True)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1
    assert lines[0].startswith("manuscript/publication.yaml:5: unknown key 'keyword' (did you mean 'keywords'?)")
    messages = "\n".join(lines)
    for expected in ("'date' must be an ISO date", "unknown locale 'xx-QQ'",
                     "links base-url must be an http(s) URL", "pdf variant must be one of"):
        assert expected in messages, messages
    assert all(line.startswith("manuscript/publication.yaml:") for line in lines)


def test_every_bad_waiver_is_reported_at_its_own_line(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("length-ratio: {en: [2, 1]}\nwaivers:\n  - code: number-mismach\n    reason: x\n"
                    "  - code: number-mismatch\n  - code: term-mismatch\n    reason: ok\n    sector: a\n",
                    encoding="utf-8")
    with pytest.raises(Problems) as error:
        waivers.load(path, "w.yaml")
    assert _problems(error.value) == [
        "w.yaml:8: unknown key 'sector' in waiver (did you mean 'section'?)",
        "w.yaml:1: length-ratio of 'en' must be [low, high] with 0 < low < high",
        "w.yaml:3: unknown finding code 'number-mismach' (did you mean 'number-mismatch'?)",
        "w.yaml:5: a waiver needs a 'reason' saying why the difference is accepted",
    ]


def test_a_glossary_entry_with_one_language_is_located(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("terms:\n  - {it: [Mosca], en: Moscow}\n  - {it: [Astana]}\n  - {it: [], en: x}\n",
                    encoding="utf-8")
    with pytest.raises(Problems) as error:
        glossary.load(path, "g.yaml")
    assert _problems(error.value) == [
        "g.yaml:3: a term entry maps two or more language codes to their forms",
        "g.yaml:4: 'it' must be text or a list of text",
    ]


def test_every_bad_docx_style_is_reported_in_one_run(project):
    from baikonur_pub import bibliography, config
    from baikonur_pub.manuscript import assemble
    from baikonur_pub.pandoc import Pandoc
    from baikonur_pub.render import docx

    root = project("minimal")
    spec = root / "styles" / "docx-styles.yaml"
    text = spec.read_text(encoding="utf-8").replace("size: A4", "size: A5")
    spec.write_text(text + "  Quote: {bold: yes please, color: red}\n", encoding="utf-8")
    pub = config.load(root)
    edition = assemble(pub, pub.languages[0], Pandoc.locate(), bibliography.load(pub))
    with pytest.raises(Problems) as error:
        docx.load_spec(edition)
    found = _problems(error.value)
    assert len(found) == 3, found
    assert any("page size must be one of A4, Letter" in line for line in found)
    assert any(line.endswith("'bold' must be true or false") for line in found)
    assert any(line.endswith("color must be six hex digits (RRGGBB)") for line in found)


def test_libyaml_and_pyyaml_read_every_sample_yaml_file_alike():
    """The fast parser (libyaml) gives the same values and the same line for every key."""
    import yaml

    from baikonur_pub import sources

    assert sources._FAST_LOADER is yaml.CSafeLoader  # the wheels have it: a build without is slow
    files = sorted([*ROOT.glob("manuscript/**/*.yaml"), *ROOT.glob("tests/roots/*/manuscript/**/*.yaml"),
                    *ROOT.glob("styles/*.yaml")])
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert sources._load(text, yaml.CSafeLoader, str(path)) == \
            sources._load(text, yaml.SafeLoader, str(path)), path


def test_a_quoted_iso_date_is_a_date_and_an_impossible_one_is_located(project):
    """`date: "2024-03-01"`, as YAML writers quote it, was refused as "not an ISO date"."""
    from baikonur_pub import config

    root = project("minimal")
    source = root / "manuscript" / "publication.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("date: 2024-03-01", 'date: "2024-03-01"'), encoding="utf-8")
    assert str(config.load(root).date) == "2024-03-01"
    source.write_text(text.replace("date: 2024-03-01", "date: '2024-02-30'"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        config.load(root)
    assert caught.value.format_message() == \
        "manuscript/publication.yaml:3: 'date' '2024-02-30' is no date of the calendar"


def test_a_yaml_file_read_twice_gives_each_reader_data_of_its_own(tmp_path):
    """A process parses a text once (`sources.load_yaml`); what one caller changes in the data
    it got must not reach the next caller of the same file."""
    from baikonur_pub.sources import load_yaml

    path = tmp_path / "settings.yaml"
    path.write_text("fonts:\n  body: [a, b]\n", encoding="utf-8")
    first, lines = load_yaml(path)
    first["fonts"]["body"].append("c")
    lines.clear()
    again, lines_again = load_yaml(path)
    assert again == {"fonts": {"body": ["a", "b"]}} and lines_again[("fonts", "body")] == 2
