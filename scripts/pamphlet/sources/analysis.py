"""Source analysis with markdown-it-py, which keeps line numbers (Python-Markdown does not).

This is what `pamphlet check` reads: headings (with the slugs the site will give them), links and
images, each with the file line and column where it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown.extensions.toc import slugify as toc_slugify
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from pamphlet.sources.files import MarkdownSource

HEADING_ATTRS = re.compile(r"^(.*?)\s*\{:?\s*([^{}]*)\}$")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    slug: str
    line: int


@dataclass(frozen=True)
class Link:
    kind: str  # "link" or "image"
    target: str
    line: int
    column: int
    text: str = ""  # an image's description (alt text)


@dataclass
class Analysis:
    source: MarkdownSource
    tokens: list[Token] = field(repr=False)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        for heading in self.headings:
            if heading.level == 1:
                return heading.text
        return None

    def slugs(self) -> set[str]:
        return {h.slug for h in self.headings}


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """A CommonMark parser that also knows the block syntaxes our Python-Markdown config uses."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    for plugin in (admon_plugin, deflist_plugin, footnote_plugin, attrs_plugin, attrs_block_plugin):
        md.use(plugin)
    return md


def slugify(text: str) -> str:
    """The anchor Python-Markdown's `toc` extension gives a heading (MkDocs' default)."""
    return toc_slugify(text, "-")


def unique_slug(slug: str, seen: set[str]) -> str:
    """Python-Markdown appends _1, _2 ... to repeated heading ids."""
    candidate, n = slug, 0
    while candidate in seen:
        n += 1
        candidate = f"{slug}_{n}"
    seen.add(candidate)
    return candidate


def plain_text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or [] if child.type in ("text", "code_inline"))


def analyse(source: MarkdownSource) -> Analysis:
    tokens = parser().parse(source.body)
    result = Analysis(source, tokens)
    lines = source.body.split("\n")
    seen: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            text = plain_text(inline).strip()
            explicit = token.attrs.get("id")
            attrs = HEADING_ATTRS.match(text)
            if attrs:  # Python-Markdown's attr_list: `## Title {#id .class}`
                text = attrs.group(1)
                ids = [part[1:] for part in attrs.group(2).split() if part.startswith("#")]
                explicit = ids[-1] if ids else explicit
            slug = str(explicit) if explicit else unique_slug(slugify(text), seen)
            result.headings.append(Heading(int(token.tag[1]), text, slug, source.body_line + token.map[0]))
        if token.type == "inline" and token.children:
            for child in token.children:
                if child.type in ("link_open", "image"):
                    target = str(child.attrs.get("href") or child.attrs.get("src") or "")
                    line, column = _locate(target, lines, token.map)
                    alt = child.content if child.type == "image" else ""
                    result.links.append(Link("image" if child.type == "image" else "link", target,
                                             source.body_line + line, column, alt))
    return result


def _locate(needle: str, lines: list[str], span: list[int] | None) -> tuple[int, int]:
    """Line (0-based, in the body) and column (1-based) where `needle` is written inside `span`."""
    start, end = (span or [0, len(lines)])
    for number in range(start, min(end, len(lines))):
        column = lines[number].find(needle) if needle else -1
        if column >= 0:
            return number, column + 1
    return start, 1
