"""The meeting schedule: rules (dateutil rrules), changes, descriptions, daylight saving, error
messages and the .ics feed; and `pamphlet.dates`, which writes the days and times (English and
Spanish)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrule, rruleset, rrulestr
from hypothesis import example, given, settings
from hypothesis import strategies as st

import pamphlet.schedule
from pamphlet import dates
from pamphlet.errors import SourceError, SourceErrors
from pamphlet.schedule import (
    Dated,
    Monthly,
    Schedule,
    ScheduledMeeting,
    Weekly,
    format_time_range,
    load_schedule,
    schedule_to_ical,
    zone,
)
from pamphlet.schedule.ical import schedule_stamp

FIXTURES = Path(__file__).parent / "fixtures" / "schedule"
GOOD = FIXTURES / "good.yml"
CHAPTER = FIXTURES / "chapter.yml"
DST = FIXTURES / "dst.yml"
NY = zone("America/New_York")
CHICAGO = zone("America/Chicago")
UTC = dt.timezone.utc
D = dt.date


@pytest.fixture(scope="module")
def schedule():
    return load_schedule(GOOD)


def at(day: dt.date, hour: int, minute: int = 0, tz: dt.tzinfo = NY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def days(schedule, meeting_id: str, first: dt.date, last: dt.date) -> list[dt.date]:
    return [o.date for o in schedule.meeting(meeting_id).occurrences(first, last)]


# --- rules ------------------------------------------------------------------------------------


def test_weekly_rule_starts_at_from_and_stops_at_until(schedule):
    tuesdays = schedule.meeting("tuesdays")
    assert tuesdays.rule_dates(D(2026, 11, 1), D(2026, 12, 31)) == [
        D(2026, 12, 1), D(2026, 12, 8), D(2026, 12, 15), D(2026, 12, 22), D(2026, 12, 29)]
    assert tuesdays.rule_dates(D(2027, 6, 20), D(2027, 7, 31)) == [D(2027, 6, 22), D(2027, 6, 29)]


def test_weekly_interval_counts_weeks_from_the_first_meeting(schedule):
    assert days(schedule, "fortnightly", D(2026, 12, 1), D(2027, 1, 31)) == [
        D(2026, 12, 9), D(2026, 12, 23), D(2027, 1, 6), D(2027, 1, 20)]
    # A window that starts between two meetings finds the same weeks.
    assert days(schedule, "fortnightly", D(2027, 1, 7), D(2027, 2, 28)) == [
        D(2027, 1, 20), D(2027, 2, 3), D(2027, 2, 17)]


def test_monthly_nth_weekday(schedule):
    assert days(schedule, "second-sunday", D(2026, 12, 1), D(2027, 3, 31)) == [
        D(2026, 12, 13), D(2027, 1, 10), D(2027, 2, 14), D(2027, 3, 14)]


def test_monthly_last_weekday(schedule):
    assert days(schedule, "last-friday", D(2026, 11, 1), D(2027, 12, 31)) == [
        D(2026, 12, 25), D(2027, 1, 29), D(2027, 2, 26), D(2027, 3, 26)]


def test_monthly_fifth_weekday_skips_months_without_one(schedule):
    assert days(schedule, "fifth-monday", D(2027, 1, 1), D(2027, 12, 31)) == [
        D(2027, 3, 29), D(2027, 5, 31), D(2027, 8, 30), D(2027, 11, 29)]


def test_dated_meetings_are_sorted(schedule):
    fair = schedule.meeting("fair")
    assert fair.rule_dates(D(2026, 1, 1), D(2027, 12, 31)) == [D(2026, 12, 5), D(2027, 2, 6), D(2027, 5, 1)]


def test_occurrences_are_timezone_aware_and_follow_daylight_saving(schedule):
    before, after = schedule.meeting("tuesdays").occurrences(D(2027, 3, 2), D(2027, 3, 16))[::2]
    assert before.start == at(D(2027, 3, 2), 19) and before.start.utcoffset() == dt.timedelta(hours=-5)
    assert after.start == at(D(2027, 3, 16), 19) and after.start.utcoffset() == dt.timedelta(hours=-4)
    social = schedule.meeting("last-friday").occurrences(D(2027, 1, 1), D(2027, 1, 31))[0]
    assert (social.start, social.end) == (at(D(2027, 1, 29), 11, 30, CHICAGO), at(D(2027, 1, 29), 13, 0, CHICAGO))


def test_unquoted_time_is_read_as_a_time_not_a_number(schedule):
    tuesdays = schedule.meeting("tuesdays")
    assert (tuesdays.start, tuesdays.end) == (dt.time(19, 0), dt.time(20, 30))


def test_durations_give_the_end_time(schedule):
    assert schedule.meeting("fortnightly").end == dt.time(19, 0)
    assert schedule.meeting("fifth-monday").end == dt.time(21, 30)
    assert schedule.meeting("fair").end == dt.time(14, 0)


# --- changes ----------------------------------------------------------------------------------


def occurrence(schedule, meeting_id: str, day: dt.date):
    (found,) = [o for o in schedule.occurrences(day, day) if o.meeting.id == meeting_id]
    return found


def test_cancelled_occurrence_is_kept_with_its_reason(schedule):
    o = occurrence(schedule, "tuesdays", D(2026, 12, 22))
    assert (o.status, o.cancelled, o.reason) == ("cancelled", True, "Winter holidays")
    assert o.start == at(D(2026, 12, 22), 19)


def test_cancelled_occurrences_can_be_left_out(schedule):
    listed = schedule.occurrences(D(2026, 12, 22), D(2026, 12, 22), include_cancelled=False)
    assert [o.meeting.id for o in listed] == []


def test_moved_occurrence_has_new_time_and_place_and_keeps_its_length(schedule):
    o = occurrence(schedule, "tuesdays", D(2027, 1, 5))
    assert o.status == "moved"
    assert (o.start, o.end) == (at(D(2027, 1, 5), 18), at(D(2027, 1, 5), 19, 30))
    assert o.original_start == at(D(2027, 1, 5), 19)
    assert (o.place, o.address, o.location) == ("Town Hall", "2 Main St", "Town Hall, 2 Main St")
    assert o.note == "Room is booked."


def test_occurrence_moved_to_another_day(schedule):
    assert days(schedule, "tuesdays", D(2027, 1, 11), D(2027, 1, 14)) == [D(2027, 1, 13)]
    o = occurrence(schedule, "tuesdays", D(2027, 1, 13))
    assert (o.status, o.start, o.original_start) == ("moved", at(D(2027, 1, 13), 19), at(D(2027, 1, 12), 19))
    # Each side of the move is judged by the day the meeting actually happens on.
    assert days(schedule, "tuesdays", D(2027, 1, 12), D(2027, 1, 12)) == []
    assert days(schedule, "tuesdays", D(2027, 1, 13), D(2027, 1, 13)) == [D(2027, 1, 13)]


def test_note_only_change_keeps_the_meeting_as_scheduled(schedule):
    o = occurrence(schedule, "tuesdays", D(2027, 1, 19))
    assert (o.status, o.note, o.start) == ("scheduled", "Potluck; bring a dish.", at(D(2027, 1, 19), 19))


def test_added_dates(schedule):
    workshop = occurrence(schedule, "tuesdays", D(2027, 1, 23))
    assert (workshop.status, workshop.start, workshop.end) == (
        "added", at(D(2027, 1, 23), 10), at(D(2027, 1, 23), 12))
    extra = occurrence(schedule, "tuesdays", D(2027, 1, 31))
    assert (extra.status, extra.start, extra.end) == ("added", at(D(2027, 1, 31), 19), at(D(2027, 1, 31), 20, 30))


def test_change_of_end_time_only(schedule):
    o = occurrence(schedule, "second-sunday", D(2027, 1, 10))
    assert (o.status, o.start, o.end) == ("moved", at(D(2027, 1, 10), 15), at(D(2027, 1, 10), 16))


def test_cancelled_dated_meeting(schedule):
    assert occurrence(schedule, "fair", D(2027, 2, 6)).cancelled


# --- the schedule -----------------------------------------------------------------------------


def test_meeting_lookup_returns_none_for_unknown_id(schedule):
    assert schedule.meeting("tuesdays").title == "Open meeting"
    assert schedule.meeting("nope") is None


def test_occurrences_are_sorted_by_time_across_zones(schedule):
    listed = schedule.occurrences(D(2026, 12, 1), D(2026, 12, 14))
    assert [(o.meeting.id, o.date) for o in listed] == [
        ("tuesdays", D(2026, 12, 1)),
        ("fair", D(2026, 12, 5)),
        ("tuesdays", D(2026, 12, 8)),
        ("fortnightly", D(2026, 12, 9)),
        ("second-sunday", D(2026, 12, 13)),
    ]


def test_occurrences_filtered_by_kind(schedule):
    listed = schedule.occurrences(D(2026, 12, 1), D(2026, 12, 14), kinds=["members"])
    assert [(o.meeting.id, o.date) for o in listed] == [
        ("fortnightly", D(2026, 12, 9)), ("second-sunday", D(2026, 12, 13))]
    with pytest.raises(ValueError):
        schedule.occurrences(D(2026, 12, 1), D(2026, 12, 14), kinds=["public"])


def test_next_occurrences_from_today(schedule):
    upcoming = schedule.next_occurrences(D(2026, 12, 20), 4, kinds=["open"])
    assert [(o.meeting.id, o.date, o.status) for o in upcoming] == [
        ("tuesdays", D(2026, 12, 22), "cancelled"),
        ("last-friday", D(2026, 12, 25), "scheduled"),
        ("tuesdays", D(2026, 12, 29), "scheduled"),
        ("tuesdays", D(2027, 1, 5), "moved"),
    ]


def test_next_occurrences_without_cancelled_and_past_the_last_meeting(schedule):
    upcoming = schedule.next_occurrences(D(2026, 12, 20), 2, kinds=["open"], include_cancelled=False)
    assert [(o.meeting.id, o.date) for o in upcoming] == [
        ("last-friday", D(2026, 12, 25)), ("tuesdays", D(2026, 12, 29))]
    assert schedule.select(["open"]).meeting("fortnightly") is None


def test_next_occurrences_stop_when_every_meeting_has_ended(tmp_path):
    path = tmp_path / "meetings.yml"
    path.write_text("timezone: UTC\nmeetings:\n  - {id: a, title: A, kind: open, place: P, start: '10:00',"
                    " end: '11:00', dates: [2027-01-01, 2027-01-08]}\n", encoding="utf-8")
    upcoming = load_schedule(path).next_occurrences(D(2026, 12, 1), 5)
    assert [o.date for o in upcoming] == [D(2027, 1, 1), D(2027, 1, 8)]


# --- descriptions -----------------------------------------------------------------------------


@pytest.mark.parametrize(("meeting_id", "text"), [
    ("tuesdays", "Every Tuesday, 7:00\u20138:30 pm"),
    ("fortnightly", "Every other Wednesday, 6:00\u20137:00 pm"),
    ("second-sunday", "Second Sunday of each month, 3:00\u20135:00 pm"),
    ("last-friday", "Last Friday of each month, 11:30 am\u20131:00 pm"),
    ("fifth-monday", "Fifth Monday of each month, 7:00\u20139:30 pm"),
    ("fair", "December 5, 2026; February 6 and May 1, 2027, 12:00\u20132:00 pm"),
])
def test_describe(schedule, meeting_id, text):
    assert schedule.meeting(meeting_id).describe() == text


def test_describe_with_period(schedule):
    assert schedule.meeting("tuesdays").describe(period=True) == (
        "Every Tuesday, 7:00\u20138:30 pm, December 1, 2026 to June 30, 2027")
    assert schedule.meeting("fortnightly").describe(period=True) == (
        "Every other Wednesday, 6:00\u20137:00 pm, from December 3, 2026")


@pytest.mark.parametrize(("start", "end", "text"), [
    (dt.time(9, 0), dt.time(10, 30), "9:00\u201310:30 am"),
    (dt.time(11, 0), dt.time(12, 0), "11:00 am\u201312:00 pm"),
    (dt.time(0, 15), dt.time(1, 0), "12:15\u20131:00 am"),
])
def test_format_time_range(start, end, text):
    assert format_time_range(start, end) == text


def test_occurrence_when(schedule):
    assert occurrence(schedule, "tuesdays", D(2027, 1, 5)).when() == "Tuesday, January 5, 2027, 6:00\u20137:30 pm"


# --- errors -----------------------------------------------------------------------------------


def expected_errors(path: Path) -> list[tuple[int, str]]:
    found = re.findall(r"^# expect: (\d+): (.*)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return [(int(line), message) for line, message in found]


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("bad-*.yml")), ids=lambda p: p.stem)
def test_bad_schedule_reports_every_error_with_its_line(path):
    expected = expected_errors(path)
    assert expected, f"{path.name} has no `# expect:` lines"
    with pytest.raises((SourceError, SourceErrors)) as caught:
        load_schedule(path)
    errors = caught.value.errors if isinstance(caught.value, SourceErrors) else [caught.value]
    assert [(e.line, e.message) for e in errors] == expected
    assert all(e.file == path for e in errors)


def test_error_names_file_and_line():
    path = FIXTURES / "bad-weekday.yml"
    with pytest.raises(SourceErrors) as caught:
        load_schedule(path)
    assert str(caught.value.errors[0]) == (
        f"{path.as_posix()}:9: `weekly`: unknown weekday 'tusday'; expected one of: monday, "
        "tuesday, wednesday, thursday, friday, saturday, sunday")


def test_missing_file():
    with pytest.raises(SourceError, match="file not found"):
        load_schedule(FIXTURES / "nothing-here.yml")


# --- iCalendar --------------------------------------------------------------------------------

ICS_ARGS = dict(prodid="-//Test Chapter//pamphlet//EN", calendar_name="Test meetings",
                url="https://chapter.example.org/meetings/")


@pytest.fixture(scope="module")
def ics(schedule) -> bytes:
    return schedule_to_ical(schedule, public_only=False, **ICS_ARGS)


def unfolded(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


def events(ics: bytes, uid: str) -> list[list[str]]:
    """The content lines of each VEVENT with this UID, in file order."""
    found, current = [], None
    for line in unfolded(ics):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            if f"UID:{uid}" in current:
                found.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return found


def test_ics_is_byte_reproducible(schedule, ics):
    assert schedule_to_ical(load_schedule(GOOD), public_only=False, **ICS_ARGS) == ics
    assert ics.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test Chapter//pamphlet//EN\r\n")


def test_ics_stamp_comes_from_the_data_or_the_caller(schedule, ics):
    assert "DTSTAMP:20261120T000000Z" in unfolded(ics)
    stamp = dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    other = schedule_to_ical(schedule, public_only=False, stamp=stamp, **ICS_ARGS)
    assert "DTSTAMP:20270102T030405Z" in unfolded(other)
    with pytest.raises(ValueError):
        schedule_stamp(schedule, dt.datetime(2027, 1, 2))


def test_ics_weekly_event_fields(ics):
    master, *overrides = events(ics, "tuesdays@chapter.example.org")
    assert master == [
        "SUMMARY:Open meeting",
        "DTSTART;TZID=America/New_York:20261201T190000",
        "DTEND;TZID=America/New_York:20261201T203000",
        "DTSTAMP:20261120T000000Z",
        "UID:tuesdays@chapter.example.org",
        "RRULE:FREQ=WEEKLY;UNTIL=20270701T035959Z;BYDAY=TU",
        "RDATE;TZID=America/New_York:20270123T100000,20270131T190000",
        "EXDATE;TZID=America/New_York:20261222T190000",
        "DESCRIPTION:Step-free entrance.",
        "LOCATION:Library\\, 1 Main St\\, Decatur\\, GA 30030",
        "URL:https://chapter.example.org/meetings/",
    ]
    assert [(line_of(e, "RECURRENCE-ID"), line_of(e, "DTSTART"), line_of(e, "DTEND"), line_of(e, "LOCATION"))
            for e in overrides] == [
        ("RECURRENCE-ID;TZID=America/New_York:20270105T190000", "DTSTART;TZID=America/New_York:20270105T180000",
         "DTEND;TZID=America/New_York:20270105T193000", "LOCATION:Town Hall\\, 2 Main St"),
        ("RECURRENCE-ID;TZID=America/New_York:20270112T190000", "DTSTART;TZID=America/New_York:20270113T190000",
         "DTEND;TZID=America/New_York:20270113T203000", "LOCATION:Library\\, 1 Main St\\, Decatur\\, GA 30030"),
        ("RECURRENCE-ID;TZID=America/New_York:20270119T190000", "DTSTART;TZID=America/New_York:20270119T190000",
         "DTEND;TZID=America/New_York:20270119T203000", "LOCATION:Library\\, 1 Main St\\, Decatur\\, GA 30030"),
        ("RECURRENCE-ID;TZID=America/New_York:20270123T100000", "DTSTART;TZID=America/New_York:20270123T100000",
         "DTEND;TZID=America/New_York:20270123T120000", "LOCATION:Library\\, 1 Main St\\, Decatur\\, GA 30030"),
    ]
    assert line_of(overrides[0], "DESCRIPTION") == "DESCRIPTION:Room is booked.\\n\\nStep-free entrance."


def line_of(event: list[str], name: str) -> str:
    (line,) = [line for line in event if re.match(rf"{name}[;:]", line)]
    return line


# The RRULE is dateutil's own serialization of the rule's rrule, which signs an ordinal weekday
# (`+2SU`, RFC 5545's `[plus / minus] ordwk`; the same rule as `2SU`). Only UNTIL is rewritten,
# in UTC, as RFC 5545 wants with a TZID'd DTSTART.
@pytest.mark.parametrize(("uid", "rule"), [
    ("fortnightly", "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
    ("second-sunday", "RRULE:FREQ=MONTHLY;BYDAY=+2SU"),
    ("last-friday", "RRULE:FREQ=MONTHLY;UNTIL=20270401T045959Z;BYDAY=-1FR"),
    ("fifth-monday", "RRULE:FREQ=MONTHLY;BYDAY=+5MO"),
])
def test_ics_rrules(ics, uid, rule):
    assert line_of(events(ics, f"{uid}@chapter.example.org")[0], "RRULE") == rule


def test_ics_open_ended_rule_starts_at_the_stamp_day(ics):
    master = events(ics, "fifth-monday@chapter.example.org")[0]
    assert line_of(master, "DTSTART") == "DTSTART;TZID=America/New_York:20261130T190000"


def test_ics_dated_meeting_uses_rdate_and_exdate(ics):
    (master,) = events(ics, "fair@chapter.example.org")
    assert line_of(master, "DTSTART") == "DTSTART;TZID=America/New_York:20261205T120000"
    assert line_of(master, "RDATE") == "RDATE;TZID=America/New_York:20270206T120000,20270501T120000"
    assert line_of(master, "EXDATE") == "EXDATE;TZID=America/New_York:20270206T120000"
    assert not any(line.startswith("RRULE") for line in master)


def test_ics_has_one_vtimezone_per_zone_used(ics):
    calendar = icalendar.Calendar.from_ical(ics)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago", "America/New_York"]


def test_ics_public_only_leaves_out_members_meetings(schedule):
    public = schedule_to_ical(schedule, public_only=True, **ICS_ARGS)
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(public).walk("VEVENT")}
    assert uids == {f"{m}@chapter.example.org" for m in ("tuesdays", "last-friday", "fifth-monday", "fair")}


def expand_ics(ics: bytes, first: dt.date, last: dt.date) -> list[tuple]:
    """Expand the feed as a calendar program would: RRULE + RDATE - EXDATE, then overrides."""
    calendar = icalendar.Calendar.from_ical(ics)
    masters, overrides = {}, {}
    for event in calendar.walk("VEVENT"):
        if "RECURRENCE-ID" in event:
            overrides[(str(event["UID"]), event.decoded("RECURRENCE-ID"))] = event
        else:
            masters[str(event["UID"])] = event
    lo = dt.datetime.combine(first - dt.timedelta(days=40), dt.time(), tzinfo=dt.timezone.utc)
    hi = dt.datetime.combine(last + dt.timedelta(days=40), dt.time(), tzinfo=dt.timezone.utc)
    out = []
    for uid, event in masters.items():
        start = event.decoded("DTSTART")
        length = event.decoded("DTEND") - start
        rules = rruleset()
        if "RRULE" in event:
            rules.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
        else:
            rules.rdate(start)
        for name, add in (("RDATE", rules.rdate), ("EXDATE", rules.exdate)):
            props = event.get(name, [])
            for prop in props if isinstance(props, list) else [props]:
                for value in prop.dts:
                    add(value.dt)
        for instance in rules.between(lo, hi, inc=True):
            chosen = overrides.get((uid, instance), event)
            begin = chosen.decoded("DTSTART") if chosen is not event else instance
            end = chosen.decoded("DTEND") if chosen is not event else instance + length
            if first <= begin.date() <= last:
                out.append((uid.split("@")[0], begin.astimezone(dt.timezone.utc), end.astimezone(dt.timezone.utc),
                            str(chosen["LOCATION"])))
    return sorted(out)


@pytest.mark.parametrize(("path", "first", "last"), [
    (GOOD, D(2026, 11, 20), D(2027, 7, 31)),
    (CHAPTER, D(2026, 11, 20), D(2027, 12, 31)),
    (DST, D(2026, 9, 1), D(2027, 5, 31)),
])
def test_ics_expands_to_the_same_occurrences(path, first, last):
    schedule = load_schedule(path)
    ics = schedule_to_ical(schedule, public_only=False, **ICS_ARGS)
    expected = sorted(
        (o.meeting.id, o.start.astimezone(dt.timezone.utc), o.end.astimezone(dt.timezone.utc), o.location)
        for o in schedule.occurrences(first, last, include_cancelled=False))
    assert expand_ics(ics, first, last) == expected
    assert len(expected) > 20


# --- a chapter's schedule (a frozen copy of the shape of data/meetings.yml) ---------------------


@pytest.fixture(scope="module")
def chapter():
    return load_schedule(CHAPTER)


def test_chapter_schedule_describes_its_meetings(chapter):
    assert chapter.timezone == "America/New_York"
    assert chapter.meeting("open-meeting").describe() == "Every Tuesday, 7:00\u20138:30 pm"
    assert chapter.meeting("members-meeting").describe() == "Second Sunday of each month, 3:00\u20135:00 pm"
    assert chapter.meeting("reading-group").describe() == "Third Thursday of each month, 6:30\u20138:00 pm"
    assert chapter.meeting("newcomers").describe() == "January 16 and April 17, 2027, 11:00 am\u201312:00 pm"
    assert chapter.meeting("reading-group").kind == "open"


def test_chapter_schedule_has_a_december_holiday_and_a_moved_meeting(chapter):
    listed = chapter.occurrences(D(2026, 12, 1), D(2027, 12, 31))
    assert [o.date for o in listed if o.cancelled] == [D(2026, 12, 22)]
    assert [o.date for o in listed if o.moved] == [D(2027, 3, 9)]


def test_chapter_schedule_publishes_no_home_address(chapter):
    members = chapter.meeting("members-meeting")
    assert members.kind == "members" and members.address is None
    assert members.place == "a member's home (address sent to members)"
    public = schedule_to_ical(chapter, public_only=True, prodid="-//Decatur Chapter//pamphlet//EN",
                              calendar_name="Decatur Chapter", url="https://decatur.example.org/meetings/")
    assert b"members-meeting" not in public and b"member's home" not in public


def test_the_schedule_meeting_is_named_scheduled_meeting(chapter):
    # Not `Meeting`: that is a meeting's notes (pamphlet.notes.MeetingNotes).
    assert all(type(m) is ScheduledMeeting for m in chapter.meetings)
    assert not hasattr(pamphlet.schedule, "Meeting")


# --- rules are dateutil rrules, and the feed's RRULE expands back to their dates ----------------


def recurring(schedule) -> list[ScheduledMeeting]:
    return [m for m in schedule.meetings if not isinstance(m.rule, Dated)]


@pytest.mark.parametrize("path", [GOOD, CHAPTER, DST], ids=lambda p: p.stem)
def test_each_recurring_rule_is_one_rrule_written_by_its_own_serialization(path):
    for meeting in recurring(load_schedule(path)):
        assert isinstance(meeting.rule.rrule, rrule)
        assert f"RRULE:{meeting.rule.recur()}" in str(meeting.rule.rrule).splitlines()
    assert all(m.rule.rrule is None for m in load_schedule(path).meetings if isinstance(m.rule, Dated))


def feed_expansion(ics: bytes, uid: str, days: int = 1000) -> list[dt.datetime]:
    """The master VEVENT's RRULE as written in the feed, read by icalendar and expanded by
    dateutil's text parser (`rrulestr`) from the feed's DTSTART, for `days` days."""
    (master,) = [e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")
                 if str(e["UID"]) == uid and "RECURRENCE-ID" not in e]
    start = master.decoded("DTSTART")
    written = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start)
    return written.between(start, start + dt.timedelta(days=days), inc=True)


@pytest.mark.parametrize("path", [GOOD, CHAPTER, DST], ids=lambda p: p.stem)
def test_the_feed_rrule_expands_to_the_rule_dates(path):
    schedule = load_schedule(path)
    ics = schedule_to_ical(schedule, public_only=False, **ICS_ARGS)
    for meeting in recurring(schedule):
        expanded = feed_expansion(ics, f"{meeting.id}@chapter.example.org")
        first, last = expanded[0].date(), expanded[0].date() + dt.timedelta(days=1000)
        assert [moment.date() for moment in expanded] == meeting.rule_dates(first, last), meeting.id
        assert [moment.astimezone(UTC) for moment in expanded] == [
            dt.datetime.combine(day, meeting.start, tzinfo=meeting.tz).astimezone(UTC)
            for day in meeting.rule_dates(first, last)]


def brute_force(rule: Weekly | Monthly, first: dt.date, last: dt.date) -> list[dt.date]:
    """The rule's days, found by looking at every day of the window (no dateutil)."""
    found = []
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        if day.weekday() != rule.weekday or (rule.start and day < rule.start) or (rule.until and day > rule.until):
            continue
        if isinstance(rule, Weekly):
            anchor = rule.start + dt.timedelta(days=(rule.weekday - rule.start.weekday()) % 7) if rule.start else day
            if (day - anchor).days % (7 * rule.interval) == 0:
                found.append(day)
        elif rule.nth == -1:
            if (day + dt.timedelta(days=7)).month != day.month:
                found.append(day)
        elif (day.day - 1) // 7 + 1 == rule.nth:
            found.append(day)
    return found


@st.composite
def rules(draw) -> Weekly | Monthly:
    weekday = draw(st.integers(0, 6))
    start = draw(st.none() | st.dates(D(2025, 1, 1), D(2029, 12, 31)))
    until = draw(st.none() | st.integers(0, 900).map(lambda n: (start or D(2027, 6, 1)) + dt.timedelta(days=n)))
    if draw(st.booleans()):
        return Weekly(weekday, draw(st.integers(1, 5)) if start else 1, start, until)
    return Monthly(draw(st.sampled_from([1, 2, 3, 4, 5, -1])), weekday, start, until)


@settings(max_examples=300, deadline=None)
@given(rule=rules(), first=st.dates(D(2024, 6, 1), D(2030, 6, 1)), length=st.integers(0, 500))
def test_rule_dates_are_the_days_that_match(rule, first, length):
    last = first + dt.timedelta(days=length)
    assert rule.dates(first, last) == brute_force(rule, first, last)


@settings(max_examples=150, deadline=None)
@given(rule=rules(), timezone=st.sampled_from(["UTC", "America/New_York", "Europe/Madrid", "Australia/Sydney"]),
       start=st.builds(dt.time, st.integers(0, 22), st.sampled_from([0, 15, 30, 45])))
@example(rule=Weekly(1, 1, D(2028, 2, 23), None), timezone="UTC", start=dt.time(0, 0))  # first meeting 29 Feb
def test_the_feed_rrule_round_trips_any_rule(rule, timezone, start):
    end = (dt.datetime.combine(D(2000, 1, 3), start) + dt.timedelta(hours=1)).time()
    meeting = ScheduledMeeting("m", "M", "open", "Hall", None, None, timezone, start, end, rule)
    schedule = Schedule(Path("meetings.yml"), timezone, (meeting,), updated=D(2026, 1, 1))
    ics = schedule_to_ical(schedule, public_only=False, **ICS_ARGS)
    anchor = rule.start or D(2026, 1, 1)  # the feed starts a rule without `from` at its stamp
    if b"BEGIN:VEVENT" not in ics:
        assert meeting.rule_dates(anchor, anchor + dt.timedelta(days=400)) == []
        return
    expanded = feed_expansion(ics, "m@chapter.example.org")
    first = expanded[0].date()
    assert first == meeting.rule_dates(anchor, anchor + dt.timedelta(days=400))[0]
    assert [(o.date, o.start.astimezone(UTC)) for o in meeting.occurrences(first, first + dt.timedelta(days=1000))] \
        == [(moment.date(), moment.astimezone(UTC)) for moment in expanded]


# --- daylight saving ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dst():
    return load_schedule(DST)


def utc_starts(occurrences) -> list[dt.datetime]:
    return [o.start.astimezone(UTC) for o in occurrences]


def test_meetings_keep_their_wall_clock_time_across_daylight_saving(dst):
    madrid = dst.meeting("madrid")
    autumn, spring = madrid.occurrences(D(2026, 10, 20), D(2026, 10, 27)), madrid.occurrences(D(2027, 3, 23),
                                                                                             D(2027, 3, 30))
    assert [(o.start.hour, o.start.utcoffset()) for o in autumn + spring] == [
        (19, dt.timedelta(hours=2)), (19, dt.timedelta(hours=1)), (19, dt.timedelta(hours=1)),
        (19, dt.timedelta(hours=2))]
    assert [t.hour for t in utc_starts(autumn + spring)] == [17, 18, 18, 17]
    assert all(o.end - o.start == dt.timedelta(minutes=90) for o in autumn + spring)


def test_a_time_the_clock_skips_reads_with_the_offset_before_the_gap(dst):
    assert utc_starts(dst.meeting("spring-gap").occurrences(D(2027, 3, 7), D(2027, 3, 21))) == [
        dt.datetime(2027, 3, 7, 7, 30, tzinfo=UTC),   # 02:30 EST
        dt.datetime(2027, 3, 14, 7, 30, tzinfo=UTC),  # 02:30 does not exist: read as EST (03:30 EDT)
        dt.datetime(2027, 3, 21, 6, 30, tzinfo=UTC)]  # 02:30 EDT
    assert utc_starts(dst.meeting("sydney").occurrences(D(2026, 9, 1), D(2026, 11, 30))) == [
        dt.datetime(2026, 9, 5, 16, 30, tzinfo=UTC),   # 02:30 AEST
        dt.datetime(2026, 10, 3, 16, 30, tzinfo=UTC),  # the skipped hour, read as AEST
        dt.datetime(2026, 10, 31, 15, 30, tzinfo=UTC)]  # 02:30 AEDT


def test_a_time_the_clock_repeats_is_its_first_reading(dst):
    assert utc_starts(dst.meeting("fall-repeat").occurrences(D(2026, 10, 25), D(2026, 11, 8))) == [
        dt.datetime(2026, 10, 25, 5, 30, tzinfo=UTC),  # 01:30 EDT
        dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC),   # 01:30 happens twice: the first, EDT
        dt.datetime(2026, 11, 8, 6, 30, tzinfo=UTC)]   # 01:30 EST
    (repeated,) = dst.meeting("sydney").occurrences(D(2027, 4, 4), D(2027, 4, 4))
    assert repeated.start.astimezone(UTC) == dt.datetime(2027, 4, 3, 15, 30, tzinfo=UTC)  # AEDT, the first


def test_a_meeting_abroad_is_said_in_its_own_time_and_language(dst):
    (meeting,) = dst.meeting("madrid").occurrences(D(2026, 10, 27), D(2026, 10, 27))
    assert meeting.when() == "Tuesday, October 27, 2026, 7:00\u20138:30 pm"
    assert meeting.when(language="es") == "martes, 27 de octubre de 2026, 19:00\u201320:30"


# --- pamphlet.dates: the words for days and times -------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def test_english_dates_are_written_as_the_chapter_always_wrote_them():
    for n in range(366 * 6):
        day = D(2024, 1, 1) + dt.timedelta(days=n)
        plain = f"{MONTHS[day.month - 1]} {day.day}"
        assert dates.format_date(day) == f"{plain}, {day.year}"
        assert dates.format_date(day, weekday=True) == f"{WEEKDAYS[day.weekday()]}, {plain}, {day.year}"
        assert dates.format_date(day, year=False) == plain
        assert dates.format_date(day, weekday=True, year=False) == f"{WEEKDAYS[day.weekday()]}, {plain}"


def test_english_time_ranges_are_written_as_the_chapter_always_wrote_them():
    def clock(t: dt.time) -> tuple[str, str]:
        return f"{t.hour % 12 or 12}:{t.minute:02d}", "am" if t.hour < 12 else "pm"

    times = [dt.time(h, m) for h in range(24) for m in (0, 15, 30, 45)]
    for i, start in enumerate(times):
        (a, a_half) = clock(start)
        assert dates.format_time(start) == f"{a} {a_half}"
        for end in times[i + 1:]:
            b, b_half = clock(end)
            expected = f"{a}\u2013{b} {b_half}" if a_half == b_half else f"{a} {a_half}\u2013{b} {b_half}"
            assert dates.format_time_range(start, end) == expected


THREE = [D(2026, 12, 5), D(2027, 2, 6), D(2027, 5, 1)]


@pytest.mark.parametrize(("call", "english", "spanish"), [
    (lambda lang: dates.format_date(D(2026, 12, 22), language=lang), "December 22, 2026", "22 de diciembre de 2026"),
    (lambda lang: dates.format_date(D(2026, 12, 22), weekday=True, language=lang),
     "Tuesday, December 22, 2026", "martes, 22 de diciembre de 2026"),
    (lambda lang: dates.format_date(D(2026, 12, 22), year=False, language=lang), "December 22", "22 de diciembre"),
    (lambda lang: dates.format_date(D(2027, 1, 3), weekday=True, year=False, language=lang),
     "Sunday, January 3", "domingo, 3 de enero"),
    (lambda lang: dates.format_dates(THREE, language=lang),
     "December 5, 2026; February 6 and May 1, 2027", "5 de diciembre de 2026; 6 de febrero y 1 de mayo de 2027"),
    (lambda lang: dates.format_dates([D(2027, 1, 2)] + THREE[1:], language=lang),
     "January 2, February 6 and May 1, 2027", "2 de enero, 6 de febrero y 1 de mayo de 2027"),
    (lambda lang: dates.format_dates(THREE[:1], language=lang), "December 5, 2026", "5 de diciembre de 2026"),
    (lambda lang: dates.format_month(D(2027, 2, 6), language=lang), "February 2027", "febrero de 2027"),
    (lambda lang: dates.format_time(dt.time(19, 0), language=lang), "7:00 pm", "19:00"),
    (lambda lang: dates.format_time(dt.time(0, 15), language=lang), "12:15 am", "0:15"),
    (lambda lang: dates.format_time_range(dt.time(19), dt.time(20, 30), language=lang), "7:00\u20138:30 pm",
     "19:00\u201320:30"),
    (lambda lang: dates.format_time_range(dt.time(11, 30), dt.time(13), language=lang), "11:30 am\u20131:00 pm",
     "11:30\u201313:00"),
    (lambda lang: dates.weekday_name(1, language=lang), "Tuesday", "martes"),
    (lambda lang: dates.weekday_name(6, language=lang), "Sunday", "domingo"),
], ids=["date", "weekday", "no-year", "weekday-no-year", "dates", "dates-one-year", "one-date", "month", "time",
        "midnight", "range", "range-noon", "weekday-name", "sunday"])
def test_dates_in_english_and_spanish(call, english, spanish):
    assert call("en") == english
    assert call("es") == spanish


def test_dates_take_the_manifest_language_tags():
    assert dates.format_date(D(2026, 12, 22), language="pt-BR") == "22 de dezembro de 2026"
    assert dates.format_date(D(2026, 12, 22), language="en-GB") == "22 December 2026"
    assert dates.format_dates(THREE, language="de") == "5. Dezember 2026; 6. Februar und 1. Mai 2027"
    assert "\u202f" not in dates.format_time(dt.time(19), language="en-GB")  # CLDR's narrow spaces are plain
    with pytest.raises(ValueError, match="unknown language 'xx-nowhere'"):
        dates.format_date(D(2026, 12, 22), language="xx-nowhere")


def test_notes_write_their_dates_with_pamphlet_dates():
    from pamphlet.notes import meetings, new

    assert meetings.format_date is dates.format_date and new.format_date is dates.format_date
