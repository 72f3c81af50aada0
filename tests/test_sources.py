"""Reading sources: UTF-8, front matter, YAML line numbers, schema messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from pamphlet.errors import SourceError, SourceErrors
from pamphlet.sources import schema as s
from pamphlet.sources.files import parse_yaml, read_markdown, read_text


def test_read_text_names_line_and_column_of_a_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(b"# Notes\n\nfine line\nna\xefve\n")
    with pytest.raises(SourceError) as info:
        read_text(path)
    assert (info.value.line, info.value.column) == (4, 3)
    assert info.value.message == "not valid UTF-8 (byte 0xef); save the file as UTF-8"


def test_read_text_drops_a_byte_order_mark_and_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff# Title\r\nText\r\n".encode("utf-8"))
    assert read_text(path) == "# Title\nText\n"


def test_front_matter_is_split_with_the_body_line(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: Hello\ntags: [a, b]\n---\n# Hello\n", encoding="utf-8")
    source = read_markdown(path)
    assert source.meta.data == {"title": "Hello", "tags": ["a", "b"]}
    assert source.body == "# Hello\n"
    assert source.body_line == 5
    assert source.meta.line("tags", 1) == 3


def test_front_matter_without_closing_line(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: Hello\n# Hello\n", encoding="utf-8")
    with pytest.raises(SourceError, match="no closing `---` line") as info:
        read_markdown(path)
    assert info.value.line == 1


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("---\n- a list\n---\n# Hello\n", encoding="utf-8")
    with pytest.raises(SourceError, match="must be a mapping") as info:
        read_markdown(path)
    assert info.value.line == 2


def test_yaml_error_line_is_shifted_by_the_front_matter_offset(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        parse_yaml("a: 1\nb: [unclosed\nc: 3\n", tmp_path / "x.md", first_line=2)
    assert info.value.line == 4  # the parser notices at `c:`, the third front matter line


SCHEMA = {
    "title": s.Str(required=True),
    "date": s.Date(required=True),
    "kind": s.Choice(["open", "closed"], default="open"),
    "people": s.ListOf(s.Str(), min_items=1),
}


def test_schema_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    source = parse_yaml("date: soon\nkind: secret\npeople:\n  - Dana\n  - ''\ncolour: red\n", tmp_path / "m.yml")
    with pytest.raises(SourceErrors) as info:
        s.validate(source, SCHEMA, what="meeting")
    assert [str(e) for e in info.value.errors] == [
        f"{tmp_path / 'm.yml'}:6: unknown key `colour` in meeting; expected one of: "
        "['date', 'kind', 'people', 'title']",
        f"{tmp_path / 'm.yml'}:1: missing required key `title` in meeting",
        f"{tmp_path / 'm.yml'}:1: `date`: Expected a date like 2026-11-15 but received: 'soon'",
        f"{tmp_path / 'm.yml'}:2: `kind`: Expected one of: ['open', 'closed'] but received: 'secret'",
        f"{tmp_path / 'm.yml'}:5: `people` item 2: Expected a non-empty text but received: ''",
    ]


def test_schema_returns_typed_values_and_defaults(tmp_path: Path) -> None:
    import datetime as dt

    source = parse_yaml("title: Open meeting\ndate: 2026-10-06\npeople: [Dana]\n", tmp_path / "m.yml")
    assert s.validate(source, SCHEMA) == {
        "title": "Open meeting", "date": dt.date(2026, 10, 6), "kind": "open", "people": ["Dana"]}
