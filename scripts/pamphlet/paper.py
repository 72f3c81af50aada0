"""Paper: the one table of sheet and page sizes, and print lengths.

Every stage reads sizes from here: the manifest's `paper` (pages of the booklet, fliers and
handouts), the imposition's sheets, and the labels on the Print & share page.
"""

from __future__ import annotations

from dataclasses import dataclass

from pamphlet.i18n import N_, translator

UNITS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4}  # points per unit


def length(value: object) -> float:
    """A print length such as `0.125in`, `3mm` or `9pt` (or 0), in points."""
    if value == 0:
        return 0.0
    if isinstance(value, str):
        for unit, points in UNITS.items():
            number = value.strip()[: -len(unit)]
            if value.strip().endswith(unit):
                try:
                    return float(number) * points
                except ValueError:
                    break
    raise ValueError(f"Expected a length like 0.125in, 3mm or 9pt but received: {value!r}")


@dataclass(frozen=True)
class Paper:
    name: str
    width: str  # portrait, as CSS writes it ("5.5in", "148mm")
    height: str
    page: bool  # may a printed page (booklet, flier, handout) have this size?

    @property
    def css_size(self) -> tuple[str, str]:
        return self.width, self.height

    @property
    def points(self) -> tuple[float, float]:
        return length(self.width), length(self.height)

    def label(self, *, landscape: bool = False, language: str = "en") -> str:
        """For readers: "Letter (8.5 × 11 in)", "Letter, landscape (11 × 8.5 in)" (in `language`)."""
        _ = translator(language)
        w, h = (self.height, self.width) if landscape else (self.width, self.height)
        unit = w.lstrip("0123456789.")
        if self.name in NAMES:
            title = _(NAMES[self.name])
        else:
            title = self.name.replace("-", " ").capitalize() if not self.name[-1].isdigit() else self.name.upper()
        size = f"{w.removesuffix(unit)} × {h.removesuffix(unit)} {unit}"
        return _("{paper}, landscape ({size})", paper=title, size=size) if landscape else f"{title} ({size})"


# The names of the papers that have words for names (A5, A4, A3 are written as they are).
NAMES = {"half-letter": N_("Half letter"), "letter": N_("Letter"), "legal": N_("Legal"), "tabloid": N_("Tabloid")}


PAPERS: dict[str, Paper] = {p.name: p for p in (
    Paper("half-letter", "5.5in", "8.5in", page=True),
    Paper("a5", "148mm", "210mm", page=True),
    Paper("letter", "8.5in", "11in", page=True),
    Paper("legal", "8.5in", "14in", page=False),
    Paper("tabloid", "11in", "17in", page=False),
    Paper("a4", "210mm", "297mm", page=False),
    Paper("a3", "297mm", "420mm", page=False),
)}
PAGE_SIZES = sorted(name for name, paper in PAPERS.items() if paper.page)  # the choices for `paper:`

__all__ = ["PAGE_SIZES", "PAPERS", "Paper", "UNITS", "length"]
