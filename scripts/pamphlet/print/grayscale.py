"""Grayscale copies of print files, for copy shops that charge for colour (`print: {grayscale: true}`).

`to_grayscale` rewrites a finished PDF so that it holds no colour at all: in every content stream
(the pages', and those of the forms they draw, at any depth) each colour operator becomes its
gray (`r g b rg` becomes `y g` with y = 0.299 r + 0.587 g + 0.114 b, the luma Pillow's grayscale
conversion uses; CMYK and colour-space operators likewise), and every picture is re-encoded in
DeviceGray. The text, the layout and the tags stay as they were. The result is reproducible.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    FloatObject,
    NameObject,
    NumberObject,
)

GRAY = NameObject("/DeviceGray")


def luma(r: float, g: float, b: float) -> float:
    return round(0.299 * r + 0.587 * g + 0.114 * b, 6)


def _gray_from(operands: list, space: str | None) -> float | None:
    """The gray of a colour given as numbers in `space` (None: the numbers say which)."""
    numbers = [float(o) for o in operands if isinstance(o, (FloatObject, NumberObject, int, float))]
    if len(numbers) != len(operands):
        return None  # a pattern by name: left alone
    if space == "/Lab" and len(numbers) == 3:
        return round(numbers[0] / 100, 6)
    if len(numbers) == 1:
        return numbers[0]
    if len(numbers) == 3:
        return luma(*numbers)
    if len(numbers) == 4:
        c, m, y, k = numbers
        return round(max(0.0, 1 - min(1.0, 0.3 * c + 0.59 * m + 0.11 * y + k)), 6)
    return None


def _space_kind(name, resources) -> str | None:
    """"/Lab", "/DeviceGray" or None (anything else is read by its number of components)."""
    if name in ("/DeviceGray", "/G", "/CalGray"):
        return "/DeviceGray"
    spaces = resources.get("/ColorSpace") if resources is not None else None
    entry = spaces.get_object().get(name) if spaces is not None else None
    entry = entry.get_object() if entry is not None else None
    if isinstance(entry, ArrayObject) and entry and entry[0] == "/Lab":
        return "/Lab"
    return None


def _rewrite(stream_owner, resources, writer: PdfWriter, seen: set) -> bytes:
    """The content stream of a page or form with every colour made gray; forms and images recurse."""
    content = ContentStream(stream_owner.get_contents() if hasattr(stream_owner, "get_contents") else stream_owner,
                            writer)
    spaces = {"fill": None, "stroke": None}
    operations = []
    for operands, operator in content.operations:
        op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
        if op in ("rg", "RG", "k", "K"):
            value = _gray_from(operands, None)
            operations.append(([FloatObject(value)], b"g" if op in ("rg", "k") else b"G"))
            continue
        if op in ("cs", "CS"):
            which = "fill" if op == "cs" else "stroke"
            spaces[which] = _space_kind(operands[0], resources)
            operations.append(([GRAY], operator))
            continue
        if op in ("sc", "scn", "SC", "SCN"):
            value = _gray_from(operands, spaces["fill" if op in ("sc", "scn") else "stroke"])
            if value is not None:
                operations.append(([FloatObject(value)], operator))
                continue
        operations.append((operands, operator))
    content.operations = operations
    _gray_resources(resources, writer, seen)
    return content.get_data()


def _gray_resources(resources, writer: PdfWriter, seen: set) -> None:
    if resources is None:
        return
    resources = resources.get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        return
    for name, ref in xobjects.get_object().items():
        key = getattr(ref, "idnum", None) or id(ref)
        if key in seen:
            continue
        seen.add(key)
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            _gray_image(xobject)
        elif xobject.get("/Subtype") == "/Form":
            data = _rewrite(xobject, xobject.get("/Resources"), writer, seen)
            xobject.set_data(data)


def _gray_image(image) -> None:
    if image.get("/ColorSpace") == GRAY or image.get("/ImageMask"):
        return
    picture = image.decode_as_image().convert("L")  # its soft mask, if any, stays as it is
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[NameObject(key)]
    image[NameObject("/Filter")] = NameObject("/FlateDecode")
    image[NameObject("/ColorSpace")] = GRAY
    image[NameObject("/BitsPerComponent")] = NumberObject(8)
    if hasattr(image, "decoded_self"):
        image.decoded_self = DecodedStreamObject()  # the old bytes are not Flate: never decode them again
    image.set_data(picture.tobytes())


def to_grayscale(src: Path, dst: Path) -> int:
    """Write `dst`: `src` in shades of gray (see the module docstring); returns the page count."""
    reader = PdfReader(src)
    writer = PdfWriter(clone_from=reader)
    seen: set = set()
    for page in writer.pages:
        data = _rewrite(page, page.get("/Resources"), writer, seen)
        stream = DecodedStreamObject()
        stream.set_data(data)
        page.replace_contents(stream.flate_encode(level=9))
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)  # the colour streams
    digest = hashlib.sha256(Path(src).read_bytes() + b"grayscale").digest()[:16]
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(dst, "wb") as handle:
        writer.write(handle)
    return len(writer.pages)


__all__ = ["luma", "to_grayscale"]
