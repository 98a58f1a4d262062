"""`make bench`, preview part: from a chapter's save to the browser's update event, and to
the edited language's PDF laid out again.

A real `baikonur-pub preview` runs on a copy of the shipped manuscript (and of it scaled 10×,
as bench.py scales it); an event-stream client stands in for the browser. Each run appends a
new sentence to one chapter and times, from the write, the `update` event holding the
sentence and the `pdf` event of that language for that version. Medians of the runs.

    python benchmarks/bench_preview.py [--runs N] [--scale 10] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench import copy_project  # noqa: E402
from baikonur_pub import config  # noqa: E402
from preview_server import PreviewProcess  # noqa: E402

TARGETS = {1: (0.3, 1.5), 10: (1.0, None)}  # scale → (update event, PDF) medians required, s


def _has(payload: dict, text: str) -> bool:
    pieces = [payload.get("rows", "")] + [r["html"] for r in payload.get("replace", [])]
    return any(text in piece for piece in pieces)


def measure(root: Path, runs: int, pdf: bool) -> tuple[list[float], list[float]]:
    chapter = config.load(root).language("en").chapters[0]
    original = chapter.read_text(encoding="utf-8")
    server = PreviewProcess(root)
    updates, pdfs = [], []
    try:
        events = server.events("view=pdf")
        # The first layouts (the workers import WeasyPrint) are not what a save costs.
        waiting = set(config.load(root).codes)
        while waiting:  # in whichever order they finish
            waiting.discard(events.wait_for("pdf", lambda d: d["serial"] >= 1, timeout=300)["lang"])
        for n in range(runs):
            # no digits: a number on one side only would be marked, splitting the sentence
            sentence = f"Benchmark sentence {chr(ord('a') + n % 26) * 3} for the preview."
            start = time.perf_counter()
            chapter.write_text(original + f"\n{sentence}\n", encoding="utf-8")
            version = events.wait_for("update", lambda d: _has(d, sentence), timeout=120)["version"]
            updates.append(time.perf_counter() - start)
            if pdf:
                events.wait_for("pdf", lambda d: d["lang"] == "en" and d["version"] >= version
                                and d["ok"], timeout=120)
                pdfs.append(time.perf_counter() - start)
            else:  # let the layout finish (a minute at most): the next save is timed on a
                try:  # quiet machine
                    events.wait_for("pdf", lambda d: d["lang"] == "en" and d["version"] >= version,
                                    timeout=60)
                except TimeoutError:
                    events.close()
                    events = server.events("view=pdf")
            time.sleep(0.3)
        events.close()
    finally:
        chapter.write_text(original, encoding="utf-8")
        server.stop()
    return updates, pdfs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scale", default="10", help="comma-separated scale factors ('' to skip)")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks/results/preview.json")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `finally` stops the preview
    rows = []
    work = Path(tempfile.mkdtemp(prefix="baikonur-bench-preview-"))
    try:
        for scale in [1] + [int(s) for s in args.scale.split(",") if s.strip()]:
            root = copy_project(work / f"scale-{scale}", scale)
            updates, pdfs = measure(root, args.runs, pdf=scale == 1)
            limit_update, limit_pdf = TARGETS.get(scale, (None, None))
            name = "shipped manuscript" if scale == 1 else f"{scale}x manuscript"
            rows.append({"case": f"preview, {name}: save → update event", "seconds": statistics.median(updates),
                         "max": max(updates), "target": limit_update})
            if pdfs:
                rows.append({"case": f"preview, {name}: save → PDF laid out again",
                             "seconds": statistics.median(pdfs), "max": max(pdfs), "target": limit_pdf})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, args.json)


def report(rows: list[dict], path: Path) -> None:
    from bench import write_table

    def met(r: dict) -> str:
        return "" if r["target"] is None else ("yes" if r["seconds"] <= r["target"] else "NO")

    write_table("baikonur-pub preview (medians of the runs)",
                ("case", "median s", "max s", "target s", "met"),
                [[r["case"], f"{r['seconds']:.3f}", f"{r['max']:.3f}",
                  "" if r["target"] is None else f"{r['target']:.1f}", met(r)] for r in rows],
                rows, path)


if __name__ == "__main__":
    main()
