"""The same site under both engines: MkDocs + Material and Zensical (issue 13).

The tiny fixture project is copied once per session, given a closed meeting note, a draft page and
the theme's edit button, and built once with each engine through the real command
(`pamphlet build --engine ...`). The two sites are compared page by page with
`pamphlet.site.compare`; private pages are looked for in every file each engine wrote.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import http.server
import json
import re
import shutil
import signal
import socketserver
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from pamphlet.cli import main
from pamphlet.errors import SourceError, SourceErrors
from pamphlet.model import load
from pamphlet.site import ENGINES
from pamphlet.site.compare import compare, load_accepted, page_facts, site_facts
from pamphlet.site.engine import build_site
from pamphlet.site.engines.zensical import parse_output
from pamphlet.site.stage import stage

from conftest import TINY, free_port, wait_for

TODAY = dt.date(2026, 2, 10)
SITE_URL = "https://circle.example.org/tiny/"
REPO_URL = "https://github.com/example-circle/tiny"
# Words that only the private pages contain, and their addresses.
CLOSED_WORDS = "Quartzwhistle budget figures"
DRAFT_WORDS = "Marigold sabotage plan"
PRIVATE_PAGES = ("meetings/2026-02-10/", "plans/")
CLOSED_NOTE = f"""---
date: 2026-02-10
kind: closed
place: Riverside Library, Room 1
facilitator: Ada Lind
note_taker: Ben Okoro
time_keeper: Cy Park
attendees: [Ada Lind, Ben Okoro, Cy Park]
---
# Members' meeting, February 10, 2026

## Agenda
1. The {CLOSED_WORDS}

## Discussion
We went through the {CLOSED_WORDS}.

## Decisions
- Keep the {CLOSED_WORDS} to ourselves.

## Action items
- [ ] **Cy Park**: file the {CLOSED_WORDS} (due 2026-02-17)

## Next meeting
Agenda decided for the next meeting:
1. Nothing yet
"""
DRAFT_PAGE = f"""---
title: Plans
draft: true
---
# Plans

The {DRAFT_WORDS}, not ready for anyone's eyes.
"""


def make_project(dest: Path) -> Path:
    """The tiny project, plus a closed note, a draft page and the "edit this page" button."""
    root = Path(shutil.copytree(TINY, dest, ignore=shutil.ignore_patterns("site", "site-*", ".pamphlet-*")))
    (root / "docs" / "meetings" / "2026-02-10.md").write_text(CLOSED_NOTE, encoding="utf-8")
    (root / "docs" / "plans.md").write_text(DRAFT_PAGE, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  font: false\n" in text
    config.write_text(text.replace("  font: false\n", "  font: false\n  features:\n    - content.action.edit\n"),
                      encoding="utf-8")
    return root


def run_cli(*args: str) -> int:
    previous = signal.getsignal(signal.SIGTERM)  # main() installs its own SIGTERM handler
    try:
        return main(list(args))
    finally:
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("engines") / "tiny")


@pytest.fixture(scope="session")
def sites(project: Path) -> dict[str, Path]:
    """The project built once by each engine, with the real command."""
    built = {}
    for engine in ENGINES:
        output = project / f"site-{engine}"
        status = run_cli("-C", str(project), "build", "-q", "--today", TODAY.isoformat(), "-o", str(output),
                         "--engine", engine)
        assert status == 0, f"pamphlet build --engine {engine} failed"
        built[engine] = output
    return built


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


# --------------------------------------------------------------------------- the comparison


def test_both_engines_build_every_page(sites: dict[str, Path]) -> None:
    expected = {"index.html", "booklet/index.html", "booklet/gardens/index.html", "booklet/tools/index.html",
                "faq/index.html", "meetings/index.html", "meetings/2026-02-03/index.html",
                "meetings/actions/index.html", "meetings/roles/index.html", "open-questions/index.html",
                "works-cited/index.html", "print/index.html", "feedback/index.html",
                "feedback/gardens-watering/index.html"}
    for engine, site in sites.items():
        assert pages(site) == expected, engine
        assert (site / "404.html").is_file(), engine


def test_the_engines_agree_page_by_page(sites: dict[str, Path]) -> None:
    comparison = compare(sites["mkdocs"], sites["zensical"], site_url=SITE_URL)
    assert comparison.ok, comparison.report()
    assert comparison.pages == 15
    # Every accepted difference still happens on this project: the list holds nothing stale.
    assert comparison.unused == [], comparison.report()


@pytest.mark.parametrize("engine", ENGINES)
def test_what_a_reader_sees_is_there_under_each_engine(sites: dict[str, Path], engine: str) -> None:
    """The comparison compares something: the aspects it reads are present, and right."""
    facts = site_facts(sites[engine], SITE_URL)
    gardens = facts.pages["/booklet/gardens/"]
    assert [c[0] for c in gardens.citations] == ["cite-ostrom:1990commons-1"]
    assert gardens.citations[0][1] == "booklet/gardens/#ref-ostrom:1990commons"
    assert [r[0] for r in gardens.references] == ["ref-ostrom:1990commons"]
    assert gardens.contested == [["contested-watering", "2026-02-01", "Should watering be a rota or a free choice?"]]
    assert "booklet/gardens/" in gardens.nav_flags and "booklet/tools/" not in gardens.nav_flags
    # the banner's links (made with the page's context) and the page's own
    kinds = [f[0] for f in gardens.feedback]
    assert kinds == ["feedback-edit", "feedback-issue", "feedback-email"] * 2
    assert gardens.feedback[0][1] == f"{REPO_URL}/edit/main/booklet/gardens.md"
    assert "contested-watering" in gardens.feedback[1][1]  # the banner's issue names its section
    # the theme's edit button: the real source file, not the staged copy
    assert gardens.edit == [f"{REPO_URL}/edit/main/booklet/gardens.md"]
    assert facts.pages["/"].edit == [f"{REPO_URL}/edit/main/docs/index.md"]
    assert facts.pages["/works-cited/"].edit == []  # generated, from no file
    assert ["a", "downloads/booklet.pdf"] in gardens.downloads
    headings = [h[2] for h in gardens.headings]
    assert headings == ["Shared Gardens", "Who decides", "Who waters", "References"]
    # the Print & share page links every download and shows its preview
    printed = facts.pages["/print/"].downloads
    assert ["img", "downloads/thumbs/booklet.png"] in printed and ["a", "downloads/booklet.pdf"] in printed
    for name in ("downloads/booklet.pdf", "downloads/thumbs/booklet.png", "meetings.ics", "meetings/feed.xml",
                 "sitemap.xml.gz"):
        assert name in facts.files, name
    assert (sites[engine] / "meetings.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert b"<feed" in (sites[engine] / "meetings" / "feed.xml").read_bytes()
    assert "booklet/gardens/" in facts.search and "" in facts.search
    assert "booklet/gardens/" in facts.sitemap
    # each engine's own search box in the header (the template override draws the one its script expects)
    html = (sites[engine] / "booklet" / "gardens" / "index.html").read_text(encoding="utf-8")
    own, other = ('class="md-search__button"', 'class="md-search__form"')[:: 1 if engine == "zensical" else -1]
    assert own in html and other not in html


def test_the_comparison_finds_each_kind_of_difference(sites: dict[str, Path], tmp_path: Path) -> None:
    changed = Path(shutil.copytree(sites["zensical"], tmp_path / "zensical"))
    page = changed / "booklet" / "gardens" / "index.html"
    html = page.read_text(encoding="utf-8")
    for old, new in [("cite-ostrom:1990commons-1", "cite-ostrom:1990commons-2"),  # a citation
                     ('id="who-waters">Who waters', 'id="who-waters">Who wets'),  # a heading
                     ('id="ref-ostrom:1990commons"', 'id="ref-elsewhere"'),  # a reference
                     ("feedback-email", "feedback-mail"),  # a feedback link
                     ('data-since="2026-02-01"', 'data-since="2026-01-01"')]:  # a contested banner
        assert old in html, old
        html = html.replace(old, new, 1)
    page.write_text(html, encoding="utf-8")
    shutil.rmtree(changed / "works-cited")  # a page
    (changed / "meetings.ics").write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")  # a file
    comparison = compare(sites["mkdocs"], changed, site_url=SITE_URL)
    found = {(d.aspect, d.page) for d in comparison.unexplained}
    assert not comparison.ok
    for aspect in ("citations", "headings", "references", "feedback", "contested"):
        assert (aspect, "/booklet/gardens/") in found, aspect
    assert ("pages", "") in found and ("files", "meetings.ics") in found
    assert "different citations /booklet/gardens/" in comparison.report()


def test_accepted_differences_need_a_reason_and_are_reported(sites: dict[str, Path], tmp_path: Path) -> None:
    accepted = load_accepted()
    assert accepted and all(a.reason for a in accepted)
    # without the list, the home page's title is a difference the comparison fails on
    bare = compare(sites["mkdocs"], sites["zensical"], site_url=SITE_URL, accepted=[])
    assert [(d.aspect, d.page) for d in bare.unexplained] == [("title", "/")]
    listed = compare(sites["mkdocs"], sites["zensical"], site_url=SITE_URL)
    assert "accepted  title /:" in listed.report()
    bad = tmp_path / "differences.yml"
    bad.write_text("differences:\n  - aspect: title\n    pages: ['/']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="reason"):
        load_accepted(bad)
    bad.write_text("differences:\n  - aspect: looks\n    reason: nicer\n", encoding="utf-8")
    with pytest.raises(ValueError, match="aspect"):
        load_accepted(bad)


def test_compare_engines_command(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    keep = tmp_path / "both"
    status = run_cli("-C", str(project), "compare-engines", "-q", "--today", TODAY.isoformat(), "--keep", str(keep))
    out = capsys.readouterr().out
    assert status == 0, out
    assert "Compared 15 pages built by mkdocs and zensical." in out
    assert "0 unexplained difference(s), 1 accepted." in out
    assert (keep / "mkdocs" / "booklet" / "gardens" / "index.html").is_file()
    assert (keep / "zensical" / "booklet" / "gardens" / "index.html").is_file()


# --------------------------------------------------------------------------- privacy


def published_text(site: Path) -> dict[str, str]:
    """Every file the engine wrote, as text (gzip unpacked; binary files as Latin-1)."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            found[path.relative_to(site).as_posix()] = data.decode("utf-8", errors="replace")
    return found


def search_index(site: Path) -> list[dict]:
    mkdocs, zensical = site / "search" / "search_index.json", site / "search.json"
    data = json.loads((mkdocs if mkdocs.is_file() else zensical).read_text(encoding="utf-8"))
    return data.get("docs") or data.get("items")


@pytest.mark.parametrize("engine", ENGINES)
def test_private_pages_appear_in_no_output(sites: dict[str, Path], engine: str) -> None:
    site = sites[engine]
    files = published_text(site)
    # the checks see what they look for: the open note is everywhere the private ones must not be
    assert any("We talked about the garden rota" in text for name, text in files.items() if name.endswith(".html"))
    index = search_index(site)
    assert any(item["location"].startswith("meetings/2026-02-03/") for item in index)
    assert any("garden rota" in item["text"] for item in index)
    assert f"{SITE_URL}meetings/2026-02-03/" in files["sitemap.xml"]
    for words in (CLOSED_WORDS, DRAFT_WORDS):
        assert [name for name, text in files.items() if words in text] == [], words
    for page in PRIVATE_PAGES:
        assert [name for name, text in files.items() if page in text] == [], page
        assert not (site / page).exists()
        assert [i["location"] for i in index if i["location"].startswith(page)] == []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


# What the search dialog shows: Material draws results in the page, Zensical in a shadow root.
SEARCH_TEXT = """() => [document.querySelector('.md-search-result')?.innerText || '',
  ...Array.from(document.querySelectorAll('*')).filter(e => e.shadowRoot).map(e => e.shadowRoot.textContent)
].join(' ')"""


@pytest.mark.browser
@pytest.mark.parametrize("engine", ENGINES)
def test_the_search_box_finds_public_pages_only(sites: dict[str, Path], engine: str) -> None:
    """A reader clicks the search box in the header and types: public pages come up, private ones never."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    server = socketserver.TCPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(sites[engine])))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found = {}
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
            try:
                for query in ("rota", CLOSED_WORDS.split()[0], DRAFT_WORDS.split()[0]):
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(f"http://127.0.0.1:{server.server_address[1]}/booklet/gardens/")
                    page.wait_for_load_state("networkidle")
                    box = next(b for b in page.query_selector_all(".md-search__button, .md-search__input")
                               if b.is_visible())
                    box.click()
                    page.keyboard.type(query)
                    page.wait_for_timeout(1500)
                    found[query] = page.evaluate(SEARCH_TEXT)
                    page.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
    assert "Should watering be a rota or a free choice?" in found["rota"], found["rota"][:300]
    for words in (CLOSED_WORDS, DRAFT_WORDS):
        assert words.split()[1] not in found[words.split()[0]]
        assert "No matching documents" in found[words.split()[0]] or "No results" in found[words.split()[0]], \
            found[words.split()[0]][:300]


# --------------------------------------------------------------------------- errors name the source


@pytest.fixture()
def staged_tree(project: Path, sites: dict[str, Path], tmp_path: Path):
    """The project's model and a fresh staged tree (with the PDFs a build printed) in tmp_path."""
    content = load(project, TODAY)
    staged = stage(content, tmp_path / "docs", sites["mkdocs"] / "downloads")
    return content, staged


@pytest.mark.parametrize("engine", ENGINES)
def test_an_extension_error_names_the_source_file(staged_tree, tmp_path: Path, engine: str) -> None:
    content, staged = staged_tree
    page = staged.docs_dir / "booklet" / "gardens.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAs argued in [@nosuchkey].\n", encoding="utf-8")
    with pytest.raises((SourceError, SourceErrors)) as raised:
        build_site(content, staged, tmp_path / "site", engine)
    errors = raised.value.errors if isinstance(raised.value, SourceErrors) else [raised.value]
    assert any("nosuchkey" in e.message and Path(e.file).name == "gardens.md" for e in errors), str(raised.value)


def test_a_zensical_warning_is_reported_at_the_source_line(staged_tree, tmp_path: Path) -> None:
    content, staged = staged_tree
    page = staged.docs_dir / "faq.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\n[gone](nowhere.md)\n", encoding="utf-8")
    staged_line = len((text + "\n").splitlines()) + 1
    with pytest.raises((SourceError, SourceErrors)) as raised:
        build_site(content, staged, tmp_path / "site", "zensical")
    errors = raised.value.errors if isinstance(raised.value, SourceErrors) else [raised.value]
    assert len(errors) == 1, str(raised.value)
    error = errors[0]
    source = content.pages["faq.md"].source
    assert Path(error.file).resolve() == (content.project.root / "docs" / "faq.md").resolve()
    assert "does not exist" in error.message and "Zensical" in error.message
    # the line the link would have in docs/faq.md: after its last line, past one blank line
    assert error.line == staged_line - staged.body_lines["faq.md"] + source.body_line
    assert error.line == len(source.text.splitlines()) + 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_missing_download_stops_the_build(project: Path, tmp_path: Path, sites, engine: str) -> None:
    """MkDocs checks links to any file; Zensical only to pages, so pamphlet checks the rest."""
    content = load(project, TODAY)
    staged = stage(content, tmp_path / "docs", None)  # no PDFs printed
    with pytest.raises(SourceErrors) as raised:
        build_site(content, staged, tmp_path / "site", engine)
    assert "downloads/booklet.pdf" in str(raised.value)


def test_zensical_diagnostics_are_read_from_its_output() -> None:
    output = ("Build started\n\x1b[33mWarning:\x1b[0m anchor does not exist\n"
              "    ╭─[ booklet/gardens.md:31:27 ]\n    │\n 31 │ [y](tools.md#nope)\n────╯\n"
              "1 issue found\nsomething else\n")
    diagnostics, others = parse_output(output)
    assert [(d.level, d.message, d.uri, d.line, d.column) for d in diagnostics] == [
        ("Warning", "anchor does not exist", "booklet/gardens.md", 31, 27)]
    assert others == ["something else"]


def test_page_facts_ignore_permalinks_and_resolve_addresses() -> None:
    facts = page_facts('<article><h2 id="a">Title <a class="headerlink" href="#a">¶</a></h2>'
                       '<a href="../../downloads/x.pdf">x</a>'
                       '<img src="..&#x2f;..&#x2f;downloads&#x2f;y.png"></article>', "booklet/gardens/")
    assert facts.headings == [[2, "a", "Title"]]
    assert facts.downloads == [["a", "downloads/x.pdf"], ["img", "downloads/y.png"]]


# --------------------------------------------------------------------------- live reload


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def test_zensical_preview_follows_edits_and_cleans_up(tmp_path: Path) -> None:
    root = make_project(tmp_path / "tiny")
    port = free_port()
    exe = Path(sys.executable).parent / "pamphlet"
    process = subprocess.Popen([str(exe), "-C", str(root), "serve", "--engine", "zensical", "--no-pdf",
                                "-a", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    base = f"http://127.0.0.1:{port}/tiny/"
    try:
        first = wait_for(lambda: fetch(base + "booklet/gardens/"))
        assert "new WebSocket" in first  # Zensical's live-reload client
        assert "contested-watering" in first and "Governing the Commons:" in first
        chapter = root / "booklet" / "gardens.md"
        chapter.write_text(chapter.read_text(encoding="utf-8").replace("# Shared Gardens", "# Shared Gardens, Revised",
                                                                        1), encoding="utf-8")
        wait_for(lambda: "Shared Gardens, Revised" in fetch(base + "booklet/gardens/"))
        # a change outside the page (its bibliography) renders it again too
        bib = root / "refs.bib"
        bib.write_text(bib.read_text(encoding="utf-8").replace("Governing the Commons", "Governing Commons"),
                       encoding="utf-8")
        wait_for(lambda: "Governing Commons:" in fetch(base + "booklet/gardens/"))
    finally:
        process.terminate()
        status = process.wait(timeout=30)
        output = process.stdout.read()
    assert status == 143, output
    work = re.search(r"Serving (\S+)/site on", output)
    assert work, output
    assert not Path(work.group(1)).exists()  # the session's scratch folder is gone
