"""Phase `parse`: each language parsed once (pandoc with citeproc), or taken from the cache.

Languages parse side by side in threads: each parse is a pandoc subprocess, so threads overlap.
Every language's problems are reported together, not only the first language's.
"""

from __future__ import annotations

import concurrent.futures as cf
from typing import TYPE_CHECKING

from . import environment
from .cache import Cache, Keys, edition_payload
from .config import Publication
from .errors import PublishError, RenderError, raise_all
from .pandoc import Pandoc

if TYPE_CHECKING:
    from .manuscript import Edition


def editions(pub: Publication, langs, pandoc: Pandoc, cache: Cache | None = None,
             keys: Keys | None = None, strict: bool = True, force: bool = False) -> dict[str, Edition]:
    """`langs` parsed (or reused from the cache unless `force`). `strict=False` lets the
    cross-check report what a build refuses; such editions are never cached."""
    from . import bibliography, manuscript

    bib = bibliography.load(pub)
    use_cache = strict and cache is not None and keys is not None

    def one(code: str) -> Edition:
        lang = pub.language(code)
        key = keys.edition(pub, code) if use_cache else ""
        payload = cache.get_json("editions", key) if use_cache and not force else None
        if payload is not None:
            return manuscript.from_payload(pub, lang, payload)
        edition = manuscript.assemble(pub, lang, pandoc, bib, strict=strict)
        if use_cache:
            cache.put_json("editions", key, edition_payload(edition))
        return edition

    if len(langs) < 2:
        return {code: one(code) for code in langs}
    with cf.ThreadPoolExecutor(max_workers=len(langs), thread_name_prefix="parse") as threads:
        futures = {code: threads.submit(one, code) for code in langs}
        results, problems = {}, []
        for code, future in futures.items():  # every language's problems, not the first's only
            try:
                results[code] = result(future)
            except PublishError as exc:
                problems.append(exc)
    raise_all(problems)
    return results


def result(future: cf.Future):
    """A future's result within the render timeout."""
    timeout = environment.render_timeout()
    try:
        return future.result(timeout=timeout)
    except cf.TimeoutError:
        raise RenderError(f"rendering did not finish within {timeout:.0f} s") from None
