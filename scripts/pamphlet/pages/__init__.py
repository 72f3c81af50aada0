"""Generated pages: the pages pamphlet writes itself, part of the content model.

The booklet's overview, Works Cited, Open questions, the feedback pages, Meetings, Action items,
Roles, Allies and Print & share are made from the model (manifest, bibliography, contested
markers, schedule, meeting notes, allies, download plan) while it is loaded: the model stage
(`pamphlet.model.load`) calls `add_generated_pages` before `check` runs, so links into and out of
them are checked like any other page's, and every later stage (`check`, print, the site, the
preview) reads one complete model.

Why a package of its own, beside `pamphlet.content` and `pamphlet.model`, and not inside `site/`:
the pages belong to the model stage, which must not depend on any output (tests/test_architecture.py
holds the layers). `site/` reads the pages and their addresses (`uris`) from here; nothing here
imports `site/` or `print/`. A package rather than one more module because the pages are a set
of templates (`templates/*.md.j2`, package data) with their builders and filters.

Each page's Markdown comes from a Jinja2 template in `templates/` (`builders` prepares the
values, `templating` holds the environment and its escaping filters). Which value is escaped how:

- plain text, shown literally with `md`: the manifest's title, subtitle, edition, organization,
  description and license; page and chapter titles; contested reasons; ally names, descriptions,
  tags and addresses (as link text); meeting titles and places, and every schedule text
  (`when`, `describe`, location, notes, a change's reason and note); people's names (action item
  owners, roles); dates; download titles, paper and printing guides;
- Markdown by nature, passed as it is with `markdown`: agenda items, decisions and action-item
  tasks, copied from meeting notes, where they are Markdown and `check` reads them; the
  works-cited list, HTML the citation style writes and escapes itself;
- link destinations with `url` (computed paths, ally and feedback addresses, discussion links);
  download file names as code spans with `code`; raw HTML attributes with `html`.
"""

from __future__ import annotations

from pamphlet.pages.builders import add_generated_pages, generated_page
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

__all__ = [
    "ACTIONS", "ALLIES_PAGE", "BOOKLET_INDEX", "CALENDAR", "FEED", "FEEDBACK_INDEX", "MEETINGS", "OPEN_QUESTIONS",
    "PRINT", "ROLES_PAGE", "UPCOMING", "WORKS_CITED", "add_generated_pages", "generated_page",
]
