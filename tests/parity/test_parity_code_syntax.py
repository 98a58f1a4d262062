"""Code read as its language reads it: comments, strings, and what a translation may rename.

Met on a tutorial translated whole (a page that is one big code block, its comments and strings
in the translation's language); every case here is our own few lines. Each runs the real
`compare` (real pandoc): no finding where the translation is faithful, one where it is not.
"""

from __future__ import annotations

import pytest

from baikonur_pub import parity
from baikonur_pub.pandoc import Pandoc


@pytest.fixture(scope="module")
def pandoc():
    return Pandoc.locate()


@pytest.fixture
def run(pandoc, tmp_path):
    def compare(lang: str, en: str, it: str) -> list:
        a, b = tmp_path / "doc.en.md", tmp_path / "doc.it.md"
        a.write_text(f"# Code\n\n```{lang}\n{en}```\n", encoding="utf-8")
        b.write_text(f"# Codice\n\n```{lang}\n{it}```\n", encoding="utf-8")
        return [(f.code, f.line) for f in parity.compare(a, b, pandoc, "en", "it").findings]
    return compare


def test_an_apostrophe_in_a_comment_hides_no_comment_after_it(run):
    """`// don't` once opened a string that ran to the next quote, lines below, and the block
    comment in between compared as code (the C page: every comment after the first was)."""
    en = "// don't panic\nint x = 1;\n/* the end\n   of it */\nchar c = 'x';\n"
    it = "// niente panico\nint x = 1;\n/* la fine\n   del tutto */\nchar c = 'x';\n"
    assert run("c", en, it) == []
    assert run("c", en, it.replace("int x = 1", "int x = 2")) == [("code-mismatch", 5)]


def test_a_rust_lifetime_opens_no_string(run):
    en = "fn first<'a>(s: &'a str) -> &'a str {\n    // keep the first word\n    s\n}\n"
    it = "fn first<'a>(s: &'a str) -> &'a str {\n    // tiene la prima parola\n    s\n}\n"
    assert run("rust", en, it) == []


TRANSLATED = {  # (language, English, Italian, an edit of the Italian that changes its code, line)
    "lua-block-comments-and-long-strings-of-words": (
        "lua", "--[[\n  Two lines of\n  commentary.\n--]]\nlocal s = [[ Words that\n  go on. ]]\n"
        "print(s)\n", "--[[\n  Due righe di\n  commento.\n--]]\nlocal s = [[ Parole che\n"
        "  continuano. ]]\nprint(s)\n", ("print(s)", "print(t)"), 10),
    "a-triple-quoted-string-of-words-a-hash-in-it-no-comment": (
        "python", 'def f():\n    """Return the\n    answer."""\n    return "#1"\n',
        'def f():\n    """Restituisce la\n    risposta."""\n    return "#1"\n', ('"#1"', '"#2"'), 7),
    # `print('over 40')` is `print('sopra i 40')`: the words translated, the number the same
    "a-string-of-words-and-numbers-its-numbers-compared": (
        "lua", "if n > 40 then\n  print('over 40')\nend\n",
        "if n > 40 then\n  print('sopra i 40')\nend\n", ("i 40", "i 50"), 5),
}


@pytest.mark.parametrize("case", TRANSLATED)
def test_what_a_translation_words_is_prose_and_a_change_of_code_is_found(run, case):
    lang, en, it, (old, new), line = TRANSLATED[case]
    assert run(lang, en, it) == []
    assert run(lang, en, it.replace(old, new)) == [("code-mismatch", line)]


def test_a_placeholder_naming_a_file_is_prose(run):
    en = "local m = (function ()\n  <contents of m.lua>\nend)()\n"
    it = "local m = (function ()\n  <contenuto di m.lua>\nend)()\n"
    assert run("lua", en, it) == []
    assert run("c", "#include <stdio.h>\n", "#include <stdlib.h>\n") == [("code-mismatch", 4)]


GO_EN = "func learnTypes() {\n\ttotal := 2\n\tfmt.Println(total)\n}\n\nlearnTypes()\n"
GO_IT = "func imparaTipi() {\n\ttotale := 2\n\tfmt.Println(totale)\n}\n\nimparaTipi()\n"


def test_names_the_translation_renamed_consistently_are_the_same_code(run):
    """Variables, functions and symbols renamed in the translation's language, each name one
    other name wherever it is used: the Go and Elixir pages' Italian did it throughout."""
    assert run("go", GO_EN, GO_IT) == []
    assert run("elixir", "x = :hello\nthrow(:hello)\n", "x = :ciao\nthrow(:ciao)\n") == []
    # a member's name is the library's: changed wherever it is used, it is still a change
    en, it = "a = Math.max(x, y)\nb = Math.max(y, z)\n", "a = Math.min(x, y)\nb = Math.min(y, z)\n"
    assert run("js", en, it) == [("code-mismatch", 4)]


@pytest.mark.parametrize(("old", "new", "line"), [
    ("fmt.Println(totale)", "fmt.Printf(totale)", 6),       # a name used once, changed
    ("fmt.Println(totale)", "fmt.Println(total)", 5),       # renamed in one place, kept in another
    ("imparaTipi()\n", "imparaAltro()\n", 4),               # the call no longer the function's
])
def test_a_name_changed_once_or_inconsistently_is_a_change(run, old, new, line):
    assert run("go", GO_EN, GO_IT.replace(old, new)) == [("code-mismatch", line)]


@pytest.mark.parametrize(("it", "said"), [
    ("library(tidyverse)\nlibrary(forcats)\n",
     "code in it (doc.it.md:5) goes on with “library(forcats)” where the code in en ends (doc.en.md:5)"),
    ("\n", "code in it (doc.it.md:5) ends where the code in en goes on with “library(tidyverse)” (doc.en.md:4)"),
])
def test_code_that_goes_on_where_the_other_ends_says_so(pandoc, tmp_path, it, said):
    """A real Korean translation loads one package more: the finding read "“library(forcats)”
    differs from “(end)”"."""
    a, b = tmp_path / "doc.en.md", tmp_path / "doc.it.md"
    a.write_text("# Code\n\n```r\nlibrary(tidyverse)\n```\n", encoding="utf-8")
    b.write_text(f"# Codice\n\n```r\n{it}```\n", encoding="utf-8")
    (finding,) = parity.compare(a, b, pandoc, "en", "it").findings
    assert finding.message.replace(f"{tmp_path}/", "").endswith(said), finding.message


def test_a_name_the_translation_renamed_in_every_block_is_its_own(pandoc, tmp_path):
    """A real Spanish translation names its data sets in Spanish (`flights` is `vuelos`, `mpg`
    `millas`) in every example, once a block: each block was a code-mismatch, as a name used
    once and changed looks like a change. Across the book it is a renaming; a real change in
    one block is still one finding."""
    en = "".join(f"# S{i}\n\n```r\nfilter(flights, month == {i})\nggplot(data = mpg)\n```\n\n"
                 for i in range(1, 5))
    es = en.replace("flights", "vuelos").replace("mpg", "millas").replace("month", "mes")
    es = es.replace("mes == 3", "mes != 3")
    a, b = tmp_path / "doc.en.md", tmp_path / "doc.es.md"
    a.write_text(en, encoding="utf-8")
    b.write_text(es, encoding="utf-8")
    found = parity.compare(a, b, pandoc, "en", "es").findings
    assert [(f.code, f.line) for f in found] == [("code-mismatch", 18)], [f.message for f in found]


def test_a_name_respelled_in_every_block_is_still_a_change(pandoc, tmp_path):
    """A real Korean translation wrote `diamond` for the data set `diamonds` three times: a
    typo repeated, each a finding, never taken for the translation's own name."""
    en = "".join(f"# S{i}\n\n```r\nsummary(diamonds)\n```\n\n" for i in range(1, 4))
    a, b = tmp_path / "doc.en.md", tmp_path / "doc.ko.md"
    a.write_text(en, encoding="utf-8")
    b.write_text(en.replace("diamonds", "diamond"), encoding="utf-8")
    found = parity.compare(a, b, pandoc, "en", "ko").findings
    assert [(f.code, f.line) for f in found] == [("code-mismatch", 4), ("code-mismatch", 10),
                                                 ("code-mismatch", 16)]
