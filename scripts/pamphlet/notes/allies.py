"""The groups we work alongside: data/allies.yml.

The file::

    intro: Groups in and around our town whose work we support.   # optional: the page's first line
    allies:
      - name: Brickyard Tenants' Union            # unique
        url: https://example.org/brickyard         # http:// or https://
        works_on: One sentence, in the group's own words, on what it does.
        tags: [housing, tenants]                   # optional

Every problem is a `SourceError` naming the file and line; all are reported together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pamphlet.errors import Collector
from pamphlet.i18n import N_
from pamphlet.sources import schema as s
from pamphlet.sources.files import Yaml, load_yaml


@dataclass(frozen=True)
class Ally:
    name: str
    url: str
    works_on: str
    tags: tuple[str, ...]
    line: int  # where the entry starts


class Anything(s.Option):
    def validate(self, value: Any) -> Any:
        return value


DEFAULT_INTRO = N_("Groups whose work we support and learn from.")  # English: the Allies page translates it
TOP = {"intro": s.Str(default=DEFAULT_INTRO, help="the sentence that opens the Allies page"),
       "allies": s.ListOf(Anything(), required=True)}


class Allies(list):
    """The allies, in the file's order, and the Allies page's opening sentence (`intro:`)."""

    def __init__(self, entries=(), intro: str = DEFAULT_INTRO) -> None:
        super().__init__(entries)
        self.intro = intro
ALLY = {
    "name": s.Str(required=True),
    "url": s.Url(required=True),
    "works_on": s.Str(required=True),
    "tags": s.ListOf(s.Str()),
}


def _check(errors: Collector, source: Yaml, schema: dict, data: Any, prefix: tuple, what: str) -> dict | None:
    return errors.collect(s.validate, source, schema, data=data, prefix=prefix, what=what)


def load_allies(path: Path) -> Allies:
    """Read and check the allies file; raises `SourceError`(s) naming every problem and its line."""
    source = load_yaml(Path(path))
    errors = Collector()
    top = _check(errors, source, TOP, source.data, (), "the allies file")
    if top is None:
        errors.raise_if_any()
    allies = Allies(intro=top["intro"])
    names: dict[str, int] = {}
    for index, raw in enumerate(top["allies"]):
        at = ("allies", index)
        data = _check(errors, source, ALLY, raw, at, "ally")
        name = raw.get("name") if isinstance(raw, dict) else None
        if isinstance(name, str) and name.strip():  # checked even when the entry has other problems
            key = " ".join(name.split()).casefold()
            if key in names:
                errors.add(source.error(f"`name`: {' '.join(name.split())} is already listed on line {names[key]}",
                                        *at, "name"))
                continue
            names[key] = source.line(*at, "name")
        if data is None:
            continue
        allies.append(Ally(data["name"], data["url"], data["works_on"], tuple(data["tags"] or ()),
                           source.line(*at)))
    errors.raise_if_any()
    return allies


__all__ = ["Allies", "Ally", "load_allies"]
