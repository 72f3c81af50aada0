"""The Zensical adapter: Zensical's build and preview server on the staged tree.

How Zensical is run (0.0.73, the pinned release; the Python side of 0.1.4, read but not run here
because it needs the `zensical-ui` package, renders and reads settings the same way):

- `zensical.build(config_file, options)` / `zensical.serve(config_file, options)` run its Rust
  runtime in this process; it calls back into Python to read the configuration
  (`zensical.config.parse_config`) and to render each page with Python-Markdown
  (`zensical.markdown.render`), so pamphlet's extensions run here, with their page contexts.
- It takes a configuration file, not settings: pamphlet writes one (`mkdocs.yml` in the folder
  that holds the staged `docs/`), mkdocs.yml's settings overridden by `site_settings`. Zensical
  wants `docs_dir` and `site_dir` relative to that file's folder and inside it.
- It honours `theme.custom_dir` (our overrides extend its bundled Material-compatible theme; its
  templates are MiniJinja, which does not autoescape them either), `nav`, `extra`, `extra_css`,
  Material's page `status`, `markdown_extensions` and the `search` plugin. It ignores any plugin
  it does not implement, ours included: nothing a reader sees depends on ours.
- It writes the search index to `search.json` (MkDocs: `search/search_index.json`) and
  `sitemap.xml` only; pamphlet adds `sitemap.xml.gz`, as MkDocs writes one.
- Its diagnostics ("Warning: anchor does not exist" with `file:line:col` of the staged file) go to
  the process's stdout and stderr from Rust, not through Python logging: the build captures both
  file descriptors and reports each diagnostic against the source. With `strict` it raises
  `RuntimeError("Aborted because --strict flag is set")`; a Python exception in an extension
  comes back as a `RuntimeError` with the exception's text only (see `pamphlet.site.pagecontext`).
- Its preview (`serve`) rebuilds when the staged docs folder or the configuration file change and
  reloads the browser: pamphlet watches the real sources itself and re-stages on every change.
"""

from __future__ import annotations

import copy
import gzip
import os
import posixpath
import re
import signal
import socket
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from pamphlet.content import Content
from pamphlet.errors import Collector, SourceError
from pamphlet.site.engine import site_settings, to_source_error
from pamphlet.site.pagecontext import errors_for
from pamphlet.site.stage import Staged

CONFIG = "mkdocs.yml"  # next to the staged docs/
SEARCH_INDEX = "search.json"
# mkdocs.yml keys not handed to Zensical: `watch` names the project's folders, relative to the
# project (pamphlet watches the sources itself).
DROPPED_KEYS = ("watch",)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DIAGNOSTIC = re.compile(r"^(Warning|Error): (.*)$")
LOCATION = re.compile(r"\[ (.+?):(\d+):(\d+) \]")
CHATTER = re.compile(r"^(Build started|Build finished in .*|No issues found|\d+ issues? found|Serving .*)$")


def version() -> str:
    import zensical

    return zensical.version()


# --------------------------------------------------------------------------- configuration


class _Dumper(yaml.SafeDumper):
    """YAML for Zensical's loader: the `!!python/name:` values mkdocs.yml may hold (a superfences
    formatter, an emoji index...) are written back as the same tags."""


def _python_name(dumper: yaml.SafeDumper, value: Any) -> yaml.Node:
    return dumper.represent_scalar(f"tag:yaml.org,2002:python/name:{value.__module__}.{value.__qualname__}", "")


_Dumper.add_multi_representer(type(len), _python_name)
_Dumper.add_multi_representer(type(_python_name), _python_name)
_Dumper.add_multi_representer(type, _python_name)


def config_data(content: Content, staged: Staged, site_dir: Path, *, strict: bool = True) -> dict[str, Any]:
    """The configuration Zensical reads: mkdocs.yml with `site_settings` over it."""
    root = staged.docs_dir.parent.resolve()
    site = site_dir.resolve()
    if not site.is_relative_to(root) or site == root:
        raise ValueError(f"Zensical writes only inside the folder of its configuration: {site} is not in {root}")
    raw = content.project.settings.source.data
    data = {key: copy.deepcopy(value) for key, value in (raw if isinstance(raw, dict) else {}).items()
            if key not in DROPPED_KEYS}
    data.update(site_settings(content, staged, site_dir))
    data["docs_dir"] = staged.docs_dir.resolve().relative_to(root).as_posix()
    data["site_dir"] = site.relative_to(root).as_posix()
    data["strict"] = strict
    # A template override whose theme markup differs between Material and Zensical (the search box
    # does) can tell them apart: `{% if config.extra.pamphlet_engine == "zensical" %}`.
    data["extra"] = {**data["extra"], "pamphlet_engine": "zensical"}
    theme = dict(data["theme"])
    theme.setdefault("variant", "classic")  # Material's look; `variant: modern` in mkdocs.yml for Zensical's own
    data["theme"] = theme
    return data


def write_config(content: Content, staged: Staged, site_dir: Path, *, strict: bool = True) -> Path:
    """Write Zensical's configuration next to the staged docs/ (only if it changed: the preview
    rebuilds when it does)."""
    path = staged.docs_dir.parent / CONFIG
    text = yaml.dump(config_data(content, staged, site_dir, strict=strict), Dumper=_Dumper, allow_unicode=True,
                     sort_keys=False, width=1000)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- build


@dataclass
class Diagnostic:
    level: str  # Warning or Error
    message: str
    uri: str | None = None  # the staged page, relative to docs/
    line: int | None = None  # in the staged file
    column: int | None = None


def parse_output(text: str) -> tuple[list[Diagnostic], list[str]]:
    """Zensical's diagnostics in its captured output, and the other lines (not its own chatter),
    which were someone else's to print (a Python warning, say)."""
    diagnostics: list[Diagnostic] = []
    others: list[str] = []
    inside = False
    for raw in ANSI.sub("", text).splitlines():
        line = raw.rstrip()
        header = DIAGNOSTIC.match(line)
        if header:
            diagnostics.append(Diagnostic(header.group(1), header.group(2).strip()))
            inside = True
            continue
        if inside:
            where = LOCATION.search(line)
            if where and diagnostics[-1].uri is None:
                diagnostics[-1].uri = where.group(1)
                diagnostics[-1].line, diagnostics[-1].column = int(where.group(2)), int(where.group(3))
            if line.strip().endswith("╯"):
                inside = False
            continue
        if line.strip() and not CHATTER.match(line.strip()):
            others.append(raw)
    return diagnostics, others


@contextmanager
def _captured() -> Iterator[list[str]]:
    """Capture what is written to file descriptors 1 and 2 (Zensical's Rust runtime writes there,
    past Python's `sys.stdout`); the text is in the yielded list afterwards."""
    result: list[str] = []
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        saved = os.dup(1), os.dup(2)
    except OSError:  # no such descriptors: nothing to capture
        yield result
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield result
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            sink.seek(0)
            result.append(sink.read().decode("utf-8", errors="replace"))


def build(content: Content, staged: Staged, site_dir: Path) -> None:
    """Build the site with Zensical, strictly: any diagnostic fails the build, reported against
    the source file; an error raised by pamphlet's extensions is raised as it was."""
    import zensical

    config = write_config(content, staged, site_dir)
    errors_for(staged.docs_dir)  # forget any from an earlier run on this tree
    failure: RuntimeError | None = None
    with _captured() as output:
        try:
            zensical.build(str(config), {"strict": True, "clean": False})
        except RuntimeError as exc:
            failure = exc
    diagnostics, others = parse_output("".join(output))
    if others:
        print("\n".join(others), file=sys.stderr, flush=True)
    raised = errors_for(staged.docs_dir)
    errors = Collector()
    for error in raised:
        errors.add(error)
    for diagnostic in diagnostics:
        errors.add(to_source_error(content, staged, f"{diagnostic.message} (Zensical)", diagnostic.uri,
                                   diagnostic.line, diagnostic.column))
    if failure is not None and not errors.errors:
        errors.add(SourceError(f"site: Zensical failed: {failure}", content.project.config_path))
    errors.raise_if_any()
    for uri, target in dict.fromkeys(missing_targets(site_dir, staged)):
        errors.add(to_source_error(content, staged, f"links to {target}, which is not in the site", uri))
    errors.raise_if_any()
    finish(site_dir)


def missing_targets(site_dir: Path, staged: Staged) -> list[tuple[str, str]]:
    """Links and images in the pages' content whose target the site does not have: MkDocs checks
    links to any file of the docs tree (the PDFs, their previews), Zensical only links to pages."""
    from pamphlet.site.compare import parse_html, resolve

    missing = []
    for uri in sorted(staged.pages):
        page = uri[: -len("index.md")] if posixpath.basename(uri) == "index.md" else uri[: -len(".md")] + "/"
        path = site_dir / page / "index.html"
        if not path.is_file():
            continue
        root = parse_html(path.read_text(encoding="utf-8"))
        article = root.find("article") or root
        for node in article.iter():
            for attr in ("href", "src"):
                value = node.attrs.get(attr)
                if not value or value.startswith(("#", "//")) or re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
                    continue
                target = resolve(value, page).split("#")[0]
                file = site_dir / target
                if not (file.is_file() or (file / "index.html").is_file() or target == ""):
                    missing.append((uri, target))
    return missing


def finish(site_dir: Path) -> None:
    """What MkDocs writes and Zensical does not: `sitemap.xml.gz` (the same bytes for the same sitemap)."""
    sitemap = site_dir / "sitemap.xml"
    if sitemap.is_file():
        data = gzip.compress(sitemap.read_bytes(), mtime=0)
        (site_dir / "sitemap.xml.gz").write_bytes(data)


# --------------------------------------------------------------------------- preview


def _snapshot(paths: list[Path]) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for path in paths:
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in candidates:
            try:
                stat = file.stat()
            except OSError:
                continue
            found[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return found


class _Watcher(threading.Thread):
    """Re-stage when a source changes (and when the PDFs are reprinted); Zensical then sees the
    staged tree change, rebuilds and reloads the browser. A changed nav rewrites the configuration,
    which Zensical also watches."""

    def __init__(self, content: Content, session, site_dir: Path, interval: float = 0.5) -> None:
        super().__init__(daemon=True, name="pamphlet-zensical-watch")
        self.content = content
        self.session = session
        self.site_dir = site_dir
        self.interval = interval
        self.stopped = threading.Event()

    def paths(self) -> list[Path]:
        return [*self.session.watch_paths(), self.content.project.config_path, self.session.work / "downloads"]

    def run(self) -> None:
        seen = _snapshot(self.paths())
        while not self.stopped.wait(self.interval):
            now = _snapshot(self.paths())
            if now == seen:
                continue
            seen = now
            staged = self.session.restage()
            content = self.session.content or self.content
            if staged is not None:
                try:
                    write_config(content, staged, self.site_dir, strict=False)
                except (SourceError, OSError, ValueError) as exc:
                    print(f"error: {exc}", file=sys.stderr, flush=True)


def _listening(dev_addr: str) -> bool:
    host, _, port = dev_addr.rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port)), timeout=0.2).close()
    except (OSError, ValueError):
        return False
    return True


def serve(content: Content, session, dev_addr: str) -> None:
    """Zensical's preview server, with live reload, on the session's staged tree.

    Zensical's runtime answers Ctrl-C and SIGTERM by ending the process at once, which would skip
    the session's clean-up. So the server runs in a thread, and once it listens pamphlet puts the
    Python signal handlers back: Ctrl-C then ends `pamphlet serve` as usual, `finally` included.
    """
    import zensical

    staged = session.restage()
    site_dir = session.work / "site"
    config = write_config(content, staged, site_dir, strict=False)
    watcher = _Watcher(content, session, site_dir)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            zensical.serve(str(config), {"dev_addr": dev_addr, "open": False, "strict": False,
                                         "external_origins": ()})
        except BaseException as exc:  # handed to the main thread
            failure.append(exc)

    main = threading.current_thread() is threading.main_thread()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)} if main else {}
    server = threading.Thread(target=run, daemon=True, name="pamphlet-zensical-serve")
    server.start()
    watcher.start()
    try:
        deadline = time.monotonic() + 60
        while server.is_alive() and not _listening(dev_addr) and time.monotonic() < deadline:
            time.sleep(0.1)
        for sig, handler in handlers.items():
            if handler is not None:
                signal.signal(sig, handler)
        while server.is_alive():
            server.join(0.5)
        if failure:
            raise RuntimeError(f"Zensical's server stopped: {failure[0]}") from failure[0]
    finally:
        watcher.stopped.set()


__all__ = ["build", "config_data", "missing_targets", "parse_output", "serve", "write_config"]
