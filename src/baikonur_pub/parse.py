"""Phase `parse`: each language parsed once (pandoc with citeproc), or taken from the cache.

Languages parse side by side in threads: each parse is a pandoc subprocess, so threads overlap.
Every language's problems are reported together, not only the first language's.

The cache keeps a build's editions (strict: every problem refused) and the cross-check's
(lenient: unknown citation keys, duplicate IDs and empty chapters let through, to be reported as
findings). A strict edition is also what the lenient parse of the same inputs gives, since it
had nothing to let through: `check` after a build, or a second `check`, runs no pandoc.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import environment, threads
from .cache import Cache, Keys, edition_payload, sha256
from .config import Publication
from .errors import PublishError, RenderError, raise_all
from .pandoc import Pandoc

if TYPE_CHECKING:
    import concurrent.futures as cf

    from .manuscript import Edition


def locate_pandoc(cache: Cache) -> Pandoc:
    """Pandoc, its version check remembered per binary so a no-op build runs no subprocess."""
    path = Pandoc.find()
    key = sha256(Pandoc.identity(path).encode())
    known = cache.get_json("pandoc", key)
    pandoc = Pandoc.locate(path, known)
    if known is None:
        cache.put_json("pandoc", key, pandoc.version_text)
    return pandoc


def prepare(pub: Publication, epoch: int) -> tuple[Cache, Pandoc, Keys]:
    """What a parse through the cache needs (`build` and `check` alike): the cache, pandoc
    and the keys of this project's inputs."""
    from .cache import file_hashes, versions

    cache = Cache(pub)
    pandoc = locate_pandoc(cache)
    return cache, pandoc, Keys(file_hashes(pub), versions(pandoc.version_text, cache), epoch)


# A parse is Python past pandoc's read (about 9 s of CPU a MB of Markdown), so languages
# parsing in threads take turns at the GIL. From this size, every language but the first to
# parse is parsed in a layout worker instead, in parallel for real; smaller, waiting for the
# worker (its server imports WeasyPrint first, 0.8 s) costs more than it saves.
APART_BYTES = 128 * 1024


def editions(pub: Publication, langs, pandoc: Pandoc, cache: Cache | None = None,
             keys: Keys | None = None, strict: bool = True, force: bool = False,
             apart: Callable[..., cf.Future] | None = None) -> dict[str, Edition]:
    """`langs` parsed (or reused from the cache unless `force`). `strict=False` lets the
    cross-check report what a build refuses (such editions are cached apart). `apart`
    (`Layouts.submit`) runs a large language's parse in another process."""
    from . import bibliography, manuscript

    bib = bibliography.load(pub)
    use_cache = cache is not None and keys is not None
    kinds = ("editions",) if strict else ("editions", "editions-lenient")
    keyed = {code: keys.edition(pub, code) if use_cache else "" for code in langs}

    def cached(code: str) -> Edition | None:
        for kind in kinds if use_cache and not force else ():
            payload = cache.get_json(kind, keyed[code])
            if payload is not None:
                return manuscript.from_payload(pub, pub.language(code), payload, strict)
        return None

    def parsed(code: str, elsewhere: bool) -> Edition:
        if elsewhere:
            edition = result(apart(parse_apart, pub, code, pandoc, bib, strict),
                             2 + len(pub.language(code).files))
        else:
            edition = manuscript.assemble(pub, pub.language(code), pandoc, bib, strict=strict)
        if use_cache:
            cache.put_json(kinds[-1], keyed[code], edition_payload(edition))
        return edition

    results = {code: edition for code in langs if (edition := cached(code)) is not None}
    todo = [code for code in langs if code not in results]
    far = {code for code in todo[1:] if apart is not None
           and sum(p.stat().st_size for p in pub.language(code).files) >= APART_BYTES}
    if len(todo) < 2:
        return {**results, **{code: parsed(code, False) for code in todo}} if todo else results
    with threads.pool(len(todo), "parse") as parsing:
        futures = {code: parsing.submit(parsed, code, code in far) for code in todo}
        problems = []
        for code, future in futures.items():  # every language's problems, not the first's only
            try:
                # its pandoc runs are bounded each: the reading, the formulas', and when the
                # reading runs out of time one per chapter to find the slow one
                results[code] = result(future, 2 + len(pub.language(code).files))
            except PublishError as exc:
                problems.append(exc)
    raise_all(problems)
    return {code: results[code] for code in langs}


def parse_apart(pub: Publication, code: str, pandoc: Pandoc, bib, strict: bool) -> Edition:
    """One language parsed in a layout worker; its pandoc reader ended, not kept (85 MB)
    through the layouts that worker runs next."""
    from . import manuscript
    from .pandoc_readers import end_readers

    try:
        return manuscript.assemble(pub, pub.language(code), pandoc, bib, strict=strict)
    finally:
        end_readers()


def result(future: cf.Future, runs: int = 1):
    """A future's result within the render timeout (of each of `runs` steps it waits on)."""
    import concurrent.futures as cf

    timeout = environment.render_timeout() * runs
    try:
        return future.result(timeout=timeout)
    except cf.TimeoutError:
        raise RenderError(f"rendering did not finish within {timeout:.0f} s") from None
