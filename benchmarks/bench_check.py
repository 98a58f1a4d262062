"""Time `baikonur-pub check`: the shipped manuscript, and a synthetic one 50 times its size.

Each figure is the median wall time of a fresh `python -m baikonur_pub check` process, so it
includes interpreter start and imports, as a user or CI would see it. The synthetic manuscript
repeats every chapter of both languages N times with the section IDs made unique, and keeps the
glossary. Run: `.venv/bin/python benchmarks/bench_check.py [--runs 5] [--scale 50]`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def synthetic(dest: Path, scale: int) -> Path:
    """A copy of the shipped project whose chapters are repeated `scale` times."""
    manuscript = dest / "manuscript"
    shutil.copytree(REPO / "manuscript", manuscript)
    shutil.copytree(REPO / "styles", dest / "styles")
    (manuscript / "parity-waivers.yaml").unlink(missing_ok=True)  # they name the original IDs
    (manuscript / "parity-sync.lock").unlink(missing_ok=True)
    config = yaml.safe_load((manuscript / "publication.yaml").read_text(encoding="utf-8"))
    for code, lang in config["languages"].items():
        chapters = []
        for copy in range(scale):
            for chapter in lang["chapters"]:
                text = (manuscript / chapter).read_text(encoding="utf-8")
                text = re.sub(r"\{#([\w-]+)", lambda m: f"{{#{m.group(1)}-{copy}", text)
                name = f"{code}/x{copy:03d}-{Path(chapter).name}"
                (manuscript / name).write_text(text, encoding="utf-8")
                chapters.append(name)
        lang["chapters"] = chapters
    (manuscript / "publication.yaml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                                 encoding="utf-8")
    return dest


def median_check(project: Path, runs: int) -> tuple[float, str]:
    times, last = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "check", "--project",
                               str(project)], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(proc.stderr)
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return statistics.median(times), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=50)
    args = parser.parse_args()
    shipped, summary = median_check(REPO, args.runs)
    print(f"check, shipped manuscript:        {shipped:6.3f} s median of {args.runs}  ({summary})")
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        for scale in sorted({max(1, args.scale // 5), args.scale}):
            project = synthetic(Path(tmp) / f"x{scale}", scale)
            seconds, summary = median_check(project, args.runs)
            print(f"check, {scale:3d}x synthetic manuscript: {seconds:6.3f} s median of "
                  f"{args.runs}  ({summary})")


if __name__ == "__main__":
    main()
