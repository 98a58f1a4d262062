"""code-mismatch: paired code blocks whose code differs once what a translation may translate
is set aside (`code`), and paired blocks holding different numbers of them, the code blocks
written after a list item rather than in it named (`strays`)."""

from __future__ import annotations

from .code import comparable_lines
from .findings import Finding
from .inline_typos import near_misses
from .outline import Section
from .pair import Pair, label
from .renames import Renames, rename, renamed
from .units import Unit, find_line


def strays(p: Pair, s: Section, t: Section) -> dict[int, list[Unit]]:
    """Code blocks on one side only right after a pair of blocks whose block on that side holds
    fewer code blocks than its partner, up to as many as it lacks: code meant inside a list
    item but written at column 0, which ends the list. id(the block short of them) → them.
    code-mismatch reports them with that block; block-extra/missing would say it again."""
    out: dict[int, list[Unit]] = {}
    pairs = p.blocks(s, t)
    for k, (a, b) in enumerate(pairs):
        if a is None or b is None or len(a.codes) == len(b.codes):
            continue
        side, short = (0, a) if len(a.codes) < len(b.codes) else (1, b)
        for pair in pairs[k + 1:k + 1 + abs(len(a.codes) - len(b.codes))]:
            one = pair[side]
            if pair[1 - side] is not None or one is None or one.kind != "code block":
                break
            out.setdefault(id(short), []).append(one)
    return out


def code(p: Pair) -> list[Finding]:
    """code-mismatch: paired code blocks whose code differs (comments and words aside), and
    paired blocks holding different numbers of them."""
    out, compared, book = [], [], Renames()
    for s, t in p.paired:
        outside = strays(p, s, t)
        for a, b in p.matched(s, t):
            if a.kind == "code block":
                pairs = [((a.code, a.code_lang), (b.code, b.code_lang))]
            elif len(a.codes) == len(b.codes):
                pairs = list(zip(a.codes, b.codes))
                out += [_inline_typo(p, s, t, a, b, x, y)
                        for x, y in near_misses(a.inline_code, b.inline_code)]
            else:
                out.append(_code_count(p, s, t, a, b, outside))
                continue
            for x, y in pairs:
                la, lb = comparable_lines(*x), comparable_lines(*y)
                na, nb = [n for _, n in la], [n for _, n in lb]
                book.read(na, nb)
                if na != nb:
                    compared.append((s, t, a, b, la, lb, na, nb))
    renames = book.of_the_book()  # the translation's own names, block by block alike
    for s, t, a, b, la, lb, na, nb in compared:
        if (na := rename(na, renames)) != nb and (na := renamed(na, nb)) != nb:
            la = [(w, n) for (w, _), n in zip(la, na)]
            out.append(_code_change(p, s, t, a, b, la, lb))
    return out


def _code_count(p: Pair, s: Section, t: Section, a: Unit, b: Unit,
                outside: dict[int, list[Unit]]) -> Finding:
    """Paired blocks holding different numbers of code blocks; those of the short side that
    follow it outside (`strays`) are named, with what to do."""
    message = (f"{b.kind} in {p.tgt_lang} ({p.where(t, b.line)}) holds {_blocks(len(b.codes))}, "
               f"{len(a.codes)} in {p.src_lang} ({p.where(s, a.line)})")
    lang, section, after = ((p.src_lang, s, outside[id(a)]) if id(a) in outside else
                            (p.tgt_lang, t, outside.get(id(b), [])))
    if after:
        lines = ", ".join(p.where(section, u.line) for u in after)
        message += (f": the code block{'s' * (len(after) > 1)} after it in {lang} ({lines}) "
                    f"{'are' if len(after) > 1 else 'is'} outside it; indented to its text, "
                    f"{'they belong' if len(after) > 1 else 'it belongs'} to it")
    return p.finding("code-mismatch", t, b.line, message, name=label(s, t))


def _blocks(n: int) -> str:
    return f"{n} code block{'s' * (n != 1)}"


def _code_change(p: Pair, s: Section, t: Section, a: Unit, b: Unit, la: list, lb: list) -> Finding:
    """One finding at the first line where the two codes part, quoting both as written."""
    k = next((i for i, (x, y) in enumerate(zip(la, lb)) if x[1] != y[1]), min(len(la), len(lb)))
    xa, xb = (la[k][0] if k < len(la) else ""), (lb[k][0] if k < len(lb) else "")
    line_b = find_line(b, t.masked, xb) if k < len(lb) else b.end
    line_a = find_line(a, s.masked, xa) if k < len(la) else a.end
    here, there = p.where(t, line_b), p.where(s, line_a)
    if k >= len(la):  # one code goes on where the other ends: say so, not "differs from (end)"
        said = f"goes on with “{xb}” where the code in {p.src_lang} ends ({there})"
    elif k >= len(lb):
        said = f"ends where the code in {p.src_lang} goes on with “{xa}” ({there})"
    else:
        said = f"“{xb}” differs from “{xa}” in {p.src_lang} ({there})"
    return p.finding("code-mismatch", t, line_b, f"code in {p.tgt_lang} ({here}) {said}",
                     xb, name=label(s, t))


def _inline_typo(p: Pair, s: Section, t: Section, a: Unit, b: Unit, x: str, y: str) -> Finding:
    line_b, line_a = find_line(b, t.masked, y), find_line(a, s.masked, x)
    return p.finding("code-mismatch", t, line_b, f"code in {p.tgt_lang} ({p.where(t, line_b)}) "
                     f"“{y}” differs from “{x}” in {p.src_lang} ({p.where(s, line_a)})", y,
                     name=label(s, t))
