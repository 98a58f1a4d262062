"""The Hugging Face course's quizzes, `<Question choices={[{text: "…", explain: "…",
correct: true}, …]} />`: the site draws each choice as a button and shows its explanation once
picked. Left out as any component without content, a quiz was its question alone, the choices
lost. The book lists them as boxes to tick (a task list), each explanation a note on its
choice, as a printed quiz keeps its answers off the page of its questions. The choices are
read as JavaScript literals, never run: an array of objects of strings, numbers and booleans;
anything else, and the quiz is left out as any such component is."""

from __future__ import annotations

import re

_CHOICES = re.compile(r"\bchoices\s*=\s*\{\s*")
_TOKEN = re.compile(r"""\s*(?:([\[\]{},:])|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
                    r"""|`(?:[^`\\$]|\\.)*`)|([A-Za-z_$][\w$]*|-?\d+(?:\.\d+)?))""")
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.S)
_TAG = re.compile(r"(<[^<>]*>)")


def lines(name: str, tag: str) -> list[str] | None:
    """The task list a `<Question …/>` tag as written is, a line per choice (None: no quiz
    this module reads)."""
    if name != "Question" or not (start := _CHOICES.search(tag)):
        return None
    choices = _array(tag, start.end())
    if not choices:
        return None
    return [f"- [ ] {_text(c.get('text', ''))}" + (f"^[{_text(c['explain'])}]"
                                                  if c.get("explain") else "")
            for c in choices]


def _array(text: str, at: int) -> list[dict] | None:
    """The array of objects at `text[at:]`, up to the attribute's closing brace (None: it
    holds anything else)."""
    tokens, depth = [], 1
    while True:
        match = _TOKEN.match(text, at)
        if not match:
            return None
        token, at = match.groups(), match.end()
        depth += (token[0] in ("{", "[")) - (token[0] in ("}", "]"))
        if not depth:
            break
        tokens.append(token)
    pos = 0

    def take(mark: str) -> bool:
        nonlocal pos
        found = pos < len(tokens) and tokens[pos][0] == mark
        pos += found
        return found

    if not take("["):
        return None
    items = []
    while not take("]"):
        if not take("{"):
            return None
        item = {}
        while not take("}"):
            if pos + 2 >= len(tokens):
                return None
            key, colon, value = tokens[pos:pos + 3]
            name = key[2] or (key[1] and _string(key[1]))
            if not name or colon[0] != ":" or value[0]:
                return None
            item[name] = _string(value[1]) if value[1] else value[2]
            pos += 3
            take(",")
        items.append(item)
        take(",")
    return items if pos == len(tokens) else None


def _string(literal: str) -> str:
    """A JavaScript string literal's value, its escapes read."""
    def escape(match: re.Match) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code.strip("u{}x"), 16))
        return {"n": " ", "t": " ", "r": ""}.get(code, code)
    return _ESCAPE.sub(escape, literal[1:-1])


def _text(value: str) -> str:
    """`value`, HTML as the site shows it, on one line, its brackets outside tags escaped (a
    note's `]` would end it)."""
    parts = _TAG.split(" ".join(str(value).split()))
    return "".join(p if p.startswith("<") else re.sub(r"([\[\]^\\])", r"\\\1", p) for p in parts)
