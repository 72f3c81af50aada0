"""Helpers of the print cache's tests (test_cache.py, test_cache_trust.py): builds of a fixture
project through the command, and their outputs by SHA-256."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

import pamphlet.build
from pamphlet.cache import CACHE_DIR, RECORD

from conftest import TODAY

DAY = TODAY.isoformat()


def outputs(root: Path) -> dict[str, str]:
    """Every file of the built site, by path: its SHA-256."""
    site = root / "site"
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and p.name != RECORD}


def build(cli, root: Path, *args: str) -> dict[str, str]:
    ran = cli(root, "build", "-q", "--today", DAY, *args)
    assert ran.returncode == 0, ran.stderr
    return outputs(root)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_DIR).iterdir() if p.is_dir() and not p.name.startswith("."))


def no_printing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("printed although the cache holds these very inputs")

    monkeypatch.setattr(pamphlet.build, "build_pdfs", refuse)


def from_cache(cli, root: Path, *args: str) -> tuple[int, int, dict[str, str]]:
    """Build (its site rebuilt, not taken as up to date): how many prints came from the cache, of how
    many, and the outputs."""
    record = root / "site" / RECORD
    if record.exists():
        record.unlink()
    ran = cli(root, "build", "--today", DAY, *args)
    assert ran.returncode == 0, ran.stderr
    found = re.search(r"(\d+) of (\d+) from the cache", ran.stderr)
    assert found, ran.stderr
    return int(found[1]), int(found[2]), outputs(root)
