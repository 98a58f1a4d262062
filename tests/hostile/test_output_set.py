"""Faults around the output: a corrupt cache, a full disk, a crash mid-commit, two writers.

The output set (artifacts, SHA256SUMS, manifest.json) is replaced together or not at all, and
nothing is served from the cache unless its bytes match the signature stored beside them, made
with a key of this user's that lives outside every project.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from baikonur_pub import build, config, manifest
from baikonur_pub.writing import JOURNAL, STAGING, recover, write_set
from conftest import copy_project, run_cli, tree_hash

PNG_RED = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                        "0000000c4944415478da63f8cfc0000003010100f70341430000000049454e44ae426082")
PNG_BLUE = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
                         "0000000c4944415478da636060f80f0001040100333b07c50000000049454e44ae426082")


def _docx(project: Path, out: Path, *extra: str, env: dict | None = None, limit: int | None = None):
    def lower_limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--project", str(project),
                           "--format", "docx", "--out", str(out), *extra],
                          capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=120, preexec_fn=lower_limit if limit else None)


def test_truncated_cache_entry_is_rebuilt_not_shipped(project, tmp_path, monkeypatch):
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    root = project("minimal")
    build.build(config.load(root), formats=("docx",))
    good = (root / "dist/sample-en.docx").read_bytes()
    entries = list((tmp_path / "cache" / "artifacts").glob("*.docx"))
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:1000])
    (root / "dist/sample-en.docx").unlink()
    result = build.build(config.load(root), formats=("docx",))
    assert {a.path.name for a in result.built} == {"sample-it.docx", "sample-en.docx"}
    assert (root / "dist/sample-en.docx").read_bytes() == good
    assert manifest.check_sums(root / "dist") == []


@pytest.mark.slow  # three builds in subprocesses
def test_a_cache_entry_made_elsewhere_is_rebuilt_not_shipped(project, tmp_path, monkeypatch):
    """The cache folder is in the project, so a pull request can bring one: its author builds
    on their machine, puts a forged artifact under the right key, signed with their own key,
    and commits `.cache/`. On another machine (another user's key) the entry is a miss."""
    from baikonur_pub import cache

    root = project("minimal")
    attacker = {"BAIKONUR_CACHE_KEY": "a7" * 32}
    victim = {"XDG_STATE_HOME": str(tmp_path / "state")}  # this user's key, made on first use
    monkeypatch.delenv("BAIKONUR_CACHE_KEY", raising=False)
    assert _docx(root, tmp_path / "first", "--lang", "en", env=attacker).returncode == 0
    monkeypatch.setenv("BAIKONUR_CACHE_KEY", attacker["BAIKONUR_CACHE_KEY"])
    entries = sorted((root / ".cache/baikonur-pub/artifacts").glob("*.docx"))
    assert entries
    for entry in entries:  # what the attacker's own tool accepts
        cache.Cache(config.load(root)).put("artifacts", entry.name[:-len(".docx")], b"FORGED", ".docx")
    monkeypatch.delenv("BAIKONUR_CACHE_KEY")
    control = _docx(root, tmp_path / "control", "--lang", "en", env=attacker)
    assert control.returncode == 0 and (tmp_path / "control/sample-en.docx").read_bytes() == b"FORGED"

    result = _docx(root, tmp_path / "out", "--lang", "en", env=victim)
    assert result.returncode == 0, result.stderr
    assert zipfile.ZipFile(tmp_path / "out/sample-en.docx").testzip() is None
    assert (tmp_path / "state/baikonur-pub/cache-key").stat().st_mode & 0o077 == 0  # this user's only


def test_corrupt_cache_json_is_a_miss_with_and_without_force(project, tmp_path, monkeypatch):
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "docx").exit_code == 0
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert entries  # the parse and the cross-check
    for entry in entries:
        entry.write_text("{not json", encoding="utf-8")
    # a traceback would raise here (catch_exceptions=False); the corrupt parse is parsed
    # again, the artifacts are still cached (or, forced, built)
    for extra, said in (((), "(0 built, 3 cached)"), (("--force",), "(3 built, 0 cached)")):
        result = run_cli("build", "--project", str(root), "--format", "docx", *extra)
        assert result.exit_code == 0, result.output
        assert "parsing it, en" in result.output and said in result.output, result.output


@pytest.mark.slow  # builds in subprocesses
def test_full_disk_while_writing_leaves_the_previous_set_whole(project, tmp_path):
    root = project("minimal")
    env = {"BAIKONUR_CACHE": str(tmp_path / "cache")}
    assert _docx(root, tmp_path / "first", env=env).returncode == 0  # fills the cache
    out = tmp_path / "dist"
    out.mkdir()
    (out / "sample-en.docx").write_bytes(b"previous")
    (out / "SHA256SUMS").write_text("previous\n")
    before = tree_hash(out)
    proc = _docx(root, out, env=env, limit=4096)  # the artifacts are ~10 KB each
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write to output folder: File too large" in lines[0], lines
    assert not (out / STAGING).exists()
    lock = out / build.LOCK_NAME
    lock.unlink(missing_ok=True)
    assert tree_hash(out) == before


def test_commit_interrupted_after_its_journal_is_rolled_forward(tmp_path):
    out = tmp_path / "dist"
    write_set(out, {"a.pdf": b"old a", "SHA256SUMS": b"old"})
    (out / STAGING).mkdir()
    (out / STAGING / "a.pdf").write_bytes(b"new a")
    (out / STAGING / "SHA256SUMS").write_bytes(b"new")
    (out / JOURNAL).write_text("a.pdf\nSHA256SUMS\n")
    os.replace(out / STAGING / "a.pdf", out / "a.pdf")  # the crash came after the first rename
    recover(out)
    assert (out / "a.pdf").read_bytes() == b"new a" and (out / "SHA256SUMS").read_bytes() == b"new"
    assert sorted(p.name for p in out.iterdir()) == ["SHA256SUMS", "a.pdf"]


def test_staging_without_journal_is_discarded(tmp_path):
    out = tmp_path / "dist"
    write_set(out, {"a.pdf": b"old a"})
    (out / STAGING).mkdir()
    (out / STAGING / "a.pdf").write_bytes(b"half written")
    assert write_set(out, {"a.pdf": b"old a"}) is False
    assert (out / "a.pdf").read_bytes() == b"old a" and not (out / STAGING).exists()


def test_names_that_would_leave_the_output_folder_are_refused(tmp_path):
    from baikonur_pub.errors import RenderError

    for name in ("../x.pdf", "a/b.pdf", ".hidden", ".."):
        with pytest.raises(RenderError):
            write_set(tmp_path / "dist", {name: b"x"})
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
def test_two_projects_building_into_one_folder_take_turns(project, tmp_path):
    first, second = project("minimal"), copy_project("minimal", tmp_path / "other")
    text = (second / "manuscript/publication.yaml").read_text()
    (second / "manuscript/publication.yaml").write_text(text.replace("slug: sample", "slug: other"))
    out = tmp_path / "shared-dist"
    for round_ in range(3):
        procs = [subprocess.Popen([sys.executable, "-m", "baikonur_pub", "build", "--project", str(p),
                                   "--format", "docx", "--out", str(out), "--force"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env={**os.environ, "BAIKONUR_CACHE": str(tmp_path / f"cache-{i}")})
                 for i, p in enumerate((first, second))]
        for proc in procs:
            assert proc.wait(timeout=120) == 0, proc.stderr.read()
        assert manifest.check_sums(out) == [], round_
        listed = (out / "SHA256SUMS").read_text()
        assert all(f"{slug}-{code}.docx" in listed for slug in ("sample", "other")
                   for code in ("it", "en"))


def test_clean_removes_a_symlinked_dist_but_not_its_target(project, tmp_path):
    root = project("minimal")
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    (root / "dist").symlink_to(target)
    result = run_cli("clean", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert not (root / "dist").exists() and (target / "keep.txt").read_text() == "keep"


def _media(docx: Path) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(docx.read_bytes())) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]


def test_images_resolve_from_the_chapter_folder_and_are_in_the_cache_key(project, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    root = project("minimal")
    for code, chapter, png in (("it", "01-uno.md", PNG_RED), ("en", "01-one.md", PNG_BLUE)):
        (root / "manuscript" / code / "img").mkdir()
        (root / "manuscript" / code / "img" / "fig.png").write_bytes(png)
        path = root / "manuscript" / code / chapter
        path.write_text(path.read_text() + "\n![](img/fig.png)\n")
    build.build(config.load(root), formats=("docx",))
    assert _media(root / "dist/sample-it.docx") == [PNG_RED]
    assert _media(root / "dist/sample-en.docx") == [PNG_BLUE]
    (root / "manuscript/en/img/fig.png").write_bytes(PNG_RED)
    result = build.build(config.load(root), formats=("docx",))
    assert "sample-en.docx" in [a.path.name for a in result.built]
    assert _media(root / "dist/sample-en.docx") == [PNG_RED]


WRITERS = """
import pathlib, sys, threading
from baikonur_pub import stopping, writing

folder, data = pathlib.Path(sys.argv[1]), b"x" * 2_000_000

def write(n):
    for i in range(10**9):
        writing.write_atomic(folder / f"{n}-{i % 3}.bin", data)

with stopping.exits_on_signal():
    for n in range(3):
        threading.Thread(target=write, args=(n,), daemon=True).start()
    print("writing", flush=True)
    write(9)
"""


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.35, 0.5])
def test_a_stop_while_threads_write_cache_files_leaves_no_partial_file(tmp_path, delay):
    """Four threads writing files beside their final names and renaming them (the cache's
    writes), stopped at some instant: each file is there whole or not at all."""
    proc = subprocess.Popen([sys.executable, "-c", WRITERS, str(tmp_path)], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert proc.stdout.readline() == "writing\n"
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signal.SIGINT, err
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".bin")) == []
    assert all(p.stat().st_size == 2_000_000 for p in tmp_path.iterdir())
