"""Meetings as data: load data/meetings.yml, expand its rules into dated occurrences, describe them.

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

Every problem is a `SourceError` naming the file and line; all of them are collected and
reported together. Nothing here reads the clock: callers pass `today` or explicit windows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import importlib.resources
import re
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Union

from pamphlet.errors import Collector
from pamphlet.sources import schema as s
from pamphlet.sources.files import Yaml, load_yaml

KINDS = ("open", "members")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
EN_DASH = "\u2013"

# How far a rule bounded on one side only is checked for ever happening ("the next 12 months").
_YEAR = dt.timedelta(days=366)
_ANY_DAY = dt.date(2000, 1, 3)  # a day without DST changes, for time-of-day arithmetic


# --------------------------------------------------------------------------------------------
# Time zones


_ZONE_KEY = re.compile(r"[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*")


@functools.lru_cache(maxsize=1)
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.lru_cache(maxsize=None)
def zone(key: str) -> dt.tzinfo:
    """The IANA time zone `key`; `ValueError` for an unknown name.

    Read from the pinned `tzdata` package when it is installed, so that the zone's rules (and the
    VTIMEZONE written from them) are the same on every machine; else from the system database.
    """
    if not _ZONE_KEY.fullmatch(key) or key not in _available_zones():
        raise ValueError(f"unknown time zone {key!r}; use an IANA name such as America/New_York")
    try:
        ref = importlib.resources.files("tzdata.zoneinfo").joinpath(*key.split("/"))
        with ref.open("rb") as handle:
            return zoneinfo.ZoneInfo.from_file(handle, key=key)
    except (ModuleNotFoundError, OSError, ValueError):
        return zoneinfo.ZoneInfo(key)


# --------------------------------------------------------------------------------------------
# Formatting


def _clock(t: dt.time) -> tuple[str, str]:
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d}", "am" if t.hour < 12 else "pm"


def format_time_range(start: dt.time, end: dt.time) -> str:
    """`7:00–8:30 pm`, or `11:30 am–1:00 pm` when the two halves of the day differ."""
    a, a_half = _clock(start)
    b, b_half = _clock(end)
    if a_half == b_half:
        return f"{a}{EN_DASH}{b} {b_half}"
    return f"{a} {a_half}{EN_DASH}{b} {b_half}"


def format_date(d: dt.date, *, weekday: bool = False, year: bool = True) -> str:
    """`December 22, 2026` (`Tuesday, December 22, 2026` with `weekday`)."""
    text = f"{calendar.month_name[d.month]} {d.day}"
    if year:
        text += f", {d.year}"
    if weekday:
        text = f"{WEEKDAYS[d.weekday()].capitalize()}, {text}"
    return text


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------------------------
# Rules


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date | None:
    """The `nth` (1-5, or -1 for last) `weekday` (0 = Monday) of a month; None if there is none."""
    days = calendar.monthrange(year, month)[1]
    if nth == -1:
        last = dt.date(year, month, days)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    day = 1 + (weekday - dt.date(year, month, 1).weekday()) % 7 + 7 * (nth - 1)
    return dt.date(year, month, day) if day <= days else None


@dataclass(frozen=True)
class Weekly:
    """Every `interval` weeks on `weekday` (0 = Monday), counted from `anchor` when interval > 1."""

    weekday: int
    interval: int = 1
    anchor: dt.date | None = None  # the first meeting day (the loader sets it from `from`)

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        step = 7 * self.interval
        if self.anchor is not None:
            if first <= self.anchor:
                day = self.anchor
            else:
                day = self.anchor + dt.timedelta(days=-(-(first - self.anchor).days // step) * step)
        else:
            day = first + dt.timedelta(days=(self.weekday - first.weekday()) % 7)
        out = []
        while day <= last:
            out.append(day)
            day += dt.timedelta(days=step)
        return out

    def describe(self) -> str:
        day = WEEKDAYS[self.weekday].capitalize()
        if self.interval == 1:
            return f"Every {day}"
        if self.interval == 2:
            return f"Every other {day}"
        return f"Every {self.interval} weeks on {day}"


@dataclass(frozen=True)
class Monthly:
    """The `nth` (1-5, -1 = last) `weekday` (0 = Monday) of every month that has one."""

    nth: int
    weekday: int

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        out = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            day = nth_weekday(year, month, self.nth, self.weekday)
            if day is not None and first <= day <= last:
                out.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def describe(self) -> str:
        return f"{ORDINALS[self.nth].capitalize()} {WEEKDAYS[self.weekday].capitalize()} of each month"


@dataclass(frozen=True)
class Dated:
    """One-off meetings on the given days (sorted)."""

    days: tuple[dt.date, ...]

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        return [d for d in self.days if first <= d <= last]

    def describe(self) -> str:
        by_year: dict[int, list[str]] = {}
        for d in self.days:
            by_year.setdefault(d.year, []).append(format_date(d, year=False))
        return "; ".join(f"{_and(days)}, {year}" for year, days in by_year.items())


Rule = Union[Weekly, Monthly, Dated]


# --------------------------------------------------------------------------------------------
# Meetings, changes, occurrences


@dataclass(frozen=True)
class Change:
    """A one-off exception on `date` (a date of the rule, or an extra one when `added`)."""

    date: dt.date
    cancelled: bool = False
    added: bool = False
    moved_to: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    place: str | None = None
    address: str | None = None
    room: str | None = None
    reason: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Meeting:
    id: str
    title: str
    kind: str  # "open" or "members"
    place: str
    address: str | None
    room: str | None
    timezone: str
    start: dt.time
    end: dt.time
    rule: Rule
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    notes: str | None = None
    changes: tuple[Change, ...] = ()

    @property
    def tz(self) -> dt.tzinfo:
        return zone(self.timezone)

    @property
    def duration(self) -> dt.timedelta:
        return _at(_ANY_DAY, self.end) - _at(_ANY_DAY, self.start)

    @property
    def is_public(self) -> bool:
        return self.kind == "open"

    @property
    def location(self) -> str:
        """Place, room and address on one line (`Decatur Library, Auditorium, 215 Sycamore St…`)."""
        return _location(self.place, self.room, self.address)

    def describe(self, *, period: bool = False) -> str:
        """`Every Tuesday, 7:00–8:30 pm`; with `period`, also `, from …`/`, until …` when bounded."""
        text = f"{self.rule.describe()}, {format_time_range(self.start, self.end)}"
        if period and not isinstance(self.rule, Dated):
            if self.valid_from and self.valid_until:
                text += f", {format_date(self.valid_from)} to {format_date(self.valid_until)}"
            elif self.valid_from:
                text += f", from {format_date(self.valid_from)}"
            elif self.valid_until:
                text += f", until {format_date(self.valid_until)}"
        return text

    def rule_dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The rule's days in [first, last] within from/until, before any change is applied."""
        if self.valid_from and first < self.valid_from:
            first = self.valid_from
        if self.valid_until and last > self.valid_until:
            last = self.valid_until
        if first > last:
            return []
        return self.rule.dates(first, last)

    def is_rule_date(self, day: dt.date) -> bool:
        return self.rule_dates(day, day) == [day]

    def change_for(self, day: dt.date) -> Change | None:
        for change in self.changes:
            if change.date == day:
                return change
        return None

    def occurrence(self, day: dt.date) -> Occurrence:
        """The meeting of `day` (a rule date or an added date), with its change applied."""
        change = self.change_for(day)
        tz = self.tz
        original_start = _at(day, self.start, tz)
        if change is None or change.cancelled:
            return Occurrence(
                meeting=self, start=original_start, end=_at(day, self.end, tz),
                original_start=original_start, place=self.place, address=self.address,
                room=self.room, status="cancelled" if change else "scheduled",
                reason=change.reason if change else None, note=change.note if change else None)
        new_day = change.moved_to or day
        start, end = _changed_times(self, change)
        assert end is not None  # the loader rejects changes running past midnight
        if change.place:
            place, address, room = change.place, change.address, change.room
        else:
            place, address, room = self.place, change.address or self.address, change.room or self.room
        begin = _at(new_day, start, tz)
        if change.added:
            status, original_start = "added", begin
        elif (new_day, start, end, place, address, room) != (
                day, self.start, self.end, self.place, self.address, self.room):
            status = "moved"
        else:
            status = "scheduled"
        return Occurrence(
            meeting=self, start=begin, end=_at(new_day, end, tz), original_start=original_start,
            place=place, address=address, room=room, status=status, reason=change.reason,
            note=change.note)

    def occurrences(self, first: dt.date, last: dt.date) -> list[Occurrence]:
        """Occurrences whose (possibly moved) day is in [first, last], both included."""
        days = set(self.rule_dates(first, last))
        days.update(c.date for c in self.changes if c.added and first <= c.date <= last)
        out = []
        for day in days:
            change = self.change_for(day)
            if change and change.moved_to and not first <= change.moved_to <= last:
                continue  # moved out of the window
            out.append(self.occurrence(day))
        for change in self.changes:  # moved into the window from outside it
            if change.moved_to and first <= change.moved_to <= last and not first <= change.date <= last:
                out.append(self.occurrence(change.date))
        return sorted(out, key=Occurrence.sort_key)

    def last_day(self) -> dt.date | None:
        """The last day this meeting can happen on, or None when its rule has no end."""
        days = [c.moved_to or c.date for c in self.changes]
        if isinstance(self.rule, Dated):
            days.extend(self.rule.days)
        elif self.valid_until:
            days.append(self.valid_until)
        else:
            return None
        return max(days)


@dataclass(frozen=True)
class Occurrence:
    """One dated meeting. `start`/`end` are timezone-aware, with any change applied.

    `status` is "scheduled", "cancelled" (kept, so a flier can say so; see `reason`), "moved"
    (new day, time or place) or "added" (an extra date). `original_start` is the rule's own start
    (the calendar's RECURRENCE-ID); it equals `start` unless the meeting was moved.
    """

    meeting: Meeting
    start: dt.datetime
    end: dt.datetime
    original_start: dt.datetime
    place: str
    address: str | None
    room: str | None
    status: str
    reason: str | None = None
    note: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def moved(self) -> bool:
        return self.status == "moved"

    @property
    def date(self) -> dt.date:
        return self.start.date()

    @property
    def location(self) -> str:
        return _location(self.place, self.room, self.address)

    def when(self) -> str:
        """`Tuesday, December 22, 2026, 7:00–8:30 pm`."""
        times = format_time_range(self.start.time(), self.end.time())
        return f"{format_date(self.date, weekday=True)}, {times}"

    def sort_key(self) -> tuple:
        return (self.start.astimezone(dt.timezone.utc), self.meeting.id)


def _location(place: str, room: str | None, address: str | None) -> str:
    return ", ".join(part for part in (place, room, address) if part)


def _at(day: dt.date, t: dt.time, tz: dt.tzinfo | None = None) -> dt.datetime:
    return dt.datetime.combine(day, t, tzinfo=tz)


def _changed_times(meeting: Meeting, change: Change) -> tuple[dt.time, dt.time | None]:
    """Start and end after a change (a new start alone keeps the meeting's length).

    The end is None when the meeting would run past midnight (the loader rejects that).
    """
    start = change.start or meeting.start
    if change.end:
        return start, change.end
    if change.start:
        end = _at(_ANY_DAY, start) + meeting.duration
        return start, end.time() if end.date() == _ANY_DAY else None
    return start, meeting.end


# --------------------------------------------------------------------------------------------
# The schedule


@dataclass(frozen=True)
class Schedule:
    path: Path
    timezone: str
    meetings: tuple[Meeting, ...]
    updated: dt.date | None = None

    def meeting(self, id: str) -> Meeting | None:
        """The meeting with this id, or None."""
        for meeting in self.meetings:
            if meeting.id == id:
                return meeting
        return None

    def select(self, kinds: Iterable[str] | None = None) -> Schedule:
        """A schedule with only the meetings of these kinds (None: all)."""
        if kinds is None:
            return self
        wanted = {kinds} if isinstance(kinds, str) else set(kinds)
        if not wanted <= set(KINDS):
            raise ValueError(f"unknown meeting kind(s) {sorted(wanted - set(KINDS))}; expected {KINDS}")
        return replace(self, meetings=tuple(m for m in self.meetings if m.kind in wanted))

    def occurrences(self, start: dt.date, end: dt.date, kinds: Iterable[str] | None = None, *,
                    include_cancelled: bool = True) -> list[Occurrence]:
        """Every occurrence whose day is in [start, end] (both included), sorted by time."""
        out = [o for m in self.select(kinds).meetings for o in m.occurrences(start, end)
               if include_cancelled or not o.cancelled]
        return sorted(out, key=Occurrence.sort_key)

    def next_occurrences(self, today: dt.date, n: int, kinds: Iterable[str] | None = None, *,
                         include_cancelled: bool = True, horizon_days: int = 5 * 366) -> list[Occurrence]:
        """The first `n` occurrences on or after `today` (looking at most `horizon_days` ahead).

        A meeting later on `today` itself is included: the library does not know the hour.
        """
        chosen = self.select(kinds)
        limit = today + dt.timedelta(days=horizon_days)
        ends = [m.last_day() for m in chosen.meetings]
        if ends and all(e is not None for e in ends):  # every meeting ends: stop after the last
            limit = min(limit, max(e for e in ends if e is not None))
        found: list[Occurrence] = []
        cursor = today
        while len(found) < n and cursor <= limit:
            stop = min(cursor + dt.timedelta(days=91), limit)
            found.extend(chosen.occurrences(cursor, stop, include_cancelled=include_cancelled))
            cursor = stop + dt.timedelta(days=1)
        return found[:n]

    def first_date(self) -> dt.date | None:
        """The earliest date written in the schedule (`from`, `dates`, changes), if any."""
        days: list[dt.date] = []
        for m in self.meetings:
            if m.valid_from:
                days.append(m.valid_from)
            if isinstance(m.rule, Dated):
                days.extend(m.rule.days)
            days.extend(c.date for c in m.changes)
        return min(days) if days else None


# --------------------------------------------------------------------------------------------
# Reading the YAML


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
                    raise ValueError(f"{value} is not a date: {calendar.month_name[month]} {year} "
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


def _load_meeting(errors: Collector, source: Yaml, item: Any, at: tuple, default_tz: str) -> Meeting | None:
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
    interval = data["interval"] or 1
    if given == ["weekly"]:
        anchor = None
        if interval > 1 and data["from"] is None:
            fail(f"`interval: {interval}` needs a `from` date to know which weeks", "interval")
        elif data["from"] is not None:
            anchor = Weekly(data["weekly"]).dates(data["from"], data["from"] + dt.timedelta(days=6))[0]
        rule = Weekly(data["weekly"], interval, anchor)
    elif given == ["monthly"]:
        monthly = _check(errors, source, MONTHLY, data["monthly"], at + ("monthly",), "`monthly`")
        if monthly is not None:
            rule = Monthly(monthly["nth"], monthly["weekday"])
    elif given == ["dates"]:
        days = data["dates"]
        for index, day in enumerate(days):
            if day in days[:index]:
                fail(f"{day} is listed twice", "dates", index)
            elif data["from"] and day < data["from"]:
                fail(f"{day} is before `from` {data['from']}", "dates", index)
            elif data["until"] and day > data["until"]:
                fail(f"{day} is after `until` {data['until']}", "dates", index)
        rule = Dated(tuple(sorted(set(days))))

    # The times.
    start, end = data["start"], data["end"]
    if end is not None and data["duration"] is not None:
        fail("give `end` or `duration`, not both", "duration")
    elif end is None and data["duration"] is None:
        fail("meeting needs an `end` time or a `duration`")
    elif end is None:
        finish = _at(_ANY_DAY, start) + data["duration"]
        if finish.date() != _ANY_DAY:
            fail(f"`duration` runs past midnight (from {start:%H:%M})", "duration")
        end = finish.time()
    elif end <= start:
        fail(f"`end` {end:%H:%M} is not after `start` {start:%H:%M}", "end")

    if len(errors.errors) > count or rule is None or end is None:
        return None
    meeting = Meeting(
        id=data["id"], title=data["title"], kind=data["kind"], place=data["place"],
        address=data["address"], room=data["room"], timezone=data["timezone"] or default_tz,
        start=start, end=end, rule=rule, valid_from=data["from"], valid_until=data["until"],
        notes=data["notes"])

    # A rule that never happens between its bounds (e.g. a fifth Monday in February-March).
    if not isinstance(rule, Dated) and (meeting.valid_from or meeting.valid_until):
        first = meeting.valid_from or meeting.valid_until - _YEAR
        last = meeting.valid_until or meeting.valid_from + _YEAR
        if not meeting.rule_dates(first, last):
            what = WEEKDAYS[rule.weekday].capitalize()
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


def _load_change(errors: Collector, source: Yaml, raw: Any, at: tuple, meeting: Meeting,
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
        fail(f"{day} ({WEEKDAYS[day.weekday()].capitalize()}) is not a date of this meeting "
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
    start, end = _changed_times(meeting, change)
    if end is None:
        fail(f"the meeting moved to {start:%H:%M} would run past midnight", "start")
        return None
    if end <= start:
        fail(f"the changed meeting would end ({end:%H:%M}) before it starts ({start:%H:%M})",
             "end" if data["end"] is not None else "start")
        return None
    return change


def _nearest(meeting: Meeting, day: dt.date) -> str:
    before = meeting.rule_dates(day - _YEAR, day - dt.timedelta(days=1))
    after = meeting.rule_dates(day + dt.timedelta(days=1), day + _YEAR)
    near = [str(d) for d in (before[-1:] + after[:1])]
    if not near:
        return ""
    return f"; the nearest {'are' if len(near) == 2 else 'is'} {' and '.join(near)}"


__all__ = [
    "KINDS", "Change", "Dated", "Meeting", "Monthly", "Occurrence", "Schedule", "Weekly",
    "format_date", "format_time_range", "load_schedule", "nth_weekday", "read_yaml", "zone",
]
