"""Load and validate `manuscript/publication.yaml` into frozen dataclasses.

SCHEMA states every key once — kind, default, doc — (README.md's table is made from it). Unknown
keys, wrong types and missing files are reported as `publication.yaml:LINE: message`, every
problem of the file in one run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from .errors import ConfigError, PublishError
from .locales import babel_locale, likely_locale
from .resources import manuscript_file
from .schema import (INVALID, At, Choice, Custom, Date, Flag, ListOf, MapOf, Number, Option, Record, Text, Words,
                     validate)
from .sources import Lines, line_of, load_yaml

CONFIG_NAME = "publication.yaml"
MANUSCRIPT_DIR = "manuscript"
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "none")
# Names that become parts of file names: strict, so none can climb out of the output folder.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
DATE_RANGE = (dt.date(1980, 1, 1), dt.date(2107, 12, 31))  # what EPUB and DOCX (ZIP) can date


@dataclass(frozen=True)
class PdfOptions:
    variant: str = "pdf/ua-1"
    max_formulas: int = 1_000


@dataclass(frozen=True)
class LinkOptions:
    base_url: str = ""


@dataclass(frozen=True)
class ImageOptions:
    remote: str = "error"


@dataclass(frozen=True)
class CrossrefOptions:
    chapters: bool = False


@dataclass(frozen=True)
class BilingualOptions:
    facing_pdf: bool = True
    facing_depth: int = 1
    review_docx: bool = True


@dataclass(frozen=True)
class Language:
    code: str
    locale: str
    title: str
    chapters: tuple[Path, ...]
    subtitle: str = ""
    short_title: str = ""  # the title when not set
    references_title: str = ""  # the language's word (styles/typography.yaml) when not set
    abstract: Path | None = None
    keywords: tuple[str, ...] = ()
    base_url: str = ""  # where this edition's links are published; links.base-url when not set

    @property
    def files(self) -> tuple[Path, ...]:
        """Every source file of this edition in reading order (abstract first)."""
        return ((self.abstract,) if self.abstract else ()) + self.chapters

    @property
    def babel_locale(self) -> str:
        return babel_locale(self.locale)

    @property
    def direction(self) -> str:
        """`rtl` for a language written right to left (Arabic, Hebrew, Persian…, as the CLDR
        says through Babel), else `ltr`: the edition's base direction in every format."""
        from babel import Locale

        order = Locale.parse(self.babel_locale).character_order
        return "rtl" if order == "right-to-left" else "ltr"


@dataclass(frozen=True)
class Publication:
    """publication.yaml, checked (the docs of each key are in SCHEMA below)."""

    root: Path  # the project folder (holds manuscript/ and styles/)
    slug: str
    author: tuple[str, ...]
    date: dt.date
    primary: str
    languages: tuple[Language, ...]
    bibliography: Path | None = None
    csl: Path | None = None
    keywords: tuple[str, ...] = ()
    nocite: tuple[str, ...] = ()
    styles: Path = Path("../styles")
    glossary: Path | None = None
    waivers: Path | None = None
    pdf: PdfOptions = PdfOptions()
    links: LinkOptions = LinkOptions()
    images: ImageOptions = ImageOptions()
    bilingual: BilingualOptions = BilingualOptions()
    crossref: CrossrefOptions = CrossrefOptions()
    conditions: tuple[tuple[str, str], ...] = ()  # (name, value) Svelte's blocks test
    source: Path = Path(CONFIG_NAME)  # the publication.yaml this was read from
    lines: Lines = field(default_factory=dict, compare=False, repr=False)  # key path → line

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

    def keywords_of(self, lang: Language) -> tuple[str, ...]:
        """The edition's keywords: its own, else the shared ones."""
        return lang.keywords or self.keywords


@dataclass(frozen=True)
class _Loading:
    """What the file checks need: the project, and whether its styles folder is usable."""

    shell: Publication
    styles: Path | None  # resolved, when it passes the styles rule


def _file(value: Any, at: At, styles_too: bool = False) -> Path | object:
    """A manuscript file the policy lets the build read (a CSL style may also come from the
    trusted styles folder)."""
    if not isinstance(value, str) or not value.strip():
        return at.problem("expected a file path")
    loading: _Loading = at.context
    path = loading.shell.manuscript / value
    if styles_too and loading.styles and path.resolve().is_relative_to(loading.styles) \
            and path.resolve().is_file():
        return path.resolve()
    if not path.exists() and path.resolve().is_relative_to(loading.shell.manuscript):
        return at.problem(f"file '{value}' does not exist")
    try:
        return manuscript_file(loading.shell, path, value, ConfigError)
    except PublishError as exc:
        return at.problem(exc.message.replace(f"'{value}'", f"file '{value}'", 1))


def _csl(value: Any, at: At) -> Path | object:
    path = _file(value, at, styles_too=True)
    from .bibliography import csl_problem  # which imports this module

    problem = csl_problem(path) if isinstance(path, Path) else None
    return at.problem(problem) if problem else path


def _locale(value: Any, at: At) -> str | object:
    locale = Text().check(value, at)
    if locale is INVALID:
        return locale
    try:
        Locale.parse(babel_locale(locale))
    except (UnknownLocaleError, ValueError):
        return at.problem(f"unknown locale '{locale}'")
    return locale


def _styles(value: Any, at: At) -> Path | object:
    if at.context.styles is None:
        return at.problem(f"styles folder '{value}' must be a folder inside the project and "
                          "outside the manuscript folder (styles are trusted; the manuscript is not)")
    return Path(str(value))


def _nocite(value: Any, at: At) -> tuple[str, ...] | object:
    keys = Words().check(value, at)
    if keys is INVALID:
        return keys
    keys = tuple(k.removeprefix("@") for k in keys)
    for key in keys:
        if not re.fullmatch(r"\*|\w[\w:.#$%&+?<>~/-]*", key):
            at.problem(f"'nocite' entry '{key}' is not a citation key")
    return keys


FILE = Custom(_file, shape="file in manuscript/")
LANGUAGE = Record({
    "locale": Option(Custom(_locale, shape="locale"), "BCP 47 locale (`it-IT`): CSL locale for "
                     "citations, Babel locale for dates, document language of every format; "
                     "when not set, CLDR's likely locale of the language code (`zh` → `zh-CN`).",
                     default=""),
    "title": Option(Text(), "Title of this edition.", required=True),
    "subtitle": Option(Text(), "Subtitle of this edition.", default=""),
    "short-title": Option(Text(), "Title for running headers; the title when not set.", default=""),
    "references-title": Option(Text(), "Heading of the generated reference list; when not "
                               "set, the language's word in styles/typography.yaml "
                               "(`labels: references`).", default=""),
    "abstract": Option(FILE, "Abstract file (one unnumbered section), placed after the contents, "
                       "before the body, in every format."),
    "chapters": Option(ListOf(FILE, min=1, why="'chapters' must be a non-empty list of files"),
                       "Chapter files in reading order, relative to `manuscript/`.", required=True),
    "keywords": Option(Words(), "Keywords of this edition; the shared `keywords` when not set.",
                       default=()),
    "base-url": Option(Text(r"https?://[^/\s]+(/\S*)?", "base-url must be an http(s) URL"),
                       "This edition's `links.base-url` (`https://example.org/it/`: `/docs/x/` "
                       "is `https://example.org/it/docs/x/`); `links.base-url` when not set.", default=""),
}, where=" in language '{name}'", why="settings of language '{name}' must be a mapping")

SCHEMA = Record({
    "slug": Option(Text(SLUG.pattern, "'slug' must start with a letter or digit and hold only ASCII "
                        "letters, digits, '-', '_' and '.' (at most 100)"),
                   "File-name stem of every artifact: `dist/<slug>-<lang>.<ext>` (ASCII letters, "
                   "digits, `-_.`, starting with a letter or digit).", required=True),
    "author": Option(Words(), "Author name, or a list of names.", required=True),
    "date": Option(Date(*DATE_RANGE, why=" (what EPUB and DOCX can record)"),
                   "Publication date, ISO form (`2025-05-15`); formatted per locale with Babel.",
                   required=True),
    "primary": Option(Text(), "Code of the language the others are checked against.",
                      required=True),
    "bibliography": Option(FILE, "Bibliography shared by all editions: CSL-YAML (a field may "
                           "hold per-language values `{it: …, en: …}`), CSL-JSON, BibLaTeX "
                           "(`.bib`) or BibTeX (`.bibtex`)."),
    "csl": Option(Custom(_csl, shape="file"), "CSL style file, in `manuscript/` or the styles "
                  "folder (independent styles only); pandoc's built-in Chicago author-date when "
                  "absent."),
    "keywords": Option(Words(), "Keywords for PDF and EPUB metadata.", default=()),
    "nocite": Option(Custom(_nocite, shape="keys"), "Bibliography entries listed in every "
                     "edition's reference list without being cited: keys, or `*` for all.",
                     default=()),
    "styles": Option(Custom(_styles, shape="folder"), "Folder with CSS and templates, relative to "
                     "`manuscript/`; inside the project, outside `manuscript/`. Without the key "
                     "and without `../styles`, the styles packaged with the tool.",
                     default=Path("../styles")),
    "glossary": Option(FILE, "Term pairs checked across languages; `glossary.yaml` if present."),
    "waivers": Option(FILE, "Accepted cross-check findings; `parity-waivers.yaml` if present."),
    "links": Option(Record({
        "base-url": Option(Text(r"https?://[^/\s]+(/\S*)?", "links base-url must be an http(s) URL"),
                           "Where the manuscript folder's files are published (`https://…/`): a "
                           "link to a file is rewritten against it (from the chapter's folder; "
                           "a site path that starts with its path, `/docs/x/` under "
                           "`https://host/docs/`, keeps it once; a page's trailing `/` stays); "
                           "without it such a link is an error.", default=""),
    }, where=" in links"), "Link options."),
    "images": Option(Record({
        "remote": Option(Choice(("error", "drop"), what="images remote"), "An image the manuscript "
                         "names by URL (`![](https://…)`, `<img src=\"https://…\">`): `error`, or "
                         "`drop` to leave it out of every format with a warning (`image-remote`); "
                         "nothing is ever fetched.", default="error"),
    }, where=" in images"), "Image options."),
    "pdf": Option(Record({
        "variant": Option(Choice(PDF_VARIANTS, what="pdf variant"), "PDF standard: `pdf/ua-1` "
                          "(tagged, accessible), `pdf/a-3b` (archival) or `none`.",
                          default="pdf/ua-1"),
        "max-formulas": Option(Number("a whole number from 1 to 100,000", whole=True, low=1,
                                      high=100_000),
                               "Formulas one language's PDF may hold (`$x$` counts each time it "
                               "is written). Each takes about 16 ms and 0.2 MB to draw, so a "
                               "manuscript cannot make a build run for minutes; raise it for a "
                               "book of more. The work of drawing them is bounded in proportion.",
                               default=1_000),
    }, where=" in pdf"), "PDF options."),
    "bilingual": Option(Record({
        "facing-pdf": Option(Flag(), "Build `<slug>-<primary>-<lang>.pdf` for every translation: "
                             "the primary language on the left-hand (even) pages, the translation "
                             "on the right-hand (odd) ones, chapters paired spread by spread.",
                             default=True),
        "facing-depth": Option(Choice((1, 2, 3), what="bilingual facing-depth"), "Heading levels "
                               "that start a spread of their own in the facing-page PDF: `1`, "
                               "the chapters; `2` or `3`, their sections too (more blank space, "
                               "closer pairing).", default=1),
        "review-docx": Option(Flag(), "Build `<slug>-review-<lang>.docx` for every translation: "
                              "a two-column table per section, one row per aligned block, the "
                              "cross-check's findings as comments.", default=True),
    }, where=" in bilingual"), "Bilingual artifacts beside the single editions."),
    "crossref": Option(Record({
        "chapters": Option(Flag(), "Number figures, tables, listings, equations and theorems "
                           "anew in each chapter, after its number (`Figure 2.3`, `(2.1)`), as "
                           "Quarto numbers a book's; `false`: through the edition (`Figure 7`).",
                           default=False),
    }, where=" in crossref"), "Cross-reference options."),
    "conditions": Option(MapOf(Text(), key=Text(r"[A-Za-z_$][\w$]*", "condition name '{value}' "
                                                 "must be a JavaScript name (`fw`)"), key_name="name"),
                         "Values of the names Svelte's conditional blocks compare (`{#if fw === "
                         "'pt'}`): `fw: tf` shows every chapter's TensorFlow branches. A name not "
                         "given takes the first value its chapter compares it with.", default={}),
    "languages": Option(MapOf(LANGUAGE, key=Text(
        LANGUAGE_CODE.pattern, "language code '{value}' must be a code like 'it', 'en' or 'pt-BR' "
        "(letters, digits and '-'; it becomes part of file names)"), key_name="code", min=1,
        why="'languages' must map each language code to its settings"),
        "One entry per language, keyed by its code, in reading order.", required=True),
})


def load(project: Path) -> Publication:
    """Read `<project>/manuscript/publication.yaml`; raise ConfigError with every problem."""
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
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping of settings", shown, 1)
    for name, default in (("glossary", "glossary.yaml"), ("waivers", "parity-waivers.yaml")):
        if name not in data and os.path.lexists(source.parent / default):
            data[name] = default
    folder = _styles_folder(root, source.parent, data.get("styles", "../styles"))
    packaged = folder is None and "styles" not in data  # no styles/: the tool's own (trusted)
    loading = _Loading(shell, PACKAGED_STYLES if packaged else folder)
    values = validate(SCHEMA, data, shown, lines, loading, then=_across)
    if packaged:
        values["styles"] = PACKAGED_STYLES
    languages = tuple(Language(code=code, **{**raw, "short_title": raw["short_title"] or raw["title"]})
                      for code, raw in values.pop("languages").items())
    return Publication(root=root, languages=languages, source=source, lines=lines,
                       **{name: kind(**values.pop(name)) for name, kind in _RECORDS.items()},
                       conditions=tuple(sorted(values.pop("conditions").items())), **values)


_RECORDS = {"pdf": PdfOptions, "links": LinkOptions, "images": ImageOptions,
            "bilingual": BilingualOptions, "crossref": CrossrefOptions}


def _across(values: dict, at: At) -> None:
    """The checks between options."""
    codes = list(values["languages"])
    for code, language in values["languages"].items():
        if isinstance(language, dict) and not language.get("locale"):
            language["locale"] = likely_locale(code) or ""
            if not language["locale"]:
                (at / "languages" / code).problem(f"language '{code}' is not one Babel knows: "
                                                  "give its 'locale'")
    if values["primary"] and codes and values["primary"] not in codes:
        (at / "primary").problem(f"primary language '{values['primary']}' is not among "
                                 f"languages {codes}")
    for options in [values["links"], *(v for v in values["languages"].values() if isinstance(v, dict))]:
        url = options.get("base_url")
        if url and not url.endswith("/"):
            options["base_url"] = url + "/"


PACKAGED_STYLES = Path(__file__).resolve().parent / "styles"


def _styles_folder(root: Path, manuscript: Path, styles: Any) -> Path | None:
    """The styles folder, resolved, if it lies inside the project, outside the manuscript, in no
    dot-folder, and exists."""
    if not isinstance(styles, str):
        return None
    path = (manuscript / styles).resolve()
    if not path.is_relative_to(root) or path.is_relative_to(manuscript.resolve()) or any(
            p.startswith(".") for p in path.relative_to(root).parts) or not path.is_dir():
        return None
    return path

