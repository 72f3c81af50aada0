"""The one error type users see, and the policy for reporting it.

A `SourceError` names the file (and line, and column where there is one) and says what is wrong
in one line. Everything the user can fix is a `SourceError`; anything else is a bug in pamphlet
and is allowed to show a traceback.
"""

from __future__ import annotations

import json
import logging
import os
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
    code: str = "source"  # a short kind, for CI tools and for silencing warnings ("html-script")

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


class SourceWarning(SourceError):
    """A problem that does not stop the build (unless `--strict`): same location and code as an error."""


class Reporter:
    """The one channel for warnings. Every stage reports through it (`warn`); each distinct warning is
    kept once, in order of first appearance; `check` and `build` print them at the end, and
    `--strict` turns them into errors."""

    def __init__(self) -> None:
        self.warnings: list[SourceWarning] = []
        self._seen: set[str] = set()

    def warn(self, problem: SourceError) -> None:
        if not isinstance(problem, SourceWarning):
            problem = SourceWarning(problem.message, problem.file, problem.line, problem.column, problem.code)
        key = str(problem)
        if key not in self._seen:
            self._seen.add(key)
            self.warnings.append(problem)

    def __len__(self) -> int:
        return len(self.warnings)


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


FORMATS = ("text", "json", "github")


def unique(problems: list[SourceError]) -> list[SourceError]:
    """Each distinct problem once, in order of first appearance."""
    return list({str(p): p for p in problems}.values())


def problem_record(problem: SourceError, severity: str) -> dict[str, Any]:
    """One problem as data: what `check --format json` prints, one object per problem."""
    return {"severity": severity, "file": display_path(problem.file) if problem.file is not None else None,
            "line": problem.line, "column": problem.column, "code": problem.code, "message": problem.message}


def _github_escape(text: str, *, property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def format_problems(errors: list[SourceError], warnings: list[SourceError], fmt: str = "text") -> str:
    """Errors and warnings as lines of text (`error: file:line:col: message`), as a JSON list, or as
    GitHub/Forgejo workflow annotations (`::error file=…,line=…::message`)."""
    errors, warnings = unique(errors), unique(warnings)  # two checks may find the same problem
    records = [problem_record(e, "error") for e in errors] + [problem_record(w, "warning") for w in warnings]
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2)
    lines = []
    for record, problem in zip(records, [*errors, *warnings]):
        if fmt == "github":
            where = [f"{key}={_github_escape(str(record[name]), property=True)}"
                     for key, name in (("file", "file"), ("line", "line"), ("col", "column"))
                     if record[name] is not None]
            where.append(f"title={_github_escape('pamphlet ' + record['code'], property=True)}")
            lines.append(f"::{record['severity']} {','.join(where)}::{_github_escape(record['message'])}")
        else:
            lines.append(f"{record['severity']}: {' '.join(str(problem).split())}")
    return "\n".join(lines)


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
        # the path as written first (a symlink is named where it is, not where it leads)
        for candidate in (Path(os.path.normpath(p)), p.resolve()):
            try:
                return candidate.relative_to(_ROOT).as_posix()
            except ValueError:
                pass
    return p.as_posix() if isinstance(path, Path) else str(path)
