"""QR codes for print and the site: inline SVG (and PNG for thumbnails), made with segno.

The SVG is written here rather than by segno's SVG writer, which draws each row of modules as a
stroked line: stroke ends and anti-aliasing can leave hairline seams between rows in some
renderers. Here every run of dark modules is a filled rectangle in one `<path>`, drawn with
`shape-rendering="crispEdges"` on a white square, in a `viewBox` measured in modules, so the same
markup prints sharply through WeasyPrint and scales in a browser.

Choices a caller can rely on:

- error correction level M exactly (segno is told not to raise it), full-size QR (never Micro QR,
  which phone cameras do not read), the mask and version chosen by segno, so the same text always
  gives the same markup;
- the text is encoded as UTF-8 bytes without an ECI header (what phone readers assume); URLs from
  `pamphlet.feedback` are ASCII anyway;
- the 4-module quiet zone the standard requires is part of the drawing (white), so the code
  scans whatever is around it; `size_mm` is the size including it.

Keep the text short: a 22 mm code of a 300-character URL has modules of about 0.3 mm, which
cheap printers and old phones struggle with. Print the page's own URL or the feedback page, not a
prefilled issue URL; `qr_modules` tells how many modules a text needs.
"""

from __future__ import annotations

import io
import math
from html import escape

import segno

QUIET_ZONE = 4  # modules, as ISO/IEC 18004 requires for QR codes
ERROR_CORRECTION = "M"


def _make(text: str) -> segno.QRCode:
    if not isinstance(text, str) or not text:
        raise ValueError(f"a QR code needs a non-empty string, not {text!r}")
    return segno.make(text, error=ERROR_CORRECTION, boost_error=False, micro=False, encoding="utf-8")


def qr_modules(text: str) -> int:
    """The width of the code for `text`, in modules, quiet zone included."""
    return len(_make(text).matrix) + 2 * QUIET_ZONE


def _path(matrix: tuple) -> str:
    """One path of filled rectangles: each horizontal run of dark modules is `M x y h w v1 h-w z`."""
    parts: list[str] = []
    for y, row in enumerate(matrix, start=QUIET_ZONE):
        x, width = 0, len(row)
        while x < width:
            if row[x] & 1:
                start = x
                while x < width and row[x] & 1:
                    x += 1
                run = x - start
                parts.append(f"M{start + QUIET_ZONE} {y}h{run}v1h-{run}z")
            else:
                x += 1
    return "".join(parts)


def _mm(value: float) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"size_mm must be a positive number, not {value!r}")
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text}mm"


def qr_svg(url: str, *, size_mm: float = 22, label: str | None = None, css_class: str = "qr-code") -> str:
    """Inline SVG markup of a QR code for `url`, `size_mm` wide and high (quiet zone included).

    Black on white, error correction M, no XML declaration (it may sit anywhere in HTML), a
    `viewBox` in modules and explicit `width`/`height` in mm; no `id`s, so any number of codes can
    share a page. `label` becomes the accessible name (`<title>` and `aria-label`); without it the
    code is hidden from screen readers, since the link next to it should say the same in words.
    A visible caption belongs in the surrounding HTML (e.g. a `<figcaption>`).
    The same arguments always give the same string.
    """
    size = _mm(size_mm)
    matrix = _make(url).matrix
    n = len(matrix) + 2 * QUIET_ZONE
    if label is not None and label.strip():
        name = " ".join(label.split())
        accessible = f' role="img" aria-label="{escape(name, quote=True)}"'
        title = f"<title>{escape(name, quote=False)}</title>"
    else:
        accessible, title = ' aria-hidden="true"', ""
    css = f' class="{escape(css_class, quote=True)}"' if css_class else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1"{css} width="{size}" height="{size}" '
        f'viewBox="0 0 {n} {n}" shape-rendering="crispEdges"{accessible}>'
        f"{title}"
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{_path(matrix)}"/>'
        "</svg>"
    )


def qr_png_bytes(url: str, scale: int = 4) -> bytes:
    """A PNG of the QR code for `url`: `scale` pixels per module, black on white, quiet zone kept.

    For thumbnails and previews; print and the site should use `qr_svg`.
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"scale must be a positive int, not {scale!r}")
    buffer = io.BytesIO()
    _make(url).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return buffer.getvalue()


__all__ = ["ERROR_CORRECTION", "QUIET_ZONE", "qr_modules", "qr_png_bytes", "qr_svg"]


def qr_data_uri(url: str, *, size_mm: float = 22) -> str:
    """`qr_svg` as a data: URI, for an `<img>` in HTML (site or print)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url, size_mm=size_mm).encode()).decode("ascii")
