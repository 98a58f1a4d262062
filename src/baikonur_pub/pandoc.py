"""The only place that runs pandoc (with `pandoc_readers`, its processes kept to read text
after text).

Pandoc comes from the `pypandoc-binary` wheel, so no system pandoc is needed; BAIKONUR_PANDOC
may point at another executable. Every run has a timeout and turns a failure into a RenderError
carrying pandoc's own message. Runs use `--sandbox` (pandoc then reads only the files named on
its command line and fetches nothing) except the EPUB writer, which must read the stylesheet,
fonts and cover; it runs on an AST whose resources `resources.check` has already confined to
the project.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from . import stopping
from .environment import render_timeout
from .errors import RenderError
from .pandoc_readers import HEAP_LIMIT, READERS, SLOTS, PandocTimeout, cap_cpu, failure

_DATA_FILES: dict[tuple, bytes] = {}

MIN_VERSION = (3, 1, 6)
READERS_VERSION = (3, 7)  # `pandoc.read` in a sandbox: the kept `pandoc_readers`
# East Asian wide characters (a superset): without one, east_asian_line_breaks has no work.
# Compiled by `re` when first searched (3.7 ms a process, and a no-op build reads no text).
_WIDE = ("[\u1100-\u115f\u2300-\u2bff\u2e80-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff"
         "\ufe10-\ufe6f\uff00-\uffe6\U00016fe0-\U0001faff\U00020000-\U0003fffd]")
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
            with SLOTS:
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
            raise failure(what, proc.returncode, stderr)
        return stdout, stderr

    def read_markdown(self, text: str, what: str, reader: str = "markdown",
                      timeout: float | None = None, meta: dict | None = None,
                      citeproc: tuple[Path, Path] | None = None) -> tuple[dict, str]:
        """Markdown → pandoc JSON AST and pandoc's warnings, within `read_budget` of its size
        unless `timeout` says otherwise. `meta` replaces the document's metadata (as
        `--metadata-file`); `citeproc` (bibliography, style) runs citeproc.

        A pandoc that has `pandoc.read`'s sandbox (3.7) reads in a process kept for the next
        text (`pandoc_readers`); another runs once per text, as `pandoc --sandbox`."""
        timeout = timeout or read_budget(len(text.encode()))
        meta_text = None if meta is None else yaml.safe_dump(meta, allow_unicode=True)
        if self.version >= READERS_VERSION:
            request = {"text": text, "from": reader, "wide": bool(re.search(_WIDE, text))}
            if meta_text is not None:
                request["meta"] = meta_text
            if citeproc:
                request.update(bibliography=str(citeproc[0]), csl=str(citeproc[1]))
            out, warnings = READERS.read(self, request, what, timeout)
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


def read_budget(size: int, base: float = 30) -> float:
    """Seconds pandoc's Markdown reader may take for `size` bytes: `base` and 30 s a MB, within
    BAIKONUR_RENDER_TIMEOUT. Real chapters read at about 2 s a MB (a real book's four, 100 KB,
    in 0.19 s), 15 times within it; but its parser is slow on some text beyond any margin: 500
    unclosed `[x](` in a row, 1.5 KB, took 30 s. What it cannot read in time is an error."""
    return min(render_timeout(), base + 30 * size / 2**20)
