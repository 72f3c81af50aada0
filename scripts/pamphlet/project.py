"""The project: where everything is, read from mkdocs.yml and the booklet manifest.

mkdocs.yml stays the one place for the site's facts (`site_name`, `site_url`, `repo_url`,
`edit_uri`, `markdown_extensions`); pamphlet reads it without MkDocs, so the print pipeline and
the checks work whatever engine renders the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pamphlet.errors import SourceError, set_display_root
from pamphlet.settings import CITATIONS, CONFIG_NAME, ENGINE_EXTENSIONS, CitationSettings, Settings, load_settings
from pamphlet.sources.manifest import Manifest, load_manifest

MANIFEST = Path("booklet") / "booklet.yml"
__all__ = ["CITATIONS", "CONFIG_NAME", "ENGINE_EXTENSIONS", "MANIFEST", "Project"]


@dataclass
class Project:
    root: Path
    settings: Settings

    @classmethod
    def load(cls, root: Path | str = ".") -> "Project":
        """The project at `root`: its settings read and checked. Commands call it inside
        `pamphlet.sources.files.confined(root)`, so that no file outside `root` is read."""
        root = Path(root).resolve()
        path = root / CONFIG_NAME
        if not path.is_file():
            raise SourceError(f"no {CONFIG_NAME} here; run pamphlet from the repository's top folder", root)
        set_display_root(root)
        return cls(root, load_settings(path))

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def docs_dir(self) -> Path:
        return self.root / self.settings.docs_dir

    @property
    def site_dir(self) -> Path:
        return self.root / self.settings.site_dir

    @property
    def site_url(self) -> str | None:
        return self.settings.site_url

    @property
    def repo_url(self) -> str | None:
        return self.settings.repo_url

    @property
    def edit_uri(self) -> str | None:
        return self.settings.edit_uri

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    @cached_property
    def manifest(self) -> Manifest:
        return load_manifest(self.manifest_path)

    @property
    def source_url(self) -> str | None:
        return self.manifest.source_url or self.repo_url

    def markdown_extensions(self) -> tuple[list[str], dict[str, dict]]:
        """mkdocs.yml's extensions, with file options made absolute (they are written relative to
        the repository root, and the engine may run from anywhere)."""
        return self.settings.markdown_extensions()

    def citation_settings(self) -> CitationSettings | None:
        """The citations extension's options, if mkdocs.yml enables it."""
        return self.settings.citations

    def relative(self, path: Path) -> str:
        """A path as contributors write it: relative to the repository root, with `/`."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
