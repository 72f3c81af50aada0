"""Typed schemas for YAML settings (manifests, front matter), after MkDocs' config options.

Each option validates one value and raises `ValueError` with a message saying what was expected
and what arrived; `validate` turns that into a `SourceError` naming the file, line and key.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

from pamphlet.errors import Collector, SourceError
from pamphlet.sources.files import Yaml

_MISSING = object()


class Option:
    def __init__(self, *, required: bool = False, default: Any = None, help: str = "") -> None:
        self.required = required
        self.default = default
        self.help = help

    def validate(self, value: Any) -> Any:  # pragma: no cover - overridden
        return value


class Str(Option):
    def __init__(self, *, pattern: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pattern = re.compile(pattern) if pattern else None

    def validate(self, value: Any) -> str:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"Expected a non-empty text but received: {value!r}")
        if self.pattern and not self.pattern.fullmatch(value):
            raise ValueError(f"Expected text matching {self.pattern.pattern} but received: {value!r}")
        return value.strip()


class Url(Str):
    def validate(self, value: Any) -> str:
        value = super().validate(value)
        if not re.match(r"^(https?://|mailto:)[^\s]+$", value):
            raise ValueError(f"Expected a URL starting with https:// but received: {value!r}")
        return value


class Choice(Option):
    def __init__(self, choices: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def validate(self, value: Any) -> str:
        if value not in self.choices:
            raise ValueError(f"Expected one of: {self.choices} but received: {value!r}")
        return value


class Date(Option):
    def validate(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError(f"Expected a date like 2026-11-15 but received: {value!r}")


class Bool(Option):
    def validate(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"Expected true or false but received: {value!r}")
        return value


class ListOf(Option):
    def __init__(self, item: Option, *, min_items: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.min_items = min_items

    def validate(self, value: Any) -> list:
        if not isinstance(value, list):
            raise ValueError(f"Expected a list but received: {value!r}")
        if len(value) < self.min_items:
            raise ValueError(f"Expected at least {self.min_items} item(s) but received {len(value)}")
        return value  # items are validated one by one in `validate`, for their own lines


class Custom(Option):
    """An option whose check is a function that returns the value or raises `ValueError`."""

    def __init__(self, check: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def validate(self, value: Any) -> Any:
        return self.check(value)


def validate(
    source: Yaml,
    schema: dict[str, Option],
    *,
    data: Any = _MISSING,
    prefix: tuple = (),
    what: str = "settings",
    allow_unknown: bool = False,
) -> dict[str, Any]:
    """Validate a mapping against `schema`; every problem found is reported, each with its line."""
    data = source.data if data is _MISSING else data
    errors = Collector()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise source.error(f"{what} must be a mapping of `key: value` lines", *prefix)
    result: dict[str, Any] = {}
    for key in data:
        if key not in schema and not allow_unknown:
            errors.add(source.error(
                f"unknown key `{key}` in {what}; expected one of: {sorted(schema)}", *prefix, key))
    for key, option in schema.items():
        if key not in data or data[key] is None:
            if option.required:
                errors.add(source.error(f"missing required key `{key}` in {what}", *prefix))
            result[key] = option.default
            continue
        try:
            value = option.validate(data[key])
            if isinstance(option, ListOf):
                items = []
                for index, item in enumerate(value):
                    try:
                        items.append(option.item.validate(item))
                    except ValueError as exc:
                        errors.add(source.error(f"`{key}` item {index + 1}: {exc}", *prefix, key, index))
                value = items
            result[key] = value
        except ValueError as exc:
            errors.add(source.error(f"`{key}`: {exc}", *prefix, key))
    if allow_unknown:
        for key in data:
            result.setdefault(key, data[key])
    errors.raise_if_any()
    return result


__all__ = ["Bool", "Choice", "Custom", "Date", "ListOf", "Option", "SourceError", "Str", "Url", "validate"]
