"""Meeting notes (validation, privacy, the sample project's notes, open action items, role rotation),
the next meeting's file (`new_meeting_text`) and the allies list."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from pamphlet.errors import Collector, SourceError, SourceErrors
from pamphlet.notes import (
    ROLES,
    Action,
    MeetingLog,
    MeetingNotes,
    load_allies,
    load_meeting,
    load_meetings,
    new_meeting_text,
    scan_meetings,
    suggest_roles,
)
from pamphlet.notes.meetings import FILE_NAME, meeting_files
from pamphlet.schedule import load_schedule
from pamphlet.sources.inventory import read_page

from conftest import SAMPLE

FIXTURES = Path(__file__).parent / "fixtures" / "notes"
BAD = FIXTURES / "bad"
HISTORY = FIXTURES / "history"
SCHEDULE = FIXTURES / "schedule.yml"
SAMPLE_MEETINGS = SAMPLE / "docs" / "meetings"
D = dt.date

EXPECT_MD = re.compile(r"^<!-- expect: (\d+|-): (.*) -->$", re.MULTILINE)
EXPECT_YAML = re.compile(r"^# expect: (\d+): (.*)$", re.MULTILINE)


def expected(path: Path, pattern: re.Pattern = EXPECT_MD) -> list[tuple[int, str]]:
    """The `expect: LINE: message` comments of a fixture (`-` for an error without a line: 0)."""
    found = [(0 if line == "-" else int(line), message)
             for line, message in pattern.findall(path.read_text(encoding="utf-8"))]
    assert found, f"{path.name} has no expectations"
    return sorted(found)


def raised(call, *args) -> list[SourceError]:
    with pytest.raises((SourceError, SourceErrors)) as info:
        call(*args)
    return info.value.errors if isinstance(info.value, SourceErrors) else [info.value]


def located(errors: list[SourceError]) -> list[tuple[int, str]]:
    return sorted((e.line or 0, e.message) for e in errors)


MEETING = """\
---
date: {date}
kind: {kind}
place: Library
facilitator: Ana Diaz
note_taker: Ben Cole
time_keeper: Cleo Park
attendees: [Ana Diaz, Ben Cole, Cleo Park]
{extra}---
# A meeting

## Action items
- [ ] **{owner}**: sweep the floor
"""


def write_meeting(folder: Path, date: str = "2027-02-02", *, kind: str = "open", owner: str = "Ana Diaz",
                  extra: str = "", name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{date}.md")
    path.write_text(MEETING.format(date=date, kind=kind, owner=owner, extra=extra), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def history() -> MeetingLog:
    return load_meetings(HISTORY)


@pytest.fixture(scope="module")
def schedule():
    return load_schedule(SCHEDULE)


@pytest.fixture(scope="module")
def sample() -> MeetingLog:
    return load_meetings(SAMPLE_MEETINGS)


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(BAD.glob("*.md")), ids=lambda p: p.name)
def test_bad_meeting_file_reports_each_problem_at_its_line(path: Path) -> None:
    errors = raised(load_meeting, path)
    assert located(errors) == expected(path)
    assert all(Path(e.file) == path for e in errors)


def test_load_meetings_reports_every_file_together() -> None:
    errors = raised(load_meetings, BAD)
    assert len(errors) == sum(len(expected(p)) for p in BAD.glob("*.md"))


def test_a_valid_file_needs_nothing_more(tmp_path: Path) -> None:
    meeting = load_meeting(write_meeting(tmp_path))
    assert (meeting.date, meeting.kind, meeting.public, meeting.draft) == (D(2027, 2, 2), "open", True, False)
    assert meeting.actions == [Action("Ana Diaz", "sweep the floor", None, False, 13)]


def test_file_name_may_carry_a_topic(tmp_path: Path) -> None:
    meeting = load_meeting(write_meeting(tmp_path, name="2027-02-02-budget-talk.md"))
    assert (meeting.date, meeting.topic, meeting.slug) == (D(2027, 2, 2), "budget-talk", "2027-02-02-budget-talk")
    assert FILE_NAME.fullmatch("2027-02-02-Budget.md") is None


def test_title_comes_from_front_matter_then_heading_then_kind_and_date(tmp_path: Path) -> None:
    assert load_meeting(write_meeting(tmp_path / "a", extra="title: Budget night\n")).title == "Budget night"
    assert load_meeting(write_meeting(tmp_path / "b")).title == "A meeting"
    path = write_meeting(tmp_path / "c", kind="closed")
    path.write_text(path.read_text(encoding="utf-8").replace("# A meeting\n", ""), encoding="utf-8")
    assert load_meeting(path).title == "Closed meeting, February 2, 2027"


# --- privacy ------------------------------------------------------------------------------------


PRIVACY_CASES = {
    # front matter: (public?, the error it gives, if any)
    "open and final": ("kind: open\n", True, None),
    "closed": ("kind: closed\n", False, None),
    "open draft": ("kind: open\ndraft: true\n", False, None),
    "draft written as text": ('kind: open\ndraft: "true"\n', False, "`draft`: Expected true or false"),
    "draft as a number": ("kind: open\ndraft: 1\n", False, "`draft`: Expected true or false"),
    "draft left empty": ("kind: open\ndraft:\n", False, "`draft`: Expected true or false"),
    "explicitly not a draft": ("kind: open\ndraft: false\n", True, None),
    "Draft with a capital": ("kind: open\nDraft: true\n", False, "`Draft`: write `draft` in lowercase"),
    "kind with a capital": ("kind: Open\n", False, "`kind`: Expected one of"),
    "no kind": ("place: Library\n", True, None),
    "broken YAML": ("kind: open\nattendees: [Ana\n", False, "YAML syntax error"),
}


@pytest.mark.parametrize(("front", "public", "error"), list(PRIVACY_CASES.values()), ids=list(PRIVACY_CASES))
def test_privacy_is_public_only_for_clear_open_final_pages(tmp_path: Path, front: str, public: bool,
                                                           error: str | None) -> None:
    path = tmp_path / "2027-02-02.md"
    path.write_text(f"---\n{front}---\n# Notes\n", encoding="utf-8")
    errors = Collector()
    _, privacy = read_page(path, errors)
    assert privacy.public is public
    assert [error in str(e) for e in errors.errors] == ([True] if error else [])


def test_unreadable_pages_are_private_and_reported(tmp_path: Path) -> None:
    unclosed = tmp_path / "b.md"
    unclosed.write_text("---\nkind: open\n", encoding="utf-8")
    latin1 = tmp_path / "c.md"
    latin1.write_bytes("---\nkind: open\nplace: Café\n---\n".encode("latin-1"))
    for path in (unclosed, latin1):
        errors = Collector()
        assert read_page(path, errors)[1].public is False, path
        assert len(errors.errors) == 1, path


def test_scan_leaves_out_broken_files_and_says_which(tmp_path: Path) -> None:
    good = write_meeting(tmp_path, "2027-02-02")
    closed = write_meeting(tmp_path, "2027-02-07", kind="closed")
    bad_owner = write_meeting(tmp_path, "2027-02-09", owner="Zed Unknown")  # open, but broken
    bad_yaml = tmp_path / "2027-02-16.md"
    bad_yaml.write_text("---\nkind: open\nattendees: [Ana\n---\n# Notes\n", encoding="utf-8")
    (tmp_path / "index.md").write_text("# Meetings\n", encoding="utf-8")  # the Meetings page: not notes
    stray = tmp_path / "_template.md"  # any other file is checked (and so left out), never skipped
    stray.write_text(MEETING.format(date="2027-02-02", kind="open", owner="Ana Diaz", extra=""), encoding="utf-8")
    scan = scan_meetings(tmp_path)
    assert [m.path for m in scan.meetings] == [closed, good]
    assert [m.path for m in scan.meetings.select(public_only=True)] == [good]
    assert scan.excluded == {bad_owner, bad_yaml, stray}
    assert scan.public_files() == {good}
    assert sorted((Path(e.file).name, e.line or 0) for e in scan.errors) == [
        ("2027-02-09.md", 13), ("2027-02-16.md", 3), ("_template.md", 0)]


def test_drafts_and_closed_meetings_are_not_public(tmp_path: Path) -> None:
    draft = load_meeting(write_meeting(tmp_path / "a", extra="draft: true\n"))
    closed = load_meeting(write_meeting(tmp_path / "b", kind="closed"))
    assert (draft.public, closed.public) == (False, False)
    log = MeetingLog([draft, closed])
    assert log.select() == [] and log.latest() is None and log.roles_history() == []
    assert log.open_actions() == {} and log.next_agenda() == []


# --- the sample project's notes -------------------------------------------------------------------------------


def test_every_sample_meeting_loads(sample: MeetingLog) -> None:
    files = meeting_files(SAMPLE_MEETINGS)
    assert len(files) == 5
    assert sorted(m.path for m in sample) == files
    for meeting in sample:
        assert meeting.path.name.startswith(meeting.date.isoformat())
        assert meeting.agenda and meeting.actions and meeting.next_agenda, meeting.path.name


def test_sample_meetings_are_newest_first(sample: MeetingLog) -> None:
    dates = [m.date for m in sample]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == dt.date(2026, 6, 16) and dates[-1] == dt.date(2026, 5, 5)


def test_sample_roles_rotate(sample: MeetingLog) -> None:
    meetings = list(reversed(sample.meetings))  # oldest first
    for meeting in meetings:
        assert len({meeting.roles[r] for r in ROLES}) == len(ROLES), meeting.path.name
    for role in ROLES:
        holders = [m.roles[role] for m in meetings]
        assert all(a != b for a, b in zip(holders, holders[1:])), (role, holders)


def test_sample_role_holders_and_action_owners_attended(sample: MeetingLog) -> None:
    for meeting in sample:
        assert set(meeting.roles.values()) <= set(meeting.attendees), meeting.path.name
        assert {a.owner for a in meeting.actions} <= set(meeting.attendees), meeting.path.name


def test_sample_public_flag_agrees_with_the_inventory(sample: MeetingLog) -> None:
    for meeting in sample:
        privacy = read_page(meeting.path, Collector())[1]
        assert meeting.public is privacy.public is (meeting.kind == "open" and not meeting.draft)
    assert {m.kind for m in sample} == {"open", "closed"}


def test_sample_open_actions_leave_out_what_later_meetings_closed(sample: MeetingLog) -> None:
    chronological = list(reversed(sample.meetings))
    for public_only in (False, True):
        rollup = sample.open_actions(public_only=public_only)
        assert rollup
        for owner, items in rollup.items():
            for meeting, action in items:
                assert action.owner == owner and not action.done
                assert meeting.public or not public_only
                later = chronological[chronological.index(meeting) + 1:]
                assert not any(a.key == action.key and a.done for m in later for a in m.actions), action
    # Assigned on May 5, done by May 19: never open again.
    everything = [a.task for items in sample.open_actions(public_only=False).values() for _, a in items]
    assert not any("paint the shed door" in task for task in everything)
    # Listed open on June 2 and again on June 16: open once, as of its latest listing.
    assert summary(sample.open_actions(public_only=True)) == {
        "Otto Reyes": [(D(2026, 6, 16), "print fifty copies of the flier", D(2026, 6, 23))],
        "Pia Strand": [(D(2026, 6, 16), "book the community room for July", D(2026, 6, 30))],
    }
    # Only in the closed notes: open for members, never public.
    assert summary(sample.open_actions(public_only=False))["Sam Ito"] == [
        (D(2026, 5, 24), "telephone the landlord of number twelve about the dehumidifier", D(2026, 6, 7))]


def test_new_meeting_from_the_sample_notes_loads(sample: MeetingLog, tmp_path: Path) -> None:
    schedule = load_schedule(SAMPLE / "data" / "meetings.yml")
    latest = sample.latest(public_only=False)
    for kind in ("open", "closed"):
        name, text = new_meeting_text(sample, schedule, latest.date, kind=kind)
        path = tmp_path / kind / name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        meeting = load_meeting(path)
        assert meeting.kind == kind and meeting.draft and not meeting.public
        assert meeting.date > latest.date
        assert [i.text for i in meeting.agenda] == [i.text for i in latest.next_agenda]
        assert len(set(meeting.roles.values())) == len(ROLES)


# --- parsing one meeting --------------------------------------------------------------------------


def test_meeting_fields_and_lines(history: MeetingLog) -> None:
    meeting = load_meeting(HISTORY / "2027-01-05.md")
    assert (meeting.title, meeting.kind, meeting.place, meeting.public) == (
        "Open meeting, January 5, 2027", "open", "Library, Room B", True)
    assert meeting.roles == {"facilitator": "Ana Diaz", "note_taker": "Ben Cole", "time_keeper": "Cleo Park"}
    assert meeting.attendees == ["Ana Diaz", "Ben Cole", "Cleo Park", "Dev Shah"]
    assert [(i.text, i.line) for i in meeting.agenda] == [
        ("Welcome and introductions", 13), ("A flier for the spring", 14)]
    assert [(i.text, i.line) for i in meeting.decisions] == [("We will make a one-page flier.", 20)]
    assert meeting.actions == [
        Action("Ana Diaz", "book the room for February", D(2027, 1, 12), False, 23),
        Action("Ben Cole", "write the flier", None, False, 24),
        Action("Dev Shah", "call the printer", D(2027, 1, 19), False, 25),
    ]
    assert [(i.text, i.line) for i in meeting.next_agenda] == [
        ("Check-in on action items", 29), ("The cash box", 30)]
    assert meeting.discussion == "Four of us came. We want a flier before the spring fair."
    assert meeting.next_notes == "Agenda decided for the next meeting:"


def test_action_item_forms(tmp_path: Path) -> None:
    path = write_meeting(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + (
        "- [x] **Ben Cole:** fold the booklets (due 2027-02-09)\n"
        "- [X] **Cleo Park**: call *the* printer (Due: 2027-02-10).\n"
        "- [ ] **Ana Diaz**: a task\n  that wraps\n"), encoding="utf-8")
    assert load_meeting(path).actions[1:] == [
        Action("Ben Cole", "fold the booklets", D(2027, 2, 9), True, 14),
        Action("Cleo Park", "call *the* printer", D(2027, 2, 10), True, 15),
        Action("Ana Diaz", "a task that wraps", None, False, 16),
    ]


def test_same_task_across_meetings_ignores_case_emphasis_quotes_and_final_period() -> None:
    a = Action("Ana  Diaz", "Book the room for *February*.", None, True, 1)
    b = Action("ana diaz", "book the  room for February", None, False, 9)
    c = Action("Ana Diaz", "Read \u201cthe\u201d chapter", None, False, 9)
    assert a.key == b.key
    assert c.key == Action("Ana Diaz", 'read "the" chapter', None, False, 1).key


# --- the log: open actions, roles, latest, next agenda --------------------------------------------


def summary(rollup) -> dict[str, list[tuple[dt.date, str, dt.date | None]]]:
    return {owner: [(m.date, a.task, a.due) for m, a in items] for owner, items in rollup.items()}


def test_open_actions_drop_items_done_later(history: MeetingLog) -> None:
    assert summary(history.open_actions(public_only=False)) == {
        "Ben Cole": [(D(2027, 1, 12), "write the flier", D(2027, 1, 26))],  # its latest listing
        "Eve Stone": [(D(2027, 1, 10), "count the cash box", D(2027, 1, 31))],
        "Fay Lund": [(D(2027, 1, 12), "bring folding chairs", None)],
    }


def test_public_open_actions_show_only_public_items(history: MeetingLog) -> None:
    # Eve's item exists only in closed notes; Ana's (public) item was closed at a closed meeting.
    assert summary(history.open_actions(public_only=True)) == {
        "Ben Cole": [(D(2027, 1, 12), "write the flier", D(2027, 1, 26))],
        "Fay Lund": [(D(2027, 1, 12), "bring folding chairs", None)],
    }


def _meeting(day: dt.date, actions: list[Action], kind: str = "open") -> MeetingNotes:
    return MeetingNotes(Path(f"{day}.md"), day, kind, "t", "p", {}, ["Ana Diaz"], actions=actions)


def test_an_item_listed_undone_again_is_reopened_and_items_sort_by_due_date() -> None:
    log = MeetingLog([
        _meeting(D(2027, 1, 1), [Action("Ana Diaz", "print", None, False, 5),
                                 Action("Ana Diaz", "call", D(2027, 3, 1), False, 6)]),
        _meeting(D(2027, 1, 8), [Action("Ana Diaz", "print", None, True, 5)]),
        _meeting(D(2027, 1, 15), [Action("Ana Diaz", "Print.", D(2027, 2, 1), False, 5)]),
    ])
    assert summary(log.open_actions()) == {
        "Ana Diaz": [(D(2027, 1, 15), "Print.", D(2027, 2, 1)), (D(2027, 1, 1), "call", D(2027, 3, 1))]}


def test_roles_history_newest_first(history: MeetingLog) -> None:
    assert history.roles_history(public_only=False) == [
        (D(2027, 1, 12), "facilitator", "Cleo Park"), (D(2027, 1, 12), "note_taker", "Dev Shah"),
        (D(2027, 1, 12), "time_keeper", "Ben Cole"),
        (D(2027, 1, 10), "facilitator", "Ben Cole"), (D(2027, 1, 10), "note_taker", "Eve Stone"),
        (D(2027, 1, 10), "time_keeper", "Ana Diaz"),
        (D(2027, 1, 5), "facilitator", "Ana Diaz"), (D(2027, 1, 5), "note_taker", "Ben Cole"),
        (D(2027, 1, 5), "time_keeper", "Cleo Park"),
    ]
    assert [t.date for t in history.roles_history()] == [D(2027, 1, 12)] * 3 + [D(2027, 1, 5)] * 3


def test_latest_and_next_agenda(history: MeetingLog) -> None:
    assert history.latest().date == history.latest(public_only=False).date == D(2027, 1, 12)
    assert [i.text for i in history.next_agenda()] == [
        "Welcome and introductions", "The printed flier", "Starting a reading group"]


def test_next_agenda_after_a_closed_meeting_is_not_public(tmp_path: Path) -> None:
    for name in ("2027-01-05.md", "2027-01-10.md"):
        shutil.copy(HISTORY / name, tmp_path / name)
    log = load_meetings(tmp_path)
    assert log.latest().date == D(2027, 1, 5)
    assert log.next_agenda(public_only=True) == []
    assert [i.text for i in log.next_agenda(public_only=False)] == ["Welcome and introductions", "The flier draft"]


# --- the next meeting's file ----------------------------------------------------------------------


def test_suggest_roles_rotates_to_whoever_held_the_role_longest_ago(history: MeetingLog) -> None:
    # Facilitator: Dev, Eve and Fay never were; Dev comes first alphabetically. Note taker: Ana,
    # Cleo and Fay never were (Dev is taken). Time keeper: Eve and Fay never were.
    assert suggest_roles(history) == {"facilitator": "Dev Shah", "note_taker": "Ana Diaz", "time_keeper": "Eve Stone"}
    # Only the last meeting's attendees: Ben, Cleo, Dev, Fay.
    assert suggest_roles(history, recent=1) == {
        "facilitator": "Dev Shah", "note_taker": "Cleo Park", "time_keeper": "Fay Lund"}


def test_new_meeting_text_is_the_expected_file(history: MeetingLog, schedule) -> None:
    # The next open meeting after January 13 is January 26: the 19th is cancelled, and the reading
    # group (also open, on the 21st) is not the regular meeting.
    name, text = new_meeting_text(history, schedule, D(2027, 1, 13))
    assert name == "2027-01-26.md"
    assert text == (FIXTURES / "new-meeting" / name).read_text(encoding="utf-8")


def test_the_expected_new_meeting_file_loads() -> None:
    meeting = load_meeting(FIXTURES / "new-meeting" / "2027-01-26.md")
    assert meeting.draft and not meeting.public
    assert [a.owner for a in meeting.actions] == ["Ben Cole", "Fay Lund"]


def test_new_closed_meeting_uses_the_members_meeting_and_all_open_items(history, schedule, tmp_path) -> None:
    name, text = new_meeting_text(history, schedule, D(2027, 1, 13), kind="closed")
    assert name == "2027-02-14.md"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    meeting = load_meeting(path)
    assert (meeting.kind, meeting.place) == ("closed", "a member's home")
    assert [(a.owner, a.task) for a in meeting.actions] == [
        ("Ben Cole", "write the flier"), ("Eve Stone", "count the cash box"), ("Fay Lund", "bring folding chairs")]


def test_new_meeting_by_schedule_id(history, schedule) -> None:
    name, text = new_meeting_text(history, schedule, D(2027, 1, 13), meeting_id="reading-group")
    assert name == "2027-01-21.md"
    assert "place: Library, Room C\n" in text.split("---")[1].split("\n", 1)[1]
    with pytest.raises(SourceError, match="no meeting `nope` in the schedule"):
        new_meeting_text(history, schedule, D(2027, 1, 13), meeting_id="nope")


def test_new_meeting_without_a_schedule_is_a_week_after_the_latest(history: MeetingLog) -> None:
    name, text = new_meeting_text(history, None, D(2027, 1, 13))
    assert name == "2027-01-19.md"
    assert "\nplace: Library, Room B\n" in text
    assert new_meeting_text(history, None, D(2027, 3, 1))[0] == "2027-03-02.md"


def test_new_meeting_with_no_history_still_loads(tmp_path: Path) -> None:
    name, text = new_meeting_text(MeetingLog([]), None, D(2027, 1, 13), kind="closed")
    assert name == "2027-01-20.md"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    meeting = load_meeting(path)
    assert meeting.roles == {"facilitator": "(facilitator)", "note_taker": "(note-taker)",
                             "time_keeper": "(time-keeper)"}
    assert meeting.agenda == [] and meeting.actions == []


def test_new_meeting_quotes_names_yaml_would_misread(tmp_path: Path) -> None:
    day = D(2027, 1, 5)
    odd = ["Sam: the elder", "[Kim]", "Lee, Jr."]
    log = MeetingLog([MeetingNotes(Path("2027-01-05.md"), day, "open", "t", "Hall #2", {}, odd)])
    name, text = new_meeting_text(log, None, D(2027, 1, 6))
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    meeting = load_meeting(path)
    assert sorted(meeting.roles.values()) == sorted(odd) and meeting.place == "Hall #2"


# --- allies ---------------------------------------------------------------------------------------


def test_sample_allies_load() -> None:
    allies = load_allies(SAMPLE / "data" / "allies.yml")
    assert [a.name for a in allies] == ["Canal Row Tool Library", "Millpond Tenants' Association",
                                        "Orchard Lane Seed Swap"]
    assert len({a.name.casefold() for a in allies}) == len(allies)
    assert all(a.url.startswith("https://") and a.works_on and a.tags for a in allies)
    assert [a.line for a in allies] == [3, 8, 13]


def test_allies_errors_name_each_line() -> None:
    path = FIXTURES / "allies-bad.yml"
    errors = raised(load_allies, path)
    assert located(errors) == expected(path, EXPECT_YAML)


def test_allies_file_needs_the_list(tmp_path: Path) -> None:
    path = tmp_path / "allies.yml"
    path.write_text("groups: []\n", encoding="utf-8")
    assert located(raised(load_allies, path)) == [
        (1, "missing required key `allies` in the allies file"),
        (1, "unknown key `groups` in the allies file; expected one of: ['allies', 'intro']"),
    ]
