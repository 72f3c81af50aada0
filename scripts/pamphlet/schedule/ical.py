"""The schedule as an iCalendar feed (RFC 5545), byte for byte the same for the same data.

One VEVENT per meeting: DTSTART/DTEND in the meeting's own TZID, an RRULE (a weekly or monthly
rule: its rrule's own serialization, see `_rrule`) or RDATEs (dated meetings, and `added: true`
dates), EXDATEs for cancellations. A moved occurrence (new day, time or place; or a note) is a
second VEVENT with the same UID and a RECURRENCE-ID naming the occurrence it replaces. Each time
zone used gets a VTIMEZONE.

Nothing comes from the clock: DTSTAMP is the `stamp` argument, else the schedule's `updated:`
date, else the earliest date written in it. A weekly or monthly rule without `from` starts (its
DTSTART) at the first occurrence on or after that stamp day (or an earlier change).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import icalendar
from dateutil.relativedelta import relativedelta

from pamphlet.schedule.model import Occurrence, Schedule, ScheduledMeeting, zone
from pamphlet.schedule.rules import Dated

_UTC = dt.timezone.utc
_OPEN_ENDED_YEARS = 10  # VTIMEZONE coverage after the first meeting when a rule has no `until`


def schedule_stamp(schedule: Schedule, stamp: dt.datetime | dt.date | None = None) -> dt.datetime:
    """The DTSTAMP used for `schedule` (UTC): `stamp`, else `updated:`, else its first date."""
    if stamp is None:
        stamp = schedule.updated or schedule.first_date() or dt.date(2000, 1, 1)
    if isinstance(stamp, dt.datetime):
        if stamp.tzinfo is None:
            raise ValueError("stamp must be timezone-aware (e.g. the last commit's time in UTC)")
        return stamp.astimezone(_UTC).replace(microsecond=0)
    return dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=_UTC)


def schedule_to_ical(schedule: Schedule, *, public_only: bool, prodid: str, calendar_name: str,
                     url: str, stamp: dt.datetime | dt.date | None = None) -> bytes:
    """The schedule as an .ics file.

    `public_only` leaves out members-only meetings (for the public feed). `url` is the meetings
    page: it is the calendar's and every event's URL, and its host name makes the UIDs
    (`open-meeting@example.org`). `prodid` is e.g. "-//Decatur Chapter//pamphlet//EN".
    """
    domain = urlparse(url).hostname
    if not domain:
        raise ValueError(f"url must be an absolute URL with a host name, not {url!r}")
    stamped = schedule_stamp(schedule, stamp)

    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", calendar_name)
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", schedule.timezone)
    calendar.add("url", url)
    calendar.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")

    meetings = [m for m in schedule.meetings if m.is_public or not public_only]
    events: list[icalendar.Event] = []
    spans: dict[str, list[dt.date]] = {}
    for meeting in meetings:
        made = _meeting_events(meeting, stamped, domain, url)
        if not made:
            continue
        events.extend(made)
        first = made[0].decoded("dtstart").date()
        last = meeting.last_day() or first + relativedelta(years=_OPEN_ENDED_YEARS)  # 29 February: 28th
        spans.setdefault(meeting.timezone, []).extend([first, last] + [
            e.decoded("dtstart").date() for e in made[1:]])
    for key in sorted(spans):
        first, last = min(spans[key]), max(spans[key])
        calendar.add_component(icalendar.Timezone.from_tzinfo(
            zone(key), tzid=key,
            first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 1, 1, 1)))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def _meeting_events(meeting: ScheduledMeeting, stamp: dt.datetime, domain: str, url: str) -> list[icalendar.Event]:
    """The master VEVENT of `meeting` followed by its RECURRENCE-ID overrides."""
    tz = meeting.tz
    added = [meeting.occurrence(c.date) for c in meeting.changes if c.added]
    rrule = None
    if isinstance(meeting.rule, Dated):
        days = list(meeting.rule.days)
    else:
        anchor = meeting.valid_from or min([stamp.date()] + [c.date for c in meeting.changes])
        horizon = meeting.valid_until or anchor + dt.timedelta(days=400)
        days = meeting.rule_dates(anchor, horizon)[:1]
        if days:
            rrule = _rrule(meeting)
    starts = [dt.datetime.combine(d, meeting.start, tzinfo=tz) for d in days]
    starts += sorted(o.start for o in added)
    if not starts:
        return []
    first = starts[0]

    master = icalendar.Event()
    _common(master, meeting, stamp, domain)
    master.add("dtstart", first)
    master.add("dtend", first + meeting.duration)
    master.add("summary", meeting.title)
    master.add("location", meeting.location)
    if meeting.notes:
        master.add("description", meeting.notes)
    master.add("url", url)
    if rrule:
        master.add("rrule", rrule)
    if len(starts) > 1:
        master.add("rdate", starts[1:])
    cancelled = sorted(dt.datetime.combine(c.date, meeting.start, tzinfo=tz)
                       for c in meeting.changes if c.cancelled and c.date >= first.date())
    if cancelled:
        master.add("exdate", cancelled)

    overrides = []
    for change in meeting.changes:
        if change.cancelled or (not change.added and change.date < first.date()):
            continue
        occurrence = meeting.occurrence(change.date)
        if _as_generated(meeting, occurrence):
            continue
        event = icalendar.Event()
        _common(event, meeting, stamp, domain)
        event.add("recurrence-id", occurrence.original_start)
        event.add("dtstart", occurrence.start)
        event.add("dtend", occurrence.end)
        event.add("summary", meeting.title)
        event.add("location", occurrence.location)
        description = _description(meeting, occurrence)
        if description:
            event.add("description", description)
        event.add("url", url)
        overrides.append((occurrence.original_start, event))
    return [master] + [event for _, event in sorted(overrides, key=lambda pair: pair[0])]


def _common(event: icalendar.Event, meeting: ScheduledMeeting, stamp: dt.datetime, domain: str) -> None:
    event.add("uid", f"{meeting.id}@{domain}")
    event.add("dtstamp", stamp)


def _rrule(meeting: ScheduledMeeting) -> icalendar.vRecur:
    """The RRULE: the serialization of the meeting's rrule (`Rule.recur()`), its UNTIL moved to UTC.

    The rrule's UNTIL is the midnight starting the last day, without a zone; RFC 5545 wants UNTIL
    in UTC when DTSTART has a TZID, so the feed writes the end of that last local day in UTC.
    """
    recur = icalendar.vRecur.from_ical(meeting.rule.recur())
    if meeting.valid_until:
        end = dt.datetime.combine(meeting.valid_until, dt.time(23, 59, 59), tzinfo=meeting.tz)
        recur["UNTIL"] = [end.astimezone(_UTC)]
    return recur


def _description(meeting: ScheduledMeeting, occurrence: Occurrence) -> str:
    return "\n\n".join(part for part in (occurrence.note, occurrence.reason, meeting.notes) if part)


def _as_generated(meeting: ScheduledMeeting, occurrence: Occurrence) -> bool:
    """Whether the master VEVENT alone already produces this occurrence exactly."""
    return (occurrence.end - occurrence.start == meeting.duration
            and occurrence.location == meeting.location
            and _description(meeting, occurrence) == (meeting.notes or "")
            and (occurrence.status == "added" or occurrence.start == occurrence.original_start))


__all__ = ["schedule_stamp", "schedule_to_ical"]
