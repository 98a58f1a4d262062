"""Content-hash cache: a target is rebuilt only when one of its inputs changed.

A target's key hashes everything that can change its bytes: its language's chapters and every
other manuscript file except the other languages' chapters and the cross-check's own files, the
bibliography, the styles, the configuration, SOURCE_DATE_EPOCH, the versions of this tool (and a
hash of its code), pandoc, WeasyPrint and the fonts. Built artifacts and parsed editions are stored under the key,
so a no-op build reads hashes only, and a CI job per language can share one cache folder.

Every entry is signed (HMAC-SHA256 over its name and bytes) with a key of this user's that
lives outside every project (`signing_key`). The cache folder sits in the project, where a pull
request can put files too: an entry it brings (a forged artifact, a cross-check result that
would skip the gate) is not signed with this machine's key, so it is a miss and rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__, environment
from .config import Publication
from .writing import refuse_links, write_atomic

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


# `versions` found in this process, by state of the installation: a new project (each test's)
# would read the packages' metadata again (the fast tests: 132 times, 1.6 s).
_VERSIONS: dict[str, dict[str, str]] = {}


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
    if known is None and state in _VERSIONS:
        known = _VERSIONS[state]
        if cache:
            cache.put_json("versions", state, known)
    if known is not None:
        _VERSIONS[state] = known
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
    _VERSIONS[state] = found
    return {**found, "baikonur-pub-source": source_digest()}


@functools.cache
def source_digest() -> str:
    """A hash of this tool's own code: an edited renderer (a development checkout, where the
    version number stays the same) must not be answered from the cache. Once a process: the
    code it runs is the code it imported (hashing it again cost the fast tests 0.9 s)."""
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
            wanted = (self.language_inputs(pub, code).keys()
                      | self.language_inputs(pub, pub.primary).keys())
            inputs = {k: v for k, v in inputs.items() if k in wanted}
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


KEY_BYTES = 32


def signing_key(*inside: Path) -> bytes:
    """The key cache entries are signed with: BAIKONUR_CACHE_KEY when set (CI jobs sharing a
    cache), else this user's (`user_key`)."""
    return environment.cache_key() or user_key(*inside)


@functools.cache
def user_key(*inside: Path) -> bytes:
    """This user's key for signing cache entries: `$XDG_STATE_HOME/baikonur-pub/cache-key`
    (default `~/.local/state/…`), made once, readable by this user only. Where that file
    cannot be made or read, or lies in one of the `inside` folders (a project at the home
    folder itself, whose files a pull request brings), a key for this process alone: the
    cache then lasts as long as the process."""
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    path = (state / "baikonur-pub" / "cache-key").absolute()
    if any(path.is_relative_to(Path(folder).absolute()) for folder in inside):
        return secrets.token_bytes(KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fresh = path.with_name(f".cache-key.{secrets.token_hex(4)}")
            fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
            try:
                os.link(fresh, path)  # the first process to make it wins; the others read it
            except FileExistsError:
                pass
            finally:
                fresh.unlink()
        key = path.read_bytes()
    except OSError:
        return secrets.token_bytes(KEY_BYTES)
    return key if len(key) == KEY_BYTES else secrets.token_bytes(KEY_BYTES)


def folder(pub: Publication) -> Path:
    """The cache folder: `<project>/.cache/baikonur-pub` unless BAIKONUR_CACHE names another."""
    return Path(os.environ.get(CACHE_ENV) or pub.root / ".cache" / "baikonur-pub")


class Cache:
    """The cache folder: `<project>/.cache/baikonur-pub` unless BAIKONUR_CACHE names another."""

    def __init__(self, pub: Publication, enabled: bool = True):
        self.dir = folder(pub)
        self.enabled = enabled
        self._inside = (pub.root, self.dir)
        environment.cache_key()  # a bad BAIKONUR_CACHE_KEY stops the run here, in one line
        # (its entries, in the folders below, may be links: read, they fail their signature;
        # written, the link itself is replaced)
        refuse_links(pub.root, self.dir, "the cache folder")

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.dir / kind / f"{key}{suffix}"

    def _signature(self, kind: str, key: str, suffix: str, data: bytes) -> str:
        mac = hmac.new(signing_key(*self._inside), f"{kind}/{key}{suffix}\n".encode(), hashlib.sha256)
        mac.update(data)
        return mac.hexdigest()

    def get(self, kind: str, key: str, suffix: str = "") -> bytes | None:
        """The entry, if it is signed with this user's key: a truncated, altered or planted
        entry is removed and counts as a miss (it is rebuilt)."""
        if not self.enabled:
            return None
        path = self._path(kind, key, suffix)
        try:
            data = path.read_bytes()
            expected = path.with_name(path.name + ".hmac").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not hmac.compare_digest(self._signature(kind, key, suffix, data), expected):
            for stale in (path, path.with_name(path.name + ".hmac")):
                stale.unlink(missing_ok=True)
            return None
        return data

    def put(self, kind: str, key: str, data: bytes, suffix: str = "") -> None:
        """Store atomically, signed; a cache that cannot be written only costs speed."""
        path = self._path(kind, key, suffix)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
            write_atomic(path.with_name(path.name + ".hmac"),
                         self._signature(kind, key, suffix, data).encode())
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
            "headings": [asdict(h) for h in edition.headings], "warnings": list(edition.warnings),
            "notices": [list(n) for n in edition.notices]}
