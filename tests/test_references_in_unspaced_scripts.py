"""Text, citations and cross-references in scripts written without spaces between words.

Pandoc reads every letter after `@` into the key, and takes an `@` right after a letter for
text: a Chinese author writing `如 @sec-one中所示` asked for a section `sec-one中所示`, and one
writing `如@sec-one` got the text “如@sec-one”, no reference and no word about it."""

from __future__ import annotations

import pytest

from baikonur_pub import bibliography, config
from baikonur_pub.ast import stringify, walk
from baikonur_pub.errors import PublishError
from baikonur_pub.manuscript import assemble
from baikonur_pub.pandoc import Pandoc


def _edition(root, text: str):
    chapter = root / "manuscript" / "en" / "02-two.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")
    pub = config.load(root)
    return assemble(pub, pub.language("en"), Pandoc.locate(), bibliography.load(pub))


def _problems(root, text: str) -> list[str]:
    with pytest.raises(PublishError) as caught:
        _edition(root, text)
    return caught.value.format_message().splitlines()


def test_a_cross_reference_followed_by_chinese_text_leads_to_its_target(project):
    edition = _edition(project("minimal"), "如 @sec-one中所示。")
    (para,) = [b for b in edition.ast["blocks"] if "中所示" in stringify(b)]
    (link,) = [n for n in walk(para) if n.get("t") == "Link"]
    assert link["c"][2][0] == "#sec-one" and link["c"][1] == [{"t": "Str", "c": "Section\u00a01"}]
    assert stringify(para).replace("\u00a0", " ").endswith("Section 1中所示。")


def test_a_reference_pandoc_left_as_text_after_a_letter_is_an_error_at_its_line(project):
    """`如@sec-one` and `据@rossi2020年`: both read as plain text by pandoc. An address
    (`ada@example.org`) is no known key and stays text."""
    problems = _problems(project("minimal"), "如@sec-one中所示，ada@example.org。\n\n据@rossi2020年的研究。")
    assert problems == [
        "manuscript/en/02-two.md:5: '@sec-one' comes right after a letter, so it is text, not a "
        "reference: write [@sec-one]",
        "manuscript/en/02-two.md:7: '@rossi2020' comes right after a letter, so it is text, not a "
        "reference: write [@rossi2020]"]


def test_a_citation_key_that_took_in_the_text_after_it_says_how_to_write_it(project):
    problems = _problems(project("minimal"), "研究 @rossi2020年 和 @sec-nowhere中。")
    assert problems == [
        "manuscript/en/02-two.md:5: cross-reference '@sec-nowhere中': no section has this ID "
        "(pandoc read the text after @sec-nowhere into the key: write [@sec-nowhere]中)",
        "manuscript/en/02-two.md:5: citation key '@rossi2020年' is not in the bibliography "
        "(pandoc read the text after @rossi2020 into the key: write [@rossi2020]年)"]


def test_a_line_break_between_two_chinese_sentences_adds_no_space(project):
    """One sentence a line, as Chinese and Japanese authors write: the break between two East
    Asian characters is no space (pandoc's east_asian_line_breaks); between Latin words it is."""
    edition = _edition(project("minimal"), "机器学习模型会进行预测。\n在上面的问题中。\nThe end\nof it.")
    (para,) = [b for b in edition.ast["blocks"] if "预测" in stringify(b)]
    assert stringify(para) == "机器学习模型会进行预测。在上面的问题中。 The end of it."


def test_a_line_break_beside_korean_is_a_space(project):
    """Korean puts spaces between words and its Hangul is as wide as Chinese: a paragraph of
    one clause a line ran its words together ("문장은단어"). A break beside Hangul is a space;
    between Chinese characters still none; code keeps its lines as written."""
    edition = _edition(project("minimal"), "한국어 문장은\n단어 사이에\n띄어쓰기가 있다.\n\n中文句子\n没有空格。\n\n"
                                          "```\n코드는\n그대로\n```")
    paragraphs = [stringify(b) for b in edition.ast["blocks"] if b["t"] == "Para"]
    assert "한국어 문장은 단어 사이에 띄어쓰기가 있다." in paragraphs
    assert "中文句子没有空格。" in paragraphs
    assert [b["c"][1] for b in edition.ast["blocks"] if b["t"] == "CodeBlock"] == ["코드는\n그대로"]
