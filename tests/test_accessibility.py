"""The built site is accessible: axe-core (through axe-playwright-python) in Debian's Chromium finds no
serious or critical violation on any page type, in light and dark mode; the keyboard reaches the
feedback links and the download buttons; contested passages and their flags are announced as what
they are.

The site is served under the path of its `site_url` (/sample/), as it is published, so that the 404
page (whose links are absolute) is checked styled, as readers see it.
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from expected import chapters

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")
BLOCKING = {"serious", "critical"}


def page_types(site: Path) -> dict[str, str]:
    """One page of each type, by name: its path under the site's root."""
    root = site.parent
    first, contested = chapters(root)[0], "councils"
    notes = sorted(p.parent.name for p in (site / "meetings").glob("20*/index.html"))
    feedback = sorted(p.parent.name for p in (site / "feedback").glob("*-*/index.html"))
    assert notes and feedback, "the sample has meeting notes and a contested section's feedback page"
    return {
        "home": "", "booklet": "booklet/", "chapter": f"booklet/{first.slug}/",
        "contested chapter": f"booklet/{contested}/", "faq": "faq/", "meetings": "meetings/",
        "meeting notes": f"meetings/{notes[-1]}/", "action items": "meetings/actions/", "roles": "meetings/roles/",
        "works cited": "works-cited/", "open questions": "open-questions/", "feedback": "feedback/",
        "section feedback": f"feedback/{feedback[0]}/", "print & share": "print/", "allies": "allies/",
        "404": "no-such-page/",
    }


PAGE_NAMES = ["home", "booklet", "chapter", "contested chapter", "faq", "meetings", "meeting notes", "action items",
              "roles", "works cited", "open questions", "feedback", "section feedback", "print & share", "allies",
              "404"]


@pytest.fixture(scope="module")
def base_url(site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The site served at the path of its site_url, with its 404 page for what does not exist."""
    prefix = urlsplit(_site_url(site)).path.strip("/")
    top = tmp_path_factory.mktemp("served")
    (top / prefix).parent.mkdir(parents=True, exist_ok=True)
    (top / prefix).symlink_to(site, target_is_directory=True)
    handler = functools.partial(_Handler, directory=str(top), not_found=(site / "404.html").read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}/"
    server.shutdown()


def _site_url(site: Path) -> str:
    import yaml

    return yaml.safe_load((site.parent / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, not_found: bytes, **kwargs) -> None:
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def send_error(self, code, message=None, explain=None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.not_found)))
        self.end_headers()
        self.wfile.write(self.not_found)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def tabs(browser):
    """One page per colour scheme, for the whole module (a new page per check is slow)."""
    contexts = {scheme: browser.new_context(color_scheme=scheme) for scheme in SCHEMES}
    pages = {scheme: context.new_page() for scheme, context in contexts.items()}
    yield pages
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {' '.join(n.get('failureSummary', '').split())[:240]}" for n in v["nodes"][:4]]
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_nothing_serious(tabs, axe, base_url, site, scheme, name) -> None:
    page = tabs[scheme]
    response = page.goto(base_url + page_types(site)[name])
    assert response.status == (404 if name == "404" else 200)
    # the page is the styled one (its stylesheets loaded), in the asked scheme
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    assert page.locator("header.md-header").evaluate("e => getComputedStyle(e).position") in ("sticky", "fixed")
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{name} ({scheme}):\n{describe(blocking)}"


def focus_walk(page, limit: int = 250) -> list[dict]:
    """Press Tab from the top of the page until focus comes round again; what got focus, in order."""
    page.locator("body").focus()
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate("() => { const e = document.activeElement; return e === document.body ? null :"
                             " {tag: e.tagName, cls: e.className || '', href: e.getAttribute('href'),"
                             "  text: e.innerText.trim(), visible: !!(e.offsetWidth || e.offsetHeight)}; }")
        if info is None or (seen and info == seen[0]):
            break
        seen.append(info)
    return seen


def test_the_keyboard_reaches_the_download_buttons_and_feedback_links(tabs, base_url, site) -> None:
    page = tabs["light"]
    page.goto(base_url + page_types(site)["contested chapter"])
    focused = focus_walk(page)
    downloads = [f for f in focused if "pamphlet-download" in f["cls"]]
    assert downloads and all(f["visible"] and f["href"].endswith(".pdf") for f in downloads)
    feedback = {f["text"] for f in focused if "feedback-link" in f["cls"]}
    assert {"Suggest an edit", "Open an issue", "Email us"} <= feedback
    # the contested passage's own links come before the page's closing ones, in reading order
    kinds = [f["cls"] for f in focused if "feedback-link" in f["cls"]]
    assert len(kinds) >= 6
    # a focused link is visibly marked
    page.locator("a.pamphlet-download").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_the_keyboard_reaches_every_file_on_print_and_share(tabs, base_url, site) -> None:
    page = tabs["light"]
    page.goto(base_url + page_types(site)["print & share"])
    focused = {f["href"] for f in focus_walk(page, limit=400) if f["href"]}
    files = {p.name for p in (site / "downloads").glob("*.pdf")}
    reached = {Path(h).name for h in focused if h.endswith(".pdf")}
    assert files and files <= reached, sorted(files - reached)


def test_contested_passages_are_announced_as_such(tabs, base_url, site, built) -> None:
    page = tabs["light"]
    page.goto(base_url + page_types(site)["contested chapter"])
    passage = page.get_by_role("complementary", name=re.compile(r"^Contested: .*standing reserve"))
    assert passage.count() == 1
    assert passage.get_attribute("id") == "contested-standing-reserve"
    # the flag is drawn by CSS and hidden; the visible label says what it means
    assert passage.locator(".contested-icon").get_attribute("aria-hidden") == "true"
    assert passage.locator(".contested-label").inner_text().strip() == "Contested:"
    # a whole contested page: its banner is named as the page's
    page.goto(base_url + "booklet/repair/")
    assert page.get_by_role("complementary", name=re.compile(r"^Contested page: ")).count() == 1


def test_flags_in_the_navigation_have_a_text_alternative(tabs, base_url, site) -> None:
    page = tabs["light"]
    page.goto(base_url)
    nav = page.locator("nav.md-nav--primary")
    assert nav.get_by_role("link", name=re.compile(r"^Block Councils \(contested\)$")).count() >= 1
    # an uncontested chapter has no flag, and says nothing of the kind
    first = chapters(site.parent)[0]
    assert nav.get_by_role("link", name=first.title, exact=True).count() >= 1


def test_every_image_has_a_text_alternative(tabs, base_url, site) -> None:
    """Every picture on every page type has an alt text (the print page's previews included), and
    every inline SVG drawing (the zine's folding diagram) a name."""
    from bs4 import BeautifulSoup

    images = 0
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup
        for img in article.find_all("img"):
            images += 1
            assert (img.get("alt") or "").strip(), f"{html.relative_to(site)}: {img}"
        for svg in article.find_all("svg", recursive=True):
            if svg.find_parent("svg") is None and svg.get("role") == "img":
                assert (svg.get("aria-label") or "").strip(), html
    assert images > 0
