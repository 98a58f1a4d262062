"""One exception family: every failure the user can fix names a file and, where known, a line.

The errors are click exceptions so the command line needs no try/except: click prints the
single `path:line: message` line and exits with code 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
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

    def __reduce__(self):  # keep path, line and what was set after (`counts`) from a worker
        return (type(self), (self.message, self.path, self.line), dict(self.__dict__))

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
        return (type(self), (self.problems,), dict(self.__dict__))

    def format_message(self) -> str:
        shown = [PublishError.format_message(p) for p in self.problems[: self.LIMIT]]
        hidden = self.problems[self.LIMIT:]
        more = sum(getattr(p, "counts", 1) for p in hidden)
        if more > 0:  # at the file of the first left out, as every line names one
            where = f"{hidden[0].path}: " if hidden[0].path else ""
            shown.append(f"{where}… and {more:,} more problem{'s' * (more > 1)}")
        return "\n".join(shown)


class Collected(list):
    """The problems one check finds, each located as it is added, up to `Problems.LIMIT`:
    locating one scans the sources, so 20,000 refused links took minutes to locate, for 50
    lines shown. Past the limit they are counted, in one line of their own."""

    def __init__(self, what: str = "problems like these"):
        super().__init__()
        self.more, self.what = 0, what

    def add(self, make: Callable[[], PublishError]) -> None:
        if len(self) < Problems.LIMIT - 1:  # and the line that counts the rest
            self.append(make())
        else:
            self.more += 1

    def listed(self) -> list[PublishError]:
        """The problems located, and the line that counts the rest."""
        if not self.more:
            return list(self)
        rest = type(self[-1])(f"… and {self.more:,} more {self.what}", self[-1].path)
        rest.counts = self.more  # problems it stands for, should it be left out itself
        return [*self, rest]

    def raise_all(self) -> None:
        raise_all(self.listed())


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
