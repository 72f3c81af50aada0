"""`pamphlet new meeting`: the next meeting's notes file, from the schedule and the last notes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pamphlet.content import MEETINGS_DIR, SCHEDULE
from pamphlet.errors import SourceError, display_path
from pamphlet.notes import load_meetings, new_meeting_text
from pamphlet.project import Project
from pamphlet.schedule import load_schedule
from pamphlet.sources.files import confined


def new_meeting(root: Path | str = ".", *, closed: bool = False, today: dt.date | None = None) -> str:
    """Write docs/meetings/<date>.md for the next meeting; never overwrites a file."""
    with confined(Path(root)):
        project = Project.load(root)
        folder = project.docs_dir / MEETINGS_DIR
        log = load_meetings(folder)  # every meeting, closed ones too: rotation counts them all
        schedule = load_schedule(project.root / SCHEDULE) if (project.root / SCHEDULE).is_file() else None
    name, text = new_meeting_text(log, schedule, today or dt.date.today(), kind="closed" if closed else None)
    target = folder / name
    if target.exists():
        raise SourceError("already exists; edit it, or remove it first", target)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return display_path(target)
