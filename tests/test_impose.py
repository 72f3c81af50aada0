"""Imposition: saddle-stitch order, padding, marks, creep, n-up sheets, reproducible bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from pamphlet.print.impose import INCH, impose_saddle_stitch, n_up_sheet, saddle_stitch_order

HALF_LETTER = (5.5 * INCH, 8.5 * INCH)
LETTER_LANDSCAPE = (11 * INCH, 8.5 * INCH)


def make_pdf(path: Path, pages: int, size: tuple[float, float] = HALF_LETTER, *,
             title: str = "Test booklet", author: str = "Dana") -> Path:
    """A PDF whose page i shows the big label `P{i}` (Helvetica, not embedded: fast and exact)."""
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for number in range(1, pages + 1):
        page = writer.add_blank_page(*size)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 60 Tf 72 {size[1] / 2:g} Td (P{number}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    writer.add_metadata({"/Title": title, "/Author": author})
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def halves(path: Path) -> list[tuple[str, str]]:
    """The text on the left and right half of each output page's trim box."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in PdfReader(path).pages[page.page_number - 1].trimbox)
            top, bottom = page.height - y1, page.height - y0
            middle = (x0 + x1) / 2
            out.append((page.crop((x0, top, middle, bottom)).extract_text(),
                        page.crop((middle, top, x1, bottom)).extract_text()))
    return out


def label(number: int, count: int) -> str:
    return f"P{number}" if number <= count else ""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- saddle stitch ----------------------------------------------------------------------------


def test_saddle_stitch_order_formula():
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_stitch_order(4) == [(4, 1), (2, 3)]
    with pytest.raises(ValueError):
        saddle_stitch_order(6)


@pytest.mark.parametrize("count", [1, 4, 8, 10, 13, 16])
def test_saddle_stitch_places_pages_by_the_formula(tmp_path, count):
    src = make_pdf(tmp_path / "booklet.pdf", count)
    report = impose_saddle_stitch(src, tmp_path / "imposed.pdf")
    padded = -(-count // 4) * 4
    expected = []
    for k in range(1, padded // 4 + 1):
        expected += [(padded - 2 * k + 2, 2 * k - 1), (2 * k, padded - 2 * k + 1)]
    assert report.order == expected
    assert (report.pages, report.blanks_added, report.sheets) == (padded, padded - count, padded // 4)
    assert report.blank_pages == tuple(range(count + 1, padded + 1))
    assert halves(tmp_path / "imposed.pdf") == [(label(a, count), label(b, count)) for a, b in expected]


@pytest.mark.parametrize("count", [4, 10, 13])
def test_saddle_stitch_sheets_are_landscape_letter_and_half_as_many(tmp_path, count):
    src = make_pdf(tmp_path / "booklet.pdf", count)
    impose_saddle_stitch(src, tmp_path / "imposed.pdf")
    reader = PdfReader(tmp_path / "imposed.pdf")
    assert len(reader.pages) == -(-count // 4) * 2
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages} == {LETTER_LANDSCAPE}


def test_keep_last_pads_before_the_back_cover(tmp_path):
    src = make_pdf(tmp_path / "booklet.pdf", 13)
    report = impose_saddle_stitch(src, tmp_path / "imposed.pdf", keep_last=True)
    assert report.blank_pages == (13, 14, 15)
    assert halves(tmp_path / "imposed.pdf")[0] == ("P13", "P1")  # the back cover is page 16
    assert halves(tmp_path / "imposed.pdf")[-1] == ("P8", "P9")


def test_crop_marks_and_bleed_enlarge_the_sheet_around_the_trim_box(tmp_path):
    src = make_pdf(tmp_path / "booklet.pdf", 8)
    bleed = 9.0
    report = impose_saddle_stitch(src, tmp_path / "imposed.pdf", crop_marks=True, bleed=bleed)
    margin = max(0.125 * INCH, bleed) + 0.25 * INCH
    assert report.media_size == (792 + 2 * margin, 612 + 2 * margin)
    assert report.trim_size == LETTER_LANDSCAPE
    reader = PdfReader(tmp_path / "imposed.pdf")
    for page in reader.pages:
        assert [float(v) for v in page.trimbox] == [margin, margin, margin + 792, margin + 612]
        assert [float(v) for v in page.bleedbox] == [margin - bleed, margin - bleed, margin + 792 + bleed,
                                                     margin + 612 + bleed]
    assert halves(tmp_path / "imposed.pdf") == [("P8", "P1"), ("P2", "P7"), ("P6", "P3"), ("P4", "P5")]
    with pdfplumber.open(tmp_path / "imposed.pdf") as pdf:
        page = pdf.pages[0]
        lines = page.lines
        assert len(lines) == 8 + 2  # two per corner, one fold mark above and one below
        trim = (margin, margin, margin + 792, margin + 612)  # same in top-down coordinates (symmetric)
        for line in lines:
            inside_x = trim[0] < line["x0"] < trim[2] and trim[0] < line["x1"] < trim[2]
            inside_y = trim[1] < line["top"] < trim[3] and trim[1] < line["bottom"] < trim[3]
            assert not (inside_x and inside_y), f"mark inside the trim: {line}"
        fold = [line for line in lines if abs(line["x0"] - report.media_size[0] / 2) < 0.01]
        assert len(fold) == 2


def word_x(path: Path) -> list[list[float]]:
    with pdfplumber.open(path) as pdf:
        return [sorted(w["x0"] for w in page.extract_words()) for page in pdf.pages]


def test_creep_moves_inner_sheets_towards_the_fold(tmp_path):
    src = make_pdf(tmp_path / "booklet.pdf", 16)
    impose_saddle_stitch(src, tmp_path / "plain.pdf")
    report = impose_saddle_stitch(src, tmp_path / "creep.pdf", creep=6.0)
    assert report.creep == 6.0
    for index, (plain, crept) in enumerate(zip(word_x(tmp_path / "plain.pdf"), word_x(tmp_path / "creep.pdf"))):
        shift = 6.0 * (index // 2) / 3  # sheet k = index // 2 + 1; 4 sheets
        left, right = plain
        assert crept == pytest.approx([left + shift, right - shift], abs=0.01)


def test_long_edge_flip_turns_the_backs(tmp_path):
    src = make_pdf(tmp_path / "booklet.pdf", 8)
    impose_saddle_stitch(src, tmp_path / "imposed.pdf", flip="long")
    sides = [(sorted(left), sorted(right)) for left, right in halves(tmp_path / "imposed.pdf")]
    # Fronts as usual; on a back, the page meant for the left is now on the right (upside down).
    assert sides == [(sorted("P8"), sorted("P1")), (sorted("P7"), sorted("P2")),
                     (sorted("P6"), sorted("P3")), (sorted("P5"), sorted("P4"))]


def test_saddle_stitch_output_is_reproducible_and_keeps_metadata(tmp_path):
    src = make_pdf(tmp_path / "booklet.pdf", 10)
    impose_saddle_stitch(src, tmp_path / "one.pdf", crop_marks=True)
    impose_saddle_stitch(src, tmp_path / "two.pdf", crop_marks=True)
    assert sha256(tmp_path / "one.pdf") == sha256(tmp_path / "two.pdf")
    reader = PdfReader(tmp_path / "one.pdf")
    assert reader.metadata.title == "Test booklet (imposed for saddle stitching)"
    assert reader.metadata.author == "Dana"
    assert len(reader.trailer["/ID"][0]) == 16
    impose_saddle_stitch(src, tmp_path / "three.pdf")
    assert sha256(tmp_path / "three.pdf") != sha256(tmp_path / "one.pdf")


def test_pages_too_big_for_the_sheet(tmp_path):
    src = make_pdf(tmp_path / "letter.pdf", 4, (8.5 * INCH, 11 * INCH))
    with pytest.raises(ValueError, match="do not fit two-up"):
        impose_saddle_stitch(src, tmp_path / "imposed.pdf")


def test_bad_options(tmp_path):
    src = make_pdf(tmp_path / "booklet.pdf", 4)
    with pytest.raises(ValueError, match="flip"):
        impose_saddle_stitch(src, tmp_path / "x.pdf", flip="sideways")
    with pytest.raises(ValueError, match="unknown paper"):
        impose_saddle_stitch(src, tmp_path / "x.pdf", sheet="foolscap")


def test_saddle_stitch_of_a_weasyprint_booklet(tmp_path):
    """Real pages: embedded fonts and per-page resources survive the move into Form XObjects."""
    from pamphlet.print.fonts import isolate_fontconfig

    isolate_fontconfig()
    from weasyprint import HTML

    pages = "".join(f'<section>Page {n}</section>' for n in range(1, 7))
    html = ("<style>@page { size: 5.5in 8.5in; margin: 0.5in } section { break-after: page;"
            " font: 40pt 'Noto Sans' } section:last-child { break-after: auto }</style>" + pages)
    src = tmp_path / "booklet.pdf"
    HTML(string=html).write_pdf(src)
    impose_saddle_stitch(src, tmp_path / "imposed.pdf")
    assert halves(tmp_path / "imposed.pdf") == [
        ("", "Page 1"), ("Page 2", ""), ("Page 6", "Page 3"), ("Page 4", "Page 5")]


# --- n-up -------------------------------------------------------------------------------------


def words(path: Path) -> list[list[dict]]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_words() for page in pdf.pages]


def test_n_up_puts_two_copies_side_by_side_on_landscape_letter(tmp_path):
    src = make_pdf(tmp_path / "flier.pdf", 2, title="Flier")
    report = n_up_sheet(src, tmp_path / "sheet.pdf")
    assert (report.pages, report.copies, report.grid, report.media_size) == (2, 2, (2, 1), LETTER_LANDSCAPE)
    assert report.cut_lines == (("x", 396.0),)
    reader = PdfReader(tmp_path / "sheet.pdf")
    assert [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages] == [LETTER_LANDSCAPE] * 2
    for number, found in enumerate(words(tmp_path / "sheet.pdf"), start=1):
        assert [w["text"] for w in found] == [f"P{number}", f"P{number}"]
        left, right = found
        assert left["x1"] <= 396 <= right["x0"]
        assert right["x0"] - left["x0"] == pytest.approx(396, abs=0.01)
        assert right["top"] == pytest.approx(left["top"], abs=0.01)
    # Front and back line up when flipped on the short edge: mirrored halves hold the same page.
    assert halves(tmp_path / "sheet.pdf") == [("P1", "P1"), ("P2", "P2")]


def test_n_up_cut_marks_sit_on_the_cut_line_outside_the_content(tmp_path):
    src = make_pdf(tmp_path / "flier.pdf", 2)
    n_up_sheet(src, tmp_path / "sheet.pdf")
    with pdfplumber.open(tmp_path / "sheet.pdf") as pdf:
        for page in pdf.pages:
            lines = page.lines
            assert len(lines) == 2
            assert all(line["x0"] == pytest.approx(396) == line["x1"] for line in lines)
            assert sorted(round(line["top"], 2) for line in lines) == [14.4, 579.6]
            for word in page.extract_words():
                for line in lines:
                    assert line["bottom"] < word["top"] or line["top"] > word["bottom"]
    n_up_sheet(src, tmp_path / "plain.pdf", cut_marks=False)
    with pdfplumber.open(tmp_path / "plain.pdf") as pdf:
        assert pdf.pages[0].lines == []


def test_n_up_long_edge_flip_turns_the_back(tmp_path):
    src = make_pdf(tmp_path / "flier.pdf", 2)
    n_up_sheet(src, tmp_path / "sheet.pdf", flip="long")
    front, back = words(tmp_path / "sheet.pdf")
    assert all(w["upright"] for w in front)
    with pdfplumber.open(tmp_path / "sheet.pdf") as pdf:
        chars = pdf.pages[1].chars
    assert chars and all(c["matrix"][0] < 0 and c["matrix"][3] < 0 for c in chars)  # turned 180 degrees


def test_n_up_four_quarter_letter_fliers_on_portrait_letter(tmp_path):
    src = make_pdf(tmp_path / "card.pdf", 1, (4.25 * INCH, 5.5 * INCH))
    report = n_up_sheet(src, tmp_path / "sheet.pdf", copies=4)
    assert (report.grid, report.media_size) == ((2, 2), (8.5 * INCH, 11 * INCH))
    assert report.cut_lines == (("x", 306.0), ("y", 396.0))
    (found,) = words(tmp_path / "sheet.pdf")
    assert len(found) == 4 and {w["text"] for w in found} == {"P1"}
    assert sorted({round(w["x0"]) for w in found}) == [72, 378]


def test_n_up_is_reproducible_and_keeps_metadata(tmp_path):
    src = make_pdf(tmp_path / "flier.pdf", 2, title="Flier")
    n_up_sheet(src, tmp_path / "one.pdf")
    n_up_sheet(src, tmp_path / "two.pdf")
    assert sha256(tmp_path / "one.pdf") == sha256(tmp_path / "two.pdf")
    assert PdfReader(tmp_path / "one.pdf").metadata.title == "Flier (2 per sheet)"


def test_n_up_pages_that_do_not_fit(tmp_path):
    src = make_pdf(tmp_path / "letter.pdf", 1, (8.5 * INCH, 11 * INCH))
    with pytest.raises(ValueError, match="do not fit"):
        n_up_sheet(src, tmp_path / "sheet.pdf")
