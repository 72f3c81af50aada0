"""Render the staged tree with MkDocs + Material, in strict mode, into a given folder."""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from typing import Any

from pamphlet.content import Content
from pamphlet.errors import Collector, SourceError, WarningCapture
from pamphlet.markdown.safety import NAME as SAFETY
from pamphlet.site.stage import Staged

OVERRIDES = Path(__file__).parent / "overrides"


def engine_settings(content: Content, staged: Staged, site_dir: Path,
                    live: object | None = None) -> dict[str, Any]:
    """Settings that override mkdocs.yml's for a pamphlet build (everything else is mkdocs.yml's)."""
    settings = content.project.settings
    theme = {**settings.theme, "custom_dir": str(OVERRIDES)}
    # The mapping form: MkDocs consumes the items of the list form while loading, and `serve`
    # loads the same settings again before every rebuild.
    plugins: dict[str, dict] = {name: dict(options) for name, options in settings.plugins}
    plugins["pamphlet"] = {"edit_paths": staged.edit_paths, "contexts": staged.contexts,
                           "live": live}
    names, options = content.project.markdown_extensions()
    # The mapping form, for the same reason as the plugins'.
    extensions = {name: options.get(name, {}) for name in names}
    extensions[SAFETY] = {"iframe_hosts": sorted(settings.iframe_hosts)}  # the last gate (see its module)
    extra = dict(settings.extra)
    # Material's page status: contested pages get a mark in the navigation.
    extra["status"] = {**(extra.get("status") or {}), "contested": "Contested: still disputed"}
    # MkDocs' templates print these without escaping (its Jinja has no autoescape): they are text.
    texts = {key: html.escape(value, quote=True) for key in ("site_name", "site_description", "site_author",
                                                             "copyright", "repo_name")
             if (value := getattr(settings, key)) is not None}
    return {
        **texts,
        "extra": extra,
        "markdown_extensions": extensions,  # as in mkdocs.yml, with file options made absolute
        "docs_dir": str(staged.docs_dir),
        "site_dir": str(site_dir),
        "nav": staged.nav,
        "theme": theme,
        "plugins": plugins,
        "extra_css": list(settings.extra_css) + staged.extra_css,
        "strict": True,
        "validation": {
            "omitted_files": "info",
            "absolute_links": "info",
            "unrecognized_links": "warn",
            "anchors": "warn",
            "not_found": "warn",
        },
    }


def build_site(content: Content, staged: Staged, site_dir: Path) -> None:
    """Build the site; any MkDocs warning fails the build (strict), reported against the source."""
    from mkdocs.commands.build import build
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
        config = load_config(config_file=str(project.config_path), **engine_settings(content, staged, site_dir))
        build(config)
    except SourceError:
        raise  # from our extensions: it already names the page's source
    except MkDocsException as exc:
        errors = Collector()
        for message in warnings.messages or [str(exc)]:
            errors.add(_to_source_error(content, staged, message))
        errors.raise_if_any()
    finally:
        logger.removeHandler(warnings)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]
    if warnings.messages:  # strict: a warning that did not abort is still a failure
        errors = Collector()
        for message in warnings.messages:
            errors.add(_to_source_error(content, staged, message))
        errors.raise_if_any()


def _to_source_error(content: Content, staged: Staged, message: str) -> SourceError:
    """Name the real source file instead of the staged copy MkDocs saw."""
    message = " ".join(message.split())
    match = re.search(r"Doc file '([^']+)'", message)
    if match:
        page = content.pages.get(match.group(1))
        rest = message[match.end():].strip(" :")
        if page is not None and page.generated_text is not None:
            # a page pamphlet writes: name it, and the file it is made from (if any)
            return SourceError(f"site: the generated page {page.uri} {rest}", page.path or content.project.config_path)
        if page is not None and page.source is not None:
            return SourceError(f"site: {rest}", page.source.path)
    return SourceError(f"site: {message}", content.project.config_path)
