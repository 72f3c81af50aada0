"""The booklet PDF: cover, title page, colophon, contents, chapters, from the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from pamphlet.bibliography import BackRef, Citer
from pamphlet.content import Content, Page, page_url, render_context, source_folders
from pamphlet.dates import format_date
from pamphlet.markdown.context import page_context
from pamphlet.paper import PAPERS
from pamphlet.print.pdf import CSS_DIR, Markup, Printer, anchor_pages, render_template
from pamphlet.printing import meetings_for_back, picture_file
from pamphlet.project import CITATIONS
from pamphlet.qr import qr_data_uri
from pamphlet.render import PrintLinks, make_markdown


@dataclass
class PrintedChapter:
    number: int
    title: str
    anchor: str
    html: str


def chapter_anchor(slug: str) -> str:
    return f"ch-{slug}"


class BookletLinks:
    """Resolves links for print: to a chapter in this PDF, or to the page on the public site."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.chapter_slugs = {page.uri: page.chapter.slug for page in content.chapters}

    def resolve(self, uri: str, fragment: str) -> str:
        slug = self.chapter_slugs.get(uri)
        if slug is not None:
            return f"#{slug}--{fragment}" if fragment else f"#{chapter_anchor(slug)}"
        return page_url(self.content.project, uri, fragment) or "#"

    def resolve_file(self, uri: str) -> str | None:
        """An image's address for the printer: relative to the project (the printer's base URL), so
        the HTML gate sees a local file, and the sandboxed fetcher serves it from the source folders."""
        path = self.content.static.get(uri)
        return quote(self.content.project.relative(path)) if path else None

    def extension(self, page: Page) -> PrintLinks:
        return PrintLinks(page.uri, f"{page.chapter.slug}--", self.resolve, self.resolve_file,
                          shared_works_cited=True)


@dataclass
class PrintedBooklet:
    """The booklet's parts, rendered once; laid out one or more times."""

    chapters: list[PrintedChapter]
    citations: list[tuple[str, str]]  # (key, anchor of the citation in the document), in order
    citer: Citer | None


def render_chapters(content: Content) -> PrintedBooklet:
    """Every chapter through the site's Markdown extensions, with print links and page context."""
    links = BookletLinks(content)
    citer = None
    overrides = {}
    if content.bibliography is not None:
        # one numbering for the whole booklet
        citer = Citer(content.bibliography, content.project.citation_settings().style)
        overrides[CITATIONS] = {"references": False, "citer": citer}
    chapters, citations = [], []
    for page in content.chapters:
        md = make_markdown(content.project, [links.extension(page)], overrides)
        with page_context(render_context(content, page, for_print=True)):
            body = md.convert(page.source.body)
        prefix = f"{page.chapter.slug}--"
        citations += [(c.key, prefix + c.id) for c in getattr(md, "citations", []) if c.id]
        chapters.append(PrintedChapter(page.chapter.number, page.title or page.chapter.slug,
                                       chapter_anchor(page.chapter.slug), body))
    return PrintedBooklet(chapters, citations, citer)


Part = Literal["whole", "main", "back"]


def booklet_html(content: Content, printed: PrintedBooklet, paper: str | None = None,
                 cited_on: dict[str, list[tuple[str, int]]] | None = None, part: Part = "whole",
                 first_page: int = 1) -> str:
    """The booklet as one HTML document, or one of its two parts (`build_booklet`).

    The Works Cited chapter lists, after each entry, links to where it is cited. `cited_on` gives
    one (anchor, page number) per page, learned from a layout of the chapters, and the links show
    those numbers; without it, every citation is listed, and print CSS turns each link into its
    page number (target-counter), which only a layout of the whole booklet can resolve.

    `part` "main" is everything but the Works Cited and the back cover: in their place, a page that
    only holds the Works Cited's anchor, so that the contents give its page number. "back" is the
    Works Cited and the back cover, numbered from `first_page`.
    """
    m = content.manifest
    works_cited = ""
    if printed.citer is not None and printed.citations:
        if cited_on is None:
            backrefs = {}
            for key, anchor in printed.citations:
                backrefs.setdefault(key, []).append(BackRef(f"#{anchor}", ""))
        else:
            backrefs = {key: [BackRef(f"#{anchor}", str(page)) for anchor, page in found]
                        for key, found in cited_on.items()}
        works_cited = printed.citer.works_cited_html(list(backrefs), backrefs=backrefs)
    chapters = [PrintedChapter(c.number, c.title, c.anchor, Markup(c.html)) for c in printed.chapters]
    feedback_url = content.feedback.feedback_page_url if content.feedback else None
    return render_template(
        "booklet.html",
        m=m,
        chapters=chapters,
        open_questions=open_questions(content),
        meetings=meetings_for_back(content),  # the manifest's `meetings:`, or the open ones
        meetings_url=page_url(content.project, "meetings/index.md"),
        feedback_url=feedback_url,
        feedback_qr=qr_data_uri(feedback_url, size_mm=28) if feedback_url else "",
        works_cited=Markup(works_cited),
        subject=m.description or m.subtitle or m.title,
        keywords=", ".join(c.title for c in chapters),
        date_text=format_date(m.date, language=m.language),
        source_url=content.project.source_url,
        site_url=content.project.site_url,
        page_size=PAPERS[paper].css_size if paper else m.page_size,
        cover_image=cover_image(content),
        title_size=cover_title_size(m.title, paper or m.paper),
        part=part,
        first_page=first_page,
        numbered_backrefs=cited_on is not None,
    )


def cover_image(content: Content) -> str | None:
    """The cover picture's address for the printer (relative to the project), if there is one."""
    path = picture_file(content, content.manifest.cover_image) if content.manifest.cover_image else None
    return quote(content.project.relative(path)) if path else None


COVER_MARGIN = 0.55 * 72 * 2  # points: the cover's left and right margins (booklet.css, @page cover)
TITLE_SIZES = (28.0, 60.0)  # points: the cover title's smallest and largest size


def cover_title_size(title: str, paper: str) -> float:
    """The cover title's size: as large as its longest word allows on the cover's width, in at most
    four lines (Noto Sans Bold averages about 0.6 em a character), within `TITLE_SIZES`."""
    width = PAPERS[paper].points[0] - COVER_MARGIN
    longest = max((len(word) for word in title.split()), default=1)
    by_word = 0.92 * width / (0.62 * longest)
    by_lines = 4 * 0.8 * width / (0.6 * max(len(title), 1))
    low, high = TITLE_SIZES
    return round(max(low, min(high, by_word, by_lines)), 1)


@dataclass
class OpenQuestion:
    reason: str
    where: str  # the chapter's title
    anchor: str  # where the marker is printed


def open_questions(content: Content) -> list[OpenQuestion]:
    """The contested sections of the booklet's chapters, in order, with their printed anchors."""
    found = []
    for section in content.sections:
        chapter = section.page.chapter
        if chapter is None:
            continue
        anchor = f"{chapter.slug}--{section.marker.anchor}"  # ids in chapters are prefixed (PrintLinks)
        found.append(OpenQuestion(section.marker.reason, section.page.title, anchor))
    return found


def one_anchor_per_page(citations: list[tuple[str, str]],
                        pages: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """For each cited key, the first citation anchor on each page where it is cited, with that
    page's number, by page."""
    result: dict[str, dict[int, str]] = {}
    for key, anchor in citations:
        result.setdefault(key, {}).setdefault(pages[anchor], anchor)
    return {key: [(by_page[n], n) for n in sorted(by_page)] for key, by_page in result.items()}


def booklet_printer(content: Content, stylesheets: tuple[str, ...] = ("booklet.css",)) -> Printer:
    return Printer(base_url=content.project.root, allowed=source_folders(content.project),
                   stylesheets=[CSS_DIR / name for name in stylesheets], what=content.manifest.path)


def _lay_out_main(printer: Printer, content: Content, printed: PrintedBooklet, paper: str | None):
    """The booklet's first part laid out, the page its Works Cited starts on, and where each work is
    cited (`one_anchor_per_page`)."""
    main = printer.layout(booklet_html(content, printed, paper, part="main"))
    pages = anchor_pages(main)
    start = pages["works-cited"]  # the page kept for it: the last, a right-hand page after the chapters
    assert start == len(main.pages), (start, len(main.pages))
    return main, start, one_anchor_per_page(printed.citations, pages)


def build_booklet(content: Content, target: Path, paper: str | None = None,
                  stylesheets: tuple[str, ...] = ("booklet.css",)) -> int:
    """Write the booklet PDF to `target` (the large-print edition adds its stylesheet); returns its
    page count.

    The Works Cited shows the pages where each work is cited, one link per page, so it can only be
    written once the chapters are laid out. The booklet is laid out once, in two parts: everything
    up to the last chapter (the contents and the open questions point into the chapters, so they
    are laid out with them), then the Works Cited and the back cover, numbered on from where the
    first part left a page for them. The parts' pages make one PDF: links, bookmarks and tags go
    across them as in one document.
    """
    printer = booklet_printer(content, stylesheets)
    printed = render_chapters(content)
    if printed.citer is None or not printed.citations:
        return printer.save(printer.layout(booklet_html(content, printed, paper)), target)
    main, start, cited_on = _lay_out_main(printer, content, printed, paper)
    back = printer.layout(booklet_html(content, printed, paper, cited_on, part="back", first_page=start))
    return printer.save(main.copy(main.pages[:start - 1] + back.pages), target)


def final_booklet_html(content: Content, paper: str | None = None,
                       stylesheets: tuple[str, ...] = ("booklet.css",)) -> str:
    """The booklet as one HTML document that WeasyPrint lays out into the same pages as its PDF: its
    Works Cited gives the page numbers of a layout of the chapters (`pamphlet build --html`)."""
    printed = render_chapters(content)
    if printed.citer is None or not printed.citations:
        return booklet_html(content, printed, paper)
    _, _, cited_on = _lay_out_main(booklet_printer(content, stylesheets), content, printed, paper)
    return booklet_html(content, printed, paper, cited_on)


__all__ = ["booklet_html", "booklet_printer", "build_booklet", "final_booklet_html", "render_chapters"]
