"""The only place that runs pandoc.

Pandoc comes from the `pypandoc-binary` wheel, so no system pandoc is needed; BAIKONUR_PANDOC
may point at another executable. Every run has a timeout and turns a failure into a RenderError
carrying pandoc's own message. Runs use `--sandbox` (pandoc then reads only the files named on
its command line and fetches nothing) except the EPUB writer, which must read the stylesheet,
fonts and cover; it runs on an AST whose resources `resources.check` has already confined to
the project.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import stopping
from .environment import render_timeout
from .errors import RenderError

_DATA_FILES: dict[tuple, bytes] = {}
# Pandoc processes one process runs at once: one per core. More would not finish sooner (each
# is busy on a core), but each holds its own copy of the book (100 MB and more for a long one).
_SLOTS_COUNT = max(1, os.cpu_count() or 1)
_SLOTS = threading.BoundedSemaphore(_SLOTS_COUNT)

MIN_VERSION = (3, 1, 6)
READERS_VERSION = (3, 7)  # `pandoc.read` in a sandbox: the kept `Readers`
# East Asian wide characters (a superset): without one, east_asian_line_breaks has no work.
# Compiled by `re` when first searched (3.7 ms a process, and a no-op build reads no text).
_WIDE = ("[\u1100-\u115f\u2300-\u2bff\u2e80-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff"
         "\ufe10-\ufe6f\uff00-\uffe6\U00016fe0-\U0001faff\U00020000-\U0003fffd]")
# Pandoc's heap: far beyond a report's needs (the 50× manuscript peaks near 400 MB), and a
# bound on what a hostile input can make it take.
HEAP_LIMIT = "-M4g"
_CHECKED: dict[str, str] = {}  # versions this process checked, by identity (tests: 208 runs)


@dataclass(frozen=True)
class Pandoc:
    """A located, version-checked pandoc executable."""

    path: str
    version: tuple[int, ...]
    epoch: int | None = None  # SOURCE_DATE_EPOCH for reproducible EPUB/DOCX timestamps

    @staticmethod
    def find() -> str:
        """Path of the pandoc to use, without running it: BAIKONUR_PANDOC, else the wheel's."""
        path = os.environ.get("BAIKONUR_PANDOC")
        if path:
            return path
        spec = importlib.util.find_spec("pypandoc")
        if spec and spec.origin:
            bundled = Path(spec.origin).parent / "files" / "pandoc"
            if bundled.is_file():
                return str(bundled)
        try:
            import pypandoc

            return pypandoc.get_pandoc_path()
        except (ImportError, OSError):
            raise RenderError("pandoc not found: install the 'pypandoc-binary' package "
                              "(pip install -e .) or set BAIKONUR_PANDOC") from None

    @staticmethod
    def identity(path: str) -> str:
        """What identifies this pandoc build without running it (for the version cache)."""
        try:
            st = os.stat(path)
        except OSError:
            return f"{path}:missing"
        return f"{os.path.realpath(path)}:{st.st_size}:{st.st_mtime_ns}"

    @classmethod
    def locate(cls, path: str | None = None, known_version: str | None = None) -> "Pandoc":
        """Find pandoc and check its version (`known_version`: cached from an earlier check)."""
        path = path or cls.find()
        known_version = known_version or _CHECKED.get(cls.identity(path))
        if known_version:
            return cls(path, tuple(int(p) for p in known_version.split(".")))
        try:
            out = subprocess.run([path, "--version"], capture_output=True, text=True,
                                 timeout=30, check=True).stdout
        except (OSError, subprocess.SubprocessError):
            raise RenderError(f"pandoc not found or not runnable at {path}") from None
        match = re.match(r"pandoc(?:\.exe)?\s+([\d.]+)", out)
        version = tuple(int(p) for p in match.group(1).split(".")) if match else ()
        if version < MIN_VERSION:
            found = ".".join(map(str, version)) or "unknown"
            raise RenderError(f"pandoc {found} at {path} is too old: "
                              f"{'.'.join(map(str, MIN_VERSION))} or newer is needed")
        _CHECKED[cls.identity(path)] = ".".join(map(str, version))
        return cls(path, version)

    def with_epoch(self, epoch: int | None) -> "Pandoc":
        return replace(self, epoch=epoch)

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))

    def run(self, args: list[str], stdin: str | bytes | None = None, *, sandbox: bool = True,
            timeout: float | None = None, what: str = "pandoc") -> tuple[bytes, str]:
        """Run pandoc with `args`; return (stdout, stderr warnings). Raise RenderError on failure.
        The timeout is BAIKONUR_RENDER_TIMEOUT unless given."""
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        timeout = timeout or render_timeout()
        try:
            env = dict(os.environ)
            if self.epoch is not None:
                env["SOURCE_DATE_EPOCH"] = str(self.epoch)
            with _SLOTS:
                with stopping.spawning():  # none starts once a stop has killed the others
                    proc = subprocess.Popen(
                        [self.path, "+RTS", HEAP_LIMIT, "-RTS", *(["--sandbox"] if sandbox else []),
                         *args], stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
                    cap_cpu(proc.pid, timeout)
                with proc:
                    try:
                        stdout, stderr_bytes = proc.communicate(data, timeout=timeout)
                    except BaseException:  # a timeout, or anything else: pandoc does not outlive it
                        proc.kill()
                        raise
        except subprocess.TimeoutExpired:
            raise PandocTimeout(f"{what}: pandoc did not finish within {timeout:.0f} s") from None
        except OSError as exc:
            raise RenderError(f"{what}: cannot run pandoc: {exc.strerror}") from None
        stderr = stderr_bytes.decode("utf-8", "replace")
        if proc.returncode != 0:
            raise _failure(what, proc.returncode, stderr)
        return stdout, stderr

    def read_markdown(self, text: str, what: str, reader: str = "markdown",
                      timeout: float | None = None, meta: dict | None = None,
                      citeproc: tuple[Path, Path] | None = None) -> tuple[dict, str]:
        """Markdown → pandoc JSON AST and pandoc's warnings, within `read_budget` of its size
        unless `timeout` says otherwise. `meta` replaces the document's metadata (as
        `--metadata-file`); `citeproc` (bibliography, style) runs citeproc.

        A pandoc that has `pandoc.read`'s sandbox (3.7) reads in a `Readers` process kept for
        the next text; another runs once per text, as `pandoc --sandbox`."""
        timeout = timeout or read_budget(len(text.encode()))
        meta_text = None if meta is None else yaml.safe_dump(meta, allow_unicode=True)
        if self.version >= READERS_VERSION:
            request = {"text": text, "from": reader, "wide": bool(re.search(_WIDE, text))}
            if meta_text is not None:
                request["meta"] = meta_text
            if citeproc:
                request.update(bibliography=str(citeproc[0]), csl=str(citeproc[1]))
            out, warnings = _READERS.read(self, request, what, timeout)
        else:
            with tempfile.TemporaryDirectory(prefix="baikonur-pandoc-") as tmp:
                args = []
                if meta_text is not None:
                    meta_file = Path(tmp) / "metadata.yaml"
                    meta_file.write_text(meta_text, encoding="utf-8")
                    args.append(f"--metadata-file={meta_file}")
                if citeproc:
                    args += ["--citeproc", f"--bibliography={citeproc[0]}", f"--csl={citeproc[1]}"]
                out, warnings = self.run([f"--from={reader}", "--to=json", *args], text,
                                         what=what, timeout=timeout)
        try:
            return json.loads(out), warnings
        except RecursionError:
            raise RenderError(f"{what}: the text is nested too deeply (lists or quotes inside "
                              "each other hundreds of levels deep)") from None

    def data_file(self, name: str) -> bytes:
        """One of pandoc's default data files (e.g. `reference.docx`), as bytes; asked of each
        pandoc binary once per process (every edition wants the same ones)."""
        key = (self.path, self.version, name)
        if key not in _DATA_FILES:
            out, _ = self.run(["--print-default-data-file", name], what=f"pandoc data file {name}")
            _DATA_FILES[key] = out
        return _DATA_FILES[key]

    def default_csl(self) -> bytes:
        """Pandoc's own default style (Chicago author-date) without the blank text and comments
        of its 152 KB, which citeproc parses on every run: a chapter read with citeproc took
        0.105 s, 0.055 s with this copy (quiet machine, 20 runs each), its output the same."""
        key = (self.path, self.version, "default.csl, compact")
        if key not in _DATA_FILES:
            from lxml import etree

            parser = etree.XMLParser(remove_blank_text=True, remove_comments=True,
                                     resolve_entities=False, no_network=True)
            root = etree.fromstring(self.data_file("default.csl"), parser)
            _DATA_FILES[key] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        return _DATA_FILES[key]

    def write(self, ast: dict, to: str, args: list[str], what: str,
              output: Path | None = None, sandbox: bool = True) -> bytes:
        """Pandoc JSON AST → `to`. Binary formats go through `output` (a temporary file)."""
        extra = [f"--output={output}"] if output else []
        # The AST goes in through a file, not a pipe: a worker process forked while pandoc runs
        # would inherit the pipe's writing end, and pandoc would wait for the end of its input
        # until that worker exits.
        with tempfile.TemporaryDirectory(prefix="baikonur-pandoc-") as tmp:
            source = Path(tmp) / "edition.json"
            source.write_text(json.dumps(ast, ensure_ascii=False), encoding="utf-8")
            out, _ = self.run(["--from=json", f"--to={to}", *args, *extra, str(source)],
                              what=what, sandbox=sandbox)
        return output.read_bytes() if output else out


class PandocTimeout(RenderError):
    """Pandoc did not finish within its time."""


def read_budget(size: int, base: float = 30) -> float:
    """Seconds pandoc's Markdown reader may take for `size` bytes: `base` and 30 s a MB, within
    BAIKONUR_RENDER_TIMEOUT. Real chapters read at about 2 s a MB (a real book's four, 100 KB,
    in 0.19 s), 15 times within it; but its parser is slow on some text beyond any margin: 500
    unclosed `[x](` in a row, 1.5 KB, took 30 s. What it cannot read in time is an error."""
    return min(render_timeout(), base + 30 * size / 2**20)


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


def _failure(what: str, returncode: int | None, stderr: str) -> RenderError:
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
        return _failure(what, self.proc.returncode, log)

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

    def read(self, pandoc: Pandoc, request: dict, what: str, timeout: float) -> tuple[bytes, str]:
        with self._lock:  # one that died while idle (killed) is closed: its folder goes too
            dead = [r for r in self._idle if not r.alive()]
            self._idle[:] = [r for r in self._idle if r not in dead]
            reader = next((r for r in self._idle if r.path == pandoc.path), None)
            if reader:
                self._idle.remove(reader)
        for old in dead:
            old.close(busy=False)
        with _SLOTS:
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
            extra = self._idle[:-_SLOTS_COUNT] if len(self._idle) > _SLOTS_COUNT else []
            del self._idle[:len(extra)]
        for old in extra:
            old.close(busy=False)
        return out

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for reader in idle:
            reader.close(busy=False)


_READERS = Readers()
atexit.register(_READERS.close)
_FOLDERS: set[str] = set()  # the readers' own temporary folders, removed by a stop as well
stopping.at_every_stop(lambda: [stopping.remove(folder) for folder in list(_FOLDERS)])


def end_readers() -> None:
    """End the kept readers: each holds about 85 MB (PSS, the shipped manuscript's parse)."""
    _READERS.close()
