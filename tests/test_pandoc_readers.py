"""The kept `pandoc lua` reader (pandoc_readers.Readers) reads as `pandoc --sandbox` on the command
line does, fails as it does, and a text that times out or fails leaves no process behind."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from baikonur_pub import bibliography, config, manuscript
from baikonur_pub.errors import RenderError
from baikonur_pub.pandoc import Pandoc, PandocTimeout
from baikonur_pub.pandoc_readers import READERS

ROOTS = sorted(p for p in (Path(__file__).parent / "roots").iterdir()
               if (p / "manuscript" / "publication.yaml").is_file())


@pytest.fixture(scope="module")
def kept_and_once():
    kept = Pandoc.locate()
    if kept.version < (3, 7):
        pytest.fail(f"pandoc {kept.version_text} has no sandboxed pandoc.read; the wheel's has")
    return kept, dataclasses.replace(kept, version=(3, 1, 6))  # the same binary, run per text


@pytest.mark.parametrize("root", ROOTS, ids=[p.name for p in ROOTS])
def test_every_sample_project_reads_the_same_kept_and_run_once(root, kept_and_once):
    """AST, pandoc's warnings in their order (citeproc's included) and the notices made of them."""
    pub = config.load(root)
    bib = bibliography.load(pub)
    for lang in pub.languages:
        kept, once = (manuscript.assemble(pub, lang, p, bib, strict=False) for p in kept_and_once)
        assert json.dumps(kept.ast, sort_keys=True) == json.dumps(once.ast, sort_keys=True)
        assert (kept.warnings, kept.notices) == (once.warnings, once.notices)


def test_east_asian_soft_breaks_and_warnings_match_the_command_line(kept_and_once):
    text = ("机器学习*模型*\n会进行预测。\nThe end\nof it, 「引用」\n日本語[^1]\n\n"
            "[^1]: one\n[^1]: again\n\n[bad](#nowhere \"x\")\n")
    reader = "markdown+east_asian_line_breaks"
    kept, once = (p.read_markdown(text, "t", reader=reader) for p in kept_and_once)
    assert kept == once and "Duplicate note reference" in kept[1]


def test_the_text_is_read_in_pandocs_sandbox(kept_and_once, tmp_path):
    """No reader of the kept process reads a file a text names (LaTeX's \\input would)."""
    secret = tmp_path / "secret.tex"
    secret.write_text("SECRET-CONTENT\n", encoding="utf-8")
    for pandoc in kept_and_once:
        ast, warnings = pandoc.read_markdown(f"\\input{{{secret}}}\n", "t", reader="latex")
        assert "SECRET" not in json.dumps(ast) and "Could not load include file" in warnings


def test_a_text_over_its_time_kills_its_reader_and_the_next_text_gets_a_new_one(kept_and_once):
    kept, _ = kept_and_once
    kept.read_markdown("warm\n", "t")
    with pytest.raises(PandocTimeout, match="t: pandoc did not finish within 1 s"):
        kept.read_markdown("[x](" * 3000 + "\n", "t", timeout=1)
    assert all(r.alive() for r in READERS._idle)  # the one that timed out is not kept
    assert kept.read_markdown("*after*\n", "t")[0]["blocks"][0]["c"][0]["t"] == "Emph"


def test_a_reader_that_dies_while_reading_is_pandocs_error_and_the_next_text_gets_a_new_one(
        kept_and_once):
    import threading
    import time

    from conftest import descendants

    from baikonur_pub.pandoc_readers import end_readers

    kept, _ = kept_and_once
    end_readers()  # one reader, the one that takes the text (another idle one would stay idle)
    kept.read_markdown("warm\n", "t")
    idle = {r.proc.pid for r in READERS._idle}
    outcome = []
    reading = threading.Thread(target=lambda: outcome.append(pytest.raises(
        RenderError, kept.read_markdown, "[x](" * 3000 + "\n", "t", timeout=60)))
    reading.start()
    deadline = time.monotonic() + 10
    while not (busy := [pid for pid in descendants(os.getpid()) if pid in idle]) or READERS._idle:
        assert time.monotonic() < deadline, "the reader never took the text"
        time.sleep(0.02)
    os.kill(busy[0], 9)
    reading.join(30)
    assert outcome and outcome[0].match("^t: pandoc failed")
    assert kept.read_markdown("*after*\n", "t")[0]["blocks"][0]["c"][0]["t"] == "Emph"


def test_a_reader_that_died_while_idle_is_replaced_and_its_folder_removed(kept_and_once):
    """A reader killed while idle (the OOM killer, a user) was dropped for a new one with its
    folder and pandoc's history file left in TMPDIR: one more in /tmp after every test run."""
    import time

    kept, _ = kept_and_once
    kept.read_markdown("warm\n", "t")
    killed = list(READERS._idle)
    assert killed and all(Path(reader.tmp).is_dir() for reader in killed)
    for reader in killed:
        os.kill(reader.proc.pid, 9)
        deadline = time.monotonic() + 10
        while reader.alive() and time.monotonic() < deadline:
            time.sleep(0.01)
    assert kept.read_markdown("text\n", "t")[0]["blocks"]
    assert [reader.tmp for reader in killed if Path(reader.tmp).exists()] == []


def test_an_ended_reader_leaves_nothing_in_the_temporary_folder(kept_and_once, tmp_path,
                                                                  monkeypatch):
    """`pandoc lua` keeps a history file in TMPDIR, which a killed one left behind (a Ctrl-C
    of the preview left two)."""
    import tempfile

    from baikonur_pub.pandoc_readers import end_readers

    kept, _ = kept_and_once
    end_readers()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    kept.read_markdown("text\n", "t")
    with pytest.raises(PandocTimeout):
        kept.read_markdown("[x](" * 3000 + "\n", "t", timeout=1)  # this one is killed
    kept.read_markdown("text\n", "t")
    end_readers()
    assert list(tmp_path.iterdir()) == []


def test_idle_readers_are_at_most_one_a_core(kept_and_once):
    from baikonur_pub import threads

    kept, _ = kept_and_once
    with threads.pool(4) as pool:
        list(pool.map(lambda i: kept.read_markdown(f"text {i}\n" * 2000, "t"), range(8)))
    assert 1 <= len(READERS._idle) <= (os.cpu_count() or 1)


def test_a_pandoc_is_asked_its_version_once_a_process_and_again_once_replaced(tmp_path):
    """Every new project ran `pandoc --version` (the fast tests ran it 208 times); a process now
    asks each binary once. A binary replaced at the same path is a new one, asked again."""
    log = tmp_path / "runs"
    fake = tmp_path / "pandoc"
    fake.write_text(f"#!/bin/sh\necho run >> {log}\necho 'pandoc 3.6'\n")
    fake.chmod(0o755)
    assert Pandoc.locate(str(fake)).version == (3, 6)
    assert Pandoc.locate(str(fake)).version == (3, 6)
    assert log.read_text().count("run") == 1
    fake.write_text(f"#!/bin/sh\necho run >> {log}\necho 'pandoc 3.1.5'\n")
    with pytest.raises(RenderError, match="pandoc 3.1.5 at .* is too old"):
        Pandoc.locate(str(fake))
    assert log.read_text().count("run") == 2
