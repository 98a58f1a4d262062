"""Content-hash cache: a target is rebuilt only when one of its inputs changed.

A target's key hashes everything that can change its bytes: its language's chapters and every
other manuscript file except the other languages' chapters and the cross-check's own files, the
bibliography, the styles, the configuration, SOURCE_DATE_EPOCH, the versions of this tool (and a
hash of its code), pandoc, WeasyPrint and the fonts. Built artifacts and parsed editions are stored under the key,
so a no-op build reads hashes only, and a CI job per language can share one cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .config import Publication
from .sources import write_atomic

CACHE_ENV = "BAIKONUR_CACHE"
_PACKAGES = ("weasyprint", "pydyf", "tinycss2", "fonttools", "font-source-serif-pro",
             "font-source-sans-pro", "fontpkg-ibm-plex-mono", "pypandoc-binary", "pypdfium2",
             "pillow", "uharfbuzz",
             # the fallback fonts of styles/fonts.yaml; an optional one installed changes output
             "fontpkg-noto-serif", "fontpkg-noto-sans", "manimgx-fonts", "pylopdf-fonts-cjk",
             "pylopdf-fonts-zh-cn", "pylopdf-fonts-ko")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hashes(pub: Publication) -> dict[str, str]:
    """Project-relative path → SHA-256 of every file of the manuscript and the styles.

    Manuscript files are those the resource policy lets a build read (`manuscript_file`): a
    symlink leading out, a device or a hidden folder is no input, so it is never read."""
    from .errors import PublishError
    from .resources import manuscript_file

    hashes = {}
    for folder in (pub.manuscript, pub.styles_dir):
        for top, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                path = Path(top) / name
                if name.startswith("."):
                    continue
                try:
                    real = manuscript_file(pub, path) if folder == pub.manuscript else path
                    with open(real, "rb") as handle:
                        hashes[pub.shown(path)] = hashlib.file_digest(handle, "sha256").hexdigest()
                except (PublishError, OSError):
                    continue  # not readable by the policy (or at all): not an input
    return dict(sorted(hashes.items()))


def versions(pandoc_version: str, cache: "Cache | None" = None) -> dict[str, str]:
    """Versions of everything that shapes the output bytes.

    Reading package metadata costs more than a whole no-op build otherwise does, so the result
    is remembered per state of the installation: installing or upgrading a package changes the
    modification time of its site-packages folder."""
    import baikonur_pub

    site = Path(baikonur_pub.__file__).resolve().parents[1]
    sites = sorted({str(site)} | {str(Path(p)) for p in sys.path
                                                if p.endswith(("site-packages", "dist-packages"))})
    state = sha256(json.dumps([(p, os.stat(p).st_mtime_ns if os.path.isdir(p) else 0)
                               for p in sites] + [pandoc_version, __version__, sys.version]).encode())
    known = cache.get_json("versions", state) if cache else None
    if known is not None:
        return {**known, "baikonur-pub-source": source_digest()}
    from importlib import metadata

    found = {"baikonur-pub": __version__, "pandoc": pandoc_version,
             "python": ".".join(map(str, sys.version_info[:3]))}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    if cache:
        cache.put_json("versions", state, found)
    return {**found, "baikonur-pub-source": source_digest()}


def source_digest() -> str:
    """A hash of this tool's own code: an edited renderer (a development checkout, where the
    version number stays the same) must not be answered from the cache."""
    import baikonur_pub

    digest = hashlib.sha256()
    package = Path(baikonur_pub.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _digest(payload: dict) -> str:
    return sha256(json.dumps(payload, sort_keys=True).encode())


@dataclass(frozen=True)
class Keys:
    """The cache keys of one build's inputs."""

    hashes: dict[str, str]
    versions: dict[str, str]
    epoch: int

    def language_inputs(self, pub: Publication, code: str) -> dict[str, str]:
        """Inputs that can change `code`'s artifacts: not other languages' chapters, not the
        cross-check's glossary, waivers and sync marks."""
        excluded = {pub.shown(p) for lang in pub.languages if lang.code != code for p in lang.files}
        excluded |= {pub.shown(p) for p in (pub.glossary, pub.waivers) if p is not None}
        return {k: v for k, v in self.hashes.items()
                if k not in excluded and not k.endswith(".lock")}

    def edition(self, pub: Publication, code: str) -> str:
        return _digest({"inputs": self.language_inputs(pub, code), "versions": self.versions,
                        "kind": "edition", "lang": code})

    def target(self, pub: Publication, code: str, fmt: str) -> str:
        return _digest({"inputs": self.language_inputs(pub, code), "versions": self.versions,
                        "epoch": self.epoch, "lang": code, "format": fmt})

    def pair(self, pub: Publication, code: str, kind: str) -> str:
        """A bilingual artifact: the inputs of the primary language and of `code`; the
        review document also shows the cross-check's findings (glossary, waivers, sync marks)."""
        others = {pub.shown(p) for lang in pub.languages if lang.code not in (pub.primary, code)
                  for p in lang.files}
        inputs = {k: v for k, v in self.hashes.items() if k not in others}
        if kind != "review":
            inputs = {k: v for k, v in inputs.items() if k in self.language_inputs(pub, code)
                      or k in self.language_inputs(pub, pub.primary)}
        return _digest({"inputs": inputs, "versions": self.versions, "epoch": self.epoch,
                        "lang": code, "primary": pub.primary, "format": kind})

    def cover(self, pub: Publication, code: str, shown: dict) -> str:
        """The EPUB cover: what it shows (`cover.shown`: title, author, date) and the styles
        (its template, stylesheet and fonts). Computed without laying out or even writing the
        cover's page: a one-chapter edit used to spend 0.1 s of its build on it."""
        styles = pub.shown(pub.styles_dir) + "/"
        return _digest({"shown": shown, "versions": self.versions,
                        "styles": {k: v for k, v in self.hashes.items() if k.startswith(styles)},
                        "kind": "cover", "lang": code})

    def check(self, codes: tuple[str, ...]) -> str:
        return _digest({"inputs": self.hashes, "versions": self.versions, "kind": "check",
                        "langs": list(codes)})


class Cache:
    """The cache folder: `<project>/.cache/baikonur-pub` unless BAIKONUR_CACHE names another."""

    def __init__(self, pub: Publication, enabled: bool = True):
        self.dir = Path(os.environ.get(CACHE_ENV) or pub.root / ".cache" / "baikonur-pub")
        self.enabled = enabled

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.dir / kind / f"{key}{suffix}"

    def get(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        """The entry, if its bytes still match the hash stored beside it; a truncated or
        altered entry is removed and counts as a miss (it is rebuilt)."""
        if not self.enabled:
            return None
        path = self._path(kind, key, suffix)
        try:
            data = path.read_bytes()
            expected = path.with_name(path.name + ".sha256").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if sha256(data) != expected:
            for stale in (path, path.with_name(path.name + ".sha256")):
                stale.unlink(missing_ok=True)
            return None
        return data

    def put(self, kind: str, key: str, data: bytes, suffix: str = "") -> None:
        """Store atomically, with its hash; a cache that cannot be written only costs speed."""
        path = self._path(kind, key, suffix)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
            write_atomic(path.with_name(path.name + ".sha256"), sha256(data).encode())
        except Exception:  # noqa: BLE001 - read-only cache folder: carry on uncached
            pass

    def get_json(self, kind: str, key: str):
        data = self.get(kind, key, ".json")
        try:
            return json.loads(data) if data is not None else None
        except ValueError:
            return None

    def put_json(self, kind: str, key: str, value) -> None:
        self.put(kind, key, json.dumps(value, ensure_ascii=False).encode(), ".json")

    def lock_path(self) -> Path:
        return self.dir / "build.lock"


def edition_payload(edition) -> dict:
    return {"ast": edition.ast, "block_files": list(edition.block_files),
            "headings": [asdict(h) for h in edition.headings], "warnings": list(edition.warnings)}
