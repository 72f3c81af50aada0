"""Speed benchmark: how long each stage of a full build takes, against the targets below.

Run with `make bench`; `bench/run.py rebuilds PROJECT` times only the cold, no-op and
one-chapter-edit builds of a copy of PROJECT (for instance `.`, this repository's own content).
Timings depend on the machine; the targets are for the 2-core machines this project is built and
tested on. This is not a test: it reports, it does not fail the suite.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from pamphlet.assets.glyphs import unprintable  # noqa: E402
from pamphlet.build import build, build_pdfs, default_jobs, load  # noqa: E402
from pamphlet.cache import CACHE_DIR  # noqa: E402
from pamphlet.print.booklet import build_booklet  # noqa: E402
from pamphlet.site.engine import build_site  # noqa: E402
from pamphlet.site.stage import stage  # noqa: E402

from conftest import copy_sources  # noqa: E402

TARGETS = {  # seconds, median of the runs
    "load + check": 0.5,
    "glyph scan 5 MB": 0.5,
    "booklet PDF": 7.0,
    "all PDFs": 14.0,
    "site": 3.0,
    "full build": 18.0,
}


def main(runs: int = 3) -> int:
    work = Path(tempfile.mkdtemp(prefix="pamphlet-bench-"))
    try:
        root = copy_sources(work / "project")
        timings: dict[str, list[float]] = {name: [] for name in TARGETS}
        for _ in range(runs):
            started = time.perf_counter()
            content = load(root)
            timings["load + check"].append(time.perf_counter() - started)

            line = "The chapter meets on Tuesdays — all welcome. Café, “quotes”, ½ price.\n"
            text = line * (5_000_000 // len(line)) + "end 😀\n"
            started = time.perf_counter()
            unprintable(text)
            timings["glyph scan 5 MB"].append(time.perf_counter() - started)

            started = time.perf_counter()
            build_booklet(content, work / "booklet.pdf")
            timings["booklet PDF"].append(time.perf_counter() - started)

            started = time.perf_counter()
            build_pdfs(content, work / "downloads")
            timings["all PDFs"].append(time.perf_counter() - started)

            started = time.perf_counter()
            staged = stage(content, work / "docs", work / "downloads")
            build_site(content, staged, work / "site")
            timings["site"].append(time.perf_counter() - started)

            started = time.perf_counter()
            build(root, quiet=True)
            timings["full build"].append(time.perf_counter() - started)
        print(f"{'stage':<14} {'median':>8} {'target':>8}   ({runs} run(s))")
        for name, values in timings.items():
            median = statistics.median(values)
            flag = "" if median <= TARGETS[name] else "  SLOWER THAN TARGET"
            print(f"{name:<14} {median:>7.2f}s {TARGETS[name]:>7.1f}s{flag}")
        print()
        rebuilds(copy_sources(work / "rebuilds"), "the sample project")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def rebuilds(root: Path, label: str) -> dict[str, float]:
    """Cold build (empty print cache), no-op rebuild, and rebuild after editing one chapter, with
    their ratios to the cold build (issue 11's targets: no-op <= 0.05, one chapter <= 0.3)."""
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    times: dict[str, float] = {}
    started = time.perf_counter()
    build(root, quiet=True)
    times["cold build"] = time.perf_counter() - started
    started = time.perf_counter()
    build(root, quiet=True)
    times["no-op rebuild"] = time.perf_counter() - started
    chapter = load(root).chapters[0].path
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more paragraph, for the benchmark.\n",
                       encoding="utf-8")
    started = time.perf_counter()
    build(root, quiet=True)
    times["one chapter edited"] = time.perf_counter() - started
    cold = times["cold build"]
    print(f"rebuilds of {label} ({default_jobs()} job(s)):")
    for name, seconds in times.items():
        print(f"{name:<20} {seconds:>7.2f}s {seconds / cold:>6.2f} x cold")
    return times


def copy_project(source: Path, dest: Path) -> Path:
    """The sources of any pamphlet project (no outputs, caches, virtualenv or git history)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "site-members", ".pamphlet-*", "__pycache__", ".pytest_cache", "*.egg-info"))
    return dest


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "rebuilds":  # bench/run.py rebuilds PROJECT: that project only
        scratch = Path(tempfile.mkdtemp(prefix="pamphlet-bench-"))
        try:
            rebuilds(copy_project(Path(sys.argv[2]).resolve(), scratch / "project"), sys.argv[2])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        raise SystemExit(0)
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
