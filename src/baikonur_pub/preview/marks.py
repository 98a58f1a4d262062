"""Cross-check findings marked in place: the words a finding is about wrapped in <mark>.

The section's HTML comes from pandoc; it is parsed (lxml), and only text nodes are cut, so
markup is never broken and nothing in the manuscript becomes markup.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_SKIP = {"script", "style", "code", "pre"}


def highlight(fragment: str, findings: list) -> str:
    """`fragment` with every finding's needle (case-insensitive) marked; the mark carries the
    finding's severity as its class and its message as its title."""
    needles = {f.needle.lower(): f for f in findings if f.needle and f.needle.strip()}
    if not needles or not fragment:
        return fragment
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)),
                         re.IGNORECASE)
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        _mark_text(el, pattern, needles)
        for child in list(el):
            if isinstance(child.tag, str):
                _mark_tail(child, pattern, needles)
    return lxml_html.tostring(root, encoding="unicode")[len("<div>"):-len("</div>")]


def _pieces(text: str, pattern, needles):
    at = 0
    for m in pattern.finditer(text):
        yield text[at:m.start()], None
        yield m.group(0), needles[m.group(0).lower()]
        at = m.end()
    yield text[at:], None


def _mark(finding, text: str):
    el = lxml_html.Element("mark")
    el.set("class", "waived" if finding.waived else finding.severity)
    el.set("title", f"{finding.message} [{finding.code}]")
    el.text = text
    return el


def _mark_text(el, pattern, needles) -> None:
    if not el.text or not pattern.search(el.text):
        return
    pieces = list(_pieces(el.text, pattern, needles))
    el.text = pieces[0][0]
    previous = None
    inserted = 0
    for text, finding in pieces[1:]:
        if finding is not None:
            previous = _mark(finding, text)
            el.insert(inserted, previous)
            inserted += 1
        elif previous is not None:
            previous.tail = (previous.tail or "") + text


def _mark_tail(el, pattern, needles) -> None:
    if not el.tail or not pattern.search(el.tail):
        return
    pieces = list(_pieces(el.tail, pattern, needles))
    el.tail = pieces[0][0]
    anchor = el
    for text, finding in pieces[1:]:
        if finding is not None:
            new = _mark(finding, text)
            anchor.addnext(new)
            anchor = new
        else:
            anchor.tail = (anchor.tail or "") + text
