"""The booklet as an EPUB 3: the chapters rendered for the PDF (`render_chapters`), one XHTML file each.

The book has a title page, a contents page that is also the EPUB navigation document (chapters and
their sections), the chapters with their pictures (and alt text), contested passages (the named
`<aside class="contested">` banners) and footnotes, and the Works Cited as a last chapter whose
entries link back to the chapters that cite them. Fonts are left to the reader's device.

The file is written with `zipfile`, the `mimetype` entry first and stored, every entry dated at
the manifest's date: the same sources give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import uuid
import xml.etree.ElementTree as etree
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pamphlet.bibliography import BackRef
from pamphlet.content import Content
from pamphlet.dates import format_date
from pamphlet.i18n import gettext, translator
from pamphlet.print.booklet import PrintedBooklet, render_chapters
from pamphlet.print.pdf import CSS_DIR
from pamphlet.printing import picture_file

STYLESHEET = CSS_DIR / "epub.css"
FOLDER = "EPUB"  # the publication's files, inside the zip
XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}  # the EPUB 3.3 core image types
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
XML_NAME = re.compile(r"^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$")
DROPPED_CLASSES = {"headerlink", "contested-print"}  # ¶ permalinks; the QR codes (links work in an e-book)
CONTAINER = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
             f'  <rootfiles><rootfile full-path="{FOLDER}/package.opf" '
             'media-type="application/oebps-package+xml"/></rootfiles>\n</container>\n')


class _TreeBuilder(HTMLParser):
    """HTML (as Python-Markdown writes it) into an ElementTree, for writing as XHTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = etree.Element("div")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = etree.SubElement(self.stack[-1], tag, {
            name: name if value is None else value for name, value in attrs if XML_NAME.match(name)})
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse_fragment(html: str) -> etree.Element:
    """An HTML fragment as the children of a `div`."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _remove(parent: etree.Element, child: etree.Element) -> None:
    """Remove `child`, keeping the text that follows it."""
    index = list(parent).index(child)
    if child.tail:
        if index:
            parent[index - 1].tail = (parent[index - 1].tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _text(element: etree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass
class Document:
    """One XHTML file of the book."""

    name: str  # inside FOLDER
    title: str
    body: etree.Element  # the `body`'s content, as children of a div
    properties: set[str] = field(default_factory=set)


@dataclass
class Image:
    name: str  # inside FOLDER
    path: Path
    media_type: str


class EpubBook:
    """The documents and pictures of the EPUB, with links between its files."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.documents: list[Document] = []
        self.images: dict[Path, Image] = {}
        self.ids: dict[str, str] = {}  # id -> the document that holds it

    def add(self, document: Document) -> Document:
        for element in document.body.iter():
            if "id" in element.attrib:
                self.ids.setdefault(element.get("id"), document.name)
        self.documents.append(document)
        return document

    def image(self, path: Path) -> str:
        """The picture's name in the book (added once)."""
        path = path.resolve()
        if path not in self.images:
            name = f"images/{len(self.images) + 1:02d}-{re.sub(r'[^A-Za-z0-9._-]', '-', path.name)}"
            self.images[path] = Image(name, path, MEDIA_TYPES[path.suffix.lower()])
        return self.images[path].name

    def clean(self, document: Document) -> None:
        """Drop what an e-book does not need, keep pictures local, and point in-book links at files."""
        parents = {child: parent for parent in document.body.iter() for child in parent}
        for element in list(document.body.iter()):
            parent = parents.get(element)
            classes = set((element.get("class") or "").split())
            if parent is not None and classes & DROPPED_CLASSES:
                _remove(parent, element)
            elif element.tag == "img":
                self._picture(element, parent, document)
            elif element.tag == "iframe" and parent is not None:  # an embedded video: a link to it instead
                src = element.get("src", "")
                element.clear()
                element.tag, element.text = "a", element.get("title") or src
                element.set("href", src)
            elif element.tag == "svg":
                element.set("xmlns", "http://www.w3.org/2000/svg")
                document.properties.add("svg")

    def _picture(self, img: etree.Element, parent: etree.Element | None, document: Document) -> None:
        src = img.get("src", "")
        if src.startswith("data:"):
            return
        parts = urlsplit(src)
        path = None if parts.scheme or parts.netloc else self.content.project.root / unquote(parts.path)
        if path is not None and path.is_file() and path.suffix.lower() in MEDIA_TYPES:
            img.set("src", self.image(path))
            if path.suffix.lower() == ".svg":
                document.properties.discard("svg")  # an <img> of an SVG file needs no property
        elif parent is not None:  # a picture the book cannot carry: its description instead
            tail = img.tail
            img.clear()
            img.tag, img.text, img.tail = "span", f"[{img.get('alt') or 'picture'}]", tail
            img.set("class", "missing-picture")

    def link(self) -> None:
        """`#id` links to an id in another file of the book become `file#id`."""
        for document in self.documents:
            for a in document.body.iter("a"):
                href = a.get("href", "")
                if href.startswith("#") and len(href) > 1:
                    target = self.ids.get(unquote(href[1:]))
                    if target is not None and target != document.name:
                        a.set("href", f"{target}{href}")


def xhtml(document: Document, language: str, stylesheet: str = "style.css") -> bytes:
    html = etree.Element("html", {"xmlns": XHTML_NS, "xmlns:epub": OPS_NS, "lang": language,
                                  "xml:lang": language})
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", {"charset": "utf-8"})
    etree.SubElement(head, "title").text = document.title
    etree.SubElement(head, "link", {"rel": "stylesheet", "type": "text/css", "href": stylesheet})
    body = etree.SubElement(html, "body")
    body.text = document.body.text
    body.extend(list(document.body))
    text = etree.tostring(html, encoding="unicode", method="xml")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n{text}\n'.encode()


def _chapter_file(number: int) -> str:
    return f"chapter-{number:02d}.xhtml"


def title_page(content: Content, book: EpubBook) -> Document:
    m = content.manifest
    root = etree.Element("div")
    section = etree.SubElement(root, "section", {"class": "title-page", "epub:type": "titlepage"})
    if m.cover_image and (path := picture_file(content, m.cover_image)) is not None and \
            path.suffix.lower() in MEDIA_TYPES:
        etree.SubElement(section, "img", {"class": "cover", "src": book.image(path), "alt": m.cover_alt or ""})
    etree.SubElement(section, "h1", {"class": "book-title"}).text = m.title
    if m.subtitle:
        etree.SubElement(section, "p", {"class": "subtitle"}).text = m.subtitle
    etree.SubElement(section, "p", {"class": "author"}).text = m.author
    if m.organization != m.author:
        etree.SubElement(section, "p", {"class": "publisher"}).text = m.organization
    etree.SubElement(section, "p", {"class": "edition"}).text = \
        f"{m.edition}, {format_date(m.date, language=m.language)}"
    if m.description:
        etree.SubElement(section, "p", {"class": "description"}).text = m.description
    rights = etree.SubElement(section, "p", {"class": "license"})
    if m.license_url:
        etree.SubElement(rights, "a", {"href": m.license_url}).text = m.license
    else:
        rights.text = m.license
    _ = translator(m.language)
    for label, url in ((_("Online:"), content.project.site_url), (_("Sources:"), content.project.source_url)):
        if url:
            line = etree.SubElement(section, "p", {"class": "address"})
            line.text = f"{label} "
            etree.SubElement(line, "a", {"href": url}).text = url
    return Document("title.xhtml", m.title, root)


def chapter_document(printed_chapter, number: int, language: str = "en") -> Document:
    root = etree.Element("div")
    section = etree.SubElement(root, "section", {"id": printed_chapter.anchor, "class": "chapter",
                                                 "epub:type": "chapter", "role": "doc-chapter"})
    label = etree.SubElement(section, "p", {"class": "chapter-number"})
    label.text = gettext(language, "Chapter {number}", number=printed_chapter.number)
    body = parse_fragment(printed_chapter.html)
    label.tail = body.text
    section.extend(list(body))
    return Document(_chapter_file(number), printed_chapter.title, root)


def works_cited_document(printed: PrintedBooklet, chapter_files: dict[str, tuple[str, int]],
                         language: str = "en") -> Document | None:
    """The works cited, each entry followed by links to the chapters that cite it (first citation in each)."""
    if printed.citer is None or not printed.citations:
        return None
    _ = translator(language)
    backrefs: dict[str, list[BackRef]] = {}
    seen = set()
    for key, anchor in printed.citations:
        file, number = chapter_files[anchor.split("--", 1)[0]]
        if (key, file) not in seen:
            seen.add((key, file))
            backrefs.setdefault(key, []).append(BackRef(f"{file}#{anchor}", _("chapter {number}", number=number)))
    items = printed.citer.works_cited_html(list(backrefs), backrefs=backrefs)
    root = etree.Element("div")
    section = etree.SubElement(root, "section", {"id": "works-cited", "class": "chapter works-cited-chapter",
                                                 "epub:type": "bibliography", "role": "doc-bibliography"})
    etree.SubElement(section, "h1").text = _("Works Cited")
    etree.SubElement(section, "p", {"class": "works-cited-intro"}).text = \
        _("The works this booklet cites, each followed by links to the chapters that cite it.")
    listing = etree.SubElement(section, "ul", {"class": "references-list works-cited"})
    listing.extend(list(parse_fragment(items)))
    return Document("works-cited.xhtml", _("Works Cited"), root)


def nav_document(book: EpubBook, chapters: list[Document], works_cited: Document | None,
                 language: str = "en") -> Document:
    """The contents page and navigation document: each chapter with its sections (h2)."""
    _ = translator(language)
    root = etree.Element("div")
    nav = etree.SubElement(root, "nav", {"epub:type": "toc", "id": "toc", "role": "doc-toc",
                                         "aria-labelledby": "toc-title"})
    etree.SubElement(nav, "h1", {"id": "toc-title"}).text = _("Contents")
    listing = etree.SubElement(nav, "ol")
    for document in chapters:
        item = etree.SubElement(listing, "li")
        etree.SubElement(item, "a", {"href": document.name}).text = document.title
        sections = [h for h in document.body.iter("h2") if h.get("id") and _text(h)]
        if sections:
            sub = etree.SubElement(item, "ol")
            for heading in sections:
                etree.SubElement(etree.SubElement(sub, "li"), "a",
                                 {"href": f"{document.name}#{heading.get('id')}"}).text = _text(heading)
    if works_cited is not None:
        etree.SubElement(etree.SubElement(listing, "li"), "a", {"href": works_cited.name}).text = works_cited.title
    landmarks = etree.SubElement(root, "nav", {"epub:type": "landmarks", "hidden": "hidden",
                                               "aria-label": _("Landmarks")})
    marks = etree.SubElement(landmarks, "ol")
    for kind, href, label in (("titlepage", "title.xhtml", _("Title page")), ("toc", "nav.xhtml#toc", _("Contents")),
                              ("bodymatter", chapters[0].name, _("Start of content"))) + (
            (("bibliography", works_cited.name, _("Works Cited")),) if works_cited else ()):
        etree.SubElement(etree.SubElement(marks, "li"), "a", {"epub:type": kind, "href": href}).text = label
    return Document("nav.xhtml", _("Contents"), root, {"nav"})


def identifier(content: Content, name: str) -> str:
    """Stable for an edition: the same sources give the same identifier."""
    m = content.manifest
    seed = f"{content.project.site_url or m.title}|{name}|{m.edition}|{m.date.isoformat()}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def package(content: Content, book: EpubBook, spine: list[Document], name: str) -> bytes:
    m = content.manifest
    opf = "http://www.idpf.org/2007/opf"
    root = etree.Element("package", {"xmlns": opf, "version": "3.0", "unique-identifier": "pub-id",
                                     "xml:lang": m.language})
    meta = etree.SubElement(root, "metadata", {"xmlns:dc": "http://purl.org/dc/elements/1.1/"})
    etree.SubElement(meta, "dc:identifier", {"id": "pub-id"}).text = identifier(content, name)
    etree.SubElement(meta, "dc:title").text = m.title
    etree.SubElement(meta, "dc:creator").text = m.author
    etree.SubElement(meta, "dc:publisher").text = m.organization
    etree.SubElement(meta, "dc:language").text = m.language
    etree.SubElement(meta, "dc:date").text = m.date.isoformat()
    if m.description:
        etree.SubElement(meta, "dc:description").text = m.description
    etree.SubElement(meta, "dc:rights").text = m.license
    etree.SubElement(meta, "meta", {"property": "dcterms:modified"}).text = f"{m.date.isoformat()}T00:00:00Z"
    accessibility = [("schema:accessMode", "textual")] + ([("schema:accessMode", "visual")] if book.images else [])
    accessibility += [("schema:accessModeSufficient", "textual")]
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    features += ["alternativeText"] if book.images else []
    accessibility += [("schema:accessibilityFeature", feature) for feature in features]
    accessibility += [("schema:accessibilityHazard", "none"),
                      ("schema:accessibilitySummary", gettext(
                          m.language, "Chapters with headings and a table of contents; pictures have text "
                          "alternatives; contested passages are marked in the text."))]
    for prop, value in accessibility:
        etree.SubElement(meta, "meta", {"property": prop}).text = value
    manifest = etree.SubElement(root, "manifest")
    ids = {}
    for n, document in enumerate(spine):
        ids[document.name] = f"x{n:02d}-{Path(document.name).stem}"
        attrs = {"id": ids[document.name], "href": document.name, "media-type": "application/xhtml+xml"}
        if document.properties:
            attrs["properties"] = " ".join(sorted(document.properties))
        etree.SubElement(manifest, "item", attrs)
    etree.SubElement(manifest, "item", {"id": "style", "href": "style.css", "media-type": "text/css"})
    cover = picture_file(content, m.cover_image) if m.cover_image else None
    for n, image in enumerate(book.images.values()):
        attrs = {"id": f"img{n:02d}", "href": image.name, "media-type": image.media_type}
        if cover is not None and image.path == cover.resolve():
            attrs["properties"] = "cover-image"
        etree.SubElement(manifest, "item", attrs)
    spine_element = etree.SubElement(root, "spine")
    for document in spine:
        etree.SubElement(spine_element, "itemref", {"idref": ids[document.name]})
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="utf-8",
                                                                        xml_declaration=False) + b"\n"


def _entry(name: str, when: dt.date, compress: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(max(when.year, 1980), when.month, when.day, 0, 0, 0))
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, wherever it is built
    return info


def build_epub(content: Content, target: Path, printed: PrintedBooklet | None = None) -> int:
    """Write the booklet's EPUB to `target`; returns the number of its chapters."""
    printed = printed or render_chapters(content)
    m = content.manifest
    book = EpubBook(content)
    title = book.add(title_page(content, book))
    chapters = [book.add(chapter_document(c, n, m.language)) for n, c in enumerate(printed.chapters, start=1)]
    slugs = {c.anchor.removeprefix("ch-"): (d.name, c.number) for c, d in zip(printed.chapters, chapters)}
    works_cited = works_cited_document(printed, slugs, m.language)
    if works_cited is not None:
        book.add(works_cited)
    for document in book.documents:
        book.clean(document)
    book.link()
    nav = nav_document(book, chapters, works_cited, m.language)
    spine = [title, nav, *chapters] + ([works_cited] if works_cited else [])
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(_entry("mimetype", m.date, zipfile.ZIP_STORED), b"application/epub+zip")
        archive.writestr(_entry("META-INF/container.xml", m.date), CONTAINER.encode())
        archive.writestr(_entry(f"{FOLDER}/package.opf", m.date), package(content, book, spine, target.name))
        archive.writestr(_entry(f"{FOLDER}/style.css", m.date), STYLESHEET.read_bytes())
        for document in spine:
            archive.writestr(_entry(posixpath.join(FOLDER, document.name), m.date), xhtml(document, m.language))
        for image in book.images.values():
            archive.writestr(_entry(posixpath.join(FOLDER, image.name), m.date), image.path.read_bytes())
    return len(chapters)


__all__ = ["build_epub", "parse_fragment"]
