"""The thin MkDocs plugin: only what the MkDocs preview needs. Nothing a reader sees comes from it.

Edit links and the page context used to be set here; they now reach every engine through the
staged tree (`edit_url` in the front matter, drawn by `overrides/partials/actions.html`; the page
marker read by `pamphlet.site.pagecontext`).

- `live` (set by `pamphlet serve` only): the preview session, an object with the methods of
  `pamphlet.site.engines.LiveSession`, handed over in the plugin's settings. The plugin calls it to
  re-stage the sources before each rebuild and to watch the real source folders, so live reload
  follows edits to the booklet and its manifest. The plugin imports nothing from the command layer.
"""

from __future__ import annotations

import logging

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from pamphlet.site.engines import LiveSession

log = logging.getLogger("mkdocs.plugins.pamphlet")


class PamphletConfig(Config):
    enabled = c.Type(bool, default=True)
    live = c.Optional(c.Type(object))


class PamphletPlugin(BasePlugin[PamphletConfig]):
    @property
    def session(self) -> LiveSession | None:
        """The `pamphlet serve` session, when previewing."""
        return self.config.live

    def on_config(self, config):
        # MkDocs reloads the config before every rebuild while serving, so this runs before each
        # one: bring the staged tree (and with it the pages' contexts) and the nav up to date.
        if self.config.enabled and self.session is not None:
            staged = self.session.restage()
            if staged is not None:
                config["nav"] = staged.nav
        return config

    def on_post_build(self, *, config) -> None:
        if self.config.enabled and self.session is not None:
            self.session.after_site_build(config["site_dir"])

    def on_serve(self, server, *, config, builder):
        if self.config.enabled and self.session is not None:
            for path in self.session.watch_paths():
                server.watch(str(path))
        return server
