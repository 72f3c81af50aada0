"""Assemble the site's whole Markdown tree in a staging folder.

The staged tree is what the site engine renders: `docs/` as it is (less what this edition leaves
out), the booklet's chapters under `booklet/`, the generated pages (`pamphlet.pages`), the
printed downloads, the calendar and notes feeds, and pamphlet's fonts and stylesheet. Keeping
this step ours, not a MkDocs plugin's, means any engine that reads mkdocs.yml and a docs folder
can render the site.
"""

from __future__ import annotations

import hashlib
import html
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from pamphlet.assets import ASSETS
from pamphlet.assets.webfonts import web_font_face_css, web_fonts
from pamphlet.content import BOOKLET_DIR, Content, page_path, page_url, render_context
from pamphlet.dates import format_date, language_name
from pamphlet.downloads import DOWNLOADS, plan
from pamphlet.feedback import FeedbackTarget, feedback_links
from pamphlet.i18n import N_, gettext, is_source, translator
from pamphlet.markdown.context import PageContext
from pamphlet.notes.meetings import ROLE_NAMES
from pamphlet.pages import (
    ACTIONS,
    ALLIES_PAGE,
    CALENDAR,
    FEED,
    FEEDBACK_INDEX,
    MEETINGS,
    OPEN_QUESTIONS,
    PRINT,
    ROLES_PAGE,
    WORKS_CITED,
)
from pamphlet.paper import PAPERS
from pamphlet.schedule import schedule_to_ical
from pamphlet.site.feed import notes_feed
from pamphlet.site.pagecontext import marker, register
from pamphlet.translations import ORIGINAL_KEY

ASSET_DIR = "assets/pamphlet"  # our CSS and fonts inside the staged docs tree
# Generated pages go at the end of the nav, in this order, unless mkdocs.yml's nav places them (their
# titles in English, translated into the content's language in the nav).
GENERATED_NAV = [(MEETINGS, N_("Meetings")), (OPEN_QUESTIONS, N_("Open questions")), (WORKS_CITED, N_("Works Cited")),
                 (PRINT, N_("Print & share")), (ALLIES_PAGE, N_("Allies")), (FEEDBACK_INDEX, N_("Feedback"))]
GENERATED_CHILDREN = {MEETINGS: [(ACTIONS, N_("Action items")), (ROLES_PAGE, N_("Roles"))]}  # a section's pages
CONTESTED_STATUS = "contested"  # Material's page status, shown in the nav


@dataclass
class DownloadLink:
    label: str
    href: str  # site path, e.g. "downloads/booklet.pdf"
    note: str = ""


@dataclass
class Staged:
    docs_dir: Path
    pages: dict[str, str] = field(default_factory=dict)  # site path -> staged text
    edit_paths: dict[str, str | None] = field(default_factory=dict)  # site path -> path from docs dir
    contexts: dict[str, PageContext] = field(default_factory=dict)  # site path -> render context
    body_lines: dict[str, int] = field(default_factory=dict)  # site path -> staged line of the body's first
    nav: list = field(default_factory=list)
    extra_css: list[str] = field(default_factory=list)


def booklet_download(content: Content) -> DownloadLink:
    m = content.manifest
    paper = PAPERS[m.paper].label(language=m.language)
    return DownloadLink(gettext(m.language, "Download the booklet (PDF)"), f"{DOWNLOADS}/{m.download}",
                        f"{m.edition}, {format_date(m.date, language=m.language)} · {paper}")


def language_css(content: Content) -> str:
    """The words site.css writes itself (`content:`), in the content's language: a rule after site.css's
    English one. English needs none."""
    language = content.manifest.language
    if is_source(language):
        return ""
    words = gettext(language, "Cited in:") + " "
    text = '"' + "".join(c if c.isalnum() or c in " .,:;-()" else f"\\{ord(c):06x}" for c in words) + '"'
    return f"\n.md-typeset .reference-backrefs::before {{ content: {text}; }}\n"


def _front_matter(meta: dict, body: str) -> str:
    if not meta:
        return body
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n" + body


def edit_url(settings, edit_path: str | None) -> str | None:
    """The "edit this page" button's address for a file at `edit_path` (relative to docs_dir, as
    MkDocs' `File.edit_uri`; None: no button), made as MkDocs makes `page.edit_url`, its defaults
    for `edit_uri` included. Staged in the page's front matter (`edit_url`) and drawn by our
    `partials/actions.html`, so every engine shows the real source file, not the staged copy."""
    raw = settings.source.data if isinstance(settings.source.data, dict) else {}
    template, edit_uri, repo_url = raw.get("edit_uri_template"), settings.edit_uri, settings.repo_url
    if edit_uri is None and repo_url:
        host = urlsplit(repo_url).netloc.lower()
        edit_uri = {"github.com": "edit/master/docs/", "gitlab.com": "edit/master/docs/",
                    "bitbucket.org": "src/default/docs/"}.get(host)
    if edit_uri and not edit_uri.endswith("/"):
        edit_uri += "/"
    if edit_path is None or not (template or edit_uri):
        return None
    if isinstance(template, str) and template:
        noext = posixpath.splitext(edit_path)[0]
        try:
            file_edit_uri = template.format(path=edit_path, path_noext=noext)
        except (KeyError, IndexError, ValueError):
            return None
    else:
        file_edit_uri = edit_uri + edit_path
    if repo_url and not file_edit_uri.startswith(("?", "#")) and not repo_url.endswith("/"):
        repo_url += "/"
    return urljoin(repo_url or "", file_edit_uri)


def _nav(content: Content) -> list:
    """mkdocs.yml's nav with the entry for booklet/index.md expanded into the booklet's section,
    and the generated pages that mkdocs.yml does not place added at the end."""
    nav = _booklet_nav(content)
    listed = set(_nav_files(nav))
    _ = translator(content.manifest.language)
    for uri, title in GENERATED_NAV:
        if uri in content.pages and uri not in listed:
            children = [{_(t): u} for u, t in GENERATED_CHILDREN.get(uri, []) if u in content.pages and u not in listed]
            nav.append({_(title): [uri, *children]} if children else {_(title): uri})
    return nav


def _nav_files(items: list) -> list[str]:
    found = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found += _nav_files(value)
        elif isinstance(value, str):
            found.append(value)
    return found


def _booklet_nav(content: Content) -> list:
    section = [f"{BOOKLET_DIR}/index.md"] + [{page.title: page.uri} for page in content.chapters]
    nav = content.project.settings.nav
    _ = translator(content.manifest.language)
    if not nav:
        return [{_("Home"): "index.md"}, {_("Booklet"): section}]

    def expand(items: list) -> tuple[list, bool]:
        out, found = [], False
        for item in items:
            if isinstance(item, dict):
                (title, value), = item.items()
                if value == f"{BOOKLET_DIR}/index.md":
                    out.append({title: section})
                    found = True
                elif isinstance(value, list):
                    inner, inner_found = expand(value)
                    out.append({title: inner})
                    found = found or inner_found
                else:
                    out.append(item)
            elif item == f"{BOOKLET_DIR}/index.md":
                out.append({_("Booklet"): section})
                found = True
            else:
                out.append(item)
        return out, found

    result, found = expand(nav)
    return result if found else result + [{_("Booklet"): section}]


def page_feedback(content: Content, page, section: str | None = None, line: int | None = None) -> list[dict]:
    """The page's "Suggest an edit / Open an issue / Email us" links, for the page template."""
    if content.feedback is None or page.generated_text is not None or page.path is None:
        return []
    target = FeedbackTarget(page_title=page.title or page.uri, page_url=page_url(content.project, page.uri),
                            source=content.project.relative(page.path), line=line, section=section)
    return [vars(link) for link in feedback_links(content.feedback, target, content.warn, content.manifest.language)]


def _site_meta(content: Content, page, download: DownloadLink) -> dict:
    """Front matter the staged copy of a page gets, for the page template (main.html)."""
    meta = dict(page.source.meta.data) if page.source and page.generated_text is None else {}
    if page.chapter is not None or page.uri == f"{BOOKLET_DIR}/index.md":
        meta["downloads"] = [vars(download)]
    meta["feedback_links"] = page_feedback(content, page)
    meeting = _meeting_for(content, page)
    if meeting is not None:
        meta["meeting"] = {
            "kind": meeting.kind, "date": format_date(meeting.date, weekday=True, language=content.manifest.language),
            "place": meeting.place, "attendees": ", ".join(meeting.attendees),
            "roles": [{"role": translator(content.manifest.language)(ROLE_NAMES[role]), "person": person}
                      for role, person in meeting.roles.items()],
        }
    if content.faq is not None and page.path is not None and page.path.resolve() == content.faq.path.resolve():
        meta["jsonld"] = faq_jsonld_script(content, page)
    meta.pop("contested", None)  # drawn by the contested extension, after the title
    for key in ("title", "description"):  # Material prints them in <title> and <meta> without escaping
        if isinstance(meta.get(key), str):
            meta[key] = html.escape(meta[key], quote=True)
    if page.contested or page.markers:
        meta["status"] = CONTESTED_STATUS  # a mark in the navigation (Material's page status)
    meta.pop(ORIGINAL_KEY, None)  # a translation's bookkeeping
    meta.update(_language_meta(content, page))
    return meta


def editions(content: Content) -> list[tuple[str, Content, str]]:
    """Every edition of the site as (language, model, path of its root from the site's root)."""
    source = content.source or content
    if not source.editions:
        return []
    return [(source.language, source, "")] + [(lang, c, f"{lang}/") for lang, c in source.editions.items()]


def _language_meta(content: Content, page) -> dict:
    """For the page template: the language switcher's links (to this page in each edition, else
    that edition's home), the note on an untranslated page, the banner on a stale translation."""
    all_editions = editions(content)
    if not all_editions:
        return {}
    here = next(root for language, _, root in all_editions if language == content.language)
    start = posixpath.join(here, page_path(page.uri)) or "."
    alternates = []
    for language, edition, root in all_editions:
        target = page.uri if page.uri in edition.pages else "index.md"
        href = posixpath.relpath(posixpath.join(root, page_path(target)) or ".", start)
        alternates.append({"lang": language, "name": language_name(language), "current": language == content.language,
                           "href": ("" if href == "." else href + "/") or "./",
                           "url": page_url(edition.project, target)})
    meta: dict = {"alternates": alternates}
    _ = translator(content.language)
    source = content.source
    if page.fallback and source is not None:
        original = language_name(source.language, content.language)
        meta["translation_note"] = {
            "kind": "fallback", "lang": source.language,
            "text": _("This page is not translated into {language} yet; here it is in {original}.",
                      language=language_name(content.language, content.language), original=original),
            "link": _("Help translate it"), "href": _translate_url(content, page)}
    elif page.translation is not None and page.translation.stale:
        original = language_name(source.language, content.language)
        meta["translation_note"] = {
            "kind": "stale", "lang": None,
            "text": _("The {original} text of this page has changed since it was translated.", original=original),
            "link": _("Read it in {original}", original=original),
            "href": next(a["href"] for a in alternates if a["lang"] == source.language)}
    return meta


def _translate_url(content: Content, page) -> str | None:
    """Where to start a page's translation: a new file beside the original on the forge (GitHub,
    GitLab, Gitea and Forgejo take `new/<branch>/<folder>?filename=`), else the feedback page."""
    project = content.project
    edit = edit_url(project.settings, _relative(page.path, project.docs_dir)) if page.path else None
    if edit and "/edit/" in edit:
        folder, _, name = edit.replace("/edit/", "/new/", 1).rpartition("/")
        stem, _, suffix = name.rpartition(".")
        return f"{folder}?filename={stem}.{content.language}.{suffix}"
    return page_url(project, "feedback/index.md")




def _meeting_for(content: Content, page):
    if not content.meetings or page.path is None or page.generated_text is not None:
        return None
    return next((m for m in content.meetings if m.path.resolve() == page.path.resolve()), None)


def faq_jsonld_script(content: Content, page) -> str:
    """schema.org FAQPage data for the FAQ page, each answer rendered as the site renders it."""
    from pamphlet.notes import faq_jsonld, jsonld_script
    from pamphlet.render import make_markdown

    url = page_url(content.project, page.uri) or page.uri
    return jsonld_script(faq_jsonld(content.faq, url, lambda text: make_markdown(content.project).convert(text)))


def _inputs_digest(content: Content) -> bytes:
    """What every page's rendering may read besides its own text: the bibliography."""
    digest = hashlib.sha256()
    citations = content.project.settings.citations
    for path in citations.bibliography if citations is not None else ():
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.digest()


def _fingerprint(inputs: bytes, context: PageContext) -> str:
    """A short digest of what the page's rendering reads besides its Markdown (see `marker`)."""
    pages = [context.feedback_page(m) if context.feedback_page else None
             for m in [*context.markers, context.page_marker] if m is not None]
    fields = (context.title, context.url, context.source, context.file, context.first_line, context.language,
              context.markers, context.page_marker, context.feedback, context.print, pages)
    return hashlib.sha256(inputs + repr(fields).encode("utf-8")).hexdigest()[:16]


def _relative(path: Path, docs_dir: Path) -> str:
    return Path(os.path.relpath(path.resolve(), docs_dir.resolve())).as_posix()


def _write_if_changed(path: Path, data: bytes) -> None:
    """Writing only what changed keeps the live-reload watcher from looping on its own output."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def stage(content: Content, docs_dir: Path, downloads: Path | None = None) -> Staged:
    """Write the staged docs tree into `docs_dir`, removing anything stale from a previous run.

    `downloads` (the printed PDFs and their previews) become part of the tree, so MkDocs checks
    every link to them and copies them into the site.
    """
    project = content.project
    staged = Staged(docs_dir)
    download = booklet_download(content)
    files: dict[str, bytes] = {}
    inputs = _inputs_digest(content)
    for uri, page in content.pages.items():
        meta = _site_meta(content, page, download)
        # A generated page is edited through the file it is generated from, if any.
        staged.edit_paths[uri] = _relative(page.path, project.docs_dir) if page.path else None
        meta["edit_url"] = edit_url(project.settings, staged.edit_paths[uri])
        body = page.generated_text if page.generated_text is not None else page.source.body
        context = render_context(content, page)
        # The first line tells pamphlet's extensions which page this is (`pamphlet.site.pagecontext`).
        head = _front_matter(meta, marker(uri, _fingerprint(inputs, context)) + "\n")
        text = head + body
        staged.body_lines[uri] = head.count("\n") + 1
        staged.pages[uri] = text
        staged.contexts[uri] = context
        files[uri] = text.encode("utf-8")
    for uri, path in content.static.items():
        files[uri] = path.read_bytes()
    if downloads is not None and downloads.is_dir():
        wanted = None  # a translated edition's tree holds its own downloads only
        if content.translated:
            wanted = {d.href for d in plan(content)} | {d.thumbnail for d in plan(content) if d.thumbnail}
        for path in sorted(downloads.rglob("*")):
            uri = f"{DOWNLOADS}/{path.relative_to(downloads).as_posix()}"
            if path.is_file() and (wanted is None or uri in wanted):
                files[uri] = path.read_bytes()
    feed = notes_feed(content, FEED, MEETINGS)
    if feed is not None:
        files[FEED] = feed
    if content.schedule is not None and project.site_url:
        files[CALENDAR] = schedule_to_ical(
            content.schedule, public_only=True, prodid=f"-//{content.manifest.organization}//pamphlet//EN",
            calendar_name=gettext(content.manifest.language, "{organization}: meetings",
                                  organization=content.manifest.organization),
            url=page_url(project, MEETINGS))
    # Our stylesheet and fonts: the same faces as print, light for Latin text (`pamphlet.assets.webfonts`).
    for name, data in sorted(web_fonts().items()):
        files[f"{ASSET_DIR}/fonts/{name}"] = data
    css = web_font_face_css("fonts/") + (ASSETS / "site.css").read_text(encoding="utf-8") + language_css(content)
    files[f"{ASSET_DIR}/pamphlet.css"] = css.encode("utf-8")
    staged.extra_css = [f"{ASSET_DIR}/pamphlet.css"]
    for uri, data in files.items():
        _write_if_changed(docs_dir / uri, data)
    for path in sorted(docs_dir.rglob("*"), reverse=True):
        uri = path.relative_to(docs_dir).as_posix()
        if path.is_file() and uri not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    staged.nav = _nav(content)
    register(docs_dir, staged)  # the pages' contexts, for the page-context extension
    return staged


__all__ = ["Staged", "stage", "booklet_download"]
