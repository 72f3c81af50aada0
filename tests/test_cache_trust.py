"""The print cache when it cannot be trusted: a damaged or half-written entry, a cache that came with
the sources; and the rebuild with nothing changed (`pamphlet.cache`, `pamphlet.rebuild`). Each build
is compared with a clean build of the same sources, byte for byte, on copies of the tiny fixture."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import pamphlet.build
import pamphlet.cli
from pamphlet.cache import CACHE_DIR, MANIFEST, RECORD

from cacheutil import DAY, build, edit, entries, from_cache, outputs
from conftest import TINY, copy_project


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The tiny project built once, its cache holding one entry."""
    root = copy_project(tmp_path_factory.mktemp("warm") / "project", TINY)
    ran = pamphlet.cli.main(["-C", str(root), "build", "-q", "--today", DAY])
    assert ran == 0
    return root, outputs(root)


def test_a_shared_input_reprints_everything_as_a_clean_build_does(warm, tmp_path: Path, cli) -> None:
    """A source no print owns (here the bibliography) is in every print's key. Meeting times, the
    chapters' order and the rest are shown piece by piece in test_pieces.py."""
    import shutil

    tiny = Path(shutil.copytree(warm[0], tmp_path / "project", symlinks=True))
    edit(tiny / "refs.bib", "Parecon", "Parecon, Revised")
    reused, prints, cached = from_cache(cli, tiny)
    assert reused == 0
    assert build(cli, tiny, "--no-cache") == cached


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
