"""`baikonur-pub init`: a new project that builds every artifact and passes the cross-check, with
the styles packaged with the tool; usage errors exit 2."""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, parsed, run_cli

PACKAGE = REPO / "src/baikonur_pub"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baikonur_pub", *args], capture_output=True,
                          text=True, cwd=cwd)


@pytest.mark.slow
def test_an_inited_project_builds_every_artifact_and_passes_the_check(tmp_path):
    proc = cli("init", "report", "--languages", "it,en", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "report"
    assert not (root / "styles").exists()  # the packaged styles serve it
    proc = cli("build", cwd=root)
    assert proc.returncode == 0, proc.stderr
    built = sorted(p.name for p in (root / "dist").iterdir() if p.suffix in (".pdf", ".epub", ".docx"))
    editions = [f"report-{c}.{f}" for c in ("en", "it") for f in ("docx", "epub", "pdf")]
    assert built == sorted(editions + ["report-it-en.pdf", "report-review-en.docx"])
    proc = cli("check", "--strict", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 errors, 0 warnings" in proc.stdout


def test_init_writes_locales_and_a_chapter_per_language(tmp_path):
    result = run_cli("init", str(tmp_path / "p"), "--languages", "it,en,pt-BR")
    assert result.exit_code == 0, result.output
    import yaml

    settings = yaml.safe_load((tmp_path / "p/manuscript/publication.yaml").read_text())
    assert settings["primary"] == "it"
    assert {c: v["locale"] for c, v in settings["languages"].items()} == \
        {"it": "it-IT", "en": "en-US", "pt-BR": "pt-BR"}
    for lang in settings["languages"].values():
        chapter = tmp_path / "p/manuscript" / lang["chapters"][0]
        assert chapter.read_text().startswith("# ") and "{#sec-intro}" in chapter.read_text()


@pytest.mark.parametrize("args, message", [
    (["--languages", "it,e n"], "is not a language code"),
    (["--languages", "it,qqq"], "not a language Babel knows"),
    (["--languages", "it,it"], "given twice"),
    (["--languages", ","], "at least one language"),
])
def test_bad_language_codes_are_usage_errors(tmp_path, args, message):
    result = run_cli("init", str(tmp_path / "p"), *args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "p").exists()


def test_a_folder_that_is_not_empty_is_a_usage_error(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("init", str(tmp_path), "--languages", "it,en")
    assert result.exit_code == 2 and "not an empty folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_every_style_file_is_package_data_and_styles_links_to_it():
    assert (REPO / "styles").resolve() == PACKAGE / "styles"
    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["baikonur_pub"]
    files = [p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "styles").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    assert files and all(any(fnmatch.fnmatch(f, g) for g in globs) for f in files), files


@pytest.mark.parametrize("languages", ["it,en", "en,pt", "de,ja", "ar,en", "en,en-GB"])
def test_a_new_project_passes_the_strict_check_in_any_pair_of_languages(tmp_path, languages):
    """A language without starter text had the English one (untranslated, so `check --strict`
    failed); en-GB after en would repeat en's. Such a chapter now holds only what every
    language shares."""
    assert run_cli("init", str(tmp_path / "p"), "--languages", languages).exit_code == 0
    result = run_cli("check", "--project", str(tmp_path / "p"), "--strict")
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output


def test_a_language_without_starter_text_is_worded_by_the_build_not_in_english(tmp_path):
    """pt has no starter: its title and heading are the project's name, its paragraph a
    cross-reference and a citation (worded in Portuguese by the build), its reference list's
    heading typography.yaml's word. And en's sample says "Section 1", not "Section Section 1"."""
    import yaml

    from baikonur_pub.ast import stringify

    assert run_cli("init", str(tmp_path / "tables"), "--languages", "en,pt").exit_code == 0
    root = tmp_path / "tables"
    settings = yaml.safe_load((root / "manuscript/publication.yaml").read_text())
    assert settings["languages"]["pt"]["title"] == "tables"
    assert not any("references-title" in lang for lang in settings["languages"].values())
    eds = parsed(root)
    paragraphs = {code: [stringify(b) for b in ed.ast["blocks"] if b["t"] == "Para"]
                  for code, ed in eds.items()}
    assert paragraphs["en"][0] == ("This report starts here (Rossi 2024). Section 1 introduces "
                                   "it; replace this text with your own.")
    assert paragraphs["pt"][0] == "Seção 1: (Rossi 2024)"
    assert [h.title for h in eds["pt"].headings] == ["tables", "Referências"]
