"""What a PDF/UA-1 checker would reject, among what a file alone decides (see `problems`).

veraPDF cannot run on these machines (and the PyPI checker `pdfua` covers 12 checks): this
re-reads the structure tree and every page's content stream with pikepdf. The build runs it on
every PDF that claims PDF/UA-1, and `baikonur-pub verify` on every such PDF it is given.
"""

from __future__ import annotations

import io

from ..errors import RenderError

_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
# What paints: paths, images, shadings (a path ended by `n` only clips, it paints nothing).
_PAINT_OPERATORS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh", "EI"}


def problems(data: bytes) -> list[str]:
    """What a PDF/UA-1 checker would reject, among what can be decided from the file alone:
    no structure or language (Matterhorn 01, 11), text or graphics neither tagged nor
    Artifact (01-003), Artifacts inside tagged content and the reverse (01-004), structure
    elements the tree does not reach or reaches twice (01-005), marked content without its
    element, figures without a text alternative (13-004), notes without an ID (19-003),
    links nested in links or without a description (28-010, 28-011), annotations outside the
    tree (28-002)."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    found: list[str] = []
    if "/StructTreeRoot" not in pdf.Root or "/Lang" not in pdf.Root:
        return ["no structure tree or no document language"]
    root = pdf.Root.StructTreeRoot
    held: dict[tuple, object] = {}
    seen: set = set()

    def walk(element, parent, in_link: bool) -> None:
        if element.objgen in seen:
            found.append(f"structure element {element.objgen} is reached twice")
            return
        seen.add(element.objgen)
        if parent is not None and element.get("/P") is not None and element.P.objgen != parent.objgen:
            found.append(f"{element.S} names another parent than the one listing it")
        role = str(element.get("/S"))
        if role == "/Link" and in_link:
            found.append("a Link inside a Link")
        if role == "/Figure" and not str(element.get("/Alt", "") or element.get("/ActualText", "")):
            found.append("a Figure without a text alternative")
        if role == "/Note" and "/ID" not in element:
            found.append("a Note without an ID")
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, int):
                held[(element.Pg.objgen, int(kid))] = element
            elif kid.get("/Type") == "/MCR":
                held[(kid.Pg.objgen, int(kid.MCID))] = element
            elif kid.get("/Type") == "/OBJR":
                if role != "/Link" and kid.Obj.get("/Subtype") == "/Link":
                    found.append("a link annotation outside a Link element")
                held[("annot", kid.Obj.objgen)] = element
            else:
                walk(kid, element, in_link or role == "/Link")

    kids = root.K if isinstance(root.K, pikepdf.Array) else [root.K]
    for kid in kids:
        walk(kid, None, False)
    parent_tree = _number_tree(root.ParentTree)
    for element in (e for value in parent_tree.values()
                    for e in (value if isinstance(value, pikepdf.Array) else [value])):
        if isinstance(element, pikepdf.Dictionary) and element.objgen not in seen:
            found.append(f"orphan structure element {element.get('/S')} (not in the tree)")
    for page_number, page in enumerate(pdf.pages, 1):
        mapping = parent_tree.get(int(page.get("/StructParents", -1)))
        stack: list[str] = []
        depth = {"tagged": 0, "artifact": 0, "other": 0}  # how many of each the stack holds
        # (operands read only for what opens marked content: see pdfua.marked_content)
        for instruction in pikepdf.parse_content_stream(page):
            op = str(instruction.operator)
            if op in _TEXT_OPERATORS or op in _PAINT_OPERATORS:
                if not depth["tagged"] and not depth["artifact"]:
                    found.append(f"page {page_number}: "
                                 + ("text" if op in _TEXT_OPERATORS else "graphics")
                                 + " neither tagged nor Artifact")
            elif op == "BDC" or op == "BMC":
                operands = instruction.operands
                kind = str(operands[0])
                mcid = mcid_of(operands) if op == "BDC" else None
                if kind == "/Artifact" and depth["tagged"]:
                    found.append(f"page {page_number}: an Artifact inside tagged content")
                if mcid is not None and depth["artifact"]:
                    found.append(f"page {page_number}: tagged content inside an Artifact")
                if mcid is not None:
                    element = held.get((page.obj.objgen, mcid))
                    if element is None:
                        found.append(f"page {page_number}: marked content {mcid} is in no element")
                    elif mapping is None or mcid >= len(mapping) or \
                            mapping[mcid].objgen != element.objgen:
                        found.append(f"page {page_number}: the parent tree misplaces MCID {mcid}")
                stack.append("artifact" if kind == "/Artifact" else
                             "tagged" if mcid is not None else "other")
                depth[stack[-1]] += 1
            elif op == "EMC" and stack:
                depth[stack.pop()] -= 1
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            if not str(annotation.get("/Contents", "")).strip():
                found.append(f"page {page_number}: a link without a description")
            if ("annot", annotation.objgen) not in held:
                found.append(f"page {page_number}: a link annotation outside the structure tree")
    return list(dict.fromkeys(found))


def mcid_of(operands) -> int | None:
    """The MCID a `BDC`'s operands give the marked content it opens, if any."""
    import pikepdf

    if len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
        return int(operands[1].MCID)
    return None


def _number_tree(node) -> dict:
    import pikepdf

    entries: dict = {}
    nums = node.get("/Nums", pikepdf.Array())
    for key, value in zip(nums[0::2], nums[1::2]):
        entries[int(key)] = value
    for kid in node.get("/Kids", []):
        entries.update(_number_tree(kid))
    return entries


def check(data: bytes, what: str) -> None:
    """Refuse to ship a PDF claiming PDF/UA-1 that `problems` finds fault with."""
    found = problems(data)
    if found:
        raise RenderError(f"{what}: not PDF/UA-1 as claimed: {'; '.join(found[:3])}"
                          + (f" (and {len(found) - 3} more)" if len(found) > 3 else ""))
