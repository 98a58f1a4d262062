"""Ctrl-C (SIGINT) and SIGTERM during a build: clean up, then end the process at once.

Python raises KeyboardInterrupt in the main thread wherever it happens to be. While render
threads run, that may be inside the import machinery with its lock held: the threads importing
something then wait for ever, and the main thread, unwinding, waits for them (seen under load:
the main thread joining its pool, two render threads in `_get_module_lock`). No choice of
where to import can rule that out, so a build does not unwind on these signals. The handler
kills the build's child processes (pandoc, the layout server), runs what the build registered
(`on_stop`: kill the layout workers, remove the temporary folders), says so, and exits with
128 + the signal's number. Nothing half-written can be left: the output set is renamed into
place whole, with these signals held for those renames (`writing.write_set`), and a file
written beside its final name (`writing`) is finished or removed.

The handler is installed only by a build run from the main thread (the CLI); a build in a
thread of the preview server is stopped by the server.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

_CLEANUPS: list[Callable[[], None]] = []
SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Files written beside their final name and renamed into place (the cache's, through
# `writing.write_atomic`): a stop waits for the one another thread is writing, removes the one
# this thread was writing, and lets no other start (seen once in a full test run: a cache
# entry's `.part` file left behind by a Ctrl-C).
_WRITING = threading.RLock()
_PARTS: set[str] = set()
# Held while a thread starts a child process (`spawning`): a stop takes it before it kills
# the children, so none is started after the kill to write into a folder being removed.
_SPAWNING = threading.RLock()


@contextmanager
def on_stop(cleanup: Callable[[], None]):
    """While the block runs, a stop runs `cleanup` (last registered, first run)."""
    _CLEANUPS.append(cleanup)
    try:
        yield
    finally:
        _CLEANUPS.remove(cleanup)


def at_every_stop(cleanup: Callable[[], None]) -> None:
    """For as long as the process runs, a stop runs `cleanup` (after the blocks' own)."""
    _CLEANUPS.insert(0, cleanup)


@contextmanager
def writing(part: str):
    """While the block writes the file `part` and renames it, a stop cannot come between: it
    waits for the block to end, or, when it interrupted this very thread, removes `part`.
    Register `part` before creating it."""
    with _WRITING:
        _PARTS.add(part)
        try:
            yield
        finally:
            _PARTS.discard(part)


@contextmanager
def spawning():
    """While the block starts a child process, a stop waits for it (then kills the child)."""
    with _SPAWNING:
        yield


def remove(folder: str | Path) -> None:
    """Remove `folder` while other threads may still be writing into it: a removal that fails
    on a file added meanwhile is tried again (once the folder is gone, nothing can be added)."""
    for _ in range(20):
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.lexists(folder):
            return


def kill(*pids: int | None) -> None:
    """SIGKILL each process of `pids` still there (None and vanished ones are skipped)."""
    for pid in pids:
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _children() -> list[int]:
    """This process's child processes (from /proc on Linux; elsewhere none are known)."""
    me, found = os.getpid(), []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    if int(handle.read().rsplit(b")", 1)[1].split()[1]) == me:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return found


def _stop(signum: int, frame) -> None:
    """Kill the child processes, run every cleanup (none may raise or import: the main thread
    may hold the import lock), then exit without unwinding."""
    # multiprocessing's tracker, left running for the next build; looked up, not imported
    # (here no import may run, and importing it cost every process 5 ms)
    tracker = getattr(getattr(sys.modules.get("multiprocessing.resource_tracker"),
                              "_resource_tracker", None), "_pid", None)
    # First, so none writes into a folder the cleanups remove: a pandoc still running made its
    # output's folders again after they were removed (seen once in a dozen interrupts).
    _SPAWNING.acquire()  # held to the end: a child being started is started, no other after
    kill(*[pid for pid in _children() if pid != tracker])
    # Held to the end: a write under way in another thread ends first, none starts after. (A
    # write this thread was in the middle of, interrupted, is what `_PARTS` still holds.)
    _WRITING.acquire()
    for part in list(_PARTS):
        try:
            os.unlink(part)
        except OSError:
            pass
    for cleanup in reversed(_CLEANUPS):
        try:
            cleanup()
        except Exception:  # noqa: BLE001 - the others still run
            pass
    try:
        sys.stdout.flush()
        sys.stderr.write("\nAborted!\n" if signum == signal.SIGINT else "\nTerminated.\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    # Last, so no thread registers a semaphore after it: multiprocessing's resource tracker,
    # which would warn of the layout pool's semaphores (unlinked already) as leaked.
    kill(tracker)
    os._exit(128 + signum)


@contextmanager
def exits_on_signal():
    """Within the block (a build in the main thread), SIGINT and SIGTERM stop the process."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, _stop) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
