"""Reading data/meetings.yml: every value checked, every problem a `SourceError` at its line.

`load_schedule(path)` returns a `schedule.model.Schedule`, or raises all the problems of the
file together (`SourceErrors`), each naming the file and the line of the key or item at fault.
The file (data/meetings.yml is a commented example)::

    timezone: America/New_York        # IANA name; the default for every meeting
    updated: 2026-11-20               # optional: the day the schedule was last checked
    meetings:
      - id: open-meeting              # unique slug; also the calendar UID
        title: Open meeting
        kind: open                    # open | members
        place: Decatur Library
        address: 215 Sycamore St, Decatur, GA 30030    # optional
        room: Auditorium              # optional
        timezone: America/Chicago     # optional override
        start: "19:00"                # 24-hour clock, or "7:00 pm"
        end: "20:30"                  # or duration: 90m / 1h30m / 1:30
        weekly: tuesday               # or monthly: {nth: 2, weekday: sunday} (nth 1-5, -1 = last)
        interval: 2                   # optional, weekly only; needs `from`
        # or dates: [2026-12-06, 2027-01-10]
        from: 2026-09-01              # optional first day of the rule
        until: 2027-06-30             # optional last day of the rule
        notes: Step-free entrance.    # optional short text
        changes:                      # one-off exceptions
          - {date: 2026-12-22, cancelled: true, reason: Winter holidays}
          - {date: 2027-03-09, start: "18:00", place: ..., address: ..., note: ...}
          - {date: 2027-04-06, moved_to: 2027-04-07}
          - {date: 2027-05-15, added: true, note: Extra session}

Beyond each value's type, the loader checks what only the whole meeting shows: one rule, an end
after the start, a rule that happens at least once between its bounds, changes that fall on the
meeting's own dates (or add one), changed times that stay within the day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

from pamphlet.dates import format_month, weekday_name
from pamphlet.errors import Collector
from pamphlet.schedule.model import KINDS, Change, Schedule, ScheduledMeeting, changed_times, zone
from pamphlet.schedule.rules import ORDINALS, Dated, Monthly, Rule, Weekly
from pamphlet.sources import schema as s
from pamphlet.sources.files import Yaml, load_yaml

# The weekdays as data/meetings.yml writes them (`tuesday` or `tue`), 0 = Monday.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# How far a rule bounded on one side only is checked for ever happening ("the next 12 months").
_YEAR = dt.timedelta(days=366)
_ANY_DAY = dt.date(2000, 1, 3)  # a day without DST changes, for time-of-day arithmetic


def read_yaml(path: Path) -> Yaml:
    """The schedule file, with lines (times like 19:00 stay text; see `SourceLoader`)."""
    return load_yaml(path)


# --------------------------------------------------------------------------------------------
# Schema options (after pamphlet.sources.schema: each raises ValueError saying what it expected)


class Slug(s.Option):
    def validate(self, value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
            raise ValueError("Expected a short name of lowercase letters, digits and dashes "
                             f"(like open-meeting) but received: {value!r}")
        return value


class Weekday(s.Option):
    """`tuesday`, `Tuesday` or `tue`; the value is 0 (Monday) to 6 (Sunday)."""

    def validate(self, value: Any) -> int:
        if isinstance(value, str):
            word = value.strip().lower()
            for index, name in enumerate(WEEKDAYS):
                if word in (name, name[:3]):
                    return index
        raise ValueError(f"unknown weekday {value!r}; expected one of: {', '.join(WEEKDAYS)}")


class ClockTime(s.Option):
    """`19:00` (24-hour clock) or `7:00 pm` / `7pm`."""

    _PATTERN = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)

    def validate(self, value: Any) -> dt.time:
        match = self._PATTERN.fullmatch(value.strip()) if isinstance(value, str) else None
        if match:
            hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
            if half and 1 <= hour <= 12 and minute < 60:
                return dt.time((hour % 12) + (12 if half.startswith("p") else 0), minute)
            if not half and match[2] and hour < 24 and minute < 60:
                return dt.time(hour, minute)
        raise ValueError(f"Expected a time like 19:00 or 7:00 pm but received: {value!r}")


class Duration(s.Option):
    """`90` (minutes), `90m`, `1h30m`, `1 hour 30 minutes` or `1:30`."""

    _WORDS = re.compile(r"(?:(\d+)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?)?)?)?", re.IGNORECASE)
    _CLOCK = re.compile(r"(\d{1,2}):(\d{2})")

    def validate(self, value: Any) -> dt.timedelta:
        minutes = None
        if isinstance(value, int) and not isinstance(value, bool):
            minutes = value
        elif isinstance(value, str) and value.strip():
            text = value.strip()
            if match := self._CLOCK.fullmatch(text):
                minutes = int(match[1]) * 60 + int(match[2])
            elif (match := self._WORDS.fullmatch(text)) and (match[1] or match[2]):
                minutes = int(match[1] or 0) * 60 + int(match[2] or 0)
        if minutes is None or not 0 < minutes < 24 * 60:
            raise ValueError(f"Expected a duration like 90m, 1h30m or 1:30 but received: {value!r}")
        return dt.timedelta(minutes=minutes)


class TimeZone(s.Option):
    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"Expected a time zone name like America/New_York but received: {value!r}")
        zone(value.strip())
        return value.strip()


class CalendarDate(s.Option):
    """A day: 2026-12-22. An impossible day (2026-02-30) is named as such."""

    def validate(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            raise ValueError(f"Expected a date without a time (like 2026-12-22) but received: {value}")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
            if match:
                year, month, day = (int(g) for g in match.groups())
                if not 1 <= month <= 12:
                    raise ValueError(f"{value} is not a date: there is no month {month}")
                days = calendar.monthrange(year, month)[1]
                if not 1 <= day <= days:
                    raise ValueError(f"{value} is not a date: {format_month(dt.date(year, month, 1))} "
                                     f"has {days} days")
                return dt.date(year, month, day)
        raise ValueError(f"Expected a date like 2026-12-22 but received: {value!r}")


class Count(s.Option):
    def __init__(self, allowed: Iterable[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.allowed = tuple(allowed)

    def validate(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value not in self.allowed:
            shown = (f"{self.allowed[0]} to {self.allowed[-1]}" if len(self.allowed) > 8
                     else str(list(self.allowed)))
            raise ValueError(f"Expected one of: {shown} but received: {value!r}")
        return value


class Mapping(s.Option):
    """A nested mapping, validated afterwards with its own schema (for its own lines)."""

    def validate(self, value: Any) -> dict:
        if not isinstance(value, dict):
            raise ValueError(f"Expected a mapping of `key: value` lines but received: {value!r}")
        return value


class Anything(s.Option):
    def validate(self, value: Any) -> Any:
        return value


TOP = {
    "timezone": TimeZone(required=True, help="IANA time zone of the meetings"),
    "updated": CalendarDate(help="the day the schedule was last checked"),
    "meetings": s.ListOf(Anything(), required=True, min_items=1),
}

MEETING = {
    "id": Slug(required=True),
    "title": s.Str(required=True),
    "kind": s.Choice(list(KINDS), required=True),
    "place": s.Str(required=True),
    "address": s.Str(),
    "room": s.Str(),
    "timezone": TimeZone(),
    "start": ClockTime(required=True),
    "end": ClockTime(),
    "duration": Duration(),
    "weekly": Weekday(),
    "interval": Count(range(1, 53)),
    "monthly": Mapping(),
    "dates": s.ListOf(CalendarDate(), min_items=1),
    "from": CalendarDate(),
    "until": CalendarDate(),
    "notes": s.Str(),
    "changes": s.ListOf(Anything()),
}

MONTHLY = {
    "nth": Count([1, 2, 3, 4, 5, -1], required=True),
    "weekday": Weekday(required=True),
}

CHANGE = {
    "date": CalendarDate(required=True),
    "cancelled": s.Bool(default=False),
    "added": s.Bool(default=False),
    "moved_to": CalendarDate(),
    "start": ClockTime(),
    "end": ClockTime(),
    "place": s.Str(),
    "address": s.Str(),
    "room": s.Str(),
    "reason": s.Str(),
    "note": s.Str(),
}

_MOVES = ("moved_to", "start", "end", "place", "address", "room")


def _check(errors: Collector, source: Yaml, schema: dict, data: Any, prefix: tuple,
           what: str) -> dict | None:
    """`schema.validate`, its errors added to `errors` (None when there were any)."""
    return errors.collect(s.validate, source, schema, data=data, prefix=prefix, what=what)


# --------------------------------------------------------------------------------------------
# Loading


def load_schedule(path: Path) -> Schedule:
    """Read and check a meetings file; raises `SourceError`(s) naming every problem and its line."""
    source = read_yaml(path)
    errors = Collector()
    top = _check(errors, source, TOP, source.data, (), "the schedule")
    if top is None:
        # Keep going (so that one run reports everything) when the meetings list is readable.
        if not isinstance(source.data, dict) or not isinstance(source.data.get("meetings"), list):
            errors.raise_if_any()
        top = {"timezone": "UTC", "updated": None, "meetings": source.data["meetings"]}
    meetings = []
    seen: dict[str, int] = {}
    for index, item in enumerate(top["meetings"]):
        meeting = _load_meeting(errors, source, item, ("meetings", index), top["timezone"])
        if meeting is None:
            continue
        if meeting.id in seen:
            errors.add(source.error(f"duplicate id `{meeting.id}` (first used on line {seen[meeting.id]})",
                                    "meetings", index, "id"))
        else:
            seen[meeting.id] = source.line("meetings", index, "id")
        meetings.append(meeting)
    errors.raise_if_any()
    return Schedule(path, top["timezone"], tuple(meetings), top["updated"])


def _load_meeting(errors: Collector, source: Yaml, item: Any, at: tuple, default_tz: str) -> ScheduledMeeting | None:
    count = len(errors.errors)
    data = _check(errors, source, MEETING, item, at, "meeting")
    if data is None:
        # Still check the nested mappings, so that one run reports their problems too.
        if isinstance(item, dict) and isinstance(item.get("monthly"), dict):
            _check(errors, source, MONTHLY, item["monthly"], at + ("monthly",), "`monthly`")
        if isinstance(item, dict) and isinstance(item.get("changes"), list):
            for index, raw in enumerate(item["changes"]):
                _check(errors, source, CHANGE, raw, at + ("changes", index), "change")
        return None

    def fail(message: str, *keys: Any) -> None:
        errors.add(source.error(message, *at, *keys))

    # The rule.
    given = [key for key in ("weekly", "monthly", "dates") if data[key] is not None]
    rule: Rule | None = None
    if not given:
        fail("meeting needs a rule: `weekly`, `monthly` or `dates`")
    elif len(given) > 1:
        fail(f"give only one rule: `{given[0]}` and `{given[1]}` are both set", given[1])
    if data["interval"] is not None and data["weekly"] is None:
        fail("`interval` goes with a `weekly` rule", "interval")
    if data["until"] and data["from"] and data["until"] < data["from"]:
        fail(f"`until` {data['until']} is before `from` {data['from']}", "until")
    interval, bounds = data["interval"] or 1, {"start": data["from"], "until": data["until"]}
    if given == ["weekly"]:
        if interval > 1 and data["from"] is None:
            fail(f"`interval: {interval}` needs a `from` date to know which weeks", "interval")
        else:
            rule = Weekly(data["weekly"], interval, **bounds)
    elif given == ["monthly"]:
        monthly = _check(errors, source, MONTHLY, data["monthly"], at + ("monthly",), "`monthly`")
        if monthly is not None:
            rule = Monthly(monthly["nth"], monthly["weekday"], **bounds)
    elif given == ["dates"]:
        days = data["dates"]
        for index, day in enumerate(days):
            if day in days[:index]:
                fail(f"{day} is listed twice", "dates", index)
            elif data["from"] and day < data["from"]:
                fail(f"{day} is before `from` {data['from']}", "dates", index)
            elif data["until"] and day > data["until"]:
                fail(f"{day} is after `until` {data['until']}", "dates", index)
        rule = Dated(tuple(sorted(set(days))), **bounds)

    # The times.
    start, end = data["start"], data["end"]
    if end is not None and data["duration"] is not None:
        fail("give `end` or `duration`, not both", "duration")
    elif end is None and data["duration"] is None:
        fail("meeting needs an `end` time or a `duration`")
    elif end is None:
        finish = dt.datetime.combine(_ANY_DAY, start) + data["duration"]
        if finish.date() != _ANY_DAY:
            fail(f"`duration` runs past midnight (from {start:%H:%M})", "duration")
        end = finish.time()
    elif end <= start:
        fail(f"`end` {end:%H:%M} is not after `start` {start:%H:%M}", "end")

    if len(errors.errors) > count or rule is None or end is None:
        return None
    meeting = ScheduledMeeting(
        id=data["id"], title=data["title"], kind=data["kind"], place=data["place"],
        address=data["address"], room=data["room"], timezone=data["timezone"] or default_tz,
        start=start, end=end, rule=rule, notes=data["notes"])

    # A rule that never happens between its bounds (e.g. a fifth Monday in February-March).
    if not isinstance(rule, Dated) and (meeting.valid_from or meeting.valid_until):
        first = meeting.valid_from or meeting.valid_until - _YEAR
        last = meeting.valid_until or meeting.valid_from + _YEAR
        if not meeting.rule_dates(first, last):
            what = weekday_name(rule.weekday)
            if isinstance(rule, Monthly):
                what = f"{ORDINALS[rule.nth]} {what} of a month"
            fail(f"this rule never happens: there is no {what} between {first} and {last}", given[0])
            return None

    changes: list[Change] = []
    for index, raw in enumerate(data["changes"] or []):
        change = _load_change(errors, source, raw, at + ("changes", index), meeting, changes)
        if change is not None:
            changes.append(change)
    return replace(meeting, changes=tuple(sorted(changes, key=lambda c: c.date)))


def _load_change(errors: Collector, source: Yaml, raw: Any, at: tuple, meeting: ScheduledMeeting,
                 earlier: list[Change]) -> Change | None:
    data = _check(errors, source, CHANGE, raw, at, "change")
    if data is None:
        return None

    def fail(message: str, *keys: Any) -> None:
        errors.add(source.error(message, *at, *keys))

    day = data["date"]
    moves = [key for key in _MOVES if data[key] is not None]
    if any(c.date == day for c in earlier):
        fail(f"there is already a change for {day}", "date")
        return None
    if data["cancelled"] and data["added"]:
        fail("a change can't both add and cancel a meeting", "added")
        return None
    if data["cancelled"] and moves:
        fail(f"a cancelled meeting can't also be moved; remove `{moves[0]}`", moves[0])
        return None
    if not data["cancelled"] and not data["added"] and not moves and data["note"] is None:
        fail(f"the change for {day} changes nothing: give `cancelled: true`, a new "
             "`start`/`end`/`place`/`moved_to`, or a `note`")
        return None
    if data["added"]:
        if meeting.is_rule_date(day):
            fail(f"{day} is already a date of this meeting; `added: true` is for extra dates", "date")
            return None
    elif not meeting.is_rule_date(day):
        fail(f"{day} ({weekday_name(day.weekday())}) is not a date of this meeting "
             f"({meeting.rule.describe()}){_nearest(meeting, day)}; "
             "for an extra meeting add `added: true`", "date")
        return None
    target = data["moved_to"]
    if target is not None:
        if data["added"]:
            fail("an added meeting can't be moved; give its own `date`", "moved_to")
            return None
        if target == day:
            fail("`moved_to` is the same day; give only the new `start`", "moved_to")
            return None
        if meeting.is_rule_date(target):
            fail(f"there is already a meeting on {target}", "moved_to")
            return None
    change = Change(
        date=day, cancelled=data["cancelled"], added=data["added"], moved_to=target,
        start=data["start"], end=data["end"], place=data["place"], address=data["address"],
        room=data["room"], reason=data["reason"], note=data["note"])
    start, end = changed_times(meeting, change)
    if end is None:
        fail(f"the meeting moved to {start:%H:%M} would run past midnight", "start")
        return None
    if end <= start:
        fail(f"the changed meeting would end ({end:%H:%M}) before it starts ({start:%H:%M})",
             "end" if data["end"] is not None else "start")
        return None
    return change


def _nearest(meeting: ScheduledMeeting, day: dt.date) -> str:
    before = meeting.rule_dates(day - _YEAR, day - dt.timedelta(days=1))
    after = meeting.rule_dates(day + dt.timedelta(days=1), day + _YEAR)
    near = [str(d) for d in (before[-1:] + after[:1])]
    if not near:
        return ""
    return f"; the nearest {'are' if len(near) == 2 else 'is'} {' and '.join(near)}"


__all__ = ["CHANGE", "MEETING", "MONTHLY", "TOP", "WEEKDAYS", "CalendarDate", "load_schedule", "read_yaml"]
