"""QR codes: printed through WeasyPrint, rasterized, and read back with zbar to the exact URL."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from pamphlet.feedback import FeedbackConfig, FeedbackTarget, issue_url
from pamphlet.print.pdf import render_pdf
from pamphlet.qr import QUIET_ZONE, qr_modules, qr_png_bytes, qr_svg

ZBARIMG = shutil.which("zbarimg")
# Skipped only on a developer's machine without zbar; in CI a missing zbarimg is a failure.
needs_zbar = pytest.mark.skipif(ZBARIMG is None and not os.environ.get("CI"),
                                reason="zbarimg is not installed (Debian: apt-get install zbar-tools)")

DPI = 600
SVG_NS = "{http://www.w3.org/2000/svg}"

SHORT = "https://harbor-street.example.org/sample/booklet/animals/"
LONG = ("https://harbor-street.example.org/sample/booklet/élan-vital/?from=print"
        "&title=%C3%89lan%20vital%20%E2%80%94%20%C3%A7a%3F&section=%F0%9F%8C%B1%20Growth"
        "&q=a%2Bb%3Dc%26d%23e&edition=First%20edition&source=booklet%2Fanimals.md%3A12"
        "&note=ça%20et%20là%20🌱#section-%C3%A9")
ISSUE = issue_url(
    FeedbackConfig(tracker="github", repo_url="https://github.com/harbor-street/sample",
                   edition="First edition"),
    FeedbackTarget("Q&A #1? 100% + more", SHORT + "#qa", "booklet/animals.md", 3, "🌱 Growth"))

URLS = [pytest.param(SHORT, id="page"), pytest.param(LONG, id="long-encoded-non-ascii"),
        pytest.param(ISSUE, id="issue")]


def decode(png: Path) -> str:
    """The one QR code zbar finds in `png`, exactly as encoded."""
    if ZBARIMG is None:
        pytest.fail("zbarimg is required in CI: apt-get install zbar-tools")
    result = subprocess.run([ZBARIMG, "--raw", "-q", str(png)], capture_output=True, timeout=120)
    assert result.returncode == 0, f"zbarimg found no code (status {result.returncode}): {result.stderr!r}"
    text = result.stdout.decode("utf-8")
    assert text.endswith("\n") and text.count("\n") == 1, f"expected one code, got {text!r}"
    return text[:-1]


def page_html(body: str, page_mm: int = 80) -> str:
    return (f'<html lang="en"><head><style>@page {{ size: {page_mm}mm {page_mm}mm; margin: 10mm }}'
            f"body {{ margin: 0 }}</style></head><body>{body}</body></html>")


def print_and_rasterize(html: str, tmp_path: Path, name: str = "qr") -> Path:
    pdf = tmp_path / f"{name}.pdf"
    pages = render_pdf(html, pdf, base_url=tmp_path, stylesheets=[], what="test",
                       allowed=[tmp_path])
    assert pages == 1
    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=DPI / 72, grayscale=True).to_pil()
    finally:
        document.close()
    png = tmp_path / f"{name}.png"
    image.save(png)
    return png


def dark_cells(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The viewBox size and every dark module (x, y) that the SVG's path fills."""
    root = ET.fromstring(svg)
    n = int(root.get("viewBox").split()[2])
    cells: set[tuple[int, int]] = set()
    d = root.find(f"{SVG_NS}path").get("d")
    for x, y, run in re.findall(r"[Mm](\d+) (\d+)h(\d+)v1h-\d+z", d):
        cells.update((int(x) + i, int(y)) for i in range(int(run)))
    assert re.sub(r"M\d+ \d+h\d+v1h-\d+z", "", d) == ""
    return n, cells


# --------------------------------------------------------------------------- the markup


def test_svg_markup_is_inline_ready() -> None:
    svg = qr_svg(SHORT)
    assert svg.startswith("<svg ") and svg.endswith("</svg>") and "<?xml" not in svg and "\n" not in svg
    root = ET.fromstring(svg)
    n = qr_modules(SHORT)
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("22mm", "22mm", f"0 0 {n} {n}")
    assert root.get("aria-hidden") == "true" and root.get("role") is None
    rect = root.find(f"{SVG_NS}rect")
    assert (rect.get("width"), rect.get("height"), rect.get("fill")) == (str(n), str(n), "#fff")
    assert root.find(f"{SVG_NS}path").get("fill") == "#000"
    assert "id=" not in svg


def test_svg_is_deterministic() -> None:
    assert qr_svg(LONG, size_mm=30, label="x") == qr_svg(LONG, size_mm=30, label="x")


@pytest.mark.parametrize(("size", "text"), [(22, "22mm"), (30.5, "30.5mm"), (18.25, "18.25mm")])
def test_svg_size_in_mm(size: float, text: str) -> None:
    root = ET.fromstring(qr_svg(SHORT, size_mm=size))
    assert (root.get("width"), root.get("height")) == (text, text)


def test_label_is_the_escaped_accessible_name() -> None:
    svg = qr_svg(SHORT, label='Feedback on "Q&A" <now>\nplease')
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == 'Feedback on "Q&A" <now> please'
    assert root.find(f"{SVG_NS}title").text == 'Feedback on "Q&A" <now> please'


def test_quiet_zone_is_kept() -> None:
    n, cells = dark_cells(qr_svg(SHORT))
    xs, ys = {x for x, _ in cells}, {y for _, y in cells}
    assert (min(xs), max(xs), min(ys), max(ys)) == (QUIET_ZONE, n - QUIET_ZONE - 1, QUIET_ZONE, n - QUIET_ZONE - 1)


@pytest.mark.parametrize("url", [SHORT, "https://ex.org/ab", LONG])
def test_error_correction_is_m(url: str) -> None:
    # The format information next to the top-left finder: its two top bits, masked with 0b10,
    # are the level (L=01, M=00, Q=11, H=10). "https://ex.org/ab" fits level Q in the same
    # version, so a generator that "boosts" the level would not give M.
    n, cells = dark_cells(qr_svg(url))
    bit14 = (QUIET_ZONE + 0, QUIET_ZONE + 8) in cells
    bit13 = (QUIET_ZONE + 1, QUIET_ZONE + 8) in cells
    level = {0b01: "L", 0b00: "M", 0b11: "Q", 0b10: "H"}[((bit14 ^ 1) << 1) | bit13]
    assert level == "M"


@pytest.mark.parametrize(("call", "arg"), [
    (lambda v: qr_svg(v), ""), (lambda v: qr_svg(SHORT, size_mm=v), 0),
    (lambda v: qr_svg(SHORT, size_mm=v), float("nan")), (lambda v: qr_png_bytes(SHORT, v), 0)])
def test_bad_arguments_are_programming_errors(call, arg) -> None:
    with pytest.raises(ValueError):
        call(arg)


# --------------------------------------------------------------------------- scanning


@needs_zbar
@pytest.mark.parametrize("url", URLS)
def test_inline_svg_printed_by_weasyprint_scans_back(url: str, tmp_path: Path) -> None:
    html = page_html(f"<p>Tell us what you think:</p>{qr_svg(url, label='Feedback')}")
    assert decode(print_and_rasterize(html, tmp_path)) == url


@needs_zbar
def test_several_codes_on_one_page_scan_back(tmp_path: Path) -> None:
    urls = [SHORT, SHORT + "#growth"]
    for index, url in enumerate(urls):
        html = page_html(f"{qr_svg(url)}<p>–</p>{qr_svg(urls[1 - index], size_mm=15)}", page_mm=120)
        png = print_and_rasterize(html, tmp_path, f"two{index}")
        # Crop to the first code: it sits at the page's top left corner (inside a 10 mm margin).
        image = Image.open(png)
        side = round(32 / 25.4 * DPI)
        image.crop((0, 0, side, side)).save(tmp_path / f"first{index}.png")
        assert decode(tmp_path / f"first{index}.png") == url


def test_printed_size_is_size_mm(tmp_path: Path) -> None:
    png = print_and_rasterize(page_html(qr_svg(SHORT, size_mm=22)), tmp_path)
    image = Image.open(png).convert("L").point(lambda v: 255 if v < 128 else 0)
    left, top, right, bottom = image.getbbox()
    n = qr_modules(SHORT)
    expected = (n - 2 * QUIET_ZONE) / n * 22 / 25.4 * DPI  # dark modules only, quiet zone excluded
    assert abs((right - left) - expected) <= 3 and abs((bottom - top) - expected) <= 3
    # The quiet zone starts at the 10 mm margin.
    assert abs(left - (10 + QUIET_ZONE / n * 22) / 25.4 * DPI) <= 3


@needs_zbar
@pytest.mark.parametrize("url", URLS)
def test_standalone_svg_file_scans_back(url: str, tmp_path: Path) -> None:
    svg = tmp_path / "code.svg"
    svg.write_text(qr_svg(url, size_mm=30), encoding="utf-8")
    assert ET.parse(svg).getroot().tag == f"{SVG_NS}svg"  # a well-formed document on its own
    assert decode(print_and_rasterize(page_html('<img src="code.svg" alt="QR code">'), tmp_path)) == url


@needs_zbar
@pytest.mark.parametrize("url", URLS)
def test_png_scans_back(url: str, tmp_path: Path) -> None:
    data = qr_png_bytes(url, scale=4)
    assert data == qr_png_bytes(url, scale=4)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (qr_modules(url) * 4,) * 2
    png = tmp_path / "code.png"
    png.write_bytes(data)
    assert decode(png) == url
