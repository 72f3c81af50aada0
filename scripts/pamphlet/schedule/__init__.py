"""The meeting schedule: one YAML file (data/meetings.yml) is the only source of meeting times.

- `schedule.rules`: the recurrence rules (`Weekly`, `Monthly`, `Dated`), each weekly or monthly
  rule one `dateutil.rrule.rrule` that lists its days and writes the feed's RRULE;
- `schedule.model`: `Schedule`, `ScheduledMeeting`, `Change`, `Occurrence`, time zones;
  `Schedule.occurrences(start, end)` / `Schedule.next_occurrences(today, n)` list dated
  meetings with one-off changes applied (the caller passes `today`; nothing reads the clock);
  `ScheduledMeeting.describe()` gives the rule in words for the site and fliers;
- `schedule.loader`: `load_schedule(path)` reads and validates the file (every problem
  reported with its line);
- `schedule.ical`: `schedule_to_ical(...)` writes a reproducible RFC 5545 calendar feed.

Dates and times are written by `pamphlet.dates` (Babel).
"""

from pamphlet.dates import format_time_range
from pamphlet.schedule.ical import schedule_to_ical
from pamphlet.schedule.loader import load_schedule
from pamphlet.schedule.model import KINDS, Change, Occurrence, Schedule, ScheduledMeeting, zone
from pamphlet.schedule.rules import Dated, Monthly, Weekly

__all__ = [
    "KINDS",
    "Change",
    "Dated",
    "Monthly",
    "Occurrence",
    "Schedule",
    "ScheduledMeeting",
    "Weekly",
    "format_time_range",
    "load_schedule",
    "schedule_to_ical",
    "zone",
]
