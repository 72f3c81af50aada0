"""The PDFs for reading are PDF/UA-1 (WeasyPrint's `pdf/ua-1` variant), checked with pikepdf.

veraPDF is not used: it is not published on PyPI (only as Java libraries on Maven Central, which
the build does not reach). These structural checks cover what PDF/UA-1 asks that can be read from
the file: a structure tree, the document's language, DisplayDocTitle, MarkInfo, the PDF/UA
identification in the XMP metadata, every figure's /Alt, headings that nest without skipping a
level, tables with header cells, links with /Contents and a /Link structure element, and every
piece of drawn content either tagged (an MCID) or an artifact.

The print-shop files (booklet-imposed, -sheet, -quarter) are pages of those PDFs placed on bigger
sheets for a copy shop: they are not tagged, and not checked here.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

IMPOSED = ("-imposed.pdf", "-sheet.pdf", "-quarter.pdf")
DRAWING = {"Tj", "TJ", "'", '"', "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh"}


def reading_pdfs(site: Path) -> list[Path]:
    return sorted(p for p in (site / "downloads").glob("*.pdf") if not p.name.endswith(IMPOSED))


def elements(root: pikepdf.Dictionary):
    """Every structure element under `root`, depth first, in reading order."""
    kids = root.get("/K")
    if kids is None:
        return
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from elements(kid)


def structure_problems(path: Path) -> list[str]:
    """What keeps `path` from PDF/UA-1's structural rules (an empty list: nothing found)."""
    problems: list[str] = []
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        tree = root.get("/StructTreeRoot")
        if tree is None:
            return ["no structure tree"]
        if not str(root.get("/Lang", "")).strip():
            problems.append("no /Lang")
        if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
            problems.append("DisplayDocTitle is not true")
        if not root.get("/MarkInfo", {}).get("/Marked", False):
            problems.append("MarkInfo /Marked is not true")
        meta = str(pdf.open_metadata())
        if "pdfuaid" not in meta:
            problems.append("no PDF/UA identification (pdfuaid) in the XMP metadata")
        if not str(pdf.docinfo.get("/Title", "")).strip():
            problems.append("no document title")
        found = list(elements(tree))
        kinds = [str(e["/S"]) for e in found]
        if not found:
            problems.append("an empty structure tree")
        for e in found:
            if str(e["/S"]) == "/Figure" and not str(e.get("/Alt", "")).strip():
                problems.append("a figure without /Alt")
        levels = [int(k[2:]) for k in kinds if len(k) == 3 and k.startswith("/H") and k[2].isdigit()]
        previous = 0
        for level in levels:
            if level > previous + 1:
                problems.append(f"a heading skips a level: H{previous} then H{level} ({levels})")
            previous = level
        for table in (e for e in found if str(e["/S"]) == "/Table"):
            if "/TH" not in {str(x["/S"]) for x in elements(table)}:
                problems.append("a table without header cells")
        parents = _parent_tree(tree)
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                if not str(annot.get("/Contents", "")).strip():
                    problems.append(f"a link without /Contents on page {number}")
                if not _in_link(parents.get(int(annot.get("/StructParent", -1)))):
                    problems.append(f"a link outside any /Link structure element on page {number}")
            problems += [f"page {number}: {p}" for p in _untagged(page)]
    return list(dict.fromkeys(problems))


def _parent_tree(tree: pikepdf.Dictionary) -> dict[int, object]:
    """The structure tree's ParentTree (a number tree): StructParent key -> structure element."""
    found: dict[int, object] = {}
    stack = [tree.get("/ParentTree")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        nums = node.get("/Nums", [])
        found.update({int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)})
        stack += list(node.get("/Kids", []))
    return found


def _in_link(element) -> bool:
    """A link annotation belongs to a /Link structure element (or to a span inside one)."""
    while isinstance(element, pikepdf.Dictionary) and "/S" in element:
        if str(element["/S"]) == "/Link":
            return True
        element = element.get("/P")
    return False


def _untagged(page: pikepdf.Page) -> list[str]:
    """Drawing operators outside both tagged content (an MCID) and artifacts."""
    stack: list[str] = []
    loose = 0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            tagged = op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
            stack.append("artifact" if tag == "/Artifact" else "tagged" if tagged else "other")
        elif op == "EMC" and stack:
            stack.pop()
        elif op in DRAWING and not ({"artifact", "tagged"} & set(stack)):
            loose += 1
    return [f"{loose} drawing operation(s) neither tagged nor artifact"] if loose else []


def test_every_pdf_for_reading_is_checked(site: Path) -> None:
    names = {p.name for p in reading_pdfs(site)}
    assert {"booklet.pdf", "faq.pdf", "one-pager.pdf"} <= names
    assert any(n.startswith("chapter-") for n in names) and any("flier" in n for n in names)


@pytest.mark.parametrize("name", ["booklet.pdf", "faq.pdf", "one-pager.pdf", "meetings-flier.pdf",
                                  "meetings-flier-poster.pdf", "chapter-councils.pdf"])
def test_pdf_ua_structure(site: Path, name: str) -> None:
    assert structure_problems(site / "downloads" / name) == []


def test_every_reading_pdf_passes(site: Path) -> None:
    failed = {p.name: structure_problems(p) for p in reading_pdfs(site)}
    assert {name: problems for name, problems in failed.items() if problems} == {}


def test_the_booklet_has_the_structure_a_reader_needs(site: Path) -> None:
    with pikepdf.open(site / "downloads" / "booklet.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"
        found = list(elements(pdf.Root.StructTreeRoot))
        kinds = [str(e["/S"]) for e in found]
        assert kinds.count("/H1") >= 3 and "/H2" in kinds and "/Link" in kinds and "/L" in kinds
        alts = [str(e["/Alt"]) for e in found if str(e["/S"]) == "/Figure"]
        # the contested sections' QR codes and the back cover's say where they lead
        assert alts and any(a.startswith("QR code: https://") for a in alts)
        assert "pdfuaid:part" in str(pdf.open_metadata()) or "pdfuaid" in str(pdf.open_metadata())


def test_the_checks_find_what_is_missing(site: Path, tmp_path: Path) -> None:
    """The checker fails an untagged PDF and one stripped of its language and figure texts."""
    plain = tmp_path / "plain.pdf"
    with pikepdf.open(site / "downloads" / "booklet-imposed.pdf") as pdf:  # imposed: untagged
        pdf.save(plain)
    assert structure_problems(plain) == ["no structure tree"]
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(site / "downloads" / "booklet.pdf") as pdf:
        del pdf.Root["/Lang"]
        found = list(elements(pdf.Root.StructTreeRoot))
        for e in found:
            if str(e["/S"]) == "/Figure":
                del e["/Alt"]
        next(e for e in found if str(e["/S"]) == "/H2")["/S"] = pikepdf.Name("/H4")
        link = next(a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.get("/Subtype") == "/Link")
        del link["/Contents"]
        pdf.save(broken)
    problems = structure_problems(broken)
    assert "no /Lang" in problems and "a figure without /Alt" in problems
    assert any("skips a level" in p for p in problems)
    assert any(p.startswith("a link without /Contents") for p in problems)


def test_a_table_in_a_chapter_is_printed_with_header_cells(project: Path, tmp_path: Path) -> None:
    from pamphlet.model import load
    from pamphlet.print.handouts import build_handout

    chapter = sorted((project / "booklet").glob("*.md"))[0]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n\n| Tool | Lent |\n| --- | --- |\n| Drill | 12 |\n",
                       encoding="utf-8")
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("  - abbr\n", "  - abbr\n  - tables\n"),
                      encoding="utf-8")
    content = load(project)
    page = next(p for p in content.chapters if p.path.resolve() == chapter.resolve())
    target = tmp_path / "chapter.pdf"
    build_handout(content, page, target)
    assert structure_problems(target) == []
    with pikepdf.open(target) as pdf:
        kinds = [str(e["/S"]) for e in elements(pdf.Root.StructTreeRoot)]
    assert "/Table" in kinds and "/TH" in kinds and "/TD" in kinds
