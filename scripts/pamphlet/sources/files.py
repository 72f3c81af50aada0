"""Reading source files: UTF-8 text, YAML with line numbers, and Markdown front matter."""

from __future__ import annotations

import contextlib
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from pamphlet.errors import SourceError


class SourceLoader(yaml.SafeLoader):
    """PyYAML's safe loader with two fixes for hand-written files.

    - `start: 19:00` stays the text "19:00" (YAML 1.1 reads it as 1140, a base-60 number);
    - an impossible date such as 2026-02-30 stays text, so that validation reports it with its
      line (PyYAML would raise a bare ValueError with no line).
    """


SourceLoader.yaml_implicit_resolvers = {
    key: list(value) for key, value in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for _digit in "0123456789":
    SourceLoader.yaml_implicit_resolvers.setdefault(_digit, []).insert(
        0, ("tag:yaml.org,2002:str", re.compile(r"^[0-9]+(?::[0-9]+)+$")))


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


SourceLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


_PROJECT: ContextVar[Path | None] = ContextVar("pamphlet_project", default=None)


@contextlib.contextmanager
def confined(root: Path) -> Iterator[Path]:
    """Within this block, `read_bytes`/`read_text` refuse files (or symlinks) that resolve outside
    `root`: every command that reads a project's sources runs inside one."""
    token = _PROJECT.set(Path(root).resolve())
    try:
        yield _PROJECT.get()
    finally:
        _PROJECT.reset(token)


def outside_project(path: Path) -> str | None:
    """Why `path` may not be read (it, or a symlink on the way, leads outside the project), or None."""
    project = _PROJECT.get()
    if project is None:
        return None
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return "is a symlink that leads nowhere (a loop)"
    if real != project and project not in real.parents:
        if Path(os.path.abspath(path)) == real:
            return "is outside the project; pamphlet reads only the project's own files"
        return f"is a symlink to {real}, outside the project; pamphlet reads only the project's own files"
    return None


def read_bytes(path: Path) -> bytes:
    """A source file's bytes; never from outside the project (see `confined`)."""
    why = outside_project(path)
    if why is not None:
        raise SourceError(why, path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise SourceError("file not found", path) from None
    except IsADirectoryError:
        raise SourceError("is a folder, expected a file", path) from None
    except PermissionError:
        raise SourceError("cannot be read (permission denied)", path) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; a file that is not UTF-8 is a `SourceError` at the bad byte."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            path, line, column,
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


@dataclass
class Yaml:
    """Parsed YAML plus the line of every key and list item, for error messages."""

    data: Any
    path: Path
    lines: dict[tuple, int] = field(default_factory=dict)
    first_line: int = 1

    def line(self, *keys: Any) -> int:
        """The line of the deepest known part of `keys` (falls back to the document start)."""
        for n in range(len(keys), 0, -1):
            if keys[:n] in self.lines:
                return self.lines[keys[:n]]
        return self.first_line

    def error(self, message: str, *keys: Any) -> SourceError:
        return SourceError(message, self.path, self.line(*keys))


def _record_lines(node: yaml.Node, prefix: tuple, lines: dict, offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[prefix + (key,)] = key_node.start_mark.line + 1 + offset
            _record_lines(value_node, prefix + (key,), lines, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[prefix + (index,)] = item.start_mark.line + 1 + offset
            _record_lines(item, prefix + (index,), lines, offset)


def parse_yaml(text: str, path: Path, first_line: int = 1, *, loader: type[SourceLoader] = SourceLoader) -> Yaml:
    """Parse YAML safely; a syntax error becomes a `SourceError` at its line in `path`."""
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = mark.line + 1 + offset if mark else first_line
        column = mark.column + 1 if mark else None
        raise SourceError(f"YAML syntax error: {problem}", path, line, column) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"YAML error: {exc}", path, first_line) from None
    lines: dict[tuple, int] = {}
    if node is not None:
        _record_lines(node, (), lines, offset)
    return Yaml(data, path, lines, first_line)


def load_yaml(path: Path) -> Yaml:
    return parse_yaml(read_text(path), path)


@dataclass
class MarkdownSource:
    """A Markdown file split into front matter and body; `body_line` is the body's first line."""

    path: Path
    text: str
    meta: Yaml
    body: str
    body_line: int


def read_markdown(path: Path) -> MarkdownSource:
    """Read a Markdown file with optional YAML front matter between `---` lines."""
    text = read_text(path)
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                front = "\n".join(lines[1:index])
                meta = parse_yaml(front, path, first_line=2)
                if meta.data is None:
                    meta.data = {}
                if not isinstance(meta.data, dict):
                    raise SourceError("front matter must be a mapping of `key: value` lines", path, 2)
                body = "\n".join(lines[index + 1:])
                return MarkdownSource(path, text, meta, body, index + 2)
        raise SourceError("front matter starts with `---` but has no closing `---` line", path, 1)
    return MarkdownSource(path, text, Yaml({}, path), text, 1)
