"""The booklet manifest (`booklet/booklet.yml`): publication metadata and chapter order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from pamphlet.errors import Collector, SourceError
from pamphlet.paper import PAGE_SIZES, PAPERS, length
from pamphlet.sources import schema as s
from pamphlet.sources.files import Yaml, load_yaml
from pamphlet.sources.fliers import image_path

MANIFEST_SCHEMA: dict[str, s.Option] = {
    "title": s.Str(required=True),
    "subtitle": s.Str(),
    "edition": s.Str(required=True, help='e.g. "First edition"'),
    "date": s.Date(required=True),
    "organization": s.Str(required=True),
    "author": s.Str(help="defaults to the organization"),
    "language": s.Str(default="en", pattern=r"[a-z]{2,3}(-[A-Za-z0-9]+)*"),
    "description": s.Str(help="one sentence; the PDF's subject and the site's summary"),
    "license": s.Str(required=True),
    "license_url": s.Url(),
    "source_url": s.Url(help="where the sources live; defaults to repo_url in mkdocs.yml"),
    "paper": s.Choice(PAGE_SIZES, default="half-letter"),
    "download": s.Str(default="booklet.pdf", pattern=r"[a-z0-9][a-z0-9._-]*\.pdf"),
    "crop_marks": s.Bool(default=False, help="crop marks on the imposed booklet, for copy shops that want them"),
    "bleed": s.Custom(length, default=0.0, help="bleed around the imposed booklet's pages (e.g. 0.125in)"),
    "creep": s.Custom(length, default=0.0, help="shift of the innermost pages toward the fold (e.g. 0.3mm)"),
    "chapters": s.ListOf(s.Str(pattern=r"[^/\\]+\.md"), required=True, min_items=1),
    "meetings": s.ListOf(s.Str(), help="ids from data/meetings.yml for the back cover; default: the open meetings"),
    "cover_image": s.Custom(image_path, help="a picture for the front cover, in docs/ (as images/cover.jpg)"),
    "cover_alt": s.Str(help="what the cover picture shows, for readers who cannot see it"),
    "print": s.SubConfig({"grayscale": s.Bool(default=False, help="also a grayscale copy of every print file")},
                         what="the manifest's `print` settings"),
}


@dataclass(frozen=True)
class Chapter:
    number: int
    path: Path  # the Markdown source
    slug: str  # file name without .md: the page URL and the print anchor
    manifest_line: int


@dataclass(frozen=True)
class Manifest:
    path: Path
    title: str
    subtitle: str | None
    edition: str
    date: dt.date
    organization: str
    author: str
    language: str
    description: str | None
    license: str
    license_url: str | None
    source_url: str | None
    paper: str
    download: str
    chapters: tuple[Chapter, ...]
    crop_marks: bool = False
    bleed: float = 0.0  # points
    creep: float = 0.0  # points
    meetings: tuple[tuple[str, int], ...] | None = None  # (id, line) for the back cover; None: the open ones
    cover_image: str | None = None  # a path in docs/
    cover_alt: str | None = None
    grayscale: bool = False  # print: {grayscale: true}
    source: Yaml | None = field(default=None, repr=False, compare=False)  # the lines of its keys

    def line(self, *keys: object) -> int | None:
        return self.source.line(*keys) if self.source is not None else None

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def page_size(self) -> tuple[str, str]:
        return PAPERS[self.paper].css_size


def load_manifest(path: Path) -> Manifest:
    """Load and validate the manifest; every chapter it names must exist, once."""
    source = load_yaml(path)
    values = s.validate(source, MANIFEST_SCHEMA, what="the booklet manifest")
    errors = Collector()
    chapters = []
    seen: dict[str, int] = {}
    for index, name in enumerate(values["chapters"]):
        line = source.line("chapters", index)
        chapter_path = path.parent / name
        if name in seen:
            errors.add(SourceError(f"chapter `{name}` is listed twice (first on line {seen[name]})", path, line))
            continue
        seen[name] = line
        if not chapter_path.is_file():
            errors.add(SourceError(f"chapter `{name}` is listed but {chapter_path.name} does not exist in "
                                   f"{path.parent.name}/", path, line))
            continue
        if name == "index.md":
            errors.add(SourceError("a chapter may not be called index.md (that name is the booklet's "
                                   "overview page)", path, line))
            continue
        chapters.append(Chapter(len(chapters) + 1, chapter_path, name[:-3], line))
    if values["cover_image"] is not None and values["cover_alt"] is None:
        errors.add(source.error("`cover_image` needs `cover_alt:`, a description of the picture for readers who "
                                "cannot see it", "cover_image"))
    errors.raise_if_any()
    return Manifest(
        path=path,
        title=values["title"],
        subtitle=values["subtitle"],
        edition=values["edition"],
        date=values["date"],
        organization=values["organization"],
        author=values["author"] or values["organization"],
        language=values["language"],
        description=values["description"],
        license=values["license"],
        license_url=values["license_url"],
        source_url=values["source_url"],
        meetings=None if values["meetings"] is None else
        tuple((m, source.line("meetings", i)) for i, m in enumerate(values["meetings"])),
        cover_image=values["cover_image"],
        cover_alt=values["cover_alt"],
        grayscale=bool((values["print"] or {}).get("grayscale")),
        paper=values["paper"],
        download=values["download"],
        chapters=tuple(chapters),
        crop_marks=values["crop_marks"],
        bleed=values["bleed"],
        creep=values["creep"],
        source=source,
    )
