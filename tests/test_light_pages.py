"""Light pages that track no one (issue 14): no page loads anything from another host, reading works
without JavaScript, and the home page with what it loads weighs under 500 KB compressed."""

from __future__ import annotations

import functools
import gzip
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from expected import SITE_HOST, chapters

BUDGET = 500 * 1024  # bytes, gzip-compressed: the home page and everything it loads
# <link rel=...> values that make the browser fetch something (not canonical, alternate, prev...)
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon", "manifest", "preload",
                "modulepreload", "prefetch", "preconnect", "dns-prefetch", "prerender"}
# elements and the attributes they load from
LOADING_ATTRS = {"script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "video": ("src", "poster"),
                 "audio": ("src",), "track": ("src",), "iframe": ("src",), "embed": ("src",), "object": ("data",),
                 "input": ("src",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href")}
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.S)


def third_party(url: str) -> bool:
    """Does loading `url` ask a host other than the site's own? (Relative URLs and data: never do.)"""
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob"):
        return False
    return bool(parts.scheme or parts.netloc) and parts.hostname != SITE_HOST


def css_urls(css: str) -> list[str]:
    return [m.group(2) if m.group(2) is not None else m.group(4) for m in CSS_URL.finditer(css)]


def loaded_urls(html: str) -> list[str]:
    """Every address an HTML page makes the browser fetch by itself."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for link in soup.find_all("link", href=True):
        if LOADING_RELS & {r.lower() for r in link.get("rel", [])}:
            found.append(link["href"])
    for tag, attributes in LOADING_ATTRS.items():
        for element in soup.find_all(tag):
            for attribute in attributes:
                value = element.get(attribute)
                if value and attribute == "srcset":
                    found += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
                elif value:
                    found.append(value)
    for style in soup.find_all("style"):
        found += css_urls(style.get_text())
    for element in soup.find_all(style=True):
        found += css_urls(element["style"])
    return found


def test_the_checks_see_third_party_resources() -> None:
    """The scanner itself, on a page that does everything this test forbids."""
    html = ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
            '<link rel="preconnect" href="https://fonts.gstatic.com"><link rel="canonical" href="https://a.org/">'
            '<script src="//cdn.example.com/x.js"></script><img srcset="a.png 1x, https://t.example/p.gif 2x">'
            '<style>@import "https://x.example/y.css"; b { background: url(data:image/png;base64,AA) }</style>'
            f'<a href="https://elsewhere.example/">a link is not loaded</a><img src="https://{SITE_HOST}/i.png">')
    assert [u for u in loaded_urls(html) if third_party(u)] == [
        "https://fonts.googleapis.com/css?family=Roboto", "https://fonts.gstatic.com", "//cdn.example.com/x.js",
        "https://t.example/p.gif", "https://x.example/y.css"]


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    offenders = {}
    for page in pages:
        external = [u for u in loaded_urls(page.read_text(encoding="utf-8")) if third_party(u)]
        if external:
            offenders[page.relative_to(site).as_posix()] = external
    for sheet in sorted(site.rglob("*.css")):  # the stylesheets' url() and @import: fonts, pictures
        external = [u for u in css_urls(sheet.read_text(encoding="utf-8")) if third_party(u)]
        if external:
            offenders[sheet.relative_to(site).as_posix()] = external
    assert offenders == {}


# In the browser: what the pages really fetch (scripts included), without and with JavaScript.

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def fetched(browser, url: str, **options) -> tuple[list[str], object]:
    """The addresses the browser requests while it loads `url` (until the network is quiet)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(500)  # late requests of the scripts (Material asks for repository facts after load)
    return requests, page


@pytest.mark.browser
@pytest.mark.parametrize("path", ["", "booklet/councils/", "print/"])
def test_the_browser_asks_no_other_host(browser, base_url, path) -> None:
    requests, page = fetched(browser, base_url + path)
    try:
        assert requests and all(r.startswith(base_url) for r in requests), \
            [r for r in requests if not r.startswith(base_url)]
    finally:
        page.context.close()


def nav_link(nav, title: str):
    """The navigation's link to a page (a contested one's name ends with "(contested)")."""
    return nav.get_by_role("link", name=re.compile(rf"^{re.escape(title)}( \(contested\))?$")).first


def heading(page) -> str:
    return page.locator("article h1").first.inner_text().strip().removesuffix("¶").strip()


@pytest.mark.browser
def test_reading_works_without_javascript(browser, base_url, root) -> None:
    expected = chapters(root)
    councils = next(c for c in expected if c.slug == "councils")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base_url + f"booklet/{councils.slug}/")
        assert "no-js" in page.evaluate("() => document.documentElement.className")  # no script ran
        assert heading(page) == councils.title
        body = page.locator("article")
        assert body.get_by_text("The block council meets on the first Tuesday").is_visible()
        passage = page.get_by_role("complementary", name=re.compile(r"^Contested: .*standing reserve"))
        assert passage.is_visible()
        # the navigation: every chapter is listed and a link goes there
        nav = page.locator("nav.md-nav--primary")
        for chapter in expected:
            assert nav_link(nav, chapter.title).is_visible(), chapter.title
        other = next(c for c in expected if c.slug != councils.slug)
        nav_link(nav, other.title).click()
        page.wait_for_url(f"**/booklet/{other.slug}/")
        assert heading(page) == other.title
    finally:
        context.close()


@pytest.mark.browser
def test_the_menu_opens_without_javascript_on_a_phone(browser, base_url, root) -> None:
    """On a narrow screen the navigation is in a drawer; it opens with CSS alone (a checkbox)."""
    from playwright.sync_api import expect

    expected = chapters(root)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(base_url + f"booklet/{expected[0].slug}/")
        link = nav_link(page.locator("nav.md-nav--primary"), expected[-1].title)
        expect(link).not_to_be_in_viewport()  # the drawer is closed
        page.locator("header label[for='__drawer']").first.click()
        expect(link).to_be_in_viewport()
        link.click()
        page.wait_for_url(f"**/booklet/{expected[-1].slug}/")
    finally:
        context.close()


def site_file(site: Path, base_url: str, url: str) -> Path:
    path = unquote(urlsplit(url[len(base_url) - 1:]).path).lstrip("/")
    target = site / path
    return target / "index.html" if path == "" or target.is_dir() else target


@pytest.mark.browser
def test_the_home_page_weighs_under_500_kb_compressed(browser, base_url, site, record_property, capsys) -> None:
    requests, page = fetched(browser, base_url)
    page.context.close()
    sizes = {}
    for url in dict.fromkeys(requests):  # each address once (the browser caches the rest)
        file = site_file(site, base_url, url)
        sizes[file.relative_to(site).as_posix()] = len(gzip.compress(file.read_bytes(), compresslevel=6))
    total = sum(sizes.values())
    detail = ", ".join(f"{name} {size / 1024:.1f}" for name, size in sorted(sizes.items(), key=lambda i: -i[1]))
    report = f"home page and its {len(sizes) - 1} assets: {total / 1024:.1f} KB gzip-compressed ({detail})"
    record_property("home_page_gzip_bytes", total)
    with capsys.disabled():
        print(f"\n{report}")
    assert "index.html" in sizes and any(name.endswith(".css") for name in sizes)
    assert total < BUDGET, report
