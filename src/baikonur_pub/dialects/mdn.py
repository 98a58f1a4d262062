"""MDN Web Docs' Markdown (its KumaScript macros, its definition lists, its hidden code), read
as MDN shows it (see `dialects`).

Pandoc read all of it without a word: `{{jsxref("Array.prototype.map()")}}` was printed as
written in every format, `{{HTMLSidebar}}` too, a definition list
(`- term` then `  - : definition`) was a bulleted list whose items began with a colon, and
the code MDN keeps for its live samples and never shows (```` ```css hidden ````) was printed.

- `macros` rewrites one line of prose (never code, never a code span), in place: a macro that
  links to a page shows its text, in code where MDN sets it in code (`jsxref`, `domxref`,
  `cssxref`, `HTMLElement` as `<caption>`…); a badge (`{{optional_inline}}`) its label; the
  page's furniture (sidebars, previous/next menus) is nothing, as a book has its own contents;
  what MDN draws from elsewhere (a live sample, an interactive example, the compatibility and
  specification tables) is left out with a `markup-foreign` warning at its line. A macro of
  another name stays text, and `lapses` warns of it.
- `fence` reads MDN's words after a fence's language: `hidden` (the page shows none of the
  code, which only feeds a live sample: the block is left out) and `js-nolint`.
- `tidy` makes each definition list one (a term that a `#link` names gets that ID, as MDN
  gives each term one).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..ast import stringify, walk
from ..callouts import block_lists
from ..ids import RESERVED, element_id
from ..spans import outside_code

HIDDEN = "hidden"  # what `fence` says of a code block MDN does not show: left out

# `{{name}}`, `{{name(args)}}`: KumaScript, its name right after the braces (Jinja's and
# Handlebars' `{{ x }}`, Hugo's `{{< x >}}`, mdBook's `{{#x}}` are no macro of MDN's)
# Its arguments never run past the next `{{` (`(.*?)\)` read from each `{{a(` never closed
# to the line's end: quadratic in a line of them)
_MACRO = re.compile(r"\{\{([A-Za-z][\w-]*)\s*(?:\(((?:[^{]|\{(?!\{))*?)\))?\s*\}\}")
_ARG = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^,\s][^,]*)""")

# macros that link to a page, set in code as MDN sets them: which argument is the text shown
# (the first, unless one is given after it at this place)
_CODE = {"jsxref": 1, "domxref": 1, "cssxref": 1, "httpheader": 1, "httpmethod": 1,
         "httpstatus": 1, "svgattr": 1, "event": 1, "webextapiref": 1, "cspxref": 1,
         "htmlattrdef": None, "htmlattrxref": 2, "csp": None, "jsxref2": 1}
_ELEMENTS = ("htmlelement", "svgelement", "mathmlelement")  # `<caption>`, in code
# in text: the word the page links (`interwiki` to Wikipedia a link to its English page)
_TEXT = {"glossary": 1, "interwiki": 2, "rfc": None}
_BADGES = {"optional_inline": "Optional", "deprecated_inline": "Deprecated",
           "experimental_inline": "Experimental", "non-standard_inline": "Non-standard",
           "readonlyinline": "Read only", "securecontext_inline": "Secure context"}
_PHRASES = {"no_tag_omission": "None, both the starting and ending tag are mandatory."}
# what MDN draws from elsewhere: the book cannot show it
_ELSEWHERE = {"embedlivesample": "a live sample", "embedinteractiveexample":
              "an interactive example", "interactiveexample": "an interactive example",
              "embedghlivesample": "a live sample", "livesamplelink": "a live sample",
              "embedyoutube": "a video", "compat": "the browser compatibility table",
              "specifications": "the specifications table",
              "seecompattable": "the 'experimental' banner",
              "deprecated_header": "the 'deprecated' banner",
              "non-standard_header": "the 'non-standard' banner",
              "securecontext_header": "the 'secure context' banner"}
# the page's furniture, which a book has its own of: nothing
_FURNITURE = re.compile(r"(?:\w*sidebar|(?:js|css|api|html|svg|mathml|http|webext\w*)ref|"
                        r"previous|next|previousnext|previousmenu|"
                        r"nextmenu|previousmenunext|quicklinkswithsubpages|listsubpages\w*|"
                        r"glossarydisambiguation)", re.I)


def macros(line: str, at: int, notices: list) -> str:
    """`line` with every MDN macro outside code spans rewritten as MDN shows it; what it left
    out is in `notices`, at line `at`."""
    if "{{" not in line:
        return line
    return outside_code(line, lambda text: _MACRO.sub(lambda m: _shown(m, at, notices), text))


def _shown(match: re.Match, at: int, notices: list) -> str:
    name, args = match.group(1).lower(), _args(match.group(2) or "")
    if name in _CODE or name in _ELEMENTS:
        place = _CODE.get(name)
        text = args[place] if place is not None and len(args) > place and args[place] else (
            args[0] if args else "")
        if name in ("jsxref", "domxref") and not (place is not None and len(args) > place
                                                  and args[place]):
            text = text.replace("/", ".")  # `Array/forEach` reads `Array.forEach`, as on MDN
        if name in _ELEMENTS and len(args) < 2:
            text = f"<{text}>"
        plain = any(a.lower() == "nocode" for a in args[1:])
        return _escaped(text) if plain else _code(text) if text else ""
    if name == "interwiki" and len(args) > 1 and args[0].lower() == "wikipedia":
        page = quote(args[1].replace(" ", "_"), safe="/:_,.-'")
        text = args[2] if len(args) > 2 and args[2] else args[1].replace("_", " ")
        return f"[{_escaped(text)}](https://en.wikipedia.org/wiki/{page})"
    if name in _TEXT:
        place = _TEXT[name]
        text = (args[place] if place is not None and len(args) > place and args[place]
                else args[0] if args else "")
        return _escaped(f"RFC {text}" if name == "rfc" else text)
    if name in _BADGES:
        return f"[{_escaped(_BADGES[name])}]{{.badge}}"
    if name in _PHRASES:
        return _escaped(_PHRASES[name])
    if name in _ELSEWHERE:
        notices.append(("markup-foreign", at, f"MDN macro {match.group(0)[:60]} shows "
                        f"{_ELSEWHERE[name]}, which only the web page can: the book leaves it "
                        "out"))
        return ""
    if _FURNITURE.fullmatch(name):
        return ""
    return match.group(0)  # another macro: text, which `lapses` warns of


def _args(written: str) -> list[str]:
    """A macro's arguments, unquoted: `"Array/forEach", "forEach"` → two."""
    return [next(g for g in m.groups() if g is not None).strip() for m in _ARG.finditer(written)]


def _code(text: str) -> str:
    """`text` as inline code, fenced by more backticks than it holds in a row."""
    ticks = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _escaped(text: str) -> str:
    """`text` as Markdown reads it back: its marks escaped."""
    return re.sub(r"([\\`*_\[\]<>#{}])", r"\\\1", text)


# ```` ```css hidden ````, ```` ```html hidden ````: MDN runs it in a live sample, shows none of it
_HIDDEN_FENCE = re.compile(r"^([\w+#.-]+)(?:-nolint)?\s+(?:[\w-]+\s+)*hidden(?:\s|$)")
_NOLINT = re.compile(r"^([\w+#.]+(?:-[\w+#.]+)*?)-nolint$")  # ```` ```js-nolint ````: JavaScript


def fence(rest: str) -> str | None:
    """The attributes of a fence MDN writes, from what follows its marks (None: none of
    MDN's): `HIDDEN` for a block the page does not show (`lines` leaves it out, line for
    line), or a block of the language of `js-nolint`, MDN's mark for code its formatter must
    not touch (pandoc took `js-nolint` for the language, and the code was set plain)."""
    if _HIDDEN_FENCE.match(rest):
        return HIDDEN
    if nolint := _NOLINT.match(rest.strip()):
        return "{." + nolint.group(1) + "}"
    return None


def tidy(blocks: list) -> None:
    """MDN's definition lists made definition lists, in place (one block for one: the
    edition's blocks are counted against their files)."""
    known: list[set] = []  # the link targets and the IDs taken, found at the first such list

    def ids() -> list[set]:
        if not known:
            known.append({el["c"][2][0][1:] for el in walk(blocks)
                          if el.get("t") == "Link" and el["c"][2][0].startswith("#")})
            known.append({element_id(el) for el in walk(blocks)
                          if isinstance(el, dict) and el.get("t")})
        return known

    _tidy(blocks, ids)


def _tidy(blocks: list, ids) -> None:
    for i, block in enumerate(blocks):
        if block.get("t") == "BulletList" and all(_defined(item) for item in block["c"]):
            blocks[i] = block = {"t": "DefinitionList", "c": [
                _entry(item, *ids()) for item in block["c"]]}
        for inner in block_lists(block):
            _tidy(inner, ids)


def _defined(item: list) -> bool:
    """Whether a list item is a term and its definition as MDN writes them: its text, then a
    list of one item that opens with a colon."""
    if len(item) != 2 or item[0].get("t") not in ("Plain", "Para"):
        return False
    inner = item[1]
    if inner.get("t") != "BulletList" or len(inner["c"]) != 1 or not inner["c"][0]:
        return False
    first = inner["c"][0][0]
    words = first.get("c") if first.get("t") in ("Plain", "Para") else None
    return bool(words) and words[0] == {"t": "Str", "c": ":"} and (
        len(words) == 1 or words[1].get("t") in ("Space", "SoftBreak"))


def _entry(item: list, targets: set, taken: set) -> list:
    term = list(item[0]["c"])
    first, *rest = item[1]["c"][0]
    definition = ([dict(first, c=first["c"][2:])] if first["c"][2:] else []) + rest
    ident = _term_id(term)
    if ident in targets and ident not in taken and not RESERVED.match(ident):
        taken.add(ident)  # the ID MDN gives the term, which a link of the page names
        term = [{"t": "Span", "c": [[ident, [], []], term]}]
    return [term, [definition]]


def _term_id(term: list) -> str:
    """The ID MDN gives a term: its first code's text (`frame` of "`frame` Deprecated"), else
    its text, in lower case, spaces as underscores."""
    code = next((x["c"][1] for x in walk(term) if x.get("t") == "Code"), None)
    text = code if code is not None else stringify(term)
    return re.sub(r"[^\w.-]", "", "_".join(text.lower().split()))
