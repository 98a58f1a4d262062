"""Build feedback: a rich progress display on a terminal, one plain line per step otherwise.

CI (CI=true) and redirected output get plain lines, which read well in logs; both end with the
same summary: artifact, size, time, built or cached.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from .environment import in_ci


@dataclass
class Row:
    name: str
    size: int
    seconds: float
    status: str  # "built" | "cached"


@dataclass
class Reporter:
    """Collects steps and results; prints progress to stdout and warnings to stderr, so stderr
    of a failed build holds just the error line."""

    quiet: bool = False
    rows: list[Row] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    def __post_init__(self):
        self.fancy = not self.quiet and sys.stdout.isatty() and not in_ci()
        self._progress = None
        self._task = None

    def begin(self, total: int) -> None:
        if self.fancy and total:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      TextColumn("{task.completed}/{task.total}"),
                                      TimeElapsedColumn(), transient=True)  # stdout
            self._progress.start()
            self._task = self._progress.add_task("building", total=total)

    def step(self, message: str) -> None:
        if self.quiet:
            return
        if self._progress is not None:
            self._progress.update(self._task, description=message)
        else:
            print(message, flush=True)

    def done(self, row: Row) -> None:
        self.rows.append(row)
        if self._progress is not None:
            self._progress.advance(self._task)
        elif not self.quiet:
            print(f"{row.status} {row.name} ({_size(row.size)}, {row.seconds:.2f} s)", flush=True)

    def warn(self, message: str) -> None:
        """Warnings go to stderr; above a live progress display, which stays in place."""
        if self._progress is not None:
            with self._progress.console:  # pause the display's redraws while printing
                print(message, file=sys.stderr, flush=True)
        else:
            print(message, file=sys.stderr, flush=True)

    def finish(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if self.quiet or not self.rows:
            return
        total = time.perf_counter() - self.started
        if self.fancy:
            from rich.console import Console
            from rich.table import Table

            table = Table(title=f"{len(self.rows)} artifacts in {total:.2f} s")
            for column, justify in (("artifact", "left"), ("size", "right"),
                                    ("time", "right"), ("status", "left")):
                table.add_column(column, justify=justify)
            for row in self.rows:
                table.add_row(row.name, _size(row.size), f"{row.seconds:.2f} s", row.status)
            Console().print(table)
        else:
            built = sum(r.status == "built" for r in self.rows)
            print(f"{len(self.rows)} artifacts ({built} built, {len(self.rows) - built} cached) "
                  f"in {total:.2f} s", flush=True)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} B"
