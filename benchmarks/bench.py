"""`make bench`: baikonur-pub against the plain script a user would write, in one run.

Every figure is a median of several runs on this machine, reported as a ratio against the
baseline measured in the same run (shared machines are noisy; absolute seconds are not).

    python benchmarks/bench.py [--runs N] [--scale 10,50] [--json FILE]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from baikonur_pub import bibliography, config  # noqa: E402
from baikonur_pub.pandoc import Pandoc  # noqa: E402
from baikonur_pub.pandoc_readers import end_readers  # noqa: E402

BIN = Path(sys.executable).parent
CLI = [str(BIN / "baikonur-pub")]


def tree_memory(pid: int) -> tuple[int, int]:
    """(PSS of a process and all its descendants, largest single RSS), in bytes, from /proc.

    PSS divides pages shared between processes (forked workers share most of theirs) among
    them, so the sum is the tree's real footprint; RSS would count shared pages once per process."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, largest, stack = 0, 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    largest = max(largest, int(line.split()[1]) * 1024)
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total, largest


WATCH_MEMORY = False  # set by `median` for its one watched run
CPU: list[float] = []  # CPU seconds of every command `timed` ran, in order


def become_subreaper() -> bool:
    """Orphaned descendants of a benchmarked command (a process pool's server outliving the
    build by a moment) are then reparented to this process, which reaps them, so their CPU time
    is counted in RUSAGE_CHILDREN like everyone else's (Linux prctl PR_SET_CHILD_SUBREAPER)."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_orphans() -> None:
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def timed(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall time; when memory is measured (see `median`), also the peak memory (PSS) of the
    whole process tree and the peak RSS of its largest process, else zeros. The CPU time of the
    whole tree (user + system, every descendant) is appended to CPU."""
    cpu = _children_cpu()
    try:
        return _timed(cmd, env, cwd)
    finally:
        _reap_orphans()
        CPU.append(_children_cpu() - cpu)


def _timed(cmd: list[str], env: dict | None, cwd: Path | None) -> tuple[float, int, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})}, cwd=cwd)
    peak = largest = 0
    if not WATCH_MEMORY:
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err.decode()}")
        return time.perf_counter() - start, 0, 0
    done = threading.Event()

    def sample():
        nonlocal peak, largest
        while not done.is_set():
            total, big = tree_memory(proc.pid)
            peak, largest = max(peak, total), max(largest, big)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err.decode()}")
    return elapsed, peak, largest


def median(fn, runs: int) -> tuple[float, int, int, float]:
    """Median wall time of `runs` runs, the memory of one more run, and the median CPU time
    (whole process tree) of the timed runs.

    Memory is sampled from /proc every 50 ms by a thread of this process: on a machine with
    few cores that steals CPU from a parallel build (less from a sequential script), so the
    timed runs go unobserved and one extra run is watched."""
    global WATCH_MEMORY
    walls, cpus = [], []
    for _ in range(runs):
        before = len(CPU)
        walls.append(fn()[0])
        cpus.append(sum(CPU[before:]))
    WATCH_MEMORY = True
    try:
        _, peak, largest = fn()
    finally:
        WATCH_MEMORY = False
    return statistics.median(walls), peak, largest, statistics.median(cpus)


def copy_project(dest: Path, scale: int = 1) -> Path:
    shutil.copytree(REPO / "styles", dest / "styles")
    shutil.copytree(REPO / "manuscript", dest / "manuscript")
    if scale > 1:
        scale_manuscript(dest, scale)
    return dest


def scale_manuscript(root: Path, scale: int) -> None:
    """Repeat every chapter `scale` times, heading IDs suffixed so they stay unique (and the
    cross-check's waivers repeated for the suffixed sections)."""
    import re

    import yaml

    cfg_path = root / "manuscript/publication.yaml"
    cfg = yaml.safe_load(cfg_path.read_text(encoding="utf-8"))
    for lang in cfg["languages"].values():
        chapters = []
        for copy in range(scale):
            for rel in lang["chapters"]:
                text = (root / "manuscript" / rel).read_text(encoding="utf-8")
                if copy:
                    text = re.sub(r"\{#([\w-]+)", lambda m: f"{{#{m.group(1)}-{copy}", text)
                    rel = rel.replace(".md", f"-x{copy}.md")
                    (root / "manuscript" / rel).write_text(text, encoding="utf-8")
                chapters.append(rel)
        lang["chapters"] = chapters
    cfg_path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    waivers_path = root / "manuscript" / cfg.get("waivers", "parity-waivers.yaml")
    if waivers_path.is_file():  # each copy of a section keeps its reviewed differences
        data = yaml.safe_load(waivers_path.read_text(encoding="utf-8")) or {}
        waivers = data.get("waivers") or []
        data["waivers"] = waivers + [dict(w, section=f"{w['section']}-{copy}")
                                     for copy in range(1, scale) for w in waivers if w.get("section")]
        waivers_path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                encoding="utf-8")


def baseline_script(root: Path, out: Path) -> list[list[str]]:
    """The commands of the plain script: one pandoc --citeproc per artifact, WeasyPrint's CLI.

    For a fair comparison the script asks for what baikonur-pub produces: the same print CSS
    with the same fonts, and the EPUB with its stylesheet and embedded fonts."""
    from baikonur_pub.render.html import fonts

    pub = config.load(root)
    pandoc = Pandoc.locate()
    bib = bibliography.load(pub)
    faces = fonts()
    font_css = out / "fonts.css"
    font_css.write_text("".join(
        f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
        f'font-style: {f.style}; src: url("{f.url}"); }}\n' for f in faces), encoding="utf-8")
    embed = [f"--epub-embed-font={f.url.removeprefix('file://')}" for f in faces]
    from baikonur_pub.render import fonts as fallbacks

    pdf_css, epub_css = out / "pdf.css", out / "epub.css"  # family lists written out (fonts.yaml)
    pdf_css.write_text(fallbacks.stylesheet(pub, "pdf.css", "pdf", ""), encoding="utf-8")
    epub_css.write_text(fallbacks.stylesheet(pub, "epub.css", "epub"), encoding="utf-8")
    commands = []
    for lang in pub.languages:
        refs = out / f"refs-{lang.code}.yaml"  # a user keeps one bibliography file per language
        refs.write_text(bib.dump_for_language(lang.code, pub.codes), encoding="utf-8")
        common = [pandoc.path, "--citeproc", f"--bibliography={refs}", "-M", f"lang={lang.locale}",
                  "-M", f"title={lang.title}", "--number-sections",
                  *[str(p) for p in lang.files]]
        html = out / f"{lang.code}.html"
        commands += [
            [*common, "-s", f"--css={font_css}", f"--css={pdf_css}",
             "-o", str(html)],
            [str(BIN / "weasyprint"), str(html), str(out / f"{lang.code}.pdf")],
            [*common, f"--css={epub_css}", *embed, "-o", str(out / f"{lang.code}.epub")],
            [*common, "-o", str(out / f"{lang.code}.docx")],
        ]
    return commands


def run_script(commands: list[list[str]]) -> tuple[float, int, int]:
    start, peak = time.perf_counter(), 0
    for cmd in commands:
        _, pss, _ = timed(cmd)
        peak = max(peak, pss)
    return time.perf_counter() - start, peak, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scale", default="10,50", help="comma-separated scale factors ('' to skip)")
    parser.add_argument("--json", type=Path, default=REPO / "benchmarks/results/bench.json")
    args = parser.parse_args()
    if not become_subreaper():
        print("bench: cannot become a subreaper; CPU times may miss orphaned processes")
    rows: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="baikonur-bench-"))
    try:
        root = copy_project(work / "project")
        script_out = work / "script"
        script_out.mkdir()
        commands = baseline_script(root, script_out)
        base, base_mem, base_rss, base_cpu = median(lambda: run_script(commands), args.runs)
        rows.append(row("baseline: plain script (pandoc per artifact + weasyprint CLI)",
                        base, 1.0, base_mem, base_rss, base_cpu, 1.0))

        def build(*extra, cache: Path, out: Path):
            return timed([*CLI, "build", "--project", str(root), "--out", str(out), *extra],
                         env={"BAIKONUR_CACHE": str(cache)})

        counter = iter(range(10**6))

        def cold():
            n = next(counter)
            return build(cache=work / f"cold-cache-{n}", out=work / f"cold-out-{n}")

        warm_cache, warm_out = work / "warm-cache", work / "warm-out"
        build(cache=warm_cache, out=warm_out)
        chapter = root / "manuscript" / config.load(root).languages[0].chapters[0].relative_to(root / "manuscript")
        original = chapter.read_text(encoding="utf-8")

        def one_chapter():
            n = next(counter)
            chapter.write_text(original + f"\nEdit number {n}.\n", encoding="utf-8")
            return build(cache=warm_cache, out=warm_out)

        # The script makes six artifacts; the build also makes the bilingual ones (facing
        # PDF, review DOCX). Like for like first: the same project with those switched off.
        six = copy_project(work / "six")
        with open(six / "manuscript/publication.yaml", "a", encoding="utf-8") as handle:
            handle.write("\nbilingual: {facing-pdf: false, review-docx: false}\n")

        def build_six(cache: Path, out: Path):
            return timed([*CLI, "build", "--project", str(six), "--out", str(out)],
                         env={"BAIKONUR_CACHE": str(cache)})

        def cold_six():
            n = next(counter)
            return build_six(work / f"six-cache-{n}", work / f"six-out-{n}")

        build_six(work / "six-warm-cache", work / "six-warm-out")
        six_chapter = six / chapter.relative_to(root)

        def one_chapter_six():
            n = next(counter)
            six_chapter.write_text(original + f"\nEdit number {n}.\n", encoding="utf-8")
            return build_six(work / "six-warm-cache", work / "six-warm-out")

        cases = [("baikonur-pub build, cold, the script's 6 artifacts", cold_six),
                 ("baikonur-pub build, cold, all 8 (+ facing PDF, review DOCX)", cold),
                 ("baikonur-pub build, no-op", lambda: build(cache=warm_cache, out=warm_out)),
                 ("baikonur-pub build, one chapter edited, 6 artifacts", one_chapter_six),
                 ("baikonur-pub build, one chapter edited, all 8", one_chapter)]
        if subprocess.run([*CLI, "check", "--help"], capture_output=True).returncode == 0:
            def check(cache: Path):
                return timed([*CLI, "check", "--project", str(root)], env={"BAIKONUR_CACHE": str(cache)})

            cases += [("baikonur-pub check, cold (nothing parsed yet)",
                       lambda: check(work / f"check-cache-{next(counter)}")),
                      ("baikonur-pub check, again (each language's parse cached)",
                       lambda: check(work / "check-cache"))]
        for name, fn in cases:
            seconds, mem, rss, cpu = median(fn, args.runs)
            rows.append(row(name, seconds, seconds / base, mem, rss, cpu, cpu / base_cpu))
        chapter.write_text(original, encoding="utf-8")

        for scale in [int(s) for s in args.scale.split(",") if s.strip()]:
            rows += scale_rows(work, scale, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, args.json)


def row(case: str, seconds: float, ratio: float, mem: int, rss: int, cpu: float = 0.0,
        cpu_ratio: float = 0.0) -> dict:
    return {"case": case, "seconds": seconds, "ratio": ratio, "peak_pss_mb": mem / 2**20,
            "largest_rss_mb": rss / 2**20, "cpu_seconds": cpu, "cpu_ratio": cpu_ratio}


def scale_rows(work: Path, scale: int, runs: int) -> list[dict]:
    """Full build of the N× manuscript against WeasyPrint alone on the same HTML: the script's
    six artifacts, then all eight (the facing PDF lays out both languages once more)."""
    root = copy_project(work / f"scale-{scale}", scale)
    six = copy_project(work / f"scale-{scale}-six", scale)
    with open(six / "manuscript/publication.yaml", "a", encoding="utf-8") as handle:
        handle.write("\nbilingual: {facing-pdf: false, review-docx: false}\n")
    sys.path.insert(0, str(REPO / "src"))
    from baikonur_pub import build as builder
    from baikonur_pub.render import RenderContext, fonts, html

    pub = config.load(root)
    pandoc = Pandoc.locate().with_epoch(0)
    eds = builder.editions(pub, pub.codes, pandoc)
    end_readers()  # the kept readers are children: `_reap_orphans` would wait for them
    bare = {}
    for code, edition in eds.items():
        page = work / f"scale-{scale}-{code}.html"
        page.write_text(html.page(edition, RenderContext(pandoc, 0)), encoding="utf-8")
        css = work / f"scale-{scale}-{code}.css"  # the family lists the build writes out
        css.write_text(fonts.stylesheet(pub, "pdf.css", "pdf", page.read_text(encoding="utf-8"),
                                        code), encoding="utf-8")
        variant = [] if pub.pdf.variant == "none" else ["--pdf-variant", pub.pdf.variant, "--pdf-tags"]
        bare[code] = median(lambda: timed([str(BIN / "weasyprint"), "-s", str(css), *variant,
                                           "-u", pub.manuscript.as_uri() + "/", str(page),
                                           str(work / f"bare-{code}.pdf")]), runs)
    slower = max(bare.values())
    n = iter(range(10**6))
    def cold(project: Path):
        return median(lambda: timed([*CLI, "build", "--project", str(project), "--out",
                                     str(work / f"scale-out-{next(n)}")],
                                    env={"BAIKONUR_CACHE": str(work / f"scale-cache-{next(n)}")}),
                      runs)

    rows = [row(f"{scale}x: bare WeasyPrint render (same HTML, CSS, PDF variant), slower language",
                slower[0], 1.0, slower[1], slower[2], slower[3], 1.0)]
    for name, project in ((f"{scale}x: baikonur-pub build, cold, the script's 6 artifacts", six),
                          (f"{scale}x: baikonur-pub build, cold, all 8", root)):
        full = cold(project)
        rows.append(row(name, full[0], full[0] / slower[0], full[1], full[2], full[3],
                        full[3] / slower[3]))
    return rows


def write_table(title: str, columns: tuple[str, ...], cells: list[list[str]], rows: list[dict],
                path: Path) -> None:
    """Print the rows as a table and write them as JSON (shared with bench_preview.py)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="left" if column == "case" else "right")
    for line in cells:
        table.add_row(*line)
    Console(width=150).print(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def report(rows: list[dict], path: Path) -> None:
    write_table("baikonur-pub benchmark (medians; ratio against the row's baseline)",
                ("case", "seconds", "ratio", "CPU s (tree)", "CPU ratio", "peak PSS MB (tree)",
                 "largest RSS MB"),
                [[r["case"], f"{r['seconds']:.3f}", f"{r['ratio']:.3f}", f"{r['cpu_seconds']:.2f}",
                  f"{r['cpu_ratio']:.2f}", f"{r['peak_pss_mb']:.0f}", f"{r['largest_rss_mb']:.0f}"]
                 for r in rows], rows, path)


if __name__ == "__main__":
    main()
