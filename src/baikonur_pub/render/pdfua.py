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
from .pdfua_check import check, problems  # noqa: F401 - the checks of what `finish` makes

PRIVATE = "/BaikonurTag"  # the key under which `tagging` notes each element's HTML origin
_INLINE_ROLES = {"em": "Span", "strong": "Span", "i": "Span", "b": "Span", "cite": "Span",
                 "q": "Quote", "code": "Code", "sup": "Span", "sub": "Span", "small": "Span"}


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
    from ..ast import walk

    from ..sources import first_line

    for node in walk(edition.ast["blocks"]):
        if node.get("t") != "Image" or node["c"][1]:
            continue
        url = node["c"][2][0]
        shown, line = first_line(edition.files, f"]({url}")
        if line is None:
            raise RenderError(f"{edition.code}: image '{url}' has no text alternative, which "
                              "PDF/UA-1 needs")
        raise RenderError(f"image '{url}' has no text alternative, which PDF/UA-1 needs: write "
                          f"![what it shows]({url}), or set pdf: {{variant: none}}", shown, line)


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


# The rebuild -------------------------------------------------------------------------------------

class _Node:
    """A structure element while the tree is rebuilt: role, HTML origin, kids, its page."""

    def __init__(self, role: str, info: dict | None = None, page=None, obj=None):
        self.role, self.info, self.page, self.obj = role, info or {}, page, obj
        self.kids: list = []  # _Node, ("mcid", page, n) or ("objr", page, annotation)
        self.attrs: dict = {}

    @property
    def key(self):
        return self.info.get("Node")

    def classes(self) -> list[str]:
        return self.info.get("Class", "").split()


def _read(obj, page=None) -> _Node | tuple | None:
    import pikepdf

    if isinstance(obj, int):
        return ("mcid", page, int(obj))
    if not isinstance(obj, pikepdf.Dictionary):
        return None
    if obj.get("/Type") == "/OBJR":
        return ("objr", obj.get("/Pg", page), obj.Obj)
    if obj.get("/Type") == "/MCR":
        return ("mcid", obj.get("/Pg", page), int(obj.MCID))
    info = {}
    if PRIVATE in obj:
        for key, value in obj[PRIVATE].items():
            info[key[1:]] = int(value) if isinstance(value, int) else str(value)
    node = _Node(str(obj.S)[1:], info, obj.get("/Pg", page), obj)
    if "/Alt" in obj:
        node.attrs["/Alt"] = obj.Alt
    if "/A" in obj:
        node.attrs["/A"] = obj.A
    if "/ID" in obj:
        node.attrs["/ID"] = obj.ID
    kids = obj.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        read = _read(kid, node.page)
        if read is not None:
            node.kids.append(read)
    return node


def _merge(kids: list) -> list:
    """Fragments of one HTML element cut by page breaks become one element again."""
    merged: list = []
    for kid in kids:
        last = merged[-1] if merged else None
        if (isinstance(kid, _Node) and isinstance(last, _Node) and kid.key is not None
                and kid.key == last.key and kid.role == last.role):
            last.kids.extend(kid.kids)
        else:
            merged.append(kid)
    for kid in merged:
        if isinstance(kid, _Node):
            kid.kids = _merge(kid.kids)
    return merged


def _mcids(node) -> list[tuple]:
    if not isinstance(node, _Node):
        return [node] if node[0] == "mcid" else []
    return [m for kid in node.kids for m in _mcids(kid)]


def _without_leaders(node: _Node, artifacts: list) -> None:
    kept = []
    for kid in node.kids:
        if isinstance(kid, _Node) and kid.info.get("Leader"):
            artifacts.extend((m, "Layout") for m in _mcids(kid))
            kept.extend(k for k in _objrs(kid))
            continue
        if isinstance(kid, _Node):
            _without_leaders(kid, artifacts)
        kept.append(kid)
    node.kids = kept


def _objrs(node) -> list[tuple]:
    if not isinstance(node, _Node):
        return [node] if node[0] == "objr" else []
    return [o for kid in node.kids for o in _objrs(kid)]


def _flatten_links(node: _Node, in_link: bool = False) -> list:
    """A link holds its annotations and its content; links inside it (a pseudo-element, the
    page number) give it their content, spans without a language their marked content."""
    if node.role == "Link" and not in_link:
        objrs, content = [], []
        for kid in node.kids:
            if isinstance(kid, _Node):
                objrs += _objrs(kid)
                content += _flatten_links(kid, True)
            elif kid[0] == "objr":
                objrs.append(kid)
            else:
                content.append(kid)
        seen, unique = set(), []
        for objr in objrs:
            if objr[2].objgen not in seen:
                seen.add(objr[2].objgen)
                unique.append(objr)
        node.kids = unique + content
        return [node]
    if in_link:
        if node.role in ("Link", "Span", "NonStruct") and "Lang" not in node.info:
            return [k for kid in node.kids
                    for k in (_flatten_links(kid, True) if isinstance(kid, _Node)
                              else [kid] if kid[0] == "mcid" else [])]
        node.kids = [k for kid in node.kids
                     for k in (_flatten_links(kid, True) if isinstance(kid, _Node)
                               else [kid] if kid[0] == "mcid" else [])]
        return [node]
    node.kids = [k for kid in node.kids
                 for k in (_flatten_links(kid) if isinstance(kid, _Node) else [kid])]
    return [node]


def _notes_at_their_calls(document: _Node) -> None:
    """A footnote is laid out in its page's footnote area, so the tagger puts it after the
    page's content; it belongs right after its call, in the paragraph that calls it."""
    notes = {}

    def take(node: _Node) -> None:
        kept = []
        for kid in node.kids:
            if isinstance(kid, _Node) and kid.info.get("Tag") == "span" and \
                    "footnote" in kid.classes():
                notes[kid.info.get("Element")] = kid
                continue
            if isinstance(kid, _Node):
                take(kid)
            kept.append(kid)
        node.kids = kept

    def place(node: _Node) -> None:
        kids = []
        for kid in node.kids:
            kids.append(kid)
            if isinstance(kid, _Node):
                place(kid)
                if kid.info.get("Tag", "").endswith("::footnote-call"):
                    note = notes.pop(kid.info.get("Element"), None)
                    if note is not None:
                        kids.append(note)
        node.kids = kids

    def prune(node: _Node) -> bool:  # the emptied footnote areas go
        node.kids = [k for k in node.kids if not isinstance(k, _Node) or prune(k)]
        return bool(node.kids)

    take(document)
    place(document)
    if notes:  # a note without a call found stays where the tagger put it
        document.kids.extend(notes.values())
    prune(document)


def _roles(node: _Node, lang: str) -> list:
    """HTML semantics the tagger leaves as NonStruct, and the document's shape: the contents
    as a TOC, one Sect per chapter, `/Lang` where a part's language is not the document's."""
    kids = [k for kid in node.kids for k in (_roles(kid, lang) if isinstance(kid, _Node) else [kid])]
    node.kids = kids
    tag, classes = node.info.get("Tag", ""), node.classes()
    part_lang = node.info.get("Lang")
    if part_lang and part_lang.split("-")[0].lower() != lang.split("-")[0].lower():
        node.attrs["/Lang"] = part_lang
    if node.role == "NonStruct" and tag in _INLINE_ROLES:
        node.role = _INLINE_ROLES[tag]
    if "footnote" in classes and tag == "span":
        node.role = "Note"
    if node.role == "NonStruct" and tag == "nav" and "toc" in classes:
        node.role = "Sect"
        for kid in node.kids:
            if isinstance(kid, _Node) and kid.role == "L":
                kid.role, kid.attrs = "TOC", {k: v for k, v in kid.attrs.items() if k != "/A"}
                for item in kid.kids:
                    if isinstance(item, _Node) and item.role == "LI":
                        item.role = "TOCI"
                        item.kids = [k for body in item.kids for k in
                                     (body.kids if isinstance(body, _Node) and body.role == "LBody"
                                      else [body])]
    if node.role == "Part" and tag == "main":  # the body: chapters, each from its H1 on
        return _chapters(node.kids)
    return [node]


def _chapters(kids: list) -> list:
    sections: list = []
    for kid in kids:
        if isinstance(kid, _Node) and kid.role == "H1" or not sections:
            sections.append(_Node("Sect"))
        sections[-1].kids.append(kid)
    return sections


def _write(pdf, node: _Node, parent, parents: dict, annotations: list):
    """The pikepdf structure element of `node` (and its kids), recording who holds each MCID."""
    import pikepdf

    element = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                   S=pikepdf.Name("/" + node.role), P=parent))
    for key, value in node.attrs.items():
        element[key] = pikepdf.String(value) if isinstance(value, str) else value
    if node.role == "Note" and "/ID" not in element:  # PDF/UA 7.9: a Note has a unique ID
        element.ID = pikepdf.String(f"note-{element.objgen[0]}")
    page = node.page or next((m[1] for m in _mcids(node)), None)
    if page is not None:
        element.Pg = page
    kids = pikepdf.Array()
    for kid in node.kids:
        if isinstance(kid, _Node):
            kids.append(_write(pdf, kid, element, parents, annotations))
        elif kid[0] == "mcid":
            _, kid_page, mcid = kid
            if kid_page is not None and page is not None and kid_page.objgen != page.objgen:
                kids.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=kid_page, MCID=mcid))
            else:
                kids.append(mcid)
            parents[(kid_page.objgen, mcid)] = element
        else:
            _, kid_page, annotation = kid
            kids.append(pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.OBJR, Obj=annotation, Pg=kid_page)))
            annotations.append((annotation, element))
    element.K = kids
    return element


def _artifacts(streams: dict, artifacts: dict) -> None:
    """Marked content that is page furniture becomes `/Artifact` in the content stream."""
    import pikepdf

    for objgen, wanted in artifacts.items():
        instructions = streams[objgen][1]
        for index, (operands, operator) in enumerate(instructions):
            if (str(operator) == "BDC" and len(operands) == 2
                    and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
                    and int(operands[1].MCID) in wanted):
                kind = wanted[int(operands[1].MCID)]
                properties = pikepdf.Dictionary(Type=pikepdf.Name("/" + kind))
                if kind == "Pagination":
                    properties.Subtype = pikepdf.Name.Header
                instructions[index] = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, properties], operator)


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


def finish(data: bytes, lang: str, source: str = "", arrange: list | None = None) -> bytes:
    """The PDF written under `tagging`, with its structure tree rebuilt (see the module);
    `source`, the document's text, tells a line-end hyphen from a word's own. `arrange`, a
    sort key per page, orders what each page holds (the facing-page edition reads each
    chapter of one language whole, then the other's)."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root.StructTreeRoot
    documents = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    document = _read(documents[0])
    known = {(m[1].objgen, m[2]) for m in _mcids(document)}
    # Each page's content stream is parsed once, edited as a list (artifacts, soft hyphens) and
    # written once: parsing it four times took 3.5 s of a 115-page PDF's finish (measured).
    streams = {page.obj.objgen: (page, list(pikepdf.parse_content_stream(page)))
               for page in pdf.pages}
    marked = {objgen: _page_mcids(instructions) for objgen, (_, instructions) in streams.items()}
    artifacts: dict = {}
    for page, mcids in marked.items():  # what the tree does not reach: margin boxes
        for mcid in mcids:
            if (page, mcid) not in known:
                artifacts.setdefault(page, {})[mcid] = "Pagination"
    if arrange is not None:
        index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        document.kids.sort(key=lambda kid: arrange[index[_page_of(kid).objgen]])
    document.kids = _merge(document.kids)
    leaders: list = []
    _without_leaders(document, leaders)
    for (_, page, mcid), kind in leaders:
        artifacts.setdefault(page.objgen, {})[mcid] = kind
    _flatten_links(document)
    _notes_at_their_calls(document)
    document.kids = [k for kid in document.kids
                     for k in (_roles(kid, lang) if isinstance(kid, _Node) else [kid])]
    _artifacts(streams, artifacts)
    changed = set(artifacts)
    if source:
        changed |= soft_hyphens.mark(streams, [(page, mcid) for _, page, mcid in _mcids(document)],
                                     source)
    for objgen in sorted(changed):
        page, instructions = streams[objgen]
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
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


def _page_mcids(instructions: list) -> list[int]:
    import pikepdf

    return [int(operands[1].MCID) for operands, operator in instructions
            if str(operator) == "BDC" and len(operands) == 2
            and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]]
