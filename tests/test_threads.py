"""Threads that parse XML at once (threads.py): each with its own dictionary of names."""

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE.parent / "src" / "baikonur_pub"


def test_the_tools_threads_parse_xml_at_once_after_python_docx_without_corrupting_names():
    """Four threads whose first parse is python-docx's (which the main thread used before),
    then parse new names at once for a second. With a bare ThreadPoolExecutor, the same script
    crashed (segmentation fault, "double free or corruption") or read back other names in 10
    runs of 10, within a second each."""
    run = subprocess.run([sys.executable, str(HERE / "xml_threads.py"), "1", "tool"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, (run.returncode, run.stderr[-2000:])
    assert re.fullmatch(r"ok [1-9]\d*\n", run.stdout), run.stdout


def test_every_thread_pool_of_the_tool_gives_its_threads_their_own_names():
    """One policy: pools come from threads.pool; the only bare threads (layouts.py) parse
    nothing (one imports WeasyPrint ahead of time, one waits for the pool's server)."""
    bare = {}
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = len(re.findall(r"ThreadPoolExecutor\(", text)) if path.name != "threads.py" else 0
        found += len(re.findall(r"threading\.Thread\(|to_thread\(", text))
        if found:
            bare[str(path.relative_to(SOURCE))] = found
    # the preview's asyncio.to_thread calls run in its loop's default executor: threads.pool
    assert "set_default_executor(threads.pool" in (SOURCE / "preview/server.py").read_text()
    assert bare == {"layouts.py": 2, "preview/server.py": 3}, bare


def test_a_chapter_handed_to_a_worker_is_never_written_after_it_is_made(project):
    """An edition is pickled for a layout worker by the pool's feeder thread while this process
    goes on reading it (the cross-check, the EPUB and DOCX threads). A chapter's lines were split
    on first use, written into the object then: a clean build's pickling once failed with
    "dictionary changed size during iteration". Every chapter's state is whole when made."""
    import pickle

    from baikonur_pub import config
    from baikonur_pub.manuscript import read_sources

    pub = config.load(project("minimal"))
    for source in read_sources(pub, pub.language("en")):
        before = pickle.dumps(source)
        assert source.lines and source.lines[0].startswith("# ")
        assert pickle.dumps(source) == before
