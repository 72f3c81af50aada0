"""HTML to PDF with WeasyPrint: shipped fonts only, reproducible bytes, warnings as errors, a sandboxed
fetcher."""

from __future__ import annotations

import functools
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import jinja2
from markupsafe import Markup, escape

from pamphlet.assets import ASSETS, FONTS, font_face_css
from pamphlet.errors import SourceError, WarningCapture
from pamphlet.i18n import is_source, translator
from pamphlet.print.fonts import isolate_fontconfig
from pamphlet.print.sandbox import SandboxFetcher, attachments

CSS_DIR = Path(__file__).parent
TEMPLATES = CSS_DIR / "templates"


def template_gettext(language: str):
    """The print templates' `_`: a template's text in `language`, as HTML (the text escaped, then
    its `{name}` placeholders filled, each escaped unless it is `Markup`)."""
    translate = translator(language)

    def _(message: str, **values) -> Markup:
        text = escape(translate(message))
        return text.format(**values) if values else text

    return _


def css_string(text: str) -> str:
    """`text` as a CSS string, for `content:`."""
    return '"' + "".join(c if c.isalnum() or c in " .,:;-()" else f"\\{ord(c):06x}" for c in text) + '"'


def language_css(language: str) -> str:
    """The words print stylesheets write themselves (`content:`), in `language`: rules that override
    booklet.css's English ones. English needs none."""
    if is_source(language):
        return ""
    _ = translator(language)
    cited_on, page = css_string(_("Cited on") + " "), css_string(_("p.") + "\u00a0")
    return (f"\n.reference-backrefs::before {{ content: {cited_on}; }}\n"
            f".reference-backref::after {{ content: {page} target-counter(attr(href), page); }}\n"
            f".reference-backref:not(:empty)::before {{ content: {page}; }}\n")


def render_template(name: str, language: str | None = None, **context) -> str:
    """A print template (templates/), with the shipped fonts' @font-face rules as `font_css`, and
    its words in `language` (by default the manifest's, `m.language`): `_` and `language` are
    globals, so macros see them too.

    Values marked with `Markup` (rendered Markdown) go in as HTML; everything else is escaped.
    """
    if language is None:
        language = context["m"].language if "m" in context else "en"
    context.setdefault("page_size", None)
    return _environment(language).get_template(name).render(font_css=Markup(font_face_css(FONTS.as_uri() + "/")),
                                                            **context)


@functools.lru_cache(maxsize=8)
def _environment(language: str) -> jinja2.Environment:
    """The print templates' environment in `language`, made once per process (templates compiled
    once; Jinja reloads one whose file changed)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(_=template_gettext(language), language=language, language_css=Markup(language_css(language)))
    return env


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
        self._parsed: tuple[list[str], list] = ([], [])  # the stylesheets' names, and their parsed CSS

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

    def _parsed_stylesheets(self, css_class) -> list:
        """The stylesheets, parsed once per printer (a piece-by-piece booklet lays out many documents)."""
        names = [str(s) for s in self.stylesheets]
        if self._parsed[0] != names:  # (`stylesheets` may be changed after the printer is made)
            self._parsed = (names, [css_class(filename=name) for name in names])
        return self._parsed[1]

    def layout(self, html: str):
        from weasyprint import CSS, HTML  # imported late: fontconfig must be isolated first

        with self._watch():
            document = HTML(string=html, base_url=str(self.base_url), url_fetcher=self.fetcher).render(
                stylesheets=self._parsed_stylesheets(CSS))
        embedded = attachments(document)
        if embedded:
            raise SourceError(f"attachments are not allowed in print: {', '.join(embedded)}", self.what,
                              code="print-attachment")
        return document

    def save_piece(self, document, target: Path) -> int:
        """Write a piece of a larger PDF (`pamphlet.print.assemble`): a link to an anchor that is not
        in this document goes to another piece, and is written for `assemble` to resolve."""
        from pamphlet.print.assemble import DEST_PREFIX

        anchors = {anchor for page in document.pages for anchor in page.anchors}
        for page in document.pages:
            page.links[:] = [("external", DEST_PREFIX + target_, rectangle, box)
                             if kind == "internal" and target_ not in anchors else (kind, target_, rectangle, box)
                             for kind, target_, rectangle, box in page.links]
        return self.save(document, target)

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
