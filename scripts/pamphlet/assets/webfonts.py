"""The shipped fonts for the website, light: a small WOFF2 of each face for Latin text, the full face
for the rest.

The full Noto faces are about 500 KB each (they cover Greek, Cyrillic, Vietnamese...), and a
page uses five of them. Each face is therefore served twice, split by `unicode-range`: a WOFF2
subset with the Latin letters, punctuation and symbols (about 45 KB), and the full .ttf for
every other character. A browser downloads a file only when the page has a character in its
range, so a page in English, French or German loads only the small files, and a page with
Greek or Cyrillic words still shows them in the same typeface. Print uses the full .ttf files.

The subsets are made once and shipped in `assets/webfonts/` (apart from `assets/fonts/`, which is
all the printer's fontconfig may see), so no build spends seconds making them. After changing a
font or `LATIN`, run `python -m pamphlet.assets.webfonts` to make them again; a test checks that
the shipped files are exactly what that makes.
"""

from __future__ import annotations

import io
from pathlib import Path

from pamphlet.assets import FONT_FACES, FONTS

WEBFONTS = Path(__file__).parent / "webfonts"

# The characters of the small files: Basic Latin, Latin-1, Latin Extended-A, a few letters and
# accents of Latin Extended-B and spacing modifiers, general punctuation, currency, №, ™, arrows
# (↩ ends footnotes), minus and slash.
LATIN = ((0x0000, 0x017F), (0x0218, 0x021B), (0x02BB, 0x02BC), (0x02C6, 0x02C6), (0x02DA, 0x02DA),
         (0x02DC, 0x02DC), (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2116, 0x2116), (0x2122, 0x2122),
         (0x2190, 0x21FF), (0x2212, 0x2212), (0x2215, 0x2215), (0xFEFF, 0xFEFF), (0xFFFD, 0xFFFD))
LAST = 0x10FFFF


def complement(ranges: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """Every code point that is not in `ranges` (sorted, not overlapping)."""
    result, start = [], 0
    for low, high in ranges:
        if low > start:
            result.append((start, low - 1))
        start = high + 1
    if start <= LAST:
        result.append((start, LAST))
    return tuple(result)


def unicode_range(ranges: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"U+{low:X}" if low == high else f"U+{low:X}-{high:X}" for low, high in ranges)


def subset_name(file: str) -> str:
    return file.removesuffix(".ttf") + ".latin.woff2"


def make_latin_subset(file: str) -> bytes:
    """The face's Latin characters as WOFF2 (every OpenType feature kept: ligatures, kerning).
    The same font gives the same bytes: the subsetter keeps the font's own timestamps."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(FONTS / file, recalcTimestamp=False)  # the font's own date: the same bytes every time
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in LATIN for c in range(low, high + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()


def web_fonts() -> dict[str, bytes]:
    """File name -> bytes: each face's Latin WOFF2 and its full .ttf."""
    files = {}
    for _, _, _, file in FONT_FACES:
        files[subset_name(file)] = (WEBFONTS / subset_name(file)).read_bytes()
        files[file] = (FONTS / file).read_bytes()
    return files


def web_font_face_css(url_prefix: str) -> str:
    """`@font-face` rules for the site: per face, the Latin WOFF2 and the full .ttf for the rest."""
    rules = []
    rest = unicode_range(complement(LATIN))
    for family, weight, style, file in FONT_FACES:
        head = (f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
                'font-display: swap; ')
        rules.append(f'{head}src: url("{url_prefix}{subset_name(file)}") format("woff2"); '
                     f'unicode-range: {unicode_range(LATIN)}; }}')
        rules.append(f'{head}src: url("{url_prefix}{file}") format("truetype"); unicode-range: {rest}; }}')
    return "\n".join(rules) + "\n"


def write_subsets() -> list[Path]:
    """Make the shipped Latin subsets again (after a font or `LATIN` changed)."""
    WEBFONTS.mkdir(exist_ok=True)
    written = []
    for _, _, _, file in FONT_FACES:
        target = WEBFONTS / subset_name(file)
        target.write_bytes(make_latin_subset(file))
        written.append(target)
    return written


__all__ = ["LATIN", "WEBFONTS", "make_latin_subset", "web_font_face_css", "web_fonts", "write_subsets"]


if __name__ == "__main__":
    for path in write_subsets():
        print(f"wrote {path}")
