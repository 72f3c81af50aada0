"""The MkDocs + Material adapter: MkDocs' own build and live-reload server, in strict mode.

MkDocs takes pamphlet's settings as keyword arguments over mkdocs.yml. Its one extra is the thin
plugin (`pamphlet.site.plugin`), which only the preview needs: it re-stages the sources before each
rebuild and watches the real source folders.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from pamphlet.content import Content
from pamphlet.errors import Collector, SourceError, WarningCapture
from pamphlet.site.engine import site_settings, to_source_error
from pamphlet.site.stage import Staged


def settings(content: Content, staged: Staged, site_dir: Path, live: object | None = None) -> dict[str, Any]:
    """`site_settings`, plus the pamphlet plugin (with the preview session when serving)."""
    result = site_settings(content, staged, site_dir)
    result["plugins"]["pamphlet"] = {"live": live}
    result["extra"]["pamphlet_engine"] = "mkdocs"  # for a template override whose theme markup differs
    return result


def build(content: Content, staged: Staged, site_dir: Path) -> None:
    """Build the site; any MkDocs warning fails the build (strict), reported against the source."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    project = content.project
    warnings = WarningCapture()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    previous = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)  # our own progress output replaces MkDocs' info lines
    logger.propagate = False  # warnings are ours to report, once, against the source file
    try:
        config = load_config(config_file=str(project.config_path), **settings(content, staged, site_dir))
        mkdocs_build(config)
    except SourceError:
        raise  # from our extensions: it already names the page's source
    except MkDocsException as exc:
        errors = Collector()
        for message in warnings.messages or [str(exc)]:
            errors.add(to_source_error(content, staged, message))
        errors.raise_if_any()
    finally:
        logger.removeHandler(warnings)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]
    if warnings.messages:  # strict: a warning that did not abort is still a failure
        errors = Collector()
        for message in warnings.messages:
            errors.add(to_source_error(content, staged, message))
        errors.raise_if_any()


class PreviewLog(logging.Handler):
    """What the preview prints of MkDocs' log: what `build` prints, one line per problem naming the
    source file, and the server's own news (where it serves, when it reloads). Not MkDocs' chatter:
    pages left out of the nav (pamphlet places its own pages), or links to PDFs not printed yet
    (the background printing adds them)."""

    NEWS = ("Serving on", "Reloading browsers", "Detected file changes")

    def __init__(self, content: Content, session) -> None:
        super().__init__(logging.INFO)
        self.content = content
        self.session = session

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name.startswith("mkdocs.livereload"):  # the server: its news and its requests' failures
            if record.levelno >= logging.WARNING and "/downloads/" not in message:
                print(message, file=sys.stderr, flush=True)  # (a PDF not printed yet is no news)
            elif message.split("] ", 1)[-1].startswith(self.NEWS):
                print(message, file=sys.stderr, flush=True)
            return
        if record.levelno < logging.WARNING:
            if message.split("] ", 1)[-1].startswith(self.NEWS):  # after the server's "[12:00:00] "
                print(message, file=sys.stderr, flush=True)
            return
        if "downloads/" in message and "not found among documentation files" in message:
            return  # printed in the background: the site picks them up when they are ready
        content = self.session.content or self.content
        staged = self.session.staged
        problem = to_source_error(content, staged, message) if staged is not None else message
        print(f"warning: {problem}", file=sys.stderr, flush=True)


def serve(content: Content, session, dev_addr: str) -> None:
    """MkDocs' live-reload server; the plugin re-stages before each rebuild (see the plugin)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    project = content.project
    staged = session.restage()
    options = settings(content, staged, session.work / "unused", live=session)
    options.pop("site_dir")  # MkDocs serves from a temporary folder of its own
    options["strict"] = False  # a preview shows warnings and keeps serving
    logger = logging.getLogger("mkdocs")
    logger.addHandler(PreviewLog(content, session))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    mkdocs_serve(config_file=str(project.config_path), dev_addr=dev_addr, livereload=True,
                 watch=[str(p) for p in session.watch_paths()], **options)
