"""javascript.info's Markdown read as its e-book shows it (`dialects.jsinfo`): its boxes, its
tags, its highlight marks in code, its `info:` and `mdn:` links. The samples are our own,
written in the tutorial's syntax."""

from __future__ import annotations

import json
import re
import zipfile

from baikonur_pub import config
from baikonur_pub.ast import stringify, walk
from baikonur_pub.dialects import lines
from baikonur_pub.manuscript import SourceFile
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import append, draft, edition_with, run_cli, words_of

BOXES = (
    "Plums ripen in late summer.\n\n"
    "[cut]\n\n"
    "```smart header=\"The `pit` is not eaten\"\n"
    "Spit the *pit* out, gently.\n"
    "```\n\n"
    "````warn\n"
    "Keep the basket dry:\n\n"
    "```js\n"
    "basket.dry = true;\n"
    "```\n"
    "````\n\n"
    "```online\n"
    "Press the button to pick a plum.\n"
    "```\n\n"
    "```offline\n"
    "The printed orchard map is on the last page.\n"
    "```\n\n"
    "```quote author=\"An old gardener\"\n"
    "Patience grows the sweetest plum.\n"
    "```\n\n"
    "[iframe src=\"picker\" height=200 edit]\n\n"
    "Done.\n")


def test_jsinfo_boxes_are_callouts_online_is_left_out_and_tags_are_not_printed(project):
    """```` ```smart header="…" ```` was a code block of prose (the cross-check compared its
    words as code), `[cut]` and `[iframe …]` were printed as written."""
    edition = edition_with(project("minimal"), BOXES)
    blocks = edition.ast["blocks"]
    callouts = [el for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [c["c"][0][1][1] for c in callouts] == ["callout-note", "callout-warning"]
    title = callouts[0]["c"][1][0]
    assert [x["c"][1] for x in walk(title) if x["t"] == "Code"] == ["pit"]  # Markdown, read
    assert [el["c"][1] for el in walk(callouts[1]) if el["t"] == "CodeBlock"] == \
        ["basket.dry = true;"]
    words = words_of(blocks)
    assert "Spit the pit out" in words and "printed orchard map" in words
    assert "Press the button" not in words  # the site's alone
    assert "[cut]" not in words and "[iframe" not in words and "smart" not in words
    quote = next(el for el in walk(blocks) if el["t"] == "BlockQuote")
    assert words_of(quote["c"]).endswith("— An old gardener")
    assert not [el for el in walk(blocks) if el["t"] == "CodeBlock" and "Spit" in el["c"][1]]
    foreign = [(n[2], n[3]) for n in edition.notices if n[0] == "markup-foreign"]
    assert len(foreign) == 1 and "[iframe" in foreign[0][1] and "leaves it out" in foreign[0][1]
    path = edition.files[-1].path
    assert "[iframe" in path.read_text().split("\n")[foreign[0][0] - 1]


def test_highlight_marks_are_taken_out_of_code_in_every_format(project):
    """`*!*` … `*/!*` (the lines the site highlights) were printed in the code of every format."""
    root = project("minimal")
    append(root, "en/02-two.md", (
        "\n```js run\n"
        "let plums = 3;\n"
        "*!*\n"
        "plums = plums * 2;\n"
        "*/!*\n"
        "alert( *!*plums*/!* ); // 6\n"
        "```\n\n"
        "1. Picked once:\n"
        "    ```html\n"
        "    <basket src=\"*!*plums.js*/!*\"></basket>\n"
        "    ```\n"))
    dist = draft(root, "en", "epub")
    with zipfile.ZipFile(dist / "sample-en.epub") as epub:
        xhtml = "".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    shown = re.sub(r"<[^>]+>", "", xhtml)  # the code's words, without the highlighting's spans
    assert "*!*" not in shown and "*/!*" not in shown
    assert "plums = plums * 2;\nalert( plums );" in shown and 'src="plums.js"' in shown
    assert xhtml.count("<pre") >= 2  # the fence under the item's text is a block, not inline code


def test_a_fence_under_a_list_items_text_is_a_code_block(project):
    """A fence right under an item's text, indented past its content (as GitHub renders it):
    pandoc ran the block's lines together into inline code in the item's paragraph."""
    edition = edition_with(project("minimal"), (
        "1. Scripts with the same `src` run once:\n"
        "    ```html\n"
        "    <script src=\"plum.js\"></script>\n"
        "      <!-- kept indent -->\n"
        "    ```\n\n"
        "    Then more.\n"))
    code = [el["c"] for el in walk(edition.ast["blocks"]) if el["t"] == "CodeBlock"]
    assert code and code[-1][0][1] == ["html"]
    assert code[-1][1] == "<script src=\"plum.js\"></script>\n  <!-- kept indent -->"
    assert not [el for el in walk(edition.ast["blocks"]) if el["t"] == "Code"
                and "script" in el["c"][1]]


def test_info_and_mdn_links_lead_to_the_site_and_mdn_not_an_error(project):
    """`[](info:slug)`, `<info:slug>` and `[x](mdn:js/Array/map)` were errors (an unknown
    scheme): check and build stopped at the first chapter holding one."""
    root = project("minimal")
    append(root, "en/02-two.md", (
        "\nSee <info:orchard-tools>, [the basket](info:baskets#handles), [](info:pits) and "
        "[map](mdn:js/Array/map), [CORS](mdn:Web/HTTP/CORS). Keep `info:x` as written.\n"))
    result = run_cli("check", "--project", str(root), "--format", "json")
    report = json.loads(result.output)
    assert not [f for f in report["findings"] if f["severity"] == "error"], result.output
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    links = [(stringify(el["c"][1]), el["c"][2][0]) for el in walk(edition.ast["blocks"])
             if el["t"] == "Link"]
    assert ("https://javascript.info/orchard-tools", "https://javascript.info/orchard-tools") \
        in links
    assert ("the basket", "https://javascript.info/baskets#handles") in links
    assert ("https://javascript.info/pits", "https://javascript.info/pits") in links
    assert ("map", "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/"
            "Global_Objects/Array/map") in links
    assert ("CORS", "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS") in links
    assert "info:x" in [el["c"][1] for el in walk(edition.ast["blocks"]) if el["t"] == "Code"]


def test_info_links_to_a_chapter_of_the_edition_lead_into_the_book(project):
    """Given the edition's language (as the build reads each chapter), `info:slug` naming one
    of its chapters (`02-two.md`, or the tutorial's `02-two/article.md`) leads to it, in the
    EPUB too; written without text it shows the slug (no other file is read for a title); a
    translation's other articles are on its own site."""
    root = project("minimal")
    pub = config.load(root)
    it = next(lang for lang in pub.languages if lang.code == "it")
    path = root / "manuscript" / "it" / "01-uno.md"
    text = "Vedi <info:due>, [qui](info:due#sec-two) e <info:altro>.\n"
    read = lines.read(SourceFile(path, "it/01-uno.md", text), it).text
    assert read == ("Vedi [due](02-due.md), [qui](02-due.md#sec-two) e "
                    "<https://it.javascript.info/altro>.\n")
    append(root, "it/01-uno.md", "\n" + text)
    result = run_cli("build", "--project", str(root), "--lang", "it", "--format", "epub",
                     "--no-check", "--out", str(root / "dist"))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(root / "dist/sample-it.epub") as book:
        chapter = next(book.read(n).decode() for n in book.namelist()
                       if n.endswith(".xhtml") and "Vedi" in book.read(n).decode())
    links = dict((text, href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', chapter))
    assert links["due"].endswith("#sec-two") or ".xhtml" in links["due"], links
    assert links["qui"].endswith("#sec-two") and not links["qui"].startswith("http"), links
