"""Pages the pipeline writes itself: the booklet overview and the site-wide Works Cited.

Each is a `Page` with Markdown text, added to the content before the checks run, so links into
and out of them are checked like any other page's. Raw HTML inside them uses links computed by
`relative_href` (MkDocs does not rewrite links in raw HTML).
"""

from __future__ import annotations

from pamphlet.bibliography import BackRef, Citer
from pamphlet.content import BOOKLET_DIR, Content, Page, relative_href
from pamphlet.sources.analysis import analyse
from pamphlet.sources.files import MarkdownSource, Yaml

WORKS_CITED = "works-cited.md"


def generated_page(content: Content, uri: str, text: str, origin=None) -> Page:
    """A generated page; `origin` is the file it is made from (its "edit" link), if any."""
    path = origin or content.project.config_path
    source = MarkdownSource(path, text, Yaml({}, path), text, 1)
    page = Page(uri, source if origin else None, analyse(source), generated_text=text)
    return page


def booklet_overview(content: Content) -> Page:
    """booklet/index.md: what the booklet is, its chapters, and (in the template) the download."""
    m = content.manifest
    lines = [f"# {m.title}", ""]
    if m.subtitle:
        lines += [f"*{m.subtitle}*", ""]
    lines += [f"{m.edition}, {m.date:%B} {m.date.day}, {m.date.year}. Published by {m.organization}.", ""]
    if m.description:
        lines += [m.description, ""]
    lines += ["## Chapters", ""]
    for page in content.chapters:
        lines.append(f"{page.chapter.number}. [{page.title}]({page.chapter.path.name})")
    lines += ["", "## License", "", f"{m.license}. Copy it, print it, share it."]
    return generated_page(content, f"{BOOKLET_DIR}/index.md", "\n".join(lines) + "\n", origin=m.path)


def citing_pages(content: Content) -> list[Page]:
    """Pages that cite, in reading order: the booklet's chapters, then the other pages."""
    pages = [p for p in content.chapters if p.citations]
    pages += [p for uri, p in sorted(content.pages.items()) if p.chapter is None and p.citations]
    return pages


def works_cited(content: Content) -> Page | None:
    """works-cited.md: every cited work, each with links back to the pages that cite it."""
    if content.bibliography is None:
        return None
    settings = content.project.citation_settings() or {}
    citer = Citer(content.bibliography, settings.get("style", "author-year"))
    backrefs: dict[str, list[BackRef]] = {}
    for page in citing_pages(content):
        for key in dict.fromkeys(c.key for c in page.citations if c.key in content.bibliography):
            href = relative_href(WORKS_CITED, page.uri, f"cite-{citer.anchor(key)}-1")
            backrefs.setdefault(key, []).append(BackRef(href, page.title or page.uri))
    keys = list(backrefs)
    if not keys:
        return None
    items = citer.works_cited_html(keys, backrefs=backrefs)
    text = "\n".join([
        "# Works Cited", "",
        "Every work cited on this site, with links back to the pages that cite it. The booklet's "
        "last chapter lists the works it cites, with the pages where they are cited.", "",
        '<ul class="references-list works-cited">', items, "</ul>", ""])
    return generated_page(content, WORKS_CITED, text)


def add_generated_pages(content: Content) -> None:
    for page in (booklet_overview(content), works_cited(content)):
        if page is not None:
            content.pages[page.uri] = page
