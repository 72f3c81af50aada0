"""Source analysis with markdown-it-py, which keeps line numbers (Python-Markdown does not).

This is what `pamphlet check` reads: headings (with the slugs the site will give them), links and
images, each with the file line and column where it is written.
"""

from __future__ import annotations

import re
import shlex
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


@dataclass(frozen=True)
class HtmlFragment:
    """Raw HTML written in the Markdown (a block, or one inline tag), where it starts in the file."""

    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Attribute:
    """An attribute given with attribute-list syntax (`## Title {#id onclick=...}`)."""

    name: str
    value: str
    line: int


@dataclass
class Analysis:
    source: MarkdownSource
    tokens: list[Token] = field(repr=False)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    html: list[HtmlFragment] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    depth: tuple[int, int] = (0, 0)  # the deepest nesting of blocks and inlines, and its file line

    @property
    def title(self) -> str | None:
        for heading in self.headings:
            if heading.level == 1:
                return heading.text
        return None

    def slugs(self) -> set[str]:
        return {h.slug for h in self.headings}


MAX_NESTING = 100  # the parser's own limit: deeper text is not analysed
MAX_DEPTH = 40  # deeper nesting is an error (Python-Markdown recurses once per level)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """A CommonMark parser that also knows the block syntaxes our Python-Markdown config uses.

    It sees every link as written: markdown-it would turn `[x](javascript:...)` into text, while
    Python-Markdown makes it a link, and the checks must see what the site will get.
    """
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")
    for plugin in (admon_plugin, deflist_plugin, footnote_plugin, attrs_plugin, attrs_block_plugin):
        md.use(plugin)
    md.validateLink = lambda url: True
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
    deepest, deepest_line = 0, source.body_line
    for index, token in enumerate(tokens):
        if token.map and token.level > deepest:
            deepest, deepest_line = token.level, source.body_line + token.map[0]
        for name, value in (token.attrs or {}).items():
            result.attributes.append(Attribute(str(name), str(value), source.body_line + (token.map or [0])[0]))
        if token.type == "html_block" and token.map:
            first = token.content.split("\n", 1)[0]
            column = max(lines[token.map[0]].find(first), 0) + 1 if first else 1
            result.html.append(HtmlFragment(token.content, source.body_line + token.map[0], column))
        if token.type == "heading_open":
            inline = tokens[index + 1]
            text = plain_text(inline).strip()
            explicit = token.attrs.get("id")
            attrs = HEADING_ATTRS.match(text)
            if attrs:  # Python-Markdown's attr_list: `## Title {#id .class}`
                text = attrs.group(1)
                result.attributes += _attr_list(attrs.group(2), source.body_line + token.map[0])
                ids = [part[1:] for part in attrs.group(2).split() if part.startswith("#")]
                explicit = ids[-1] if ids else explicit
            slug = str(explicit) if explicit else unique_slug(slugify(text), seen)
            result.headings.append(Heading(int(token.tag[1]), text, slug, source.body_line + token.map[0]))
        if token.type == "inline" and token.children:
            start = (token.map or [0])[0]
            search = (start, 0)  # where the next inline tag is looked for
            for child in token.children:
                if child.level + token.level > deepest and token.map:
                    deepest, deepest_line = child.level + token.level, source.body_line + token.map[0]
                if child.type == "html_inline":
                    search = _find(child.content, lines, search, token.map)
                    result.html.append(HtmlFragment(child.content, source.body_line + search[0], search[1] + 1))
                    search = (search[0], search[1] + len(child.content))
                for name, value in (child.attrs or {}).items():
                    if child.type not in ("link_open", "image") or name not in ("href", "src", "title", "alt"):
                        result.attributes.append(Attribute(str(name), str(value), source.body_line + start))
                if child.type in ("link_open", "image"):
                    target = str(child.attrs.get("href") or child.attrs.get("src") or "")
                    line, column = _locate(target, lines, token.map)
                    alt = child.content if child.type == "image" else ""
                    result.links.append(Link("image" if child.type == "image" else "link", target,
                                             source.body_line + line, column, alt))
    result.depth = (deepest, deepest_line)
    return result


def _attr_list(text: str, line: int) -> list[Attribute]:
    """The `key=value` pairs of an attribute list (`#id` and `.class` are not attributes of concern)."""
    try:
        parts = shlex.split(text)
    except ValueError:
        parts = text.split()
    return [Attribute(*part.split("=", 1), line) for part in parts if "=" in part]


def _find(needle: str, lines: list[str], start: tuple[int, int], span: list[int] | None) -> tuple[int, int]:
    """Line (0-based, in the body) and 0-based column of `needle`, searching from `start` on."""
    end = span[1] if span else len(lines)
    line, column = start
    for number in range(line, min(end, len(lines))):
        found = lines[number].find(needle, column if number == line else 0)
        if found >= 0:
            return number, found
    return start


def _locate(needle: str, lines: list[str], span: list[int] | None) -> tuple[int, int]:
    """Line (0-based, in the body) and column (1-based) where `needle` is written inside `span`."""
    start, end = (span or [0, len(lines)])
    for number in range(start, min(end, len(lines))):
        column = lines[number].find(needle) if needle else -1
        if column >= 0:
            return number, column + 1
    return start, 1
