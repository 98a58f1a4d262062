"""Phase `parse`: each language parsed once (pandoc with citeproc), or taken from the cache.

Languages parse side by side in threads: each parse is a pandoc subprocess, so threads overlap.
Every language's problems are reported together, not only the first language's.

The cache keeps a build's editions (strict: every problem refused) and the cross-check's
(lenient: unknown citation keys, duplicate IDs and empty chapters let through, to be reported as
findings). A strict edition is also what the lenient parse of the same inputs gives, since it
had nothing to let through: `check` after a build, or a second `check`, runs no pandoc.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def editions(pub: Publication, langs, pandoc: Pandoc, cache: Cache | None = None,
             keys: Keys | None = None, strict: bool = True, force: bool = False) -> dict[str, Edition]:
    """`langs` parsed (or reused from the cache unless `force`). `strict=False` lets the
    cross-check report what a build refuses (such editions are cached apart)."""
    from . import bibliography, manuscript

    bib = bibliography.load(pub)
    use_cache = cache is not None and keys is not None
    kinds = ("editions",) if strict else ("editions", "editions-lenient")

    def one(code: str) -> Edition:
        lang = pub.language(code)
        key = keys.edition(pub, code) if use_cache else ""
        for kind in kinds if use_cache and not force else ():
            payload = cache.get_json(kind, key)
            if payload is not None:
                return manuscript.from_payload(pub, lang, payload, strict)
        edition = manuscript.assemble(pub, lang, pandoc, bib, strict=strict)
        if use_cache:
            cache.put_json(kinds[-1], key, edition_payload(edition))
        return edition

    if len(langs) < 2:
        return {code: one(code) for code in langs}
    with threads.pool(len(langs), "parse") as parsing:
        futures = {code: parsing.submit(one, code) for code in langs}
        results, problems = {}, []
        for code, future in futures.items():  # every language's problems, not the first's only
            try:
                # its pandoc runs are bounded each: the reading, the formulas', and when the
                # reading runs out of time one per chapter to find the slow one
                results[code] = result(future, 2 + len(pub.language(code).files))
            except PublishError as exc:
                problems.append(exc)
    raise_all(problems)
    return results


def result(future: cf.Future, runs: int = 1):
    """A future's result within the render timeout (of each of `runs` steps it waits on)."""
    import concurrent.futures as cf

    timeout = environment.render_timeout() * runs
    try:
        return future.result(timeout=timeout)
    except cf.TimeoutError:
        raise RenderError(f"rendering did not finish within {timeout:.0f} s") from None
