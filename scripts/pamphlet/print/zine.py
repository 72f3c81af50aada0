"""The one-sheet mini-zine: eight small pages (2.75 x 4.25 in) folded from one letter sheet with one cut.

A zine is made of a flier or a booklet chapter marked `zine: true`:

- page 1, the cover: the title (a chapter's number, title and booklet), the photo of a photo flier,
  the organization;
- pages 2 to 7: the text (a flier's sides without their first headline; a chapter's body), its
  type fitted (`pamphlet.print.fit`) to fill at most these six pages;
- page 8, the back cover: the call to action (the meetings in large type and a QR code).

`pamphlet.print.impose.impose_zine` then places the pages on the sheet, upside down where the fold
needs it. Text that does not fit six pages even at the smallest size is an error.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pamphlet.content import Content, Page, page_url, render_context, source_folders
from pamphlet.errors import SourceError
from pamphlet.i18n import translator
from pamphlet.markdown.context import page_context
from pamphlet.print.fit import fit, heading_sizes, measure_parts
from pamphlet.print.fliers import CAPTIONS, MEETINGS_PAGE, call_meetings, flier_meetings, qr_url
from pamphlet.print.handouts import HandoutLinks
from pamphlet.print.impose import impose_zine
from pamphlet.print.pdf import CSS_DIR, Markup, Printer, render_template
from pamphlet.printing import meetings_for_back, picture_file
from pamphlet.qr import qr_data_uri
from pamphlet.render import make_markdown
from pamphlet.sources.fliers import Flier

PARTS = {"zine-cover": ("zine-cover", 1), "zine-body": ("zine", 6), "zine-back": ("zine-back", 1)}
QR_MM = 25
FIRST_HEADLINE = re.compile(r"\A\s*#[ \t][^\n]*\n?")


@dataclass(frozen=True)
class Zine:
    """What a zine prints: its cover, its text (rendered HTML), and its back cover."""

    name: str  # the download is `<name>-zine.pdf`
    path: Path  # the source file, for messages
    line: int
    kicker: str | None  # above the title on the cover ("Chapter 2")
    title: str
    subtitle: str | None
    body: str
    photo: str | None
    alt: str | None
    meetings: list[dict]
    qr: dict
    accent: str | None = None


def flier_zine(content: Content, flier: Flier) -> Zine:
    text = "\n\n".join(side.markdown for side in flier.sides)
    md = make_markdown(content.project)
    photo = picture_file(content, flier.image) if flier.image else None
    url = qr_url(content, flier.qr) or page_url(content.project, MEETINGS_PAGE)
    caption = translator(content.manifest.language)(CAPTIONS.get(flier.qr or "meetings", CAPTIONS["home"]))
    return Zine(flier.name, flier.path, flier.sides[0].line, None, flier.title, None,
                md.convert(FIRST_HEADLINE.sub("", text, count=1)),
                quote(content.project.relative(photo)) if photo else None, flier.alt,
                call_meetings(flier_meetings(content, flier), content.manifest.language), _qr(url, caption),
                flier.accent)


def chapter_zine(content: Content, page: Page) -> Zine:
    md = make_markdown(content.project, [HandoutLinks(content, page).extension(page)])
    with page_context(render_context(content, page, for_print=True)):
        body = md.convert(FIRST_HEADLINE.sub("", page.source.body, count=1))
    m = content.manifest
    _ = translator(m.language)
    return Zine(page.chapter.slug, page.path, page.source.body_line, _("Chapter {number}", number=page.chapter.number),
                page.title or page.chapter.slug, m.title, body, None, None,
                call_meetings(meetings_for_back(content), m.language),
                _qr(page_url(content.project, page.uri), _("Read it online")))


def _qr(url: str | None, caption: str) -> dict:
    return {"url": url, "short": url.split("://", 1)[-1] if url else "", "caption": caption,
            "image": qr_data_uri(url, size_mm=QR_MM) if url else ""}


def zine_css(sizes: dict[str, float]) -> str:
    rules = []
    for pid, size in sizes.items():
        heads = heading_sizes(size, "zine")
        rules += [f"#{pid} {{ font-size: {size:.2f}pt; }}",
                  f"#{pid} h1 {{ font-size: {heads['h1']:.2f}pt; }}",
                  f"#{pid} h2 {{ font-size: {heads['h2']:.2f}pt; }}",
                  f"#{pid} h3 {{ font-size: {heads['h3']:.2f}pt; }}"]
    back = sizes.get("zine-back", 8.0)
    rules += [f"#zine-back .call-when {{ font-size: {max(back * 1.5, 10):.2f}pt; }}",
              f"#zine-back .call-where, #zine-back .call-title {{ font-size: {back:.2f}pt; }}",
              f".call-qr {{ width: {QR_MM}mm; height: {QR_MM}mm; }}"]
    return "\n".join(rules)


def build_zine(content: Content, zine: Zine, target: Path) -> int:
    """Write `<name>-zine.pdf`: the zine's eight pages imposed on one landscape letter sheet."""
    printer = Printer(base_url=content.project.root, allowed=source_folders(content.project),
                      stylesheets=[CSS_DIR / "flier.css", CSS_DIR / "zine.css"], what=zine.path)

    def html(sizes: dict[str, float], final: bool = False) -> str:
        return render_template("zine.html", m=content.manifest, zine=zine, body=Markup(zine.body),
                               zine_css=Markup(zine_css(sizes)), accent=zine.accent, final=final)

    result = fit(PARTS, lambda sizes: measure_parts(printer.layout(html(sizes)), list(PARTS)))
    if result.too_long:
        pid, measure = next(iter(result.too_long.items()))
        where = {"zine-cover": "cover", "zine-body": "text", "zine-back": "back cover"}[pid]
        pages = f"{measure.pages} pages; it has 6" if pid == "zine-body" else f"{max(measure.pages, 2)} pages"
        raise SourceError(f"the zine's {where} does not fit ({pages}); shorten it, or leave out `zine: true`",
                          zine.path, zine.line, code="zine-overflow")
    document = printer.layout(html(result.sizes, final=True))
    if len(document.pages) != 2 + measure_parts(document, ["zine-body"])["zine-body"].pages:
        document = printer.layout(html(result.sizes))  # never lose a page to the last touch
    with tempfile.TemporaryDirectory() as scratch:
        pages = Path(scratch) / "zine-pages.pdf"
        printer.save(document, pages)
        impose_zine(pages, target)
    return 1


__all__ = ["Zine", "build_zine", "chapter_zine", "flier_zine"]
