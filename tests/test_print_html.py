"""`pamphlet build --html DIR`: the print HTML of the booklet and of each flier, in a folder with
its stylesheets, fonts and pictures; WeasyPrint alone lays it out into the booklet's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from pamphlet.build import load
from pamphlet.print.booklet import build_booklet

from conftest import TODAY, errors_of
from pdfutil import outline, page_texts


def images_per_page(pdf: Path) -> list[int]:
    """How many pictures each page draws."""
    with pdfplumber.open(pdf) as document:
        return [len(page.images) for page in document.pages]


def test_weasyprint_alone_lays_the_booklet_html_out_into_the_booklet(project: Path, cli, monkeypatch,
                                                                     tmp_path: Path) -> None:
    chapter = project / "booklet" / "commons.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\n![A sketch map of Harbor Street](../images/street-map.png)\n", encoding="utf-8")
    built = []
    monkeypatch.setattr("pamphlet.build.build", lambda *args, **kwargs: built.append(kwargs))  # the HTML only
    folder = tmp_path / "print-html"
    result = cli(project, "build", "--today", TODAY.isoformat(), "--html", str(folder))
    assert result.returncode == 0, result.stderr
    assert built and f"Wrote the print HTML of 3 document(s) to {folder}" in result.stderr
    assert sorted(p.name for p in folder.glob("*.html")) == ["booklet.html", "meetings-flier.html", "one-pager.html"]

    # everything a document names is in the folder, nothing outside it
    for page in folder.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "file:" not in html
        named = re.findall(r'href="(css/[^"]+)"|url\("(fonts/[^"]+)"\)|<img[^>]* src="(?!data:)([^"]+)"', html)
        assert named
        for address in (a or b or c for a, b, c in named):
            assert (folder / address).is_file(), (page.name, address)

    from weasyprint import HTML

    alone, printed = tmp_path / "alone.pdf", tmp_path / "booklet.pdf"
    HTML(filename=str(folder / "booklet.html")).write_pdf(str(alone))
    build_booklet(load(project, TODAY), printed)
    assert page_texts(alone) == page_texts(printed)  # the Works Cited's page numbers included
    assert images_per_page(alone) == images_per_page(printed) and sum(images_per_page(alone))
    assert outline(alone) == outline(printed)


@pytest.mark.parametrize("where", ["docs/print", "site", "."])
def test_a_folder_that_could_hurt_is_refused_before_the_build(project: Path, cli, monkeypatch, where: str) -> None:
    monkeypatch.setattr("pamphlet.build.build", lambda *args, **kwargs: pytest.fail("built"))
    (error,) = errors_of(cli(project, "build", "--html", str(project / where)))
    assert error.startswith("error:") and ("overlaps" in error or "the project itself" in error), error
    assert not (project / where / "booklet.html").exists()
