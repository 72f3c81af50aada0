"""The thin MkDocs plugin. All real work lives in the pipeline; this only connects it to MkDocs.

- `edit_paths`: the "edit this page" link of a staged page points at the file it came from
  (`booklet/economy.md`, not the staged `docs/booklet/economy.md`).
- `contexts`: tells pamphlet's Markdown extensions which page they are rendering (MkDocs does
  not tell extensions; see `pamphlet.markdown.context`).
- `live` (set by `pamphlet serve` only): the preview session, an object with the three methods of
  `LiveSession`, handed over in the plugin's settings. The plugin calls it to re-stage the sources
  before each rebuild and to watch the real source folders, so live reload follows edits to the
  booklet and its manifest. The plugin imports nothing from the command layer.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from pamphlet.markdown.context import CURRENT

log = logging.getLogger("mkdocs.plugins.pamphlet")


class LiveSession(Protocol):
    """What `pamphlet serve` gives the plugin (see `pamphlet.serve.ServeSession`)."""

    def restage(self): ...  # -> the staged tree (nav, edit_paths, contexts), or None

    def after_site_build(self, site_dir: str) -> None: ...

    def watch_paths(self) -> list[Path]: ...


class PamphletConfig(Config):
    enabled = c.Type(bool, default=True)
    edit_paths = c.Type(dict, default={})
    contexts = c.Type(dict, default={})
    live = c.Optional(c.Type(object))


class PamphletPlugin(BasePlugin[PamphletConfig]):
    @property
    def session(self) -> LiveSession | None:
        """The `pamphlet serve` session, when previewing."""
        return self.config.live

    def on_config(self, config):
        # MkDocs reloads the config before every rebuild while serving, so this runs before each
        # one: bring the staged tree, the nav and the edit links up to date with the sources.
        if self.config.enabled and self.session is not None:
            staged = self.session.restage()
            if staged is not None:
                config["nav"] = staged.nav
                self.config.edit_paths = staged.edit_paths
                self.config.contexts = staged.contexts
        return config

    def on_files(self, files, *, config):
        if not self.config.enabled:
            return files
        for file in files:
            if file.src_uri in self.config.edit_paths:
                file.edit_uri = self.config.edit_paths[file.src_uri]
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        # Set the page for the conversion that follows this hook; reset in on_page_content.
        context = self.config.contexts.get(page.file.src_uri) if self.config.enabled else None
        self._token = CURRENT.set(context) if context is not None else None
        return markdown

    def on_page_content(self, html, *, page, config, files):
        if getattr(self, "_token", None) is not None:
            CURRENT.reset(self._token)
            self._token = None
        return html

    def on_post_build(self, *, config) -> None:
        if self.config.enabled and self.session is not None:
            self.session.after_site_build(config["site_dir"])

    def on_serve(self, server, *, config, builder):
        if self.config.enabled and self.session is not None:
            for path in self.session.watch_paths():
                server.watch(str(path))
        return server
