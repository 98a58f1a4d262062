"""One exception family: every failure the user can fix names a file and, where known, a line.

The errors are click exceptions so the command line needs no try/except: click prints the
single `path:line: message` line and exits with code 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


class PublishError(click.ClickException):
    """A problem in the project's input or environment, located at `path:line` when known."""

    category = "error"
    exit_code = 1

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.path = str(path) if path is not None else None
        self.line = line

    def __reduce__(self):  # keep path and line when raised in a worker process
        return (type(self), (self.message, self.path, self.line))

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def format_message(self) -> str:
        where = self.location()
        text = " ".join(self.message.split())  # always exactly one line
        return f"{where}: {text}" if where else text

    def __str__(self) -> str:
        return self.format_message()

    def show(self, file=None) -> None:  # noqa: D401 - click API
        click.echo(self.format_message(), file=file or sys.stderr)


class ConfigError(PublishError):
    """publication.yaml (or another YAML input) is malformed or inconsistent."""

    category = "config"


class ManuscriptError(PublishError):
    """A chapter is missing, unreadable or structurally wrong."""

    category = "manuscript"


class CitationError(PublishError):
    """A citation or bibliography entry is wrong."""

    category = "citation"


class RenderError(PublishError):
    """A renderer (pandoc, WeasyPrint) failed or is unavailable."""

    category = "render"
