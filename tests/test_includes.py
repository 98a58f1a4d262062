"""Code blocks that show a file of the manuscript, as mdBook writes them (`includes`)."""

from __future__ import annotations

import os

import pytest

from baikonur_pub import config
from baikonur_pub.ast import walk
from baikonur_pub.errors import PublishError
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parse import editions
from conftest import append, copy_project

def _codes(root, code="en") -> list[str]:
    pub = config.load(root)
    blocks = editions(pub, [code], Pandoc.locate())[code].ast["blocks"]
    return [el["c"][1] for el in walk(blocks) if el["t"] == "CodeBlock"]


def test_a_directive_in_a_code_block_is_the_file_or_the_lines_or_the_anchor_it_names(tmp_path):
    """tests/roots/xm-listings: the whole file, line 1, lines 4–6, line 9 on, and two anchors,
    the anchor lines left out (as mdBook shows them); a directive in a sentence stays text."""
    root = copy_project("xm-listings", tmp_path / "p")
    program = (root / "manuscript/listings/main.rs").read_text(encoding="utf-8").rstrip("\n")
    lines = program.split("\n")
    whole, parts, anchored = _codes(root)
    assert whole == "\n".join(l for l in lines if "ANCHOR" not in l)
    assert parts == "\n".join([lines[0], *lines[3:6], *(l for l in lines[8:] if "ANCHOR" not in l)])
    assert anchored == ('fn greet(name: &str) {\n    println!("Hello, {name}!");\n}\n'
                        "// and then\n    greet(\"world\");")
    assert _codes(root, "it")[0] == whole


@pytest.mark.parametrize("directive,message", [
    ("{{#include ../../../outside.rs}}", "'../../../outside.rs' is outside the manuscript folder"),
    ("{{#include ../listings/none.rs}}", "'../listings/none.rs' not found"),
    ("{{#include ../listings/main.rs:40:50}}", "included file '../listings/main.rs' has no lines "
                                               "40:50 (it has 13)"),
    ("{{#include ../listings/main.rs:nowhere}}", "included file '../listings/main.rs' has no "
                                                 "anchor 'nowhere'"),
    ("{{#include ../listings/latin1.rs}}", "included file '../listings/latin1.rs' is not UTF-8"),
    ("{{#include ../listings/link.rs}}", "'../listings/link.rs' is outside the manuscript folder"),
    ("{{#include ../listings/fifo.rs}}", "'../listings/fifo.rs' is not a regular file"),
])
def test_a_file_a_code_block_cannot_include_is_an_error_at_its_directive(tmp_path, directive,
                                                                          message):
    """The file obeys the policy any file of the manuscript does (no way out by a path or a
    link, no FIFO to hang on) and must hold what the directive names."""
    (tmp_path / "outside.rs").write_text("secret\n")
    root = copy_project("xm-listings", tmp_path / "a" / "b" / "p")
    listings = root / "manuscript/listings"
    (listings / "latin1.rs").write_bytes("caf\xe9\n".encode("latin-1"))
    (listings / "link.rs").symlink_to(tmp_path / "outside.rs")
    os.mkfifo(listings / "fifo.rs")
    append(root, "en/01-code.md", f"\nMore:\n\n```rust\nlet a = 1;\n{directive}\n```\n")
    with pytest.raises(PublishError) as caught:
        _codes(root)
    assert caught.value.message.startswith(message), caught.value.message
    assert (caught.value.path, caught.value.line) == ("manuscript/en/01-code.md", 31)


def test_mysts_literalinclude_and_quartos_include_attribute_show_the_file(tmp_path):
    """MyST's ```` ```{literalinclude} ```` (`:lines:`, `:language:`, `:caption:`) and the
    attributes of Quarto's include-code-files (`include`, `start-line`, `end-line`) include
    the file as mdBook's directive does; a literalinclude with an option it cannot honour
    (`:start-after:`) stays a directive that reads nothing, with a warning."""
    root = copy_project("xm-listings", tmp_path / "p")
    append(root, "en/01-code.md", "\n```{literalinclude} ../listings/main.rs\n:language: rust\n"
                                  ":lines: 4-6\n:caption: src/main.rs\n```\n\n"
                                  '```{.rust include="../listings/main.rs" start-line=11 end-line=11}\n```\n\n'
                                  "```{literalinclude} ../listings/main.rs\n:start-after: fn main\n```\n")
    pub = config.load(root)
    edition = editions(pub, ["en"], Pandoc.locate())["en"]
    blocks = [el for el in walk(edition.ast["blocks"]) if el["t"] == "CodeBlock"][3:]
    program = (root / "manuscript/listings/main.rs").read_text(encoding="utf-8").split("\n")
    assert [(b["c"][0][1], b["c"][1]) for b in blocks[:2]] == [
        (["rust"], "\n".join(program[3:6])), (["rust"], program[10])]
    titled = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Div"
              and "code-with-filename" in el["c"][0][1]]
    assert [el["c"][1] for d in titled for el in walk(d) if el["t"] == "Code"] == ["src/main.rs"]
    assert any(n[0] == "markup-foreign" and "{literalinclude}" in n[3] for n in edition.notices)
