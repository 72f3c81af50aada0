"""`pamphlet build`: sources -> checked content -> PDFs and site, swapped in only on success."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pamphlet.content import Content, check, load_content, source_folders
from pamphlet.downloads import DOWNLOADS, FAQ_PDF, THUMBS, booklet_file, faq_page, plan
from pamphlet.errors import Collector, SourceError, SourceErrors, format_problems, unique
from pamphlet.pages import add_generated_pages
from pamphlet.preflight import preflight
from pamphlet.print.booklet import build_booklet
from pamphlet.print.fliers import build_flier
from pamphlet.print.handouts import build_handout
from pamphlet.print.impose import impose_saddle_stitch, n_up_sheet
from pamphlet.progress import Reporter
from pamphlet.project import Project
from pamphlet.site.engine import build_site
from pamphlet.site.stage import stage
from pamphlet.sources.files import confined

MEMBERS_SITE = "site-members"  # never the public site's folder
OUTPUT_MARK = ".pamphlet-output"  # in every folder a build made: only such a folder is ever replaced
WORK_PREFIX = ".pamphlet-build-"  # a build's scratch folder, next to the output
WORK_MARK = ".pamphlet-work"  # in a scratch folder: who made it (host and process id)


@dataclass
class BuildResult:
    site_dir: Path
    pdfs: dict[str, int]  # file name -> page count


def load(root: Path | str = ".", today: dt.date | None = None, *, members: bool = False) -> Content:
    """Load and check every source: the first stage of every command. No file outside the project
    is read (symlinks included)."""
    with confined(Path(root)):
        return _load(root, today, members=members)


def _load(root: Path | str, today: dt.date | None, *, members: bool) -> Content:
    project = Project.load(root)
    content = load_content(project, today, members=members)
    add_generated_pages(content)
    errors = Collector()
    errors.collect(check, content)
    if not members:  # `check` says before a build whether site_dir could hurt anything
        errors.collect(output_folder, project, None, project.site_dir, from_settings=True)
    errors.raise_if_any()
    preflight(content)
    return content


def report_warnings(content: Content) -> None:
    """Warnings do not stop the build; each distinct one is printed once, after the work."""
    warnings = unique(content.warnings)
    if warnings:
        print(format_problems([], warnings), file=sys.stderr)


def build_pdfs(content: Content, downloads: Path, paper: str | None = None,
               step=lambda description: contextlib.nullcontext()) -> dict[str, int]:
    """Every planned download (see `pamphlet.downloads`), with a preview of its first page."""
    pdfs: dict[str, int] = {}
    planned = {d.file: d for d in plan(content)}
    booklet = downloads / booklet_file(content)
    with step("Printing the booklet"):
        pdfs[booklet.name] = build_booklet(content, booklet, paper)
    with step("Imposing the booklet for saddle stitching"):
        imposed = downloads / booklet_file(content, "-imposed")
        m = content.manifest
        report = impose_saddle_stitch(booklet, imposed, keep_last=True, crop_marks=m.crop_marks, bleed=m.bleed,
                                      creep=m.creep)
        pdfs[imposed.name] = len(report.sides)
    with step(f"Printing {len(content.fliers)} flier(s) and handout(s)"):
        for flier in content.fliers:
            target = downloads / f"{flier.name}.pdf"
            pdfs[target.name] = build_flier(content, flier, target)
            if flier.layout == "flier":
                sheet = downloads / f"{flier.name}-sheet.pdf"
                pdfs[sheet.name] = n_up_sheet(target, sheet).pages
    with step(f"Printing {len(content.chapters)} chapter handouts and the FAQ"):
        for page in content.chapters:
            target = downloads / f"chapter-{page.chapter.slug}.pdf"
            pdfs[target.name] = build_handout(content, page, target)
        faq = faq_page(content)
        if faq is not None:
            pdfs[FAQ_PDF] = build_handout(content, faq, downloads / FAQ_PDF)
    if set(pdfs) != set(planned):  # the Print & share page lists the plan: it must match the work
        raise RuntimeError(f"the downloads made {sorted(pdfs)} differ from the plan {sorted(planned)}")
    with step("Drawing previews"):
        for name in pdfs:
            thumbnail(downloads / name, downloads / THUMBS / f"{name[:-4]}.png")
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


def build(root: Path | str = ".", *, output: Path | None = None, paper: str | None = None,
          quiet: bool = False, today: dt.date | None = None, members: bool = False,
          strict: bool = False) -> BuildResult:
    """Build everything into a temporary folder next to the output; swap it in only on success.

    `members` builds the members' edition (closed meetings' notes and drafts included) into its own
    folder, `site-members/` unless `output` says otherwise.
    """
    with Reporter(total=8, quiet=quiet) as progress:
        with progress.step("Reading and checking sources"):
            content = load(root, today, members=members)
            if strict and content.warnings:
                raise SourceErrors(unique(content.warnings))
        project = content.project
        default = project.root / MEMBERS_SITE if members else project.site_dir
        target = output_folder(project, output, default, from_settings=output is None and not members)
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent)
        with work_folder(target.parent) as work:
            new_site = work / "site"
            pdfs = build_pdfs(content, work / DOWNLOADS, paper, step=progress.step)
            with progress.step("Building the site"):
                staged = stage(content, work / "docs", work / DOWNLOADS)
                build_site(content, staged, new_site)
            with progress.step("Publishing"):
                mark_output(new_site)
                swap_in(new_site, target)
        report_warnings(content)
        progress.finish(f"Built {target.name}/ with {len(pdfs)} PDF(s)")
    return BuildResult(target, pdfs)


def _overlaps(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def output_folder(project: Project, output: Path | None, default: Path, *, from_settings: bool) -> Path:
    """The output folder, refused before anything is written if it could destroy sources.

    It may not be, contain or lie inside a source folder, `.git` or any file pamphlet reads, nor
    be or contain the project itself; if it exists, it must be a folder an earlier build made
    (it holds `OUTPUT_MARK`) or an empty one.
    """
    target = Path(os.path.abspath(output if output is not None else default))
    real = target.resolve()

    def refuse(message: str) -> SourceError:
        if from_settings:
            return project.settings.error(f"`site_dir`: {message}", "site_dir")
        return SourceError(f"the output folder {target}: {message}")

    root = project.root
    if real == root or real in root.parents:
        raise refuse("it is (or contains) the project itself; choose a folder of its own, such as site")
    protected = [root / ".git", project.config_path, *source_folders(project),
                 root / "scripts", root / "tests", root / ".venv"]
    for path in protected:
        path = path.resolve()
        if _overlaps(real, path):
            raise refuse(f"it overlaps {project.relative(path)}, which the build reads; choose a folder of its own, "
                         "such as site")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise refuse("it exists and is not a folder")
    if target.is_dir() and not (target / OUTPUT_MARK).is_file() and any(target.iterdir()):
        raise refuse(f"it exists and was not made by `pamphlet build` (it has no {OUTPUT_MARK} mark); move it "
                     "away or delete it yourself: the build never removes what it did not create")
    return target


def mark_output(folder: Path) -> None:
    (folder / OUTPUT_MARK).write_text("Made by `pamphlet build`; the next build replaces this folder whole.\n",
                                      encoding="utf-8")


@contextlib.contextmanager
def work_folder(parent: Path):
    """A scratch folder next to the output, marked as ours, removed afterwards (also on Ctrl-C and
    SIGTERM; after a SIGKILL, by the next build's `remove_leftovers`)."""
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=parent))
    try:
        (work / WORK_MARK).write_text(f"{socket.gethostname()} {os.getpid()}\n", encoding="utf-8")
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _alive(mark: Path) -> bool:
    try:
        host, pid = mark.read_text(encoding="utf-8").split()
        if host != socket.gethostname():
            return True  # another machine's build: not ours to judge
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError):
        return True  # unreadable, or a process we may not signal: leave it
    return True


def remove_leftovers(parent: Path) -> None:
    """Scratch folders of builds that were killed, and replaced outputs a killed build left behind:
    only folders carrying our marks, never anything else."""
    for path in parent.glob(WORK_PREFIX + "*"):
        if not path.is_dir() or path.is_symlink():
            continue
        work, output = path / WORK_MARK, path / OUTPUT_MARK
        if (work.is_file() and not _alive(work)) or (path.name.startswith(WORK_PREFIX + "old-") and output.is_file()):
            shutil.rmtree(path, ignore_errors=True)


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames, so a reader never sees half a site.

    `target` is either absent, empty, or a folder an earlier build made (`output_folder` checked).
    """
    old = None
    if target.exists():
        old = target.with_name(f"{WORK_PREFIX}old-{target.name}-{new.parent.name[len(WORK_PREFIX):]}")
        target.rename(old)
    new.rename(target)
    if old is not None and (old / OUTPUT_MARK).is_file():
        shutil.rmtree(old, ignore_errors=True)
    elif old is not None:
        old.rmdir()  # it was empty
