"""The schedule as data: meetings, their one-off changes, and dated occurrences in their time zones.

- `ScheduledMeeting`: one meeting of data/meetings.yml (its rule from `schedule.rules`, its time
  of day and place, its `changes`); `occurrences(first, last)` dates it, changes applied;
- `Change`: a one-off exception (cancelled, moved to another time, place or day, added);
- `Occurrence`: one dated meeting, timezone-aware, with its status;
- `Schedule`: every meeting, the occurrences of all of them, the next ones from a given day;
- `zone(key)`: an IANA time zone (zoneinfo, from the pinned tzdata).

A meeting keeps its wall-clock time across daylight-saving changes (19:00 stays 19:00; its UTC
offset follows the zone). Nothing here reads the clock: callers pass `today` or explicit windows.
Reading and checking the YAML is `schedule.loader`; the words come from `pamphlet.dates`.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import re
import zoneinfo
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from pamphlet.dates import format_date, format_time_range
from pamphlet.i18n import translator
from pamphlet.schedule.rules import Dated, Rule

KINDS = ("open", "members")

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


def _at(day: dt.date, t: dt.time, tz: dt.tzinfo | None = None) -> dt.datetime:
    """`t` on `day`, on the wall clock of `tz` (a time the clock skips or repeats: its first reading)."""
    return dt.datetime.combine(day, t, tzinfo=tz)


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
class ScheduledMeeting:
    """A meeting of the schedule (not the notes of one: that is `pamphlet.notes.MeetingNotes`)."""

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
    notes: str | None = None
    changes: tuple[Change, ...] = ()

    @property
    def valid_from(self) -> dt.date | None:
        """The meeting's `from`: the first day its rule may fall on."""
        return self.rule.start

    @property
    def valid_until(self) -> dt.date | None:
        """The meeting's `until`: the last day its rule may fall on."""
        return self.rule.until

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

    def describe(self, *, period: bool = False, language: str = "en") -> str:
        """`Every Tuesday, 7:00–8:30 pm`; with `period`, also `, from …`/`, until …` when bounded."""
        text = f"{self.rule.describe(language=language)}, {format_time_range(self.start, self.end, language=language)}"
        if period and not isinstance(self.rule, Dated):
            _ = translator(language)
            start = format_date(self.valid_from, language=language) if self.valid_from else None
            end = format_date(self.valid_until, language=language) if self.valid_until else None
            if start and end:
                text += ", " + _("{start} to {end}", start=start, end=end)
            elif start:
                text += ", " + _("from {date}", date=start)
            elif end:
                text += ", " + _("until {date}", date=end)
        return text

    def rule_dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The rule's days in [first, last] (within from/until), before any change is applied."""
        return self.rule.dates(first, last) if first <= last else []

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
        start, end = changed_times(self, change)
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

    meeting: ScheduledMeeting
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

    def when(self, *, language: str = "en") -> str:
        """`Tuesday, December 22, 2026, 7:00–8:30 pm`, in the meeting's own time zone."""
        times = format_time_range(self.start.time(), self.end.time(), language=language)
        return f"{format_date(self.date, weekday=True, language=language)}, {times}"

    def sort_key(self) -> tuple:
        return (self.start.astimezone(dt.timezone.utc), self.meeting.id)


def _location(place: str, room: str | None, address: str | None) -> str:
    return ", ".join(part for part in (place, room, address) if part)


def changed_times(meeting: ScheduledMeeting, change: Change) -> tuple[dt.time, dt.time | None]:
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
    meetings: tuple[ScheduledMeeting, ...]
    updated: dt.date | None = None

    def meeting(self, id: str) -> ScheduledMeeting | None:
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


__all__ = ["KINDS", "Change", "Occurrence", "Schedule", "ScheduledMeeting", "changed_times", "zone"]
