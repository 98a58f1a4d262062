"""Footnote labels, link references and example labels belong to the chapter that defines them.

An edition is parsed as one text (`manuscript.assemble`), and pandoc scopes these names to the
whole document: chapters converted one by one (pandoc's own Markdown writer numbers each file's
notes `[^1]`, `[^2]`…; blogs and converted pages number their links `[1]: …`) each define the
same label, and pandoc keeps one definition for all: every chapter's note 1 printed the
*last* chapter's note 1, every link `[…][1]` led to the *first* chapter's address, with a
warning nobody reads; a second chapter's example `(@good)` was numbered as the first's, (1),
without a word. Each file is a document of its own to the tools the chapters come from
(Quarto, Sphinx, MkDocs) and to their authors.

So a label defined in more than one chapter gets a copy in each chapter after the first that
defines it: that chapter's definitions and uses are renamed, line for line, outside code. A
chapter that uses such a label without defining it still reaches the first chapter's
definition, as in one document where it is defined once. A label defined in one chapter only
is left as written: one chapter's note or link may serve the others, as pandoc reads a book.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .sources import fenced
from .spans import outside_code

_NOTE_DEFINED = re.compile(r"^ {0,3}\[\^([^\s\[\]^]+)\]:")
_EXAMPLE_DEFINED = re.compile(r"^ {0,3}\(@([\w-]+)\)[ \t]")  # an example list's item
_EXAMPLE = re.compile(r"\(@([\w-]+)\)")  # an item's label and a reference to it
_LINK_DEFINED = re.compile(r"^ {0,3}\[(?!\^)((?:[^\[\]\\]|\\.)+)\]:")
_NOTE_CALL = re.compile(r"(?<!\\)\[\^([^\s\[\]^]+)\]")  # a definition's too
# A bracketed label outside code; not escaped; a note's `[^…]` is not a link's
_BRACKETS = re.compile(r"(?<!\\)\[(?!\^)((?:[^\[\]\\]|\\.)+)\](\[\])?")
SUFFIX = "~"  # label~2: the copy of chapter 2 (never printed: notes are numbered, links by text)
_SCOPED = re.compile(r"~\d+(?=[\]'])")


def _key(label: str) -> str:
    """A link reference's label as pandoc matches it: case and runs of spaces ignored."""
    return " ".join(label.split()).casefold()


def _defined(lines: list[str], code: list[bool]) -> tuple[set[str], set[str], set[str]]:
    notes, links, examples = set(), set(), set()
    for line, inside in zip(lines, code):
        if inside:
            continue
        if "(@" in line and (match := _EXAMPLE_DEFINED.match(line)):
            examples.add(match.group(1))
        elif "]:" not in line:
            continue
        elif match := _NOTE_DEFINED.match(line):
            notes.add(match.group(1))
        elif match := _LINK_DEFINED.match(line):
            links.add(_key(match.group(1)))
    return notes, links, examples


def scoped(files: tuple) -> tuple:
    """`files` (SourceFiles) with every label that two of them define made each one's own."""
    found = []
    for source in files:
        if "]:" in source.text or "(@" in source.text:
            lines = source.text.split("\n")  # every line, the last one's end kept
            code = fenced(lines)[0]
            found.append((lines, code, *_defined(lines, code)))
        else:
            found.append(None)
    seen, changed = (set(), set(), set()), list(files)
    for index, (source, parts) in enumerate(zip(files, found)):
        if parts is None:
            continue
        lines, code, *defined = parts
        own = [labels & before for labels, before in zip(defined, seen)]
        for labels, before in zip(defined, seen):
            before |= labels
        if any(own):
            rewrite = _renamer(*own, index)
            changed[index] = replace(source, text="\n".join(
                line if inside or ("[" not in line and "(@" not in line) else rewrite(line)
                for line, inside in zip(lines, code)))
    return tuple(changed)


def _renamer(notes: set[str], links: set[str], examples: set[str], index: int):
    """A line of chapter `index` with its own labels renamed, outside its code spans."""
    suffix = f"{SUFFIX}{index}"

    def link(match: re.Match) -> str:
        label, text, at = match.group(1), match.group(0), match.start()
        if _key(label) not in links:
            return text
        if match.group(2):  # [label][]
            return f"[{label}][{label}{suffix}]"
        if match.string[at - 1:at] == "]":  # [text][label]
            return f"[{label}{suffix}]"
        if match.string[match.end():match.end() + 1] in ("(", "["):  # [text](url), [text][other]
            return text
        return f"[{label}][{label}{suffix}]"  # a shortcut [label]: its text stays the label

    def within(text: str) -> str:
        if notes and "[^" in text:
            text = _NOTE_CALL.sub(lambda m: f"[^{m.group(1)}{suffix}]" if m.group(1) in notes
                                  else m.group(0), text)
        if examples and "(@" in text:  # an example's label: letters, digits, - and _ only
            text = _EXAMPLE.sub(lambda m: f"(@{m.group(1)}_c{index})" if m.group(1) in examples
                                else m.group(0), text)
        return _BRACKETS.sub(link, text) if links else text

    def rewrite(line: str) -> str:
        defined = _LINK_DEFINED.match(line) if links else None
        if defined and _key(defined.group(1)) in links:  # `[label]: address "title"`
            return line[:defined.end(1)] + suffix + line[defined.end(1):]
        return outside_code(line, within)

    return rewrite


def unscoped(message: str) -> str:
    """A message of pandoc's about a renamed label, with the label as the chapter wrote it."""
    return _SCOPED.sub("", message) if SUFFIX in message else message
