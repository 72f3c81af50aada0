"""`pamphlet build`: sources -> checked content -> PDFs and site, swapped in only on success.

The command layer: the model comes from `pamphlet.model.load`, the PDFs from `pamphlet.print`,
the site from `pamphlet.site`, and the output folder's rules from `pamphlet.output`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import datetime as dt
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pamphlet.cache import PIECES, Pieces, TaskCache, write_record
from pamphlet.content import Content
from pamphlet.downloads import DOWNLOADS, FAQ_PDF, THUMBS, bilingual_file, booklet_file, epub_file, faq_page, plan
from pamphlet.editions import original_flier
from pamphlet.errors import SourceErrors, format_problems, set_display_root, unique
from pamphlet.model import load
from pamphlet.output import MEMBERS_SITE, mark_output, output_folder, remove_leftovers, swap_in, work_folder
from pamphlet.print.booklet import build_booklet, render_chapters
from pamphlet.print.epub import build_epub
from pamphlet.print.fliers import build_bilingual, build_flier
from pamphlet.print.handouts import build_handout
from pamphlet.print.impose import impose_saddle_stitch, n_up_sheet
from pamphlet.print.largeprint import build_large_print
from pamphlet.print.pack import chapter_pack, flier_pack, grayscale_copies
from pamphlet.progress import Reporter
from pamphlet.project import CONFIG_NAME
from pamphlet.rebuild import Unchanged, print_key, unchanged
from pamphlet.site.compare import Comparison, compare
from pamphlet.site.engine import DEFAULT_ENGINE, ENGINES, adapter, build_site
from pamphlet.site.stage import stage
from pamphlet.translations import translation_path


@dataclass
class BuildResult:
    site_dir: Path
    pdfs: dict[str, int]  # file name -> page count


def report_warnings(content: Content) -> None:
    """Warnings do not stop the build; each distinct one is printed once, after the work."""
    warnings = unique(content.warnings)
    if warnings:
        print(format_problems([], warnings), file=sys.stderr)


def _booklet_and_imposition(content: Content, downloads: Path, paper: str | None, pieces: Path | None = None
                            ) -> dict[str, int]:
    booklet = downloads / booklet_file(content)
    pdfs = {booklet.name: build_booklet(content, booklet, paper, pieces=pieces)}
    imposed = downloads / booklet_file(content, "-imposed")
    m = content.manifest
    report = impose_saddle_stitch(booklet, imposed, keep_last=True, crop_marks=m.crop_marks, bleed=m.bleed,
                                  creep=m.creep)
    pdfs[imposed.name] = len(report.sides)
    return pdfs


def _large_print(content: Content, downloads: Path, pieces: Path | None = None) -> dict[str, int]:
    large = downloads / booklet_file(content, "-large-print")
    return {large.name: build_large_print(content, large, pieces)}


def _epub(content: Content, downloads: Path) -> dict[str, int]:
    build_epub(content, downloads / epub_file(content))
    return {}


def _flier(content: Content, downloads: Path, index: int) -> dict[str, int]:
    flier = content.fliers[index]
    target = downloads / f"{flier.name}.pdf"
    pdfs = {target.name: build_flier(content, flier, target)}
    if not flier.is_handout:
        sheet = downloads / f"{flier.name}-sheet.pdf"
        pdfs[sheet.name] = n_up_sheet(target, sheet).pages
    return pdfs | flier_pack(content, flier, downloads)  # handbills, poster, mini-zine


def _edition_booklet(content: Content, downloads: Path, language: str, paper: str | None,
                     pieces: Path | None = None) -> dict[str, int]:
    return _booklet_and_imposition(content.editions[language], downloads, paper, pieces)


def _edition_flier(content: Content, downloads: Path, language: str, index: int) -> dict[str, int]:
    """A translated flier (or handout), and the flier's two-language copy."""
    translated = content.editions[language]
    flier = translated.fliers[index]
    target = downloads / f"{flier.name}.pdf"
    pdfs = {target.name: build_flier(translated, flier, target)}
    original = original_flier(translated, flier)
    if not flier.is_handout and original is not None:
        both = downloads / bilingual_file(translated, flier)
        pdfs[both.name] = build_bilingual([(content, original), (translated, flier)], both)
    return pdfs


def _chapter(content: Content, downloads: Path, index: int) -> dict[str, int]:
    page = content.chapters[index]
    target = downloads / f"chapter-{page.chapter.slug}.pdf"
    return {target.name: build_handout(content, page, target)} | chapter_pack(content, page, downloads)


def _faq(content: Content, downloads: Path) -> dict[str, int]:
    faq = faq_page(content)
    return {FAQ_PDF: build_handout(content, faq, downloads / FAQ_PDF)}


def _thumbnails(content: Content, downloads: Path, *names: str) -> dict[str, int]:
    for name in names:
        thumbnail(downloads / name, downloads / THUMBS / f"{name[:-4]}.png")
    return {}


_WORKER_CONTENT: Content | None = None  # the model, inherited by forked workers (never pickled)


def _die_with_parent(parent: int) -> None:
    """A worker ends when the build does, even when the build is killed (SIGKILL cannot be caught):
    else it could go on writing into the scratch folder that the next build removes (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build ended before the line above
        os._exit(1)


def _init_worker(parent: int, content: Content | None = None) -> None:
    """A worker: it dies with the build; a spawned one gets the model it was sent, and shows file
    names as the parent does."""
    global _WORKER_CONTENT
    _die_with_parent(parent)
    if content is None:
        return  # forked: the model is inherited
    _WORKER_CONTENT = content
    set_display_root(content.project.root)


def _run(task: tuple) -> dict[str, int]:
    """One independent print job, in a worker (or in this process with `jobs=1`)."""
    function, *args = task
    return function(_WORKER_CONTENT, *args)


def _print_and_preview(content: Content, folder: Path, function, *args) -> dict[str, int]:
    """A print task, then the previews of the PDFs it made, in its folder (so that the print cache
    keeps them with the PDFs)."""
    made = function(content, folder, *args)
    _thumbnails(content, folder, *made)
    return made


def _run_all(content: Content, tasks: list[tuple], jobs: int) -> list[dict[str, int]]:
    """The results of `tasks`, in their order; the first error (a `SourceError` keeps its file and
    line across the process boundary) is raised here, after the other workers are stopped."""
    global _WORKER_CONTENT
    _WORKER_CONTENT = content
    try:
        if jobs <= 1 or len(tasks) <= 1:
            return [_run(task) for task in tasks]
        # Forked workers inherit the model as it is; a process with other threads (`serve`) could
        # fork while one of them holds a lock, so there each worker gets the model pickled (spawn).
        fork = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if fork else "spawn")
        extra = {"initializer": _init_worker, "initargs": (os.getpid(),) if fork else (os.getpid(), content)}
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                                                    **extra) as pool:
            futures = [pool.submit(_run, task) for task in tasks]
            try:
                return [future.result() for future in futures]
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
    finally:
        _WORKER_CONTENT = None


def default_jobs() -> int:
    """The CPU count this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


BOOKLETS = (_booklet_and_imposition, _large_print, _edition_booklet)  # laid out in pieces (`build_booklet`)


def print_tasks(content: Content, paper: str | None) -> list[tuple]:
    """The independent prints as (function, options, the owned sources it reads: project paths)."""
    project = content.project

    def rel(path: Path) -> str:
        return project.relative(path)

    def with_translations(paths: list[Path]) -> list[str]:
        return [rel(p) for p in paths] + [rel(translation_path(p, lang)) for p in paths
                                          for lang in project.settings.languages]

    chapters = [rel(p.chapter.path) for p in content.chapters]
    tasks: list[tuple] = [(_booklet_and_imposition, (paper,), chapters), (_large_print, (), chapters),
                          (_epub, (), chapters)]
    tasks += [(_flier, (i,), [rel(f.path)]) for i, f in enumerate(content.fliers)]
    tasks += [(_chapter, (i,), [rel(p.chapter.path)]) for i, p in enumerate(content.chapters)]
    faq = faq_page(content)
    if faq is not None:
        tasks.append((_faq, (), with_translations([faq.path])))
    for language, translated in content.editions.items():
        originals = [p.chapter.path for p in content.chapters]
        tasks.append((_edition_booklet, (language, paper), with_translations(originals)))
        for i, flier in enumerate(translated.fliers):
            original = original_flier(translated, flier)
            tasks.append((_edition_flier, (language, i),
                          with_translations([original.path]) if original else [rel(flier.path)]))
    return tasks


def build_pdfs(content: Content, downloads: Path, paper: str | None = None,
               step=lambda description: contextlib.nullcontext(), jobs: int | None = None,
               cache: TaskCache | None = None) -> dict[str, int]:
    """Every planned download (see `pamphlet.downloads`), each PDF with a preview of its first page.

    The independent prints (`print_tasks`: the booklet and its imposition, the large print, the
    EPUB, each flier with its handbills, poster and zine, each chapter handout with its zine, the
    FAQ, each translated edition's) run in `jobs` forked processes (default: one per CPU), each with
    the model it inherits, each into a folder of its own, each drawing the previews of its PDFs;
    with `cache`, a print whose inputs are unchanged is copied from its entry instead
    (`pamphlet.cache.TaskCache`), and the booklets' pieces are kept in it (`build_booklet`). The
    grayscale copies and their previews follow. Every file is the same whatever `jobs` is, and
    whatever came from the cache.
    Returns the PDFs' page counts; the booklet's EPUB is written beside them."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    downloads.mkdir(parents=True, exist_ok=True)
    planned = {d.file: d for d in plan(content)}
    tasks = print_tasks(content, paper)
    parts = downloads.parent / f"{downloads.name}-parts"  # one folder per print, merged below
    shutil.rmtree(parts, ignore_errors=True)
    keys = [cache.key(function.__name__, options, reads) if cache else None for function, options, reads in tasks]
    results: list[dict[str, int] | None] = [None] * len(tasks)
    if cache is not None:
        for i, key in enumerate(keys):
            results[i] = cache.get(key, parts / str(i))
    todo = [i for i, result in enumerate(results) if result is None]
    pdfs: dict[str, int] = {}
    reused = f", {len(tasks) - len(todo)} of {len(tasks)} from the cache" if cache is not None else ""
    kept = cache is not None and cache.store.usable() and not (cache.store.folder / PIECES).is_symlink()
    pieces = cache.store.folder / PIECES if kept else downloads.parent / f"{downloads.name}-pieces"
    started = time.time()
    with step(f"Printing the booklet, its e-book, {len(content.fliers)} flier(s), {len(content.chapters)} chapter "
              f"handout(s) and the FAQ ({jobs} at a time{reused})"):
        work = [(_print_and_preview, parts / str(i), tasks[i][0], *tasks[i][1],
                 *([pieces] if tasks[i][0] in BOOKLETS else [])) for i in todo]
        for function, options, _ in (tasks[i] for i in todo):  # the chapters, rendered once for all workers
            if function in (*BOOKLETS, _epub):
                render_chapters(content.editions[options[0]] if function is _edition_booklet else content)
        for i, result in zip(todo, _run_all(content, work, jobs) if work else []):
            results[i] = result
            if cache is not None:
                cache.put(keys[i], parts / str(i), result, len(tasks))
        if kept:
            Pieces(pieces).prune(since=started)
        else:
            shutil.rmtree(pieces, ignore_errors=True)
        for i, result in enumerate(results):
            folder = parts / str(i)
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                if path.is_file():
                    target = downloads / path.relative_to(folder)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    path.replace(target)
            pdfs.update(result)
        shutil.rmtree(parts, ignore_errors=True)
        gray = grayscale_copies(content, downloads)  # print: {grayscale: true} in the manifest
        pdfs.update(gray)
    made = {*pdfs, epub_file(content)}
    if made != set(planned):  # the Print & share page lists the plan: it must match the work
        raise RuntimeError(f"the downloads made {sorted(made)} differ from the plan {sorted(planned)}")
    with step("Drawing previews"):  # of the grayscale copies: each print drew its own
        names = list(gray)
        groups = [names[i::jobs] for i in range(min(jobs, len(names)))]
        _run_all(content, [(_thumbnails, downloads, *group) for group in groups if group], jobs)
    return pdfs


def thumbnail(pdf: Path, target: Path, width: int = 240) -> None:
    """A PNG of the first page, `width` pixels wide, for the Print & share page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
        target.parent.mkdir(parents=True, exist_ok=True)
        image.save(target, optimize=True)
    finally:
        document.close()


def _cached_pdfs(content: Content, downloads: Path, paper: str | None, progress: Reporter,
                 key: tuple | None, jobs: int | None) -> dict[str, int]:
    """`build_pdfs` with the print cache: each print whose inputs are unchanged since a build that
    made it is copied (every cached file's hash checked; a damaged entry is printed afresh).

    `key` was taken before the model was loaded; the cache is used only if the sources are still the
    same after loading, and entries are stored only if they are still the same after printing (no
    source changed under the build)."""
    if key is None:
        return build_pdfs(content, downloads, paper, step=progress.step, jobs=jobs)
    top, options, before, (common, owned) = key

    def same() -> bool:
        return print_key(top, paper, options["members"], content.today)[2] == before

    with progress.step("Comparing the sources with the print cache"):
        usable = top == content.project.root and options["today"] == content.today.isoformat() and same()
    if not usable:
        return build_pdfs(content, downloads, paper, step=progress.step, jobs=jobs)
    cache = TaskCache(content.project.root, common, owned, valid=same)
    return build_pdfs(content, downloads, paper, step=progress.step, jobs=jobs, cache=cache)


def build_sites(content: Content, work: Path, site_dir: Path, engine: str) -> None:
    """The site into `site_dir`, and each translated edition's into `site_dir/<language>/`, each
    from its own staged tree (`work/docs`, `work/docs-<language>`) with the printed downloads."""
    build_site(content, stage(content, work / "docs", work / DOWNLOADS), site_dir, engine)
    for language, translated in content.editions.items():
        build_site(translated, stage(translated, work / f"docs-{language}", work / DOWNLOADS), site_dir / language,
                   engine)


def build(root: Path | str = ".", *, output: Path | None = None, paper: str | None = None,
          quiet: bool = False, today: dt.date | None = None, members: bool = False,
          strict: bool = False, engine: str = DEFAULT_ENGINE, cache: bool = True,
          jobs: int | None = None, checked: tuple | None = None) -> BuildResult:
    """Build everything into a temporary folder next to the output; swap it in only on success.

    A rebuild with nothing changed (`pamphlet.rebuild.unchanged`) returns the existing output as it
    is; `checked` is that function's answer when the caller has asked already (the command does,
    before importing the printing code).

    `members` builds the members' edition (closed meetings' notes and drafts included) into its own
    folder, `site-members/` unless `output` says otherwise. `engine` renders the site: "mkdocs"
    (MkDocs + Material, the default) or "zensical" (see `pamphlet.site.engine`).

    The printed downloads come from the project's print cache (`pamphlet.cache`) when every input
    is unchanged since a build that printed them; `cache=False` prints afresh and leaves the cache
    alone. `jobs` is how many prints run at once (default: one per CPU).
    """
    adapter(engine)  # an unknown or missing engine stops the build before it starts
    key = whole = None
    if cache and (Path(root) / CONFIG_NAME).is_file():  # taken first: the sources the model reads
        found = checked or unchanged(root, output=output, paper=paper, today=today, members=members, strict=strict,
                                     engine=engine, quiet=quiet)
        if isinstance(found, Unchanged):
            return BuildResult(found.site_dir, found.pdfs)
        key, whole = found
    # read, [look in the cache], print, draw previews, build the site, publish
    with Reporter(total=6 if cache else 5, quiet=quiet) as progress:
        with progress.step("Reading and checking sources"):
            content = load(root, today, members=members, cache=cache)
            if strict and content.warnings:
                raise SourceErrors(unique(content.warnings))
        project = content.project
        default = project.root / MEMBERS_SITE if members else project.site_dir
        target = output_folder(project, output, default, from_settings=output is None and not members)
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent)
        with work_folder(target.parent) as work:
            new_site = work / "site"
            pdfs = _cached_pdfs(content, work / DOWNLOADS, paper, progress, key, jobs)
            with progress.step("Building the site"):
                build_sites(content, work, new_site, engine)
            with progress.step("Publishing"):
                mark_output(new_site)
                if whole is not None and print_key(root, paper, members, content.today)[2] == key[2]:
                    write_record(new_site, whole, pdfs, _warnings_text(content))  # no source changed meanwhile
                swap_in(new_site, target)
        report_warnings(content)
        progress.finish(f"Built {target.name}/ with {len(pdfs)} download(s)")
    return BuildResult(target, pdfs)


def _warnings_text(content: Content) -> str:
    warnings = unique(content.warnings)
    return format_problems([], warnings) if warnings else ""


def compare_engines(root: Path | str = ".", *, today: dt.date | None = None, quiet: bool = False,
                    keep: Path | None = None) -> Comparison:
    """Build the site with both engines from one staged tree (the PDFs printed once) and compare
    them page by page (`pamphlet.site.compare`); `keep` is a folder to keep both sites in
    (`mkdocs/`, `zensical/`), replaced like an output folder. Nothing is published."""
    for engine in ENGINES:
        adapter(engine)
    with Reporter(total=3 + len(ENGINES), quiet=quiet) as progress:
        with progress.step("Reading and checking sources"):
            content = load(root, today)
        project = content.project
        target = output_folder(project, keep, keep, from_settings=False) if keep is not None else None
        parent = target.parent if target is not None else project.site_dir.parent
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(parent)
        with work_folder(parent) as work:
            build_pdfs(content, work / DOWNLOADS, step=progress.step)
            staged = stage(content, work / "docs", work / DOWNLOADS)
            sites = work / "sites"
            for engine in ENGINES:
                with progress.step(f"Building the site with {engine}"):
                    build_site(content, staged, sites / engine, engine)
            comparison = compare(sites / ENGINES[0], sites / ENGINES[1], names=ENGINES, site_url=project.site_url)
            if target is not None:
                mark_output(sites)
                swap_in(sites, target)
        report_warnings(content)
    return comparison


__all__ = ["BuildResult", "build", "build_pdfs", "default_jobs", "compare_engines", "load", "thumbnail"]
