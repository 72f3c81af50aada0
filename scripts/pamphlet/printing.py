"""What print needs from the sources beyond their text, checked when the model is loaded.

- pictures: a flier's photo (`image:`) and the booklet's cover picture (`cover_image:`) must be
  images in `docs/` that can be read; each is an error at the line that names it;
- black and white: copy shops print in black and white more often than not. A picture whose grays
  are all alike once it is converted to grayscale (as Pillow converts it: ITU-R 601 luma), or an
  accent colour that turns into a pale gray on white paper, prints as mud: a warning (through
  `content.reporter`), since the file still prints;
- the meetings of the booklet's back cover (`meetings:` in the manifest) must be in data/meetings.yml;
- `zine: true` in a chapter's front matter asks for that chapter as a mini-zine.

The print stage (`pamphlet.print`) reads the results: `meetings_for_back`, `zine_chapters`.
"""

from __future__ import annotations

import posixpath
from io import BytesIO
from pathlib import Path
from typing import Iterable

from pamphlet.content import Content, Page
from pamphlet.errors import SourceError, SourceWarning
from pamphlet.sources.files import read_bytes

# A picture prints as mud when the middle 90% of its pixels span fewer gray levels than this (of 256).
MUD_SPREAD = 64
# A colour printed on white paper needs at least this contrast ratio (WCAG's, for large text) in gray.
MIN_CONTRAST = 3.0
RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def gray_level(colour: str) -> int:
    """The gray (0 black to 255 white) a `#rrggbb` colour becomes, as Pillow converts it (mode "L")."""
    from PIL import Image

    return Image.new("RGB", (1, 1), colour).convert("L").getpixel((0, 0))


def contrast_ratio(level_a: int, level_b: int) -> float:
    """WCAG's contrast ratio between two grays (0-255): 1 (none) to 21 (black on white)."""

    def luminance(level: int) -> float:
        c = level / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    high, low = sorted((luminance(level_a), luminance(level_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def colour_problem(colour: str) -> str | None:
    """Why `colour`, printed on white paper in black and white, would be hard to read, or None."""
    level = gray_level(colour)
    ratio = contrast_ratio(level, 255)
    if ratio < MIN_CONTRAST:
        return (f"the colour {colour} prints as a pale gray ({round(100 - level / 2.55)}% black) in black and "
                f"white: its contrast with the paper is {ratio:.1f}:1, under {MIN_CONTRAST:g}:1; choose a darker "
                "colour")
    return None


def gray_spread(data: bytes) -> int:
    """How many gray levels the middle 90% of a picture's pixels span, once converted to grayscale."""
    from PIL import Image

    with Image.open(BytesIO(data)) as image:
        image.load()
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            background = Image.new("RGBA", image.size, "white")  # transparent parts print as paper
            background.alpha_composite(image.convert("RGBA"))
            image = background
        histogram = image.convert("L").histogram()
    total = sum(histogram)
    low_count, high_count = total * 0.05, total * 0.95
    low = high = None
    running = 0
    for level, count in enumerate(histogram):
        running += count
        if low is None and running > low_count:
            low = level
        if high is None and running >= high_count:
            high = level
    return (high or 0) - (low or 0)


def picture_problems(path: Path) -> tuple[str | None, str | None]:
    """(why the picture cannot be printed, why it prints as mud in black and white); each None if fine."""
    if path.suffix.lower() == ".svg":
        return None, None  # drawn, not photographed: its colours are the author's to check
    if path.suffix.lower() not in RASTER:
        return f"{path.name} is not an image pamphlet can print (use PNG, JPEG, GIF, WebP or SVG)", None
    from PIL import UnidentifiedImageError

    try:
        spread = gray_spread(read_bytes(path))
    except SourceError as exc:
        return exc.message, None
    except UnidentifiedImageError:
        return f"{path.name} is not an image pamphlet can read; export it again", None
    except (OSError, SyntaxError, ValueError) as exc:
        return f"{path.name} is damaged ({' '.join(str(exc).split()) or type(exc).__name__}); export it again", None
    if spread < MUD_SPREAD:
        return None, (f"{path.name} prints as mud in black and white: once in grayscale, most of it spans only "
                      f"{spread} gray levels (of 256); choose a picture with more contrast between light and dark")
    return None, None


def picture_file(content: Content, uri: str) -> Path | None:
    """The file of a picture named as a path in docs/ (`images/march.jpg`), if the site has it."""
    return content.static.get(posixpath.normpath(uri))


def meetings_for_back(content: Content) -> list:
    """The meetings the booklet's back cover lists: the manifest's `meetings:`, or every open one."""
    if content.schedule is None:
        return []
    chosen = content.manifest.meetings
    if chosen is None:
        return [m for m in content.schedule.meetings if m.kind == "open"]
    found = (content.schedule.meeting(meeting_id) for meeting_id, _ in chosen)
    return [m for m in found if m is not None]


def wants_zine(page: Page) -> bool:
    data = page.source.meta.data if page.source is not None else None
    return isinstance(data, dict) and data.get("zine") is True


def zine_chapters(content: Content) -> list[Page]:
    """The booklet's chapters marked `zine: true`, in the booklet's order."""
    return [page for page in content.chapters if wants_zine(page)]


def print_problems(content: Content) -> Iterable[SourceError]:
    """Errors in what print needs (see the module docstring); warnings go to `content.reporter`."""
    m = content.manifest
    pictures = [(flier.image, flier.path, flier.image_line) for flier in content.fliers if flier.image]
    if m.cover_image:
        pictures.append((m.cover_image, m.path, m.line("cover_image")))
    for uri, where, line in pictures:
        path = picture_file(content, uri)
        if path is None:
            yield SourceError(f"no picture `{uri}` in docs/ (looked for docs/{posixpath.normpath(uri)})", where, line)
            continue
        broken, mud = picture_problems(path)
        if broken:
            yield SourceError(f"the picture cannot be printed: {broken}", where, line, code="image-broken")
        elif mud:
            content.reporter.warn(SourceWarning(mud, where, line, code="grayscale"))
    for flier in content.fliers:
        problem = colour_problem(flier.accent) if flier.accent else None
        if problem:
            content.reporter.warn(SourceWarning(problem, flier.path, flier.accent_line, code="grayscale"))
    if m.meetings is not None:
        for meeting_id, line in m.meetings:
            if content.schedule is None or content.schedule.meeting(meeting_id) is None:
                known = [x.id for x in content.schedule.meetings] if content.schedule else []
                yield SourceError(f"no meeting `{meeting_id}` in data/meetings.yml; known: {known}", m.path, line)
    for page in content.chapters:
        data = page.source.meta.data if page.source is not None else None
        if isinstance(data, dict) and "zine" in data and not isinstance(data["zine"], bool):
            yield page.source.meta.error(f"`zine`: Expected true or false but received: {data['zine']!r}", "zine")


__all__ = ["MIN_CONTRAST", "MUD_SPREAD", "colour_problem", "contrast_ratio", "gray_level", "gray_spread",
           "meetings_for_back", "picture_file", "picture_problems", "print_problems", "wants_zine", "zine_chapters"]
