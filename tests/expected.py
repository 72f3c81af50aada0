"""What the sources say, read independently of pamphlet's own loaders (plain YAML and regexes)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml


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
