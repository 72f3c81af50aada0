"""The large-print edition of the booklet: the same chapters, letter paper, body text at 16 pt.

It is laid out on its own (twice, as the booklet is), so its contents, open questions and
works-cited back-references carry its own page numbers.
"""

from __future__ import annotations

from pathlib import Path

from pamphlet.content import Content, source_folders
from pamphlet.print.booklet import booklet_html, one_anchor_per_page, render_chapters
from pamphlet.print.pdf import CSS_DIR, Printer, anchor_pages

PAPER = "letter"
BODY_PT = 16  # the body text's size (large_print.css); the tests read it from the PDF


def build_large_print(content: Content, target: Path) -> int:
    """Write the large-print booklet to `target`; returns its page count."""
    printer = Printer(base_url=content.project.root, allowed=source_folders(content.project),
                      stylesheets=[CSS_DIR / "booklet.css", CSS_DIR / "large_print.css"],
                      what=content.manifest.path)
    printed = render_chapters(content)
    document = printer.layout(booklet_html(content, printed, PAPER))
    if printed.citations:
        cited_on = one_anchor_per_page(printed.citations, anchor_pages(document))
        document = printer.layout(booklet_html(content, printed, PAPER, cited_on))
    return printer.save(document, target)


__all__ = ["BODY_PT", "build_large_print"]
