"""`baikonur-pub verify DIR`: are the artifacts in DIR the ones the manifest lists, and valid?

Checks SHA256SUMS, then re-opens each artifact with its real reader or validator: pypdf for
PDF (and, for one that claims PDF/UA-1, the structure checks of `render.pdfua`), EPUBCheck for EPUB, python-docx (and, when asked, LibreOffice) for DOCX. A validator that
is not installed is a problem under CI=true and a note elsewhere.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from . import manifest, threads
from .environment import in_ci
from .validate import (EpubCheckResult, ValidatorFailed, ValidatorMissing, epubcheck_many,
                       libreoffice_pdf)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def verify(out: Path, libreoffice: bool = False) -> tuple[list[str], list[Problem]]:
    """(checked file names, problems) for the folder `out`."""
    problems = [Problem(path, message) for path, message in manifest.check_sums(out)]
    names = [line.split("  ", 1)[1] for line in (out / manifest.SUMS).read_text().splitlines()
             if "  " in line] if (out / manifest.SUMS).is_file() else []
    paths = [out / n for n in names if (out / n).is_file() and (out / n).suffix.lower() in _CHECKERS]
    epubs = [p for p in paths if p.suffix.lower() == ".epub"]
    with threads.pool(os.cpu_count() or 1, "verify") as pool:  # validators are subprocesses
        checks = pool.submit(epubcheck_many, epubs)  # one JVM for every EPUB: Java starts slowly
        outcomes = list(pool.map(lambda p: _run(p, libreoffice, checks), paths))
    checked = [p.name for p, (_, validated) in zip(paths, outcomes) if validated]
    for path, (message, validated) in zip(paths, outcomes):
        if message:
            problems.append(Problem(str(path), message, fatal=validated or in_ci()))
    return checked, problems


def _run(path: Path, libreoffice: bool, checks: Future) -> tuple[str, bool]:
    """(problem or '', whether a validator actually ran); `checks`: the EPUBs' EPUBCheck results."""
    try:
        if path.suffix.lower() == ".epub":
            return _epub(checks.result()[path]), True
        return _CHECKERS[path.suffix.lower()](path, libreoffice), True
    except ValidatorMissing as exc:
        return f"not validated: {exc.message}", False
    except ValidatorFailed as exc:
        return exc.message, True


def _pdf(path: Path, _: bool) -> str:
    import pypdf

    try:
        reader = pypdf.PdfReader(path, strict=True)
        pages = len(reader.pages)
        text = reader.pages[0].extract_text() if pages else ""
    except Exception as exc:  # noqa: BLE001 - any parse failure means a broken PDF
        return f"pypdf cannot read it: {exc}"
    if not pages or not text.strip():
        return "PDF has no pages or no text"
    if not (reader.metadata and reader.metadata.title):
        return "PDF has no title in its metadata"
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is not None and b"pdfuaid" in metadata.get_object().get_data():
        from .render import pdfua

        found = pdfua.problems(path.read_bytes())
        if found:
            return f"claims PDF/UA-1 but: {'; '.join(found[:3])}"
    return ""


def _epub(result: EpubCheckResult) -> str:
    if result.clean:
        return ""
    first = result.messages[0] if result.messages else ""
    return (f"EPUBCheck: {result.fatals} fatals / {result.errors} errors / "
            f"{result.warnings} warnings; {first}")


def _docx(path: Path, libreoffice: bool) -> str:
    problem = _docx_text(path)
    if problem:
        return problem
    if libreoffice:
        with tempfile.TemporaryDirectory(prefix="baikonur-verify-") as tmp:
            libreoffice_pdf(path, Path(tmp))
    return ""


def _docx_text(path: Path) -> str:
    from .render.docx_package import python_docx

    @python_docx  # verify checks its files from threads
    def read() -> str:
        import docx

        try:
            document = docx.Document(str(path))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            return f"python-docx cannot read it: {exc}"
        return "" if any(p.text.strip() for p in document.paragraphs) else "DOCX has no text"
    return read()


_CHECKERS = {".pdf": _pdf, ".epub": None, ".docx": _docx}  # EPUBs: all at once, in verify()
