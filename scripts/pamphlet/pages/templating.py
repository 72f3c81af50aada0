"""The Jinja2 environment of the generated pages, and the filters that put values into Markdown.

The templates (`templates/*.md.j2`) write Markdown, so Jinja's HTML autoescaping is off. Instead
every value a template prints must pass through one of these filters, which says what the value
is; printing a value without one is an error (`finalize`), so a forgotten filter fails the build
instead of letting a user's text turn into markup:

- `md`: plain text (a title, a name, a place, a contested reason, a YAML value) made into
  Markdown that shows it literally (see `escape_markdown`);
- `html`: plain text for raw HTML (an attribute or an element's text): markupsafe's escape, and
  the few characters Markdown reads even inside raw HTML as character references;
- `url`: a link destination, written between `<` and `>` or `(` and `)`;
- `code`: text shown as a code span (a file name);
- `markdown`: text that is Markdown by nature and is passed as it is: an agenda item, a decision
  or an action item copied from meeting notes (checked there by `check`), or HTML pamphlet made
  and escaped itself (the works-cited list).

Integers (numbers in lists) print as they are. `hard_break` is Markdown's line break (two spaces
before a newline), spelled out so that no editor strips it from a template.

The templates' own words go through `_` (`pamphlet.i18n`), in the language the page is rendered
in: `{{ _("Open questions") }}`, `{{ _("Published by {organization}.", organization=m.organization | md) }}`.
The translation is Markdown like the template's text; the values of its placeholders are filtered
like any other value (a value without a filter is an error), and `language` is the page's language.
"""

from __future__ import annotations

import re
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from pamphlet.i18n import is_source, translator
from pamphlet.sources.analysis import slugify

TEMPLATES = Path(__file__).parent / "templates"


class Escaped(str):
    """Text a filter has made safe for the place the template puts it."""


# Characters that act anywhere in a line. Python-Markdown's own escapable characters
# (`markdown.Markdown().ESCAPED_CHARS`) get a backslash: the `escape` inline pattern runs before
# every other (code spans, links, citations, emphasis, raw HTML), and attr_list and toc see only
# its placeholder, so an escaped `{#id}` or `[TOC]` does nothing. The others are not escapable
# with a backslash in every configuration (the backslash would then show), so they become
# numeric character references, which every Markdown parser shows as the character itself:
# `<` and `&` (raw HTML, autolinks, entities), `>` (with `<`, no tag can form; at the start of a
# line, a quote), `|` (a table cell, when `tables` is on: MkDocs always turns it on), `@` (a
# citation of this project's citations extension), `~` and `^` (pymdownx's tilde and caret).
_ANYWHERE = {
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "{": "\\{", "}": "\\}", "[": "\\[", "]": "\\]",
    "#": "\\#",  # a heading at the start of a line; at its end, a closing sequence Python-Markdown drops
    "+": "\\+",  # a list item at the start of a line; pymdownx.keys' ++ctrl+alt++
    "<": "&lt;", ">": "&gt;", "&": "&amp;", "|": "&#124;", "@": "&#64;", "~": "&#126;", "^": "&#94;",
}
_ANYWHERE_TABLE = str.maketrans(_ANYWHERE)
# Characters that act only at the start of a line (a list, a rule, a setext underline, an
# admonition `!!!`, pymdownx's details `???` and blocks `///`, a definition `: `): escaped when
# they start the value, since a value may start a line.
_LEADING = {"-": "\\-", "!": "\\!", "=": "&#61;", ":": "&#58;", "?": "&#63;", "/": "&#47;"}
_DOUBLE_EQUALS = re.compile(r"={2,}")  # pymdownx.mark's ==marked==
_ORDERED = re.compile(r"^(\d+)([.)])")  # `1.` (and CommonMark's `1)`, which check's parser knows)
_NEWLINES = re.compile(r"[ \t\f\v]*[\r\n][ \t\r\n\f\v]*")


def escape_markdown(text: str) -> str:
    """`text` as Markdown that Python-Markdown (with the extensions pamphlet supports) and
    markdown-it (what `check` reads) both show literally, as one line.

    Line breaks inside the text become spaces (a value is a line of its page: a newline could end
    a list item or start a heading), and the value is stripped, as Markdown would strip it.
    Python-Markdown's typographic `smarty` extension, if a project turns it on, still curls
    quotes and makes dashes: that changes no markup, so it is left alone. Covered: Python-Markdown
    with the extensions of pamphlet's mkdocs.yml files (abbr, admonition, attr_list, def_list,
    footnotes, md_in_html, tables, toc, pymdownx details/superfences/tasklist, pamphlet's
    citations and contested blocks) and pymdownx's tilde, caret, mark, keys and betterem (tested in
    tests/test_generated_pages.py). Not covered: extensions that give other characters a meaning
    (arithmatex's `$`, emoji's `:name:`, magiclink's bare addresses).
    """
    text = _NEWLINES.sub(" ", text).strip()
    if not text:
        return text
    if text.isdigit():  # `2` and the template's `. ` after it would make an ordered list
        return f"&#{ord(text[0])};{text[1:]}"
    first = text[0]
    escaped = _ORDERED.sub(r"\1\\\2", text.translate(_ANYWHERE_TABLE))
    escaped = _DOUBLE_EQUALS.sub(lambda m: "&#61;" * len(m.group()), escaped)
    if first in _LEADING and escaped[0] == first:
        escaped = _LEADING[first] + escaped[1:]
    return escaped


def _text(value: Any, filter_name: str) -> str:
    if isinstance(value, Escaped):
        raise TypeError(f"`{filter_name}` was given a value another filter already escaped: {value!r}")
    if value is None or isinstance(value, bool):
        raise TypeError(f"`{filter_name}` was given {value!r}, not text")
    return str(value)


def md(value: Any) -> Escaped:
    """Plain text, shown literally (see `escape_markdown`)."""
    return Escaped(escape_markdown(_text(value, "md")))


# Raw HTML inside a `<div markdown>` (md_in_html) is still Markdown text to the inline patterns
# that run before Python-Markdown stashes raw tags (code spans, escapes, links): `[x](y)` inside
# an attribute value would become a link there. As character references they are inert.
_HTML_MARKDOWN = str.maketrans({"`": "&#96;", "\\": "&#92;", "[": "&#91;", "]": "&#93;"})


def html(value: Any) -> Escaped:
    """Plain text inside raw HTML (an attribute value or an element's text): markupsafe's escape,
    and the characters Markdown reads even inside raw HTML as character references."""
    return Escaped(str(markupsafe.escape(_text(value, "html"))).translate(_HTML_MARKDOWN))


_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f<>\\`]")


def url(value: Any) -> Escaped:
    """A link destination: whitespace, `<`, `>` (which would end `(<...>)`), backslashes and
    backticks (which Python-Markdown reads as escapes and code before it reads links) are
    percent-encoded. Other characters are left as they are: an address that works keeps working."""
    return Escaped(_URL_UNSAFE.sub(lambda m: urllib.parse.quote(m.group(), safe=""), _text(value, "url")))


def code(value: Any) -> Escaped:
    """A code span holding `value` exactly (backticks inside it included)."""
    text = _NEWLINES.sub(" ", _text(value, "code"))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Escaped(f"{fence}{pad}{text}{pad}{fence}")


def markdown(value: Any) -> Escaped:
    """Text that is Markdown already, passed as it is."""
    return Escaped(_text(value, "markdown"))


def _finalize(value: Any) -> Any:
    if isinstance(value, Escaped) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise TypeError(f"a template printed {value!r} without saying what it is: use a filter "
                    "(md, html, url, code or markdown)")


def _gettext(language: str):
    """The templates' `_`: a text of the template in `language`, Markdown as the template is.
    Each placeholder's value must have been through a filter (or be an integer)."""
    translate = translator(language)

    def gettext(message: str, **values: Any) -> Escaped:
        return Escaped(translate(message, **{name: _finalize(value) for name, value in values.items()}))

    return gettext


@lru_cache(maxsize=None)
def environment(language: str = "en") -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,  # the templates write Markdown; the filters escape (see above)
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters.update(md=md, html=html, url=url, code=code, markdown=markdown)
    env.globals["hard_break"] = Escaped("  ")
    env.globals["_"] = _gettext(language)
    env.globals["language"] = language
    env.globals["anchor"] = _anchor(language)
    return env


def _anchor(language: str):
    """`anchor("Coming up")`: in a translated edition, a heading's `{#id}` made from its English words,
    so that its address is the same in every language (links into a generated page are written
    once, in the original); nothing in English, whose headings already have those ids."""
    if is_source(language):
        return lambda english: Escaped("")
    return lambda english: Escaped(" {#" + slugify(english) + "}")


def render(name: str, language: str = "en", **values: Any) -> str:
    """The Markdown of template `name` (in `templates/`) with `values`, its words in `language`."""
    return environment(language).get_template(name).render(**values)


__all__ = ["Escaped", "code", "environment", "escape_markdown", "html", "markdown", "md", "render", "url"]
