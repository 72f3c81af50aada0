"""The meeting schedule: one YAML file (data/meetings.yml) is the only source of meeting times.

- `load_schedule(path)` reads and validates it (every problem reported with its line);
- `Schedule.occurrences(start, end)` / `Schedule.next_occurrences(today, n)` list dated
  meetings with one-off changes applied (the caller passes `today`; nothing reads the clock);
- `Meeting.describe()` gives the rule in words for the site and fliers;
- `schedule_to_ical(...)` writes a reproducible RFC 5545 calendar feed.
"""

from pamphlet.schedule.ical import schedule_to_ical
from pamphlet.schedule.model import (
    KINDS,
    Change,
    Dated,
    Meeting,
    Monthly,
    Occurrence,
    Schedule,
    Weekly,
    format_time_range,
    load_schedule,
    zone,
)

__all__ = [
    "KINDS",
    "Change",
    "Dated",
    "Meeting",
    "Monthly",
    "Occurrence",
    "Schedule",
    "Weekly",
    "format_time_range",
    "load_schedule",
    "schedule_to_ical",
    "zone",
]
