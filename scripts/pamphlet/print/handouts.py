"""Per-chapter handouts: one chapter on letter paper, with its own References, for reading groups."""

from __future__ import annotations

from pathlib import Path

import jinja2

from pamphlet.assets import FONTS, font_face_css
from pamphlet.content import Content, Page, page_url
from pamphlet.markdown.context import page_context
from pamphlet.print.booklet import BookletLinks, PrintedChapter, chapter_anchor, print_context
from pamphlet.print.pdf import CSS_DIR, Printer
from pamphlet.render import PrintLinks, make_markdown

TEMPLATES = Path(__file__).parent / "templates"


class HandoutLinks(BookletLinks):
    """Links from a chapter printed alone: to itself inside the PDF, to anything else on the site."""

    def __init__(self, content: Content, page: Page) -> None:
        super().__init__(content)
        self.page = page

    def resolve(self, uri: str, fragment: str) -> str:
        if uri == self.page.uri:
            return f"#{self.page.chapter.slug}--{fragment}" if fragment else f"#{chapter_anchor(self.page.chapter.slug)}"
        return page_url(self.content.project, uri, fragment or None) or "#"

    def extension(self, page: Page) -> PrintLinks:
        return PrintLinks(page.uri, f"{page.chapter.slug}--", self.resolve, self.resolve_file)


def chapter_html(content: Content, page: Page) -> str:
    md = make_markdown(content.project, [HandoutLinks(content, page).extension(page)])
    with page_context(print_context(content, page)):
        body = md.convert(page.source.body)
    m = content.manifest
    markup = jinja2.utils.markupsafe.Markup
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    chapter = PrintedChapter(page.chapter.number, page.title, chapter_anchor(page.chapter.slug), markup(body))
    return env.get_template("chapter.html").render(
        m=m, chapter=chapter, url=page_url(content.project, page.uri),
        date_text=f"{m.date:%B} {m.date.day}, {m.date.year}",
        font_css=markup(font_face_css(FONTS.as_uri() + "/")))


def build_chapter_handout(content: Content, page: Page, target: Path) -> int:
    printer = Printer(base_url=content.project.root, stylesheets=[CSS_DIR / "booklet.css", CSS_DIR / "chapter.css"],
                      date=content.manifest.date, what=page.path)
    return printer.save(printer.layout(chapter_html(content, page)), target)
