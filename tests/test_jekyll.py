"""Sources written for Jekyll (kramdown and Liquid), as sites such as The Programming Historian
write their lessons: Bootstrap's alert boxes, Liquid's includes and tags, kramdown's attribute
lists, each read as the site shows it (`dialects.liquid`). Every text here is invented."""

from __future__ import annotations

from baikonur_pub.ast import walk
from conftest import edition_with, words_of


def _callouts(blocks) -> list[tuple[str, str]]:
    """(kind, body text) of every callout in `blocks`."""
    return [(el["c"][0][1][1][len("callout-"):], words_of(el["c"][1][1:]))
            for el in walk(blocks) if el["t"] == "Div" and "callout" in el["c"][0][1]]


def test_bootstrap_alert_divs_are_callouts_of_their_colour(project):
    """`<div class="alert alert-warning">` … `</div>`, Bootstrap's box as Jekyll sites write a
    note, was a plain paragraph in every format (its bold the only mark left)."""
    edition = edition_with(project("minimal"), (
        '\n<div class="alert alert-warning">\n<b>Mind</b> the step.\n</div>\n\n'
        '<div class="alert alert-info">A *short* note.</div>\n\n'
        '<div class="alert alert-danger" id="careful">\nHot.\n</div>\n'))
    assert _callouts(edition.ast["blocks"]) == [
        ("warning", "Mind the step."), ("note", "A short note."), ("caution", "Hot.")]
    boxes = [el for el in walk(edition.ast["blocks"]) if el["t"] == "Div"
             and "callout" in el["c"][0][1]]
    assert boxes[2]["c"][0][0] == "careful"
    assert not [c for b in boxes for c in b["c"][0][1] if c.startswith("alert")]


def _figures(blocks) -> list[tuple[str, str, str]]:
    """(caption, text alternative, path) of every figure in `blocks`."""
    found = []
    for el in walk(blocks):
        if el["t"] == "Figure":
            image = next(x for x in walk(el["c"][2]) if x["t"] == "Image")
            found.append((words_of(el["c"][1][1]), words_of([{"t": "Plain", "c": image["c"][1]}]),
                          image["c"][2][0]))
    return found


def test_a_figure_include_is_a_captioned_figure_with_its_text_alternative(project):
    """`{% include figure.html filename="…" alt="…" caption="…" %}` (The Programming
    Historian's figures) was a line of braces printed as text, the image lost."""
    root = project("minimal")
    (root / "manuscript/en/box.png").write_bytes(_png())
    edition = edition_with(root, (
        '\n{% include figure.html filename="box.png" alt="A grey box" '
        'caption="Figure 1. A *grey* box" %}\n\n'
        "{% include toc.html %}\n\n1. A step:\n\n"
        '    {% include figure.html filename="box.png" caption="In a step" %}\n\nAfter.\n'))
    assert _figures(edition.ast["blocks"]) == [("Figure 1. A grey box", "A grey box", "en/box.png"),
                                               ("In a step", "In a step", "en/box.png")]
    text = words_of(edition.ast["blocks"])
    assert "{%" not in text and "After." in text
    assert not [n for n in edition.notices if n[0] == "markup-foreign"]  # toc.html: the book's own


def test_a_figure_include_names_its_file_under_the_image_rule(project):
    """An include never reads a file: its path is an image's, refused outside the manuscript
    and reported missing at its line like any other."""
    import pytest
    from baikonur_pub.errors import ManuscriptError

    with pytest.raises(ManuscriptError) as refused:
        edition_with(project("minimal"), '\n{% include figure.html filename="../../../etc/x.png" caption="Out" %}\n')
    assert "02-two.md" in str(refused.value) and "outside" in str(refused.value)


def _png() -> bytes:
    import base64

    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4"
                            "z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==")


def test_raw_comment_and_highlight_blocks_show_what_the_site_shows(project):
    """`{% raw %}` … `{% endraw %}` around code or text printed its tags as text (and in code
    as code); a comment's text, hidden on the page, was published; `{% highlight %}` … was a
    paragraph of braces. What raw holds is shown as written, by no other dialect rewritten."""
    edition = edition_with(project("minimal"), (
        "\n{% raw %}\n```yaml\nkey: \"{{ value }}\"\n```\n{% endraw %}\n\n"
        "Inline {% raw %}`{% set x %}`{% endraw %} stays.\n\n"
        "{% comment %}\nHidden from the page.\n{% endcomment %}\n\n"
        "{% highlight python %}\nprint('hi')\n{% endhighlight %}\n\n"
        "{% raw %}\n{{< note >}}\nKept as written.\n{{< /note >}}\n{% endraw %}\n"))
    blocks = edition.ast["blocks"]
    code = [(el["c"][0][1], el["c"][1]) for el in walk(blocks) if el["t"] == "CodeBlock"]
    assert code[-2:] == [(["yaml"], 'key: "{{ value }}"'), (["python"], "print('hi')")]
    spans = [el["c"][1] for el in walk(blocks) if el["t"] == "Code"]
    assert "{% set x %}" in spans
    text = words_of(blocks)
    assert "raw %}" not in text and "Hidden" not in text and "comment" not in text
    assert "{{< note >}}" in text and not [el for el in walk(blocks) if el["t"] == "Div"
                                            and "callout" in el["c"][0][1]]


def test_an_alert_include_is_a_callout_and_an_unknown_include_one_located_warning(project):
    """`{% include alert.html text="…" %}` is Bootstrap's box, a callout, and the Documentation
    Theme's `{% include tip.html content="…" %}` a tip; an include of no
    known name was printed as text: it is left out, with one `markup-foreign` warning at its
    line (not a second one from the text check)."""
    root = project("minimal")
    edition = edition_with(root, (
        '\n{% include alert.html text="Mind **this**." %}\n\n'
        '{% include alert.html text="Read on." color="info" %}\n\n'
        '{% include tip.html content="Save *often*." %}\n\n'
        '{% include youtube.html id="x1" %}\n\nAfter.\n'))
    assert _callouts(edition.ast["blocks"]) == [("warning", "Mind this."), ("note", "Read on."),
                                                ("tip", "Save often.")]
    assert "youtube" not in words_of(edition.ast["blocks"])
    foreign = [n for n in edition.notices if n[0] == "markup-foreign"]
    assert len(foreign) == 1 and "youtube.html" in foreign[0][3]
    lines = (root / "manuscript/en/02-two.md").read_text(encoding="utf-8").split("\n")
    assert foreign[0][1].endswith("02-two.md") and "youtube.html" in lines[foreign[0][2] - 1]


def test_kramdown_attribute_lists_are_attributes_or_left_out_with_a_warning(project):
    """kramdown's `{:target="_blank"}` after a link was printed after it as text, and `{: #id}`
    under a heading too: a link keeps what a book can use (its classes), the heading takes the
    ID, and one under a paragraph is left out with a warning at its line."""
    edition = edition_with(project("minimal"), (
        '\nSee [the site](https://example.org){:target="_blank" rel="noopener"} and '
        "`[a](b){:x}`.\n\n## Methods\n{: #methods}\n\nSee [methods](#methods).\n\n"
        "A styled paragraph.\n{: .lead}\n"))
    blocks = edition.ast["blocks"]
    text = words_of(blocks)
    assert "{:" not in text.replace("[a](b){:x}", "")
    link = next(el for el in walk(blocks) if el["t"] == "Link"
                and el["c"][2][0] == "https://example.org")
    assert link["c"][0] == ["", [], []]  # target and rel: what only a browser reads
    assert "methods" in [el["c"][1][0] for el in walk(blocks) if el["t"] == "Header"]
    foreign = [n for n in edition.notices if n[0] == "markup-foreign"]
    assert len(foreign) == 1 and "{: .lead}" in foreign[0][3]


def test_a_title_under_the_sites_contents_include_is_the_chapters_title(project):
    """A Jekyll page opening with `{% include toc.html %}` then its `# Title` (under front
    matter naming it too) was two chapters: the front matter's title, the contents line, then
    the page's own title. The include draws nothing in the book, so the `# Title` opens it."""
    root = project("minimal")
    (root / "manuscript/en/02-two.md").write_text(
        "---\ntitle: Page name\nlayout: lesson\n---\n\n{% include toc.html %}\n\n"
        "# The page's own title {#sec-two}\n\nText.\n", encoding="utf-8")
    edition = edition_with(root, "")
    titles = [words_of([el]) for el in edition.ast["blocks"] if el["t"] == "Header"
              and el["c"][0] == 1]
    assert "Page name" not in titles and "The page’s own title" in titles


def test_a_path_under_the_sites_root_is_a_path_from_the_manuscript(project):
    """`![x]({{ site.baseurl }}/images/x.png)` and `{{ "/images/x.png" | relative_url }}`, as
    Jekyll pages name their images, were a path of braces no file matched (an error at the
    line); in code they stay as written."""
    root = project("minimal")
    (root / "manuscript/images").mkdir()
    (root / "manuscript/images/x.png").write_bytes(_png())
    edition = edition_with(root, (
        '\n![A box]({{ site.baseurl }}/images/x.png)\n\n'
        '![Again]({{ "/images/x.png" | relative_url }})\n\n'
        "Write `{{ site.baseurl }}/images/x.png` in a page.\n"))
    paths = [el["c"][2][0] for el in walk(edition.ast["blocks"]) if el["t"] == "Image"]
    assert paths == ["images/x.png", "images/x.png"]
    assert "{{ site.baseurl }}/images/x.png" in [el["c"][1] for el in walk(edition.ast["blocks"])
                                                 if el["t"] == "Code"]
