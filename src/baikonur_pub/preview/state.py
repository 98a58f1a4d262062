"""The preview's warm session: what is parsed, what is shown, and what a save changes.

One `Session` lives as long as the server. Pandoc is located and the bibliography loaded once;
each language's Edition is kept, and a save parses again only the languages whose files
changed (a bibliography or publication.yaml change parses them all; a glossary or waiver
change only runs the cross-check again). A save that fails keeps the last good Edition and
rendering of its language and records the one-line `path:line: message`; the next good save
of that language clears it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import bibliography, config, threads
from ..errors import PublishError
from ..pandoc import Pandoc
from . import page

_IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".tif", ".tiff"}


@dataclass(frozen=True)
class Change:
    """What a batch of saved paths asks for."""

    reload: bool = False  # publication.yaml, bibliography or CSL: everything again
    langs: frozenset[str] = frozenset()  # languages to parse again
    check: bool = False  # cross-check inputs only (glossary, waivers, sync marks)
    styles: bool = False  # the styles (CSS, templates): page and PDFs again

    @property
    def empty(self) -> bool:
        return not (self.reload or self.langs or self.check or self.styles)


@dataclass
class Session:
    """Everything the preview knows between two saves (one per server; never shared)."""

    root: Path
    pub: config.Publication | None = None
    pandoc: Pandoc | None = None
    bib: object = None
    editions: dict = field(default_factory=dict)  # code → last good Edition
    errors: dict = field(default_factory=dict)  # "config" or code → one-line message
    result: object = None  # the last cross-check (parity Result), None before every language parsed
    view: page.View | None = None  # the last rendering shown
    version: int = 0
    seconds: float = 0.0  # how long the last update took, to the text (without the check)

    def start(self) -> None:
        """The first parse of every language. An error in the content is shown in the page,
        not raised: the server must come up to show it."""
        self.pub = config.load(self.root)  # no publication at all is a usage problem: raised
        self.pandoc = Pandoc.locate()
        self.update(Change(reload=True))
        self.recheck()

    def classify(self, paths) -> Change:
        """Sort saved paths into the work they call for; paths the preview ignores drop out."""
        pub = self.pub
        langs, reload, check, styles = set(), False, False, False
        inputs = {p.resolve(): lang.code for lang in pub.languages for p in lang.files}
        for raw in paths:
            path = Path(raw).resolve()
            if path in inputs:
                langs.add(inputs[path])
            elif path in {pub.source.resolve(), *(p.resolve() for p in (pub.bibliography, pub.csl) if p)}:
                reload = True
            elif path.is_relative_to(pub.styles_dir.resolve()):
                styles = True
            elif path.is_relative_to(pub.manuscript.resolve()):
                check = check or path.suffix in (".yaml", ".yml", ".lock")
                styles = styles or path.suffix.lower() in _IMAGES  # not an editor's temporary
        return Change(reload, frozenset(langs), check, styles)

    def update(self, change: Change) -> page.View:
        """Apply `change`: the text first, with the findings of the last cross-check (see
        `recheck`). Returns the new view (the old one, with the errors, when nothing could
        be parsed). Never raises for anything a save can cause."""
        start = time.perf_counter()
        codes: tuple[str, ...] = tuple(sorted(change.langs))
        if change.reload:
            try:
                self.pub = config.load(self.root)
                self.bib = bibliography.load(self.pub)
                self.errors.pop("config", None)
                codes = self.pub.codes
                self.editions = {c: e for c, e in self.editions.items() if c in codes}
                self.errors = {k: v for k, v in self.errors.items() if k == "config" or k in codes}
            except PublishError as exc:
                self.errors["config"] = exc.format_message()
                codes = ()
        if codes:
            self._parse(codes)
        if change.check and not codes:  # nothing to show before the check: run it now
            self.result = page.cross_check(self.pub, self.editions, self.errors)
        view = self._view()
        self.seconds = time.perf_counter() - start
        return view

    def recheck(self) -> page.View:
        """The cross-check of the current Editions, and the view with its findings."""
        self.result = page.cross_check(self.pub, self.editions, self.errors)
        return self._view()

    def _view(self) -> page.View:
        self.version += 1
        try:
            self.view = page.build(self.pub, self.editions, self.pandoc, self.errors, self.version,
                                   self.view, self.result)
        except PublishError as exc:  # a template or styles problem: keep the last page
            self.errors["styles"] = exc.format_message()
            self.view = page.with_errors(self.view, self.errors, self.version)
        else:
            self.errors.pop("styles", None)
        return self.view

    def _parse(self, codes: tuple[str, ...]) -> None:

        from .. import manuscript

        def one(code: str):
            try:
                return manuscript.assemble(self.pub, self.pub.language(code), self.pandoc, self.bib)
            except PublishError as exc:
                return exc

        if len(codes) == 1:
            results = {codes[0]: one(codes[0])}
        else:  # pandoc runs as a subprocess: languages in parallel
            with threads.pool(len(codes), "preview-parse") as pool:
                results = dict(zip(codes, pool.map(one, codes)))
        for code, result in results.items():
            if isinstance(result, PublishError):
                self.errors[code] = result.format_message()  # the server shows it
            else:
                self.editions[code] = result
                self.errors.pop(code, None)
