"""Markdown to HTML exactly as the site renders it: mkdocs.yml's extensions, without MkDocs.

The print pipeline uses this so that web and print come from the same rendering of the same
Markdown; print differs only by stylesheet and by how links are resolved (`PrintLinks`).
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from typing import Callable
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from pamphlet.markdown.safety import SafetyExtension
from pamphlet.project import Project


def make_markdown(project: Project, extra: list[Extension] | None = None,
                  overrides: dict[str, dict] | None = None, leave_out: tuple[str, ...] = ()) -> markdown.Markdown:
    """A Markdown converter configured as mkdocs.yml says; `overrides` changes options of
    configured extensions (print, for instance, turns off per-page reference lists); `leave_out`
    names configured extensions not to use (the pre-flight leaves out `TYPOGRAPHIC` ones)."""
    names, settings = project.markdown_extensions()
    names = [name for name in names if name not in leave_out]
    for name, options in (overrides or {}).items():
        if name in names:
            settings[name] = {**settings.get(name, {}), **options}
    gate = SafetyExtension(iframe_hosts=sorted(project.settings.iframe_hosts))
    return markdown.Markdown(extensions=[*names, *(extra or []), gate], extension_configs=settings)



# Extensions that only put typographic characters in text (quotes, dashes, ellipses as entities): they
# cannot fail, nor make markup, so the pre-flight render (`pamphlet.preflight`) may leave them out.
TYPOGRAPHIC = ("smarty", "markdown.extensions.smarty")


LinkResolver = Callable[[str, str], str]  # (site path of the target page, fragment) -> href


class _PrintLinksProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, page_uri: str, id_prefix: str, resolve: LinkResolver,
                 resolve_file: Callable[[str], str | None], shared_works_cited: bool) -> None:
        super().__init__(md)
        self.shared_works_cited = shared_works_cited
        self.page_uri = page_uri
        self.id_prefix = id_prefix
        self.resolve = resolve
        self.resolve_file = resolve_file

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if "id" in element.attrib:
                element.set("id", self.id_prefix + element.get("id"))
            if element.tag == "a" and "href" in element.attrib and not (
                    self.shared_works_cited and self._citation(element)):
                element.set("href", self._href(element.get("href")))
            if element.tag == "img" and "src" in element.attrib:
                resolved = self.resolve_file(self._site_path(element.get("src")))
                if resolved:
                    element.set("src", resolved)

    @staticmethod
    def _citation(element: etree.Element) -> bool:
        return "citation-ref" in (element.get("class") or "").split()

    def _site_path(self, target: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.page_uri), unquote(target)))

    def _href(self, href: str) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("/"):
            return href
        if not parts.path:
            return "#" + self.id_prefix + unquote(parts.fragment) if parts.fragment else href
        return self.resolve(self._site_path(parts.path), unquote(parts.fragment))


class PrintLinks(Extension):
    """Rewrite ids and links of one page for a document that holds many pages.

    Ids get `id_prefix` so that pages do not collide; links to other pages go through `resolve`
    (to an anchor in the same PDF, or to the page's URL on the site). With `shared_works_cited`,
    citations keep linking to `#ref-<key>`: the document has one works-cited list for all pages.
    Runs after `toc` has made the heading ids (priority 5), so it sees the final ids.
    """

    def __init__(self, page_uri: str, id_prefix: str, resolve: LinkResolver,
                 resolve_file: Callable[[str], str | None], *, shared_works_cited: bool = False) -> None:
        super().__init__()
        self.args = (page_uri, id_prefix, resolve, resolve_file, shared_works_cited)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_PrintLinksProcessor(md, *self.args), "pamphlet_print_links", 1)
