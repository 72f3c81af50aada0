"""Days, times and weekdays in words, in a given language: one place for how pamphlet writes them.

The words and their order come from CLDR through Babel (`babel.dates`); `language` is a BCP 47
tag like the manifest's `language:` key (`en`, `es`, `pt-BR`), English by default. An unknown
language is a `ValueError`. Nothing here reads the clock.

Each call, in English and in Spanish (`language="es"`):

- `format_date(day)`: December 22, 2026 / 22 de diciembre de 2026;
- `format_date(day, weekday=True)`: Tuesday, December 22, 2026 / martes, 22 de diciembre de 2026;
- `format_date(day, year=False)`: December 22 / 22 de diciembre;
- `format_dates(days)`: December 5, 2026; February 6 and May 1, 2027 /
  5 de diciembre de 2026; 6 de febrero y 1 de mayo de 2027;
- `format_month(day)`: February 2027 / febrero de 2027;
- `format_time(t)`: 7:00 pm / 19:00;
- `format_time_range(start, end)`: 7:00–8:30 pm, 11:30 am–1:00 pm / 19:00–20:30;
- `weekday_name(1)` (0 is Monday): Tuesday / martes.

pamphlet's house style is laid over CLDR, so that the English text stays what the chapter has
always printed: a range has no space around its en dash, CLDR's narrow and thin spaces become
plain spaces, and English writes am/pm in lowercase and lists without a serial comma.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Iterable

from babel import Locale, UnknownLocaleError
from babel import dates as cldr

EN_DASH = "\u2013"
_SPACES = {"\u202f": " ", "\u2009": " "}  # CLDR's narrow no-break and thin spaces
_AROUND_DASH = re.compile(rf"\s*{EN_DASH}\s*")


@dataclass(frozen=True)
class _Style:
    """The patterns and words of one language, read once from CLDR."""

    locale: Locale
    day_month: str  # `MMMM d`: a day without its year
    weekday_day_month: str  # `EEEE, MMMM d`
    year_suffix: str | None  # `, y`: what the long date adds to `day_month`, when it only adds that
    time_skeleton: str  # `hm` (12-hour clock) or `Hm`, as the language's own short time
    list_patterns: dict[str, str]
    lowercase_periods: bool


@functools.lru_cache(maxsize=None)
def _style(language: str) -> _Style:
    try:
        locale = Locale.parse(language.replace("_", "-"), sep="-")
    except (TypeError, ValueError, UnknownLocaleError) as error:
        raise ValueError(f"unknown language {language!r}; use a tag such as en or es") from error
    day_month = _skeleton_pattern(locale, "MMMMd")
    long, full = locale.date_formats["long"].pattern, locale.date_formats["full"].pattern
    suffix = long[len(day_month):] if long.startswith(day_month) else None
    fields = re.sub(r"'[^']*'", "", suffix or "")  # without its quoted words ('de')
    if suffix is not None and not re.fullmatch(r"[^A-Za-z]*y+[^A-Za-z]*", fields):
        suffix = None  # the long date is not "day and month, then the year": never group by year
    if suffix is not None and full.endswith(suffix):
        weekday_day_month = full[:-len(suffix)]
    else:
        weekday_day_month = _skeleton_pattern(locale, "MMMMEEEEd")
    short_time = locale.time_formats["short"].pattern
    lists = dict(locale.list_patterns["standard"])
    english = locale.language == "en"
    if english:
        lists["end"] = "{0} and {1}"  # no serial comma: "a, b and c"
    return _Style(locale, day_month, weekday_day_month, suffix, "hm" if re.search("[hK]", short_time) else "Hm",
                  lists, english)


def known_language(language: str) -> bool:
    """Whether CLDR (through Babel) knows `language`, a tag such as es or pt-BR."""
    try:
        _style(language)
    except ValueError:
        return False
    return True


def language_name(language: str, in_language: str | None = None) -> str:
    """A language's name, in its own words (es -> Español) or in `in_language`'s (es in en ->
    Spanish; en in es -> inglés, lower case as Spanish writes it)."""
    if in_language is None:
        name = _style(language).locale.get_display_name() or language
        return name[:1].upper() + name[1:]
    return _style(language).locale.get_display_name(_style(in_language).locale) or language


def _skeleton_pattern(locale: Locale, skeleton: str) -> str:
    """The locale's pattern for a CLDR skeleton (`MMMMd` → `MMMM d` in English)."""
    found = locale.datetime_skeletons.get(skeleton)
    if found is None:
        found = locale.datetime_skeletons[cldr.match_skeleton(skeleton, locale.datetime_skeletons)]
    return found.pattern


def _house(text: str, style: _Style, *, clock: bool = False) -> str:
    """CLDR's text in pamphlet's house style (see the module's docstring)."""
    for space, plain in _SPACES.items():
        text = text.replace(space, plain)
    if clock and style.lowercase_periods:
        for period in ("am", "pm"):
            name = style.locale.day_periods["format"]["abbreviated"][period]
            text = text.replace(name, name.lower())
    return text


def _join(items: list[str], style: _Style) -> str:
    """`a`, `a and b`, `a, b and c`, with the language's own list patterns."""
    patterns = style.list_patterns
    if len(items) < 2:
        return "".join(items)
    if len(items) == 2:
        return patterns["2"].format(*items)
    text = patterns["end"].format(items[-2], items[-1])
    for item in reversed(items[1:-2]):
        text = patterns["middle"].format(item, text)
    return patterns["start"].format(items[0], text)


# --------------------------------------------------------------------------------------------
# The API


def format_date(day: dt.date, *, weekday: bool = False, year: bool = True, language: str = "en") -> str:
    """`December 22, 2026`; with `weekday`, `Tuesday, December 22, 2026`; without `year`, `December 22`."""
    style = _style(language)
    if year:
        pattern = "full" if weekday else "long"
    else:
        pattern = style.weekday_day_month if weekday else style.day_month
    return _house(cldr.format_date(day, pattern, locale=style.locale), style)


def format_dates(days: Iterable[dt.date], *, language: str = "en") -> str:
    """Several days in the given order, each year said once: `December 5, 2026; February 6 and May 1, 2027`.

    In a language whose long date is not "day and month, then the year", every date is written
    in full and the dates are listed (`a, b and c` in the language's words).
    """
    style = _style(language)
    days = list(days)
    if style.year_suffix is None:
        return _join([format_date(day, language=language) for day in days], style)
    groups: list[list[dt.date]] = []
    for day in days:
        if groups and groups[-1][0].year == day.year:
            groups[-1].append(day)
        else:
            groups.append([day])
    return "; ".join(
        _join([format_date(day, year=False, language=language) for day in group], style)
        + _house(cldr.format_date(group[0], style.year_suffix, locale=style.locale), style)
        for group in groups)


def format_month(day: dt.date, *, language: str = "en") -> str:
    """The month and year of `day`: `February 2027`."""
    style = _style(language)
    return _house(cldr.format_skeleton("yMMMM", day, locale=style.locale), style)


def format_time(t: dt.time, *, language: str = "en") -> str:
    """`7:00 pm` (`19:00` in a language that uses the 24-hour clock)."""
    style = _style(language)
    return _house(cldr.format_skeleton(style.time_skeleton, t, locale=style.locale), style, clock=True)


def format_time_range(start: dt.time, end: dt.time, *, language: str = "en") -> str:
    """`7:00–8:30 pm`, or `11:30 am–1:00 pm` when the two halves of the day differ."""
    style = _style(language)
    text = cldr.format_interval(start, end, style.time_skeleton, locale=style.locale)
    return _AROUND_DASH.sub(EN_DASH, _house(text, style, clock=True))


def weekday_name(weekday: int, *, language: str = "en") -> str:
    """The name of a weekday, 0 (Monday) to 6 (Sunday): `Tuesday`, `martes`."""
    return cldr.get_day_names("wide", locale=_style(language).locale)[weekday]


__all__ = ["format_date", "format_dates", "format_month", "format_time", "format_time_range", "weekday_name"]
