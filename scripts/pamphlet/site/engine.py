"""Render the staged tree into a site with a site engine: MkDocs + Material (the default) or Zensical.

Both engines read the same settings: mkdocs.yml, overridden by `site_settings` (the staged docs
folder, the nav pamphlet made, its template overrides, its Markdown extensions...). Everything a
reader sees comes through paths both engines honour: the staged Markdown tree
(`pamphlet.site.stage`), front matter, Python-Markdown extensions (pamphlet's own, and
`pamphlet.site.pagecontext`, which tells them which page they render), the template overrides in
`overrides/`, and post-processing of the written site. The adapters (`pamphlet.site.engines`)
only run their engine and turn its complaints into errors that name the source file.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import os
import re
from pathlib import Path
from typing import Any

from pamphlet import STARTING_EPOCH
from pamphlet.content import Content
from pamphlet.errors import SourceError
from pamphlet.i18n import N_, translator
from pamphlet.markdown.safety import NAME as SAFETY
from pamphlet.site import DEFAULT_ENGINE, ENGINES
from pamphlet.site.pagecontext import NAME as PAGE_CONTEXT
from pamphlet.site.stage import Staged

OVERRIDES = Path(__file__).parent / "overrides"
# The words of pamphlet's theme overrides (overrides/*.html), which the engine renders, not pamphlet:
# `config.extra.pamphlet_ui.<key>`, in the content's language (text: the templates escape it, `| e`).
UI = {
    "open_meeting": N_("Open meeting"),
    "closed_meeting": N_("Closed meeting (members)"),
    "present": N_("Present"),
    "feedback_title": N_("Something to add, correct or dispute on this page?"),
}


class EngineMissing(SourceError):
    """The chosen engine's package is not installed."""


def site_settings(content: Content, staged: Staged, site_dir: Path) -> dict[str, Any]:
    """Settings that override mkdocs.yml's for a pamphlet build, whatever the engine (everything
    else is mkdocs.yml's). Each adapter adds what only it needs."""
    settings = content.project.settings
    theme = {**settings.theme, "custom_dir": str(OVERRIDES)}
    languages = {}
    if content.editions or content.translated:  # the editions' switcher: links per page, in its front matter
        theme["language"] = content.language  # the theme's own words (Material has Spanish and many more)
        languages = {"alternate": True}  # true, not a list: the theme's header shows our partial's links
    # The mapping form: MkDocs consumes the items of the list form while loading, and `serve`
    # loads the same settings again before every rebuild.
    plugins: dict[str, dict] = {name: dict(options) for name, options in settings.plugins}
    if content.translated and "search" in plugins:  # the edition's stemming and stop words
        plugins["search"] = {**plugins["search"], "lang": [content.language]}
    names, options = content.project.markdown_extensions()
    # The mapping form, for the same reason as the plugins'. The page context first: it removes the
    # staged page's marker line before any other extension sees the Markdown.
    extensions = {PAGE_CONTEXT: {"docs_dir": str(staged.docs_dir)}}
    extensions.update({name: options.get(name, {}) for name in names})
    extensions[SAFETY] = {"iframe_hosts": sorted(settings.iframe_hosts)}  # the last gate (see its module)
    extra = {**settings.extra, **languages}
    extra.pop("languages", None)
    # Material's page status: contested pages get a mark in the navigation.
    _ = translator(content.manifest.language)
    extra["status"] = {**(extra.get("status") or {}), "contested": _("Contested: still disputed")}
    extra["pamphlet_ui"] = {key: _(text) for key, text in UI.items()}
    # Neither engine's templates escape these (MkDocs' Jinja has no autoescape, nor has Zensical's
    # MiniJinja for them): they are text.
    texts = {key: html.escape(value, quote=True) for key in ("site_name", "site_description", "site_author",
                                                             "copyright", "repo_name")
             if (value := getattr(settings, key)) is not None}
    return {
        **texts,
        "extra": extra,
        "markdown_extensions": extensions,  # as in mkdocs.yml, with file options made absolute
        "docs_dir": str(staged.docs_dir),
        "site_dir": str(site_dir),
        "site_url": settings.site_url,  # a translated edition's: under /<language>/
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


def build_site(content: Content, staged: Staged, site_dir: Path, engine: str = DEFAULT_ENGINE) -> None:
    """Build the site with `engine`; any warning of the engine fails the build (strict), reported
    against the source file. The engine sees the clock as the process started (`STARTING_EPOCH`),
    whatever printing pinned since (no print runs meanwhile: `build` prints before the site)."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH")
    _set_epoch(STARTING_EPOCH)
    try:
        adapter(engine).build(content, staged, site_dir)
    finally:
        _set_epoch(pinned)


def _set_epoch(value: str | None) -> None:
    if value is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = value


def adapter(engine: str):
    """The module that runs `engine` (`pamphlet.site.engines.mkdocs` or `.zensical`)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown site engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if importlib.util.find_spec(engine) is None:
        raise EngineMissing(f"the site engine {engine!r} is not installed: run `make setup` (or "
                            f"`.venv/bin/pip install -c constraints.txt -e .`), which installs both engines")
    return importlib.import_module(f"pamphlet.site.engines.{engine}")


def to_source_error(content: Content, staged: Staged, message: str, uri: str | None = None,
                    line: int | None = None, column: int | None = None) -> SourceError:
    """Name the real source file instead of the staged copy the engine saw. `uri` is the staged
    page (else found in MkDocs' "Doc file '…'" wording); `line` a line of the staged file."""
    message = " ".join(message.split())
    if uri is None:
        match = re.search(r"Doc file '([^']+)'", message)
        if match:
            uri = match.group(1)
            message = message[match.end():].strip(" :")
    page = content.pages.get(uri) if uri else None
    if page is not None and page.generated_text is not None:
        # a page pamphlet writes: name it, and the file it is made from (if any)
        return SourceError(f"site: the generated page {page.uri} {message}", page.path or content.project.config_path)
    if page is not None and page.source is not None:
        source_line = None
        if line is not None and uri in staged.body_lines and line >= staged.body_lines[uri]:
            source_line = line - staged.body_lines[uri] + page.source.body_line
        return SourceError(f"site: {message}", page.source.path, source_line,
                           column if source_line is not None else None)
    where = f"{uri}: " if uri else ""
    return SourceError(f"site: {where}{message}", content.project.config_path)


__all__ = ["DEFAULT_ENGINE", "ENGINES", "OVERRIDES", "adapter", "build_site", "site_settings", "to_source_error"]
