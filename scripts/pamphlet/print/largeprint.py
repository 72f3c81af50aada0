"""The large-print edition of the booklet: the same chapters, letter paper, body text at 16 pt.

It is laid out on its own (`build_booklet`, as the booklet is), so its contents, open questions
and works-cited back-references carry its own page numbers.
"""

from __future__ import annotations

from pathlib import Path

from pamphlet.content import Content
from pamphlet.print.booklet import build_booklet

PAPER = "letter"
BODY_PT = 16  # the body text's size (large_print.css); the tests read it from the PDF


def build_large_print(content: Content, target: Path, pieces: Path | None = None) -> int:
    """Write the large-print booklet to `target`; returns its page count (`pieces`: see `build_booklet`)."""
    return build_booklet(content, target, PAPER, stylesheets=("booklet.css", "large_print.css"), pieces=pieces)


__all__ = ["BODY_PT", "build_large_print"]
