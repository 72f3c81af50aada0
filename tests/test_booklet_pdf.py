"""The booklet PDF, read back: size, contents, bookmarks, fonts, metadata, reproducibility."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from pamphlet.build import load
from pamphlet.print.booklet import build_booklet

from expected import DATE_PRINTED, REPO_URL, chapters, manifest, sections
from pdfutil import HYPHENATION, fonts, normalize, outline, page_texts, words_in_box

POINTS = {"half-letter": (396, 612), "a5": (419.5, 595.3), "letter": (612, 792)}


@pytest.fixture(scope="module")
def pdf(site: Path) -> Path:
    return site / "downloads" / "booklet.pdf"


@pytest.fixture(scope="module")
def texts(pdf: Path) -> list[str]:
    return page_texts(pdf)


@pytest.fixture(scope="module")
def toc(texts: list[str]) -> dict[str, int]:
    """Chapter title -> page number, as printed on the contents page."""
    page = next(t for t in texts if t.lstrip().startswith("Contents"))
    body = page.split("Contents", 1)[1]
    entries = re.findall(r"(?:(\d+)\s+)?(\S.*?)\s*\.{3,}\s*(\d+)", body, re.S)
    return {normalize(title): int(number) for _, title, number in entries}


WORKS_CITED = "Works Cited"  # the last, unnumbered chapter


def test_page_size_is_half_letter_by_default(pdf: Path) -> None:
    reader = PdfReader(pdf)
    sizes = {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages}
    assert sizes == {POINTS["half-letter"]}


def test_contents_lists_every_chapter_in_manifest_order(toc: dict[str, int], root: Path) -> None:
    assert list(toc) == [c.title for c in chapters(root)] + [WORKS_CITED]


def test_contents_page_numbers_are_where_the_chapters_are_printed(toc, texts, root) -> None:
    for chapter in chapters(root):
        page = toc[chapter.title]
        printed = normalize(texts[page - 1])
        assert printed.startswith(f"CHAPTER {chapter.number} {chapter.title}"), (chapter.title, page)
    assert normalize(texts[toc[WORKS_CITED] - 1]).startswith(WORKS_CITED)


def test_chapters_start_on_right_hand_pages(toc: dict[str, int]) -> None:
    assert toc and all(page % 2 == 1 for page in toc.values()), toc


def test_bookmarks_are_the_chapters_with_their_sections(pdf: Path, toc, root) -> None:
    marks = outline(pdf)
    top = [(title, page) for level, title, page in marks if level == 1]
    assert top == [(c.title, toc[c.title]) for c in chapters(root)] + [(WORKS_CITED, toc[WORKS_CITED])]
    # each chapter's sections (its `##` headings) under it, in order, on the chapter's own pages
    expected = []
    for chapter in chapters(root):
        expected += [(1, chapter.title)] + [(2, title) for title in sections(root, chapter)]
    expected.append((1, WORKS_CITED))
    assert [(level, title) for level, title, _ in marks] == expected
    assert sum(level == 2 for level, _, _ in marks) >= 3 * len(chapters(root))
    starts = [page for _, page in top]
    next_start = dict(zip(starts, starts[1:]))
    for level, title, page in marks:
        if level == 1:
            start = page
        else:
            assert start <= page < next_start[start], (title, page)


def test_every_font_is_embedded_and_shipped_with_the_project(pdf: Path) -> None:
    used = fonts(pdf)
    assert used, "no fonts found"
    assert all(used.values()), used
    assert all(name.startswith("Pamphlet-") for name in used), used


def test_metadata(pdf: Path, root: Path) -> None:
    reader = PdfReader(pdf)
    facts = manifest(root)
    assert reader.metadata.title == facts["title"]
    assert reader.metadata.author == facts["organization"]
    assert reader.metadata.subject == " ".join(facts["description"].split())
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_front_matter_title_page_and_colophon(texts: list[str], root: Path) -> None:
    facts = manifest(root)
    title_page = normalize(texts[2])
    assert facts["title"] in title_page and facts["edition"] in title_page and DATE_PRINTED in title_page
    colophon = normalize(texts[3])
    for fact in (facts["edition"], facts["license"], REPO_URL.split("://", 1)[1]):
        assert fact in colophon


def test_running_heads_and_outer_page_numbers(pdf: Path, toc: dict[str, int], root: Path) -> None:
    facts = manifest(root)
    first = chapters(root)[0]
    right = toc[first.title] + 2  # a right-hand page inside the first chapter
    left = right - 1
    width, height = POINTS["half-letter"]
    head = lambda page: " ".join(w["text"] for w in words_in_box(pdf, page, (0, 0, width, 50)))  # noqa: E731
    assert head(left) == facts["title"]
    assert head(right) == first.title
    assert head(toc[first.title]) == ""  # no running head on a chapter's opening page
    foot = lambda page: words_in_box(pdf, page, (0, height - 50, width, height))  # noqa: E731
    (left_number,) = foot(left)
    (right_number,) = foot(right)
    assert left_number["text"] == str(left) and left_number["x1"] < width / 2
    assert right_number["text"] == str(right) and right_number["x0"] > width / 2


def test_text_is_hyphenated(texts: list[str], toc: dict[str, int]) -> None:
    body = "\n".join(texts[min(toc.values()) - 1:])
    broken = re.findall(rf"([a-z]+){HYPHENATION}\n([a-z]+)", body)
    assert len(broken) >= 10, broken


def test_contents_entries_are_links_to_the_chapters(pdf: Path, toc: dict[str, int]) -> None:
    reader = PdfReader(pdf)
    contents = next(i for i, p in enumerate(reader.pages) if (p.extract_text() or "").lstrip().startswith("Contents"))
    targets = []
    for annotation in reader.pages[contents].get("/Annots") or []:
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
            dest = annotation["/Dest"]
            if isinstance(dest, str) or hasattr(dest, "encode"):
                dest = reader.named_destinations[str(dest)]
                targets.append(reader.get_destination_page_number(dest) + 1)
            else:
                targets.append(reader.get_page_number(dest[0].get_object()) + 1)
    assert sorted(set(targets)) == sorted(toc.values())


def test_same_sources_give_the_same_bytes(pdf: Path, root: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    build_booklet(load(root), again)
    assert hashlib.sha256(again.read_bytes()).hexdigest() == hashlib.sha256(pdf.read_bytes()).hexdigest()


def test_paper_size_is_configurable(root: Path, tmp_path: Path) -> None:
    target = tmp_path / "a5.pdf"
    build_booklet(load(root), target, paper="a5")
    box = PdfReader(target).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == POINTS["a5"]


def test_a_chapter_with_an_image_prints(project: Path, tmp_path: Path) -> None:
    chapter = project / "booklet" / "commons.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\n![A sketch map of Harbor Street](../images/street-map.png)\n", encoding="utf-8")
    target = tmp_path / "booklet.pdf"
    build_booklet(load(project), target)
    images = [name for page in PdfReader(target).pages
              for name, xobject in ((page.get("/Resources") or {}).get("/XObject") or {}).items()
              if xobject.get_object().get("/Subtype") == "/Image"]
    assert images
