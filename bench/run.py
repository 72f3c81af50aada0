"""Speed benchmark: issue 11's measurements side by side, on a generated project (bench/corpus.py).

    python bench/run.py [--chapters 12 --pages 14 ...] [--check-mb 5] [--out FILE]

prints, for a copy of the sample fixture grown by `bench/corpus.py` (its size options are taken
here too), each step's time, its ratio to what it is compared with, the target, and the peak
memory of the largest process it ran (resource.getrusage): `pamphlet build` cold, no-op and after
a one-chapter edit; the booklet PDF step against WeasyPrint alone on the booklet's final HTML
(`pamphlet build --html`); the site step against a plain `mkdocs build` (Material, no pamphlet
extensions) of the same staged Markdown; `pamphlet serve` after a one-word edit (the page: re-reading
the sources and rebuilding the site, as the preview does before it reloads; the PDFs: reprinted
through the print cache); `pamphlet check` with a 5 MB page, with no cache and again (its pages'
renders remembered), and `pamphlet build` of that project with no cache. Each step runs in a
process of its own; the results go to bench/results/latest.json (git-ignored) or `--out`.

`bench/run.py stages [RUNS]` times each stage of a build of the sample project (medians, against
fixed targets); `bench/run.py rebuilds PROJECT` times only the cold, no-op and one-chapter-edit
builds of a copy of PROJECT (for instance `.`, this repository's own content).
Timings depend on the machine; the targets are for the 2-core machines this project is built and
tested on. This is not a test: it reports, it does not fail the suite.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from pamphlet.assets.glyphs import unprintable  # noqa: E402
from pamphlet.build import build, build_pdfs, default_jobs, load  # noqa: E402
from pamphlet.cache import CACHE_DIR  # noqa: E402
from pamphlet.downloads import DOWNLOADS  # noqa: E402
from pamphlet.print.booklet import build_booklet  # noqa: E402
from pamphlet.site.engine import build_site  # noqa: E402
from pamphlet.site.stage import stage  # noqa: E402

from conftest import copy_sources  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from corpus import TODAY, Sizes, big_page, generate  # noqa: E402

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
    edit_a_word(chapter)
    started = time.perf_counter()
    build(root, quiet=True)
    times["one chapter edited"] = time.perf_counter() - started
    grow(chapter)
    started = time.perf_counter()
    build(root, quiet=True)
    times["one chapter grown"] = time.perf_counter() - started
    cold = times["cold build"]
    print(f"rebuilds of {label} ({default_jobs()} job(s)):")
    for name, seconds in times.items():
        print(f"{name:<20} {seconds:>7.2f}s {seconds / cold:>6.2f} x cold")
    return times


def edit_a_word(chapter: Path) -> None:
    """A writer's usual edit: one word of the chapter's middle paragraph changed for another of the
    same length (the chapter keeps its pages, most of the time, as most edits do)."""
    text = chapter.read_text(encoding="utf-8")
    middle = len(text) // 2
    found = re.compile(r" (\w{4}) ").search(text, middle)
    at = found.start(1) if found else middle
    chapter.write_text(text[:at] + ("shed" if text[at:at + 4] != "shed" else "room") + text[at + 4:],
                       encoding="utf-8")


def grow(chapter: Path) -> None:
    """A paragraph added at the chapter's end: when the chapter then takes a page more and ends on
    another side, every page after it moves by two: the chapters after it get new page numbers
    (their folio pieces), the contents and the Works Cited are laid out again."""
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more paragraph, for the benchmark.\n",
                       encoding="utf-8")


def copy_project(source: Path, dest: Path) -> Path:
    """The sources of any pamphlet project (no outputs, caches, virtualenv or git history)."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "site-members", ".pamphlet-*", "__pycache__", ".pytest_cache", "*.egg-info"))
    return dest


# Side by side: each step in a process of its own (`python bench/run.py _step NAME ARGS...`), which
# prints the seconds of the timed part and the peak memory of its largest process.

PAMPHLET = Path(sys.executable).parent / "pamphlet"
RESULTS = REPO / "bench" / "results" / "latest.json"


def _peak_mib(children_only: bool) -> float:
    """The largest resident set of any child this process waited for (and their children), or of
    this process itself (Linux gives KiB, macOS bytes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if not children_only:
        usage = max(usage, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return usage / 1024 if sys.platform != "darwin" else usage / 1024 / 1024


def _command(*args: str) -> float:
    """A command in a process of its own; its output is shown only if it fails."""
    started = time.perf_counter()
    done = subprocess.run(list(args), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return seconds


def _step(name: str, *args: str) -> float:
    """Run one step here; returns the seconds of its timed part."""
    if name == "pamphlet":  # the command, as a contributor runs it
        return _command(str(PAMPHLET), *args)
    if name == "pamphlet-cold":  # the same, with no cache in the project (args: the project, then the command's)
        shutil.rmtree(Path(args[0]) / CACHE_DIR, ignore_errors=True)
        return _command(str(PAMPHLET), "-C", *args)
    if name == "booklet":  # the booklet PDF step alone
        import weasyprint  # noqa: F401  (imported before the clock starts, as for WeasyPrint alone)

        root, target = args
        content = load(Path(root), TODAY)
        started = time.perf_counter()
        build_booklet(content, Path(target))
        return time.perf_counter() - started
    if name == "weasyprint":  # WeasyPrint alone: one layout and write of the final HTML, tagged as ours
        from weasyprint import HTML

        html, target = args
        started = time.perf_counter()
        HTML(filename=html).write_pdf(target, pdf_identifier=b"pamphlet", pdf_variant="pdf/ua-1")  # as Printer.save
        return time.perf_counter() - started
    if name == "site":  # pamphlet's site step on its staged Markdown (kept for the plain build)
        import yaml

        root, folder = map(Path, args)
        content = load(root, TODAY)
        staged = stage(content, folder / "docs", root / "site" / DOWNLOADS)  # the last build's downloads
        (folder / "nav.yml").write_text(yaml.safe_dump(staged.nav, allow_unicode=True), encoding="utf-8")
        started = time.perf_counter()
        build_site(content, staged, folder / "site")
        return time.perf_counter() - started
    if name == "mkdocs":  # a plain `mkdocs build` of the same staged Markdown
        import yaml

        root, folder = map(Path, args)
        settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        standard = [e for e in settings.get("markdown_extensions", [])
                    if not (e if isinstance(e, str) else next(iter(e))).startswith("pamphlet.")]
        config = {"site_name": settings["site_name"], "docs_dir": str(folder / "docs"),
                  "site_dir": str(folder / "plain-site"), "theme": {"name": "material", "font": False},
                  "plugins": ["search"], "markdown_extensions": standard,
                  "nav": yaml.safe_load((folder / "nav.yml").read_text(encoding="utf-8"))}
        (folder / "plain-mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        from mkdocs.commands.build import build as mkdocs_build  # imported before the clock, as for the site step
        from mkdocs.config import load_config

        started = time.perf_counter()  # `mkdocs build -f plain-mkdocs.yml`, in this process
        mkdocs_build(load_config(config_file=str(folder / "plain-mkdocs.yml")))
        return time.perf_counter() - started
    if name in ("serve-reload", "serve-pdfs"):  # `pamphlet serve` after a one-word edit in a chapter
        from pamphlet.serve import ServeSession

        root, folder = map(Path, args)
        session = ServeSession(root, pdf=False, today=TODAY)  # the day the builds counted from
        try:
            shutil.copytree(root / "site" / DOWNLOADS, session.work / DOWNLOADS)  # the PDFs printed before
            session.restage()  # the preview as it stands before the edit
            edit_a_word(load(root, TODAY).chapters[-1].path)
            started = time.perf_counter()
            staged = session.restage()  # what the engine runs before it rebuilds, then its rebuild:
            if name == "serve-reload":
                build_site(session.content, staged, folder / "serve-site")
            else:  # the PDFs reprinted through the print cache (from the builds before)
                build_pdfs(session.content, folder / "serve-downloads", cache=session._print_cache(session._loaded[1]))
            return time.perf_counter() - started
        finally:
            shutil.rmtree(session.work, ignore_errors=True)
    raise SystemExit(f"unknown step {name}")


def measure(name: str, *args: str, runs: int = 1) -> dict[str, float]:
    """`_step` in a fresh process, `runs` times: {"seconds" (the median), "peak_mib" (the largest)}."""
    found = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, __file__, "_step", name, *args], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"step {name} failed:\n{done.stdout}{done.stderr}")
        found.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(f["seconds"] for f in found), "peak_mib": max(f["peak_mib"] for f in found)}


# name: (compared with, target ratio or seconds, what the target is)
COMPARED = {
    "no-op rebuild": ("cold build", 0.05, "ratio"),
    "one chapter edited": ("cold build", 0.3, "ratio"),
    "one chapter grown": ("cold build", None, "ratio"),
    "serve: page after an edit": (None, 1.0, "seconds"),
    "serve: PDFs after an edit": ("cold build", 0.3, "ratio"),
    "booklet PDF step": ("WeasyPrint alone", 1.1, "ratio"),
    "site step": ("plain mkdocs build", None, "ratio"),
    "check, big page": (None, 2.0, "seconds"),
    "check again, unchanged": (None, 2.0, "seconds"),
    "build, big page": (None, 15.0, "seconds"),
}


def side_by_side(sizes: Sizes, check_mb: float, out: Path, runs: int = 3) -> dict:
    """The builds run once each (they follow one another: cold, no-op, edit); every other step
    `runs` times, its median kept."""
    work = Path(tempfile.mkdtemp(prefix="pamphlet-bench-"))
    try:
        root = generate(work / "project", sizes)
        today = ["--today", TODAY.isoformat()]
        steps: dict[str, dict[str, float]] = {}
        steps["cold build"] = measure("pamphlet", "-C", str(root), "build", "--quiet", *today)
        steps["no-op rebuild"] = measure("pamphlet", "-C", str(root), "build", "--quiet", *today)
        from pypdf import PdfReader

        pages = len(PdfReader(root / "site" / "downloads" / "booklet.pdf").pages)
        chapter = root / "booklet" / "generated-01.md" if sizes.chapters else load(root, TODAY).chapters[0].path
        edit_a_word(chapter)
        steps["one chapter edited"] = measure("pamphlet", "-C", str(root), "build", "--quiet", *today)
        grow(chapter)
        steps["one chapter grown"] = measure("pamphlet", "-C", str(root), "build", "--quiet", *today)
        steps["serve: page after an edit"] = measure("serve-reload", str(root), str(work), runs=runs)
        steps["serve: PDFs after an edit"] = measure("serve-pdfs", str(root), str(work), runs=runs)
        html = work / "print-html"
        measure("pamphlet", "-C", str(root), "build", "--quiet", *today, "--html", str(html))
        steps["booklet PDF step"] = measure("booklet", str(root), str(work / "booklet.pdf"), runs=runs)
        steps["WeasyPrint alone"] = measure("weasyprint", str(html / "booklet.html"), str(work / "alone.pdf"),
                                            runs=runs)
        steps["site step"] = measure("site", str(root), str(work / "stage"), runs=runs)
        steps["plain mkdocs build"] = measure("mkdocs", str(root), str(work / "stage"), runs=runs)
        big = copy_sources(work / "big")
        big_page(big, check_mb)
        steps["check, big page"] = measure("pamphlet-cold", str(big), "check", *today, runs=runs)
        steps["build, big page"] = measure("pamphlet-cold", str(big), "build", "--quiet", *today)
        steps["check again, unchanged"] = measure("pamphlet", "-C", str(big), "check", *today, runs=runs)
        results = report(steps, sizes, pages, check_mb)
        results["runs"] = runs
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwritten to {out}")
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(steps: dict[str, dict[str, float]], sizes: Sizes, pages: int, check_mb: float) -> dict:
    print(f"{sizes.chapters} generated chapter(s) of ~{sizes.pages} pages added to the sample: a {pages}-page "
          f"booklet; {default_jobs()} CPU(s); the big page is {check_mb:g} MB")
    print(f"{'step':<26} {'time':>8} {'ratio':>8}  {'compared with':<20} {'target':>8} {'peak':>9}")
    ratios = {}
    for name, measured in steps.items():
        against, target, kind = COMPARED.get(name, (None, None, ""))
        ratio = measured["seconds"] / steps[against]["seconds"] if against else None
        if ratio is not None:
            ratios[f"{name} / {against}"] = round(ratio, 3)
        shown = f"{ratio:.2f} x" if ratio is not None else ""
        goal = "" if target is None else (f"<= {target:g}" if kind == "ratio" else f"<= {target:g} s")
        print(f"{name:<26} {measured['seconds']:>7.2f}s {shown:>8}  {against or '':<20} {goal:>8} "
              f"{measured['peak_mib']:>5.0f} MiB")
    peak = max(m["peak_mib"] for m in steps.values())
    print(f"{'peak memory':<26} {'':>8} {'':>8}  {'(largest process)':<20} {'< 1024':>8} {peak:>5.0f} MiB")
    return {"sizes": vars(sizes), "booklet_pages": pages, "big_page_mb": check_mb, "cpus": default_jobs(),
            "machine": platform.platform(), "python": platform.python_version(),
            "steps": {name: {k: round(v, 3) for k, v in m.items()} for name, m in steps.items()},
            "ratios": ratios, "peak_mib": round(peak, 1)}


if __name__ == "__main__" and sys.argv[1:2] == ["_step"]:
    seconds = _step(*sys.argv[2:])
    print(json.dumps({"seconds": seconds, "peak_mib": _peak_mib(children_only=sys.argv[2] == "pamphlet")}))
    raise SystemExit(0)

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "stages":
        raise SystemExit(main(int(sys.argv[2]) if len(sys.argv) > 2 else 3))
    if len(sys.argv) > 2 and sys.argv[1] == "rebuilds":  # bench/run.py rebuilds PROJECT: that project only
        scratch = Path(tempfile.mkdtemp(prefix="pamphlet-bench-"))
        try:
            rebuilds(copy_project(Path(sys.argv[2]).resolve(), scratch / "project"), sys.argv[2])
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description="issue 11's measurements side by side, on a generated project")
    for field, default in vars(Sizes()).items():
        parser.add_argument(f"--{field}", type=int, default=default, help=f"(default: {default})")
    parser.add_argument("--check-mb", type=float, default=5.0, help="the big page's size for `check` (default: 5)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each step but the builds, the median kept "
                                                            "(default: 3)")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"(default: {RESULTS.relative_to(REPO)})")
    options = parser.parse_args()
    side_by_side(Sizes(**{field: getattr(options, field) for field in vars(Sizes())}), options.check_mb, options.out,
                 max(1, options.runs))
