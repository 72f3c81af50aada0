"""`pamphlet import-notes`: plain-text meeting notes into meeting files, losing nothing.

The inputs are texts written for these tests, in the style of notes typed during a meeting
(tests/fixtures/import_notes/*.txt), each with what the importer must read in it (the .yml next
to it). Nothing here reads the repository's own docs/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pamphlet.errors import SourceError, SourceErrors
from pamphlet.notes.meetings import load_meeting

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
