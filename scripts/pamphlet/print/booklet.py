"""The booklet PDF: cover, title page, colophon, contents, chapters, from the manifest."""

from __future__ import annotations

import functools
import math
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Literal
from urllib.parse import quote

from pamphlet.bibliography import BackRef, Citer
from pamphlet.cache import Piece, Pieces
from pamphlet.content import Content, Page, page_url, render_context, source_folders
from pamphlet.dates import format_date
from pamphlet.errors import SourceError
from pamphlet.markdown.context import page_context
from pamphlet.output import work_folder
from pamphlet.paper import PAPERS
from pamphlet.print.assemble import AssemblyError, assemble
from pamphlet.print.pdf import CSS_DIR, Markup, Printer, render_template
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
    """Every chapter through the site's Markdown extensions, with print links and page context;
    rendered once per model (`Content.derived`), for the booklet, the large print and the e-book."""
    if "printed-booklet" not in content.derived:
        content.derived["printed-booklet"] = _render_chapters(content)
    return content.derived["printed-booklet"]


def _render_chapters(content: Content) -> PrintedBooklet:
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


Part = Literal["whole", "front", "contents", "chapter", "works-cited", "back", "folio"]


def booklet_html(content: Content, printed: PrintedBooklet, paper: str | None = None,
                 cited_on: dict[str, list[tuple[str, int]]] | None = None, part: Part = "whole",
                 first_page: int = 1, pages: dict[str, int | str] | None = None,
                 chapters: list[PrintedChapter] | None = None, folio_pages: int = 0) -> str:
    """The booklet as one HTML document, or one of the pieces `build_booklet` lays out apart.

    The Works Cited chapter lists, after each entry, links to where it is cited. `cited_on` gives
    one (anchor, page number) per page, and the links show those numbers; without it, every citation
    is listed, and print CSS turns each link into its page number (target-counter), which only a
    layout of the whole booklet can resolve. `pages` does the same for the contents and the open
    questions: the page number of each anchor they point to, printed as text.

    `part` "front" is the cover, title page and colophon; "contents" the contents and the open
    questions; "chapter" the `chapters` given (by default all); "works-cited" the Works Cited; "back"
    the back cover; each numbered from `first_page`, but a chapter, which has no page numbers:
    "folio" is `folio_pages` pages with only their numbers, from 1: they are drawn over the chapters'
    pages when the pieces are assembled.
    """
    m = content.manifest
    works_cited = ""
    if printed.citer is not None and printed.citations and part in ("whole", "contents", "works-cited"):
        if cited_on is None:
            backrefs = {}
            for key, anchor in printed.citations:
                backrefs.setdefault(key, []).append(BackRef(f"#{anchor}", ""))
        else:
            backrefs = {key: [BackRef(f"#{anchor}", str(page)) for anchor, page in found]
                        for key, found in cited_on.items()}
        works_cited = printed.citer.works_cited_html(list(backrefs), backrefs=backrefs)
    shown = printed.chapters if chapters is None else chapters
    shown = [PrintedChapter(c.number, c.title, c.anchor, Markup(c.html)) for c in shown]
    feedback_url = content.feedback.feedback_page_url if content.feedback else None

    def page_attr(anchor: str) -> Markup:
        return Markup(' data-page="{}"').format(pages[anchor]) if pages is not None else Markup("")

    return render_template(
        "booklet.html",
        m=m,
        chapters=shown,
        open_questions=open_questions(content),
        meetings=meetings_for_back(content),  # the manifest's `meetings:`, or the open ones
        meetings_url=page_url(content.project, "meetings/index.md"),
        feedback_url=feedback_url,
        feedback_qr=qr_data_uri(feedback_url, size_mm=28) if feedback_url and part in ("whole", "back") else "",
        works_cited=Markup(works_cited),
        subject=m.description or m.subtitle or m.title,
        keywords=", ".join(c.title for c in printed.chapters),
        date_text=format_date(m.date, language=m.language),
        source_url=content.project.source_url,
        site_url=content.project.site_url,
        page_size=PAPERS[paper].css_size if paper else m.page_size,
        cover_image=cover_image(content),
        title_size=cover_title_size(m.title, paper or m.paper),
        part=part,
        first_page=first_page,
        numbered_backrefs=cited_on is not None,
        page_attr=page_attr,
        folio_pages=folio_pages,
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


@dataclass
class BookletLayout:
    """Where everything of a booklet falls: its pieces (None: a blank page), in order, and the page
    number of every anchor."""

    pieces: list[Piece | None]
    pages: dict[str, int]
    cited_on: dict[str, list[tuple[str, int]]] | None
    folios: dict[int, tuple[Piece, int]]  # index in `pieces` -> the folio piece, and its page (from 0) for
    # the piece's first page: the page numbers drawn over it


PLACEHOLDER = "000"  # the contents' page numbers, before the chapters are laid out
FOLIO_BLOCK = 32  # the folio piece's length is a multiple of this


def lay_out_booklet(content: Content, printed: PrintedBooklet, printer: Printer, store: Pieces,
                    paper: str | None = None) -> BookletLayout:
    """The booklet in pieces, each laid out on its own (or taken from `store`, when its HTML, the
    stylesheets and the files it reads are those of an earlier layout): the front matter (cover,
    title page, colophon), the contents (with the open questions), each chapter, the Works Cited,
    the back cover.

    Chapters start on right-hand pages, so a chapter's layout depends only on its own text and on the
    side of its first page: laid out without page numbers, it is the same piece wherever it falls.
    The numbers come from one "folio" piece (pages with only their numbers, in the running foot's
    place, from page 1 to past the last chapter's page, rounded up to `FOLIO_BLOCK`: it changes only
    when the booklet crosses such a mark), drawn over the chapters' pages when the pieces are
    assembled. Editing a chapter lays out that chapter again, whatever moves after it. The contents
    show where the chapters fall, so they are laid out last, with those numbers as text; how many
    pages they take is learned first, from a layout with placeholder numbers (a piece like any other,
    kept in `store`). Should the real numbers change their length, everything after them is placed
    again from the new length."""
    html = functools.partial(booklet_html, content, printed, paper)
    front = store.lay_out(printer, html(part="front"))
    contents_first = _first_on(front.pages + 1, "right")
    blank = {anchor: PLACEHOLDER for anchor in _front_anchors(content, printed)}
    contents_pages = store.lay_out(printer, html(part="contents", pages=blank, first_page=contents_first)).pages
    for _ in range(3):
        chapter_at: dict[int, int] = {}  # index in `pieces` -> its first page, for each chapter
        pieces: list[Piece | None] = [front] + [None] * (contents_first - front.pages - 1)
        pages: dict[str, int] = {anchor: 1 + index for anchor, index in front.anchors.items()}
        next_page = contents_first + contents_pages

        def place(piece_html: Callable[[int], str], side: str, chapter: bool = False) -> None:
            nonlocal next_page
            first = _first_on(next_page, side)
            pieces.extend([None] * (first - next_page))  # a blank page: the piece starts on the other side
            piece = store.lay_out(printer, piece_html(first))
            if chapter:
                chapter_at[len(pieces)] = first
            for anchor, index in piece.anchors.items():
                pages.setdefault(anchor, first + index)
            pieces.append(piece)
            next_page = first + piece.pages

        for chapter in printed.chapters:
            place(lambda first, chapter=chapter: html(part="chapter", chapters=[chapter]), "right", chapter=True)
        last_chapter_page = next_page - 1
        folio = store.lay_out(printer, html(part="folio",
                                            folio_pages=math.ceil(last_chapter_page / FOLIO_BLOCK) * FOLIO_BLOCK))
        cited_on = None
        if printed.citer is not None and printed.citations:
            cited_on = one_anchor_per_page(printed.citations, pages)
            place(lambda first: html(cited_on, part="works-cited", first_page=first), "right")
        place(lambda first: html(part="back", first_page=first), "left")
        contents = store.lay_out(printer, html(part="contents", pages={a: pages[a] for a in blank},
                                               first_page=contents_first))
        if contents.pages == contents_pages:
            at = contents_first - front.pages  # after the front matter and its blank page
            pieces.insert(at, contents)
            for anchor, index in contents.anchors.items():
                pages.setdefault(anchor, contents_first + index)
            return BookletLayout(pieces, pages, cited_on, {i + (i >= at): (folio, first - 1)
                                                           for i, first in chapter_at.items()})
        contents_pages = contents.pages
    raise RuntimeError("the booklet's contents do not settle on a length")


def _first_on(page: int, side: str) -> int:
    """The first page from `page` on that is on `side` (right-hand pages are odd)."""
    return page if (page % 2 == 1) == (side == "right") else page + 1


def _front_anchors(content: Content, printed: PrintedBooklet) -> list[str]:
    """The anchors whose page numbers the front matter prints."""
    anchors = [c.anchor for c in printed.chapters] + [q.anchor for q in open_questions(content)]
    return anchors + (["works-cited"] if printed.citer is not None and printed.citations else [])


@contextmanager
def piece_store(folder: Path | None, near: Path) -> Iterator[Pieces]:
    """`folder`'s pieces (the print cache's), or a scratch folder beside `near` (`work_folder`:
    marked as a build's, left out of the print cache's key, removed after, or by the next build if
    this one is killed)."""
    if folder is not None:
        yield Pieces(folder)
        return
    with work_folder(near) as scratch:
        yield Pieces(scratch / "pieces")


def build_booklet(content: Content, target: Path, paper: str | None = None,
                  stylesheets: tuple[str, ...] = ("booklet.css",), pieces: Path | None = None) -> int:
    """Write the booklet PDF to `target` (the large-print edition adds its stylesheet); returns its
    page count. It is laid out in pieces (`lay_out_booklet`), kept in `pieces` (a folder of the
    print cache) when given, and assembled into one PDF (`pamphlet.print.assemble`): links,
    bookmarks and tags go across the pieces as in one document."""
    printer = booklet_printer(content, stylesheets)
    printed = render_chapters(content)
    target.parent.mkdir(parents=True, exist_ok=True)
    with piece_store(pieces, target.parent) as store:
        layout = lay_out_booklet(content, printed, printer, store, paper)
        try:
            return assemble([piece.path if piece else None for piece in layout.pieces], target,
                            {i: (folio.path, start) for i, (folio, start) in layout.folios.items()})
        except AssemblyError as error:
            raise SourceError(f"print rendering problem: {error}", content.manifest.path, code="print") from None


def final_booklet_html(content: Content, paper: str | None = None,
                       stylesheets: tuple[str, ...] = ("booklet.css",), pieces: Path | None = None) -> str:
    """The booklet as one HTML document that WeasyPrint lays out into the same pages as its PDF,
    with the page numbers its pieces learned (`pamphlet build --html`)."""
    printed = render_chapters(content)
    printer = booklet_printer(content, stylesheets)
    with piece_store(pieces, content.project.root) as store:
        layout = lay_out_booklet(content, printed, printer, store, paper)
    front = {anchor: layout.pages[anchor] for anchor in _front_anchors(content, printed)}
    return booklet_html(content, printed, paper, layout.cited_on, pages=front)


__all__ = ["booklet_html", "booklet_printer", "build_booklet", "final_booklet_html", "lay_out_booklet",
           "render_chapters"]
