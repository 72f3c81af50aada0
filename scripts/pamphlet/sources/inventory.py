"""The inventory: every source file of the project, and whether it may be published.

This is the one place that decides privacy, by what a file says, not where it lives:

- a Markdown file whose front matter says `kind: closed` is private, in any folder;
- `draft: true` makes a file private; `draft` takes only `true` or `false` (anything else, such as
  `"yes"`, `1` or `"true"`, is an error at its line, never taken for "public");
- `kind` takes only `open` or `closed`; a key spelled in another case (`Draft:`, `KIND:`) is an
  error, so a typo cannot publish what was meant to stay private;
- a file that cannot be read or whose front matter cannot be parsed is reported, and is private
  meanwhile (when unsure, leave it out).

It also refuses what no build may read or publish: symlinks that lead outside the project or into
anything but a source folder, static web pages and scripts (`.html`, `.js`: write pages in
Markdown), and SVG images that carry scripts or remote references. Every refusal is a
`SourceError` at the file's path (and line, where there is one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from pamphlet.errors import Collector, SourceError
from pamphlet.sources.files import MarkdownSource, Yaml, outside_project, read_markdown, read_text
from pamphlet.sources.htmlpolicy import check_svg

PRIVACY_KEYS = ("kind", "draft")
KINDS = ("closed", "open")
#: Static files never published: pages and scripts must come from Markdown, through the checks.
REFUSED_SUFFIXES = {
    ".html": "a web page", ".htm": "a web page", ".xhtml": "a web page", ".shtml": "a web page",
    ".js": "a script", ".mjs": "a script", ".wasm": "a program", ".php": "a program",
}


@dataclass(frozen=True)
class Privacy:
    """Why a file is private (`reason`), or public (`reason` None)."""

    reason: str | None = None

    @property
    def public(self) -> bool:
        return self.reason is None


PUBLIC = Privacy()


def privacy(meta: Yaml, errors: Collector) -> Privacy:
    """The privacy a page's front matter declares; bad values are errors at their lines (and the page
    is then private)."""
    data: dict[str, Any] = meta.data if isinstance(meta.data, dict) else {}
    reasons: list[str] = []
    for key in data:
        if isinstance(key, str) and key.lower() in PRIVACY_KEYS and key != key.lower():
            errors.add(meta.error(f"`{key}`: write `{key.lower()}` in lowercase (pamphlet reads `{key.lower()}` "
                                  "to keep private pages off the public site)", key))
            reasons.append("unreadable")
    if "draft" in data:
        value = data["draft"]
        if value is True:
            reasons.append("draft")
        elif value is not False:
            errors.add(meta.error(f"`draft`: Expected true or false but received: {value!r}", "draft"))
            reasons.append("unreadable")
    if "kind" in data:
        value = data["kind"]
        if value == "closed":
            reasons.append("closed")
        elif value != "open":
            errors.add(meta.error(f"`kind`: Expected one of: {list(KINDS)} but received: {value!r}", "kind"))
            reasons.append("unreadable")
    return Privacy(reasons[0]) if reasons else PUBLIC


@dataclass
class SourceFile:
    uri: str  # path under the folder it was found in, POSIX ("meetings/2026-09-01.md")
    path: Path
    markdown: MarkdownSource | None = None  # for .md files that could be read
    privacy: Privacy = PUBLIC

    @property
    def is_markdown(self) -> bool:
        return self.path.suffix == ".md"

    @property
    def public(self) -> bool:
        return self.privacy.public


@dataclass
class Inventory:
    """The files of a folder (docs/): each with its privacy. Files that were refused are absent."""

    root: Path
    files: list[SourceFile] = field(default_factory=list)

    def select(self, *, public_only: bool) -> list[SourceFile]:
        return [f for f in self.files if f.public or not public_only]

    def private_uris(self) -> dict[str, str]:
        """uri -> why it is private, for messages ("nav points to a closed page")."""
        return {f.uri: f.privacy.reason or "" for f in self.files if not f.public}


def symlink_problem(path: Path, allowed: Iterable[Path]) -> str | None:
    """Why a (possibly symlinked) file may not be read: it leads outside the project, or into
    something that is not a source folder (.git, an output folder, the virtual environment)."""
    why = outside_project(path)
    if why is not None:
        return why
    if not path.is_symlink() and not any(part.is_symlink() for part in path.parents):
        return None
    real = path.resolve()
    for folder in allowed:
        folder = folder.resolve()
        if real == folder or folder in real.parents:
            return None
    return f"is a symlink to {real}, which is not in a source folder; copy the file instead"


def read_page(path: Path, errors: Collector) -> tuple[MarkdownSource | None, Privacy]:
    """A Markdown file and its privacy; unreadable files are reported and private."""
    try:
        source = read_markdown(path)
    except SourceError as exc:
        errors.add(exc)
        return None, Privacy("unreadable")
    return source, privacy(source.meta, errors)


def scan_folder(folder: Path, errors: Collector, *, allowed: Iterable[Path]) -> Inventory:
    """Every file under `folder` (hidden names skipped, never read), with its privacy.

    `allowed`: the source folders a symlink may lead into.
    """
    allowed = list(allowed)
    inventory = Inventory(folder)
    if not folder.is_dir():
        return inventory
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        problem = symlink_problem(path, allowed)
        if problem is not None:
            errors.add(SourceError(problem, path))
            continue
        if path.is_dir():
            continue
        uri = relative.as_posix()
        if path.suffix.lower() in REFUSED_SUFFIXES:
            errors.add(SourceError(f"{REFUSED_SUFFIXES[path.suffix.lower()]} ({path.suffix}) is not published: "
                                   "write pages in Markdown (pamphlet publishes no scripts from the sources)", path))
            continue
        if path.suffix == ".md":
            source, found = read_page(path, errors)
            inventory.files.append(SourceFile(uri, path, source, found))
            continue
        if path.suffix.lower() == ".svg":
            svg_errors(path, errors)
        inventory.files.append(SourceFile(uri, path))
    return inventory


def svg_errors(path: Path, errors: Collector) -> None:
    """An SVG image is a document of its own: opened alone, its scripts would run on the site."""
    try:
        text = read_text(path)
    except SourceError as exc:
        errors.add(exc)
        return
    for problem in check_svg(text):
        errors.add(SourceError(problem.message, path, problem.line, problem.column, code=problem.code))


__all__ = ["Inventory", "PUBLIC", "Privacy", "SourceFile", "privacy", "read_page", "scan_folder", "symlink_problem"]
