"""pamphlet's own words in the content's language (`pamphlet.i18n`): the catalogs, the translator,
and the sample project with `language: es`, whose generated pages, page banners, site settings,
print templates and one small PDF must hold no pamphlet-written English.

The sample's own text (titles, chapters, meeting titles, places) stays English: only the words
pamphlet writes itself are checked. English output is the code's own text (the translator is the
identity), which every other test file checks.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from pamphlet import i18n
from pamphlet.markdown.context import page_context
from pamphlet.model import load
from pamphlet.render import make_markdown

from conftest import REPO, TODAY, copy_project
from pdfutil import normalize, page_texts

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MARKUP = "*[]<>\"|`#_"  # Markdown and HTML that a translation must keep exactly as the English has it

# Words pamphlet writes in English that must not reach a Spanish reader (none is in the sample's text).
ENGLISH = ["Works Cited", "Open questions", "Print & share", "Regular meetings", "Every Tuesday", "of each month",
           "Suggest an edit", "Open an issue", "Disputed since", "Contested", "Chapter ", "Published by",
           "Come to a meeting", "Place sent to members", "Tell us what you think", "Read the booklet",
           "Find us online", "Dates and changes", "Next meeting", "Coming up", "Cancelled:", "Action items",
           "Facilitator", "Note-taker", "Time-keeper", "Give feedback", "The whole page", "A passage",
           "(members)", "members only", "Letter (", "landscape"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def catalogs() -> list[Path]:
    return sorted(i18n.LOCALE_DIR.glob("*.po"))


@pytest.fixture()
def missing():
    """`i18n.MISSING` emptied for the test; what it records is returned and then forgotten."""
    saved = set(i18n.MISSING)
    i18n.MISSING.clear()
    yield i18n.MISSING
    i18n.MISSING.clear()
    i18n.MISSING.update(saved)


# --------------------------------------------------------------------------------------------
# The catalogs


def test_there_is_a_spanish_catalog() -> None:
    assert "es" in i18n.languages()
    assert i18n.catalog_path("es") == i18n.LOCALE_DIR / "es.po"
    assert i18n.catalog_path("es-MX") == i18n.LOCALE_DIR / "es.po"  # a region falls back to its language
    assert i18n.catalog_path("fr") is None


@pytest.mark.parametrize("path", catalogs(), ids=lambda p: p.stem)
def test_every_message_of_a_catalog_is_translated_with_the_same_placeholders_and_markup(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    assert catalog.locale is not None and str(catalog.locale).replace("_", "-") == path.stem.replace("_", "-")
    problems = []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        ids = message.id if isinstance(message.id, (tuple, list)) else [message.id]
        if message.fuzzy or not all(s and s.strip() for s in strings):
            problems.append(f"not translated: {message.id!r}")
            continue
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != set(PLACEHOLDER.findall(ids[-1])):
                problems.append(f"placeholders differ: {message.id!r} -> {string!r}")
            for char in MARKUP:
                if string.count(char) != ids[-1].count(char):
                    problems.append(f"{char!r} differs: {message.id!r} -> {string!r}")
            if string.count("&") > ids[-1].count("&"):  # "Print & share" may lose its "&", never gain one
                problems.append(f"'&' added: {message.id!r} -> {string!r}")
    assert problems == []


@pytest.mark.parametrize("path", catalogs(), ids=lambda p: p.stem)
def test_every_message_in_the_code_is_in_every_catalog(path: Path) -> None:
    """The code's messages (`_`, `gettext`, `N_` and the templates' `_`) against the catalog: a new
    text needs its translation (`python -m pamphlet.i18n` writes the template of every message)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    found = i18n.messages()
    assert len(found) > 150  # the extraction sees the code and the templates
    assert "Works Cited" in found and "Open meeting" in found and "Every {day}" in found
    absent = sorted(str(m) for m in found if catalog.get(m[0] if isinstance(m, tuple) else m) is None)
    assert absent == [], f"{path.name} lacks {len(absent)} message(s)"


def test_the_catalogs_are_package_data() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")  # (tomllib is Python 3.11's)
    block = re.search(r"\[tool\.setuptools\.package-data\]\s*pamphlet\s*=\s*\[(.*?)\]", text, re.DOTALL)
    assert block is not None
    patterns = re.findall(r'"([^"]+)"', block.group(1))
    for path in catalogs():
        name = path.relative_to(i18n.LOCALE_DIR.parent).as_posix()
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


def test_the_template_of_every_message_is_a_po_file() -> None:
    from io import BytesIO

    template = read_po(BytesIO(i18n.template()))
    assert template.get("Works Cited") is not None and template.get("Chapter {number}: {title}") is not None


# --------------------------------------------------------------------------------------------
# The translator


def test_english_is_the_code_s_own_text(missing) -> None:
    for language in ("en", "en-GB", "EN"):
        _ = i18n.translator(language)
        assert _("Works Cited") == "Works Cited"
        assert _("Chapter {number}: {title}", number=2, title="Councils") == "Chapter 2: Councils"
        assert _.ngettext("{n} copy", "{n} copies", 2, n=2) == "2 copies"
    assert missing == set()


def test_spanish_words_and_placeholders(missing) -> None:
    _ = i18n.translator("es")
    assert _("Works Cited") == "Obras citadas"
    assert _("Open questions") == "Preguntas abiertas"
    assert _("Print & share") == "Imprimir y compartir"
    assert _("Chapter {number}: {title}", number=2, title="Los consejos") == "Capítulo 2: Los consejos"
    assert i18n.gettext("es-MX", "Meetings") == "Reuniones"
    assert _("{title} (the booklet)", title="{not a placeholder}") == "{not a placeholder} (el folleto)"
    assert missing == set()


def test_a_message_a_catalog_lacks_is_english_and_recorded(missing) -> None:
    _ = i18n.translator("es")
    assert _("No catalog has this {thing}", thing="text") == "No catalog has this text"
    assert _.ngettext("{n} unknown", "{n} unknowns", 3, n=3) == "3 unknowns"
    assert missing == {("es", "No catalog has this {thing}"), ("es", "{n} unknown")}


# --------------------------------------------------------------------------------------------
# The sample, in Spanish


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory):
    """The sample project with `language: es` in its manifest, loaded (its generated pages made)."""
    root = copy_project(tmp_path_factory.mktemp("spanish") / "project")
    manifest = root / "booklet" / "booklet.yml"
    text = manifest.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    manifest.write_text(text.replace("\nlanguage: en\n", "\nlanguage: es\n"), encoding="utf-8")
    i18n.MISSING.clear()
    content = load(root, today=TODAY)
    assert content.manifest.language == "es"
    return content


def assert_spanish(text: str, *expected: str, dates: bool = True) -> None:
    """`expected` is in `text`, and none of pamphlet's English; nor English day or month names,
    with `dates` (where the sample's own text has none)."""
    for words in expected:
        assert words in text
    english = [words for words in ENGLISH + (WEEKDAYS + MONTHS if dates else []) if re.search(
        rf"(?<![\w]){re.escape(words)}", text)]
    assert english == []


def test_the_generated_pages_are_in_spanish(spanish) -> None:
    pages = {uri: page.generated_text for uri, page in spanish.pages.items() if page.generated_text is not None}
    assert_spanish(pages["works-cited.md"], "# Obras citadas")
    assert_spanish(pages["open-questions.md"], "# Preguntas abiertas", "Toda la página", "Un pasaje",
                   "(en debate desde el 1 de marzo de 2026)", "Danos tu opinión")
    assert_spanish(pages["print/index.md"], "# Imprimir y compartir", "## El folleto", "## Volantes",
                   "## Carteles", "(el folleto)", "Carta, horizontal (11 × 8.5 in)", "Media carta (5.5 × 8.5 in)",
                   "Libro electrónico (EPUB 3)", "## Hojas para grupos de lectura", "Capítulo 1: ")
    assert_spanish(pages["meetings/index.md"], "# Reuniones", '!!! info "Próxima reunión"',
                   "**martes, 30 de junio de 2026, 18:30–20:00**", "**Cancelada:** martes, 7 de julio de 2026",
                   "## Reuniones periódicas", "Cada martes, 18:30–20:00, del 5 de mayo de 2026 al 29 de junio de 2027.",
                   "Cuarto domingo de cada mes, 15:00–16:30, desde el 1 de mayo de 2026.",
                   "Tercer jueves de cada mes", "18 de julio y 17 de octubre de 2026", "(solo para miembros)",
                   "[Suscríbete al calendario](../meetings.ics)", dates=False)  # notes' titles: "June 16"
    assert_spanish(pages["meetings/roles.md"], "| Reunión | Facilitación | Toma de notas | Control del tiempo |",
                   "[16 de junio de 2026]")
    assert_spanish(pages["meetings/actions.md"], "# Tareas pendientes", "(para el 23 de junio de 2026)", dates=False)
    assert_spanish(pages["booklet/index.md"], "## Capítulos", "## Licencia", "20 de junio de 2026. Publicado por")
    assert_spanish(pages["feedback/index.md"], "# Dinos qué piensas", "Abrir una incidencia")
    feedback = pages["feedback/repair-thanking-volunteers.md"]
    assert_spanish(feedback, "Un pasaje en debate de *A Repair Café*", "Sugerir un cambio", "Escríbenos",
                   "Comentarios%3A%20A%20Repair",  # the title, prefilled
                   "Tu%20comentario")
    assert_spanish(pages["allies.md"], "# Aliados", "Grupos cuyo trabajo apoyamos y de los que aprendemos.")
    assert i18n.MISSING == set()


def test_a_chapter_s_banners_links_and_references_are_in_spanish(spanish) -> None:
    from pamphlet.content import render_context

    page = next(p for p in spanish.chapters if p.uri == "booklet/repair.md")
    with page_context(render_context(spanish, page)):
        html = make_markdown(spanish.project).convert(page.source.body)
    assert_spanish(html, "Página en debate:", "En debate:", "En debate desde el 1 de marzo de 2026",
                   '<h2 id="references">Referencias<', ">Sugerir un cambio</a>", ">Formulario de comentarios</a>",
                   dates=False)  # "On the third Saturday of every month": the chapter's own words
    assert i18n.MISSING == set()


def test_the_site_s_own_words_are_in_spanish(spanish, tmp_path: Path) -> None:
    from pamphlet.site.engine import site_settings
    from pamphlet.site.stage import GENERATED_NAV, Staged, _nav, booklet_download, language_css

    settings = site_settings(spanish, Staged(tmp_path / "docs"), tmp_path / "site")
    assert settings["extra"]["pamphlet_ui"] == {
        "open_meeting": "Reunión abierta", "closed_meeting": "Reunión cerrada (miembros)", "present": "Asistentes",
        "feedback_title": "¿Algo que agregar, corregir o rebatir en esta página?"}
    assert settings["extra"]["status"]["contested"] == "En debate: aún sin resolver"
    titles = [next(iter(item)) for item in _nav(spanish)]
    assert "Reuniones" in titles and "Obras citadas" in titles and "Imprimir y compartir" in titles
    assert not {title for _, title in GENERATED_NAV} & set(titles)
    download = booklet_download(spanish)
    assert download.label == "Descarga el folleto (PDF)" and download.note.endswith("Media carta (5.5 × 8.5 in)")
    assert "Citado en:" in language_css(spanish)
    assert i18n.MISSING == set()


def test_the_theme_overrides_take_their_words_from_the_settings() -> None:
    """Text in the overrides would reach readers untranslated: their words are `pamphlet_ui`'s keys."""
    from pamphlet.site.engine import OVERRIDES, UI

    template = (OVERRIDES / "main.html").read_text(encoding="utf-8")
    used = set(re.findall(r"\bui\.(\w+)", template)) | set(re.findall(r"pamphlet_ui\.(\w+)", template))
    assert used and used <= set(UI)
    for words in UI.values():
        assert words not in template


def test_the_booklet_and_e_book_words_are_in_spanish(spanish, tmp_path: Path) -> None:
    """The booklet's HTML (not laid out) and the e-book: cover, colophon, contents, chapter labels,
    works cited, back cover; the print stylesheets' own words; the document's language."""
    import zipfile

    from pamphlet.print.booklet import booklet_html, render_chapters
    from pamphlet.print.epub import build_epub

    html = booklet_html(spanish, render_chapters(spanish))
    assert '<html lang="es">' in html
    assert_spanish(html, "Publicado por Harbor Street Study Group.", "<h2>Índice</h2>", "Capítulo 1",
                   "Obras citadas", "Preguntas abiertas en esta edición", "Ven a una reunión", "Cada martes, ",
                   "Dinos qué piensas.", "Citado en", "Código QR: ", dates=False)
    target = tmp_path / "booklet.epub"
    build_epub(spanish, target)
    with zipfile.ZipFile(target) as book:
        text = "\n".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml"))
    assert_spanish(text, ">Índice<", ">Capítulo 1<", ">Obras citadas<", "capítulo 1", 'lang="es"', dates=False)
    assert i18n.MISSING == set()


def test_a_spanish_flier_pdf(spanish, tmp_path: Path) -> None:
    """One small PDF: the sample's flier, its meetings in Spanish words, its language declared (and so
    hyphenated) as Spanish."""
    from pamphlet.print.fliers import FlierPrinter, build_flier, flier_parts

    flier = next(f for f in spanish.fliers if f.name == "meetings-flier")
    html = FlierPrinter(spanish, flier).html(flier_parts(flier))
    assert '<html lang="es">' in html and 'alt="Código QR: https://' in html
    target = tmp_path / "flier.pdf"
    build_flier(spanish, flier, target)
    assert str(PdfReader(target).trailer["/Root"]["/Lang"]) == "es"
    text = normalize(" ".join(page_texts(target)))
    assert_spanish(text, "Cada martes, 18:30–20:00", "Tercer jueves de cada mes, 18:00–19:00",
                   "Cambios y cancelaciones:")
    assert i18n.MISSING == set()


def test_print_stylesheets_let_the_document_s_language_drive_hyphenation() -> None:
    from pamphlet.print.pdf import CSS_DIR, TEMPLATES

    assert '<html lang="{{ language }}">' in (TEMPLATES / "document.html").read_text(encoding="utf-8")
    for name in ("booklet.css", "flier.css"):
        assert "hyphens: auto" in (CSS_DIR / name).read_text(encoding="utf-8")
