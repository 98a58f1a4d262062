"""Other tools' Markdown, read as those tools mean it.

Sources written for Quarto or R Markdown, Sphinx (MyST), Docusaurus or MkDocs carry block
syntax pandoc does not know, and pandoc read it without a word: an executable chunk
```` ```{r} ```` or a directive ```` ```{note} ```` became one paragraph of inline code, a
`:::tip[Title]` or `!!! note` paragraph text, a target `(label)=` text glued to its heading.
Each is rewritten here, before pandoc reads the chapter, into pandoc's Markdown for what the
tool meant, line for line (every line keeps its number, for every message after):

- admonitions (MyST ```` ```{note} ```` and `:::{note}`, `{admonition} Title` with `:class:`,
  sphinx-design's `{dropdown}`, Docusaurus `:::tip[Title]`, MkDocs `!!! tip "Title"` and
  `???`) become callouts (`callouts`), their kind the nearest of the five;
- executable chunks (```` ```{r} ````, ```` ```{python} ````, knitr's `{r name, echo=FALSE}`,
  MyST's `{code-cell}`) are shown as code of their language and never run: a build runs no
  code from a manuscript. Their option lines (`#| echo: false`) are left out; a chunk Quarto
  would hide (`echo: false`, `include: false`) is left out whole; each chunk that would have
  shown output is a `code-not-run` warning, as its output is not in the book;
- MyST's `{code-block} python` is a code block, and a target `(label)=` before a heading is
  that heading's ID; its roles (`{ref}`, `{doc}`, `{eq}`…), figures, labelled equations, raw
  blocks and index entries are read as Jupyter Book means them (`myst`);
- any other directive (`{toctree}`, `{include}`…) shows its content as code, with a
  `markup-foreign` warning: nothing it names is read;
- MDN's KumaScript macros, definition lists and hidden code (`mdn`);
- Jekyll's Liquid tags (figure and alert includes, `{% raw %}`) and kramdown's attribute
  lists (`liquid`), read first;
- d2lbook's roles (`:label:`, `:numref:`, `:cite:`), tabs, code cells and slide marks
  (`d2lbook`);
- and more (tabs, titled fences, MDX lines, Quarto's figures of one image, equations' IDs,
  conditional content, page breaks): README's table "Sources written for other tools".

Three stages: `lines` scans a chapter's lines and rewrites them (`directives` for fences that
name what they hold); `tree` tidies what pandoc then parsed, and says what each format shows.
"""

from .chunks import CHUNK
from .lines import read
from .tree import FORMATS, PAGE_BREAK, for_format, inline_chunks, tidy

__all__ = ["CHUNK", "FORMATS", "PAGE_BREAK", "for_format", "inline_chunks", "read", "tidy"]
