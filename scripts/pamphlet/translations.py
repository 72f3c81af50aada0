"""Translations: where they live, which version of the original each one follows, and what changed since.

A translation sits beside its original, with the language before the extension:
`booklet/economy.es.md` translates `booklet/economy.md`, `docs/faq.es.md` the FAQ,
`fliers/meetings-flier.es.md` a flier, `booklet/booklet.es.yml` the manifest's words (title,
subtitle, download name...). mkdocs.yml's `extra.languages` lists the languages; the source
language is the manifest's `language:`.

Honesty: a translation records, in `original:`, the version of the original it follows: the
original's git blob hash (`git hash-object FILE`, at least 7 hex digits). When the original has
changed since, `check` warns, naming the translation and the original's sections that changed:
the old text is found in the project's own git objects (read, never written; nothing runs but
`git cat-file`), and without git the warning still says the translation is behind. The page then
carries a banner that the original is newer.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HASH = re.compile(r"[0-9a-f]{7,40}")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")
ORIGINAL_KEY = "original"


def translation_path(path: Path, language: str) -> Path:
    """Where the `language` translation of `path` lives: economy.md -> economy.es.md."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def is_translation(name: str, languages: tuple[str, ...] | list[str]) -> bool:
    """Whether a Markdown file name (or site path) is a translation into one of `languages` (the
    YAML translations, booklet.es.yml and meetings.es.yml, are read by name, never scanned for)."""
    stem, _, suffix = name.rpartition(".")
    return bool(stem) and suffix == "md" and any(stem.endswith(f".{language}") for language in languages)


def git_blob_hash(data: bytes) -> str:
    """The hash git gives a file's content (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Translation:
    """A translated page's relation to its original."""

    path: Path  # the translation
    original: Path
    language: str
    recorded: str | None  # the original's version it follows (`original:`), if recorded
    line: int | None  # where `original:` is written
    current: str  # the original's hash now
    changed: list[str] = field(default_factory=list)  # the original's sections changed since (if known)

    @property
    def stale(self) -> bool:
        return self.recorded is not None and not self.current.startswith(self.recorded)


def follow(path: Path, original: Path, language: str, meta, root: Path) -> Translation:
    """How `path` (a translation; `meta`, its front matter, a `Yaml`) stands against `original`, in
    the project at `root`."""
    data = meta.data or {}
    recorded = str(data[ORIGINAL_KEY]).strip().lower() if data.get(ORIGINAL_KEY) is not None else None
    line = meta.line(ORIGINAL_KEY) if ORIGINAL_KEY in data else None
    content = original.read_bytes()
    translation = Translation(path, original, language, recorded, line, git_blob_hash(content))
    if translation.stale and HASH.fullmatch(recorded or ""):
        old = old_version(root, recorded)
        if old is not None:
            translation.changed = changed_sections(old.decode("utf-8", "replace"), content.decode("utf-8", "replace"))
    return translation


def old_version(root: Path, blob: str) -> bytes | None:
    """The original as it was (the git object `blob`), if the project's own repository holds it:
    only `root/.git`, a real folder (never a repository around the project, nor one a symlink leads
    to), read by `git cat-file` with no configuration from outside the repository and no pager."""
    git_dir = root / ".git"
    if git_dir.is_symlink() or not git_dir.is_dir():
        return None
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0",
               GIT_CEILING_DIRECTORIES=str(root.parent))
    try:
        result = subprocess.run(["git", f"--git-dir={git_dir}", "--no-pager", "-c", "core.fsmonitor=false",
                                 "cat-file", "blob", blob],
                                cwd=root, env=env, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def sections(text: str) -> dict[str, str]:
    """A Markdown text's sections: heading (without its `{#id}`) -> the text under it, up to the
    next heading of any level; the text before the first heading is under ""."""
    found: dict[str, list[str]] = {"": []}
    current, fence = "", None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(1)[0]
        elif fence is not None and opening and opening.group(1)[0] == fence:
            fence = None
        heading = _HEADING.match(line) if fence is None else None
        if heading:
            current = _ATTRS.sub("", heading.group(2)) or heading.group(1)
            found.setdefault(current, [])
            continue
        found.setdefault(current, []).append(line.rstrip())
    return {title: "\n".join(lines).strip() for title, lines in found.items()}


def changed_sections(old: str, new: str) -> list[str]:
    """The sections of `new` that are new or differ from `old`, in `new`'s order ("" is the text
    before the first heading, named "the beginning")."""
    before, after = sections(old), sections(new)
    changed = [title for title, text in after.items() if before.get(title) != text and (title or text)]
    return [title or "the beginning" for title in changed]


def stale_message(translation: Translation, original_name: str) -> str:
    """The warning `check` gives for a translation that is behind its original."""
    since = ""
    if translation.changed:
        listed = ", ".join(f"“{title}”" for title in translation.changed[:6])
        more = f" and {len(translation.changed) - 6} more" if len(translation.changed) > 6 else ""
        since = f"; changed since: {listed}{more}"
    return (f"this translation is older than {original_name}{since}. Bring it up to date, then set "
            f"`{ORIGINAL_KEY}: {translation.current[:12]}`")


__all__ = ["ORIGINAL_KEY", "Translation", "changed_sections", "follow", "git_blob_hash", "is_translation",
           "old_version", "sections", "stale_message", "translation_path"]
