"""Loading BibTeX files with pybtex, keeping the file and line of every entry.

`load_bibliography(paths)` reads one or more ``.bib`` files (UTF-8) into a `Bibliography`.
Everything wrong in them is a `SourceError` naming the file and the line where the problem is:

- a syntax error: the line (and column) where the fix belongs, not just where pybtex noticed.
  An entry that is never closed is reported at its ``@`` line; a missing comma between two fields
  at the end of the field before it;
- a key defined twice, in one file or across files: at the second definition, naming the first;
- a field given twice in one entry: at the second one;
- a file that is not UTF-8: at the bad byte (via `pamphlet.sources.files.read_text`).

Keys are matched exactly (like Pandoc) by `Bibliography`; two keys that differ only in case are
still a duplicate, because BibTeX (and pybtex) cannot hold both.

LaTeX in field values (``{\\"o}``, ``\\&``, ``--``, braces) is kept as written in the entries and
decoded when they are formatted (`pybtex.richtext.Text.from_latex`, which uses latexcodec); see
`pamphlet.bibliography.styles`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import pybtex.errors
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.input.bibtex import LowLevelParser, UndefinedMacro, month_names
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError, TokenRequired
from pybtex.textutils import normalize_whitespace
from pybtex.utils import CaseInsensitiveDict

from pamphlet.errors import SourceError, display_path
from pamphlet.sources.files import read_text

PERSON_FIELDS = frozenset(Person.valid_roles)  # author, editor


@dataclass(frozen=True)
class Location:
    """Where a `.bib` entry starts: its file and the line of its ``@``."""

    file: Path
    line: int

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}"


class Bibliography:
    """The entries of one or more ``.bib`` files, with the file and line of each.

    - ``key in bib``, ``bib[key]`` (a `pybtex.database.Entry`), ``len(bib)``, iteration over keys
      in file order; keys are compared exactly (case-sensitive);
    - `location(key)`: the `Location` of an entry;
    - `closest(key, n)`: the keys most like a mistyped one, best first;
    - `data`: the `pybtex.database.BibliographyData`, for pybtex's formatting.
    """

    def __init__(self, data: BibliographyData, locations: dict[str, Location], files: Sequence[Path] = ()) -> None:
        self.data = data
        self.files = tuple(files)
        self._locations = dict(locations)

    def __contains__(self, key: object) -> bool:
        return key in self._locations

    def __getitem__(self, key: str) -> Entry:
        if key not in self._locations:
            raise KeyError(key)
        return self.data.entries[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._locations)

    def __len__(self) -> int:
        return len(self._locations)

    def __repr__(self) -> str:
        return f"<Bibliography {len(self)} entries from {', '.join(display_path(f) for f in self.files)}>"

    def keys(self) -> list[str]:
        return list(self._locations)

    def location(self, key: str) -> Location:
        return self._locations[key]

    def closest(self, key: str, n: int = 3) -> list[str]:
        """Up to `n` keys that look like `key` (difflib, ignoring case), best first."""
        by_lower: dict[str, str] = {}
        for known in self._locations:
            by_lower.setdefault(known.lower(), known)
        matches = difflib.get_close_matches(key.lower(), list(by_lower), n=n, cutoff=0.6)
        return [by_lower[m] for m in matches]


# --- parsing -----------------------------------------------------------------------------------


@dataclass
class _RawEntry:
    type: str
    key: str
    line: int
    fields: list[tuple[str, str, int]]  # name, value as written (LaTeX), line


class _Scanner(LowLevelParser):
    """pybtex's BibTeX scanner, recording the line of every entry and field."""

    def __init__(self, text: str, path: Path, macros: CaseInsensitiveDict) -> None:
        super().__init__(text, macros=macros, filename=str(path))
        self.command_line = 1
        self.field_lines: list[int] = []
        self.value_end = 0

    def parse_command(self):  # noqa: ANN201 - pybtex's protocol
        self.command_line = self.lineno  # the scanner has just read the `@`
        self.field_lines = []
        command, body = super().parse_command()
        return command, body, self.command_line, list(self.field_lines)

    def parse_field(self) -> None:
        self.eat_whitespace()
        line = self.lineno
        super().parse_field()
        if self.current_field_name:
            self.field_lines.append(line)

    def parse_value_part(self) -> str:
        value = super().parse_value_part()
        self.value_end = self.pos  # where a missing comma after this value belongs
        return value


def _line_col(text: str, pos: int) -> tuple[int, int]:
    pos = max(0, min(pos, len(text)))
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _syntax_error(error: PybtexSyntaxError, scanner: _Scanner, path: Path) -> SourceError:
    """A `SourceError` at the line where the problem is (pybtex reports where it noticed it)."""
    text = scanner.text
    key = scanner.current_entry_key
    entry = f"entry `{key}`" if key else "this entry"
    if isinstance(error, PrematureEOF):
        return SourceError(f"{entry} is not closed: the file ends inside it "
                           f"(look for a missing `}}` or `\"`)", path, scanner.command_line)
    if isinstance(error, UndefinedMacro):
        name = error.args[0]
        line, column = _line_col(text, scanner.pos - len(name))
        return SourceError(f"`{name}` is not a defined @string; put text in braces: {{{name}}}", path, line, column)
    # scanner.pos is where the unexpected text starts (after whitespace)
    rest = text[scanner.pos:]
    found = rest.split("\n", 1)[0].strip()[:30]
    if isinstance(error, TokenRequired):
        expected = error.args[0].removesuffix(" expected")
        line_start = text.rfind("\n", 0, scanner.pos) + 1
        if text[line_start:].lstrip().startswith("@") and _line_col(text, line_start)[0] > scanner.command_line:
            line, _ = _line_col(text, line_start)
            return SourceError(f"{entry} is not closed before the next entry at line {line} "
                               "(look for a missing `}` or an unbalanced `{`)", path, scanner.command_line)
        if expected in ("'}'", "')'") and not scanner.current_fields and rest.startswith("="):
            return SourceError("this entry has no key: write one after the `{`, like "
                               "`@book{albert:2003parecon,`", path, scanner.command_line)
        if expected in ("'}'", "')'") and _looks_like_field(rest):
            line, column = _line_col(text, scanner.value_end)
            next_name = rest.partition("=")[0].strip()
            return SourceError(f"missing `,` between this field and `{next_name}` in {entry}", path, line, column)
        line, column = _line_col(text, scanner.pos)
        what = f"`{found}`" if found else "the end of the line"
        return SourceError(f"BibTeX syntax error in {entry}: expected {expected.replace(chr(39), '`')}, "
                           f"found {what}", path, line, column)
    line, column = _line_col(text, scanner.pos)
    return SourceError(f"BibTeX syntax error in {entry}: {error.args[0]}", path, line, column)


def _looks_like_field(rest: str) -> bool:
    name, sep, _ = rest.partition("=")
    return bool(sep) and bool(name.strip()) and "\n" not in name and all(c not in name for c in "{}\",")


def parse_bib(text: str, path: Path, macros: CaseInsensitiveDict | None = None) -> list[_RawEntry]:
    """The entries of one ``.bib`` text, in order, each with its line and its fields' lines.

    `macros` holds the @string definitions (and month names); strings defined here are added.
    """
    scanner = _Scanner(text, path, CaseInsensitiveDict(month_names) if macros is None else macros)
    entries: list[_RawEntry] = []
    try:
        for command, body, line, field_lines in scanner:
            lowered = command.lower()
            if lowered in ("string", "preamble"):
                continue
            key, fields = body
            named = [(name, "".join(parts), field_line)
                     for (name, parts), field_line in zip(fields, field_lines, strict=True)]
            entries.append(_RawEntry(command.lower(), key, line, named))
    except PybtexSyntaxError as error:
        raise _syntax_error(error, scanner, path) from None
    return entries


def _make_entry(raw: _RawEntry, path: Path) -> Entry:
    entry = Entry(raw.type)
    seen: dict[str, int] = {}
    for name, value, line in raw.fields:
        lowered = name.lower()
        if lowered in seen:
            raise SourceError(f"entry `{raw.key}` has a second `{lowered}` field (the first is at line "
                              f"{seen[lowered]})", path, line)
        seen[lowered] = line
        value = normalize_whitespace(value)
        if lowered in PERSON_FIELDS:
            with pybtex.errors.capture() as problems:
                persons = [Person(name_text) for name_text in split_name_list(value)]
            if problems:
                raise SourceError(f"entry `{raw.key}`: cannot read the names in `{lowered}`: {problems[0]}",
                                  path, line)
            for person in persons:
                entry.add_person(person, lowered)
        else:
            entry.fields[lowered] = value
    return entry


def load_bibliography(paths: Sequence[Path | str]) -> Bibliography:
    """Read `.bib` files (UTF-8) into one `Bibliography`; every problem is a `SourceError`.

    A key defined twice (in one file or in two) is an error at the second definition, whose
    message names the first one's file and line.
    """
    data = BibliographyData()
    locations: dict[str, Location] = {}
    by_lower: dict[str, str] = {}
    files = [Path(p) for p in paths]
    macros = CaseInsensitiveDict(month_names)  # like BibTeX, @string definitions carry over to later files
    for path in files:
        text = read_text(path)
        for raw in parse_bib(text, path, macros):
            first = by_lower.get(raw.key.lower())
            if first is not None:
                raise SourceError(f"duplicate key `{raw.key}`: already defined at {locations[first]}",
                                  path, raw.line)
            entry = _make_entry(raw, path)
            try:
                data.add_entry(raw.key, entry)
            except PybtexError as exc:  # pragma: no cover - duplicates are caught above
                raise SourceError(str(exc), path, raw.line) from None
            locations[raw.key] = Location(path, raw.line)
            by_lower[raw.key.lower()] = raw.key
    return Bibliography(data, locations, files)


__all__ = ["Bibliography", "Location", "load_bibliography", "parse_bib"]
