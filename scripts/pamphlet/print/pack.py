"""The print-shop pack: what a copy shop needs beyond the fliers themselves.

For every half-letter flier: `<flier>-quarter.pdf` (four handbills on a letter page, with cut
marks) and `<flier>-poster.pdf` (tabloid, then letter); for every flier and booklet chapter marked
`zine: true`: `<name>-zine.pdf` (a mini-zine from one letter sheet); with `print: {grayscale:
true}` in the manifest, `<file>-grayscale.pdf` for every print file. The names, papers and
instructions are planned in `pamphlet.downloads`; this module makes exactly those files.
"""

from __future__ import annotations

from pathlib import Path

from pamphlet.content import Content
from pamphlet.downloads import plan
from pamphlet.print.fliers import build_poster, build_quarter
from pamphlet.print.grayscale import to_grayscale
from pamphlet.print.zine import build_zine, chapter_zine, flier_zine
from pamphlet.printing import zine_chapters


def build_pack(content: Content, downloads: Path) -> dict[str, int]:
    """Write every file of the pack into `downloads`; file name -> page count."""
    made: dict[str, int] = {}
    for flier in content.fliers:
        if not flier.is_handout:
            made[f"{flier.name}-quarter.pdf"] = build_quarter(content, flier, downloads / f"{flier.name}-quarter.pdf")
            made[f"{flier.name}-poster.pdf"] = build_poster(content, flier, downloads / f"{flier.name}-poster.pdf")
        if flier.zine:
            made[f"{flier.name}-zine.pdf"] = build_zine(content, flier_zine(content, flier),
                                                        downloads / f"{flier.name}-zine.pdf")
    for page in zine_chapters(content):
        name = f"{page.chapter.slug}-zine.pdf"
        made[name] = build_zine(content, chapter_zine(content, page), downloads / name)
    return made


def grayscale_copies(content: Content, downloads: Path) -> dict[str, int]:
    """The planned grayscale copies of the files already in `downloads` (made last)."""
    return {d.file: to_grayscale(downloads / d.gray_of, downloads / d.file) for d in plan(content) if d.gray_of}


__all__ = ["build_pack", "grayscale_copies"]
