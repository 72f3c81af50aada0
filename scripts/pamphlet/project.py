"""The project: where everything is, read from mkdocs.yml and the booklet manifest.

mkdocs.yml stays the one place for the site's facts (`site_name`, `site_url`, `repo_url`,
`edit_uri`, `markdown_extensions`); pamphlet reads it without MkDocs, so the print pipeline and
the checks work whatever engine renders the site.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from pamphlet.errors import SourceError
from pamphlet.sources.files import read_text
from pamphlet.sources.manifest import Manifest, load_manifest

CONFIG_NAME = "mkdocs.yml"
MANIFEST = Path("booklet") / "booklet.yml"
# MkDocs always adds these to the Markdown extensions; print must render exactly as the site does.
ENGINE_EXTENSIONS = ["toc", "tables", "fenced_code"]
CITATIONS = "pamphlet.markdown.citations"


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader plus the two tags MkDocs configs use: `!ENV` and `!!python/name:`."""


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1] or items, items[-1] if len(items) > 1 else None
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


def _construct_python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    module_name, _, attr = suffix.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise yaml.constructor.ConstructorError(None, None, f"cannot import {suffix}: {exc}", node.start_mark)


_ConfigLoader.add_constructor("!ENV", _construct_env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _construct_python_name)


def load_config(path: Path) -> dict[str, Any]:
    text = read_text(path)
    try:
        data = yaml.load(text, Loader=_ConfigLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceError(f"YAML syntax error: {exc.problem or exc.context}", path,
                          mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise SourceError("expected a mapping of settings", path, 1)
    for key in ("site_name",):
        if not data.get(key):
            raise SourceError(f"missing required setting `{key}`", path, 1)
    return data


def extension_list(config: dict[str, Any]) -> tuple[list[str], dict[str, dict]]:
    """The Markdown extensions and their settings, as MkDocs would pass them to Python-Markdown."""
    names: list[str] = list(ENGINE_EXTENSIONS)
    settings: dict[str, dict] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            for name, options in item.items():
                if name not in names:
                    names.append(name)
                settings[name] = dict(options or {})
        elif item not in names:
            names.append(item)
    return names, settings


@dataclass
class Project:
    root: Path
    config: dict[str, Any] = field(repr=False)

    @classmethod
    def load(cls, root: Path | str = ".") -> "Project":
        root = Path(root).resolve()
        path = root / CONFIG_NAME
        if not path.is_file():
            raise SourceError(f"no {CONFIG_NAME} here; run pamphlet from the repository's top folder", root)
        return cls(root, load_config(path))

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def docs_dir(self) -> Path:
        return self.root / self.config.get("docs_dir", "docs")

    @property
    def site_dir(self) -> Path:
        return self.root / self.config.get("site_dir", "site")

    @property
    def site_url(self) -> str | None:
        url = self.config.get("site_url")
        return url if not url or url.endswith("/") else url + "/"

    @property
    def repo_url(self) -> str | None:
        return self.config.get("repo_url")

    @property
    def edit_uri(self) -> str | None:
        return self.config.get("edit_uri")

    def edit_url(self, path: Path) -> str | None:
        """The "edit this file" URL of any file in the repository, from `repo_url` + `edit_uri`.

        `edit_uri` names the docs folder on the forge (e.g. `edit/main/docs/`); any other file is
        reached relative to it, so a booklet chapter's link points at `booklet/<name>.md`.
        """
        if not self.repo_url or not self.edit_uri:
            return None
        from urllib.parse import quote, urljoin

        relative = Path(os.path.relpath(path.resolve(), self.docs_dir.resolve())).as_posix()
        base = self.repo_url if self.repo_url.endswith("/") else self.repo_url + "/"
        edit = self.edit_uri if self.edit_uri.endswith("/") else self.edit_uri + "/"
        return urljoin(base, edit + quote(relative))

    @cached_property
    def manifest(self) -> Manifest:
        return load_manifest(self.root / MANIFEST)

    @property
    def source_url(self) -> str | None:
        return self.manifest.source_url or self.repo_url

    def markdown_extensions(self) -> tuple[list[str], dict[str, dict]]:
        """mkdocs.yml's extensions, with file options made absolute (they are written relative to
        the repository root, and the engine may run from anywhere)."""
        names, settings = extension_list(self.config)
        citations = settings.get(CITATIONS)
        if citations and citations.get("bibliography"):
            files = citations["bibliography"]
            files = [files] if isinstance(files, str) else files
            settings[CITATIONS] = {**citations, "bibliography": [str(self.root / f) for f in files]}
        return names, settings

    def citation_settings(self) -> dict | None:
        """The citations extension's options, if mkdocs.yml enables it."""
        names, settings = self.markdown_extensions()
        if CITATIONS not in names:
            return None
        options = {"bibliography": [], "style": "author-year", "strict": True, "lenient_paths": []}
        options.update(settings.get(CITATIONS, {}))
        return options

    def relative(self, path: Path) -> str:
        """A path as contributors write it: relative to the repository root, with `/`."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
