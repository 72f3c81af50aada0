"""The print cache (`pamphlet.cache`); the parallel printing is in test_parallel.py, damaged and
untrusted caches and the no-op rebuild in test_cache_trust.py, the booklet's pieces in test_pieces.py.

Every build here is compared with a clean build (`--no-cache`) of the same sources, byte for byte,
on copies of the tiny fixture project. No timings: those belong to `bench/run.py`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pamphlet.cache import CACHE_DIR, MANIFEST, PIECES

from cacheutil import build, entries, from_cache, outputs
from conftest import TINY, copy_project


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", TINY)


PRINTS = 7  # in the tiny project: the booklet, large print, e-book, flier (and its pack), two chapters, FAQ


def test_a_warm_cache_writes_what_a_clean_build_writes(tiny: Path, cli) -> None:
    reused, prints, cold = from_cache(cli, tiny)
    assert (reused, prints) == (0, PRINTS) and len(entries(tiny)) == PRINTS  # one entry per print
    reused, _, warm = from_cache(cli, tiny)
    assert reused == PRINTS  # nothing printed
    clean = build(cli, tiny, "--no-cache")
    assert warm == cold == clean
    assert any(name.endswith(".pdf") for name in warm) and "downloads/booklet.epub" in warm


def test_editing_a_chapter_reprints_what_reads_it_as_a_clean_build_does(tiny: Path, cli) -> None:
    before = build(cli, tiny)
    first = set(entries(tiny))
    chapter = tiny / "booklet" / "gardens.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("meeting once a month", "meeting every week"),
                       encoding="utf-8")
    reused, prints, after = from_cache(cli, tiny)
    # reprinted: the booklet (and its imposition), the large print, the e-book, the chapter's handout
    # (and its zine); copied: the other chapter's, the flier, the FAQ
    assert (reused, prints) == (3, PRINTS) and len(set(entries(tiny)) - first) == 4
    for name in ("downloads/chapter-gardens.pdf", "downloads/booklet.pdf", "downloads/booklet.epub"):
        assert after[name] != before[name], name
    assert after["downloads/chapter-tools.pdf"] == before["downloads/chapter-tools.pdf"]
    assert build(cli, tiny, "--no-cache") == after
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("meeting every week", "meeting once a month"),
                       encoding="utf-8")
    assert from_cache(cli, tiny)[:2] == (PRINTS, PRINTS)  # back to the first sources: their entries again
    assert outputs(tiny) == before


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
    (other / CACHE_DIR).unlink()
    (other / CACHE_DIR).mkdir()
    (other / CACHE_DIR / PIECES).symlink_to(outside, target_is_directory=True)
    assert from_cache(cli, other)[2] == clean  # printed again (the task cache is empty), through no link
    assert list(outside.iterdir()) == []  # nor is a folder of booklet pieces that does


def test_only_the_last_few_builds_are_kept(tmp_path: Path) -> None:
    """(Every build prunes after storing its entry: the builds above leave one entry per source state.)"""
    import os

    from pamphlet.cache import KEEP, Cache

    cache = Cache(tmp_path)
    for n in range(KEEP + 2):  # entries made one minute apart, oldest first
        entry = cache.folder / f"{n:064x}"
        entry.mkdir(parents=True)
        (entry / MANIFEST).write_text("{}", encoding="utf-8")
        os.utime(entry, (1_000_000 + 60 * n, 1_000_000 + 60 * n))
    (cache.folder / ".new-abandoned").mkdir()
    os.utime(cache.folder / ".new-abandoned", (1_000_000, 1_000_000))  # a killed build's half entry
    cache.prune()
    assert [p.name for p in entries(tmp_path)] == [f"{n:064x}" for n in range(2, KEEP + 2)]
    assert not (cache.folder / ".new-abandoned").exists()


