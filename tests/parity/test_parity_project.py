"""The `check` command on whole projects: project-level codes, waivers, sync marks, reports, build."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, append, copy_project, run_cli, shared


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(root: Path, *args: str) -> tuple[int, dict]:
    result = run_cli("check", "--project", str(root), "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def codes(report: dict, waived: bool = False) -> list[str]:
    return [f["code"] for f in report["findings"] if f["waived"] == waived]


@pytest.fixture
def root(tmp_path, tmp_path_factory) -> Path:
    """A copy of tests/roots/parity-project with its parse cache filled by one check (made once
    per session): a test's check parses only the language it edited (about 0.1 CPU-s a parse)."""
    def checked_once(folder: Path) -> None:
        copy_project("parity-project", folder)
        run_cli("check", "--project", str(folder))
    source = shared(tmp_path_factory, "parity-project-checked", checked_once)
    return Path(shutil.copytree(source, tmp_path / "parity-project"))


def test_shipped_manuscript_passes_strict_check():
    result = run_cli("check", "--project", str(REPO), "--strict")
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_clean_project_reports_only_its_waived_finding(root):
    status, report = check(root, "--strict")
    assert status == 0
    assert report["version"] == 1
    assert report["summary"] == {"errors": 0, "warnings": 0, "waived": 1}
    (waived,) = report["findings"]
    assert waived["code"] == "citation-unused" and waived["reason"].startswith("Listed")
    assert waived["file"] == "manuscript/references.yaml" and waived["line"] == 13


def test_check_parses_only_what_changed_since_the_last_check_or_build(root, tmp_path, monkeypatch):
    """The cross-check reads the parse cache: a second check runs no pandoc parse, an edited
    chapter's language alone is parsed again, and after a build (which caches the strict
    parse) a check parses nothing; the findings are the same either way."""
    from baikonur_pub import build, config
    from baikonur_pub.pandoc import Pandoc

    read = Pandoc.read_markdown
    texts = []
    monkeypatch.setattr(Pandoc, "read_markdown", lambda self, text, *a, **k: (
        texts.append(text), read(self, text, *a, **k))[1])
    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))

    def parses() -> int:
        return len(texts)

    first = check(root)
    assert parses() == 2 and first[0] == 0
    assert check(root) == first and parses() == 2
    edit(root / "manuscript/en/01-one.md", "written in Rome", "written in Milan")
    edited = check(root)
    assert parses() == 3 and codes(edited[1]) == ["term-mismatch"]
    (tmp_path / "cache" / "editions-lenient").rename(tmp_path / "dropped")
    build.build(config.load(root), formats=("docx",), jobs=1)  # the strict parse, cached
    after_build = parses()
    assert check(root) == edited and parses() == after_build


def test_glossary_term_without_counterpart_is_term_mismatch(root):
    edit(root / "manuscript/en/01-one.md", "written in Rome", "written in Milan")
    status, report = check(root)
    assert status == 0 and codes(report) == ["term-mismatch"]
    (finding,) = [f for f in report["findings"] if not f["waived"]]
    assert (finding["file"], finding["line"]) == ("manuscript/it/01-uno.md", 3)
    assert "“Roma” in it" in finding["message"] and "“Rome”" in finding["message"]


def test_glossary_inflection_counts_as_counterpart(root):
    edit(root / "manuscript/en/01-one.md", "written in Rome", "written by a Roman")
    assert codes(check(root)[1]) == []


def test_warnings_fail_only_with_strict(root):
    edit(root / "manuscript/en/02-two.md", "3 items", "4 items")
    assert check(root)[0] == 0
    status, report = check(root, "--strict")
    assert status == 1 and codes(report) == ["number-mismatch"]


def test_unknown_citation_key_is_citation_undefined(root):
    edit(root / "manuscript/en/02-two.md", "3 items.", "3 items [@nobody1999].")
    status, report = check(root)
    assert status == 1
    assert "citation-undefined" in codes(report)
    undefined = next(f for f in report["findings"] if f["code"] == "citation-undefined")
    assert (undefined["file"], undefined["line"]) == ("manuscript/en/02-two.md", 3)


def test_a_cross_reference_without_target_is_xref_undefined_not_a_missing_citation(root):
    edit(root / "manuscript/en/02-two.md", "3 items.", "3 items (@sec-nowhere).")
    status, report = check(root)
    (finding,) = [f for f in report["findings"] if f["code"] in ("xref-undefined",
                                                                   "citation-undefined")]
    assert status == 1 and finding["code"] == "xref-undefined"
    assert (finding["file"], finding["line"]) == ("manuscript/en/02-two.md", 3)
    assert "leads to no section with this ID" in finding["message"]


def test_nocite_entry_is_not_unused(root):
    (root / "manuscript/parity-waivers.yaml").unlink()
    assert codes(check(root)[1]) == ["citation-unused"]
    edit(root / "manuscript/publication.yaml", "primary:", "nocite: ['@verdi2019']\nprimary:")
    assert codes(check(root)[1]) == []


def test_duplicate_id_is_one_finding_without_missing_or_extra_sections(root):
    edit(root / "manuscript/it/02-due.md", "{#sec-two}", "{#sec-one}")
    status, report = check(root)
    assert status == 1 and codes(report) == ["id-duplicate"]
    (finding,) = [f for f in report["findings"] if not f["waived"]]
    assert (finding["file"], finding["line"]) == ("manuscript/it/02-due.md", 1)


def test_an_element_repeating_an_id_is_an_id_duplicate_at_each_repeat(root):
    """A span repeating a section's ID, and a span repeating another span's: `check` reports
    each where it is given again (only `build` said so before, and stopped at the first)."""
    edit(root / "manuscript/en/02-two.md", "3 items.", "3 [items]{#sec-one},\n[once]{#x} [twice]{#x}.")
    status, report = check(root)
    found = [(f["code"], f["file"], f["line"], f["message"]) for f in report["findings"]
             if not f["waived"] and f["code"] == "id-duplicate"]
    assert status == 1 and found == [
        ("id-duplicate", "manuscript/en/02-two.md", 3,
         "ID '#sec-one' is used twice (also at manuscript/en/01-one.md:1)"),
        ("id-duplicate", "manuscript/en/02-two.md", 4,
         "ID '#x' is used twice (also at manuscript/en/02-two.md:4)")], report["findings"]


def test_waivers_of_a_renamed_section_are_reported_once(root):
    edit(root / "manuscript/parity-waivers.yaml", "waivers:", "waivers:\n"
         "  - code: number-mismatch\n    section: sec-old\n    reason: Rounded.\n"
         "  - code: term-mismatch\n    section: sec-old\n    reason: Named otherwise.")
    (stale,) = [f for f in check(root)[1]["findings"] if f["code"] == "waiver-stale"]
    assert stale["line"] == 2 and "2 waivers for section sec-old (lines 2, 5)" in stale["message"]


@pytest.mark.parametrize("text", ["", "# Second chapter {#sec-two}\n\nTODO\n"])
def test_empty_or_placeholder_chapter_is_one_finding_in_a_full_report(root, text):
    (root / "manuscript/en/02-two.md").write_text(text, encoding="utf-8")
    status, report = check(root)
    assert status == 1 and codes(report) == ["chapter-empty"]
    (finding,) = [f for f in report["findings"] if not f["waived"]]
    assert (finding["file"], finding["line"]) == ("manuscript/en/02-two.md", 1)
    assert check(root) == (status, report)  # again, from the parse cache


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_unreadable_input_still_gives_a_valid_report(root, fmt):
    (root / "manuscript/en/02-two.md").write_bytes(b"# Second \xff\n")
    result = run_cli("check", "--project", str(root), "--format", fmt)
    assert result.exit_code == 1
    document = result.stdout
    if fmt == "junit":
        failure = ET.fromstring(document).find("testsuite/testcase/failure")
        assert failure.get("type") == "input-unreadable"
    else:
        data = json.loads(document)
        found = data["findings"] if fmt == "json" else data["runs"][0]["results"]
        assert len(found) == 1 and "UTF-8" in str(found[0])


def test_waiver_matching_nothing_is_waiver_stale(root):
    edit(root / "manuscript/parity-waivers.yaml", "waivers:", "waivers:\n  - code: number-mismatch\n"
         "    section: sec-two\n    lang: en\n    reason: The English rounds the count.")
    status, report = check(root)
    stale = [f for f in report["findings"] if f["code"] == "waiver-stale"]
    assert len(stale) == 1 and (stale[0]["file"], stale[0]["line"]) == ("manuscript/parity-waivers.yaml", 2)
    edit(root / "manuscript/en/02-two.md", "3 items", "4 items")
    status, report = check(root, "--strict")
    assert status == 0 and sorted(codes(report, waived=True)) == ["citation-unused", "number-mismatch"]


def test_waiver_without_reason_is_a_located_error(root):
    edit(root / "manuscript/parity-waivers.yaml", "    reason: Listed for the reader's further "
         "study; the text does not cite it yet.\n", "")
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "check", "--project", str(root)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip() == ("manuscript/parity-waivers.yaml:2: a waiver needs a 'reason' "
                                   "saying why the difference is accepted")


def test_primary_change_after_mark_synced_is_stale_translation(root):
    result = run_cli("check", "--project", str(root), "--mark-synced")
    assert result.exit_code == 0 and (root / "manuscript/parity-sync.lock").is_file()
    edit(root / "manuscript/it/02-due.md", "Un secondo paragrafo", "Un secondo paragrafo riscritto")
    status, report = check(root)
    (stale,) = [f for f in report["findings"] if f["code"] == "stale-translation"]
    assert (stale["file"], stale["line"], stale["section"]) == ("manuscript/en/02-two.md", 1, "sec-two")
    run_cli("check", "--project", str(root), "--mark-synced", "--section", "sec-two")
    assert "stale-translation" not in codes(check(root)[1])


def test_markdown_respelling_does_not_make_translation_stale(root):
    run_cli("check", "--project", str(root), "--mark-synced")
    edit(root / "manuscript/it/02-due.md", "Un secondo paragrafo con", "Un secondo paragrafo\ncon")
    assert "stale-translation" not in codes(check(root)[1])


def test_section_option_needs_mark_synced(root):
    result = run_cli("check", "--project", str(root), "--section", "sec-one")
    assert result.exit_code == 2


def test_sarif_report_annotates_lines_and_suppresses_waived(root, tmp_path):
    edit(root / "manuscript/en/02-two.md", "3 items", "4 items")
    out = tmp_path / "report.sarif"
    assert run_cli("check", "--project", str(root), "--format", "sarif", "--output", str(out)).exit_code == 0
    log = json.loads(out.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    live = [r for r in results if "suppressions" not in r]
    assert [r["ruleId"] for r in live] == ["number-mismatch"] and live[0]["level"] == "warning"
    region = live[0]["locations"][0]["physicalLocation"]
    assert region == {"artifactLocation": {"uri": "manuscript/en/02-two.md"}, "region": {"startLine": 3}}
    rules = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {"section-missing", "number-mismatch", "waiver-stale"} <= rules


def test_junit_report_has_a_failing_case_per_section_and_check(root):
    edit(root / "manuscript/en/02-two.md", "3 items", "4 items")
    result = run_cli("check", "--project", str(root), "--format", "junit")
    suite = ET.fromstring(result.stdout).find("testsuite")
    failed = [(c.get("classname"), c.get("name")) for c in suite if c.find("failure") is not None]
    assert failed == [("sec-two", "number-mismatch")]
    assert suite.get("failures") == "1" and int(suite.get("tests")) > 20


def test_html_report_shows_both_languages_side_by_side_self_contained(root, tmp_path):
    edit(root / "manuscript/en/02-two.md", "3 items", "4 items")
    out = tmp_path / "report.html"
    run_cli("check", "--project", str(root), "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    assert "Un secondo paragrafo" in page and "A second paragraph" in page
    assert '<mark class="warning"' in page and ">4</mark>" in page
    assert "src=" not in page and "<link" not in page and "http://" not in page


def test_html_report_jumps_to_sections_keeps_emphasis_and_marks_languages(root, tmp_path):
    edit(root / "manuscript/it/02-due.md", "Un secondo paragrafo", "Un *secondo* paragrafo")
    edit(root / "manuscript/en/02-two.md", "A second paragraph with 3 items.",
         "A second paragraph with 3 items.\n\nA paragraph only in English.")
    out = tmp_path / "report.html"
    run_cli("check", "--project", str(root), "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    assert '<nav class="jump"' in page and 'href="#en-1"' in page and 'id="en-1"' in page
    assert "<em>secondo</em>" in page
    assert 'lang="it-IT"' in page or 'lang="it"' in page
    assert 'lang="en"' in page
    assert 'class="lone warning"' in page  # the block on one side only stands out as a whole


def test_build_stops_on_cross_check_errors_and_names_every_one(root):
    (root / "manuscript/en/02-two.md").write_text("# Second chapter {#sec-other}\n\nText.\n",
                                                  encoding="utf-8")
    proc = run_cli("build", "--project", str(root), "--format", "docx")
    assert proc.exit_code == 1
    assert proc.stderr.strip().splitlines()[-2:] == [
        "manuscript/it/02-due.md:1: sec-two: section “Secondo capitolo” of it "
        "(manuscript/it/02-due.md:1) has no counterpart in en [section-missing]",
        "manuscript/en/02-two.md:1: sec-other: section “Second chapter” in en has no "
        "counterpart in it [section-extra]"]
    assert not (root / "dist").exists() or not any((root / "dist").glob("*.docx"))


def test_build_prints_warnings_and_goes_on(root):
    edit(root / "manuscript/en/02-two.md", "3 items", "4 items")
    proc = run_cli("build", "--project", str(root), "--format", "docx")
    assert proc.exit_code == 0, proc.stderr
    assert "manuscript/en/02-two.md:3: warning: sec-two: number 4" in proc.stderr
    assert (root / "dist/sample-en.docx").is_file()


def test_dropped_item_whose_fact_was_waived_is_one_finding_and_no_stale_waiver(root):
    edit(root / "manuscript/parity-waivers.yaml", "waivers:", "waivers:\n  - code: number-mismatch\n"
         "    section: sec-two\n    lang: en\n    match: “7”\n    reason: Counted otherwise.")
    edit(root / "manuscript/it/02-due.md", "3 elementi.", "3 elementi.\n\nUn altro paragrafo con 7 voci.")
    status, report = check(root)
    assert codes(report) == ["block-missing"]
    (finding,) = [f for f in report["findings"] if not f["waived"]]
    assert finding["details"] == ["number 7"]


def test_text_before_a_chapters_first_heading_is_one_finding_at_its_line(root):
    edit(root / "manuscript/en/02-two.md", "# Second chapter", "<!-- a note -->\n\nStray text.\n\n# Second chapter")
    status, report = check(root)
    assert status == 1 and codes(report) == ["section-extra"]
    (finding,) = [f for f in report["findings"] if not f["waived"]]
    assert (finding["file"], finding["line"]) == ("manuscript/en/02-two.md", 3)
    assert "text before the first heading" in finding["message"]


def test_a_report_is_written_into_a_new_folder_and_an_unwritable_one_is_one_line(root, tmp_path):
    out = tmp_path / "reports/ci/parity.json"
    assert run_cli("check", "--project", str(root), "--format", "json", "--output", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["findings"] is not None
    assert [p.name for p in out.parent.iterdir()] == ["parity.json"]  # no temporary left beside it
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    proc = subprocess.run([sys.executable, "-m", "baikonur_pub", "check", "--project", str(root),
                           "--format", "json", "--output", str(blocker / "parity.json")],
                          capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"{blocker}: cannot make the report's folder: a file of that name is in the way"], proc.stderr


def test_a_single_language_publication_asks_no_heading_for_an_id(project):
    """One language, nothing to pair: a heading without `{#…}` is no finding (the pandoc
    manual, built alone, got 248 id-missing warnings)."""
    root = project("minimal")
    edit(root / "manuscript/publication.yaml", "primary: it", "primary: en")
    source = root / "manuscript/publication.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text[:text.index("  it:")] + text[text.index("  en:"):], encoding="utf-8")
    for chapter in (root / "manuscript/en").glob("*.md"):
        chapter.write_text(re.sub(r" \{#sec-\w+\}", "", chapter.read_text(encoding="utf-8")),
                           encoding="utf-8")
    status, report = check(root)
    assert status == 0 and "id-missing" not in codes(report), report["findings"]


def test_a_link_to_a_file_is_link_file_where_the_build_would_refuse_it(root):
    """`check` said nothing of a link to a file, and the build then stopped on it; a second
    link to it is found at its own line, and links.base-url publishes them (no finding)."""
    edit(root / "manuscript/en/02-two.md", "3 items.", "3 items, see [the notes](/notes/) and\n"
         "[again](/notes/).")
    status, report = check(root)
    found = [(f["file"], f["line"]) for f in report["findings"] if f["code"] == "link-file"]
    assert status == 1 and found == [("manuscript/en/02-two.md", 3), ("manuscript/en/02-two.md", 4)]
    edit(root / "manuscript/publication.yaml", "primary:", "links: {base-url: 'https://example.org/'}\nprimary:")
    assert "link-file" not in codes(check(root)[1])


def test_check_finds_the_same_whether_or_not_a_build_parsed_first(root, tmp_path, monkeypatch):
    """A build caches its strict parse, which the next check reads: that parse and the
    check's own must be rewritten alike (site links published under links.base-url, anchors
    matched regardless of case), or the findings change with what the cache holds (a
    translated link was block-missing plus block-extra, then link-mismatch after a build)."""
    from baikonur_pub import build, config

    monkeypatch.setenv("BAIKONUR_CACHE", str(tmp_path / "cache"))
    edit(root / "manuscript/publication.yaml", "primary:", "links: {base-url: 'https://example.org/'}\nprimary:")
    edit(root / "manuscript/en/02-two.md", "3 items.", "3 items, see [the pods](/docs/pod/#ending) "
         "and [the two](#SEC-TWO).")
    edit(root / "manuscript/it/02-due.md", "3 elementi.", "3 elementi, vedi [i pod](/docs/pod-life/#fine) "
         "e [il due](#sec-two).")
    before = check(root)
    build.build(config.load(root), formats=("docx",), jobs=1)
    after = check(root)
    assert before == after and codes(before[1]) == ["link-mismatch"], before[1]["findings"]


def test_an_image_without_a_text_alternative_is_image_alt_missing_at_its_line(root):
    """`check` said nothing of it and the PDF's build then stopped on it; a warning, as the
    other formats build (`--strict` fails on it)."""
    for chapter, old in (("en/02-two.md", "3 items."), ("it/02-due.md", "3 elementi.")):
        folder = root / "manuscript" / chapter.split("/")[0]
        (folder / "box.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' width='4' "
                                        "height='4'/>\n", encoding="utf-8")
        edit(root / "manuscript" / chapter, old, f"{old}\n\n![](box.svg)")
    status, report = check(root)
    found = sorted((f["file"], f["line"], f["severity"]) for f in report["findings"]
                   if f["code"] == "image-alt-missing")
    assert status == 0 and found == [("manuscript/en/02-two.md", 5, "warning"),
                                     ("manuscript/it/02-due.md", 5, "warning")], found
    assert check(root, "--strict")[0] == 1


def test_many_headings_without_ids_are_one_line_of_the_text_report_and_each_in_json(root):
    """A translated README has no heading IDs: every heading of every language was a line of
    its own (201 of a government guide's 267 lines), burying what differs."""
    for chapter, word in (("en/02-two.md", "Part"), ("it/02-due.md", "Parte")):
        path = root / "manuscript" / chapter
        path.write_text(path.read_text(encoding="utf-8") + "".join(
            f"\n## {word} {i}\n\n{i}0.\n" for i in range(1, 7)), encoding="utf-8")
    text = run_cli("check", "--project", str(root)).stdout
    about = [line for line in text.splitlines() if "[id-missing]" in line]
    assert len(about) == 1 and about[0].startswith("warning: 12 headings have no explicit ID"), about
    assert "6 in it and 6 in en" in about[0] or "6 in en and 6 in it" in about[0], about
    assert codes(check(root)[1]).count("id-missing") == 12  # JSON: each at its line


def test_a_resolved_cross_reference_that_differs_is_one_xref_mismatch(root):
    """Both references lead somewhere, to different sections: what differs is a cross-reference
    (the build made each a link, which the check read as a link-mismatch or, unresolved, as a
    citation-mismatch)."""
    edit(root / "manuscript/it/02-due.md", "3 elementi.", "3 elementi (@sec-two).")
    edit(root / "manuscript/en/02-two.md", "3 items.", "3 items (@sec-one).")
    status, report = check(root)
    (finding,) = [f for f in report["findings"] if not f["waived"]]
    assert finding["code"] == "xref-mismatch", finding
    assert (finding["file"], finding["line"]) == ("manuscript/en/02-two.md", 3)
    assert "cross-reference @sec-one in en" in finding["message"]
    assert "differs from @sec-two in it (manuscript/it/02-due.md:3)" in finding["message"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit"])
def test_every_unreadable_input_of_a_run_is_in_its_machine_report(root, fmt):
    """Two chapters that cannot be read: stderr lists both, and so does the report (it held the
    first alone)."""
    for chapter in ("en/01-one.md", "it/02-due.md"):
        (root / "manuscript" / chapter).write_text("# Open {#sec-x}\n\n```\nnever closed\n")
    result = run_cli("check", "--project", str(root), "--format", fmt)
    assert result.exit_code == 1
    if fmt == "junit":
        failure = ET.fromstring(result.stdout).find("testsuite/testcase/failure")
        located = re.findall(r"^(\S+?):(\d+):", failure.text, re.M)
    else:
        data = json.loads(result.stdout)
        found = data["findings"] if fmt == "json" else data["runs"][0]["results"]
        located = [(f["file"], str(f["line"])) for f in found] if fmt == "json" else [
            (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             str(r["locations"][0]["physicalLocation"]["region"]["startLine"])) for r in found]
    assert sorted(located) == [("manuscript/en/01-one.md", "3"), ("manuscript/it/02-due.md", "3")]


def test_a_cross_reference_without_target_is_xref_undefined_without_a_bibliography_too(project):
    """tests/roots/xq-book names no bibliography: `@name` is text there, but a cross-reference
    is still one, and the build refuses one that leads nowhere; the check said nothing."""
    root = project("xq-book")
    edit(root / "manuscript/en/01-basics.md", "@sec-filter comes", "@sec-nowhere comes")
    status, report = check(root)
    (finding,) = [f for f in report["findings"] if f["code"] == "xref-undefined"]
    assert status == 1 and (finding["file"], finding["line"]) == ("manuscript/en/01-basics.md", 4)


def findings(report: dict, code: str) -> list[dict]:
    return [f for f in report["findings"] if f["code"] == code]


def test_a_callout_title_the_build_wrote_is_no_text_and_an_authors_title_pairs_like_a_heading(project):
    """tests/roots/xm-guide writes `> [!NOTE]` in both languages: the build titles it “Note”
    and “Remarque”, words of no manuscript. A warning only in English is one finding, for its
    text (there was a second, `paragraph “Warning”`); the French dropping a tip titled by its
    author is one finding naming the tip by its title."""
    root = project("xm-guide")
    append(root, "en/02-orbit.md", "\n> [!WARNING]\n> Never look at the sun through the window.\n")
    edit(root / "manuscript/fr/01-lancement.md", "::: {.callout-tip title=\"La météo d'abord\"}\n"
         "Consultez les prévisions la veille.\n:::\n", "")
    _, report = check(root)
    assert sorted(f["message"].split(" of en")[0] for f in report["findings"]
                  if f["code"] in ("block-missing", "block-extra")) == [
        "Checklist: tip callout “Weather first”",
        "Orbit > See also: warning callout “Never look at the sun through the window.”"]


def test_sections_of_one_title_are_told_apart_in_the_report_and_in_waivers(project):
    """Both chapters of tests/roots/xm-guide end in “See also”: each is named after its chapter,
    so the text report shows two groups (they were one, with `[project]` repeated around
    them) and a waiver's `section:` picks one."""
    root = project("xm-guide")
    edit(root / "manuscript/en/01-launch.md", "- [Launch pads](/en-US/docs/pads)",
         "- [Launch pads](/en-US/docs/pads)\n- [Engines](/en-US/docs/engines)")
    append(root, "en/02-orbit.md", "- [Docking](/en-US/docs/docking)\n")
    for chapter in ("en/02-orbit.md", "fr/02-orbite.md"):
        path = root / "manuscript" / chapter
        path.write_text("---\nslug: orbit\n---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "manuscript/parity-waivers.yaml").write_text(
        "waivers:\n  - code: block-missing\n    section: Orbit > See also\n"
        "    reason: Docking comes in the next French edition.\n", encoding="utf-8")
    _, report = check(root)
    missing = {(f["section"], f["waived"]) for f in findings(report, "block-missing")}
    assert missing == {("Launch > See also", False), ("Orbit > See also", True)}
    assert not findings(report, "waiver-stale")
    text = run_cli("check", "--project", str(root)).output
    assert [line for line in text.splitlines() if line.startswith("[")].count("[project]") == 1
    assert text.count("[Launch > See also]") == text.count("[Orbit > See also]") == 1


def test_a_link_in_a_list_item_of_several_lines_is_found_at_the_line_that_writes_it(project):
    """The list items of tests/roots/xm-guide open with a short line (`- _[Carburant](…)_`) and
    go on below: a link that differs was put at the item's second line; with links.base-url,
    in the editions a build leaves in the cache (links made web addresses), at the item's
    first line whatever line wrote it."""
    from baikonur_pub import config, parity
    from baikonur_pub.parse import editions
    from baikonur_pub.pandoc import Pandoc

    root = project("xm-guide")
    chapter = root / "manuscript/fr/01-lancement.md"
    edit(chapter, "(/fr/docs/fuel)", "(/fr/docs/tanks)")
    edit(chapter, "- [Météo](/fr/docs/weather)\n  Le lancement attend un vent calme.",
         "- Météo\n  Le lancement attend [un vent calme](/fr/docs/wind).")
    _, report = check(root)
    expected = [("manuscript/fr/01-lancement.md", 7), ("manuscript/fr/01-lancement.md", 11)]
    changed = ("/tanks in fr", "/wind in fr")
    assert [(f["file"], f["line"]) for f in findings(report, "link-mismatch")
            if any(x in f["message"] for x in changed)] == expected
    pub = config.load(root)
    built = parity.check_project(pub, editions(pub, pub.codes, Pandoc.locate(), strict=True))
    found = [f for f in built.findings if f.code == "link-mismatch" and any(x in f.message for x in changed)]
    assert [(f.file, f.line) for f in found] == expected
    assert "https://example.org/fr/docs/tanks in fr" in found[0].message  # as the build wrote it


def test_an_anchor_leading_nowhere_says_which_id_was_meant(project):
    """The build's error names the closest ID (“did you mean '#checklist'?”); check's did not."""
    root = project("xm-guide")
    edit(root / "manuscript/en/01-launch.md", "(#checklist)", "(#check_list)")
    _, report = check(root)
    (finding,) = findings(report, "anchor-unresolved")
    assert finding["message"].endswith("leads to no heading or ID of the document (did you mean "
                                       "'#checklist'?)")
