"""The finding: one disagreement between two languages, located at file:line on its side.

Codes are stable API (reports, waivers and CI annotations refer to them), so they live in one
table with their default severity and a one-line description for reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..errors import PublishError

SEVERITIES = ("error", "warning", "info")

CODES: dict[str, tuple[str, str]] = {
    "section-missing": ("error", "a section of the primary language is absent in a translation"),
    "section-extra": ("error", "a section exists only in the translation"),
    "section-order": ("error", "paired sections come in another order"),
    "section-level": ("error", "paired sections sit at another heading level"),
    "id-duplicate": ("error", "the same ID (a section's or any element's) is used twice in one "
                              "language"),
    "id-missing": ("warning", "a heading has no explicit ID"),
    "block-missing": ("warning", "a paragraph, list item, table row, code block or figure of the "
                                 "primary language has no counterpart in the paired section"),
    "block-extra": ("warning", "a paragraph, list item, table row, code block or figure exists "
                               "only in the translation's section"),
    "count-mismatch": ("warning", "paired blocks hold different numbers of footnotes or nested "
                                  "list items"),
    "code-mismatch": ("warning", "paired code blocks differ once comments are set aside"),
    "number-mismatch": ("warning", "a number appears on one side only"),
    "citation-mismatch": ("warning", "paired sections cite different keys"),
    "xref-mismatch": ("warning", "paired sections cross-reference different figures, tables, "
                                 "sections, equations or listings (@fig-…, @fig:…)"),
    "citation-undefined": ("error", "a citation key is not in the bibliography"),
    "citation-unused": ("warning", "a bibliography entry is never cited"),
    "xref-undefined": ("error", "a cross-reference (@fig-…, @tbl:…, @sec-…, @eq-…, @lst-…) "
                                 "has no target"),
    "link-mismatch": ("warning", "link or image targets differ"),
    "anchor-unresolved": ("error", "an in-document link (#anchor) leads to no heading or ID"),
    "image-alt-missing": ("warning", "an image has no text alternative, which the PDF (PDF/UA-1) "
                                     "build refuses and the EPUB's accessibility claim needs"),
    "image-remote": ("warning", "an image named by URL is left out (images.remote: drop); "
                                "nothing is fetched"),
    "citation-as-text": ("warning", "`@name` with no bibliography in publication.yaml: printed as "
                                    "written, not a citation"),
    "markup-foreign": ("warning", "another tool's markup that is printed as text (a Jekyll "
                                  "tag, a Hugo or Quarto shortcode, a MyST directive not read)"),
    "code-not-run": ("warning", "an executable chunk (```{r}, ```{python}, `r x`) is shown as "
                                "code, or hidden, and never run: its output is not in the book"),
    "fence-suspect": ("warning", "a code block holds a line opening another with a language: "
                                 "it is likely never closed, and prose is printed as code"),
    "footnote-undefined": ("error", "a footnote is called (`[^key]`) and never defined: pandoc "
                                    "prints the call as written"),
    "heading-skipped": ("warning", "a heading more than one level under the heading before it "
                                   "(numbered 1.0.1): outlines skip a level"),
    "heading-numbered": ("warning", "a heading types its own number, which the build's precedes"),
    "heading-empty": ("error", "a heading without text: the contents and the bookmarks show a "
                               "section by its text"),
    "pandoc-warning": ("warning", "pandoc warned about a chapter: a note defined and never "
                                  "called, a link reference defined twice…"),
    "link-file": ("error", "a link points at a file, not into the book (the build refuses it "
                           "unless links.base-url publishes it)"),
    "front-matter-ignored": ("warning", "a chapter's front matter has keys other than title and "
                                        "lang, which the build sets aside"),
    "section-empty": ("warning", "a heading with nothing under it before the next at its level "
                                 "or above (the last chapter's last heading, when the reference "
                                 "list follows it, is that list's title: pandoc's `# References`)"),
    "chapter-untitled": ("warning", "a chapter after the first begins with text before any "
                                    "heading: it runs on under the chapter before"),
    "chapter-empty": ("error", "a chapter holds no text, or only a placeholder"),
    "input-unreadable": ("error", "an input file cannot be read (the check could not run)"),
    "term-mismatch": ("warning", "a glossary term appears without its counterpart"),
    "length-ratio": ("info", "the text length ratio is outside the band for the language pair"),
    "untranslated": ("warning", "a paragraph is identical in both languages"),
    "stale-translation": ("warning", "the primary section changed since it was marked in sync"),
    "waiver-stale": ("warning", "a waiver matches no finding"),
}


@dataclass(frozen=True)
class Finding:
    code: str
    lang: str
    file: str
    line: int
    section: str
    message: str
    severity: str = ""  # "" → the code's default
    waived: bool = False
    reason: str = ""  # the waiver's reason, when waived
    needle: str = field(default="", compare=False)  # text to highlight in the html report
    details: tuple[str, ...] = field(default=(), compare=False)  # facts inside a missing block

    def __post_init__(self):
        if not self.severity:
            object.__setattr__(self, "severity", CODES[self.code][0])

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def waive(self, reason: str) -> "Finding":
        return replace(self, waived=True, reason=reason)

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("code", "severity", "lang", "file", "line",
                                             "section", "message", "waived")}
        if self.waived:
            out["reason"] = self.reason
        if self.details:
            out["details"] = list(self.details)
        return out


@dataclass(frozen=True)
class Result:
    """Everything a report needs: findings plus the aligned sections to show side by side."""

    source_lang: str
    target_langs: tuple[str, ...]
    findings: tuple[Finding, ...]
    pairs: dict = field(default_factory=dict, compare=False)  # lang → [(src Section|None, tgt Section|None)]
    title: str = ""
    notes: tuple[str, ...] = ()  # what the check assumed or skipped, said in every report

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity and not f.waived)

    @property
    def summary(self) -> dict:
        return {"errors": self.count("error"), "warnings": self.count("warning"),
                "waived": sum(1 for f in self.findings if f.waived)}

    def failed(self, strict: bool = False) -> bool:
        return bool(self.count("error") or (strict and self.count("warning")))


class ParityError(PublishError):
    """The cross-check found errors; the build stops before writing anything."""

    category = "parity"
