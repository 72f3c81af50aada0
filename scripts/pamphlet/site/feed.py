"""An Atom feed (RFC 4287) of meeting notes, newest first; deterministic (dates from the notes)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from pamphlet.content import Content, page_url
from pamphlet.i18n import translator

ATOM = "http://www.w3.org/2005/Atom"


def notes_feed(content: Content, feed_uri: str, index_uri: str) -> bytes | None:
    """The feed of the notes in this edition (public notes only, in the public edition)."""
    log = content.meetings
    project = content.project
    if not log or not project.site_url:
        return None
    notes = log.select(public_only=content.public_only)
    if not notes:
        return None
    etree.register_namespace("", ATOM)
    feed = etree.Element(f"{{{ATOM}}}feed")

    def add(parent: etree.Element, tag: str, text: str | None = None, **attrs: str) -> etree.Element:
        element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    add(feed, "id", project.site_url + feed_uri)
    _ = translator(content.manifest.language)
    add(feed, "title", _("{organization}: meeting notes", organization=content.manifest.organization))
    add(feed, "updated", f"{notes[0].date.isoformat()}T00:00:00Z")
    add(feed, "link", href=project.site_url + feed_uri, rel="self")
    add(feed, "link", href=page_url(project, index_uri), rel="alternate")
    author = add(feed, "author")
    add(author, "name", content.manifest.organization)
    for meeting in notes:
        url = page_url(project, meeting.uri)
        entry = add(feed, "entry")
        add(entry, "id", url)
        add(entry, "title", meeting.title)
        add(entry, "updated", f"{meeting.date.isoformat()}T00:00:00Z")
        add(entry, "link", href=url, rel="alternate")
        decisions = "; ".join(item.text for item in meeting.decisions)
        add(entry, "summary", _("Decided: {decisions}", decisions=decisions) if decisions
            else _("Notes of the meeting of {date}.", date=meeting.date))
    return etree.tostring(feed, encoding="utf-8", xml_declaration=True)
