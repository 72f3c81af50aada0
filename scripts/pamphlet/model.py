"""The model stage: `load` reads and checks every source once and returns the whole model.

The model (`pamphlet.content.Content`) holds the typed settings, every page with its URL and its
public or private status (generated pages included, see `pamphlet.pages`), the bibliography, the
schedule, the meeting notes, the fliers and, through `pamphlet.downloads.plan`, the download plan.
`check`, the print stage, the site stage and the preview all start from it; `site/` and `print/`
only read it, and nothing here imports them (tests/test_architecture.py holds the layers).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pamphlet.cache import RenderChecks
from pamphlet.content import Content, check, load_content
from pamphlet.editions import edition
from pamphlet.errors import Collector
from pamphlet.output import output_folder
from pamphlet.pages import add_generated_pages
from pamphlet.preflight import preflight
from pamphlet.project import Project
from pamphlet.sources.files import confined


def load(root: Path | str = ".", today: dt.date | None = None, *, members: bool = False,
         cache: bool = True) -> Content:
    """Load and check every source: the first stage of every command. No file outside the project
    is read (symlinks included); every problem is reported at once, each with its file and line.
    With `cache`, pages whose pre-flight render passed before are not rendered again
    (`pamphlet.cache.RenderChecks`, in the project's print cache)."""
    with confined(Path(root)):
        project = Project.load(root)
        content = load_content(project, today, members=members)
        errors = Collector()
        for language in project.settings.languages:  # made from the original's pages, before its generated ones
            translated = errors.collect(edition, content, language)
            if translated is not None:
                content.editions[language] = translated
        add_generated_pages(content)
        errors.collect(check, content)
        if not members:  # `check` says before a build whether site_dir could hurt anything
            errors.collect(output_folder, project, None, project.site_dir, from_settings=True)
        errors.raise_if_any()
        checks = RenderChecks(project.root) if cache else None
        preflight(content, checks)  # what the build could fail on, found before it starts
        for translated in content.editions.values():
            preflight(translated, checks)
        if checks is not None:
            checks.prune(keep=max(512, 4 * len(content.pages)))
        return content


__all__ = ["load"]
