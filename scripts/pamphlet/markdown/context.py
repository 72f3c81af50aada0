"""What an extension may know about the page it is rendering.

Python-Markdown does not tell an extension which file it renders. The pipeline (print) and the
thin MkDocs plugin (site) set this context around each page's conversion; an engine that sets
nothing still renders every page, only without the page-specific parts (feedback links), and says
so once.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator


@dataclass
class PageContext:
    title: str
    url: str | None  # the page's public URL
    source: str | None  # the source file, relative to the repository root ("booklet/economy.md")
    file: Path | None = None  # the source file, for error messages
    first_line: int = 1  # the file line of the Markdown's first line (after front matter)
    citations: list = field(default_factory=list)  # filled by the citations extension
    markers: list = field(default_factory=list)  # ContestedMarker, block markers in document order
    page_marker: Any = None  # ContestedMarker when the whole page is contested (front matter)
    feedback: Any = None  # pamphlet.feedback.FeedbackConfig, if configured
    print: bool = False  # rendering for paper: add short URLs and QR codes
    language: str = "en"  # the manifest's language: how dates are written (see `pamphlet.dates`)
    feedback_page: Callable[[Any], str | None] | None = None  # marker -> its feedback page's URL
    warn: Callable[[str], None] = lambda message: None  # a missing feedback setting (see `Content.warn`)
    report: Callable[[Any], None] | None = None  # a SourceError that is only a warning (`errors.Reporter.warn`)


CURRENT: contextvars.ContextVar[PageContext | None] = contextvars.ContextVar("pamphlet_page", default=None)


@contextmanager
def page_context(context: PageContext) -> Iterator[PageContext]:
    token = CURRENT.set(context)
    try:
        yield context
    finally:
        CURRENT.reset(token)


def current() -> PageContext | None:
    return CURRENT.get()
