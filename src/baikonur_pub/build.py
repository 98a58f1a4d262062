"""Plan the artifacts, parse each language once, render in parallel, write atomically.

Order of work: hash the inputs; reuse every target whose key is cached; start the PDF worker
processes (they import WeasyPrint while pandoc parses); parse the languages that need it (or
reuse their cached parse); render PDFs in the processes and EPUB/DOCX in threads (pandoc runs
as a subprocess, so threads overlap); only when every target rendered, write them — each to a
temporary name in the output folder, then renamed — and the manifest and SHA256SUMS. A content
error therefore leaves the output folder exactly as it was.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from typing import TYPE_CHECKING

from . import config, environment, manifest
from .cache import Cache, Keys, edition_payload, file_hashes, sha256, versions
from .errors import PublishError, RenderError, raise_all
from .pandoc import Pandoc
from .progress import Reporter, Row
from .render import FORMATS, RenderContext, renderer
from .sources import write_set
from .workers import Workers

LOCK_NAME = ".baikonur-pub.lock"

if TYPE_CHECKING:  # parsing is imported only when something must be parsed
    from .manuscript import Edition

@dataclass(frozen=True)
class Artifact:
    lang: str
    fmt: str
    path: Path
    key: str = ""


@dataclass(frozen=True)
class BuildResult:
    artifacts: tuple[Artifact, ...]
    built: tuple[Artifact, ...]
    out: Path


def plan(pub: config.Publication, langs: tuple[str, ...], formats: tuple[str, ...],
         out: Path, keys: Keys | None = None) -> list[Artifact]:
    return [Artifact(code, fmt, out / f"{pub.slug}-{code}.{fmt}",
                     keys.target(pub, code, fmt) if keys else "")
            for code in langs for fmt in formats]


def locate_pandoc(cache: Cache) -> Pandoc:
    """Pandoc, its version check remembered per binary so a no-op build runs no subprocess."""
    path = Pandoc.find()
    key = sha256(Pandoc.identity(path).encode())
    known = cache.get_json("pandoc", key)
    pandoc = Pandoc.locate(path, known)
    if known is None:
        cache.put_json("pandoc", key, pandoc.version_text)
    return pandoc


def source_date_epoch(pub: config.Publication) -> int:
    """SOURCE_DATE_EPOCH from the environment, else midnight UTC of the publication date."""
    return environment.source_date_epoch(pub.date)


def editions(pub: config.Publication, langs, pandoc: Pandoc, cache: Cache | None = None,
             keys: Keys | None = None, threads: cf.Executor | None = None,
             strict: bool = True) -> dict[str, Edition]:
    """Each language parsed once (or taken from the cache), languages in parallel (pandoc runs
    as a subprocess). `strict=False` lets the cross-check report what a build refuses; such
    editions are never cached."""
    from . import bibliography, manuscript

    bib = bibliography.load(pub)
    use_cache = strict and cache is not None and keys is not None

    def one(code: str) -> Edition:
        lang = pub.language(code)
        key = keys.edition(pub, code) if use_cache else ""
        payload = cache.get_json("editions", key) if use_cache else None
        if payload is not None:
            return manuscript.from_payload(pub, lang, payload)
        edition = manuscript.assemble(pub, lang, pandoc, bib, strict=strict)
        if use_cache:
            cache.put_json("editions", key, edition_payload(edition))
        return edition

    if len(langs) < 2:
        return {code: one(code) for code in langs}
    if threads is None:
        with cf.ThreadPoolExecutor(max_workers=len(langs)) as own:
            return editions(pub, langs, pandoc, cache, keys, own, strict)
    futures = {code: threads.submit(one, code) for code in langs}
    results, problems = {}, []
    for code, future in futures.items():  # every language's problems, not only the first's
        try:
            results[code] = _result(future)
        except PublishError as exc:
            problems.append(exc)
    raise_all(problems)
    return results


def build(pub: config.Publication, langs: tuple[str, ...] = (), formats: tuple[str, ...] = (),
          out: Path | None = None, force: bool = False, reporter: Reporter | None = None,
          jobs: int | None = None) -> BuildResult:
    """Build the requested artifacts (default: every language, every format) into `out`."""
    langs = tuple(langs) or pub.codes
    formats = tuple(formats) or FORMATS
    out = Path(out) if out else pub.root / "dist"
    reporter = reporter or Reporter(quiet=True)
    if out.resolve().is_relative_to(pub.manuscript.resolve()):
        raise PublishError("the output folder may not be inside the manuscript folder", str(out))
    epoch = source_date_epoch(pub)
    environment.render_timeout()  # a bad value stops the build before any work
    cache = Cache(pub)
    pandoc = locate_pandoc(cache).with_epoch(epoch)
    ctx = RenderContext(pandoc, epoch)
    keys = Keys(file_hashes(pub), versions(pandoc.version_text, cache), epoch)
    artifacts = plan(pub, langs, formats, out, keys)

    with _locked(cache.lock_path()):
        results: dict[Artifact, tuple[bytes, float, str]] = {}
        stale = []
        for artifact in artifacts:
            data = None if force else cache.get("artifacts", artifact.key, f".{artifact.fmt}")
            if data is not None:
                results[artifact] = (data, 0.0, "cached")
            else:
                stale.append(artifact)
        reporter.begin(len(artifacts))
        check_key = keys.check(pub.codes)
        warnings = None if force else cache.get_json("checks", check_key)
        if warnings is not None:  # inputs unchanged since a passing cross-check
            for line in warnings:
                reporter.warn(line)
        if stale or warnings is None:
            results.update(_render(pub, stale, ctx, cache, keys, reporter, jobs,
                                   check_key if warnings is None else None, force))
        with _locked(out / LOCK_NAME):  # another project may write here with another cache
            files = {a.path.name: results[a][0] for a in artifacts}
            files.update(manifest.contents(pub, out, keys, {a.path.name: (a, results[a][0])
                                                             for a in artifacts}))
            write_set(out, files)  # the whole set, or nothing
        for artifact in artifacts:
            data, seconds, status = results[artifact]
            if status == "built":
                cache.put("artifacts", artifact.key, data, f".{artifact.fmt}")
            reporter.done(Row(artifact.path.name, len(data), seconds, status))
    reporter.finish()
    return BuildResult(tuple(artifacts), tuple(a for a in artifacts if results[a][2] == "built"), out)


def _render(pub, stale: list[Artifact], ctx: RenderContext, cache: Cache, keys: Keys,
            reporter: Reporter, jobs: int | None, check_key: str | None,
            force: bool = False) -> dict[Artifact, tuple[bytes, float, str]]:
    """Parse what is needed, run the cross-check (when `check_key`), render `stale`."""
    from . import bibliography, manuscript  # noqa: F401 - imported before any thread starts

    workers = max(1, jobs or os.cpu_count() or 1)
    pdfs = {a.lang: a for a in stale if a.fmt == "pdf"}
    epubs = {a.lang: a for a in stale if a.fmt == "epub"}
    procs = None
    try:
        with cf.ThreadPoolExecutor(max_workers=len(stale) + len(pub.codes) + 2) as threads:
            # Everything the parallel phase imports is imported in threads while pandoc parses:
            # the light modules first (and the EPUB covers looked up in the cache), then
            # WeasyPrint when something is to be laid out. The forked workers inherit it all.
            # The main thread imports nothing while other threads run: Ctrl-C, which Python
            # delivers to the main thread, then cannot land inside the import machinery and
            # leave a lock held that another thread waits on for ever.
            light = threads.submit(_prepare, pub, {a.fmt for a in stale}, bool(check_key),
                                   tuple(epubs), cache, keys, force)
            weasyprint = threads.submit(_load_weasyprint, light, bool(pdfs))
            langs = tuple(dict.fromkeys(a.lang for a in stale))
            if check_key:  # the cross-check sees every language
                langs += tuple(c for c in pub.codes if c not in langs)
            reporter.step(f"parsing {', '.join(langs)}")
            eds = editions(pub, langs, ctx.pandoc, cache, keys, threads)
            covers = light.result()
            futures = {}
            for artifact in stale:  # DOCX: a pandoc subprocess, driven from a thread
                if artifact.fmt == "docx":
                    reporter.step(f"rendering {artifact.path.name}")
                    futures[artifact] = threads.submit(_timed, renderer("docx"), eds[artifact.lang],
                                                       ctx)
            if check_key and not weasyprint.done():  # nothing is written unless it passes
                _cross_check(pub, eds, cache, check_key, reporter)
                check_key = None
            weasyprint.result()
            # One worker process per language lays out its cover (when not cached) and its PDF.
            # The cover comes back first, through a pipe, so the EPUB (pandoc again, from a
            # thread) is written while the PDF is laid out.
            jobs_of = [c for c in dict.fromkeys([*pdfs, *epubs]) if c in pdfs or covers[c][1] is None]
            if jobs_of:
                procs = Workers(min(workers, len(jobs_of)), environment.render_timeout())
            waiting = {}
            for code in jobs_of:
                cover = covers[code][0] if code in epubs and covers[code][1] is None else None
                if cover:
                    reporter.step(f"laying out the cover of {epubs[code].path.name}")
                if code in pdfs:
                    reporter.step(f"rendering {pdfs[code].path.name}")
                job, reader = procs.submit(_print, eds[code], ctx, code in pdfs, cover, channel=True)
                if code in pdfs:
                    futures[pdfs[code]] = job
                if code in epubs:
                    waiting[code] = (job, reader)
                else:
                    reader.close()
            for code, artifact in epubs.items():  # before the check: a worker waits for its reader
                page, png = covers[code]
                job, reader = waiting.get(code, (None, None))
                reporter.step(f"rendering {artifact.path.name}")
                futures[artifact] = threads.submit(_epub, eds[code], ctx, png, job, reader, cache,
                                                   keys.cover(pub, code, page))
            if check_key:  # while the workers lay out
                _cross_check(pub, eds, cache, check_key, reporter)
            results = {a: (*_result(futures[a]), "built") for a in stale}
    except BaseException:
        if procs is not None:
            procs.stop()
            procs = None
        raise
    finally:
        if procs is not None:
            procs.close()
    return results


def _print(edition: Edition, ctx: RenderContext, pdf: bool, cover: str | None, channel) -> tuple:
    """A worker's job for one language: the EPUB cover (`cover`: its page, already made), sent
    back at once, then the PDF."""
    if cover:
        from .render import cover as covers

        channel.send_bytes(covers.png(edition.pub, edition.lang, cover))
    channel.close()
    return _timed(renderer("pdf"), edition, ctx) if pdf else (b"", 0.0)


def _epub(edition: Edition, ctx: RenderContext, png: bytes | None, job: cf.Future | None,
          reader, cache: Cache, key: str) -> tuple[bytes, float]:
    """The EPUB, with its cover from the cache or from the language's worker (`reader`)."""
    try:
        if png is None:
            try:
                png = reader.recv_bytes()
            except EOFError:  # the worker ended without a cover: its own error says why
                _result(job)
                raise RenderError(f"{edition.code}: the cover was not made") from None
            cache.put("covers", key, png, ".png")
    finally:
        if reader is not None:
            reader.close()
    return _timed(renderer("epub"), edition, replace(ctx, covers={edition.code: png}))


def _cross_check(pub, eds: dict[str, Edition], cache: Cache, key: str, reporter: Reporter) -> None:
    """The cross-check `build` runs first: errors stop the build, warnings are printed (and
    remembered, so a no-op build prints them again without parsing)."""
    from . import parity

    warnings: list[str] = []
    parity.gate(pub, eds, warnings.append)
    for line in warnings:
        reporter.warn(line)
    cache.put_json("checks", key, warnings)


def _timed(render, edition, ctx):
    start = time.perf_counter()
    data = render(edition, ctx)
    return data, time.perf_counter() - start


def _prepare(pub, formats: set[str], check: bool, cover_langs: tuple[str, ...], cache: Cache,
             keys: Keys, force: bool) -> dict[str, tuple[str, bytes | None]]:
    """Import what rendering and checking need, WeasyPrint aside; look the EPUB covers up in
    the cache. Returns language → (cover page HTML, cached PNG or None)."""
    for fmt in formats:
        renderer(fmt)
    if check:
        from . import parity  # noqa: F401
    from .render import cover

    pages = {code: cover.page_html(pub, pub.language(code)) for code in cover_langs}
    return {code: (page, None if force else cache.get("covers", keys.cover(pub, code, page), ".png"))
            for code, page in pages.items()}


def _load_weasyprint(prepared: cf.Future, pdfs: bool) -> None:
    """Import WeasyPrint when a PDF or a cover needs it (after the other imports: one importing
    thread at a time). A missing system library stops the build here, with the package to
    install."""
    if pdfs or any(png is None for _, png in prepared.result().values()):
        import pypdfium2  # noqa: F401 - rasterises the covers

        from .render.pdf import covered_characters, load_weasyprint

        load_weasyprint()
        covered_characters()  # read once here, inherited by every worker


def _result(future: cf.Future):
    timeout = environment.render_timeout()
    try:
        return future.result(timeout=timeout)
    except cf.TimeoutError:
        raise RenderError(f"rendering did not finish within {timeout:.0f} s") from None


@contextmanager
def _locked(path: Path):
    """One build at a time per cache (held throughout) and per output folder (held while the
    output set is written, so two projects building into one folder with different caches
    take turns): a second build waits for the first."""
    from filelock import FileLock

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(path)
        lock.acquire()
    except OSError:
        yield  # an unwritable place: the output set is still written whole or not at all
        return
    try:
        yield
    finally:
        lock.release()
