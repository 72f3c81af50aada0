"""Progress for long steps: the step, how many of how many, and the time taken.

On a terminal this is a live rich progress display; elsewhere (CI, logs) one plain line per step.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class Reporter:
    def __init__(self, total: int, *, quiet: bool = False, console: Console | None = None) -> None:
        self.total = total
        self.done = 0
        self.quiet = quiet
        self.console = console or Console(stderr=True)
        self.started = time.monotonic()
        self._progress: Progress | None = None
        self._task = None

    def __enter__(self) -> "Reporter":
        if not self.quiet and self.console.is_terminal:
            self._progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=self.console, transient=False)
            self._progress.start()
            self._task = self._progress.add_task("starting", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def skip(self, count: int) -> None:
        """Steps of the plan that turned out to have nothing to do (a cache hit prints nothing)."""
        self.done += count
        if self._progress is not None:
            self._progress.update(self._task, advance=count)

    @contextmanager
    def step(self, description: str) -> Iterator[None]:
        started = time.monotonic()
        if self._progress is not None:
            self._progress.update(self._task, description=description)
        yield
        self.done += 1
        elapsed = time.monotonic() - started
        if self._progress is not None:
            self._progress.update(self._task, advance=1)
        elif not self.quiet:
            print(f"[{self.done}/{self.total}] {description} ({elapsed:.1f}s)", file=sys.stderr, flush=True)

    def finish(self, message: str) -> None:
        if not self.quiet:
            total = time.monotonic() - self.started
            self.console.print(f"{message} in {total:.1f}s", highlight=False)
