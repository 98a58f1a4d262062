"""The PDF/UA structure tree while `pdfua.finish` rebuilds it: read from the PDF into `_Node`s
(with what `tagging` noted of each element's HTML origin under PRIVATE), reshaped — fragments
merged, leaders and margin text set apart, links flattened, notes placed at their calls, HTML
roles and one Sect per chapter — and written back with pikepdf."""

from __future__ import annotations

PRIVATE = "/BaikonurTag"  # the key under which `tagging` notes each element's HTML origin
_INLINE_ROLES = {"em": "Span", "strong": "Span", "i": "Span", "b": "Span", "cite": "Span",
                 "q": "Quote", "code": "Code", "sup": "Span", "sub": "Span", "small": "Span"}


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
    if "math" in classes and tag == "img":  # PDF/UA-1 7.7: a formula, its TeX as Alt
        node.role = "Formula"
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
