"""`pamphlet import-notes`: plain-text meeting notes into meeting files, losing nothing.

The inputs are texts written for these tests, in the style of notes typed during a meeting
(tests/fixtures/import_notes/*.txt), each with what the importer must read in it (the .yml next
to it). Nothing here reads the repository's own docs/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamphlet.errors import SourceError, SourceErrors
from pamphlet.notes.importer import (
    ImportedMeeting,
    decode,
    escape,
    parse_notes,
    plan_import,
    printable_text,
    read_notes,
)
from pamphlet.notes.meetings import load_meeting, meeting_files
from pamphlet.sources.analysis import parser

from conftest import TINY, copy_project, errors_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import_notes"
TODAY = dt.date(2026, 6, 1)  # the day the fixtures' expectations are read as of (two-digit years)
TEXTS = sorted(p for p in FIXTURES.iterdir() if p.suffix == ".txt" and p.with_suffix(".yml").is_file())
BAD = yaml.safe_load((FIXTURES / "bad-inputs.yml").read_text(encoding="utf-8"))

# --------------------------------------------------------------------------------------------
# The notes schema: `imported: true` relaxes the role rules, and only them


IMPORTED = """\
---
date: 2012-10-04
kind: open
place: place not recorded
attendees: [Dana, Leon]
imported: true
---
# Old meeting

## Action items
- [ ] **Leon**: book the room (due 2012-10-18)
"""


def _notes(tmp_path: Path, text: str, name: str = "2012-10-04.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _messages(path: Path) -> list[str]:
    with pytest.raises((SourceError, SourceErrors)) as caught:
        load_meeting(path)
    errors = caught.value.errors if isinstance(caught.value, SourceErrors) else [caught.value]
    return [error.message for error in errors]


def test_imported_notes_need_no_roles(tmp_path: Path) -> None:
    meeting = load_meeting(_notes(tmp_path, IMPORTED))
    assert meeting.imported is True
    assert meeting.roles == {}
    assert meeting.attendees == ["Dana", "Leon"]
    assert [(a.owner, a.task) for a in meeting.actions] == [("Leon", "book the room")]


def test_an_imported_role_holder_need_not_be_an_attendee(tmp_path: Path) -> None:
    text = IMPORTED.replace("imported: true", "imported: true\nfacilitator: Ruth\nnote_taker: Dana")
    meeting = load_meeting(_notes(tmp_path, text))
    assert meeting.roles == {"facilitator": "Ruth", "note_taker": "Dana"}


def test_imported_notes_may_name_nobody(tmp_path: Path) -> None:
    text = IMPORTED.replace("[Dana, Leon]", "[]").replace("- [ ] **Leon**: book the room (due 2012-10-18)", "")
    assert load_meeting(_notes(tmp_path, text)).attendees == []


def test_the_other_rules_still_hold_for_imported_notes(tmp_path: Path) -> None:
    text = (IMPORTED.replace("date: 2012-10-04", "date: 2012-10-05").replace("kind: open\n", "")
            .replace("**Leon**", "**Ruth**"))
    messages = _messages(_notes(tmp_path, text))
    assert "missing required key `kind` in front matter" in messages
    assert any("does not match the date in the file name" in m for m in messages)
    assert any(m.startswith("action item owner Ruth is not in `attendees`") for m in messages)


@pytest.mark.parametrize("flag", ["", "imported: false\n"])
def test_without_imported_true_the_roles_are_required(tmp_path: Path, flag: str) -> None:
    text = IMPORTED.replace("imported: true\n", flag)
    messages = _messages(_notes(tmp_path, text))
    for role in ("facilitator", "note_taker", "time_keeper"):
        assert f"missing required key `{role}` in front matter" in messages
    text = IMPORTED.replace("imported: true\n", flag + "facilitator: Ruth\nnote_taker: Dana\ntime_keeper: Leon\n")
    assert _messages(_notes(tmp_path, text)) == ["`facilitator`: Ruth is not in `attendees`; add them there"]
    text = text.replace("[Dana, Leon]", "[]").replace("facilitator: Ruth", "facilitator: Dana")
    assert any("Expected at least 1 item(s)" in m for m in _messages(_notes(tmp_path, text)))


@pytest.mark.parametrize("value", ['"yes"', "1", "True-ish"])
def test_imported_is_true_or_false(tmp_path: Path, value: str) -> None:
    text = IMPORTED.replace("imported: true", f"imported: {value}")
    assert any(m.startswith("`imported`: Expected true or false") for m in _messages(_notes(tmp_path, text)))


# --------------------------------------------------------------------------------------------
# Reading: each text, what it says (input -> expected)


def summary(meeting: ImportedMeeting) -> dict:
    """A meeting as the fixtures' .yml files write it."""
    return {
        "date": meeting.date, "lines": [meeting.line, meeting.last_line], "title": meeting.title,
        "kind": meeting.kind, "attendees": meeting.attendees, "roles": meeting.roles, "place": meeting.place,
        "agenda": [item.text for item in meeting.agenda],
        "turns": [f"{', '.join(turn.speakers)}: {turn.text}" for turn in meeting.turns],
        "decisions": [item.text for item in meeting.decisions],
        "actions": [f"{task.owner}: {task.text}" + (f" (due {task.due.isoformat()})" if task.due else "")
                    for task in meeting.actions],
        "next": None if meeting.next is None else {
            "date": meeting.next.date, "kind": meeting.next.kind, "items": [item.text for item in meeting.next.items]},
    }


def test_every_feature_has_several_texts() -> None:
    assert len(TEXTS) >= 20 and len(BAD) >= 8
    names = {p.stem for p in TEXTS}
    assert {"us-dates", "written-dates", "iso-dates", "two-digit-years", "speakers", "name-variants",
            "agendas", "kinds", "decisions", "actions", "header-notes", "cp1252", "utf16-bom"} <= names


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_each_text_is_read_as_expected(path: Path) -> None:
    expected = yaml.safe_load(path.with_suffix(".yml").read_text(encoding="utf-8"))
    text, doubts = read_notes(path)
    notes = parse_notes(text, today=TODAY, path=path)
    got = [summary(meeting) for meeting in notes.meetings]
    assert [m["date"] for m in got] == [m["date"] for m in expected["meetings"]]
    for meeting, wanted in zip(got, expected["meetings"]):
        assert meeting == wanted, meeting["date"]
    assert sorted({doubt.line or 0 for doubt in doubts + notes.doubts}) == expected["doubts"]


def test_the_sample_style_text_as_the_issue_describes_it() -> None:
    """The parts the issue names, on one text: what a reader would check first."""
    notes = parse_notes(read_notes(FIXTURES / "sample-like.txt")[0], today=TODAY)
    first, second = notes.meetings
    assert (first.date, first.kind, second.date, second.kind) == (dt.date(2023, 4, 6), "open",
                                                                  dt.date(2023, 4, 20), "closed")
    assert [turn.speakers for turn in first.turns][2] == ("Wen", "Ines")
    assert first.next.date == dt.date(2023, 4, 20) and first.next.kind == "closed"
    assert [(t.owner, t.due) for t in first.actions] == [("Tomas", dt.date(2023, 4, 20))]
    assert [line.number for line in notes.header if line.text] == [1, 3]


def test_a_date_line_in_a_list_still_starts_a_meeting() -> None:
    text = "10/04/12 – open\nNext meeting: 10/18, closed\n- budget\n10/18/12\n-Dana – I'll bring snacks\n"
    first, second = parse_notes(text, today=TODAY).meetings
    assert [item.text for item in first.next.items] == ["budget"]
    assert second.date == dt.date(2012, 10, 18) and second.kind == "closed"
    assert [(t.owner, t.text) for t in second.actions] == [("Dana", "bring snacks")]


def test_two_meetings_on_one_day_get_two_files(tmp_path: Path) -> None:
    notes = parse_notes("10/04/12 – morning\n-Ada – hi\n10/04/12 – evening\n-Ben – hi\n", today=TODAY)
    plans, _ = plan_import(notes, tmp_path)
    assert [p.path.name for p in plans] == ["2012-10-04.md", "2012-10-04-2.md"]


def test_unprintable_characters_are_named_and_reported() -> None:
    text, doubts = printable_text("-Dana – see you 😉👍\nשלום from Ruth\n")
    assert text == "-Dana – see you (winking face) (thumbs up sign)\n(hebrew letter shin) (hebrew letter lamed) " \
                   "(hebrew letter vav) (hebrew letter final mem) from Ruth\n"
    assert [d.line for d in doubts] == [1, 1, 2, 2, 2, 2]
    assert "U+1F609 WINKING FACE" in doubts[0].message
    assert printable_text("plain – “quotes” é ½ →")[0] == "plain – “quotes” é ½ →"


@pytest.mark.parametrize(("data", "text", "guessed"), [
    ("10/04/12 – café\r\n".encode("utf-8"), "10/04/12 – café\n", []),
    (b"\xef\xbb\xbf10/04/12\r", "10/04/12\n", []),
    ("10/04/12 – café\n".encode("utf-16"), "10/04/12 – café\n", ["read as UTF-16"]),
    ("10/04/12 – café\n".encode("utf-32"), "10/04/12 – café\n", ["read as UTF-32"]),
    ("10/04/12 – café\n".encode("utf-16-be"), "10/04/12 – café\n", ["read as UTF-16 (no byte order mark"]),
    ("10/04/12 – café\n".encode("cp1252"), "10/04/12 – café\n", ["read it as Windows-1252"]),
])
def test_encodings_that_can_be_told_are_decoded(data: bytes, text: str, guessed: list[str]) -> None:
    decoded, doubts = decode(data, "notes.txt")
    assert decoded == text
    assert len(doubts) == len(guessed) and all(g in d.message for g, d in zip(guessed, doubts))


# --------------------------------------------------------------------------------------------
# Writing: every file is a valid meeting, with what was found in its sections


def words(text: str) -> list[str]:
    """The words of a text, in order: letters and digits (Markdown's escapes and marks are not words)."""
    return re.findall(r"[^\W_]+", text.casefold())


def in_order(needles: list[str], haystack: list[str]) -> bool:
    rest = iter(haystack)
    return all(any(word == other for other in rest) for word in needles)


def written(tmp_path: Path, text: str, today: dt.date = TODAY) -> tuple[list[Path], str]:
    """The meeting files a notes text imports into (an empty) tmp_path/meetings, and their text in order."""
    folder = tmp_path / "meetings"
    folder.mkdir(exist_ok=True)
    plans, _ = plan_import(parse_notes(text, today=today), folder)
    for plan in plans:
        plan.path.write_text(plan.text, encoding="utf-8")
    return [plan.path for plan in plans], "\n".join(plan.text for plan in plans)


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_the_files_are_meetings_with_what_was_found(tmp_path: Path, path: Path) -> None:
    text = read_notes(path)[0]
    notes = parse_notes(text, today=TODAY)
    paths, _ = written(tmp_path, text)
    for meeting, file in zip(notes.meetings, paths):
        loaded = load_meeting(file)
        assert (loaded.date, loaded.kind, loaded.imported, loaded.attendees, loaded.roles) == (
            meeting.date, meeting.kind, True, meeting.attendees, meeting.roles)
        assert [i.text for i in loaded.agenda] == [escape(i.text) for i in meeting.agenda]
        assert [i.text for i in loaded.decisions] == [escape(i.text) for i in meeting.decisions]
        assert [(a.owner, a.due, a.done) for a in loaded.actions] == [(t.owner, t.due, False) for t in meeting.actions]
        assert [words(a.task) for a in loaded.actions] == [words(t.text) for t in meeting.actions]
        planned = meeting.next.items if meeting.next else []
        assert [i.text for i in loaded.next_agenda] == [escape(i.text) for i in planned]
        assert loaded.place == (meeting.place or "place not recorded")
        for turn in meeting.turns:  # each turn stays in the discussion, attributed to its speaker
            assert f"**{escape(turn.written)}**" in loaded.discussion


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_every_word_of_each_text_survives_in_order(tmp_path: Path, path: Path) -> None:
    text = decode(path.read_bytes())[0]  # before emoji are named: they are not words
    _, output = written(tmp_path, read_notes(path)[0])
    assert in_order(words(text), words(output))
    header = [line for line in text.split("\n")[:3] if line.strip()]
    if path.stem == "header-notes":  # the lines before the first meeting are in its file
        assert in_order(words(" ".join(header)), words(output.split("## Discussion")[1]))


_LINE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\n\r"), max_size=40)
_NAMES = st.sampled_from(["Dana", "A.J.", "AJ", "Marcus", "Priya Raman", "Priya", "R. K.", "QR"])
_SAID = st.lists(st.one_of(_LINE, st.sampled_from([
    "I'll", "I can", "will", "gonna", "we agreed:", "decision:", "voted 3-1", "agenda", "next meeting", "open",
    "closed", "members only", "(Dana, Marcus)", "present:", "facilitator:", "by 11/1", "10/18", "?", "😉", "**",
    "#", "<b>", "@key", "[x]", "–", ":", "&amp;", "_x_", "1.", "!!!", "3/4", "`", "\\"])), max_size=6).map(" ".join)
_NOTES_LINE = st.one_of(
    st.tuples(st.dates(dt.date(1990, 1, 1), dt.date(2026, 12, 31)), st.sampled_from(["{d.month}/{d.day}/{y}",
              "{d:%Y-%m-%d}", "{d:%B} {d.day}, {d.year}"]), _SAID).map(
        lambda t: t[1].format(d=t[0], y=f"{t[0].year % 100:02d}") + " – " + t[2]),
    st.tuples(st.sampled_from(["-", "- ", "–    ", "", "* ", "1. "]), _NAMES,
              st.sampled_from([" – ", ": ", " - ", "/Dana – "]), _SAID).map("".join),
    st.tuples(st.sampled_from(["-", "–  ", "", "# ", "> ", "AGENDA 4 NEXT MEETING – ", "informal agenda "]),
              _SAID).map("".join),
    st.just(""), _LINE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(header=st.lists(_LINE, max_size=3), first=st.dates(dt.date(1990, 1, 1), dt.date(2026, 12, 31)),
       lines=st.lists(_NOTES_LINE, max_size=30))
def test_every_input_word_survives_in_order_and_every_file_is_valid(tmp_path_factory, header, first, lines) -> None:
    text = "\n".join([*header, f"{first.isoformat()} – the meeting", *lines])
    text, _ = printable_text(text)
    paths, output = written(tmp_path_factory.mktemp("notes"), text)
    assert in_order(words(text), words(output))
    for path in paths:
        assert load_meeting(path).imported


_MARKDOWN = markdown.Markdown(extensions=[
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "toc", "pymdownx.details",
    "pymdownx.superfences", "pymdownx.tasklist", "pamphlet.markdown.contested"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), st.sampled_from([
    "*", "_", "`", "[", "]", "{", "}", "<", ">", "#", "@", "!", "&", ";", ":", "|", "~", "=", "+", "-", ".", "(", ")",
    "\\", "?", "&amp;", "&#64;", "<!--", "<b>", "[@x]", "@key", "1.", "!!!", "???", "{:", "***", "---", "~~~",
    "```", "[^1]", "*[A]:", "- [ ]", "http://x.org", " ", "    "])), min_size=1, max_size=25).map("".join))
def test_an_escaped_line_reads_as_its_own_text(line: str) -> None:
    """Python-Markdown (the site's extensions) and markdown-it (the checks) both see one paragraph of
    plain text, exactly the line: no heading, list, box, emphasis, link, HTML or citation."""
    if not line.split():
        return
    _MARKDOWN.reset()
    html = _MARKDOWN.convert(escape(line))
    soup = BeautifulSoup(html, "html.parser")
    assert [child.name for child in soup.children if child.name] == ["p"], html
    assert soup.get_text() == " ".join(line.split()), html
    tokens = parser().parse(escape(line))
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert {child.type for child in tokens[1].children} <= {"text", "text_special"}


# --------------------------------------------------------------------------------------------
# The command: files in a project, twice, with --force and --dry-run, and refusals


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", TINY)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_import_writes_one_meeting_per_file_that_check_accepts(cli, tiny: Path) -> None:
    source = FIXTURES / "sample-like.txt"
    ran = cli(tiny, "import-notes", str(source), "--today", "2026-06-01")
    assert ran.returncode == 0, ran.stderr
    meetings = tiny / "docs" / "meetings"
    assert sorted(p.name for p in meeting_files(meetings)) == ["2023-04-06.md", "2023-04-20.md", "2026-02-03.md"]
    assert ran.stdout.splitlines()[:2] == [
        "Wrote docs/meetings/2023-04-06.md: open meeting, April 6, 2023 (lines 5-20)",
        "Wrote docs/meetings/2023-04-20.md: closed meeting, April 20, 2023 (lines 22-27)"]
    report = ran.stdout.splitlines()[3:]  # every doubt, named by the input file and line
    assert len(report) == 8 and all(line.startswith(f"  {source}:") for line in report)
    assert f"  {source}:12: the print fonts cannot show U+1F642 SLIGHTLY SMILING FACE" in ran.stdout
    assert f"  {source}:22: closed: as the meeting before planned it (line 18)" in ran.stdout
    check = cli(tiny, "check")
    assert check.returncode == 0, check.stderr


def test_importing_twice_changes_nothing(cli, tiny: Path) -> None:
    source = str(FIXTURES / "sample-like.txt")
    assert cli(tiny, "import-notes", source).returncode == 0
    before = _snapshot(tiny / "docs")
    again = cli(tiny, "import-notes", source)
    assert again.returncode == 0
    assert again.stdout.count("Unchanged (already imported)") == 2 and "Wrote" not in again.stdout
    assert _snapshot(tiny / "docs") == before


def test_a_meeting_already_in_a_subfolder_is_not_written_twice(cli, tiny: Path) -> None:
    source = str(FIXTURES / "sample-like.txt")
    assert cli(tiny, "import-notes", source).returncode == 0
    meetings = tiny / "docs" / "meetings"
    (meetings / "2023").mkdir()
    (meetings / "2023-04-06.md").rename(meetings / "2023" / "2023-04-06.md")
    again = cli(tiny, "import-notes", source)
    assert "Unchanged (already imported) docs/meetings/2023/2023-04-06.md" in again.stdout
    assert not (meetings / "2023-04-06.md").exists()


def test_a_different_file_is_never_overwritten_without_force(cli, tiny: Path) -> None:
    source = str(FIXTURES / "sample-like.txt")
    assert cli(tiny, "import-notes", source).returncode == 0
    meetings = tiny / "docs" / "meetings"
    edited = meetings / "2023-04-06.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("place not recorded", "Millbrook Library"),
                      encoding="utf-8")
    (meetings / "2023-04-20.md").unlink()
    before = _snapshot(tiny / "docs")
    refused = cli(tiny, "import-notes", source)
    assert errors_of(refused) == ["error: docs/meetings/2023-04-06.md: already exists and differs from the "
                                  "imported meeting; compare them, then import again with --force to overwrite it"]
    assert _snapshot(tiny / "docs") == before  # nothing written: not even the missing meeting
    forced = cli(tiny, "import-notes", source, "--force")
    assert forced.returncode == 0
    assert "Overwrote docs/meetings/2023-04-06.md" in forced.stdout
    assert "Wrote docs/meetings/2023-04-20.md" in forced.stdout
    assert "Millbrook Library" not in edited.read_text(encoding="utf-8")


def test_dry_run_prints_the_files_and_writes_nothing(cli, tiny: Path) -> None:
    before = _snapshot(tiny)
    ran = cli(tiny, "import-notes", str(FIXTURES / "sample-like.txt"), "--dry-run", "--today", "2026-06-01")
    assert ran.returncode == 0
    assert _snapshot(tiny) == before
    plan = parse_notes(read_notes(FIXTURES / "sample-like.txt")[0], today=TODAY)
    texts, _ = plan_import(plan, tiny / "docs" / "meetings")
    assert "==> Would write docs/meetings/2023-04-06.md: open meeting, April 6, 2023 (lines 5-20)" in ran.stdout
    assert texts[0].text in ran.stdout and texts[1].text in ran.stdout
    assert ran.stdout.rstrip().endswith("Nothing was written (--dry-run).")


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_clear_error_and_nothing_is_written(cli, tiny: Path, name: str) -> None:
    before = _snapshot(tiny)
    path = FIXTURES / name
    ran = cli(tiny, "import-notes", str(path))
    where = f"{path}:{BAD[name]['line']}" if BAD[name]["line"] else str(path)
    errors = errors_of(ran)
    assert len(errors) == 1 and ran.stderr.strip() == errors[0]
    assert errors[0].startswith(f"error: {where}: {BAD[name]['message']}")
    assert ran.stdout == ""
    assert _snapshot(tiny) == before


@pytest.mark.parametrize("target", ["missing.txt", "."])
def test_a_missing_file_or_a_folder_is_refused(cli, tiny: Path, tmp_path: Path, target: str) -> None:
    ran = cli(tiny, "import-notes", str(tmp_path / target))
    assert errors_of(ran)[0].startswith(f"error: {tmp_path / target}:")


def test_meetings_are_written_only_inside_the_project(cli, tiny: Path, tmp_path: Path) -> None:
    source = str(FIXTURES / "sample-like.txt")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (tiny / "docs" / "linked").symlink_to(outside)
    for into in ("../elsewhere", str(outside), "docs/linked"):
        ran = cli(tiny, "import-notes", source, "--into", into)
        assert "is outside the project; import-notes writes only into the project's own folders" in errors_of(ran)[0]
    assert list(outside.iterdir()) == []
    ran = cli(tiny, "import-notes", source, "--into", "imports/2023")  # inside: fine, even outside docs/
    assert ran.returncode == 0 and sorted(p.name for p in (tiny / "imports" / "2023").iterdir()) == [
        "2023-04-06.md", "2023-04-20.md"]
    assert "not as meeting notes" not in ran.stdout
    ran = cli(tiny, "import-notes", source, "--into", "docs/old")  # published, but not as meetings: said
    assert ran.returncode == 0
    assert f"  {source}: docs/old is in docs/ but not in docs/meetings/: the site shows these files as " \
           "pages, not as meeting notes" in ran.stdout


def test_a_meeting_file_that_is_a_link_is_not_written_through(cli, tiny: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.md"
    victim.write_text("keep me", encoding="utf-8")
    (tiny / "docs" / "meetings" / "2023-04-06.md").symlink_to(victim)
    ran = cli(tiny, "import-notes", str(FIXTURES / "sample-like.txt"), "--force")
    assert errors_of(ran)
    assert victim.read_text(encoding="utf-8") == "keep me"


# --------------------------------------------------------------------------------------------
# End to end: imported, checked, built; the closed meeting is nowhere in the public site


def _public_texts(site: Path) -> dict[str, str]:
    """Every public output as text: each HTML page (as a reader sees it), the search index, the sitemap, feeds."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            found[path.relative_to(site).as_posix()] = BeautifulSoup(path.read_text(encoding="utf-8"),
                                                                     "html.parser").get_text(" ")
        elif path.name in ("search_index.json", "sitemap.xml", "feed.xml") or path.suffix == ".xml":
            found[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8")
    return found


def test_imported_notes_build_and_the_closed_meeting_stays_private(cli, tiny: Path) -> None:
    for name in ("sample-like.txt", "markdown-chars.txt"):
        assert cli(tiny, "import-notes", str(FIXTURES / name)).returncode == 0
    check = cli(tiny, "check")
    assert check.returncode == 0, check.stderr
    ran = cli(tiny, "build", "--quiet")
    assert ran.returncode == 0, ran.stderr
    site = tiny / "site"

    page = site / "meetings" / "2023-04-06" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    assert article.find("h1").get_text(strip=True).startswith("First open meeting")
    text = article.get_text(" ")
    assert "I'll ask the print shop about staples (slightly smiling face)" in " ".join(text.replace("’", "'").split())
    assert "Tomas" in [b.get_text() for b in article.find_all("strong")]
    assert "**the booklet" in text  # the stray asterisks are kept as text

    odd = BeautifulSoup((site / "meetings" / "2024-02-02" / "index.html").read_text(encoding="utf-8"),
                        "html.parser").find("article")
    assert odd.find("script") is None and odd.find("b") is None and odd.find("img") is None
    assert "<script>alert(1)</script>" in odd.get_text() and "[@key, p. 3]" in odd.get_text()

    assert not (site / "meetings" / "2023-04-20").exists()
    public = _public_texts(site)
    assert "search/search_index.json" in public and "sitemap.xml" in public
    assert any("2023-04-06" in text for text in public.values())
    for name, text in public.items():
        assert "PINEAPPLE" not in text and "landlord" not in text, name
        assert "2023-04-20/" not in text, name  # no link to the closed meeting's page
    index = json.loads(public["search/search_index.json"])
    assert not [doc["location"] for doc in index["docs"] if "2023-04-20" in doc["location"]]
