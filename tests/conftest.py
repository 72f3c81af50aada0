"""Shared fixtures: synthetic projects (never the repository's own content), built once per session.

The machinery is tested on small projects owned by the tests, under `tests/fixtures/projects/`:
`tiny` (a few lines of every kind of source) and `sample` (every feature the tests need: several
chapters with citations, contested sections, footnotes, an FAQ, allies, a schedule, open and
closed meeting notes, a flier and a handout). The chapter's own content (booklet/, docs/, ...) is
checked by `pamphlet check --strict` and `pamphlet build --strict` in CI, not here, so that a
chapter that replaces all of it keeps a green `make test`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from pamphlet.build import BuildResult, build

REPO = Path(__file__).resolve().parent.parent
PROJECTS = Path(__file__).resolve().parent / "fixtures" / "projects"
TINY = PROJECTS / "tiny"  # a small project of every kind of source
SAMPLE = PROJECTS / "sample"  # a richer one: every feature the tests need
# The day the sample is built on (the Meetings page counts from it): after its last notes (June 16,
# 2026), before its next open meeting (Tuesday, June 30).
TODAY = dt.date(2026, 6, 24)


def copy_project(dest: Path, source: Path = SAMPLE) -> Path:
    """A writable copy of a fixture project (its sources only: no earlier build) in `dest`."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("site", "site-members", ".pamphlet-*"),
                    dirs_exist_ok=True)
    return dest


def copy_sources(dest: Path) -> Path:
    """A writable copy of the sample project's sources in `dest`."""
    return copy_project(dest, SAMPLE)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The sample project, built once for the session (site and every PDF), as of `TODAY`."""
    root = copy_sources(tmp_path_factory.mktemp("sample") / "project")
    return build(root, quiet=True, today=TODAY)


@pytest.fixture(scope="session")
def site(built: BuildResult) -> Path:
    return built.site_dir


@pytest.fixture(scope="session")
def root(built: BuildResult) -> Path:
    """The built sample project's top folder (its sources, as built)."""
    return built.site_dir.parent


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the sample's sources for tests that change or break them."""
    return copy_sources(tmp_path / "project")


@pytest.fixture()
def built_project(built: BuildResult, tmp_path: Path) -> Path:
    """A writable copy of the built sample project, its last good build (site/) included."""
    return Path(shutil.copytree(built.site_dir.parent, tmp_path / "project", symlinks=True))


@pytest.fixture()
def no_unexpected_logs(caplog: pytest.LogCaptureFixture):
    """Fail a test that logs a warning it did not expect; tests that expect one clear them."""
    import logging

    caplog.set_level(logging.WARNING, logger="pamphlet")
    yield
    records = [r for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in records] == []


def run_pamphlet(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real `pamphlet` command in its own process, as a contributor would."""
    exe = Path(sys.executable).parent / "pamphlet"
    return subprocess.run([str(exe), "-C", str(root), *args], capture_output=True, text=True, timeout=600)


@dataclass
class Ran:
    """What `pamphlet` did when run in this process: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture):
    """Run the `pamphlet` command in this process (`pamphlet.cli.main`), without a new interpreter
    for each call; what it prints is captured. An exception it fails to turn into a message fails
    the test with its traceback."""
    from pamphlet.cli import main

    def run(root: Path, *args: str) -> Ran:
        capsys.readouterr()
        previous = signal.getsignal(signal.SIGTERM)  # main() installs its own SIGTERM handler
        try:
            status = main(["-C", str(root), *args])
        finally:
            signal.signal(signal.SIGTERM, previous)
        out, err = capsys.readouterr()
        return Ran(status, out, err)

    return run


def errors_of(result: subprocess.CompletedProcess | Ran) -> list[str]:
    """The `error:` lines of a run that failed as it should: status 1 and no traceback."""
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


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


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI (.ci/run installs Debian's chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield browser
        browser.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (for preview servers)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 60.0):
    """`predicate()`'s first true value, polled for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")
