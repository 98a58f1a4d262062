"""Reports of a cross-check Result: text for people, JSON/JUnit/SARIF for machines, HTML for editors.

JSON is stable API: `{"version": 1, "findings": [...], "summary": {...}}`. SARIF follows the
OASIS SARIF 2.1.0 schema (one rule per finding code; waived findings carry a suppression) so code
scanning can annotate the lines. The HTML page is a Jinja2 template; this module only prepares
the data it shows.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import click

from .. import __version__
from .findings import CODES, Finding, Result

FORMATS = ("text", "json", "junit", "sarif", "html")
TEMPLATE = "parity-report.html.j2"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _order(result: Result) -> dict[str, tuple[int, int]]:
    """Section name → place in reading order; a translation's name for a section comes right
    after its pair's (its own findings, id-missing or anchor-unresolved, beside the pair's)."""
    order: dict[str, tuple[int, int]] = {}
    for pairs in result.pairs.values():
        for s, t in pairs:
            place = order.setdefault((s or t).name, (len(order), 0))
            if s is not None and t is not None:
                order.setdefault(t.name, (place[0], 1))
    return order


def _sorted(result: Result) -> list[Finding]:
    order = _order(result)
    last = (len(order), 2)
    return sorted(result.findings, key=lambda f: (order.get(f.section, last), f.section, f.lang,
                                                  f.file, f.line))


def fatal(error) -> Result:
    """A result holding only the errors that stopped the check (input-unreadable): every one
    the run found (errors.Problems), as the text report lists them."""
    found = tuple(Finding("input-unreadable", "", e.path or "", e.line or 0, "",
                          " ".join(e.message.split())) for e in getattr(error, "problems", [error]))
    return Result("", (), found, {}, "", ("the cross-check could not run",))


def summary_line(result: Result) -> str:
    s = result.summary
    info = result.count("info")
    return (f"{s['errors']} error{'s' * (s['errors'] != 1)}, {s['warnings']} warning"
            f"{'s' * (s['warnings'] != 1)}, {s['waived']} waived" + (f", {info} info" if info else ""))


# More findings of one of these codes than this are one line of the text report (a translated
# README has no heading IDs: 201 lines of a government guide's 267 said so); the other formats
# list each.
COLLAPSED = 10
_COLLAPSED_SAY = {
    "id-missing": ("headings have no explicit ID ({{#…}}), {counts}: they pair by their content "
                   "and place; an ID pairs them for certain (--format json lists each)"),
    "front-matter-ignored": ("chapters' front matter holds keys the build sets aside, {counts}: "
                             "only title and lang are read (--format json lists each)"),
    "citation-as-text": ("@names kept as text, {counts}: publication.yaml names no "
                         "bibliography (--format json lists each)"),
    "markup-foreign": ("pieces of other tools' markup printed as text or left out, {counts} "
                       "(--format json lists each)"),
    "image-remote": ("remote images left out, {counts}: images.remote is drop in "
                     "publication.yaml, and nothing is fetched (--format json lists each)"),
    "code-not-run": ("executable chunks shown as code and never run, {counts}: their output "
                     "is not in the book (--format json lists each)"),
}


def collapsed(result: Result) -> tuple[list[Finding], list[str]]:
    """The findings the text report lists one by one, and the lines that stand for the rest."""
    lines, folded = [], set()
    for code, say in _COLLAPSED_SAY.items():
        found = [f for f in result.findings if f.code == code and not f.waived]
        if len(found) <= COLLAPSED:
            continue
        per_lang: dict[str, int] = {}
        for f in found:
            per_lang[f.lang] = per_lang.get(f.lang, 0) + 1
        counts = " and ".join(f"{n} in {lang}" for lang, n in per_lang.items())
        lines.append(f"{found[0].severity}: {len(found)} {say.format(counts=counts)} [{code}]")
        folded.add(code)
    return [f for f in _sorted(result) if f.code not in folded or f.waived], lines


def text(result: Result, color: bool = False) -> str:
    """`path:line: severity: message [code]` lines grouped by section, then a summary line."""
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    shown, summary = collapsed(result)
    lines, group = [], None
    project = [f for f in shown if not f.section]  # one group, first: what no section holds
    if summary or project:
        header = "[project]"
        lines.append(click.style(header, bold=True) if color else header)
        for line in summary:
            label, _, rest = line.partition(":")
            lines.append((click.style(label, fg=colours[label]) if color else label) + ":" + rest)
        group = ""
    for f in project + [f for f in shown if f.section]:
        if f.section != group:
            group = f.section
            header = f"[{group or 'project'}]"
            lines += [""] if lines else []
            lines.append(click.style(header, bold=True) if color else header)
        label = f"{f.severity} (waived)" if f.waived else f.severity
        if color:
            label = click.style(label, fg="bright_black" if f.waived else colours[f.severity])
        prefix = f"{f.location}: " if f.location else ""
        lines.append(f"{prefix}{label}: {f.message} [{f.code}]"
                     + (f" — waived: {f.reason}" if f.waived else ""))
        lines += [f"    {d}" for d in f.details]
    if result.notes:
        lines += ([""] if lines else []) + [f"note: {n}" for n in result.notes]
    lines.append(("\n" if lines else "") + summary_line(result))
    return "\n".join(lines) + "\n"


def as_json(result: Result) -> str:
    data = {"version": 1, "findings": [f.as_dict() for f in _sorted(result)],
            "summary": result.summary}
    if result.notes:
        data["notes"] = list(result.notes)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def junit(result: Result) -> str:
    """One test case per section and check; a finding fails its case, a waiver skips it."""
    suites = ET.Element("testsuites", name="baikonur-pub check")
    by_case: dict[tuple, list[Finding]] = {}
    for f in result.findings:
        by_case.setdefault((f.lang, f.section, f.code), []).append(f)
    for lang in result.target_langs or ("",):
        suite = ET.SubElement(suites, "testsuite", name=f"{result.source_lang} → {lang}")
        order = _order(Result(result.source_lang, (lang,), (), {lang: result.pairs.get(lang, [])}))
        names = [name for name, (_, side) in order.items() if side == 0]  # the pairs' names
        names += sorted({f.section for f in result.findings if f.lang == lang} - set(names))
        tests = failures = skipped = 0
        for name in names:
            for code in CODES:
                case = ET.SubElement(suite, "testcase", classname=name or "project", name=code)
                tests += 1
                found = by_case.get((lang, name, code), [])
                live = [f for f in found if not f.waived and f.severity != "info"]
                if live:
                    failures += 1
                    failure = ET.SubElement(case, "failure", message=live[0].message, type=code)
                    failure.text = "\n".join(f"{f.location}: {f.message}"
                                              + "".join(f"\n  {d}" for d in f.details) for f in live)
                elif found and all(f.waived for f in found):
                    skipped += 1
                    ET.SubElement(case, "skipped", message="waived: " + found[0].reason)
                elif found:
                    ET.SubElement(case, "system-out").text = "\n".join(f.message for f in found)
        if result.notes:
            ET.SubElement(suite, "system-out").text = "\n".join(result.notes)
        suite.set("tests", str(tests)); suite.set("failures", str(failures))
        suite.set("skipped", str(skipped)); suite.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_uri() if p.is_absolute() else p.as_posix()


def sarif(result: Result) -> str:
    rules = [{"id": code, "name": code.title().replace("-", ""),
              "shortDescription": {"text": text_}, "defaultConfiguration": {"level": _SARIF_LEVEL[sev]}}
             for code, (sev, text_) in CODES.items()]
    index = {code: i for i, code in enumerate(CODES)}
    results = []
    for f in _sorted(result):
        item = {"ruleId": f.code, "ruleIndex": index[f.code], "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message + "".join(f"\n- {d}" for d in f.details)}}
        if f.file:
            location = {"artifactLocation": {"uri": _uri(f.file)}}
            if f.line:
                location["region"] = {"startLine": f.line}
            item["locations"] = [{"physicalLocation": location}]
        if f.waived:
            item["suppressions"] = [{"kind": "external", "justification": f.reason}]
        results.append(item)
    log = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "baikonur-pub", "version": __version__,
                                         "informationUri": "https://pandoc.org/MANUAL.html",
                                         "rules": rules}},
                     "results": results}]}
    if result.notes:
        log["runs"][0]["invocations"] = [{
            "executionSuccessful": not any(f.code == "input-unreadable" for f in result.findings),
            "toolExecutionNotifications": [{"level": "note", "message": {"text": n}}
                                           for n in result.notes]}]
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def html(result: Result, templates: Path | None = None) -> str:
    """A self-contained page: summary, then both languages side by side, section by section."""
    import jinja2  # only the html report needs it
    import jinja2.sandbox

    loaders = [jinja2.FileSystemLoader(str(templates))] if templates and templates.is_dir() else []
    loaders.append(jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")))
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    from .htmlview import lang_attr, section_view

    tables = []
    for lang in result.target_langs:
        rows = []
        for i, (s, t) in enumerate(result.pairs.get(lang, [])):
            names = {x.name for x in (s, t) if x is not None}
            found = [f for f in result.findings if f.lang == lang and f.section in names]
            live = [f for f in found if not f.waived]
            worst = next((sev for sev in ("error", "warning", "info")
                          if any(f.severity == sev for f in live)), "waived" if found else "")
            rows.append({"id": f"{lang}-{i}", "src": section_view(s, found), "tgt": section_view(t, found),
                         "findings": found, "live": len(live), "worst": worst,
                         "label": (s or t).title or (s or t).name})
        rest = [f for f in result.findings if f.lang == lang or not f.lang]
        shown = {id(f) for row in rows for f in row["findings"]}
        tables.append({"lang": lang, "lang_attr": lang_attr(lang), "rows": rows,
                       "other": [f for f in rest if id(f) not in shown]})
    return env.get_template(TEMPLATE).render(
        title=result.title, source=result.source_lang, source_attr=lang_attr(result.source_lang),
        tables=tables, summary=result.summary, info=result.count("info"), codes=CODES,
        notes=result.notes, version=__version__)


def render(result: Result, fmt: str, color: bool = False, templates: Path | None = None) -> str:
    if fmt == "text":
        return text(result, color)
    if fmt == "json":
        return as_json(result)
    if fmt == "junit":
        return junit(result)
    if fmt == "sarif":
        return sarif(result)
    return html(result, templates)
