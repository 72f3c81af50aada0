"""Where the generated pages and feeds live in the site's tree (site paths, as in `Page.uri`).

The model stage makes the pages; the site stage places them in the nav and writes the feeds next
to them, so both read these names from here.
"""

from __future__ import annotations

from pamphlet.content import BOOKLET_DIR, FEEDBACK_DIR

BOOKLET_INDEX = f"{BOOKLET_DIR}/index.md"
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

__all__ = ["ACTIONS", "ALLIES_PAGE", "BOOKLET_INDEX", "CALENDAR", "FEED", "FEEDBACK_INDEX", "MEETINGS",
           "OPEN_QUESTIONS", "PRINT", "ROLES_PAGE", "UPCOMING", "WORKS_CITED"]
