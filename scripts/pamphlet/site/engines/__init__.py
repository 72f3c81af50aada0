"""The site engines' adapters: each runs its engine on the staged tree, for a build or a preview.

Each module has `build(content, staged, site_dir)` and `serve(content, session, dev_addr)`; pick
one with `pamphlet.site.engine.adapter(name)`. The preview session is the `LiveSession` below.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class LiveSession(Protocol):
    """What `pamphlet serve` gives an engine's preview (see `pamphlet.serve.ServeSession`)."""

    work: Path  # the session's scratch folder: the staged tree is its docs/, the printed PDFs its downloads/

    @property
    def content(self): ...  # the last model that loaded without errors (`pamphlet.content.Content`)

    def restage(self): ...  # -> the staged tree (nav, contexts...), or None

    def after_site_build(self, site_dir: str) -> None: ...

    def watch_paths(self) -> list[Path]: ...
