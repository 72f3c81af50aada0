"""The print cache (`pamphlet.cache`) and the parallel printing (`pamphlet.build.build_pdfs`).

Every build here is compared with a clean build (`--no-cache`) of the same sources, byte for byte,
on copies of the tiny fixture project. No timings: those belong to `bench/run.py`."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

import pytest

import pamphlet.build
from pamphlet.cache import CACHE_DIR, MANIFEST

from conftest import TINY, TODAY, copy_project, errors_of

DAY = TODAY.isoformat()


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", TINY)


def outputs(root: Path) -> dict[str, str]:
    """Every file of the built site, by path: its SHA-256."""
    site = root / "site"
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def build(cli, root: Path, *args: str) -> dict[str, str]:
    ran = cli(root, "build", "-q", "--today", DAY, *args)
    assert ran.returncode == 0, ran.stderr
    return outputs(root)


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_DIR).iterdir() if p.is_dir() and not p.name.startswith("."))


def no_printing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("printed although the cache holds these very inputs")

    monkeypatch.setattr(pamphlet.build, "build_pdfs", refuse)


def test_a_warm_cache_writes_what_a_clean_build_writes(tiny: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = build(cli, tiny)
    assert len(entries(tiny)) == 1
    with monkeypatch.context() as patch:
        no_printing(patch)
        warm = build(cli, tiny)
    clean = build(cli, tiny, "--no-cache")
    assert warm == cold == clean
    assert any(name.endswith(".pdf") for name in warm) and "downloads/booklet.epub" in warm


def test_editing_a_chapter_reprints_it_and_the_booklet_as_a_clean_build_does(tiny: Path, cli) -> None:
    before = build(cli, tiny)
    chapter = tiny / "booklet" / "gardens.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("meeting once a month", "meeting every week"),
                       encoding="utf-8")
    after = build(cli, tiny)
    for name in ("downloads/chapter-gardens.pdf", "downloads/booklet.pdf", "downloads/booklet.epub"):
        assert after[name] != before[name], name
    assert after["downloads/chapter-tools.pdf"] == before["downloads/chapter-tools.pdf"]
    assert len(entries(tiny)) == 2
    assert build(cli, tiny, "--no-cache") == after
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("meeting every week", "meeting once a month"),
                       encoding="utf-8")
    assert build(cli, tiny) == before  # back to the first sources: the first entry again


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "missing file", "no manifest", "bad manifest"])
def test_a_damaged_cache_entry_is_detected_and_printed_afresh(tiny: Path, cli, damage: str) -> None:
    clean = build(cli, tiny)
    (entry,) = entries(tiny)
    pdf = entry / "booklet.pdf"
    if damage == "flipped byte":
        data = bytearray(pdf.read_bytes())
        data[len(data) // 2] ^= 0xFF
        pdf.write_bytes(bytes(data))
    elif damage == "truncated":
        pdf.write_bytes(pdf.read_bytes()[:1000])
    elif damage == "missing file":
        pdf.unlink()
    elif damage == "no manifest":
        (entry / MANIFEST).unlink()
    else:
        (entry / MANIFEST).write_text('{"files": ', encoding="utf-8")
    assert build(cli, tiny) == clean
    (entry,) = entries(tiny)  # written again, whole
    manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
    assert all(hashlib.sha256((entry / name).read_bytes()).hexdigest() == digest
               for name, digest in manifest["files"].items())


def test_the_cache_stays_inside_the_project(tiny: Path, tmp_path: Path, cli) -> None:
    elsewhere = tmp_path / "elsewhere"
    build(cli, tiny, "-o", str(elsewhere / "site"))
    assert (tiny / CACHE_DIR).is_dir() and not list(elsewhere.glob(".pamphlet-cache*"))
    outside = tmp_path / "outside"
    outside.mkdir()
    other = copy_project(tmp_path / "other", TINY)
    (other / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    clean = build(cli, other)
    assert list(outside.iterdir()) == []  # a cache folder that leads out of the project is not used
    assert build(cli, other) == clean


def test_only_the_last_few_builds_are_kept(tiny: Path, cli) -> None:
    from pamphlet.cache import KEEP

    page = tiny / "docs" / "index.md"
    for n in range(KEEP + 2):
        page.write_text(page.read_text(encoding="utf-8") + f"\nEdit {n}.\n", encoding="utf-8")
        build(cli, tiny, "--jobs", "1")
    assert len(entries(tiny)) == KEEP


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
