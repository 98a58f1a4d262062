"""One cause, one finding: each false-positive class met on real translations, in our own words.

Every test writes a small document and its translation, runs the real `compare` (real pandoc)
and asserts the exact findings: none where the translation is faithful, one where it is not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from baikonur_pub import parity
from baikonur_pub.pandoc import Pandoc


@pytest.fixture(scope="module")
def pandoc():
    return Pandoc.locate()


@pytest.fixture
def run(pandoc, tmp_path):
    def compare(source: str, translation: str, langs=("en", "it")):
        a, b = tmp_path / f"doc.{langs[0]}.md", tmp_path / f"doc.{langs[1]}.md"
        a.write_text(source, encoding="utf-8")
        b.write_text(translation, encoding="utf-8")
        return parity.compare(a, b, pandoc, *langs)
    return compare


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


TOC_EN = """Rocket notes
============

- [Fuel](#fuel)
- [Launch pads](#launch-pads)
- [Weather](#weather)

Fuel
----

Kerosene and oxygen.

Launch pads
-----------

Two pads are in use.

Weather
-------

See [fuel](#fuel) before launch.
"""

TOC_IT = """Note sui razzi
==============

- [Carburante](#carburante)
- [Rampe di lancio](#rampe-di-lancio)
- [Meteo](#meteo)

Carburante
----------

Cherosene e ossigeno.

Rampe di lancio
---------------

Sono in uso due rampe.

Meteo
-----

Si veda [il carburante](#carburante) prima del lancio.
"""


def test_translated_table_of_contents_compares_by_the_headings_it_leads_to(run):
    assert codes(run(TOC_EN, TOC_IT)) == []


def test_anchor_leading_to_no_heading_is_one_anchor_unresolved_with_its_line(run):
    result = run(TOC_EN, TOC_IT.replace("(#meteo)", "(#tempo)"))
    (finding,) = result.findings
    assert finding.code == "anchor-unresolved" and finding.line == 6
    assert finding.file.endswith("doc.it.md") and "#tempo" in finding.message


def test_anchor_to_another_heading_is_a_link_mismatch(run):
    result = run(TOC_EN, TOC_IT.replace("- [Meteo](#meteo)", "- [Meteo](#carburante)"))
    assert codes(result) == ["link-mismatch"]


@pytest.mark.parametrize(("en", "it"), [
    ("https://example.org/docs/", "https://example.org/docs"),
    ("https://example.org/wiki/Perf_(Linux)", "https://example.org/wiki/Perf_%28Linux%29"),
    ("http://example.org/a", "https://example.org/a"),
    ("https://www.example.org/a", "https://example.org/a"),
    ("https://example.org:443/a", "https://EXAMPLE.org/a"),
])
def test_urls_spelled_differently_lead_to_the_same_place(run, en, it):
    assert codes(run(f"# Links\n\nSee [the page]({en}).\n", f"# Link\n\nVedi [la pagina]({it}).\n")) == []


@pytest.mark.parametrize(("en", "it"), [
    ("If you are halfway through a command, press a key.",
     "Se sei a metà di un comando, premi un tasto."),  # "sei": "you are", not six
    ("The guide has goals: breadth, depth and brevity.",
     "La guida segue tre principi: ampiezza, profondità e brevità."),  # a small number word added
    ("Sort on field 1 of the file.", "Ordina sul primo campo del file."),  # ordinal and numeral
    ("Lines are limited to 128K in total.", "Le righe sono limitate a 128 KiB in tutto."),  # units
])
def test_numbers_that_agree_or_are_words_of_style_give_no_finding(run, en, it):
    assert codes(run(f"# Note\n\n{en}\n", f"# Nota\n\n{it}\n")) == []


def test_thousands_grouped_with_no_break_spaces_are_one_number(run):
    en = "# Count\n\nAbout 100,000 files and 2,500,000 lines.\n"
    fr = "# Compte\n\nEnviron 100\u00a0000 fichiers et 2\u202f500\u2009000 lignes.\n"
    assert codes(run(en, fr, ("en", "fr"))) == []


def test_a_number_written_alike_but_read_differently_says_how_each_side_reads_it(run):
    """A table left with English grouping in the Italian copy (a thesis's `20,028`): the
    finding said "20,028 in it differs from 20,028 in en", two equal texts."""
    en = "# Owls\n\nWe counted 20,028 owls.\n"
    it = "# Gufi\n\nAbbiamo contato 20,028 gufi.\n"
    (finding,) = run(en, it).findings
    assert finding.code == "number-mismatch" and finding.line == 3
    assert "is read 20.028 there but 20028 in en" in finding.message, finding.message
    assert "differs from" not in finding.message


def test_digits_beside_cjk_characters_are_numbers_on_their_own_line(run):
    en = "# Files\n\nKeep 3 copies.\n\nDelete 12 logs.\n"
    zh = "# 文件\n\n保留3份副本。\n\n删除13个日志。\n"
    (finding,) = run(en, zh, ("en", "zh")).findings
    assert finding.code == "number-mismatch" and "13" in finding.message and finding.line == 5


def test_a_digit_matches_a_small_number_word_of_the_primary(run):
    """"the two tools" in English, "2 个工具" in Chinese: a false number-mismatch, as "two"
    was read as no number; a digit that differs ("3 个") is still a finding."""
    en = "# Tools\n\nThe two tools read the file.\n"
    zh = "# 工具\n\n这 2 个工具读取文件。\n"
    assert codes(run(en, zh, ("en", "zh"))) == []
    assert codes(run(en, zh.replace("2 个", "3 个"), ("en", "zh"))) == ["number-mismatch"]


def test_a_numeral_in_a_chinese_idiom_does_not_shift_the_pairing_of_blocks(run):
    """零 in 从零开始 ("from scratch") is a soft number, a counterpart only: counted whole in
    the blocks' likeness, it made a faithful paragraph unlike its source, and the pairing
    slid past it (one block-missing and one block-extra, in a section translated whole)."""
    en = ("# Build\n\nIt is a short script.\n\nNow picture writing the whole script by hand "
          "from nothing at all.\n\nAt some point you begin the loop, and the variables are "
          "ready...\n\nThen you must call \"the method that turns the first letter into a "
          "capital one\".\n\nWas it `upper`? Was it `title`?\n\nSo you ask the editor to "
          "complete the word for you.\n\nYou type the name, then a dot (`.`), and press `Tab` "
          "to see the choices.\n\nSadly, nothing useful comes up.\n")
    zh = ("# 构建\n\n这是一个简短的脚本。\n\n现在想象从零开始手写它。\n\n"
          "某个时候你开始写循环，变量也已备好……\n\n然后你得调用“把首字母变大写的方法”。\n\n"
          "是 `upper`？是 `title`？\n\n于是你让编辑器替你补全这个词。\n\n"
          "你输入名字，再输入一个点（`.`），然后按 `Tab` 查看选项。\n\n可惜，没有出现任何有用的东西。\n")
    assert codes(run(en, zh, ("en", "zh"))) == []


def test_chinese_and_japanese_numerals_are_the_counterparts_of_digits(run):
    """"Chapter 9" is "第九章", "35 million" "三千五百万", "in 2024" "二〇二四年": the Rust book's
    Chinese translation had 11 false number-mismatch findings. A numeral is a counterpart
    only: "第八章" for "Chapter 9" is still a finding."""
    en = "# Files\n\nChapter 9 lists 35 million rows, as in 2024.\n"
    zh = "# 文件\n\n第九章列出三千五百万行，与二〇二四年一样。\n"
    ja = "# ファイル\n\n第九章は三千五百万行を示す（二〇二四年）。\n"
    assert codes(run(en, zh, ("en", "zh"))) == codes(run(en, ja, ("en", "ja"))) == []
    (finding,) = run(en, zh.replace("第九章", "第八章"), ("en", "zh")).findings
    assert finding.code == "number-mismatch" and "number 八 in zh" in finding.message \
        and "differs from 9 in en" in finding.message


def test_a_link_to_a_heading_in_a_quote_resolves(run):
    """A heading in a quote starts no section, but a link leads to it (the Rust book links "The
    Stack and the Heap", in a quote, from other chapters): no anchor-unresolved."""
    en = "# Memory {#sec-memory}\n\n> ## The Stack {#stack}\n>\n> Text.\n\nSee [it](#stack).\n"
    it = "# Memoria {#sec-memory}\n\n> ## Lo stack {#stack}\n>\n> Testo.\n\nVedi [qui](#stack).\n"
    assert codes(run(en, it)) == []


def test_a_paragraph_holding_only_an_anchor_is_no_block(run):
    """`<a id="old-name"></a>` kept for old links before a heading (the Rust book's, in
    English only) was a paragraph “” missing from the translation."""
    en = "# Memory {#sec-memory}\n\n<a id=\"old-memory\"></a>\n\nText.\n\n[]{#also}\n"
    it = "# Memoria {#sec-memory}\n\nTesto.\n"
    assert codes(run(en, it)) == []


def test_a_link_leaving_the_document_compares_by_its_page(run):
    """A translated site names its sections in its language (`#方法` for `#methods`): every
    link into it differed by its fragment (the Rust book, MDN). A page written as its source
    (`x.md`) is the page a site serves (`x.html`). Another page is still a finding."""
    en = ("# Links {#sec-links}\n\nSee [methods](https://example.org/guide/methods.html#methods)"
          " and [operators](appendix-02-operators.md).\n")
    it = ("# Collegamenti {#sec-links}\n\nVedi [metodi](https://example.org/guide/methods.html#metodi)"
          " e [operatori](appendix-02-operators.html).\n")
    assert codes(run(en, it)) == []
    (finding,) = run(en, it.replace("methods.html#metodi", "traits.html#metodi")).findings
    assert finding.code == "link-mismatch" and "traits.html#metodi" in finding.message


def test_language_selector_line_is_the_same_by_nature(run):
    selector = "[English](README.md) · [Italiano](README.it.md) · [Français](README.fr.md) · [Español](README.es.md)\n\n"
    en = selector + "# Rockets\n\nThe rocket goes up into the sky.\n"
    it = selector + "# Razzi\n\nIl razzo sale verso il cielo.\n"
    assert codes(run(en, it)) == []


def test_paragraph_left_untranslated_is_still_reported(run):
    text = "The rocket goes up into the sky every morning."
    assert codes(run(f"# Rockets\n\n{text}\n", f"# Razzi\n\n{text}\n")) == ["untranslated"]


SHORTCODES = ('{{< glossary_definition term_id="kube-apiserver" length="all" >}}\n\n'
              '{{% heading "whatsnext" %}}\n'
              '{{< feature-state for_k8s_version="v1.29" state="beta" >}}\n\n'
              '{% include_relative _includes/server-side-apply.md %}\n\n'
              '{{#include ../listings/ch01-getting-started/hello_world/src/main.rs:all}}\n\n'
              '{{EmbedInteractiveExample("pages/js/array-prototype-at.html", "shorter")}}\n\n'
              'https://kubernetes.io/docs/reference/using-api/server-side-apply/\n')


def test_a_paragraph_of_shortcodes_and_addresses_only_is_the_same_by_nature(run):
    """Kubernetes' pages (Hugo) hold paragraphs of a shortcode alone, written the same in every
    language: each was `untranslated`, for the words of its name and parameters."""
    en = f"# API server\n\nThe API server is the front end of the control plane.\n\n{SHORTCODES}"
    it = f"# Server API\n\nIl server API è il front end del piano di controllo.\n\n{SHORTCODES}"
    assert codes(run(en, it)) == []


@pytest.mark.parametrize("text", [
    "{{< note >}} The rocket goes up into the sky every morning. {{< /note >}}",
    "See https://example.org/rockets/ where the rocket goes up into the sky every morning.",
    '{% include note.html content="The rocket goes up into the sky every morning." %}',
])
def test_prose_beside_shortcodes_or_in_their_quoted_text_is_still_untranslated(run, text):
    assert codes(run(f"# Rockets\n\n{text}\n", f"# Razzi\n\n{text}\n")) == ["untranslated"]


def test_an_elided_article_is_no_number(run):
    """Kubernetes' Italian pages: "è un un'iterazione" (a doubled article; pandoc writes the
    apostrophe ’) was "number un un’iterazione in it has no counterpart"."""
    en = "# Loop\n\nThe controller runs a loop: each pass is an iteration over the objects.\n"
    it = ("# Ciclo\n\nIl controller esegue un ciclo: ogni passaggio è un un'iterazione sugli "
          "oggetti, e l’una e l’altra.\n")
    assert codes(run(en, it)) == []


def test_section_present_on_one_side_only_leaves_the_other_pairs_and_levels_right(run):
    en = ("# Guide\n\nIntro text here.\n\n## Linux\n\nUse [apt](https://example.org/apt).\n\n"
          "## Windows\n\nUse [winget](https://example.org/winget) and [scoop](https://example.org/scoop).\n\n"
          "### Shells\n\nTry [cmd](https://example.org/cmd) or [pwsh](https://example.org/pwsh).\n\n"
          "## Licence\n\nMIT, see [the text](https://example.org/mit).\n")
    it = ("# Guida\n\nTesto introduttivo.\n\n## Linux\n\nUsa [apt](https://example.org/apt).\n\n"
          "## Solo Windows\n\nUsa [winget](https://example.org/winget) e [scoop](https://example.org/scoop).\n\n"
          "Prova [cmd](https://example.org/cmd) o [pwsh](https://example.org/pwsh).\n\n"
          "## Licenza\n\nMIT, si veda [il testo](https://example.org/mit).\n")
    result = run(en, it)
    assert codes(result) == ["section-missing"]
    assert result.findings[0].section == "Shells"


def test_dropped_list_item_is_one_finding_with_its_facts_as_details(run):
    en = ("# Tools {#tools}\n\n- Use [grep](https://example.org/grep) for text.\n"
          "- Use [jq](https://example.org/jq) for 2 kinds of JSON [@smith2020].\n"
          "- Use [awk](https://example.org/awk) for columns.\n")
    it = ("# Strumenti {#tools}\n\n- Usa [grep](https://example.org/grep) per il testo.\n"
          "- Usa [awk](https://example.org/awk) per le colonne.\n")
    (finding,) = run(en, it).findings
    assert finding.code == "block-missing" and finding.line == 4
    assert finding.details == ("citation @smith2020", "number 2", "link https://example.org/jq")


def test_code_blocks_compare_by_content_with_comments_translated(run):
    en = "# Run\n\n```sh\n# list the files\nls -la /tmp   # all of them\n```\n"
    it = "# Esegui\n\n```sh\n# elenca i file\nls -la /tmp   # tutti\n```\n"
    assert codes(run(en, it)) == []
    (finding,) = run(en, it.replace("ls -la /tmp", "ls -la /tmp/")).findings
    assert finding.code == "code-mismatch" and finding.line == 5 and "ls -la /tmp/" in finding.message


def test_html_comments_are_ignored_and_lines_stay_exact(run):
    en = "# Notes\n\n<!-- 99 old notes\nspanning lines -->\n\nWe keep 4 notes.\n"
    it = "# Note\n\n<!-- 99 vecchie note -->\n\nTeniamo 5 note.\n"
    (finding,) = run(en, it).findings
    assert (finding.code, finding.line) == ("number-mismatch", 5)


def test_text_before_the_first_heading_pairs_with_the_other_side(run):
    en = "Written by the crew in 2024.\n\n# Rockets\n\nThey fly.\n"
    it = "Scritto dall'equipaggio nel 2025.\n\n# Razzi\n\nVolano.\n"
    (finding,) = run(en, it).findings
    assert finding.code == "number-mismatch" and finding.line == 1


def test_compare_without_languages_detects_them_and_says_so(pandoc, tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("# Rockets\n\nThe rocket goes up into the sky every morning, and the crew "
                 "watches it from the ground until it disappears.\n", encoding="utf-8")
    b.write_text("---\nlang: it\n---\n\n# Razzi\n\nIl razzo sale verso il cielo ogni mattina, e "
                 "l'equipaggio lo guarda da terra finché scompare.\n", encoding="utf-8")
    result = parity.compare(a, b, pandoc)
    assert (result.source_lang, result.target_langs) == ("en", ("it",))
    assert result.notes == ("a.md read as language en (detected from its text)",
                            "b.md read as language it (from its front matter)")


def test_compare_reads_two_files_as_a_build_reads_its_chapters(pandoc, tmp_path):
    """`compare` read with a reader of its own: other tools' syntax was text (MyST's target
    `(sec-m)=` glued to its heading's paragraph, the heading left without its ID), a front
    matter title no heading, a list right under a paragraph's line no list. Now the chapter's
    reading: front matter, other tools' lines, pandoc's reader and the tidying."""
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("---\nlang: it\ntitle: Razzi\n---\n\n(sec-m)=\n## Motori\n\nServono:\n"
                 "- 2 motori\n- un serbatoio\n", encoding="utf-8")
    b.write_text("---\nlang: en\ntitle: Rockets\n---\n\n(sec-m)=\n## Engines\n\nIt takes:\n"
                 "- 3 engines\n- a tank\n", encoding="utf-8")
    result = parity.compare(a, b, pandoc)
    assert (result.source_lang, result.target_langs) == ("it", ("en",))
    found = sorted((f.code, f.section, f.line) for f in result.findings)
    assert found == [("id-missing", "Razzi", 3), ("id-missing", "Rockets", 3),
                     ("number-mismatch", "sec-m", 10)], found


def test_check_skipped_for_want_of_a_language_is_named(pandoc, tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("# A\n\nok\n", encoding="utf-8")
    b.write_text("# B\n\nok\n", encoding="utf-8")
    notes = parity.compare(a, b, pandoc).notes
    assert "untranslated not run: a language is unknown" in notes


@pytest.mark.parametrize(("en", "it"), [
    ("https://en.wikipedia.org/wiki/Rocket", "https://it.wikipedia.org/wiki/Rocket"),
    ("https://example.org/lang/en/guide", "https://example.org/lang/it/guide"),
    ("https://example.org/docs?hl=en", "https://example.org/docs?hl=it"),
    # a language's ISO 639-2 code as a word of a file name (a real bilingual guide's links)
    ("https://example.org/pol/doc-eng.aspx?id=1", "https://example.org/pol/doc-ita.aspx?id=1"),
    ("https://example.org/report_en.pdf", "https://example.org/report_it.pdf"),
])
def test_link_to_the_page_in_the_translation_language_is_the_same_link(run, en, it):
    assert codes(run(f"# Links\n\nSee [the page]({en}).\n", f"# Link\n\nVedi [la pagina]({it}).\n")) == []


@pytest.mark.parametrize(("en", "it"), [
    ("https://example.org/en-US/manual/setup", "https://example.org/it/manual/setup"),
    ("https://example.org/en-us/manual/setup", "https://example.org/it-IT/manual/setup"),
    ("/en_GB/manual/setup", "/IT/manual/setup"),
    ("https://en-gb.example.org/setup", "https://it.example.org/setup"),
    ("https://example.org/setup_en-US.pdf", "https://example.org/setup_it.pdf"),
])
def test_a_language_code_with_its_region_in_a_url_names_the_language_too(run, en, it):
    """`/en-US/…` and `/it/…` are the same page in each language (a real guide's links): the
    code counts in any case, with or without a region, wherever a bare one does."""
    assert codes(run(f"# Links\n\nSee [the page]({en}).\n", f"# Link\n\nVedi [la pagina]({it}).\n")) == []


def test_a_file_name_differing_in_more_than_its_language_is_a_link_mismatch(run):
    assert codes(run("# Links\n\nSee [the report](https://example.org/report_en_v2.pdf).\n",
                     "# Link\n\nVedi [il rapporto](https://example.org/report_it_v3.pdf).\n")) == ["link-mismatch"]


def test_typo_in_a_url_is_one_change_not_two_lone_links(run):
    en = "# Links\n\nSee [a](https://example.org/guide) and [b](https://example.com/faq).\n"
    it = "# Link\n\nVedi [a](https://example.org/guida) e [b](https://exmaple.com/faq).\n"
    found = run(en, it).findings
    assert [f.code for f in found] == ["link-mismatch", "link-mismatch"]
    assert all("differs from" in f.message for f in found)


def test_code_with_translated_messages_and_placeholders_is_the_same_code(run):
    en = ("# Use\n\n```\n<type>[optional scope]: <description>\n```\n\n"
          "```sh\ntrap \"echo 'error: the script failed'\" ERR\nkill -3 <pid>\n```\n")
    it = ("# Uso\n\n```\n<tipo>[ambito opzionale]: <descrizione>\n```\n\n"
          "```sh\ntrap \"echo 'errore: lo script è fallito'\" ERR\nkill -3 <pid>\n```\n")
    assert codes(run(en, it)) == []
    broken = it.replace("kill -3", "kill -9")
    assert codes(run(en, broken)) == ["code-mismatch"]


def test_a_components_comments_and_its_templates_text_are_translated_not_code(run):
    """A Vue component (VitePress docs) has JavaScript's comments in its script and HTML's in
    its template, whose text a translation translates: 15 of 15 code-mismatch findings on the
    Vue guide's Italian were these. Its code, attributes, expressions and styles still count."""
    component = ("<script setup>\n// Properties returned from setup\nconst count = ref(0)\n"
                 "console.log(count)\n</script>\n\n<template>\n  <!-- the count -->\n"
                 "  <button @click=\"count++\">Count is: {{ count }}</button>\n"
                 "  <p>\n    Has published books:\n  </p>\n</template>\n")
    italian = (component.replace("Properties returned from setup", "Le proprietà restituite")
               .replace("the count", "il conteggio").replace("Count is:", "Il conteggio è:")
               .replace("Has published books:", "Ha pubblicato dei libri:"))
    en, it = (f"# Use\n\n```vue\n{c}```\n\n```vue-html\n{c.split('<template>')[1]}```\n"
              for c in (component, italian))
    assert codes(run(en, it.replace("# Use", "# Uso"))) == []
    for broken in (("count++", "count--"), ("console.log(count)", "console.log(total)"),
                   ("{{ count }}", "{{ total }}")):
        assert codes(run(en, it.replace("# Use", "# Uso").replace(*broken, 1))) == ["code-mismatch"]


def test_list_item_moved_within_its_section_is_no_finding(run):
    en = ("# Tools {#tools}\n\n- [grep](https://example.org/grep) searches text.\n"
          "- [awk](https://example.org/awk) splits columns.\n- [jq](https://example.org/jq) reads JSON.\n")
    it = ("# Strumenti {#tools}\n\n- [jq](https://example.org/jq) legge JSON.\n"
          "- [grep](https://example.org/grep) cerca nel testo.\n- [awk](https://example.org/awk) divide le colonne.\n")
    assert codes(run(en, it)) == []


def test_link_to_the_document_itself_with_a_fragment_is_an_in_document_anchor(pandoc, tmp_path):
    (tmp_path / "en").mkdir(); (tmp_path / "it").mkdir()
    a, b = tmp_path / "en" / "GUIDE.md", tmp_path / "it" / "GUIDA.md"
    a.write_text("# Guide\n\nSee [tips](#tips).\n\n## Tips\n\nUse it.\n", encoding="utf-8")
    b.write_text("# Guida\n\nVedi [i consigli](https://example.org/blob/main/GUIDA.md#consigli).\n\n"
                 "## Consigli\n\nUsalo.\n", encoding="utf-8")
    assert [f.code for f in parity.compare(a, b, pandoc, "en", "it").findings] == []


def test_paragraph_written_as_a_list_item_still_pairs(run):
    en = "# Windows\n\n- On [Windows 10](https://example.org/wsl) use the Linux subsystem.\n"
    it = "# Windows\n\n-Su [Windows 10](https://example.org/wsl) usa il sottosistema Linux.\n"
    assert codes(run(en, it)) == []


def test_item_missing_before_one_with_code_is_the_one_reported(run):
    en = ("# Shell\n\n- Start with the basics of the shell.\n- Group commands in braces when writing longer scripts.\n"
          "- In bash, redirect both streams with `cmd >log 2>&1` or `cmd &>log`.\n")
    it = ("# Shell\n\n- Comincia dalle basi della shell.\n"
          "- In bash, reindirizza entrambi i flussi con `cmd >log 2>&1` oppure `cmd &>log`.\n")
    (finding,) = run(en, it).findings
    assert finding.code == "block-missing" and finding.line == 4


def test_block_line_is_where_its_first_words_are_not_where_its_longest_word_first_appears(run):
    en = "# Rules\n\n1. A footer follows the body and carries a\n   token with its value.\n"
    it = ("# Regole\n\n1. Un piè di pagina segue il corpo e porta un\n   token con il suo valore.\n"
          "1. Un token usa - per gli spazi.\n")
    (finding,) = run(en, it).findings
    assert (finding.code, finding.line) == ("block-extra", 5)


def test_here_document_text_is_data_a_translation_may_translate(run):
    en = "# Input\n\n```bash\ncat <<EOF\nsome input\non two lines\nEOF\n```\n"
    it = "# Ingresso\n\n```bash\ncat <<EOF\nun ingresso\nsu due righe\nEOF\n```\n"
    assert codes(run(en, it)) == []
    assert codes(run(en, it.replace("cat <<EOF", "cat <EOF"))) == ["code-mismatch"]


def test_a_dropped_paragraph_of_a_chinese_translation_is_the_one_reported(run):
    """Chinese takes about a third of the characters English does: block lengths compare
    through that ratio. Compared raw, the short English paragraph looked more like the long
    Chinese one after it, which was paired with it and left its own source missing."""
    long_en = "the valley keeps its old road open to anyone who walks it with care. " * 8
    short_en = "the bridge was rebuilt after the flood. " * 3
    long_zh = "山谷里的旧路仍然对每一个小心行走的人开放。" * 8
    short_zh = "洪水过后桥被重建了。" * 3
    source = f"# Road {{#sec-road}}\n\n{long_en}\n\n{short_en}\n\n{long_en}\n\n{short_en}\n"
    translation = f"# 道路 {{#sec-road}}\n\n{long_zh}\n\n{long_zh}\n\n{short_zh}\n"
    result = run(source, translation, ("en", "zh"))
    (finding,) = result.findings
    assert (finding.code, finding.line) == ("block-missing", 5), finding.message


def test_a_relevelled_section_whose_links_land_on_translated_headings_still_pairs(run):
    """A section one level up in the translation whose only evidence is its links, which in the
    translation land on the page's translated headings (`…/_data#données`): one section-level,
    not a section missing and another extra (a government guide's last section)."""
    en = ("# Guide\n\n## Community\n\nWork with others, and share early with the community.\n\n"
          "### Exchange\n\nAdd your projects to the "
          "[exchange](https://example.org/ore/en/index.html) so that others see them. The data is "
          "on [GitHub](https://github.com/example/ore/tree/main/_data).\n")
    fr = ("# Guide\n\n## Collectivité\n\nTravaillez avec d’autres, et partagez tôt avec la "
          "collectivité.\n\n## Échange\n\nAjoutez vos projets à l’"
          "[échange](https://example.org/ore/fr/index.html) pour que d’autres les voient. Les "
          "données sont sur [GitHub](https://github.com/example/ore/tree/main/_data#données).\n")
    found = codes(run(en, fr, ("en", "fr")))
    assert "section-level" in found, found
    assert "section-missing" not in found and "section-extra" not in found, found



SUBMITTED_EN = """# Sending a change

Some opening words about the whole process of sending a change.

## After you send it

Before celebrating: one of 3 things happens, as [Ada Lovelace](https://example.org/ada)
found in 1843 and [Grace Hopper](https://example.org/grace) in 1952. There is a list of
them at [the archive](https://example.org/archive), kept by Charles Babbage since 1837.

### Nobody answers

Wait a week, then ask again politely.

### Someone asks for changes

Make them, then `git push` again.

### It is merged

Well done.

## Done

You did it! Congratulations on a first change.
"""

SUBMITTED_FR = """# Envoyer une modification

Quelques mots d'ouverture sur tout le processus d'envoi d'une modification.

## Après l'envoi

Vous l'avez fait ! Félicitations pour une première modification, qui en appellera
d'autres : plus de 20 000 personnes l'ont fait avant vous, depuis 2016.

Ensuite, l'une de ces choses arrive :

### Personne ne répond

Attendez une semaine, puis redemandez poliment.

### Quelqu'un demande des changements

Faites-les et poussez à nouveau.

### Elle est fusionnée

Bravo.

## Fini

Bravo, c'est fait.
"""


def test_a_section_whose_subsections_pair_is_one_section_whatever_its_own_text(run):
    """The section's own text differs (a paragraph moved into it, linked examples and a command
    only in the source, so its evidence says "unlike"): its three subsections pair, so it is
    one section with blocks missing and extra, not a section missing and another extra."""
    found = codes(run(SUBMITTED_EN, SUBMITTED_FR, ("en", "fr")))
    assert found and set(found) <= {"block-missing", "block-extra"}, found


def test_code_written_at_column_0_after_a_list_item_is_one_code_mismatch(run):
    """Code meant inside a list item but written unindented ends the list: the item holds no
    code and the code block stands alone. One cause, so one finding (a code-mismatch that says
    where the code went), not that and a block-extra; the same with the sides swapped."""
    inside = ("# Exercises\n\n1.  Plot the two columns.\n\n    ```r\n    plot(x, y)\n    ```\n\n"
              "2.  Say what the plot shows.\n")
    outside = ("# Exercícios\n\n1.  Faça o gráfico das duas colunas.\n\n```r\nplot(x, y)\n```\n\n"
               "2.  Diga o que o gráfico mostra.\n")
    for source, translation, langs in ((inside, outside, ("en", "pt")), (outside, inside, ("pt", "en"))):
        result = run(source, translation, langs)
        (finding,) = result.findings
        assert finding.code == "code-mismatch", finding.message
        assert "holds 0 code blocks" in finding.message or "holds 1 code block," in finding.message
        assert "the code block after it in pt (" in finding.message and "is outside it" in finding.message


def test_a_number_in_both_paired_paragraphs_is_no_finding_when_a_dropped_paragraph_has_it_too(run):
    """The source's dropped paragraph holds 100, and so do both paragraphs that pair: the
    translation's 100 is the counterpart of the paired one, not the dropped one's (it was set
    aside as “moved with its block”, and the source's 100 then had no counterpart)."""
    result = run("# Data\n\nWe counted 100 readers of the small tables.\n\n"
                 "For larger data (10--100 GB, say), use a database.\n",
                 "# Dados\n\nPara dados maiores (digamos, de 10 a 100 GB), use um banco de dados.\n",
                 ("en", "pt"))
    (finding,) = result.findings
    assert finding.code == "block-missing" and finding.details == ("number 100",)


def test_a_heading_of_inline_code_alone_names_its_section(run):
    result = run("# Verbs\n\n## `filter()`\n\nIt keeps 3 rows of the table.\n",
                 "# Verbos\n\n## `filter()`\n\nMantém 4 linhas da tabela.\n", ("en", "pt"))
    (finding,) = result.findings
    assert finding.code == "number-mismatch" and finding.section == "filter()"
    assert finding.message.startswith("filter(): number 4 in pt")


def test_vague_plural_quantities_are_no_numbers_in_a_pair(run):
    result = run("# Size\n\nThe tools handle hundreds of megabytes and thousands of files.\n",
                 "# Tamanho\n\nAs ferramentas lidam com centenas de megabytes e milhares de "
                 "arquivos.\n", ("en", "pt"))
    assert codes(result) == []


def test_a_cross_reference_that_differs_is_an_xref_mismatch_not_a_citation(run):
    result = run("# Method {#sec-method}\n\nSee @sec-a for the costs [@rossi2020].\n\n"
                 "## Costs {#sec-a}\n\n## Risks {#sec-b}\n",
                 "# Metodo {#sec-method}\n\nVedi la @sec-b per i costi [@rossi2020].\n\n"
                 "## Costi {#sec-a}\n\n## Rischi {#sec-b}\n")
    (finding,) = result.findings
    assert finding.code == "xref-mismatch"
    assert "cross-reference @sec-b in it" in finding.message and "from @sec-a in en" in finding.message


def test_strings_printed_beside_values_are_words_a_translation_translates(run):
    """`cat("Thanks to all ", n, " of you: ")`: the spaces that join a message to the values
    printed beside it keep it a string of words (a real Portuguese book translated them)."""
    en = '# Use\n\n```r\ncat("A special thanks to all ", n, " of you: ", sep = "")\n```\n'
    pt = '# Uso\n\n```r\ncat("Um agradecimento especial a todos os ", n, " de vocês: ", sep = "")\n```\n'
    assert codes(run(en, pt)) == []
    assert codes(run(en, pt.replace("sep = \"\"", "sep = \"-\""))) == ["code-mismatch"]


ROOTS = Path(__file__).resolve().parents[1] / "roots"


def test_sections_with_cognate_titles_at_the_same_place_pair_around_a_section_added(pandoc):
    """tests/roots/xm-sections/rules: the French adds “Horaires” before “Sécurité” and
    “Pistage et vie privée”, whose text holds no number, link or name. Their titles keep
    cognates of “Security” and “Privacy” (the evidence that survives translation), so the
    added section is the one extra; before, “Security” paired with “Horaires” and
    “Sécurité” was extra."""
    folder = ROOTS / "xm-sections"
    result = parity.compare(folder / "rules.en.md", folder / "rules.fr.md", pandoc, "en", "fr")
    assert [(f.code, f.section) for f in result.findings] == [("section-extra", "Horaires")]
    assert [(s.title, t.title) for s, t in result.pairs["fr"] if s and t][1:3] == [
        ("Security", "Sécurité"), ("Privacy and tracking", "Pistage et vie privée")]


def test_sections_with_cognate_titles_pair_when_their_subsections_moved_or_changed_level(pandoc):
    """tests/roots/xm-sections: the French moves the English “Protection”'s subsections under
    “Planter” (one a level deeper) and puts “Pistage et vie privée”'s text in a subsection.
    Titles that keep their cognates (Protection, Étiquettes/labels, privée/privacy), links to
    each language's own page (`/en-US/docs/…`, `/fr/docs/…`) and each section's own text pair
    them: one section moved, one relevelled, one subsection extra. Before, the subsections'
    facts pulled “Protection” onto “Fermer le portail”, a level down, and the rest fell out
    as missing and extra."""
    folder = ROOTS / "xm-sections"
    result = parity.compare(folder / "garden.en.md", folder / "garden.fr.md", pandoc, "en", "fr")
    assert [(f.code, f.section) for f in result.findings] == [
        ("section-level", "Seed labels"), ("section-order", "Protection"),
        ("section-extra", "Voisinage")], [f.message for f in result.findings]


def test_numbers_of_a_list_item_and_of_its_nested_items_stay_apart(run):
    """A list item's text ran its blocks together: “nut 1” and a nested “2 turns” read 12."""
    assert codes(run("# Assembly\n\n- Tighten nut 1\n\n  - 2 turns\n",
                     "# Montage\n\n- Serrer l'écrou 1 :\n\n  - 2 tours\n", ("en", "fr"))) == []


@pytest.mark.parametrize(("en", "fr"), [
    ("The port is given (here, `80`).", "Le port est indiqué (ici 80)."),
    ("The port is given (here, 80).", "Le port est indiqué (ici `80`)."),
    ("Each name is followed by a colon (`:`).", "Chaque nom est suivi d'un deux-points (`:`)."),
    ("The page was published on 2019-03-01.", "La page a été publiée le 1er mars 2019."),
    ("The page was published on March 1, 2019.", "La page a été publiée le 2019-03-01."),
])
def test_numbers_written_as_code_words_or_dates_in_one_language_match_the_other(run, en, fr):
    """A number in inline code matches the same number in text; `deux-points` is the colon,
    not the numbers 1 and 2 (each said twice); an ISO date and a written one are one date,
    not a year that matches and a month (“03”) that does not."""
    assert codes(run(f"# Notes\n\n{en}\n", f"# Notes\n\n{fr}\n", ("en", "fr"))) == []


def test_a_date_kept_in_the_other_languages_words_is_that_date(run):
    """A table of English data kept as it is in the Italian text ("April 27, 2010", as the
    Hugging Face course shows a dataset): the English side read a date, the Italian one the
    numbers 27 and 2010, and both were reported missing on the other side."""
    en = "# Data\n\n| drug | date |\n|---|---|\n| Lybrel | April 27, 2010 |\n"
    it = "# Dati\n\n| farmaco | data |\n|---|---|\n| Lybrel | April 27, 2010 |\n"
    assert "number-mismatch" not in codes(run(en, it, ("en", "it")))
    assert "number-mismatch" not in codes(run(it, en, ("it", "en")))


LEVEL_EN = """# Strings

## Basics

Use `str_length()` to count the letters of 3 words.

### Exercises

1. Count the letters of `"abc"`.

## Matching patterns with regular expressions

Regular expressions describe patterns in strings: `str_view()` and `str_view_all()` show them.

### Basic matches

The simplest patterns match exact strings: `str_view(x, "an")`.

### Anchors

Anchor a match with `^` or `$`: `str_view(x, "^a")`.

More `str_view(x, "a$")` and 12 cases.

#### Exercises

1. Try `"^$"`.

### Repetition

Use `?`, `+`, `*` and `{2,3}` with `str_view(x, "CC?")`.

#### Exercises

1. Write 5 patterns.

## Tools

Then `str_detect()` and `str_count()`.
"""


def test_a_heading_one_level_deeper_is_one_section_level_error(run):
    """A real Spanish translation wrote `###` for `##`: the section lost its subsections to the
    one before it, looked like nothing on the other side whole, and was reported missing and
    extra (two errors) for what is one heading at another level."""
    translation = (LEVEL_EN.replace("## Matching patterns with regular expressions",
                                    "### Buscar coincidencias")
                   .replace("Regular expressions describe patterns in strings",
                            "Las expresiones describen patrones en cadenas")
                   .replace("The simplest patterns match exact strings",
                            "Los patrones más simples coinciden"))
    result = run(LEVEL_EN, translation, ("en", "es"))
    assert [(f.code, f.line) for f in result.findings if f.code.startswith("section")] == [
        ("section-level", 11)]
