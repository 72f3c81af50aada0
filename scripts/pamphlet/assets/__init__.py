"""Files shipped with pamphlet: fonts (SIL Open Font License) and shared stylesheets."""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).parent
FONTS = ASSETS / "fonts"

# family, weight, style, file. The same faces are used by the site and by print.
FONT_FACES = [
    ("Pamphlet Serif", 400, "normal", "NotoSerif-Regular.ttf"),
    ("Pamphlet Serif", 400, "italic", "NotoSerif-Italic.ttf"),
    ("Pamphlet Serif", 700, "normal", "NotoSerif-Bold.ttf"),
    ("Pamphlet Serif", 700, "italic", "NotoSerif-BoldItalic.ttf"),
    ("Pamphlet Sans", 400, "normal", "NotoSans-Regular.ttf"),
    ("Pamphlet Sans", 700, "normal", "NotoSans-Bold.ttf"),
    ("Pamphlet Mono", 400, "normal", "NotoSansMono-Regular.ttf"),
]


def font_face_css(url_prefix: str) -> str:
    """`@font-face` rules for every shipped face; `url_prefix` is where the .ttf files are served."""
    rules = []
    for family, weight, style, file in FONT_FACES:
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'font-display: swap; src: url("{url_prefix}{file}") format("truetype"); }}'
        )
    return "\n".join(rules) + "\n"
