"""The booklet PDF: cover, title page, colophon, contents, chapters, from the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from pamphlet.assets import FONTS, font_face_css
from pamphlet.content import Content, Page
from pamphlet.print.pdf import CSS_DIR, render_pdf
from pamphlet.render import PrintLinks, render_markdown
from pamphlet.sources.manifest import PAPER_SIZES

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class PrintedChapter:
    number: int
    title: str
    anchor: str
    html: str


def chapter_anchor(slug: str) -> str:
    return f"ch-{slug}"


def site_page_url(site_url: str | None, uri: str) -> str:
    """The public URL of a page (MkDocs' directory URLs: booklet/economy.md -> booklet/economy/)."""
    path = uri[:-3]
    if path == "index" or path.endswith("/index"):
        path = path[: -len("index")]
    else:
        path += "/"
    return (site_url or "") + path


class BookletLinks:
    """Resolves links for print: to a chapter in this PDF, or to the page on the public site."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.chapter_slugs = {page.uri: page.chapter.slug for page in content.chapters}

    def resolve(self, uri: str, fragment: str) -> str:
        slug = self.chapter_slugs.get(uri)
        if slug is not None:
            return f"#{slug}--{fragment}" if fragment else f"#{chapter_anchor(slug)}"
        url = site_page_url(self.content.project.site_url, uri)
        return f"{url}#{fragment}" if fragment else url

    def resolve_file(self, uri: str) -> str | None:
        path = self.content.static.get(uri)
        return path.resolve().as_uri() if path else None

    def extension(self, page: Page) -> PrintLinks:
        return PrintLinks(page.uri, f"{page.chapter.slug}--", self.resolve, self.resolve_file)


def booklet_html(content: Content, paper: str | None = None) -> str:
    m = content.manifest
    links = BookletLinks(content)
    chapters = []
    for page in content.chapters:
        body = render_markdown(content.project, page.source.body, [links.extension(page)])
        chapters.append(PrintedChapter(page.chapter.number, page.title or page.chapter.slug,
                                       chapter_anchor(page.chapter.slug), body))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    template = env.get_template("booklet.html")
    for chapter in chapters:
        chapter.html = jinja2.utils.markupsafe.Markup(chapter.html)
    return template.render(
        m=m,
        chapters=chapters,
        subject=m.description or m.subtitle or m.title,
        keywords=", ".join(c.title for c in chapters),
        date_text=f"{m.date:%B} {m.date.day}, {m.date.year}",
        source_url=content.project.source_url,
        site_url=content.project.site_url,
        font_css=jinja2.utils.markupsafe.Markup(font_face_css(FONTS.as_uri() + "/")),
        page_size=PAPER_SIZES[paper] if paper else m.page_size,
    )


def build_booklet(content: Content, target: Path, paper: str | None = None) -> int:
    """Write the booklet PDF to `target`; returns its page count."""
    html = booklet_html(content, paper)
    return render_pdf(html, target, base_url=content.project.root, stylesheets=[CSS_DIR / "booklet.css"],
                      date=content.manifest.date, what=content.manifest.path)


__all__ = ["build_booklet", "booklet_html"]
