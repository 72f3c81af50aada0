"""Which characters the shipped fonts can print: found by `check` before any build, with a location.

Print sees only the fonts in `assets/fonts/` (see `fonts.isolate_fontconfig`), and the printer turns
every WeasyPrint warning into an error. A character none of those fonts has (an emoji, Hebrew,
Arabic, CJK, ✓, ★, private use) would otherwise pass `check` and fail the build late.

What WeasyPrint does (measured with WeasyPrint 70.0, Pango 1.50.12, HarfBuzz 6.0.0, and the shipped
Noto fonts, by rendering every assigned code point outside planes 15 and 16, in chunks and then
one at a time, in body text (serif regular, italic, bold, sans, mono) and in `white-space: pre`):

* A character no shipped font maps is drawn as the font's .notdef box, and WeasyPrint logs once
  per occurrence, from `draw/text.py`::

      .notdef glyph rendered for Unicode string unsupported by fonts: "😀" (U+1F600)

  which the printer reports as `print rendering problem: .notdef glyph rendered …`. A precomposed
  character that HarfBuzz decomposes names the missing part instead (U+0E33 THAI SARA AM warns
  about U+0E4D). The PDF is written all the same (the printer raises after saving): the box is
  mapped to the character in the font's ToUnicode table, yet pdfplumber extracted no text at all
  from such a page.
* Fontconfig falls back among the shipped files only, so a character any one of them maps prints
  in every face: ∀ or ─ (Noto Sans Mono only) print without a warning in serif italic.
  `coverage()` is therefore the union of the cmaps of every shipped .ttf.
* Every mapped code point renders without a warning in every face, except U+2028 LINE SEPARATOR:
  the fonts map it (to an empty glyph), but Pango treats it as a line break and draws it as an
  unknown glyph, so WeasyPrint warns. `printable` rejects it.
* Characters that need no glyph print silently, whether or not a font maps them: tab and line
  feed (white space to the layout: a space in running text, a tab stop or a new line in `pre`;
  carriage return is mapped by the fonts), and the code points HarfBuzz hides as default
  ignorable, which draw nothing and are dropped from the PDF's text: U+00AD soft hyphen, U+034F,
  U+061C, U+17B4..U+17B5, U+180B..U+180E, U+200B..U+200F (ZWSP, ZWNJ, ZWJ, LRM, RLM),
  U+202A..U+202E, U+2060..U+206F, U+FE00..U+FE0F and U+E0100..U+E01EF (variation selectors),
  U+FEFF, U+FFF0..U+FFF8, U+1D173..U+1D17A (musical format characters), U+E0000..U+E0FFF (tags,
  and the unassigned rest of that block).
  Some Default_Ignorable_Code_Point characters are *not* hidden and warn like any missing
  character: U+115F, U+1160, U+3164 and U+FFA0 (the Hangul fillers, which HarfBuzz deliberately
  draws), U+1BCA0..U+1BCA3 (shorthand format controls, likewise), and U+180F (not hidden by this
  HarfBuzz). Other format characters (Cf) that are visible marks, such as U+0600 ARABIC NUMBER SIGN
  or U+FFF9..U+FFFB, warn too. So "no glyph needed" is the list in `NO_GLYPH`, not a category.
* Spaces: HarfBuzz draws a missing Unicode space from the space glyph with the right width; of
  those, only U+3000 IDEOGRAPHIC SPACE is missing from our fonts, and it prints silently.
  U+1680 OGHAM SPACE MARK is the one trap: no warning at all, but the PDF draws glyph 0, the
  .notdef box. It is not in `NO_GLYPH`, so `printable` rejects it.
* Other C0/C1 controls (U+0001..U+0008, U+000B, U+000C, U+000E..U+001F, U+007F..U+009F),
  private use (U+E000…) and noncharacters (U+FDD0, U+FFFE…) warn. U+0000 is mapped by the fonts
  (and the HTML parser drops it).
* Combining marks the fonts have (e + U+0301) print; NBSP, U+202F, typographic quotes, dashes,
  €, ½, → print; Greek and Cyrillic print (Noto Serif covers them).

So `printable` agrees with WeasyPrint: what it accepts renders without any warning and without a
.notdef box, and what it rejects either makes WeasyPrint warn or is drawn as the box (U+1680).
One exception by design: a few negated symbols no font maps (U+219A, U+219B, U+21AE, U+21CD..U+21CF,
U+2224, U+2244, U+2280, U+2281, U+22AC, U+22EC, U+22ED) print in Noto Sans Mono alone, where HarfBuzz
decomposes them into a symbol and U+0338, but warn in the body faces; `printable` rejects them.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import cache, lru_cache

from pamphlet.assets import FONTS


def _ranges(*spans: tuple[int, int] | int) -> frozenset[int]:
    points: set[int] = set()
    for span in spans:
        first, last = (span, span) if isinstance(span, int) else span
        points.update(range(first, last + 1))
    return frozenset(points)


# Characters that need no glyph: WeasyPrint prints them without a warning and draws nothing (or, for
# the spaces, the space glyph). Measured, not derived from a Unicode property: see the module docstring.
NO_GLYPH = _ranges(
    0x0009, 0x000A, 0x000D,  # tab, line feed, carriage return
    0x00AD,  # soft hyphen
    0x034F,  # combining grapheme joiner
    0x061C,  # Arabic letter mark
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180E),  # Mongolian free variation selectors 1-3, vowel separator (not U+180F: it warns)
    (0x200B, 0x200F),  # zero width space, ZWNJ, ZWJ, left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated format characters
    (0xFE00, 0xFE0F),  # variation selectors (U+FE0F asks for emoji presentation)
    0xFEFF,  # zero width no-break space (byte order mark)
    (0xFFF0, 0xFFF8),  # unassigned, default ignorable
    (0x1D173, 0x1D17A),  # musical beam, tie, slur and phrase controls
    (0xE0000, 0xE0FFF),  # tags and variation selectors 17-256 (and the unassigned rest of the block)
    # Spaces HarfBuzz builds from the space glyph when a font lacks them (all but U+3000 are mapped).
    0x00A0, (0x2000, 0x200A), 0x202F, 0x205F, 0x3000,
)

# Mapped by the fonts, yet WeasyPrint warns: Pango draws U+2028 LINE SEPARATOR as an unknown glyph.
DRAWN_AS_MISSING = frozenset({0x2028})


@cache
def coverage() -> frozenset[int]:
    """The code points at least one shipped font maps (the union of every .ttf's best cmap)."""
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency; imported only when needed

    points: set[int] = set()
    for path in sorted(FONTS.glob("*.ttf")):
        font = TTFont(path, lazy=True)
        try:
            points.update(font.getBestCmap() or {})
        finally:
            font.close()
    return frozenset(points)


@cache
def _printable_chars() -> frozenset[str]:
    return frozenset(chr(point) for point in (coverage() | NO_GLYPH) - DRAWN_AS_MISSING)


def printable(char: str) -> bool:
    """True if a shipped font has `char`, or if it needs no glyph (line breaks, tabs, invisible controls)."""
    if len(char) != 1:
        raise ValueError(f"expected one character, got {len(char)}: {char!r}")
    return char in _printable_chars()


def unprintable(text: str) -> list[tuple[int, str]]:
    """(index into `text`, character) of every character no shipped font can print, in order.

    Looks up each distinct character once, then finds the (rare) bad ones with one regular
    expression, so that a large mostly-printable text costs little more than `set(text)`.
    """
    bad = set(text) - _printable_chars()
    if not bad:
        return []
    pattern = re.compile("[" + "".join(re.escape(char) for char in sorted(bad)) + "]")
    return [(match.start(), match.group()) for match in pattern.finditer(text)]


_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


def describe(char: str) -> str:
    """`char` for a message: "U+1F600 GRINNING FACE (😀)"; just "U+0007" when Unicode gives no name.

    Invisible characters (format characters, spaces) are named but not shown; a combining mark is
    shown on a dotted circle ("U+05C1 HEBREW POINT SHIN DOT (◌ׁ)").
    """
    if len(char) != 1:
        raise ValueError(f"expected one character, got {len(char)}: {char!r}")
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    if not name:
        return code
    category = unicodedata.category(char)
    if category in _HIDDEN_CATEGORIES:
        return f"{code} {name}"
    shown = "\u25cc" + char if category.startswith("M") else char
    return f"{code} {name} ({shown})"


@lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...]:
    """Index of the first character of every line after the first (one past each "\\n")."""
    return tuple(match.end() for match in re.finditer("\n", text))


def locate(text: str, index: int, *, first_line: int = 1) -> tuple[int, int]:
    """(line, column) of `text[index]`, both from 1, the column counted in characters (code points).

    Lines end at "\\n" only (sources are read with universal newlines, so "\\r\\n" is already
    "\\n"). `first_line` is the line number of the text's first line, for a text that starts
    inside a file (e.g. after front matter). `index` may be `len(text)` (the end of the text).
    """
    if not 0 <= index <= len(text):
        raise IndexError(f"index {index} is outside a text of {len(text)} characters")
    if len(text) < 4096:  # not worth caching
        before = text.count("\n", 0, index)
        start = text.rfind("\n", 0, index) + 1
    else:  # many positions in one large text: find each line with a binary search
        starts = _line_starts(text)
        before = bisect_right(starts, index)
        start = starts[before - 1] if before else 0
    return first_line + before, index - start + 1
