"""One page of the site on letter paper, with its own References: a chapter for a reading group,
or the FAQ as a handout."""

from __future__ import annotations

from pathlib import Path

from pamphlet.content import Content, Page, page_url, render_context, source_folders
from pamphlet.dates import format_date
from pamphlet.i18n import translator
from pamphlet.markdown.context import page_context
from pamphlet.print.booklet import BookletLinks
from pamphlet.print.pdf import CSS_DIR, Markup, Printer, render_template
from pamphlet.render import PrintLinks, make_markdown


def handout_prefix(page: Page) -> str:
    return (page.chapter.slug if page.chapter else page.uri[:-3].replace("/", "-")) + "--"


class HandoutLinks(BookletLinks):
    """Links from a page printed alone: to itself inside the PDF, to anything else on the site."""

    def __init__(self, content: Content, page: Page) -> None:
        super().__init__(content)
        self.page = page

    def resolve(self, uri: str, fragment: str) -> str:
        if uri == self.page.uri:
            return f"#{handout_prefix(self.page)}{fragment}" if fragment else "#handout"
        return page_url(self.content.project, uri, fragment or None) or "#"

    def extension(self, page: Page) -> PrintLinks:
        return PrintLinks(page.uri, handout_prefix(page), self.resolve, self.resolve_file)


def handout_html(content: Content, page: Page, label: str) -> str:
    md = make_markdown(content.project, [HandoutLinks(content, page).extension(page)])
    with page_context(render_context(content, page, for_print=True)):
        body = md.convert(page.source.body)
    m = content.manifest
    return render_template(
        "handout.html", m=m, title=page.title or label, label=label, body=Markup(body),
        url=page_url(content.project, page.uri), date_text=format_date(m.date, language=m.language))


def build_handout(content: Content, page: Page, target: Path) -> int:
    _ = translator(content.manifest.language)
    label = _("Chapter {number}", number=page.chapter.number) if page.chapter else page.title or ""
    printer = Printer(base_url=content.project.root, allowed=source_folders(content.project),
                      stylesheets=[CSS_DIR / "booklet.css", CSS_DIR / "handout.css"],
                      what=page.path)
    return printer.save(printer.layout(handout_html(content, page, label)), target)
