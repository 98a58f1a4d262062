"""Shared fixtures: sample projects copied to a temporary folder, the shipped report built once."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from baikonur_pub.cli import main
from baikonur_pub.environment import in_ci

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / "roots"


def copy_project(name: str, dest: Path) -> Path:
    """A writable copy of tests/roots/<name> (or of the repository's own project for 'shipped'),
    with the repository's styles/ beside its manuscript."""
    source = REPO if name == "shipped" else ROOTS / name
    shutil.copytree(source / "manuscript", dest / "manuscript")
    shutil.copytree(source / "styles" if (source / "styles").is_dir() else REPO / "styles",
                    dest / "styles")
    return dest


def tree_hash(folder: Path) -> str:
    """One hash over every file's relative path and bytes (for 'nothing changed' checks)."""
    digest = hashlib.sha256()
    if folder.exists():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def checked(function, *args):
    """Run a validator; without it, skip outside CI and fail under CI=true."""
    from baikonur_pub import validate

    try:
        return function(*args)
    except validate.ValidatorMissing as exc:
        if in_ci():
            pytest.fail(f"validator missing under CI: {exc.message}")
        pytest.skip(exc.message)


def need(command: str) -> str:
    """The path of a command a test runs; without it, skip outside CI and fail under CI=true."""
    path = shutil.which(command)
    if path is None:
        message = f"{command} is not installed (Debian: poppler-utils, libreoffice-writer-nogui…)"
        if in_ci():
            pytest.fail(f"missing under CI: {message}")
        pytest.skip(message)
    return path


def build_sample(tmp_path_factory, name: str, fmt: str) -> Path:
    """tests/roots/<name> built in one format; the folder holding the artifacts."""
    root = copy_project(name, tmp_path_factory.mktemp(name))
    result = run_cli("build", "--project", str(root), "--format", fmt, "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    return root / "dist"


def built_twice(tmp_path: Path, fmt: str, lang: str, name: str = "notes") -> tuple[Path, Path]:
    """The same artifact of tests/roots/<name> built twice, forced, into two folders."""
    root = copy_project(name, tmp_path / "p")
    for out in ("a", "b"):
        result = run_cli("build", "--project", str(root), "--format", fmt, "--lang", lang,
                         "--out", str(tmp_path / out), "--force")
        assert result.exit_code == 0, result.output
    return tuple(tmp_path / out / f"{name}-{lang}.{fmt}" for out in ("a", "b"))


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path):
    """Factory: copy a sample project into a fresh temporary folder."""
    def make(name: str = "minimal") -> Path:
        return copy_project(name, tmp_path / name)
    return make


@pytest.fixture(scope="session")
def shipped_dist(tmp_path_factory) -> Path:
    """The shipped report built once per session, every language and format."""
    out = tmp_path_factory.mktemp("dist")
    cache = tmp_path_factory.mktemp("cache")  # never the repository's own: this test renders
    result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--out", str(out)],
                                env={"BAIKONUR_CACHE": str(cache)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out
