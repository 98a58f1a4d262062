"""Faults pandoc lets through, reported by the cross-check at their lines: a note defined and
never called, a link reference defined twice (pandoc's own warnings, which went nowhere), a
footnote called and never defined (an error: pandoc prints the call as written)."""

from __future__ import annotations

import json

from conftest import append, run_cli


def test_pandoc_warnings_and_undefined_footnotes_are_findings_at_their_lines(project):
    root = project("minimal")
    append(root, "en/02-two.md", "\nA note[^1] and a call[^2].\n\n[^1]: One.\n[^5]: Five.\n\n"
                                 "[x]: https://example.org/a\n[x]: https://example.org/b\n")
    result = run_cli("check", "--project", str(root), "--format", "json")
    found = {(f["code"], f["line"], f["severity"]): f["message"]
             for f in json.loads(result.stdout)["findings"]
             if f["code"] in ("pandoc-warning", "footnote-undefined")}
    assert found == {
        ("footnote-undefined", 5, "error"): "footnote [^2] is called but never defined (its text "
                                            "goes on a line of its own: [^2]: …)",
        ("pandoc-warning", 8, "warning"): "pandoc: note with key '5' defined but not used",
        ("pandoc-warning", 11, "warning"): "pandoc: duplicate link reference '[x]'",
    }
    assert result.exit_code == 1
