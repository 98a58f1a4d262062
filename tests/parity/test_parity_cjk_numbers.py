"""Digits that Chinese and Japanese glue to a name ("Kernel7") or to a radix word ("16進") are
the counterpart of the other language's number, never a finding of their own."""

from __future__ import annotations

import pytest

from baikonur_pub import parity
from baikonur_pub.pandoc import Pandoc
from baikonur_pub.parity.numbers import extract


@pytest.fixture(scope="module")
def pandoc():
    return Pandoc.locate()


def number_findings(pandoc, tmp_path, source: str, translation: str, lang: str) -> list[str]:
    a, b = tmp_path / "doc.en.md", tmp_path / f"doc.{lang}.md"
    a.write_text(source, encoding="utf-8")
    b.write_text(translation, encoding="utf-8")
    result = parity.compare(a, b, pandoc, "en", lang)
    return [f.message for f in result.findings if f.code == "number-mismatch"]


@pytest.mark.parametrize(("translation", "lang"), [
    ("# 工具\n\nRocketOS7では`probe`を使えます。\n", "ja"),
    ("# 工具\n\n在 RocketOS7 上可以使用 `probe`。\n", "zh"),
])
def test_a_name_glued_to_its_number_pairs_with_the_spaced_name(pandoc, tmp_path, translation, lang):
    source = "# Tools\n\nOn RocketOS 7 you can use `probe`.\n"
    assert number_findings(pandoc, tmp_path, source, translation, lang) == []


@pytest.mark.parametrize(("translation", "lang"), [
    ("# 表\n\n16進と8進の表は`man chart`で見られます。\n", "ja"),
    ("# 表\n\n用 `man chart` 查看十六进制和8进制的表。\n", "zh"),
])
def test_a_radix_word_is_not_a_quantity(pandoc, tmp_path, translation, lang):
    source = "# Chart\n\nSee the hex and octal chart with `man chart`.\n"
    assert number_findings(pandoc, tmp_path, source, translation, lang) == []


def test_a_changed_number_beside_a_glued_name_is_still_reported(pandoc, tmp_path):
    source = "# Tools\n\nOn RocketOS 7 you can run 12 probes.\n"
    translation = "# 工具\n\nRocketOS7では15個のプローブを実行できます。\n"
    found = number_findings(pandoc, tmp_path, source, translation, "ja")
    assert any("12" in m for m in found) and any("15" in m for m in found)


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("RocketOS7では", "ja", [("7", True)]),
    ("16進数", "ja", [("16", True)]),
    ("十六进制", "zh", [("16", True)]),
    ("共3个", "zh", [("3", False)]),
])
def test_glued_and_radix_digits_are_soft(text, lang, expected):
    assert [(n.value, n.soft) for n in extract(text, lang)] == expected


@pytest.mark.parametrize(("translation", "lang"), [
    ("# 注記\n\n説明は1ページに収めます。\n", "ja"),
    ("# 注记\n\n说明写在1页以内。\n", "zh"),
])
def test_a_lone_one_with_its_counter_pairs_with_the_word_one(pandoc, tmp_path, translation, lang):
    source = "# Notes\n\nThe notes fit on one page.\n"
    assert number_findings(pandoc, tmp_path, source, translation, lang) == []


def test_a_one_that_is_part_of_a_longer_number_stays_a_quantity():
    assert [(n.value, n.soft) for n in extract("第1章と12行と1.5秒", "ja")] == [
        ("1", True), ("12", False), ("1.5", False)]


@pytest.mark.parametrize(("translation", "lang"), [
    ("# 形状\n\n把向量变成形状为（3,4）的矩阵，或（2,3,4）的张量。\n", "zh"),
    ("# Shape\n\nReshape the vector to a (3,4) matrix, or a (2,3,4) tensor.\n", "en"),
])
def test_numbers_listed_with_a_bare_comma_are_each_a_number(pandoc, tmp_path, translation, lang):
    """A shape written without spaces, "（3,4）", was read as the decimal 3.4 (the comma is
    not this language's decimal symbol, nor before three digits a group): a number the
    source's "(3, 4)" did not have."""
    source = "# Shape\n\nReshape the vector to a (3, 4) matrix, or a (2, 3, 4) tensor.\n"
    assert number_findings(pandoc, tmp_path, source, translation, lang) == []
    assert [n.value for n in extract("1,000,000 rows, 1,5 litri", "it")] == ["1000000", "1.5"]


def test_a_run_of_numerals_or_digits_longer_than_any_number_is_read_without_error():
    # int() and str() refuse more than 4,300 digits; each 万 made the value four digits longer
    from baikonur_pub.parity.numerals import han_numerals, soft_cjk_numbers

    assert han_numerals("一" + "万" * 100_000) == []
    assert han_numerals("一" * 5_000) == []
    assert han_numerals("二〇二四年") == [(2024, "二〇二四")]
    assert soft_cjk_numbers("1" * 5_000 + "進")[0] == [("1" * 5_000, "1" * 5_000)]
    assert soft_cjk_numbers("ISO" + "0" * 4_999 + "7")[0] == [("7", "0" * 4_999 + "7")]
