"""Images: those named by URL with `images.remote: drop` are left out of every format, each a
located warning, nothing fetched (the hostile cases count requests; without the option each is
an error); a file goes by its content, not its name."""

from __future__ import annotations

import json
import zipfile

import docx
import pytest
from pypdf import PdfReader

from baikonur_pub import config, validate
from baikonur_pub.ast import walk
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
