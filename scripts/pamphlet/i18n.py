"""Interface strings in the content's language: the words pamphlet itself writes, translated.

Every text pamphlet writes for readers (headings of the generated pages, banners, feedback links,
navigation titles, print labels, the guides on the Print & share page...) is written in English in
the code and passed through a translator at the moment it is written, in the language of the
content it belongs to (`content.manifest.language`; inside Markdown extensions,
`PageContext.language`)::

    _ = translator(content.manifest.language)
    _("Works Cited")                                   # "Obras citadas" in Spanish
    _("Chapter {number}: {title}", number=2, title=t)  # placeholders: str.format after translation
    _.ngettext("{n} meeting", "{n} meetings", n, n=n)
    gettext(language, "Works Cited")                   # the same, for a one-off text

The catalogs are gettext files, `locale/<language>.po` (package data), whose msgids are the
English texts; they are read with Babel, once per language. English, the source language, needs
no catalog: its translator gives every text back as it is, so English output does not depend on
the catalogs at all. A language whose catalog lacks a text (or that has no catalog, or whose
catalog marks the text fuzzy or leaves it empty) gets the English text, and the pair is recorded
in `MISSING`, so a test can tell that a build in that language left nothing in English.

`messages()` finds the texts in the code by those names: `_("...")` (bind the translator to `_`),
`gettext(language, "...")`, `ngettext`. Where a text is written far from where it is chosen (a
constant, a dict of labels), the English is marked with `N_` and translated where it is shown.
Keys that are data (ids, CSS classes, file names, the Print & share groups used for ordering)
stay English.

Dates, times and day names do not belong here: `pamphlet.dates` writes them from CLDR.

To add a language: write `locale/<language>.po` (copy `es.po`, or start from `python -m
pamphlet.i18n > messages.pot`, the template of every message), translate every msgstr, and run
tests/test_i18n.py, which checks that the catalog is complete and in step with the code.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import threading
from pathlib import Path
from typing import Any, Callable, Iterable

LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": (2,)}  # what `messages()` looks for

#: (language, msgid) of every text asked for in a language whose catalog lacks it (English was used).
MISSING: set[tuple[str, str]] = set()
_LOCK = threading.Lock()


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for it
    """Mark an English text as a message to translate later (where it is shown); returns it."""
    return message


def primary(language: str) -> str:
    """The language subtag of a BCP 47 tag: `es` for `es`, `es-MX` and `es_MX`."""
    return language.replace("_", "-").split("-", 1)[0].lower()


def is_source(language: str) -> bool:
    """Whether `language` is English, the language pamphlet's texts are written in."""
    return primary(language) == SOURCE_LANGUAGE


def catalog_path(language: str) -> Path | None:
    """The catalog for `language`: `locale/es_MX.po` for `es-MX` if there is one, else `locale/es.po`."""
    parts = language.replace("_", "-").split("-")
    names = []
    if len(parts) > 1:
        names.append(f"{parts[0].lower()}_{parts[1].upper() if len(parts[1]) == 2 else parts[1]}")
    names.append(parts[0].lower())
    for name in names:
        path = LOCALE_DIR / f"{name}.po"
        if path.is_file():
            return path
    return None


def languages() -> list[str]:
    """The languages pamphlet's texts are translated into (besides English), from `locale/`."""
    return sorted(path.stem.replace("_", "-") for path in LOCALE_DIR.glob("*.po"))


@functools.lru_cache(maxsize=None)
def _catalog(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


class Translator:
    """The texts of one language (see the module docstring); call it as gettext."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.source = is_source(language)
        path = None if self.source else catalog_path(language)
        self._catalog = _catalog(path) if path is not None else None
        self._plural: Callable[[int], int] = (
            _gettext.c2py(self._catalog.plural_expr) if self._catalog is not None else lambda n: int(n != 1))

    def _message(self, msgid: str):
        if self._catalog is None:
            return None
        message = self._catalog.get(msgid)
        if message is None or message.fuzzy:
            return None
        return message

    def _missing(self, msgid: str) -> None:
        with _LOCK:
            MISSING.add((self.language, msgid))

    def gettext(self, msgid: str, /, **values: Any) -> str:
        """`msgid` (English) in this language, then `{name}` placeholders filled from `values`."""
        text = msgid
        if not self.source:
            message = self._message(msgid)
            string = message.string if message is not None else None
            if isinstance(string, (tuple, list)):  # a plural message asked for as a singular
                string = string[0] if string else None
            if string:
                text = string
            else:
                self._missing(msgid)
        return text.format(**values) if values else text

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, count: int, /, **values: Any) -> str:
        """The form of `singular`/`plural` for the number `count`, then the placeholders (the
        number is not passed to them by itself: name it in `values`, `n=count`)."""
        english = singular if count == 1 else plural
        text = english
        if not self.source:
            message = self._message(singular)
            strings = message.string if message is not None else None
            form = self._plural(count)
            chosen = strings[form] if isinstance(strings, (tuple, list)) and form < len(strings) else None
            if chosen:
                text = chosen
            else:
                self._missing(singular)
        return text.format(**values) if values else text

    def __repr__(self) -> str:
        return f"<Translator {self.language}>"


@functools.lru_cache(maxsize=None)
def translator(language: str) -> Translator:
    """The gettext of `language`: English in, text in that language out (English: unchanged)."""
    return Translator(language)


def gettext(language: str, msgid: str, /, **values: Any) -> str:
    """`translator(language)(msgid, **values)`, for a one-off text."""
    return translator(language)(msgid, **values)


# --------------------------------------------------------------------------------------------
# The messages in the code (for translators and for the tests)


PACKAGE = Path(__file__).parent
# Where messages are: the Python modules, and the templates pamphlet renders itself (the site's
# theme overrides take theirs from `config.extra.pamphlet_ui`, made in `pamphlet.site.engine`).
SOURCES = (("**.py", "python"), ("pages/templates/**.j2", "jinja2.ext:babel_extract"),
           ("print/templates/**.html", "jinja2.ext:babel_extract"))


def messages() -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    """Every message marked in pamphlet's code and templates -> where it is (file, line)."""
    from babel.messages.extract import extract_from_dir

    found: dict[str | tuple[str, str], list[tuple[str, int]]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=list(SOURCES), keywords=KEYWORDS, comment_tags=()):
        found.setdefault(message, []).append((filename, line))
    return found


def template(entries: Iterable[tuple[str | tuple[str, str], list[tuple[str, int]]]] | None = None) -> bytes:
    """A gettext template (.pot) of every message, to start or update a catalog from."""
    from io import BytesIO

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="pamphlet", charset="utf-8")
    for message, places in (entries if entries is not None else messages().items()):
        catalog.add(message, locations=places)
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_by_file=True)
    return out.getvalue()


__all__ = ["LOCALE_DIR", "MISSING", "N_", "SOURCE_LANGUAGE", "Translator", "catalog_path", "gettext",
           "is_source", "languages", "messages", "primary", "template", "translator"]


if __name__ == "__main__":  # python -m pamphlet.i18n > messages.pot
    import sys

    sys.stdout.buffer.write(template())
