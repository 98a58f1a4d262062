"""The markup a manuscript may carry, parsed rather than matched: CSS (tinycss2), SVG (lxml, no
entities, no network) and the start tags of raw HTML. `resources` applies the policy; these
functions say what in a text would load, run or include something (a `Refusal`)."""

from __future__ import annotations

import re
from html import unescape
from html.entities import html5
from html.parser import HTMLParser

from . import counts


class Refusal(Exception):
    """A reference the policy refuses; `needle` is text to find the source line by. Raw HTML's
    refusals say what they pair with (`explained`): `opens`, the element whose next stray end
    tag this one already accounts for (a refused `<Callout>`, a `<a>` left open at the end of
    its paragraph); `stray`, the element of an end tag refused as closing nothing; `wraps`,
    what to say instead once such an end tag shows the element wraps blocks."""

    def __init__(self, message: str, needle: str, *, opens: str = "", stray: str = "",
                 wraps: str = ""):
        super().__init__(message)
        self.message, self.needle = message, needle
        self.opens, self.stray, self.wraps = opens, stray, wraps


_HANDLER = re.compile(r"on[a-z]+")


def event_handler(name: str) -> bool:
    """Whether an attribute (its local name) is an event handler, in raw HTML, a Markdown
    attribute or an SVG: `on` and letters, in any case, as every event's name is (`onclick`,
    SVG's `onbegin`, one no browser knows yet). Inkscape's `only_selected` is not one: every
    figure an Inkscape path effect drew was refused."""
    return _HANDLER.fullmatch(name.lower()) is not None


# Raw HTML a manuscript may hold: formatting elements (the rest is refused, `resources._raw`).
ALLOWED_TAGS = set("""a abbr address article aside b bdi bdo blockquote br caption center cite code
    col colgroup data dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6
    header hgroup hr i img ins kbd li main mark nav ol p pre q rp rt ruby s samp section small
    span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr""".split())
# HTML's other elements: refused as what they are, never taken for a placeholder like <type>
OTHER_ELEMENTS = set("""applet audio base basefont body button canvas dialog embed fieldset form
    frame frameset head html iframe input label legend link map math menu meta meter noscript
    object optgroup option output param picture portal progress script select slot source style
    area svg template textarea title track video""".split())
TAG_LIKE = re.compile(r"</?([^\W\d_][^\s/>]*)")  # a tag in any script, as pandoc reads one
# Raw HTML that becomes the AST element it means, so DOCX (which drops raw HTML) has it too
AS_ELEMENT = {"br": {"t": "LineBreak"}, "wbr": {"t": "Str", "c": "\u200b"},
              "hr": {"t": "HorizontalRule"}}
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# The attribute names HTML defines (pandoc's `html5Attributes`, its event handlers aside: they
# are refused): written as they are. Pandoc's HTML writer gives any other name of its own
# elements' a `data-` prefix (`<span v-pre>` is written `data-v-pre`), and raw HTML's are
# written so too, which keeps the EPUB valid (EPUBCheck refuses unknown attributes).
HTML_ATTRIBUTES = frozenset("""abbr accept accept-charset accesskey action allow
    allowfullscreen alt as async autocapitalize autocomplete autofocus autoplay charset checked
    cite class color cols colspan content contenteditable controls coords crossorigin data
    datetime decoding default defer dir dirname disabled download draggable enctype
    enterkeyhint fetchpriority for form formaction formenctype formmethod formnovalidate
    formtarget headers height hidden high href hreflang http-equiv id imagesizes imagesrcset
    inputmode integrity is ismap itemid itemprop itemref itemscope itemtype kind label lang
    list loading loop low manifest max maxlength media method min minlength multiple muted
    name nomodule nonce novalidate open optimum pattern ping placeholder playsinline poster
    preload readonly referrerpolicy rel required reversed role rows rowspan sandbox scope
    selected shape size sizes slot span spellcheck src srcdoc srclang srcset start step style
    tabindex target title translate type typemustmatch updateviacache usemap value width
    workertype wrap""".split())
PREFIXED_ATTRIBUTES = frozenset({"xml:lang", "epub:type"})  # prefixes the EPUB declares
# HTML's boolean attributes: `<details open>` is written `open="open"` (any other attribute with
# no value is left out: pandoc's EPUB writer writes `x=""` again as a bare `x`, which XML refuses)
BOOLEAN_ATTRIBUTES = frozenset("""allowfullscreen async autofocus autoplay checked controls
    default defer disabled formnovalidate hidden inert ismap itemscope loop multiple muted
    nomodule novalidate open playsinline readonly required reversed selected""".split())
_NAME = re.compile(r"[A-Za-z_][\w.-]*", re.ASCII)  # an XML name with no prefix
_XML_NAMED = {"amp", "lt", "gt", "quot", "apos"}


def native_attribute(name: str) -> bool:
    """Whether pandoc may write the attribute `name` of an element of its own (it reads
    `<span v-on:click="go">` as a Span): not with a prefix the EPUB does not declare (`v-on:`),
    nor a name no XML name can be; either made a content document no XML reader opens."""
    return name in PREFIXED_ATTRIBUTES or bool(re.fullmatch(r"[\w.-]+", name, re.ASCII))


def xml_attribute(name: str) -> str | None:
    """The name a raw HTML attribute is written with: its own (HTML's, `data-…`, `aria-…`),
    `data-` and its own (a framework's, `v-pre`: what pandoc writes for its elements), or None,
    left out, when no XML name is made of it (Vue's `:class`, `@click`, `v-on:click`)."""
    if name in PREFIXED_ATTRIBUTES:
        return name
    if not _NAME.fullmatch(name):
        return None
    return name if (name in HTML_ATTRIBUTES or name.startswith(("data-", "aria-"))) \
        else "data-" + name


def _xml_chars(text: str) -> str:
    """`text` with what XML cannot hold (a lone surrogate, most controls) as U+FFFD, as HTML's."""
    return "".join(c if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"
                   or c >= "\U00010000" else "\ufffd" for c in text)


def _xml_text(text: str, quote: bool = False) -> str:
    """`text` as XML's character data, or a quoted attribute value's."""
    text = _xml_chars(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;") \
            .replace("\r", "&#13;")
    return text


class _XHTML(HTMLParser):
    """Raw HTML written again as XHTML, from what an HTML parser reads of it (`xhtml`)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def _start(self, tag, attrs) -> str:
        written, seen = [], set()
        for key, value in attrs:
            name = xml_attribute(key)
            value = counts.attribute(key, value) if key in counts.NAMES and value else value
            if not value and name in BOOLEAN_ATTRIBUTES:
                value = name
            if name and value and name not in seen:  # HTML keeps the first of a name twice
                seen.add(name)
                written.append(f' {name}="{_xml_text(value, quote=True)}"')
        return f"<{tag}{''.join(written)}"

    def handle_starttag(self, tag, attrs):
        self.out.append(self._start(tag, attrs) + (" />" if tag in VOID else ">"))

    def handle_startendtag(self, tag, attrs):  # `<sup />`: HTML ignores the slash, XML does not
        self.out.append(self._start(tag, attrs) + (" />" if tag in VOID else f"></{tag}>"))

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(_xml_text(data))

    def handle_entityref(self, name):
        chars = html5.get(name + ";")
        self.out.append(f"&{name};" if name in _XML_NAMED else
                        "".join(f"&#{ord(c)};" for c in chars) if chars else f"&amp;{name};")

    def handle_charref(self, name):
        self.out.append("".join(f"&#{ord(c)};" for c in _xml_chars(unescape(f"&#{name};"))))

    def handle_comment(self, data):  # dropped (a DOCTYPE, a processing instruction: refused)
        pass


def xhtml(text: str) -> str:
    """Raw HTML as the EPUB's XHTML must hold it, written again from what an HTML parser (the
    PDF's) reads of it, so the two agree: void elements closed (`<br />`), `<sup />` as the
    empty element, every attribute quoted with a value (`<details open>`: `open="open"`;
    `<code v-pre>`, none, left out) and named as XML can (`xml_attribute`), end tags bare
    (`</b >`), named character references other than XML's five as numbers (`&thinsp;` →
    `&#8201;`), comments dropped. Pandoc copies raw HTML into the EPUB as it is, and one `<br>`
    made a content document no XML reader opens."""
    parser = _XHTML()
    parser.feed(text)
    parser.close()
    return "".join(parser.out)


class Balance(HTMLParser):
    """Start and end tags of raw HTML pieces, in order, checked to nest: an element opened in
    one piece may close in a later one (pandoc gives `<b>`, the text, `</b>` apart). Elements a
    manuscript may not hold are refused as such, once: their tags are not followed here (a
    refused `<TabItem>` also gave 'never closed' and '</tabitem> closes nothing'). `inline`:
    the pieces are a paragraph's (a heading's, a cell's), which its elements cannot outlast."""

    def __init__(self, inline: bool = False):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str]] = []  # (tag, where it is: its text and the text after)
        self._where, self._before, self.inline = "", None, inline

    def handle_starttag(self, tag, attrs):
        if tag not in VOID and tag in ALLOWED_TAGS:  # the others are refused, each once
            self.open.append((tag, self._where))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:  # `</br>`: an HTML parser reads a <br>, XML a tag closing nothing
            raise Refusal(f"raw HTML </{tag}> closes nothing: <{tag}> has no end tag",
                          self._where, stray=tag)
        if tag not in ALLOWED_TAGS:
            return
        if not self.open or self.open[-1][0] != tag:
            why = (f"<{self.open[-1][0]}>" if self.open else "nothing") + ": the EPUB needs " \
                "every element closed in order (XHTML)"
            if not self.open and self._before:
                why += unread_start(tag, self._before())
            raise Refusal(f"raw HTML </{tag}> closes {why}", self._where,
                          stray="" if self.open else tag)
        self.open.pop()

    def take(self, html: str, after: str = "", before=None) -> None:
        """One raw piece; `after`, the text that follows it (to find its line: a tag alone
        may be written the same way on many lines); `before()`, the text before it (what a
        start tag pandoc read as text left)."""
        self._where, self._before = html.strip() + after, before
        try:
            self.feed(html)
        except Refusal:
            self.reset()  # what the parser had not consumed was read again with the next piece
            raise

    def end(self) -> None:
        if self.open:
            tag, where = self.open[-1]
            how = ("a link cannot hold paragraphs: close it in the paragraph it opens in, or "
                   "link each paragraph's text") if tag == "a" else (
                   "an element opened inside a paragraph must close in it: write "
                   f"<{tag}>…</{tag}> in each paragraph")
            raise Refusal(f"raw HTML <{tag}> is never closed: the EPUB needs every element "
                          "closed (XHTML)", where, opens=tag if self.inline else "",
                          wraps=f"raw HTML <{tag}> wraps blocks (its </{tag}> is in a later "
                          f"block): {how}")


def text_before(inlines: list, index: int) -> str:
    """The text of the inlines before `index`, near enough as written: pandoc reads
    `<span @click="go">` as a string, a citation, a quotation and a string."""
    def written(item) -> str | None:
        kind = item.get("t") if isinstance(item, dict) else None
        if kind in ("Str", "Space", "SoftBreak"):
            return item.get("c", " ")
        if kind == "Cite":
            return " ".join("@" + cite["citationId"] for cite in item["c"][0])
        inner = [written(x) for x in item["c"][1]] if kind == "Quoted" else [None]
        mark = '"' if kind == "Quoted" and item["c"][0]["t"] == "DoubleQuote" else "'"
        return None if None in inner else mark + "".join(inner) + mark

    parts: list[str] = []
    for item in reversed(inlines[max(0, index - 100):index]):
        if (part := written(item)) is None:
            break
        parts.append(part)
    return "".join(reversed(parts))


def unread_start(tag: str, before: str) -> str:
    """What to add to '</tag> closes nothing' when its start tag is in the text before it:
    pandoc reads `<span @click="go">` as text (`@click` is no attribute name it knows)."""
    starts = list(re.finditer(rf"<{re.escape(tag)}(?=[\s/>])[^<>]*>?", before, re.I))
    if not starts:
        return ""
    start = starts[-1].group(0)
    names = re.findall(r"(?<=\s)([^\s=>/\"']+)", start)
    bad = next((n for n in names if not re.fullmatch(r"[A-Za-z_][\w.:-]*", n, re.A)), None)
    shown = start if len(start) <= 60 else start[:59] + "…"
    return (f"; its start tag `{shown}` is text to pandoc" +
            (f": `{bad}` is no HTML attribute name" if bad else ""))


def explained(refusals: list) -> list:
    """`(refusal, chapter)` pairs in the order found → `(refusal, chapter, shown)`: an end tag
    refused as closing nothing (`stray`) is not shown when a refusal before it in its chapter
    accounts for it (`opens` that element): a refused `<Callout>`'s `</Callout>`, or the `</a>`
    of a paragraph's `<a>` left open, which is then said to wrap blocks (`wraps`), once, at
    the `<a>`."""
    pending: dict[tuple, list[int]] = {}
    shown = [True] * len(refusals)
    messages = [refusal.message for refusal, _ in refusals]
    for index, (refusal, owner) in enumerate(refusals):
        opened = pending.get((owner, refusal.stray)) if refusal.stray else None
        if opened:
            first = opened.pop()
            shown[index] = False
            messages[first] = refusals[first][0].wraps or messages[first]
        elif refusal.opens:
            pending.setdefault((owner, refusal.opens), []).append(index)
    for (refusal, _), message in zip(refusals, messages):
        refusal.message = message
    return [(refusal, owner, show) for (refusal, owner), show in zip(refusals, shown)]


class Tags(HTMLParser):
    """The start tags of a raw piece (`tags`, which of them are `<x … />`: `empty`), and its
    end tags' elements (`ends`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.ends: list[str] = []
        self.empty: set[int] = set()  # which of `tags` are written `<x … />`

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.empty.add(len(self.tags))
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.ends.append(tag)

    def handle_decl(self, decl):
        self.tags.append(("!doctype", []))

    def handle_pi(self, data):
        self.tags.append(("?pi", []))

    @staticmethod
    def only_tag(html: str) -> bool:
        """Whether `html` is one tag and nothing else (no text beside it)."""
        return bool(re.fullmatch(r"\s*<[^<>]*>\s*", html))

    @classmethod
    def parse(cls, html: str) -> list:
        return cls.read(html).tags

    @classmethod
    def read(cls, html: str) -> "Tags":
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser


