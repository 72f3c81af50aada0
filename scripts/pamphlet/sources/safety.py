"""What a Markdown source may ask of the build and of a reader's browser, checked at file:line:col.

- raw HTML follows the policy of `htmlpolicy` (no scripts, event handlers, frames, forms, remote
  resources...);
- attributes given with attribute-list syntax (`{: onclick=...}`) follow the same rules;
- links use no `javascript:`, `vbscript:` or `data:` address (images may be `data:` images);
- images are files of the project: a remote image would make the build (and every reader) fetch it
  from another site, so it is an error with the hint to download it into docs/;
- nesting stays within `MAX_DEPTH` levels (deeper would exhaust the renderer's recursion).

`pamphlet.markdown.safety` applies the same HTML policy to the HTML the renderer finally writes,
for whatever a source manages to hide from this analysis.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pamphlet.errors import SourceError
from pamphlet.sources.analysis import MAX_DEPTH, Analysis
from pamphlet.sources.htmlpolicy import HtmlPolicy, check_html

SCRIPT_SCHEMES = ("javascript:", "vbscript:")
DATA_IMAGES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp", "data:image/svg+xml")


def _squeezed(value: str) -> str:
    """A URL as a browser reads its scheme: white space and control characters removed, lowercase."""
    return "".join(c for c in value if c > " " and c != "\x7f").lower()


def remote(target: str) -> bool:
    """An address on another site (any scheme but `data:`, or `//host/...`)."""
    if target.startswith("//"):
        return True
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return bool(parts.scheme) and parts.scheme.lower() not in ("data", "mailto", "tel") and len(parts.scheme) > 1


def page_problems(analysis: Analysis, path: Path, policy: HtmlPolicy) -> list[SourceError]:
    """Every problem of one analysed Markdown text, in order of position."""
    found: list[SourceError] = []
    for fragment in analysis.html:
        for problem in check_html(fragment.text, policy):
            column = fragment.column + problem.column - 1 if problem.line == 1 else problem.column
            found.append(SourceError(problem.message, path, fragment.line + problem.line - 1, column,
                                     code=problem.code))
    for attribute in analysis.attributes:
        if attribute.name.lower().startswith("on"):
            found.append(SourceError(f"the attribute `{attribute.name}` is not allowed: pamphlet publishes no "
                                     "scripts from the sources", path, attribute.line, code="html-event-handler"))
        elif _squeezed(attribute.value).startswith(SCRIPT_SCHEMES):
            found.append(SourceError(f"the attribute `{attribute.name}` holds a script address, which is not "
                                     "allowed", path, attribute.line, code="html-url-scheme"))
    for link in analysis.links:
        address = _squeezed(link.target)
        if address.startswith(SCRIPT_SCHEMES):
            found.append(SourceError(f"a {link.kind} to a script address (`{link.target[:40]}`) is not allowed",
                                     path, link.line, link.column, code="link-scheme"))
        elif address.startswith("data:") and not (link.kind == "image" and address.startswith(DATA_IMAGES)):
            found.append(SourceError(f"a {link.kind} to a `data:` address is not allowed (only images may be "
                                     "written inline)", path, link.line, link.column, code="link-scheme"))
        elif link.kind == "image" and remote(link.target):
            found.append(SourceError(f"the image `{link.target}` is on another site: the build never fetches from "
                                     "the network; download it into docs/ (e.g. docs/images/) and link to it there",
                                     path, link.line, link.column, code="image-remote"))
    depth, line = analysis.depth
    if depth > MAX_DEPTH:
        found.append(SourceError(f"quotes, lists or boxes nested more than {MAX_DEPTH} levels deep (inside each "
                                 "other); flatten them: no reader can follow that many", path, line, code="too-deep"))
    return sorted(found, key=lambda e: (e.line or 0, e.column or 0))


__all__ = ["page_problems", "remote"]
