"""One function per generated page: gather what the page shows, render its template.

Each returns a `Page` (or None when the page has nothing to show) whose `generated_text` is the
template's Markdown; the values are prepared here (links, dates, which items), the layout and the
escaping are the template's (see `templating` and `templates/`).
"""

from __future__ import annotations

import posixpath

from pamphlet.bibliography import BackRef, Citer
from pamphlet.content import (
    ALLIES,
    SCHEDULE,
    Content,
    ContestedSection,
    Page,
    page_url,
    relative_href,
)
from pamphlet.dates import format_date
from pamphlet.downloads import GROUPS, plan
from pamphlet.feedback import FeedbackTarget, feedback_links
from pamphlet.i18n import gettext, translator
from pamphlet.notes.allies import DEFAULT_INTRO
from pamphlet.notes.meetings import ROLE_NAMES
from pamphlet.pages.templating import render as render_template
from pamphlet.pages.uris import (
    ACTIONS,
    ALLIES_PAGE,
    BOOKLET_INDEX,
    CALENDAR,
    FEED,
    FEEDBACK_INDEX,
    MEETINGS,
    OPEN_QUESTIONS,
    PRINT,
    ROLES_PAGE,
    UPCOMING,
    WORKS_CITED,
)
from pamphlet.sources.analysis import analyse
from pamphlet.sources.files import MarkdownSource, Yaml


def generated_page(content: Content, uri: str, text: str, origin=None) -> Page:
    """A generated page; `origin` is the file it is made from (its "edit" link), if any."""
    path = origin or content.project.config_path
    source = MarkdownSource(path, text, Yaml({}, path), text, 1)
    return Page(uri, source if origin else None, analyse(source), generated_text=text)


def _date(content: Content, day) -> str:
    return format_date(day, language=content.manifest.language)


def render(content: Content, name: str, **values) -> str:
    """Template `name`'s Markdown, its words in the content's language."""
    return render_template(name, content.manifest.language, **values)


def booklet_overview(content: Content) -> Page:
    """booklet/index.md: what the booklet is, its chapters, and (in the template) the download."""
    m = content.manifest
    chapters = [{"number": page.chapter.number, "title": page.title, "href": page.chapter.path.name}
                for page in content.chapters]
    text = render(content, "booklet.md.j2", m=m, published=_date(content, m.date), chapters=chapters)
    return generated_page(content, BOOKLET_INDEX, text, origin=m.path)


def citing_pages(content: Content) -> list[Page]:
    """Pages that cite, in reading order: the booklet's chapters, then the other pages."""
    pages = [p for p in content.chapters if p.citations]
    pages += [p for uri, p in sorted(content.pages.items()) if p.chapter is None and p.citations]
    return pages


def works_cited(content: Content) -> Page | None:
    """works-cited.md: every cited work, each with links back to the pages that cite it."""
    if content.bibliography is None:
        return None
    citer = Citer(content.bibliography, content.project.citation_settings().style)
    backrefs: dict[str, list[BackRef]] = {}
    for page in citing_pages(content):
        for key in dict.fromkeys(c.key for c in page.citations if c.key in content.bibliography):
            href = relative_href(WORKS_CITED, page.uri, f"cite-{citer.anchor(key)}-1")
            backrefs.setdefault(key, []).append(BackRef(href, page.title or page.uri))
    keys = list(backrefs)
    if not keys:
        return None
    # HTML from the citation style, which escapes every field and back-reference it writes
    items = citer.works_cited_html(keys, backrefs=backrefs)
    return generated_page(content, WORKS_CITED, render(content, "works-cited.md.j2", items=items))


def _link(from_uri: str, section: ContestedSection) -> str:
    """A Markdown link target from a generated page to a contested section (checked like any)."""
    target = posixpath.relpath(section.page.uri, posixpath.dirname(from_uri) or ".")
    return target + (f"#{section.fragment}" if section.fragment else "")


def _since(content: Content, section: ContestedSection) -> str | None:
    return _date(content, section.marker.since) if section.marker.since else None


def open_questions(content: Content) -> Page | None:
    """open-questions.md: every contested section, its reason, and links to it and to feedback."""
    sections = content.sections
    if not sections:
        return None
    _ = translator(content.manifest.language)
    groups: list[dict] = []  # consecutive sections of the same page, under its title
    for section in sections:
        title = section.page.title or section.page.uri
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "questions": []})
        groups[-1]["questions"].append({
            "reason": section.marker.reason, "since": _since(content, section),
            "where": _("The whole page") if section.fragment is None else _("A passage"),
            "href": _link(OPEN_QUESTIONS, section), "feedback": posixpath.relpath(section.feedback_uri, "."),
        })
    text = render(content, "open-questions.md.j2", edition=content.manifest.edition.lower(), groups=groups)
    return generated_page(content, OPEN_QUESTIONS, text)


def feedback_index(content: Content) -> Page:
    """feedback/index.md: how to reach the group, and every open question's feedback page."""
    cfg = content.feedback
    general = []
    if cfg is not None:
        target = FeedbackTarget(page_title=gettext(content.manifest.language, "Feedback"),
                                page_url=page_url(content.project, FEEDBACK_INDEX),
                                source=content.project.relative(content.project.config_path))
        general = [link for link in feedback_links(cfg, target, content.warn, language=content.manifest.language)
                   if link.kind != "edit"]
    questions = [{"reason": s.marker.reason, "href": posixpath.basename(s.feedback_uri),
                  "title": s.page.title or s.page.uri}
                 for s in content.sections]
    text = render(content, "feedback.md.j2", organization=content.manifest.organization, links=general,
                  questions=questions)
    return generated_page(content, FEEDBACK_INDEX, text)


def section_feedback(content: Content, section: ContestedSection) -> Page:
    """feedback/<section>.md: one contested section's feedback page (printed QR codes lead here)."""
    page, marker = section.page, section.marker
    links = []
    if content.feedback is not None:
        target = FeedbackTarget(page_title=page.title or page.uri,
                                page_url=page_url(content.project, page.uri, section.fragment),
                                source=content.project.relative(page.path), line=marker.line,
                                section=marker.reason)
        links = feedback_links(content.feedback, target, content.warn, language=content.manifest.language)
    text = render(content, "section-feedback.md.j2", reason=marker.reason, whole_page=section.fragment is None,
                  title=page.title or page.uri, since=_since(content, section),
                  href=_link(section.feedback_uri, section),
                  discussion=marker.discussion, links=links)
    return generated_page(content, section.feedback_uri, text)


def _from_meetings(meeting) -> str:
    """A link from a page in meetings/ to a meeting's notes, wherever under meetings/ they are."""
    return posixpath.relpath(meeting.uri, "meetings")


def meetings_page(content: Content) -> Page | None:
    """meetings/index.md: the next meeting and its agenda, the next dates, the notes of past
    meetings with their decisions, the regular meetings, and the calendar and news feeds."""
    schedule, log = content.schedule, content.meetings
    if schedule is None and not log:
        return None
    public_only = content.public_only
    upcoming = schedule.next_occurrences(content.today, UPCOMING, kinds=["open"]) if schedule else []
    following = next((o for o in upcoming if not o.cancelled), None)
    notes = [{"title": m.title, "href": _from_meetings(m), "closed": m.kind != "open", "decisions": m.decisions}
             for m in (log.select(public_only=public_only) if log else [])]
    text = render(
        content,
        "meetings.md.j2",
        following=following,
        agenda=log.next_agenda(public_only=public_only) if log else [],
        upcoming=upcoming,
        notes=notes,
        feed=f"../{FEED}",
        schedule=schedule,
        calendar=f"../{CALENDAR}",
    )
    origin = content.project.root / SCHEDULE if schedule is not None else None
    return generated_page(content, MEETINGS, text.rstrip("\n") + "\n", origin=origin)


def actions_page(content: Content) -> Page | None:
    """meetings/actions.md: every open action item, by person, across meetings."""
    if not content.meetings:
        return None
    people = [
        {"name": person,
         "tasks": [{"task": action.task, "due": _date(content, action.due) if action.due else None,
                    "meeting": meeting.title, "href": _from_meetings(meeting)} for meeting, action in items]}
        for person, items in content.meetings.open_actions(public_only=content.public_only).items()]
    return generated_page(content, ACTIONS, render(content, "actions.md.j2", people=people))


ROLE_COLUMNS = ("facilitator", "note_taker", "time_keeper")


def roles_page(content: Content) -> Page | None:
    """meetings/roles.md: who facilitated, took notes and kept time, meeting by meeting."""
    if not content.meetings:
        return None
    rows = [{"date": _date(content, meeting.date), "href": _from_meetings(meeting),
             "people": [meeting.roles.get(role, "") for role in ROLE_COLUMNS]}
            for meeting in content.meetings.select(public_only=content.public_only)]
    _ = translator(content.manifest.language)
    roles = [_(ROLE_NAMES[role]) for role in ROLE_COLUMNS]
    return generated_page(content, ROLES_PAGE, render(content, "roles.md.j2", roles=roles, rows=rows))


def allies_page(content: Content) -> Page | None:
    """allies.md: the groups we work alongside, from data/allies.yml."""
    if not content.allies:
        return None
    intro = content.allies.intro
    if intro == DEFAULT_INTRO:  # pamphlet's words, not the chapter's
        intro = gettext(content.manifest.language, DEFAULT_INTRO)
    text = render(content, "allies.md.j2", allies=content.allies, intro=intro)
    return generated_page(content, ALLIES_PAGE, text, origin=content.project.root / ALLIES)


def print_page(content: Content) -> Page:
    """print/index.md: every PDF with a preview, its paper, and how to print it."""
    _ = translator(content.manifest.language)
    groups: list[dict] = []
    for download in plan(content):
        if not groups or groups[-1]["group"] != download.group:
            name = _(download.group) if download.group in GROUPS else download.group  # GROUPS are English
            groups.append({"group": download.group, "name": name, "downloads": []})
        groups[-1]["downloads"].append({
            "title": download.title, "file": download.file, "paper": download.paper_label,
            "guide": download.guide, "href": posixpath.relpath(download.href, "print"),
            "thumbnail": posixpath.relpath(download.thumbnail, "print") if download.thumbnail else None,
            "diagram": download.diagram,
        })
    calendar = f"../{CALENDAR}" if content.schedule is not None else None
    return generated_page(content, PRINT, render(content, "print.md.j2", groups=groups, calendar=calendar))


def add_generated_pages(content: Content) -> None:
    """Add every generated page to `content.pages` (before `check`, which then checks links into
    and out of them like any other page's)."""
    pages = [booklet_overview(content), works_cited(content), open_questions(content), feedback_index(content),
             meetings_page(content), actions_page(content), roles_page(content), allies_page(content),
             print_page(content)]
    pages += [section_feedback(content, section) for section in content.sections]
    for page in pages:
        if page is not None:
            content.pages[page.uri] = page


__all__ = [
    "actions_page", "add_generated_pages", "allies_page", "booklet_overview", "citing_pages", "feedback_index",
    "generated_page", "meetings_page", "open_questions", "print_page", "roles_page", "section_feedback",
    "works_cited",
]
