"""Speed benchmark: how long each stage of a full build takes, against the targets below.

Run with `make bench`. Timings depend on the machine; the targets are for the 2-core machines
this project is built and tested on. This is not a test: it reports, it does not fail the suite.
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
from pamphlet.build import build, build_pdfs, load  # noqa: E402
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
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
