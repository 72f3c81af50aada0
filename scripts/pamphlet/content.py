"""The content model: every page of the site and chapter of the booklet, loaded and checked.

Loading reads and validates every source (collecting all errors, each with file and line);
`check` then verifies what crosses files: links, anchors and images.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pamphlet.errors import Collector, SourceError
from pamphlet.project import Project
from pamphlet.sources.analysis import Analysis, analyse
from pamphlet.sources.files import MarkdownSource, read_markdown
from pamphlet.sources.manifest import Chapter, Manifest

BOOKLET_DIR = "booklet"  # where the chapters live on the site


@dataclass
class Page:
    uri: str  # path in the site's docs tree, e.g. "booklet/economy.md"
    source: MarkdownSource | None  # for a generated page: the file it is generated from, if any
    analysis: Analysis | None = None
    generated_text: str | None = None
    chapter: Chapter | None = None
    meta: dict = field(default_factory=dict)  # extra front matter for the site

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

    @property
    def chapters(self) -> list[Page]:
        return [p for p in self.pages.values() if p.chapter is not None]

    def page_for(self, path: Path) -> Page | None:
        for page in self.pages.values():
            if page.path and page.path.resolve() == path.resolve():
                return page
        return None


def _load_page(uri: str, path: Path, errors: Collector, chapter: Chapter | None = None) -> Page | None:
    try:
        source = read_markdown(path)
    except SourceError as exc:
        errors.add(exc)
        return None
    return Page(uri, source, analyse(source), chapter=chapter)


def load_content(project: Project) -> Content:
    errors = Collector()
    manifest = project.manifest
    pages: dict[str, Page] = {}
    static: dict[str, Path] = {}
    docs = project.docs_dir
    if not docs.is_dir():
        raise SourceError("the docs folder does not exist", docs)
    for path in sorted(docs.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(docs).parts):
            continue
        uri = path.relative_to(docs).as_posix()
        if uri.split("/")[0] == BOOKLET_DIR:
            errors.add(SourceError(f"docs/{BOOKLET_DIR}/ is reserved for the booklet; put chapters in "
                                   f"{BOOKLET_DIR}/ at the top of the repository", path))
            continue
        if path.suffix == ".md":
            page = _load_page(uri, path, errors)
            if page:
                pages[uri] = page
        else:
            static[uri] = path
    for chapter in manifest.chapters:
        page = _load_page(f"{BOOKLET_DIR}/{chapter.path.name}", chapter.path, errors, chapter)
        if page:
            pages[page.uri] = page
    errors.raise_if_any()
    return Content(project, manifest, pages, static)


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
                errors.add(SourceError(f"a chapter has one `# Title` heading; this is a second one "
                                       f"(use `##` for sections)", path, h1s[1].line))
        for link in page.analysis.links:
            problem = _check_target(content, page, link.target, link.kind)
            if problem:
                errors.add(SourceError(problem, path, link.line, link.column))
    errors.raise_if_any()


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
