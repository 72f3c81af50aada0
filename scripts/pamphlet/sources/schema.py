"""Typed schemas for YAML settings (manifests, front matter), after MkDocs' config options.

Each option validates one value and raises `ValueError` with a message saying what was expected
and what arrived; `validate` turns that into a `SourceError` naming the file, line and key.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable
from urllib.parse import urlsplit

from pamphlet.errors import Collector, SourceError
from pamphlet.sources.files import Yaml

_MISSING = object()


class Option:
    def __init__(self, *, required: bool = False, default: Any = None, help: str = "") -> None:
        self.required = required
        self.default = default
        self.help = help

    def validate(self, value: Any) -> Any:
        """The value, converted; `ValueError` saying what was expected and what arrived."""
        return value

    def nested(self, source: Yaml, keys: tuple, value: Any, errors: Collector, name: str) -> Any:
        """Checks of the value's parts, each at its own line (lists, sub-mappings)."""
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


def web_address(text: str) -> bool:
    """An http(s) address with a host and no white space: the one test of a URL in settings."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in text)


class Url(Option):
    """A web address (http or https, with a host). `empty` is what an empty value means (MkDocs
    reads `site_url: ""` as "not set"); without it an empty value is an error."""

    _EMPTY = object()

    def __init__(self, *, empty: Any = _EMPTY, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.empty = empty

    def validate(self, value: Any) -> str | None:
        if value == "" and self.empty is not Url._EMPTY:
            return self.empty
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and web_address(text):
            return text
        raise ValueError(f"Expected a web address starting with https:// but received: {value!r}")


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
    """A list whose items are each checked by `item` (each error at the item's own line)."""

    def __init__(self, item: Option, *, min_items: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.min_items = min_items

    def validate(self, value: Any) -> list:
        if not isinstance(value, list):
            raise ValueError(f"Expected a list but received: {value!r}")
        if len(value) < self.min_items:
            raise ValueError(f"Expected at least {self.min_items} item(s) but received {len(value)}")
        return value  # items are validated one by one in `nested`, for their own lines

    def nested(self, source: Yaml, keys: tuple, value: list, errors: Collector, name: str) -> list:
        items = []
        for index, item in enumerate(value):
            checked = _check_value(source, self.item, item, keys + (index,), errors, f"{name} item {index + 1}")
            if checked is not _INVALID:
                items.append(checked)
        return items


class SubConfig(Option):
    """A nested mapping with a schema of its own (MkDocs' `SubConfig`): `extra.feedback`, a meeting."""

    def __init__(self, schema: dict[str, Option], *, what: str = "", allow_unknown: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema = schema
        self.what = what
        self.allow_unknown = allow_unknown

    def validate(self, value: Any) -> dict:
        if not isinstance(value, dict):
            raise ValueError(f"Expected a mapping of `key: value` lines but received: {value!r}")
        return value

    def nested(self, source: Yaml, keys: tuple, value: dict, errors: Collector, name: str) -> dict:
        return errors.collect(validate, source, self.schema, data=value, prefix=keys, what=self.what or name,
                              allow_unknown=self.allow_unknown) or {}


class OneOf(Option):
    """The first of several options that accepts the value (e.g. a name, or a mapping of options)."""

    def __init__(self, *options: Option, expected: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = options
        self.expected = expected

    def validate(self, value: Any) -> Any:
        for option in self.options:
            try:
                return option.validate(value)
            except ValueError:
                continue
        raise ValueError(f"Expected {self.expected} but received: {value!r}")


class Custom(Option):
    """An option whose check is a function that returns the value or raises `ValueError`."""

    def __init__(self, check: Callable[[Any], Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def validate(self, value: Any) -> Any:
        return self.check(value)


_INVALID = object()


def _check_value(source: Yaml, option: Option, value: Any, keys: tuple, errors: Collector, name: str) -> Any:
    try:
        value = option.validate(value)
    except ValueError as exc:
        errors.add(source.error(f"{name}: {exc}", *keys))
        return _INVALID
    return option.nested(source, keys, value, errors, name)


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
        value = _check_value(source, option, data[key], prefix + (key,), errors, f"`{key}`")
        result[key] = option.default if value is _INVALID else value
    if allow_unknown:
        for key in data:
            result.setdefault(key, data[key])
    errors.raise_if_any()
    return result


__all__ = ["Bool", "Choice", "Custom", "Date", "ListOf", "OneOf", "Option", "SourceError", "Str", "SubConfig", "Url",
           "validate"]
