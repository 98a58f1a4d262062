"""Where the cross-check says a block is: the line the reader looks at."""

from __future__ import annotations

from baikonur_pub import parity
from baikonur_pub.pandoc import Pandoc


def test_list_items_of_inline_code_alone_are_each_at_their_own_line(tmp_path):
    """An API's "see also" lists items that are code and nothing else (`- `forEach()``): such
    an item had no words to look for, and each missing one was put at the first one's line."""
    source = tmp_path / "en.md"
    source.write_text("# Plums\n\n- `Plum`\n- `Plum.prototype.pick()`\n- `Plum.from()`\n"
                      "- `Stone.prototype.crack()`\n", encoding="utf-8")
    target = tmp_path / "fr.md"
    target.write_text("# Prunes\n\n- `Plum.prototype.pick()`\n", encoding="utf-8")
    result = parity.compare(source, target, Pandoc.locate(), "en", "fr")
    missing = sorted(f.line for f in result.findings if f.code == "block-missing")
    assert missing == [3, 5, 6]


def test_a_definition_is_quoted_with_its_term_apart_from_its_text(tmp_path):
    """A definition missing in a translation was quoted with its term glued to its text
    ("thisArgA value to use…"), which a reader could not find in the source."""
    source = tmp_path / "en.md"
    source.write_text("# Plums\n\n`seeds`\n:   How many stones.\n\n`skin`\n:   Its colour.\n",
                      encoding="utf-8")
    target = tmp_path / "fr.md"
    target.write_text("# Prunes\n\n`skin`\n:   Sa couleur.\n", encoding="utf-8")
    result = parity.compare(source, target, Pandoc.locate(), "en", "fr")
    quoted = [f.message for f in result.findings if f.code == "block-missing"]
    assert len(quoted) == 1 and "“seeds: How many stones.”" in quoted[0]
