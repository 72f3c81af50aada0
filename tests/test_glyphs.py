"""Characters the shipped fonts cannot print are found before any build, and WeasyPrint agrees."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pytest
from pypdf import PdfReader

from pamphlet.assets import FONTS, font_face_css
from pamphlet.assets.glyphs import coverage, describe, locate, printable, unprintable
from pamphlet.errors import SourceError
from pamphlet.print.pdf import render_pdf

PRINTABLE = [
    pytest.param(char, id=f"U+{ord(char):04X}")
    for char in [
        "A", "z", "0", " ", "\t", "\n", "é", "ñ", "ü", "ß",
        "\u201c", "\u201d", "\u2018", "\u2019", "\u2013", "\u2014", "\u2026",  # “ ” ‘ ’ – — …
        "€", "½", "→", "\u00a0", "\u202f", "\u3000",  # NBSP, narrow NBSP, ideographic space
        "\u0301",  # combining acute accent
        "\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u2060", "\ufeff", "\u034f",  # invisible
        "\ufe0f", "\ufe0e", "\U000e0100", "\U000e0067",  # variation selectors, a tag
        "α", "Ω", "ж", "Я",  # Greek and Cyrillic: Noto Serif covers them
        "∀",  # only in Noto Sans Mono: fontconfig falls back to it from every face
    ]
]

UNPRINTABLE = [
    pytest.param(char, id=f"U+{ord(char):04X}")
    for char in [
        "😀", "\u05e9", "\u0628", "漢", "\ue000",  # emoji, Hebrew, Arabic, CJK, private use
        "✓", "★", "❤", "\U000f0000",
        "\u2028",  # mapped by the fonts, but Pango draws it as an unknown glyph
        "\u1680",  # no warning, but drawn as the .notdef box
        "\u3164", "\u180f",  # default ignorable, yet drawn (and missing)
        "\u0007", "\u000b", "\u000c", "\u007f", "\u0085", "\ufffe",  # controls, a noncharacter
        "\u0600",  # a visible format character
    ]
]


@pytest.mark.parametrize("char", PRINTABLE)
def test_printable(char: str) -> None:
    assert printable(char)


@pytest.mark.parametrize("char", UNPRINTABLE)
def test_unprintable(char: str) -> None:
    assert not printable(char)


def test_coverage_is_the_union_of_the_shipped_fonts_and_cached() -> None:
    points = coverage()
    assert isinstance(points, frozenset) and coverage() is points
    assert {ord("A"), ord("é"), ord("€"), ord("α"), 0x2200} <= points  # U+2200 only in Noto Sans Mono
    assert 0x1F600 not in points and 0x05E9 not in points


def test_printable_wants_one_character() -> None:
    with pytest.raises(ValueError):
        printable("ab")
    with pytest.raises(ValueError):
        printable("")


def test_unprintable_positions() -> None:
    assert unprintable("a😀b\nשׁ") == [(1, "😀"), (4, "\u05e9"), (5, "\u05c1")]
    assert unprintable("") == []
    assert unprintable("Plain “text” – with é, ½ and →.\n\tDone\u00ad\u200d\ufe0f") == []
    assert unprintable("x\u2028y\u1680z") == [(1, "\u2028"), (3, "\u1680")]


def test_unprintable_finds_the_needles_in_a_large_mostly_ascii_text() -> None:
    """(How fast it does so is measured by `bench/run.py`, not here.)"""
    line = "The chapter meets on Tuesdays — all welcome. Café, “quotes”, ½ price.\n"
    text = line * (500_000 // len(line)) + "end 😀\n" + line * 10 + "漢"
    found = unprintable(text)
    assert [char for _, char in found] == ["😀", "漢"]
    assert text[found[0][0]] == "😀" and found[1][0] == len(text) - 1


def test_locate() -> None:
    text = "first line\nsecond 😀 line\n\nfourth שׁ"
    assert locate(text, 0) == (1, 1)
    assert locate(text, text.index("😀")) == (2, 8)
    assert locate(text, text.index("\n")) == (1, 11)  # the line break ends its line
    assert locate(text, text.index("ש")) == (4, 8)
    assert locate(text, text.index("ש") + 1) == (4, 9)  # columns count characters, not bytes
    assert locate(text, len(text)) == (4, 10)
    assert locate(text, text.index("😀"), first_line=5) == (6, 8)  # a body that starts after front matter
    with pytest.raises(IndexError):
        locate(text, len(text) + 1)


def test_locate_in_a_large_text_agrees_with_counting() -> None:
    text = "".join(f"line {n} {'é' * (n % 7)}\n" for n in range(2000))
    assert len(text) > 4096
    for index in (0, 5, 999, 10_000, len(text) - 1, len(text)):
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        assert locate(text, index, first_line=1) == (line, column)
        assert locate(text, index, first_line=3) == (line + 2, column)


@pytest.mark.parametrize(("char", "expected"), [
    ("😀", "U+1F600 GRINNING FACE (😀)"),
    ("é", "U+00E9 LATIN SMALL LETTER E WITH ACUTE (é)"),
    ("\u05e9", "U+05E9 HEBREW LETTER SHIN (\u05e9)"),
    ("\u05c1", "U+05C1 HEBREW POINT SHIN DOT (\u25cc\u05c1)"),  # a combining mark, on a dotted circle
    ("\u0007", "U+0007"),  # control characters have no name
    ("\ue000", "U+E000"),  # nor has private use
    ("\U000f0000", "U+F0000"),
    ("\u1680", "U+1680 OGHAM SPACE MARK"),  # invisible: named, not shown
    ("\u0600", "U+0600 ARABIC NUMBER SIGN"),
])
def test_describe(char: str, expected: str) -> None:
    assert describe(char) == expected


# Real output: what `printable` says matches what WeasyPrint does with the shipped fonts.

REPRESENTATIVE = (
    "Aa0 é ñ ü ß “ ” ‘ ’ – — … € ½ → ✓ ★ 😀 ☺\ufe0f ❤ שלום سلام 漢字 αβγ Ωμέγα жизнь Я ∀ ─ e\u0301 "
    "a\u00a0b a\u202fb a\u3000b a\tb ab\u00adcd a\u200bb a\u200cb a\u200db a\u2060b a\ufeffb a\u034fb "
    "a\u200eb a\u200fb a\u202ab\u202c a\u2066b\u2069 a\ufe0fb a\U000e0100b a\U000e0067b \ue000 \u2028 \u1680 \u0007"
)
FACES = [
    'font-family: "Pamphlet Serif"',
    'font-family: "Pamphlet Serif"; font-style: italic',
    'font-family: "Pamphlet Serif"; font-weight: bold',
    'font-family: "Pamphlet Sans"',
    'font-family: "Pamphlet Mono"',
    'font-family: "Pamphlet Mono"; white-space: pre',
]


def _html(text: str) -> str:
    paragraphs = "".join(f'<p style=\'{face}\'>{escape(text)}</p>' for face in FACES)
    return (f'<html lang="en"><head><meta charset="utf-8"><style>{font_face_css(FONTS.as_uri() + "/")}</style>'
            f"</head><body>{paragraphs}</body></html>")


def _render(text: str, target: Path) -> None:
    render_pdf(_html(text), target, base_url=target.parent, stylesheets=[], what="test")


def _glyph_ids(pdf: Path) -> list[int]:
    """Every glyph id drawn on the pages (WeasyPrint writes 2-byte ids in hex strings of TJ arrays)."""
    ids: list[int] = []
    for page in PdfReader(pdf).pages:
        content = page.get_contents().get_data().decode("latin-1")
        for array in re.findall(r"\[(.*?)\]\s*TJ", content, re.S):
            for run in re.findall(r"<([0-9a-fA-F]*)>", array):
                ids += [int(run[i:i + 4], 16) for i in range(0, len(run), 4)]
    return ids


def test_everything_printable_accepts_renders_without_a_warning_or_a_box(tmp_path: Path) -> None:
    accepted = "".join(char for char in REPRESENTATIVE if printable(char))
    rejected = {char for char in REPRESENTATIVE if not printable(char)}
    assert {"😀", "✓", "\u05e9", "\u0633", "漢", "\ue000", "\u2028", "\u1680", "\u0007"} <= rejected
    assert {"é", "€", "α", "ж", "∀", "\u00ad", "\u200d", "\ufe0f", "\t"} <= set(accepted)
    target = tmp_path / "accepted.pdf"
    _render(accepted, target)  # raises SourceError on any WeasyPrint warning
    ids = _glyph_ids(target)
    assert ids and 0 not in ids  # and no .notdef box was drawn silently


@pytest.mark.parametrize("char", ["😀", "\u05e9", "漢", "\ue000", "\u2028"],
                         ids=["emoji", "hebrew", "cjk", "private-use", "line-separator"])
def test_a_character_printable_rejects_makes_the_printer_fail(char: str, tmp_path: Path) -> None:
    assert not printable(char)
    with pytest.raises(SourceError) as info:
        _render(f"before {char} after", tmp_path / "rejected.pdf")
    assert info.value.code == "print"
    assert f"(U+{ord(char):04X})" in info.value.message
    assert ".notdef glyph rendered for Unicode string unsupported by fonts" in info.value.message


def test_ogham_space_mark_is_rejected_because_it_prints_a_box_without_a_warning(tmp_path: Path) -> None:
    # WeasyPrint logs nothing for U+1680 (HarfBuzz leaves it out of its space fallback, so it comes out
    # as glyph 0 without Pango's "unknown glyph" flag): the only sign is the .notdef box in the PDF.
    assert not printable("\u1680")
    target = tmp_path / "ogham.pdf"
    _render("a\u1680b", target)
    assert 0 in _glyph_ids(target)
