"""dist/manifest.json and dist/SHA256SUMS: what went in, which tools, what came out.

Both are deterministic (no wall-clock time, sorted keys), so two builds of the same inputs give
byte-identical files. Artifacts another build put in the same folder (a CI job per language)
stay listed as long as their files still match, so the last build's manifest covers them all.
"""

from __future__ import annotations

import json
from pathlib import Path

from .cache import Keys, sha256

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"


def read(out: Path) -> dict:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and data.get("version") == 1 else {}
    except (OSError, ValueError):
        return {}


def contents(pub, out: Path, keys: Keys, outputs: dict[str, tuple]) -> dict[str, bytes]:
    """manifest.json and SHA256SUMS for `outputs` (name → (artifact, bytes)) and the other
    artifacts `out` still holds, as bytes to write with the artifacts."""
    entries = {}
    for name, entry in read(out).get("outputs", {}).items():
        path = out / name
        if name not in outputs and path.is_file() and sha256(path.read_bytes()) == entry.get("sha256"):
            entries[name] = entry
    for name, (artifact, data) in outputs.items():
        entries[name] = {"lang": artifact.lang, "format": artifact.fmt, "size": len(data),
                         "sha256": sha256(data)}
    extra = {p.name: {"size": p.stat().st_size, "sha256": sha256(p.read_bytes())}
             for p in sorted(out.glob("*")) if p.is_file() and p.name not in entries
             and p.name not in (MANIFEST, SUMS) and not p.name.startswith(".")
             and p.name.startswith(pub.slug)}
    entries.update(extra)
    data = {
        "version": 1,
        "slug": pub.slug,
        "source_date_epoch": keys.epoch,
        "tools": keys.versions,
        "inputs": keys.hashes,
        "outputs": dict(sorted(entries.items())),
    }
    sums = "".join(f"{e['sha256']}  {name}\n" for name, e in sorted(entries.items()))
    return {MANIFEST: (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode(),
            SUMS: sums.encode()}


def check_sums(out: Path) -> list[tuple[str, str]]:
    """(file, problem) for every line of SHA256SUMS that does not match; [] when all match."""
    sums = out / SUMS
    if not sums.is_file():
        return [(str(sums), "missing")]
    problems = []
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        digest, _, name = line.partition("  ")
        path = out / name
        if not name or "/" in name or len(digest) != 64:
            problems.append((f"{sums}:{number}", "malformed line"))
        elif not path.is_file():
            problems.append((str(path), "listed in SHA256SUMS but missing"))
        elif sha256(path.read_bytes()) != digest:
            problems.append((str(path), "SHA-256 does not match SHA256SUMS"))
    return problems
