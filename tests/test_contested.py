"""Contested sections and feedback: the marker syntax, the site's banners and pages, the
booklet's list of open questions with page numbers, and QR codes that scan back to the URLs."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import markdown
import pytest
from bs4 import BeautifulSoup
from markdown_it.utils import read_fixture_file

from pamphlet.errors import Collector
from pamphlet.feedback import FeedbackConfig
from pamphlet.markdown.context import PageContext, page_context
from pamphlet.sources.analysis import analyse
from pamphlet.sources.contested import ContestedMarker, block_markers, page_marker
from pamphlet.sources.files import read_markdown

from conftest import errors_of
from expected import REPO_URL, SITE_URL, chapters
from pdfutil import destination_pages, internal_links, normalize, page_texts

FIXTURES = Path(__file__).parent / "fixtures" / "contested"
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "smarty", "tables",
              "pamphlet.markdown.contested"]


def cases(name: str) -> list:
    return [pytest.param(text, expected, id=f"{name}:{line}:{title}")
            for line, title, text, expected in read_fixture_file(FIXTURES / name)]


@pytest.mark.parametrize(("text", "expected"), cases("no-context.md"))
def test_block_syntax_without_page_context(text: str, expected: str, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="pamphlet.contested")
    assert markdown.Markdown(extensions=EXTENSIONS).convert(text) + "\n" == expected


def _context(title: str, slug: str, markers=(), page=None) -> PageContext:
    cfg = FeedbackConfig(tracker="github", email="chapter@example.org", site_url="https://example.org/site/",
                         repo_url="https://github.com/org/repo", edit_uri="edit/main/docs/", docs_dir="docs",
                         edition="First edition")
    return PageContext(title=title, url=f"https://example.org/site/booklet/{slug}/", source=f"booklet/{slug}.md",
                       file=Path(f"booklet/{slug}.md"), markers=list(markers), page_marker=page, feedback=cfg,
                       warn=lambda message: pytest.fail(message))


CONTEXTS = {
    "a block: feedback links for this section, at its line": lambda: _context(
        'Defense & "Policing"', "defense",
        [ContestedMarker("block", "Armed force? Who decides & how", dt.date(2026, 9, 1), None, "armed-force", 7,
                         Path("booklet/defense.md"))]),
    "a whole page: the banner follows the title": lambda: _context(
        "Animal Rights", "animals", page=ContestedMarker(
            "page", "Animals: citizens or wards?", None, "https://github.com/org/repo/discussions/3", "page", 3,
            Path("booklet/animals.md"))),
}


@pytest.mark.parametrize(("title", "text", "expected"),
                         [(t, x, e) for _, t, x, e in read_fixture_file(FIXTURES / "with-context.md")])
def test_block_and_page_with_page_context(title: str, text: str, expected: str) -> None:
    md = markdown.Markdown(extensions=["admonition", "attr_list", "md_in_html", "smarty", "tables", "toc",
                                       "pamphlet.markdown.contested"])
    with page_context(CONTEXTS[title]()):
        assert md.convert(text) + "\n" == expected


def test_generated_issue_link_decodes_to_the_exact_fields() -> None:
    html = (FIXTURES / "with-context.md").read_text(encoding="utf-8")
    href = re.search(r'href="(https://github\.com/org/repo/issues/new\?[^"]+)"', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(href).query)
    assert query["title"] == ['Feedback: Defense & "Policing" › Armed force? Who decides & how']
    assert "- **Source:** booklet/defense.md, line 7" in query["body"][0]
    assert "https://example.org/site/booklet/defense/#contested-armed-force" in query["body"][0]


# --- markers found with file and line (markdown-it-py) --------------------------------------------


def _markers(tmp_path: Path, text: str):
    path = tmp_path / "chapter.md"
    path.write_text(text, encoding="utf-8")
    source = read_markdown(path)
    errors = Collector()
    found = block_markers(analyse(source).tokens, path, source.body_line, errors)
    return found, page_marker(source.meta, path, errors), errors.errors


def test_markers_are_found_with_their_lines(tmp_path: Path) -> None:
    text = ("---\ncontested:\n  reason: The whole page\n  since: 2026-09-01\n---\n# Title\n\n"
            '- a list\n\n    !!! contested "Nested in a list"\n        id: nested\n\n        Text.\n\n'
            '!!! contested "Second"\n    Text.\n')
    blocks, page, errors = _markers(tmp_path, text)
    assert errors == []
    assert [(m.reason, m.id, m.line) for m in blocks] == [("Nested in a list", "nested", 10), ("Second", "second", 15)]
    assert (page.reason, page.since, page.line) == ("The whole page", dt.date(2026, 9, 1), 2)


def test_a_block_without_a_reason_is_an_error_at_its_line(tmp_path: Path) -> None:
    _, _, errors = _markers(tmp_path, "# Title\n\nText.\n\n!!! contested\n    Disputed.\n")
    assert [str(e) for e in errors] == [
        f'{tmp_path / "chapter.md"}:5: a contested block needs a reason: !!! contested "Why is this disputed?"']


def test_a_page_marker_without_a_reason_is_an_error_at_its_line(tmp_path: Path) -> None:
    _, _, errors = _markers(tmp_path, "---\ntitle: x\ncontested:\n  since: 2026-09-01\n---\n# Title\n")
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'chapter.md'}:3: missing required key `reason` in `contested`"]


def test_a_bad_since_date_is_an_error_at_its_own_line(tmp_path: Path) -> None:
    _, _, errors = _markers(tmp_path, '# T\n\n!!! contested "Why"\n    since: 2026-02-30\n\n    Text.\n')
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'chapter.md'}:4: `since`: Expected a date like 2026-11-15 but received: '2026-02-30'"]


def test_missing_reason_stops_the_build_with_file_and_line(project: Path, cli) -> None:
    path = project / "booklet" / "councils.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2:2] = ["!!! contested", "    We argue about this.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert errors_of(cli(project, "build")) == [
        'error: booklet/councils.md:3: a contested block needs a reason: !!! contested "Why is this disputed?"']


# --- the sample's site and booklet ----------------------------------------------------------------------


def source_markers(root: Path) -> list[tuple[str, str, str]]:
    """(chapter slug, reason, kind) for every marker in the booklet's sources, in reading order,
    read with plain regexes and YAML (independently of pamphlet)."""
    import yaml

    found = []
    for chapter in chapters(root):
        text = (root / "booklet" / chapter.file).read_text(encoding="utf-8")
        if text.startswith("---\n"):
            front = yaml.safe_load(text.split("---\n")[1]) or {}
            value = front.get("contested")
            if value:
                found.append((chapter.slug, " ".join((value if isinstance(value, str) else value["reason"]).split()),
                              "page"))
        for reason in re.findall(r'^\s*!!! contested "(.+)"\s*$', text, re.M):
            found.append((chapter.slug, reason, "block"))
    return found


def test_the_sample_marks_a_page_and_blocks_in_two_chapters(root: Path) -> None:
    assert source_markers(root) == [
        ("councils", "Should the council keep a standing reserve, and who may spend it?", "block"),
        ("repair", "Neighbours disagree on whether the repair café should charge for parts or ask only for "
                   "donations.", "page"),
        ("repair", "Should volunteers be thanked with a small payment?", "block"),
    ]


def test_banners_on_the_site(site: Path, root: Path) -> None:
    for slug, reason, kind in source_markers(root):
        page = BeautifulSoup((site / "booklet" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
        asides = page.select("aside.contested" + (".contested-page" if kind == "page" else ":not(.contested-page)"))
        assert reason in [a.select_one(".contested-reason").get_text() for a in asides]
        aside = next(a for a in asides if a.select_one(".contested-reason").get_text() == reason)
        links = {a.get_text(): a["href"] for a in aside.select(".feedback-links a")}
        assert links["Suggest an edit"] == f"{REPO_URL}/edit/main/booklet/{slug}.md"
        issue = parse_qs(urlsplit(links["Open an issue"]).query)
        assert reason in issue["title"][0] and f"booklet/{slug}.md, line " in issue["body"][0]
        assert urlsplit(links["Email us"]).scheme == "mailto"


def test_contested_pages_have_a_status_mark_in_the_nav(site: Path, root: Path) -> None:
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    marked = {a["href"].rstrip("/").split("/")[-1] for a in home.select("nav.md-nav--primary a.md-nav__link")
              if a.select_one(".md-status--contested")}
    assert marked == {slug for slug, _, _ in source_markers(root)}


def test_open_questions_page_lists_every_section_with_a_working_link(site: Path, root: Path) -> None:
    page_file = site / "open-questions" / "index.html"
    page = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    titles = {c.slug: c.title for c in chapters(root)}
    grouped = list(dict.fromkeys(titles[slug] for slug, _, _ in source_markers(root)))
    assert [h.get_text().rstrip("¶") for h in page.select("article h2")] == grouped
    items = page.select("article li")
    assert [re.sub(r"\s*\(disputed since .*\)$", "", li.strong.get_text()) for li in items] == \
        [reason for _, reason, _ in source_markers(root)]
    for li, (slug, _, kind) in zip(items, source_markers(root)):
        passage, feedback = li.select("a")
        path, _, fragment = passage["href"].partition("#")
        target = BeautifulSoup((page_file.parent / path / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert path.endswith(f"booklet/{slug}/")
        if kind == "block":
            assert target.find(id=fragment).name == "aside"
        assert (page_file.parent / feedback["href"] / "index.html").is_file()


def test_every_page_ends_with_feedback_links_to_its_own_source(site: Path, root: Path) -> None:
    for chapter in chapters(root):
        page = BeautifulSoup((site / "booklet" / chapter.slug / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        edit = page.select_one(".pamphlet-feedback a.feedback-edit")
        assert edit["href"].endswith(f"/edit/main/booklet/{chapter.file}")
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".pamphlet-feedback a.feedback-edit")["href"].endswith("/edit/main/docs/index.md")


@pytest.fixture(scope="module")
def pdf(site: Path) -> Path:
    return site / "downloads" / "booklet.pdf"


def test_booklet_lists_open_questions_with_the_pages_where_they_are_printed(pdf: Path, root: Path) -> None:
    texts = page_texts(pdf)
    index = next(i for i, t in enumerate(texts) if t.lstrip().startswith("Open questions in this edition"))
    listing = normalize(texts[index])
    destinations = destination_pages(pdf)
    # one entry may be several link rectangles (one per line): keep each destination once
    targets = list(dict.fromkeys(dest for page, dest in internal_links(pdf) if page == index + 1))
    expected = source_markers(root)
    assert len(targets) == len(expected)
    for (slug, reason, kind), dest in zip(expected, targets):
        printed_on = destinations[dest]
        entry = re.search(re.escape(reason) + r"\s*\((.+?)\)[. ]*(\d+)", listing)
        assert entry and int(entry.group(2)) == printed_on, (reason, printed_on)
        label = "CONTESTED PAGE:" if kind == "page" else "CONTESTED:"
        squeeze = lambda text: re.sub(r"\s+", "", text)  # noqa: E731 - spacing differs in extraction
        assert squeeze(f"{label}{reason}") in squeeze(normalize(texts[printed_on - 1]))


def zbar(image: Path) -> list[str]:
    result = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True)
    return sorted(line for line in result.stdout.splitlines() if line)


@pytest.fixture(scope="module")
def scanner():
    if shutil.which("zbarimg") is None:
        import os

        if os.environ.get("CI"):
            pytest.fail("zbarimg is required in CI (.ci/run installs zbar-tools)")
        pytest.skip("zbarimg (Debian's zbar-tools) is not installed")


def page_image(pdf: Path, number: int, target: Path) -> Path:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    image = document[number - 1].render(scale=600 / 72).to_pil()
    image.save(target)
    return target


def test_printed_qr_codes_lead_to_each_sections_feedback_page(scanner, pdf: Path, root: Path, tmp_path: Path) -> None:
    texts = [normalize(t).replace(" ", "") for t in page_texts(pdf)]
    site = SITE_URL
    destinations = destination_pages(pdf)
    markers = source_markers(root)
    expected = [f"{site}feedback/{slug}/" for slug, _, kind in markers if kind == "page"]
    for slug in dict.fromkeys(slug for slug, _, kind in markers if kind == "block"):
        # a chapter's printed passages are `<chapter>--contested-<id>` (the whole page's id is `page`)
        ids = sorted(d.split("--contested-")[1] for d in destinations if d.startswith(f"{slug}--contested-"))
        if (slug, "page") in {(s, kind) for s, _, kind in markers}:
            ids.remove("page")
        assert len(ids) == sum(1 for s, _, kind in markers if s == slug and kind == "block"), (slug, ids)
        expected += [f"{site}feedback/{slug}-{i}/" for i in ids]
    assert len(expected) == len(markers)
    for url in expected:
        # the printed short address and the code next to it
        caption = url.split("://", 1)[1]
        pages = [n for n, text in enumerate(texts, start=1) if caption in text]
        assert len(pages) == 1, (url, pages)
        assert url in zbar(page_image(pdf, pages[0], tmp_path / f"{pages[0]}.png"))


def test_back_cover_qr_leads_to_the_feedback_page(scanner, pdf: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    last = len(PdfReader(pdf).pages)
    assert zbar(page_image(pdf, last, tmp_path / "back.png")) == [SITE_URL + "feedback/"]
    assert last % 2 == 0  # the back cover is a left-hand page
