"""The build's pre-flight: everything the sources could make the build fail on, found first.

`pamphlet check` and `pamphlet build` both run it after loading the content, so a build never
fails twenty seconds in on something `check` could have said, at file:line:col:

- raw HTML, attributes, link addresses, remote images and nesting (`sources.safety`), in every
  page and every flier;
- characters that no shipped font can print, in everything that is printed (chapters, the FAQ,
  fliers, the manifest, the schedule, the bibliography);
- images that cannot be loaded (a file that is not the image its name says), and what print needs
  beyond the text (`pamphlet.printing`: fliers' photos, the cover picture, the back cover's
  meetings; pictures and colours that print as mud in black and white are warnings);
- `nav` entries that point to a private or a missing page;
- downloads whose names collide;
- Markdown extensions that cannot be set up as mkdocs.yml asks, and pages the renderer cannot
  render (each page is rendered once, through the same converter as the site and print but for
  the typographic extensions (`render.TYPOGRAPHIC`), and the result passes the last HTML gate).
"""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit

from pamphlet.assets.glyphs import describe, locate, unprintable
from pamphlet.cache import RenderChecks
from pamphlet.content import BOOKLET_DIR, Content, render_context
from pamphlet.downloads import check_downloads
from pamphlet.errors import Collector, SourceError
from pamphlet.markdown.context import page_context
from pamphlet.printing import print_problems
from pamphlet.sources.analysis import analyse
from pamphlet.sources.files import MarkdownSource, Yaml, read_bytes, read_text
from pamphlet.sources.htmlpolicy import HtmlPolicy
from pamphlet.sources.safety import page_problems

RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp"}


def preflight(content: Content, checks: RenderChecks | None = None) -> None:
    """Raise `SourceErrors` with every problem found (see the module docstring); `checks` keeps the
    pages whose render passed, so that only changed pages are rendered again."""
    errors = Collector()
    policy = HtmlPolicy(content.project.settings.iframe_hosts)
    for page in content.pages.values():
        if page.analysis is not None and page.generated_text is None and page.path is not None:
            for problem in page_problems(page.analysis, page.path, policy):
                errors.add(problem)
    for flier in content.fliers:
        for side in flier.sides:
            source = MarkdownSource(flier.path, side.markdown, Yaml({}, flier.path), side.markdown, side.line)
            for problem in page_problems(analyse(source), flier.path, policy):
                errors.add(problem)
    for problem in unprintable_characters(content):
        errors.add(problem)
    for problem in broken_images(content):
        errors.add(problem)
    for problem in nav_problems(content):
        errors.add(problem)
    for problem in check_downloads(content):
        errors.add(problem)
    for problem in print_problems(content):  # pictures, the back cover's meetings; grayscale warnings
        errors.add(problem)
    errors.raise_if_any()  # rendering a page with a policy problem would only repeat it
    for problem in rendering_problems(content, checks):
        errors.add(problem)
    errors.raise_if_any()


# --------------------------------------------------------------------------------------------


def printed_files(content: Content) -> list[Path]:
    """The source files whose text reaches paper."""
    files = [page.path for page in content.chapters if page.path]
    if content.faq is not None:
        files.append(content.faq.path)
    files += [flier.path for flier in content.fliers]
    files.append(content.manifest.path)
    if content.schedule is not None:
        files.append(content.schedule.path)
    if content.bibliography is not None:
        files += list(content.project.citation_settings().bibliography)
    return files


def unprintable_characters(content: Content) -> Iterable[SourceError]:
    for path in dict.fromkeys(printed_files(content)):
        text = read_text(path)
        for index, char in unprintable(text):
            line, column = locate(text, index)
            yield SourceError(f"no font pamphlet prints with has the character {describe(char)}; replace it, "
                              "or say it in words", path, line, column, code="glyph-missing")


def _images(content: Content) -> Iterable[tuple[Path, int, int, str]]:
    """(page file, line, column, site path) of every image a page shows."""
    for page in content.pages.values():
        if page.analysis is None or page.generated_text is not None or page.path is None:
            continue
        for link in page.analysis.links:
            parts = urlsplit(link.target)
            if link.kind != "image" or parts.scheme or parts.netloc or not parts.path:
                continue
            uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.uri), unquote(parts.path)))
            yield page.path, link.line, link.column, uri


def image_problem(path: Path) -> str | None:
    """Why an image file cannot be shown or printed, or None."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return None  # checked as a document of its own when the inventory read it
    if suffix not in RASTER:
        return f"{path.name} is not an image pamphlet can print (use PNG, JPEG, GIF, WebP or SVG)"
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(read_bytes(path))) as image:
            image.verify()
    except UnidentifiedImageError:
        return f"{path.name} is not a {suffix[1:].upper()} image (or any image pamphlet knows); export it again"
    except (OSError, SyntaxError, ValueError) as exc:
        return f"{path.name} is damaged ({' '.join(str(exc).split()) or type(exc).__name__}); export it again"
    except SourceError as exc:
        return exc.message
    return None


def broken_images(content: Content) -> Iterable[SourceError]:
    known: dict[Path, str | None] = {}
    for page_path, line, column, uri in _images(content):
        path = content.static.get(uri)
        if path is None:
            continue  # a missing image is `content.check`'s
        if path not in known:
            known[path] = image_problem(path)
        if known[path]:
            yield SourceError(f"the image cannot be loaded: {known[path]}", page_path, line, column,
                              code="image-broken")


def _nav_entries(items: list, keys: tuple) -> Iterable[tuple[str, tuple]]:
    for index, item in enumerate(items):
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, list):
                    yield from _nav_entries(value, keys + (index, title))
                else:
                    yield value, keys + (index, title)
        else:
            yield item, keys + (index,)


def nav_problems(content: Content) -> Iterable[SourceError]:
    settings = content.project.settings
    for value, keys in _nav_entries(settings.nav or [], ("nav",)):
        if not isinstance(value, str):
            yield settings.error(f"a nav entry must be a page's path (like about.md) but received: {value!r}", *keys)
            continue
        if "://" in value or value.startswith(("mailto:", "#")):
            continue
        uri = posixpath.normpath(value.strip("/"))
        if uri == f"{BOOKLET_DIR}/index.md" or uri in content.pages:
            continue
        if uri in content.private:
            yield settings.error(f"the nav entry {value} points to a private page ({content.private[uri]}): it is "
                                 "not on the public site; remove it from nav", *keys)
        else:
            yield settings.error(f"the nav entry {value} points to no page (looked for {settings.docs_dir}/{uri})",
                                 *keys)


def rendering_problems(content: Content, checks: RenderChecks | None = None) -> Iterable[SourceError]:
    """Render every page as the site will, through the same extensions and the last HTML gate; with
    `checks`, a page whose render passed before (same text, same everything else) is not rendered
    again, and one that passes now, with no warning, is recorded."""
    from pamphlet.render import TYPOGRAPHIC, make_markdown

    try:  # without the typographic extensions: they only turn quotes and dashes into entities (a third
        # of the time of a render), and can neither fail nor make markup the gate would refuse
        md = make_markdown(content.project, leave_out=TYPOGRAPHIC)
    except SourceError as exc:
        yield exc
        return
    except (KeyError, TypeError, ValueError, ImportError, AttributeError) as exc:
        # third-party extensions reject settings with these; name mkdocs.yml's extension list
        yield content.project.settings.error(
            f"the Markdown extensions cannot be set up as written: {' '.join(str(exc).split())}",
            "markdown_extensions")
        return
    for page in content.pages.values():
        if page.source is None or page.generated_text is not None:
            continue
        key = checks.key(content.language, page.uri, page.path, page.source.text) if checks else None
        if key is not None and checks.passed(key):
            continue
        warned: list[tuple] = []  # what the render reported, even what the reporter had already

        def counted(report):
            def call(*args):
                warned.append(args)
                return report(*args)

            return call

        context = render_context(content, page)
        context = dataclasses.replace(context, warn=context.warn and counted(context.warn),
                                      report=context.report and counted(context.report))
        try:
            with page_context(context):
                md.reset().convert(page.source.body)
        except SourceError as exc:
            yield exc
        except RecursionError:
            yield SourceError("too deeply nested to render", page.path, code="too-deep")
        else:
            if key is not None and not warned:
                checks.record(key)


__all__ = ["preflight", "printed_files"]
