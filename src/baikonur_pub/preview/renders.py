"""PDF, EPUB and DOCX for the preview, made in warm worker processes.

Each worker is started once (spawned: the server runs threads, and forking such a process
is unsafe) and imports WeasyPrint and reads the fonts' character maps when it starts, so a
save costs only the layout. After a save the edited language's PDF is laid out again; a save
arriving meanwhile is not queued behind every older one: when the running layout ends, the
newest Edition is laid out. EPUB and DOCX are made when asked for, from the same Edition.

PDFs are laid out only once someone has looked at them (`want`: the PDF view, its event
stream or a PDF asked for): an author who reads the side-by-side page alone does not pay a
layout per language on every save, nor the workers' start. (Measured: the preview's fast
tests, on the shipped report, none of them opening the PDF view: 10.0–10.5 → 4.3 CPU-s.)
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass

from ..errors import PublishError
from ..render import RenderContext, renderer


def _warm(tmp: str) -> None:
    """A worker's first job: ignore Ctrl-C (the server stops its workers), keep its temporary
    files in `tmp` and import what rendering needs. A missing library is reported by the first
    render, with its package."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = tmp
    os.environ["TMPDIR"] = tmp  # for pandoc too
    try:
        import pypdfium2  # noqa: F401 - the EPUB cover

        from ..render import weasy
        from ..render.pdf import covered_characters

        weasy.load()
        covered_characters()
        for fmt in ("pdf", "epub", "docx"):
            renderer(fmt)
    except Exception:  # noqa: BLE001 - the render that needs it raises the located error
        pass


def _render(fmt: str, edition, pandoc, epoch: int) -> tuple[bytes, float]:
    start = time.perf_counter()
    data = renderer(fmt)(edition, RenderContext(pandoc, epoch))
    return data, time.perf_counter() - start


@dataclass
class Artifact:
    data: bytes = b""
    serial: int = 0  # counts the layouts of this language
    version: int = 0  # the preview version its Edition belongs to
    status: str = "waiting for the first layout"
    ok: bool = False
    seconds: float = 0.0


class Renders:
    """The preview's artifacts, one worker per language (at most one per core)."""

    def __init__(self, codes, pandoc, epoch: int, workers: int, notify):
        self.pandoc, self.epoch, self.notify = pandoc, epoch, notify
        # The workers' temporary files, removed when the server stops. WeasyPrint copies a
        # document's fonts into a folder of its own that only the document's garbage collection
        # removes: a worker stopped (or killed) with documents not yet collected left 1–2 MB in
        # /tmp per layout (found: 2.4 GB in /tmp after a day of tests).
        self._tmp = tempfile.mkdtemp(prefix="baikonur-preview-")
        self.pool = cf.ProcessPoolExecutor(max(1, workers), mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_warm, initargs=(self._tmp,))
        self.pdfs: dict[str, Artifact] = {code: Artifact() for code in codes}
        self._next: dict[str, tuple] = {}  # code → (edition, version) waiting for its turn
        self._busy: dict[str, asyncio.Event] = {}  # code → set when its layouts are done
        self._others: dict[tuple, tuple] = {}  # (code, fmt, version) → bytes of EPUB/DOCX
        self.wanted = False  # someone has looked at the PDFs: lay them out from now on

    def want(self) -> None:
        """Lay out the PDFs from now on: the newest Edition of each language at once, then
        again after each save."""
        if not self.wanted:
            self.wanted = True
            for code in list(self._next):
                self._start(code)

    def pdf_of(self, edition, version: int) -> None:
        """Lay `edition` out again (now, or when the running layout of its language ends;
        before anyone wants the PDFs, it is only remembered)."""
        code = edition.code
        self.pdfs.setdefault(code, Artifact())
        self._next[code] = (edition, version)
        if self.wanted:
            self._start(code)

    def _start(self, code: str) -> None:
        if code not in self._busy:
            self._busy[code] = asyncio.Event()
            asyncio.get_running_loop().create_task(self._run(code))

    async def _run(self, code: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            while code in self._next:
                edition, version = self._next.pop(code)
                artifact = self.pdfs[code]
                started = time.perf_counter()
                try:
                    data, _ = await loop.run_in_executor(self.pool, _render, "pdf", edition,
                                                         self.pandoc, self.epoch)
                except PublishError as exc:
                    artifact.ok, artifact.status = False, exc.format_message()
                except (cf.process.BrokenProcessPool, RuntimeError) as exc:
                    artifact.ok, artifact.status = False, f"the PDF worker stopped: {exc}"
                else:
                    artifact.data, artifact.ok = data, True
                    artifact.seconds = time.perf_counter() - started
                    artifact.status = f"updated {time.strftime('%H:%M:%S')} ({artifact.seconds:.2f} s)"
                artifact.serial += 1
                artifact.version = version
                self.notify(code, artifact)
        finally:
            self._busy.pop(code).set()

    async def current_pdf(self, code: str) -> Artifact:
        """The PDF of the newest Edition: waits for a layout under way (or started now)."""
        self.want()
        busy = self._busy.get(code)
        if busy is not None:
            await busy.wait()
        return self.pdfs[code]

    async def other(self, fmt: str, edition, version: int) -> bytes:
        """EPUB or DOCX of `edition` (made once per version); raises PublishError."""
        key = (edition.code, fmt, version)
        if key not in self._others:
            data, _ = await asyncio.get_running_loop().run_in_executor(
                self.pool, _render, fmt, edition, self.pandoc, self.epoch)
            self._others = {k: v for k, v in self._others.items() if k[0] != edition.code or k[1] != fmt}
            self._others[key] = data
        return self._others[key]

    def close(self) -> None:
        """Stop the workers at once: a layout under way has nothing worth keeping."""
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(5)
        shutil.rmtree(self._tmp, ignore_errors=True)
