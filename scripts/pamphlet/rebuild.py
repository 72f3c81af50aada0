"""A rebuild with nothing changed: found before anything is loaded or imported for printing.

`unchanged` takes the print cache's key of the sources (`pamphlet.cache.fingerprint`: every project
file, pamphlet's code, the libraries, the options) and the whole build's key (`site_key`: with the
site's libraries, the engine, the output folder, members and strict). If the output folder holds the
record of a build with that key and every file that build wrote is there, unchanged, with nothing
added (`pamphlet.cache.up_to_date`), the build is done: its warnings are printed again, nothing else
runs. Kept apart from `pamphlet.build` so the command can ask before importing the printing code.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pamphlet.cache import combined, fingerprint_parts, site_key, up_to_date
from pamphlet.errors import SourceError, SourceErrors
from pamphlet.output import MEMBERS_SITE, remove_leftovers
from pamphlet.progress import Reporter
from pamphlet.project import Project
from pamphlet.sources.files import confined


@dataclass(frozen=True)
class Unchanged:
    site_dir: Path
    pdfs: dict[str, int]


def print_key(root: Path | str, paper: str | None, members: bool, today: dt.date) -> tuple:
    """The print cache's key for the sources as they are now (`pamphlet.cache.fingerprint`): the
    project folder, the options, the whole key, and its parts (the common part, and each owned
    source's hash: `pamphlet.cache.TaskCache` keys each print with them)."""
    top = Path(root).resolve()
    options = {"paper": paper, "members": members, "today": today.isoformat()}
    common, owned = fingerprint_parts(top, options)
    return top, options, combined(common, owned), (common, owned)


def unchanged(root: Path | str, *, output: Path | None = None, paper: str | None = None,
              today: dt.date | None = None, members: bool = False, strict: bool = False, engine: str = "mkdocs",
              quiet: bool = False) -> Unchanged | tuple[tuple[Path, dict, str], str | None]:
    """`Unchanged` (reported) if the output is what a build of these very inputs made; else the print
    key and the whole build's key (None when the settings cannot be read: the build reports why)."""
    key = print_key(root, paper, members, today or dt.date.today())
    try:
        with confined(Path(root)):
            project = Project.load(root)
    except (SourceError, SourceErrors):
        return key, None
    default = project.root / MEMBERS_SITE if members else project.site_dir
    target = Path(os.path.abspath(output if output is not None else default))
    where = os.path.relpath(target, project.root)
    whole = site_key(key[2], {"engine": engine, "output": where, "members": members, "strict": strict})
    record = up_to_date(target, whole, project.root)
    if record is None:
        return key, whole
    remove_leftovers(target.parent)  # an interrupted build's scratch folder goes, as with any build
    with Reporter(total=1, quiet=quiet) as progress:
        with progress.step("Comparing the sources with the last build"):
            pass
        if record["warnings"]:
            print(record["warnings"], file=sys.stderr)
        progress.finish(f"{target.name}/ is up to date: nothing changed since it was built")
    return Unchanged(target, record["pdfs"])


__all__ = ["Unchanged", "print_key", "unchanged"]
