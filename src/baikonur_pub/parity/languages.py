"""What language a document is in, and which chapters hold nothing to compare.

`compare` takes the languages from its options, else from the front matter (`lang:` or
`language:`), else detects them from the text with langdetect (Google's language-detection
profiles, seeded so that the answer never changes between runs); the report says which it
assumed, and names any check it could not run for want of a language.
"""

from __future__ import annotations

import re

from ..spans import delimited, without
from .numbers import WORD_LANGS

MIN_DETECT = 40  # characters: below this a detected language is a guess
_PLACEHOLDER = re.compile(
    r"^(?:todo|tbd|tk|fixme|xxx|wip|placeholder|lorem ipsum\b.*|to be (?:translated|written)|"
    r"da tradurre|à traduire|a traducir|por traducir|zu übersetzen|\.\.\.|…|-+)[\s.!:…]*$",
    re.IGNORECASE | re.DOTALL)
_FRONT = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)


def of_document(declared: str, given: str | None) -> tuple[str, str]:
    """(language, how it was known) of a file compared: the option, else its front matter's
    (`frontmatter.declared`), else ("", "unknown") for `detect` to try."""
    if given:
        return given, "given"
    return (declared, "front matter") if declared else ("", "unknown")


def detect(text: str) -> tuple[str, str]:
    """(language code, "detected") from the running text, or ("", "unknown")."""
    if len(text) < MIN_DETECT:
        return "", "unknown"
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0
    try:
        best = detect_langs(text[:20000])[0]
    except LangDetectException:
        return "", "unknown"
    if best.prob < 0.8:
        return "", "unknown"
    return best.lang, "detected"


def assumed(name: str, code: str, how: str) -> str:
    if not code:
        return f"language of {name} unknown (give --source-lang/--target-lang or `lang:` in its front matter)"
    source = "from its front matter" if how == "front matter" else "detected from its text"
    return f"{name} read as language {code} ({source})"


def skipped(a: str, b: str) -> dict[str, str]:
    """Checks that cannot run for the two languages, with why."""
    out = {}
    missing = [x for x in (a, b) if not x]
    if missing:
        out["untranslated"] = "a language is unknown"
        out["length-ratio"] = "a language is unknown"
    words = [x for x in (a, b) if x and x.split("-")[0].lower() not in WORD_LANGS]
    if missing or words:
        which = ", ".join(words) if words else "an unknown language"
        out["numbers in words"] = f"numbers written in words are not read in {which}"
    return out


def empty_chapters(files) -> dict[int, str]:
    """Index of each chapter with no text, or only a placeholder → what is wrong with it."""
    out = {}
    for i, f in enumerate(files):
        body = _FRONT.sub("", f.text.replace("\r\n", "\n"))
        body = without(body, delimited(body, ("<!--", "-->")))
        text = "\n".join(ln for ln in body.splitlines() if not ln.lstrip().startswith("#")).strip()
        if not body.strip():
            out[i] = "is empty"
        elif _PLACEHOLDER.match(text):
            out[i] = f"holds only a placeholder (“{text[:40]}”)"
    return out
