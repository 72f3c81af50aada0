"""Typed settings: every key of mkdocs.yml that pamphlet reads, checked once, each error at its line.

mkdocs.yml stays the one place for the site's facts (`site_name`, `site_url`, `repo_url`,
`edit_uri`, `markdown_extensions`, `nav`); pamphlet reads it without MkDocs, so the checks and the
print pipeline work whatever engine renders the site. The schema is written with the options of
`pamphlet.sources.schema` (after MkDocs' own `config_options`): a wrong type says what was expected
and what arrived, at `mkdocs.yml:LINE`.

mkdocs.yml is a source file like any other, and may come from a stranger's pull request, so the
settings that would run code, read outside the project or reach the network are refused here:

- `!ENV` tags (the build reads nothing outside the project: environment variables may hold
  secrets that would end up on the public site);
- `!!python/name:` tags outside the Markdown extension packages pamphlet knows;
- `hooks`, `INHERIT`, `extra_javascript`, `theme.custom_dir` (code or templates from the sources);
- plugins other than the few that neither run code from the sources nor fetch from the network;
- Markdown extensions from unknown packages, and the two that read other files
  (`pymdownx.snippets`, `pymdownx.b64`);
- `docs_dir` outside the project, remote `extra_css`.

Keys pamphlet does not read (palette, features...) are MkDocs' to check.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from pamphlet.bibliography.styles import STYLES
from pamphlet.dates import known_language
from pamphlet.errors import Collector, SourceError
from pamphlet.feedback import FEEDBACK_SCHEMA
from pamphlet.sources import schema as s
from pamphlet.sources.files import SourceLoader, Yaml, parse_yaml, read_text

CONFIG_NAME = "mkdocs.yml"
# MkDocs always adds these to the Markdown extensions; print must render exactly as the site does.
ENGINE_EXTENSIONS = ("toc", "tables", "fenced_code")
CITATIONS = "pamphlet.markdown.citations"
CONTESTED = "pamphlet.markdown.contested"
CITATION_STYLES = STYLES  # one list of styles: the bibliography's

#: Where Markdown extensions may come from: Python-Markdown's own, PyMdown, Material's, pamphlet's.
EXTENSION_PACKAGES = ("markdown.extensions.", "pymdownx.", "material.extensions.", "pamphlet.markdown.")
#: Python-Markdown's built-in extensions, by their short names.
BUILTIN_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
    "wikilinks"})
REFUSED_EXTENSIONS = {
    "pymdownx.snippets": "it copies other files into the page, even from outside the project",
    "pymdownx.b64": "it embeds files from the disk into the page",
}
#: `!!python/name:` values (e.g. a superfences formatter) may only name things in these packages.
PYTHON_NAME_PACKAGES = ("pymdownx.", "material.extensions.", "markdown.", "pamphlet.")
#: MkDocs plugins that neither run code from the sources nor fetch from the network.
PLUGINS = ("offline", "search", "tags")
REFUSED_KEYS = {
    "hooks": "hooks run Python code from the repository",
    "INHERIT": "pamphlet reads only this mkdocs.yml",
    "extra_javascript": "pamphlet publishes no scripts from the sources",
    "extra_templates": "templates from the sources can run code",
}


# --------------------------------------------------------------------------------------------
# Reading mkdocs.yml


class ConfigLoader(SourceLoader):
    """The source loader, plus the two tags MkDocs configs use, made safe (see the module docstring)."""


def _refuse_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None, None, "`!ENV` is not allowed: the build reads nothing outside the project (write the value)",
        node.start_mark)


def _python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if not suffix.startswith(PYTHON_NAME_PACKAGES):
        raise yaml.constructor.ConstructorError(
            None, None, f"`!!python/name:{suffix}` is not allowed: only names in {list(PYTHON_NAME_PACKAGES)}",
            node.start_mark)
    module_name, _, attr = suffix.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise yaml.constructor.ConstructorError(None, None, f"cannot import {suffix}: {exc}",
                                                node.start_mark) from None


ConfigLoader.add_constructor("!ENV", _refuse_env)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", _python_name)


def read_config(path: Path) -> Yaml:
    """mkdocs.yml parsed (safely), with the line of every key."""
    return parse_yaml(read_text(path), path, loader=ConfigLoader)


# --------------------------------------------------------------------------------------------
# Options


class EditUri(s.Option):
    """MkDocs' `edit_uri`: a path relative to `repo_url` (`edit/main/docs/`) or a full address."""

    def validate(self, value: Any) -> str | None:
        if value == "":
            return None
        if isinstance(value, str) and value.strip() and not any(c.isspace() for c in value.strip()):
            text = value.strip()
            if "://" in text:
                return s.Url().validate(text)
            return text
        raise ValueError(f"Expected a path such as edit/main/docs/ but received: {value!r}")


class Folder(s.Str):
    """A folder of the project, relative to mkdocs.yml; never outside it."""

    def validate(self, value: Any) -> str:
        text = super().validate(value)
        path = PurePosixPath(text.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", text):
            raise ValueError(f"Expected a folder inside the project (like docs) but received: {value!r}")
        return path.as_posix()


class ProjectFile(Folder):
    """A file of the project, relative to its top folder."""

    def validate(self, value: Any) -> str:
        try:
            return super().validate(value)
        except ValueError:
            raise ValueError(f"Expected a file inside the project (like references.bib) but received: "
                             f"{value!r}") from None


class Host(s.Str):
    def validate(self, value: Any) -> str:
        text = super().validate(value).lower()
        if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", text):
            raise ValueError(f"Expected a host name like www.youtube-nocookie.com but received: {value!r}")
        return text


class StrOrList(s.ListOf):
    """A list of texts, or one text (`bibliography: references.bib`)."""

    def validate(self, value: Any) -> list:
        return super().validate([value] if isinstance(value, str) else value)


class LocalStylesheet(s.Str):
    def validate(self, value: Any) -> str:
        text = super().validate(value)
        if "://" in text or text.startswith("//"):
            raise ValueError(f"a remote stylesheet makes every reader's browser fetch it from another site; "
                             f"download it into docs/ and name it here: {value!r}")
        return Folder().validate(text)


def _entries(value: Any, what: str) -> list[tuple[str, Any]]:
    """The `- name` / `- name: {options}` items of `plugins` and `markdown_extensions` (or a mapping)."""
    if isinstance(value, dict):
        return list(value.items())
    if not isinstance(value, list):
        raise ValueError(f"Expected a list of {what} but received: {value!r}")
    found = []
    for item in value:
        if isinstance(item, str):
            found.append((item, None))
        elif isinstance(item, dict) and len(item) == 1:
            (name, options), = item.items()
            found.append((name, options))
        else:
            raise ValueError(f"Expected each item to be a name, or `name:` with its options, but received: {item!r}")
    return found


class Entries(s.Option):
    """`plugins` / `markdown_extensions`: each item a name, or a one-key mapping of name to options."""

    def __init__(self, what: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.what = what

    def validate(self, value: Any) -> list[tuple[str, Any]]:
        entries = _entries(value, self.what)
        for name, options in entries:
            if not isinstance(name, str):
                raise ValueError(f"Expected a {self.what[:-1]} name but received: {name!r}")
            if options is not None and not isinstance(options, dict):
                raise ValueError(f"Expected the options of `{name}` as `key: value` lines but received: "
                                 f"{options!r}")
        return entries


class Theme(s.Option):
    def validate(self, value: Any) -> dict:
        theme = {"name": value} if isinstance(value, str) else value
        if not isinstance(theme, dict):
            raise ValueError(f"Expected `material`, or a mapping with `name: material`, but received: {value!r}")
        if theme.get("name", "material") != "material":
            raise ValueError(f"Expected the theme `material` (pamphlet's templates extend it) but received: "
                             f"{theme.get('name')!r}")
        if "custom_dir" in theme:
            raise ValueError("`custom_dir` is not allowed: templates from the sources can run code; pamphlet "
                             "supplies its own template additions")
        return {"name": "material", **theme}


FEEDBACK_TRACKERS = ["codeberg", "forgejo", "gitea", "github", "gitlab"]

RAW_HTML_SCHEMA: dict[str, s.Option] = {
    "iframe_hosts": s.ListOf(Host(), default=[], help="hosts whose https:// iframes may be embedded (videos)"),
}

CITATIONS_SCHEMA: dict[str, s.Option] = {
    "bibliography": StrOrList(ProjectFile(), default=[], help="BibTeX files, relative to the project"),
    "style": s.Choice(list(CITATION_STYLES), default="author-year", help="author-year, numeric or alpha"),
    "strict": s.Bool(default=True, help="an unknown citation key stops the build"),
    "lenient_paths": StrOrList(s.Str(), default=[], help="folders where unknown keys are warnings"),
    "references_title": s.Str(default="References", help="the title of each page's list of works cited"),
    "references": s.Bool(default=True, help="each page that cites ends with its references"),
}


# --------------------------------------------------------------------------------------------
# The settings


@dataclass(frozen=True)
class Extension:
    name: str
    options: dict
    line: int


@dataclass(frozen=True)
class CitationSettings:
    bibliography: tuple[Path, ...]  # absolute
    style: str
    strict: bool
    lenient_paths: tuple[str, ...]
    references_title: str
    references: bool


@dataclass(frozen=True)
class Settings:
    """What pamphlet reads from mkdocs.yml, typed. `source` keeps every key's line."""

    path: Path
    source: Yaml = field(repr=False)
    site_name: str
    site_url: str | None  # always ends with "/"
    site_description: str | None
    site_author: str | None
    repo_url: str | None
    repo_name: str | None
    edit_uri: str | None
    copyright: str | None
    docs_dir: str  # relative to the project, POSIX
    site_dir: str
    theme: dict
    plugins: tuple[tuple[str, dict], ...]
    extensions: tuple[Extension, ...]  # as MkDocs passes them to Python-Markdown, engine's own first
    extra: dict
    extra_css: tuple[str, ...]
    nav: list | None
    feedback: dict  # extra.feedback, validated with `pamphlet.feedback.FEEDBACK_SCHEMA` (defaults filled in)
    iframe_hosts: frozenset[str]
    citations: CitationSettings | None
    contested: bool
    languages: tuple[str, ...] = ()  # extra.languages: the translations' languages, e.g. ("es",)

    @property
    def root(self) -> Path:
        return self.path.parent

    def line(self, *keys: Any) -> int:
        return self.source.line(*keys)

    def error(self, message: str, *keys: Any) -> SourceError:
        return self.source.error(message, *keys)

    def markdown_extensions(self) -> tuple[list[str], dict[str, dict]]:
        """Names and options, as Python-Markdown takes them (file options made absolute)."""
        names = [e.name for e in self.extensions]
        options = {e.name: dict(e.options) for e in self.extensions if e.options}
        if self.citations is not None:
            options[CITATIONS] = {**options.get(CITATIONS, {}),
                                  "bibliography": [str(p) for p in self.citations.bibliography]}
        return names, options


def _extension_problem(name: str) -> str | None:
    if name in REFUSED_EXTENSIONS:
        return f"`{name}` is not allowed: {REFUSED_EXTENSIONS[name]}"
    if name in BUILTIN_EXTENSIONS or name.startswith(EXTENSION_PACKAGES):
        module = name if name.startswith(EXTENSION_PACKAGES) else f"markdown.extensions.{name}"
        module = module.split(":")[0]
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            return f"unknown Markdown extension `{name}`: no module {module} is installed"
        return None
    return (f"unknown Markdown extension `{name}`: pamphlet uses extensions from Python-Markdown, PyMdown "
            f"Extensions, Material and pamphlet only ({', '.join(p.rstrip('.') for p in EXTENSION_PACKAGES)})")


def _extensions(source: Yaml, entries: list[tuple[str, Any]], errors: Collector) -> list[Extension]:
    found: dict[str, Extension] = {name: Extension(name, {}, 1) for name in ENGINE_EXTENSIONS}
    for index, (name, options) in enumerate(entries):
        keys = ("markdown_extensions", index)
        line = source.line(*keys)
        problem = _extension_problem(name)
        if problem:
            errors.add(SourceError(problem, source.path, line))
            continue
        found[name] = Extension(name, dict(options or {}), line)
    return list(found.values())


def _plugins(source: Yaml, entries: list[tuple[str, Any]], errors: Collector) -> list[tuple[str, dict]]:
    plugins = []
    for index, (name, options) in enumerate(entries):
        if name not in PLUGINS:
            errors.add(source.error(
                f"plugin `{name}` is not allowed: pamphlet runs only {list(PLUGINS)} (other plugins may run code "
                f"from the sources or fetch from the network)", "plugins", index))
            continue
        plugins.append((name, dict(options or {})))
    return plugins


LANGUAGE_CODE = r"[a-z]{2,3}(-[A-Za-z0-9]+)*"

TOP_SCHEMA: dict[str, s.Option] = {
    "site_name": s.Str(required=True),
    "site_url": s.Url(empty=None),
    "site_description": s.Str(),
    "site_author": s.Str(),
    "repo_url": s.Url(empty=None),
    "repo_name": s.Str(),
    "edit_uri": EditUri(),
    "copyright": s.Str(),
    "docs_dir": Folder(default="docs"),
    "site_dir": Folder(default="site"),
    "use_directory_urls": s.Bool(default=True),
    "theme": Theme(default={"name": "material"}),
    "plugins": Entries("plugins", default=[("search", None)]),
    "markdown_extensions": Entries("extensions", default=[]),
    "extra": s.SubConfig({
        "feedback": s.SubConfig(FEEDBACK_SCHEMA, what="`extra.feedback`"),
        "raw_html": s.SubConfig(RAW_HTML_SCHEMA, what="`extra.raw_html`"),
        # The languages the sources are translated into (`page.es.md` beside `page.md`); the
        # source language is the booklet manifest's `language:`.
        "languages": s.ListOf(s.Str(pattern=LANGUAGE_CODE), default=[]),
    }, what="`extra`", allow_unknown=True, default={}),
    "extra_css": s.ListOf(LocalStylesheet(), default=[]),
    "nav": s.ListOf(s.Option()),
    "watch": s.ListOf(Folder()),
}


def load_settings(path: Path) -> Settings:
    """Read and check mkdocs.yml; raises `SourceError`(s), every problem at its line."""
    source = read_config(path)
    errors = Collector()
    if not isinstance(source.data, dict):
        raise source.error("mkdocs.yml must be a mapping of `key: value` settings")
    for key, why in REFUSED_KEYS.items():
        if key in source.data:
            errors.add(source.error(f"`{key}` is not allowed: {why}", key))
    values = errors.collect(s.validate, source, TOP_SCHEMA, allow_unknown=True, what="mkdocs.yml") or {}
    if not values:
        errors.raise_if_any()
    root = path.parent
    if values["use_directory_urls"] is False:
        errors.add(source.error("pamphlet needs `use_directory_urls: true`: its links, QR codes and feeds use "
                                "page addresses ending in /", "use_directory_urls"))
    docs_dir = values["docs_dir"]
    if docs_dir in (".", "") or PurePosixPath(docs_dir).parts[0] == ".git":
        errors.add(source.error(f"`docs_dir`: Expected a folder inside the project (like docs) but received: "
                                f"{docs_dir!r}", "docs_dir"))
    elif not (root / docs_dir).is_dir():
        errors.add(source.error(f"`docs_dir`: the folder {docs_dir}/ does not exist", "docs_dir"))
    extensions = _extensions(source, values["markdown_extensions"], errors)
    plugins = _plugins(source, values["plugins"], errors)
    extra = values["extra"] or {}
    feedback = dict(extra.get("feedback") or {})
    raw_html = extra.get("raw_html") or {"iframe_hosts": []}
    names = [e.name for e in extensions]
    citations = None
    if CITATIONS in names:
        options = next(e.options for e in extensions if e.name == CITATIONS)
        index = next(i for i, (n, _) in enumerate(values["markdown_extensions"]) if n == CITATIONS)
        checked = errors.collect(s.validate, source, CITATIONS_SCHEMA, data=options,
                                 prefix=("markdown_extensions", index, CITATIONS), what=f"`{CITATIONS}`")
        if checked is not None:
            citations = CitationSettings(tuple(root / f for f in checked["bibliography"]), checked["style"],
                                         checked["strict"], tuple(checked["lenient_paths"]),
                                         checked["references_title"], checked["references"])
    languages = tuple(extra.get("languages") or ())
    for index, code in enumerate(languages):
        if languages.index(code) != index:
            errors.add(source.error(f"`extra.languages`: `{code}` is listed twice", "extra", "languages", index))
        elif not known_language(code):
            errors.add(source.error(f"`extra.languages`: `{code}` is not a language code pamphlet knows "
                                    "(e.g. es, fr, pt-BR)", "extra", "languages", index))
    if languages and "attr_list" not in names:
        errors.add(source.error("`extra.languages` needs the `attr_list` Markdown extension: a translation's "
                                "headings keep the original's anchors with `{#id}`", "extra", "languages"))
    errors.raise_if_any()
    site_url = values["site_url"]
    return Settings(
        path=path, source=source, site_name=values["site_name"],
        site_url=site_url if not site_url or site_url.endswith("/") else site_url + "/",
        site_description=values["site_description"], site_author=values["site_author"],
        repo_url=values["repo_url"], repo_name=values["repo_name"], edit_uri=values["edit_uri"],
        copyright=values["copyright"], docs_dir=docs_dir, site_dir=values["site_dir"], theme=values["theme"],
        plugins=tuple(plugins), extensions=tuple(extensions), extra=dict(extra), extra_css=tuple(values["extra_css"]),
        nav=values["nav"], feedback=feedback, iframe_hosts=frozenset(raw_html["iframe_hosts"]),
        citations=citations, contested=CONTESTED in names, languages=languages)


__all__ = ["CITATIONS", "CONFIG_NAME", "CitationSettings", "Extension", "Settings", "load_settings", "read_config"]
