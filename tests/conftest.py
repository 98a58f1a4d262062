"""Shared fixtures: sample projects copied to a temporary folder; what many tests read, made once.

Made once per test session, and once for all pytest-xdist workers (`make test` runs two), through
`shared(tmp_path_factory, key, make)`: the first worker to ask makes the folder under a file lock,
the others wait and read it. Everything made this way is read-only for the tests.

- `project(name)`: a writable copy of tests/roots/<name>, for a test that edits or builds it.
- `built_project(name)`: a writable copy of tests/roots/<name> after its first build (dist/,
  .cache/), that build made once per session: for tests of rebuilds, Ctrl-C, verify.
- `short_tmp_path`: an empty folder with a short path (TMPDIR for a build: socket paths).
- `shipped_dist`: the repository's own report built in every language and format.
- `sample_dist(name)` (also `build_sample(tmp_path_factory, name, fmt)`): tests/roots/<name>
  built in every language and format; the build's output is in `<dist>/../build-output.txt`.
- `content_dist`: tests/roots/content (cross-references, quotes, code) built once in this
  process (`jobs=1`, the fast path), for the tests that read what each format made of them.
- `epubcheck_of(path)`: EPUBCheck's result for an EPUB of `shipped_dist`, `content_dist` or of
  the sample projects in EPUBCHECKED, all checked in one JVM (Java costs seconds to start). Call it
  through `checked(epubcheck_of, path)`, as `validate.epubcheck`.
- `libreoffice_pdf_of(path)`: the PDF LibreOffice makes of a DOCX of `shipped_dist` or of
  LIBREOFFICE_CONVERTED, each converted once for all the tests; through `checked(...)` too.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from filelock import FileLock

from baikonur_pub.cli import main
from baikonur_pub import environment
from baikonur_pub.environment import in_ci

# A bug of ours (an exception no stage turned into a located error) raises with its traceback
# in every test, in this process and the builds it starts, instead of the command's one line
# "internal error (...)": a rare one then says where it happened (CI saw an empty report on
# 3.13, once, and nothing else). test_an_exception_of_ours_is_one_line_without_debug tests
# the line itself.
os.environ.setdefault("BAIKONUR_DEBUG", "1")

# The tests build in this process as the command does in its own: with fewer collections.
environment.collect_less()

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / "roots"


_UNGROUPED = pytest.StashKey[bool]()


# Session builds of whole sample projects in every format: a test reading one is end-to-end.
WHOLE_BUILDS = {"content_dist", "shipped_dist", "sample_dist"}


# Helpers that render an artifact with the real renderers: a test calling one is end-to-end too.
RENDERS = {"draft", "build_pdfs"}


def _names(code) -> set[str]:
    """The global names a function's code reads, its lambdas' and comprehensions' included."""
    return set(code.co_names).union(*(_names(c) for c in code.co_consts if hasattr(c, "co_names")))


@pytest.hookimpl(tryfirst=True)  # before `-m 'not slow'` deselects
def pytest_itemcollected(item):
    """A test that reads a whole build, or renders one with `draft`, is marked slow, so `make
    test-fast` never builds one (tests/roots/content's build cost each fast run 3.8 s of its
    19; a long code block's PDF, unmarked, 7.6 s of 58)."""
    function = getattr(item, "function", None)
    if (WHOLE_BUILDS & set(getattr(item, "fixturenames", ()))
            or function is not None and RENDERS & _names(function.__code__)) \
            and not item.get_closest_marker("slow"):
        item.add_marker(pytest.mark.slow)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """`--dist loadgroup` must really group: the preview's tests share one server and the
    content tests one build only on one worker. pytest 9.2 silently broke the grouping
    (pytest-xdist#1386: xdist marks a group in `item._nodeid`, which pytest 9.2 no longer
    reads); every grouped test then fails, saying so, rather than the run doing the work twice."""
    if getattr(config.option, "loadgroup", False):  # set in xdist's workers
        for item in items:
            if item.get_closest_marker("xdist_group") and "@" not in item.nodeid.rsplit("]", 1)[-1]:
                item.stash[_UNGROUPED] = True
        # A group is one unit of work, handed out in collection order: the groups first, so
        # the single tests even out the workers' ends (`make test-fast`: one worker finished
        # 0.9 s after the other when the preview's group came near the end).
        items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


def pytest_runtest_setup(item):
    if item.stash.get(_UNGROUPED, False):
        pytest.fail("pytest-xdist's --dist loadgroup did not group this test (pytest-xdist#1386; "
                    "pyproject.toml pins pytest below 9.2 for it)", pytrace=False)


def copy_project(name: str, dest: Path) -> Path:
    """A writable copy of tests/roots/<name> (or of the repository's own project for 'shipped'),
    with the repository's styles/ beside its manuscript."""
    source = REPO if name == "shipped" else ROOTS / name
    shutil.copytree(source / "manuscript", dest / "manuscript")
    shutil.copytree(source / "styles" if (source / "styles").is_dir() else REPO / "styles",
                    dest / "styles")
    return dest


def tree_hash(folder: Path) -> str:
    """One hash over every file's relative path and bytes (for 'nothing changed' checks)."""
    digest = hashlib.sha256()
    if folder.exists():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def descendants(pid: int) -> set[int]:
    """Every living process below `pid` (from /proc: children of children too)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def checked(function, *args):
    """Run a validator; without it, skip outside CI and fail under CI=true."""
    from baikonur_pub import validate

    try:
        return function(*args)
    except validate.ValidatorMissing as exc:
        if in_ci():
            pytest.fail(f"validator missing under CI: {exc.message}")
        pytest.skip(exc.message)


def need(command: str) -> str:
    """The path of a command a test runs; without it, skip outside CI and fail under CI=true."""
    path = shutil.which(command)
    if path is None:
        message = f"{command} is not installed (Debian: poppler-utils, libreoffice-writer-nogui…)"
        if in_ci():
            pytest.fail(f"missing under CI: {message}")
        pytest.skip(message)
    return path


def shared(tmp_path_factory, key: str, make) -> Path:
    """The folder `make(folder)` fills, made once for the session and every xdist worker."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the workers' basetemps are siblings in one session folder
    folder = base / "shared" / key
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{folder}.lock"):
        if not (base / "shared" / f"{key}.done").exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            make(folder)
            (base / "shared" / f"{key}.done").touch()
    return folder


def _build_all(name: str, folder: Path) -> None:
    root = copy_project(name, folder)
    result = run_cli("build", "--project", str(root), "--out", str(root / "dist"))
    (root / "build-output.txt").write_text(result.output, encoding="utf-8")
    assert result.exit_code == 0, result.output


def build_sample(tmp_path_factory, name: str, fmt: str | None = None) -> Path:
    """tests/roots/<name> built once per session in every format; the folder holding the
    artifacts (`fmt`, the format a test reads, is among them). Read-only."""
    return shared(tmp_path_factory, f"sample-{name}", lambda folder: _build_all(name, folder)) / "dist"


def built_twice(tmp_path_factory, tmp_path: Path, fmt: str, lang: str, name: str = "notes",
                artifact: str | None = None) -> tuple[Path, Path]:
    """The same artifact of tests/roots/<name> (`artifact`, default <name>-<lang>.<fmt>) built
    twice: now, alone (that format and language only) from a copy in `tmp_path`/p into
    `tmp_path`/a, and earlier in the session's build of every format (`build_sample`)."""
    root = copy_project(name, tmp_path / "p")
    result = run_cli("build", "--project", str(root), "--format", fmt, "--lang", lang,
                     "--out", str(tmp_path / "a"))
    assert result.exit_code == 0, result.output
    name_of = artifact or f"{name}-{lang}.{fmt}"
    return tmp_path / "a" / name_of, build_sample(tmp_path_factory, name) / name_of


def run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def append(root: Path, chapter: str, text: str) -> None:
    """Add `text` at the end of manuscript/`chapter` of a project copy."""
    path = root / "manuscript" / chapter
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def edition_with(root: Path, text: str, lang: str = "en"):
    """The parsed edition of `lang` with `text` added at the end of its chapter 02-two.md."""
    from baikonur_pub import config
    from baikonur_pub.pandoc import Pandoc
    from baikonur_pub.parse import editions

    append(root, f"{lang}/02-two.md", "\n" + text)
    return editions(config.load(root), [lang], Pandoc.locate())[lang]


def parsed(root: Path) -> dict:
    """Every edition of the project at `root`, parsed as the build parses them."""
    from baikonur_pub import config
    from baikonur_pub.pandoc import Pandoc
    from baikonur_pub.parse import editions

    pub = config.load(root)
    return editions(pub, pub.codes, Pandoc.locate())


def words_of(blocks) -> str:
    """The text of `blocks`, as the cross-check reads it."""
    from baikonur_pub.ast import stringify

    return stringify({"t": "Div", "c": [["", [], []], blocks]})


def draft(root: Path, lang: str, fmt: str) -> Path:
    """Build one language in one format, without the cross-check, into root/dist (returned)."""
    result = run_cli("build", "--project", str(root), "--lang", lang, "--format", fmt,
                     "--no-check", "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    return root / "dist"


@pytest.fixture
def project(tmp_path):
    """Factory: copy a sample project into a fresh temporary folder."""
    def make(name: str = "minimal") -> Path:
        return copy_project(name, tmp_path / name)
    return make


@pytest.fixture
def built_project(tmp_path, tmp_path_factory):
    """Factory: a writable copy of tests/roots/<name> as its first build leaves it (dist/ and
    the cache in .cache/), for a test of what comes after; that build runs once per session."""
    def make(name: str = "minimal") -> Path:
        def build_once(folder: Path) -> None:
            copy_project(name, folder)
            proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "build", "--project",
                                   str(folder)], capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, proc.stderr
        source = shared(tmp_path_factory, f"built-{name}", build_once)
        return Path(shutil.copytree(source, tmp_path / name, symlinks=True))
    return make


@pytest.fixture
def short_tmp_path():
    """An empty folder with a short path, for TMPDIR: the layout pool's socket then lives in it
    too (from a deeper TMPDIR it moves to /tmp, `layouts.pool_folder`), so a test of what a
    build leaves in TMPDIR sees multiprocessing's folder as well."""
    folder = Path(tempfile.mkdtemp(prefix="bk-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def shipped_dist(tmp_path_factory) -> Path:
    """The shipped report built once per session, every language and format."""
    def make(folder: Path) -> None:
        out, cache = folder / "dist", folder / "cache"  # never the repository's cache: it renders
        result = CliRunner().invoke(main, ["build", "--project", str(REPO), "--out", str(out)],
                                    env={"BAIKONUR_CACHE": str(cache)}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return shared(tmp_path_factory, "shipped", make) / "dist"


@pytest.fixture(scope="session")
def sample_dist(tmp_path_factory):
    """Factory: tests/roots/<name> built once per session in every format (read-only)."""
    return lambda name: build_sample(tmp_path_factory, name)


@pytest.fixture(scope="session")
def content_dist(tmp_path_factory) -> Path:
    """tests/roots/content built once per session in this process, with one job."""
    from baikonur_pub import build, config

    def make(folder: Path) -> None:
        root = copy_project("content", folder)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("BAIKONUR_CACHE", str(folder / "cache"))
            build.build(config.load(root), jobs=1)
    return shared(tmp_path_factory, "content", make) / "dist"


EPUBCHECKED = ("notes", "kitchen-sink", "scripts", "arabic", "crossref-colon", "bookdown",
               "workbench", "myst")  # sample projects whose EPUBs tests give to EPUBCheck
LIBREOFFICE_CONVERTED = ("kitchen-sink",)  # ... whose DOCX tests open in LibreOffice


def _batched(tmp_path_factory, key: str, paths: list[Path], run) -> dict:
    """{path: result or the validator's exception} of `run(paths)`, run once for all workers."""
    def make(folder: Path) -> None:
        from baikonur_pub import validate

        try:
            outcome = run(paths, folder)
        except (validate.ValidatorMissing, validate.ValidatorFailed) as exc:
            outcome = dict.fromkeys(paths, exc)
        (folder / "outcome.pickle").write_bytes(pickle.dumps(outcome))
    return pickle.loads((shared(tmp_path_factory, key, make) / "outcome.pickle").read_bytes())


def _lookup(outcome: dict, path: Path, alone):
    """A batched result, raised if it is the validator's exception; `alone(path)` for a path
    outside the batch."""
    if Path(path) not in outcome:
        return alone(path)
    found = outcome[Path(path)]
    if isinstance(found, Exception):
        raise found
    return found


@pytest.fixture(scope="session")
def epubcheck_of(tmp_path_factory, shipped_dist, sample_dist, content_dist):
    """EPUBCheck's result for an EPUB: every EPUB the tests check, in one JVM."""
    from baikonur_pub import validate

    paths = sorted(shipped_dist.glob("*.epub")) + sorted(content_dist.glob("*.epub")) + [
        p for name in EPUBCHECKED for p in sorted(sample_dist(name).glob("*.epub"))]
    outcome = _batched(tmp_path_factory, "epubcheck", paths,
                       lambda paths, _: validate.epubcheck_many(paths))
    return lambda path: _lookup(outcome, path, validate.epubcheck)


@pytest.fixture(scope="session")
def libreoffice_pdf_of(tmp_path_factory, shipped_dist, sample_dist):
    """The PDF LibreOffice makes of a DOCX: every DOCX the tests open, converted once."""
    from baikonur_pub import validate

    paths = sorted(shipped_dist.glob("*.docx")) + [
        p for name in LIBREOFFICE_CONVERTED for p in sorted(sample_dist(name).glob("*.docx"))]
    # One LibreOffice per DOCX: in one process, the second document's embedded font subsets
    # lose to the first's of the same name (an Italian DOCX after the English one misses à, č).
    # Each has its own profile, so two run at once: the other pytest worker waits for them.
    def one(path, folder):
        try:
            return validate.libreoffice_pdf(path, folder / path.stem)
        except (validate.ValidatorMissing, validate.ValidatorFailed) as exc:
            return exc  # this DOCX's test fails or skips with it, not the others

    def convert(paths, folder):
        with ThreadPoolExecutor(max_workers=2) as pool:
            return dict(zip(paths, pool.map(lambda path: one(path, folder), paths)))
    outcome = _batched(tmp_path_factory, "libreoffice", paths, convert)
    return lambda path: _lookup(outcome, path, lambda p: validate.libreoffice_pdf(
        p, tmp_path_factory.mktemp("libreoffice")))
