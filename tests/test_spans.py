"""spans.delimited finds what the lazy pattern finds, in one pass."""

import itertools
import re

from baikonur_pub import spans


def _every_text(alphabet: str, longest: int):
    for size in range(longest + 1):
        for letters in itertools.product(alphabet, repeat=size):
            yield "".join(letters)


def test_pairs_are_found_as_the_alternation_of_lazy_patterns_finds_them():
    # openings that share a first letter ("ab", "a"): at one place the first pair is tried first
    pattern = re.compile(r"ab.*?x|a.*?y", re.S)
    for text in _every_text("abxy", 7):
        assert spans.delimited(text, ("ab", "x"), ("a", "y")) == \
            [m.span() for m in pattern.finditer(text)], text


def test_one_pair_is_found_as_its_lazy_pattern_finds_it():
    pattern = re.compile(r"<!--.*?-->", re.S)
    for letters in _every_text("<>", 6):
        text = letters.replace("<", "<!--").replace(">", "-->")
        assert spans.delimited(text, ("<!--", "-->")) == \
            [m.span() for m in pattern.finditer(text)], text


def test_openings_never_closed_are_read_once():
    text = "{{ " + "“" * 400_000 + ' "a b" }}'
    assert spans.delimited(text, ("“", "”"), ('"', '"')) == [(400_004, 400_009)]
