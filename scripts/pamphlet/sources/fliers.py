"""Fliers and handouts: one Markdown file each in `fliers/`.

Front matter: `title`; `layout` (`flier`: half-letter, front and back, the default; `handout`:
one letter page); `qr` (where the printed code leads: `meetings`, `booklet`, `feedback`, `home`,
or a full https:// address of a stable page); `meetings` (ids from data/meetings.yml to print on
the last side; `all` for every open meeting). A flier's sides are separated by a line holding
only `---side---`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pamphlet.errors import Collector, SourceError
from pamphlet.sources import schema as s
from pamphlet.sources.files import read_markdown
from pamphlet.sources.inventory import privacy, symlink_problem

SIDE_BREAK = "---side---"
LAYOUTS = {"flier": ("half-letter", 2), "handout": ("letter", 1)}  # paper, number of sides
QR_TARGETS = {"meetings": "meetings/index.md", "booklet": "booklet/index.md", "feedback": "feedback/index.md",
              "home": "index.md"}


def _qr(value: object) -> str:
    if isinstance(value, str) and (value in QR_TARGETS or value.startswith("https://")):
        return value
    raise ValueError(f"Expected one of: {sorted(QR_TARGETS)} or an https:// address of a stable page "
                     f"but received: {value!r}")


FLIER_SCHEMA: dict[str, s.Option] = {
    "title": s.Str(required=True),
    "layout": s.Choice(sorted(LAYOUTS), default="flier"),
    "qr": s.Custom(_qr),
    "meetings": s.Custom(lambda v: v if v == "all" else s.ListOf(s.Str()).validate(v)),
    "draft": s.Option(help="true: left out of the public edition (checked by `sources.inventory.privacy`)"),
}


@dataclass(frozen=True)
class Side:
    markdown: str
    line: int  # the file line where this side starts


@dataclass(frozen=True)
class Flier:
    path: Path
    name: str  # file name without .md: the download's name
    title: str
    layout: str
    qr: str | None
    qr_line: int
    meetings: tuple[tuple[str, int], ...] | str  # (meeting id, line) pairs, or "all"
    sides: tuple[Side, ...]
    public: bool = True

    @property
    def paper(self) -> str:
        return LAYOUTS[self.layout][0]

    def side_name(self, index: int) -> str:
        if self.layout == "handout":
            return "page"
        return ("front", "back")[index] if index < 2 else f"side {index + 1}"


def load_flier(path: Path) -> Flier:
    source = read_markdown(path)
    errors = Collector()
    found = privacy(source.meta, errors)
    errors.raise_if_any()
    values = s.validate(source.meta, FLIER_SCHEMA, what="the flier's front matter")
    sides, start, lines = [], 0, source.body.split("\n")
    for index, line in enumerate(lines + [SIDE_BREAK]):
        if line.strip() == SIDE_BREAK:
            sides.append(Side("\n".join(lines[start:index]), source.body_line + start))
            start = index + 1
    wanted = LAYOUTS[values["layout"]][1]
    if len(sides) != wanted:
        raise SourceError(f"a {values['layout']} has {wanted} side(s) separated by a `{SIDE_BREAK}` line, "
                          f"this one has {len(sides)}", path, sides[min(len(sides), wanted) - 1].line)
    meetings = values["meetings"] or ()
    if meetings != "all":
        meetings = tuple((m, source.meta.line("meetings", i)) for i, m in enumerate(meetings))
    return Flier(path, path.stem, values["title"], values["layout"], values["qr"], source.meta.line("qr"),
                 meetings, tuple(sides), found.public)


def load_fliers(folder: Path, schedule, errors: Collector, *, check_meetings: bool = True,
                public_only: bool = True, allowed: list[Path] | None = None) -> list[Flier]:
    """Every flier in `folder`, checked against the schedule (a meeting that does not exist).

    `check_meetings` is false when the schedule itself failed to load: its errors say enough.
    With `public_only`, drafts are left out. `allowed`: the folders a symlinked flier may lead into.
    """
    fliers = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        problem = symlink_problem(path, allowed or [folder])
        if problem:
            errors.add(SourceError(problem, path))
            continue
        flier = errors.collect(load_flier, path)
        if flier is None or (public_only and not flier.public):
            continue
        if flier.meetings != "all" and check_meetings:
            for meeting_id, line in flier.meetings:
                if schedule is None or schedule.meeting(meeting_id) is None:
                    known = [m.id for m in schedule.meetings] if schedule else []
                    errors.add(SourceError(f"no meeting `{meeting_id}` in data/meetings.yml; known: {known}",
                                           path, line))
        fliers.append(flier)
    return fliers
