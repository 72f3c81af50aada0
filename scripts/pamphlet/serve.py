"""`pamphlet serve`: the site engine's live-reload server on the staged tree, PDFs rebuilt in the background.

Each rebuild re-reads the sources (`restage`: with MkDocs the plugin calls it before each rebuild;
with Zensical pamphlet watches the sources and re-stages, and Zensical follows the staged tree),
so editing a chapter, the manifest or docs/ reloads the page. The PDFs are printed in a background
thread after a change and reach the served site when ready; the page reload never waits for them.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from pamphlet.build import build_pdfs
from pamphlet.cache import TaskCache
from pamphlet.downloads import DOWNLOADS
from pamphlet.errors import SourceError, SourceErrors
from pamphlet.model import load
from pamphlet.project import MANIFEST, Project
from pamphlet.rebuild import print_key
from pamphlet.site.engine import DEFAULT_ENGINE, adapter
from pamphlet.site.stage import Staged, stage


class ServeSession:
    def __init__(self, root: Path, *, pdf: bool = True, language: str | None = None,
                 today: dt.date | None = None) -> None:
        self.root = root
        self.today = today  # the day meetings are counted from (None: each re-read's own day)
        self.pdf = pdf
        self.language = language  # a translated edition to preview (None: the source language's)
        self.work = Path(tempfile.mkdtemp(prefix="pamphlet-serve-"))
        self.staged: Staged | None = None
        self.site_dir: Path | None = None
        self._lock = threading.Lock()
        self._pdf_thread: threading.Thread | None = None
        self._pdf_again = False
        # the last model, and the print cache's key of the sources it was loaded from (None: unknown)
        self._loaded: tuple = (None, None)
        self._printed: int | None = None

    def restage(self) -> Staged | None:
        """Re-read and re-stage the sources; on an error, report it and keep the last good tree."""
        try:
            today = self.today or dt.date.today()
            key = print_key(self.root, None, False, today)  # taken before loading, as `build` does
            content = load(self.root, today)
            # the last printed PDFs are part of the tree, so links to them resolve in the preview
            self.staged = stage(edition_of(content, self.language), self.work / "docs", self.work / DOWNLOADS)
        except (SourceError, SourceErrors) as exc:
            for line in str(exc).splitlines():
                print(f"error: {line}", file=sys.stderr, flush=True)
            return self.staged
        same = print_key(self.root, None, False, today)[2] == key[2]
        self._loaded = (content, key if same else None)  # one assignment: the print thread reads both
        fingerprint = hash(tuple((uri, page.source.text if page.source else page.generated_text)
                                 for uri, page in sorted(content.pages.items())))
        if self.pdf and fingerprint != self._printed:
            self._printed = fingerprint  # MkDocs rebuilds twice per edit; print once
            self._schedule_pdfs()
        return self.staged

    @property
    def content(self):
        """The last model that loaded without errors."""
        return self._loaded[0]

    def watch_paths(self) -> list[Path]:
        project = Project.load(self.root)
        citations = project.settings.citations
        bibliography = list(citations.bibliography) if citations is not None else []  # wherever mkdocs.yml says
        candidates = [project.docs_dir, self.root / MANIFEST.parent, *bibliography, self.root / "references.bib",
                      self.root / "data", self.root / "fliers"]
        return [path for path in dict.fromkeys(candidates) if path.exists()]

    def after_site_build(self, site_dir: str) -> None:
        self.site_dir = Path(site_dir)
        self._publish_pdfs()

    def _schedule_pdfs(self) -> None:
        with self._lock:
            if self._pdf_thread is not None and self._pdf_thread.is_alive():
                self._pdf_again = True  # print once more when the current run ends
                return
            self._pdf_thread = threading.Thread(target=self._print_loop, daemon=True)
            self._pdf_thread.start()

    def _print_loop(self) -> None:
        while True:
            content, key = self._loaded
            scratch = self.work / "downloads-new"
            shutil.rmtree(scratch, ignore_errors=True)
            try:
                pdfs = build_pdfs(content, scratch, cache=self._print_cache(key))
            except (SourceError, SourceErrors) as exc:
                print(f"error: {exc}", file=sys.stderr, flush=True)
            else:
                with self._lock:
                    shutil.rmtree(self.work / DOWNLOADS, ignore_errors=True)
                    scratch.rename(self.work / DOWNLOADS)
                print(f"PDFs updated: {', '.join(sorted(pdfs))}", file=sys.stderr, flush=True)
                self._publish_pdfs()
            with self._lock:
                if not self._pdf_again:
                    return
                self._pdf_again = False

    @staticmethod
    def _print_cache(key: tuple | None) -> TaskCache | None:
        """The project's print cache, as `build` uses it, when the last model is known to be that of
        the sources its key was taken from (`restage`); entries are kept only if the sources are still
        those after printing. An edited chapter reprints what reads it, and only its pieces of the
        booklet."""
        if key is None:
            return None
        top, options, before, (common, owned) = key

        def same() -> bool:
            return print_key(top, None, False, dt.date.fromisoformat(options["today"]))[2] == before

        return TaskCache(top, common, owned, valid=same)

    def _publish_pdfs(self) -> None:
        with self._lock:
            ready = self.work / DOWNLOADS
            if self.site_dir is None or not ready.is_dir():
                return
            shutil.copytree(ready, self.site_dir / DOWNLOADS, dirs_exist_ok=True)


def edition_of(content, language: str | None):
    """The model of the edition in `language` (None: the source language's)."""
    if language is None or language == content.language:
        return content
    if language not in content.editions:
        raise SourceError(f"no `{language}` edition: extra.languages lists {list(content.editions)}",
                          content.project.config_path, content.project.settings.line("extra"))
    return content.editions[language]


def serve(root: Path | str = ".", *, dev_addr: str = "127.0.0.1:8000", pdf: bool = True,
          engine: str = DEFAULT_ENGINE, language: str | None = None) -> None:
    """Preview the site (`language`: a translated edition's, at the same address) with live reload."""
    engine_adapter = adapter(engine)  # an unknown engine fails before anything starts
    content = load(root)  # fail early, with file:line, if the sources are broken
    shown = edition_of(content, language)
    session = ServeSession(content.project.root, pdf=pdf, language=language)
    try:
        engine_adapter.serve(shown, session, dev_addr)
    finally:
        shutil.rmtree(session.work, ignore_errors=True)
