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


class Problems(PublishError):
    """Every problem one pass found, each printed on a line of its own (`path:line: message`),
    so an author fixes them all after one run. The first one gives the category."""

    LIMIT = 50

    def __init__(self, problems: list[PublishError]):
        first = problems[0]
        super().__init__(first.message, first.path, first.line)
        self.problems = list(problems)
        self.category = first.category

    def __reduce__(self):
        return (type(self), (self.problems,))

    def format_message(self) -> str:
        shown = [PublishError.format_message(p) for p in self.problems[: self.LIMIT]]
        more = len(self.problems) - self.LIMIT
        if more > 0:
            shown.append(f"… and {more} more problem{'s' * (more > 1)}")
        return "\n".join(shown)


def raise_all(problems: list[PublishError]) -> None:
    """Raise nothing, the one problem, or all of them together."""
    flat = [q for p in problems for q in (p.problems if isinstance(p, Problems) else [p])]
    seen: set = set()  # two languages sharing a file (the bibliography) find the same problem
    flat = [p for p in flat if not ((p.path, p.line, p.message) in seen
                                    or seen.add((p.path, p.line, p.message)))]
    if len(flat) == 1:
        raise flat[0]
    if flat:
        raise Problems(flat)
