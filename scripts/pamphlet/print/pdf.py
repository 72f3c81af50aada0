"""HTML to PDF with WeasyPrint: shipped fonts only, reproducible bytes, warnings as errors, a sandboxed
fetcher."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import jinja2
from markupsafe import Markup

from pamphlet.assets import ASSETS, FONTS, font_face_css
from pamphlet.errors import SourceError, WarningCapture
from pamphlet.print.fonts import isolate_fontconfig
from pamphlet.print.sandbox import SandboxFetcher, attachments

CSS_DIR = Path(__file__).parent
TEMPLATES = CSS_DIR / "templates"


def render_template(name: str, **context) -> str:
    """A print template (templates/), with the shipped fonts' @font-face rules as `font_css`.

    Values marked with `Markup` (rendered Markdown) go in as HTML; everything else is escaped.
    """
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    context.setdefault("page_size", None)
    return env.get_template(name).render(font_css=Markup(font_face_css(FONTS.as_uri() + "/")), **context)


class Printer:
    """WeasyPrint with our fonts only, a sandboxed fetcher, and its warnings turned into errors.

    `layout` may be called more than once (e.g. to learn where things fall, then lay out again);
    `save` writes a laid-out document. `what` names the source in messages, since the HTML is
    generated.
    """

    def __init__(self, *, base_url: Path, stylesheets: list[Path], what: Path | str,
                 allowed: list[Path] = ()) -> None:
        isolate_fontconfig()
        self.base_url = base_url
        self.stylesheets = stylesheets
        self.what = what
        # The printer reads only these folders (and pamphlet's assets): see `sandbox`.
        self.fetcher = SandboxFetcher([*allowed, ASSETS])

    @contextmanager
    def _watch(self) -> Iterator[None]:
        capture = WarningCapture()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(capture)
        try:
            yield
        finally:
            logger.removeHandler(capture)
        if self.fetcher.refused:
            refused = ", ".join(dict.fromkeys(self.fetcher.refused))
            self.fetcher.refused.clear()
            raise SourceError(f"the printer may read only the project's source folders; refused: {refused}",
                              self.what, code="print-refused")
        if capture.messages:  # our stylesheets and templates must render cleanly: any warning is a bug
            raise SourceError(f"print rendering problem: {capture.messages[0]}", self.what, code="print")

    def layout(self, html: str):
        from weasyprint import CSS, HTML  # imported late: fontconfig must be isolated first

        with self._watch():
            document = HTML(string=html, base_url=str(self.base_url), url_fetcher=self.fetcher).render(
                stylesheets=[CSS(filename=str(s)) for s in self.stylesheets])
        embedded = attachments(document)
        if embedded:
            raise SourceError(f"attachments are not allowed in print: {', '.join(embedded)}", self.what,
                              code="print-attachment")
        return document

    def save(self, document, target: Path) -> int:
        with self._watch():
            target.parent.mkdir(parents=True, exist_ok=True)
            document.write_pdf(str(target), pdf_identifier=b"pamphlet", pdf_variant="pdf/ua-1")
        return len(document.pages)


def anchor_pages(document) -> dict[str, int]:
    """Where every anchor (element id) of a laid-out document falls: id -> page number from 1."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def render_pdf(html: str, target: Path, *, base_url: Path, stylesheets: list[Path], what: Path | str,
               allowed: list[Path] = ()) -> int:
    """Lay out `html` and write it to `target`; returns the page count."""
    printer = Printer(base_url=base_url, stylesheets=stylesheets, what=what, allowed=allowed)
    return printer.save(printer.layout(html), target)
