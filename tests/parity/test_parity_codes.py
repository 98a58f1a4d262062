"""Every finding code: a minimal pair that triggers it, and a near miss that must not.

The pairs live in tests/roots/parity-cases/<code>.<hit|near>.<it|en>.md and go through the same
`compare` the command line uses (real pandoc, no IDs needed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from baikonur_pub import parity
from baikonur_pub.pandoc import Pandoc

CASES = Path(__file__).resolve().parents[1] / "roots" / "parity-cases"
CODES = sorted({p.name.split(".")[0] for p in CASES.glob("*.md")})


@pytest.fixture(scope="module")
def pandoc():
    return Pandoc.locate()


def compare(pandoc, code: str, kind: str) -> list:
    result = parity.compare(CASES / f"{code}.{kind}.it.md", CASES / f"{code}.{kind}.en.md", pandoc,
                            "it", "en")
    return list(result.findings)


def test_every_pair_code_has_cases():
    pair_codes = set(parity.CODES) - {"term-mismatch", "citation-undefined", "citation-unused",
                                      "xref-undefined", "link-file", "image-alt-missing",
                                      "stale-translation", "waiver-stale", "chapter-empty",
                                      "chapter-untitled", "section-empty",
                                      "input-unreadable", "front-matter-ignored",
                                      "image-remote", "footnote-undefined", "heading-empty",
                                      "heading-skipped", "heading-numbered",
                                      "pandoc-warning",
                                      "citation-as-text", "markup-foreign", "code-not-run",
                                      "fence-suspect"}  # project-level: see test_parity_project
    assert pair_codes <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_minimal_pair_triggers_exactly_its_code(pandoc, code):
    found = compare(pandoc, code, "hit")
    assert {f.code for f in found} == {code}, [f.message for f in found]
    assert found[0].line > 0 and found[0].file.endswith(".md")


@pytest.mark.parametrize("code", CODES)
def test_near_miss_yields_no_finding(pandoc, code):
    found = compare(pandoc, code, "near")
    assert found == [], [f"{f.code}: {f.message}" for f in found]


def test_number_finding_names_both_sides_with_their_lines(pandoc):
    (finding,) = compare(pandoc, "number-mismatch", "hit")
    assert finding.message == (
        f"deal: number 31 in en ({CASES}/number-mismatch.hit.en.md:3) differs from 30 in it "
        f"({CASES}/number-mismatch.hit.it.md:3)")
