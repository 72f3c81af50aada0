"""Python-Markdown extension: Pandoc citations (``[@key, p. 12]``, ``@key``) and a References list.

Enable it in mkdocs.yml (paths are relative to the working directory, the repository root)::

    markdown_extensions:
      - pamphlet.markdown.citations:
          bibliography: [references.bib]
          style: author-year        # or numeric, alpha
          strict: true              # an unknown key stops the build
          lenient_paths: [drafts/]  # ...except on these pages: a warning and a marker
          references_title: References

The syntax is `pamphlet.bibliography.syntax` (shared with `pamphlet check`); labels and entries
come from `pamphlet.bibliography.styles.Citer`. Code spans and code blocks are never touched
(citations are an inline pattern, and Python-Markdown stashes code before inline patterns run);
neither are raw HTML, autolinks and link text. ``\\@name`` is a literal at-sign (the extension
adds ``@`` to Python-Markdown's escapable characters).

Output (the site CSS and the print stylesheet target these classes; attributes come out in this
order)::

    <span class="citation" data-cites="k1 k2">(<a class="citation-ref" href="#ref-k1"
      id="cite-k1-1">Albert 2003, p. 12</a>; see <a class="citation-ref" href="#ref-k2"
      id="cite-k2-1">Hahnel 2005</a>)</span>
    <span class="citation citation-narrative" data-cites="k1"><a class="citation-ref"
      href="#ref-k1" id="cite-k1-2">Albert (2003)</a></span>
    <span class="citation citation-missing">(missing source: k3)</span>      (lenient mode)

and, at the end of a page that cites something (after the footnotes)::

    <section class="references">
    <h2 id="references">References</h2>
    <ul class="references-list">
    <li class="reference" id="ref-k1">Albert, Michael. 2003. <em>Parecon ...</em>. London: Verso.</li>
    </ul>
    </section>

Ids: ``cite-<anchor>-<n>`` is the n-th citation of a key on the page (n from 1, in document
order), ``ref-<anchor>`` its entry; ``<anchor>`` is the key with characters other than letters,
digits, ``_ - . :`` replaced by ``-`` (`Citer.anchor`). A prefix ("see") stands before the link,
the locator inside it. In a citation that mixes known and missing keys, a missing one is
``<span class="citation-missing">missing source: k3</span>`` and `data-cites` lists the known
keys. The numeric and alpha styles use square brackets and start each entry with
``<span class="reference-label">[1]</span>``.

After `Markdown.convert`, ``md.citations`` lists every cited item in document order
(`CitationOccurrence`: key, id, locator...) and ``md.cited_keys`` the known keys in order of
first citation; both are cleared by ``md.reset()`` and at the start of each conversion.

Which page is being converted (for `lenient_paths` and for error messages) comes from
`current_page` / `set_current_page`; MkDocs does not tell Markdown extensions. With no page set,
`strict` alone decides. In strict mode an unknown key raises `SourceError` (all unknown keys of
the page, as `SourceErrors` when there are several) at the key's line when the page is known.
"""

from __future__ import annotations

import contextvars
import logging
import xml.etree.ElementTree as etree
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from pamphlet.bibliography.loader import Bibliography, load_bibliography
from pamphlet.bibliography.styles import STYLES, Citer
from pamphlet.bibliography.syntax import (
    CITATION_RE,
    Citation,
    citation_from_match,
    locate_citations,
    strict_for_paths,
    unknown_key_message,
)
from pamphlet.errors import Collector, SourceError
from pamphlet.i18n import N_, Translator, translator
from pamphlet.markdown.context import CURRENT, PageContext, current
from pamphlet.settings import CITATIONS_SCHEMA
from pamphlet.sources.schema import Bool, Choice, ListOf, Str

log = logging.getLogger("pamphlet.citations")

# Priorities. The inline pattern runs after links, autolinks and raw inline HTML (so URLs, e-mail
# autolinks and tag attributes are already stashed) and before emphasis (which may wrap a
# citation). Python-Markdown's inline treeprocessor (priority 20) does not visit elements in
# document order, so ids, numbers and labels are given afterwards by the treeprocessor, which
# runs before `toc` (5) so the References heading is in the table of contents, and before smarty
# (6) and abbr (7), which leave our AtomicString labels alone.
INLINE_PRIORITY = 85
TREE_PRIORITY = 12
PREPROCESSOR_PRIORITY = 100  # first: keep the Markdown exactly as written, to locate errors


@dataclass
class CitationOccurrence:
    """One cited item on a page, in document order.

    `id` is the citation link's id (``cite-<anchor>-<n>``), None for a missing key; `locator` is
    the suffix without its leading comma ("p. 12").
    """

    key: str
    id: str | None
    locator: str = ""
    prefix: str = ""
    mode: str = "parenthetical"
    suppress_author: bool = False
    missing: bool = False


# The page being converted is the shared page context (`pamphlet.markdown.context`): its `source`
# decides `lenient_paths` (e.g. "docs/drafts/idea.md"), `file` and `first_line` locate errors,
# and `citations` receives what ``md.citations`` holds.
CitationPage = PageContext


def set_current_page(path: str | None, *, file: Path | None = None, first_line: int = 1) -> contextvars.Token:
    """Tell the extension which page the next conversions are for; returns a token for
    `reset_current_page`. (The pipeline sets a full `PageContext` instead.)"""
    return CURRENT.set(PageContext(title="", url=None, source=path, file=file, first_line=first_line))


def reset_current_page(token: contextvars.Token) -> None:
    CURRENT.reset(token)


def get_current_page() -> PageContext | None:
    return current()


@contextmanager
def current_page(path: str | None, *, file: Path | None = None, first_line: int = 1) -> Iterator[PageContext]:
    """``with current_page("booklet/economy.md", file=..., first_line=...) as page: md.convert(...)``."""
    token = set_current_page(path, file=file, first_line=first_line)
    try:
        yield current()
    finally:
        reset_current_page(token)


@lru_cache(maxsize=8)
def _load_cached(paths: tuple[str, ...], stamps: tuple[tuple[int, int], ...]) -> Bibliography:
    return load_bibliography([Path(p) for p in paths])


def cached_bibliography(paths: Sequence[str | Path]) -> Bibliography:
    """`load_bibliography`, reused while the files are unchanged (MkDocs makes a Markdown
    instance, so an extension instance, per page)."""
    resolved = tuple(str(Path(p)) for p in paths)
    stamps = []
    for p in resolved:
        try:
            stat = Path(p).stat()
            stamps.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append((0, -1))  # load_bibliography reports the missing file
    return _load_cached(resolved, tuple(stamps))


class _SourcePreprocessor(Preprocessor):
    def __init__(self, md: markdown.Markdown, ext: CitationsExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.start_page("\n".join(lines))
        return lines


class _CitationInlineProcessor(InlineProcessor):
    ANCESTOR_EXCLUDES = ("a",)

    def __init__(self, md: markdown.Markdown, ext: CitationsExtension) -> None:
        super().__init__(CITATION_RE.pattern, md)
        self.compiled_re = CITATION_RE
        self.ext = ext

    def handleMatch(self, m, data):  # noqa: ANN001, ANN201, N802 - Python-Markdown's API
        element = etree.Element("span")
        self.ext.pending[element] = citation_from_match(m)
        return element, m.start(0), m.end(0)


class _CitationTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, ext: CitationsExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        self.ext.finish_page(root)


class CitationsExtension(Extension):
    """See the module docstring. Options: `bibliography`, `style`, `strict`, `lenient_paths`,
    `references_title`, `references` (append the per-page list; default true) and, from Python
    only, `citer` (a shared `Citer`, e.g. to number citations across the booklet's chapters; it
    overrides `bibliography` and `style`)."""

    def __init__(self, **kwargs: Any) -> None:
        # The defaults and their help live in one place: the typed settings' schema.
        self.config = {name: [option.default, option.help] for name, option in CITATIONS_SCHEMA.items()}
        self.config["citer"] = [None, "A shared pamphlet.bibliography.styles.Citer (Python only)"]
        super().__init__(**kwargs)
        self._validate()
        self.md: markdown.Markdown | None = None
        self.pending: dict[etree.Element, Citation] = {}
        self.source = ""
        self._citer: Citer | None = self.getConfig("citer")

    def setConfig(self, key: str, value: Any) -> None:  # noqa: N802 - Python-Markdown's API
        """Store an option as given (Python-Markdown would turn "yes" into true); `_validate`
        checks it."""
        if key not in self.config:
            options = sorted(k for k in self.config if k != "citer")
            raise SourceError(f"`pamphlet.markdown.citations` has no option `{key}`; expected one of: {options}")
        self.config[key][0] = value

    def _validate(self) -> None:
        checks = {
            "bibliography": ListOf(Str()),
            "style": Choice(list(STYLES)),
            "strict": Bool(),
            "lenient_paths": ListOf(Str()),
            "references_title": Str(),
            "references": Bool(),
        }
        errors = Collector()
        for name, option in checks.items():
            value = self.getConfig(name)
            if name in ("bibliography", "lenient_paths") and isinstance(value, str):
                value = [value]
                self.setConfig(name, value)
            try:
                option.validate(value)
                if isinstance(option, ListOf):
                    for item in value:
                        option.item.validate(item)
            except ValueError as exc:
                errors.add(SourceError(f"`pamphlet.markdown.citations` option `{name}`: {exc}"))
        citer = self.getConfig("citer")
        if citer is not None and not isinstance(citer, Citer):
            raise ValueError(f"`citer` must be a pamphlet.bibliography.styles.Citer, not {type(citer).__name__}")
        errors.raise_if_any()

    # set-up

    @property
    def citer(self) -> Citer:
        """The `Citer` (the bibliography is loaded on first use)."""
        if self._citer is None:
            bibliography = cached_bibliography(self.getConfig("bibliography"))
            self._citer = Citer(bibliography, self.getConfig("style"))
        return self._citer

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        self.md = md
        md.registerExtension(self)
        if "@" not in md.ESCAPED_CHARS:
            md.ESCAPED_CHARS.append("@")  # `\@name` is a literal at-sign, not a citation
        md.preprocessors.register(_SourcePreprocessor(md, self), "pamphlet_citations_source", PREPROCESSOR_PRIORITY)
        md.inlinePatterns.register(_CitationInlineProcessor(md, self), "pamphlet_citations", INLINE_PRIORITY)
        md.treeprocessors.register(_CitationTreeprocessor(md, self), "pamphlet_citations", TREE_PRIORITY)
        self.reset()

    def reset(self) -> None:
        self.pending = {}
        self.source = ""
        if self.md is not None:
            self.md.citations = []
            self.md.cited_keys = []
        if self.getConfig("citer") is None and self._citer is not None:
            self._citer.reset_numbers()  # our own Citer: numbers are per page

    def start_page(self, source: str) -> None:
        self.reset()
        self.source = source

    # the work

    def finish_page(self, root: etree.Element) -> None:
        page = get_current_page()
        if page is not None and page.source:
            strict = strict_for_paths(self.getConfig("strict"), self.getConfig("lenient_paths"))(page.source)
        else:
            strict = self.getConfig("strict")
        counts: dict[str, int] = {}  # citations of each key so far, known or not
        occurrences: list[CitationOccurrence] = []
        missing: list[tuple[str, int]] = []  # key, and which citation of that key it is
        for element in [el for el in root.iter() if el in self.pending]:  # document order
            citation = self.pending.pop(element)
            for item in citation.items:
                counts[item.key] = counts.get(item.key, 0) + 1
                if item.key not in self.citer.bibliography:
                    missing.append((item.key, counts[item.key]))
            self._render(element, citation, occurrences)
        self.pending.clear()
        if missing:
            self._report(missing, page, strict)
        cited = list(dict.fromkeys(o.key for o in occurrences if not o.missing))
        if cited and self.getConfig("references"):
            root.append(self._references(cited))
        if self.md is not None:
            self.md.citations = occurrences
            self.md.cited_keys = cited
        if page is not None:
            page.citations = list(occurrences)

    def _render(self, span: etree.Element, citation: Citation, occurrences: list[CitationOccurrence]) -> None:
        """Fill the citation's span; append its items to `occurrences` (the page's so far)."""
        citer = self.citer
        known = [item.key for item in citation.items if item.key in citer.bibliography]
        if known:
            span.set("class", "citation citation-narrative" if citation.mode == "narrative" else "citation")
            span.set("data-cites", " ".join(dict.fromkeys(known)))
            opening, closing = citer.brackets if citation.mode == "parenthetical" else ("", "")
        else:
            span.set("class", "citation citation-missing")
            opening, closing = "(", ")"
        span.text = AtomicString(opening)
        last: etree.Element | None = None

        def add_text(text: str) -> None:
            if last is None:
                span.text = AtomicString(span.text + text)
            else:
                last.tail = AtomicString((last.tail or "") + text)

        for index, item in enumerate(citation.items):
            if index:
                add_text("; ")
            if item.key not in citer.bibliography:
                occurrences.append(CitationOccurrence(item.key, None, item.locator, item.prefix, citation.mode,
                                                      item.suppress_author, missing=True))
                _ = _page_translator()
                missing_text = _("missing source: {key}", key=item.key)
                if known:
                    last = etree.SubElement(span, "span", {"class": "citation-missing"})
                    last.text = AtomicString(missing_text)
                else:
                    add_text(missing_text)
                continue
            if item.prefix:
                add_text(item.prefix + " ")
            n = 1 + sum(1 for o in occurrences if o.key == item.key and not o.missing)
            ident = f"cite-{citer.anchor(item.key)}-{n}"
            last = etree.SubElement(span, "a", {"class": "citation-ref", "id": ident,
                                                "href": f"#ref-{citer.anchor(item.key)}"})
            last.text = AtomicString(citer.item_text(item, citation.mode))
            occurrences.append(CitationOccurrence(item.key, ident, item.locator, item.prefix, citation.mode,
                                                  item.suppress_author))
        add_text(closing)

    def _report(self, missing: list[tuple[str, int]], page: CitationPage | None, strict: bool) -> None:
        errors = Collector()
        known_page = page is not None and bool(page.file or page.source)
        where = locate_citations(self.source, page.first_line) if known_page else []
        for key, nth in missing:
            hits = [f for f in where if f.key == key]
            hit = hits[nth - 1] if len(hits) >= nth else None
            file = (page.file or page.source) if page else None
            error = SourceError(unknown_key_message(key, self.citer.bibliography), file,
                                hit.line if hit else None, hit.column if hit else None)
            if strict:
                errors.add(error)
            elif page is not None and page.report is not None:
                page.report(error)  # (check has reported it already: the reporter keeps it once)
            else:
                log.warning("%s", error)
        errors.raise_if_any()

    def _references(self, keys: list[str]) -> etree.Element:
        section = etree.Element("section", {"class": "references"})
        heading = etree.SubElement(section, "h2", {"id": "references"})
        title = self.getConfig("references_title")
        if title == REFERENCES and title == CITATIONS_SCHEMA["references_title"].default:
            title = _page_translator()(title)  # pamphlet's own words, not the project's
        heading.text = title
        items = etree.SubElement(section, "ul", {"class": "references-list"})
        for key in self.citer.sort_keys(keys):
            item = etree.fromstring(self.citer.reference_html(key))
            _atomic(item)
            items.append(item)
        return section


REFERENCES = N_("References")  # `references_title`'s default, translated (a title the project sets is not)


def _page_translator() -> Translator:
    """This extension's texts in the language of the page being rendered (English without a page
    context)."""
    context = current()
    return translator(context.language if context is not None else "en")


def _atomic(element: etree.Element) -> None:
    """Mark formatted text as final, so that later treeprocessors (smarty, abbr) leave it alone."""
    for el in element.iter():
        if el.text:
            el.text = AtomicString(el.text)
        if el.tail:
            el.tail = AtomicString(el.tail)


def makeExtension(**kwargs: Any) -> CitationsExtension:  # noqa: N802 - Python-Markdown's entry point
    return CitationsExtension(**kwargs)


__all__ = [
    "CitationOccurrence", "CitationPage", "CitationsExtension", "cached_bibliography", "current_page",
    "get_current_page", "makeExtension", "reset_current_page", "set_current_page",
]
