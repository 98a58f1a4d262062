"""The kept `pandoc lua` readers, and what every pandoc process of a build shares: the slots
(one a core), the heap limit, the CPU cap, a failure told in pandoc's words. `pandoc` runs the
others; the readers are this module's, each a process that reads text after text.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import stopping
from .errors import RenderError

if TYPE_CHECKING:
    from .pandoc import Pandoc

# Pandoc processes one process runs at once: one per core. More would not finish sooner (each
# is busy on a core), but each holds its own copy of the book (100 MB and more for a long one).
SLOTS_COUNT = max(1, os.cpu_count() or 1)
SLOTS = threading.BoundedSemaphore(SLOTS_COUNT)
# Pandoc's heap: far beyond a report's needs (the 50× manuscript peaks near 400 MB), and a
# bound on what a hostile input can make it take.
HEAP_LIMIT = "-M4g"


class PandocTimeout(RenderError):
    """Pandoc did not finish within its time."""


def cap_cpu(pid: int, timeout: float, used: float = 0) -> None:
    """Cap a child's CPU time near its timeout (Linux): a build killed outright (SIGKILL, the
    OOM killer, a CI job cancelled) cannot stop its children, and an orphaned pandoc reading a
    hostile bibliography was found still running 24 minutes later. The kernel ends it."""
    try:
        import resource

        limit = int(used + timeout) + 30
        resource.prlimit(pid, resource.RLIMIT_CPU, (limit, limit + 5))
    except (ImportError, AttributeError, OSError, ValueError):
        pass  # not Linux, or the process has already ended


def failure(what: str, returncode: int | None, stderr: str) -> RenderError:
    """The error of a pandoc that failed or died, in pandoc's words."""
    if returncode == 251 or "Heap exhausted" in stderr:
        return RenderError(f"{what}: pandoc ran out of its memory limit ({HEAP_LIMIT[2:]}B): "
                           "the input is too large or too deeply nested")
    detail = " ".join(l.strip() for l in stderr.splitlines() if l.strip())
    return RenderError(f"{what}: pandoc failed: {detail or f'exit code {returncode}'}")


class _Reader:
    """One `pandoc lua reader.lua` process: Markdown in, JSON AST out, one text after another.
    Shipped manuscript (one language, citeproc): 0.22 s a text for pandoc started per text,
    0.035 s for each after the first here. Citeproc builds its collation tables (85 ms) and
    parses its style in every process that sorts a bibliography; the preview's update and the
    tests read text after text in one process."""

    def __init__(self, path: str):
        self.path = path
        self.stderr = tempfile.TemporaryFile()
        # `pandoc lua` keeps a history file in TMPDIR, removed when it ends normally: a reader
        # killed (a stop, a timeout) would leave it there. Its own folder goes with it.
        self.tmp = tempfile.mkdtemp(prefix="baikonur-reader-")
        _FOLDERS.add(self.tmp)
        with stopping.spawning():  # none starts once a stop has killed the others
            self.proc = subprocess.Popen(
                [path, "+RTS", HEAP_LIMIT, "-RTS", "lua", str(Path(__file__).with_name("reader.lua"))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
                env={**os.environ, "TMPDIR": self.tmp})
        self._buffer = bytearray()  # extended in place: a long book's AST is 100 MB and more

    def read(self, request: dict, what: str, timeout: float) -> tuple[bytes, str]:
        body = json.dumps(request, ensure_ascii=False).encode("utf-8")
        cap_cpu(self.proc.pid, timeout, self.cpu_seconds())  # what it used, and this text's
        deadline = time.monotonic() + timeout
        try:
            self.proc.stdin.write(b"%d\n" % len(body) + body)
            self.proc.stdin.flush()
            status, first, second = self._line(deadline).split()
            data = self._exactly(int(first) + int(second), deadline)
        except TimeoutError:  # an OSError, but the process is alive: `Readers.read` ends it
            raise
        except (OSError, ValueError, EOFError):
            raise self._died(what) from None
        if status == b"ok":
            log = json.loads(data[int(first):]) if int(second) else []
            return bytes(data[:int(first)]), "".join(  # as the command line prints them
                f"[WARNING] {m['pretty']}\n" for m in log if m.get("verbosity") == "WARNING")
        raise RenderError(f"{what}: pandoc failed: {data.decode('utf-8', 'replace').strip()}")

    def cpu_seconds(self) -> float:
        try:
            with open(f"/proc/{self.proc.pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def _fill(self, deadline: float) -> None:
        """Add what pandoc has written to the buffer; TimeoutError at the deadline."""
        fd = self.proc.stdout.fileno()
        if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise EOFError
        self._buffer += chunk

    def _line(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, _, self._buffer = self._buffer.partition(b"\n")  # the header: in the first chunk
        return bytes(line)

    def _exactly(self, n: int, deadline: float) -> bytearray:
        while len(self._buffer) < n:
            self._fill(deadline)
        data = self._buffer[:n]
        del self._buffer[:n]
        return data

    def _died(self, what: str) -> RenderError:
        log = self.close()  # first: its exit code is known once it has been waited for
        return failure(what, self.proc.returncode, log)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self, busy: bool = True) -> str:
        """End the process and wait for it: an idle one (`busy=False`) ends at the end of its
        input, within a second; one in the middle of a text is killed. Returns its stderr."""
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=0 if busy else 1)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)
        _FOLDERS.discard(self.tmp)
        if self.stderr.closed:  # closed already (it died, then the caller ended it)
            return ""
        with self.stderr:  # closed with it, not whenever the reader is collected
            self.stderr.seek(0)
            return self.stderr.read().decode("utf-8", "replace")


class Readers:
    """This process's `_Reader`s, each lent to one thread at a time, kept (one a core) idle."""

    def __init__(self):
        self._lock = threading.Lock()
        self._idle: list[_Reader] = []

    def read(self, pandoc: "Pandoc", request: dict, what: str, timeout: float) -> tuple[bytes, str]:
        with self._lock:  # one that died while idle (killed) is closed: its folder goes too
            dead = [r for r in self._idle if not r.alive()]
            self._idle[:] = [r for r in self._idle if r not in dead]
            reader = next((r for r in self._idle if r.path == pandoc.path), None)
            if reader:
                self._idle.remove(reader)
        for old in dead:
            old.close(busy=False)
        with SLOTS:
            if reader is not None and not reader.alive():
                reader.close(busy=False)
                reader = None
            if reader is None:
                reader = _Reader(pandoc.path)
            try:
                out = reader.read(request, what, timeout)
            except TimeoutError:
                reader.close()
                raise PandocTimeout(f"{what}: pandoc did not finish within {timeout:.0f} s") from None
            except BaseException:
                reader.close()
                raise
        with self._lock:
            self._idle.append(reader)
            extra = self._idle[:-SLOTS_COUNT] if len(self._idle) > SLOTS_COUNT else []
            del self._idle[:len(extra)]
        for old in extra:
            old.close(busy=False)
        return out

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.close(busy=False)


READERS = Readers()
atexit.register(READERS.close)
_FOLDERS: set[str] = set()  # the readers' own temporary folders, removed by a stop as well
stopping.at_every_stop(lambda: [stopping.remove(folder) for folder in list(_FOLDERS)])


def end_readers() -> None:
    """End the kept readers: each holds about 85 MB (PSS, the shipped manuscript's parse)."""
    READERS.close()
