"""Heavy renders in forked child processes, a bounded number at a time.

Each job gets its own child, forked from a parent that has already imported WeasyPrint (so no
child imports it again) and hands its result back through a file of its own. Nothing is
shared between parent and children but that file, so stopping the build (an error elsewhere,
Ctrl-C, a timeout) can simply kill the children: no pipe is left half-read and nothing can
hang the parent, which `concurrent.futures.ProcessPoolExecutor` does not guarantee when its
workers are terminated mid-result.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import multiprocessing.connection
import pickle
import tempfile
import threading
from pathlib import Path
from typing import Callable

from .errors import RenderError

_FORK = multiprocessing.get_context("fork")


def _child(fn: Callable, args: tuple, result: str) -> None:
    # A child ends with os._exit, so finalizers that would delete temporary files never run
    # (WeasyPrint copies the fonts of every document into a folder of its own). Everything
    # temporary goes into the workers' folder, which the parent removes, even after a kill.
    tempfile.tempdir = str(Path(result).parent)
    try:
        outcome = ("ok", fn(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which re-raises it
        outcome = ("error", exc)
    with open(result, "wb") as handle:
        pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)


class Workers:
    """`submit(fn, *args)` runs fn in a forked child; at most `count` children at once.

    With `channel=True`, fn gets one more argument, the writing end of a pipe, and `submit`
    returns the reading end beside the future: a job can hand part of its work back before it
    ends. The reader sees EOF if the child dies first."""

    def __init__(self, count: int, timeout: float):
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(count)
        self._threads = cf.ThreadPoolExecutor(max_workers=32, thread_name_prefix="render")
        self._tmp = tempfile.TemporaryDirectory(prefix="baikonur-work-")
        self._children: set = set()
        self._lock = threading.Lock()
        self._stopped = False
        self._n = 0

    def submit(self, fn: Callable, *args, channel: bool = False):
        self._n += 1
        result = Path(self._tmp.name) / f"{self._n}.pickle"
        reader = None
        if channel:
            reader, writer = _FORK.Pipe(duplex=False)
            args = (*args, writer)
        child = self._start(fn, args, result) if self._slots.acquire(blocking=False) else None
        future = self._threads.submit(self._run, fn, args, result, child)
        return (future, reader) if channel else future

    def _start(self, fn: Callable, args: tuple, result: Path):
        with self._lock:
            if self._stopped:
                self._slots.release()
                raise RenderError("build stopped")
            child = _FORK.Process(target=_child, args=(fn, args, str(result)), daemon=True)
            child.start()
            self._children.add(child)
        for arg in args:  # the child has its own copy of a pipe's writing end
            if isinstance(arg, multiprocessing.connection.Connection) and arg.writable:
                arg.close()
        return child

    def _run(self, fn: Callable, args: tuple, result: Path, child):
        if child is None:
            self._slots.acquire()
            child = self._start(fn, args, result)
        try:
            child.join(self.timeout)
            with self._lock:
                self._children.discard(child)
            if child.is_alive():
                child.kill()
                child.join()
                raise RenderError(f"rendering did not finish within {self.timeout:.0f} s")
        finally:
            self._slots.release()
        if not result.is_file():
            raise RenderError(f"a render process died (exit code {child.exitcode}; out of memory?)")
        status, value = pickle.loads(result.read_bytes())
        if status == "error":
            raise value
        return value

    def stop(self) -> None:
        """Kill every running child and drop the queued jobs."""
        with self._lock:
            self._stopped = True
            for child in self._children:
                child.kill()
        self.close()

    def close(self) -> None:
        self._threads.shutdown(wait=True, cancel_futures=True)
        self._tmp.cleanup()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            self.stop()
        else:
            self.close()
