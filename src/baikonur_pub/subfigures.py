"""A figure of several images, each with its own caption and letter: Quarto's
`::: {#fig-x layout-ncol=2}` and pandoc-crossref's `<div id="fig:x">`, their images and, last,
the figure's caption paragraph.

Pandoc reads such a div as a div: its caption was a paragraph under the images, numbered by
nothing, and `@fig-x` (or a reference to one of its images) led nowhere. It is made the
figure both tools make: numbered as one ("Figure 2: …"), each image a figure inside it
captioned by its text alternative under its letter ("(a) …"), a reference to an image's ID
"Figure 2 (a)". The images are set side by side, as many a row as `layout-ncol` says or, with
none, as their widths do (two of `width=50%`), else two.
"""

from __future__ import annotations

import re
import string

from .ast import walk

CLASS = "subfigures"  # the outer figure's class; `subfigures-<n>`: n a row (each its width)
LETTER = "subfigure-letter"  # the class of the "(a)" span before a subfigure's caption
_WIDTH = re.compile(r"(\d{1,3}(?:\.\d+)?)%")


def figure(div: dict, is_figure_id, label_class: str) -> dict:
    """`div` as a figure when its ID is a figure's (`is_figure_id`) and its last block a
    paragraph without an image, its caption, under other blocks or none (Quarto's figure of
    any content: code, a table, words, one image); of subfigures when those hold two images
    or more; else `div`."""
    (ident, classes, attrs), blocks = div["c"]
    if not (is_figure_id(ident) and blocks and blocks[-1]["t"] in ("Para", "Plain")
            and not any(el["t"] == "Image" for el in walk(blocks[-1]))):
        return div
    # (ID, image): a paragraph of one image is pandoc's figure, which took the image's ID
    images = [(block["c"][0][0] if block["t"] == "Figure" else el["c"][0][0], el)
              for block in blocks[:-1] for el in walk(block) if el["t"] == "Image"]
    if len(images) > len(string.ascii_lowercase):
        return div
    if len(images) < 2:  # one figure, its blocks as they are (an image's figure: its image)
        body = [inner for block in blocks[:-1]
                for inner in (block["c"][2] if block["t"] == "Figure" else [block])]
        return {"t": "Figure", "c": [[ident, classes, attrs],
                                     [None, [{"t": "Plain", "c": blocks[-1]["c"]}]], body]}
    given = dict(attrs)
    widths = [float(m.group(1)) for _, el in images
              if (m := _WIDTH.fullmatch(dict(el["c"][0][2]).get("width", "")))]
    per_row = given.get("layout-ncol", "")
    per_row = int(per_row) if re.fullmatch("[1-6]", per_row) else (  # (`²` is a digit to isdigit)
        max(1, min(6, round(100 / widths[0]))) if widths and widths[0] > 0 else 2)
    inner, width = [], round(94 / per_row, 1)  # what a row's margins leave, shared
    for letter, (image_id, image) in zip(string.ascii_lowercase, images):
        (_, image_classes, image_attrs), alt, target = image["c"]
        letter_span = {"t": "Span", "c": [["", [label_class, LETTER], []], [{"t": "Str", "c": f"({letter})"}]]}
        caption = [letter_span, {"t": "Space"}, *alt] if alt else [letter_span]
        kept = [[k, v] for k, v in image_attrs if k not in ("width", "height")]
        inner.append({"t": "Figure", "c": [[image_id, [], [["style", f"width: {width}%"]]],
                                           [None, [{"t": "Plain", "c": caption}]],
                                           [{"t": "Plain", "c": [{"t": "Image", "c": [
                                               ["", image_classes, kept], alt, target]}]}]]})
    outer_attrs = [[k, v] for k, v in attrs if not k.startswith("layout")]
    return {"t": "Figure", "c": [[ident, [*classes, CLASS, f"{CLASS}-{per_row}"], outer_attrs],
                                 [None, [{"t": "Plain", "c": blocks[-1]["c"]}]], inner]}


def numbered(node: dict, number: str) -> dict[str, str]:
    """ID → number ("2 (a)") of each subfigure with an ID, of the figure `node` numbered
    `number`; nothing if it has none."""
    if CLASS not in node["c"][0][1]:
        return {}
    return {sub["c"][0][0]: f"{number} ({letter})" for letter, sub in zip(string.ascii_lowercase, node["c"][2])
            if sub["c"][0][0]}


def lettered(caption: list) -> bool:
    """Whether a figure's caption blocks begin with a subfigure's letter ("(a)")."""
    first = caption[0]["c"] if caption and caption[0]["t"] in ("Plain", "Para") else []
    return bool(first) and first[0]["t"] == "Span" and LETTER in first[0]["c"][0][1]
