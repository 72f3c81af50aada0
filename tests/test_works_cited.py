"""The works-cited pipeline end to end: the site's Works Cited page, each page's References, and
the booklet's Works Cited chapter with the pages where each work is cited."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_file

from conftest import errors_of
from expected import chapters
from pdfutil import destination_pages, internal_links, normalize, page_texts

# Pandoc citation keys, as a reader of the sources would find them (outside code).
KEY = re.compile(r"(?<![\w@\\])@([A-Za-z0-9_][\w:./-]*[\w])")


def cited_keys(text: str) -> list[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    return list(dict.fromkeys(KEY.findall(text)))


def expected_order(bib, keys) -> list[str]:
    def sort_key(key):
        entry = bib.entries[key]
        people = entry.persons.get("author") or entry.persons.get("editor")
        # braces only protect text from BibTeX ("{Harbor Street Study Group}", a group as author)
        names = tuple(" ".join(p.last_names).replace("{", "").replace("}", "").casefold() for p in people)
        return names, entry.fields["year"], entry.fields["title"].casefold()
    return sorted(keys, key=sort_key)


@pytest.fixture(scope="module")
def bib(root: Path):
    return parse_file(str(root / "references.bib"))


def test_every_cited_key_exists_and_every_chapter_cites(root: Path, bib) -> None:
    cited = set()
    for chapter in chapters(root):
        keys = cited_keys((root / "booklet" / chapter.file).read_text(encoding="utf-8"))
        assert keys, chapter.file
        assert set(keys) <= set(bib.entries), chapter.file
        cited |= set(keys)
    assert cited == set(bib.entries) and len(bib.entries) >= 5  # the sample's booklet cites every entry


def test_site_works_cited_lists_exactly_the_cited_works_in_author_order(site: Path, root: Path, bib) -> None:
    cited = set()
    for path in [*(root / "booklet").glob("*.md"), *(root / "docs").rglob("*.md")]:
        cited |= set(cited_keys(path.read_text(encoding="utf-8")))
    page = BeautifulSoup((site / "works-cited" / "index.html").read_text(encoding="utf-8"), "html.parser")
    ids = [li["id"] for li in page.select("ul.works-cited > li.reference")]
    assert ids == [f"ref-{k}" for k in expected_order(bib, cited)]


def test_site_works_cited_links_back_to_each_citing_page(site: Path, root: Path) -> None:
    page_file = site / "works-cited" / "index.html"
    page = BeautifulSoup(page_file.read_text(encoding="utf-8"), "html.parser")
    for chapter in chapters(root):
        keys = cited_keys((root / "booklet" / chapter.file).read_text(encoding="utf-8"))
        for key in keys:
            entry = page.select_one(f'li[id="ref-{key}"]')
            hrefs = [a["href"] for a in entry.select("a.reference-backref")]
            assert f"../booklet/{chapter.slug}/#cite-{key}-1" in hrefs
    # every back-link leads to an element that exists
    for link in page.select("a.reference-backref"):
        path, fragment = link["href"].split("#")
        target = BeautifulSoup((page_file.parent / path / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert target.find(id=fragment) is not None, link["href"]


def test_each_page_ends_with_its_own_references(site: Path, root: Path) -> None:
    for chapter in chapters(root):
        keys = cited_keys((root / "booklet" / chapter.file).read_text(encoding="utf-8"))
        html = BeautifulSoup((site / "booklet" / chapter.slug / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        listed = {li["id"] for li in html.select("section.references li.reference")}
        assert listed == {f"ref-{k}" for k in keys}
        for citation in html.select("a.citation-ref"):
            assert html.find(id=citation["href"][1:]) is not None
        assert "[@" not in html.select_one("article").get_text()


def test_dois_are_links(site: Path) -> None:
    page = BeautifulSoup((site / "works-cited" / "index.html").read_text(encoding="utf-8"), "html.parser")
    entry = page.select_one('li[id="ref-okoro.park:2021repair"]')
    assert entry.select_one('a[href="https://doi.org/10.5555/jics.2021.045"]') is not None


@pytest.fixture(scope="module")
def pdf(site: Path) -> Path:
    return site / "downloads" / "booklet.pdf"


def test_booklet_works_cited_lists_the_booklet_citations_in_order(pdf: Path, root: Path, bib) -> None:
    cited = set()
    for chapter in chapters(root):
        cited |= set(cited_keys((root / "booklet" / chapter.file).read_text(encoding="utf-8")))
    destinations = destination_pages(pdf)
    entries = sorted((destinations[f"ref-{k}"], k) for k in cited)
    assert {name[4:] for name in destinations if name.startswith("ref-")} == cited
    texts = page_texts(pdf)
    chapter_text = normalize("\n".join(texts[entries[0][0] - 1: entries[-1][0]]))
    positions = [chapter_text.index(bib.entries[k].fields["title"].replace("{", "").replace("}", "")[:30])
                 for k in expected_order(bib, cited)]
    assert positions == sorted(positions)


def test_booklet_page_numbers_after_each_entry_are_where_it_is_cited(pdf: Path, bib) -> None:
    # Where each work is cited: the pages holding a citation link to its entry.
    cited_on: dict[str, set[int]] = {}
    for page, dest in internal_links(pdf):
        if dest.startswith("ref-"):
            cited_on.setdefault(dest[4:], set()).add(page)
    assert cited_on
    texts = page_texts(pdf)
    destinations = destination_pages(pdf)
    first = min(destinations[f"ref-{k}"] for k in cited_on)
    works_cited = normalize("\n".join(texts[first - 1:]))
    for key, pages in cited_on.items():
        title = bib.entries[key].fields["title"].replace("{", "").replace("}", "")
        start = works_cited.index(title[:30])
        segment = re.search(r"Cited on ((?:p\. \d+(?:, )?)+)\.", works_cited[start:]).group(1)
        printed = [int(n) for n in re.findall(r"p\. (\d+)", segment)]
        assert printed == sorted(pages), (key, printed, sorted(pages))


def test_unknown_key_names_file_line_column_and_suggests(project: Path, cli) -> None:
    path = project / "booklet" / "councils.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = "As shown elsewhere [see @marsh:2015councls, p. 4]."
    path.write_text("\n".join(lines), encoding="utf-8")
    errors = errors_of(cli(project, "check"))
    assert len(errors) == 1
    assert errors[0].startswith("error: booklet/councils.md:3:25: unknown citation key `marsh:2015councls`")
    assert "marsh:2015councils" in errors[0]


def test_unknown_key_in_a_lenient_folder_is_a_warning_and_never_raw(project: Path, cli) -> None:
    drafts = project / "docs" / "drafts"
    drafts.mkdir()
    (drafts / "idea.md").write_text("# An idea\n\nSomething [@nobody:2099] said.\n", encoding="utf-8")
    result = cli(project, "build", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "warning: docs/drafts/idea.md:3:12: unknown citation key `nobody:2099`" in result.stderr
    html = (project / "site" / "drafts" / "idea" / "index.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").select_one("article").get_text()
    assert "[@nobody" not in text and "missing source: nobody:2099" in text


def test_malformed_bibtex_names_the_file_and_line(project: Path, cli) -> None:
    bib = project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    broken = text.replace("  publisher = {Harbor Press},\n  address   = {Portland},",
                          "  publisher = {Harbor Press}\n  address   = {Portland},", 1)
    assert broken != text
    bib.write_text(broken, encoding="utf-8")
    line = broken[: broken.index("  publisher = {Harbor Press}\n")].count("\n") + 1
    (error,) = errors_of(cli(project, "check"))
    assert error.startswith(f"error: references.bib:{line}:")


def test_duplicate_key_names_both_places(project: Path, cli) -> None:
    extra = project / "more.bib"
    extra.write_text("@book{lind:2019gardens,\n  author = {Someone, Else},\n  title = {Other},\n"
                     "  publisher = {X},\n  year = {2001}\n}\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "bibliography: [references.bib]", "bibliography: [references.bib, more.bib]"), encoding="utf-8")
    (error,) = errors_of(cli(project, "check"))
    first = (project / "references.bib").read_text(encoding="utf-8").split("\n").index(
        "@book{lind:2019gardens,") + 1
    assert error.startswith("error: more.bib:1:") and f"references.bib:{first}" in error


def test_an_entry_never_cited_is_a_warning(project: Path, cli) -> None:
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n@book{nobody:2020unread,\n  author = {Nobody, A.},\n"
                   "  title = {Unread},\n  publisher = {P},\n  year = {2020}\n}\n", encoding="utf-8")
    result = cli(project, "check")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^warning: references\.bib:\d+: `nobody:2020unread` is in the bibliography but never cited$",
                     result.stderr, re.M)
