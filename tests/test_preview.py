"""`baikonur-pub preview` over HTTP: the page, updates on save, bad saves, safety, Ctrl-C.

One real server (a subprocess) runs on a copy of the shipped project for the module; tests
that edit a chapter put it back and wait for the page to show it again.
"""

from __future__ import annotations

import html
import io
import re
import time
import signal
import zipfile

import pytest
from pypdf import PdfReader

from baikonur_pub import config, parse
from baikonur_pub.pandoc import Pandoc

from conftest import copy_project, tree_hash
from preview_server import PreviewProcess

pytestmark = pytest.mark.xdist_group("preview")  # one server, on one xdist worker (--dist loadgroup)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = copy_project("shipped", tmp_path_factory.mktemp("preview"))
    (root / "secret.txt").write_text("outside the manuscript\n", encoding="utf-8")
    (root / "manuscript" / "en" / "escape.md").symlink_to(root / "secret.txt")
    server = PreviewProcess(root)
    yield server
    server.stop()


@pytest.fixture
def chapter(served):
    """(path, original text) of the first English chapter, put back after the test."""
    pub = config.load(served.root)
    path = pub.language("en").chapters[0]
    original = path.read_text(encoding="utf-8")
    yield path, original
    if path.read_text(encoding="utf-8") != original:  # left edited, or failed half-way
        events = served.events()
        path.write_text(original, encoding="utf-8")
        events.wait_for("update", lambda d: "hidden" in d["banner"])
        events.close()
    settled(served)


def settled(served, limit: float = 30.0) -> str:
    """The page once the server has nothing left to do (`data-busy` gone): the text of an edit
    comes first, the cross-check's findings after it, and a test that starts in between would
    see them arrive with its own change."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        page = served.page()
        if "data-busy" not in re.search(r"<body[^>]*>", page).group(0):
            return page
        time.sleep(0.02)
    raise AssertionError(f"the preview was still busy after {limit:.0f} s")


def _has(payload: dict, text: str) -> bool:
    pieces = [payload.get("rows", "")] + [r["html"] for r in payload.get("replace", [])]
    return any(text in piece for piece in pieces)


def _visible_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_page_holds_every_section_heading_of_both_languages(served):
    pub = config.load(served.root)
    editions = parse.editions(pub, pub.codes, Pandoc.locate())
    text = _visible_text(served.page())
    for code, edition in editions.items():
        assert edition.headings
        for heading in edition.headings:
            assert " ".join(heading.title.split()) in text, (code, heading.title)
        assert edition.lang.title in text
    assert "<script" not in served.page().split("</head>")[1]  # the text needs no script


def test_a_save_parses_only_the_edited_language_again(tmp_path):
    from baikonur_pub.preview.state import Session

    root = copy_project("parity-project", tmp_path)  # small: three parses in all
    session = Session(root)
    session.start()
    before = dict(session.editions)
    chapter = session.pub.language("en").chapters[0]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    change = session.classify([chapter, root / "manuscript" / "notes.txt"])
    assert change.langs == {"en"} and not change.reload
    session.update(change)
    assert session.editions["it"] is before["it"] and session.editions["en"] is not before["en"]
    assert session.view.chunks["it"] is not None and not session.errors
    assert session.classify([root / "manuscript" / "references.yaml"]).reload
    assert session.classify([root / "manuscript" / "glossary.yaml"]).check
    assert session.classify([root / "manuscript" / "figure.png"]).styles
    assert session.classify([root / "manuscript" / "en" / "4913"]).empty  # vim's probe file


def test_single_language_and_pair_views_and_unknown_language(served):
    """`?only=en`: English alone; `?with=en`: the primary language and English (what a
    translator among many languages reads); an unknown code, or the primary beside itself, 404."""
    page = served.page("/?only=en")
    assert 'class="preview only"' in page and "--columns: 1" in page
    assert "body.only .cell.lang-en { display: block; }" in page
    pair = served.page("/?with=en")
    assert "--columns: 2" in pair
    assert "body.only .cell.lang-it { display: block; }body.only .cell.lang-en { display: block; }" in pair
    assert [served.get(q)[0] for q in ("/?only=xx", "/?with=xx", "/?with=it")] == [404] * 3
    assert [served.get(q)[0] for q in ("/pdf?with=xx", "/pdf?with=it")] == [404] * 2


def test_chapter_edit_sends_update_event_with_the_new_text(served, chapter):
    path, original = chapter
    events = served.events()
    sentence = "The preview shows this sentence after a save."
    path.write_text(original + f"\n{sentence}\n", encoding="utf-8")
    payload = events.wait_for("update", lambda d: _has(d, sentence))
    assert "replace" in payload  # only what changed: the rows of that chapter
    assert all("row-" in r["id"] or r["id"] == "title" for r in payload["replace"])
    assert sentence in served.page()  # a fresh GET renders the current state
    events.close()


def test_bad_edit_shows_the_located_error_and_keeps_the_last_good_text(served, chapter):
    path, original = chapter
    shown = f"manuscript/en/{path.name}"
    events = served.events()
    good = "A sentence saved before the mistake."
    path.write_text(original + f"\n{good}\n", encoding="utf-8")
    events.wait_for("update", lambda d: _has(d, good))
    path.write_text(original + f"\n{good}\n\n::: {{.note}}\nNever closed.\n", encoding="utf-8")
    payload = events.wait_for("update", lambda d: "never closed" in d["banner"])
    line = len((original + f"\n{good}\n\n").splitlines()) + 1
    assert f"{shown}:{line}: fenced div (:::) is never closed" in html.unescape(payload["banner"])
    page = served.page()
    assert f"{shown}:{line}: fenced div (:::) is never closed" in html.unescape(page)
    assert good in page  # the last good rendering stays

    path.write_text(original + f"\n{good} [@no-such-key]\n", encoding="utf-8")
    payload = events.wait_for("update", lambda d: "no-such-key" in d["banner"])
    assert re.search(rf"{re.escape(shown)}:\d+: citation key '@no-such-key' is not in the bibliography",
                     html.unescape(payload["banner"]))

    path.write_text(original, encoding="utf-8")  # fixed: the message goes
    payload = events.wait_for("update", lambda d: "hidden" in d["banner"])
    assert payload["busy"]  # the cross-check's findings follow the text
    assert "never closed" not in payload["banner"] and "no-such-key" not in served.page()
    assert not events.wait_for("update", lambda d: True)["busy"]
    assert good not in settled(served)
    events.close()


def test_broken_configuration_is_shown_and_the_server_keeps_running(served):
    config_file = served.root / "manuscript" / "publication.yaml"
    original = config_file.read_text(encoding="utf-8")
    events = served.events()
    try:
        config_file.write_text(original + "\nslug: [unclosed\n", encoding="utf-8")
        payload = events.wait_for("update", lambda d: "publication.yaml" in d["banner"])
        assert re.search(r"manuscript/publication.yaml:\d+: ", html.unescape(payload["banner"]))
        assert "Baikonur" in served.page()
    finally:
        config_file.write_text(original, encoding="utf-8")
    events.wait_for("update", lambda d: "hidden" in d["banner"])
    events.close()


def test_a_saved_stylesheet_reaches_the_open_page(served):
    css = served.root / "styles" / "epub.css"
    original = css.read_text(encoding="utf-8")
    settled(served)  # no edit of an earlier test still on its way
    events = served.events()
    try:
        css.write_text(original + "\n.marker-from-test { color: red; }\n", encoding="utf-8")
        payload = events.wait_for("update", lambda d: "marker-from-test" in d.get("css", ""))
        assert "rows" not in payload and not payload["replace"]  # the text did not change
        assert "marker-from-test" in served.page()
    finally:
        css.write_text(original, encoding="utf-8")
    events.wait_for("update", lambda d: "css" in d and "marker-from-test" not in d["css"])
    events.close()


@pytest.mark.parametrize("path", [
    "/manuscript/../secret.txt",
    "/manuscript/%2e%2e/secret.txt",
    "/manuscript/..%2fsecret.txt",
    "/manuscript/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/manuscript/en/escape.md",  # a symlink leading out of the manuscript
    "/manuscript/%2fetc/passwd",
    "/manuscript/.hidden",
    "/styles/../secret.txt",
    "/static/../server.py",
    "/static/%2e%2e/server.py",
    "/fonts/..%2f..%2fsecret.txt",
    "/../secret.txt",
    "/secret.txt",
    "/pdf/../secret.txt",
    "/download/..%2fsecret.txt",
])
def test_traversal_is_refused(served, path):
    status, body, _ = served.get(path)
    assert status in (403, 404), (path, status)
    assert b"outside the manuscript" not in body and b"root:" not in body


def test_own_resources_are_served(served):
    status, body, headers = served.get("/static/preview.js")
    assert status == 200 and b"EventSource" in body
    assert served.get("/fonts/SourceSerifPro-Regular.otf")[0] == 200
    # the fallbacks too, each declared for what it sets (the browser fetches it only then):
    # Amiri for Arabic, as in every format; and the math font for the browser's MathML
    page = served.page()
    amiri = re.search(r'@font-face \{ font-family: "Amiri"; font-weight: 400; font-style: normal; '
                      r'src: url\("(/fonts/[^"]+)"\); unicode-range: ([^;]+);', page)
    assert amiri and "U+600" in amiri.group(2), page[:3000]
    status, body, headers = served.get(amiri.group(1))
    assert status == 200 and headers["content-type"] == "font/ttf" and body[:4] == b"\0\1\0\0"
    hebrew = re.search(r'src: url\("(/fonts/NotoSansHebrew%5Bwght%5D\.ttf)"\)', page)
    assert hebrew and served.get(hebrew.group(1))[0] == 200
    assert served.get("/fonts/STIXTwoMath-Regular.ttf")[0] == 200
    assert served.get("/fonts/passwd")[0] == 404
    status, body, _ = served.get("/manuscript/en/01-introduction.md")
    assert status == 200 and body.startswith(b"#")
    _, _, headers = served.get("/")
    assert "script-src 'self'" in headers["content-security-policy"]


def test_listens_on_localhost_and_refuses_foreign_host_names(served):
    assert served.url.startswith("http://127.0.0.1:")
    assert served.get("/", headers={"Host": "attacker.example"})[0] == 400


@pytest.mark.slow
def test_pdf_is_laid_out_again_after_a_save_and_epub_docx_are_offered(served, chapter):
    path, original = chapter
    events = served.events("view=pdf")
    sentence = "Rebuiltpdfsentence appears in the PDF."
    path.write_text(original + f"\n{sentence}\n", encoding="utf-8")
    version = events.wait_for("update", lambda d: _has(d, "Rebuiltpdfsentence"))["version"]
    events.wait_for("pdf", lambda d: d["lang"] == "en" and d["ok"] and d["version"] >= version,
                    timeout=120)
    status, body, headers = served.get("/pdf/baikonur-en.pdf")
    assert status == 200 and headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Rebuiltpdfsentence" in text
    assert "/pdf/baikonur-it.pdf" in served.page("/pdf")
    status, body, headers = served.get("/download/baikonur-en.epub")
    assert status == 200 and 'filename="baikonur-en.epub"' in headers["content-disposition"]
    assert zipfile.ZipFile(io.BytesIO(body)).read("mimetype") == b"application/epub+zip"
    status, body, _ = served.get("/download/baikonur-it.docx")
    assert status == 200 and "word/document.xml" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    events.close()


@pytest.mark.slow  # a second server
def test_ctrl_c_stops_cleanly_and_the_manuscript_is_never_written(tmp_path, short_tmp_path):
    """... and leaves nothing in TMPDIR: its PDF workers' fonts (WeasyPrint copies them into a
    folder only a document's garbage collection removes) were left in /tmp, 1–2 MB a layout."""
    root = copy_project("notes", tmp_path)
    before = tree_hash(root / "manuscript")
    server = PreviewProcess(root, env={"TMPDIR": str(short_tmp_path)})
    events = server.events()  # an open event stream must not hold the server up
    page = server.page()
    assert '<img src="/manuscript/figure.svg"' in page  # the project's own image, served
    status, body, headers = server.get("/manuscript/figure.svg")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    assert 'class="footnote"' in page  # notes stay where they are called, as in the PDF
    # No PDF is laid out (no worker even started) until someone looks at the PDFs; then the
    # PDF view's file waits for its layout.
    assert server.workers() == []
    assert server.get("/pdf")[0] == 200
    status, body, _ = server.get("/pdf/notes-en.pdf")
    assert status == 200 and body.startswith(b"%PDF-"), body[:200]
    assert server.workers()
    assert server.stop(signal.SIGINT) == 0
    events.close()
    output = "\n".join(server.lines)
    assert "Preview stopped." in output and "Traceback" not in output
    assert tree_hash(root / "manuscript") == before
    assert not any(p.name.startswith(".") for p in (root / "manuscript").rglob("*"))
    assert sorted(p.name for p in short_tmp_path.iterdir()) == []


@pytest.mark.slow  # two more servers, one parsing the whole report
def test_no_project_and_busy_port_are_one_line_errors(tmp_path, served):
    from preview_server import CLI
    import subprocess

    result = subprocess.run([str(CLI), "preview", "--project", str(tmp_path), "--port", "0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "publication.yaml" in result.stderr
    result = subprocess.run([str(CLI), "preview", "--project", str(served.root), "--port",
                             str(served.port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr
