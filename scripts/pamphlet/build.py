"""`pamphlet build`: sources -> checked content -> PDFs and site, swapped in only on success."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pamphlet.content import Content, check, load_content
from pamphlet.errors import set_display_root
from pamphlet.print.booklet import build_booklet
from pamphlet.progress import Reporter
from pamphlet.project import Project
from pamphlet.site.engine import build_site
from pamphlet.site.generated import add_generated_pages
from pamphlet.site.stage import DOWNLOADS, stage


@dataclass
class BuildResult:
    site_dir: Path
    pdfs: dict[str, int]  # file name -> page count


def load(root: Path | str = ".") -> Content:
    """Load and check every source: the first stage of every command."""
    project = Project.load(root)
    set_display_root(project.root)
    content = load_content(project)
    add_generated_pages(content)
    check(content)
    return content


def report_warnings(content: Content) -> None:
    """Warnings do not stop the build; each distinct one is printed once, after the work."""
    for message in dict.fromkeys(content.warnings):
        print(f"warning: {message}", file=sys.stderr)


def build_pdfs(content: Content, downloads: Path, paper: str | None = None) -> dict[str, int]:
    pdfs = {content.manifest.download: build_booklet(content, downloads / content.manifest.download, paper)}
    return pdfs


def build(root: Path | str = ".", *, output: Path | None = None, paper: str | None = None,
          quiet: bool = False) -> BuildResult:
    """Build everything into a temporary folder next to the output; swap it in only on success."""
    with Reporter(total=4, quiet=quiet) as progress:
        with progress.step("Reading and checking sources"):
            content = load(root)
        project = content.project
        target = (output or project.site_dir).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".pamphlet-build-", dir=target.parent))
        try:
            new_site = work / "site"
            with progress.step("Printing PDFs"):
                pdfs = build_pdfs(content, work / DOWNLOADS, paper)
            with progress.step("Building the site"):
                staged = stage(content, work / "docs")
                build_site(content, staged, new_site)
            with progress.step("Publishing"):
                shutil.copytree(work / DOWNLOADS, new_site / DOWNLOADS)
                swap_in(new_site, target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        report_warnings(content)
        progress.finish(f"Built {target.name}/ with {len(pdfs)} PDF(s)")
    return BuildResult(target, pdfs)


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` by `new` with two renames, so a reader never sees half a site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{new.parent.name}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
