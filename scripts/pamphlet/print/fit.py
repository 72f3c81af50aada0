"""Type sized to fill the page: the largest body size at which each part still fits, found by laying it out.

A document is made of parts (`<section id="...">`: a flier's sides, a poster's pages, a zine's
inner pages), each starting on a new page. `fit` lays the document out a few times, each part at
its own trial body size, and keeps for each part the largest size (within its medium's bounds,
`BOUNDS`) at which it takes no more than its page budget. Parts lie on their own pages, so one
layout tries a size for every part at once; the next trial comes from how full each part was
(text area grows with the square of the type size), kept inside the bracket of sizes known to fit
and not to fit (a safeguarded bisection). Headlines follow the body on a modular scale (`RATIOS`).

Everything a designer may want to change is here: the bounds of each medium, the ratios, the step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

#: The body size (points) of each medium: (smallest, largest). A part that does not fit at the
#: smallest size is an error; one that is short stops at the largest.
BOUNDS: dict[str, tuple[float, float]] = {
    "flier": (9.0, 16.0),  # a half-letter side
    "handout": (9.0, 14.0),  # one letter page, two columns
    "quarter": (7.5, 13.0),  # a quarter-letter handbill
    "poster-letter": (14.0, 40.0),
    "poster-tabloid": (18.0, 56.0),
    "zine": (6.5, 12.0),  # a mini-zine's inner pages, 2.75 x 4.25 in
    "zine-cover": (7.0, 16.0),
    "zine-back": (6.0, 9.0),
}
#: Modular scale of each design: a heading of level n (h3 = 1 ... h1 = 3) is body x ratio ** n.
RATIOS: dict[str, float] = {"flier": 1.25, "photo": 1.25, "poster": 1.5, "handout": 1.25, "zine": 1.2}
STEP = 0.25  # points: sizes closer than this are not told apart
MAX_LAYOUTS = 8  # trials at most, before the final layout
TARGET = 0.985  # aim a little under a full page: the next trial then usually fits


def heading_sizes(body: float, design: str) -> dict[str, float]:
    """h1, h2, h3 for `body` on the design's modular scale, in points."""
    ratio = RATIOS[design]
    return {"h1": body * ratio ** 3, "h2": body * ratio ** 2, "h3": body * ratio}


@dataclass
class Measure:
    """How one part came out in one layout: `pages` spanned and `fill`, its height over one page's."""

    pages: int
    fill: float
    spare: float  # CSS px left below the part on its last page


@dataclass
class _Search:
    low: float
    high: float
    budget: int  # pages the part may take
    fits: tuple[float, Measure] | None = None  # the largest size known to fit
    fails: tuple[float, Measure] | None = None  # the smallest size known not to fit
    done: bool = False

    def record(self, size: float, measure: Measure) -> None:
        if measure.pages <= self.budget:
            if self.fits is None or size > self.fits[0]:
                self.fits = (size, measure)
        elif self.fails is None or size < self.fails[0]:
            self.fails = (size, measure)
        if self.fits and self.fits[0] >= self.high:
            self.done = True
        elif self.fails and self.fails[0] <= self.low:
            self.done = True  # cannot fit: reported by the caller
        elif self.fits and self.fails and self.fails[0] - self.fits[0] <= STEP:
            self.done = True

    def next_size(self) -> float:
        """The next trial: where the measured fill says the part would be full, inside the bracket."""
        goal = self.budget * TARGET
        if self.fits and self.fails:
            (a, fa), (b, fb) = (self.fits[0], self.fits[1].fill), (self.fails[0], self.fails[1].fill)
            guess = a + (b - a) * (goal - fa) / (fb - fa) if fb > fa else (a + b) / 2
            if not a + STEP / 2 <= guess <= b - STEP / 2:
                guess = (a + b) / 2
        else:
            size, measure = self.fits or self.fails  # type: ignore[misc]
            guess = size * math.sqrt(goal / max(measure.fill, 1e-3))  # text area grows as the square
            guess = max(guess, size + STEP) if self.fits else min(guess, size - STEP)
        return _round(min(max(guess, self.low), self.high))


def _round(size: float) -> float:
    return round(size * 20) / 20  # 0.05 pt: the same sources always give the same sizes


@dataclass
class Fitted:
    """The result: each part's body size, its measure at that size, and the number of layouts made."""

    sizes: dict[str, float]
    measures: dict[str, Measure]
    layouts: int
    too_long: dict[str, Measure] = field(default_factory=dict)  # parts that do not fit at the smallest size


def fit(parts: dict[str, tuple[str, int]], lay_out: Callable[[dict[str, float]], dict[str, Measure]],
        start: dict[str, float] | None = None) -> Fitted:
    """The largest body size of each part at which it takes at most its page budget.

    `parts`: part id -> (medium, page budget); `lay_out(sizes)` lays the document out with these
    body sizes and measures every part. `start`: first trial sizes (default: the bounds' middle).
    """
    searches = {pid: _Search(*BOUNDS[medium], budget) for pid, (medium, budget) in parts.items()}
    sizes = {pid: _round((start or {}).get(pid, (s.low + s.high) / 2)) for pid, s in searches.items()}
    layouts = 0
    while True:
        measures = lay_out(sizes)
        layouts += 1
        for pid, search in searches.items():
            if not search.done:
                search.record(sizes[pid], measures[pid])
        if all(s.done for s in searches.values()) or layouts >= MAX_LAYOUTS:
            break
        for pid, search in searches.items():
            if not search.done:
                sizes[pid] = search.next_size()
            elif search.fits:
                sizes[pid] = search.fits[0]
    chosen, found, too_long = {}, {}, {}
    for pid, search in searches.items():
        if search.fits is None:
            if search.fails and search.fails[0] > search.low:  # stopped early: try the smallest size
                measures = lay_out({**sizes, pid: search.low})
                layouts += 1
                search.record(search.low, measures[pid])
            if search.fits is None:
                too_long[pid] = search.fails[1] if search.fails else Measure(0, 0.0, 0.0)
                chosen[pid], found[pid] = search.low, too_long[pid]
                continue
        chosen[pid], found[pid] = search.fits
    return Fitted(chosen, found, layouts, too_long)


def measure_parts(document, ids: list[str]) -> dict[str, Measure]:
    """How much of its pages each part (`<section id=...>`) of a laid-out WeasyPrint document takes.

    A part's height on a page runs from the top of the page area to the bottom of the last of its
    children there (the part starts the page); its fill is the sum over its pages, over one page
    area's height: how much text there is, not counting what a page break left empty. A part with
    a line wider than the page counts one page more: it does not fit either.
    """
    used: dict[str, list[tuple[float, float]]] = {pid: [] for pid in ids}
    too_wide: set[str] = set()
    wanted = set(ids)
    for page in document.pages:
        box = page._page_box  # WeasyPrint keeps the laid-out boxes of each page here
        top = box.content_box_y()
        height = box.height
        right = box.content_box_x() + box.width + 0.5
        for part in _find(box, wanted):
            # the bottom of what is on this page (a part broken across pages reaches the bottom itself)
            children = [c for c in getattr(part, "children", ()) if hasattr(c, "border_height")]
            bottom = max((c.border_box_y() + c.border_height() for c in children),
                         default=part.border_box_y() + part.border_height())
            used[part.element.get("id")].append((bottom - top, height))
            if _widest(part) > right:
                too_wide.add(part.element.get("id"))
    result = {}
    for pid, fragments in used.items():
        if not fragments:
            result[pid] = Measure(0, 0.0, 0.0)
            continue
        height = fragments[0][1]
        filled = sum(h for h, _ in fragments)
        # a line wider than the page, or a box of fixed height running off its bottom, does not fit either
        overflow = pid in too_wide or fragments[-1][0] > fragments[-1][1] + 0.5
        pages = len(fragments) + (1 if overflow else 0)
        result[pid] = Measure(pages, filled / height, fragments[-1][1] - fragments[-1][0])
    return result


def _widest(box) -> float:
    """The right edge of the widest box inside `box` (text that runs off the page shows here)."""
    edge = box.position_x + (box.margin_width() if hasattr(box, "margin_width") else box.width or 0)
    if hasattr(box, "border_box_x") and hasattr(box, "border_width"):
        edge = box.border_box_x() + box.border_width()
    for child in getattr(box, "children", ()):
        edge = max(edge, _widest(child))
    return edge


def _find(box, ids: set[str]):
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) == "section" and element.get("id") in ids:
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _find(child, ids)


__all__ = ["BOUNDS", "Fitted", "MAX_LAYOUTS", "Measure", "RATIOS", "STEP", "fit", "heading_sizes", "measure_parts"]
