"""MDX's lines (Docusaurus, react.dev, Next.js sites), read as the site means them: a JSX
component whose tags stand alone on their lines wraps Markdown blocks the page shows.

A capitalised tag is a component, not HTML (MDX's own rule), and raw HTML's policy refused
each (`<Intro>`, `<Pitfall>`, `<Sandpack>`…: a page of the React docs gave forty refusals and
nothing was built). Tabs are shown in turn under their labels, mdBook's `<Listing>` as a
listing; a component named as a callout kind (`<Note>`, `<Warning>`, `<Pitfall>`) is that
callout; any other wrapping one is a div of its name (`<DeepDive>` a `deep-dive` div: its
content shown, a style may set it apart), once its closing tag is found — one never closed,
or closed in the middle of a line, stays raw HTML and is refused at its line. A component
alone on its line with no content (`<Illustration src="…" />`) draws what only the site's
code knows: left out, a `markup-foreign` warning. react.dev's heading IDs written as MDX
comments, `## Title {/*title*/}`, are the heading's ID, as the site reads them."""

from __future__ import annotations

import re

from ..callouts import kind_of
from ..spans import outside_code
from . import quiz
from .attributes import ATTRIBUTE, quoted, titled_div

# Docusaurus' tabs, each shown in turn under its label (a book has no tabs to click), and the
# imports, exports and comments a page shows nothing of
_TABS = re.compile(r"^\s*</?Tabs\b[^>]*>\s*$")
_TAB = re.compile(r"^(\s*)<TabItem\b([^>]*?)/?>\s*$")
_TAB_END = re.compile(r"^(\s*)</TabItem>\s*$")
_LABEL = re.compile(r"""\b(label|value)=(?:"([^"]*)"|'([^']*)'|\{["']([^"']*)["']\})""")
# mdBook's listings (mdbook-trpl), their tags alone on their lines: a `listing` div, which
# `tree.tidy` gives its caption ("Listing 1-1: …") and its file name above the code
_LISTING = re.compile(r"^\s*<Listing\b([^>]*)>\s*$")
_LISTING_END = re.compile(r"^\s*</Listing>\s*$")
_MDX_LINE = re.compile(r"""^(?:import\s+(?:[\w{},*\s]+\s+from\s+)?["'][^"']+["'];?"""
                       r"""|export\s+(?:const|let|var|function|default)\b.*"""
                       r"""|\s*\{/\*.*\*/\})\s*$""")
# any other component, its tag alone on its line: `<DeepDive>`, `<ConsoleBlock level="error">`,
# `</DeepDive>`, `<Illustration src="…" />`; attribute values in quotes or JSX braces
_VALUE = r"""(?:"[^"]*"|'[^']*'|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})"""
_COMPONENT = re.compile(r"^\s*<(/?)([A-Z][\w.]*)((?:\s+(?:[\w:-]+(?:\s*=\s*" + _VALUE
                        + r")?|\{[^{}]*\}))*)\s*(/?)>\s*$")  # `{...props}`, Svelte's `{fw}`
_KINDS = {"pitfall": "warning", "callout": "note"}  # react.dev's Pitfall a warning
# react.dev's heading ID, an MDX comment at the heading's end; Hugging Face's doc-builder
# writes it in double brackets glued to the heading's text, `## Pipelines[[pipelines]]`
_HEADING_ID = re.compile(r"^(\s{0,3}#{1,6}\s.*)\{/\*\s*([\w-]+)\s*\*/\}\s*$")  # (1) stripped
_BRACKETED_ID = re.compile(r"^(\s{0,3}#{1,6}\s.*?\S)\[\[([\w-]+)\]\]\s*$")


def line(text: str) -> str | None:
    """The line an MDX line is in pandoc's Markdown (None: no such line): a tab a titled div
    (`tab-item`), the tabs around them and an import, an export or a comment nothing;
    mdBook's `<Listing …>` a `listing` div; a heading's `{/*id*/}` or `[[id]]` its ID."""
    if _TABS.match(text) or _MDX_LINE.match(text):
        return ""
    if tab := _TAB.match(text):
        labels = {m.group(1): next(g for g in m.groups()[1:] if g is not None)
                  for m in _LABEL.finditer(tab.group(2))}
        title = labels.get("label") or labels.get("value") or ""
        return ":::" + titled_div("tab-item", title)  # not indented:
    if _TAB_END.match(text) or _LISTING_END.match(text):                       # pandoc's rule
        return ":::"
    if listing := _LISTING.match(text):
        given = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                 for m in ATTRIBUTE.finditer(listing.group(1))}
        names = (("number", "number"), ("file-name", "filename"), ("caption", "caption"))
        kept = "".join(f" {name}={quoted(given[key])}" for key, name in names if given.get(key))
        return "::: {.listing" + kept + "}"
    if ("{/*" in text and (heading := _HEADING_ID.match(text))) or (
            "]]" in text and (heading := _BRACKETED_ID.match(text))):
        return f"{heading.group(1).rstrip()} {{#{heading.group(2)}}}"
    return None


class Components:
    """The components of `out` whose tags stand alone on their lines, paired as `_rewrite`
    reaches them (one pass: a stack of the tags still open), each pair made a div."""

    def __init__(self, out: list[str]):
        self.out = out
        self.open: list[tuple[str, int]] = []  # (name, index) of opening tags not yet closed
        self.names: dict[str, int] = {}  # how many of each name are open: a closing tag of
        # none is told in one look, not by reading the stack (20,000 tags deep)
        self.unended = 0  # a tag that never ends runs to this line: the tags up to it are
        # inside it, and none is read again (one pass, however many there are)

    def take(self, number: int, at: int, notices: list) -> bool:
        """Whether `out[number]` is a component's tag alone on its line (then read), a tag
        spread over several lines (`<Banner\\n  chapter={1}\\n/>`) as if written on one."""
        written = ""
        if number >= self.unended and _START.match(self.out[number]):
            written, stop = one_line(self.out, number)
            if not written:  # to a blank line or the chapter's end: 8,000 such tags over one
                self.unended = stop  # paragraph were read 66 s, each to the paragraph's end
        match = _COMPONENT.match(self.out[number])
        if not match:
            return False
        closing, name, attrs, alone = match.groups()
        if alone and not closing and (shown := quiz.lines(name, written or "")) and \
                len(shown) <= written.count("\n") + 1:  # a quiz: its choices, a line each
            self.out[number:number + len(shown)] = shown
        elif alone and not closing:
            self.out[number] = ""
            notices.append(("markup-foreign", at, f"MDX component <{name} /> is not read: "
                            "what the site draws of it is not in the book"))
        elif not closing:
            self.open.append((name, number))
            self.names[name] = self.names.get(name, 0) + 1
        elif self.names.get(name):
            while True:  # a tag left open inside: raw HTML still, refused where written
                opened = self.open.pop()
                self.names[opened[0]] -= 1
                if opened[0] == name:
                    break
            self.out[opened[1]] = ":::" + _div(name, attrs_of(self.out[opened[1]]))
            self.out[number] = ":::"
        return True


# a component's tag read whatever its lines: JSX strings and expressions in braces, which
# may hold `>`, quotes and braces of their own, skipped to the `>` that ends the tag
_START = re.compile(r"^\s*<[A-Z][\w.]*(?:\s|$)")
_NEXT = (re.compile(r"""["'{>]"""), re.compile(r"""["'`{}]"""))  # outside braces, inside
_STRINGS = (  # JSX's attribute strings know no escapes, JavaScript's do
    {q: re.compile(f"[^{q}]*{q}") for q in "\"'"},
    {q: re.compile(f"(?:[^{q}\\\\]|\\\\.)*{q}", re.S) for q in "\"'`"})


def one_line(out: list[str], number: int) -> tuple[str, int]:
    """The tag starting `out[number]` as written ("" if a blank line or the chapter's end comes
    first) and the line where it ends or the search stopped; a tag of several lines is then
    written on its first (each expression in braces that is no literal as `{…}`:
    `notebooks={[{…}]}` holds quotes and braces no line pattern pairs), its other lines left
    blank so every later line keeps its number. A blank line outside braces ends the search.
    Each line is read once: a string still open goes on from the line added."""
    # the search goes line by line (`base`: where the line starts in the tag's text): adding
    # each line to one text copied it whole each time (40,000 lines of `<Box x`: 0.5 s)
    line, end, at, base, depth, opened, spans, inside = out[number], number, 0, 0, 0, 0, [], None
    while True:
        if inside and (string := _STRINGS[depth > 0][inside].match(line, at)):
            at, inside = string.end(), None
        found = None if inside else _NEXT[depth > 0].search(line, at)
        if not found:  # the tag goes on: its next line, read from its start
            end += 1
            if end == len(out) or (not depth and not out[end].strip()):
                return "", end
            at, base, line = 0, base + len(line) + 1, out[end]
            continue
        mark, at = found.group(), found.end()
        if mark in "\"'`":
            inside = mark
        elif mark == "{":
            opened, depth = (base + found.start() if not depth else opened), depth + 1
        elif mark == "}":
            depth -= 1
            if not depth:
                spans.append((opened, base + at))
        else:
            break
    text = "\n".join(out[number:end + 1])
    written, text = text, _spans(text, spans)
    out[number:end + 1] = [" ".join(text.split("\n"))] + [""] * (end - number)
    return written, end


def _spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each expression in braces at `spans` that is no literal as `{…}`."""
    parts, at = [], 0
    for start, stop in spans:
        literal = _LITERAL.match(text[start + 1:stop - 1]) or stop - start <= 2
        parts += [text[at:start], text[start:stop] if literal else "{…}"]
        at = stop
    return "".join(parts) + text[at:]


def attrs_of(text: str) -> dict[str, str]:
    """The quoted attributes of a tag's line, and those set `{true}` or alone (`<Tip
    warning={true}>`, `<Tip warning>`) as "true"."""
    bare = _TRUE.findall(re.sub(r""""[^"]*"|'[^']*'""", '""', text))
    return dict.fromkeys(bare, "true") | {m.group(1): m.group(2) if m.group(2) is not None
                                          else m.group(3) for m in ATTRIBUTE.finditer(text)}


_TRUE = re.compile(r"""(?<=\s)([\w-]+)(?==\{\s*true\s*\}|\s|/?>)""")


def _div(name: str, attrs: dict[str, str]) -> str:
    """The div fence's attributes for component `name`: a callout when it or its `type`
    names a kind (`<Note>`, `<Warning title="…">`, Docusaurus' `<Admonition type="tip">`,
    Nextra's `<Callout type="warning">`; a `<Callout>` of no kind a note), else a div of its
    name in kebab case (`DeepDive`, `deep-dive`) and `component`, whose headings the book does
    not number (`tree.tidy`): an aside's, as the site shows them."""
    kind = "warning" if attrs.get("warning") == "true" else (  # Hugging Face's `<Tip warning>`
        kind_of(attrs.get("type", "")) or kind_of(name) or _KINDS.get(name.lower()))
    if kind:
        return titled_div(f"callout-{kind}", attrs.get("title", ""))
    return " {." + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name.replace(".", "-")).lower() + " .component}"


# a tag with an attribute in JSX braces (`<img src="x.png" style={{margin: 0}} />`), which no
# HTML reader takes for a tag: pandoc printed it as text, the image lost
_BRACED = r"\{(?:[^{}]|\{[^{}]*\})*\}"
_JSX_TAG = re.compile(r"<[A-Za-z][\w.-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|"
                      + _BRACED + r"|[^\s\"'=<>`{]+))?)*\s*/?>")
# (from a run of spaces' start only: from each of its spaces `\s+` read the run again)
_JSX_ATTRIBUTE = re.compile(r"(?<!\s)\s+([\w:.-]+)\s*=\s*(" + _BRACED + ")")
_LITERAL = re.compile(r"""^\s*(?:(-?\d+(?:\.\d+)?|true|false)|"([^"\\]*)"|'([^'\\]*)'"""
                      r"""|`([^`\\$]*)`)\s*$""")


def attributes(text: str, at: int, notices: list) -> str:
    """`text` with each tag's JSX attributes (outside code spans) as HTML writes them: a
    literal, `width={300}`, `alt={"A cat"}`, quoted (`width="300"`); any other expression
    (`style={{…}}`, `onClick={go}`) left out, as a book runs no code: only `style` and
    `className` (the page's look) without a `markup-foreign` warning."""
    def tag(match: re.Match) -> str:
        return _JSX_ATTRIBUTE.sub(attribute, match.group(0)) if "={" in match.group(0) else \
            match.group(0)

    def attribute(match: re.Match) -> str:
        name, value = match.group(1), match.group(2)
        if literal := _LITERAL.match(value[1:-1]):
            given = next(g for g in literal.groups() if g is not None)
            if literal.group(1) in ("true", "false"):  # HTML's boolean attribute: there or not
                return f" {name}" if given == "true" else ""
            return f" {name}={quoted(given)}"
        if name not in ("style", "className"):
            notices.append(("markup-foreign", at, f"JSX attribute {name}={_cut(value)} is not "
                            "read: a book runs no code"))
        return ""

    return outside_code(text, lambda part: _JSX_TAG.sub(tag, part))


def _cut(value: str, size: int = 40) -> str:
    return value if len(value) <= size else value[:size - 1] + "…}"
