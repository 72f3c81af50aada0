"""Compare two builds of the same staged tree by different engines, page by page.

What is compared, for every page (each `index.html`, and `404.html`):

- the set of pages itself;
- `headings`: level, id and text of every heading in the page's article (permalinks left out);
- `citations`: id, target and text of every citation link; `references`: id and text of every
  entry of the page's References;
- `contested`: id, date and reason of every contested banner; `nav-flags`: which pages the page's
  navigation flags as contested;
- `feedback`: kind and address of every feedback link (the page's and its banners'); `edit`: the
  address of the "edit this page" button; `downloads`: every link or image into downloads/.

And for the whole site: the pages in the search index (MkDocs: `search/search_index.json`,
Zensical: `search.json`) and in `sitemap.xml`, and the bytes of every published file that is not
a page, a theme asset or a search index (the PDFs and their previews, `meetings.ics`, the feed,
the sitemap's gzip).

Addresses are compared resolved against the page (`../downloads/x.pdf` from `print/` is
`downloads/x.pdf`), with HTML character references decoded; text with runs of white space made
one space. Known, accepted differences live in ONE file, `engine-differences.yml` next to this
module, each with its reason; anything else is reported and fails `pamphlet compare-engines`.
An accepted difference that no longer occurs is reported too, so the list stays honest.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import yaml

DIFFERENCES = Path(__file__).parent / "engine-differences.yml"
ASPECTS = ("pages", "headings", "citations", "references", "contested", "nav-flags", "feedback", "edit",
           "downloads", "title", "nav", "search", "sitemap", "files")
PAGE_ASPECTS = ASPECTS[1:11]
SEARCH_INDEXES = ("search/search_index.json", "search.json")
# Not compared byte for byte: each engine's theme, search index and scripts.
ENGINE_FILES = ("assets/javascripts/", "assets/stylesheets/", "assets/images/", "search/", "search.json",
                "sitemap.xml", "404.html")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --------------------------------------------------------------------------- a small HTML tree


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes())]

    def find(self, tag: str | None = None, cls: str | None = None) -> Node | None:
        found = self.find_all(tag, cls)
        return found[0] if found else None

    def text(self, skip: set[str] = frozenset()) -> str:
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif not (child.classes() & skip):
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {name: value or "" for name, value in attrs}, parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --------------------------------------------------------------------------- what a page shows


@dataclass
class PageFacts:
    headings: list = field(default_factory=list)
    citations: list = field(default_factory=list)
    references: list = field(default_factory=list)
    contested: list = field(default_factory=list)
    nav_flags: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    edit: list = field(default_factory=list)
    downloads: list = field(default_factory=list)
    title: list = field(default_factory=list)
    nav: list = field(default_factory=list)

    def aspect(self, name: str) -> list:
        return getattr(self, name.replace("-", "_"))


@dataclass
class SiteFacts:
    pages: dict[str, PageFacts]
    search: list[str]  # pages in the search index
    sitemap: list[str]  # page addresses in sitemap.xml, relative to the site
    files: dict[str, str]  # other published files -> sha256


def _page_key(path: Path, site: Path) -> str:
    """A page as its address from the site's root: "/", "/booklet/economy/", "/404.html"."""
    relative = path.relative_to(site).as_posix()
    return "/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def resolve(href: str, page: str) -> str:
    """An address as a path in the site (`downloads/x.pdf`, `booklet/#part`), or as written if external."""
    if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
        return href
    base = "/" + (page if page.endswith("/") or not page else posixpath.dirname(page) + "/")
    resolved = urljoin("http://site" + base, href)
    parts = urlsplit(resolved)
    path = unquote(parts.path).lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def page_facts(html: str, page: str) -> PageFacts:
    root = parse_html(html)
    article = root.find("article") or root
    facts = PageFacts()
    for node in article.iter():
        if re.fullmatch(r"h[1-6]", node.tag):
            facts.headings.append([int(node.tag[1]), node.attrs.get("id", ""), node.text(skip={"headerlink"})])
    for link in article.find_all("a", "citation-ref"):
        facts.citations.append([link.attrs.get("id", ""), resolve(link.attrs.get("href", ""), page), link.text()])
    for item in article.find_all("li", "reference"):
        facts.references.append([item.attrs.get("id", ""), item.text()])
    for aside in article.find_all("aside", "contested"):
        reason = aside.find(cls="contested-reason")
        facts.contested.append([aside.attrs.get("id", ""), aside.attrs.get("data-since", ""),
                                reason.text() if reason else ""])
    title = root.find("title")
    facts.title = [title.text()] if title is not None else []
    nav = next((n for n in root.find_all("nav") if "md-nav--primary" in n.classes()), None)
    if nav is not None:
        for link in nav.find_all("a"):
            target = resolve(link.attrs.get("href", ""), page)
            if "md-nav__link" in link.classes():
                facts.nav.append([link.text(skip={"md-status", "md-nav__icon"}), target])
            if link.find(cls="md-status--contested"):
                facts.nav_flags.append(target)
        facts.nav_flags = sorted(set(facts.nav_flags))
    for link in article.find_all("a", "feedback-link"):
        kinds = sorted(c for c in link.classes() if c.startswith("feedback-") and c != "feedback-link")
        facts.feedback.append([" ".join(kinds), link.attrs.get("href", ""), link.text()])
    for link in article.find_all("a"):
        if link.attrs.get("rel") == "edit":
            facts.edit.append(link.attrs.get("href", ""))
    for node in article.iter():
        for attr in ("href", "src"):
            target = resolve(node.attrs.get(attr, ""), page) if attr in node.attrs else ""
            if target.startswith("downloads/"):
                facts.downloads.append([node.tag, target])
    return facts


def _search_pages(site: Path) -> list[str]:
    for name in SEARCH_INDEXES:
        path = site / name
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.get("docs", data.get("items", []))
            return sorted({item["location"].split("#")[0] for item in items})
    return []


def _sitemap(site: Path, site_url: str | None) -> list[str]:
    path = site / "sitemap.xml"
    if not path.is_file():
        return []
    locs = [el.text or "" for el in etree.parse(path).getroot().iter() if el.tag.endswith("}loc") or el.tag == "loc"]
    prefix = site_url or ""
    return sorted(loc.strip()[len(prefix):] if prefix and loc.strip().startswith(prefix) else loc.strip()
                  for loc in locs)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def site_facts(site: Path, site_url: str | None = None) -> SiteFacts:
    pages: dict[str, PageFacts] = {}
    files: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        if path.name == "index.html" or relative == "404.html":
            key = _page_key(path, site)
            pages[key] = page_facts(path.read_text(encoding="utf-8"), key[1:])
        elif relative == "sitemap.xml.gz":  # each engine writes its own sitemap: compared above
            files[relative] = "present"
        elif not relative.startswith(ENGINE_FILES) and relative not in (".pamphlet-output", ".pamphlet-build.json"):
            files[relative] = _digest(path)
    return SiteFacts(pages, _search_pages(site), _sitemap(site, site_url), files)


# --------------------------------------------------------------------------- differences


@dataclass(frozen=True)
class Difference:
    aspect: str
    page: str  # the page ("/booklet/economy/"), a file ("downloads/x.pdf"), or "" for the whole site
    first: Any
    second: Any

    def describe(self, names: tuple[str, str]) -> str:
        where = f" {self.page}" if self.page else ""
        return (f"{self.aspect}{where}:\n    {names[0]}: {json.dumps(self.first, ensure_ascii=False)}\n"
                f"    {names[1]}: {json.dumps(self.second, ensure_ascii=False)}")


def compare_sites(first: Path, second: Path, site_url: str | None = None) -> list[Difference]:
    """Every difference between two built sites, in a stable order."""
    return compare_facts(site_facts(first, site_url), site_facts(second, site_url))


def compare_facts(a: SiteFacts, b: SiteFacts) -> list[Difference]:
    found: list[Difference] = []
    only_a, only_b = sorted(set(a.pages) - set(b.pages)), sorted(set(b.pages) - set(a.pages))
    if only_a or only_b:
        found.append(Difference("pages", "", only_a, only_b))
    for page in sorted(set(a.pages) & set(b.pages)):
        for aspect in PAGE_ASPECTS:
            x, y = a.pages[page].aspect(aspect), b.pages[page].aspect(aspect)
            if x != y:
                found.append(Difference(aspect, page, x, y))
    if a.search != b.search:
        found.append(Difference("search", "", sorted(set(a.search) - set(b.search)),
                                sorted(set(b.search) - set(a.search))))
    if a.sitemap != b.sitemap:
        found.append(Difference("sitemap", "", sorted(set(a.sitemap) - set(b.sitemap)),
                                sorted(set(b.sitemap) - set(a.sitemap))))
    for name in sorted(set(a.files) | set(b.files)):
        if a.files.get(name) != b.files.get(name):
            found.append(Difference("files", name, "present" if name in a.files else "absent",
                                    "present" if name in b.files else "absent")
                         if name not in a.files or name not in b.files else
                         Difference("files", name, a.files[name][:12], b.files[name][:12]))
    return found


@dataclass
class Accepted:
    aspect: str
    pages: list[str]  # glob patterns of pages ("/", "/booklet/*") or files; "*" all; "" the site-wide ones
    reason: str
    used: int = 0

    def covers(self, difference: Difference) -> bool:
        return difference.aspect == self.aspect and any(fnmatch.fnmatchcase(difference.page, p) for p in self.pages)


def load_accepted(path: Path = DIFFERENCES) -> list[Accepted]:
    """The accepted differences: a YAML list of {aspect, pages, reason}; each needs a reason."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    entries = (data or {}).get("differences") or []
    accepted = []
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or entry.get("aspect") not in ASPECTS:
            raise ValueError(f"{path.name}: entry {index} needs `aspect:`, one of {', '.join(ASPECTS)}")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ValueError(f"{path.name}: entry {index} ({entry['aspect']}) needs a `reason:`")
        pages = entry.get("pages", ["*"])
        pages = [pages] if isinstance(pages, str) else list(pages)
        accepted.append(Accepted(entry["aspect"], [str(p) for p in pages], " ".join(reason.split())))
    return accepted


@dataclass
class Comparison:
    names: tuple[str, str]
    unexplained: list[Difference]
    explained: list[tuple[Difference, Accepted]]
    unused: list[Accepted]
    pages: int

    @property
    def ok(self) -> bool:
        return not self.unexplained

    def report(self) -> str:
        lines = [f"Compared {self.pages} pages built by {self.names[0]} and {self.names[1]}."]
        for difference in self.unexplained:
            lines.append("different " + difference.describe(self.names))
        for difference, accepted in self.explained:
            lines.append(f"accepted  {difference.aspect} {difference.page or '(site)'}: {accepted.reason}")
        for accepted in self.unused:
            lines.append(f"note: the accepted difference ({accepted.aspect} {', '.join(accepted.pages)}) no "
                         f"longer occurs; remove it from {DIFFERENCES.name}")
        lines.append(f"{len(self.unexplained)} unexplained difference(s), {len(self.explained)} accepted.")
        return "\n".join(lines)


def compare(first: Path, second: Path, names: tuple[str, str] = ("mkdocs", "zensical"),
            site_url: str | None = None, accepted: list[Accepted] | None = None) -> Comparison:
    accepted = load_accepted() if accepted is None else accepted
    unexplained, explained = [], []
    a, b = site_facts(first, site_url), site_facts(second, site_url)
    for difference in compare_facts(a, b):
        rule = next((a for a in accepted if a.covers(difference)), None)
        if rule is None:
            unexplained.append(difference)
        else:
            rule.used += 1
            explained.append((difference, rule))
    return Comparison(names, unexplained, explained, [rule for rule in accepted if not rule.used], len(a.pages))


__all__ = ["Comparison", "Difference", "PageFacts", "compare", "compare_sites", "load_accepted", "page_facts",
           "parse_html", "resolve", "site_facts"]
