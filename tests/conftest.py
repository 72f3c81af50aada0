"""Shared fixtures: a copy of the repository's sources, and one full build of it per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pamphlet.build import BuildResult, build

REPO = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "projects" / "tiny"  # a small project of every kind of source
SOURCES = ["mkdocs.yml", "booklet", "docs", "fliers", "data", "references.bib"]


def copy_sources(dest: Path) -> Path:
    """Copy the project's sources (not its outputs or environment) into `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The whole project, built once for the session (site and every PDF)."""
    root = copy_sources(tmp_path_factory.mktemp("project"))
    return build(root, quiet=True)


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    return built.site_dir


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sources for tests that change or break them."""
    return copy_sources(tmp_path / "project")


@pytest.fixture()
def no_unexpected_logs(caplog: pytest.LogCaptureFixture):
    """Fail a test that logs a warning it did not expect; tests that expect one clear them."""
    import logging

    caplog.set_level(logging.WARNING, logger="pamphlet")
    yield
    records = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in records] == []


def run_pamphlet(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `pamphlet` command, as a contributor would."""
    exe = Path(sys.executable).parent / "pamphlet"
    return subprocess.run([str(exe), "-C", str(root), *args], capture_output=True, text=True, timeout=600)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """End every run with one visible line saying how many tests were skipped, and why."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    why = "; ".join(f"{count} because {reason}" for reason, count in sorted(reasons.items()))
    terminalreporter.write_line(f"SKIPPED {len(skipped)} test(s): {why}", yellow=True, bold=True)
