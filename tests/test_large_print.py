"""The large-print edition: letter paper, body text at 16 pt or more, its own page numbers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber

from expected import chapters

LETTER = (612, 792)


def sizes(pdf) -> Counter:
    found: Counter = Counter()
    for page in pdf.pages:
        for char in page.chars:
            if char["text"].strip():
                found[round(char["size"], 1)] += 1
    return found


def test_large_print_is_letter_with_body_text_at_16_pt(site: Path) -> None:
    with pdfplumber.open(site / "downloads" / "booklet-large-print.pdf") as pdf:
        assert {(round(p.width), round(p.height)) for p in pdf.pages} == {LETTER}
        found = sizes(pdf)
    body, _ = found.most_common(1)[0]
    assert body >= 16
    # nothing but running heads (12 pt) and page numbers (14 pt) is set smaller than the body
    small = sum(n for size, n in found.items() if size < 16)
    assert small < 0.05 * sum(found.values()) and min(found) >= 12
    with pdfplumber.open(site / "downloads" / "booklet.pdf") as pdf:
        assert sizes(pdf).most_common(1)[0][0] < 12  # the ordinary booklet is smaller: a real difference


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


def test_large_print_contents_and_works_cited_carry_its_own_page_numbers(site: Path, built) -> None:
    texts = page_texts(site / "downloads" / "booklet-large-print.pdf")
    contents = next(t for t in texts if t.startswith("Contents"))
    for chapter in chapters(built.site_dir.parent):
        listed = re.search(rf"{chapter.number} {re.escape(chapter.title)}\.*\s*(\d+)", contents)
        assert listed, (chapter.title, contents)
        page = int(listed.group(1))
        # the chapter starts on the page its contents line names, in this edition
        assert chapter.title in texts[page - 1] and f"CHAPTER {chapter.number}" in texts[page - 1].upper()
    cited = [t for t in texts if t.startswith("Works Cited")]
    assert cited, "a Works Cited chapter"
    # each work's back-references name the pages of this edition where its author is cited
    entries = re.findall(r"([A-Z][a-z]+), [A-Z][^“]*?\d{4}\..*?Cited on ((?:p\. \d+,? ?)+)", " ".join(cited))
    assert entries
    for author, pages in entries:
        numbers = [int(n) for n in re.findall(r"\d+", pages)]
        assert all(author in texts[n - 1] for n in numbers), (author, numbers)


def test_large_print_is_planned_listed_and_tagged(site: Path) -> None:
    import pikepdf

    html = (site / "print" / "index.html").read_text(encoding="utf-8")
    assert "downloads/booklet-large-print.pdf" in html and "large print" in html
    with pikepdf.open(site / "downloads" / "booklet-large-print.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en"
