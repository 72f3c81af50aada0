"""Fliers, the meeting schedule as one source, and copy-shop-ready files, read back from the build."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import icalendar
import pdfplumber
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from pamphlet.build import build

from conftest import TODAY, errors_of
from expected import SITE_HOST, SITE_URL, chapters
from pdfutil import normalize, page_texts

HALF_LETTER, LETTER, LETTER_LANDSCAPE = (396, 612), (612, 792), (792, 612)


def sizes(pdf: Path) -> list[tuple[int, int]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages]


def halves(pdf: Path, number: int) -> tuple[str, str]:
    """The text of the left and right halves of a page (1-based)."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[number - 1]
        middle = page.width / 2
        left = page.crop((0, 0, middle, page.height)).extract_text() or ""
        right = page.crop((middle, 0, page.width, page.height)).extract_text() or ""
    return left, right


# --- the sample's build ---------------------------------------------------------------------------------


def test_flier_is_two_half_letter_pages(site: Path) -> None:
    assert sizes(site / "downloads" / "meetings-flier.pdf") == [HALF_LETTER, HALF_LETTER]


def test_handout_is_one_letter_page(site: Path) -> None:
    assert sizes(site / "downloads" / "one-pager.pdf") == [LETTER]


def test_print_sheet_has_two_copies_side_by_side(site: Path) -> None:
    sheet = site / "downloads" / "meetings-flier-sheet.pdf"
    assert sizes(sheet) == [LETTER_LANDSCAPE, LETTER_LANDSCAPE]
    flier = page_texts(site / "downloads" / "meetings-flier.pdf")
    for number in (1, 2):
        left, right = halves(sheet, number)
        assert normalize(left) == normalize(right) == normalize(flier[number - 1])


def test_imposed_booklet_pages_are_in_saddle_stitch_order(site: Path) -> None:
    booklet = site / "downloads" / "booklet.pdf"
    imposed = site / "downloads" / "booklet-imposed.pdf"
    n = len(PdfReader(booklet).pages)
    padded = -(-n // 4) * 4
    assert sizes(imposed) == [LETTER_LANDSCAPE] * (padded // 2)
    source = [normalize(t) for t in page_texts(booklet)]
    # blanks are inserted before the back cover, which stays the last page
    pages = source[:-1] + [""] * (padded - n) + source[-1:]
    for k in range(1, padded // 4 + 1):
        front = (padded - 2 * k + 2, 2 * k - 1)
        back = (2 * k, padded - 2 * k + 1)
        for side, (left, right) in ((2 * k - 1, front), (2 * k, back)):
            got_left, got_right = (normalize(t) for t in halves(imposed, side))
            assert (got_left, got_right) == (pages[left - 1], pages[right - 1]), (k, side)


def test_chapter_handouts_carry_their_own_works_cited(site: Path, root: Path) -> None:
    for chapter in chapters(root):
        pdf = site / "downloads" / f"chapter-{chapter.slug}.pdf"
        assert set(sizes(pdf)) == {LETTER}
        text = normalize("\n".join(page_texts(pdf)))
        assert chapter.title in text and "References" in text


def test_print_and_share_lists_every_pdf_with_preview_and_paper(site: Path) -> None:
    page = BeautifulSoup((site / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {}
    for item in page.select(".print-item"):
        link = item.select_one("a.print-thumb")
        if link is None:  # the e-book (tests/test_epub.py): no first page to preview
            continue
        target = (site / "print" / link["href"]).resolve()
        thumb = (site / "print" / link.img["src"]).resolve()
        assert target.is_file() and thumb.is_file() and thumb.read_bytes().startswith(b"\x89PNG")
        listed[target.name] = item.get_text(" ", strip=True)
    pdfs = {p.name for p in (site / "downloads").glob("*.pdf")}
    assert set(listed) == pdfs
    assert {"booklet.pdf", "booklet-imposed.pdf", "meetings-flier.pdf", "meetings-flier-sheet.pdf",
            "one-pager.pdf"} <= pdfs
    assert "Half letter (5.5 × 8.5 in)" in listed["meetings-flier.pdf"]
    assert "flipped on the short edge" in listed["booklet-imposed.pdf"]


def test_calendar_feed_is_valid_and_public(site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((site / "meetings.ics").read_bytes())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e}
    assert f"open-meeting@{SITE_HOST}" in events
    assert f"members-meeting@{SITE_HOST}" not in events  # members-only stays out
    assert events[f"open-meeting@{SITE_HOST}"]["RRULE"]["BYDAY"] == ["TU"]


def test_the_schedule_changes_reach_the_meetings_page_and_the_feed(site: Path) -> None:
    # data/meetings.yml cancels July 7 and moves August 11 to 5:30 pm at the library.
    page = BeautifulSoup((site / "meetings" / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(page.select_one("article").get_text(" ", strip=True).split())
    upcoming = text.index("Tuesday, June 30, 2026, 6:30–8:00 pm")  # the first after the build's day
    cancelled = text.index("Cancelled: Tuesday, July 7, 2026, 6:30–8:00 pm, Open meeting (Street party clean-up.)")
    assert upcoming < cancelled < text.index("Tuesday, July 14, 2026, 6:30–8:00 pm")
    assert "Tuesday, June 23, 2026" not in text  # before the build's day
    # the next meeting's agenda, as the latest public notes (June 16) decided it
    assert "Agenda decided at the last meeting: Welcome and introductions The July rota The repair café’s first " \
           "month" in text
    calendar = icalendar.Calendar.from_ical((site / "meetings.ics").read_bytes())
    events = [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("open-meeting@")]
    (series,) = [e for e in events if "RECURRENCE-ID" not in e]
    skipped = [d.dt for exdate in ([series["EXDATE"]] if not isinstance(series["EXDATE"], list) else series["EXDATE"])
               for d in exdate.dts]
    assert [(d.date().isoformat(), d.hour, d.minute) for d in skipped] == [("2026-07-07", 18, 30)]
    (moved,) = [e for e in events if "RECURRENCE-ID" in e]
    assert moved.decoded("RECURRENCE-ID").date().isoformat() == "2026-08-11"
    assert (moved.decoded("DTSTART").hour, moved.decoded("DTSTART").minute) == (17, 30)
    assert "Harbor Street Library" in str(moved["LOCATION"])


def zbar(image: Path) -> list[str]:
    result = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True)
    return sorted(line for line in result.stdout.splitlines() if line)


@pytest.mark.parametrize(("pdf", "page", "url"), [
    ("meetings-flier.pdf", 2, SITE_URL + "meetings/"),
    ("one-pager.pdf", 1, SITE_URL + "booklet/"),
])
def test_qr_codes_lead_to_stable_pages(site: Path, tmp_path: Path, pdf: str, page: int, url: str) -> None:
    if shutil.which("zbarimg") is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("zbarimg is required in CI")
        pytest.skip("zbarimg is not installed")
    import pypdfium2

    image = pypdfium2.PdfDocument(str(site / "downloads" / pdf))[page - 1].render(scale=600 / 72).to_pil()
    image.save(tmp_path / "page.png")
    assert zbar(tmp_path / "page.png") == [url]


# --- one change in data/meetings.yml reaches every output ------------------------------------------------


def test_changing_a_meeting_time_changes_every_output(project: Path) -> None:
    data = project / "data" / "meetings.yml"
    text = data.read_text(encoding="utf-8")
    start = text.index("  - id: open-meeting")
    block = text[start:text.index("  - id:", start + 5)]
    assert 'start: "18:30"' in block and 'end: "20:00"' in block
    data.write_text(text.replace(block, block.replace('start: "18:30"', 'start: "17:45"', 1)
                                 .replace('end: "20:00"', 'end: "19:15"', 1)), encoding="utf-8")
    result = build(project, quiet=True, today=TODAY)
    site = result.site_dir
    new = "5:45–7:15 pm"
    flier = normalize("\n".join(page_texts(site / "downloads" / "meetings-flier.pdf")))
    assert f"Every Tuesday, {new}" in flier and "6:30–8:00 pm" not in flier
    booklet = page_texts(site / "downloads" / "booklet.pdf")
    assert f"Every Tuesday, {new}" in normalize(booklet[-1])  # the back cover
    meetings = BeautifulSoup((site / "meetings" / "index.html").read_text(encoding="utf-8"), "html.parser")
    text = meetings.select_one("article").get_text(" ", strip=True)
    assert f"Tuesday, June 30, 2026, {new}" in text and f"Every Tuesday, {new}" in text
    calendar = icalendar.Calendar.from_ical((site / "meetings.ics").read_bytes())
    event = next(e for e in calendar.walk("VEVENT")
                 if str(e["uid"]).startswith("open-meeting@") and "RECURRENCE-ID" not in e)
    assert (event.decoded("DTSTART").hour, event.decoded("DTSTART").minute) == (17, 45)
    assert (event.decoded("DTEND").hour, event.decoded("DTEND").minute) == (19, 15)


# --- bad input -----------------------------------------------------------------------------------------


def _line_of(path: Path, needle: str) -> int:
    return path.read_text(encoding="utf-8").split("\n").index(needle) + 1


def test_a_flier_naming_a_meeting_that_does_not_exist(project: Path, cli) -> None:
    flier = project / "fliers" / "meetings-flier.md"
    flier.write_text(flier.read_text(encoding="utf-8").replace(
        "meetings: [open-meeting, reading-group]", "meetings:\n  - open-meeting\n  - tuesday-social"), encoding="utf-8")
    line = _line_of(flier, "  - tuesday-social")
    (error,) = errors_of(cli(project, "build"))
    assert error.startswith(f"error: fliers/meetings-flier.md:{line}: no meeting `tuesday-social` in data/meetings.yml")


def test_a_flier_side_that_overflows_names_the_flier_and_the_side(project: Path, cli) -> None:
    flier = project / "fliers" / "meetings-flier.md"
    text = flier.read_text(encoding="utf-8")
    flier.write_text(text + "\n" + "\n\n".join(["More about us, at length, again and again."] * 60) + "\n",
                     encoding="utf-8")
    line = _line_of(flier, "---side---") + 1
    (error,) = errors_of(cli(project, "build"))
    assert re.fullmatch(rf"error: fliers/meetings-flier\.md:{line}: the back does not fit on its page "
                        r"\(\d+ pages\); shorten it", error), error


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    dates: [2026-07-18, 2026-10-17]", "    dates: [2026-02-30, 2026-10-17]", "2026-02-30 is not a date"),
    ("timezone: America/Chicago", "timezone: America/Springfield", "America/Springfield"),
    ("    monthly: {nth: 3, weekday: thursday}", "    monthly: {nth: 5, weekday: monday}\n    until: 2026-05-31",
     "there is no fifth Monday"),
])
def test_impossible_schedules_are_errors_with_their_line(project: Path, cli, old: str, new: str, message: str) -> None:
    data = project / "data" / "meetings.yml"
    text = data.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    data.write_text(text.replace(old, new, 1), encoding="utf-8")
    (error,) = errors_of(cli(project, "build"))
    assert error.startswith(f"error: data/meetings.yml:{line}:") and message in error, error


def test_crop_marks_and_bleed_for_the_copy_shop_are_a_manifest_setting(project: Path, cli) -> None:
    manifest = project / "booklet" / "booklet.yml"
    text = manifest.read_text(encoding="utf-8")
    assert "\ncrop_marks: false\n" in text and "\nbleed: 0\n" in text
    manifest.write_text(text.replace("\ncrop_marks: false\n", "\ncrop_marks: true\n")
                        .replace("\nbleed: 0\n", "\nbleed: 0.125in\n"), encoding="utf-8")
    result = cli(project, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    page = PdfReader(project / "site" / "downloads" / "booklet-imposed.pdf").pages[0]
    trim = (round(float(page.trimbox.width)), round(float(page.trimbox.height)))
    media = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
    assert trim == LETTER_LANDSCAPE and media[0] > trim[0] and media[1] > trim[1]
    bleed = page.bleedbox
    assert round(float(bleed.width) - float(page.trimbox.width)) == 18  # 0.125in on each side


def test_a_bad_bleed_is_an_error_at_its_line(project: Path, cli) -> None:
    manifest = project / "booklet" / "booklet.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("\nbleed: 0\n", "\nbleed: wide\n"), encoding="utf-8")
    line = _line_of(manifest, "bleed: wide")
    (error,) = errors_of(cli(project, "build"))
    assert error == (f"error: booklet/booklet.yml:{line}: `bleed`: Expected a length like 0.125in, 3mm or 9pt "
                     "but received: 'wide'")
