"""Tagged PDFs printed apart (`Printer.save_piece`), made one, as WeasyPrint would have written them
laid out together: the pages in order (with blank pages where a piece must start on the other side),
one structure tree, one outline, one set of named destinations, and links between the pieces.

WeasyPrint's tagged PDFs (PDF/UA-1) are simple and regular, which is what this relies on: one
`/Document` element under the structure root, a flat `/ParentTree` whose keys are the page indexes
(a page's `/StructParents`) and then one key per link (an annotation's `/StructParent`); a flat
`/Dests` name tree; outlines whose destinations are explicit `[page /XYZ x y 0]` arrays. Here the
first piece is the base (its catalog, metadata, language and viewer preferences stay), every other
piece's pages, structure elements, outline items and destinations are copied in, and the keys are
numbered again in the same scheme: pages first, then links, in page order.

A link to an anchor of another piece cannot be resolved when its piece is written; `save_piece`
writes it as a URI action to `DEST_PREFIX` + the anchor's name, and `assemble` turns it into the
internal link WeasyPrint writes (`/Dest` (name), `/Contents` (name)). A name no piece defines is an
error, as it is for WeasyPrint.

Fonts: each piece keeps its own subset of each font it uses (a few kilobytes per piece and font).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

DEST_PREFIX = "pamphlet-dest:"


class AssemblyError(ValueError):
    """A link to an anchor that no piece has."""


@dataclass
class _Outline:
    title: object  # a pikepdf String
    page: object  # the page in the assembled PDF
    place: list  # the destination after the page: /XYZ x y zoom
    count: int
    children: list["_Outline"]


def _flat(array) -> list[tuple[object, object]]:
    """A flat name or number tree's pairs (WeasyPrint writes them flat: no /Kids)."""
    items = list(array)
    return list(zip(items[0::2], items[1::2]))


def _read_outline(item, page_of) -> list[_Outline]:
    found = []
    while item is not None:
        dest = item.get("/Dest")
        children = _read_outline(item.get("/First"), page_of)
        found.append(_Outline(item.Title, page_of(dest[0]), list(dest)[1:], int(item.get("/Count", 0)), children))
        item = item.get("/Next")
    return found


def _write_outline(pdf, items: list[_Outline], parent) -> tuple[list, int]:
    """As WeasyPrint's `add_outlines`: each item's /Count is its open descendants' count."""
    import pikepdf

    written, count = [], len(items)
    for item in items:
        outline = pdf.make_indirect(pikepdf.Dictionary(Title=item.title, Dest=pikepdf.Array([item.page, *item.place])))
        children, children_count = _write_outline(pdf, item.children, outline)
        outline.Count = children_count if item.count >= 0 else -children_count
        if item.count >= 0:
            count += children_count
        if written:
            outline.Prev = written[-1]
            written[-1].Next = outline
        if children:
            outline.First, outline.Last = children[0], children[-1]
        outline.Parent = parent
        written.append(outline)
    return written, count


def assemble(pieces: list[Path | None], target: Path, overlays: dict[int, tuple[Path, int]] | None = None) -> int:
    """Write the PDFs `pieces` (None: a blank page, the size of the page before it) as one PDF to
    `target`; returns its page count. `overlays` gives, for a piece (by its index), a PDF and the
    page (from 0) of it to draw over the piece's first page, the next over the next, and so on
    (`_draw_over`: the page numbers of a chapter)."""
    import pikepdf

    base = pikepdf.open(pieces[0])
    try:
        document = base.Root.StructTreeRoot.K[0]
        pages_entries: list = []  # per page of the result: its /ParentTree value
        links: list[tuple[object, object]] = []  # (annotation, its /ParentTree value), in page order
        names: dict[str, object] = {}
        outline: list[_Outline] = []
        opened = []
        opened_overlays: dict[Path, object] = {}
        for number, source in enumerate(pieces):
            if source is None:
                _blank_page(base)
                pages_entries.append(pikepdf.Array())
                continue
            foreign = pikepdf.open(source) if number else base
            opened.append(foreign)
            start = len(base.pages) if foreign is not base else 0
            if foreign is not base:
                with warnings.catch_warnings():  # its named destinations are copied below
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                    base.pages.extend(foreign.pages)
            copied = list(base.pages)[start:]
            if overlays and number in overlays:
                folio, folio_page = overlays[number]
                if folio not in opened_overlays:
                    opened_overlays[folio] = pikepdf.open(folio)
                _draw_over(base, copied, opened_overlays[folio], folio_page)
            page_map = {page.obj.objgen: copy.obj for page, copy in zip(foreign.pages, copied)}

            def local(obj, foreign=foreign):
                return obj if foreign is base else base.copy_foreign(obj)

            tree = foreign.Root.StructTreeRoot
            entries = {int(key): value for key, value in _flat(tree.ParentTree.Nums)}
            if foreign is not base:
                element = tree.K[0]
                for kid in list(element.K):
                    kid = base.copy_foreign(kid)
                    kid.P = document
                    document.K.append(kid)
            for page, copy in zip(foreign.pages, copied):
                pages_entries.append(_copy_entry(base, entries[int(page.StructParents)], local))
                for annotation in copy.obj.get("/Annots", []):
                    if "/StructParent" in annotation:
                        links.append((annotation, local(entries[int(annotation.StructParent)])))
            for name, dest in _flat(foreign.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])):
                names.setdefault(str(name), pikepdf.Array([page_map[dest[0].objgen], *list(dest)[1:]]))
            first = foreign.Root.get("/Outlines", {}).get("/First")
            outline += _read_outline(first, lambda page, page_map=page_map: page_map[page.objgen])
        _number_again(base, pages_entries, links)
        _link_across(base, names)
        _write_names_and_outline(base, names, outline)
        target.parent.mkdir(parents=True, exist_ok=True)
        base.save(target, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return len(base.pages)
    finally:
        for pdf in [*opened[1:], *opened_overlays.values()]:
            pdf.close()
        base.close()


_MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+\d+\s*>>\s*BDC")


def _draw_over(base, pages: list, overlay, first: int) -> None:
    """Draw the pages of the PDF `overlay` from `first` on over `pages`, each as a form XObject
    marked as an artifact (page numbers are pagination, not content: their tags are dropped)."""
    import pikepdf

    if first + len(pages) > len(overlay.pages):
        raise AssemblyError(f"an overlay of {len(overlay.pages)} pages cannot cover pages {first + 1} to "
                            f"{first + len(pages)}")
    for rank, (page, over) in enumerate(zip(pages, overlay.pages[first:first + len(pages)])):
        form = over.as_form_xobject()
        form.write(_MARKED.sub(b"/Artifact BMC", form.read_bytes()))
        name = pikepdf.Name(f"/PamphletOver{rank}")
        resources = page.obj.Resources
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        resources.XObject[name] = base.copy_foreign(form)
        page.contents_add(pikepdf.Stream(base, b"q\n"), prepend=True)  # the page's own state, then ours
        drawn = b"\nQ\n/Artifact BMC q " + str(name).encode("ascii") + b" Do Q EMC\n"
        page.contents_add(pikepdf.Stream(base, drawn))


def _copy_entry(base, value, local):
    """A page's /ParentTree value (an array of structure elements, by marked-content id) in `base`."""
    import pikepdf

    return pikepdf.Array([local(element) for element in value])


def _blank_page(base) -> None:
    """An empty page after the last one, with its boxes (the blank side of a sheet)."""
    import pikepdf

    last = base.pages[-1].obj
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=last.MediaBox, Resources=pikepdf.Dictionary(),
                              Tabs=pikepdf.Name.S)
    for box in ("/TrimBox", "/BleedBox"):
        if box in last:
            page[box] = last[box]
    base.pages.append(pikepdf.Page(page))


def _number_again(base, pages_entries: list, links: list) -> None:
    """The /ParentTree keys in WeasyPrint's scheme: each page's index, then one per link."""
    import pikepdf

    nums = []
    for index, (page, value) in enumerate(zip(base.pages, pages_entries)):
        page.obj.StructParents = index
        nums += [index, value]
    for key, (annotation, value) in enumerate(links, start=len(pages_entries)):
        annotation.StructParent = key
        nums += [key, value]
    base.Root.StructTreeRoot.ParentTree = base.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))


def _link_across(base, names: dict[str, object]) -> None:
    """Links that `save_piece` wrote to another piece's anchor become internal links."""
    import pikepdf

    for page in base.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if not uri.startswith(DEST_PREFIX):
                continue
            name = uri[len(DEST_PREFIX):]
            if name not in names:
                raise AssemblyError(f"No anchor #{name} for internal URI reference")
            del annotation["/A"]
            annotation.Dest = pikepdf.String(name)
            if "/Contents" in annotation:
                annotation.Contents = pikepdf.String(name)


def _write_names_and_outline(base, names: dict[str, object], outline: list[_Outline]) -> None:
    import pikepdf

    if names:
        flat = []
        for name in sorted(names):  # a name tree is sorted
            flat += [pikepdf.String(name), names[name]]
        if "/Names" not in base.Root:
            base.Root.Names = pikepdf.Dictionary()
        base.Root.Names.Dests = base.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(flat)))
    if "/Outlines" in base.Root:
        del base.Root["/Outlines"]
    if outline:
        root = base.make_indirect(pikepdf.Dictionary())
        items, count = _write_outline(base, outline, root)
        root.Count, root.First, root.Last = count, items[0], items[-1]
        base.Root.Outlines = root


__all__ = ["DEST_PREFIX", "AssemblyError", "assemble"]
