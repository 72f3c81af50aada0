"""Chapter-level printing: the booklet laid out in pieces kept in the print cache
(`pamphlet.print.booklet.lay_out_booklet`, `pamphlet.cache.Pieces`) and assembled into one PDF
(`pamphlet.print.assemble`).

Each change below is made to a copy of the tiny fixture project whose pieces are cached; the booklet
printed then must equal, byte for byte, the booklet of a clean print (no cache) of the same sources,
and only the pieces the change touches may be laid out again. Whole builds and the task cache are in
test_cache.py; no timings here (bench/run.py)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Callable

import pytest
from PIL import Image
from pypdf import PdfReader

from pamphlet.build import load
from pamphlet.cache import Pieces
from pamphlet.print.assemble import DEST_PREFIX
from pamphlet.print.booklet import booklet_printer, build_booklet

from cacheutil import edit
from conftest import TINY, TODAY, copy_project
from pdfutil import outline, page_texts


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", TINY)


def print_booklet(root: Path, target: Path, pieces: Path | None) -> bytes:
    build_booklet(load(root, TODAY), target, pieces=pieces)
    return target.read_bytes()


def kept(pieces: Path) -> set[str]:
    return {p.stem for p in pieces.glob("*.json")}


GROWTH = "\n\n" + "\n\n".join(
    "Each plot has a card on the shed door with the name of whoever tends it, the day it was last watered and "
    "what was sown; anyone may add a note, and the monthly meeting reads the cards aloud before it decides "
    "anything, so that the people who do the work are the ones whose word counts first." for _ in range(14))


def grow(root: Path) -> None:  # about three pages more: the next chapter starts two pages later
    edit(root / "booklet" / "gardens.md", "\nSee [the tools chapter]", GROWTH + "\n\nSee [the tools chapter]")


def add_chapter(root: Path) -> None:
    (root / "booklet" / "seeds.md").write_text("# Seed Swaps\n\nSeeds kept and shared each spring.\n",
                                               encoding="utf-8")
    edit(root / "booklet" / "booklet.yml", "  - tools.md", "  - tools.md\n  - seeds.md")


CHANGES: dict[str, tuple[Callable[[Path], None], int | None]] = {
    # what changes, and how many pieces are laid out again (None: not counted)
    "a sentence of a chapter": (lambda root: edit(root / "booklet" / "gardens.md", "meeting once a month",
                                                  "meeting every week"), 1),
    # the chapter; the Works Cited and the back cover (moved), the contents; not the next chapter (the same
    # piece, two pages later, under other page numbers) nor the page numbers (the booklet stays under 32 pages)
    "a chapter growing by pages": (grow, 4),
    # the new chapter, the Works Cited and back cover (moved), the contents (one line more: its
    # placeholder layout too), the cover (the PDF's keywords list the chapters)
    "a chapter added": (add_chapter, 6),
    "a chapter removed": (lambda root: edit(root / "booklet" / "booklet.yml", "  - gardens.md\n", ""), None),
    "the chapters reordered": (lambda root: edit(root / "booklet" / "booklet.yml", "  - gardens.md\n  - tools.md",
                                                 "  - tools.md\n  - gardens.md"), None),
    "a bibliography entry": (lambda root: edit(root / "refs.bib", "Parecon: Life", "Parecon: A Life"), 1),
    "a meeting time": (lambda root: edit(root / "data" / "meetings.yml", '"18:30"', '"19:00"'), 1),
    "a setting": (lambda root: edit(root / "mkdocs.yml", "circle.example.org/tiny", "circle.example.net/tiny"),
                  None),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_lays_out_again_only_what_it_touches(tiny: Path, tmp_path: Path, change: str) -> None:
    pieces, target = tmp_path / "pieces", tmp_path / "booklet.pdf"
    first = print_booklet(tiny, target, pieces)
    before = kept(pieces)
    # the front matter, the contents (twice: placeholders, then numbers), two chapters, their page numbers,
    # the Works Cited, the back cover
    assert len(before) == 8
    make, expected = CHANGES[change]
    make(tiny)
    after = print_booklet(tiny, target, pieces)
    assert after != first
    assert after == print_booklet(tiny, tmp_path / "clean.pdf", None)  # as a clean print, byte for byte
    if expected is not None:
        assert len(kept(pieces) - before) == expected


def test_page_numbers_follow_a_chapter_that_grows(tiny: Path, tmp_path: Path) -> None:
    """The contents, the Works Cited's page references and the running page numbers move with it."""
    pieces, target = tmp_path / "pieces", tmp_path / "booklet.pdf"
    print_booklet(tiny, target, pieces)
    before = page_texts(target)
    grow(tiny)
    print_booklet(tiny, target, pieces)
    after = page_texts(target)
    assert len(after) == len(before) + 2  # three pages more, one blank page less
    contents = next(text for text in after if text.startswith("Contents"))
    assert re.search(r"A Tool Library ?\.+ +13", contents) and re.search(r"Works Cited ?\.+ +15", contents)
    works_cited = next(text for text in after if text.startswith("Works Cited"))
    assert re.search(r"Parecon: Life After Capitalism\. London: Verso\.\s+Cited on p\.\s13\.", works_cited)
    assert after[12].startswith("CHAPTER 2") and after[12].rstrip().endswith("13")


def test_one_document_across_the_pieces(tiny: Path, tmp_path: Path) -> None:
    """Links between pieces, bookmarks, named destinations and the structure tree are one document's."""
    target = tmp_path / "booklet.pdf"
    print_booklet(tiny, target, tmp_path / "pieces")
    reader = PdfReader(target)
    names = set(reader.named_destinations)
    assert {"ch-gardens", "ch-tools", "works-cited", "contents", "tools--the-lending-shelf"} <= names
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    internal = [str(a["/Dest"]) for a in annotations if "/Dest" in a]
    assert {"ch-gardens", "ch-tools", "works-cited", "ref-albert:2003parecon", "tools--the-lending-shelf"} <= set(
        internal)  # the contents to the chapters, a citation to the Works Cited, a chapter to the other
    assert set(internal) <= names
    assert not [a for a in annotations if DEST_PREFIX in str(a.get("/A", {}).get("/URI", ""))]
    assert outline(target) == [(1, "Shared Gardens", 9), (2, "Who decides", 9), (2, "Who waters", 9),
                               (1, "A Tool Library", 11), (2, "The lending shelf", 11), (2, "Repairs", 11),
                               (1, "Works Cited", 13)]
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    (document,) = tree["/K"]
    nums = tree["/ParentTree"].get_object()["/Nums"]
    keys = [int(k) for k in nums[0::2]]
    assert keys == list(range(len(keys)))  # a page's index, then one key per link
    pages = len(reader.pages)
    assert [int(page["/StructParents"]) for page in reader.pages] == list(range(pages))
    assert sorted(int(a["/StructParent"]) for a in annotations) == list(range(pages, len(keys)))
    for element in document.get_object()["/K"]:  # every element hangs from the one /Document element
        assert element.get_object()["/P"].get_object() == document.get_object()
    page_ids = {page.indirect_reference.idnum for page in reader.pages}
    marked = [e.get_object() for value in nums[1:pages * 2:2] for e in value.get_object()]
    assert marked and all(e.raw_get("/Pg").idnum in page_ids for e in marked)


def test_a_damaged_piece_is_laid_out_again(tiny: Path, tmp_path: Path) -> None:
    pieces, target = tmp_path / "pieces", tmp_path / "booklet.pdf"
    clean = print_booklet(tiny, target, pieces)
    pdfs = sorted(pieces.glob("*.pdf"))
    damaged = pdfs[0].read_bytes()
    pdfs[0].write_bytes(damaged[:100] + bytes([damaged[100] ^ 1]) + damaged[101:])
    note = pdfs[1].with_suffix(".json")
    note.write_text(note.read_text(encoding="utf-8")[:40], encoding="utf-8")  # half-written
    assert print_booklet(tiny, target, pieces) == clean
    for pdf in pdfs[:2]:
        record = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        assert hashlib.sha256(pdf.read_bytes()).hexdigest() == record["pdf"]


def test_a_piece_is_laid_out_again_when_a_file_it_reads_changes(tiny: Path, tmp_path: Path) -> None:
    """A picture (and so a font) is read by the printer: its bytes are part of the piece's key."""
    picture = tiny / "docs" / "images" / "dot.png"
    picture.parent.mkdir()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(picture)
    edit(tiny / "booklet" / "tools.md", "## Repairs", "![A red dot](../images/dot.png)\n\n## Repairs")
    pieces, target = tmp_path / "pieces", tmp_path / "booklet.pdf"
    print_booklet(tiny, target, pieces)
    before = kept(pieces)
    (note,) = [p for p in pieces.glob("*.json")
               if any(path.endswith("dot.png") for path in json.loads(p.read_text(encoding="utf-8"))["read"])]
    first = json.loads(note.read_text(encoding="utf-8"))["pdf"]
    Image.new("RGB", (8, 8), (30, 30, 200)).save(picture)
    after = print_booklet(tiny, target, pieces)
    assert after == print_booklet(tiny, tmp_path / "clean.pdf", None)
    assert kept(pieces) == before  # the same HTML: laid out again under the same key
    assert json.loads(note.read_text(encoding="utf-8"))["pdf"] != first


def test_a_stylesheet_is_part_of_a_pieces_key(tiny: Path, tmp_path: Path) -> None:
    content = load(tiny, TODAY)
    sheet = tmp_path / "extra.css"
    sheet.write_text("p { color: #000; }", encoding="utf-8")
    printer = booklet_printer(content)
    printer.stylesheets = [*printer.stylesheets, sheet]
    store = Pieces(tmp_path / "pieces")
    html = "<!DOCTYPE html><html lang='en'><title>t</title><p>A line.</p></html>"
    first = store.lay_out(printer, html)
    assert store.lay_out(printer, html).path == first.path
    sheet.write_text("p { color: #333; }", encoding="utf-8")
    assert store.lay_out(printer, html).path != first.path


def test_old_pieces_are_pruned(tmp_path: Path) -> None:
    """The pieces this build used stay, with the most recent others (four times as many, at least 64)."""
    import os
    import time

    store = Pieces(tmp_path / "pieces")
    store.folder.mkdir()
    now = time.time()
    for n in range(100):
        for suffix in (".json", ".pdf"):
            path = store.folder / f"{n:03}{suffix}"
            path.write_text("{}", encoding="utf-8")
            os.utime(path, (now - 1000 + n, now - 1000 + n))  # 099 is the newest
    store.prune(since=now - 1000 + 90)  # this build used the last ten
    assert sorted(p.stem for p in store.folder.glob("*.json")) == [f"{n:03}" for n in range(36, 100)]
    assert sorted(p.stem for p in store.folder.glob("*.pdf")) == [f"{n:03}" for n in range(36, 100)]


def test_a_record_naming_a_file_outside_the_project_is_damaged(tiny: Path, tmp_path: Path) -> None:
    """A piece's record lists the files the printer read, to hash them again: one that names a file the
    printer may not read (a tampered cache) is not followed; the piece is laid out again."""
    pieces, target = tmp_path / "pieces", tmp_path / "booklet.pdf"
    clean = print_booklet(tiny, target, pieces)
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the printer", encoding="utf-8")
    note = sorted(pieces.glob("*.json"))[0]
    record = json.loads(note.read_text(encoding="utf-8"))
    record["read"][str(outside)] = hashlib.sha256(outside.read_bytes()).hexdigest()
    note.write_text(json.dumps(record), encoding="utf-8")
    assert print_booklet(tiny, target, pieces) == clean
    assert str(outside) not in json.loads(note.read_text(encoding="utf-8"))["read"]  # written again
