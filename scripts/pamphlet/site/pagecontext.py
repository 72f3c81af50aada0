"""Python-Markdown extension: tell pamphlet's extensions which staged page they are rendering.

Neither MkDocs nor Zensical tells a Markdown extension which file it converts, so the staged tree
says it itself: `stage` writes one marker line at the top of every staged page's Markdown (after
its front matter), ``<!-- pamphlet-page: booklet/economy.md -->``, and registers the pages'
`PageContext`s under the staged docs folder. This extension, which pamphlet adds to the site's
extensions under every engine, reads and removes that line before any other preprocessor sees the
page (so line numbers in error messages are the source's), sets the page context for the
conversion (`pamphlet.markdown.context`), and clears it after the last postprocessor.

The marker is written by pamphlet only, always on the first line of the staged body: a marker a
contributor writes in a source file is never on that line, and stays an ordinary HTML comment.

Engines run Markdown in this process (MkDocs in Python; Zensical calls back into Python from its
Rust runtime), so the registry is a plain in-process mapping. Errors raised while a page converts
are also kept here, because Zensical hands Python exceptions back as a bare message
(`errors_for`): the engine adapter re-raises the real `SourceError`, with file and line.
"""

from __future__ import annotations

import re
import threading
import weakref
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from pamphlet.errors import SourceError, SourceErrors
from pamphlet.markdown.context import CURRENT, PageContext

NAME = "pamphlet.site.pagecontext"
MARKER_RE = re.compile(r"^<!-- pamphlet-page: (\S+)(?: \S+)? -->$")
# First of all preprocessors: the citations extension records the page's Markdown at 100, and
# must see it exactly as written. Last of all postprocessors: the safety gate (0) names the page.
PREPROCESSOR_PRIORITY = 200
POSTPROCESSOR_PRIORITY = -100


class Pages(Protocol):
    """What `register` keeps: anything with the staged pages' contexts (`pamphlet.site.stage.Staged`)."""

    contexts: dict[str, PageContext]


_PAGES: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
_ERRORS: dict[str, list[SourceError]] = {}
_LOCK = threading.Lock()


def marker(uri: str, fingerprint: str = "") -> str:
    """The first line of the staged Markdown of the page at `uri` (a path in the staged tree).

    `fingerprint` stands for whatever else the page's rendering depends on (its context, the
    bibliography): an engine that caches pages by their text (Zensical does) renders the page
    again when it changes."""
    return f"<!-- pamphlet-page: {quote(uri, safe='/')}{' ' + fingerprint if fingerprint else ''} -->"


def _key(docs_dir: Path | str) -> str:
    return str(Path(docs_dir).resolve())


def register(docs_dir: Path, pages: Pages) -> None:
    """Make `pages.contexts` the contexts of the tree staged in `docs_dir` (held weakly: the
    registry lives as long as the caller's staged tree, and a newer staging replaces it)."""
    with _LOCK:
        _PAGES[_key(docs_dir)] = pages
        _ERRORS.pop(_key(docs_dir), None)


def errors_for(docs_dir: Path) -> list[SourceError]:
    """The errors pages of `docs_dir` raised while converting since the last call (then forgotten)."""
    with _LOCK:
        return _ERRORS.pop(_key(docs_dir), [])


def _remember(docs_dir: str, exc: SourceError | SourceErrors) -> None:
    with _LOCK:
        _ERRORS.setdefault(docs_dir, []).extend(exc.errors if isinstance(exc, SourceErrors) else [exc])


class _PagePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: PageContextExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.finish()  # a conversion that raised never reached the postprocessor
        if not lines:
            return lines
        match = MARKER_RE.match(lines[0])
        if match is None:
            return lines
        uri = unquote(match.group(1))
        pages = _PAGES.get(self.extension.docs_dir)
        context = pages.contexts.get(uri) if pages is not None else None
        if context is not None:
            self.extension.token = CURRENT.set(context)
        return lines[1:]


class _PagePostprocessor(Postprocessor):
    def __init__(self, md: Markdown, extension: PageContextExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        self.extension.finish()
        return text


class PageContextExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"docs_dir": ["", "the staged docs folder whose pages this converter renders"]}
        super().__init__(**kwargs)
        self.docs_dir = _key(self.getConfig("docs_dir")) if self.getConfig("docs_dir") else ""
        self.token = None

    def finish(self) -> None:
        if self.token is not None:
            try:
                CURRENT.reset(self.token)
            except ValueError:  # set in another thread's context: nothing of ours is left there
                pass
            self.token = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.registerExtension(self)
        md.preprocessors.register(_PagePreprocessor(md, self), "pamphlet_page", PREPROCESSOR_PRIORITY)
        md.postprocessors.register(_PagePostprocessor(md, self), "pamphlet_page", POSTPROCESSOR_PRIORITY)
        convert = md.convert
        docs_dir = self.docs_dir

        def convert_and_keep_errors(source: str) -> str:
            # Zensical turns a Python exception into a RuntimeError that carries only its text;
            # keep the SourceError itself (file, line) for the adapter, then let it propagate.
            try:
                return convert(source)
            except (SourceError, SourceErrors) as exc:
                _remember(docs_dir, exc)
                raise
            finally:
                self.finish()

        md.convert = convert_and_keep_errors

    def reset(self) -> None:
        self.finish()


def makeExtension(**kwargs: Any) -> PageContextExtension:  # noqa: N802 - Python-Markdown's entry point
    return PageContextExtension(**kwargs)


__all__ = ["NAME", "PageContextExtension", "errors_for", "makeExtension", "marker", "register"]
