"""`baikonur-pub init`: a new project that builds and passes the cross-check as it stands.

It writes `manuscript/` only — publication.yaml, a bibliography and one chapter per language
with an explicit heading ID, a citation and a cross-reference — and no `styles/`: a project
without one uses the styles packaged with the tool (config.PACKAGED_STYLES); copying them in
later makes them the project's own. Starter text exists in a few languages; another language's
chapter holds no words of another language (that would be untranslated text, and the project
would fail `check --strict`): its title and heading are the project's name, its paragraph a
cross-reference and a citation, which the build words in the edition's language and the
cross-check compares. The reference list's heading is left to styles/typography.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .config import CONFIG_NAME, LANGUAGE_CODE, MANUSCRIPT_DIR
from .locales import likely_locale

# title, chapter file stem, heading, paragraph. `@sec-intro` is worded by the build with the
# language's label ("Section 1"): the text never says the label itself.
STARTERS = {
    "en": ("A new report", "introduction", "Introduction",
           "This report starts here [@example2024]. @sec-intro introduces it; replace this text "
           "with your own."),
    "it": ("Un nuovo rapporto", "introduzione", "Introduzione",
           "Il rapporto comincia qui [@example2024]. La @sec-intro lo introduce; sostituite "
           "questo testo con il vostro."),
    "fr": ("Un nouveau rapport", "introduction", "Introduction",
           "Le rapport commence ici [@example2024]. La @sec-intro le présente ; remplacez ce "
           "texte par le vôtre."),
    "de": ("Ein neuer Bericht", "einleitung", "Einleitung",
           "Der Bericht beginnt hier [@example2024]. @sec-intro führt in ihn ein; ersetzen Sie "
           "diesen Text durch Ihren eigenen."),
    "es": ("Un informe nuevo", "introduccion", "Introducción",
           "El informe empieza aquí [@example2024]. La @sec-intro lo presenta; sustituya este "
           "texto por el suyo."),
}
# Any other language: only what reads the same in every language, or is worded by the build.
NEUTRAL = ("intro", "<!-- Write this chapter in {code}: the paragraph below is a cross-reference "
           "and a citation, which every language shares. -->\n\n@sec-intro: [@example2024]")
BIBLIOGRAPHY = """\
# CSL-YAML: one entry per work; a field may hold one value per language ({it: …, en: …}).
references:
  - id: example2024
    type: book
    author:
      - family: Rossi
        given: Ada
    issued: 2024
    title: An example reference
    publisher: Example Press
"""


class UsageError(ValueError):
    """The command line asked for something init cannot do (exit 2)."""


def locale_of(code: str) -> str:
    """The BCP 47 locale Babel's likely subtags give a language code (`it` → `it-IT`)."""
    if not LANGUAGE_CODE.match(code):
        raise UsageError(f"'{code}' is not a language code like 'it', 'en' or 'pt-BR'")
    locale = likely_locale(code)
    if locale is None:
        raise UsageError(f"'{code}' is not a language Babel knows")
    return locale


def parse_languages(text: str) -> list[str]:
    codes = [c.strip() for c in text.split(",") if c.strip()]
    if not codes:
        raise UsageError("give at least one language code, e.g. --languages it,en")
    if len(set(codes)) != len(codes):
        raise UsageError("a language code is given twice")
    return codes


def starters(codes: list[str], name: str) -> dict[str, tuple[str, str, str, str]]:
    """Title, file stem, heading and paragraph of each language's chapter: its starter text,
    for the first language of each starter (en-GB after en would repeat en's text: untranslated),
    else the neutral one, named after the project."""
    out, used = {}, set()
    for code in codes:
        base = code.split("-")[0].lower()
        if base in STARTERS and base not in used:
            used.add(base)
            out[code] = STARTERS[base]
        else:
            out[code] = (name, NEUTRAL[0], name, NEUTRAL[1].format(code=code))
    return out


def init(folder: Path, codes: list[str], today: dt.date | None = None) -> list[Path]:
    """Write a new project into `folder` (absent or empty); the files written."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not an empty folder: init writes only into a new one")
    locales = {code: locale_of(code) for code in codes}
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", folder.resolve().name).strip("-.") or "report"
    if not slug[0].isalnum():
        slug = "report"
    languages, files = {}, {}
    for code, (title, stem, heading, text) in starters(codes, folder.resolve().name).items():
        chapter = f"{code}/01-{stem}.md"
        files[chapter] = f"# {heading} {{#sec-intro}}\n\n{text}\n"
        languages[code] = {"locale": locales[code], "title": title, "chapters": [chapter]}
    settings = {"slug": slug, "author": "Author Name",
                "date": today or dt.date.today(), "primary": codes[0],
                "bibliography": "references.yaml", "languages": languages}
    head = ("# What the editions share, and each language's title and chapters.\n"
            "# The keys are described in baikonur-pub's README (publication.yaml).\n")
    files[CONFIG_NAME] = head + yaml.safe_dump(settings, allow_unicode=True, sort_keys=False)
    files["references.yaml"] = BIBLIOGRAPHY
    written = []
    for name, text in files.items():
        path = folder / MANUSCRIPT_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    gitignore = folder / ".gitignore"
    gitignore.write_text("dist/\n.cache/\n", encoding="utf-8")
    return [*written, gitignore]
