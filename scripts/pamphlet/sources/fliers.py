"""Fliers and handouts: one Markdown file each in `fliers/`.

Front matter:

- `title` (required);
- `layout`: how the flier is set. Half-letter, front and back: `flier` (headline and text, the
  default), `photo` (a photo on top of the front; needs `image` and `alt`), `poster` (big type);
  or `handout`: one letter page;
- `call`: where the call to action goes (the meetings in large type and a QR code of at least
  25 mm): `front` or `back`; the default is `back` for `flier`, `front` for `photo` and `poster`
  (a handout has one page: it is there);
- `image` and `alt`: the photo of `layout: photo`, a path in `docs/` (as `images/march.jpg`) and
  its description for readers who cannot see it;
- `accent`: a colour (`#1f4e79`) for headlines and rules; black if absent;
- `qr`: where the printed code leads: `meetings`, `booklet`, `feedback`, `home`, or a full
  https:// address of a stable page;
- `meetings`: ids from data/meetings.yml to print (`all` for every open meeting);
- `zine: true`: also make an 8-page mini-zine of it (`<name>-zine.pdf`).

A flier's sides are separated by a line holding only `---side---`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pamphlet.errors import Collector, SourceError
from pamphlet.sources import schema as s
from pamphlet.sources.files import read_markdown
from pamphlet.sources.inventory import privacy, symlink_problem

SIDE_BREAK = "---side---"
# layout -> (paper, number of sides, where the call to action goes by default)
LAYOUTS = {"flier": ("half-letter", 2, "back"), "photo": ("half-letter", 2, "front"),
           "poster": ("half-letter", 2, "front"), "handout": ("letter", 1, "front")}
CALLS = ("front", "back")
QR_TARGETS = {"meetings": "meetings/index.md", "booklet": "booklet/index.md", "feedback": "feedback/index.md",
              "home": "index.md"}
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _qr(value: object) -> str:
    if isinstance(value, str) and (value in QR_TARGETS or value.startswith("https://")):
        return value
    raise ValueError(f"Expected one of: {sorted(QR_TARGETS)} or an https:// address of a stable page "
                     f"but received: {value!r}")


def image_path(value: object) -> str:
    """A path inside docs/, written as the site writes it (`images/march.jpg`)."""
    text = s.Str().validate(value)
    if text.startswith(("/", "\\")) or "://" in text or ".." in text.replace("\\", "/").split("/"):
        raise ValueError(f"Expected a path inside docs/ such as images/march.jpg but received: {value!r}")
    return text


FLIER_SCHEMA: dict[str, s.Option] = {
    "title": s.Str(required=True),
    "layout": s.Choice(sorted(LAYOUTS), default="flier",
                       help="flier (headline and text), photo (a photo on top), poster (big type): half-letter, "
                            "front and back; handout: one letter page"),
    "call": s.Choice(list(CALLS), help="where the meetings and the QR code go: front or back"),
    "image": s.Custom(image_path, help="the photo of `layout: photo`, in docs/"),
    "alt": s.Str(help="what the photo shows, for readers who cannot see it"),
    "accent": s.Str(pattern=COLOUR.pattern, help="a colour for headlines and rules, as #1f4e79"),
    "qr": s.Custom(_qr),
    "meetings": s.Custom(lambda v: v if v == "all" else s.ListOf(s.Str()).validate(v)),
    "zine": s.Bool(default=False, help="true: also an 8-page mini-zine from one letter sheet"),
    "draft": s.Option(help="true: left out of the public edition (checked by `sources.inventory.privacy`)"),
    "original": s.Str(help="a translation: the version of the original it follows (`pamphlet.translations`)"),
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
    call: str = "back"  # "front" or "back": the side that carries the meetings and the QR code
    image: str | None = None  # a path in docs/ (layout: photo)
    image_line: int | None = None
    alt: str | None = None
    accent: str | None = None  # "#rrggbb"
    accent_line: int | None = None
    zine: bool = False

    @property
    def paper(self) -> str:
        return LAYOUTS[self.layout][0]

    @property
    def is_handout(self) -> bool:
        return self.layout == "handout"

    @property
    def call_side(self) -> int:
        """The index of the side with the call to action (the meetings and the QR code)."""
        return 0 if self.call == "front" else len(self.sides) - 1

    def side_name(self, index: int) -> str:
        if self.is_handout:
            return "page"
        return ("front", "back")[index] if index < 2 else f"side {index + 1}"


def load_flier(path: Path) -> Flier:
    source = read_markdown(path)
    errors = Collector()
    found = privacy(source.meta, errors)
    errors.raise_if_any()
    values = s.validate(source.meta, FLIER_SCHEMA, what="the flier's front matter")
    layout = values["layout"]
    sides, start, lines = [], 0, source.body.split("\n")
    for index, line in enumerate(lines + [SIDE_BREAK]):
        if line.strip() == SIDE_BREAK:
            sides.append(Side("\n".join(lines[start:index]), source.body_line + start))
            start = index + 1
    paper, wanted, call = LAYOUTS[layout]
    if len(sides) != wanted:
        raise SourceError(f"a {layout} has {wanted} side(s) separated by a `{SIDE_BREAK}` line, "
                          f"this one has {len(sides)}", path, sides[min(len(sides), wanted) - 1].line)
    meta = source.meta
    if values["call"] is not None:
        if layout == "handout" and values["call"] == "back":
            errors.add(meta.error("`call`: a handout has one page, which carries the meetings and the code; "
                                  "leave `call` out", "call"))
        call = values["call"]
    if layout == "photo" and values["image"] is None:
        errors.add(meta.error("`layout: photo` needs `image:` (a photo in docs/, as images/march.jpg) and `alt:` "
                              "(what it shows)", "layout"))
    if values["image"] is not None and layout != "photo":
        errors.add(meta.error(f"`image`: only `layout: photo` prints a photo; this flier's layout is {layout}",
                              "image"))
    if values["image"] is not None and values["alt"] is None:
        errors.add(meta.error("`image` needs `alt:`, a description of the photo for readers who cannot see it",
                              "image"))
    errors.raise_if_any()
    meetings = values["meetings"] or ()
    if meetings != "all":
        meetings = tuple((m, meta.line("meetings", i)) for i, m in enumerate(meetings))
    return Flier(path, path.stem, values["title"], layout, values["qr"], meta.line("qr"), meetings, tuple(sides),
                 found.public, call=call, image=values["image"],
                 image_line=meta.line("image") if values["image"] else None, alt=values["alt"],
                 accent=values["accent"].lower() if values["accent"] else None,
                 accent_line=meta.line("accent") if values["accent"] else None, zine=values["zine"])


def load_fliers(folder: Path, schedule, errors: Collector, *, check_meetings: bool = True,
                public_only: bool = True, allowed: list[Path] | None = None,
                skip=lambda path: False) -> list[Flier]:
    """Every flier in `folder`, checked against the schedule (a meeting that does not exist).

    `check_meetings` is false when the schedule itself failed to load: its errors say enough.
    With `public_only`, drafts are left out. `allowed`: the folders a symlinked flier may lead into.
    Its photo and colour are checked with the rest of what print needs (`pamphlet.artwork`).
    """
    fliers = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if skip(path):
            continue  # e.g. a translation: its edition loads it
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
