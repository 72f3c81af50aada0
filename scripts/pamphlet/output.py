"""The output folder: the build writes only into a folder it made, and never removes anything else.

- `output_folder` refuses, before anything is written, an output that is, contains or lies inside
  the project's top folder, `.git`, a source folder, `scripts/`, `tests/` or `.venv/`, and an
  existing folder that an earlier build did not make (it has no `OUTPUT_MARK`) unless it is empty.
- `work_folder` is a build's scratch folder next to the output, marked with the host and process
  that made it; it is removed afterwards, also on Ctrl-C and SIGTERM; after a SIGKILL the next
  build's `remove_leftovers` removes it, once that process is gone.
- `swap_in` replaces the old output by the new one with two renames.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
from pathlib import Path

from pamphlet.content import source_folders
from pamphlet.errors import SourceError
from pamphlet.project import Project

MEMBERS_SITE = "site-members"  # never the public site's folder
OUTPUT_MARK = ".pamphlet-output"  # in every folder a build made: only such a folder is ever replaced
WORK_PREFIX = ".pamphlet-build-"  # a build's scratch folder, next to the output
WORK_MARK = ".pamphlet-work"  # in a scratch folder: who made it (host and process id)


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


__all__ = ["MEMBERS_SITE", "OUTPUT_MARK", "WORK_MARK", "WORK_PREFIX", "mark_output", "output_folder",
           "remove_leftovers", "swap_in", "work_folder"]
