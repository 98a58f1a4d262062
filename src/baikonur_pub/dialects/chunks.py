"""knitr's and Quarto's executable chunks (```` ```{r name, echo=FALSE} ````, ```` ```{python} ````
with `#| fig-cap:` lines; MyST's code cells too): shown as code of their language and never run,
as Quarto shows them when their code does not run (see `dialects`)."""

from __future__ import annotations

import re

from ..errors import PublishError
from ..sources import load_yaml_text
from .attributes import quoted

CHUNK = "chunk"  # the class of a code block made here (`tidy` drops its option lines)
DRAWN = "drawn"  # the class of a figure a chunk draws by running code (`tidy` shows its words)
CHUNK_OPTION = re.compile(r"^\s*(?:#|//|--)\|\s?(.*)$")  # `#| echo: false` (Quarto)


def chunk(out: list[str], number: int, end: int | None, marks: str, indent: str, engine: str,
          options: dict, at: int, notices: list) -> str | None:
    """The executable chunk at `out[number]` (`engine` its language: r, python, julia, bash,
    sql, ojs…), rewritten as what Quarto shows of it when its code is not run; the code fence
    it leaves open (None when it made a figure, or left the chunk out)."""
    figure = _graphic(out, number + 1, end, options) if end is not None else None
    if figure is not None and options.get("include") != "false":
        out[number] = indent + figure  # what Quarto shows of it: no code runs for an image
        for blank in range(number + 1, end + 1):
            out[blank] = ""
        return None
    if end is not None and end > number + 1 and (drawn := _drawn(options)) is not None:
        label, caption, alt = drawn  # a plot its hidden code draws: a figure of its words
        out[number] = indent + f"::: {{#{label} .{DRAWN}" + (f" fig-alt={quoted(alt)}" if alt else "") + "}"
        out[number + 1] = indent + caption
        for blank in range(number + 2, end):
            out[blank] = ""
        out[end] = indent + ":::"
        notices.append(("code-not-run", at, f"the {engine} chunk that draws figure {label} is "
                        "left out, as its options hide its code: a build runs no code from a "
                        "manuscript, so the figure shows " + (
                            "its text alternative (fig-alt) in the plot's place" if alt else
                            "its caption alone (fig-alt would give it its text alternative)")))
        return None
    if end is not None and "false" in (options.get("include"), options.get("echo")):
        for blank in range(number, end + 1):
            out[blank] = ""
        if options.get("eval") != "false":  # else it shows nothing in Quarto either
            notices.append(("code-not-run", at, f"the {engine} chunk is left out, as its "
                            "options hide its code, and its output is not in the book: a build "
                            "runs no code from a manuscript"))
        return None
    label = _figure_label(options)  # a figure's or a table's: references to it are told why
    named = f" #{label}" if re.fullmatch(r"(?:fig|tbl)[-:][\w:.-]+", label, re.I) else ""
    out[number] = indent + marks + f"{{.{engine} .{CHUNK}{named}}}"
    if options.get("eval") != "false" and options.get("output") != "false":
        notices.append(("code-not-run", at, f"the {engine} chunk is shown as code and not run: "
                        "a build runs no code from a manuscript, so its output is not in the "
                        "book (#| eval: false says so and silences this)"))
    return marks


# knitr's options in braces: `name = value`, a value quoted ("a, b"), a call (`c(6, 4)`) or
# a word; the first, unnamed, the chunk's label
_KNITR_OPTION = re.compile(r"""\s*(?:([\w.]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"""
                           r"""|\w*\([^()]*\)|[^,]*?)\s*(?:,|$)""")


def _knitr_options(inner: str) -> dict:
    """knitr's options, `fig.cap` as Quarto's `fig-cap` (a caption's commas in its quotes)."""
    options = {}
    for index, match in enumerate(_KNITR_OPTION.finditer(inner)):
        key, value = match.group(1), match.group(2).strip()
        if key:
            options[key.lower().replace(".", "-")] = value[1:-1] if value[:1] in "\"'" and \
                len(value) > 1 and value[-1] == value[0] else value
        elif index == 0 and value:
            options["label"] = value  # the chunk's name
        if match.end() >= len(inner):
            break
    return options


def read_options(out: list[str], start: int, end: int | None, inner: str) -> dict:
    """A chunk's options: knitr's in its braces (`{r name, echo=FALSE}`), then Quarto's `#|`
    lines at the start of its code, YAML (`fig-cap: |` and the lines indented under it), read
    with the configuration's bounded safe loader. Values are text; false is "false"."""
    options = dict(knitr := _knitr_options(inner))
    lines = []
    for index in range(start, len(out) if end is None else end):
        option = CHUNK_OPTION.match(out[index])
        if not option:
            break
        lines.append(option.group(1))
    try:
        data, _ = load_yaml_text("\n".join(lines), "chunk options")
    except PublishError:
        data = None  # not YAML: the code shows them as written
    if isinstance(data, dict):
        options.update({str(k).lower(): v for k, v in data.items()})
    if "label" in options and options["label"] == knitr.get("label"):
        options["knitr-label"] = "true"  # the chunk's name in its braces: bookdown's
    return {k: (str(v).lower() if isinstance(v, bool) else
                "false" if str(v).upper() == "FALSE" else " ".join(str(v).split()))
            for k, v in options.items() if v is not None}


# knitr::include_graphics("path"): an image the chunk shows, which needs nothing to run
_GRAPHIC = re.compile(r"""^\s*(?:knitr::)?include_graphics\(\s*(["'])([^"'\s]+)\1\s*(?:,[^()]*)?\)\s*$""")


def _graphic(out: list[str], start: int, end: int, options: dict) -> str | None:
    """The Markdown of the figure a chunk showing one image makes (`knitr::include_graphics`),
    on one line: its caption, label and text alternative from the chunk's options."""
    code = [line for line in out[start:end] if line.strip() and not CHUNK_OPTION.match(line)]
    match = _GRAPHIC.match(code[0]) if len(code) == 1 else None
    if not match:
        return None
    label, alt = _figure_label(options), options.get("fig-alt", "")
    attrs = [f"#{label}"] if re.fullmatch(r"[\w:-]+", label) else []
    if alt:
        attrs.append(f"fig-alt={quoted(alt)}")
    return (f"![{options.get('fig-cap', '')}]({match.group(2)})"
            + ("{" + " ".join(attrs) + "}" if attrs else ""))


def _figure_label(options: dict) -> str:
    """A chunk's label, as its figure's ID: bookdown's `fig:` before a captioned chunk's name."""
    label = options.get("label", "")
    if options.get("fig-cap") and options.get("knitr-label") and not re.match(r"fig[-:]", label, re.I):
        label = f"fig:{label}"  # bookdown's: a captioned chunk's figure, `\@ref(fig:label)`
    return label


# what opens a block at a line's start, which a caption written alone on its line must not
_BLOCK_START = re.compile(r"^(?:([#>*+|:=~`-])|(\d{1,9})([.)]))")


def _drawn(options: dict) -> tuple[str, str, str] | None:
    """(ID, caption, text alternative) of the figure a chunk draws by running code it hides
    (`echo: false`, a caption, a figure's label: Quarto's `fig-…`, bookdown's named chunk), or
    None. The caption is on one line, a paragraph of its own."""
    label, caption = _figure_label(options), options.get("fig-cap", "")
    if (options.get("echo") != "false" or "false" in (options.get("include"), options.get("eval"))
            or not caption or not re.fullmatch(r"fig[-:][\w:.-]+", label, re.I)):
        return None
    caption = _BLOCK_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else
                               f"{m.group(2)}\\{m.group(3)}", caption, count=1)
    return label, caption, options.get("fig-alt", "")
