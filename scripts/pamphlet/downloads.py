"""Every file the build offers for download, planned from the sources before anything is printed.

The plan names each file (stable, descriptive names: people share these links), says what paper
it is for and how to print it. The site's "Print & share" page is made from the plan, and the
print stage makes exactly these files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pamphlet.content import Content
from pamphlet.dates import language_name
from pamphlet.errors import SourceError
from pamphlet.i18n import N_, translator
from pamphlet.paper import PAPERS
from pamphlet.printing import zine_chapters

DOWNLOADS = "downloads"  # inside the built site
THUMBS = "thumbs"  # first-page previews, inside downloads/
FAQ_PDF = "faq.pdf"
# The headings of the Print & share page, in order (English: `Download.group` is a key; the page
# translates it). The texts below are English too, translated where the plan is made.
GROUPS = (N_("The booklet"), N_("Fliers"), N_("Posters"), N_("Handouts"), N_("Mini-zines"),
          N_("Reading-group handouts"), N_("Grayscale copies"))
GRAY_GUIDE = N_("The same file in shades of gray only, for copy shops that charge for colour.")
QUARTER_GUIDE = N_("Four handbills on one page: print on letter paper, one-sided, at 100% (no scaling). Stack the "
                 "sheets and cut once across and once down, along the marks at the edges: four 4.25 × 5.5 in "
                 "handbills per sheet.")
POSTER_GUIDE = N_("A poster for bulletin boards: page 1 is tabloid (11 × 17 in), page 2 letter (8.5 × 11 in). "
                "Print the page that matches your paper, one-sided, at 100%.")
EBOOK_LABEL = N_("E-book (EPUB 3)")
FLIER_GUIDE = N_("The flier itself, front and back: for screens, or for half-letter paper.")
HANDOUT_GUIDE = N_("One page: print on letter paper, one-sided.")
EPUB_GUIDE = N_("The booklet as an e-book: the text reflows to your screen, in the font and size you choose, and "
              "works with screen readers. Open it in an e-book reader app (Apple Books, Google Play Books, "
              "Thorium, Calibre, or a Kobo or PocketBook reader).")
ZINE_GUIDE = N_("Eight small pages from one sheet, with no stapler: print on letter paper, one-sided, at 100%. "
              "Crease it into eight panels, fold it in half left to right and cut along the dashed line from the "
              "fold to the next crease; open it, fold it in half top to bottom (print outside), push the ends "
              "together so the cut opens, and fold the pages around the front cover. See the folding diagram on "
              "this page.")


@dataclass(frozen=True)
class Download:
    file: str  # name inside downloads/
    title: str
    group: str  # a heading on the Print & share page (English, one of GROUPS, or a name of its own)
    paper: str | None  # a name from `pamphlet.paper.PAPERS`; None: not for paper (the EPUB)
    guide: str  # how to print it
    source: Path | None = None  # the file it is made from, and the line that names it (for messages)
    line: int | None = None
    landscape: bool = False
    diagram: bool = False  # a mini-zine: Print & share shows how to fold it
    gray_of: str | None = None  # a grayscale copy (`print: {grayscale: true}`) of this file
    language: str = "en"  # the language of `title`, `guide` and `paper_label`

    @property
    def href(self) -> str:
        return f"{DOWNLOADS}/{self.file}"

    @property
    def is_pdf(self) -> bool:
        return self.file.endswith(".pdf")

    @property
    def thumbnail(self) -> str | None:
        """The first page's preview; PDFs only (an e-book has no fixed first page)."""
        return f"{DOWNLOADS}/{THUMBS}/{self.file[:-4]}.png" if self.is_pdf else None

    @property
    def paper_label(self) -> str:
        if self.paper:
            return PAPERS[self.paper].label(landscape=self.landscape, language=self.language)
        return translator(self.language)(EBOOK_LABEL)


def booklet_file(content: Content, suffix: str = "", extension: str = ".pdf") -> str:
    stem = content.manifest.download[:-4]
    return f"{stem}{suffix}{extension}"


def epub_file(content: Content) -> str:
    """The booklet's EPUB, named as the booklet's PDF (booklet.pdf -> booklet.epub)."""
    return booklet_file(content, extension=".epub")


def faq_page(content: Content):
    """The FAQ's page, if the site has one."""
    if content.faq is None:
        return None
    return next((p for p in content.pages.values() if p.path and p.path.resolve() == content.faq.path.resolve()), None)


def plan(content: Content) -> list[Download]:
    """Every download of the build: this edition's, then each translated edition's (a translated
    edition's own plan is its files only)."""
    if content.translated:
        return edition_plan(content)
    return source_plan(content) + [d for translated in content.editions.values() for d in edition_plan(translated)]


def bilingual_file(content: Content, flier) -> str:
    """A translated flier's two-language copy: the original's front, then the translation's."""
    return f"{flier.name[:-len(content.language) - 1]}-{content.source.language}-{content.language}.pdf"


def booklet_and_imposed(content: Content, group: str) -> list[Download]:
    """The booklet and its copy-shop imposition, in the edition's language, under `group`."""
    m = content.manifest
    _ = translator(m.language)
    where = {"source": m.path, "line": m.line("download"), "language": m.language}
    return [
        Download(booklet_file(content), _("{title} (the booklet)", title=m.title), group, m.paper,
                 _("For reading on screen, or printing at home double-sided."), **where),
        Download(booklet_file(content, "-imposed"), _("{title}, imposed for a copy shop", title=m.title), group,
                 "letter", _("For folding and stapling: print on letter paper, double-sided, flipped on the short "
                             "edge, at 100% (no scaling). Fold the stack in half and staple twice along the fold."),
                 landscape=True, **where),
    ]


def edition_plan(content: Content) -> list[Download]:
    """A translated edition's downloads, in its language, grouped under the language's own name
    (the same on every edition's Print & share page): the booklet and its imposed copy, each
    translated flier (and its two-language copy) and handout."""
    language = content.language
    group = language_name(language)
    _ = translator(language)

    def download(file: str, title: str, paper: str, guide: str, source, line=None, **kwargs) -> Download:
        return Download(file, title, group, paper, guide, source, line, **kwargs, language=language)

    files = booklet_and_imposed(content, group)
    both = _("{first} and {second}", first=language_name(content.source.language, language),
             second=language_name(language, language))
    for flier in content.fliers:
        if flier.is_handout:
            files.append(download(f"{flier.name}.pdf", flier.title, "letter", _(HANDOUT_GUIDE), flier.path))
            continue
        files.append(download(f"{flier.name}.pdf", flier.title, "half-letter", _(FLIER_GUIDE), flier.path))
        files.append(download(bilingual_file(content, flier), _("{title}, in {languages}", title=flier.title,
                                                                 languages=both), "half-letter",
                              _("One flier in two languages: its front in each. Print on half-letter paper, "
                                "double-sided."), flier.path))
    return files


def source_plan(content: Content) -> list[Download]:
    m = content.manifest
    language = m.language
    _ = translator(language)

    def download(file: str, title: str, group: str, paper: str | None, guide: str, *args, **kwargs) -> Download:
        return Download(file, title, group, paper, guide, *args, **kwargs, language=language)

    files = booklet_and_imposed(content, GROUPS[0]) + [
        download(booklet_file(content, "-large-print"), _("{title}, large print", title=m.title), GROUPS[0], "letter",
                 _("The same booklet in large type (16 pt) on letter paper, with its own page numbers: for "
                   "reading on paper or on screen. Print double-sided."), m.path, m.line("download")),
        download(epub_file(content), _("{title} (e-book)", title=m.title), GROUPS[0], None, _(EPUB_GUIDE), m.path,
                 m.line("download")),
    ]
    for flier in content.fliers:
        if not flier.is_handout:
            files.append(download(f"{flier.name}.pdf", flier.title, GROUPS[1], "half-letter", _(FLIER_GUIDE),
                                  flier.path))
            files.append(download(f"{flier.name}-sheet.pdf", _("{title}, two per sheet", title=flier.title),
                                  GROUPS[1], "letter",
                                  _("Print on letter paper, double-sided, flipped on the short edge, at 100%. "
                                    "Cut each sheet in half along the marks: two fliers per sheet."),
                                  landscape=True, source=flier.path))
            files.append(download(f"{flier.name}-quarter.pdf",
                                  _("{title}, quarter-sheet handbills", title=flier.title), GROUPS[1],
                                  "letter", _(QUARTER_GUIDE), flier.path))
            files.append(download(f"{flier.name}-poster.pdf", _("{title}, poster", title=flier.title), GROUPS[2],
                                  "tabloid", _(POSTER_GUIDE), flier.path))
        else:
            files.append(download(f"{flier.name}.pdf", flier.title, GROUPS[3], "letter",
                                  _(HANDOUT_GUIDE), flier.path))
    for flier in content.fliers:
        if flier.zine:
            files.append(download(f"{flier.name}-zine.pdf", _("{title}, as a mini-zine", title=flier.title),
                                  GROUPS[4], "letter", _(ZINE_GUIDE), flier.path, landscape=True, diagram=True))
    for page in zine_chapters(content):
        files.append(download(f"{page.chapter.slug}-zine.pdf",
                              _("Chapter {number}: {title}, as a mini-zine", number=page.chapter.number,
                                title=page.title),
                              GROUPS[4], "letter", _(ZINE_GUIDE), page.path, landscape=True, diagram=True))
    if faq_page(content) is not None:
        files.append(download(FAQ_PDF, _("Frequently asked questions"), GROUPS[3], "letter",
                              _("The FAQ as a handout: print on letter paper, double-sided."),
                              content.faq.path))
    for page in content.chapters:
        files.append(download(f"chapter-{page.chapter.slug}.pdf",
                              _("Chapter {number}: {title}", number=page.chapter.number, title=page.title),
                              GROUPS[5], "letter",
                              _("One chapter with its own works cited, for a reading group taking the booklet a "
                                "chapter at a time. Print on letter paper, double-sided."),
                              page.chapter.path))
    order = {group: n for n, group in enumerate(GROUPS)}
    files = sorted(files, key=lambda d: order.get(d.group, len(order)))  # each group's files together
    if m.grayscale:
        files += [download(f"{d.file[:-4]}-grayscale.pdf", _("{title}, in grayscale", title=d.title), GROUPS[6],
                           d.paper, _(GRAY_GUIDE) + " " + d.guide, d.source, d.line, d.landscape, gray_of=d.file)
                  for d in files if d.is_pdf]
    return files


def check_downloads(content: Content) -> list[SourceError]:
    """Two downloads with the same name would overwrite each other (`download: faq.pdf` in the
    manifest would replace the booklet by the FAQ): an error at the later one's source."""
    errors, seen = [], {}
    for download in plan(content):
        first = seen.setdefault(download.file, download)
        if first is not download:
            # report it where the name was chosen (`download:` in the manifest), if it was
            at, other = (first, download) if first.line and not download.line else (download, first)
            errors.append(SourceError(f"the download `{at.file}` ({at.title}) has the same name as "
                                      f"{other.title}; rename one of them", at.source or other.source,
                                      at.line, code="download-collision"))
    return errors
