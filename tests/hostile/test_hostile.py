"""Hostile manuscripts: nothing leaks, runs, escapes, hangs or ships corrupt.

Each case in tests/hostile/cases/*.yaml breaks a copy of the `minimal` sample project the way
an attacker's pull request would. `{SECRET}` is a file outside the project holding a token,
`{PORT}` a loopback HTTP server that counts the requests it gets. Whatever the case, the build:
- ends in bounded time, with exit 0 or one located line and exit 1, never a traceback;
- puts the token in no artifact (EPUB and DOCX unzipped, PDF streams decompressed), no log,
  no report, no cache entry;
- makes no request to the server, runs no command, writes nothing outside --out and the cache,
  and leaves the manuscript as it was.
"""

from __future__ import annotations

import base64
import http.server
import io
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import copy_project, tree_hash

pytestmark = pytest.mark.slow  # a whole build in a subprocess per case

CASES = [(f.stem, case) for f in sorted((Path(__file__).parent / "cases").glob("*.yaml"))
         for case in yaml.safe_load(f.read_text(encoding="utf-8"))]
TOKEN = "TOKEN-7f3c9e1d-never-in-any-artifact"


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server API
        type(self).hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<style xmlns='http://purl.org/net/xbiblio/csl'/>")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def _substitute(value, names: dict[str, str]):
    if isinstance(value, str):
        for key, text in names.items():
            value = value.replace("{" + key + "}", text)
        return value
    if isinstance(value, list):
        return [_substitute(v, names) for v in value]
    if isinstance(value, dict):
        return {_substitute(k, names): _substitute(v, names) for k, v in value.items()}
    return value


def _apply(case: dict, root: Path) -> None:
    for rel, (old, new) in case.get("replace", {}).items():
        text = (root / rel).read_text(encoding="utf-8")
        assert old in text, f"{rel} lacks {old!r}"
        (root / rel).write_text(text.replace(old, new, 1), encoding="utf-8")
    for rel, text in case.get("write", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel, target in case.get("symlink", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).unlink(missing_ok=True)
        (root / rel).symlink_to(target)
    for rel in case.get("fifo", []):
        os.mkfifo(root / rel)
    for rel, kind in case.get("generate", {}).items():
        kind, _, count = kind.partition(":")
        with open(root / rel, "a" if kind != "alias-bomb" else "r+", encoding="utf-8") as handle:
            if kind == "alias-bomb":  # nine levels of nine aliases: 400 bytes, 387 million leaves
                text = handle.read()
                levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
                levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
                handle.seek(0)
                handle.write("\n".join(levels) + "\n" + text)
            elif kind == "nested-lists":
                handle.write("\n" + "".join("    " * i + "- a\n" for i in range(int(count))))
            elif kind == "nested-quotes":
                handle.write("\n" + "> " * int(count) + "deep\n")
            elif kind == "nested-math":  # \frac{\frac{…}{y}}{y}: XML as deep, in EPUB and DOCX
                handle.write("\n$" + "\\frac{" * int(count) + "x" + "}{y}" * int(count) + "$\n")
            elif kind == "unspaced-key":  # one key: pandoc reads every letter after `@` into it
                handle.write("\n如 @sec-nowhere" + "中" * int(count) + "。\n")
            elif kind == "nested-left":  # \left(…\right) pairs: each level doubles the drawing
                handle.write("\n$" + "\\left(" * int(count) + "x" + "\\right)" * int(count) + "$\n")
            elif kind == "distinct-formulas":  # each drawn anew, none costly alone
                depth = 10  # 12,279 units of drawing each, under the one-formula limit
                handle.write("".join("\n$" + "\\left(" * depth + f"x_{{{i}}}" + "\\right)" * depth
                                     + "$\n" for i in range(int(count))))
            elif kind == "cheap-formulas":  # `$x_{1}$`: each drawn in a moment, many of them
                handle.write("".join(f"\nTerm $x_{{{i}}}$ here.\n" for i in range(int(count))))
            elif kind == "han-formula":  # one formula's words: each glyph borrowed, drawn anew
                handle.write("\n$\\text{" + "".join(map(chr, range(0x4E00, 0x4E00 + int(count))))
                             + "}$\n")
            elif kind == "han-formulas":  # formulas each under the limit: 240 characters apiece
                handle.write("".join("\n$\\text{" + "".join(chr(0x4E00 + 240 * i + j) for j in range(240))
                                     + "}$\n" for i in range(int(count))))
            elif kind == "refused-links":  # each refusal located by scanning the chapter
                handle.write("".join(f"\nSee [x{i}](gopher:a{i}) here.\n" for i in range(int(count))))
            elif kind == "undefined-notes":  # each call located by scanning the chapter
                handle.write("".join(f"\nText[^n{i}] here.\n" for i in range(int(count))))
            elif kind == "numbered-labels":  # notes and links numbered from 1, as each chapter's
                handle.write("".join(f"\nNote[^{i}] and [link][{i}].\n\n[^{i}]: Note {i}.\n\n"
                                     f"[{i}]: https://example.org/{i}\n" for i in range(int(count))))
                handle.write("\nThen [@nobody1999].\n")  # stops the build after the parse
            elif kind == "broken-anchors-and-keys":
                handle.write("".join(f"\nAs [@nobody{i}] and [@sec-none{i}] say [here](#nowhere-{i}).\n"
                                     for i in range(int(count))))
            elif kind == "headings-linking-nowhere":  # each link was searched against every ID
                handle.write("".join(f"\n## Part {i}\n\nSee [there](#nowhere-{i}).\n"
                                     for i in range(int(count))))
            elif kind == "sections":  # headings without IDs: paired by comparing each two
                handle.write("".join(f"\n## Part {i}\n\nText {i}.\n" for i in range(int(count))))
            elif kind == "paragraphs":  # one section's blocks: paired by comparing each two
                handle.write("".join(f"\nParagraph {i} of one long section.\n"
                                     for i in range(int(count))))
            elif kind == "linked-paragraphs":  # two blocks' URLs compare letter by letter
                handle.write("".join(f"\nSee [page {i}](https://example.org/p{i}).\n"
                                     for i in range(int(count))))
            elif kind == "reserved-headings":  # `# fn1` … : each one a heading to rename
                handle.write("".join(f"\n# fn{i}\n\nx\n" for i in range(1, int(count) + 1)))
                handle.write("\nThen [@nobody1999].\n")  # stops the build after the parse
            elif kind == "indented-paths":  # each line's list item was searched for upwards
                handle.write("\nCode:\n\n" + "".join(f"    cp a/{i} b/{{x}}\n" for i in range(int(count))))
                handle.write("\nThen [@nobody1999].\n")  # stops the build after the parse
            elif kind == "raw-table-rows":  # a raw HTML table: pandoc gives each tag a block
                handle.write("\n<table>\n<thead><tr><th>Row</th><th>Value</th></tr></thead>\n"
                             + "".join(f"<tr><td>row {i}</td><td>*{i}*</td></tr>\n"
                                       for i in range(int(count))) + "</table>\n")
                handle.write("\nThen [@nobody1999].\n")  # stops the build after the parse
            elif kind == "spaced-if":  # a Svelte block's line: each split of its spaces tried
                handle.write("\n{#if a" + " " * int(count) + "x\n")
            elif kind == "spaced":  # `spaced:N:opener|after`: a line of N spaces between the two
                n, _, ends = count.partition(":")
                opener, _, after = ends.partition("|")
                handle.write("\n" + opener.replace("\\n", "\n") + " " * int(n) + after.replace("\\n", "\n") + "\n")
            elif kind == "repeated":  # `repeated:N:opener|unit|after`: a line of N characters of unit
                n, _, parts = count.partition(":")
                opener, *middle, after = parts.split("|")  # the unit may hold a `|`
                unit = "|".join(middle)
                handle.write("\n" + opener + (unit * (int(n) // len(unit) + 1))[:int(n)] + after + "\n")
            elif kind == "long-word":  # laid out whole for each of its lines
                handle.write("\n" + "".join(chr(97 + i % 26) for i in range(int(count))) + "\n")
            elif kind == "long-cell":  # a cell's narrowest width: its text laid out at each letter
                words = " ".join(f"w{i}" for i in range(int(count)))
                handle.write(f"\n| Words | n |\n|---|---|\n| {words} | 1 |\n")
            elif kind == "unclosed-comments":  # each `/*` was searched for its `*/` to the end
                handle.write("\n```c\n" + "/* x\n" * int(count) + "```\n")
            elif kind.startswith("code-lines"):  # two blocks of few shapes, aligned to find renamings
                step = 7 if kind.endswith("-shuffled") else 1
                handle.write("\n```python\n" + "".join(f"x = {i * step % 400}\n"
                                                      for i in range(int(count))) + "```\n")
            elif kind == "number-words":  # one paragraph of numbers in words among words
                handle.write("\n" + " ".join(["twenty", "one", "the", "cat", "and"] * int(count)) + "\n")
            elif kind.startswith("numerals"):  # one paragraph's numbers, each changed in the other
                shift = 1 if kind.endswith("-changed") else 0
                handle.write("\n" + " ".join(f"item {i * 3 + shift} and" for i in range(int(count)))
                             + "\n")
            elif kind == "big":
                handle.write("Words repeated to make a chapter far larger than any report's.\n"
                             * (int(count) // 60))


def _texts(folder: Path) -> list[tuple[str, bytes]]:
    """Every byte a reader could get at: files, zip entries, decompressed PDF streams (not
    through a link a case planted: the build wrote none)."""
    import pikepdf

    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        data = path.read_bytes()
        found.append((str(path), data))
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                found += [(f"{path}!{name}", archive.read(name)) for name in archive.namelist()]
        elif data[:5] == b"%PDF-":
            with pikepdf.open(io.BytesIO(data)) as pdf:
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Stream):
                        try:
                            found.append((f"{path}!stream", obj.read_bytes()))
                        except pikepdf.PdfError:
                            found.append((f"{path}!raw", obj.read_raw_bytes()))
    return found


def _outside(tmp: Path, skip: set[Path]) -> set[str]:
    return {str(p.relative_to(tmp)) for p in tmp.rglob("*")
            if not any(p == s or p.is_relative_to(s) for s in skip)}


@pytest.mark.parametrize("group,case", CASES, ids=[f"{g}-{c['name']}" for g, c in CASES])
def test_hostile_manuscript_cannot_leak_run_escape_or_hang(tmp_path, server, group, case):
    secret = tmp_path / "secret" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{TOKEN}\n", encoding="utf-8")
    (tmp_path / "secret" / "secret.yaml").write_text(f"terms: [{{it: {TOKEN}, en: {TOKEN}}}]\n")
    (tmp_path / "secret" / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + TOKEN.encode())
    root = copy_project("minimal", tmp_path / "p")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(f"[remote]\n\ttoken = {TOKEN}\n")
    names = {"SECRET": str(secret), "SECRET_DIR": str(secret.parent), "PORT": str(server),
             "PWNED": str(tmp_path / "PWNED")}
    case = _substitute(case, names)
    _apply(case, root)
    out, cache = root / "dist", tmp_path / "cache"
    env = {**os.environ, "BAIKONUR_CACHE": str(cache), **case.get("env", {})}
    env.pop("SOURCE_DATE_EPOCH", None) if "SOURCE_DATE_EPOCH" not in case.get("env", {}) else None
    manuscript_before = tree_hash(root / "manuscript") if not case.get("fifo") else None
    outside_before = _outside(tmp_path, {out, cache})
    hits_before = len(_Counter.hits)
    args = case.get("args", ["build", "--project", str(root), "--out", str(out)])
    try:
        proc = subprocess.run([sys.executable, "-m", "baikonur_pub", *args], capture_output=True,
                              text=True, cwd=root, env=env, timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case['name']}: the build hung")

    assert "Traceback" not in proc.stderr, proc.stderr
    expect = case.get("expect", "error")
    if expect == "ok":
        assert proc.returncode == 0, proc.stderr
    else:
        assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        # one located line per problem (an environment variable names itself)
        assert lines and all(re.match(r"^(\S+(:\d+)?: |[A-Z_]+ must be )", line)
                             for line in lines), proc.stderr
        if case.get("message"):
            assert any(re.search(case["message"], line) for line in lines), lines  # after warnings
    leaks = [TOKEN.encode(), base64.b64encode(TOKEN.encode())[:24]]
    assert not any(t.encode() in (proc.stdout + proc.stderr).encode() for t in (TOKEN,))
    planted = {root / rel for rel in case.get("symlink", {})}
    for folder in (out, cache):  # a link a reader would follow to the secret: only the case's
        made = [p for p in ([folder] if folder.is_symlink() else folder.rglob("*")) if p.is_symlink()]
        assert set(made) <= planted, f"the build made a symlink: {sorted(set(made) - planted)}"
    # An output folder the case made a symlink (to the secret's folder) is no build's output:
    # what a build wrote through it would show as a file outside --out (below).
    for where, data in (_texts(out) if not out.is_symlink() else []) + _texts(cache):
        assert not any(leak in data for leak in leaks), f"the secret leaked into {where}"
        if where.endswith("manifest.json"):
            assert str(tmp_path).encode() not in data, "an absolute path is published"
    assert len(_Counter.hits) == hits_before, f"the build fetched {_Counter.hits[hits_before:]}"
    assert not (tmp_path / "PWNED").exists(), "a command ran"
    assert _outside(tmp_path, {out, cache}) == outside_before, "a file appeared outside --out"
    if manuscript_before is not None:
        assert tree_hash(root / "manuscript") == manuscript_before
