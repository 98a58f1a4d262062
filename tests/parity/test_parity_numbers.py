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
    ("one of the states", "en"),  # "one" stays a word (a pronoun, an article elsewhere)
])
def test_words_and_identifiers_that_are_not_quantities(text, lang):
    assert values(text, lang) == []


@pytest.mark.parametrize(("text", "lang"), [("the two systems", "en"), ("os dois sistemas", "pt"),
                                            ("i due sistemi", "it")])
def test_a_small_number_word_is_soft_evidence_from_two_on(text, lang):
    """A number word below text2num's threshold was no number at all, so a translation's
    digit ("2 个系统") had no counterpart: it is one now, soft (never a finding alone)."""
    assert [(n.value, n.soft) for n in extract(text, lang)] == [("2", True)]


def test_surface_is_what_the_author_wrote():
    assert [n.surface for n in extract("circa 115 milioni, un accordo trentennale", "it")] == [
        "115 milioni", "trentennale"]


@pytest.mark.parametrize(("text", "lang"), [
    ("hundreds of megabytes, thousands of files, tens of thousands of rows, millions of users", "en"),
    ("centinaia di pagine, migliaia di righe, milioni di persone, miliardi di stelle", "it"),
    ("des centaines de pages, des milliers de lignes, des millions de gens, des milliards", "fr"),
    ("cientos de páginas, miles de filas, millones de personas, miles de millones", "es"),
    ("centenas de megabytes, milhares de linhas, milhões de pessoas, bilhões de estrelas", "pt"),
    ("Hunderte Seiten, Tausende Zeilen, Millionen Menschen, Milliarden Sterne", "de"),
    ("honderden pagina's, duizenden regels, miljoenen mensen, miljarden sterren", "nl"),
])
def test_vague_plural_quantities_are_not_numbers(text, lang):
    assert values(text, lang) == []


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("two thousand files", "en", ["2000"]), ("a thousand files", "en", ["1000"]),
    ("deux millions de gens", "fr", ["2000000"]), ("dos millones de personas", "es", ["2000000"]),
    ("dois milhões de pessoas", "pt", ["2000000"]), ("zwei Millionen Menschen", "de", ["2000000"]),
    ("due milioni di persone", "it", ["2000000"]), ("2 millions de gens", "fr", ["2000000"]),
])
def test_a_counted_scale_word_is_still_a_number(text, lang, expected):
    assert values(text, lang) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("séparés par un deux-points", "fr"),  # the colon
    ("suivie d’un deux-points et d’une valeur", "fr"),
])
def test_a_number_word_joined_to_a_noun_is_a_word_of_its_own(text, lang):
    assert values(text, lang) == []


@pytest.mark.parametrize(("text", "lang", "surfaces"), [
    ("compter un deux trois", "fr", ["un", "deux", "trois"]),
    ("le code deux cent un deux fois", "fr", ["deux cent un", "deux"]),
    ("vingt et un trente deux", "fr", ["vingt et un", "trente deux"]),
])
def test_each_number_of_a_run_of_number_words_is_written_by_its_own_words(text, lang, surfaces):
    assert [n.surface for n in extract(text, lang)] == surfaces


@pytest.mark.parametrize(("text", "lang", "surfaces"), [
    ("indented one, two, or three spaces", "en", ["one", "two", "three"]),
    ("rientrato di uno, due o tre spazi", "it", ["uno", "due", "tre"]),
    ("one hundred and twenty people", "en", ["one hundred and twenty"]),
])
def test_a_number_is_its_words_without_the_conjunction_before_it(text, lang, surfaces):
    """text2num rewrote "one, two, or three" as one run, "1, 2, or 3": the 3 was "or three",
    and a lone word for a small number no longer counted as one (a finding named "or three")."""
    found = extract(text, lang)
    assert [n.surface for n in found] == surfaces
    assert all(n.soft for n in found if " " not in n.surface)


@pytest.mark.parametrize(("text", "lang"), [
    ("on 2019-03-01", "en"), ("le 1er mars 2019", "fr"), ("on March 1, 2019", "en"),
    ("on 1 March 2019", "en"), ("am 1. März 2019", "de"), ("el 1 de marzo de 2019", "es"),
    ("em 1 de março de 2019", "pt"), ("il 1 marzo 2019", "it"), ("op 1 maart 2019", "nl"),
    ("2019年3月1日", "zh"), ("le 1er\u00a0mars 2019", "fr"),
])
def test_a_date_is_one_value_however_the_language_writes_it(text, lang):
    assert values(text, lang) == ["2019-03-01"]


@pytest.mark.parametrize(("text", "lang"), [
    ("Questo è un un’iterazione del ciclo", "it"),  # pandoc's typographic apostrophe
    ("Questo è un un'iterazione del ciclo", "it"),
    ("quell’unico caso, dell’uno e dell’altro, nessun’altra", "it"),
    ("l’un et l’autre, il n’y a qu’un serveur, d’un bout à l’autre", "fr"),
    ("at one o’clock, on one’s own", "en"),
])
def test_an_elided_word_never_forms_or_joins_a_number(text, lang):
    assert values(text, lang) == []


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("plus d’un million de personnes", "fr", ["1000000"]),  # the word after the elision counts
    ("cento un’altra volta", "it", ["100"]),  # the number before it stays whole
    ("ventuno un’altra volta", "it", ["21"]),
    ("twenty-one’s", "en", ["21"]),
])
def test_the_words_beside_an_elision_are_read_on_their_own(text, lang, expected):
    assert values(text, lang) == expected


@pytest.mark.parametrize(("text", "others", "soft"), [
    ("There are only twelve possible months", ("ko",), [True]),  # "가능한 달 열 두 개"
    ("There are only twelve possible months", ("it",), [False]),  # "dodici": read, compared
    ("but instead you have a million.", ("ko-KR",), [True]),  # "백만 명"
    ("It took 12 months", ("ko",), [False]),  # digits read the same in every language
])
def test_a_number_in_words_is_only_evidence_beside_a_language_whose_words_are_not_read(
        text, others, soft):
    """A real Korean translation of an English book: "twelve" and "a million" were findings
    wherever the translator wrote the number in Korean words, which nothing here reads."""
    assert [n.soft for n in extract(text, "en", others)] == soft
