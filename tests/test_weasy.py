"""The WeasyPrint adapter: each internal the build relies on, exercised against the installed
WeasyPrint, so an upgrade that moves one fails here by name."""

from __future__ import annotations

import ctypes.util
import io

import pikepdf
import pypdf
import pytest

from baikonur_pub.errors import RenderError
from baikonur_pub.render import breakable, html, weasy

FACES = "".join(f"@font-face {{font-family: '{f.family}'; font-weight: {f.weight}; "
                f"font-style: {f.style}; src: url('{f.url}')}}" for f in html.fonts())


def _layout(body: str, variant: str | None = None):
    document = (f"<html lang='en'><head><style>{FACES} body {{font-family: '{html.TEXT_FAMILY}'}}"
                f"</style></head><body>{body}</body></html>")
    return weasy.layout(document, "file:///nowhere/", weasy.fetcher(html.font_dirs()),
                        variant=variant)


def test_fonts_used_names_each_face_and_what_it_drew():
    document = _layout("<p>Baikonur <i>Tyuratam</i></p>")
    document.write_pdf()
    used = weasy.fonts_used(document)
    assert {(f.family, f.oblique) for f in used} == {(html.TEXT_FAMILY, False)}, used
    assert set("BaikonurTyuratam") <= set("".join(f.drawn for f in used))
    assert len(used) == 2 and not any(f.missing for f in used)  # the upright and the italic


def test_fonts_used_shows_a_face_slanted_for_lack_of_an_italic():
    document = (f"<html><head><style>{FACES} body {{font-family: '{html.HEADING_FAMILY}'}}"
                "@font-face {font-family: Upright; src: url('" + html.fonts()[0].url + "')}"
                "</style></head><body><p style='font-family: Upright'><i>ab</i></p></body></html>")
    laid_out = weasy.layout(document, "file:///nowhere/", weasy.fetcher(html.font_dirs()))
    laid_out.write_pdf()
    assert any(f.oblique and "a" in f.drawn for f in weasy.fonts_used(laid_out))


def test_retarget_links_changes_external_targets_before_writing():
    document = _layout("<p><a href='file:///nowhere/other.pdf'>other</a> "
                       "<a href='#here'>here</a></p><h1 id='here'>Here</h1>")
    weasy.retarget_links(document, lambda target: target.removeprefix("file:///nowhere/"))
    reader = pypdf.PdfReader(io.BytesIO(document.write_pdf()))
    annotations = [a.get_object() for a in reader.pages[0]["/Annots"]]
    uris = [str(a["/A"]["/URI"]) for a in annotations if "/A" in a]
    assert uris == ["other.pdf"]
    assert [str(a["/Dest"]) for a in annotations if "/Dest" in a] == ["here"]


def test_tag_notes_record_each_elements_origin_and_describe_links():
    document = _layout("<h1 id='top' lang='en'>Title</h1><p class='lead'>Text "
                       "<a href='#top'>back</a></p>", variant="pdf/ua-1")
    seen = []

    def note(origin):
        seen.append(origin)
        return {"Tag": origin.tag or "", "Element": origin.element}

    with weasy.tag_notes(note, {"#top": "Title"}.get) as key:
        data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    tags = {o.tag for o in seen}
    assert {"h1", "p", "a"} <= tags, tags
    assert any(o.attrs.get("class") == "lead" for o in seen)
    pdf = pikepdf.open(io.BytesIO(data))
    found = [str(el[key].Tag) for el in pdf.objects
             if isinstance(el, pikepdf.Dictionary) and key in el]
    assert "h1" in found
    link = next(a for a in pdf.pages[0].Annots if a.Subtype == "/Link")
    assert str(link.Contents) == "Title"


def test_subsetter_matches_the_installed_libraries():
    assert weasy.subsets_with_harfbuzz() == (ctypes.util.find_library("harfbuzz-subset") is not None)


def test_layout_refuses_a_remote_resource_with_a_render_error():
    with pytest.raises(RenderError, match="refusing to fetch remote resource"):
        _layout("<img src='https://example.org/x.png' alt='x'>")


def test_weasyprint_loads_in_a_thread_free_process_without_running_a_compiler(tmp_path):
    """The layout pool's server imports WeasyPrint alone: its library search asks ldconfig only,
    never gcc, cc or ld (which a `find_library` miss ran, for each of the names tried), and
    PATH is as it was afterwards."""
    import os
    import subprocess
    import sys

    ran = tmp_path / "ran"
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("gcc", "cc", "ld"):
        (tools / name).write_text(f"#!/bin/sh\necho {name} >> {ran}\nexit 1\n")
        (tools / name).chmod(0o755)
    path = f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"
    code = ("import os; from baikonur_pub.render import weasy; weasy.load(); "
            "print(os.environ['PATH'])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PATH": path}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == path
    assert not ran.exists(), ran.read_text()


def _lines(document) -> list[str]:
    return [line.rstrip() for page in pypdf.PdfReader(io.BytesIO(document.write_pdf())).pages
            for line in page.extract_text().splitlines()]


CELL_CSS = ("<style>table {width: 100%} th, td {overflow-wrap: anywhere; hyphens: auto}"
            "@page {size: A6}</style>")


def test_long_runs_and_cells_are_cut_into_boxes_where_lines_may_end_anyway():
    """WeasyPrint lays out a box's text from each line's start (a cell's at each character,
    for its narrowest width): a word of 100,000 letters took four minutes, 800 words in one
    cell 25 s. `breakable` cuts such text with `<wbr>`: a cell's after its spaces, where a
    line may end anyway, so the lines are the same; the text, tags and the style are kept."""
    # 90 words: the uncut layout is the slow one (quadratic: 240 words took this test 6.7 s)
    words = " ".join(["orbit", "cosmodrome", "lease", "Kazakhstan", "rocket", "x"] * 15)
    page = f"{CELL_CSS}<table><tr><td>{words}</td><td>{words[:200]}</td></tr></table>"
    cut = breakable.breakable(page)
    assert cut.count("<wbr>") > 10 and cut.replace("<wbr>", "") == page
    weasyprint = weasy.load()  # WeasyPrint itself, as `layout` would not lay out the page uncut
    as_written = weasyprint.HTML(string=page).render()
    assert _lines(weasyprint.HTML(string=cut).render()) == _lines(as_written)
    head = "<html><head><style>p {background: url(data:image/png;base64," + "A" * 900 + ")}"
    run = "z" * 1200
    cut = breakable.breakable(f"{head}</style></head><body><p>{run}&amp;{run}</p></body></html>")
    assert "A" * 900 in cut and "&amp;" in cut
    assert [len(part) for part in cut.split("<p>")[1].split("</p>")[0].split("<wbr>")] == \
        [500, 500, 200 + 5 + 299, 500, 401]  # `&amp;` one character


def test_importing_weasyprint_in_a_thread_leaves_the_process_stdout_alone():
    """A one-job build imports WeasyPrint in a thread while the main thread works and prints.
    The import swapped sys.stdout for the whole process (to hide WeasyPrint's banner): what
    the main thread printed meanwhile was lost, and a check run under click's test runner
    while a build's import went on printed its report into a stream no one read (CI: an empty
    JSON report). In a fresh process, as WeasyPrint is imported once a process."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import io, sys, threading, time
        from baikonur_pub.render import weasy
        mine = io.StringIO()
        sys.stdout = mine
        importing = threading.Thread(target=weasy.load)
        importing.start()
        written = 0
        while importing.is_alive():
            print("line")
            written += 1
            time.sleep(0.001)
        importing.join()
        assert sys.stdout is mine, "sys.stdout was left swapped"
        sys.__stdout__.write(f"{written} {mine.getvalue().count('line')}")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    written, received = map(int, proc.stdout.split())
    assert written > 0 and received == written


def test_an_svg_path_drawn_again_writes_the_same_operations_as_drawn_anew(monkeypatch):
    """Formulas draw the same glyph paths again and again; each path is made into drawing
    operations once and those written again (`remember_svg_paths`). The PDF is byte for byte
    the one WeasyPrint writes drawing each path anew — a path with markers included, whose
    vertices are read again too — and the second drawing of a path is not made again."""
    import base64

    from baikonur_pub import formulas

    glyphs = formulas._svg('<math xmlns="http://www.w3.org/1998/Math/MathML"><mrow><mi>x</mi>'
                           '<mo>+</mo><mi>x</mi><mo>=</mo><mn>2</mn><mi>x</mi></mrow></math>')
    marked = ("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'><defs><marker "
              "id='m' markerWidth='4' markerHeight='4' refX='2' refY='2'><circle cx='2' cy='2' "
              "r='2'/></marker></defs><path d='M 2 2 L 20 10 L 38 2' stroke='black' fill='none' "
              "marker-start='url(#m)' marker-mid='url(#m)' marker-end='url(#m)'/></svg>")
    images = "".join(f"<img src='data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}'>"
                     for svg in (glyphs, marked, glyphs, marked))
    body = f"<p>{images}</p>"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the two PDFs written apart
    weasy.load()
    weasy._DRAWN_PATHS.clear()
    remembered = _layout(body).write_pdf()
    paths = len(weasy._DRAWN_PATHS)
    assert paths == glyphs.count("<symbol") + 1 < glyphs.count("<use") + 2  # x made once
    try:
        weasy.remember_svg_paths(False)
        anew = _layout(body).write_pdf()
    finally:
        weasy.remember_svg_paths(True)
    assert remembered == anew
    assert len(weasy._DRAWN_PATHS) == paths


def test_the_paths_kept_are_bounded_by_their_characters(monkeypatch):
    """A manuscript's own SVG may hold thousands of long distinct paths: what is kept of them
    stops at _KEPT_CHARS characters, and what is past it is drawn as WeasyPrint draws it."""
    import base64

    weasy.load()
    paths = "".join(f"<path d='M {i} 0 L {i} 10 L {i + 1} 10 Z'/>" for i in range(40))
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' width='50' height='10'>{paths}</svg>"
    body = f"<p><img src='data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}'></p>"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(weasy, "_DRAWN_PATHS", {})
    monkeypatch.setattr(weasy, "_KEPT", [0])
    monkeypatch.setattr(weasy, "_KEPT_CHARS", 200)
    bounded = _layout(body).write_pdf()
    kept = weasy._DRAWN_PATHS
    assert 0 < len(kept) < 40 and sum(len(d) for d, _ in kept) <= 200
    try:
        weasy.remember_svg_paths(False)
        assert _layout(body).write_pdf() == bounded
    finally:
        weasy.remember_svg_paths(True)
