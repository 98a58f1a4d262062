"""PDF/UA-1 that a checker accepts: WeasyPrint's tag tree, told what each element is, then rebuilt.

WeasyPrint 70 tags page by page: a chapter crossing a page break becomes two elements, the
running heads and folios become structure elements that nothing in the tree lists (orphans,
Matterhorn 01-005), the contents' leader dots are tagged as text (01-003), links nest in links
and carry their raw target as description (28-010), and no element says its language. What it
knows while tagging (which HTML element each box comes from) is gone from the PDF, so `tagging`
wraps its tree builder for the duration of one `write_pdf` and writes that knowledge into each
element under private keys; `finish` (pikepdf) then rebuilds the tree from it: fragments of one
element merged, one `Sect` per chapter, a `TOC` of `TOCI`, margin text and leaders turned into
Artifacts in the content streams, `/Lang` where a part's language differs from the document's,
and links to another PDF as GoToR actions. `problems` re-reads a PDF and lists what a PDF/UA
checker would reject among what can be decided mechanically (`pdfua_check`); the build
fails on any. Line-end hyphens become soft ones (`soft_hyphens`).
"""

from __future__ import annotations

import io
import re

from ..errors import RenderError
from . import soft_hyphens
from .pdfua_check import check, mcid_of, problems  # noqa: F401 - the checks of what `finish` makes
from .pdfua_tree import (PRIVATE, _Node, _flatten_links, _mcids, _merge,  # noqa: F401
                         _notes_at_their_calls, _read, _roles, _without_leaders, _write)



def link_descriptions(document: str) -> dict[str, str]:
    """Description of every link target of the print HTML (PDF/UA 7.18.5, WCAG 2.4.4): a
    section's number and title, a reference's author and year, another file's sentence."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(document)
    found: dict[str, str] = {}
    for element in root.iter():
        ident = element.get("id")
        if not ident or not isinstance(element.tag, str):
            continue
        text = " ".join(element.text_content().split())
        if "csl-entry" in (element.get("class") or "").split():
            match = re.search(r"\b(1[5-9]|20)\d\d\b", text)
            text = text[:match.end()].rstrip(" .,(") if match else text[:80]
        found[f"#{ident}"] = text
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href and not href.startswith("#") and href not in found:
            parent = link.getparent()
            found[href] = " ".join((parent if parent is not None else link).text_content().split())
    return found


def check_alternatives(edition) -> None:
    """PDF/UA-1 (7.3) wants a text alternative for every image: one without is an error at its
    source line, before layout, rather than a PDF that claims what it is not."""
    from ..errors import raise_all

    raise_all(missing_alternatives(edition))


def missing_alternatives(edition) -> list:
    """An error for each image of the edition without a text alternative, at its line (`check`
    reports them too: image-alt-missing). The AST holds an image's path from the manuscript
    folder (`en/intro/fig.svg`), the chapter as written (`fig.svg`): that is looked for."""
    import posixpath

    from ..ast import walk
    from ..links import folder_of
    from ..sources import first_line

    manuscript = edition.pub.manuscript.resolve()
    problems, seen = [], {}
    for block, owner in zip(edition.ast["blocks"], edition.block_files):
        for node in walk(block):
            if node.get("t") != "Image" or node["c"][1]:
                continue
            url = node["c"][2][0]
            spellings = [url]  # found in the chapter's folder, else in the manuscript folder
            if owner >= 0 and not url.startswith("data:"):
                spellings.insert(0, posixpath.relpath(url, folder_of(edition.files[owner], manuscript)))
            nth = seen[(owner, url)] = seen.get((owner, url), -1) + 1
            ordered = ([edition.files[owner]] if owner >= 0 else []) + list(edition.files)
            for written, needle in ((w, n) for n in ("](", "") for w in spellings):
                shown, line = first_line(ordered, needle + written, nth)
                if line is not None:
                    break
            else:
                written = spellings[-1]
            text = next((f.lines[line - 1] for f in ordered if f.shown == shown), "") if line else ""
            tag = re.search(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]*" + re.escape(written)
                            + r")", text, re.I)
            if tag:  # raw HTML: its own attribute, the path as written (`/img/x.png`)
                written = tag.group(1)
                fix = f'add alt="what it shows" to its <img src="{written}">'
            else:
                fix = f"write ![what it shows]({written})"
            message = (f"image '{written}' has no text alternative, which PDF/UA-1 needs: {fix}, "
                       "or set pdf: {variant: none}")
            problems.append(RenderError(message, shown, line) if line else
                            RenderError(f"{edition.code}: {message}"))
    return problems


def tagging(descriptions: dict[str, str]):
    """While `write_pdf` runs under it: every structure element WeasyPrint makes records the HTML
    element it comes from (tag, class, lang, identity, leader or margin box) under PRIVATE, and
    every link annotation gets its description from `descriptions`."""
    from . import weasy

    def note(origin: weasy.BoxOrigin) -> dict:
        info = {"Node": origin.node, "Element": origin.element}
        if origin.tag:
            info["Tag"] = origin.tag
        for attr, value in origin.attrs.items():
            if attr != "id" or "::" not in (origin.tag or ""):  # a pseudo-element has no ID
                info[attr.capitalize()] = value
        if origin.leader:
            info["Leader"] = 1
        if origin.in_margin:
            info["Margin"] = 1
        return info

    return weasy.tag_notes(note, descriptions.get)


def _artifacts(instructions: list, marked: dict, wanted: dict) -> None:
    """Marked content that is page furniture becomes `/Artifact` in the content stream
    (`wanted`: MCID → kind; `marked`: MCID → index of its BDC)."""
    import pikepdf

    for mcid, kind in wanted.items():
        properties = pikepdf.Dictionary(Type=pikepdf.Name("/" + kind))
        if kind == "Pagination":
            properties.Subtype = pikepdf.Name.Header
        instructions[marked[mcid]] = pikepdf.ContentStreamInstruction(
            [pikepdf.Name.Artifact, properties], pikepdf.Operator("BDC"))


def _cut(instructions: list, candidates: list[int]) -> tuple[list[bytes], list[tuple]]:
    """The page's content stream as bytes, cut at each text operator that may end with an
    incidental hyphen: (the pieces between, (index, as it is, softened) for each cut)."""
    import pikepdf

    pieces, cuts, start = [], [], 0
    for index in candidates:
        pieces.append(pikepdf.unparse_content_stream(instructions[start:index]))
        cuts.append((index, pikepdf.unparse_content_stream([instructions[index]]),
                     pikepdf.unparse_content_stream(soft_hyphens.softened(instructions[index]))))
        start = index + 1
    pieces.append(pikepdf.unparse_content_stream(instructions[start:]))
    return pieces, cuts


def _joined(cut: tuple[list[bytes], list[tuple]], soft: set[int]) -> bytes:
    """The content stream again from `_cut`'s pieces, softened where `soft` says: the bytes
    `unparse_content_stream` gives for the whole list (instructions are separated by a newline)."""
    pieces, cuts = cut
    parts = [pieces[0]]
    for (index, plain, softened), piece in zip(cuts, pieces[1:]):
        parts += [softened if index in soft else plain, piece]
    return b"\n".join(part for part in parts if part)


def _other_files(pdf) -> None:
    """A link to another PDF beside this one (the other edition) opens it (GoToR): a relative
    URI has no meaning without a base, a file specification is relative to this file."""
    import pikepdf

    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get("/A")
            if action is None or action.get("/S") != "/URI":
                continue
            uri = str(action.URI)
            if ":" in uri.split("/")[0] or not uri.lower().endswith(".pdf"):
                continue
            spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String(uri),
                                      UF=pikepdf.String(uri))
            annotation.A = pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.GoToR,
                                              F=spec, D=pikepdf.Array([0, pikepdf.Name.Fit]),
                                              NewWindow=True)


def finish(data: bytes, lang: str, source: str = "", arrange: list | None = None,
           direction: str = "ltr") -> bytes:
    """The PDF written under `tagging`, with its structure tree rebuilt (see the module);
    `source`, the document's text, tells a line-end hyphen from a word's own. `arrange`, a
    sort key per page, orders what each page holds (the facing-page edition reads each
    chapter of one language whole, then the other's). `direction` "rtl": viewers show two
    pages side by side right to left (`/ViewerPreferences /Direction /R2L`)."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    if direction == "rtl":
        preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
        preferences.Direction = pikepdf.Name.R2L
        pdf.Root.ViewerPreferences = preferences
    root = pdf.Root.StructTreeRoot
    documents = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    document = _read(documents[0])
    known = {(m[1].objgen, m[2]) for m in _mcids(document)}
    # The tree first: it alone decides which marked content becomes an Artifact.
    if arrange is not None:
        index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        document.kids.sort(key=lambda kid: arrange[index[_page_of(kid).objgen]])
    document.kids = _merge(document.kids)
    leaders: list = []
    _without_leaders(document, leaders)
    artifacts: dict = {}
    for (_, page, mcid), kind in leaders:
        artifacts.setdefault(page.objgen, {})[mcid] = kind
    _flatten_links(document)
    _notes_at_their_calls(document)
    document.kids = [k for kid in document.kids
                     for k in (_roles(kid, lang) if isinstance(kid, _Node) else [kid])]
    # Then the pages, one at a time: each content stream is parsed once, its Artifacts made,
    # its texts read, and written back as bytes cut where a soft hyphen may go (`_cut`). Parsed
    # streams are large: holding every page's, as this did, took 220 MB for a 115-page PDF.
    marked: dict = {}
    texts: dict = {}
    cuts: dict = {}
    fonts: dict = {}
    for page in pdf.pages:
        objgen = page.obj.objgen
        instructions = list(pikepdf.parse_content_stream(page))
        marked[objgen] = marked_content(instructions)
        wanted = {mcid: "Pagination" for mcid in marked[objgen]  # what the tree does not reach
                  if (objgen, mcid) not in known}                # (margin boxes)
        wanted.update(artifacts.get(objgen, {}))
        if wanted:
            artifacts[objgen] = wanted
            _artifacts(instructions, marked[objgen], wanted)
        candidates = []
        if source:
            for mcid, (text, last) in soft_hyphens.read(page, instructions, fonts).items():
                texts[(objgen, mcid)] = (text, last)
                if soft_hyphens.HYPHENATED.search(text):
                    candidates.append(last)
        if wanted or candidates:
            cuts[objgen] = _cut(instructions, sorted(candidates))
        del instructions
    soft = soft_hyphens.incidental(
        texts, [(page.objgen, mcid) for _, page, mcid in _mcids(document)], source) if source else {}
    pages = {page.obj.objgen: page for page in pdf.pages}
    for objgen in sorted(set(artifacts) | set(soft)):  # in this order: the objects' numbers
        pages[objgen].Contents = pdf.make_stream(_joined(cuts[objgen], soft.get(objgen, set())))
    parents: dict = {}
    annotations: list = []
    top = _write(pdf, document, root, parents, annotations)
    root.K = pikepdf.Array([top])
    # Built as a Python list and converted once: extending a pikepdf.Array copies it, which made
    # this loop quadratic (7.3 s of a 115-page PDF's 13 s finish, measured).
    nums: list = []
    for index, page in enumerate(pdf.pages):
        page.StructParents = index
        page_id = page.obj.objgen
        content = set(marked[page_id]) - set(artifacts.get(page_id, ()))  # still marked content
        held = [parents.get((page_id, m)) for m in range(max(content, default=-1) + 1)]
        nums += [index, pikepdf.Array(held)]
    for number, (annotation, element) in enumerate(annotations, len(pdf.pages)):
        annotation.StructParent = number
        nums += [number, element]
    nums = pikepdf.Array(nums)
    root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(pdf.pages) + len(annotations)
    _other_files(pdf)
    out = io.BytesIO()
    pdf.remove_unreferenced_resources()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
             compress_streams=True)
    return out.getvalue()


def _page_of(node):
    page = node.page if isinstance(node, _Node) else node[1]
    return page if page is not None else next(m[1] for m in _mcids(node))


def marked_content(instructions: list) -> dict[int, int]:
    """MCID → index of the `BDC` that opens it, in a parsed content stream. (An instruction's
    operands are read only for a `BDC`: unpacking every instruction cost 0.3 s a pass over a
    115-page PDF's 146 000, measured.)"""
    found = {}
    for index, instruction in enumerate(instructions):
        if str(instruction.operator) == "BDC":
            mcid = mcid_of(instruction.operands)
            if mcid is not None:
                found[mcid] = index
    return found
