"""The content model: every page of the site and chapter of the booklet, loaded and checked.

Loading reads and validates every source (collecting all errors, each with file and line);
`check` then verifies what crosses files: links, anchors and images.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pamphlet.bibliography import (
    Bibliography,
    FoundCitation,
    check_citations,
    find_citations,
    load_bibliography,
    strict_for_paths,
)
from pamphlet.errors import Collector, Reporter, SourceError, SourceWarning
from pamphlet.feedback import FeedbackConfig, load_feedback_config
from pamphlet.markdown.context import PageContext
from pamphlet.notes import Ally, Faq, MeetingLog, load_allies, load_faq, scan_meetings
from pamphlet.project import Project
from pamphlet.schedule import Schedule, load_schedule
from pamphlet.sources.analysis import Analysis, analyse
from pamphlet.sources.contested import ContestedMarker, block_markers, page_marker
from pamphlet.sources.files import MarkdownSource, read_markdown
from pamphlet.sources.fliers import Flier, load_fliers
from pamphlet.sources.inventory import read_page, scan_folder, symlink_problem
from pamphlet.sources.manifest import Chapter, Manifest
from pamphlet.translations import Translation, is_translation

BOOKLET_DIR = "booklet"  # where the chapters live on the site
SCHEDULE = Path("data") / "meetings.yml"  # the meeting schedule: the one place for meeting times
ALLIES = Path("data") / "allies.yml"
MEETINGS_DIR = "meetings"  # meeting notes, in docs/
FAQ = "faq.md"  # in docs/
FLIERS_DIR = "fliers"
FEEDBACK_DIR = "feedback"  # the feedback pages


@dataclass
class Page:
    uri: str  # path in the site's docs tree, e.g. "booklet/economy.md"
    source: MarkdownSource | None  # for a generated page: the file it is generated from, if any
    analysis: Analysis | None = None
    generated_text: str | None = None
    chapter: Chapter | None = None
    citations: list[FoundCitation] = field(default_factory=list)
    contested: ContestedMarker | None = None  # the whole page is contested (front matter)
    markers: list[ContestedMarker] = field(default_factory=list)  # contested blocks, in order
    translation: Translation | None = None  # a translated edition's page, read from its translation
    fallback: bool = False  # a translated edition's page not translated yet: the original's text

    @property
    def title(self) -> str | None:
        return self.analysis.title if self.analysis else None

    @property
    def path(self) -> Path | None:
        return self.source.path if self.source else None


@dataclass
class Content:
    project: Project
    manifest: Manifest
    pages: dict[str, Page]
    static: dict[str, Path]  # non-Markdown files of docs/, by site path
    bibliography: Bibliography | None = None
    feedback: FeedbackConfig | None = None
    schedule: Schedule | None = None
    fliers: list[Flier] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)  # for "next meetings" on the site only
    reporter: Reporter = field(default_factory=Reporter)  # warnings: reported, but the build goes on
    members: bool = False  # the members' edition: closed meeting notes and drafts included
    meetings: MeetingLog | None = None  # every valid meeting's notes (filter with `public_only`)
    faq: Faq | None = None
    allies: list[Ally] = field(default_factory=list)
    private: dict[str, str] = field(default_factory=dict)  # site path -> why it is private (closed, draft...)
    editions: dict[str, "Content"] = field(default_factory=dict)  # the translated editions, by language
    source: "Content | None" = field(default=None, repr=False)  # a translated edition's source-language model
    # what later stages derive from this model once and share (the booklet's rendered chapters, read by
    # the booklet, the large print and the e-book: rendered before the print workers fork)
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def language(self) -> str:
        return self.manifest.language

    @property
    def translated(self) -> bool:
        """A translated edition (its site under /<language>/)."""
        return self.source is not None

    @property
    def public_only(self) -> bool:
        return not self.members

    @property
    def warnings(self) -> list[SourceWarning]:
        return self.reporter.warnings

    def warn(self, message: str) -> None:
        """A missing feedback setting (the feedback links' `warn`): a warning about mkdocs.yml."""
        self.reporter.warn(SourceWarning(message, self.project.config_path, code="feedback-setting"))

    @property
    def chapters(self) -> list[Page]:
        return [p for p in self.pages.values() if p.chapter is not None]


    @property
    def sections(self) -> list["ContestedSection"]:
        """Every contested section, in reading order: booklet chapters, then the other pages."""
        pages = list(self.chapters) + [p for uri, p in sorted(self.pages.items()) if p.chapter is None]
        found = []
        for page in pages:
            if page.contested:
                found.append(ContestedSection(page, page.contested))
            found += [ContestedSection(page, marker) for marker in page.markers]
        return found


@dataclass(frozen=True)
class ContestedSection:
    page: Page
    marker: ContestedMarker

    @property
    def fragment(self) -> str | None:
        """The anchor of the passage on its page (None: the whole page is contested)."""
        return None if self.marker.kind == "page" else self.marker.anchor

    @property
    def slug(self) -> str:
        page = self.page.chapter.slug if self.page.chapter else self.page.uri[:-3].replace("/", "-")
        return page if self.marker.kind == "page" else f"{page}-{self.marker.id}"

    @property
    def feedback_uri(self) -> str:
        """The section's own feedback page, a stable address for printed QR codes."""
        return f"{FEEDBACK_DIR}/{self.slug}.md"


def page_path(uri: str) -> str:
    """The URL path of a page, relative to the site root (MkDocs' directory URLs):
    booklet/economy.md -> booklet/economy/, index.md -> "" (the home page)."""
    path = uri[:-3]
    if path == "index":
        return ""
    if path.endswith("/index"):
        return path[: -len("index")]
    return path + "/"


def page_url(project: Project, uri: str, fragment: str | None = None) -> str | None:
    """The public URL of a page (None when mkdocs.yml has no site_url)."""
    if not project.site_url:
        return None
    return project.site_url + page_path(uri) + (f"#{fragment}" if fragment else "")


def relative_href(from_uri: str, to_uri: str, fragment: str | None = None) -> str:
    """A link from one page to another as the browser needs it, for generated raw HTML."""
    start = page_path(from_uri) or "."
    href = posixpath.relpath(page_path(to_uri) or ".", start)
    href = "" if href == "." else href + "/"
    href = href or "./"
    return href + (f"#{fragment}" if fragment else "")


def _load_page(uri: str, path: Path, errors: Collector, chapter: Chapter | None = None,
               source: MarkdownSource | None = None) -> Page | None:
    if source is None:
        try:
            source = read_markdown(path)
        except SourceError as exc:
            errors.add(exc)
            return None
    analysis = analyse(source)
    page = Page(uri, source, analysis, chapter=chapter, citations=find_citations(source))
    page.contested = page_marker(source.meta, path, errors)
    page.markers = block_markers(analysis.tokens, path, source.body_line, errors)
    return page


def source_folders(project: Project) -> list[Path]:
    """The folders (and files) a source may be read from, and a symlink may lead into."""
    folders = [project.docs_dir, project.manifest_path.parent, project.root / FLIERS_DIR,
               project.root / SCHEDULE.parent]
    citations = project.citation_settings()
    return folders + (list(citations.bibliography) if citations else [])


def load_content(project: Project, today: dt.date | None = None, *, members: bool = False) -> Content:
    """Read and validate every source.

    Privacy: the public edition (`members=False`) leaves out, entirely, every page that
    `sources.inventory` finds private (`kind: closed` or `draft: true`, in any folder), and the
    meeting notes whose front matter cannot be validated. Left-out pages never enter the content,
    so nothing later (site, search, sitemap, feeds, PDFs, generated pages) can show them; a link
    to one is a broken link.
    """
    errors = Collector()
    reporter = Reporter()
    manifest = project.manifest
    pages: dict[str, Page] = {}
    static: dict[str, Path] = {}
    docs = project.docs_dir
    inventory = scan_folder(docs, errors, allowed=source_folders(project))
    note_files = [f for f in inventory.files if f.is_markdown and _is_note(f.uri)]
    notes = scan_meetings(docs / MEETINGS_DIR, [f.path for f in note_files if f.markdown is not None])
    for error in notes.errors:
        errors.add(error)  # broken notes stop the build, and are never published meanwhile
    valid_notes = {m.path for m in notes.meetings}
    languages = project.settings.languages
    for file in inventory.select(public_only=not members):
        if is_translation(file.uri, languages):
            continue  # a translated edition's source (`pamphlet.editions`)
        if file.uri.split("/")[0] == BOOKLET_DIR:
            errors.add(SourceError(f"docs/{BOOKLET_DIR}/ is reserved for the booklet; put chapters in "
                                   f"{BOOKLET_DIR}/ at the top of the repository", file.path))
            continue
        if not file.is_markdown:
            static[file.uri] = file.path
            continue
        if file.markdown is None or (_is_note(file.uri) and file.path not in valid_notes):
            continue  # unreadable, or broken notes: reported, and never published
        page = _load_page(file.uri, file.path, errors, source=file.markdown)
        if page:
            pages[file.uri] = page
    private = inventory.private_uris()
    for chapter in manifest.chapters:
        problem = symlink_problem(chapter.path, source_folders(project))
        if problem:
            errors.add(SourceError(problem, chapter.path))
            continue
        source, found = read_page(chapter.path, errors)
        uri = f"{BOOKLET_DIR}/{chapter.path.name}"
        if source is None:
            continue
        if not found.public:
            private[uri] = found.reason or ""
            if not members:
                reporter.warn(SourceWarning(f"a {found.reason} chapter: left out of the public booklet and site",
                                            chapter.path, code="private-chapter"))
                continue
        number = len([p for p in pages.values() if p.chapter is not None]) + 1
        page = _load_page(uri, chapter.path, errors, dataclasses.replace(chapter, number=number), source)
        if page:
            pages[page.uri] = page
    bibliography = None
    settings = project.citation_settings()
    if settings is not None:
        bibliography = errors.collect(load_bibliography, list(settings.bibliography))
    feedback = errors.collect(lambda: load_feedback_config(project, edition=manifest.edition))
    schedule = None
    has_schedule = (project.root / SCHEDULE).is_file()
    if has_schedule:
        schedule = errors.collect(load_schedule, project.root / SCHEDULE)
    fliers = load_fliers(project.root / FLIERS_DIR, schedule, errors,
                         check_meetings=schedule is not None or not has_schedule, public_only=not members,
                         allowed=source_folders(project), skip=lambda p: is_translation(p.name, languages))
    faq = errors.collect(load_faq, docs / FAQ) if FAQ in pages else None
    allies = errors.collect(load_allies, project.root / ALLIES) if (project.root / ALLIES).is_file() else None
    errors.raise_if_any()
    return Content(project, manifest, pages, static, bibliography, feedback, schedule, fliers,
                   today or dt.date.today(), reporter=reporter, members=members, meetings=notes.meetings, faq=faq,
                   allies=allies or [], private=private)


def _is_note(uri: str) -> bool:
    """A meeting's notes: any Markdown file under docs/meetings/ (its index is generated)."""
    return uri.startswith(MEETINGS_DIR + "/") and uri != f"{MEETINGS_DIR}/index.md"


def check(content: Content) -> None:
    """Cross-file checks with file:line:column: headings, links, anchors, images."""
    errors = Collector()
    for page in content.pages.values():
        if page.analysis is None or page.source is None or page.generated_text is not None:
            continue  # generated pages are right by construction
        path = page.source.path
        h1s = [h for h in page.analysis.headings if h.level == 1]
        if page.chapter is not None:
            if not h1s:
                errors.add(SourceError("a chapter must start with a `# Title` heading", path, page.source.body_line))
            elif len(h1s) > 1:
                errors.add(SourceError("a chapter has one `# Title` heading; this is a second one "
                                       "(use `##` for sections)", path, h1s[1].line))
        first_at: dict[str, int] = {}
        for heading in page.analysis.headings:
            first = first_at.setdefault(heading.slug, heading.line)
            if first != heading.line:
                errors.add(SourceError(f"the anchor `#{heading.slug}` is already used by the heading at line {first}; "
                                       "give this heading another `{#id}`", path, heading.line, code="duplicate-id"))
        for link in page.analysis.links:
            if link.kind == "image" and not link.text.strip():
                errors.add(SourceError(f"the image `{link.target}` needs a description for readers who cannot "
                                       f"see it: ![what it shows]({link.target})", path, link.line, link.column))
                continue
            problem = _check_target(content, page, link.target, link.kind)
            if problem:
                errors.add(SourceError(problem, path, link.line, link.column))
    _check_citations(content, errors)
    errors.raise_if_any()


def _check_citations(content: Content, errors: Collector) -> None:
    """Unknown keys are errors (or warnings under `lenient_paths`); uncited entries are warnings."""
    settings = content.project.citation_settings()
    bibliography = content.bibliography
    if settings is None or bibliography is None:
        return
    pages = [p for p in content.pages.values() if p.source and p.generated_text is None]
    found = {id(p.source): p.citations for p in pages}  # found once, while loading
    strict = strict_for_paths(settings.strict, settings.lenient_paths)
    for error in check_citations([p.source for p in pages], bibliography,
                                 lambda p: strict(content.project.relative(Path(p))), warn=content.reporter.warn,
                                 found_in=lambda source: found[id(source)]):
        errors.add(error)
    cited = {c.key for page in content.pages.values() for c in page.citations}
    for key in bibliography.keys():
        if key not in cited:
            where = bibliography.location(key)
            content.reporter.warn(SourceWarning(f"`{key}` is in the bibliography but never cited",
                                                where.file, where.line, code="uncited"))


def _check_target(content: Content, page: Page, target: str, kind: str) -> str | None:
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("/"):
        return None  # external or absolute: not ours to check
    if not parts.path:
        fragment = unquote(parts.fragment)
        if fragment and page.analysis and fragment not in page.analysis.slugs():
            return f"link to `#{fragment}`, but this page has no heading with that anchor"
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.uri), unquote(parts.path)))
    if kind == "image" or not resolved.endswith(".md"):
        if resolved in content.static:
            return None
        what = "image" if kind == "image" else "file"
        return f"missing {what} `{target}` (looked for docs/{resolved})"
    target_page = content.pages.get(resolved)
    if target_page is None:
        return f"link to `{target}`, but there is no page {resolved} on the site"
    fragment = unquote(parts.fragment)
    if fragment and target_page.analysis and fragment not in target_page.analysis.slugs():
        return f"link to `{target}`, but {resolved} has no heading with the anchor `#{fragment}`"
    return None


def render_context(content: Content, page: Page, *, for_print: bool = False) -> PageContext:
    """What the Markdown extensions may know about `page` while rendering it, on the site or on
    paper (`for_print`: with QR codes and short addresses)."""
    project = content.project
    sections = {s.marker: s for s in content.sections if s.page is page}

    def feedback_page(marker) -> str | None:
        section = sections.get(marker)
        return page_url(project, section.feedback_uri) if section else None

    return PageContext(
        title=page.title or page.uri,
        url=page_url(project, page.uri),
        source=project.relative(page.path) if page.path and page.generated_text is None else None,
        file=page.path if page.generated_text is None else None,
        first_line=page.source.body_line if page.source and page.generated_text is None else 1,
        markers=list(page.markers),
        page_marker=page.contested,
        feedback=content.feedback if page.generated_text is None else None,
        print=for_print,
        language=content.manifest.language,
        feedback_page=feedback_page,
        warn=content.warn,
        report=content.reporter.warn,
    )
