"""The print cache: every printed download of a build, kept under `.pamphlet-cache/` in the project.

A cache entry is keyed by one fingerprint of everything that can change a printed file
(`fingerprint`): the bytes of every file in the project (sources, settings, data, bibliography,
pictures, fliers, manifest...; only build outputs, scratch folders, `.git`, `.venv` and the cache
itself are left out, so whatever the model reads is included), the bytes of pamphlet's own code,
templates, stylesheets and fonts, the versions of Python and of the libraries that print, and the
build's options (paper, members, the day counted from). Any change to any of these gives another
key, so an entry is only ever reused for exactly the inputs that made it: what a hit copies is what
a clean build of the same inputs writes (the print stage is reproducible byte for byte).

The build keys each print on its own (`TaskCache`): the key above without the sources single prints
own (`OWNED`: the chapters, fliers and FAQ, and their translations), plus the print, its options and
the hash of each owned source it reads (declared by `pamphlet.build.print_tasks`). Why the result is
always a clean build's: a print reads the model, and the model's only inputs outside the common part
are the owned sources; each print declares all those it reads (the booklet all chapters, a chapter's
handout its own, a flier its own file), so an entry is reused only when every input of that print is
the same. Anything not owned (settings, manifest, data, bibliography, pictures, other pages, code,
libraries, options) changes every key.

Each entry lists the SHA-256 of each of its files (`MANIFEST`, written last, the entry renamed into
place only once complete); a file that is missing or whose bytes differ makes the entry damaged:
it is removed and the build prints afresh. Only the `KEEP` most recently used entries are kept.
The cache lives inside the project only: if `.pamphlet-cache` is a symlink, not a folder, or tracked
by git (it came with the sources, not from a build on this machine), the build does not use it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from pamphlet.output import OUTPUT_MARK, WORK_MARK, WORK_PREFIX

CACHE_DIR = ".pamphlet-cache"
MANIFEST = "entry.json"
KEEP = 4  # entries kept: those of the last few builds
LIBRARIES = ("weasyprint", "pikepdf", "pypdf", "pypdfium2", "markdown", "pymdown-extensions", "pybtex", "segno",
             "pillow", "pydyf", "tinycss2", "cssselect2", "fonttools", "jinja2", "pyyaml")
SKIPPED_DIRS = {".git", ".venv", CACHE_DIR, "__pycache__", ".pytest_cache", "node_modules", ".hg", ".svn"}
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "TZ", "LANG", "LC_ALL")
_VERSION = 2  # of the cache's own layout and key


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# The sources that single prints read (chapters, fliers, the FAQ, and their translations): kept out
# of the common part of the key, each print's key names those it reads (see `TaskCache`).
OWNED = re.compile(r"(booklet|fliers)/[^/]+\.md|docs/faq(\.[A-Za-z-]+)?\.md")


def _tree(h: "hashlib._Hash", top: Path, label: str, owned: dict[str, str] | None = None,
          pattern: re.Pattern = OWNED) -> None:
    """Every file under `top` (names and bytes), outputs and scratch folders left out. With `owned`,
    the files `pattern` matches go there (path -> SHA-256) instead of into `h`."""
    top_real = top.resolve()
    for folder, dirs, files in os.walk(top):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith(WORK_PREFIX)
                         and not d.startswith(".site-old-")
                         and not (here / d / OUTPUT_MARK).exists() and not (here / d / WORK_MARK).exists())
        for name in sorted(files):
            path = here / name
            rel = path.relative_to(top).as_posix()
            if owned is not None and pattern.fullmatch(rel) and not path.is_symlink():
                try:
                    owned[rel] = _file_digest(path)
                except OSError as exc:
                    owned[rel] = f"unreadable:{exc.errno}"
                continue
            h.update(f"{label}:{rel}\0".encode())
            if path.is_symlink():
                h.update(f"link:{os.readlink(path)}\0".encode())
                real = path.resolve()
                if not (real == top_real or top_real in real.parents) or not real.is_file():
                    continue
            try:
                h.update(_file_digest(path).encode())
            except OSError as exc:  # unreadable: the key must still differ from a readable file's
                h.update(f"unreadable:{exc.errno}".encode())
            h.update(b"\0")
        for d in dirs:  # symlinked folders: their target, not their contents
            link = here / d
            if link.is_symlink():
                h.update(f"{label}:{link.relative_to(top).as_posix()}\0dirlink:{os.readlink(link)}\0".encode())
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]


def fingerprint(root: Path, options: dict[str, object]) -> str:
    """The key of a build's printed outputs: a SHA-256 of everything that affects them."""
    return combined(*fingerprint_parts(root, options))


def combined(common: str, owned: dict[str, str]) -> str:
    """The whole key from its parts: the common part and every owned source's hash."""
    return hashlib.sha256((common + json.dumps(owned, sort_keys=True)).encode()).hexdigest()


def fingerprint_parts(root: Path, options: dict[str, object]) -> tuple[str, dict[str, str]]:
    """The key in two parts: a SHA-256 of everything except the sources single prints own
    (`OWNED`), and the hash of each of those (project path -> SHA-256)."""
    owned: dict[str, str] = {}
    h = hashlib.sha256(tools_digest().encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode() + b"\0")
    _tree(h, Path(root), "project", owned)
    return h.hexdigest(), owned


def tools_digest() -> str:
    """A SHA-256 of what prints, besides the sources: pamphlet's code, templates, stylesheets and
    fonts, the versions of Python and of the printing libraries, and the environment they read."""
    import pamphlet

    h = hashlib.sha256()
    h.update(f"pamphlet-cache {_VERSION} {pamphlet.__version__}\0{sys.version}\0{sys.platform}\0".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}={version}\0".encode())
    for name in ENVIRONMENT:  # SOURCE_DATE_EPOCH as the process found it (printing pins it later)
        value = pamphlet.STARTING_EPOCH if name == "SOURCE_DATE_EPOCH" else os.environ.get(name)
        h.update(f"{name}={value or ''}\0".encode())
    _tree(h, Path(pamphlet.__file__).resolve().parent, "code")
    return h.hexdigest()


class Cache:
    """The project's print cache (see the module's notes)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.folder = self.root / CACHE_DIR

    def usable(self) -> bool:
        """Only a real folder inside the project (or none yet), never a symlink out of it, and never
        one that git tracks: a cache that came with the sources (say, in a stranger's pull request)
        could hold PDFs no check has seen, so it is not trusted."""
        if self.folder.is_symlink():
            return False
        if self.folder.exists():
            return self.folder.is_dir() and self.folder.resolve().parent == self.root and not self._tracked()
        return True

    def _tracked(self) -> bool:
        return tracked(self.root, CACHE_DIR)

    def get(self, key: str, target: Path) -> dict[str, int] | None:
        """Copy the entry `key` into `target` and return its page counts; None if there is none or
        it is damaged (a damaged entry is removed)."""
        if not self.usable():
            return None
        entry = self.folder / key
        if not entry.is_dir() or entry.is_symlink():
            return None
        try:
            manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
            files: dict[str, str] = manifest["files"]
            pdfs = {str(k): int(v) for k, v in manifest["pdfs"].items()}
            if manifest.get("key") != key:
                raise ValueError("another entry's manifest")
            present = {p.relative_to(entry).as_posix() for p in entry.rglob("*") if p.is_file()} - {MANIFEST}
            if present != set(files):
                raise ValueError("files missing or added")
            target.mkdir(parents=True, exist_ok=True)
            for rel, digest in files.items():
                source = entry / rel
                if source.is_symlink() or _file_digest(source) != digest:
                    raise ValueError(f"{rel} is damaged")
                dest = target / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, dest)
                if _file_digest(dest) != digest:
                    raise ValueError(f"{rel} changed while copied")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            shutil.rmtree(entry, ignore_errors=True)
            shutil.rmtree(target, ignore_errors=True)
            return None
        os.utime(entry)  # recently used
        return pdfs

    def put(self, key: str, source: Path, pdfs: dict[str, int], keep: int = KEEP) -> None:
        """Keep the files under `source` as the entry `key`; the oldest entries beyond `keep` go."""
        if not self.usable():
            return
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=self.folder))
            try:
                files = {}
                for path in sorted(source.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        rel = path.relative_to(source).as_posix()
                        dest = scratch / rel
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(path, dest)
                        files[rel] = _file_digest(dest)
                manifest = {"key": key, "files": files, "pdfs": pdfs}
                (scratch / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
                entry = self.folder / key
                if entry.exists():
                    shutil.rmtree(entry, ignore_errors=True)
                scratch.rename(entry)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
            self.prune(keep)
        except OSError:
            return  # a cache that cannot be written only makes the next build slower

    def prune(self, keep: int = KEEP) -> None:
        entries = [p for p in self.folder.iterdir() if p.is_dir() and not p.is_symlink()]
        stale = [p for p in entries if p.name.startswith(".new-")]
        entries = sorted((p for p in entries if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime,
                         reverse=True)
        for path in entries[keep:] + stale:
            if path.name.startswith(".new-") and _recent(path):
                continue  # another build's entry being written
            shutil.rmtree(path, ignore_errors=True)


def tracked(root: Path, relative: str) -> bool:
    """Whether git tracks anything under `relative` in the project at `root` (it came with the
    sources); True when git cannot tell."""
    if not (root / ".git").exists():
        return False
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", relative],
                                capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return True  # cannot tell: do not trust it
    return listed.returncode != 0 or bool(listed.stdout)


def _recent(path: Path, seconds: float = 3600) -> bool:
    import time

    try:
        return time.time() - path.stat().st_mtime < seconds
    except OSError:
        return False


class TaskCache:
    """The print cache as the build uses it: one entry per print (the booklet, a flier, a chapter's
    handout...), keyed by the common part of the sources' key, the print and its options, and the
    hash of each owned source it reads. Editing one chapter reprints what reads it (the booklet, its
    handout, the e-book...) and copies the rest. `valid` says, after printing, whether the sources
    are still those the keys were taken from; entries are stored only then."""

    def __init__(self, root: Path, common: str, owned: dict[str, str], valid) -> None:
        self.store = Cache(root)
        self.common, self.owned, self._valid = common, owned, valid
        self._checked: bool | None = None

    def key(self, name: str, options: tuple, reads: list[str]) -> str:
        h = hashlib.sha256(f"{self.common}\0{name}\0{options!r}\0".encode())
        for rel in sorted(reads):
            h.update(f"{rel}={self.owned.get(rel, 'absent')}\0".encode())
        return h.hexdigest()

    def get(self, key: str, target: Path) -> dict[str, int] | None:
        return self.store.get(key, target)

    def put(self, key: str, source: Path, pdfs: dict[str, int], prints: int) -> None:
        if self._checked is None:
            self._checked = bool(self._valid())
        if self._checked:
            self.store.put(key, source, pdfs, keep=KEEP * max(prints, 1))


# --- pieces of the booklet: chapter-level printing ---------------------------------------------------

PIECES = ".pieces"  # in the cache folder (a dot: not an entry of `Cache`)


@dataclass
class Piece:
    """A laid-out piece of a larger PDF (`pamphlet.print.assemble`): its file, page count, and the
    page (from 0) each of its anchors falls on."""

    path: Path
    pages: int
    anchors: dict[str, int]


class Pieces:
    """Pieces of the booklets (the front matter, the contents, each chapter, the chapters' page
    numbers, the Works Cited, the back cover: `pamphlet.print.booklet.lay_out_booklet`), each laid out
    from its HTML and kept as a PDF, keyed by that HTML, the stylesheets, and `tools_digest`; every
    file the printer read for it (fonts, pictures) is recorded with its SHA-256 and checked before the
    piece is reused. The HTML holds everything else a piece depends on: its text, its citations'
    labels, its first page number (but a chapter's, which has none), the booklet's title for the
    running heads. See CACHING.md.

    `folder` is the project cache's `pieces/` (kept across builds) or a scratch folder. Entries are
    written whole (a temporary name, then renamed), so parallel prints can share the folder; one
    whose PDF or recorded files do not match is removed and laid out again."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._tools: str | None = None
        self._digests: dict[tuple, str] = {}

    def lay_out(self, printer, html: str) -> Piece:
        """The piece `html`, laid out and saved by `printer` (`Printer.save_piece`), or its copy."""
        if self._tools is None:
            self._tools = tools_digest()
        h = hashlib.sha256(f"pamphlet-piece {_VERSION}\0{self._tools}\0{printer.base_url}\0".encode())
        for sheet in printer.stylesheets:
            h.update(f"{sheet}\0{_file_digest(Path(sheet))}\0".encode())
        h.update(html.encode())
        key = h.hexdigest()
        found = self._get(key, printer.fetcher)
        if found is not None:
            return found
        printer.fetcher.served.clear()
        document = printer.layout(html)
        anchors: dict[str, int] = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, number)
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = self.folder / f".new-{os.getpid()}-{key}.pdf"
        try:
            pages = printer.save_piece(document, scratch)
            record = {"key": key, "pages": pages, "anchors": anchors, "pdf": _file_digest(scratch),
                      "read": {str(p): self._digest(p) for p in sorted(printer.fetcher.served)}}
            os.replace(scratch, self.folder / f"{key}.pdf")
            note = self.folder / f".new-{os.getpid()}-{key}.json"
            note.write_text(json.dumps(record), encoding="utf-8")
            os.replace(note, self.folder / f"{key}.json")
        finally:
            scratch.unlink(missing_ok=True)
        return Piece(self.folder / f"{key}.pdf", pages, anchors)

    def _digest(self, path: Path) -> str:
        stat = path.stat()
        memo = (path, stat.st_mtime_ns, stat.st_size)
        if memo not in self._digests:
            self._digests[memo] = _file_digest(path)
        return self._digests[memo]

    def _get(self, key: str, fetcher) -> Piece | None:
        """The entry `key`, if whole and still true. The files its record says the printer read are
        hashed again only if `fetcher` (the sandbox) would serve them: a record naming any other file
        is damaged, so that not even a tampered cache makes a build read outside the project."""
        pdf, note = self.folder / f"{key}.pdf", self.folder / f"{key}.json"
        try:
            record = json.loads(note.read_text(encoding="utf-8"))
            if record["key"] != key or pdf.is_symlink() or _file_digest(pdf) != record["pdf"]:
                raise ValueError("damaged")
            if any(fetcher.local_path(Path(path).as_uri()) is None for path in record["read"]):
                raise ValueError("a file the printer may not read")
            for path, digest in record["read"].items():
                if self._digest(Path(path)) != digest:
                    return None  # a font or picture changed: laid out again, under the same key
            found = Piece(pdf, int(record["pages"]), {str(k): int(v) for k, v in record["anchors"].items()})
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pdf.unlink(missing_ok=True)
            note.unlink(missing_ok=True)
            return None
        os.utime(note)  # recently used
        return found

    def prune(self, since: float, keep: int = KEEP) -> None:
        """Keep the pieces used since `since` (this build) and the most recent others, up to `keep`
        times as many."""
        try:  # another build may be pruning too: a file gone meanwhile is no error
            notes = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            used = sum(1 for p in notes if p.stat().st_mtime >= since)
            for note in notes[max(used * keep, 64):]:
                note.unlink(missing_ok=True)
                note.with_suffix(".pdf").unlink(missing_ok=True)
            for leftover in self.folder.glob(".new-*"):
                if not _recent(leftover):
                    leftover.unlink(missing_ok=True)
        except OSError:
            return


# --- pages whose pre-flight render passed -----------------------------------------------------------

CHECKED = ".checked"  # in the cache folder
MARKDOWN = re.compile(r".+\.md")


class RenderChecks:
    """The pages whose pre-flight render (`pamphlet.preflight.rendering_problems`: the page through the
    site's Markdown extensions and the last HTML gate) passed with no error and no warning, kept as
    empty files in `.pamphlet-cache/.checked/`, so that `check`, `build` and `serve` render again only
    the pages that changed.

    A page's key: `tools_digest`, every file of the project but the Markdown sources (settings,
    manifests, bibliography, data, pictures: whatever a render may read), the edition's language, the
    page's path and site path, and its whole text. Any of these changed, and the page is rendered
    again. A page that failed or warned is never recorded: it is rendered (and says so) every time.
    The folder follows the print cache's rules (inside the project, not a symlink, not tracked by
    git); a cache that cannot be written only makes the next check slower."""

    def __init__(self, root: Path) -> None:
        store = Cache(root)
        self.root = store.root
        self.folder = store.folder / CHECKED
        self.enabled = store.usable() and not self.folder.is_symlink()
        self._common: str | None = None
        self.recorded = 0

    def key(self, language: str, uri: str, path: Path, text: str) -> str:
        if self._common is None:
            h = hashlib.sha256(f"pamphlet-render-check {_VERSION}\0{tools_digest()}\0".encode())
            _tree(h, self.root, "project", {}, MARKDOWN)
            self._common = h.hexdigest()
        h = hashlib.sha256(f"{self._common}\0{language}\0{uri}\0{path}\0".encode())
        h.update(text.encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def passed(self, key: str) -> bool:
        if not self.enabled or not (self.folder / key).is_file():
            return False
        try:
            os.utime(self.folder / key)  # recently used: kept by `prune`
        except OSError:
            pass
        return True

    def record(self, key: str) -> None:
        if not self.enabled:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder.parent / ".gitignore").write_text("*\n", encoding="utf-8")
            (self.folder / key).touch()
            self.recorded += 1
        except OSError:
            self.enabled = False

    def prune(self, keep: int = 512) -> None:
        """Keep the most recently recorded or used entries."""
        if not self.enabled:
            return
        try:
            entries = sorted(self.folder.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
            for entry in entries[keep:]:
                entry.unlink(missing_ok=True)
        except OSError:
            return


# --- the site as a whole: a rebuild with nothing changed -------------------------------------------

RECORD = ".pamphlet-build.json"  # in the output folder: what built it, and the hash of each of its files
SITE_LIBRARIES = ("mkdocs", "mkdocs-material", "zensical", "babel", "markdown-it-py", "mdit-py-plugins")


def site_key(print_key: str, options: dict[str, object]) -> str:
    """The key of a whole build (site and downloads): the print key (every project file, pamphlet's
    code, the printing libraries, the print options) with the site's libraries and options."""
    h = hashlib.sha256(f"pamphlet-site {_VERSION}\0{print_key}\0".encode())
    for name in SITE_LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _site_files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): ("link" if p.is_symlink() else _file_digest(p))
            for p in sorted(folder.rglob("*")) if (p.is_file() or p.is_symlink()) and p.name != RECORD}


def write_record(folder: Path, key: str, pdfs: dict[str, int], warnings: str) -> None:
    """Record, in a freshly built output folder, the build's key, its files' hashes, its downloads'
    page counts and the warnings it printed (a rebuild with nothing changed prints them again)."""
    record = {"key": key, "files": _site_files(folder), "pdfs": pdfs, "warnings": warnings}
    (folder / RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")


def up_to_date(folder: Path, key: str, root: Path) -> dict | None:
    """The record of `folder` if a build of the very same inputs (`key`) made it and every file it
    wrote is still there, unchanged, with nothing added; else None (the build runs). An output folder
    that git tracks in the project at `root` came with the sources, not from a build here: its record
    is not trusted."""
    try:
        if folder.is_symlink() or not (folder / OUTPUT_MARK).is_file():
            return None
        inside = folder.resolve().is_relative_to(root.resolve())
        if inside and tracked(root, os.path.relpath(folder.resolve(), root.resolve())):
            return None
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        if record.get("key") != key or _site_files(folder) != record["files"]:
            return None
        return {"pdfs": {str(k): int(v) for k, v in record["pdfs"].items()}, "warnings": str(record["warnings"])}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


__all__ = ["CACHE_DIR", "CHECKED", "Cache", "OWNED", "PIECES", "Piece", "Pieces",
           "RECORD", "RenderChecks", "TaskCache", "combined", "fingerprint", "fingerprint_parts",
           "site_key", "up_to_date", "write_record"]
