"""The built site, parsed: pages, navigation order, download and edit links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from expected import REPO_URL, chapters, manifest


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_path(site: Path, href_from: Path, href: str) -> Path:
    """The file a relative link on `href_from` leads to (directory URLs end in index.html)."""
    base = "file://" + str(href_from)
    url = urlsplit(urljoin(base, href))
    target = Path(url.path)
    return target / "index.html" if url.path.endswith("/") else target


def test_every_chapter_has_a_page_with_its_title(site: Path, root: Path) -> None:
    for chapter in chapters(root):
        page = site / "booklet" / chapter.slug / "index.html"
        assert page.is_file(), chapter
        assert soup(page).select_one("article h1").get_text(strip=True).rstrip("¶") == chapter.title


def test_home_page_is_the_home_page_source(site: Path) -> None:
    text = " ".join(soup(site / "index.html").select_one("article").get_text(" ", strip=True).split())
    assert "A shared street is one where the neighbours run the tools" in text  # docs/index.md


def test_nav_lists_the_chapters_in_manifest_order(site: Path, root: Path) -> None:
    home = site / "index.html"
    links = soup(home).select("nav.md-nav--primary a.md-nav__link[href]")
    chapter_pages = {site / "booklet" / c.slug / "index.html": c.title for c in chapters(root)}
    in_nav = [chapter_pages[p] for p in (page_path(site, home, a["href"]) for a in links) if p in chapter_pages]
    assert in_nav == [c.title for c in chapters(root)]


def test_booklet_pages_link_to_the_pdf_and_every_download_exists(site: Path, root: Path) -> None:
    pages = [site / "booklet" / "index.html"] + [site / "booklet" / c.slug / "index.html" for c in chapters(root)]
    for page in pages:
        downloads = soup(page).select("a.pamphlet-download")
        assert downloads, page
        for link in downloads:
            target = page_path(site, page, link["href"])
            assert target == site / "downloads" / manifest(root)["download"]
            assert target.is_file() and target.read_bytes().startswith(b"%PDF-")
    for page in site.rglob("*.html"):
        for link in soup(page).select('a[href$=".pdf"]'):
            if not urlsplit(link["href"]).scheme:
                assert page_path(site, page, link["href"]).is_file(), (page, link["href"])


def test_edit_links_point_at_the_real_source_file(site: Path, root: Path) -> None:
    for chapter in chapters(root):
        page = soup(site / "booklet" / chapter.slug / "index.html")
        edit = page.select_one('a.md-content__button[href*="/edit/"]')
        assert edit["href"] == f"{REPO_URL}/edit/main/booklet/{chapter.file}"
    home = soup(site / "index.html").select_one('a.md-content__button[href*="/edit/"]')
    assert home["href"] == f"{REPO_URL}/edit/main/docs/index.md"


def test_search_index_covers_every_chapter(site: Path, root: Path) -> None:
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    for chapter in chapters(root):
        assert f"booklet/{chapter.slug}/" in locations


def test_images_are_published_with_their_description(site: Path, root: Path) -> None:
    original = (root / "docs" / "images" / "street-map.png").read_bytes()
    for page, alt in [(site / "index.html", "A sketch map of Harbor Street"),
                      (site / "booklet" / "commons" / "index.html",
                       "A sketch map of Harbor Street with the shed, the garden and the cupboard")]:
        (image,) = soup(page).select("article img")
        assert image["alt"] == alt
        assert page_path(site, page, image["src"]).read_bytes() == original


def test_footnotes_link_both_ways(site: Path) -> None:
    page = soup(site / "booklet" / "commons" / "index.html")
    (call,) = page.select("article sup a.footnote-ref")
    note = page.find(id=call["href"][1:])
    assert " ".join(note.get_text(" ", strip=True).split()).startswith("The electronic catalogue lasted eleven weeks.")
    back = note.select_one("a.footnote-backref")
    assert page.find(id=back["href"][1:]) is call.parent
