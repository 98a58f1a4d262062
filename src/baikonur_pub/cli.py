"""The `baikonur-pub` command: thin click commands over the library.

Errors from the library are click exceptions (exit 1, one `path:line: message` line); click's
own usage errors exit 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__, config
from .render import FORMATS

_project = click.option("--project", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True,
                        help="Project folder (holds manuscript/publication.yaml).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="baikonur-pub")
def main() -> None:
    """Publish a bilingual report: assemble, cross-check, render PDF, EPUB and DOCX."""


@main.command()
@click.option("--lang", "langs", multiple=True, metavar="L",
              help="Build only this language (repeatable). Default: all.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Build only this format (repeatable). Default: all.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder. Default: <project>/dist.")
@_project
@click.option("--force", is_flag=True, help="Rebuild every artifact, even if up to date.")
def build(langs, formats, out, project, force) -> None:
    """Build dist/<slug>-<lang>.pdf|epub|docx."""
    from . import build as builder

    pub = config.load(project)
    for code in langs:
        if code not in pub.codes:
            raise click.BadParameter(f"'{code}' is not one of {', '.join(pub.codes)}",
                                     param_hint="--lang")
    from .progress import Reporter

    builder.build(pub, tuple(dict.fromkeys(langs)), tuple(dict.fromkeys(formats)), out,
                  force=force, reporter=Reporter())
