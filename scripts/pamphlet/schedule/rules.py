"""Recurrence rules: on which days a meeting of data/meetings.yml happens.

- `Weekly(weekday, interval, start, until)`: every week on `weekday` (0 = Monday), or every
  `interval` weeks counted from the first `weekday` on or after `start`;
- `Monthly(nth, weekday, start, until)`: the `nth` (1 to 5, or -1 for the last) `weekday` of
  each month; a month without one (no fifth Monday) is skipped;
- `Dated(days, start, until)`: one-off days.

`start` and `until` are the meeting's `from` and `until`, both included (None: no bound).

A weekly or monthly rule is ONE `dateutil.rrule.rrule` (`rule.rrule`), which does all the date
arithmetic: `dates(first, last)` lists its days in a window, and `recur()` is the rrule's own
RFC 5545 serialization, the calendar feed's RRULE. One-off days have no rrule (RFC 5545 writes
them as RDATEs; the list is the rule). `describe(language=...)` says a rule in words (sentences
from `pamphlet.i18n`'s catalogs; day names and dates from `pamphlet.dates`). The time of day
belongs to the meeting, not the rule: an rrule's occurrences are midnights, read as days.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Union

from dateutil import rrule as rr

from pamphlet.dates import format_dates, weekday_name
from pamphlet.i18n import N_, translator

ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
# A monthly rule in words, one sentence for each `nth`: languages agree the ordinal with the day.
MONTHLY = {1: N_("First {day} of each month"), 2: N_("Second {day} of each month"),
           3: N_("Third {day} of each month"), 4: N_("Fourth {day} of each month"),
           5: N_("Fifth {day} of each month"), -1: N_("Last {day} of each month")}

# The DTSTART of a rule without `from`. Such a rule has no phase (its interval is 1), so `dates`
# restarts it at each window, and the calendar feed gives it its own DTSTART: this day is never
# listed or written.
_OPEN = dt.datetime(2000, 1, 3)


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime(day.year, day.month, day.day)


class _Recurring:
    """What Weekly and Monthly share: an rrule bounded by `start` and `until`."""

    start: dt.date | None
    until: dt.date | None

    def _rrule(self, dtstart: dt.datetime) -> rr.rrule:
        raise NotImplementedError

    @functools.cached_property
    def rrule(self) -> rr.rrule:
        """The rule as one rrule, starting on its first day (the first day on or after `start`)."""
        return self._rrule(_midnight(self.start) or _OPEN)

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The rule's days in [first, last], both included."""
        rule = self.rrule
        if self.start is None:  # no first day, so no phase to keep: start at the window
            rule = rule.replace(dtstart=_midnight(first))
        return [moment.date() for moment in rule.between(_midnight(first), _midnight(last), inc=True)]

    def recur(self) -> str:
        """The rrule's own RRULE value: `FREQ=WEEKLY;UNTIL=20270630T000000;BYDAY=TU`.

        UNTIL is the midnight starting the last day, as the rrule holds it (the calendar feed,
        whose DTSTART has a TZID, writes it in UTC instead: see `schedule.ical`).
        """
        (line,) = [line for line in str(self.rrule).splitlines() if line.startswith("RRULE:")]
        return line.removeprefix("RRULE:")


@dataclass(frozen=True)
class Weekly(_Recurring):
    """Every `interval` weeks on `weekday` (0 = Monday); an interval above 1 needs a `start`."""

    weekday: int
    interval: int = 1
    start: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.interval > 1 and self.start is None:
            raise ValueError("every few weeks needs a first day to count the weeks from")

    def _rrule(self, dtstart: dt.datetime) -> rr.rrule:
        every_week = rr.rrule(rr.WEEKLY, byweekday=self.weekday, dtstart=dtstart, until=_midnight(self.until))
        first = every_week.after(dtstart, inc=True)
        # The weeks are counted from the first meeting's week, so the rule starts on that day.
        return every_week.replace(interval=self.interval, dtstart=first or dtstart)

    def describe(self, *, language: str = "en") -> str:
        _ = translator(language)
        day = weekday_name(self.weekday, language=language)
        if self.interval == 1:
            return _("Every {day}", day=day)
        if self.interval == 2:
            return _("Every other {day}", day=day)
        return _("Every {n} weeks on {day}", n=self.interval, day=day)


@dataclass(frozen=True)
class Monthly(_Recurring):
    """The `nth` (1 to 5, -1 = last) `weekday` (0 = Monday) of every month that has one."""

    nth: int
    weekday: int
    start: dt.date | None = None
    until: dt.date | None = None

    def _rrule(self, dtstart: dt.datetime) -> rr.rrule:
        monthly = rr.rrule(rr.MONTHLY, byweekday=rr.weekday(self.weekday, self.nth), dtstart=dtstart,
                           until=_midnight(self.until))
        return monthly.replace(dtstart=monthly.after(dtstart, inc=True) or dtstart)

    def describe(self, *, language: str = "en") -> str:
        return translator(language)(MONTHLY[self.nth], day=weekday_name(self.weekday, language=language))


@dataclass(frozen=True)
class Dated:
    """Meetings on the given days (sorted), within `start` and `until` (the loader checks)."""

    days: tuple[dt.date, ...]
    start: dt.date | None = None
    until: dt.date | None = None

    rrule = None  # one-off days are RDATEs, not a rule

    def dates(self, first: dt.date, last: dt.date) -> list[dt.date]:
        return [d for d in self.days if first <= d <= last]

    def describe(self, *, language: str = "en") -> str:
        """`December 5, 2026; February 6 and May 1, 2027`."""
        return format_dates(self.days, language=language)


Rule = Union[Weekly, Monthly, Dated]

__all__ = ["MONTHLY", "ORDINALS", "Dated", "Monthly", "Rule", "Weekly"]
