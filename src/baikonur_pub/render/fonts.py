"""Fallback faces per script (styles/fonts.yaml), for what the publication's own faces lack.

The publication sets text in Source Serif Pro, headings in Source Sans Pro and code in IBM Plex
Mono (`html.fonts`). Their italics lack Greek and Cyrillic, and none has CJK or emoji. For each
script, fonts.yaml names the fonts tried, in order, for each of the three roles; a character is
*taken over* by the first fallback that has it when any face of the role lacks it, and is then set
in that fallback in every style of the role, so upright and italic Greek share one design.

- PDF: the fallbacks come first in the family lists, each @font-face limited by `unicode-range`
  to the characters it takes over. (Pango asks fontconfig for the family before the style: after
  the primary family it would slant the primary's upright face rather than take an italic from
  the next family.)
- EPUB: the primary comes first and its embedded subsets leave out the characters taken over, so
  every reading system falls through to the embedded fallback without needing `unicode-range`;
  a fallback is embedded only when the edition has a character it takes over.
- DOCX: East Asian text gets the CJK fallback (`w:rFonts/@w:eastAsia`); runs of other
  characters taken over get the fallback as their font.

Style sheets name families as `var(--font-text)`, `var(--font-heading)` and `var(--font-code)`,
expanded here into the family lists of each format (`expand`), so no reader depends on CSS
variables.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..schema import Flag, ListOf, MapOf, Option, Record, Text, validate
from ..sources import load_yaml
from . import html

SETTINGS = "fonts.yaml"
ROLES = {"text": html.TEXT_FAMILY, "heading": html.HEADING_FAMILY, "code": html.CODE_FAMILY}
GENERIC = {"text": "serif", "heading": "sans-serif", "code": "monospace"}
# The Unicode blocks of each script fonts.yaml may name.
SCRIPTS = {
    # with IPA, the modifier letters and combining marks (`/vjuː/`, a decomposed `é`), the
    # phonetic extensions, Latin Extended-E and the ligatures (`ﬁ`)
    "latin": ((0x0000, 0x036F), (0x1D00, 0x1DFF), (0x1E00, 0x1EFF), (0x2C60, 0x2C7F),
              (0xA720, 0xA7FF), (0xAB30, 0xAB6F), (0xFB00, 0xFB06)),
    "greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
    "cyrillic": ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
    "punctuation": ((0x2000, 0x209F), (0x20A0, 0x20CF), (0x2100, 0x214F)),  # with x², H₂O
    "symbols": ((0x2190, 0x2BFF), (0x1F100, 0x1F1FF)),
    "cjk": ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3130, 0x318F),
            (0x31F0, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
            (0xFF00, 0xFFEF), (0x20000, 0x3134F)),
    "emoji": ((0x2300, 0x23FF), (0x2600, 0x27BF), (0x2B00, 0x2BFF), (0x1F000, 0x1FAFF)),
    # written right to left: a run of them is set right to left inside any paragraph (Unicode
    # bidirectional algorithm, as Pango, reading systems and Word apply it)
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF),
               (0xFE70, 0xFEFF)),
    "hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "armenian": ((0x0530, 0x058F), (0xFB13, 0xFB17)),
    "georgian": ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
    "ethiopic": ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    "devanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    "bengali": ((0x0980, 0x09FF),),
    "gurmukhi": ((0x0A00, 0x0A7F),),
    "gujarati": ((0x0A80, 0x0AFF),),
    "oriya": ((0x0B00, 0x0B7F),),
    "tamil": ((0x0B80, 0x0BFF),),
    "telugu": ((0x0C00, 0x0C7F),),
    "kannada": ((0x0C80, 0x0CFF),),
    "malayalam": ((0x0D00, 0x0D7F),),
    "sinhala": ((0x0D80, 0x0DFF),),
    "thai": ((0x0E00, 0x0E7F),),
    "lao": ((0x0E80, 0x0EFF),),
    "myanmar": ((0x1000, 0x109F),),
    "khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
}
STYLES = {"regular": (400, "normal"), "italic": (400, "italic"), "bold": (700, "normal"),
          "bold-italic": (700, "italic")}
_STYLE_KEYS = (("regular",), ("italic", "regular"), ("bold", "regular"),
               ("bold-italic", "italic", "bold", "regular"))

_FILE = Option(Text(), "Font file of this style, in the package's folder (else in styles/); "
               "absent styles use the nearest given one (a variable font serves every weight).")
SCHEMA = Record({
    "fonts": Option(MapOf(Record({
        "package": Option(Text(pattern=r"[A-Za-z_][A-Za-z0-9_.]*",
                               hint="'{value}' is not a Python package name"),
                          "Python package shipping the files (SIL OFL); without it the files "
                          "are in styles/, beside their licence."),
        "pip": Option(Text(), "What to install when the package is missing (the PyPI name)."),
        "optional": Option(Flag(), "Skipped when its package is not installed.", default=False),
        "languages": Option(ListOf(Text()), "Language codes this font is made for: in an edition "
                            "of one of them it comes first among the fonts of its script (Chinese "
                            "in SC forms, Japanese in JP forms).", default=()),
        "regular": Option(Text(), "Font file of upright text.", required=True),
        "italic": _FILE, "bold": _FILE, "bold-italic": _FILE,
    }, where=" in font '{name}'"), key_name="family"),
        "Fallback fonts by family name: where their files are.", default={}),
    "scripts": Option(MapOf(Record({
        role: Option(ListOf(Text()), f"Fallback families for {family}, tried in order.",
                     default=())
        for role, family in ROLES.items()}, where=" in script '{name}'"), key_name="script"),
        "Per script (" + ", ".join(SCRIPTS) + "), the fallbacks of each role.", default={}),
}, why="expected a mapping with 'fonts' and 'scripts'")


@dataclass(frozen=True)
class Fallback:
    family: str
    files: dict  # "regular"/"italic"/"bold"/"bold-italic" → Path


@dataclass(frozen=True)
class Plan:
    """The fallbacks in force: for each role, (family, characters it takes over) in order."""

    takeover: dict  # role → tuple of (family, frozenset of code points)
    fallbacks: dict  # family → Fallback
    absent: tuple = ()  # (script, what to pip install, its languages) of optional fonts absent

    def families(self, role: str) -> list[str]:
        return [family for family, _ in self.takeover.get(role, ())]

    def owner(self, role: str, code: int) -> str | None:
        return next((f for f, chars in self.takeover.get(role, ()) if code in chars), None)

    def taken(self, role: str) -> frozenset[int]:
        return frozenset().union(*(chars for _, chars in self.takeover.get(role, ())))

    def used(self, role: str, codes: set[int]) -> list[str]:
        """The families of `role` that set any of the code points `codes`."""
        return [f for f, chars in self.takeover.get(role, ()) if not chars.isdisjoint(codes)]


def _package_folder(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(spec.origin).parent if spec.origin else None


@functools.cache
def cmap(path: Path) -> frozenset[int]:
    """The code points `path` has a glyph for (read once per process). HarfBuzz reads a
    font's cmap in C: the 45 fonts of the packaged styles in 12 ms, where fontTools took
    255 ms (the same sets), paid by every process that plans fonts."""
    import uharfbuzz as hb

    return frozenset(hb.Face(hb.Blob.from_file_path(path), 0).unicodes)


def _in_script(codes: frozenset[int], script: str) -> frozenset[int]:
    """Those of `codes` in `script`'s blocks (each range read in C: spelling out the blocks'
    125,000 code points in Python cost 59 ms a process)."""
    return frozenset().union(*(codes.intersection(range(a, b + 1)) for a, b in SCRIPTS.get(script, ())))


@functools.cache
def _coverage(paths: frozenset[Path]) -> frozenset[int]:
    """What every one of `paths` (a family's style files) has a glyph for."""
    return frozenset.intersection(*(cmap(p) for p in paths))


@functools.cache
def _load(path: str, shown: str, styles: str, lang: str | None = None) -> Plan:
    if not Path(path).is_file():
        return Plan({}, {})
    data, lines = load_yaml(Path(path), shown)
    settings = validate(SCHEMA, data, shown, lines)
    problems, fallbacks, absent_pkgs = [], {}, {}
    for family, spec in settings["fonts"].items():
        folder = Path(styles)
        if spec["package"]:
            folder = _package_folder(spec["package"])
            if folder is None:
                if spec["optional"]:
                    absent_pkgs[family] = (spec["pip"] or spec["package"], tuple(spec["languages"]))
                else:
                    problems.append(ConfigError(
                        f"font '{family}' needs the Python package {spec['package']}: "
                        f"pip install {spec['pip'] or spec['package']}", shown,
                        lines.get(("fonts", family, "package"))))
                continue
        files = {}
        for key, choices in zip(STYLES, _STYLE_KEYS):
            name = next(spec[k.replace("-", "_")] for k in choices if spec[k.replace("-", "_")])
            files[key] = (folder / name).resolve()
            if not files[key].is_file() or (not spec["package"]
                                            and not files[key].is_relative_to(Path(styles))):
                problems.append(ConfigError(f"font '{family}': no file {name} in {folder}", shown,
                                            lines.get(("fonts", family, key))))
                break
        else:
            fallbacks[family] = Fallback(family, files)
    for script, roles in settings["scripts"].items():
        if script not in SCRIPTS:
            problems.append(ConfigError(f"unknown script '{script}' (known: "
                                        f"{', '.join(SCRIPTS)})", shown, lines.get(("scripts", script))))
        for role, families in roles.items():
            for family in families:
                if family not in settings["fonts"]:
                    problems.append(ConfigError(f"script '{script}': '{family}' is not among "
                                                "the fonts", shown, lines.get(("scripts", script, role))))
    if problems:
        from ..errors import raise_all

        raise_all(problems)
    primaries = html.fonts()
    takeover = {}
    for role, primary in ROLES.items():
        own = [cmap(f.path) for f in primaries if f.family == primary]
        common = frozenset.intersection(*own) if own else frozenset()
        claimed: set[int] = set(common)
        chain: dict[str, set[int]] = {}
        for script, roles in settings["scripts"].items():
            chain_of = list(roles.get(role, ()))
            mine = [f for f in chain_of if lang and lang in settings["fonts"].get(f, {}).get(
                "languages", ())]
            for family in mine + [f for f in chain_of if f not in mine]:
                if family not in fallbacks:
                    continue
                has = _coverage(frozenset(fallbacks[family].files.values()))
                wanted = _in_script(has, script) - claimed
                claimed |= wanted
                chain.setdefault(family, set()).update(wanted)
        takeover[role] = tuple((f, frozenset(c)) for f, c in chain.items() if c)
    absent = tuple(dict.fromkeys((script, *absent_pkgs[f]) for script, roles in settings["scripts"].items()
                                 for families in roles.values() for f in families if f in absent_pkgs))
    return Plan(takeover, fallbacks, absent)


def warm() -> None:
    """Read the character maps of every font the packaged styles name (the layout pool's server
    calls it, so each worker it forks has them: a project's own fonts.yaml most often names
    the same packaged fonts)."""
    from ..config import PACKAGED_STYLES

    for path in {f.path for f in html.fonts()}:
        cmap(path)
    settings = PACKAGED_STYLES / SETTINGS
    for fallback in _load(str(settings), SETTINGS, str(PACKAGED_STYLES)).fallbacks.values():
        _coverage(frozenset(fallback.files.values()))


def plan(pub, lang: str | None = None) -> Plan:
    """The fallbacks of `pub`'s styles (none without styles/fonts.yaml) for an edition in `lang`
    (a language code: the fonts made for it come first); read once per process."""
    path = pub.styles_dir / SETTINGS
    return _load(str(path), pub.shown(path), str(pub.styles_dir.resolve()),
                 lang.split("-")[0] if lang else None)


def unicode_range(codes: frozenset[int]) -> str:
    """`codes` as a CSS unicode-range list (runs collapsed)."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in runs)


Face = html.FontFace  # an @font-face rule: a fallback's carries its unicode-range


def pdf_faces(pub, text: str, lang: str | None = None) -> list[Face]:
    """The fallback @font-face rules a PDF page holding `text` needs, each limited to the
    characters of `text` it takes over (for any role it serves), in every weight the
    publication uses."""
    p = plan(pub, lang)
    present = {ord(c) for c in set(text)}
    codes: dict[str, set[int]] = {}
    for role in ROLES:
        for family, chars in p.takeover.get(role, ()):
            if used := chars & present:
                codes.setdefault(family, set()).update(used)
    faces = []
    for family, chars in codes.items():
        span = unicode_range(frozenset(chars))
        files = p.fallbacks[family].files
        for weight in (400, 600, 700):
            for style in ("normal", "italic"):
                faces.append(Face(family, weight, style,
                                  files[style_key(weight >= 600, style == "italic")], span))
    return faces


def style_key(bold: bool, italic: bool) -> str:
    """The key of a fonts.yaml style file ("regular", "italic", "bold", "bold-italic")."""
    return {(False, False): "regular", (False, True): "italic", (True, False): "bold",
            (True, True): "bold-italic"}[bold, italic]


@functools.lru_cache(maxsize=8)  # the preview asks on every render (8–22 ms); plan() is cached too
def screen_faces(pub) -> tuple[Face, ...]:
    """The publication's faces and every fallback's, each limited to what it takes over (for
    a browser, which fetches a face only when the page has a character in its range)."""
    p = plan(pub)
    faces = list(html.fonts())
    for family, fallback in p.fallbacks.items():
        chars = frozenset().union(*(c for role in ROLES for f, c in p.takeover.get(role, ())
                                    if f == family))
        if chars:
            span = unicode_range(chars)
            faces += [Face(family, *STYLES[key], path, span) for key, path in fallback.files.items()]
    return tuple(faces)


def stacks(pub, fmt: str, only: set[str] | None = None, lang: str | None = None) -> dict[str, str]:
    """The family list of each role: fallbacks first for the PDF (see the module's docstring),
    the primary first elsewhere, the generic family last. `only`: the fallbacks declared (a
    family named without its @font-face would be taken from the host, if it has one)."""
    p = plan(pub, lang)
    out = {}
    for role, primary in ROLES.items():
        fallbacks = [f for f in p.families(role) if only is None or f in only]
        names = [*fallbacks, primary] if fmt == "pdf" else [primary, *fallbacks]
        if role == "code":  # what the mono face and its fallbacks lack: the heading face
            names.append(html.HEADING_FAMILY)
        generic = [] if fmt == "pdf" else [GENERIC[role]]  # the PDF never takes a host font
        out[role] = ", ".join([f'"{n}"' for n in dict.fromkeys(names)] + generic)
    return out


_VAR = re.compile(r"var\(\s*--font-(text|heading|code)\s*\)")


def expand(css: str, pub, fmt: str, only: set[str] | None = None, lang: str | None = None) -> str:
    """A style sheet with `var(--font-…)` replaced by the family list of `fmt`."""
    table = stacks(pub, fmt, only, lang)
    return _VAR.sub(lambda m: table[m.group(1)], css)


def stylesheet(pub, name: str, fmt: str, text: str | None = None,
               lang: str | None = None) -> str | None:
    """styles/<name> expanded for `fmt` (None when the file is absent); for the PDF, naming
    only the fallbacks a page holding `text` declares (`pdf_faces`)."""
    path = pub.styles_dir / name
    if not path.is_file():
        return None
    only = None if text is None else {face.family for face in pdf_faces(pub, text, lang)}
    return expand(path.read_text(encoding="utf-8"), pub, fmt, only, lang)


def covered(pub, roles=("text", "heading"), lang: str | None = None) -> frozenset[int]:
    """Code points every upright regular face of `roles` can set, fallbacks included."""
    p = plan(pub, lang)
    maps = []
    for role in roles:
        face = next(f for f in html.fonts() if f.family == ROLES[role] and f.weight == 400
                    and f.style == "normal")
        maps.append(cmap(face.path) | p.taken(role))
    return frozenset.intersection(*maps)


def hint(pub, char: str, lang: str | None = None) -> str:
    """What to install for `char` when fonts.yaml lists optional fonts of its script that are
    not installed ("" otherwise): of several, the one made for the edition's language `lang`,
    else Korean's for Hangul and Chinese's for a Han character (the Korean fonts have only
    the Hanja)."""
    code = ord(char)
    p = plan(pub)
    if any(code in p.taken(role) for role in ROLES):
        return ""  # an installed face has it: installing more would not help
    wanted = [(pip, langs) for script, pip, langs in p.absent
              if any(a <= code <= b for a, b in SCRIPTS.get(script, ()))]
    name = unicodedata.name(char, "")
    for only in (lang and lang.split("-")[0], "ko" if "HANGUL" in name else None,
                 "zh" if "CJK UNIFIED" in name else None):
        if only and any(only in langs for _, langs in wanted):
            wanted = [(pip, langs) for pip, langs in wanted if only in langs]
            break
    wanted = [pip for pip, _ in wanted]
    return f" (fonts.yaml lists fonts for it that are not installed: pip install {' '.join(dict.fromkeys(wanted))})" if wanted else ""


def families(pub) -> set[str]:
    """Every family a document may be set in: the primaries and the fallbacks."""
    return {f.family for f in html.fonts()} | set(plan(pub).fallbacks)


def font_dirs(pub) -> list[Path]:
    """The folders the PDF's fetcher may read fonts from."""
    return sorted({f.path.parent for f in html.fonts()}
                  | {p.parent for fb in plan(pub).fallbacks.values() for p in fb.files.values()})
