"""`pamphlet build`: sources -> checked content -> PDFs and site, swapped in only on success.

The command layer: the model comes from `pamphlet.model.load`, the PDFs from `pamphlet.print`,
the site from `pamphlet.site`, and the output folder's rules from `pamphlet.output`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from pamphlet.content import Content
from pamphlet.downloads import DOWNLOADS, FAQ_PDF, THUMBS, booklet_file, epub_file, faq_page, plan
from pamphlet.errors import SourceErrors, format_problems, unique
from pamphlet.model import load
from pamphlet.output import MEMBERS_SITE, mark_output, output_folder, remove_leftovers, swap_in, work_folder
from pamphlet.print.booklet import build_booklet
from pamphlet.print.epub import build_epub
from pamphlet.print.fliers import build_flier
from pamphlet.print.handouts import build_handout
from pamphlet.print.impose import impose_saddle_stitch, n_up_sheet
from pamphlet.print.largeprint import build_large_print
from pamphlet.print.pack import build_pack, grayscale_copies
from pamphlet.progress import Reporter
from pamphlet.site.compare import Comparison, compare
from pamphlet.site.engine import DEFAULT_ENGINE, ENGINES, adapter, build_site
from pamphlet.site.stage import stage


@dataclass
class BuildResult:
    site_dir: Path
    pdfs: dict[str, int]  # file name -> page count


def report_warnings(content: Content) -> None:
    """Warnings do not stop the build; each distinct one is printed once, after the work."""
    warnings = unique(content.warnings)
    if warnings:
        print(format_problems([], warnings), file=sys.stderr)


def build_pdfs(content: Content, downloads: Path, paper: str | None = None,
               step=lambda description: contextlib.nullcontext()) -> dict[str, int]:
    """Every planned download (see `pamphlet.downloads`), each PDF with a preview of its first page.

    Returns the PDFs' page counts; the booklet's EPUB is written beside them."""
    pdfs: dict[str, int] = {}
    planned = {d.file: d for d in plan(content)}
    booklet = downloads / booklet_file(content)
    with step("Printing the booklet"):
        pdfs[booklet.name] = build_booklet(content, booklet, paper)
    with step("Printing the large-print booklet"):
        large = downloads / booklet_file(content, "-large-print")
        pdfs[large.name] = build_large_print(content, large)
    with step("Writing the booklet as an e-book (EPUB)"):
        build_epub(content, downloads / epub_file(content))
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
            if not flier.is_handout:
                sheet = downloads / f"{flier.name}-sheet.pdf"
                pdfs[sheet.name] = n_up_sheet(target, sheet).pages
        pdfs.update(build_pack(content, downloads))  # handbills, posters, mini-zines
    with step(f"Printing {len(content.chapters)} chapter handouts and the FAQ"):
        for page in content.chapters:
            target = downloads / f"chapter-{page.chapter.slug}.pdf"
            pdfs[target.name] = build_handout(content, page, target)
        faq = faq_page(content)
        if faq is not None:
            pdfs[FAQ_PDF] = build_handout(content, faq, downloads / FAQ_PDF)
        pdfs.update(grayscale_copies(content, downloads))  # print: {grayscale: true} in the manifest
    made = {*pdfs, epub_file(content)}
    if made != set(planned):  # the Print & share page lists the plan: it must match the work
        raise RuntimeError(f"the downloads made {sorted(made)} differ from the plan {sorted(planned)}")
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
          strict: bool = False, engine: str = DEFAULT_ENGINE) -> BuildResult:
    """Build everything into a temporary folder next to the output; swap it in only on success.

    `members` builds the members' edition (closed meetings' notes and drafts included) into its own
    folder, `site-members/` unless `output` says otherwise. `engine` renders the site: "mkdocs"
    (MkDocs + Material, the default) or "zensical" (see `pamphlet.site.engine`).
    """
    adapter(engine)  # an unknown or missing engine stops the build before it starts
    with Reporter(total=10, quiet=quiet) as progress:
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
                build_site(content, staged, new_site, engine)
            with progress.step("Publishing"):
                mark_output(new_site)
                swap_in(new_site, target)
        report_warnings(content)
        progress.finish(f"Built {target.name}/ with {len(pdfs)} PDF(s)")
    return BuildResult(target, pdfs)


def compare_engines(root: Path | str = ".", *, today: dt.date | None = None, quiet: bool = False,
                    keep: Path | None = None) -> Comparison:
    """Build the site with both engines from one staged tree (the PDFs printed once) and compare
    them page by page (`pamphlet.site.compare`); `keep` is a folder to keep both sites in
    (`mkdocs/`, `zensical/`), replaced like an output folder. Nothing is published."""
    for engine in ENGINES:
        adapter(engine)
    with Reporter(total=8 + len(ENGINES), quiet=quiet) as progress:
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


__all__ = ["BuildResult", "build", "build_pdfs", "compare_engines", "load", "thumbnail"]
