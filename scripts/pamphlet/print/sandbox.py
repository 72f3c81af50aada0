"""WeasyPrint's window on the world: only the project's source folders and pamphlet's own assets.

Every file a printed document needs (images, fonts) is fetched through `SandboxFetcher`. It serves
`file:` URLs that resolve (symlinks followed) inside the allowed folders, and `data:` URLs (QR
codes); it refuses everything else (files elsewhere, `..` that climbs out, `http:`/`https:`, any
other scheme) and remembers each refusal, so the printer can name it in an error instead of
WeasyPrint's generic warning. No network connection is ever opened.

Attachments (`<link rel=attachment>`, `<a rel=attachment>`) would embed a file in the PDF; the
raw-HTML policy refuses them in the sources, and `attachments` reports any that still reached a
laid-out document, so the printer can refuse it too.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse


class SandboxFetcher(URLFetcher):
    def __init__(self, allowed: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.allowed = [Path(p).resolve() for p in allowed]
        self.refused: list[str] = []
        self.served: set[Path] = set()  # every file read, for the piece cache (`pamphlet.cache.Pieces`)

    def local_path(self, url: str) -> Path | None:
        """The file a `file:` URL names, if it lies inside an allowed folder and exists."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        real = Path(url2pathname(unquote(parts.path))).resolve()
        inside = any(real == folder or folder in real.parents for folder in self.allowed)
        return real if inside and real.is_file() else None

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url[:5].lower() == "data:":
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"pamphlet does not let the printer read {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.served.add(path)
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})


def attachments(document) -> list[str]:
    """Whatever a laid-out document would embed as a file: none may reach a PDF."""
    found = [a.name or a.description or "a <link rel=attachment>" for a in document.metadata.attachments]
    for page in document.pages:
        found += [target for kind, target, *_ in page.links if kind == "attachment"]
    return found
