"""MkDocs' Python-Markdown extensions read as MkDocs means them (`dialects.pymdown`,
`includes`): pymdownx.blocks' admonitions, details and tabs, a code file shown by a line of
its own (`{* … *}`), and mdx_include's and pymdownx.snippets' lines in a code block."""

from __future__ import annotations

import json

from baikonur_pub import config
from baikonur_pub.ast import walk
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import append, run_cli

PROGRAM = "import os\n\n\ndef where():\n    return os.getcwd()\n"


def _text(el) -> str:
    return " ".join(x["c"] for x in walk(el) if x["t"] == "Str")


def _blocks(root, code="en") -> list:
    pub = config.load(root)
    return editions(pub, [code], Pandoc.locate())[code].ast["blocks"]


def test_pymdownx_blocks_are_callouts_and_tabs_titled_as_written(project):
    """`/// tip | Title` … `///` was printed as text in every format, its body a plain
    paragraph; a `details` block takes its kind from its `type` option, an outer block has
    more slashes, and a block never closed, or shown in code, stays as written."""
    root = project("minimal")
    append(root, "en/02-two.md", "\n/// tip | Mind the gap\n\nA tip **body**.\n\n///\n\n"
           "/// details | Open me\n    type: danger\n\nHidden no more.\n\n///\n\n"
           "//// tab | First way\n\n/// note\n\nInside the tab.\n\n///\n\n////\n\n"
           "```\n/// warning\nnot a block\n///\n```\n\n/// tip\n\nNever closed.\n")
    blocks = _blocks(root)
    boxes = [el for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]
    assert [(b["c"][0][1][1], _text(b["c"][1][0]), _text(b["c"][1][1:])) for b in boxes] == [
        ("callout-tip", "Mind the gap", "A tip body ."), ("callout-caution", "Open me",
                                                          "Hidden no more."),
        ("callout-note", "Note", "Inside the tab.")]
    tabs = [el for el in walk(blocks) if el["t"] == "Div" and "tab-item" in el["c"][0][1]]
    assert [_text(t["c"][1][0]) for t in tabs] == ["First way"]
    assert "type:" not in _text(blocks)
    assert [el["c"][1] for el in walk(blocks) if el["t"] == "CodeBlock"] == [
        "/// warning\nnot a block\n///"]
    assert "/// tip Never closed." in _text(blocks)


def test_a_code_file_line_is_a_code_block_of_the_file_under_its_title(project):
    """markdown-include-variants' `{* path hl[…] ln[…] title[…] *}` (the FastAPI docs' every
    example) was a paragraph of its own text: the example missing, and the same line in
    every language a false 'untranslated' finding."""
    root = project("minimal")
    (root / "manuscript/src").mkdir()
    (root / "manuscript/src/app.py").write_text(PROGRAM, encoding="utf-8")
    append(root, "en/02-two.md", "\n{* ../src/app.py hl[1] *}\n\n"
           '{* ../src/app.py ln[4:5] title["src/app.py"] *}\n\n'
           "```\n{* ../src/app.py *}\n```\n")
    blocks = _blocks(root)
    code = [(el["c"][0][1], el["c"][1]) for el in walk(blocks) if el["t"] == "CodeBlock"]
    assert code == [(["python"], PROGRAM.rstrip("\n")),
                    (["python"], "def where():\n    return os.getcwd()"),
                    ([], "{* ../src/app.py *}")]
    titled = [el for el in walk(blocks) if el["t"] == "Div" and "code-with-filename" in el["c"][0][1]]
    assert [x["c"][1] for x in walk(titled) if x["t"] == "Code"] == ["src/app.py"]
    assert "{*" not in _text(blocks)


def test_a_code_file_line_leading_out_of_the_manuscript_is_an_error_at_its_line(project):
    root = project("minimal")
    lines = (root / "manuscript/en/02-two.md").read_text().count("\n")
    append(root, "en/02-two.md", "\n{* ../../../outside.py hl[1] *}\n")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    assert (f"manuscript/en/02-two.md:{lines + 2}: '../../../outside.py' is outside the "
            "manuscript folder") in result.output
    assert "Traceback" not in result.output


def test_mdx_include_and_snippets_lines_in_a_code_block_are_the_file(project):
    """`{!> path !}` (mdx_include) and `--8<-- "path:4:5"` (pymdownx.snippets) on a line of
    a code block were shown as written, the code missing."""
    root = project("minimal")
    (root / "manuscript/src").mkdir()
    (root / "manuscript/src/app.py").write_text(PROGRAM, encoding="utf-8")
    append(root, "en/02-two.md", '\n```python\n{!> ../src/app.py!}\n```\n\n'
           '```python\n--8<-- "../src/app.py:4:5"\n```\n')
    code = [el["c"][1] for el in walk(_blocks(root)) if el["t"] == "CodeBlock"]
    assert code == [PROGRAM.rstrip("\n"), "def where():\n    return os.getcwd()"]


def test_pymdownx_blocks_of_no_callout_show_their_content_with_a_warning(project):
    root = project("minimal")
    lines = (root / "manuscript/en/02-two.md").read_text().count("\n")
    append(root, "en/02-two.md", "\n/// html | div.wide\n\nWide words.\n\n///\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    foreign = [(f["line"], f["message"]) for f in json.loads(result.stdout)["findings"]
               if f["code"] == "markup-foreign"]
    assert foreign == [(lines + 2, "pymdownx block '/// html' is not read: its content is "
                                   "shown as it is, 'div.wide' left out")]
    assert "Wide words." in _text(_blocks(root)) and "///" not in _text(_blocks(root))
