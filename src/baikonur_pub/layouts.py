"""Layout work (the PDFs and the EPUB covers) in a process pool, or in this process.

Why processes: WeasyPrint lays out in pure Python under the GIL, so two languages lay out at
the same time only in two processes. Why `forkserver`: the server is a fresh process with no
threads; it imports WeasyPrint once (`render/preload.py`) and forks every worker from itself,
so workers start warm and no process ever forks while threads run (a fork from a threaded
process can deadlock, and Python 3.13 warns about it). Where forkserver does not exist
(Windows), workers are spawned and import WeasyPrint themselves. With `jobs=1` the same
functions run in this process, one after the other.

Every worker puts its temporary files (WeasyPrint copies each document's fonts into a folder of
its own) into one folder that the parent removes at the end, even after killing the workers.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import importlib
import multiprocessing
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable

from . import environment, threads
from .errors import PublishError
from .sources import read_bytes
from .stopping import kill, on_stop, remove

PRELOAD = "baikonur_pub.render.preload"
SERVER_EXIT = "baikonur_pub.render.server_exit"  # the server's alone: never this process's
# Memory one layout takes beyond the manuscript's share: WeasyPrint, fonts, page boxes. Measured
# (largest RSS of a worker): 175 MB for the shipped report (110 KB of Markdown a language),
# 290 MB at 50× (5.4 MB): about 150 MB plus 25 bytes per byte of Markdown.
BASE_BYTES, PER_SOURCE_BYTE = 150 * 2**20, 25
# A formula drawn in the PDF takes about 0.2 MB of its layout (`formulas`: 2,000 of them, 520 MB
# against 122 MB with none), its Markdown a few bytes: a math book's layouts weighed nothing more.
PER_FORMULA_BYTES = 200 * 2**10


# The pool's server listens on a Unix socket at <multiprocessing's folder>/listener-XXXXXXXX,
# that folder being <temporary folder>/pymp-XXXXXXXX; Linux allows such a path 107 bytes.
SOCKET_PATH_MAX = 107
_SOCKET_SUFFIX = len("/pymp-XXXXXXXX/listener-XXXXXXXX")
SHORT_TEMPORARY = ("/tmp", "/var/tmp", "/dev/shm")


def pool_folder() -> str:
    """multiprocessing's folder for this process (made once; removed when the process ends):
    under the temporary folder, unless its path leaves the server's socket no room (a
    TMPDIR nested deep, as CI runners and test harnesses make them), then under a short one."""
    import multiprocessing.util

    base = tempfile.gettempdir()
    if len(os.fsencode(base)) + _SOCKET_SUFFIX <= SOCKET_PATH_MAX:
        return multiprocessing.util.get_temp_dir()
    short = next((d for d in SHORT_TEMPORARY if os.access(d, os.W_OK | os.X_OK)), base)
    saved, tempfile.tempdir = tempfile.tempdir, short
    try:
        return multiprocessing.util.get_temp_dir()
    finally:
        tempfile.tempdir = saved


def start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def layout_weight(paths) -> int:
    """What a language's layout weighs for `default_jobs`, in bytes of Markdown: its chapters'
    bytes, and each formula (each two `$`: a `$$` counts twice, on the safe side) as the bytes
    taking as much memory. Read as the parse reads them (a FIFO is never waited on); a file it
    cannot read weighs nothing here, as the parse reports it."""
    total = 0
    for path in paths:
        try:
            data = read_bytes(Path(path))
        except PublishError:
            continue
        total += len(data) + data.count(b"$") // 2 * (PER_FORMULA_BYTES // PER_SOURCE_BYTE)
    return total


def cores() -> int:
    """The cores this process may run on."""
    found = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return found or 1


def default_jobs(layouts: int, source_bytes: int) -> int:
    """How many layouts to run at once: no more than the cores, the layouts to do, and what
    the available memory holds (half of it, leaving room for pandoc and the page cache)."""
    if layouts <= 1:
        return 1
    try:
        available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        available = 4 * 2**30
    fits = max(1, int(available // 2 // (BASE_BYTES + PER_SOURCE_BYTE * source_bytes)))
    return max(1, min(cores(), layouts, fits))


def _initialize(tmp: str, epoch: int, env: dict[str, str], cwd: str) -> None:
    # The server forks every worker of the process's pools from itself, and it keeps the
    # environment and folder it started in: a second build in one process (the test suite's,
    # the preview's) had its workers run with the first's (CI saw one whose workers' pandoc
    # had the 2-second BAIKONUR_RENDER_TIMEOUT of an earlier test). A worker takes its pool's.
    os.environ.clear()
    os.environ.update(env)
    with contextlib.suppress(OSError):
        os.chdir(cwd)
    environment.collect_less()
    tempfile.tempdir = tmp
    os.environ["TMPDIR"] = tmp  # for what the worker runs (pandoc): the folder a stop removes
    # fontTools (WeasyPrint's subsetter without libharfbuzz-subset) stamps every embedded font
    # with the current time unless SOURCE_DATE_EPOCH is set: the bytes would change every build.
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _folder() -> str:
    try:
        return os.getcwd()
    except OSError:  # removed under us: the worker keeps the server's
        return ""


def _end_with(sentinel: int) -> None:
    """A worker ends when the build's process does, however that ends: a worker waits for its
    next layout on a pipe it holds both ends of, so it would never see the build gone (seen
    after a Ctrl-C that landed while a worker was starting)."""
    from multiprocessing.connection import wait

    wait([sentinel])
    os._exit(1)


def _ready() -> int:
    return os.getpid()


class Layouts:
    """`submit(fn, *args)` runs a layout in a worker process (or here, with one job).

    With workers, `submit` returns at once: one thread hands the layouts to the pool in order.
    Starting the first worker waits until the server has imported WeasyPrint (0.8 s); this
    way the build parses, checks and runs pandoc meanwhile. (Measured on the shipped report, a
    cold build began parsing 1.19 s after its start when the pool started in line, 0.46 s when
    it started from a thread, and its EPUBs and DOCX no longer wait for the server.)"""

    def __init__(self, jobs: int, epoch: int, warm: bool = True, processes: bool | None = None):
        """`processes`: the layouts in worker processes even with one job (default: with more)."""
        self.jobs = max(1, jobs)
        self._tmp = tempfile.mkdtemp(prefix="baikonur-layout-")
        self._pool: cf.ProcessPoolExecutor | None = None
        self._handing: cf.ThreadPoolExecutor | None = None
        self._closing = False
        self._server_up = threading.Event()  # the first worker started: the server is ready
        if self.jobs > 1 if processes is None else processes:
            context = _context()
            self._pool = cf.ProcessPoolExecutor(self.jobs, mp_context=context,
                                                initializer=_initialize,
                                                initargs=(self._tmp, epoch, dict(os.environ),
                                                          _folder()))
            self._handing = threads.pool(1, "layout-pool")
            self.submit(_ready)  # the server starts now
        self._warming: threading.Thread | None = None
        if self._pool is None and warm:
            # What the server would import, imported meanwhile (WeasyPrint: 0.4 s). The first
            # layout waits for it: two threads importing WeasyPrint's modules at once can each
            # get the other's half-initialised.
            self._warming = threading.Thread(target=importlib.import_module, args=(PRELOAD,),
                                             name="layout-warm", daemon=True)
            self._warming.start()
        self._epoch = epoch

    def submit(self, fn: Callable, *args) -> cf.Future:
        future: cf.Future = cf.Future()
        if self._pool is not None:
            self._handing.submit(self._hand, future, fn, args)
            return future
        if self._warming is not None:
            self._warming.join()
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(self._epoch)  # as a worker has it, for this call
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future, as from a worker
            future.set_exception(exc)
        finally:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
        return future

    def _hand(self, future: cf.Future, fn: Callable, args: tuple) -> None:
        """Give one layout to the pool; its outcome becomes `future`'s."""
        if self._closing:
            future.cancel()
            return
        try:
            work = self._pool.submit(fn, *args)
        except BaseException as exc:  # noqa: BLE001 - a broken pool, delivered to the waiter
            future.set_exception(exc)
            return
        finally:
            self._server_up.set()
        work.add_done_callback(lambda done: _forward(done, future))

    def _stopped(self) -> None:
        """On a stop signal (`stopping`): the workers killed, their folder removed, now."""
        self._closing = True
        kill(*[p.pid for p in (getattr(self._pool, "_processes", None) or {}).values()])
        remove(self._tmp)

    def close(self, kill: bool = False) -> None:
        """Wait for the workers (or kill them: an error elsewhere, Ctrl-C, a timeout), then
        remove every temporary file they made."""
        if self._pool is not None:
            self._closing = kill
            if kill and not self._server_up.is_set():
                stop_server()  # an error before any layout: the build ends now, not once
                # the server has imported WeasyPrint (measured: a bad citation was reported
                # after 1.45 s, 0.55 s with no pool; and 1.0 s of CPU less)
            self._handing.shutdown(wait=True)  # every layout handed over (or cancelled)
            pool, self._pool = self._pool, None
            # Taken before shutdown, which forgets them: a worker still laying out when the
            # build stops must be dead before its temporary folder is removed.
            processes = list((getattr(pool, "_processes", None) or {}).values())
            if kill:
                pool.shutdown(wait=False, cancel_futures=True)
                for process in processes:
                    process.kill()
            pool.shutdown(wait=True, cancel_futures=True)
            for process in processes:
                process.join(10)
        if self._warming is not None:  # a build that stopped before its first layout: the
            self._warming.join()  # import ends before the build returns, not under its caller
        shutil.rmtree(self._tmp, ignore_errors=True)

    def __enter__(self) -> "Layouts":
        self._stop = on_stop(self._stopped)
        self._stop.__enter__()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            self.close(kill=kind is not None)
        finally:
            self._stop.__exit__(None, None, None)


def _context():
    """The pools' multiprocessing context, its folder made and its server's preload set."""
    pool_folder()
    context = multiprocessing.get_context(start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([PRELOAD, SERVER_EXIT])
    return context


def start_server() -> None:
    """Start the pool's server ahead of its pool: it imports WeasyPrint (0.6 s) and every
    layout waits for it, while the build imports its renderers and looks its covers up (60 to
    90 ms on the shipped report) before it knows how many workers it wants."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def stop_server() -> None:
    """Kill the pool's server while it is still starting (it is restarted by the next pool
    that needs one); the worker start waiting on it then fails at once."""
    from multiprocessing import forkserver

    kill(getattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid", None))


def _forward(done: cf.Future, future: cf.Future) -> None:
    if done.cancelled():
        future.cancel()
    elif done.exception() is not None:
        future.set_exception(done.exception())
    else:
        future.set_result(done.result())
