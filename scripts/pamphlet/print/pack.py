"""The print-shop pack: what a copy shop needs beyond the fliers themselves.

For every half-letter flier: `<flier>-quarter.pdf` (four handbills on a letter page, with cut
marks) and `<flier>-poster.pdf` (tabloid, then letter); for every flier and booklet chapter marked
`zine: true`: `<name>-zine.pdf` (a mini-zine from one letter sheet); with `print: {grayscale:
true}` in the manifest, `<file>-grayscale.pdf` for every print file. The names, papers and
instructions are planned in `pamphlet.downloads`; this module makes exactly those files.
"""

from __future__ import annotations

from pathlib import Path

from pamphlet.content import Content, Page
from pamphlet.downloads import plan
from pamphlet.print.fliers import build_poster, build_quarter
from pamphlet.print.grayscale import to_grayscale
from pamphlet.print.zine import build_zine, chapter_zine, flier_zine
from pamphlet.printing import zine_chapters
from pamphlet.sources.fliers import Flier


def build_pack(content: Content, downloads: Path) -> dict[str, int]:
    """Write every file of the pack into `downloads`; file name -> page count."""
    made: dict[str, int] = {}
    for flier in content.fliers:
        made.update(flier_pack(content, flier, downloads))
    for page in zine_chapters(content):
        made.update(chapter_pack(content, page, downloads))
    return made


def flier_pack(content: Content, flier: Flier, downloads: Path) -> dict[str, int]:
    """A flier's files of the pack: its handbills and poster (not for a handout), its mini-zine."""
    made: dict[str, int] = {}
    if not flier.is_handout:
        made[f"{flier.name}-quarter.pdf"] = build_quarter(content, flier, downloads / f"{flier.name}-quarter.pdf")
        made[f"{flier.name}-poster.pdf"] = build_poster(content, flier, downloads / f"{flier.name}-poster.pdf")
    if flier.zine:
        zine = downloads / f"{flier.name}-zine.pdf"
        made[zine.name] = build_zine(content, flier_zine(content, flier), zine)
    return made


def chapter_pack(content: Content, page: Page, downloads: Path) -> dict[str, int]:
    """A chapter's file of the pack: its mini-zine, if the chapter is marked `zine: true`."""
    if page not in zine_chapters(content):
        return {}
    name = f"{page.chapter.slug}-zine.pdf"
    return {name: build_zine(content, chapter_zine(content, page), downloads / name)}


def grayscale_copies(content: Content, downloads: Path) -> dict[str, int]:
    """The planned grayscale copies of the files already in `downloads` (made last)."""
    return {d.file: to_grayscale(downloads / d.gray_of, downloads / d.file) for d in plan(content) if d.gray_of}


__all__ = ["build_pack", "chapter_pack", "flier_pack", "grayscale_copies"]
