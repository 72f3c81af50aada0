"""Reading PDFs back in tests: text per page, outline, fonts, link destinations."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pypdf import PdfReader


def page_texts(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [page.extract_text() or "" for page in doc.pages]


HYPHENATION = "\u2010"


def normalize(text: str) -> str:
    """Join words broken across lines and fold white space.

    WeasyPrint's automatic hyphenation prints U+2010 (removed when joining); a hyphen that is
    part of the text ("BY-SA") is U+002D and stays.
    """
    text = text.replace(HYPHENATION + "\n", "").replace("-\n", "-")
    return " ".join(text.split())


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every bookmark, in order."""
    reader = PdfReader(pdf)
    result: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                result.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return result


def fonts(pdf: Path) -> dict[str, bool]:
    """Every font used on any page, by base name (subset prefix removed) -> embedded or not."""
    reader = PdfReader(pdf)
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor_owner = font
            if font.get("/Subtype") == "/Type0":
                descriptor_owner = font["/DescendantFonts"][0].get_object()
            descriptor = descriptor_owner.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            name = str(font["/BaseFont"]).lstrip("/")
            name = name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name
            found[name] = found.get(name, True) and embedded
    return found


def words_in_box(pdf: Path, page_number: int, box: tuple[float, float, float, float]) -> list[dict]:
    """Words on a page (1-based) whose bounding box lies inside (x0, top, x1, bottom) in points."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[page_number - 1]
        return [w for w in page.extract_words()
                if w["x0"] >= box[0] and w["top"] >= box[1] and w["x1"] <= box[2] and w["bottom"] <= box[3]]


def internal_links(pdf: Path) -> list[tuple[int, str]]:
    """(1-based page, destination name) of every link to a named destination inside the PDF."""
    reader = PdfReader(pdf)
    links = []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            dest = annotation.get("/Dest")
            if annotation.get("/Subtype") == "/Link" and isinstance(dest, str):
                links.append((number, str(dest)))
    return links


def destination_pages(pdf: Path) -> dict[str, int]:
    """Named destination -> the 1-based page it is on."""
    reader = PdfReader(pdf)
    return {name: reader.get_destination_page_number(dest) + 1 for name, dest in reader.named_destinations.items()}
