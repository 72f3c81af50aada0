"""HTML to PDF with WeasyPrint: shipped fonts only, reproducible bytes, warnings as errors."""

from __future__ import annotations

import datetime as dt
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pamphlet.errors import SourceError
from pamphlet.print.fonts import isolate_fontconfig

CSS_DIR = Path(__file__).parent


@contextmanager
def _source_date(date: dt.date) -> Iterator[None]:
    """Font subsets carry a timestamp; SOURCE_DATE_EPOCH pins it to a date the sources give."""
    epoch = int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc).timestamp())
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(html: str, target: Path, *, base_url: Path, stylesheets: list[Path], date: dt.date,
               what: Path | str) -> int:
    """Render `html` to `target`; returns the page count. WeasyPrint warnings become errors.

    `what` names the source in messages (e.g. the manifest), since the HTML is generated.
    """
    isolate_fontconfig()
    from weasyprint import CSS, HTML  # imported late: fontconfig must be isolated first

    capture = _Capture()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(capture)
    try:
        with _source_date(date):
            document = HTML(string=html, base_url=str(base_url)).render(
                stylesheets=[CSS(filename=str(s)) for s in stylesheets])
            target.parent.mkdir(parents=True, exist_ok=True)
            document.write_pdf(str(target), pdf_identifier=b"pamphlet", pdf_tags=False)
    finally:
        logger.removeHandler(capture)
    problems = [m for m in capture.messages if not _harmless(m)]
    if problems:
        raise SourceError(f"print rendering problem: {problems[0]}", what)
    return len(document.pages)


def _harmless(message: str) -> bool:
    # WeasyPrint reports CSS it ignores for print (e.g. screen-only properties in shared CSS).
    return message.startswith(("Ignored `", "Unsupported"))
