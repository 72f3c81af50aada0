"""What the sample project (tests/fixtures/projects/sample) says, read independently of pamphlet's
own loaders (plain YAML and regexes), and the facts of its mkdocs.yml that the tests quote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# From the sample's mkdocs.yml.
SITE_URL = "https://harbor-street.example.org/sample/"
SITE_HOST = "harbor-street.example.org"
REPO_URL = "https://github.com/harbor-street/sample"
EMAIL = "study-group@example.org"
# From the sample's booklet/booklet.yml: its `date`, as printed.
DATE_PRINTED = "June 20, 2026"


@dataclass(frozen=True)
class ExpectedChapter:
    number: int
    file: str
    slug: str
    title: str


def manifest(root: Path) -> dict:
    return yaml.safe_load((root / "booklet" / "booklet.yml").read_text(encoding="utf-8"))


def chapters(root: Path) -> list[ExpectedChapter]:
    result = []
    for number, name in enumerate(manifest(root)["chapters"], start=1):
        text = (root / "booklet" / name).read_text(encoding="utf-8")
        title = re.search(r"^# (.+?)\s*$", text, re.M).group(1)
        result.append(ExpectedChapter(number, name, name[:-3], title))
    return result


def sections(root: Path, chapter: ExpectedChapter) -> list[str]:
    """The chapter's `##` headings, in order."""
    text = (root / "booklet" / chapter.file).read_text(encoding="utf-8")
    return re.findall(r"^## (.+?)\s*$", text, re.M)
