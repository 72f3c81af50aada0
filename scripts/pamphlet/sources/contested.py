"""Contested sections: parts of the text the group still disputes.

Two forms, both with a required reason and optional `since` (a date), `discussion` (a URL) and
`id` (a stable anchor; by default made from the reason):

- a block, written like an admonition around the disputed passage::

      !!! contested "Should there be a standing army?"
          since: 2026-10-06
          discussion: https://github.com/org/repo/issues/12

          The disputed passage, indented four spaces.

- a whole page or chapter, in front matter::

      contested:
        reason: The group has not agreed whether animals should have political standing.
        since: 2026-09-01

  (or just `contested: The reason`).

This module finds both with markdown-it-py, so every marker has its file and line, and validates
them; the Python-Markdown extension (`pamphlet.markdown.contested`) renders the blocks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from pamphlet.errors import Collector, SourceError
from pamphlet.sources import schema as s
from pamphlet.sources.analysis import slugify

BLOCK_TYPE = "contested"
META_LINE = re.compile(r"^\s*(since|discussion|id)\s*:\s*(.*?)\s*$")
TITLE = re.compile(r'^contested(?:\s+"(.*)")?\s*$')


@dataclass(frozen=True)
class ContestedMarker:
    kind: str  # "block" or "page"
    reason: str
    since: dt.date | None
    discussion: str | None
    id: str  # the anchor of the marked passage, unique on its page
    line: int  # where the marker is written
    path: Path

    @property
    def anchor(self) -> str:
        return f"contested-{self.id}"


FIELDS = {
    "reason": s.Str(required=True),
    "since": s.Date(),
    "discussion": s.Url(),
    "id": s.Str(pattern=r"[a-z0-9][a-z0-9-]*"),
}


def parse_meta_lines(lines: list[str]) -> dict[str, str] | None:
    """The `key: value` lines at the top of a contested block, if its first paragraph is made of them."""
    found = {}
    for line in lines:
        match = META_LINE.match(line)
        if not match:
            return None
        found[match.group(1)] = match.group(2)
    return found or None


def block_id(reason: str, explicit: str | None = None) -> str:
    """A contested block's identity on its page: its `id:` line, or else made from its reason. The
    renderer finds each block's marker by this id (never by counting blocks)."""
    return explicit or slugify(reason)[:60].strip("-") or "section"


def page_marker(meta, path: Path, errors: Collector) -> ContestedMarker | None:
    """The front matter form (`meta` is the page's parsed front matter, a `Yaml`)."""
    value = meta.data.get("contested")
    if value is None:
        return None
    if isinstance(value, str):
        value = {"reason": value}
    if not isinstance(value, dict):
        errors.add(meta.error("`contested` must be a reason, or a mapping with `reason:` (and optional "
                              "`since:`, `discussion:`)", "contested"))
        return None
    fields = errors.collect(s.validate, meta, FIELDS, data=value, prefix=("contested",), what="`contested`")
    if fields is None:
        return None
    return ContestedMarker("page", fields["reason"], fields["since"], fields["discussion"],
                           fields["id"] or "page", meta.line("contested"), path)


def block_markers(tokens: list[Token], path: Path, body_line: int, errors: Collector) -> list[ContestedMarker]:
    """Every `!!! contested` block, in document order, validated."""
    markers: list[ContestedMarker] = []
    used: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type != "admonition_open" or not token.info.strip().startswith(BLOCK_TYPE):
            continue
        line = body_line + token.map[0]
        title = TITLE.match(token.info.strip())
        if title is None:
            continue  # e.g. `!!! contested-note`: some other admonition type
        reason = (title.group(1) or "").strip()
        if not reason:
            errors.add(SourceError('a contested block needs a reason: !!! contested "Why is this disputed?"',
                                   path, line))
            continue
        fields: dict = {"reason": reason}
        meta = _first_paragraph_meta(tokens, index)
        if meta is not None:
            meta_lines, first_meta_line = meta
            for offset, key in enumerate(meta_lines):
                raw = meta_lines[key]
                option = FIELDS[key]
                try:
                    fields[key] = option.validate(raw)
                except ValueError as exc:
                    errors.add(SourceError(f"`{key}`: {exc}", path, body_line + first_meta_line + offset))
        marker_id = block_id(reason, fields.get("id"))
        if marker_id in used:
            errors.add(SourceError(f"two contested sections on this page have the id `{marker_id}`; "
                                   f"give one an `id:` line", path, line))
            continue
        used.add(marker_id)
        markers.append(ContestedMarker("block", reason, fields.get("since"), fields.get("discussion"),
                                       marker_id, line, path))
    return markers


def _first_paragraph_meta(tokens: list[Token], open_index: int) -> tuple[dict[str, str], int] | None:
    """The meta lines of the block opened at `open_index`: its first paragraph, if all `key: value`."""
    depth = 0
    for index in range(open_index + 1, len(tokens)):
        token = tokens[index]
        if token.type == "admonition_title_open":
            depth += 1
        elif token.type == "admonition_title_close":
            depth -= 1
        elif depth == 0 and token.type == "paragraph_open":
            inline = tokens[index + 1]
            meta = parse_meta_lines(inline.content.split("\n"))
            if meta is None:
                return None
            return meta, token.map[0]
        elif depth == 0 and token.type not in ("inline",):
            return None
    return None
