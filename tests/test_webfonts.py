"""The site's light Latin fonts: shipped, and exactly what the shipped print fonts make."""

from __future__ import annotations

import io

import pytest
from fontTools.ttLib import TTFont

from pamphlet.assets import FONT_FACES
from pamphlet.assets.webfonts import LATIN, WEBFONTS, make_latin_subset, subset_name

FILES = [file for _, _, _, file in FONT_FACES]


@pytest.mark.parametrize("file", FILES)
def test_shipped_subset_is_what_the_font_makes(file: str) -> None:
    """If a font or LATIN changes, `python -m pamphlet.assets.webfonts` must be run again."""
    assert (WEBFONTS / subset_name(file)).read_bytes() == make_latin_subset(file)


@pytest.mark.parametrize("file", FILES)
def test_subset_covers_latin_text_and_little_else(file: str) -> None:
    font = TTFont(io.BytesIO((WEBFONTS / subset_name(file)).read_bytes()))
    mapped = set(font.getBestCmap())
    for char in "Aé ñ ß Œ “quotes” – — … € ™":  # (↩ and → are not in every face: the browser falls back)
        if char != " ":
            assert ord(char) in mapped, (file, char)
    inside = {c for low, high in LATIN for c in range(low, high + 1)}
    assert mapped <= inside and "Ж" not in {chr(c) for c in mapped}
