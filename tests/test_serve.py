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
    try:
        wait_for(lambda: fetch(base))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_preview_follows_an_edit_and_reprints_the_pdf(server: str, project: Path) -> None:
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
