"""Print that pulls people in: fliers fitted to their pages, the call to action on the front, the
layouts, the grayscale check, and the print-shop pack (handbills, posters, mini-zines), read back
from the PDFs of a copy of the sample project (never the chapter's own content)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.generic import ContentStream

from pamphlet.build import build
from pamphlet.errors import SourceError, SourceErrors
from pamphlet.model import load
from pamphlet.print.fit import BOUNDS, RATIOS, measure_parts
from pamphlet.print.fliers import FlierPrinter, build_flier, flier_parts
from pamphlet.print.impose import ZINE_ROWS, impose_zine
from pamphlet.print.pdf import Printer

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "projects" / "sample"
TODAY = dt.date(2026, 6, 24)
MM = 72 / 25.4
INCH = 72
LETTER, LETTER_LANDSCAPE, TABLOID, HALF_LETTER = (612, 792), (792, 612), (792, 1224), (396, 612)

PHOTO_FLIER = """---
title: Tools for everyone
layout: photo
image: images/street-map.png
alt: A hand-drawn map of Harbor Street with the tool shed marked
meetings: [open-meeting]
qr: meetings
---
# Tools for everyone

The shed lends ladders, drills and a wheelbarrow.

---side---

## How it works

Sign the notebook, take the tool, bring it back.
"""

POSTER_FLIER = """---
title: Repair café
layout: poster
accent: "#1f4e79"
meetings: [reading-group]
qr: home
---
# Repair café

Bring what is broken.

---side---

## Every month

Kettles, bikes, zips and lamps.
"""

# A short front and a long back: the fit must set the front larger.
FIT_FLIER = """---
title: Short and long
qr: meetings
meetings: [open-meeting]
---
# Short and long

One line.

---side---

## The long side

""" + "\n\n".join(f"Paragraph {n}: the street shares its tools, its garden and its budget, and decides "
                   "about them together, in a council that anyone on the street may join." for n in range(1, 12)) + "\n"


def copy_sample(dest: Path) -> Path:
    shutil.copytree(SAMPLE, dest, ignore=shutil.ignore_patterns("site", "site-members", ".pamphlet-*"))
    return dest


def pack_project(dest: Path) -> Path:
    """The sample with every feature of the pack turned on."""
    root = copy_sample(dest)
    flier = root / "fliers" / "meetings-flier.md"
    text = flier.read_text(encoding="utf-8")
    flier.write_text(text.replace("qr: meetings\n", "qr: meetings\ncall: front\nzine: true\n", 1), encoding="utf-8")
    (root / "fliers" / "photo-flier.md").write_text(PHOTO_FLIER, encoding="utf-8")
    (root / "fliers" / "poster-flier.md").write_text(POSTER_FLIER, encoding="utf-8")
    manifest = root / "booklet" / "booklet.yml"
    manifest.write_text(manifest.read_text(encoding="utf-8")
                        + "meetings: [open-meeting, members-meeting]\ncover_image: images/street-map.png\n"
                        + "cover_alt: A hand-drawn map of Harbor Street\nprint:\n  grayscale: true\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = pack_project(tmp_path_factory.mktemp("pack") / "project")
    return build(root, quiet=True, today=TODAY).site_dir


@pytest.fixture(scope="module")
def root(site: Path) -> Path:
    return site.parent


def downloads(site: Path, name: str) -> Path:
    return site / "downloads" / name


def sizes(pdf: Path) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages]


def words(page) -> list[dict]:
    return page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)


def body_size(page) -> float:
    """The most common size of the serif text on a page: its body size."""
    counted = Counter(round(c["size"], 1) for c in page.chars if "Serif" in c["fontname"] and c["text"].strip())
    return counted.most_common(1)[0][0]


def line_size(page, text: str) -> float:
    """The size of the first line of a page that contains `text`."""
    for line in page.extract_text_lines(return_chars=True):
        if text in line["text"]:
            return max(c["size"] for c in line["chars"] if c["text"].strip())
    raise AssertionError(f"{text!r} is not on the page: {page.extract_text()!r}")


def qr_squares_mm(page) -> list[float]:
    """The printed QR codes of a page: the white squares they are drawn on (quiet zone included), in mm."""
    return sorted(round(r["width"] / MM, 1) for r in page.rects
                  if r["fill"] and tuple(r.get("non_stroking_color") or ()) == (1.0, 1.0, 1.0)
                  and abs(r["width"] - r["height"]) < 0.5 and r["width"] > 10 * MM)


def content_bottom(page) -> float:
    """The lowest point of any text, picture or drawing on a page (pdfplumber: from the top)."""
    return max(o["bottom"] for o in page.chars + page.images + page.rects + page.lines)


def expected_time(meeting_id: str, root: Path) -> str:
    """The meeting's times as printed, read from data/meetings.yml (both in the same half of the day)."""
    data = yaml.safe_load((root / "data" / "meetings.yml").read_text(encoding="utf-8"))
    meeting = next(m for m in data["meetings"] if m["id"] == meeting_id)
    h1, m1 = map(int, meeting["start"].split(":"))
    if "end" in meeting:
        h2, m2 = map(int, meeting["end"].split(":"))
    else:  # `duration: 90m`
        end = h1 * 60 + m1 + int(meeting["duration"].removesuffix("m"))
        h2, m2 = divmod(end, 60)
    assert (h1 < 12) == (h2 < 12)
    return f"{(h1 - 1) % 12 + 1}:{m1:02d}–{(h2 - 1) % 12 + 1}:{m2:02d} {'am' if h1 < 12 else 'pm'}"


# --- 1. Fit to the page ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fit_content(tmp_path_factory: pytest.TempPathFactory):
    root = copy_sample(tmp_path_factory.mktemp("fit") / "project")
    (root / "fliers" / "fit-check.md").write_text(FIT_FLIER, encoding="utf-8")
    content = load(root, TODAY)
    return content, next(f for f in content.fliers if f.name == "fit-check")


def test_a_short_side_is_set_larger_than_a_long_one(fit_content, tmp_path: Path) -> None:
    content, flier = fit_content
    target = tmp_path / "fit-check.pdf"
    build_flier(content, flier, target)
    assert sizes(target) == [HALF_LETTER, HALF_LETTER]
    with pdfplumber.open(target) as pdf:
        front, back = (body_size(p) for p in pdf.pages)
        low, high = BOUNDS["flier"]
        assert low <= back < front <= high
        for page in pdf.pages:  # each side's content reaches within 15% of the bottom margin
            margin, area = 0.45 * INCH, page.height - 0.9 * INCH
            assert content_bottom(page) >= page.height - margin - 0.15 * area
            assert content_bottom(page) <= page.height - margin + 1


def test_the_fitted_size_is_the_largest_that_fits(fit_content) -> None:
    content, flier = fit_content
    printer = FlierPrinter(content, flier)
    document, parts = printer.fitted(flier_parts(flier))
    back = parts[1]
    assert BOUNDS["flier"][0] < back.size < BOUNDS["flier"][1]
    ids = [p.id for p in parts]
    assert measure_parts(document, ids)[back.id].pages == 1
    bigger = [replace(p, size=p.size + 0.5, spare=0.0) for p in parts]
    assert measure_parts(printer.printer.layout(printer.html(bigger)), ids)[back.id].pages > 1


def test_a_side_that_cannot_fit_even_at_the_smallest_size_is_an_error(fit_content, tmp_path: Path) -> None:
    content, flier = fit_content
    long_back = flier.sides[1].markdown + "\n\n" + "\n\n".join(["More about us, at length, again and again."] * 90)
    too_long = replace(flier, sides=(flier.sides[0], replace(flier.sides[1], markdown=long_back)))
    with pytest.raises(SourceError) as caught:
        build_flier(content, too_long, tmp_path / "too-long.pdf")
    text = str(caught.value)
    assert re.fullmatch(rf"fliers/fit-check\.md:{flier.sides[1].line}: the back does not fit on its page "
                        r"\(\d+ pages\); shorten it", text), text


# --- 2. The call to action on the front ----------------------------------------------------------------


def test_the_front_carries_the_meetings_in_large_type_and_a_big_code(site: Path, root: Path) -> None:
    with pdfplumber.open(downloads(site, "meetings-flier.pdf")) as pdf:
        front = pdf.pages[0]
        text = " ".join(front.extract_text().split())
        for meeting_id in ("open-meeting", "reading-group"):
            time = expected_time(meeting_id, root)
            assert time in text
            assert line_size(front, time) >= 18
        assert "Every Tuesday," in text and "Harbor Street Community Room, Back room" in text
        assert max(qr_squares_mm(front)) >= 25
        assert body_size(front) < line_size(front, expected_time("open-meeting", root))


def test_call_back_keeps_the_meetings_on_the_back(site: Path) -> None:
    with pdfplumber.open(downloads(site, "photo-flier.pdf")) as pdf:
        assert "Every Tuesday" in pdf.pages[0].extract_text()  # photo: the call is on the front
    with pdfplumber.open(downloads(site, "poster-flier.pdf")) as pdf:
        assert "Third Thursday" in " ".join(pdf.pages[0].extract_text().split())


# --- 3. Layouts -----------------------------------------------------------------------------------------


def headline_ratio(page, headline: str, body: str) -> float:
    return line_size(page, headline) / line_size(page, body)


def test_layouts_chosen_in_front_matter(site: Path) -> None:
    with pdfplumber.open(downloads(site, "meetings-flier.pdf")) as pdf:  # headline and text
        ratio = headline_ratio(pdf.pages[0], "Come and share", "a garden")
        assert ratio == pytest.approx(RATIOS["flier"] ** 3, rel=0.03)
        assert not pdf.pages[0].images
    with pdfplumber.open(downloads(site, "poster-flier.pdf")) as pdf:  # big type
        page = pdf.pages[0]
        ratio = headline_ratio(page, "Repair café", "Bring what is broken")
        assert ratio == pytest.approx(RATIOS["poster"] ** 3, rel=0.03)
        assert line_size(page, "Repair café") > 40
    with pdfplumber.open(downloads(site, "photo-flier.pdf")) as pdf:  # a photo on top
        page = pdf.pages[0]
        (photo,) = page.images
        headline = next(w for w in words(page) if w["text"] == "Tools")
        assert photo["top"] < headline["top"]
        assert photo["top"] == pytest.approx(0.45 * INCH, abs=2)
        # object-fit: cover scales the picture to fill the page area's width (and clips what is beyond)
        assert photo["x0"] <= 0.45 * INCH + 1 and photo["x1"] >= page.width - 0.45 * INCH - 1
        assert (photo["x0"] + photo["x1"]) / 2 == pytest.approx(page.width / 2, abs=1)


def test_a_photo_needs_its_description_and_a_known_layout(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "project")
    flier = root / "fliers" / "photo-flier.md"
    flier.write_text(PHOTO_FLIER.replace("alt: A hand-drawn map of Harbor Street with the tool shed marked\n", ""),
                     encoding="utf-8")
    (root / "fliers" / "bad-layout.md").write_text(POSTER_FLIER.replace("layout: poster", "layout: billboard"),
                                                   encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        load(root, TODAY)
    messages = sorted(str(e) for e in caught.value.errors)
    assert any(m.startswith("fliers/bad-layout.md:3: `layout`: Expected one of:") and "billboard" in m
               for m in messages), messages
    assert "fliers/photo-flier.md:4: `image` needs `alt:`" in " ".join(messages)


def mud_png(path: Path) -> None:
    """Red and green stripes of the same gray: clear in colour, mud in black and white."""
    from PIL import Image

    image = Image.new("RGB", (60, 40), (200, 0, 0))
    for x in range(0, 60, 20):
        for y in range(40):
            for dx in range(10):
                image.putpixel((x + dx, y), (0, 102, 0))
    low, high = image.convert("L").getextrema()
    assert low == high
    image.save(path)


def test_pictures_and_colours_that_print_as_mud_are_warnings(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "project")
    mud_png(root / "docs" / "images" / "mud.png")
    (root / "fliers" / "photo-flier.md").write_text(PHOTO_FLIER.replace("street-map.png", "mud.png"),
                                                     encoding="utf-8")
    (root / "fliers" / "poster-flier.md").write_text(POSTER_FLIER.replace("#1f4e79", "#ffd700"), encoding="utf-8")
    content = load(root, TODAY)
    found = sorted((str(w.file.relative_to(root)), w.line, w.code) for w in content.warnings
                   if w.code == "grayscale")
    assert found == [("fliers/photo-flier.md", 4, "grayscale"), ("fliers/poster-flier.md", 4, "grayscale")]
    messages = " ".join(str(w) for w in content.warnings)
    assert "mud.png prints as mud in black and white" in messages and "#ffd700" in messages


def test_a_clear_picture_and_a_dark_colour_are_not_warned_about(root: Path) -> None:
    content = load(root, TODAY)
    assert [w for w in content.warnings if w.code == "grayscale"] == []


# --- 4. The print-shop pack ------------------------------------------------------------------------------


def quadrant_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        w, h = page.width / 2, page.height / 2
        return [" ".join((page.crop((x, y, x + w, y + h)).extract_text() or "").split())
                for y in (0, h) for x in (0, w)]


def test_quarter_sheet_has_four_handbills_and_cut_marks(site: Path, root: Path) -> None:
    pdf = downloads(site, "meetings-flier-quarter.pdf")
    assert sizes(pdf) == [LETTER]
    texts = quadrant_texts(pdf)
    assert len(set(texts)) == 1 and "Come and share the street" in texts[0]
    assert expected_time("open-meeting", root) in texts[0]
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        vertical = [ln for ln in page.lines if abs(ln["x0"] - 306) < 0.5 and abs(ln["x1"] - 306) < 0.5]
        horizontal = [ln for ln in page.lines if abs(ln["top"] - 396) < 0.5 and abs(ln["bottom"] - 396) < 0.5]
        assert len(vertical) == 2 and len(horizontal) == 2  # one at each edge of each cut
        assert all(ln["bottom"] <= 0.5 * INCH or ln["top"] >= page.height - 0.5 * INCH for ln in vertical)
        assert min(qr_squares_mm(page)) >= 25
        assert len(qr_squares_mm(page)) == 4


def test_poster_is_tabloid_then_letter_in_big_type(site: Path) -> None:
    pdf = downloads(site, "meetings-flier-poster.pdf")
    assert sizes(pdf) == [TABLOID, LETTER]
    with pdfplumber.open(pdf) as doc:
        tabloid, letter = doc.pages
        assert body_size(tabloid) > body_size(letter) >= BOUNDS["poster-letter"][0]
        assert min(qr_squares_mm(tabloid)) > min(qr_squares_mm(letter)) >= 45
        assert "Come and share the street" in " ".join(letter.extract_text().split())


def panel_texts(pdf: Path) -> dict[int, tuple[str, set[bool]]]:
    """The zine page printed on each panel: its text, and whether its characters are upside down."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        w, h = page.width / 4, page.height / 2
        found = {}
        for row, numbers in enumerate(ZINE_ROWS):
            for col, number in enumerate(numbers):
                panel = page.crop((col * w, row * h, (col + 1) * w, (row + 1) * h))
                chars = [c for c in panel.chars if c["text"].strip()]
                turned = {c["matrix"][0] < 0 and c["matrix"][3] < 0 for c in chars}
                upside_down = True in turned  # read from the panel's own top: the sheet's bottom
                sign = -1 if upside_down else 1
                text = "".join(c["text"] for c in sorted(chars, key=lambda c: (sign * round(c["top"]), sign * c["x0"])))
                found[number] = (text, turned)
        return found


def test_impose_zine_places_and_turns_each_page(tmp_path: Path) -> None:
    html = ("<html lang=en><style>@page { size: 2.75in 4.25in; margin: 0.5in } p { font: 20pt 'Pamphlet Sans'; }"
            " section { break-after: page; }</style>"
            + "".join(f"<section><p>PAGE{n}</p></section>" for n in range(1, 9)))
    printer = Printer(base_url=tmp_path, stylesheets=[], what="zine test")
    pages = tmp_path / "pages.pdf"
    printer.save(printer.layout(html), pages)
    report = impose_zine(pages, tmp_path / "zine.pdf")
    assert sizes(tmp_path / "zine.pdf") == [LETTER_LANDSCAPE]
    found = panel_texts(tmp_path / "zine.pdf")
    for number in range(1, 9):
        text, turned = found[number]
        assert text.replace("PAGE", "") in (str(number), str(number)[::-1]), (number, text)
        assert turned == {number in ZINE_ROWS[0]}, number
    assert report.cut == (198, 594, 306)
    with pdfplumber.open(tmp_path / "zine.pdf") as doc:
        cut = [ln for ln in doc.pages[0].lines if abs(ln["top"] - 306) < 0.5 and ln["x0"] == pytest.approx(198)]
        assert cut and cut[0]["x1"] == pytest.approx(594)


def test_a_short_zine_leaves_blank_pages_before_its_back_cover(tmp_path: Path) -> None:
    html = ("<html lang=en><style>@page { size: 2.75in 4.25in } section { break-after: page; }</style>"
            + "".join(f"<section><p>PAGE{n}</p></section>" for n in range(1, 5)))
    printer = Printer(base_url=tmp_path, stylesheets=[], what="zine test")
    printer.save(printer.layout(html), tmp_path / "pages.pdf")
    impose_zine(tmp_path / "pages.pdf", tmp_path / "zine.pdf")
    found = panel_texts(tmp_path / "zine.pdf")
    assert {n: t.replace("PAGE", "") for n, (t, _) in found.items()} == {
        1: "1", 2: "2", 3: "3", 4: "", 5: "", 6: "", 7: "", 8: "4"}


def test_the_flier_zine_has_its_cover_text_and_call_on_the_right_panels(site: Path, root: Path) -> None:
    pdf = downloads(site, "meetings-flier-zine.pdf")
    assert sizes(pdf) == [LETTER_LANDSCAPE]
    found = panel_texts(pdf)
    cover, cover_turned = found[1]
    assert "Comeandsharethestreet" in cover and cover_turned == {False}
    inner, inner_turned = found[2]
    assert "HarborStreetsharesatoolshed" in inner and inner_turned == {True}
    back, back_turned = found[8]
    assert expected_time("open-meeting", root).replace(" ", "") in back and back_turned == {False}
    assert "Comeandshare" not in inner  # the headline is on the cover only


def test_back_cover_lists_the_meetings_the_manifest_names(site: Path, root: Path) -> None:
    with pdfplumber.open(downloads(site, "booklet.pdf")) as pdf:
        back = " ".join(pdf.pages[-1].extract_text().split())
        cover = pdf.pages[0]
        assert cover.images  # cover_image
    assert "Open meeting" in back and "Every Tuesday, " + expected_time("open-meeting", root) in back
    assert "Members' meeting Fourth Sunday" in back.replace("’", "'")  # no "(members)": the title says it
    assert "Fourth Sunday of each month, " + expected_time("members-meeting", root) in back
    assert "Place sent to members" in back and "a member's home" not in back.replace("’", "'")
    assert "Reading group" not in back  # not named in the manifest


def test_print_and_share_lists_the_pack_with_previews_and_instructions(site: Path) -> None:
    page = BeautifulSoup((site / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {}
    for item in page.select(".print-item"):
        link = item.select_one("a.print-thumb")
        if link is None:  # no first-page preview: only the e-book
            assert item.select_one(".print-thumb-none") and any(a["href"].endswith(".epub") for a in item.select("a"))
            continue
        target = (site / "print" / link["href"]).resolve()
        thumb = (site / "print" / link.img["src"]).resolve()
        assert target.is_file() and thumb.read_bytes().startswith(b"\x89PNG")
        listed[target.name] = " ".join(item.get_text(" ", strip=True).split())
    assert set(listed) == {p.name for p in (site / "downloads").glob("*.pdf")}
    for flier in ("meetings-flier", "photo-flier", "poster-flier"):
        assert "Letter (8.5 × 11 in)" in listed[f"{flier}-quarter.pdf"] and "cut" in listed[f"{flier}-quarter.pdf"]
        assert "Tabloid (11 × 17 in)" in listed[f"{flier}-poster.pdf"]
    zine = listed["meetings-flier-zine.pdf"]
    assert "Letter, landscape (11 × 8.5 in)" in zine and "one-sided" in zine and "dashed line" in zine
    assert "photo-flier-zine.pdf" not in listed  # only what says zine: true
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h2, article h3")]
    assert headings.index("Mini-zines") < headings.index("How to fold a mini-zine")
    diagram = page.select_one("figure.zine-diagram svg")
    labels = [t.get_text() for t in diagram.select("text")]
    assert labels[:8] == ["5", "4", "3", "2", "6", "7", "8", "1"]
    assert all("rotate(180" in t["transform"] for t in diagram.select("text")[:4])


# --- Grayscale copies -----------------------------------------------------------------------------------


def colours(pdf: Path) -> tuple[set[tuple], set[str]]:
    """Every colour a PDF sets that is not a gray (from the operators of its pages and of the forms
    they draw, at any depth), and the colour spaces of its pictures."""
    reader = PdfReader(pdf)
    found: set[tuple] = set()
    spaces: set[str] = set()
    seen: set[int] = set()

    def walk(owner, resources) -> None:
        for operands, operator in ContentStream(owner, reader).operations:
            if operator in (b"rg", b"RG", b"k", b"K", b"sc", b"scn", b"SC", b"SCN", b"cs", b"CS"):
                numbers = tuple(round(float(o), 3) for o in operands if not isinstance(o, str))
                if operator in (b"cs", b"CS"):
                    if operands[0] != "/DeviceGray":
                        found.add((str(operands[0]),))  # a colour space other than gray
                elif len(numbers) > 1 and len(set(numbers[:3])) > 1 or operator in (b"k", b"K"):
                    found.add(numbers)
        for ref in ((resources or {}).get("/XObject") or {}).values():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            xobject = ref.get_object()
            if xobject["/Subtype"] == "/Image":
                spaces.add(str(xobject["/ColorSpace"]))
            else:
                walk(xobject, xobject.get("/Resources"))

    for page in reader.pages:
        walk(page.get_contents(), page.get("/Resources"))
    return found, spaces


def test_grayscale_copies_hold_no_colour(site: Path) -> None:
    made = sorted(p.name for p in (site / "downloads").glob("*-grayscale.pdf"))
    originals = sorted(p.name for p in (site / "downloads").glob("*.pdf") if not p.name.endswith("-grayscale.pdf"))
    assert made == sorted(f"{name[:-4]}-grayscale.pdf" for name in originals)
    for name in ("poster-flier.pdf", "photo-flier.pdf", "booklet.pdf", "photo-flier-quarter.pdf"):
        colour, pictures = colours(downloads(site, name))
        assert colour or pictures - {"/DeviceGray"}, name  # the original has colour: accent, photo
        gray = downloads(site, f"{name[:-4]}-grayscale.pdf")
        colour, pictures = colours(gray)
        assert colour == set() and pictures <= {"/DeviceGray"}, (name, colour, pictures)
        assert sizes(gray) == sizes(downloads(site, name))
        with pdfplumber.open(gray) as a, pdfplumber.open(downloads(site, name)) as b:
            assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]
    page = BeautifulSoup((site / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = {" ".join(i.get_text(" ", strip=True).split()) for i in page.select(".print-item")}
    assert any("poster-flier-grayscale.pdf" in i and "shades of gray" in i for i in items)
