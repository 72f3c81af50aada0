"""Pages the pipeline writes itself: the booklet overview and the site-wide Works Cited.

Each is a `Page` with Markdown text, added to the content before the checks run, so links into
and out of them are checked like any other page's. Raw HTML inside them uses links computed by
`relative_href` (MkDocs does not rewrite links in raw HTML).
"""

from __future__ import annotations

import posixpath

from pamphlet.bibliography import BackRef, Citer
from pamphlet.content import (
    ALLIES,
    BOOKLET_DIR,
    FEEDBACK_DIR,
    SCHEDULE,
    Content,
    ContestedSection,
    Page,
    page_url,
    relative_href,
)
from pamphlet.feedback import FeedbackTarget, feedback_links
from pamphlet.markdown.contested import date_text
from pamphlet.sources.analysis import analyse
from pamphlet.sources.files import MarkdownSource, Yaml

WORKS_CITED = "works-cited.md"
MEETINGS = "meetings/index.md"
PRINT = "print/index.md"
CALENDAR = "meetings.ics"  # the iCalendar feed, at the site's root
UPCOMING = 8  # how many dated meetings the Meetings page lists
ACTIONS = "meetings/actions.md"
ROLES_PAGE = "meetings/roles.md"
FEED = "meetings/feed.xml"  # Atom feed of new meeting notes
ALLIES_PAGE = "allies.md"
OPEN_QUESTIONS = "open-questions.md"
FEEDBACK_INDEX = f"{FEEDBACK_DIR}/index.md"


def generated_page(content: Content, uri: str, text: str, origin=None) -> Page:
    """A generated page; `origin` is the file it is made from (its "edit" link), if any."""
    path = origin or content.project.config_path
    source = MarkdownSource(path, text, Yaml({}, path), text, 1)
    page = Page(uri, source if origin else None, analyse(source), generated_text=text)
    return page


def booklet_overview(content: Content) -> Page:
    """booklet/index.md: what the booklet is, its chapters, and (in the template) the download."""
    m = content.manifest
    lines = [f"# {m.title}", ""]
    if m.subtitle:
        lines += [f"*{m.subtitle}*", ""]
    lines += [f"{m.edition}, {m.date:%B} {m.date.day}, {m.date.year}. Published by {m.organization}.", ""]
    if m.description:
        lines += [m.description, ""]
    lines += ["## Chapters", ""]
    for page in content.chapters:
        lines.append(f"{page.chapter.number}. [{page.title}]({page.chapter.path.name})")
    lines += ["", "## License", "", f"{m.license}. Copy it, print it, share it."]
    return generated_page(content, f"{BOOKLET_DIR}/index.md", "\n".join(lines) + "\n", origin=m.path)


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
    items = citer.works_cited_html(keys, backrefs=backrefs)
    text = "\n".join([
        "# Works Cited", "",
        "Every work cited on this site, with links back to the pages that cite it. The booklet's "
        "last chapter lists the works it cites, with the pages where they are cited.", "",
        '<ul class="references-list works-cited">', items, "</ul>", ""])
    return generated_page(content, WORKS_CITED, text)


def _link(from_uri: str, section: ContestedSection) -> str:
    """A Markdown link target from a generated page to a contested section (checked like any)."""
    target = posixpath.relpath(section.page.uri, posixpath.dirname(from_uri) or ".")
    return target + (f"#{section.fragment}" if section.fragment else "")


def _since(section: ContestedSection) -> str:
    return f" (disputed since {date_text(section.marker.since)})" if section.marker.since else ""


def open_questions(content: Content) -> Page | None:
    """open-questions.md: every contested section, its reason, and links to it and to feedback."""
    sections = content.sections
    if not sections:
        return None
    lines = ["# Open questions", "",
             f"The group still disputes these parts of the {content.manifest.edition.lower()} of the booklet "
             "and of this site. Each is marked where it stands. Read it, then tell us what you think: "
             "every question has its own feedback page.", ""]
    current = None
    for section in sections:
        title = section.page.title or section.page.uri
        if title != current:
            lines += ([""] if lines[-1] else []) + [f"## {title}", ""]
            current = title
        where = "The whole page" if section.fragment is None else "A passage"
        lines.append(f"- **{section.marker.reason}**{_since(section)}  ")
        lines.append(f"  [{where}]({_link(OPEN_QUESTIONS, section)}) · "
                     f"[Give feedback]({posixpath.relpath(section.feedback_uri, '.')})")
    return generated_page(content, OPEN_QUESTIONS, "\n".join(lines) + "\n")


def _links_markdown(links) -> list[str]:
    return [f"- [{link.label}](<{link.url}>)" for link in links]


def feedback_index(content: Content) -> Page:
    """feedback/index.md: how to reach the group, and every open question's feedback page."""
    cfg = content.feedback
    lines = ["# Tell us what you think", "",
             "This site and the booklet are written by the members of "
             f"{content.manifest.organization}, and they get better when readers answer back. "
             "Suggest a change, report a mistake, or tell us where you disagree.", ""]
    general = []
    if cfg is not None:
        target = FeedbackTarget(page_title="Feedback", page_url=page_url(content.project, FEEDBACK_INDEX),
                                source=content.project.relative(content.project.config_path))
        general = [link for link in feedback_links(cfg, target, content.warn) if link.kind != "edit"]
    if general:
        lines += ["## Write to us", ""] + _links_markdown(general) + [""]
    lines += ["## Suggest a change to a page", "",
              "Every page has a *Suggest an edit* link at its end: it opens the page's source text, "
              "where you can propose a change. No special knowledge is needed.", ""]
    if content.sections:
        lines += ["## Questions we are still arguing about", ""]
        for section in content.sections:
            lines.append(f"- [{section.marker.reason}]({posixpath.basename(section.feedback_uri)}) "
                         f"({section.page.title})")
        lines.append("")
    return generated_page(content, FEEDBACK_INDEX, "\n".join(lines))


def section_feedback(content: Content, section: ContestedSection) -> Page:
    """feedback/<section>.md: one contested section's feedback page (printed QR codes lead here)."""
    page, marker = section.page, section.marker
    lines = [f"# {marker.reason}", "",
             f"A contested {'page' if section.fragment is None else 'passage'} in "
             f"*{page.title}*{_since(section)}. The group has not settled it, and wants your view.", "",
             f"[Read it in context]({_link(section.feedback_uri, section)})", ""]
    links = []
    if content.feedback is not None:
        target = FeedbackTarget(page_title=page.title or page.uri,
                                page_url=page_url(content.project, page.uri, section.fragment),
                                source=content.project.relative(page.path), line=marker.line,
                                section=marker.reason)
        links = feedback_links(content.feedback, target, content.warn)
    if marker.discussion:
        lines += [f"[Read the discussion so far](<{marker.discussion}>)", ""]
    if links:
        lines += ["## Answer", ""] + _links_markdown(links) + [""]
    lines += ["[All open questions](../open-questions.md)", ""]
    return generated_page(content, section.feedback_uri, "\n".join(lines))


def _date(day) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def meetings_page(content: Content) -> Page | None:
    """meetings/index.md: the next meeting and its agenda, the next dates, the notes of past
    meetings with their decisions, the regular meetings, and the calendar and news feeds."""
    schedule, log = content.schedule, content.meetings
    if schedule is None and not log:
        return None
    public_only = content.public_only
    lines = ["# Meetings", "",
             "Anyone is welcome at our open meetings: no need to sign up, no dues. The times below come "
             "from one schedule file, the same one our fliers and the booklet's back cover are printed from.", ""]
    upcoming = schedule.next_occurrences(content.today, UPCOMING, kinds=["open"]) if schedule else []
    following = next((o for o in upcoming if not o.cancelled), None)
    agenda = log.next_agenda(public_only=public_only) if log else []
    if following or agenda:
        lines += ['!!! info "Next meeting"']
        if following:
            lines += [f"    **{following.when()}**, {following.meeting.title}, {following.location}.", ""]
        if agenda:
            lines += ["    Agenda decided at the last meeting:", ""]
            lines += [f"    {n}. {item.text}" for n, item in enumerate(agenda, start=1)]
        lines.append("")
    if upcoming:
        lines += ["## Coming up", ""]
    for occurrence in upcoming:
        title = occurrence.meeting.title
        if occurrence.cancelled:
            reason = f" ({occurrence.reason})" if occurrence.reason else ""
            lines.append(f"- **Cancelled:** {occurrence.when()}, {title}{reason}.")
        else:
            note = f" *{occurrence.note}*" if occurrence.note else ""
            moved = " **Changed:**" if occurrence.moved else ""
            lines.append(f"- **{occurrence.when()}**, {title}.{moved} {occurrence.location}.{note}")
    notes = log.select(public_only=public_only) if log else []
    if notes:
        lines += ["", "## Notes from our meetings", "",
                  "What was discussed and decided, newest first. Also: [open action items](actions.md) · "
                  f"[who held which role](roles.md) · [news feed](../{FEED}) (Atom).", ""]
        for meeting in notes:
            kind = "" if meeting.kind == "open" else " (closed)"
            lines += [f"### [{meeting.title}]({_from_meetings(meeting)}){kind}", ""]
            if meeting.decisions:
                lines += ["Decided:", ""] + [f"- {item.text}" for item in meeting.decisions] + [""]
    if schedule is not None:
        lines += ["## Regular meetings", ""]
        for meeting in schedule.meetings:
            members = " (members only)" if meeting.kind != "open" else ""
            lines += [f"### {meeting.title}{members}", "", f"{meeting.describe(period=True)}.  ",
                      f"{meeting.location}.", ""]
            if meeting.notes:
                lines += [meeting.notes, ""]
        lines += ["## Add the meetings to your calendar", "",
                  f"[Subscribe to the calendar](../{CALENDAR}) (iCalendar, open meetings only). On a phone, "
                  "add it as a calendar subscription so that changes reach you.", ""]
    origin = content.project.root / SCHEDULE if schedule is not None else None
    return generated_page(content, MEETINGS, "\n".join(lines), origin=origin)


def _from_meetings(meeting) -> str:
    """A link from a page in meetings/ to a meeting's notes, wherever under meetings/ they are."""
    return posixpath.relpath(meeting.uri, "meetings")


def actions_page(content: Content) -> Page | None:
    """meetings/actions.md: every open action item, by person, across meetings."""
    if not content.meetings:
        return None
    lines = ["# Action items", "",
             "Tasks people took on at our meetings and have not finished yet, by person. An item "
             "disappears once a later meeting's notes mark it done.", ""]
    open_items = content.meetings.open_actions(public_only=content.public_only)
    if not open_items:
        lines.append("Nothing is open right now.")
    for person, items in open_items.items():
        lines += [f"## {person}", ""]
        for meeting, action in items:
            due = f" (due {_date(action.due)})" if action.due else ""
            lines.append(f"- {action.task}{due}, from [{meeting.title}]({_from_meetings(meeting)})")
        lines.append("")
    return generated_page(content, ACTIONS, "\n".join(lines) + "\n")


def roles_page(content: Content) -> Page | None:
    """meetings/roles.md: who facilitated, took notes and kept time, meeting by meeting."""
    if not content.meetings:
        return None
    lines = ["# Roles", "",
             "We rotate the facilitator, the note-taker and the time-keeper, so that running a meeting is "
             "a skill everyone learns. Newest first.", "",
             "| Meeting | Facilitator | Note-taker | Time-keeper |", "| --- | --- | --- | --- |"]
    for meeting in content.meetings.select(public_only=content.public_only):
        roles = meeting.roles
        lines.append(f"| [{_date(meeting.date)}]({_from_meetings(meeting)}) | {roles.get('facilitator', '')} | "
                     f"{roles.get('note_taker', '')} | {roles.get('time_keeper', '')} |")
    return generated_page(content, ROLES_PAGE, "\n".join(lines) + "\n")


def allies_page(content: Content) -> Page | None:
    """allies.md: the groups we work alongside, from data/allies.yml."""
    if not content.allies:
        return None
    lines = ["# Allies", "", "Groups in and around Decatur whose work we support and learn from.", ""]
    for ally in content.allies:
        tags = f" *({', '.join(ally.tags)})*" if ally.tags else ""
        lines += [f"## {ally.name}", "", f"{ally.works_on}{tags}", "", f"[{ally.url}](<{ally.url}>)", ""]
    return generated_page(content, ALLIES_PAGE, "\n".join(lines), origin=content.project.root / ALLIES)


def print_page(content: Content) -> Page:
    """print/index.md: every PDF with a preview, its paper, and how to print it."""
    from pamphlet.downloads import plan

    lines = ["# Print & share", "",
             "Everything here is free to print and share. Each file says what paper it is for and how to "
             "print it. The addresses stay the same from one edition to the next, so links keep working.", ""]
    group = None
    for download in plan(content):
        if download.group != group:
            group = download.group
            lines += [f"## {group}", ""]
        href = posixpath.relpath(download.href, "print")
        thumb = posixpath.relpath(download.thumbnail, "print")
        lines += [
            '<div class="print-item" markdown>',
            f'<a href="{href}" class="print-thumb"><img src="{thumb}" alt="First page of {download.title}" '
            f'loading="lazy" width="120"></a>',
            "",
            f"**[{download.title}]({href})**  ",
            f"{download.paper_label} · `{download.file}`  ",
            download.guide,
            "",
            "</div>",
            ""]
    if content.schedule is not None:
        lines += ["## Calendar", "", f"[meetings.ics](../{CALENDAR}): the open meetings, for calendar apps.", ""]
    return generated_page(content, PRINT, "\n".join(lines))


def add_generated_pages(content: Content) -> None:
    pages = [booklet_overview(content), works_cited(content), open_questions(content), feedback_index(content),
             meetings_page(content), actions_page(content), roles_page(content), allies_page(content),
             print_page(content)]
    pages += [section_feedback(content, section) for section in content.sections]
    for page in pages:
        if page is not None:
            content.pages[page.uri] = page
