"""`pamphlet serve`: the preview follows edits, and the PDF is reprinted without blocking it."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import free_port, wait_for
from expected import SITE_URL


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except OSError:
        return None


@pytest.fixture()
def server(project: Path):
    port = free_port()
    exe = Path(sys.executable).parent / "pamphlet"
    process = subprocess.Popen([str(exe), "-C", str(project), "serve", "-a", f"127.0.0.1:{port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}{urlsplit(SITE_URL).path}"  # the path of site_url in mkdocs.yml
    printed: list[str] = []

    def stop() -> str:
        """Stop the preview; what it printed."""
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)
            printed.append(process.stdout.read())
            process.stdout.close()
        return printed[0]

    try:
        wait_for(lambda: fetch(base))
        yield base, stop
    finally:
        stop()


def test_preview_follows_an_edit_and_reprints_the_pdf(server, project: Path) -> None:
    server, stop = server
    pdf_url = server + "downloads/booklet.pdf"
    first_pdf = wait_for(lambda: fetch(pdf_url))
    assert first_pdf.startswith(b"%PDF-")

    chapter = project / "booklet" / "councils.md"
    text = chapter.read_text(encoding="utf-8")
    assert text.startswith("# Block Councils\n")
    chapter.write_text(text.replace("# Block Councils", "# Block Councils, Revised", 1), encoding="utf-8")

    page = wait_for(lambda: b"Block Councils, Revised" in (fetch(server + "booklet/councils/") or b""))
    assert page
    wait_for(lambda: (fetch(pdf_url) or first_pdf) != first_pdf)

    # It printed what `build` prints, not the engine's chatter: no lines about pages pamphlet keeps
    # out of the nav, or about PDFs the background printing has not written yet; the server's news.
    output = stop()
    assert "Serving on http://127.0.0.1:" in output and "PDFs updated: " in output
    assert "not found among documentation files" not in output, output
    assert 'not included in the "nav"' not in output and "Building documentation" not in output, output
    assert len(output.splitlines()) < 12, output
