"""Print uses only the fonts shipped with pamphlet, whatever the machine has installed."""

from __future__ import annotations

from pathlib import Path

from pamphlet.assets import FONT_FACES, FONTS
from pamphlet.print.pdf import render_pdf

from pdfutil import fonts


def test_shipped_font_files_exist_with_their_license() -> None:
    for _, _, _, file in FONT_FACES:
        assert (FONTS / file).stat().st_size > 100_000
    assert "SIL OPEN FONT LICENSE" in (FONTS / "OFL.txt").read_text(encoding="utf-8")


def test_a_font_installed_on_the_machine_is_not_used(tmp_path: Path) -> None:
    # DejaVu Sans is installed on most Debian machines (and on CI): it must not leak into the PDF.
    html = ('<html lang="en"><body><p style="font-family: \'DejaVu Sans\', sans-serif">Plain words</p>'
            '<p style="font-family: \'Pamphlet Serif\'">ü ß — “quoted”</p></body></html>')
    from pamphlet.assets import font_face_css

    html = html.replace("<body>", f"<head><style>{font_face_css(FONTS.as_uri() + '/')}</style></head><body>")
    target = tmp_path / "fonts.pdf"
    render_pdf(html, target, base_url=tmp_path, stylesheets=[], what="test")
    used = fonts(target)
    # Our @font-face faces, or (for the unknown family) a fallback found among our own files.
    assert used and all(name.startswith(("Pamphlet-", "Noto-")) for name in used), used
    assert not any("DejaVu" in name for name in used)


def test_any_weasyprint_warning_is_an_error_naming_the_source(tmp_path: Path) -> None:
    import pytest

    from pamphlet.errors import SourceError

    html = '<html lang="en"><body><p><a href="#nowhere">a link to nothing</a></p></body></html>'
    with pytest.raises(SourceError) as info:
        render_pdf(html, tmp_path / "x.pdf", base_url=tmp_path, stylesheets=[],
                   what="booklet/booklet.yml")
    assert str(info.value).startswith("booklet/booklet.yml: print rendering problem: No anchor #nowhere")
