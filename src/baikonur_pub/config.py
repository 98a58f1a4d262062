"""Load and validate `manuscript/publication.yaml` into frozen dataclasses.

Each field's `doc` is the reference documentation of the key (README.md lists them). Unknown
keys, wrong types and missing files are reported as `publication.yaml:LINE: message`; every
problem is collected first, then the first one (in file order) is raised with a count of the rest.
"""

from __future__ import annotations

import dataclasses
import difflib
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from .errors import ConfigError, PublishError, raise_all
from .resources import manuscript_file
from .sources import Lines, line_of, load_yaml

CONFIG_NAME = "publication.yaml"
MANUSCRIPT_DIR = "manuscript"
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "none")
# Names that become parts of file names: strict, so none can climb out of the output folder.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
DATE_RANGE = (dt.date(1980, 1, 1), dt.date(2107, 12, 31))  # what EPUB and DOCX (ZIP) can date


def _doc(text: str, **kw: Any) -> Any:
    return field(metadata={"doc": text}, **kw)


@dataclass(frozen=True)
class PdfOptions:
    variant: str = _doc("PDF standard to produce: `pdf/ua-1` (tagged, accessible; default), "
                        "`pdf/a-3b` (archival) or `none`.", default="pdf/ua-1")


@dataclass(frozen=True)
class LinkOptions:
    base_url: str = _doc("Where the manuscript folder's files are published (`https://…/`): a "
                         "link to a file is rewritten against it; without it such a link is an "
                         "error.", default="")


@dataclass(frozen=True)
class BilingualOptions:
    facing_pdf: bool = _doc("Build `<slug>-<primary>-<lang>.pdf` for every translation: the primary "
                            "language on the left-hand pages, the translation on the right, "
                            "chapters paired spread by spread (default true).", default=True)
    review_docx: bool = _doc("Build `<slug>-review-<lang>.docx` for every translation: a two-column "
                             "table per section, one row per aligned block, the cross-check's "
                             "findings as comments (default true).", default=True)


@dataclass(frozen=True)
class Language:
    code: str = _doc("Language code, the key under `languages` (`it`, `en`); used in file names.")
    locale: str = _doc("BCP 47 locale (`it-IT`): CSL locale for citations, Babel locale for dates, "
                       "document language of every format.")
    title: str = _doc("Title of this edition.")
    chapters: tuple[Path, ...] = _doc("Chapter files in reading order, relative to manuscript/.")
    subtitle: str = _doc("Subtitle of this edition.", default="")
    short_title: str = _doc("Short title for running headers; defaults to the title.", default="")
    references_title: str = _doc("Heading of the generated reference list.", default="References")
    abstract: Path | None = _doc("Abstract file (one unnumbered section), placed before the table "
                                 "of contents.", default=None)
    keywords: tuple[str, ...] = _doc("Keywords of this edition; default: the shared `keywords`.",
                                     default=())

    @property
    def files(self) -> tuple[Path, ...]:
        """Every source file of this edition in reading order (abstract first)."""
        return ((self.abstract,) if self.abstract else ()) + self.chapters

    @property
    def babel_locale(self) -> str:
        return self.locale.replace("-", "_")


@dataclass(frozen=True)
class Publication:
    root: Path = _doc("The project folder (holds manuscript/ and styles/).")
    slug: str = _doc("File-name stem of every artifact: `dist/<slug>-<lang>.<ext>`.")
    author: tuple[str, ...] = _doc("Author name, or a list of names.")
    date: dt.date = _doc("Publication date, ISO form (2025-05-15); formatted per locale.")
    primary: str = _doc("Code of the language the others are checked against.")
    languages: tuple[Language, ...] = _doc("One entry per language, keyed by its code, in order.")
    bibliography: Path | None = _doc("CSL-YAML (or CSL-JSON) bibliography shared by all editions; "
                                     "a field may hold per-language values `{it: …, en: …}`.",
                                     default=None)
    csl: Path | None = _doc("CSL style file; pandoc's built-in Chicago author-date when absent.",
                            default=None)
    keywords: tuple[str, ...] = _doc("Keywords (PDF and EPUB metadata).", default=())
    nocite: tuple[str, ...] = _doc("Bibliography entries listed in every edition's reference list "
                                   "without being cited: keys, or `*` for all.", default=())
    styles: Path = _doc("Folder with CSS and templates, relative to manuscript/ (default ../styles).",
                        default=Path("../styles"))
    glossary: Path | None = _doc("Term pairs checked across languages (default glossary.yaml if "
                                 "present).", default=None)
    waivers: Path | None = _doc("Accepted cross-check findings (default parity-waivers.yaml if "
                                "present).", default=None)
    pdf: PdfOptions = _doc("PDF options: `variant`.", default=PdfOptions())
    links: LinkOptions = _doc("Link options: `base-url`.", default=LinkOptions())
    bilingual: BilingualOptions = _doc("Bilingual artifacts: `facing-pdf`, `review-docx`.",
                                       default=BilingualOptions())
    source: Path = _doc("The publication.yaml this was read from.", default=Path(CONFIG_NAME))
    lines: Lines = _doc("Line of every key in publication.yaml, for messages.", default_factory=dict,
                        compare=False, repr=False)

    @property
    def manuscript(self) -> Path:
        return self.source.parent

    @property
    def styles_dir(self) -> Path:
        return (self.manuscript / self.styles).resolve()

    def language(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project folder."""
        absolute = Path(os.path.normpath(os.path.abspath(path)))  # a link is shown, not followed
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def line(self, *keys) -> int | None:
        return line_of(self.lines, *keys)


def _keys(cls) -> dict[str, dataclasses.Field]:
    return {f.name.replace("_", "-"): f for f in dataclasses.fields(cls)}


_TOP_INTERNAL = {"root", "source", "lines", "languages"}


class _Collector:
    def __init__(self, shown: str, lines: Lines):
        self.shown, self.lines, self.problems = shown, lines, []

    def add(self, message: str, *path, first: bool = False) -> None:
        """Record a problem; `first` ones (unknown keys: often the cause of the rest) lead."""
        self.problems.append((0 if first else 1, line_of(self.lines, *path) or 0, message))

    def raise_if_any(self) -> None:
        """Every problem, in file order (unknown keys, often the cause of the rest, first)."""
        self.problems.sort(key=lambda p: p[:2])
        raise_all([ConfigError(message, self.shown, line or None)
                   for _, line, message in self.problems])


def _unknown(key: str, known: set[str], where: str = "") -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known))}"
    return f"unknown key '{key}'{where} ({hint})"


def load(project: Path) -> Publication:
    """Read `<project>/manuscript/publication.yaml`; raise ConfigError on any problem."""
    root = Path(project).resolve()
    source = root / MANUSCRIPT_DIR / CONFIG_NAME
    shown = f"{MANUSCRIPT_DIR}/{CONFIG_NAME}"
    if not source.is_file() and not source.is_symlink():
        raise ConfigError(f"no {CONFIG_NAME}: is {root} a baikonur-pub project?", shown)
    if (root / MANUSCRIPT_DIR).is_symlink():
        raise ConfigError("the manuscript folder may not be a symlink", MANUSCRIPT_DIR)
    shell = Publication(root=root, slug="", author=(), date=dt.date.today(), primary="",
                        languages=(), source=source)
    source = manuscript_file(shell, source, shown, ConfigError)
    data, lines = load_yaml(source, shown)
    problems = _Collector(shown, lines)
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping of settings", shown, 1)

    known = _keys(Publication)
    for key in data:
        if key not in known or key in _TOP_INTERNAL - {"languages"}:
            problems.add(_unknown(str(key), set(known) - _TOP_INTERNAL | {"languages"}), key, first=True)

    def text(mapping: dict, key: str, *where, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                problems.add(f"missing required key '{key}'", *where)
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            problems.add(f"'{key}' must be text", *where, key)
            return ""
        return str(value)

    def file(value: Any, *where, styles_too: bool = False) -> Path | None:
        """A manuscript file the policy lets the build read (a CSL style may also come from the
        trusted styles folder)."""
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            problems.add("expected a file path", *where)
            return None
        path = source.parent / value
        if styles_too and styles_ok and path.resolve().is_relative_to(styles_path) \
                and path.resolve().is_file():
            return path.resolve()
        if not path.exists() and path.resolve().is_relative_to(source.parent):
            problems.add(f"file '{value}' does not exist", *where)
            return None
        try:
            return manuscript_file(shell, path, value, ConfigError)
        except PublishError as exc:
            problems.add(exc.message.replace(f"'{value}'", f"file '{value}'", 1), *where)
            return None

    def words(value: Any, *where) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        problems.add("expected text or a list of text", *where)
        return ()

    date = data.get("date")
    if date is None:
        problems.add("missing required key 'date'")
    elif not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        problems.add(f"'date' must be an ISO date like 2025-05-15, not {date!r}", "date")
        date = None
    elif not DATE_RANGE[0] <= date <= DATE_RANGE[1]:
        problems.add(f"'date' must lie between {DATE_RANGE[0]} and {DATE_RANGE[1]} (what EPUB "
                     "and DOCX can record)", "date")
        date = None

    styles = data.get("styles", "../styles")
    styles_path = (source.parent / str(styles)).resolve()
    styles_ok = (isinstance(styles, str) and styles_path.is_relative_to(root)
                 and not styles_path.is_relative_to(source.parent.resolve())
                 and not any(p.startswith(".") for p in styles_path.relative_to(root).parts)
                 and styles_path.is_dir()) if styles_path.is_relative_to(root) else False
    if not styles_ok:
        problems.add(f"styles folder '{styles}' must be a folder inside the project and outside "
                     "the manuscript folder (styles are trusted; the manuscript is not)", "styles")

    languages = []
    raw_langs = data.get("languages")
    if not isinstance(raw_langs, dict) or not raw_langs:
        problems.add("'languages' must map each language code to its settings", "languages")
        raw_langs = {}
    lang_keys = _keys(Language)
    for code, raw in raw_langs.items():
        where = ("languages", code)
        if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
            problems.add(f"language code '{code}' must be a code like 'it', 'en' or 'pt-BR' "
                         "(letters, digits and '-'; it becomes part of file names)", *where,
                         first=True)
            continue
        if not isinstance(raw, dict):
            problems.add(f"settings of language '{code}' must be a mapping", *where)
            continue
        for key in raw:
            if key not in lang_keys or key == "code":
                problems.add(_unknown(str(key), set(lang_keys) - {"code"}, f" in language '{code}'"),
                             *where, key, first=True)
        locale = text(raw, "locale", *where)
        if locale:
            try:
                Locale.parse(locale.replace("-", "_"))
            except (UnknownLocaleError, ValueError):
                problems.add(f"unknown locale '{locale}'", *where, "locale")
        chapters = raw.get("chapters")
        if not isinstance(chapters, list) or not chapters:
            problems.add(f"language '{code}' needs a non-empty 'chapters' list", *where, "chapters")
            chapters = []
        paths = [file(c, *where, "chapters", i) for i, c in enumerate(chapters)]
        languages.append(Language(
            code=str(code),
            locale=locale,
            title=text(raw, "title", *where),
            subtitle=text(raw, "subtitle", *where, required=False),
            short_title=text(raw, "short-title", *where, required=False) or text(raw, "title", *where, required=False),
            references_title=text(raw, "references-title", *where, required=False) or "References",
            abstract=file(raw.get("abstract"), *where, "abstract"),
            chapters=tuple(p for p in paths if p is not None),
            keywords=words(raw.get("keywords"), *where, "keywords"),
        ))

    primary = text(data, "primary")
    if primary and raw_langs and primary not in raw_langs:
        problems.add(f"primary language '{primary}' is not among languages {list(raw_langs)}", "primary")

    def options(key: str, cls) -> dict:
        """A sub-mapping (`pdf:`, `links:`) with its keys checked against `cls`."""
        value = data.get(key) or {}
        if not isinstance(value, dict):
            problems.add(f"'{key}' must be a mapping", key)
            return {}
        for name in value:
            if name not in _keys(cls):
                problems.add(_unknown(str(name), set(_keys(cls)), f" in {key}"), key, name, first=True)
        return value

    variant = str(options("pdf", PdfOptions).get("variant", "pdf/ua-1"))
    if variant not in PDF_VARIANTS:
        problems.add(f"pdf variant must be one of {', '.join(PDF_VARIANTS)}", "pdf", "variant")

    base_url = str(options("links", LinkOptions).get("base-url") or "")
    if base_url and not re.match(r"^https?://[^/\s]+(/\S*)?$", base_url):
        problems.add("links base-url must be an http(s) URL", "links", "base-url")
        base_url = ""
    elif base_url and not base_url.endswith("/"):
        base_url += "/"

    bilingual = options("bilingual", BilingualOptions)
    for name in bilingual:
        if not isinstance(bilingual[name], bool):
            problems.add(f"bilingual {name} must be true or false", "bilingual", name)
    switches = {name: bilingual.get(name.replace("_", "-"), True) is not False
                for name in ("facing_pdf", "review_docx")}

    slug = text(data, "slug")
    if slug and not SLUG.match(slug):
        problems.add("'slug' must start with a letter or digit and hold only ASCII letters, "
                     "digits, '-', '_' and '.' (at most 100)", "slug")

    def nocite_keys(value: Any) -> tuple[str, ...]:
        keys = tuple(k.removeprefix("@") for k in words(value, "nocite"))
        for key in keys:
            if not re.fullmatch(r"\*|\w[\w:.#$%&+?<>~/-]*", key):
                problems.add(f"'nocite' entry '{key}' is not a citation key", "nocite")
        return keys

    def optional_default(key: str, default_name: str) -> Path | None:
        if key in data:
            return file(data[key], key)
        candidate = source.parent / default_name
        return file(default_name, key) if os.path.lexists(candidate) else None

    csl = file(data.get("csl"), "csl", styles_too=True)
    if csl is not None:
        problem = _csl_problem(csl)
        if problem:
            problems.add(problem, "csl")

    pub = Publication(
        root=root,
        slug=slug,
        author=words(data.get("author"), "author"),
        date=date,
        primary=primary,
        languages=tuple(languages),
        bibliography=file(data.get("bibliography"), "bibliography"),
        csl=csl,
        keywords=words(data.get("keywords"), "keywords"),
        nocite=nocite_keys(data.get("nocite")),
        styles=Path(str(styles)),
        glossary=optional_default("glossary", "glossary.yaml"),
        waivers=optional_default("waivers", "parity-waivers.yaml"),
        pdf=PdfOptions(variant=variant),
        links=LinkOptions(base_url=base_url),
        bilingual=BilingualOptions(**switches),
        source=source,
        lines=lines,
    )
    if not pub.author:
        problems.add("missing required key 'author'")
    problems.raise_if_any()
    return pub


def _csl_problem(path: Path) -> str | None:
    """Why citeproc may not use this CSL file, or None. A dependent style names a parent that
    pandoc would fetch from the network; the file is parsed with no entities and no network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        return f"the CSL style is not well-formed XML: {getattr(exc, 'msg', exc)}"
    if root.getroottree().docinfo.internalDTD is not None:
        return "the CSL style may not declare a DOCTYPE or entities"
    for link in root.iter("{http://purl.org/net/xbiblio/csl}link"):
        if link.get("rel") == "independent-parent":
            return ("the CSL style is a dependent style: pandoc would fetch its parent from the "
                    "network; use the independent (parent) style file instead")
    return None
