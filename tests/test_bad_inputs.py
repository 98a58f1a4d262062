"""Bad input: one located line, exit code 1, output folder and manuscript untouched.

Each case is a file in tests/bad_inputs/: it says what it breaks in a copy of the `minimal`
sample project and the exact message expected. A case with `slow: true` runs far into the build
(pandoc, the renderers): -m 'not slow' leaves it out, `make test` runs it.

A case runs the command in this process (click's runner: the same command, exit code and
stderr, without starting Python and importing the tool again, 0.3 of each case's 0.6 CPU-s);
one the loader must see from the start (`broken_library`) runs in a process of its own, as do
the usage errors.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from baikonur_pub.cli import main

from conftest import tree_hash

CASES = sorted((Path(__file__).parent / "bad_inputs").glob("*.yaml"))
PARAMS = [pytest.param(path, id=path.stem, marks=[pytest.mark.slow] * bool(
    yaml.safe_load(path.read_text(encoding="utf-8")).get("slow"))) for path in CASES]


def apply(case: dict, root: Path, tmp: Path) -> dict[str, str]:
    """Break the project as the case says; return what the build's environment adds."""
    env = {}
    for rel, (old, new) in case.get("replace", {}).items():
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, f"{rel} lacks {old!r}"
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
    for rel, text in case.get("write", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel, hexdata in case.get("write_hex", {}).items():
        (root / rel).write_bytes(bytes.fromhex(hexdata))
    for rel in case.get("delete", []):
        (root / rel).unlink()
    for rel, target in case.get("symlink", {}).items():
        (root / rel).symlink_to(target)
    for rel, size in case.get("big_file", {}).items():
        line = "Una riga di testo ripetuta molte volte per fare un capitolo enorme.\n"
        (root / rel).write_text("# Big {#sec-two}\n\n" + line * (size // len(line) + 1))
    if "fake_pandoc" in case:
        fake = tmp / "fake-pandoc"
        fake.write_text(f"#!/bin/sh\necho '{case['fake_pandoc']}'\n")
        fake.chmod(0o755)
        env["BAIKONUR_PANDOC"] = str(fake)
    if "broken_library" in case:  # the dynamic loader finds this unloadable file first
        libs = tmp / "lib"
        libs.mkdir()
        (libs / case["broken_library"]).write_bytes(b"not a shared library")
        env["LD_LIBRARY_PATH"] = str(libs)
    env.update(case.get("env", {}))
    return env


def make_read_only(folder: Path) -> None:
    """Read-only even for root: mode 555 plus the immutable attribute where root runs this."""
    folder.chmod(0o555)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    probe = folder / ".probe"
    with pytest.raises(OSError):
        probe.write_text("x")


def undo_read_only(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], check=False)
    folder.chmod(0o755)


def build(root: Path, env: dict[str, str], alone: bool) -> tuple[int, str]:
    """`baikonur-pub build` of `root` from inside it with `env` added: (exit code, stderr)."""
    args = ["build", "--project", str(root)]
    if alone:
        proc = subprocess.run([sys.executable, "-m", "baikonur_pub", *args], capture_output=True,
                              text=True, cwd=root, env={**os.environ, **env}, timeout=60)
        return proc.returncode, proc.stderr
    saved = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, args, env=env)
    finally:
        os.chdir(saved)
    # An exception the command let through would be a traceback on a terminal.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.stderr


def test_there_are_at_least_twenty_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case_file", PARAMS)
def test_bad_input_fails_with_one_located_line(project, tmp_path, case_file):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    root = project(case.get("base", "minimal"))
    out = root / "dist"
    out.mkdir()
    (out / "previous.pdf").write_bytes(b"%PDF previous good build")
    env = apply(case, root, tmp_path)
    env["BAIKONUR_CACHE"] = str(tmp_path / "cache")
    before = tree_hash(root / "manuscript"), tree_hash(out)
    if case.get("readonly_out"):
        make_read_only(out)
    try:
        status, stderr = build(root, env, alone="broken_library" in case)
    finally:
        if case.get("readonly_out"):
            undo_read_only(out)
    assert status == 1, stderr
    lines = stderr.strip().splitlines()
    also = case.get("also", [])  # the further problems the same run reports, a line each
    assert len(lines) == 1 + len(also), stderr
    for pattern, line in zip([case["expect"], *also], lines):
        assert re.match(pattern, line), line
    assert (tree_hash(root / "manuscript"), tree_hash(out)) == before
    assert not list(root.rglob("*.part")) and not (root / "pwned").exists()


def test_usage_errors_exit_2(project):
    root = project("minimal")
    for args in (["--format", "rtf"], ["--lang", "fr"], ["--bogus"]):
        proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", *args,
                               "--project", str(root)], capture_output=True, text=True)
        assert proc.returncode == 2, (args, proc.stderr)


def test_an_exception_of_ours_is_one_line_without_debug(project, monkeypatch):
    """A bug of ours (here an exception the cross-check never raises, put in its place) is
    one line and exit 1 for a user, and its traceback only with BAIKONUR_DEBUG (which the
    tests set, conftest.py)."""
    from baikonur_pub import parity

    def broken(*_args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(parity, "check_project", broken)
    root = project("minimal")
    monkeypatch.delenv("BAIKONUR_DEBUG")
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.strip().splitlines() == [
        "internal error (RuntimeError: a bug); please report it (BAIKONUR_DEBUG=1 shows "
        "the traceback)"]
    monkeypatch.setenv("BAIKONUR_DEBUG", "1")
    with pytest.raises(RuntimeError, match="a bug"):
        CliRunner().invoke(main, ["check", "--project", str(root)], catch_exceptions=False)
