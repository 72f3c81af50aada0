"""Citation styles: the reference-list format (a pybtex style) and in-text labels (`Citer`).

Reference entries are written in pybtex's template language (`AuthorYearStyle`, a subclass of
pybtex's `BaseStyle`), Chicago author-date style, and rendered with pybtex's HTML backend
(tuned: plain Unicode instead of entities, no ``bibtex-protected`` spans, quoted link targets)::

    Albert, Michael. 2003. <em>Parecon: Life After Capitalism</em>. London: Verso.
    Albert, Michael, and Robin Hahnel. 1991. <em>The Political Economy of ...</em>. Princeton, NJ: ...
    Spannos, Chris, ed. 2008. <em>Real Utopia: ...</em>. Oakland, CA: AK Press.
    Ostrom, Elinor. 2010. “Beyond Markets and States: ...” <em>American Economic Review</em> 100 (3):
        641–672. <a href="https://doi.org/10.1257/aer.100.3.641">https://doi.org/10.1257/aer.100.3.641</a>.

Every style uses these entries; the numeric and alpha styles put a label before them.

In-text citations come from a `Citer`, which knows one bibliography and one style:

=============  ===========================  =============================  ==================
style          ``[@key, p. 12]``            ``@key``                       list order
=============  ===========================  =============================  ==================
author-year    (Albert 2003, p. 12)         Albert (2003)                  author, year, title
numeric        [1, p. 12]                   Albert [1]                     first citation
alpha          [Alb03, p. 12]               Albert [Alb03]                 author, year, title
=============  ===========================  =============================  ==================

Author-year labels: one author "Albert", two "Albert and Hahnel", three or more "Sintomer et al.";
editors stand in when there is no author; names keep their case ("hooks 2000"). Works with the
same label get a, b, ... after the year, ordered by title ("Albert 2003a", also in the entry).
Numbers are given in the order `Citer.number` is first asked for a key (the order of first
citation); alpha labels are pybtex's (`pybtex.style.labels.alpha`), made from decoded names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from pybtex.backends.html import Backend as _PybtexHtmlBackend
from pybtex.backends.plaintext import Backend as PlaintextBackend
from pybtex.database import Entry, Person
from pybtex.plugin import find_plugin
from pybtex.richtext import HRef, Text
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.names import BaseNameStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    join,
    node,
    optional,
    optional_field,
    sentence,
    tag,
    words,
)

from pamphlet.bibliography.loader import Bibliography
from pamphlet.bibliography.syntax import Citation, CiteItem

STYLES = ("author-year", "numeric", "alpha")


# --- text helpers ------------------------------------------------------------------------------


_PLAIN = PlaintextBackend()


@lru_cache(maxsize=4096)
def latex_to_text(value: str) -> str:
    """Plain Unicode text of a BibTeX value: ``R{\\"o}cke`` -> ``Röcke``, ``\\&`` -> ``&``."""
    return Text.from_latex(value).render(_PLAIN)


def _fold(text: str) -> str:
    """A sort key: case-folded, accents removed ("Röcke" sorts with "Rocke", "hooks" with "H")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _surname(person: Person) -> str:
    return latex_to_text(" ".join(person.prelast_names + person.last_names))


def _is_others(person: Person) -> bool:
    return [str(p) for p in person.last_names] == ["others"] and not person.first_names


def _url_from_field(value: str) -> str:
    """A URL as written in BibTeX, with the usual escapes (``\\_``, ``\\%``...) undone."""
    return re.sub(r"\\([_%&#$~])", r"\1", value.strip())


def doi_url(doi: str) -> str:
    """https://doi.org/... for a DOI written bare, as ``doi:...`` or as a URL."""
    doi = _url_from_field(doi)
    doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.IGNORECASE)
    return "https://doi.org/" + doi


_RANGE = re.compile(r"(?<=\d)\s*-{1,2}\s*(?=\d)")


def format_locator(suffix: str) -> str:
    """The text after a label for a citation suffix: ``", pp. 3-5"`` -> ``", pp. 3–5"``.

    A suffix that starts with a comma is a locator (", " then the locator, page ranges with an
    en dash); any other suffix follows after a space; an empty one adds nothing.
    """
    text = suffix.strip()
    if text.startswith(","):
        locator = _RANGE.sub("–", text[1:].strip())
        return f", {locator}" if locator else ""
    return f" {text}" if text else ""


# --- pybtex: backend, names, sorting, templates --------------------------------------------------


class HtmlBackend(_PybtexHtmlBackend):
    """pybtex's HTML backend giving well-formed XML fragments without entities.

    Unicode characters instead of ``&ndash;``/``&nbsp;``; ``{protected}`` text without a span
    (protection only matters for case changes, and we change no case); link targets quoted.
    """

    symbols = {"ndash": "–", "newblock": " ", "nbsp": "\u00a0"}

    def format_protected(self, text: str) -> str:
        return text

    def format_href(self, url: str, text: str, external: bool = False) -> str:  # type: ignore[override]
        return f"<a href={quoteattr(str(url))}>{text}</a>" if text else ""


class InvertedNameStyle(BaseNameStyle):
    """``Last, First Middle`` (``von Last, Jr, First``), without ties."""

    def format(self, person: Person, abbr: bool = False):  # noqa: ANN201 - a template node
        return join(sep=", ")[
            words[person.rich_prelast_names + person.rich_last_names],
            words[person.rich_lineage_names],
            words[person.rich_first_names + person.rich_middle_names],
        ]


class NaturalNameStyle(BaseNameStyle):
    """``First Middle von Last, Jr``, without ties."""

    def format(self, person: Person, abbr: bool = False):  # noqa: ANN201 - a template node
        return join(sep=", ")[
            words[person.rich_first_names + person.rich_middle_names
                  + person.rich_prelast_names + person.rich_last_names],
            words[person.rich_lineage_names],
        ]


def creators_of(entry: Entry) -> tuple[str, list[Person]]:
    """("author", authors), or ("editor", editors) when there is no author, or ("", [])."""
    for role in ("author", "editor"):
        persons = entry.persons.get(role)
        if persons:
            return role, list(persons)
    return "", []


def _title_text(entry: Entry) -> str:
    return latex_to_text(entry.fields.get("title", ""))


class AuthorYearSorting(BaseSortingStyle):
    """Author (or editor; title when there is neither), then year, then title; case and accents
    ignored."""

    def sorting_key(self, entry: Entry) -> tuple[str, str, str]:
        _, persons = creators_of(entry)
        title = _fold(re.sub(r"^(the|an?)\s+", "", _title_text(entry), flags=re.IGNORECASE))
        if persons:
            names = "   ".join(
                _fold(_surname(p)) + "  " + _fold(latex_to_text(" ".join(p.first_names + p.middle_names)))
                for p in persons)
        else:
            names = title
        return names, entry.fields.get("year", ""), title


@node
def names_list(children, context, role):  # noqa: ANN001, ANN201 - pybtex's node protocol
    """``Albert, Michael, and Robin Hahnel``: the first name inverted, "et al." for ``others``."""
    if children:
        raise ValueError(children)
    entry = context["entry"]
    persons = list(entry.persons.get(role) or [])
    if not persons:
        raise FieldIsMissing(role, entry)
    style = context["style"]
    others = len(persons) > 1 and _is_others(persons[-1])
    if others:
        persons = persons[:-1]
    formatted = [style.inverted_names.format(persons[0]).format_data(context)]
    formatted += [style.natural_names.format(p).format_data(context) for p in persons[1:]]
    text = join(sep=", ", sep2=", and ", last_sep=", and ")[formatted].format_data(context)
    return Text(text, ", et al.") if others else text


@node
def natural_names_list(children, context, role):  # noqa: ANN001, ANN201
    """``Archon Fung and Erik Olin Wright`` (for "edited by ...")."""
    entry = context["entry"]
    persons = list(entry.persons.get(role) or [])
    if not persons:
        raise FieldIsMissing(role, entry)
    style = context["style"]
    formatted = [style.natural_names.format(p).format_data(context) for p in persons]
    return join(sep=", ", sep2=" and ", last_sep=", and ")[formatted].format_data(context)


@node
def year(children, context):  # noqa: ANN001, ANN201
    """The year with its disambiguation letter (2003a), or "n.d."."""
    return Text(context["style"].year_text(context["entry"]))


@node
def quoted(children, context):  # noqa: ANN001, ANN201
    """“Text.”: a period inside the quotes unless the text ends in . ? or !"""
    text = Text(*(c.format_data(context) if hasattr(c, "format_data") else c for c in children))
    if not text:
        return Text()
    return Text("“", text.add_period(), "”")


@node
def web_link(children, context):  # noqa: ANN001, ANN201
    """The DOI as a https://doi.org/ link, else the URL as a link."""
    entry = context["entry"]
    if entry.fields.get("doi"):
        url = doi_url(entry.fields["doi"])
    elif entry.fields.get("url"):
        url = _url_from_field(entry.fields["url"])
    else:
        raise FieldIsMissing("url", entry)
    return Text(HRef(url, url))


def _dashify(text: Text) -> Text:
    return Text("–").join(text.split(re.compile(r"\s*-+\s*")))


pages = field("pages", apply_func=_dashify)


class AuthorYearStyle(BaseStyle):
    """Reference entries in Chicago author-date style, as pybtex templates.

    `year_suffixes` (key -> "a", "b", ...) is set by `Citer` to disambiguate works with the same
    author and year.
    """

    default_sorting_style = "author_year_title"

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.sort = AuthorYearSorting().sort
        self.inverted_names = InvertedNameStyle()
        self.natural_names = NaturalNameStyle()
        self.year_suffixes: dict[str, str] = {}

    def year_text(self, entry: Entry) -> str:
        value = latex_to_text(entry.fields.get("year", "")).strip() or "n.d."
        return value + self.year_suffixes.get(entry.key, "")

    # building blocks

    def creators(self, e: Entry):  # noqa: ANN201
        role, persons = creators_of(e)
        if role == "author":
            return sentence[names_list("author")]
        if role == "editor":
            return sentence[join(sep=", ")[names_list("editor"), "eds." if len(persons) > 1 else "ed."]]
        return None

    def date(self, e: Entry):  # noqa: ANN201
        return sentence[year]

    def heading(self, e: Entry, title) -> list:  # noqa: ANN001
        """Creators, date and title, in that order; title first when there are no creators."""
        creators = self.creators(e)
        if creators is None:
            return [title, self.date(e)]
        return [creators, self.date(e), title]

    def italic_title(self):  # noqa: ANN201
        return sentence[tag("em")[join(sep=": ")[field("title"), optional_field("subtitle")]]]

    def quoted_title(self):  # noqa: ANN201
        return quoted[join(sep=": ")[field("title"), optional_field("subtitle")]]

    def publisher(self):  # noqa: ANN201
        return optional[sentence[first_of[
            optional[join(sep=": ")[field("address"), field("publisher")]],
            field("publisher"),
        ]]]

    def edited_by(self, e: Entry):  # noqa: ANN201
        if "author" in e.persons and "editor" in e.persons:
            return sentence[join["Edited by ", natural_names_list("editor")]]
        return None

    def tail(self) -> list:
        return [optional[sentence[field("note")]], optional[sentence[web_link]]]

    # entry types

    def get_book_template(self, e: Entry):  # noqa: ANN201
        return toplevel[(
            *self.heading(e, self.italic_title()),
            optional[sentence[words[field("edition"), "ed"]]],
            self.edited_by(e),
            optional[sentence[field("series")]],
            self.publisher(),
            *self.tail(),
        )]

    get_booklet_template = get_book_template
    get_manual_template = get_book_template
    get_proceedings_template = get_book_template

    def get_article_template(self, e: Entry):  # noqa: ANN201
        volume = first_of[
            optional[join[" ", field("volume"), optional[" (", field("number"), ")"], optional[": ", pages]]],
            optional[join[", ", pages]],
        ]
        return toplevel[(
            *self.heading(e, self.quoted_title()),
            sentence[join[tag("em")[field("journal")], volume]],
            *self.tail(),
        )]

    def get_incollection_template(self, e: Entry):  # noqa: ANN201
        editors = optional[join["edited by ", natural_names_list("editor")]] if "author" in e.persons else None
        return toplevel[(
            *self.heading(e, self.quoted_title()),
            sentence(sep=", ")[join["In ", tag("em")[field("booktitle")]], editors, optional[pages]],
            self.publisher(),
            *self.tail(),
        )]

    get_inproceedings_template = get_incollection_template
    get_inbook_template = get_incollection_template

    def get_phdthesis_template(self, e: Entry):  # noqa: ANN201
        kind = "PhD diss." if e.type == "phdthesis" else "Master’s thesis"
        return toplevel[(
            *self.heading(e, self.quoted_title()),
            sentence(sep=", ")[kind, optional_field("school")],
            *self.tail(),
        )]

    get_mastersthesis_template = get_phdthesis_template

    def get_techreport_template(self, e: Entry):  # noqa: ANN201
        return toplevel[(
            *self.heading(e, self.italic_title()),
            optional[sentence[words[first_of[optional_field("type"), "Technical report"], optional_field("number")]]],
            optional[sentence(sep=": ")[optional_field("address"), field("institution")]],
            *self.tail(),
        )]

    def get_misc_template(self, e: Entry):  # noqa: ANN201
        return toplevel[(
            *self.heading(e, self.quoted_title()),
            optional[sentence[field("howpublished")]],
            self.publisher(),
            *self.tail(),
        )]

    def format_entry(self, label, entry, bib_data=None):  # noqa: ANN001, ANN201
        """As pybtex's, with the misc template for entry types that have none."""
        if not hasattr(self, f"get_{entry.type}_template"):
            context = {"entry": entry, "style": self, "bib_data": bib_data}
            from pybtex.style import FormattedEntry
            return FormattedEntry(entry.key, self.get_misc_template(entry).format_data(context), label)
        return super().format_entry(label, entry, bib_data=bib_data)


# --- in-text citations and works-cited lists --------------------------------------------------


@dataclass(frozen=True)
class BackRef:
    """A link back from a reference entry to a place that cites it (`text` may be empty)."""

    href: str
    text: str


def anchor_name(key: str) -> str:
    """A key as it appears in ids (``ref-<anchor>``, ``cite-<anchor>-<n>``).

    Letters, digits, ``_ - . :`` are kept; anything else (``/``, spaces...) becomes ``-``.
    `Citer.anchor` also keeps anchors of different keys apart.
    """
    return re.sub(r"[^\w.:-]", "-", key)


class Citer:
    """In-text citations and reference entries for one `Bibliography` in one style.

    ``style`` is "author-year" (default), "numeric" or "alpha". The numeric style numbers keys in
    the order `number` (or `label`, or `citation_text`) first sees them; share one `Citer` to
    share numbering across pages (the booklet), or call `reset_numbers` between pages.
    """

    def __init__(self, bibliography: Bibliography, style: str = "author-year") -> None:
        if style not in STYLES:
            raise ValueError(f"Expected one of: {list(STYLES)} but received: {style!r}")
        self.bibliography = bibliography
        self.style = style
        self.formatter = AuthorYearStyle()
        self.backend = HtmlBackend()
        self._numbers: dict[str, int] = {}
        self._entries: dict[str, str] = {}
        keys = bibliography.keys()
        entries = [bibliography[k] for k in keys]
        self._order = {entry.key: index for index, entry in enumerate(self.formatter.sort(entries))}
        self._authors = {k: self._author_label(bibliography[k]) for k in keys}
        self._suffixes = self._disambiguate(keys)
        self.formatter.year_suffixes = self._suffixes
        self._alpha = self._alpha_labels(entries) if style == "alpha" else {}
        self._anchors = self._make_anchors(keys)

    # labels

    @staticmethod
    def _author_label(entry: Entry) -> str:
        _, persons = creators_of(entry)
        if not persons:
            return _title_text(entry).split(":")[0].strip() or entry.key
        others = len(persons) > 1 and _is_others(persons[-1])
        if others or len(persons) >= 3:
            return f"{_surname(persons[0])} et al."
        return " and ".join(_surname(p) for p in persons)

    def _disambiguate(self, keys: list[str]) -> dict[str, str]:
        groups: dict[tuple[str, str], list[str]] = {}
        for key in keys:
            entry = self.bibliography[key]
            groups.setdefault((self._authors[key], self.formatter.year_text(entry)), []).append(key)
        suffixes: dict[str, str] = {}
        for members in groups.values():
            if len(members) > 1:
                members.sort(key=lambda k: (_fold(_title_text(self.bibliography[k])), k))
                for index, key in enumerate(members):
                    suffixes[key] = _letters(index)
        return suffixes

    def _alpha_labels(self, entries: list[Entry]) -> dict[str, str]:
        plain = []
        for entry in self.formatter.sort(entries):  # pybtex's labels, from decoded names
            persons = {role: [Person(latex_to_text(str(p))) for p in people] for role, people in entry.persons.items()}
            shadow = Entry(entry.type, fields=dict(entry.fields), persons=persons)
            shadow.key = entry.key
            plain.append(shadow)
        labels = find_plugin("pybtex.style.labels", "alpha")().format_labels(plain)
        return {entry.key: label for entry, label in zip(plain, labels, strict=True)}

    @staticmethod
    def _make_anchors(keys: list[str]) -> dict[str, str]:
        anchors: dict[str, str] = {}
        used: set[str] = set()
        for key in keys:
            candidate = base = anchor_name(key)
            n = 1
            while candidate in used:
                n += 1
                candidate = f"{base}-{n}"
            used.add(candidate)
            anchors[key] = candidate
        return anchors

    def _check(self, key: str) -> None:
        if key not in self.bibliography:
            raise KeyError(key)

    def anchor(self, key: str) -> str:
        """The key as used in ids: ``ref-<anchor>`` and ``cite-<anchor>-<n>``."""
        self._check(key)
        return self._anchors[key]

    def author(self, key: str) -> str:
        """"Albert", "Albert and Hahnel", "Sintomer et al.", "hooks"."""
        self._check(key)
        return self._authors[key]

    def year(self, key: str) -> str:
        """"2003", "2003a", "n.d."."""
        self._check(key)
        return self.formatter.year_text(self.bibliography[key])

    def number(self, key: str) -> int:
        """The key's number, given on first request (1, 2, ...)."""
        self._check(key)
        if key not in self._numbers:
            self._numbers[key] = len(self._numbers) + 1
        return self._numbers[key]

    def reset_numbers(self) -> None:
        self._numbers.clear()

    def label(self, key: str) -> str:
        """The label of the style: "Albert 2003" / "1" / "Alb03"."""
        if self.style == "numeric":
            return str(self.number(key))
        if self.style == "alpha":
            self._check(key)
            return self._alpha[key]
        return f"{self.author(key)} {self.year(key)}"

    @property
    def brackets(self) -> tuple[str, str]:
        return ("(", ")") if self.style == "author-year" else ("[", "]")

    def item_text(self, item: CiteItem, mode: str = "parenthetical") -> str:
        """The text of one cited item, without its prefix: what the citation link shows.

        ``Albert 2003, p. 12`` / ``2003`` (suppress author) / ``Albert (2003, p. 33)`` (narrative);
        numeric ``1, p. 12`` / ``Albert [1]``; alpha ``Alb03`` / ``Albert [Alb03]``.
        """
        locator = format_locator(item.suffix)
        if self.style == "author-year":
            if mode == "narrative":
                return f"{self.author(item.key)} ({self.year(item.key)}{locator})"
            if item.suppress_author:
                return f"{self.year(item.key)}{locator}"
            return f"{self.label(item.key)}{locator}"
        if mode == "narrative":
            return f"{self.author(item.key)} [{self.label(item.key)}{locator}]"
        return f"{self.label(item.key)}{locator}"

    def citation_text(self, citation: Citation) -> str:
        """The whole citation as plain text: "(see Albert 2003, p. 12; Hahnel 2005)"."""
        if citation.mode == "narrative":
            return self.item_text(citation.items[0], "narrative")
        opening, closing = self.brackets
        parts = [(f"{item.prefix} " if item.prefix else "") + self.item_text(item) for item in citation.items]
        return opening + "; ".join(parts) + closing

    # reference entries

    def sort_keys(self, keys: Iterable[str]) -> list[str]:
        """`keys` (unique) in reference-list order: by number for numeric (numbering unnumbered
        keys in the given order), else by author, year and title."""
        unique = list(dict.fromkeys(keys))
        for key in unique:
            self._check(key)
        if self.style == "numeric":
            return sorted(unique, key=self.number)
        return sorted(unique, key=lambda k: self._order[k])

    def entry_html(self, key: str) -> str:
        """The formatted entry as an HTML fragment (well-formed XML, no entities)."""
        self._check(key)
        if key not in self._entries:
            entry = self.bibliography[key]
            formatted = self.formatter.format_entry(key, entry, bib_data=self.bibliography.data)
            self._entries[key] = formatted.text.render(self.backend)
        return self._entries[key]

    def reference_html(self, key: str, *, id_prefix: str = "ref-", backrefs: Sequence[BackRef] = ()) -> str:
        """``<li class="reference" id="ref-<anchor>">[label] entry [backrefs]</li>``.

        Numeric and alpha styles start with ``<span class="reference-label">[1]</span> ``;
        back-references end it as ``<span class="reference-backrefs"><a class="reference-backref"
        href="...">text</a>, ...</span>``, after a space.
        """
        parts = []
        if self.style != "author-year":
            parts.append(f'<span class="reference-label">[{escape(self.label(key))}]</span> ')
        parts.append(self.entry_html(key))
        if backrefs:
            links = ", ".join(f'<a class="reference-backref" href={quoteattr(b.href)}>{escape(b.text)}</a>'
                              for b in backrefs)
            parts.append(f' <span class="reference-backrefs">{links}</span>')
        return f'<li class="reference" id={quoteattr(id_prefix + self.anchor(key))}>{"".join(parts)}</li>'

    def works_cited_html(self, keys: Iterable[str], *, id_prefix: str = "ref-",
                         backrefs: Mapping[str, Sequence[BackRef]] | None = None) -> str:
        """The `reference_html` items for `keys`, in `sort_keys` order, one per line.

        Wrap them in ``<ul class="references-list">``. Raises `KeyError` for a key that is not in
        the bibliography (check citations first).
        """
        backrefs = backrefs or {}
        return "\n".join(self.reference_html(key, id_prefix=id_prefix, backrefs=backrefs.get(key, ()))
                         for key in self.sort_keys(keys))


def _letters(index: int) -> str:
    """0 -> a, 25 -> z, 26 -> aa."""
    result = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        result = chr(ord("a") + rest) + result
    return result


def works_cited_html(bibliography: Bibliography, keys: Iterable[str], style: str = "author-year", *,
                     id_prefix: str = "ref-", backrefs: Mapping[str, Sequence[BackRef]] | None = None) -> str:
    """The works-cited ``<li>`` items for `keys` (see `Citer.works_cited_html`).

    For the numeric style, numbers follow the order of `keys` (pass them in order of first
    citation), unless you pass a `Citer` that has numbered them already.
    """
    return Citer(bibliography, style).works_cited_html(keys, id_prefix=id_prefix, backrefs=backrefs)


__all__ = [
    "STYLES", "AuthorYearSorting", "AuthorYearStyle", "BackRef", "Citer", "HtmlBackend", "anchor_name",
    "doi_url", "format_locator", "latex_to_text", "works_cited_html",
]
