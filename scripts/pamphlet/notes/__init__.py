"""Meeting notes, agendas, the FAQ and the allies list: Markdown and YAML sources read into data.

- `meetings`: one Markdown file per meeting (docs/meetings/YYYY-MM-DD.md), validated with lines;
  `MeetingLog` answers open action items, role rotation, the latest meeting and its next agenda.
  Closed meetings, drafts and broken files are never public (`MeetingNotes.public`, `scan_meetings`).
- `new`: the text of the next meeting's notes file (`pamphlet new meeting`).
- `faq`: docs/faq.md as topics and questions with stable ids, and its schema.org JSON-LD.
- `allies`: data/allies.yml, the groups we work alongside.

Nothing here reads the clock or renders HTML: callers pass `today` and a Markdown renderer.
"""

from pamphlet.notes.allies import Ally, load_allies
from pamphlet.notes.faq import Faq, Question, Topic, faq_jsonld, jsonld_script, load_faq, parse_faq
from pamphlet.notes.meetings import (
    KINDS,
    ROLES,
    Action,
    Item,
    MeetingLog,
    MeetingNotes,
    RoleTurn,
    Scan,
    load_meeting,
    load_meetings,
    scan_meetings,
)
from pamphlet.notes.new import new_meeting_text, next_meeting_date, suggest_roles

__all__ = [
    "KINDS", "ROLES", "Action", "Ally", "Faq", "Item", "MeetingLog", "MeetingNotes", "Question", "RoleTurn", "Scan",
    "Topic", "faq_jsonld", "jsonld_script", "load_allies", "load_faq", "load_meeting",
    "load_meetings", "new_meeting_text", "next_meeting_date", "parse_faq", "scan_meetings", "suggest_roles",
]
