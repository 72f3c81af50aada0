"""Parallel printing (`pamphlet.build.build_pdfs`, `--jobs`): the same bytes as one process, and errors
in a worker reported like any other. On copies of the tiny fixture project; no timings."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from cacheutil import DAY, build, outputs
from conftest import TINY, copy_project, errors_of


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", TINY)


def test_a_parallel_build_prints_what_one_process_prints(tiny: Path, cli) -> None:
    one = build(cli, tiny, "--no-cache", "--jobs", "1")
    several = build(cli, tiny, "--no-cache", "--jobs", "3")
    assert several == one
    stop = threading.Event()  # another thread running (as under `serve`): spawned workers, same bytes
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        spawned = build(cli, tiny, "--no-cache", "--jobs", "2")
    finally:
        stop.set()
        other.join()
    assert spawned == one


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_an_error_in_a_worker_is_one_line_with_file_and_line(tiny: Path, cli, start: str) -> None:
    good = build(cli, tiny)
    flier = tiny / "fliers" / "welcome.md"
    flier.write_text(flier.read_text(encoding="utf-8") + "\n"
                     + "\n\n".join(["More about us, at length, again and again."] * 80) + "\n", encoding="utf-8")
    stop = threading.Event()  # with another thread running, the workers are spawned
    other = threading.Thread(target=stop.wait, daemon=True)
    if start == "spawn":
        other.start()
    try:
        (error,) = errors_of(cli(tiny, "build", "-q", "--today", DAY, "--jobs", "2"))
    finally:
        stop.set()
        if other.is_alive():
            other.join()
    assert re.match(r"error: fliers/welcome\.md:\d+: the back does not fit on its page", error), error
    assert outputs(tiny) == good  # the last good build is untouched


def test_jobs_must_be_a_positive_number(tiny: Path, cli, capsys) -> None:
    with pytest.raises(SystemExit):
        cli(tiny, "build", "--jobs", "0")
