"""Images: those named by URL with `images.remote: drop` are left out of every format, each a
located warning, nothing fetched (the hostile cases count requests; without the option each is
an error); a file goes by its content, not its name; a path is read from the chapter's folder
(a leading `/`: from the manuscript folder), and a refusal describes that reading."""

from __future__ import annotations

import json
import zipfile

import docx
import pytest
from pypdf import PdfReader

from baikonur_pub import config, validate
from baikonur_pub.ast import walk
from baikonur_pub.errors import PublishError
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import append, checked, draft, run_cli

REMOTE = ("\nA badge ![build](https://example.org/badge.svg) in a sentence.\n\n"
          "<img src=\"https://example.org/avatar.png\" alt=\"avatar\">\n\n"
          "[![logo](https://example.org/logo.png)](https://example.org)\n\n"
          "![A caption that has lost its image.](//example.org/figure.png)\n\n"
          "Still here.\n")


def dropping(root):
    cfg = root / "manuscript/publication.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "images:\n  remote: drop\n", encoding="utf-8")
    append(root, "en/02-two.md", REMOTE)
    return root


def test_each_remote_image_is_left_out_and_a_warning_at_its_line(project):
    root = dropping(project("minimal"))
    pub = config.load(root)
    edition = editions(pub, ("en",), Pandoc.locate())["en"]
    assert not [el for el in walk(edition.ast["blocks"]) if el["t"] == "Image"]
    # a link that showed only a remote image stays, showing its text alternative
    (link,) = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Link"
               and el["c"][2][0] == "https://example.org"]
    assert link["c"][1] == [{"t": "Str", "c": "logo"}]
    findings = json.loads(run_cli("check", "--project", str(root), "--format", "json").stdout)["findings"]
    remote = [(f["line"], f["severity"]) for f in findings if f["code"] == "image-remote"]
    # `//host/x.png` is remote too, on the page's scheme; a figure that showed only a remote
    # image is left out whole, not a caption alone
    assert remote == [(5, "warning"), (7, "warning"), (9, "warning"), (11, "warning")]
    assert not [el for el in walk(edition.ast["blocks"]) if el["t"] == "Figure"]


@pytest.mark.slow
def test_no_format_holds_a_remote_image(project):
    root = dropping(project("minimal"))
    for fmt in ("epub", "docx", "pdf"):
        draft(root, "en", fmt)
    with zipfile.ZipFile(root / "dist/sample-en.epub") as epub:
        pages = "".join(epub.read(n).decode("utf-8") for n in epub.namelist() if n.endswith(".xhtml"))
    assert "Still here." in pages and "example.org/badge" not in pages and "<img" not in pages
    assert '<a href="https://example.org">logo</a>' in pages
    outcome = checked(validate.epubcheck, root / "dist/sample-en.epub")
    assert outcome.clean, outcome.messages
    document = docx.Document(str(root / "dist/sample-en.docx"))
    assert not document.inline_shapes
    assert any("Still here." in p.text for p in document.paragraphs)
    reader = PdfReader(root / "dist/sample-en.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Still here." in text and "avatar" not in text
    assert not any(page.images for page in reader.pages)


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001049"
                    "444154789c63f8cfc000440c100a001fee03fd8b5f14d40000000049454e44ae426082")


def mislabelled(root):
    (root / "manuscript/en/photo.jpg").write_bytes(PNG)  # a PNG named .jpg, as a real guide has
    append(root, "en/02-two.md", "\n![A photo](photo.jpg)\n")
    return root


def test_an_image_goes_by_its_content_not_its_name(project):
    from baikonur_pub.images import inline_images

    root = mislabelled(project("minimal"))
    pub = config.load(root)
    edition = editions(pub, ("en",), Pandoc.locate())["en"]
    (image,) = [el for el in walk(inline_images(pub, edition.ast)["blocks"]) if el["t"] == "Image"]
    assert image["c"][2][0].startswith("data:image/png;base64,")


@pytest.mark.slow
def test_a_png_named_jpg_makes_a_valid_epub(project):
    root = mislabelled(project("minimal"))
    epub = draft(root, "en", "epub") / "sample-en.epub"
    with zipfile.ZipFile(epub) as archive:
        assert [n for n in archive.namelist() if n.startswith("EPUB/media/")][0].endswith(".png")
    outcome = checked(validate.epubcheck, epub)
    assert outcome.clean, outcome.messages


# --- where an image's path leads ---------------------------------------------------------------

def refusal(root, target: str) -> str:
    """The one line a build gives for an image `target` written at the end of en/02-two.md."""
    append(root, "en/02-two.md", f"\n![Diagram]({target})\n")
    lines = (root / "manuscript/en/02-two.md").read_text(encoding="utf-8").splitlines()
    with pytest.raises(PublishError) as caught:
        editions(config.load(root), ("en",), Pandoc.locate())
    shown = str(caught.value)
    assert shown.startswith(f"manuscript/en/02-two.md:{len(lines)}: "), shown
    return shown.split(": ", 1)[1]


def resolved(root, target: str, chapter: str = "en/02-two.md") -> str:
    """The manuscript-relative path the parse gives an image `target` written in `chapter`."""
    append(root, chapter, f"\n![Diagram]({target})\n")
    lang = chapter.split("/")[0]
    edition = editions(config.load(root), (lang,), Pandoc.locate())[lang]
    (image,) = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Image"]
    return image["c"][2][0]


def outside_file(root):
    """A real PNG outside the manuscript, beside it in the project: never to be read."""
    (root / "secret.png").write_bytes(PNG)
    return root / "secret.png"


@pytest.mark.parametrize("target, looked_for", [
    # the manuscript has an images/ folder, as a site's sources have: climbing to it stays inside
    ("../images/missing.png", "manuscript/images/missing.png"),
    ("nowhere/missing.png", "manuscript/en/nowhere/missing.png"),  # in a folder that is missing
    ("missing.png", "manuscript/en/missing.png"),  # beside the chapter
])
def test_a_missing_image_is_not_found_where_the_chapter_points(project, target, looked_for):
    root = project("minimal")
    (root / "manuscript/images").mkdir()
    (root / "images").mkdir()  # the same path read from manuscript/ is outside: never said
    assert refusal(root, target) == (f"image '{target}' not found: no {looked_for} (paths are "
                                     "relative to the chapter's folder)")


def test_an_image_that_climbs_out_of_its_chapter_folder_but_not_the_manuscript_is_read(project):
    root = project("minimal")
    (root / "manuscript/images").mkdir()
    (root / "manuscript/images/diagram.png").write_bytes(PNG)
    assert resolved(root, "../images/diagram.png") == "images/diagram.png"


@pytest.mark.parametrize("case", ["climbs-out-to-a-file", "climbs-out-to-nothing",
                                  "symlink-to-a-file-outside", "through-a-symlinked-folder",
                                  "manuscript-folder-symlink-to-a-file-outside"])
def test_an_image_leaving_the_manuscript_is_refused_as_outside(project, case):
    root = project("minimal")
    secret = outside_file(root)
    target = {"climbs-out-to-a-file": "../../secret.png",
              "climbs-out-to-nothing": "../../missing.png",  # whether a file is there: not said
              "symlink-to-a-file-outside": "link.png",
              "through-a-symlinked-folder": "figures/missing.png",
              "manuscript-folder-symlink-to-a-file-outside": "figure.png"}[case]
    if case == "symlink-to-a-file-outside":
        (root / "manuscript/en/link.png").symlink_to(secret)
    elif case == "through-a-symlinked-folder":
        (root / "manuscript/figures").symlink_to(root)
    elif case == "manuscript-folder-symlink-to-a-file-outside":
        (root / "manuscript/figure.png").symlink_to(secret)
    assert refusal(root, target) == f"image '{target}' is outside the manuscript folder"


# A leading `/` is the manuscript folder, as a static site's sources (Hugo, Jekyll, Docusaurus)
# mean the site's root and Quarto its project's.

@pytest.mark.parametrize("chapter", ["en/02-two.md", "it/02-due.md"])
def test_a_leading_slash_is_the_manuscript_folder(project, chapter):
    root = project("minimal")
    (root / "manuscript/images/docs").mkdir(parents=True)
    (root / "manuscript/images/docs/x.png").write_bytes(PNG)
    assert resolved(root, "/images/docs/x.png", chapter) == "images/docs/x.png"


def test_a_leading_slash_is_also_the_folder_of_the_chapters_own_book(project):
    """Sphinx and Jupyter Book name a figure from their book's root (`/_static/pad.png`), and a
    bilingual manuscript holds a book a language (`en/_static/`): the manuscript folder first,
    then each folder the chapter is in, nearest first."""
    root = project("minimal")
    (root / "manuscript/en/_static").mkdir(parents=True)
    (root / "manuscript/en/_static/x.png").write_bytes(PNG)
    assert resolved(root, "/_static/x.png", "en/02-two.md") == "en/_static/x.png"
    for folder in ("manuscript/_static", "manuscript/it/_static"):
        (root / folder).mkdir()
        (root / folder / "x.png").write_bytes(PNG)
    assert resolved(root, "/_static/x.png", "it/02-due.md") == "_static/x.png"


@pytest.mark.parametrize("target, message", [
    ("/etc/passwd", "image '/etc/passwd' not found: no manuscript/etc/passwd (a path starting "
                    "with / is from the manuscript folder or a folder the chapter is in)"),
    ("/../../etc/passwd", "image '/../../etc/passwd' is outside the manuscript folder"),
    ("/../secret.png", "image '/../secret.png' is outside the manuscript folder"),
    ("/link.png", "image '/link.png' is outside the manuscript folder"),
    ("//example.org/x.png", "image '//example.org/x.png' is remote: resources are never fetched"),
    ("/\\example.org/x.png", "image '/\\example.org/x.png' is remote: resources are never fetched"),
    ("file:///etc/passwd", "image 'file:///etc/passwd': file: URLs are not allowed"),
    ("C:/secret.png", "image 'C:/secret.png' is remote: resources are never fetched"),
    ("C:\\secret.png", "image 'C:\\secret.png' is remote: resources are never fetched"),
])
def test_a_leading_slash_never_reaches_outside_the_manuscript(project, target, message):
    root = project("minimal")
    (root / "manuscript/link.png").symlink_to(outside_file(root))
    assert refusal(root, target).startswith(message)


def test_a_host_path_after_the_leading_slash_is_looked_for_in_the_manuscript(project):
    root = project("minimal")
    secret = outside_file(root)  # an absolute path to a real image: manuscript/<that path>
    assert refusal(root, str(secret)) == (
        f"image '{secret}' not found: no manuscript{secret} (a path starting with / is from "
        "the manuscript folder or a folder the chapter is in)")
