"""Number normalisation: the same quantity written the way each language writes it compares equal."""

from __future__ import annotations

import pytest

from baikonur_pub.parity.numbers import extract

SAME = [  # (Italian, English): one quantity, written as each language would
    ("1.000,5", "1,000.5"),
    ("115 milioni di dollari", "$115 million"),  # shipped report, sec-lease
    ("un accordo trentennale", "a 30-year agreement"),  # shipped report, sec-lease
    ("un accordo trentennale", "a thirty-year agreement"),
    ("centoquindici milioni", "115 million"),
    ("2,5 miliardi", "2.5 billion"),
    ("il 20 per cento", "20%"),
    ("tre anni", "three years"),
    ("12.345", "12,345"),
    ("nel 1994", "in 1994"),
]


def values(text: str, lang: str) -> list[str]:
    return [n.value for n in extract(text, lang)]


@pytest.mark.parametrize(("it", "en"), SAME)
def test_same_quantity_reads_the_same_in_both_languages(it, en):
    assert values(it, "it") == values(en, "en") != []


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("1.500", "it", ["1500"]), ("1.500", "en", ["1.5"]), ("1,5", "it", ["1.5"]),
    ("1,500", "en", ["1500"]), ("1.234.567", "it", ["1234567"]), ("un ventennio", "it", ["20"]),
])
def test_digits_follow_the_language_separators(text, lang, expected):
    assert values(text, lang) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("KazSat2 and A320", "en"),  # identifiers, not quantities
    ("una nuova fase e uno dei più attivi", "it"),  # articles, not the number one
    ("the two states", "en"),  # isolated small numbers stay words (text2num's threshold)
])
def test_words_and_identifiers_that_are_not_quantities(text, lang):
    assert values(text, lang) == []


def test_surface_is_what_the_author_wrote():
    assert [n.surface for n in extract("circa 115 milioni, un accordo trentennale", "it")] == [
        "115 milioni", "trentennale"]
