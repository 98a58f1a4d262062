"""Bad input: one `path:line: message` line, exit code 1, output folder and manuscript untouched."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import tree_hash


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def missing_chapter(root: Path) -> None:
    (root / "manuscript/en/02-two.md").unlink()


def yaml_syntax_error(root: Path) -> None:
    edit(root / "manuscript/publication.yaml", "slug: sample", "slug: [sample")


def unknown_key(root: Path) -> None:
    edit(root / "manuscript/publication.yaml", "primary: it", "primary: it\ncolour: blue")


def unknown_citation(root: Path) -> None:
    edit(root / "manuscript/en/02-two.md", "3 items.", "3 items [@nobody1999].")


CASES = {
    missing_chapter: r"^manuscript/publication\.yaml:20: file 'en/02-two\.md' does not exist$",
    yaml_syntax_error: r"^manuscript/publication\.yaml:2: invalid YAML: expected ',' or '\]', but got ':' \(while parsing a flow sequence at line 1\)$",
    unknown_key: r"^manuscript/publication\.yaml:5: unknown key 'colour' \(known: .+\)$",
    unknown_citation: r"^manuscript/en/02-two\.md:3: citation key '@nobody1999' is not in the bibliography$",
}


@pytest.mark.parametrize("breaks", CASES, ids=lambda f: f.__name__)
def test_bad_input_fails_with_one_located_line(project, breaks):
    root = project("minimal")
    out = root / "dist"
    out.mkdir()
    (out / "keep.txt").write_text("previous build")
    breaks(root)
    before = tree_hash(root / "manuscript"), tree_hash(out)
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--project", str(root)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.match(CASES[breaks], lines[0]), lines[0]
    assert (tree_hash(root / "manuscript"), tree_hash(out)) == before


def test_usage_error_exits_2(project):
    root = project("minimal")
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--format", "rtf",
                           "--project", str(root)], capture_output=True, text=True)
    assert proc.returncode == 2
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--lang", "fr",
                           "--project", str(root)], capture_output=True, text=True)
    assert proc.returncode == 2 and "--lang" in proc.stderr
