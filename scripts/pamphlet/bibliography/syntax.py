"""Pandoc's citation syntax: one grammar, used by the site renderer and by `pamphlet check`.

The grammar (a subset of Pandoc's, https://pandoc.org/MANUAL.html#citation-syntax):

- bracketed (parenthetical) citations: ``[@key]``, ``[@key, p. 12]``,
  ``[@key, pp. 3-5; @other]``, ``[see @key, ch. 2]``, ``[-@key]`` (suppress the author:
  "(2003)"). Items are separated by ``;``; each item is ``prefix -@key suffix``.
- narrative (in-text) citations: ``@key`` ("Albert (2003)"), optionally with a locator in
  brackets right after it: ``@key [p. 33]``.

A key starts with a letter, digit or ``_`` and may contain ``: . - /`` between word characters,
so punctuation after a key is not part of it (``@albert:2003parecon.`` cites
``albert:2003parecon``). An ``@`` right after a word character (``someone@example.org``), a
slash, a dot, a colon, ``@ + = & % -`` or a backslash (``\\@key``, an escaped at-sign) does not
start a citation. Prefixes and suffixes are plain text without ``[ ] ; @`` or backticks. A
bracketed citation directly followed by ``(`` or ``[`` is a link, not a citation.

The grammar is the regular expression `CITATION_RE` (its two alternatives are `BRACKETED` and
`NARRATIVE`); `citation_from_match` turns a match into a `Citation`. Both parsers use exactly
these:

- the Python-Markdown extension (`pamphlet.markdown.citations`) as an inline pattern;
- markdown-it-py (`citations_plugin`, `citation_parser`), which keeps line numbers, for
  `find_citations` and `check_citations` (the checks `pamphlet check` runs).

Code spans, fenced and indented code blocks, raw HTML, autolinks, link text and image
descriptions never hold citations, in either parser.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Literal, Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from pamphlet.errors import SourceError
from pamphlet.sources.analysis import parser as analysis_parser
from pamphlet.sources.files import MarkdownSource

if TYPE_CHECKING:
    from pamphlet.bibliography.loader import Bibliography

log = logging.getLogger("pamphlet.citations")

# --- the grammar -------------------------------------------------------------------------------

#: A citation key: word characters, with ``: . - /`` allowed between them (never at the end).
KEY = r"\w+(?:[:./-]+\w+)*"
#: Characters before an ``@`` that mean it is not a citation (e-mail addresses, URLs, escapes).
_NOT_AFTER = r"(?<![\w/.:@+=&%\\-])"
#: Text allowed in a prefix or suffix. \x02 and \x03 delimit Python-Markdown's placeholders for
#: code spans and other stashed inline markup, which a citation does not swallow.
_TEXT = r"[^\[\]@;`\x02\x03]"
#: Not a citation if a link destination or reference label follows.
_NOT_LINK = r"(?![(\[])"

_ITEM = rf"{_TEXT}*?{_NOT_AFTER}-?@{KEY}{_TEXT}*"
#: ``[prefix @key suffix; ...]``
BRACKETED = rf"\[(?P<body>{_ITEM}(?:;{_ITEM})*)\]{_NOT_LINK}"
#: ``@key`` or ``@key [locator]``
NARRATIVE = rf"{_NOT_AFTER}@(?P<key>{KEY})(?:[ ]?\[(?P<locator>{_TEXT}*)\]{_NOT_LINK})?"

#: One citation of either kind. Search it or match it at a position; use `citation_from_match`.
CITATION_RE = re.compile(rf"{BRACKETED}|{NARRATIVE}")

_ITEM_RE = re.compile(
    rf"(?P<prefix>{_TEXT}*?){_NOT_AFTER}(?P<minus>-)?@(?P<key>{KEY})(?P<suffix>{_TEXT}*)"
)


@dataclass(frozen=True)
class CiteItem:
    """One cited work inside a citation.

    `suffix` is the text after the key as written (``", p. 12"``); `locator` is the same without
    the leading comma and spaces (``"p. 12"``). `offset` is where the item's ``@`` is, in the text
    that was parsed.
    """

    key: str
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False
    offset: int = 0

    @property
    def locator(self) -> str:
        text = self.suffix.strip()
        return text[1:].strip() if text.startswith(",") else text


@dataclass(frozen=True)
class Citation:
    """A citation as written: its items, its mode, and where it is (`start`/`end` offsets)."""

    items: tuple[CiteItem, ...]
    mode: Literal["parenthetical", "narrative"]
    start: int
    end: int

    @property
    def keys(self) -> list[str]:
        return [item.key for item in self.items]


def citation_from_match(match: re.Match[str]) -> Citation:
    """The `Citation` for a match of `CITATION_RE` (offsets are those of the matched string)."""
    if match.group("body") is not None:
        items = []
        offset = match.start("body")
        for part in match.group("body").split(";"):
            item = _ITEM_RE.fullmatch(part)
            if item is None:  # pragma: no cover - BRACKETED only matches valid items
                raise ValueError(f"not a citation item: {part!r}")
            items.append(CiteItem(
                key=item.group("key"),
                prefix=" ".join(item.group("prefix").split()),
                suffix=" ".join(item.group("suffix").split()),
                suppress_author=item.group("minus") is not None,
                offset=offset + item.start("key") - 1,
            ))
            offset += len(part) + 1
        return Citation(tuple(items), "parenthetical", match.start(), match.end())
    locator = match.group("locator")
    suffix = "" if locator is None else ", " + " ".join(locator.split())
    item = CiteItem(match.group("key"), "", suffix, False, match.start())
    return Citation((item,), "narrative", match.start(), match.end())


def match_citation(text: str, pos: int = 0, endpos: int | None = None) -> Citation | None:
    """The citation that starts exactly at `pos`, if any (the text before `pos` is looked at)."""
    match = CITATION_RE.match(text, pos, len(text) if endpos is None else endpos)
    return citation_from_match(match) if match else None


def iter_citations(text: str) -> Iterator[Citation]:
    """Every citation in plain text (no Markdown: code spans are not skipped here)."""
    for match in CITATION_RE.finditer(text):
        yield citation_from_match(match)


# --- markdown-it-py ----------------------------------------------------------------------------


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if state.linkLevel > 0 or state.src[state.pos] not in "[@":
        return False
    match = CITATION_RE.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = match.group(0)
        token.meta = {"citation": citation_from_match(match)}
    state.pos = match.end()
    return True


def citations_plugin(md: MarkdownIt) -> None:
    """markdown-it-py plugin: `citation` tokens (``token.meta["citation"]`` is a `Citation`).

    Offsets in the `Citation` are offsets in the parent ``inline`` token's ``content``.
    """
    md.inline.ruler.before("link", "citation", _citation_rule)


@lru_cache(maxsize=1)
def citation_parser() -> MarkdownIt:
    """`pamphlet.sources.analysis.parser()` plus `citations_plugin`, leaving the original as is.

    The block rules, options and plugins are those of the analysis parser (shared, not copied);
    only the inline rule chain is copied, so that adding the citation rule does not change the
    parser that the rest of `pamphlet check` uses.
    """
    base = analysis_parser()
    md = copy.copy(base)
    md.inline = copy.deepcopy(base.inline)
    md.use(citations_plugin)
    return md


@dataclass(frozen=True)
class FoundCitation:
    """A cited key where it is written: `line` and `column` (1-based) of its ``@`` in the file."""

    key: str
    line: int
    column: int
    item: CiteItem
    citation: Citation


class _Locator:
    """Maps offsets in an inline token's content to lines and columns of the source."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[int, int] = {}  # line -> column after the last inline found on it

    def starts(self, inline: Token) -> list[tuple[int, int]]:
        """(line, column), both 0-based, where each line of `inline.content` starts."""
        first = inline.map[0] if inline.map else 0
        result = []
        for index, content_line in enumerate(inline.content.split("\n")):
            number = min(first + index, len(self.lines) - 1)
            source_line = self.lines[number] if number >= 0 else ""
            column = source_line.find(content_line, self.cursor.get(number, 0))
            if column < 0:
                column = source_line.find(content_line)
            if column < 0:
                column = len(source_line) - len(source_line.lstrip())
            else:
                self.cursor[number] = column + len(content_line)
            result.append((number, column))
        return result


def locate_citations(text: str, first_line: int = 1) -> list[FoundCitation]:
    """Every cited key in Markdown `text`, in order, with its line and column.

    `first_line` is the file line of the text's first line (for a body after front matter,
    `MarkdownSource.body_line`). Only text outside code, raw HTML, link text and image
    descriptions is looked at: exactly where the site renders citations.
    """
    found: list[FoundCitation] = []
    locator = _Locator(text.split("\n"))
    for token in citation_parser().parse(text):
        if token.type != "inline" or not token.children:
            continue
        starts = None
        for child in token.children:
            if child.type != "citation":
                continue
            if starts is None:
                starts = locator.starts(token)
            citation: Citation = child.meta["citation"]
            for item in citation.items:
                index = token.content.count("\n", 0, item.offset)
                line_start = token.content.rfind("\n", 0, item.offset) + 1
                number, column = starts[index]
                found.append(FoundCitation(item.key, first_line + number,
                                           column + item.offset - line_start + 1, item, citation))
    return found


def find_citations(source: MarkdownSource) -> list[FoundCitation]:
    """Every cited key in a Markdown file, with the file line and column of its ``@``."""
    return locate_citations(source.body, source.body_line)


# --- checks ------------------------------------------------------------------------------------


def unknown_key_message(key: str, bibliography: Bibliography) -> str:
    """``unknown citation key `x`; did you mean `y`, `z`?`` (the suggestion only if there is one)."""
    message = f"unknown citation key `{key}`"
    suggestions = bibliography.closest(key)
    if suggestions:
        message += "; did you mean " + ", ".join(f"`{s}`" for s in suggestions) + "?"
    return message


def strict_for_paths(strict: bool = True, lenient_paths: Sequence[str] = ()) -> Callable[[str | Path], bool]:
    """Whether unknown keys are errors in a file: `strict`, except under a `lenient_paths` folder.

    Paths are compared as POSIX strings: ``"drafts/"`` (or ``"drafts"``) matches
    ``drafts/idea.md`` and ``drafts/sub/x.md`` but not ``drafts-old/x.md``.
    """
    prefixes = tuple(p if p.endswith("/") else p + "/" for p in (q.strip() for q in lenient_paths) if p)

    def strict_for(path: str | Path) -> bool:
        text = path.as_posix() if isinstance(path, Path) else str(path).replace("\\", "/")
        return strict and not text.startswith(prefixes)

    return strict_for


def check_citations(
    sources: Iterable[MarkdownSource],
    bibliography: Bibliography,
    strict_for: Callable[[Path], bool] = lambda path: True,
    warn: Callable[[SourceError], None] = lambda error: log.warning("%s", error),
    found_in: Callable[[MarkdownSource], list[FoundCitation]] = None,
) -> list[SourceError]:
    """Unknown citation keys in `sources`: one `SourceError` each, at the key's line and column.

    In a file for which ``strict_for(source.path)`` is false, unknown keys go to `warn` (by
    default the logger ``pamphlet.citations``) instead of being returned. `found_in` gives a source's
    citations when the caller has found them already (default: `find_citations`).
    """
    found_in = found_in or find_citations
    errors: list[SourceError] = []
    for source in sources:
        strict = strict_for(source.path)
        for found in found_in(source):
            if found.key in bibliography:
                continue
            error = SourceError(unknown_key_message(found.key, bibliography), source.path, found.line, found.column,
                                code="citation-unknown")
            if strict:
                errors.append(error)
            else:
                warn(error)
    return errors


__all__ = [
    "BRACKETED", "CITATION_RE", "KEY", "NARRATIVE", "CiteItem", "Citation", "FoundCitation",
    "check_citations", "citation_from_match", "citation_parser", "citations_plugin", "find_citations",
    "iter_citations", "locate_citations", "match_citation", "strict_for_paths", "unknown_key_message",
]
