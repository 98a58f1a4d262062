"""Properties of the cross-check on generated documents (real pandoc, real files).

A generated document is a list of sections, each with a heading level, a few words and a few
numbers unique in the document; its "translation" swaps each word for its pair and writes the
numbers the other language's way (12.345,5 ↔ 12,345.5). One mutation of the translation must
give exactly the one finding it stands for.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from baikonur_pub import parity
from baikonur_pub.pandoc import Pandoc

PANDOC = Pandoc.locate()
WORDS = [("casa", "house"), ("strada", "road"), ("fiume", "river"), ("ponte", "bridge"),
         ("porto", "harbour"), ("treno", "train"), ("mercato", "market"), ("giardino", "garden"),
         ("scuola", "school"), ("torre", "tower"), ("piazza", "square"), ("bosco", "forest")]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def documents(draw):
    count = draw(st.integers(2, 7))
    values = draw(st.lists(st.integers(10, 999_999), min_size=count * 2, max_size=count * 2,
                           unique=True))
    sections = []
    for i in range(count):
        words = draw(st.lists(st.integers(0, len(WORDS) - 1), min_size=3, max_size=12))
        numbers = [Decimal(values[2 * i]), Decimal(values[2 * i + 1]) / 10]
        sections.append({"level": draw(st.integers(1, 2)), "words": words, "numbers": numbers,
                         "title": draw(st.integers(0, len(WORDS) - 1))})
    return sections


def number(value: Decimal, lang: str) -> str:
    text = f"{value:,}"  # English grouping and decimal point
    return text.translate(str.maketrans(",.", ".,")) if lang == "it" else text


def render(sections, lang: str, ids: bool = True) -> str:
    side = 0 if lang == "it" else 1
    out = []
    for i, s in enumerate(sections):
        title = WORDS[s["title"]][side].capitalize() + f" {chr(65 + i % 26)}"
        out.append("#" * s["level"] + f" {title}" + (f" {{#sec-{s['id']}}}" if ids else ""))
        words = [WORDS[w][side] for w in s["words"]]
        nums = [number(n, lang) for n in s["numbers"]]
        out.append(" ".join(words[:2] + [nums[0]] + words[2:] + [nums[1]]) + ".")
    return "\n\n".join(out) + "\n"


def codes(it_text: str, en_text: str, langs=("it", "en")) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a.md", Path(tmp) / "b.md"
        a.write_text(it_text, encoding="utf-8")
        b.write_text(en_text, encoding="utf-8")
        return [f.code for f in parity.compare(a, b, PANDOC, *langs).findings]


def with_ids(sections):
    return [dict(s, id=i) for i, s in enumerate(sections)]


@SETTINGS
@given(documents(), st.booleans())
def test_document_compared_with_itself_has_no_findings(sections, ids):
    text = render(with_ids(sections), "it", ids)
    assert codes(text, text, ("it", "it")) == []


@SETTINGS
@given(documents())
def test_faithful_translation_has_no_findings(sections):
    sections = with_ids(sections)
    assert codes(render(sections, "it"), render(sections, "en")) == []


@SETTINGS
@given(documents(), st.data())
def test_removing_one_section_is_one_section_missing(sections, data):
    sections = with_ids(sections)
    k = data.draw(st.integers(0, len(sections) - 1))
    assert codes(render(sections, "it"), render(sections[:k] + sections[k + 1:], "en")) == ["section-missing"]


@SETTINGS
@given(documents(), st.data())
def test_moving_one_section_is_one_section_order(sections, data):
    sections = with_ids(sections)
    k = data.draw(st.integers(0, len(sections) - 1))
    j = data.draw(st.integers(0, len(sections) - 1).filter(lambda j: j != k))
    moved = sections[:k] + sections[k + 1:]
    moved.insert(j, sections[k])
    assert codes(render(sections, "it"), render(moved, "en")) == ["section-order"]


@SETTINGS
@given(documents(), st.data())
def test_relevelling_one_section_is_one_section_level(sections, data):
    sections = with_ids(sections)
    k = data.draw(st.integers(0, len(sections) - 1))
    changed = list(sections)
    changed[k] = dict(sections[k], level=3 - sections[k]["level"])
    assert codes(render(sections, "it"), render(changed, "en")) == ["section-level"]


@SETTINGS
@given(documents(), st.data())
def test_changing_one_number_is_one_number_mismatch(sections, data):
    sections = with_ids(sections)
    k = data.draw(st.integers(0, len(sections) - 1))
    which = data.draw(st.integers(0, 1))
    used = {n for s in sections for n in s["numbers"]}
    new = data.draw(st.integers(10, 999_999).map(Decimal).filter(lambda n: n not in used))
    changed = list(sections)
    numbers = list(sections[k]["numbers"])
    numbers[which] = new
    changed[k] = dict(sections[k], numbers=numbers)
    assert codes(render(sections, "it"), render(changed, "en")) == ["number-mismatch"]


def test_id_less_translation_with_a_section_removed_and_a_heading_renamed():
    """tests/roots/parity-readme: a README and its translation, setext vs ATX, no IDs."""
    root = Path(__file__).resolve().parents[1] / "roots" / "parity-readme"
    result = parity.compare(root / "README.it.md", root / "README.en.md", PANDOC)
    assert [(f.code, f.section, f.line) for f in result.findings] == [
        ("section-missing", "Risoluzione dei problemi", 39)]
    renamed = [(s.title, t.title) for s, t in result.pairs["en"] if s and t and s.title == "OS X"]
    assert renamed == [("OS X", "macOS only")]
