"""The bilingual artifacts of each translation, beside the single editions:

- `facing`: `<slug>-<primary>-<lang>.pdf`, the facing-page edition (`facing.py`), built with
  the PDFs;
- `review`: `<slug>-review-<lang>.docx`, the review document (`review.py`), built with the DOCX.

Each is on unless `bilingual:` in publication.yaml turns it off. Their renderers take the
primary edition and the translation: `render(primary, translation, ctx) -> bytes`.
"""

from __future__ import annotations

BILINGUAL = ("facing", "review")


def bilingual_artifacts(pub, langs, formats) -> list[tuple[str, str, str]]:
    """(translation code, kind, file name) of every bilingual artifact asked for."""
    out = []
    for code in langs:
        if code == pub.primary or pub.primary not in pub.codes:
            continue
        if "pdf" in formats and pub.bilingual.facing_pdf:
            out.append((code, "facing", f"{pub.slug}-{pub.primary}-{code}.pdf"))
        if "docx" in formats and pub.bilingual.review_docx:
            out.append((code, "review", f"{pub.slug}-review-{code}.docx"))
    return out
