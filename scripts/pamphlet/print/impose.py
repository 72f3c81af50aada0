"""Imposition for the copy shop: saddle-stitched booklets, several fliers per sheet, mini-zines.

Each function reads a PDF of finished pages (the booklet's, a flier's half-letter pages, a zine's
eight small pages) and writes a PDF of press sheets, each page of the output being one side of a
sheet. Each source page
is turned once into a Form XObject and placed (translated, clipped) on the sheets; its links are
dropped, since a printed sheet has none.

Duplex: both layouts are made for printing double-sided with the sheet **flipped on the short
edge** (the usual setting for landscape booklets: turning the sheet over about its short side
keeps both sides upright). For a printer that only flips on the long edge, pass `flip="long"`:
every back side is then turned by 180 degrees so the result is the same.

The output is reproducible: the same input and options give the same bytes (no timestamps; the
file /ID is a hash of the input and the options). The source's document information (title,
author, ...) is kept, with the title marked as imposed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    RectangleObject,
)

from pamphlet.i18n import N_, translator
from pamphlet.paper import PAPERS

INCH = 72.0


MARK_LENGTH = 0.25 * INCH  # crop and fold marks
MARK_OFFSET = 0.125 * INCH  # gap between the trim line and a crop mark (at least the bleed)
CUT_MARK_INSET = 0.2 * INCH  # n-up cut marks: distance from the sheet edge (printers' margin)
MARK_WIDTH = 0.3  # line width of every mark, points

Size = tuple[float, float]


@dataclass(frozen=True)
class SheetSide:
    """One output page: a side of a sheet and the booklet pages on its two halves.

    Page numbers count the padded booklet from 1; numbers in `ImpositionReport.blank_pages` are
    blank (padding).
    """

    sheet: int  # 1 = the outermost sheet
    side: str  # "front" or "back"
    left: int
    right: int


@dataclass(frozen=True)
class ImpositionReport:
    source_pages: int
    pages: int  # after padding: a multiple of 4
    blank_pages: tuple[int, ...]  # the padded page numbers that are blank
    sides: tuple[SheetSide, ...]  # output page i is sides[i]
    media_size: Size  # the output pages' size (the sheet, plus room for marks and bleed)
    trim_size: Size  # the finished sheet (the booklet opened flat)
    flip: str
    creep: float

    @property
    def blanks_added(self) -> int:
        return len(self.blank_pages)

    @property
    def sheets(self) -> int:
        return self.pages // 4

    @property
    def order(self) -> list[tuple[int, int]]:
        """(left, right) page numbers of each output page, in order."""
        return [(side.left, side.right) for side in self.sides]


@dataclass(frozen=True)
class NUpReport:
    pages: int  # output pages = source pages (one sheet side per flier page)
    copies: int
    grid: tuple[int, int]  # columns, rows
    media_size: Size
    cells: tuple[tuple[float, float, float, float], ...]  # x0, y0, x1, y1 of each copy's trim (PDF coordinates)
    cut_lines: tuple[tuple[str, float], ...]  # ("x", 396.0): a vertical cut at x=396
    flip: str


def saddle_stitch_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) for each output side of a saddle-stitched booklet of `pages` (a multiple of 4).

    Sheet k (1 = outermost) front = [N−2k+2, 2k−1], back = [2k, N−2k+1].
    """
    if pages <= 0 or pages % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
    order = []
    for k in range(1, pages // 4 + 1):
        order.append((pages - 2 * k + 2, 2 * k - 1))
        order.append((2 * k, pages - 2 * k + 1))
    return order


def impose_saddle_stitch(src: Path, dst: Path, *, sheet: str | Size = "letter", creep: float = 0.0,
                         crop_marks: bool = False, bleed: float = 0.0, flip: str = "short",
                         keep_last: bool = False) -> ImpositionReport:
    """Write `dst`: the pages of `src` two-up on landscape sheets, in saddle-stitch order.

    - `sheet`: a paper name from `pamphlet.paper.PAPERS` (used landscape) or (width, height) in points. The pages
      meet at the fold in the middle and are centred vertically.
    - Pages are padded with blanks to a multiple of 4: at the end, or with `keep_last` just before
      the last page (so a back cover stays on the back).
    - `creep` (points): how far the innermost sheet's pages are moved towards the fold, to make
      up for the paper's thickness; sheets in between get proportionally less, the outermost none.
    - `crop_marks` and `bleed` (points): the media grows around the finished sheet to hold the
      marks (and `bleed` of each page's content beyond its trim on the outer edges); TrimBox and
      BleedBox are set. The fold gets dashed marks.
    - `flip`: "short" (default) or "long", the duplex setting the sheets are printed with.
    """
    _check_flip(flip)
    if creep < 0 or bleed < 0:
        raise ValueError("creep and bleed are distances and cannot be negative")
    reader = PdfReader(src)
    count = len(reader.pages)
    if count == 0:
        raise ValueError(f"{src} has no pages")
    padded = -(-count // 4) * 4
    blanks = padded - count
    if keep_last and count > 1:
        blank_pages = tuple(range(count, count + blanks))
        source_of = {n: n for n in range(1, count)} | {padded: count}
    else:
        blank_pages = tuple(range(count + 1, padded + 1))
        source_of = {n: n for n in range(1, count + 1)}

    page_w, page_h = _trim_size(reader.pages[0])
    trim_w, trim_h = _landscape(sheet) if isinstance(sheet, str) else sheet
    if 2 * page_w > trim_w + 0.01 or page_h > trim_h + 0.01:
        raise ValueError(f"pages of {_inches((page_w, page_h))} do not fit two-up on a "
                         f"{_inches((trim_w, trim_h))} sheet")
    margin = (max(MARK_OFFSET, bleed) + MARK_LENGTH) if crop_marks else bleed
    media = (trim_w + 2 * margin, trim_h + 2 * margin)
    fold_x = margin + trim_w / 2
    bottom = margin + (trim_h - page_h) / 2

    writer = PdfWriter()
    forms = {n: _form(writer, reader.pages[n - 1]) for n in sorted(set(source_of.values()))}
    order = saddle_stitch_order(padded)
    sides = []
    sheets = padded // 4
    for index, (left, right) in enumerate(order):
        k = index // 2 + 1
        side = "front" if index % 2 == 0 else "back"
        sides.append(SheetSide(k, side, left, right))
        shift = creep * (k - 1) / (sheets - 1) if sheets > 1 else 0.0
        ops: list[str] = []
        names: dict[str, IndirectObject] = {}
        for number, x0, outer, inward in ((left, fold_x - page_w, "left", 1), (right, fold_x, "right", -1)):
            source = source_of.get(number)
            if source is None:
                continue
            clip = [x0, bottom - bleed, page_w, page_h + 2 * bleed]
            if outer == "left":
                clip[0] -= bleed
            clip[2] += bleed
            ops.append(_place(f"/P{source}", forms[source], x0 + inward * shift, bottom, clip))
            names[f"/P{source}"] = forms[source][0]
        trim = (fold_x - page_w, bottom, fold_x + page_w, bottom + page_h)
        if crop_marks:
            ops.append(_crop_marks(trim, max(MARK_OFFSET, bleed)))
            ops.append(_fold_marks(fold_x, trim, max(MARK_OFFSET, bleed)))
        _add_side(writer, media, ops, names, turn=(flip == "long" and side == "back"),
                  trim=trim if (crop_marks or bleed) else None, bleed=bleed)

    options = ("saddle", sheet, creep, crop_marks, bleed, flip, keep_last)
    _finish(writer, reader, src, dst, options, N_("imposed for saddle stitching"))
    return ImpositionReport(count, padded, blank_pages, tuple(sides), media, (trim_w, trim_h), flip, creep)


def n_up_sheet(src: Path, dst: Path, *, copies: int = 2, sheet: str | Size = "letter",
               cut_marks: bool = True, flip: str = "short") -> NUpReport:
    """Write `dst`: each page of `src` `copies` times on one sheet side, for cutting apart.

    Output page i holds `copies` of source page i: a half-letter flier of two pages (front and
    back) gives two output pages, each with two copies side by side on a landscape letter sheet.
    Printed duplex (flipped on the short edge, or pass `flip="long"`), each sheet then carries
    two double-sided fliers, each copy's back exactly behind its front. The grid (columns x rows) and the
    sheet's orientation are chosen so the pages fit unrotated; with `sheet` as (width, height)
    that orientation is kept. Pages smaller than their cell are centred in it.

    `cut_marks` draws short lines on the cut lines between copies, in the sheet's edge margin
    (from 0.2 to 0.45 inch from the edge), outside a flier's content when its margins are at
    least half an inch.
    """
    _check_flip(flip)
    if copies < 1:
        raise ValueError(f"copies must be at least 1, not {copies}")
    reader = PdfReader(src)
    if len(reader.pages) == 0:
        raise ValueError(f"{src} has no pages")
    page_w, page_h = _trim_size(reader.pages[0])
    media, (cols, rows) = _grid(sheet, copies, (page_w, page_h))
    cell_w, cell_h = media[0] / cols, media[1] / rows

    cells = []
    for row in range(rows):  # top row first, left to right
        for col in range(cols):
            x0 = col * cell_w + (cell_w - page_w) / 2
            y0 = media[1] - (row + 1) * cell_h + (cell_h - page_h) / 2
            cells.append((x0, y0, x0 + page_w, y0 + page_h))
    cut_lines = tuple([("x", col * cell_w) for col in range(1, cols)] +
                      [("y", row * cell_h) for row in range(1, rows)])

    writer = PdfWriter()
    for number, page in enumerate(reader.pages, start=1):
        form = _form(writer, page)
        ops = [_place("/P", form, x0, y0, [x0, y0, page_w, page_h]) for x0, y0, _, _ in cells]
        if cut_marks:
            ops.append(_cut_marks(cut_lines, media))
        _add_side(writer, media, ops, {"/P": form[0]}, turn=(flip == "long" and number % 2 == 0),
                  trim=None, bleed=0.0)

    _finish(writer, reader, src, dst, ("n-up", copies, sheet, cut_marks, flip), N_("{copies} per sheet"), copies=copies)
    return NUpReport(len(reader.pages), copies, (cols, rows), media, tuple(cells), cut_lines, flip)


#: The one-sheet mini-zine: eight pages on one side of a landscape sheet, in four columns and two
#: rows, left to right. The top row is turned upside down; after the sheet is folded in half along
#: its length (print outside), cut along the middle between the second and fourth columns, and
#: folded into a booklet, the pages follow each other from the front cover (1) to the back (8).
ZINE_ROWS = ((5, 4, 3, 2), (6, 7, 8, 1))


@dataclass(frozen=True)
class ZinePanel:
    number: int  # the zine's page, 1 (front cover) to 8 (back cover)
    source: int | None  # the source page printed there (from 1), None: blank
    turned: bool  # printed upside down (the top row)
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 on the sheet (PDF coordinates)


@dataclass(frozen=True)
class ZineReport:
    media_size: Size
    panels: tuple[ZinePanel, ...]  # in ZINE_ROWS order: top row, then bottom row
    cut: tuple[float, float, float]  # the cut: from x0 to x1 at height y


def impose_zine(src: Path, dst: Path, *, sheet: str | Size = "letter") -> ZineReport:
    """Write `dst`: one landscape sheet side with the zine's eight pages, placed and turned for the
    standard fold-and-cut (see `ZINE_ROWS`).

    `src` has two to eight pages, each a quarter of the sheet's length and half its height (2.75 x
    4.25 in on letter); its first page is the front cover and its last the back cover. Pages
    missing in between are left blank before the back cover. A dashed line marks the cut, and
    short marks in the sheet's edge margin the folds.
    """
    reader = PdfReader(src)
    count = len(reader.pages)
    if not 2 <= count <= 8:
        raise ValueError(f"a mini-zine has 2 to 8 pages, {src} has {count}")
    media = _landscape(sheet) if isinstance(sheet, str) else sheet
    cell_w, cell_h = media[0] / 4, media[1] / 2
    page_w, page_h = _trim_size(reader.pages[0])
    if page_w > cell_w + 0.01 or page_h > cell_h + 0.01:
        raise ValueError(f"zine pages of {_inches((page_w, page_h))} do not fit eight to a "
                         f"{_inches(media)} sheet")
    source_of = {1: 1, 8: count} | {n: n for n in range(2, count)}
    writer = PdfWriter()
    forms = {n: _form(writer, reader.pages[n - 1]) for n in sorted(set(source_of.values()))}
    ops, names, panels = [], {}, []
    for row, numbers in enumerate(ZINE_ROWS):
        turned = row == 0
        for col, number in enumerate(numbers):
            x0 = col * cell_w + (cell_w - page_w) / 2
            y0 = (1 - row) * cell_h + (cell_h - page_h) / 2
            source = source_of.get(number)
            panels.append(ZinePanel(number, source, turned, (x0, y0, x0 + page_w, y0 + page_h)))
            if source is None:
                continue
            name = f"/P{source}"
            names[name] = forms[source][0]
            ref, left, bottom = forms[source]
            clip = " ".join(_num(v) for v in (x0, y0, page_w, page_h))
            if turned:  # 180 degrees about the panel's centre: (left, bottom) lands on the top right
                matrix = f"-1 0 0 -1 {_num(x0 + page_w + left)} {_num(y0 + page_h + bottom)}"
            else:
                matrix = f"1 0 0 1 {_num(x0 - left)} {_num(y0 - bottom)}"
            ops.append(f"q {clip} re W n {matrix} cm {name} Do Q")
    cut = (cell_w, 3 * cell_w, cell_h)
    ops.append(f"q {_num(MARK_WIDTH)} w 0 G [4 3] 0 d {_line(cut[0], cut[2], cut[1], cut[2])} Q")
    folds = [("x", col * cell_w) for col in (1, 2, 3)] + [("y", cell_h)]
    ops.append(_cut_marks(folds, media).replace("[] 0 d", "[2 2] 0 d"))
    _add_side(writer, media, ops, names, turn=False, trim=None, bleed=0.0)
    _finish(writer, reader, src, dst, ("zine", sheet), N_("mini-zine"))
    return ZineReport(media, tuple(panels), cut)


# --------------------------------------------------------------------------------------------
# Helpers


def _check_flip(flip: str) -> None:
    if flip not in ("short", "long"):
        raise ValueError(f"flip must be 'short' or 'long', not {flip!r}")


def _landscape(name: str) -> Size:
    try:
        w, h = PAPERS[name].points
    except KeyError:
        raise ValueError(f"unknown paper {name!r}; expected one of {sorted(PAPERS)}") from None
    return max(w, h), min(w, h)


def _inches(size: Size) -> str:
    return f"{size[0] / INCH:g} x {size[1] / INCH:g} in"


def _trim_size(page) -> Size:
    if int(page.get("/Rotate", 0)) % 360:
        raise ValueError("rotated source pages (/Rotate) are not supported")
    box = page.trimbox
    return float(box.width), float(box.height)


def _grid(sheet: str | Size, copies: int, page: Size) -> tuple[Size, tuple[int, int]]:
    """The media size and (columns, rows) for `copies` unrotated pages; landscape tried first."""
    if isinstance(sheet, str):
        w, h = _landscape(sheet)
        orientations = [(w, h), (h, w)]
    else:
        orientations = [sheet]
    shapes = sorted(((c, copies // c) for c in range(1, copies + 1) if copies % c == 0),
                    key=lambda shape: (-shape[0], shape[1]))
    for media in orientations:
        for cols, rows in shapes:
            if page[0] * cols <= media[0] + 0.01 and page[1] * rows <= media[1] + 0.01:
                return media, (cols, rows)
    raise ValueError(f"{copies} pages of {_inches(page)} do not fit on a {_inches(orientations[0])} sheet")


def _form(writer: PdfWriter, page) -> tuple[IndirectObject, float, float]:
    """The page as a Form XObject in `writer`, with the offset of its trim box's lower left."""
    box = page.mediabox
    contents = page.get_contents()
    stream = DecodedStreamObject()
    stream.set_data(contents.get_data() if contents is not None else b"")
    stream.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)),
    })
    resources = page.get("/Resources")
    if resources is not None:
        stream[NameObject("/Resources")] = resources.get_object().clone(writer)
    # pypdf has no public call to register a new indirect object; this is the one its docs use.
    ref = writer._add_object(stream.flate_encode(level=9))
    trim = page.trimbox
    return ref, float(trim.left), float(trim.bottom)


def _num(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _place(name: str, form: tuple[IndirectObject, float, float], x: float, y: float,
           clip: Iterable[float]) -> str:
    """Draw the form with its trim box's lower left at (x, y), clipped to `clip` (x, y, w, h)."""
    _, left, bottom = form
    cx, cy, cw, ch = (_num(v) for v in clip)
    return (f"q {cx} {cy} {cw} {ch} re W n 1 0 0 1 {_num(x - left)} {_num(y - bottom)} cm {name} Do Q")


def _line(x0: float, y0: float, x1: float, y1: float) -> str:
    return f"{_num(x0)} {_num(y0)} m {_num(x1)} {_num(y1)} l S"


def _crop_marks(trim: tuple[float, float, float, float], offset: float) -> str:
    x0, y0, x1, y1 = trim
    far = offset + MARK_LENGTH
    lines = []
    for x, out in ((x0, -1), (x1, 1)):
        for y, up in ((y0, -1), (y1, 1)):
            lines.append(_line(x + out * offset, y, x + out * far, y))  # horizontal, beside the corner
            lines.append(_line(x, y + up * offset, x, y + up * far))  # vertical, above/below it
    return f"q {_num(MARK_WIDTH)} w 0 G [] 0 d " + " ".join(lines) + " Q"


def _fold_marks(fold_x: float, trim: tuple[float, float, float, float], offset: float) -> str:
    _, y0, _, y1 = trim
    far = offset + MARK_LENGTH
    lines = [_line(fold_x, y0 - offset, fold_x, y0 - far), _line(fold_x, y1 + offset, fold_x, y1 + far)]
    return f"q {_num(MARK_WIDTH)} w 0 G [3 2] 0 d " + " ".join(lines) + " Q"


def _cut_marks(cut_lines: Iterable[tuple[str, float]], media: Size) -> str:
    w, h = media
    near, far = CUT_MARK_INSET, CUT_MARK_INSET + MARK_LENGTH
    lines = []
    for axis, at in cut_lines:
        if axis == "x":
            lines += [_line(at, near, at, far), _line(at, h - near, at, h - far)]
        else:
            lines += [_line(near, at, far, at), _line(w - near, at, w - far, at)]
    if not lines:
        return ""
    return f"q {_num(MARK_WIDTH)} w 0 G [] 0 d " + " ".join(lines) + " Q"


def _box(x0: float, y0: float, x1: float, y1: float) -> RectangleObject:
    return RectangleObject([FloatObject(round(v, 4)) for v in (x0, y0, x1, y1)])


def _add_side(writer: PdfWriter, media: Size, ops: list[str], forms: dict[str, IndirectObject], *,
              turn: bool, trim: tuple[float, float, float, float] | None, bleed: float) -> None:
    w, h = media
    page = writer.add_blank_page(width=round(w, 4), height=round(h, 4))
    body = "\n".join(op for op in ops if op)
    if turn:  # a back side for long-edge duplex: turn the whole side by 180 degrees
        body = f"q -1 0 0 -1 {_num(w)} {_num(h)} cm\n{body}\nQ"
    content = DecodedStreamObject()
    content.set_data(body.encode("ascii") + b"\n")
    page[NameObject("/Contents")] = writer._add_object(content.flate_encode(level=9))
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject({NameObject(k): v for k, v in sorted(forms.items())}),
    })
    if trim is not None:
        x0, y0, x1, y1 = trim
        if turn:
            x0, y0, x1, y1 = w - x1, h - y1, w - x0, h - y0
        page[NameObject("/TrimBox")] = _box(x0, y0, x1, y1)
        page[NameObject("/BleedBox")] = _box(x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed)


def _finish(writer: PdfWriter, reader: PdfReader, src: Path, dst: Path, options: tuple, label: str,
            **values: object) -> None:
    """Write `dst`, titled as `src` with `label` (English, translated into the language `src`
    declares, if any: `/Lang`)."""
    info = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    title = info.get("/Title") or Path(src).stem
    root = reader.trailer["/Root"]
    language = str(root["/Lang"]) if "/Lang" in root else "en"
    label = translator(language or "en")(label, **values)
    info["/Title"] = f"{title} ({label})"
    writer.add_metadata(info)
    digest = hashlib.sha256(Path(src).read_bytes() + repr(options).encode("utf-8")).digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(dst, "wb") as handle:
        writer.write(handle)


__all__ = [
    "INCH", "ImpositionReport", "NUpReport", "SheetSide", "ZINE_ROWS", "ZinePanel", "ZineReport",
    "impose_saddle_stitch", "impose_zine", "n_up_sheet", "saddle_stitch_order",
]
