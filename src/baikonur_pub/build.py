"""The engine: plan → parse → check → render → write, each phase a function.

- `plan`: hash the inputs; every target whose key is cached is reused as it is.
- `parse` (parse.py): each language that needs it parsed once, in parallel, while the layout
  pool's server imports WeasyPrint.
- `check`: the cross-check gate (errors stop the build), run while the renders go on.
- `render`: PDFs and EPUB covers in the layout pool (layouts.py), EPUB and DOCX by pandoc from
  threads (pandoc runs as a subprocess, so threads overlap).
- `write`: only when every target rendered and the check passed, the whole output set
  (artifacts, SHA256SUMS, manifest.json) replaces the old one together (`writing.write_set`).
A content error therefore leaves the output folder exactly as it was.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import config, environment, manifest, threads
from .cache import Cache, Keys
from .errors import PublishError, raise_all
from .pandoc_readers import end_readers
from .parse import editions, prepare, result
from .progress import Reporter, Row
from .render import FORMATS, RenderContext, renderer
from .render.bilingual import BILINGUAL
from .writing import refuse_links, write_set

if TYPE_CHECKING:
    import concurrent.futures as cf

    from .manuscript import Edition

LOCK_NAME = ".baikonur-pub.lock"


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
    """Every language in every format, and for each translation the bilingual artifacts
    (`render.bilingual`) of the formats asked for."""
    from .render.bilingual import bilingual_artifacts

    single = [Artifact(code, fmt, out / f"{pub.slug}-{code}.{fmt}",
                       keys.target(pub, code, fmt) if keys else "")
              for code in langs for fmt in formats]
    return single + [Artifact(code, kind, out / name, keys.pair(pub, code, kind) if keys else "")
                     for code, kind, name in bilingual_artifacts(pub, langs, formats)]


def source_date_epoch(pub: config.Publication) -> int:
    """SOURCE_DATE_EPOCH from the environment, else midnight UTC of the publication date."""
    return environment.source_date_epoch(pub.date)


def build(pub: config.Publication, langs: tuple[str, ...] = (), formats: tuple[str, ...] = (),
          out: Path | None = None, force: bool = False, reporter: Reporter | None = None,
          jobs: int | None = None, check: bool = True) -> BuildResult:
    """Build the requested artifacts (default: every language, every format) into `out`.
    `jobs`: layouts at once (default: by cores, memory and the work; 1 runs everything here).
    `check=False`: a draft, built without the cross-check gate (a translation under way)."""
    langs = tuple(langs) or pub.codes
    formats = tuple(formats) or FORMATS
    out = Path(out) if out else pub.root / "dist"
    refuse_links(pub.root, out, "the output folder")
    reporter = reporter or Reporter(quiet=True)
    if out.resolve().is_relative_to(pub.manuscript.resolve()):
        raise PublishError("the output folder may not be inside the manuscript folder", str(out))
    epoch = source_date_epoch(pub)
    environment.render_timeout()  # a bad value stops the build before any work
    cache, pandoc, keys = prepare(pub, epoch)
    ctx = RenderContext(pandoc.with_epoch(epoch), epoch)
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
        if not check:
            reporter.warn("draft: the cross-check was not run (--no-check)")
            warnings = []
        if warnings is not None:  # inputs unchanged since a passing cross-check
            for line in warnings:
                reporter.warn(line)
        if stale or warnings is None:  # (a no-op build makes no temporary folder)
            with _own_temporaries():
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
            force: bool) -> dict[Artifact, tuple[bytes, float, str]]:
    """Parse what is needed, render `stale` and, with `check_key`, run the cross-check."""
    from .layouts import Layouts, cores, default_jobs, layout_weight, start_server, stop_server

    pdfs = {a.lang: a for a in stale if a.fmt == "pdf"}
    facings = [a for a in stale if a.fmt == "facing"]
    # Layouts run in worker processes, even one, unless told `--jobs 1` or on one core: the
    # pool's server imports WeasyPrint on the other core while this process parses. In this
    # process the import shared the GIL with the parse, and from a thread it cannot keep
    # `ctypes.util.find_library` from running gcc and ld for each library name WeasyPrint
    # tries (weasy._no_compiler_lookups). A one-chapter edit of the shipped report, six
    # artifacts, 8 alternating pairs: 1.70 → 1.54 s.
    in_workers = (jobs or 0) > 1 or (jobs is None and cores() > 1)
    # With a PDF to lay out, the server starts now, not once the pool is made (after the
    # renderers' import and the covers' look-up). The same edit, 10 alternating pairs:
    # 1.56 → 1.50 s; a cold build the same (2.05 → 2.04 s).
    ahead = in_workers and bool(pdfs or facings)
    if ahead:
        start_server()
    try:
        from .render import cover, highlight_css

        epubs = {a.lang: a for a in stale if a.fmt == "epub"}
        cover_keys = {code: keys.cover(pub, code, cover.shown(pub, pub.language(code)))
                      for code in epubs}
        covers = {code: None if force else cache.get("covers", key, ".png")
                  for code, key in cover_keys.items()}
        layouts = len(pdfs) + len(facings) + sum(png is None for png in covers.values())
        source = max((layout_weight(pub.language(c).files) for c in pdfs), default=0)
        workers = jobs or default_jobs(layouts, source)
    except BaseException:
        if ahead:
            stop_server()
        raise
    langs = tuple(dict.fromkeys(a.lang for a in stale))
    if any(a.fmt in BILINGUAL for a in stale) and pub.primary not in langs:
        langs += (pub.primary,)  # the left-hand side of every bilingual artifact
    if check_key:  # the cross-check sees every language
        langs += tuple(c for c in pub.codes if c not in langs)
    # The pool is closed first on the way out: after an error its workers are killed, so no
    # thread is left waiting for a cover that will never come.
    with threads.pool(len(stale) + 1, "render") as rendering, \
            Layouts(workers if layouts else 1, ctx.epoch, warm=bool(layouts),
                    processes=in_workers and bool(layouts)) as pool:
        tokens = (rendering.submit(highlight_css, pub, ctx)
                  if any(a.fmt in ("pdf", "facing", "epub") for a in stale) else None)
        reporter.step(f"parsing {', '.join(langs)}")
        eds = editions(pub, langs, ctx.pandoc, cache, keys, force=force,
                       apart=pool.submit if pool.jobs > 1 else None)
        # A build reads each language once: the kept readers (`pandoc_readers`) would only
        # hold their memory, 85 MB each, through the layouts.
        end_readers()
        _formulas_fit(pub, eds, stale)
        if tokens is not None:
            ctx = replace(ctx, token_css=result(tokens))
        futures: dict[Artifact, cf.Future] = {}
        made = {}
        # The covers first, short as they are: an EPUB waits for its cover, then runs pandoc,
        # while the PDFs end the build either way (measured: ~10 % off a cold build).
        for code, png in covers.items():
            if png is None:
                reporter.step(f"laying out the cover of {epubs[code].path.name}")
                made[code] = pool.submit(cover.png, pub, pub.language(code))
        # Pandoc's formats next, from threads: with one job the layouts below run in this
        # thread, and pandoc runs meanwhile (a one-chapter edit of the shipped report, six
        # artifacts, A/B over 6 edits: 2.47 → 2.18 s, with WeasyPrint imported during the parse).
        for artifact in stale:
            if artifact.fmt == "docx":
                reporter.step(f"rendering {artifact.path.name}")
                futures[artifact] = rendering.submit(_timed, "docx", eds[artifact.lang], ctx)
        for code, artifact in epubs.items():
            reporter.step(f"rendering {artifact.path.name}")
            futures[artifact] = rendering.submit(_epub, eds[code], ctx, covers[code],
                                                 made.get(code), cache, cover_keys[code])
        for artifact in facings:  # then the longest work: two languages in one layout
            reporter.step(f"rendering {artifact.path.name}")
            futures[artifact] = pool.submit(_timed_pair, "facing", eds[pub.primary],
                                            eds[artifact.lang], ctx)
        for code, artifact in pdfs.items():
            reporter.step(f"rendering {artifact.path.name}")
            futures[artifact] = pool.submit(_timed, "pdf", eds[code], ctx)
        checked = None
        if check_key:  # while the layouts run; nothing is written unless it passes
            checked = _cross_check(pub, eds, cache, check_key, reporter)
        for artifact in stale:  # the review documents show the cross-check's findings
            if artifact.fmt == "review":
                reporter.step(f"rendering {artifact.path.name}")
                futures[artifact] = rendering.submit(_timed_pair, "review", eds[pub.primary],
                                                     eds[artifact.lang], ctx, checked)
        done, problems = {}, []
        for artifact in stale:  # every artifact's problems in one run (each language's images)
            try:
                done[artifact] = (*result(futures[artifact]), "built")
            except PublishError as exc:
                problems.append(exc)
        raise_all(problems)
        return done


def _formulas_fit(pub, eds: dict[str, Edition], stale: list[Artifact]) -> None:
    """Each language a PDF (or a facing PDF) is laid out in holds no more formulas than
    pdf.max-formulas: told after the parse, before any page is written (`formulas.over_count`)."""
    from . import formulas

    drawn = {a.lang for a in stale if a.fmt == "pdf"}
    if any(a.fmt == "facing" for a in stale):
        drawn |= {pub.primary} | {a.lang for a in stale if a.fmt == "facing"}
    raise_all([e for c in sorted(drawn) if (e := formulas.over_count(eds[c])) is not None])


def _timed(fmt: str, edition: Edition, ctx: RenderContext) -> tuple[bytes, float]:
    start = time.perf_counter()
    data = renderer(fmt)(edition, ctx)
    return data, time.perf_counter() - start


def _timed_pair(kind: str, primary: Edition, translation: Edition, ctx: RenderContext,
                *extra) -> tuple[bytes, float]:
    start = time.perf_counter()
    data = renderer(kind)(primary, translation, ctx, *extra)
    return data, time.perf_counter() - start


def _epub(edition: Edition, ctx: RenderContext, png: bytes | None, made: cf.Future | None,
          cache: Cache, key: str) -> tuple[bytes, float]:
    """The EPUB, with its cover from the cache or from the layout pool (then cached)."""
    if png is None:
        png = result(made)
        cache.put("covers", key, png, ".png")
    return _timed("epub", edition, replace(ctx, covers={edition.code: png}))


def _cross_check(pub, eds: dict[str, Edition], cache: Cache, key: str, reporter: Reporter):
    """The cross-check `build` runs first: errors stop the build, warnings are printed (and
    remembered, so a no-op build prints them again without parsing). Its result goes on to
    the review documents, which show its findings."""
    from . import parity

    warnings: list[str] = []
    result = parity.gate(pub, eds, warnings.append)
    for line in warnings:
        reporter.warn(line)
    cache.put_json("checks", key, warnings)
    return result


@contextmanager
def _own_temporaries():
    """Every temporary file of this build (ours, pandoc's inputs, a library's) in one folder,
    removed when the build ends however it ends: a Ctrl-C that lands while a thread is inside
    its own temporary folder leaves nothing behind. multiprocessing's folder, which outlives
    the build (the layout pool's server listens there), is made first, where it belongs."""
    import os
    import shutil
    import tempfile
    import threading

    from .layouts import pool_folder
    from .stopping import on_stop, remove

    pool = pool_folder()
    saved = tempfile.tempdir
    folder = tempfile.mkdtemp(prefix="baikonur-build-")
    tempfile.tempdir = folder
    # The child processes' too (pandoc, the layout pool's server, a compiler that
    # `ctypes.util.find_library` runs while WeasyPrint loads): a stop kills them mid-way, and an
    # unnamed `tmpXXXXXXXX` (find_library's output file, made by the server) was left in TMPDIR
    # after some interrupts. The environment is changed only while no other thread can read
    # it (a CLI build, not the preview's).
    alone = threading.active_count() == 1
    saved_env = os.environ.get("TMPDIR")
    if alone:
        os.environ["TMPDIR"] = folder

    def stopped() -> None:  # the process ends without its exit handlers: multiprocessing's too
        remove(folder)
        remove(pool)

    try:
        with on_stop(stopped):
            yield
    finally:
        tempfile.tempdir = saved
        if alone:
            if saved_env is None:
                os.environ.pop("TMPDIR", None)
            else:
                os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)


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
