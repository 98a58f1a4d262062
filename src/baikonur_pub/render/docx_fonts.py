"""DOCX: the fallbacks of styles/fonts.yaml, as Word and LibreOffice can take them.

Word picks a run's font by the class of each character (`w:rFonts` ascii, hAnsi, eastAsia, cs)
and has no per-script fallback list, so the runs holding characters a fallback sets are split,
and each piece of fallback text names its font in all four slots. The role (text, heading, code)
comes from the run's character style and its paragraph's style, as docx-styles.yaml assigns
families. The TrueType fallbacks are embedded like the publication's faces, subset to what they
set; an OpenType/CFF one (the CJK faces) is named, not embedded: Word embeds TrueType only.
"""

from __future__ import annotations

import copy
from typing import Callable

from . import fonts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CODE_STYLES = {"SourceCode", "VerbatimChar"}


def _role(paragraph_style: str | None, run_style: str | None, spec_fonts: dict, styles: dict
          ) -> str:
    if run_style in _CODE_STYLES or paragraph_style in _CODE_STYLES:
        return "code"
    name = styles.get(paragraph_style or "Normal") or {}
    family = name.get("font", "text")
    return {"headings": "heading", "code": "code"}.get(family, "text")


def split_runs(pub, spec: dict, lang: str | None = None) -> tuple[Callable[[bytes], bytes], set]:
    """An edit of word/document.xml giving fallback text its font, and the set of fallback
    families it used (filled when the edit runs)."""
    from lxml import etree

    plan = fonts.plan(pub, lang)
    used: set[str] = set()
    w = f"{{{W}}}"
    # docx-styles.yaml names styles as Word shows them ("Heading 1"); the XML by ID ("Heading1").
    styles = {name.replace(" ", ""): values for name, values in (spec.get("styles") or {}).items()}

    # What any fallback of a role takes over: a run with none of it (most of them) is left
    # as it is without asking for each character's owner (a 50× report's DOCX: 0.8 → 0.1 s).
    taken = {role: plan.taken(role) for role in fonts.ROLES}

    def pieces(text: str, role: str) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        for char in text:
            owner = plan.owner(role, ord(char))
            if out and out[-1][1] == owner:
                out[-1] = (out[-1][0] + char, owner)
            else:
                out.append((char, owner))
        return out

    def edit(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for run in list(root.iter(f"{w}r")):
            texts = run.findall(f"{w}t")
            if len(texts) != 1 or len(run) > 2 or not texts[0].text:
                continue  # tabs, breaks, fields: left as pandoc wrote them
            paragraph = next(run.iterancestors(f"{w}p"), None)
            pstyle = paragraph.find(f"{w}pPr/{w}pStyle") if paragraph is not None else None
            rstyle = run.find(f"{w}rPr/{w}rStyle")
            role = _role(pstyle.get(f"{w}val") if pstyle is not None else None,
                         rstyle.get(f"{w}val") if rstyle is not None else None,
                         spec.get("fonts") or {}, styles)
            if taken[role].isdisjoint(map(ord, texts[0].text)):
                continue
            parts = pieces(texts[0].text, role)
            if all(owner is None for _, owner in parts):
                continue
            parent, index = run.getparent(), run.getparent().index(run)
            parent.remove(run)
            for offset, (text, owner) in enumerate(parts):
                piece = copy.deepcopy(run)
                piece.find(f"{w}t").text = text
                piece.find(f"{w}t").set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                if owner:
                    used.add(owner)
                    rpr = piece.find(f"{w}rPr")
                    if rpr is None:
                        rpr = etree.Element(f"{w}rPr")
                        piece.insert(0, rpr)
                    rfonts = rpr.find(f"{w}rFonts")
                    if rfonts is None:
                        rfonts = etree.Element(f"{w}rFonts")
                        style = rpr.find(f"{w}rStyle")
                        rpr.insert(0 if style is None else rpr.index(style) + 1, rfonts)
                    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                        rfonts.set(f"{w}{slot}", owner)
                parent.insert(index + offset, piece)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return edit, used


def embeddable(pub, families: set[str], lang: str | None = None) -> dict[str, tuple[list, frozenset]]:
    """family → ([(Word's embed element, TrueType path)], what it sets) for the fallbacks used."""
    plan = fonts.plan(pub, lang)
    tags = {"regular": "embedRegular", "bold": "embedBold", "italic": "embedItalic",
            "bold-italic": "embedBoldItalic"}
    out = {}
    for family in sorted(families):
        files = plan.fallbacks[family].files
        if all(path.suffix.lower() == ".ttf" for path in files.values()):
            sets = frozenset().union(*(chars for role in fonts.ROLES
                                       for f, chars in plan.takeover.get(role, ()) if f == family))
            out[family] = ([(tags[key], path) for key, path in files.items()], sets)
    return out
