"""Sources written for Jekyll (kramdown and Liquid), as sites such as The Programming Historian
write their lessons: Bootstrap's alert boxes, Liquid's includes and tags, kramdown's attribute
lists, each read as the site shows it (`dialects.liquid`). Every text here is invented."""

from __future__ import annotations

from baikonur_pub.ast import walk
from conftest import edition_with, words_of


def _callouts(blocks) -> list[tuple[str, str]]:
    """(kind, body text) of every callout in `blocks`."""
    return [(el["c"][0][1][1][len("callout-"):], words_of(el["c"][1][1:]))
            for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]


def test_bootstrap_alert_divs_are_callouts_of_their_colour(project):
    """`<div class="alert alert-warning">` … `</div>`, Bootstrap's box as Jekyll sites write a
    note, was a plain paragraph in every format (its bold the only mark left)."""
    edition = edition_with(project("minimal"), (
        '\n<div class="alert alert-warning">\n<b>Mind</b> the step.\n</div>\n\n'
        '<div class="alert alert-info">A *short* note.</div>\n\n'
        '<div class="alert alert-danger" id="careful">\nHot.\n</div>\n'))
    assert _callouts(edition.ast["blocks"]) == [
        ("warning", "Mind the step."), ("note", "A short note."), ("caution", "Hot.")]
    boxes = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Div"
             and "callout" in el["c"][0][1]]
    assert boxes[2]["c"][0][0] == "careful"
    assert not [c for b in boxes for c in b["c"][0][1] if c.startswith("alert")]
