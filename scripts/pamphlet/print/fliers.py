"""Fliers and handouts, and the print-shop pack made from them: type sized to fill each page.

A flier is printed as parts, each on its own page: its sides (half-letter, or the handout's one
letter page), the quarter-sheet handbill, the poster's tabloid and letter pages. Each part's body
size is the largest at which it fits its page (`pamphlet.print.fit`); a spacer then pushes the part's
foot (the call to action, or the organization's line) to the bottom of the page, so every page is
full. A part that does not fit even at the smallest size is an error naming the flier and the side.

The call to action is the meetings from data/meetings.yml in large type (day, time, place; a
members' meeting says its place is sent to members) beside a QR code of at least 25 mm. It goes on
the side the flier's `call:` names; the handbill and the poster always carry it, with the front's
headline and first paragraph (a handbill is read in passing).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from pamphlet.content import Content, page_url, source_folders
from pamphlet.dates import format_time_range
from pamphlet.errors import SourceError
from pamphlet.i18n import N_, translator
from pamphlet.print.fit import BOUNDS, Measure, fit, heading_sizes, measure_parts
from pamphlet.print.impose import n_up_sheet
from pamphlet.print.pdf import CSS_DIR, Markup, Printer, render_template
from pamphlet.printing import picture_file
from pamphlet.qr import qr_data_uri
from pamphlet.render import make_markdown
from pamphlet.sources.fliers import QR_TARGETS, Flier

MEETINGS_PAGE = QR_TARGETS["meetings"]
MM = 72 / 25.4


@dataclass(frozen=True)
class Medium:
    """A kind of printed page: its size, margins, and the sizes of its call to action."""

    width: str
    height: str
    margin: str
    qr_mm: float  # the call's QR code, quiet zone included: 25 mm at least, for older phones
    when_pt: float  # the smallest size of the meeting's day and time in the call
    photo: float  # the photo's height, as a share of the page area


MEDIA: dict[str, Medium] = {
    "flier": Medium("5.5in", "8.5in", "0.45in", 30, 18, 0.36),
    "handout": Medium("8.5in", "11in", "0.6in", 32, 18, 0.3),
    "quarter": Medium("4.25in", "5.5in", "0.45in", 26, 13, 0.3),
    "poster-letter": Medium("8.5in", "11in", "0.5in", 50, 30, 0.34),
    "poster-tabloid": Medium("11in", "17in", "0.6in", 70, 44, 0.36),
}
# The QR code's caption, by the flier's `qr:` (English: translated where printed)
CAPTIONS = {"meetings": N_("Dates and changes"), "booklet": N_("Read the booklet"),
            "feedback": N_("Tell us what you think"), "home": N_("Find us online")}
WITHHELD = N_("Place sent to members")


@dataclass(frozen=True)
class Part:
    """One page of a flier document (see the module docstring)."""

    id: str  # the section's id, and its named page
    name: str  # for messages: "front", "back", "page", "quarter-sheet handbill", ...
    medium: str  # a key of MEDIA and of fit.BOUNDS
    design: str  # flier, photo, poster or handout: a key of fit.RATIOS
    markdown: str
    line: int  # where the side starts in the flier's file
    call: bool = False  # carries the call to action
    listing: bool = False  # ends with the meetings in plain type and a small code (the classic back)
    photo: bool = False
    size: float = 0.0  # the body size, points (set by the fit)
    spare: float = 0.0  # CSS px of space before the foot (set by the fit)


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


def call_meetings(meetings: list, language: str) -> list[dict]:
    """The meetings as the call prints them: title, day, time, and where (withheld for members)."""
    found = []
    for m in meetings:
        if m.kind == "open":
            where = [", ".join(p for p in (m.place, m.room) if p)] + ([m.address] if m.address else [])
        else:
            where = [translator(language)(WITHHELD)]
        found.append({"title": m.title, "members": m.kind != "open", "day": m.rule.describe(language=language),
                      "time": format_time_range(m.start, m.end, language=language), "where": where})
    return found


def lede(markdown: str) -> str:
    """The headline and the first paragraph of a side's Markdown (blocks separated by blank lines)."""
    blocks = [b for b in "\n".join(line.rstrip() for line in markdown.split("\n")).split("\n\n") if b.strip()]
    kept: list[str] = []
    for block in blocks:
        kept.append(block)
        if not block.lstrip().startswith("#"):
            break
    return "\n\n".join(kept)


def flier_parts(flier: Flier) -> list[Part]:
    """The flier's own sides, as its layout and `call:` set them."""
    medium = "handout" if flier.is_handout else "flier"
    parts = []
    for index, side in enumerate(flier.sides):
        call = index == flier.call_side
        parts.append(Part(f"side-{index + 1}", flier.side_name(index), medium, flier.layout, side.markdown,
                          side.line, call=call and (flier.is_handout or flier.call == "front"),
                          listing=call and not flier.is_handout and flier.call == "back",
                          photo=index == 0 and flier.layout == "photo"))
    return parts


def handbill_parts(flier: Flier, media: list[str], names: list[str]) -> list[Part]:
    """The front's headline and first paragraph with the call, on each of `media` (handbill, poster)."""
    design = flier.layout if flier.layout in ("photo", "poster") else "flier"
    if design == "flier" and any(m.startswith("poster") for m in media):
        design = "poster"
    front = flier.sides[0]
    return [Part(f"part-{i + 1}", name, medium, design, lede(front.markdown), front.line, call=True,
                 photo=flier.layout == "photo") for i, (medium, name) in enumerate(zip(media, names))]


def part_css(parts: list[Part], accent: str | None) -> str:
    """The sizes the fit chose, the named pages, and the accent colour, as CSS."""
    rules = []
    for part in parts:
        medium = MEDIA[part.medium]
        heads = heading_sizes(part.size, part.design)
        when = max(medium.when_pt, min(heads["h2"], medium.when_pt * 1.5))  # large, never louder than the headline
        rules += [
            f"@page {part.id} {{ size: {medium.width} {medium.height}; margin: {medium.margin}; }}",
            f"#{part.id} {{ page: {part.id}; font-size: {part.size:.2f}pt; }}",
            f"#{part.id} h1 {{ font-size: {heads['h1']:.2f}pt; }}",
            f"#{part.id} h2 {{ font-size: {heads['h2']:.2f}pt; }}",
            f"#{part.id} h3 {{ font-size: {heads['h3']:.2f}pt; }}",
            f"#{part.id} .call-when {{ font-size: {when:.2f}pt; }}",
            f"#{part.id} .call-where, #{part.id} .call-title {{ font-size: {max(when * 0.55, part.size):.2f}pt; }}",
            f"#{part.id} .call-qr {{ width: {medium.qr_mm}mm; height: {medium.qr_mm}mm; }}",
            f"#{part.id} .call-code {{ width: {medium.qr_mm + 12}mm; }}",
            f"#{part.id} .call-caption, #{part.id} .call-org {{ font-size: {max(when * 0.4, 7):.2f}pt; }}",
            f"#{part.id} .call-code-only .call-caption, #{part.id} .call-code-only .call-org "
            f"{{ font-size: {part.size:.2f}pt; }}",
            f"#{part.id} .side-photo {{ height: {medium.photo * 100:.0f}vh; }}",
        ]
    if accent:
        rules.append(f".side h1, .side h2 {{ color: {accent}; }} "
                     f".call, .side-org, .flier-footer {{ border-color: {accent}; }}")
    return "\n".join(rules)


class FlierPrinter:
    """Lays out a flier's parts, fits their type, and writes the PDF."""

    def __init__(self, content: Content, flier: Flier) -> None:
        self.content = content
        self.flier = flier
        self.printer = Printer(base_url=content.project.root, allowed=source_folders(content.project),
                               stylesheets=[CSS_DIR / "flier.css"], what=flier.path)
        self._md = make_markdown(content.project)
        self._html: dict[str, str] = {}  # Markdown -> HTML: each side is converted once, laid out many times
        url = qr_url(content, flier.qr)
        language = content.manifest.language
        self.qr = {"url": url, "short": url.split("://", 1)[-1] if url else "",
                   "caption": translator(language)(CAPTIONS.get(flier.qr or "", CAPTIONS["home"])),
                   "image": qr_data_uri(url, size_mm=30) if url else ""}
        self.meetings = flier_meetings(content, flier)
        self.call_meetings = call_meetings(self.meetings, language)
        photo = picture_file(content, flier.image) if flier.image else None
        self.photo = quote(content.project.relative(photo)) if photo else None

    def _convert(self, markdown: str) -> str:
        if markdown not in self._html:
            self._html[markdown] = self._md.reset().convert(markdown)
        return self._html[markdown]

    def html(self, parts: list[Part]) -> str:
        content, flier = self.content, self.flier
        rendered = [{"part": p, "html": Markup(_prefix_ids(self._convert(p.markdown), p.id))} for p in parts]
        return render_template(
            "flier.html", m=content.manifest, flier=flier, parts=rendered,
            part_css=Markup(part_css(parts, flier.accent)), meetings=self.meetings, call_meetings=self.call_meetings,
            meetings_url=page_url(content.project, MEETINGS_PAGE), qr=self.qr, photo=self.photo,
            site=(content.project.site_url or "").split("://", 1)[-1].rstrip("/"))

    def fitted(self, parts: list[Part], what: str = "") -> tuple[object, list[Part]]:
        """The laid-out document with every part's type fitted and its foot at the page bottom."""

        def lay_out(sizes: dict[str, float]) -> dict[str, Measure]:
            trial = [replace(p, size=sizes[p.id]) for p in parts]
            return measure_parts(self.printer.layout(self.html(trial)), [p.id for p in parts])

        start = {p.id: _start(p) for p in parts}
        result = fit({p.id: (p.medium, 1) for p in parts}, lay_out, start)
        for part in parts:
            if part.id in result.too_long:
                pages = max(result.too_long[part.id].pages, 2)
                place = f" of the {what}" if what else ""
                raise SourceError(f"the {part.name}{place} does not fit on its page ({pages} pages); shorten it",
                                  self.flier.path, part.line, code="flier-overflow")
        final = [replace(p, size=result.sizes[p.id], spare=max(result.measures[p.id].spare - 2, 0)) for p in parts]
        document = self.printer.layout(self.html(final))
        measures = measure_parts(document, [p.id for p in final])
        if any(m.pages != 1 for m in measures.values()):  # the spacer never should; but never lose a page
            final = [replace(p, spare=0.0) for p in final]
            document = self.printer.layout(self.html(final))
        return document, final

    def save(self, document, target: Path) -> int:
        return self.printer.save(document, target)


def _prefix_ids(html: str, prefix: str) -> str:
    """Anchors of one part, made unique in the document (the same headline may be on several parts)."""
    return html.replace(' id="', f' id="{prefix}--').replace(' href="#', f' href="#{prefix}--')


def _start(part: Part) -> float:
    """A first trial between the medium's bounds: nearer the top for short texts."""
    low, high = BOUNDS[part.medium]
    words = len(part.markdown.split())
    return low + (high - low) * (0.6 if words < 60 else 0.4 if words < 160 else 0.2)


def build_flier(content: Content, flier: Flier, target: Path) -> int:
    """Write the flier's PDF (its sides, or the handout's page); a side that cannot fit is an error."""
    printer = FlierPrinter(content, flier)
    document, _ = printer.fitted(flier_parts(flier))
    return printer.save(document, target)


def build_bilingual(pairs: list[tuple[Content, Flier]], target: Path) -> int:
    """A flier in two languages: each language's front (with the call to action), one after the
    other, each laid out and fitted in its own language, written as one PDF."""
    documents, printer = [], None
    for index, (content, flier) in enumerate(pairs):
        printer = FlierPrinter(content, flier)
        front = replace(flier_parts(flier)[0], id=f"side-{index + 1}", call=True, listing=False)
        document, _ = printer.fitted([front], "front")
        documents.append(document)
    first = documents[0]
    return printer.save(first.copy([page for document in documents for page in document.pages]), target)


def build_quarter(content: Content, flier: Flier, target: Path) -> int:
    """`<flier>-quarter.pdf`: four handbills (the front's headline, first paragraph and the call) on
    one letter page, with cut marks."""
    printer = FlierPrinter(content, flier)
    document, _ = printer.fitted(handbill_parts(flier, ["quarter"], ["front"]), "quarter-sheet handbill")
    with tempfile.TemporaryDirectory() as scratch:
        single = Path(scratch) / "handbill.pdf"
        printer.save(document, single)
        return n_up_sheet(single, target, copies=4, sheet="letter").pages


def build_poster(content: Content, flier: Flier, target: Path) -> int:
    """`<flier>-poster.pdf`: the front's headline, first paragraph and the call in big type; page 1
    tabloid (11 x 17 in), page 2 letter."""
    printer = FlierPrinter(content, flier)
    parts = handbill_parts(flier, ["poster-tabloid", "poster-letter"], ["front", "front"])
    document, _ = printer.fitted(parts, "poster")
    return printer.save(document, target)


__all__ = ["MEDIA", "Part", "build_bilingual", "build_flier", "build_poster", "build_quarter", "call_meetings",
           "flier_meetings", "flier_parts", "handbill_parts", "lede", "qr_url"]
