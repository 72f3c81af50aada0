"""`pamphlet build --html DIR`: the print HTML of the booklet and of each flier, as WeasyPrint lays
it out, in a folder of its own with its stylesheets, fonts and pictures beside it.

Open `DIR/booklet.html` in a browser to see what the printer gets, or time WeasyPrint alone on it
(`weasyprint DIR/booklet.html booklet.pdf`): it gives the booklet's pages. The booklet's Works
Cited carries the page numbers of a layout of its chapters, so writing it lays the chapters out
once more. In the files, pamphlet's stylesheets are linked (`css/`), where the printer passes them
as user stylesheets; nothing in them depends on that difference.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pamphlet.assets import FONT_FACES, FONTS
from pamphlet.content import Content, source_folders
from pamphlet.errors import SourceError
from pamphlet.output import MEMBERS_SITE, mark_output, output_folder, swap_in, work_folder
from pamphlet.print.booklet import booklet_printer, final_booklet_html
from pamphlet.print.fliers import FlierPrinter, flier_parts
from pamphlet.project import Project

CSS = "css"
FONTS_DIR = "fonts"


def html_folder(root: Path | str, folder: Path, site: Path | None = None) -> Path:
    """`folder` as `--html` may write it: refused (before the build) where it could hurt sources,
    as an output folder is (`pamphlet.output.output_folder`), and where a site is written (`site`,
    or the project's and the members' default folders)."""
    project = Project.load(root)
    target = output_folder(project, folder, folder, from_settings=False)
    real = target.resolve()
    for other in (project.site_dir, project.root / MEMBERS_SITE, *([site] if site is not None else [])):
        other = Path(other).resolve()
        if real == other or other in real.parents or real in other.parents:
            raise SourceError(f"the HTML folder {target}: it overlaps {other}, where a site is built; "
                              "choose a folder of its own")
    return target


class _Sources(HTMLParser):
    """The relative addresses of a document's pictures."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "src" and value and not urlsplit(value).scheme and not value.startswith(("/", "#")):
                self.found.append(value)


def _pictures(content: Content, html: str) -> list[tuple[str, Path]]:
    """(address, file) of the document's pictures that the printer may read (inside the source
    folders, as the sandboxed fetcher serves them)."""
    parser = _Sources()
    parser.feed(html)
    allowed = [folder.resolve() for folder in source_folders(content.project)]
    found = []
    for address in dict.fromkeys(parser.found):
        path = (content.project.root / unquote(urlsplit(address).path)).resolve()
        if path.is_file() and any(path == folder or folder in path.parents for folder in allowed):
            found.append((unquote(urlsplit(address).path), path))
    return found


def _standalone(html: str, stylesheets: list[Path]) -> str:
    """The document with the stylesheets linked (first, as the printer's come before the document's
    own rules) and the fonts read from `fonts/`."""
    html = html.replace(FONTS.as_uri() + "/", FONTS_DIR + "/")
    links = "".join(f'\n<link rel="stylesheet" href="{CSS}/{sheet.name}">' for sheet in stylesheets)
    html, found = re.subn(r'(<meta charset="utf-8">)', lambda m: m.group(1) + links, html, count=1)
    if not found:
        raise RuntimeError("a print template without <meta charset>: cannot link its stylesheets")
    return html


def print_documents(content: Content, paper: str | None = None) -> dict[str, tuple[str, list[Path]]]:
    """File name -> (HTML, stylesheets) of the booklet (`booklet.html`) and of each flier
    (`<name>.html`), as the printer lays them out."""
    documents = {"booklet.html": (final_booklet_html(content, paper), booklet_printer(content).stylesheets)}
    for flier in content.fliers:
        printer = FlierPrinter(content, flier)
        _, parts = printer.fitted(flier_parts(flier))
        documents[f"{flier.name}.html"] = (printer.html(parts), printer.printer.stylesheets)
    return documents


def write_print_html(content: Content, folder: Path, paper: str | None = None) -> list[Path]:
    """Write `print_documents` into `folder` (checked by `html_folder`), replacing it whole, with
    the stylesheets in `css/`, the shipped fonts in `fonts/` and the pictures at the addresses the
    documents give them. Returns the HTML files written."""
    documents = print_documents(content, paper)
    folder = Path(folder).absolute()
    folder.parent.mkdir(parents=True, exist_ok=True)
    written = []
    with work_folder(folder.parent) as work:
        new = work / "html"
        (new / CSS).mkdir(parents=True)
        (new / FONTS_DIR).mkdir()
        for name in [file for _, _, _, file in FONT_FACES] + ["OFL.txt"]:
            shutil.copyfile(FONTS / name, new / FONTS_DIR / name)
        for name, (html, stylesheets) in documents.items():
            for sheet in stylesheets:
                shutil.copyfile(sheet, new / CSS / sheet.name)
            for address, path in _pictures(content, html):
                copy = (new / address).resolve()
                if new.resolve() not in copy.parents:
                    continue  # an address that climbs out of the folder: the picture stays missing
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, copy)
            (new / name).write_text(_standalone(html, stylesheets), encoding="utf-8")
            written.append(folder / name)
        mark_output(new)
        swap_in(new, folder)
    return written


__all__ = ["html_folder", "print_documents", "write_print_html"]
