"""The next meeting's notes file, ready to fill in (`pamphlet new meeting`).

`new_meeting_text(log, schedule, today)` returns a file name and its text:

- the date: the next occurrence after `today` of the regular meeting of that kind in the schedule
  (cancelled dates skipped); without a schedule, a week after the latest meeting;
- the place: from that occurrence (a one-off change of place is applied);
- the agenda: the one the latest meeting decided (its `## Next meeting` list);
- the roles, by rotation (`suggest_roles`);
- for an open meeting, all of these from public notes only: the file will be published, and
  nothing in it may come from closed notes or drafts;
- the open action items, to review: for an open meeting only those written in public notes, so
  that nothing from a closed meeting lands in a page that will be published;
- `draft: true`, so the notes are not published before they are finished.

The text is a file that `load_meeting` accepts as it is: the role holders and the owners of the
listed items are written into `attendees`, with a comment asking to add and remove people.
Nothing here reads the clock or writes files.
"""

from __future__ import annotations

import datetime as dt
import json

import yaml

from pamphlet.dates import format_date
from pamphlet.errors import SourceError
from pamphlet.notes.meetings import KINDS, ROLE_NAMES, ROLES, Action, MeetingLog, normalize_name
from pamphlet.schedule.model import Occurrence, Schedule, ScheduledMeeting
from pamphlet.sources.files import SourceLoader

# Which meetings of the schedule (data/meetings.yml `kind`) a kind of notes is for.
SCHEDULE_KIND = {"open": "open", "closed": "members"}
RECENT = 3  # role candidates: whoever attended one of this many latest meetings
_YEAR = dt.timedelta(days=366)


def suggest_roles(log: MeetingLog, *, recent: int = RECENT, public_only: bool = False) -> dict[str, str]:
    """Role -> person, by rotation, for the next meeting.

    Candidates are the people who attended one of the `recent` latest meetings (open or closed;
    everyone who ever attended if that is too few). For each role in the order of ROLES, the
    candidate who held that role longest ago wins (never = longest ago), ties broken
    alphabetically; nobody gets two roles. A role nobody is left for is missing from the result.
    """
    meetings = log.select(public_only=public_only)
    pool: list[str] = []
    for group in (meetings[:recent], meetings):
        for meeting in group:
            for person in meeting.attendees:
                if normalize_name(person) not in {normalize_name(p) for p in pool}:
                    pool.append(person)
        if len(pool) >= len(ROLES):
            break
    last = log.last_held(public_only=public_only)
    chosen: dict[str, str] = {}
    for role in ROLES:
        taken = {normalize_name(p) for p in chosen.values()}
        candidates = [p for p in pool if normalize_name(p) not in taken]
        if not candidates:
            break
        chosen[role] = min(candidates, key=lambda p: (last.get((role, normalize_name(p)), dt.date.min),
                                                       p.casefold(), p))
    return chosen


def regular_meeting(schedule: Schedule, kind: str, today: dt.date) -> ScheduledMeeting | None:
    """The schedule's regular meeting for notes of `kind`: of its meetings of that kind, the one that
    happens most often in the year after `today` (so the weekly open meeting, not the monthly
    reading group); ties go to the one listed first."""
    wanted = [m for m in schedule.meetings if m.kind == SCHEDULE_KIND[kind]]
    if not wanted:
        return None
    counts = [len(m.occurrences(today, today + _YEAR)) for m in wanted]
    best = max(range(len(wanted)), key=lambda i: (counts[i], -i))
    return wanted[best]


def next_meeting_date(log: MeetingLog, schedule: Schedule | None, today: dt.date, *, kind: str = "open",
                      meeting_id: str | None = None) -> tuple[dt.date, Occurrence | None]:
    """The next meeting's date (after `today`), and its scheduled occurrence when there is a schedule.

    With a schedule: the next occurrence, not cancelled, of `meeting_id` or else of the regular
    meeting of `kind` (see `regular_meeting`). Without one: a week after the latest meeting, or
    the first day after `today` a whole number of weeks after it; with no meetings at all, a week
    from `today`.
    """
    if schedule is not None:
        if meeting_id is not None:
            meeting = schedule.meeting(meeting_id)
            if meeting is None:
                raise SourceError(f"no meeting `{meeting_id}` in the schedule; known: "
                                  f"{[m.id for m in schedule.meetings]}", schedule.path)
        else:
            meeting = regular_meeting(schedule, kind, today)
            if meeting is None:
                raise SourceError(f"the schedule has no meeting of kind `{SCHEDULE_KIND[kind]}` "
                                  f"(for {kind} meeting notes)", schedule.path)
        first = today + dt.timedelta(days=1)
        upcoming = [o for o in meeting.occurrences(first, first + 2 * _YEAR) if not o.cancelled]
        if not upcoming:
            raise SourceError(f"the schedule has no `{meeting.id}` meeting after {today}", schedule.path)
        return upcoming[0].date, upcoming[0]
    latest = log.latest(public_only=False)
    if latest is None:
        return today + dt.timedelta(days=7), None
    day = latest.date + dt.timedelta(days=7)
    if day <= today:
        day += dt.timedelta(days=7 * ((today - day).days // 7 + 1))
    return day, None


def new_meeting_text(log: MeetingLog, schedule: Schedule | None, today: dt.date, *, kind: str | None = None,
                     meeting_id: str | None = None, recent: int = RECENT) -> tuple[str, str]:
    """The file name (`YYYY-MM-DD.md`) and text of the next meeting's notes.

    `kind` is "open" (the default) or "closed" (a members' meeting in the schedule); `meeting_id`
    picks a meeting of the schedule instead of the regular one of that kind (its kind then sets
    the notes' kind unless `kind` is given).
    """
    if kind is None and meeting_id is not None and schedule is not None and schedule.meeting(meeting_id):
        kind = "closed" if schedule.meeting(meeting_id).kind == "members" else "open"
    if meeting_id is not None and schedule is None:
        raise ValueError("meeting_id names a meeting of the schedule; pass the schedule too")
    kind = kind or "open"
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    day, occurrence = next_meeting_date(log, schedule, today, kind=kind, meeting_id=meeting_id)
    # An open meeting's notes are published: nothing in them may come from closed notes or drafts
    # (not the agenda, not the place, not the people who held roles there, not their action items).
    public_only = kind == "open"

    if occurrence is not None:
        place = ", ".join(part for part in (occurrence.place, occurrence.room) if part)
    else:
        same = [m for m in log.select(public_only=public_only) if m.kind == kind]
        place = same[0].place if same else "to be decided"

    roles = suggest_roles(log, recent=recent, public_only=public_only)
    for role in ROLES:
        roles.setdefault(role, f"({ROLE_NAMES[role].lower()})")  # nobody to suggest: a visible blank

    open_items = log.open_actions(public_only=public_only)
    review: list[Action] = [action for items in open_items.values() for _, action in items]

    attendees: list[str] = []
    for person in [roles[r] for r in ROLES] + [a.owner for a in review]:
        if normalize_name(person) not in {normalize_name(p) for p in attendees}:
            attendees.append(person)

    agenda = log.next_agenda(public_only=public_only)

    out: list[str] = ["---"]
    out.append(f"date: {day.isoformat()}")
    out.append(f"kind: {kind}")
    out.append(f"place: {_scalar(place)}")
    for role in ROLES:
        out.append(f"{role}: {_scalar(roles[role])}")
    out.append("# Suggested: the roles above (by rotation) and the owners of the open action items below.")
    out.append("# Add everyone who comes; remove anyone who does not (and their action items).")
    out.append(f"attendees: [{', '.join(_scalar(p, flow=True) for p in attendees)}]")
    out.append("draft: true  # delete this line when the notes are final (drafts are never published)")
    out.append("---")
    out.append(f"# {kind.capitalize()} meeting, {format_date(day)}")
    out.append("")
    out.append("## Agenda")
    if agenda:
        out.extend(f"{number}. {item.text}" for number, item in enumerate(agenda, 1))
    else:
        out.append("<!-- No agenda was decided last time: write it here as a numbered list. -->")
    out.append("")
    out.append("## Discussion")
    out.append("")
    out.append("## Decisions")
    out.append("")
    out.append("## Action items")
    out.append("<!-- Open items from earlier meetings: mark the finished ones [x], keep the others.")
    out.append("     Add new ones as: - [ ] **Name**: what to do (due YYYY-MM-DD) -->")
    out.extend(_action_line(action) for action in review)
    out.append("")
    out.append("## Next meeting")
    out.append("Agenda decided for the next meeting:")
    out.append("<!-- A numbered list: 1. Check-in on action items -->")
    return f"{day.isoformat()}.md", "\n".join(out) + "\n"


def _action_line(action: Action) -> str:
    due = f" (due {action.due.isoformat()})" if action.due else ""
    return f"- [ ] **{action.owner}**: {action.task}{due}"


def _scalar(value: str, *, flow: bool = False) -> str:
    """`value` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        parsed = yaml.load(f"[{value}]" if flow else f"k: {value}", Loader=SourceLoader)
        back = parsed if flow else parsed["k"]
        if back == ([value] if flow else value):
            return value
    except (yaml.YAMLError, TypeError, KeyError):
        pass
    return json.dumps(value, ensure_ascii=False)


__all__ = ["RECENT", "SCHEDULE_KIND", "new_meeting_text", "next_meeting_date", "regular_meeting", "suggest_roles"]
