"""One source/translation couple as the pair checks see it: its aligned sections, the blocks
paired inside each pair of sections (computed once, on demand) and its link targets as they
compare (URLs normalised, anchors resolved to the source section they lead to).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import anchors as anchors_mod
from . import links as links_mod
from .align import MAX_COMPARED_BLOCKS, Alignment, bound, expected_ratio
from .block_align import align_units
from .findings import Finding
from .glossary import Glossary
from .outline import Section
from .units import Unit


@dataclass
class Pair:
    """Everything the pair checks need for one source/translation couple."""

    src_lang: str
    tgt_lang: str
    alignment: Alignment
    glossary: Glossary | None = None
    band: tuple[float, float] | None = None
    quiet_files: set[str] = field(default_factory=set)  # source files whose translation is empty
    skipped: set[str] = field(default_factory=set)  # checks that could not run (no language)
    _blocks: dict = field(default_factory=dict)
    _anchors: tuple | None = None
    _partner: dict | None = None

    @property
    def paired(self) -> list[tuple[Section, Section]]:
        """Pairs of sections, less those of a chapter that chapter-empty reports."""
        return [(s, t) for s, t in self.alignment.pairs if s is not None and t is not None
                and t.file not in self.quiet_files]

    def blocks(self, s: Section, t: Section) -> list[tuple[Unit | None, Unit | None]]:
        key = (id(s), id(t))
        if key not in self._blocks:
            pulled = self.pulled
            a, b = s.parts + pulled.get(id(s), []), t.parts + pulled.get(id(t), [])
            bound(len(a), len(b), f"section “{s.name}” has {len(a):,} blocks in {self.src_lang} "
                  f"against {len(b):,} in {self.tgt_lang}", "split it with headings", s.file, s.line,
                  MAX_COMPARED_BLOCKS)
            self._blocks[key] = align_units(a, b,
                                            lambda u: self.link_values(0, u),
                                            lambda u: self.link_values(1, u), self.ratio)
        return self._blocks[key]

    @property
    def ratio(self) -> float:
        """The translation's expected length for 1 of the source: the middle of the band the
        waivers accept, else the languages' typical one."""
        return ratio_of(self.src_lang, self.tgt_lang, self.band)

    @property
    def pulled(self) -> dict[int, list[Unit]]:
        """Blocks of unpaired subsections, lent to their paired parent section: text that one
        side splits into subsections and the other writes in one piece pairs block by block."""
        if "pulled" not in self._blocks:
            out: dict[int, list[Unit]] = {}
            for side in (0, 1):
                order = [pair[side] for pair in self.alignment.pairs if pair[side] is not None]
                paired = {id(pair[side]) for pair in self.alignment.pairs if None not in pair}
                for i, sec in enumerate(order):
                    if id(sec) not in paired or not sec.level:
                        continue
                    j = i + 1
                    while j < len(order) and order[j].level > sec.level and id(order[j]) not in paired:
                        out.setdefault(id(sec), []).extend(u for u in order[j].parts if u.kind != "heading")
                        j += 1
            self._blocks["pulled"] = out
            self._blocks["lent"] = {id(u) for units in out.values() for u in units}
        return self._blocks["pulled"]

    def link_values(self, side: int, u: Unit) -> list[tuple[str, str]]:
        """Link targets of a block as they compare: URLs normalised, anchors resolved to the
        (source) section they lead to; '?' for an anchor that leads nowhere."""
        return [value for value, _ in self.links_of(side, u)]

    def links_of(self, side: int, u: Unit) -> list[tuple[str, str]]:
        out = []
        lang = f"{self.src_lang} {self.tgt_lang}"
        for target in u.links:
            target = links_mod.own_anchor(target, self.files[side])
            if not links_mod.is_anchor(target):
                out.append((links_mod.page_of(links_mod.normalise_url(target, lang)), target))
                continue
            found = self.anchors[side].resolve(target)
            if found is None or isinstance(found, str):
                out.append((found or "?", target))
                continue
            if side == 1:
                if self._partner is None:
                    self._partner = {id(t): s for s, t in self.alignment.pairs if s and t}
                home = self._partner.get(id(found))
                out.append((f"§{home.index}" if home else f"§{self.tgt_lang}{found.index}", target))
            else:
                out.append((f"§{found.index}", target))
        return out

    def matched(self, s: Section, t: Section) -> list[tuple[Unit, Unit]]:
        return [(a, b) for a, b in self.blocks(s, t) if a is not None and b is not None]

    @property
    def files(self) -> tuple[set[str], set[str]]:
        """Names of the files of each side: a link to one of them with a #fragment is an anchor."""
        if "files" not in self._blocks:
            self._blocks["files"] = tuple({sec.file for sec in (pair[side] for pair in self.alignment.pairs)
                                           if sec is not None} for side in (0, 1))
        return self._blocks["files"]

    @property
    def anchors(self) -> tuple[anchors_mod.Anchors, anchors_mod.Anchors]:
        if self._anchors is None:
            src = [s for s, _ in self.alignment.pairs if s is not None]
            tgt = [t for _, t in self.alignment.pairs if t is not None]
            self._anchors = (anchors_mod.Anchors(src), anchors_mod.Anchors(tgt))
        return self._anchors

    def where(self, section: Section, line: int | None = None) -> str:
        return f"{section.file}:{line or section.line}"

    def finding(self, code: str, section: Section, line: int, message: str, needle: str = "",
                name: Section | None = None, details: tuple[str, ...] = ()) -> Finding:
        return Finding(code, self.tgt_lang, section.file, line, (name or section).name,
                       f"{(name or section).name}: {message}", needle=needle, details=details)


def label(s: Section, t: Section) -> Section:
    """The section that names a pair: the source's, unless its ID is a duplicate."""
    return t if s.duplicate and not t.duplicate else s


def ratio_of(src_lang: str, tgt_lang: str, band: tuple[float, float] | None) -> float:
    return (band[0] * band[1]) ** 0.5 if band else expected_ratio(src_lang, tgt_lang)
