"""Jekyll's sources: Liquid's tags and kramdown's attribute lists, read as the site shows them,
line for line (`lines.read` runs this first).

Jekyll runs Liquid on a page before kramdown reads it, so pandoc alone printed every tag as
text: `{% include figure.html filename="x.png" caption="…" %}` (The Programming Historian's
figures) a line of braces, `{% raw %}` around code as written. Here, each alone on its line:

- `figure.html` is the figure it draws, its `caption` the caption (Markdown) and its `alt` the
  text alternative; its file is named only, as any image is (`images` resolves it under the
  manuscript, or refuses it), never read here;
- `alert.html` is Bootstrap's box (`callouts` makes it a callout of its `color` or `type`),
  and `note.html`, `warning.html`, `tip.html`… (`callout.html` with a `type`), as Jekyll's
  Documentation Theme writes its boxes, a callout of that kind, their `content` its text;
- `toc.html` is nothing: the book has its own contents;
- any other include is left out with a `markup-foreign` warning: what it draws is the site's;
- `{% raw %}` … `{% endraw %}` shows what it holds as written (`verbatim`: no other dialect
  rewrites it); `{% comment %}` … `{% endcomment %}` nothing, as the page;
  `{% highlight py %}` … `{% endhighlight %}` a code block of that language.

kramdown's attribute lists: after a link or an image (`[x](y){:target="_blank"}`) they become
pandoc's attributes, the ones only a browser reads (`target`, `rel`) left out; alone on the line
under a heading, `{: #id}` is its ID; elsewhere alone on its line one is left out, a
`markup-foreign` warning at its line (the block it styles is shown plain).
"""

from __future__ import annotations

import re

from ..callouts import kind_of
from ..spans import outside_code
from .attributes import quoted
from .directives import FENCE, closes

WORTH = ("{%", "{:", "site.", "_url", "page.root")
# a tag at a line's start, at any indent (Liquid runs before Markdown: a figure in a list
# item is indented under it): its name; the rest of the line, to `%}`, is read by `_tag` (no
# pattern tries every split of a line's spaces)
_TAG = re.compile(r"[ \t]*\{%-?[ \t]*([a-z]\w*)")
# a parameter, from a word's start only (`[\w-]+=` from each letter of a long word scanned it
# to its end each time)
_PARAM = re.compile(r"""(?<![\w-])([\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
_RAW = re.compile(r"\{%-?[ \t]*(end)?raw[ \t]*-?%\}")
_SPAN_IAL = re.compile(r"(?<=[)\]])\{:(?![:/])([^{}\n]*)\}")  # right after a link, an image
_BLOCK_IAL = re.compile(r"[ \t]{0,3}\{:(?![:/])([^{}\n]*)\}[ \t]*$")  # not `{::comment}`
_ATTRIBUTES_ONLY = re.compile(r"(?:\s*[.#][\w-]+)*\s*")  # once `key=value`s are out
# the site's root, before a path (`{{ site.baseurl }}/images/x.png`), and Jekyll's filters that
# make a path the site's (`{{ "/images/x.png" | relative_url }}`): the path from the manuscript
_BASEURL = re.compile(r"\{\{-?[ \t]*(?:site\.(?:url|baseurl)|page\.root)[ \t]*-?\}\}"
                      r"(?:\{\{-?[ \t]*site\.baseurl[ \t]*-?\}\})?(?=/)")
_RELATIVE = re.compile(r"\{\{-?[ \t]*([\"'])([^\"'{}\s]*)\1[ \t]*\|[ \t]*(?:relative|absolute)_url"
                       r"[ \t]*-?\}\}")
_ATX = re.compile(r"[ \t]{0,3}#{1,6}[ \t]")
_IMAGE_KEYS = ("filename", "file", "src", "img", "image", "path")
_BROWSER_ONLY = ("target", "rel")


def worth(text: str) -> bool:
    return any(mark in text for mark in WORTH)


def rewrite(lines: list[str], notices: list) -> set[int]:
    """`lines` with Jekyll's tags and attribute lists rewritten in place; the indexes of the
    lines `{% raw %}` holds, which no later rewriting may touch."""
    verbatim: set[int] = set()
    fence, raw, hidden, highlight = None, False, None, None
    for number, line in enumerate(lines):
        at = number + 1
        if raw:
            if _RAW.search(line):
                lines[number], raw = _without_raw(line), False
            else:
                verbatim.add(number)
            fence = _fenced(line, fence)
            continue
        if hidden is not None:  # a comment's lines: blank, as the page shows none of them
            if (tag := _tag(line)) and tag[0] == "endcomment":
                hidden = None
            lines[number] = ""
            continue
        if highlight is not None:
            if (tag := _tag(line)) and tag[0] == "endhighlight":
                lines[number], highlight = highlight, None
            continue
        if fence is None and (tag := _tag(line)) is not None:
            replaced = _tagged(tag, line, at, notices)
            if replaced is not None:
                lines[number] = replaced
                if tag[0] == "comment":
                    hidden = number
                elif tag[0] == "highlight":
                    highlight = "~~~~~"
                continue
        if "raw" in line and (opened := _RAW.search(line)) and not opened.group(1):
            raw = _RAW.findall(line)[-1] != "end"  # opened, not closed on its line
            lines[number] = line = _without_raw(line)
            fence = _fenced(line, fence)
            continue
        if fence is None and ("{{" in line or "{%" in line):
            lines[number] = line = outside_code(line, _site_paths)
        if fence is None and "{:" in line:
            lines[number] = _attributes(lines, number, at, notices)
        fence = _fenced(lines[number], fence)
    return verbatim


def _fenced(line: str, fence: str | None) -> str | None:
    """The fence of the code block open after `line` (None: none)."""
    match = FENCE.match(line)
    if not match or match.group(2)[0] == ":":
        return fence
    if fence is None:
        return match.group(2)
    return None if closes(match, fence) else fence


def _without_raw(line: str) -> str:
    """`line` without its `{% raw %}` and `{% endraw %}` tags (blank if nothing else)."""
    rest = _RAW.sub("", line)
    return rest if rest.strip() else ""


def _tag(line: str) -> tuple[str, str] | None:
    """(name, parameters) of a Liquid tag alone on `line`; None when there is none."""
    match = _TAG.match(line)
    if not match:
        return None
    rest = line[match.end():].rstrip()
    if not rest.endswith("%}") or "{%" in rest or "%}" in rest[:-2]:
        return None
    return match.group(1), rest[:-2].rstrip("-").strip()


def shows_nothing(line: str) -> bool:
    """Whether `line` is a Liquid tag alone that draws nothing where it stands (`{% include
    toc.html %}`, `{% assign %}`): a title under it still opens the page (`frontmatter`)."""
    tag = _tag(line)
    return tag is not None and (tag[0] != "include" or tag[1].split()[:1] in (["toc.html"], ["toc"]))


def _params(text: str) -> dict[str, str]:
    return {m.group(1): next(g for g in m.groups()[1:] if g is not None)
            for m in _PARAM.finditer(text)}


def _tagged(tag: tuple[str, str], line: str, at: int, notices: list) -> str | None:
    """The line a tag alone on its line becomes (None: left as written, `lapses` warns)."""
    name, rest = tag
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    if name in ("comment", "endcomment"):
        return ""
    if name == "highlight":
        language = rest.split()[0] if rest.split() else ""
        return indent + "~~~~~" + (f" {language}" if re.fullmatch(r"[\w+#.-]+", language) else "")
    if name != "include":
        return None
    included, _, arguments = rest.partition(" ")
    params = _params(arguments)
    if included in ("toc.html", "toc"):
        return ""
    if included == "figure.html" and (figure := _figure(params)) is not None:
        return indent + figure
    text = params.get("text", params.get("content"))
    if included == "alert.html" and text and "div" not in text:
        colour = re.sub(r"[^\w-]", "", params.get("color") or params.get("type") or "warning")
        return f'{indent}<div class="alert alert-{colour}">{text}</div>'
    kind = kind_of(included.removesuffix(".html")) or (
        kind_of(params.get("type", "")) if included == "callout.html" else None)
    if kind and text and "div" not in text:  # the Documentation Theme's `note.html content=…`
        return f'{indent}<div class="callout-{kind}">{text}</div>'
    notices.append(("markup-foreign", at, f"Jekyll include {included} is not read: it is left "
                    "out, as what it draws is the site's (a figure is an image, ![caption](x.png);"
                    " a box a callout, ::: {.callout-note} … :::)"))
    return ""


def _figure(params: dict[str, str]) -> str | None:
    """The figure `figure.html` draws, as pandoc's Markdown: an image alone in its paragraph,
    captioned, its `alt` the text alternative (None: no file named)."""
    path = next((params[k] for k in _IMAGE_KEYS if params.get(k)), None)
    if path is None or any(c in path for c in "<>\n"):
        return None
    caption = " ".join(params.get("caption", "").split())
    if caption.count("[") != caption.count("]"):
        caption = caption.replace("[", "\\[").replace("]", "\\]")
    alt = " ".join(params.get("alt", "").split())
    attrs = f"{{fig-alt={quoted(alt)}}}" if alt and caption else ""
    return f"![{caption or alt}](<{path}>){attrs}"


def _attributes(lines: list[str], number: int, at: int, notices: list) -> str:
    """`lines[number]` with kramdown's attribute lists read: after a link or an image,
    outside code spans; alone on the line under a heading; under a code block its classes
    (`.language-bash` its language); under a quote, a Carpentries lesson's box (below); else
    left out, said."""
    line = lines[number]
    quoted = _QUOTED.match(line)
    prefix, rest = quoted.group(1), line[quoted.end(1):]
    # (an attribute list is always left out, a quote's too: the next one's look upwards then
    # stops at it, where 20,000 left in a quote, each under a quote opening with a list, took
    # every later one through all of them: 185 s for 40,000 lines)
    if (block := _BLOCK_IAL.match(rest)) and _listed(block.group(1)):
        if _under_block(lines, number, prefix.count(">"), block.group(1)):
            return prefix.rstrip()
        attrs = _pandoc_attrs(block.group(1))
        above = lines[number - 1] if number and not prefix else ""
        if _ATX.match(above) and "#" in attrs and not above.rstrip().endswith("}"):
            lines[number - 1] = above.rstrip().rstrip("#").rstrip() + " {" + attrs + "}"
        elif attrs:
            notices.append(("markup-foreign", at, f"kramdown attribute list {line.strip()} is "
                            "left out: pandoc gives attributes to a heading ({#id}), a div "
                            "(::: {.class} … :::), a span ([text]{.class}), a link or an image"))
        return prefix.rstrip()
    return outside_code(line, lambda text: _SPAN_IAL.sub(_span, text))


_QUOTED = re.compile(r"((?:[ \t]{0,3}>[ \t]?)*)")  # a line's quote marks, `> > `
_CLOSER = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})[ \t]*$")
_HEADING_MARKS = re.compile(r"#{1,6}[ \t]+")
_NO_TEXT = re.compile(r"\s|>|`{3}|~{3}|[-*+][ \t]|\d+[.)][ \t]|\||<|$")  # a list, code, a table…


def _under_block(lines: list[str], number: int, depth: int, attrs: str) -> bool:
    """A kramdown attribute list under a block of its quote depth given to it, as the
    Carpentries' lessons before the Workbench (styles) wrote them, in place: under a code
    block its classes on the opening fence (`~~~` then `{: .language-bash}`: a bash block;
    `{: .output}`); under a quote naming a lesson's box (`> ## Title` … `{: .challenge}`, a
    `> > … > {: .solution}` inside it) an empty span `[]{.box-challenge}` first in the quote's
    first line, which `workbench.tidy` makes the box the Workbench writes as a div. Whether it
    was given."""
    from .workbench import BOX_MARK, KINDS

    classes = [c[1:] for c in attrs.split() if c.startswith(".")]
    above = number - 1
    text = _within(lines[above], depth) if above >= 0 else None
    if text is None or not classes:
        return False
    closer = _CLOSER.match(text)
    if closer:
        for opener in range(above - 1, -1, -1):
            text = _within(lines[opener], depth) or ""
            if text.strip() == closer.group(1):  # its opening fence, bare
                names = [c.removeprefix("language-") for c in classes]
                lines[opener] = f"{lines[opener].rstrip()} {{{' '.join('.' + n for n in names)}}}"
                return True
            if text.lstrip().startswith(closer.group(1)[:3]):
                return False  # a fence with its own info string, or another block's
        return False
    if classes[0] not in KINDS or not text.lstrip().startswith(">"):
        return False
    first = above  # up to the quote's first line (its lazy lines too: a long image's text)
    while first > 0 and (_within(lines[first - 1], depth) or "").strip():
        first -= 1
    while first < above and _within(lines[first], depth + 1) is not None \
            and not _within(lines[first], depth + 1).strip():
        first += 1  # its blank lines (`> >`) before its first words
    inner = _within(lines[first], depth + 1)
    if inner is None:
        return False
    marks = _HEADING_MARKS.match(inner)
    start = marks.end() if marks else 0
    if _NO_TEXT.match(inner, start):
        return False  # a quote opening with code or a list: left as it was, said
    cut = len(lines[first]) - len(inner) + start
    lines[first] = f"{lines[first][:cut]}[]{{.{BOX_MARK}{classes[0]}}}{lines[first][cut:]}"
    return True


_MARKER = re.compile(r"[ \t]{0,3}>[ \t]?")


def _within(line: str, depth: int) -> str | None:
    """`line` without its first `depth` quote marks (`>`, `> `), None when it has fewer."""
    at = 0
    for _ in range(depth):
        marker = _MARKER.match(line, at)
        if not marker:
            return None
        at = marker.end()
    return line[at:]


# Jekyll's tag for a page's address, in a link: `[setup]({{ page.root }}{% link setup.md %})`
_LINK_TAG = re.compile(r"\{%-?[ \t]*link[ \t]+([^\s%{}]+)[ \t]*-?%\}")


def _site_paths(text: str) -> str:
    """`text` with the site's root left out of its paths: `{{ site.baseurl }}/x.png`,
    `{{ page.root }}/fig/x.png` (the Carpentries' lessons) and `{{ "/x.png" | relative_url }}`
    are `/x.png`, from the manuscript folder (`images`); `{% link setup.md %}` is
    `/setup.md`, a chapter of that name or a file of the site (`links`)."""
    if "site" not in text and "_url" not in text and "page.root" not in text \
            and "link" not in text:
        return text
    text = _LINK_TAG.sub(lambda m: "/" + m.group(1).lstrip("/"), text)
    return _RELATIVE.sub(lambda m: m.group(2), _BASEURL.sub("", text))


def _listed(text: str) -> bool:
    """Whether `text` (inside `{:` … `}`) is an attribute list: classes, IDs and `key=value`
    only. Svelte's `{:else}`, `{:else if x}`, `{:then v}` are not (the Hugging Face course's
    framework blocks: read as lists here, their lines were dropped and both branches shown)."""
    return _ATTRIBUTES_ONLY.fullmatch(_PARAM.sub(" ", text)) is not None


def _span(match: re.Match) -> str:
    if not _listed(match.group(1)):
        return match.group(0)
    attrs = _pandoc_attrs(match.group(1))
    return "{" + attrs + "}" if attrs else ""


def _pandoc_attrs(text: str) -> str:
    """kramdown's `.class #id key="value"` as pandoc writes them, less what only a browser
    reads (`target`, `rel`)."""
    kept = [word for word in re.findall(r"[.#][\w-]+", _PARAM.sub("", text))]
    kept += [f"{k}={quoted(v)}" for k, v in _params(text).items() if k not in _BROWSER_ONLY]
    return " ".join(kept)
