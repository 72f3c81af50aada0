"""Meeting notes: one Markdown file per meeting in docs/meetings/, read into data.

A file is named by the meeting's date (``2026-09-01.md``, or ``2026-09-01-budget.md`` with a
topic) and looks like this::

    ---
    date: 2026-09-01               # must be the date in the file name
    kind: open                     # open | closed (closed notes are never published)
    place: Decatur Library, meeting room B
    facilitator: Dana Whitfield    # the three rotating roles; each must be an attendee
    note_taker: Marcus Bell
    time_keeper: Priya Raman
    attendees: [Dana Whitfield, Marcus Bell, Priya Raman, R. K.]
    draft: true                    # optional: notes still being written (never published)
    title: Budget meeting          # optional (default: the `# heading`, or "Open meeting, <date>")
    imported: true                 # optional: written by `pamphlet import-notes` from plain-text notes
    ---
    # Open meeting, September 1, 2026

    ## Agenda
    1. Welcome and introductions

    ## Discussion
    Free text.

    ## Decisions
    - We will print 50 booklets.

    ## Action items
    - [ ] **Marcus Bell**: collect every source cited in the draft (due 2026-09-29)
    - [x] **Dana Whitfield**: share the draft chapters

    ## Next meeting
    Agenda decided for the next meeting:
    1. Check-in on action items

Notes marked ``imported: true`` (old notes turned into pages by `pamphlet import-notes`) keep
whatever the old notes said: the roles may be missing and need not be among the attendees, and
the attendees may be unknown (an empty list). Everything else is checked as usual.

The body is read with markdown-it-py, so every agenda item, decision and action item keeps the
line it is written on. Every problem is a `SourceError` naming the file and line; one run reports
all of them.

Privacy: only notes whose front matter says ``kind: open`` (and that are not drafts) are public.
A file that cannot be read or validated is never public: `scan_meetings` reports it and leaves it
out. (Which files are private in general, wherever they are, is `pamphlet.sources.inventory`'s call.)
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from markdown_it.token import Token

from pamphlet.dates import format_date
from pamphlet.errors import Collector, SourceError
from pamphlet.i18n import N_
from pamphlet.schedule.loader import CalendarDate
from pamphlet.sources import schema as s
from pamphlet.sources.analysis import parser, plain_text
from pamphlet.sources.files import MarkdownSource, read_markdown
from pamphlet.sources.inventory import KINDS

ROLES = ("facilitator", "note_taker", "time_keeper")
# For readers (in English: translated where shown, `pamphlet.i18n`)
ROLE_NAMES = {"facilitator": N_("Facilitator"), "note_taker": N_("Note-taker"), "time_keeper": N_("Time-keeper")}

# `##` headings of a meeting's body (matched without regard to case) -> the field of `MeetingNotes`.
SECTIONS = {
    "agenda": "Agenda",
    "discussion": "Discussion",
    "decisions": "Decisions",
    "action items": "Action items",
    "next meeting": "Next meeting",
}

FILE_NAME = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})(?:-(?P<topic>[a-z0-9]+(?:-[a-z0-9]+)*))?\.md")
NOT_MEETINGS = {"index.md"}  # the Meetings page itself may live in the same folder

ACTION_SYNTAX = "`- [ ] **Name**: what to do (due 2026-12-01)`"
_CHECKBOX = re.compile(r"\[(?P<mark>[ xX])\]\s+(?P<rest>.*)", re.DOTALL)
_CHECKBOX_ONLY = re.compile(r"\[(?P<mark>[ xX])\]\s*")
# `**Name**: task` or `**Name:** task`
_OWNER = re.compile(r"\*\*(?P<owner>[^*]+?)\*\*\s*:\s*(?P<rest>.*)|\*\*(?P<owner2>[^*]+?)\s*:\s*\*\*\s*(?P<rest2>.*)",
                    re.DOTALL)
_DUE = re.compile(r"(?P<task>.*?)\s*\(\s*due\b\s*:?\s*(?P<due>[^()]*?)\s*\)\s*\.?", re.DOTALL | re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# The data


@dataclass(frozen=True)
class Item:
    """An agenda item or decision: the Markdown of its first paragraph (on one line) and its line."""

    text: str
    line: int


@dataclass(frozen=True)
class Action:
    """An action item: `- [ ] **Owner**: task (due YYYY-MM-DD)`; `done` for `- [x]`."""

    owner: str
    task: str  # Markdown, without the owner and the due date
    due: dt.date | None
    done: bool
    line: int

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the same task across meetings: owner and task text, normalized."""
        return normalize_name(self.owner), normalize_task(self.task)


@dataclass
class MeetingNotes:
    path: Path
    date: dt.date
    kind: str  # "open" or "closed"
    title: str
    place: str
    roles: dict[str, str]  # role (see ROLES) -> person
    attendees: list[str]
    agenda: list[Item] = field(default_factory=list)
    decisions: list[Item] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    next_agenda: list[Item] = field(default_factory=list)
    draft: bool = False
    imported: bool = False  # written by `pamphlet import-notes`: the role rules are relaxed
    discussion: str = ""  # the Markdown of the Discussion section
    next_notes: str = ""  # the Markdown of the Next meeting section, without its list
    topic: str | None = None  # from the file name (2026-09-01-budget.md -> "budget")
    body: str = field(default="", repr=False)  # the Markdown after the front matter
    body_line: int = field(default=1, repr=False)
    uri: str = ""  # the page's path in the site's tree ("meetings/2026/2026-09-01.md")

    def __post_init__(self) -> None:
        self.uri = self.uri or f"meetings/{self.path.name}"

    @property
    def public(self) -> bool:
        """Open and final: the only notes that may be published (the rule of `sources.inventory`)."""
        return self.kind == "open" and not self.draft

    @property
    def slug(self) -> str:
        """The file name without `.md` (the page's address under meetings/)."""
        return self.path.stem


class RoleTurn(NamedTuple):
    date: dt.date
    role: str
    person: str


class Scan(NamedTuple):
    """What `scan_meetings` found: the good meetings, every problem, and the files left out."""

    meetings: MeetingLog
    errors: list[SourceError]
    excluded: set[Path]

    def public_files(self) -> set[Path]:
        """The files that may be published: publish these, not "everything but `excluded`"."""
        return {m.path for m in self.meetings.select(public_only=True)}


# --------------------------------------------------------------------------------------------
# Normalizing names and tasks (for matching an item across meetings)


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalize_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def normalize_task(task: str) -> str:
    """Case, spacing, typographic quotes, emphasis marks and a final period do not matter."""
    text = unicodedata.normalize("NFC", task).translate(_QUOTES)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.casefold().split()).rstrip(" .;")


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.split("\n")).strip()


# --------------------------------------------------------------------------------------------
# Front matter


FRONT_MATTER: dict[str, s.Option] = {
    "date": CalendarDate(required=True),
    "kind": s.Choice(list(KINDS), required=True),
    "title": s.Str(),
    "place": s.Str(required=True),
    "facilitator": s.Str(required=True),
    "note_taker": s.Str(required=True),
    "time_keeper": s.Str(required=True),
    "attendees": s.ListOf(s.Str(), required=True, min_items=1),
    "draft": s.Bool(default=False),
}
# Notes imported from plain text (`imported: true`) keep what the old notes said: no role is required
# (and a role holder need not be an attendee, see `load_meeting`), and nobody may be known to have come.
IMPORTED_FRONT_MATTER: dict[str, s.Option] = {
    **FRONT_MATTER,
    **{role: s.Str() for role in ROLES},
    "attendees": s.ListOf(s.Str(), required=True),
    "imported": s.Bool(default=False),
}


def file_name_date(path: Path) -> tuple[dt.date | None, str | None, SourceError | None]:
    """The date and topic in a meeting file's name, or the error saying why it is not one."""
    match = FILE_NAME.fullmatch(path.name)
    if match is None:
        return None, None, SourceError(
            "meeting notes are named by the meeting's date, like 2026-09-01.md or 2026-09-01-topic.md "
            "(lowercase letters, digits and dashes after the date)", path)
    try:
        day = CalendarDate().validate(match["date"])
    except ValueError as exc:
        return None, None, SourceError(f"the file name's date: {exc}", path)
    return day, match["topic"], None


def _imported(raw: dict[str, Any]) -> bool:
    return raw.get("imported") is True


def _validated(source: MarkdownSource, errors: Collector) -> dict[str, Any] | None:
    raw = source.meta.data
    if "imported" not in raw:
        schema = FRONT_MATTER  # (so that an unknown key's message lists only the usual keys)
    elif _imported(raw):
        schema = IMPORTED_FRONT_MATTER
    else:  # `imported: false`, or a value that is not true or false (reported)
        schema = {**FRONT_MATTER, "imported": IMPORTED_FRONT_MATTER["imported"]}
    return errors.collect(s.validate, source.meta, schema, what="front matter")


def _names(value: Any) -> list[str] | None:
    """`attendees` as names, if it is readable even though the front matter has other problems."""
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [" ".join(v.split()) for v in value]
    return None


def _readable_date(value: Any) -> dt.date | None:
    try:
        return CalendarDate().validate(value)
    except ValueError:
        return None


def _not_attendee(person: str, attendees: list[str]) -> str:
    close = difflib.get_close_matches(person, attendees, n=1, cutoff=0.6)
    if close:
        return f"{person} is not in `attendees` (did you mean {close[0]}?)"
    return f"{person} is not in `attendees`; add them there"


# --------------------------------------------------------------------------------------------
# Body


@dataclass
class _Section:
    name: str  # key of SECTIONS
    line: int  # of the heading (in the file)
    tokens: list[Token]
    markdown: str  # the section's text, without its heading


def _sections(source: MarkdownSource, tokens: list[Token], errors: Collector) -> tuple[str | None, dict[str, _Section]]:
    """The `# title` (if any) and the `##` sections of the body, checked for unknown names."""
    lines = source.body.split("\n")
    title = None
    starts: list[tuple[int, int, str | None]] = []  # (token index, body line, section name or None)
    seen: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.level != 0:
            continue
        line = source.body_line + token.map[0]
        text = plain_text(tokens[index + 1]).strip()
        if token.tag == "h1" and title is None and not starts:
            title = text
            continue
        if token.tag != "h2":
            continue
        name = text.rstrip(":").strip().casefold()
        if name not in SECTIONS:
            errors.add(SourceError(f"unknown section `## {text}`; the sections of meeting notes are: "
                                   f"{', '.join(SECTIONS.values())}", source.path, line))
            starts.append((index, token.map[0], None))
            continue
        if name in seen:
            errors.add(SourceError(f"a second `## {text}` section (the first is on line {seen[name]})",
                                   source.path, line))
            starts.append((index, token.map[0], None))
            continue
        seen[name] = line
        starts.append((index, token.map[0], name))
    sections: dict[str, _Section] = {}
    for number, (index, body_line, name) in enumerate(starts):
        end_index = starts[number + 1][0] if number + 1 < len(starts) else len(tokens)
        end_line = starts[number + 1][1] if number + 1 < len(starts) else len(lines)
        if name is None:
            continue
        heading_end = tokens[index].map[1]
        markdown = "\n".join(lines[heading_end:end_line]).strip("\n")
        sections[name] = _Section(name, source.body_line + body_line, tokens[index + 3:end_index], markdown)
    return title, sections


def _list_items(tokens: list[Token], body_line: int) -> Iterator[tuple[str, int]]:
    """The top-level list items of a section: the Markdown of each one's first paragraph, its line."""
    for index, token in enumerate(tokens):
        if token.type != "list_item_open" or token.level != 1:
            continue
        text = ""
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.type == "paragraph_open":
            text = _one_line(tokens[index + 2].content)
        yield text, body_line + token.map[0]


def _items(section: _Section | None, body_line: int) -> list[Item]:
    if section is None:
        return []
    return [Item(text, line) for text, line in _list_items(section.tokens, body_line) if text]


def _free_text(section: _Section, body: list[str]) -> str:
    """A section's Markdown without its top-level lists (the Next meeting's free text)."""
    keep: list[str] = []
    for token in section.tokens:
        if token.level == 0 and token.map and token.type.endswith("_open") and not token.type.endswith("list_open"):
            keep.extend(body[token.map[0]:token.map[1]])
            keep.append("")
        elif token.level == 0 and token.map and token.type in ("html_block", "code_block", "fence", "hr"):
            keep.extend(body[token.map[0]:token.map[1]])
            keep.append("")
    return "\n".join(keep).strip("\n")


def parse_action(text: str, line: int, path: Path, errors: Collector) -> Action | None:
    """One action item line (without its `- `); None (and an error) when it is malformed."""
    box = _CHECKBOX.fullmatch(text)
    if box is None:
        if _CHECKBOX_ONLY.fullmatch(text):
            errors.add(SourceError(f"this action item is empty; write it as {ACTION_SYNTAX}", path, line))
        else:
            errors.add(SourceError(f"an action item starts with `[ ]` (to do) or `[x]` (done): "
                                   f"{ACTION_SYNTAX}", path, line))
        return None
    done = box["mark"] in "xX"
    rest = box["rest"].strip()
    owner_match = _OWNER.fullmatch(rest)
    if owner_match is None:
        errors.add(SourceError(f"this action item has no owner; write it as {ACTION_SYNTAX}", path, line))
        return None
    owner = " ".join((owner_match["owner"] or owner_match["owner2"]).split())
    rest = (owner_match["rest"] if owner_match["owner"] else owner_match["rest2"]).strip()
    due = None
    due_match = _DUE.fullmatch(rest)
    if due_match is not None:
        rest = due_match["task"].strip()
        try:
            due = CalendarDate().validate(due_match["due"])
        except ValueError as exc:
            errors.add(SourceError(f"the due date of this action item: {exc}", path, line))
            return None
    if not rest:
        errors.add(SourceError(f"this action item for {owner} does not say what to do; write it as "
                               f"{ACTION_SYNTAX}", path, line))
        return None
    return Action(owner, rest, due, done, line)


# --------------------------------------------------------------------------------------------
# Loading


def load_meeting(path: Path, uri: str = "") -> MeetingNotes:
    """Read and check one meeting's notes; raises `SourceError`(s) naming every problem and line."""
    path = Path(path)
    errors = Collector()
    name_date, topic, name_error = file_name_date(path)
    if name_error is not None:
        errors.add(name_error)
    source = read_markdown(path)  # unreadable files and broken YAML raise here, with their line
    if source.body_line == 1:
        errors.add(SourceError("meeting notes start with front matter between `---` lines: date, kind, "
                               "place, facilitator, note_taker, time_keeper, attendees", path, 1))
        errors.raise_if_any()
    meta = source.meta
    data = _validated(source, errors)

    # Checks that need several keys; with broken front matter, whatever is still readable.
    raw = meta.data
    attendees = data["attendees"] if data else _names(raw.get("attendees"))
    if attendees is not None:
        attendees = [" ".join(a.split()) for a in attendees]
        first: dict[str, int] = {}
        for index, person in enumerate(attendees):
            if person in first:
                errors.add(meta.error(f"`attendees` item {index + 1}: {person} is listed twice", "attendees", index))
            first.setdefault(person, index)
    day = data["date"] if data else _readable_date(raw.get("date"))
    if day is not None and name_date is not None and day != name_date:
        errors.add(meta.error(f"`date`: {day} does not match the date in the file name ({name_date})", "date"))
    roles: dict[str, str] = {}
    for role in ROLES:
        person = data[role] if data else raw.get(role)
        if not isinstance(person, str) or not person.strip():
            continue
        person = " ".join(person.split())
        roles[role] = person
        if attendees is not None and person not in attendees and not _imported(raw):
            errors.add(meta.error(f"`{role}`: {_not_attendee(person, attendees)}", role))

    # The body.
    tokens = parser().parse(source.body)
    heading, sections = _sections(source, tokens, errors)
    body_lines = source.body.split("\n")
    actions: list[Action] = []
    section = sections.get("action items")
    if section is not None:
        for text, line in _list_items(section.tokens, source.body_line):
            action = parse_action(text, line, path, errors)
            if action is None:
                continue
            if attendees is not None and action.owner not in attendees:
                errors.add(SourceError(f"action item owner {_not_attendee(action.owner, attendees)}", path, line))
                continue
            actions.append(action)
    errors.raise_if_any()
    assert data is not None  # no errors: the front matter was valid

    kind = data["kind"]
    title = data["title"] or heading or f"{kind.capitalize()} meeting, {format_date(data['date'])}"
    next_section = sections.get("next meeting")
    return MeetingNotes(
        path=path, date=data["date"], kind=kind, title=title, place=data["place"], roles=roles,
        attendees=attendees, agenda=_items(sections.get("agenda"), source.body_line),
        decisions=_items(sections.get("decisions"), source.body_line), actions=actions,
        next_agenda=_items(next_section, source.body_line), draft=data["draft"],
        imported=data.get("imported", False),
        discussion=sections["discussion"].markdown if "discussion" in sections else "",
        next_notes=_free_text(next_section, body_lines) if next_section else "",
        topic=topic, body=source.body, body_line=source.body_line, uri=uri)


def meeting_files(folder: Path) -> list[Path]:
    """The Markdown files under a meetings folder, subfolders included (not the folder's own
    `index.md`, not hidden files), sorted by path.

    A missing folder has no meetings. Any other `.md` file is taken for meeting notes (and is an
    error if its name is not a date), so nothing in the folder escapes the checks.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.md")
                  if p.is_file() and p.relative_to(folder).as_posix() not in NOT_MEETINGS
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def scan_meetings(folder: Path, files: list[Path] | None = None, *, uri_prefix: str = "meetings/") -> Scan:
    """Load every meeting under `folder` (or only `files`, found there), keeping going past broken files.

    Returns the meetings that loaded (a `MeetingLog`), every error, and the set of files left out.
    A file with any error is left out entirely: it is never public, and none of its data (roles,
    action items, agenda) is used. The caller decides whether errors stop the build.
    """
    meetings: list[MeetingNotes] = []
    errors: list[SourceError] = []
    excluded: set[Path] = set()
    for path in meeting_files(folder) if files is None else files:
        found = Collector()
        meeting = found.collect(load_meeting, path, uri_prefix + path.relative_to(folder).as_posix())
        if meeting is None:
            errors.extend(found.errors)
            excluded.add(path)  # when unsure, leave it out
        else:
            meetings.append(meeting)
    return Scan(MeetingLog(meetings), errors, excluded)


def load_meetings(folder: Path) -> MeetingLog:
    """Every meeting in `folder`, newest first; raises `SourceError`(s) if any file has a problem."""
    scan = scan_meetings(folder)
    errors = Collector()
    errors.errors.extend(scan.errors)
    errors.raise_if_any()
    return scan.meetings


# --------------------------------------------------------------------------------------------
# The log


@dataclass
class MeetingLog:
    """All meetings, newest first. Every query takes `public_only` (default True, the safe side)."""

    meetings: list[MeetingNotes]

    def __post_init__(self) -> None:
        self.meetings = sorted(self.meetings, key=lambda m: (m.date, m.path.name), reverse=True)

    def __iter__(self) -> Iterator[MeetingNotes]:
        return iter(self.meetings)

    def __len__(self) -> int:
        return len(self.meetings)

    def select(self, *, public_only: bool = True) -> list[MeetingNotes]:
        """The meetings, newest first; with `public_only`, only open, final ones."""
        return [m for m in self.meetings if m.public or not public_only]

    def public(self) -> MeetingLog:
        return MeetingLog(self.select(public_only=True))

    def latest(self, *, public_only: bool = True) -> MeetingNotes | None:
        chosen = self.select(public_only=public_only)
        return chosen[0] if chosen else None

    def next_agenda(self, *, public_only: bool = True) -> list[Item]:
        """The agenda the latest meeting decided for the next one.

        With `public_only`, only when the latest meeting of all is public: a later closed meeting
        (or draft) may have changed the agenda, and an older open meeting's agenda is then stale.
        """
        latest = self.latest(public_only=False)
        if latest is None or (public_only and not latest.public):
            return []
        return list(latest.next_agenda)

    def open_actions(self, *, public_only: bool = True) -> dict[str, list[tuple[MeetingNotes, Action]]]:
        """Action items not done yet, by owner (sorted by name), each with its latest listing.

        An item is the same across meetings when owner and task text match (normalized: case,
        spacing, quotes, emphasis and a final period do not matter); it is closed when a later
        meeting lists it as done (`[x]`) and reopened if an even later one lists it as `[ ]`.
        Items are sorted by due date (undated last), then by the meeting they were listed in.

        With `public_only`, only items written in public notes are returned, each with its latest
        *public* listing; a later closed meeting or draft still closes an item (that it was done is
        all it reveals).
        """
        state: dict[tuple[str, str], bool] = {}  # key -> done
        listing: dict[tuple[str, str], tuple[MeetingNotes, Action]] = {}
        for meeting in reversed(self.meetings):  # oldest first
            for action in meeting.actions:
                state[action.key] = action.done
                if meeting.public or not public_only:
                    listing[action.key] = (meeting, action)
        result: dict[str, list[tuple[MeetingNotes, Action]]] = {}
        for key, (meeting, action) in listing.items():
            if not state[key]:
                result.setdefault(action.owner, []).append((meeting, action))
        for items in result.values():
            items.sort(key=lambda pair: (pair[1].due or dt.date.max, pair[0].date, pair[1].line))
        return {owner: result[owner] for owner in sorted(result, key=lambda o: (normalize_name(o), o))}

    def roles_history(self, *, public_only: bool = True) -> list[RoleTurn]:
        """Who held which role when, newest meeting first (roles in the order of ROLES)."""
        return [RoleTurn(m.date, role, m.roles[role])
                for m in self.select(public_only=public_only) for role in ROLES if role in m.roles]

    def last_held(self, *, public_only: bool = True) -> dict[tuple[str, str], dt.date]:
        """(role, normalized person) -> the last date that person held that role."""
        last: dict[tuple[str, str], dt.date] = {}
        for turn in self.roles_history(public_only=public_only):
            last.setdefault((turn.role, normalize_name(turn.person)), turn.date)
        return last


__all__ = [
    "KINDS", "ROLES", "ROLE_NAMES", "SECTIONS", "Action", "Item", "MeetingLog", "MeetingNotes", "RoleTurn", "Scan",
    "file_name_date", "load_meeting", "load_meetings", "meeting_files", "normalize_name",
    "normalize_task", "parse_action", "scan_meetings",
]
