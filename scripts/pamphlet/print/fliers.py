"""Fliers and handouts: each side must fit its page; a print sheet puts two copies on letter."""

from __future__ import annotations

from pathlib import Path

from pamphlet.content import Content, page_url, source_folders
from pamphlet.errors import SourceError
from pamphlet.paper import PAPERS
from pamphlet.print.pdf import CSS_DIR, Markup, Printer, anchor_pages, render_template
from pamphlet.qr import qr_data_uri
from pamphlet.render import make_markdown
from pamphlet.sources.fliers import QR_TARGETS, Flier

MEETINGS_PAGE = QR_TARGETS["meetings"]


def qr_url(content: Content, target: str | None) -> str | None:
    if target is None:
        return None
    return target if target.startswith("https://") else page_url(content.project, QR_TARGETS[target])


def flier_meetings(content: Content, flier: Flier) -> list:
    if content.schedule is None:
        return []
    if flier.meetings == "all":
        return [m for m in content.schedule.meetings if m.kind == "open"]
    return [content.schedule.meeting(meeting_id) for meeting_id, _ in flier.meetings]


def flier_html(content: Content, flier: Flier) -> str:
    sides = [Markup(make_markdown(content.project).convert(side.markdown)) for side in flier.sides]
    url = qr_url(content, flier.qr)
    return render_template(
        "flier.html",
        m=content.manifest,
        flier=flier,
        sides=sides,
        meetings=flier_meetings(content, flier),
        meetings_url=page_url(content.project, MEETINGS_PAGE),
        qr_url=url,
        qr_image=qr_data_uri(url, size_mm=24) if url else "",
        page_size=PAPERS[flier.paper].css_size,
    )


def build_flier(content: Content, flier: Flier, target: Path) -> int:
    """Write the flier's PDF; a side that does not fit on its page is an error naming the side."""
    printer = Printer(base_url=content.project.root, allowed=source_folders(content.project),
                      stylesheets=[CSS_DIR / "flier.css"],
                      what=flier.path)
    document = printer.layout(flier_html(content, flier))
    pages = anchor_pages(document)
    starts = [pages[f"side-{i + 1}"] for i in range(len(flier.sides))] + [pages["end"] + 1]
    for index, side in enumerate(flier.sides):
        if starts[index + 1] - starts[index] > 1:
            raise SourceError(f"the {flier.side_name(index)} does not fit on its page "
                              f"({starts[index + 1] - starts[index]} pages); shorten it", flier.path, side.line)
    return printer.save(document, target)
