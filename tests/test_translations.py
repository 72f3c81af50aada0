"""Translated editions, on the bilingual fixture project (English sources, some pages in Spanish).

One build of the project for the module: the Spanish site under /es/ with its language switcher,
the untranslated page's fallback note, the Spanish booklet and flier and the two-language flier
(read back with pypdf), closed and draft pages absent in both languages; then `check` on copies
for stale and unversioned translations.
"""

from __future__ import annotations

import functools
import http.server
import re
import subprocess
import threading
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from pamphlet.build import build
from pamphlet.translations import changed_sections, git_blob_hash, is_translation, translation_path

from conftest import PROJECTS, copy_project

BILINGUAL = PROJECTS / "bilingual"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("bilingual") / "project", BILINGUAL)
    result = build(root, quiet=True, jobs=2)
    return result.site_dir


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def switcher(page: BeautifulSoup) -> dict[str, str]:
    return {a["hreflang"]: a["href"] for a in page.select("a.pamphlet-language")}


def pdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


# --- the site -----------------------------------------------------------------------------------


def test_each_edition_says_its_language(built):
    assert soup(built, "faq/index.html").html["lang"] == "en"
    spanish = soup(built, "es/faq/index.html")
    assert spanish.html["lang"] == "es"
    assert spanish.h1.get_text(strip=True).startswith("Preguntas y respuestas")


@pytest.mark.parametrize("page", ["faq/index.html", "booklet/gardens/index.html", "index.html",
                                  "booklet/tools/index.html", "works-cited/index.html"])
def test_the_switcher_links_each_page_to_its_counterpart_both_ways(built, page):
    english, spanish = soup(built, page), soup(built, f"es/{page}")
    base_en = f"https://x.test/{page}"
    base_es = f"https://x.test/es/{page}"
    assert urljoin(base_en, switcher(english)["es"]) == urljoin(base_es, ".")
    assert urljoin(base_es, switcher(spanish)["en"]) == urljoin(base_en, ".")
    assert (built / "es" / page).is_file()
    head = {link["hreflang"]: link["href"] for link in spanish.select('link[rel="alternate"][hreflang]')}
    assert head["en"] == "https://circle.example.org/bilingual/" + page.removesuffix("index.html")


def test_the_editions_are_tied_together_with_zensical_too(built):
    root = built.parent
    site = build(root, output=root / "site-zensical", quiet=True, engine="zensical").site_dir
    spanish = soup(site, "es/booklet/gardens/index.html")
    assert spanish.html["lang"] == "es"
    assert switcher(spanish) == {"en": "../../../booklet/gardens/", "es": "./"}
    assert switcher(soup(site, "booklet/gardens/index.html"))["es"] == "../../es/booklet/gardens/"
    assert soup(site, "es/booklet/tools/index.html").select_one(".pamphlet-translation-fallback") is not None


@pytest.fixture()
def served(built):
    """The built site over HTTP on 127.0.0.1 (directory URLs, as on a real host)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(built))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_reader_switches_language_in_a_real_browser(served, browser):
    page = browser.new_page()
    try:
        page.goto(served + "es/faq/")
        page.hover(".md-header .md-select")
        page.click("a.pamphlet-language[hreflang=en]")
        page.wait_for_url(served + "faq/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").first.inner_text().startswith("Questions and answers")
        page.hover(".md-header .md-select")
        page.click("a.pamphlet-language[hreflang=es]")
        page.wait_for_url(served + "es/faq/")
        assert page.locator("h1").first.inner_text().startswith("Preguntas y respuestas")
    finally:
        page.close()


def test_an_untranslated_page_falls_back_with_a_note_in_spanish(built):
    page = soup(built, "es/booklet/tools/index.html")
    note = page.select_one(".pamphlet-translation-fallback")
    assert note is not None
    assert note.get_text(" ", strip=True) == ("Esta página aún no está traducida al español; aquí está en inglés. "
                                             "Ayúdanos a traducirla")
    link = note.a["href"]
    assert link == "https://github.com/example-circle/tiny/new/main/booklet?filename=tools.es.md"
    english = page.select_one('div[lang="en"]')
    assert english is not None and "A Tool Library" in english.get_text()
    assert soup(built, "es/booklet/gardens/index.html").select_one(".pamphlet-translation") is None


def test_spanish_search_and_interface(built):
    index = (built / "es" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"lang":["es"]' in index.replace(" ", "")
    assert "Huertos compartidos" in index
    assert "A secret plan" not in index and "landlord" not in index


def test_the_print_page_lists_the_spanish_pdfs_in_both_languages(built):
    for page in ("print/index.html", "es/print/index.html"):
        links = {a["href"].rsplit("/", 1)[-1] for a in soup(built, page).select("a[href$='.pdf']")}
        assert {"folleto.pdf", "welcome.es.pdf", "welcome-en-es.pdf"} <= links, page
        for a in soup(built, page).select("a[href$='.pdf']"):
            assert (built / page).parent.joinpath(a["href"]).resolve().is_file(), a["href"]


def test_closed_and_draft_pages_are_absent_in_every_language(built):
    files = [p for p in built.rglob("*") if p.is_file()]
    assert not any("plans" in p.name or "2026-02-10" in str(p) for p in files)
    for path in files:
        if path.suffix in (".html", ".json", ".xml", ".txt", ".ics"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "secret plan" not in text and "plan secreto" not in text, path
            assert "landlord" not in text, path
    for pdf in built.rglob("*.pdf"):
        text = " ".join(pdf_text(pdf))
        assert "landlord" not in text and "secreto" not in text, pdf


# --- print ----------------------------------------------------------------------------------------


def test_the_spanish_booklet(built):
    reader = PdfReader(built / "downloads" / "folleto.pdf")
    text = [page.extract_text() for page in reader.pages]
    assert "Pasos pequeños juntos" in " ".join(text[0].split())
    assert any("Huertos compartidos" in t for t in text)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert any("Obras citadas" in t for t in text)
    assert (built / "downloads" / "folleto-imposed.pdf").is_file()


def test_spanish_hyphenation_in_print(tmp_path):
    from pamphlet.print.pdf import render_pdf

    word = "desafortunadamente"
    html = (f'<html lang="es"><body><p style="width: 3.2cm; hyphens: auto; font-size: 14pt">'
            f'{(word + " ") * 6}</p></body></html>')
    target = tmp_path / "h.pdf"
    render_pdf(html, target, base_url=tmp_path, stylesheets=[], what="test")
    lines = pdf_text(target)[0].splitlines()
    assert any(line.rstrip().endswith(("-", "‐")) for line in lines), lines


def test_the_spanish_flier_and_the_two_language_flier(built):
    spanish = pdf_text(built / "downloads" / "welcome.es.pdf")
    assert len(spanish) == 2 and "Ven al círculo" in spanish[0] and "Encuéntranos" in spanish[1]
    both = PdfReader(built / "downloads" / "welcome-en-es.pdf")
    assert len(both.pages) == 2
    front, back = (page.extract_text() for page in both.pages)
    assert "Come to the circle" in front and "Ven al círculo" not in front
    assert "Ven al círculo" in back and "Come to the circle" not in back
    assert "miércoles" in back.lower() and "wednesday" in front.lower()
    assert "REUNIÓN ABIERTA" in back and "Sala 1" in back  # data/meetings.es.yml (the call sets titles in capitals)
    assert "OPEN MEETING" in front and "Room 1" in front
    for page in both.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (396, 612)


# --- check: honest translations -------------------------------------------------------------------


def test_a_stale_translation_is_reported_with_its_file_and_the_sections_changed(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=root, check=True)
    chapter = root / "booklet" / "gardens.md"
    chapter.write_text(chapter.read_text().replace("meeting once a month", "meeting every week"))
    result = cli(root, "check")
    assert result.returncode == 0
    stale = [line for line in result.stderr.splitlines() if "gardens.es.md" in line]
    assert len(stale) == 1, result.stderr
    assert re.match(r"warning: booklet/gardens\.es\.md:2: this translation is older than booklet/gardens\.md; "
                    r"changed since: “Who decides”\.", stale[0]), stale[0]
    assert f"original: {git_blob_hash(chapter.read_bytes())[:12]}" in stale[0]
    assert cli(root, "check", "--strict").returncode == 1


def test_a_repository_around_the_project_is_never_read(tmp_path, cli):
    """The old text comes from the project's own .git only, not from a repository the project sits in."""
    root = copy_project(tmp_path / "outer" / "project", BILINGUAL)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    outer = tmp_path / "outer"
    subprocess.run([*git, "init", "-q"], cwd=outer, check=True)
    subprocess.run([*git, "add", "-A"], cwd=outer, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=outer, check=True)
    chapter = root / "booklet" / "gardens.md"
    chapter.write_text(chapter.read_text().replace("meeting once a month", "meeting every week"))
    (stale,) = [line for line in cli(root, "check").stderr.splitlines() if "gardens.es.md" in line]
    assert "older than booklet/gardens.md. Bring it up to date" in stale and "changed since" not in stale


def test_without_git_a_stale_translation_is_still_reported(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    faq = root / "docs" / "faq.md"
    faq.write_text(faq.read_text() + "\nOne more line.\n")
    result = cli(root, "check")
    assert "warning: docs/faq.es.md:2: this translation is older than docs/faq.md." in result.stderr


def test_a_translation_without_its_original_version_is_reported(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    index = root / "docs" / "index.es.md"
    index.write_text(re.sub(r"---\noriginal: \w+\n---\n", "", index.read_text()))
    result = cli(root, "check")
    expected = git_blob_hash((root / "docs" / "index.md").read_bytes())[:12]
    assert f"warning: docs/index.es.md:1: record which version of docs/index.md this translates: add " \
           f"`original: {expected}`" in result.stderr


def test_a_translation_without_an_original_is_reported(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    (root / "booklet" / "garden.es.md").write_text((root / "booklet" / "gardens.es.md").read_text())
    result = cli(root, "check")
    assert result.returncode == 0
    assert "warning: booklet/garden.es.md: a translation of booklet/garden.md, which does not exist: it is not " \
           "published (rename it after its original)" in result.stderr
    assert "plans.es.md" not in result.stderr  # its original exists (a draft): nothing to say


def test_a_broken_link_in_a_translation_is_an_error_at_its_line(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    faq = root / "docs" / "faq.es.md"
    faq.write_text(faq.read_text().replace("(meetings/index.md)", "(reuniones.md)"))
    lines = [line for line in cli(root, "check").stderr.splitlines() if line.startswith("error:")]
    assert lines == ["error: docs/faq.es.md:14:50: link to `reuniones.md`, but there is no page reuniones.md "
                     "on the site"], lines


def test_the_meetings_words_translated_name_a_real_meeting(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    words = root / "data" / "meetings.es.yml"
    words.write_text(words.read_text() + "reading-circle:\n  title: Círculo de lectura\n")
    lines = [line for line in cli(root, "check").stderr.splitlines() if line.startswith("error:")]
    assert lines == ["error: data/meetings.es.yml:4: no meeting `reading-circle` in meetings.yml; known: "
                     "['open-meeting']"], lines


def test_an_unknown_language_is_an_error_at_its_line(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("languages: [es]", "languages: [es, xx-nope]"))
    lines = [line for line in cli(root, "check").stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and lines[0].startswith("error: mkdocs.yml:") and "`xx-nope`" in lines[0]


# --- the pieces ----------------------------------------------------------------------------------------


def test_translation_paths():
    assert translation_path(Path("booklet/economy.md"), "es") == Path("booklet/economy.es.md")
    assert translation_path(Path("booklet/booklet.yml"), "es") == Path("booklet/booklet.es.yml")
    assert is_translation("faq.es.md", ["es"]) and is_translation("meetings/a.es.md", ["es"])
    assert not is_translation("faq.md", ["es"]) and not is_translation("faq.fr.md", ["es"])
    assert not is_translation("notes.es.png", ["es"])


def test_changed_sections_names_what_changed_in_order():
    old = "# T\n\nIntro.\n\n## A {#a}\n\nOne.\n\n## B\n\nTwo.\n\n```\n# not a heading\n```\n"
    new = "# T\n\nIntro.\n\n## A {#a}\n\nOne, changed.\n\n## B\n\nTwo.\n\n```\n# not a heading\n```\n\n## C\n\nNew.\n"
    assert changed_sections(old, new) == ["A", "C"]
    assert changed_sections(old, old) == []
    assert changed_sections("Before.\n", "Before, changed.\n") == ["the beginning"]


def test_a_stale_translation_tells_readers_the_original_is_newer(tmp_path):
    import yaml

    from pamphlet.model import load
    from pamphlet.site.stage import stage

    root = copy_project(tmp_path / "project", BILINGUAL)
    chapter = root / "booklet" / "gardens.md"
    chapter.write_text(chapter.read_text().replace("meeting once a month", "meeting every week"))
    spanish = load(root).editions["es"]
    staged = stage(spanish, tmp_path / "docs-es")
    meta = yaml.safe_load(staged.pages["booklet/gardens.md"].split("---\n")[1])
    note = meta["translation_note"]
    assert note["kind"] == "stale" and note["href"] == "../../../booklet/gardens/"
    assert note["text"] == "El texto en inglés de esta página ha cambiado desde que se tradujo."
    assert "translation_note" not in yaml.safe_load(staged.pages["faq.md"].split("---\n")[1])


def test_generated_pages_keep_their_anchors_in_every_language(built):
    for page in ("meetings/index.html", "es/meetings/index.html"):
        headings = {h.get("id"): h.get_text(" ", strip=True) for h in soup(built, page).select("h2")}
        assert "notes-from-our-meetings" in headings and "coming-up" in headings, page
    spanish = {h["id"]: h.get_text(" ", strip=True) for h in soup(built, "es/meetings/index.html").select("h2")}
    assert spanish["coming-up"].startswith("Próximamente")


def test_translations_need_attr_list_for_their_anchors(tmp_path, cli):
    root = copy_project(tmp_path / "project", BILINGUAL)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - attr_list\n", ""))
    lines = [line for line in cli(root, "check").stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "`extra.languages` needs the `attr_list` Markdown extension" in lines[0]
