"""A name in inline code copied with a typo: the block still pairs, and the typo is one
code-mismatch — not a missing block and an extra one, nor silence."""

from __future__ import annotations

import pytest

from baikonur_pub import parity
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parity.inline_typos import near_misses

EN = """# Tools

- To watch a launch, `telemetryd` is old but reliable.

- For rockets, use [`fuelcalc`](https://example.org/fuelcalc).

- To list pads, run `padlist --all`.
"""


@pytest.fixture(scope="module")
def pandoc():
    return Pandoc.locate()


def findings(pandoc, tmp_path, translation: str, lang: str):
    a, b = tmp_path / "doc.en.md", tmp_path / f"doc.{lang}.md"
    a.write_text(EN, encoding="utf-8")
    b.write_text(translation, encoding="utf-8")
    return [(f.code, f.message) for f in parity.compare(a, b, pandoc, "en", lang).findings]


def test_a_misspelled_code_name_is_one_code_mismatch(pandoc, tmp_path):
    ja = """# ツール

- 打ち上げを見るなら、`telemetryyd`は古いが確かだ。

- ロケットには[`fuelcalc`](https://example.org/fuelcalc)を使おう。

- 発射台の一覧は`padlist --all`で。
"""
    found = findings(pandoc, tmp_path, ja, "ja")
    assert [c for c, _ in found] == ["code-mismatch"]
    assert "“telemetryyd” differs from “telemetryd”" in found[0][1]


SHORT_EN = """# Tools

- For slides and documents of every kind, try [`slidemaker`](https://example.org/slidemaker). For example, to turn notes into slides: `slidemaker notes.md --to slides -o deck.html`

- If you must read YAML, `yamlwalker` is old but good.

- For tables, use [`tabby`](https://example.org/tabby).
"""

SHORT_JA = """# ツール

- スライドなど様々な文書には、[`slidemaker`](https://example.org/slidemaker)を試してみるとよい。

- YAMLを読まなくてはならないなら、`yamlwalkker`は古いがいいツールだ。

- 表には[`tabby`](https://example.org/tabby)を使おう。
"""


def test_a_block_whose_only_evidence_is_a_misspelled_name_still_pairs(pandoc, tmp_path):
    a, b = tmp_path / "doc.en.md", tmp_path / "doc.ja.md"
    a.write_text(SHORT_EN, encoding="utf-8")
    b.write_text(SHORT_JA, encoding="utf-8")
    found = [(f.code, f.message) for f in parity.compare(a, b, pandoc, "en", "ja").findings]
    assert [c for c, _ in found] == ["code-mismatch"]
    assert "“yamlwalkker” differs from “yamlwalker”" in found[0][1]


def test_a_faithful_translation_has_no_code_finding(pandoc, tmp_path):
    it = """# Strumenti

- Per seguire un lancio, `telemetryd` è vecchio ma affidabile.

- Per i razzi, usa [`fuelcalc`](https://example.org/fuelcalc).

- Per elencare le rampe, esegui `padlist --all`.
"""
    assert findings(pandoc, tmp_path, it, "it") == []


@pytest.mark.parametrize(("src", "tgt", "expected"), [
    (["telemetryd"], ["telemetryyd"], [("telemetryd", "telemetryyd")]),
    (["type command"], ["type 命令"], []),  # a translated placeholder is no typo
    (["sort -k1"], ["sort -k2"], []),  # a different option is not a spelling
    (["ls"], ["ls"], []),
])
def test_near_misses_are_spellings_nearly_alike(src, tgt, expected):
    assert near_misses(src, tgt) == expected


def test_a_block_of_thousands_of_unmatched_spans_is_not_searched():
    """A hostile block (thousands of code spans on each side, none alike) would be millions of
    comparisons: past `MAX_PAIRS` unmatched pairs the block is not searched for typos."""
    from baikonur_pub.parity.inline_typos import MAX_PAIRS, near_misses

    many = int(MAX_PAIRS ** 0.5) + 1
    src = [f"xmlstarlet{i}" for i in range(many)]
    tgt = [f"xmlstartlet{i}" for i in range(many)]
    assert near_misses(src[:3], tgt[:3]) and near_misses(src, tgt) == []


def test_inline_code_spaced_otherwise_is_the_same_code():
    """A real Spanish translation writes `apply ()` for `apply()`, `seq_along (df)` for
    `seq_along(df)`: a code-mismatch each, where code blocks set spacing aside."""
    assert near_misses(["apply()", "seq_along(df)", "xmlstarlet"],
                       ["apply ()", "seq_along (df)", "xmlstartlet"]) == [("xmlstarlet", "xmlstartlet")]
