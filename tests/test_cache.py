"""The print cache (`pamphlet.cache`); the parallel printing is in test_parallel.py.

Every build here is compared with a clean build (`--no-cache`) of the same sources, byte for byte,
on copies of the tiny fixture project. No timings: those belong to `bench/run.py`."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import pamphlet.build
import pamphlet.cli
from pamphlet.cache import CACHE_DIR, MANIFEST, PIECES, RECORD

from conftest import TINY, TODAY, copy_project

DAY = TODAY.isoformat()


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", TINY)


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


def test_a_shared_input_reprints_everything_as_a_clean_build_does(warm, tmp_path: Path, cli) -> None:
    """A source no print owns (here the bibliography) is in every print's key. Meeting times, the
    chapters' order and the rest are shown piece by piece in test_pieces.py."""
    import shutil

    tiny = Path(shutil.copytree(warm[0], tmp_path / "project", symlinks=True))
    edit(tiny / "refs.bib", "Parecon", "Parecon, Revised")
    reused, prints, cached = from_cache(cli, tiny)
    assert reused == 0
    assert build(cli, tiny, "--no-cache") == cached


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The tiny project built once, its cache holding one entry."""
    root = copy_project(tmp_path_factory.mktemp("warm") / "project", TINY)
    ran = pamphlet.cli.main(["-C", str(root), "build", "-q", "--today", DAY])
    assert ran == 0
    return root, outputs(root)


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "missing file", "no manifest", "bad manifest"])
def test_a_damaged_cache_entry_is_detected_and_printed_afresh(warm, tmp_path: Path, cli, damage: str) -> None:
    import shutil

    tiny = Path(shutil.copytree(warm[0], tmp_path / "project", symlinks=True))
    clean = warm[1]
    entry = next(e for e in entries(tiny) if (e / "booklet.pdf").exists())
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
    (tiny / "site" / RECORD).unlink()  # the site must be rebuilt: its downloads come from the cache
    assert build(cli, tiny) == clean
    entry = next(e for e in entries(tiny) if (e / "booklet.pdf").exists())  # written again, whole
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


def test_a_cache_that_came_with_the_sources_is_not_trusted(warm, tmp_path: Path, cli, monkeypatch) -> None:
    """A pull request could carry `.pamphlet-cache/` with PDFs no check has seen: a tracked cache is ignored."""
    import shutil
    import subprocess

    tiny = Path(shutil.copytree(warm[0], tmp_path / "project", symlinks=True))
    subprocess.run(["git", "init", "-q", str(tiny)], check=True)
    subprocess.run(["git", "-C", str(tiny), "add", "-f", CACHE_DIR], check=True)
    printed = []
    real = pamphlet.build.build_pdfs
    monkeypatch.setattr(pamphlet.build, "build_pdfs", lambda *a, **k: printed.append(1) or real(*a, **k))
    (tiny / "site" / RECORD).unlink()  # the site must be rebuilt (see the next test for a tracked site)
    assert build(cli, tiny) == warm[1]
    assert printed, "a git-tracked cache was used"


def test_a_rebuild_with_nothing_changed_does_nothing(warm, tmp_path: Path, cli, monkeypatch) -> None:
    import shutil
    import subprocess

    tiny = Path(shutil.copytree(warm[0], tmp_path / "project", symlinks=True))
    loaded = []
    real = pamphlet.build.load
    monkeypatch.setattr(pamphlet.build, "load", lambda *a, **k: loaded.append(1) or real(*a, **k))
    ran = cli(tiny, "build", "--today", DAY)
    assert ran.returncode == 0 and "site/ is up to date" in ran.stderr and not loaded
    assert outputs(tiny) == warm[1]
    page = tiny / "site" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- changed by hand -->", encoding="utf-8")
    assert build(cli, tiny) == warm[1] and len(loaded) == 1  # a site changed by hand is rebuilt
    (tiny / "site" / "extra.html").write_text("not ours", encoding="utf-8")
    assert build(cli, tiny) == warm[1] and len(loaded) == 2  # so is one with a file added
    assert build(cli, tiny, "--strict") == warm[1] and len(loaded) == 3  # other options: another build
    chapter = tiny / "booklet" / "tools.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert build(cli, tiny) != warm[1] and len(loaded) == 4
    # A site folder that came with the sources (tracked by git) is never taken as up to date.
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("\nOne more line.\n", ""), encoding="utf-8")
    assert build(cli, tiny) == warm[1] and len(loaded) == 5
    subprocess.run(["git", "init", "-q", str(tiny)], check=True)
    subprocess.run(["git", "-C", str(tiny), "add", "-f", "site"], check=True)
    assert build(cli, tiny) == warm[1] and len(loaded) == 6
