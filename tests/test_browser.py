"""The built site in a real headless Chromium (Debian's), driven by Playwright."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from expected import EMAIL, REPO_URL, chapters

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def base_url(site: Path):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def page(browser, base_url):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def open_search(page, base_url) -> object:
    """Open the home page's search box once the search index is loaded (Material says
    "Initializing search" until then, and ignores what is typed meanwhile)."""
    page.goto(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim().length > 0 && !/initializing/i.test(m.textContent); }",
        timeout=60000)
    return page.locator("input.md-search__input")


def search_for(page, word: str) -> None:
    """Type `word` and wait until Material has answered for it."""
    search = page.locator("input.md-search__input")
    search.fill("")
    search.press_sequentially(word, delay=20)
    page.wait_for_function(
        "w => { const m = document.querySelector('.md-search-result__meta');"
        " return document.querySelector('input.md-search__input').value === w"
        " && m && !/type to start|initializing/i.test(m.textContent); }", arg=word, timeout=60000)


def unique_word(root: Path) -> tuple[str, str]:
    """A long word that appears in exactly one chapter and nowhere else in the sources."""
    texts = {c.slug: (root / "booklet" / c.file).read_text(encoding="utf-8").lower() for c in chapters(root)}
    others = " ".join(p.read_text(encoding="utf-8").lower() for p in (root / "docs").rglob("*.md"))
    words = {slug: set(re.findall(r"\b[a-z]{9,}\b", text)) for slug, text in texts.items()}
    for slug, mine in words.items():
        rest = set().union(*(w for s, w in words.items() if s != slug)) | set(re.findall(r"[a-z]+", others))
        candidates = sorted(w for w in mine - rest if not any(w in t for s, t in texts.items() if s != slug))
        if candidates:
            return candidates[0], slug
    raise AssertionError("no word unique to one chapter")


def test_home_to_chapter_through_the_nav(page, base_url, built) -> None:
    root = built.site_dir.parent
    second = chapters(root)[1]
    page.goto(base_url)
    assert "a shared street is one where" in " ".join(page.locator("article").inner_text().lower().split())
    # a contested chapter's flag is read with its name: "Block Councils (contested)"
    name = re.compile(rf"^{re.escape(second.title)}( \(contested\))?$")
    page.locator("nav.md-nav--primary").get_by_role("link", name=name).first.click()
    page.wait_for_url(re.compile(rf"booklet/{second.slug}/$"))
    assert page.locator("article h1").inner_text().strip().rstrip("¶").strip() == second.title


def test_search_finds_the_one_chapter_with_a_word(page, base_url, built) -> None:
    word, slug = unique_word(built.site_dir.parent)
    open_search(page, base_url)
    search_for(page, word)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=30000)
    hrefs = {re.sub(r"[?#].*$", "", h) for h in results.evaluate_all("els => els.map(e => e.href)")}
    assert hrefs == {f"{base_url}booklet/{slug}/"}
    results.first.click()
    page.wait_for_url(re.compile(rf"booklet/{slug}/"))
    assert word in page.locator("article").inner_text().lower()


def test_pdf_link_downloads_the_booklet(page, base_url, built) -> None:
    first = chapters(built.site_dir.parent)[0]
    page.goto(f"{base_url}booklet/{first.slug}/")
    link = page.locator("a.pamphlet-download").first
    assert link.is_visible()
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF-") and data == (built.site_dir / "downloads" / "booklet.pdf").read_bytes()


def test_phone_layout_has_a_working_menu(browser, base_url, built) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(base_url)
        page.locator('label.md-header__button[for="__drawer"]').click()
        booklet = page.locator("nav.md-nav--primary li.md-nav__item--nested").filter(has_text="Booklet").first
        booklet.locator("label.md-nav__link").first.click()  # open the Booklet section's panel
        first = chapters(built.site_dir.parent)[0]
        link = page.locator("nav.md-nav--primary").get_by_role("link", name=first.title, exact=True).first
        link.wait_for(state="visible")
        link.click()
        page.wait_for_url(re.compile(rf"booklet/{first.slug}/$"))
    finally:
        context.close()


def test_contested_banner_is_visible_and_its_links_point_where_they_should(page, base_url) -> None:
    page.goto(f"{base_url}open-questions/")
    # follow the open-questions entry for the standing-reserve passage to the passage itself
    entry = page.locator("article li").filter(has_text="standing reserve").first
    entry.get_by_role("link", name="A passage").click()
    page.wait_for_url(re.compile(r"booklet/councils/#contested-standing-reserve$"))
    banner = page.locator("aside#contested-standing-reserve .contested-banner")
    banner.wait_for(state="visible")
    assert banner.is_visible() and "standing reserve" in banner.inner_text()
    box = banner.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    links = page.locator("aside#contested-standing-reserve .feedback-links a")
    hrefs = {links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs["Suggest an edit"] == f"{REPO_URL}/edit/main/booklet/councils.md"
    assert hrefs["Open an issue"].startswith(f"{REPO_URL}/issues/new?title=")
    assert hrefs["Email us"].startswith(f"mailto:{EMAIL}?subject=")


def closed_meeting_word(root: Path) -> str:
    """A word written only in closed meetings' notes, nowhere in what is published."""
    import yaml

    public, closed = [], []
    for path in [*(root / "docs").rglob("*.md"), *(root / "booklet").glob("*.md"), *(root / "fliers").glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        is_closed = path.parent.name == "meetings" and yaml.safe_load(text.split("---\n")[1]).get("kind") == "closed"
        (closed if is_closed else public).append(text.lower())
    public_text = " ".join(public)
    candidates = {w for t in closed for w in re.findall(r"\b[a-z]{7,}\b", t)}
    words = sorted(candidates - set(re.findall(r"[a-z]+", public_text)))
    assert words, "no word unique to closed meetings"
    return words[0]


def test_search_finds_nothing_from_closed_meetings(page, base_url, built) -> None:
    root = built.site_dir.parent
    word = closed_meeting_word(root)
    open_search(page, base_url)
    # the search works: a word from the open meetings' notes is found...
    search_for(page, "facilitator")
    assert page.locator(".md-search-result__item").count() > 0
    # ...and the closed meetings' word is not
    search_for(page, word)
    meta = page.locator(".md-search-result__meta")
    assert page.locator(".md-search-result__item").count() == 0, meta.inner_text()
    assert "no matching" in meta.inner_text().lower()
