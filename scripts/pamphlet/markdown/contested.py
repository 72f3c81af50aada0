"""Python-Markdown extension: render `!!! contested "reason"` blocks as marked, answerable passages.

The standard `admonition` extension parses the block (so lists, nesting and indentation behave
exactly like any other box); this extension then turns each `div.admonition.contested` into::

    <aside class="contested" id="contested-ID" data-since="2026-10-06">
      <p class="contested-banner">
        <span class="contested-icon" aria-hidden="true"></span>   (a flag, drawn by CSS)
        <span class="contested-label">Contested:</span>
        <span class="contested-reason">REASON</span>
        <span class="contested-since">Disputed since October 6, 2026</span>
      </p>
      <div class="contested-body">…the passage…</div>
      <p class="feedback-links">(Suggest an edit · Open an issue · Email us · Discussion)</p>
      <div class="contested-print">QR code + short URL</div>   (print only)
    </aside>

Validation with file and line happens earlier, in `pamphlet.sources.contested` (markdown-it-py).
"""

from __future__ import annotations

import datetime as dt
import logging
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from pamphlet.dates import format_date
from pamphlet.errors import SourceError
from pamphlet.i18n import N_, gettext, translator
from pamphlet.markdown.context import PageContext, current
from pamphlet.sources.analysis import slugify
from pamphlet.sources.contested import block_id, parse_meta_lines

log = logging.getLogger("pamphlet.contested")
_WARNED: list[bool] = []  # warn once per process, not once per page


def date_text(date: dt.date, language: str = "en") -> str:
    return format_date(date, language=language)


def _language(context: PageContext | None) -> str:
    return context.language if context is not None else "en"


def feedback_paragraph(links: list, css_class: str = "feedback-links") -> etree.Element:
    p = etree.Element("p", {"class": css_class})
    for index, link in enumerate(links):
        a = etree.SubElement(p, "a", {"href": link.url, "class": f"feedback-link feedback-{link.kind}"})
        a.text = link.label
        if index < len(links) - 1:
            a.tail = " · "
    return p


class ContestedProcessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        context = current()
        if context is not None and context.page_marker is not None:
            self._page_banner(root, context)
        blocks = [(parent, child) for parent in root.iter() for child in parent
                  if child.tag == "div" and "contested" in (child.get("class") or "").split()
                  and "admonition" in (child.get("class") or "").split()]
        if blocks and context is None and not _WARNED:
            _WARNED.append(True)
            log.warning("contested sections are rendered without feedback links: the site engine did "
                        "not say which page it renders (see pamphlet.markdown.context)")
        # Each block finds its marker (validated by `check`, with its line) by identity: its `id:`
        # line or its reason. Should the two parsers ever disagree, that is an error, never a
        # silent mismatch of reasons and feedback links.
        unmatched = {m.id: m for m in context.markers} if context is not None else {}
        for parent, div in blocks:
            marker = None
            if context is not None:
                reason, meta = _title_and_meta(div)
                marker = unmatched.pop(block_id(reason or "", meta.get("id")), None)
                if marker is None:
                    raise SourceError(f"the contested block \"{reason}\" was not found by the checker (pamphlet "
                                      "check): please report this as a bug in pamphlet", context.file)
            self._convert(parent, div, marker, context)
        if unmatched and blocks:
            first = min(unmatched.values(), key=lambda m: m.line)
            raise SourceError(f"the contested block \"{first.reason}\" was not rendered as one: please report this "
                              "as a bug in pamphlet", first.path, first.line)

    def _page_banner(self, root: etree.Element, context: PageContext) -> None:
        """A whole contested page: the banner goes right after the page's title."""
        marker = context.page_marker
        aside = banner_element(marker.reason, marker.since, "contested-page", N_("Contested page:"), context.language)
        aside.set("class", "contested contested-page")
        add_answers(aside, context, marker)
        children = list(root)
        position = next((i + 1 for i, child in enumerate(children) if child.tag == "h1"), 0)
        root.insert(position, aside)

    def _convert(self, parent: etree.Element, div: etree.Element, marker, context: PageContext | None) -> None:
        reason, meta = _title_and_meta(div)
        children = list(div)
        body = children[1:] if children and children[0].get("class") == "admonition-title" else children
        if meta:
            body = body[1:]
        if marker is not None:
            reason, since, discussion, anchor = marker.reason, marker.since, marker.discussion, marker.anchor
        else:
            since = _date(meta.get("since"))
            discussion = meta.get("discussion")
            anchor = "contested-" + (meta.get("id") or slugify(reason or "section") or "section")

        aside = banner_element(reason, since, anchor, N_("Contested:"), _language(context))
        content = etree.SubElement(aside, "div", {"class": "contested-body"})
        content.extend(body)
        if marker is not None:
            add_answers(aside, context, marker)
        elif discussion:
            label = gettext(_language(context), "Read the discussion")
            aside.append(feedback_paragraph([_Link("discussion", label, discussion)]))
        index = list(parent).index(div)
        parent.remove(div)
        parent.insert(index, aside)


def _title_and_meta(div: etree.Element) -> tuple[str | None, dict[str, str]]:
    """A contested div's reason (its title, still raw text: this runs before inline patterns) and
    the `key: value` lines that open its body, if any."""
    children = list(div)
    title = children[0] if children and children[0].get("class") == "admonition-title" else None
    body = children[1:] if title is not None else children
    meta: dict[str, str] = {}
    if body and body[0].tag == "p" and body[0].text and len(body[0]) == 0:
        meta = parse_meta_lines(body[0].text.split("\n")) or {}
    return (title.text if title is not None else None), meta


def banner_element(reason: str | None, since: dt.date | None, anchor: str, label_text: str,
                   language: str = "en") -> etree.Element:
    """The banner: `label_text` (English, translated here into `language`), the reason, the date."""
    _ = translator(language)
    label_text = _(label_text)
    reason = reason or _("(no reason given)")
    # An <aside> with a name: screen readers announce it as "Contested: <reason>", a landmark one
    # can jump to (and, with a name each, the passages of a page are told apart).
    aside = etree.Element("aside", {"class": "contested", "id": anchor,
                                    "aria-label": f"{label_text} {reason}"})
    if since:
        aside.set("data-since", since.isoformat())
    banner = etree.SubElement(aside, "p", {"class": "contested-banner"})
    etree.SubElement(banner, "span", {"class": "contested-icon", "aria-hidden": "true"})  # CSS draws a flag
    label = etree.SubElement(banner, "span", {"class": "contested-label"})
    label.text = label_text
    label.tail = " "
    text = etree.SubElement(banner, "span", {"class": "contested-reason"})
    # plain text, as written (like the generated pages and print): no Markdown, HTML or citations
    text.text = AtomicString(reason)
    if since:
        text.tail = " "
        when = etree.SubElement(banner, "span", {"class": "contested-since"})
        when.text = _("Disputed since {date}", date=date_text(since, language))
    return aside


def add_answers(aside: etree.Element, context: PageContext | None, marker) -> None:
    """The ways to answer: feedback links, the discussion, and on paper a QR code."""
    links = contested_links(context, marker, marker.reason)
    if marker.discussion:
        links.append(_Link("discussion", gettext(_language(context), "Read the discussion"), marker.discussion))
    if links:
        aside.append(feedback_paragraph(links))
    if context is not None and context.print and context.feedback_page:
        url = context.feedback_page(marker)
        if url:
            aside.append(print_feedback(url, context.language))


class _Link:
    def __init__(self, kind: str, label: str, url: str) -> None:
        self.kind, self.label, self.url = kind, label, url


def contested_links(context: PageContext | None, marker, reason: str | None) -> list:
    """Suggest an edit / Open an issue / Email us, for this section of this page."""
    if context is None or context.feedback is None:
        return []
    from pamphlet.feedback import FeedbackTarget, feedback_links

    target = FeedbackTarget(page_title=context.title, page_url=_with_anchor(context.url, marker),
                            source=context.source, line=marker.line if marker else None,
                            section=reason)
    return list(feedback_links(context.feedback, target, context.warn, context.language))


def print_feedback(url: str, language: str = "en") -> etree.Element:
    """The QR code and the short URL that carry a printed section's feedback page."""
    from pamphlet.qr import qr_data_uri

    _ = translator(language)
    box = etree.Element("div", {"class": "contested-print"})
    etree.SubElement(box, "img", {"class": "contested-qr", "alt": _("QR code: {url}", url=url),
                                  "src": qr_data_uri(url, size_mm=16)})
    caption = etree.SubElement(box, "span", {"class": "contested-url"})
    caption.text = AtomicString(_("Tell us what you think: {address}", address=url.split("://", 1)[-1]))
    return box


def _with_anchor(url: str | None, marker) -> str | None:
    if url is None or marker is None or marker.kind == "page":
        return url
    return f"{url}#{marker.anchor}"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class ContestedExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the block parser (admonition made the divs), before inline patterns (priority 20)
        # so the meta lines are still raw text.
        md.treeprocessors.register(ContestedProcessor(md), "pamphlet_contested", 25)


def makeExtension(**kwargs) -> ContestedExtension:
    return ContestedExtension(**kwargs)
