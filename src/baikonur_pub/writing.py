"""What the build writes: into folders no symlink of the project leads to, each file atomically,
and the output set together or not at all (a journal makes an interrupted commit recoverable).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from . import stopping
from .errors import PublishError, RenderError

def refuse_links(root: Path, folder: Path, what: str) -> None:
    """A folder the tool writes into (`what`: the output, cache or report folder) may neither
    be reached through a symlink inside the project `root` nor hold one (its lock, staging
    folder, artifacts, the cache's own folders): a repository can bring a link named `dist` or
    `.cache` (`.gitignore`'s `dist/` matches folders only), or one inside them, and the writes
    would go wherever it leads. A folder outside the project is the user's to name."""
    folder = Path(os.path.normpath(os.path.abspath(folder)))
    root = Path(os.path.normpath(os.path.abspath(root)))
    if folder == root or not folder.is_relative_to(root):
        return
    paths, current = [], root
    for part in folder.relative_to(root).parts:
        current = current / part
        paths.append(current)
    try:
        paths += [Path(entry.path) for entry in os.scandir(folder) if entry.is_symlink()]
    except OSError:
        pass  # not made yet (or a link: refused below)
    for path in paths:
        if path.is_symlink():
            raise PublishError(f"{what} may not be reached through a symlink inside the project, "
                               "nor hold one (a repository can bring one): remove the link, or "
                               "name a folder outside the project", path.relative_to(root).as_posix())


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, then rename: never a partial file, even
    when the build is stopped meanwhile (`stopping.writing`)."""
    tmp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.part")
    with stopping.writing(tmp):
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except OSError as exc:
            raise RenderError(f"cannot write to output folder: {exc.strerror}",
                              str(path.parent)) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise RenderError(f"cannot write {path.name}: {exc.strerror}", str(path.parent)) from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


STAGING = ".baikonur-staging"
JOURNAL = ".baikonur-commit"


def write_set(out: Path, files: dict[str, bytes]) -> bool:
    """Replace `files` (plain names) in folder `out` together, or leave `out` as it was.

    Every byte is written into a staging folder inside `out` first, so a full disk or any
    error leaves the old set whole. Then a journal is written and the files are renamed into
    place (renames write no data) with Ctrl-C and SIGTERM held back; a crash in those
    milliseconds is rolled forward by the next call (`recover`). Returns whether anything
    changed."""
    for name in files:  # every write proven inside `out`
        if "/" in name or name in ("", ".", "..") or name.startswith("."):
            raise RenderError(f"refusing to write '{name}' outside the output folder", str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create output folder: {exc.strerror}", str(out)) from None
    recover(out)
    changed = {n: d for n, d in files.items() if not _same(out / n, d)}
    if not changed:
        return False
    staging = out / STAGING
    try:
        staging.mkdir(exist_ok=True)
        for name, data in changed.items():
            with open(staging / name, "wb") as handle:
                handle.write(data)
            os.chmod(staging / name, 0o644)
        journal = out / JOURNAL
        with open(journal, "w", encoding="utf-8") as handle:
            handle.write("\n".join(changed) + "\n")
    except OSError as exc:
        _remove_staging(out)
        raise RenderError(f"cannot write to output folder: {exc.strerror}", str(out)) from None
    except BaseException:
        _remove_staging(out)
        raise
    with _signals_held():
        recover(out)
    return True


def recover(out: Path) -> None:
    """Finish a commit a crash interrupted (its journal is there), else drop a stale staging."""
    journal, staging = out / JOURNAL, out / STAGING
    if journal.is_file():
        for name in journal.read_text(encoding="utf-8").split():
            if (staging / name).is_file() and "/" not in name:
                os.replace(staging / name, out / name)
        journal.unlink()
    _remove_staging(out)


def _remove_staging(out: Path) -> None:
    import shutil

    (out / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(out / STAGING, ignore_errors=True)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


class _signals_held:
    """Defer SIGINT and SIGTERM for the few renames of a commit (main thread only)."""

    def __enter__(self):
        import signal
        import threading

        self.pending, self.saved = [], {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.saved[sig] = signal.signal(sig, lambda s, f: self.pending.append(s))
        return self

    def __exit__(self, *exc):
        import signal

        for sig, handler in self.saved.items():
            if handler is not None:
                signal.signal(sig, handler)
        for sig in self.pending:
            signal.raise_signal(sig)
        return False
