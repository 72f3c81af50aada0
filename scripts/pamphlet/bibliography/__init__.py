"""Works cited: BibTeX loading, Pandoc citation syntax, styles and works-cited lists.

- `loader`: `load_bibliography(paths) -> Bibliography` (pybtex; errors with file and line).
- `syntax`: the citation grammar shared by the site renderer and `pamphlet check`;
  `find_citations(source)` and `check_citations(sources, bibliography, strict_for)`.
- `styles`: `Citer` (in-text labels, reference entries, `works_cited_html`), the pybtex style.

The Python-Markdown extension that renders citations is `pamphlet.markdown.citations`.
"""

from pamphlet.bibliography.loader import Bibliography, Location, load_bibliography
from pamphlet.bibliography.styles import STYLES, BackRef, Citer, works_cited_html
from pamphlet.bibliography.syntax import (
    Citation,
    CiteItem,
    FoundCitation,
    check_citations,
    find_citations,
    strict_for_paths,
)

__all__ = [
    "STYLES", "BackRef", "Bibliography", "Citation", "CiteItem", "Citer", "FoundCitation", "Location",
    "check_citations", "find_citations", "load_bibliography", "strict_for_paths", "works_cited_html",
]
