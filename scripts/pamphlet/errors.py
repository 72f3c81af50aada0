"""The one error type users see, and the policy for reporting it.

A `SourceError` names the file (and line, and column where there is one) and says what is wrong
in one line. Everything the user can fix is a `SourceError`; anything else is a bug in pamphlet
and is allowed to show a traceback.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")


@dataclass
class SourceError(Exception):
    """A problem in the user's sources or settings, reported as `file:line:col: message`."""

    message: str
    file: Path | str | None = None
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def location(self) -> str:
        if self.file is None:
            return ""
        parts = [display_path(self.file)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class SourceErrors(Exception):
    """Several `SourceError`s found in one pass, reported together (one line each)."""

    errors: list[SourceError] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(f"{len(self.errors)} error(s)")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class Collector:
    """Gathers errors so that one run reports every problem it can find, not just the first."""

    def __init__(self) -> None:
        self.errors: list[SourceError] = []

    def add(self, error: SourceError) -> None:
        self.errors.append(error)

    def collect(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Call `function`; its `SourceError`(s) join this collection. None when it failed."""
        try:
            return function(*args, **kwargs)
        except SourceErrors as many:
            self.errors.extend(many.errors)
        except SourceError as one:
            self.add(one)
        return None

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise SourceErrors(list(self.errors))


class WarningCapture(logging.Handler):
    """Collects the warnings a library logs (WeasyPrint, MkDocs): pamphlet treats them as errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_ROOT: Path | None = None


def set_display_root(root: Path) -> None:
    """Paths inside `root` are shown relative to it (as a contributor sees them in the repo)."""
    global _ROOT
    _ROOT = root.resolve()


def display_path(path: Path | str) -> str:
    p = Path(path)
    if _ROOT is not None and p.is_absolute():
        try:
            return p.resolve().relative_to(_ROOT).as_posix()
        except ValueError:
            pass
    return p.as_posix() if isinstance(path, Path) else str(path)
