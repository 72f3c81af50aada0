"""Plain-text meeting notes into meeting files (`pamphlet import-notes FILE`).

Notes typed during a meeting, into an e-mail or a shared document, look like this::

    Decatur Reading Circle – notes from the autumn meetings      <- header notes (before any date)

    10/04/12 – first open meeting                                <- a date line starts a meeting
    informal agenda (Dana, Marcus, Priya, Leon)                  <- an agenda, names in parentheses
    –    the booklet – typos, missing sources
    -Dana – I'll update the flier with both times                <- a speaker's turn (a promise)
    -Marcus/Priya – we should print 50 booklets                  <- two speakers together
    AGENDA 4 NEXT MEETING – 10/18 – closed meeting               <- the next meeting: date, kind, items
    -the schools chapter – vote on wording?

Three steps, each usable alone:

- reading (`decode`): the file's bytes as text. UTF-8, with or without a byte order mark;
  UTF-16 and UTF-32 with a byte order mark, or UTF-16 without one when the zero bytes say so;
  Windows-1252 when the text is not UTF-8 and reads as Latin text. Anything else (an empty file,
  binary data, a Word document) is a `SourceError`. Characters the print fonts cannot show (an
  emoji) are replaced by their Unicode names, "😉" -> "(winking face)", and reported.
- parsing (`parse_notes`): the text as meetings (`ImportedMeeting`): date, title, kind, attendees,
  roles, place, agenda, speaker turns, decisions, action items and the next meeting. Every line is
  kept, in order (`ImportedMeeting.lines`), and whatever the importer guessed is a `Doubt` with its
  line.
- writing (`meeting_text`, `plan_import`, `write_plan`): one Markdown file per meeting in the
  project's meeting format (see `pamphlet.notes.meetings`), marked `imported: true`. The
  `## Discussion` section holds every line of the meeting as written (header notes go to the top
  of the first meeting's), escaped so that Markdown reads them as plain text; the other sections
  hold what was extracted. Nothing is lost: every word of the input is in the output, in order.

Guesses, each reported as a `Doubt`:

- dates: month first (10/04/12 is October 4), unless a date in the file can only be read day
  first; a two-digit year is in this century unless that is more than a year ahead of `today`; a
  date without a year follows the meeting before it.
- kind: what the date line (or a line like "Closed meeting") says; else what the previous
  meeting's next-meeting line said about this date; else closed, so that nothing is published by
  mistake.
- people: a speaker is a capitalized name before a dash or colon ("-Dana – ...", "Marcus/Priya: ...");
  "A.J." and "AJ" are one person, and so are "Dana" and "Dana Whitfield" when no other Dana is
  named. Attendees are the names in a list (in parentheses, after "present:", or on the date line),
  and everyone who speaks.
- decisions: "decision: ...", "we agreed ...", "agreed: ...", a vote; action items: a speaker's
  "I'll ...", "I can ...", "will ...", "gonna ...", due at the next meeting when it has a date.

Nothing here reads the clock: callers pass `today`. Files are touched only by `read_notes` (the notes),
`plan_import` (it compares with the meeting files already there) and `write_plan`.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import stat
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from pamphlet.assets.glyphs import describe, unprintable
from pamphlet.dates import format_date, weekday_name
from pamphlet.errors import Collector, SourceError, SourceErrors, display_path
from pamphlet.notes.meetings import FILE_NAME, ROLES, meeting_files
from pamphlet.sources.files import SourceLoader

MAX_BYTES = 20_000_000  # notes, not an archive: anything larger is refused before it is read


@dataclass(frozen=True)
class Doubt:
    """Something the importer guessed, at a line of the input (None: the file as a whole)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


# ============================================================================================
# Reading: bytes -> text


_BOMS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
]
# Files people save instead of plain text, by their first bytes.
_DOCUMENTS = [
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a Word, OpenDocument or zip file"),
    (b"\xd0\xcf\x11\xe0", "an old Word document"), (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
]
_CP1252_PUNCTUATION = set("€‚„…†‡ˆ‰‹Œ‘’“”•–—˜™›œŸ¡¢£¤¥¦§¨©ª«¬\xad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷\xa0")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, path: Path | str | None = None) -> tuple[str, list[Doubt]]:
    """The text of a notes file, with "\\n" line ends, and what was guessed about its encoding.

    Raises a `SourceError` (naming `path`, and the line where there is one) for an empty file,
    binary data and text in an encoding that cannot be told.
    """
    if not data.strip():
        raise SourceError("is empty: there are no notes to import", path)
    for magic, what in _DOCUMENTS:
        if data.startswith(magic):
            raise SourceError(f"is {what}, not plain text; save the notes as plain text (.txt) first", path)
    doubts: list[Doubt] = []
    text = None
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                raise SourceError(f"starts with a {name} byte order mark but is not {name} text; "
                                  "save it as UTF-8", path) from None
            if name != "UTF-8":
                doubts.append(Doubt(None, f"read as {name} (the file starts with its byte order mark)"))
            break
    if text is None:
        text = _decode_unmarked(data, path, doubts)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        raise SourceError("looks like binary data, not text; import a plain-text file", path)
    if not text.strip():
        raise SourceError("is empty: there are no notes to import", path)
    return text, doubts


def _decode_unmarked(data: bytes, path: Path | str | None, doubts: list[Doubt]) -> str:
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        doubts.append(Doubt(None, "read as UTF-16 (no byte order mark, but every other byte is zero)"))
        return utf16
    if b"\x00" in data:
        raise SourceError("looks like binary data, not text; import a plain-text file", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        bad = exc.object[exc.start]
    if _UTF8_SEQUENCE.search(data) is None:  # no UTF-8 at all: perhaps Windows-1252
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is not None and _reads_as_latin(text):
            doubts.append(Doubt(bad_line, "the file is not UTF-8: read it as Windows-1252 (cp1252) from "
                                          f"byte 0x{bad:02x} on; check its accents and quotes"))
            return text
    raise SourceError(f"is not UTF-8 text (byte 0x{bad:02x}), and its encoding cannot be told; "
                      "save it as UTF-8", path, bad_line)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte order mark, when mostly-ASCII text makes every other byte zero."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _reads_as_latin(text: str) -> bool:
    """Whether text decoded as Windows-1252 reads like a Latin-script language: its other characters
    are Latin letters and common punctuation, and accented letters come one or two in a word (Cyrillic
    or Greek decoded as Windows-1252 gives runs of them: "Ïðèâåò")."""
    for char in set(text):
        if ord(char) > 127 and char not in _CP1252_PUNCTUATION and not (
                unicodedata.category(char).startswith("L") and "LATIN" in unicodedata.name(char, "")):
            return False
    letters = [char for char in text if char.isalpha()]
    accented = sum(ord(char) > 127 for char in letters)
    return not re.search(r"[^\x00-\x7f\W\d_]{3}", text) and accented <= 0.3 * max(1, len(letters))


def printable_text(text: str) -> tuple[str, list[Doubt]]:
    """`text` with every character the print fonts cannot show replaced by its name in words.

    "times 😉" becomes "times (winking face)"; an invisible selector or joiner right after a
    replaced character goes with it. Each replacement is a `Doubt` at its line.
    """
    found = unprintable(text)
    if not found:
        return text, []
    out: list[str] = []
    doubts: list[Doubt] = []
    last = 0
    for index, char in found:
        if index < last:
            continue
        out.append(text[last:index])
        name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
        previous = next((part[-1] for part in reversed(out) if part), "")
        before = "" if not previous or previous.isspace() or previous == "(" else " "
        end = index + 1
        while end < len(text) and text[end] in "\ufe0e\ufe0f\u200d":
            end += 1
        after = "" if end >= len(text) or text[end].isspace() or text[end] in ".,;:!?)" else " "
        out.append(f"{before}({name}){after}")
        line = text.count("\n", 0, index) + 1
        doubts.append(Doubt(line, f"the print fonts cannot show {describe(char)}: written as \"({name})\""))
        last = end
    out.append(text[last:])
    return "".join(out), doubts


def read_notes(path: Path) -> tuple[str, list[Doubt]]:
    """Read a notes file (only that file): its printable text, and what was guessed doing so."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SourceError("file not found", path) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise SourceError("is a folder; import-notes reads one plain-text file", path)
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("is not a regular file; import-notes reads one plain-text file", path)
    if info.st_size > MAX_BYTES:
        raise SourceError(f"is too large for notes ({info.st_size} bytes; at most {MAX_BYTES})", path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror})", path) from None
    text, doubts = decode(data, path)
    text, more = printable_text(text)
    return text, doubts + more


# ============================================================================================
# Dates


MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2, "thursday": 3,
    "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
DATE = (
    r"(?<![\w/.-])(?:"
    r"(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2})"
    rf"|(?P<wm>{_MONTH})\s+(?P<wd>\d{{1,2}}){_ORDINAL}(?:,?\s+(?P<wy>\d{{4}}|['’]\d{{2}}))?"
    rf"|(?P<vd>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<vm>{_MONTH})(?:,?\s+(?P<vy>\d{{4}}))?"
    r"|(?P<a>\d{1,2})(?P<usep>[/.-])(?P<b>\d{1,2})(?:(?P=usep)(?P<uy>\d{4}|\d{2}))?"
    r")(?![\w/]|[.-]\d)"
)
DATE_RE = re.compile(DATE, re.IGNORECASE)
# A date line: the date first (after bullets, "Meeting"/"Minutes of", a weekday), then a title.
DATE_LINE = re.compile(
    r"^(?P<lead>[\s\-–—•*#>_=~]*)"
    r"(?P<prefix>(?:(?:open|closed|members['’]?|general|monthly|weekly|group)\s+)?(?:meeting|minutes|notes)"
    r"(?:\s+(?:of|for|from|on))?\s*[:–—-]?\s*)?"
    rf"(?P<weekday>{_WEEKDAY},?\s+)?"
    rf"(?P<date>{DATE})"
    r"(?P<after>.*)$", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"^[\s–—:,;|/-]+")
WEEKDAY_ONLY = re.compile(r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)


@dataclass(frozen=True)
class DateLine:
    date: dt.date
    title: str  # the rest of the line, after the date and its separator ("" if none)
    doubts: tuple[str, ...] = ()


@dataclass
class Calendar:
    """Reads dates: `today` (for two-digit years) and whether numeric dates are day first."""

    today: dt.date
    day_first: bool = False

    def year(self, written: str | None, month: int, reference: dt.date | None) -> tuple[int | None, str]:
        """The year of a date, and a note when it was guessed."""
        if written is None:
            if reference is None:
                return None, ""
            year = reference.year + (month < reference.month)
            return year, f"no year given: read as {year}, after {reference.isoformat()}"
        digits = written.lstrip("'’")
        if len(digits) == 4:
            return int(digits), ""
        year = 2000 + int(digits)
        if year > self.today.year + 1:
            return year - 100, f"the two-digit year {digits} read as {year - 100}"
        return year, ""

    def read(self, match: re.Match, reference: dt.date | None) -> tuple[dt.date | None, list[str]]:
        """The date a `DATE` match means (None if it is not a date), and what was guessed."""
        notes: list[str] = []
        if match["iy"]:
            return _day(int(match["iy"]), int(match["im"]), int(match["id"])), notes
        if match["wm"] or match["vm"]:
            month = MONTHS[(match["wm"] or match["vm"]).rstrip(".").casefold()]
            day = int(match["wd"] or match["vd"])
            year, note = self.year(match["wy"] or match["vy"], month, reference)
            if note:
                notes.append(note)
            return (_day(year, month, day) if year else None), notes
        first, second = int(match["a"]), int(match["b"])
        if match["uy"] is None and match["usep"] != "/":
            return None, notes  # "3-4 people", "2.5 hours"
        month, day = (second, first) if self.day_first else (first, second)
        if not 1 <= month <= 12 and 1 <= day <= 12:
            month, day = day, month
            notes.append(f"{match['a']}{match['usep']}{match['b']} can only be month {month}, day {day}")
        year, note = self.year(match["uy"], month, reference)
        if note:
            notes.append(note)
        return (_day(year, month, day) if year else None), notes

    def date_line(self, text: str, reference: dt.date | None) -> DateLine | None:
        """The date and title of a line that starts a meeting, or None."""
        match = DATE_LINE.match(text)
        if match is None:
            return None
        day, notes = self.read(match, reference)
        after = match["after"]
        has_year = bool(match["iy"] or match["wy"] or match["vy"] or match["uy"])
        if day is None or (not has_year and after.strip() and not re.match(r"\s*[–—:(,-]", after)):
            return None
        weekday = match["weekday"]
        if weekday:
            said = WEEKDAYS[weekday.strip().rstrip(",").rstrip(".").casefold()]
            if said != day.weekday():
                notes.append(f"the line says {weekday.strip().rstrip(',')} but {day.isoformat()} is a "
                             f"{weekday_name(day.weekday())}; check the date")
        title = _TITLE_SEPARATOR.sub("", after).strip(" *_#=~–—:-")
        prefix = re.sub(r"(?:\s+(?:of|for|from|on))?\s*[:–—-]?\s*$", "", match["prefix"] or "", flags=re.I)
        if prefix and prefix.casefold() not in {"meeting", "minutes", "notes"}:
            title = f"{prefix} – {title}" if title else prefix
        return DateLine(day, title, tuple(notes))

    def find(self, text: str, reference: dt.date) -> tuple[dt.date | None, list[str]]:
        """The first date in `text` (after `reference` when it has no year), or a weekday's next date."""
        for match in DATE_RE.finditer(text):
            day, notes = self.read(match, reference)
            if day is not None:
                return day, notes
        weekday = WEEKDAY_ONLY.search(text)
        if weekday:
            wanted = WEEKDAYS[weekday["weekday"].casefold()]
            day = reference + dt.timedelta(days=(wanted - reference.weekday() - 1) % 7 + 1)
            return day, [f"\"{weekday['weekday']}\" read as the next one, {day.isoformat()}"]
        return None, []


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_first_convention(lines: Iterable[str]) -> bool:
    """True when the file's numeric date lines can only be read day first (31/10/12), never month first."""
    day_first = month_first = 0
    for text in lines:
        match = DATE_LINE.match(text)
        if match is None or not match["a"]:
            continue
        first, second = int(match["a"]), int(match["b"])
        day_first += first > 12 and second <= 12
        month_first += second > 12 and first <= 12
    return day_first > 0 and month_first == 0


def long_date(day: dt.date) -> str:
    return format_date(day)


# ============================================================================================
# People


NOT_NAMES = {
    "a", "about", "action", "actions", "after", "agenda", "agreed", "all", "also", "an", "and", "announcements",
    "anyone", "as", "at", "attendees", "before", "both", "budget", "but", "closed", "comment", "comments", "date",
    "decided", "decision", "decisions", "discussion", "done", "edit", "edited", "everybody", "everyone", "for",
    "fyi", "he", "her", "here", "him", "his", "how", "i", "idea", "if", "in", "it", "item", "items", "its", "leave",
    "location", "maybe", "me", "meeting", "members", "minutes", "motion", "my", "nb", "new", "next", "no", "nobody",
    "none", "not", "note", "notes", "now", "of", "ok", "okay", "old", "on", "one", "open", "or", "our", "place",
    "posted", "present", "private", "ps", "public", "q", "question", "questions", "re", "reminder", "reply",
    "she", "so", "someone", "summary", "tbd", "that", "the", "their", "then", "there", "they", "this", "time",
    "to", "today", "todo", "tomorrow", "tonight", "topic", "topics", "update", "updates", "us", "venue", "vote",
    "we", "what", "when", "where", "who", "why", "will", "with", "yes", "yesterday", "you", "your",
    *MONTHS, *WEEKDAYS,
}
PARTICLES = {"de", "del", "della", "da", "di", "du", "la", "le", "van", "von", "der", "den", "bin", "al", "el", "st"}
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*")
_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*and\b|,|;|/|&|\+|\band\b)\s*")
ROLE_WORDS = {
    "facilitator": r"facilitat\w*|chair\w*|moderat\w*",
    "note_taker": r"note[- ]?tak\w*|notes|minutes|scribe|secretary",
    "time_keeper": r"time[- ]?keep\w*|timer|time",
}
_ROLE_WORD = re.compile("|".join(rf"(?P<{role}>{words})" for role, words in ROLE_WORDS.items()), re.I)
_PART_WITH_ROLE = re.compile(r"^(?P<name>[^()–—:]+?)\s*(?:\((?P<role1>[^()]*)\)|[–—:-]\s*(?P<role2>.+))$")


def is_name(text: str) -> bool:
    """A person's name as notes write it: capitalized words or initials ("Dana", "A.J.", "R. K.")."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 4 or len(text) > 40 or tokens[0].casefold().rstrip(".") in NOT_NAMES:
        return False
    for index, token in enumerate(tokens):
        if not _NAME_TOKEN.fullmatch(token) or any(char.isdigit() for char in token):
            return False
        if not token[0].isupper() and not (index and token.casefold() in PARTICLES):
            return False
    return len(tokens) > 1 or len(tokens[0].rstrip(".")) > 1 or tokens[0].endswith(".")


def split_names(text: str) -> list[str] | None:
    """The names in "Dana", "Marcus/Priya", "A and B", "Dana, Leon, and Ruth"; None if any part is not one."""
    parts = [part.strip() for part in _LIST_SEPARATOR.split(text.strip())]
    if not parts or not all(parts) or not all(is_name(part) for part in parts):
        return None
    return parts


def role_of(text: str) -> str | None:
    match = _ROLE_WORD.fullmatch(text.strip().rstrip(".").strip())
    return match.lastgroup if match else None


def people_list(text: str) -> list[tuple[str, str | None]] | None:
    """The people in a list ("Dana (facilitating), Marcus – notes, Priya"), each with a role or None."""
    parts = [part.strip() for part in _LIST_SEPARATOR.split(text.strip())]
    if not parts or not all(parts):
        return None
    found: list[tuple[str, str | None]] = []
    for part in parts:
        role = None
        match = _PART_WITH_ROLE.match(part)
        if match and not is_name(part):
            role = role_of(match["role1"] or match["role2"] or "")
            if role is None:
                return None
            part = match["name"].strip()
        if not is_name(part):
            return None
        found.append((part, role))
    return found


def name_key(name: str) -> str:
    """"A.J.", "AJ" and "a. j." are one key."""
    return re.sub(r"[\s.\-'’]", "", unicodedata.normalize("NFC", name)).casefold()


def _tokens(name: str) -> list[str]:
    return [token for token in (name_key(t) for t in name.split()) if token]


def _compatible(short: str, long: str) -> bool:
    """"Dana" or "Dana W." could be "Dana Whitfield" (same first name, later words left out or abbreviated)."""
    a, b = _tokens(short), _tokens(long)
    return (a != b and 0 < len(a) <= len(b) and a[0] == b[0]
            and all(b[i].startswith(a[i]) for i in range(1, len(a))))


@dataclass
class People:
    """Everyone the notes name, with one spelling for each person (`canonical`)."""

    seen: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # key -> (as written, line)
    merged: dict[str, str] = field(default_factory=dict)  # key -> key of the longer name it is
    _spelling: dict[str, str] = field(default_factory=dict, repr=False)  # key -> its most used spelling

    def add(self, written: str, line: int) -> None:
        self.seen.setdefault(name_key(written), []).append((" ".join(written.split()), line))
        self._spelling.pop(name_key(written), None)

    def knows(self, written: str) -> bool:
        return name_key(written) in self.seen

    def settle(self) -> list[Doubt]:
        """Merge the variants of each name; report every merge."""
        doubts: list[Doubt] = []
        keys = list(self.seen)
        for key in keys:
            form = self.seen[key][0][0]
            longer = [other for other in keys if other != key and _compatible(form, self.seen[other][0][0])]
            longer = [other for other in longer if not any(_compatible(self.seen[other][0][0], self.seen[o][0][0])
                                                            for o in longer)]
            if len(longer) == 1:
                self.merged[key] = longer[0]
                doubts.append(Doubt(self.seen[key][0][1], f"read {form} as {self.canonical(form)}, the only "
                                                          "person with a name like it"))
            elif len(longer) > 1:
                names = " or ".join(self.canonical(self.seen[o][0][0]) for o in longer)
                doubts.append(Doubt(self.seen[key][0][1], f"{form} could be {names}: kept as written"))
        for key, forms in self.seen.items():
            spellings = sorted({written for written, _ in forms})
            if len(spellings) > 1:
                doubts.append(Doubt(forms[0][1], f"read {' and '.join(spellings)} as one person, "
                                                 f"{self.canonical(forms[0][0])}"))
        return doubts

    def canonical(self, written: str) -> str:
        """The one spelling of this person: the longer name a short one was merged into, else the
        most frequent spelling (then the longest, then the first)."""
        key = name_key(written)
        while key in self.merged:
            key = self.merged[key]
        if key not in self.seen:
            return " ".join(written.split())
        if key not in self._spelling:
            order = [form for form, _ in self.seen[key]]
            counts = Counter(order)
            self._spelling[key] = max(counts, key=lambda f: (counts[f], len(f), -order.index(f)))
        return self._spelling[key]


# ============================================================================================
# Lines


BLANK, DATE_ROLE, TURN, ITEM, NOTE, AGENDA, NEXT = "blank", "date", "turn", "item", "note", "agenda", "next"

_BULLET = re.compile(r"^(?:(?P<dash>[-–—•·◦▪‣])(?=\s|[^\W\d_]|\*)|(?P<star>[*+])(?=\s)|(?P<number>\d{1,3})[.)](?=\s))"
                     r"\s*(?P<body>.*)$")
_TURN_SEPARATOR = re.compile(r"\s*(?:[–—]|\s-{1,2}\s|:)\s*")
_NEXT_WORDS = re.compile(r"\bnext\s+(?:meeting|time|session|gathering|week|month)\b|\b(?:4|for)\s+next\b"
                         r"|\bnext\b.*\bagenda\b", re.I)
_NEXT_START = re.compile(r"^\W*(?:(?:the|our|proposed|draft|informal)\s+)?(?:agenda|next|upcoming)\b", re.I)
_AGENDA_START = re.compile(r"^\W*(?:[\w'’]+\s+){0,2}?agenda\b(?P<rest>.*)$", re.I)
_LABELLED_PEOPLE = re.compile(r"^(?:present|attendees|attending|attended|in attendance|here|people|who came|with)"
                              r"\s*[:–—-]\s*(?P<names>.+)$", re.I)
_PARENTHESES = re.compile(r"\((?P<inside>[^()]+)\)")
_ROLE_LINE = re.compile(rf"^(?P<role>{'|'.join(ROLE_WORDS.values())})(?:\s+by\s*[:–—-]?|\s*[:–—-])\s*(?P<name>.+)$",
                        re.I)
_PLACE_LINE = re.compile(r"^(?:place|where|location|venue)\s*[:–—-]\s*(?P<place>.+)$", re.I)
_KIND_CLOSED = re.compile(r"\bclosed\b|\bmembers?['’]?[\s-]*only\b|\bmembers['’]?\s+meeting\b|\bprivate\s+meeting\b",
                          re.I)
_KIND_OPEN = re.compile(r"\b(?:open|public)\b", re.I)
_KIND_LINE_WORDS = {"open", "closed", "public", "private", "members", "member", "only", "meeting", "kind", "this",
                    "was", "is", "a", "an", "the", "for", "members'"}


@dataclass
class Line:
    """One line of the notes, as written, and what the importer read it as."""

    number: int
    text: str  # as written, without trailing white space (unprintable characters already named)
    role: str = NOTE  # BLANK, DATE_ROLE, TURN, ITEM, NOTE, AGENDA or NEXT
    body: str = ""  # ITEM: the text after its bullet; TURN: what was said
    who: str = ""  # TURN: the speaker(s) as written
    separator: str = ""  # TURN: the dash or colon after the speaker, as written
    speakers: tuple[str, ...] = ()  # TURN, and a note continuing one: who said it (one spelling each)
    number_mark: str = ""  # ITEM, TURN: "3" for "3. ..." (a numbered line)
    block: str = ""  # ITEM: AGENDA or NEXT when the item belongs to that list


def split_lines(text: str) -> list[tuple[int, str]]:
    """(number, text) of every line; lines end at "\\n" only (not at form feeds or U+2028)."""
    return [(number, line.rstrip()) for number, line in enumerate(text.split("\n"), 1)]


def _bullet(text: str) -> tuple[str | None, str]:
    """The item mark ("-", or the number of a numbered item) and the text after it; (None, text) if none."""
    stripped = text.strip()
    match = _BULLET.match(stripped)
    if match is None:
        return None, stripped
    return match["number"] or match["dash"] or match["star"], match["body"].strip()


def _turn(body: str, *, bulleted: bool, people: People | None) -> tuple[str, str, str] | None:
    """(who, separator, what was said) if `body` is a speaker's line."""
    match = _TURN_SEPARATOR.search(body)
    if match is None or match.start() == 0 or match.start() > 60:
        return None
    who, said = body[:match.start()].strip(), body[match.end():].strip()
    names = split_names(who)
    if not said or names is None:
        return None
    if not bulleted and (people is None or not all(people.knows(name) for name in names)):
        return None  # "Dana: ..." without a bullet only for someone the notes name elsewhere
    return who, match.group().strip() or "-", said


def is_next_header(body: str) -> bool:
    return bool(_NEXT_WORDS.search(body) and _NEXT_START.match(body))


def is_agenda_header(body: str) -> bool:
    match = _AGENDA_START.match(body)
    if match is None:
        return False
    rest = match["rest"].strip()
    return not rest or rest[0] in ":–—-(" or len(rest.split()) <= 3


def classify(numbered: list[tuple[int, str]], people: People | None, dates: set[int]) -> list[Line]:
    """Each line's role (`dates`: the numbers of the lines that start a meeting). Lists under an
    agenda (or next-meeting) line are that agenda's items, up to the first blank line after them."""
    lines: list[Line] = []
    block = ""  # AGENDA or NEXT while in the list under such a line
    items = 0
    blank_since_header = False
    for number, text in numbered:
        line = Line(number, text)
        lines.append(line)
        if number in dates:
            line.role, line.body, block = DATE_ROLE, text.strip(), ""
            continue
        if not text.strip():
            line.role = BLANK
            if block and items:
                block = ""
            blank_since_header = True
            continue
        mark, body = _bullet(text)
        turn = _turn(body, bulleted=mark is not None, people=people)
        if block and (mark is None and (turn is not None or blank_since_header)):
            block = ""
        if block and not (is_next_header(body) or is_agenda_header(body)):
            line.role, line.body, line.block = ITEM, body, block
            line.number_mark = mark if mark and mark.isdigit() else ""
            items += 1
            continue
        if turn is not None:
            line.role = TURN
            line.who, line.separator, line.body = turn
            line.number_mark = mark if mark and mark.isdigit() else ""
            block = ""
        elif is_next_header(body) or is_agenda_header(body):
            line.role, line.body = (NEXT if is_next_header(body) else AGENDA), body
            # the list under it is its items, unless the line has them itself ("Agenda: budget; snacks")
            block = "" if _inline_items(body, number) else line.role
            items, blank_since_header = 0, False
        elif mark is not None:
            line.role, line.body = ITEM, body
            line.number_mark = mark if mark.isdigit() else ""
        else:
            line.role, line.body = NOTE, body
    _mark_continuations(lines)
    return lines


def _mark_continuations(lines: list[Line]) -> None:
    """A note right under a turn (no blank line between) continues it: same speakers. Not a line
    that says something about the meeting itself (who came, roles, place, kind)."""
    for previous, line in zip(lines, lines[1:]):
        if line.role == NOTE and previous.role in (TURN, NOTE) and previous.who and not _about_meeting(line.body):
            line.who = previous.who


def _about_meeting(text: str) -> bool:
    return bool(_listed_people(text)[0] or _role_lines(text) or _PLACE_LINE.match(text) or _kind_line(text))


# ============================================================================================
# The meetings


@dataclass(frozen=True)
class Entry:
    """An agenda item or a decision: plain text (not Markdown), and the input line it comes from."""

    text: str
    line: int


@dataclass(frozen=True)
class Task:
    """An action item: who promised, what (plain text), by when."""

    owner: str
    text: str
    due: dt.date | None
    line: int


@dataclass(frozen=True)
class Turn:
    speakers: tuple[str, ...]  # one spelling each (`People.canonical`)
    written: str  # the speaker(s) as written ("Marcus/Priya", "AJ")
    text: str  # what was said, continuation lines included
    line: int


@dataclass
class NextMeeting:
    line: int
    text: str  # the line as written
    date: dt.date | None = None
    kind: str | None = None
    items: list[Entry] = field(default_factory=list)


@dataclass
class ImportedMeeting:
    date: dt.date
    line: int  # of the date line
    title: str  # from the date line ("" if it has none)
    lines: list[Line]  # every line from the date line to the next meeting's, as written
    kind: str = "closed"
    kind_hint: tuple[str, int] | None = None  # (kind, line) when the notes say it
    attendees: list[str] = field(default_factory=list)
    listed: bool = False  # the notes list the attendees (else they are the speakers)
    roles: dict[str, str] = field(default_factory=dict)
    place: str | None = None
    agenda: list[Entry] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    decisions: list[Entry] = field(default_factory=list)
    actions: list[Task] = field(default_factory=list)
    next: NextMeeting | None = None

    @property
    def last_line(self) -> int:
        """The meeting's last line that is not blank."""
        return next(line.number for line in reversed(self.lines) if line.role != BLANK)

    @property
    def heading(self) -> str:
        if self.title:
            return self.title[0].upper() + self.title[1:]
        return f"{self.kind.capitalize()} meeting, {long_date(self.date)}"


@dataclass
class Notes:
    """A notes file read: the lines before the first meeting, the meetings, every guess."""

    header: list[Line]
    meetings: list[ImportedMeeting]
    doubts: list[Doubt]


def parse_notes(text: str, *, today: dt.date, path: Path | str | None = None) -> Notes:
    """The meetings in a notes text (already decoded, see `read_notes`), and what was guessed.

    Raises a `SourceError` naming `path` when no line starts with a date.
    """
    numbered = split_lines(text)
    doubts: list[Doubt] = []
    calendar = Calendar(today, day_first=day_first_convention(t for _, t in numbered))
    if calendar.day_first:
        doubts.append(Doubt(None, "numeric dates read day first (31/10/12), as some can only be read that way"))
    starts = _meeting_starts(numbered, calendar, doubts)
    if not starts:
        raise SourceError("has no line that starts with a meeting's date (like 10/04/12, October 4, 2012 or "
                          "2012-10-04), so no meeting to import", path)
    dates = {numbered[start][0]: date_line for start, date_line in starts}
    people = People()
    _collect_people(classify(numbered, None, set(dates)), dates, people)
    doubts += people.settle()
    lines = classify(numbered, people, set(dates))
    header = lines[:starts[0][0]]
    meetings: list[ImportedMeeting] = []
    for number, (start, date_line) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(numbered)
        chunk = lines[start:end]
        meetings.append(_read_meeting(date_line, chunk, people, calendar, doubts))
    _settle_kinds(meetings, doubts)
    _settle_due_dates(meetings)
    promised = sum(len(meeting.actions) for meeting in meetings)
    if promised:
        doubts.append(Doubt(None, f"{promised} action item(s) written as not done yet ([ ]): mark the ones that "
                                  "were done [x], or the Action items page will list them as open"))
    written = [line.number for line in header if line.role != BLANK]
    if written:
        published = ", which is open: they will be published with it" if meetings[0].kind == "open" else ""
        where = f"lines {written[0]}-{written[-1]} come" if len(written) > 1 else f"line {written[0]} comes"
        doubts.append(Doubt(written[0], f"{where} before the first meeting: kept at "
                                        f"the top of the {meetings[0].date.isoformat()} meeting's discussion"
                                        f"{published}"))
    return Notes(header, meetings, sorted(doubts, key=lambda d: (d.line or 0)))


def _meeting_starts(numbered: list[tuple[int, str]], calendar: Calendar,
                    doubts: list[Doubt]) -> list[tuple[int, DateLine]]:
    """(index, date line) of every line that starts a meeting."""
    starts: list[tuple[int, DateLine]] = []
    previous: dt.date | None = None
    for index, (number, text) in enumerate(numbered):
        found = calendar.date_line(text, previous)
        if found is None:
            if DATE_LINE.match(text) and previous is not None:
                doubts.append(Doubt(number, "starts like a date but is not one; kept as text"))
            continue
        for note in found.doubts:
            doubts.append(Doubt(number, note))
        if previous is not None and found.date < previous:
            doubts.append(Doubt(number, f"{found.date.isoformat()} is earlier than the meeting before it "
                                        f"({previous.isoformat()}); check the date"))
        if found.date > calendar.today + dt.timedelta(days=366):
            doubts.append(Doubt(number, f"{found.date.isoformat()} is more than a year from today; check the date"))
        starts.append((index, found))
        previous = found.date
    return starts


def _collect_people(lines: list[Line], dates: dict[int, DateLine], people: People) -> None:
    """Everyone named in a list or as a speaker with a bullet (before telling who speaks without one)."""
    for line in lines:
        if line.role == TURN:
            for name in split_names(line.who) or []:
                people.add(name, line.number)
        elif line.role == DATE_ROLE:
            title = dates[line.number].title
            for name, _ in _listed_people(title)[0] or people_list(title) or []:
                people.add(name, line.number)
        elif line.role in (NOTE, AGENDA, ITEM):
            for name, _ in _listed_people(line.body)[0]:
                people.add(name, line.number)
            for _, name in _role_lines(line.body):
                people.add(name, line.number)


def _listed_people(text: str) -> tuple[list[tuple[str, str | None]], str]:
    """The people a line lists (in parentheses, or after "present:"), with roles, and how it lists them."""
    match = _LABELLED_PEOPLE.match(text.strip())
    if match:
        found = people_list(match["names"])
        if found:
            return found, "labelled"
    for match in _PARENTHESES.finditer(text):
        found = people_list(match["inside"])
        if found and len(found) >= 2:
            return found, "parentheses"
    return [], ""


def _role_lines(text: str) -> list[tuple[str, str]]:
    """(role, name) pairs of a line like "facilitator: Dana; notes: Marcus"."""
    pairs: list[tuple[str, str]] = []
    for part in re.split(r"\s*[;,]\s*", text.strip()):
        match = _ROLE_LINE.match(part)
        role = role_of(match["role"]) if match else None
        if match is None or role is None or not is_name(match["name"].strip().rstrip(".")):
            return []
        pairs.append((role, match["name"].strip().rstrip(".")))
    return pairs


def kind_in(text: str) -> str | None:
    """"closed" or "open" when a title or short line says which; closed when it says both."""
    if _KIND_CLOSED.search(text):
        return "closed"
    if _KIND_OPEN.search(text):
        return "open"
    return None


def _kind_line(text: str) -> str | None:
    """The kind a short line like "Closed meeting" or "(members only)" states."""
    words = re.findall(r"[\w'’-]+", text.casefold())
    if not words or len(words) > 6 or not all(w in _KIND_LINE_WORDS or w == "members-only" for w in words):
        return None
    return kind_in(text)


def _read_meeting(date_line: DateLine, chunk: list[Line], people: People, calendar: Calendar,
                  doubts: list[Doubt]) -> ImportedMeeting:
    meeting = ImportedMeeting(date_line.date, chunk[0].number, date_line.title, chunk)
    _read_date_line(meeting, date_line, people, doubts)
    for line in chunk[1:]:
        _read_line(meeting, line, people, calendar, doubts)
    _settle_attendees(meeting, doubts)
    return meeting


def _read_date_line(meeting: ImportedMeeting, date_line: DateLine, people: People, doubts: list[Doubt]) -> None:
    title = date_line.title
    listed, how = _listed_people(title)
    if not listed:
        found = people_list(title) if title else None
        # "10/18/12 – Dana, Leon, Ruth": names, when the notes name some of them elsewhere too
        if found and 2 * sum(_named_elsewhere(people, name, meeting.line) for name, _ in found) >= len(found):
            listed, how = found, "date line"
            title = ""
    if listed:
        _add_listed(meeting, listed, how, meeting.line, people, doubts)
        if how == "parentheses":
            title = _PARENTHESES.sub(lambda m: "" if people_list(m["inside"]) else m.group(), title).strip()
            title = re.sub(r"[\s–—:,;|/-]+$", "", title)
    kind = kind_in(date_line.title)
    if kind:
        meeting.kind_hint = (kind, meeting.line)
    words = re.findall(r"[\w'’-]+", title.casefold())
    if all(word in _KIND_LINE_WORDS or word in ("notes", "minutes") for word in words):
        title = ""  # "closed meeting", "notes": the usual heading says it, with the date
    meeting.title = title


def _named_elsewhere(people: People, name: str, line: int) -> bool:
    return any(number != line for _, number in people.seen.get(name_key(name), []))


def _add_listed(meeting: ImportedMeeting, listed: list[tuple[str, str | None]], how: str, line: int,
                people: People, doubts: list[Doubt]) -> None:
    names = [people.canonical(name) for name, _ in listed]
    for name, (_, role) in zip(names, listed):
        if name not in meeting.attendees:
            meeting.attendees.append(name)
        if role:
            meeting.roles[role] = name
    meeting.listed = True
    if how != "labelled":
        where = "in parentheses" if how == "parentheses" else "on the date line"
        doubts.append(Doubt(line, f"read the names {where} as the attendees: {', '.join(names)}"))


def _read_line(meeting: ImportedMeeting, line: Line, people: People, calendar: Calendar,
               doubts: list[Doubt]) -> None:
    if line.role == TURN:
        _read_turn(meeting, line, people, doubts)
    elif line.role == NOTE and line.who and meeting.turns and meeting.turns[-1].line < line.number:
        turn = meeting.turns[-1]  # a line continuing the turn above it
        meeting.turns[-1] = Turn(turn.speakers, turn.written, f"{turn.text} {line.body}", turn.line)
        line.speakers = turn.speakers
        _promises(meeting, line.body, turn.speakers, line.number, people, doubts)
        _decisions(meeting, line.body, line.number, doubts)
    elif line.role == AGENDA:
        listed, how = _listed_people(line.body)
        if listed:
            _add_listed(meeting, listed, how, line.number, people, doubts)
        meeting.agenda += _inline_items(line.body, line.number)
    elif line.role == NEXT:
        _read_next(meeting, line, calendar, doubts)
    elif line.role == ITEM and line.block:
        _read_item(meeting, line, people, doubts)
    elif line.role in (ITEM, NOTE):
        _read_note(meeting, line, people, doubts)


def _read_turn(meeting: ImportedMeeting, line: Line, people: People, doubts: list[Doubt]) -> None:
    written = split_names(line.who) or [line.who]
    speakers = tuple(dict.fromkeys(people.canonical(name) for name in written))
    line.speakers = speakers
    meeting.turns.append(Turn(speakers, line.who, line.body, line.number))
    _promises(meeting, line.body, speakers, line.number, people, doubts)
    _decisions(meeting, line.body, line.number, doubts)


def _read_item(meeting: ImportedMeeting, line: Line, people: People, doubts: list[Doubt]) -> None:
    entry = Entry(line.body, line.number)
    turn = _turn(line.body, bulleted=True, people=people)
    if turn is not None and all(people.knows(name) for name in split_names(turn[0]) or []):
        doubts.append(Doubt(line.number, f"starts with {turn[0]}, but is in the list under an agenda line: read "
                                         "as an agenda item, not as something said"))
    if line.block == AGENDA:
        meeting.agenda.append(entry)
    elif meeting.next is not None:
        meeting.next.items.append(entry)


def _read_note(meeting: ImportedMeeting, line: Line, people: People, doubts: list[Doubt]) -> None:
    body = line.body
    listed, how = _listed_people(body)
    if listed:
        _add_listed(meeting, listed, how, line.number, people, doubts)
    for role, name in _role_lines(body):
        meeting.roles[role] = people.canonical(name)
    place = _PLACE_LINE.match(body)
    if place and meeting.place is None:
        meeting.place = place["place"].strip()
    kind = _kind_line(body)
    if kind and meeting.kind_hint is None:
        meeting.kind_hint = (kind, line.number)
    _decisions(meeting, body, line.number, doubts)
    if _PROMISE_ANYWHERE.search(body):
        doubts.append(Doubt(line.number, "sounds like a promise, but nobody is named as saying it: kept in the "
                                         "discussion, not as an action item"))


def _inline_items(header: str, number: int) -> list[Entry]:
    """Items written on an agenda line itself: "Agenda: budget; fliers"."""
    match = re.search(r"\bagenda\s*:\s*(?P<items>[^()]+)$", header, re.I)
    if match is None:
        return []
    parts = [part.strip() for part in re.split(r"\s*;\s*" if ";" in match["items"] else r"\s*,\s*",
                                                   match["items"]) if part.strip()]
    return [Entry(part, number) for part in parts if not DATE_RE.fullmatch(part) and kind_in(part) is None]


def _read_next(meeting: ImportedMeeting, line: Line, calendar: Calendar, doubts: list[Doubt]) -> None:
    header = line.body
    day, notes = calendar.find(header, meeting.date)
    for note in notes:
        doubts.append(Doubt(line.number, f"the next meeting: {note}"))
    if day is not None and day <= meeting.date:
        doubts.append(Doubt(line.number, f"the next meeting's date {day.isoformat()} is not after this meeting's"))
    meeting.next = NextMeeting(line.number, line.text, day, kind_in(header))
    meeting.next.items += _inline_items(header, line.number)


# --------------------------------------------------------------------------------------------
# Decisions and promises


_CLAUSES = re.compile(r"(?<=[.!?;])\s+|\s+[–—]\s+|\s+-{1,2}\s+|,\s+(?=(?:but|so|because|since|though|although|"
                      r"and then|i|i['’]m|we)\b)", re.I)
_SENTENCES = re.compile(r"(?<=[.!?;])\s+")
_DECISION_AFTER = [
    re.compile(r"\bdecision\s*[:–—-]\s*(?P<text>.+)", re.I),
    re.compile(r"^\W*(?:agreed|decided|resolved|consensus)\s*[:–—-]\s*(?P<text>.+)", re.I),
    re.compile(r"\b(?:we|all|everyone|everybody|(?:the\s+)?group)\s+(?:have\s+|all\s+)?(?:agreed|decided)\s*:\s*"
               r"(?P<text>.+)", re.I),
]
_DECISION_CLAUSE = re.compile(r"\b(?:we|all|everyone|everybody|(?:the\s+)?group)\s+(?:have\s+|all\s+)?"
                              r"(?:agreed|decided)\b|\bconsensus\s+(?:on|to|that|is)\b", re.I)
_VOTE = re.compile(r"\b(?:voted|vote\s*[:–—-]|votes?\s+\d+\s*(?:[-–—:]|to)\s*\d+|motion\s+(?:passed|carried)|"
                   r"passed\s+\d+\s*(?:[-–—:]|to)\s*\d+|unanimous(?:ly)?)\b", re.I)
_LEAD = r"^(?:(?:ok|okay|so|and|also|then|yes|yeah|sure|fine|alright|well|great)[,!]?\s+)*"
_FIRST_PERSON = re.compile(r"\bI\s*(?P<aux>['’]ll|will|can|shall|(?:['’]m|am)\s+(?:gonna|going\s+to))"
                           r"\s+(?!not\b|never\b)(?P<task>\S.*)$", re.I)
_NO_SUBJECT = re.compile(_LEAD + r"(?P<aux>will|gonna|going\s+to|shall)\s+(?!not\b|never\b)(?P<task>\S.*)$", re.I)
_WE = re.compile(_LEAD + r"we\s*(?:['’]ll|will|can|['’]re\s+(?:gonna|going\s+to)|are\s+(?:gonna|going\s+to))"
                 r"\s+(?!not\b|never\b)(?P<task>\S.*)$", re.I)
_SOMEONE = re.compile(_LEAD + r"(?P<name>[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*)?)\s*(?:['’]ll|will|can|is\s+"
                      r"(?:gonna|going\s+to))\s+(?!not\b|never\b)(?P<task>\S.*)$")
_PROMISE_ANYWHERE = re.compile(r"\bI\s*['’]ll\b|\bI\s+will\b|\bI['’]m\s+gonna\b", re.I)
_BY_DATE = re.compile(r"\bby\s+", re.I)


def _decisions(meeting: ImportedMeeting, text: str, number: int, doubts: list[Doubt]) -> None:
    """The decisions in a line: "decision: ...", "we agreed: ...", "we agreed to ...", a vote."""
    for sentence in _SENTENCES.split(text):
        if sentence.rstrip().endswith("?"):
            continue
        found = None
        for pattern in _DECISION_AFTER:
            match = pattern.search(sentence)
            if match:
                found = match["text"]
                break
        if found is None:
            clause = next((c for c in _CLAUSES.split(sentence) if _DECISION_CLAUSE.search(c)), None)
            if clause is not None:
                found = clause
        if found is None and _VOTE.search(sentence):
            found = sentence
            doubts.append(Doubt(number, "a vote: read as a decision; check what was decided"))
        if found:
            meeting.decisions.append(Entry(found.strip().rstrip(".;").strip(), number))


def _promises(meeting: ImportedMeeting, text: str, speakers: tuple[str, ...], number: int, people: People,
              doubts: list[Doubt]) -> None:
    """The action items in what `speakers` said: "I'll ...", "I can ...", "will ...", "gonna ..."."""
    for clause in _CLAUSES.split(text):
        owners, task, offer = _promise(clause, speakers, people)
        if task is None:
            continue
        if task.endswith("?"):
            doubts.append(Doubt(number, f"a question, not read as an action item: {clause.strip()}"))
            continue
        if not owners:
            doubts.append(Doubt(number, f"a promise with no one person to own it, kept in the discussion only: "
                                        f"{clause.strip()}"))
            continue
        task = task.strip().rstrip(".,;:!").strip()
        if not task:
            continue
        if offer:
            doubts.append(Doubt(number, f"an offer (\"I can …\") read as an action item for {', '.join(owners)}"))
        for owner in owners:
            meeting.actions.append(Task(owner, task, None, number))


def _promise(clause: str, speakers: tuple[str, ...], people: People) -> tuple[tuple[str, ...], str | None, bool]:
    """(owners, task, whether it was only an offer) of a clause that promises something."""
    clause = clause.strip()
    match = _FIRST_PERSON.search(clause)
    if match:
        return speakers, match["task"], match["aux"].casefold() == "can"
    match = _NO_SUBJECT.match(clause)
    if match:
        return speakers, match["task"], False
    match = _WE.match(clause)
    if match:
        return (speakers if len(speakers) > 1 else ()), match["task"], False
    match = _SOMEONE.match(clause)
    if match and is_name(match["name"]) and people.knows(match["name"]):
        return (people.canonical(match["name"]),), match["task"], False
    return (), None, False


# --------------------------------------------------------------------------------------------
# What needs the whole meeting, or the meeting before


def _settle_attendees(meeting: ImportedMeeting, doubts: list[Doubt]) -> None:
    """Attendees: the listed ones, then whoever spoke, held a role or took an action item."""
    spoke = [name for turn in meeting.turns for name in turn.speakers]
    others = [*spoke, *meeting.roles.values(), *(task.owner for task in meeting.actions)]
    for name in others:
        if name not in meeting.attendees:
            if meeting.listed:
                first = next((t.line for t in meeting.turns if name in t.speakers), meeting.line)
                doubts.append(Doubt(first, f"{name} speaks but is not in the attendee list: added to it"))
            meeting.attendees.append(name)
    if not meeting.listed and meeting.attendees:
        doubts.append(Doubt(meeting.line, "no list of who came: the attendees are the people who spoke"))
    if not meeting.attendees:
        doubts.append(Doubt(meeting.line, "nobody is named in this meeting: attendees left empty"))


def _settle_kinds(meetings: list[ImportedMeeting], doubts: list[Doubt]) -> None:
    """Open or closed: what the notes say, else what the meeting before planned, else closed."""
    for previous, meeting in zip([None, *meetings], meetings):
        planned = previous.next if previous is not None and previous.next is not None else None
        planned_kind = planned.kind if planned is not None else None
        for_this = planned is not None and planned.date in (None, meeting.date)
        if meeting.kind_hint is not None:
            meeting.kind = meeting.kind_hint[0]
            if planned_kind and for_this and planned_kind != meeting.kind:
                doubts.append(Doubt(meeting.kind_hint[1], f"this meeting says {meeting.kind}, but the meeting before "
                                                          f"planned it {planned_kind} (line {planned.line})"))
        elif planned_kind and (for_this or planned_kind == "closed"):
            meeting.kind = planned_kind
            doubts.append(Doubt(meeting.line, f"{planned_kind}: as the meeting before planned it (line "
                                              f"{planned.line}); the notes of this one do not say"))
        else:
            meeting.kind = "closed"
            why = (f"the meeting before planned an open meeting for {planned.date.isoformat()}, not this date"
                   if planned_kind else "the notes do not say whether this meeting was open or closed")
            doubts.append(Doubt(meeting.line, f"{why}: written as closed, so that nothing is published by "
                                              "mistake; change `kind:` to open if it was"))


def _settle_due_dates(meetings: list[ImportedMeeting]) -> None:
    """An action item is due by the date it names ("by 10/15"), else at the next meeting when its date is known."""
    calendar = Calendar(dt.date.max)
    for meeting in meetings:
        planned = meeting.next.date if meeting.next is not None else None
        for index, task in enumerate(meeting.actions):
            due = None
            for by in _BY_DATE.finditer(task.text):
                match = DATE_RE.match(task.text, by.end())
                due = calendar.read(match, meeting.date)[0] if match else None
                if due:
                    break
            meeting.actions[index] = Task(task.owner, task.text, due or planned, task.line)


# ============================================================================================
# Writing: meetings -> Markdown


_INLINE = re.compile(r"[\\`*\[\]{}<]|&(?=#?\w+;)|(?<!\w)_|_(?!\w)|(?<![\w/.:@+=&%\\-])@(?=\w)")
_INLINE_ESCAPES = {"<": "&lt;", "&": "&amp;", "@": "&#64;"}
_LINE_START = [  # what would make a line start a block of its own, and how to keep it text
    (re.compile(r"^(#|>|[-+*]|\d+[.)]|!)"), lambda m: (m.group()[:-1] + "\\" + m.group()[-1])),
    (re.compile(r"^\?\?\?"), lambda m: "&#63;??"),
    (re.compile(r"^:"), lambda m: "&#58;"),
    (re.compile(r"^~~~"), lambda m: "&#126;~~"),
]


def escape(text: str) -> str:
    """One line of plain text as Markdown that renders as that text (in Python-Markdown with the
    project's extensions, and in markdown-it): no emphasis, link, HTML, citation, list or heading."""
    text = " ".join(text.split())
    text = _INLINE.sub(lambda m: _INLINE_ESCAPES.get(m.group()[0], "\\" + m.group()), text)
    for pattern, replace in _LINE_START:
        text = pattern.sub(replace, text, count=1)
    return text


def _task_text(text: str) -> str:
    """An action item's task, escaped so that `(due ...)` in it is not read as its due date."""
    return re.sub(r"\((?=\s*due\b)", "&#40;", escape(text), flags=re.I)


def _yaml_scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        if yaml.load(f"[{value}]", Loader=SourceLoader) == [value] and yaml.load(
                f"k: {value}", Loader=SourceLoader) == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


def _front_matter(meeting: ImportedMeeting) -> list[str]:
    out = ["---", f"date: {meeting.date.isoformat()}", f"kind: {meeting.kind}"]
    if meeting.title:
        out.append(f"title: {_yaml_scalar(meeting.heading)}")
    out.append(f"place: {_yaml_scalar(meeting.place or 'place not recorded')}")
    for role in ROLES:
        if role in meeting.roles:
            out.append(f"{role}: {_yaml_scalar(meeting.roles[role])}")
    out.append(f"attendees: [{', '.join(_yaml_scalar(name) for name in meeting.attendees)}]")
    out.append("imported: true  # from plain-text notes (pamphlet import-notes): roles may be missing")
    out.append("---")
    return out


def _discussion(lines: list[Line]) -> list[str]:
    """Every line as written, each its own paragraph or list item (a list of consecutive items)."""
    out: list[str] = []
    previous = ""
    for line in lines:
        if line.role == BLANK:
            continue
        if line.role == ITEM:
            mark = f"{line.number_mark}." if line.number_mark else "-"
            kind = "ol" if line.number_mark else "ul"
            if previous != kind:
                out.append("")
            out.append(f"{mark} {escape(line.body)}")
            previous = kind
            continue
        out.append("")
        if line.role == TURN:
            separator = line.separator if line.separator == ":" else f" {line.separator}"
            number = f"{line.number_mark}\\. " if line.number_mark else ""  # "3. Dana: ..." keeps its 3
            out.append(f"{number}**{escape(line.who)}**{separator} {escape(line.body)}")
        else:
            out.append(escape(line.text))
        previous = "p"
    return out


def _listed(entries: list[Entry], *, numbered: bool) -> list[str]:
    if not entries:
        return ["", "None in the notes."]
    return ["", *(f"{f'{n}.' if numbered else '-'} {escape(e.text)}" for n, e in enumerate(entries, 1))]


def meeting_text(meeting: ImportedMeeting, *, header: list[Line] = ()) -> str:
    """The meeting's file: front matter, `# heading`, Agenda, Discussion (every line as written),
    Decisions, Action items, Next meeting."""
    out = _front_matter(meeting)
    out.append(f"# {escape(meeting.heading)}")
    lines = [line.number for line in [*header, *meeting.lines] if line.role != BLANK]
    out += ["", f"<!-- Imported from plain-text notes, lines {lines[0]}-{lines[-1]}: the discussion holds every "
                "line as written; the other sections are what the importer found in it. -->"]
    out += ["", "## Agenda", *_listed(meeting.agenda, numbered=True)]
    out += ["", "## Discussion"]
    if any(line.role != BLANK for line in header):
        out += ["", "*From the top of the notes, before the first meeting:*", *_discussion(header), "",
                "*This meeting's notes:*"]
    out += _discussion(meeting.lines)
    out += ["", "## Decisions", *_listed(meeting.decisions, numbered=False)]
    out += ["", "## Action items"]
    if meeting.actions:
        out.append("")
        for task in meeting.actions:
            due = f" (due {task.due.isoformat()})" if task.due else ""
            out.append(f"- [ ] **{task.owner}**: {_task_text(task.text)}{due}")
    else:
        out += ["", "None in the notes."]
    out += ["", "## Next meeting", ""]
    planned = meeting.next
    if planned is None:
        out.append("The notes do not say.")
    else:
        when = long_date(planned.date) if planned.date else "date not given"
        out.append(f"{when}{f', {planned.kind} meeting' if planned.kind else ''} (as planned: "
                   f"{escape(planned.text)})")
        if planned.items:
            out += ["", "Agenda decided for the next meeting:", ""]
            out += [f"{n}. {escape(item.text)}" for n, item in enumerate(planned.items, 1)]
    return "\n".join(out) + "\n"


# ============================================================================================
# Planning and writing files


NEW, UNCHANGED, REPLACE, CONFLICT = "new", "unchanged", "replace", "conflict"


@dataclass
class Planned:
    """One meeting's file: where it goes, its text, and what importing does to it."""

    meeting: ImportedMeeting
    path: Path
    text: str
    status: str  # NEW, UNCHANGED (the same file is there), REPLACE (--force) or CONFLICT

    def describe(self) -> str:
        return (f"{self.meeting.kind} meeting, {long_date(self.meeting.date)} (lines {self.meeting.line}-"
                f"{self.meeting.last_line})")


def file_names(meetings: list[ImportedMeeting]) -> list[str]:
    """`2012-10-04.md`; a second meeting on the same day `2012-10-04-2.md`, and so on."""
    names: list[str] = []
    count: dict[dt.date, int] = {}
    for meeting in meetings:
        count[meeting.date] = count.get(meeting.date, 0) + 1
        suffix = "" if count[meeting.date] == 1 else f"-{count[meeting.date]}"
        names.append(f"{meeting.date.isoformat()}{suffix}.md")
    return names


def plan_import(notes: Notes, folder: Path, *, force: bool = False) -> tuple[list[Planned], list[Doubt]]:
    """Each meeting's file in `folder`, compared with what is there already (in subfolders too)."""
    existing: dict[str, list[Path]] = {}
    for path in meeting_files(folder):
        existing.setdefault(path.name, []).append(path)
    by_date: dict[str, list[Path]] = {}
    for path in meeting_files(folder):
        match = FILE_NAME.fullmatch(path.name)
        if match:
            by_date.setdefault(match["date"], []).append(path)
    plans: list[Planned] = []
    doubts: list[Doubt] = []
    for index, (meeting, name) in enumerate(zip(notes.meetings, file_names(notes.meetings))):
        text = meeting_text(meeting, header=notes.header if index == 0 else [])
        path = existing.get(name, [folder / name])[0]
        status = NEW
        if path.exists() or path.is_symlink():
            status = UNCHANGED if _same(path, text) else (REPLACE if force else CONFLICT)
        others = [p for p in by_date.get(meeting.date.isoformat(), []) if p != path]
        if others:
            doubts.append(Doubt(meeting.line, f"{display_path(others[0])} has notes of the same day; is it this "
                                              "meeting?"))
        plans.append(Planned(meeting, path, text, status))
    return plans, doubts


def _same(path: Path, text: str) -> bool:
    try:
        return not path.is_symlink() and path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def check_target(root: Path, folder: Path) -> Path:
    """`folder` (relative to `root`, or absolute) if it is inside the project; a `SourceError` if not."""
    root = Path(root).resolve()
    folder = folder if folder.is_absolute() else root / folder
    real = folder.resolve()
    if real != root and root not in real.parents:
        raise SourceError("is outside the project; import-notes writes only into the project's own folders", folder)
    return real


def write_plan(plans: list[Planned], folder: Path) -> list[Path]:
    """Write the new and replaced files (each whole or not at all); raise first if any would overwrite
    a different file without --force, or leave the folder. Returns the paths written."""
    errors = Collector()
    for plan in plans:
        if plan.status == CONFLICT:
            errors.add(SourceError("already exists and differs from the imported meeting; compare them, then "
                                   "import again with --force to overwrite it", plan.path))
        elif plan.path.is_symlink():
            errors.add(SourceError("is a symbolic link; import-notes does not write through links", plan.path))
        elif plan.status != UNCHANGED and folder.resolve() not in plan.path.resolve().parents:
            errors.add(SourceError("is outside the folder notes are imported into", plan.path))
    errors.raise_if_any()
    written: list[Path] = []
    for plan in plans:
        if plan.status in (NEW, REPLACE):
            try:
                plan.path.parent.mkdir(parents=True, exist_ok=True)
                _write_whole(plan.path, plan.text)
            except OSError as exc:
                raise SourceError(f"cannot be written ({exc.strerror or exc})", plan.path) from None
            written.append(plan.path)
    return written


def _write_whole(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=".import-", suffix=".md", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class ImportResult:
    plans: list[Planned]
    doubts: list[Doubt]
    written: list[Path]


def import_notes(root: Path, file: Path, *, into: Path | None = None, today: dt.date, dry_run: bool = False,
                 force: bool = False) -> ImportResult:
    """Read `file`, and write its meetings into `into` (a folder inside the project at `root`,
    relative to it; by default the meetings folder in docs/) unless `dry_run`. Any problem is a
    `SourceError`, raised before anything is written."""
    from pamphlet.content import MEETINGS_DIR
    from pamphlet.project import Project
    from pamphlet.sources.files import confined

    with confined(Path(root)):
        project = Project.load(root)
    meetings = (project.docs_dir / MEETINGS_DIR).resolve()
    target = check_target(project.root, into if into is not None else meetings)
    text, doubts = read_notes(file)
    docs = project.docs_dir.resolve()
    if (target == docs or docs in target.parents) and not (target == meetings or meetings in target.parents):
        doubts.append(Doubt(None, f"{display_path(target)} is in {display_path(docs)}/ but not in "
                                  f"{display_path(meetings)}/: the site shows these files as pages, not as "
                                  "meeting notes"))
    notes = parse_notes(text, today=today, path=file)
    plans, more = plan_import(notes, target, force=force)
    if dry_run:
        conflicts = [SourceError("already exists and differs from the imported meeting; --force would overwrite "
                                 "it", plan.path) for plan in plans if plan.status == CONFLICT]
        if conflicts:
            raise SourceErrors(conflicts) if len(conflicts) > 1 else conflicts[0]
        written: list[Path] = []
    else:
        written = write_plan(plans, target)
    return ImportResult(plans, sorted(doubts + notes.doubts + more, key=lambda d: d.line or 0), written)


def report(result: ImportResult, file: Path, *, dry_run: bool = False) -> Iterator[str]:
    """What the command prints: each file (with its text, in a dry run), then every doubt with its line."""
    for plan in result.plans:
        where = display_path(plan.path)
        if dry_run:
            verb = {NEW: "Would write", REPLACE: "Would overwrite", UNCHANGED: "Unchanged"}[plan.status]
            yield f"==> {verb} {where}: {plan.describe()}"
            if plan.status != UNCHANGED:
                yield plan.text
        else:
            verb = {NEW: "Wrote", REPLACE: "Overwrote", UNCHANGED: "Unchanged (already imported)"}[plan.status]
            yield f"{verb} {where}: {plan.describe()}"
    if result.doubts:
        yield f"Check these ({len(result.doubts)} guesses the importer made):"
        name = display_path(file)
        for doubt in result.doubts:
            yield f"  {name}:{doubt.line}: {doubt.message}" if doubt.line else f"  {name}: {doubt.message}"
    if dry_run:
        yield "Nothing was written (--dry-run)."


__all__ = [
    "Doubt", "Entry", "ImportResult", "ImportedMeeting", "Notes", "Planned", "Task", "Turn", "decode", "escape",
    "import_notes", "meeting_text", "parse_notes", "plan_import", "printable_text", "read_notes", "report",
    "write_plan",
]
