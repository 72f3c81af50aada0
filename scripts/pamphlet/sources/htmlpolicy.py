"""The raw-HTML policy: which HTML a source may contain, checked with positions.

Markdown sources may contain raw HTML, and every source is untrusted (it may come from a stranger's
pull request). What pamphlet publishes must run no script, load nothing from another site (the build
never touches the network and readers must not be tracked), and embed nothing in the PDFs that the
text does not show. So raw HTML may not contain:

- elements that run code, show other documents or send data: `script`, `iframe` (except https://
  iframes from the hosts listed under `extra.raw_html.iframe_hosts` in mkdocs.yml), `frame`,
  `frameset`, `fencedframe`, `portal`, `object`, `embed`, `applet`, `base`, `meta`, `link`, and the
  form elements `form`, `input`, `button`, `select`, `textarea` (a disabled checkbox, as written
  for task lists, is harmless and allowed);
- event-handler attributes (`on...`), on any element, SVG included;
- `javascript:` or `vbscript:` addresses in any attribute, read as a browser reads them (white space
  and control characters ignored, any case, character references decoded);
- `data:` addresses, except images (PNG, JPEG, GIF, WebP, SVG) in `<img>`, `<source>` and SVG
  `<image>`; an inline SVG image must itself follow the policy;
- resources from another site (`src`, `srcset`, `poster`, `href` of SVG `<image>` or `<use>`...
  with a scheme, or starting with `//`); plain links to other sites are fine;
- CSS (in `style` attributes, `<style>` elements and SVG presentation attributes such as `fill`)
  that loads files or runs code: `url(...)` other than a `#fragment`, `src()`, `image-set()`,
  `image()`, `element()`, `attr(... url)`, `@import`, `expression()`, `behavior`, `-moz-binding`;
- `rel="attachment"`, with which WeasyPrint would embed the linked file in the PDF;
- a tag or comment that never ends: a browser would swallow the text after it.

Why not nh3 or bleach: a sanitizer rewrites HTML and says nothing; pamphlet must instead *refuse*,
with the file, line and column of each problem, so that the contributor fixes the source and the
site and the PDF show exactly what the source says. The policy is an allowlist applied to the
tokens of a real HTML parser (never regular expressions on markup).

The HTML is read by the standard library's `html.parser`, the CSS by tinycss2 (whose tokens are
walked recursively, function arguments and blocks included, so CSS escapes such as `u\\72 l(` are
seen as `url(`). Two parsers never agree on everything, so the checker is fail-safe wherever the
standard parser and a browser may read the same text differently:

- the end of every tag, comment and declaration the parser finds is compared with where the HTML
  tokenizer of browsers (and of WeasyPrint) ends it; a tag whose end differs (odd quotes, `<!-->`,
  `--!>`, `<![CDATA[...>`...) or that the parser cannot read is a problem ("html-ambiguous"), since
  whatever a browser reads after it was not checked;
- the content of elements that browsers read as plain text (`style`, `title`, `noscript`,
  `xmp`, `iframe`...) may not contain `<`: inside SVG or with scripting off the same content is
  markup, so both readings must be harmless; such an element must end where browsers end it;
- a NUL character is a problem, and so is any failure of the parser;
- after a tag or comment that never ends, nothing more is checked (a browser would read the rest of
  the text as part of it).

`check_svg` applies the same rules to a static .svg file, read as XML: there an internal DTD subset
(which could define entities that expand to markup) and processing instructions other than the XML
declaration (`<?xml-stylesheet?>` loads a stylesheet) are problems too, and `<style>` content may be
wrapped in `<![CDATA[...]]>`.
"""

from __future__ import annotations

import base64
import binascii
import string
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any, Callable
from urllib.parse import unquote_to_bytes

import tinycss2

__all__ = ["FORBIDDEN_ELEMENTS", "HtmlPolicy", "HtmlProblem", "check_css", "check_html", "check_svg"]


@dataclass(frozen=True)
class HtmlPolicy:
    """What a project allows beyond the fixed rules."""

    #: Hosts whose https:// iframes are allowed (video embeds), e.g. {"www.youtube-nocookie.com"}.
    iframe_hosts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HtmlProblem:
    """One thing the policy does not allow, at a 1-based line and column of the checked text."""

    line: int
    column: int
    code: str
    message: str


#: Elements that may not be written (any case, with or without a namespace prefix). Two have
#: exceptions: `iframe` (https:// from `HtmlPolicy.iframe_hosts`) and `input` (a disabled checkbox).
FORBIDDEN_ELEMENTS: frozenset[str] = frozenset({
    "script", "iframe", "frame", "frameset", "fencedframe", "portal", "object", "embed", "applet",
    "base", "meta", "link", "form", "input", "button", "select", "textarea", "keygen", "isindex",
})

_SCRIPTS = "pamphlet publishes no scripts from the sources"
_FORM = "a static site has nothing to receive a form; link to a form elsewhere instead"
_REASONS = {
    "script": _SCRIPTS,
    "iframe": "it would show another page inside this one",
    "frame": "it would show another page inside this one",
    "frameset": "it would show other pages inside this one",
    "fencedframe": "it would show another page inside this one",
    "portal": "it would show another page inside this one",
    "object": "it would load another document or a plugin; link to the file instead",
    "embed": "it would load another document or a plugin; link to the file instead",
    "applet": "it would run a program; link to the file instead",
    "base": "it would change where every link of the page points",
    "meta": "it would change how the page is read (a redirect, for one); page data belongs in the front matter",
    "link": "it would load a file from elsewhere; stylesheets belong under `extra_css` in mkdocs.yml",
    "form": _FORM, "input": _FORM, "button": _FORM, "select": _FORM, "textarea": _FORM, "keygen": _FORM,
    "isindex": _FORM,
}

#: Elements whose content browsers read as plain text (in HTML; inside SVG the content is markup).
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
                       "plaintext"})
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")
#: Attributes holding addresses, where `data:` is refused (by local name: `xlink:href` is `href`).
_URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "imagesrcset", "action", "formaction", "data", "poster", "background", "cite",
    "longdesc", "ping", "usemap", "codebase", "manifest", "lowsrc", "dynsrc", "icon", "archive", "classid",
    "profile", "base",
})
#: Attributes whose addresses are loaded (with `href` of any element but a link); remote ones are refused.
_RESOURCE_ATTRIBUTES = frozenset({
    "src", "srcset", "imagesrcset", "poster", "data", "background", "lowsrc", "dynsrc", "codebase", "manifest",
    "icon", "archive", "classid", "base", "ping",
})
_LINK_ELEMENTS = frozenset({"a", "area"})
_LIST_ATTRIBUTES = frozenset({"ping", "archive"})  # space-separated addresses
_DATA_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"})
_DATA_IMAGES = frozenset({("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
                          ("image", "href")})
_ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
_ANIMATION_VALUES = frozenset({"values", "from", "to", "by"})
#: Attributes holding prose, not read as CSS values (other attributes with `(` are: SVG's `fill`...).
_TEXT_ATTRIBUTES = frozenset({
    "title", "alt", "placeholder", "label", "summary", "value", "content", "abbr", "id", "class", "name", "lang",
    "dir", "d", "points", "viewbox", "transform", "gradienttransform", "patterntransform", "datetime",
})
_CSS_IMAGES = frozenset({"image-set", "image", "element"})
_CSS_SCRIPT_PROPERTIES = frozenset({"behavior", "-moz-binding"})
#: Without CSS escapes, CSS holding none of these (in any case) has nothing to report.
_CSS_WORDS = ("url(", "src(", "image(", "image-set(", "element(", "expression(", "attr(", "@import", "behavior",
              "-moz-binding")
_NESTED_SVG_DEPTH = 3
_SEEN_TAGS = 4096  # how many different start tags are remembered while checking a text

_WS = " \t\n\f\r"
_END_TAG_FOLLOWERS = frozenset(_WS + "/>")
_AFTER_VALUE = frozenset(_WS + "/>")
_ODD_IN_TAGS = frozenset("<>/\x00\x0b\x1c\x1d\x1e\x1f")
_FLATTENED = {code: " " for code in [*range(32), 0x7F, 0x85, 0x2028, 0x2029]}
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NO_CONTROLS = {code: None for code in [*range(33), 0x7F]}

_CSS_FIX = ("CSS in the sources may not load files (the build never touches the network and readers must not be "
            "tracked); show images with Markdown, and put styles that need files in a stylesheet listed under "
            "`extra_css` in mkdocs.yml")
_REMOTE_FIX = ("the build never touches the network and readers must not be tracked; download the file into docs/ "
               "and link to it there")


def check_html(text: str, policy: HtmlPolicy = HtmlPolicy()) -> list[HtmlProblem]:
    """Every problem of a piece of raw HTML, in document order."""
    return _Checker(text, policy, svg=False, depth=0).run()


def check_svg(text: str) -> list[HtmlProblem]:
    """Every problem of a static SVG file: the HTML rules, plus DTD subsets and processing instructions."""
    return _Checker(text, HtmlPolicy(), svg=True, depth=0).run()


def check_css(text: str, *, line: int = 1, column: int = 1) -> list[HtmlProblem]:
    """Every problem of a piece of CSS (a `style` attribute's declarations or a style sheet).

    Positions are those of the offending tokens, counted from `line` and `column` (where the CSS starts).
    """
    problems = []
    findings = sorted(_css_findings(text), key=lambda finding: finding[0])
    for (css_line, css_column), (_, code, what) in zip(_locate(text, [f[0] for f in findings]), findings):
        problems.append(HtmlProblem(line + css_line - 1, column + css_column - 1 if css_line == 1 else css_column,
                                    code, _css_message(code, what, "this CSS")))
    return problems


# --- reading addresses ------------------------------------------------------------------------------------------


def _squeezed(value: str) -> str:
    """An address as a browser reads its scheme: white space and control characters removed, lowercase."""
    return value.translate(_NO_CONTROLS).lower()


def _scheme(squeezed: str) -> str | None:
    """The scheme of an absolute address (`https`, `data`...), None for a relative one."""
    if not squeezed[:1].isascii() or not squeezed[:1].isalpha():
        return None
    for index, char in enumerate(squeezed):
        if char == ":":
            return squeezed[:index]
        if not (char.isascii() and (char.isalnum() or char in "+-.")):
            return None
    return None


def _remote(squeezed: str) -> bool:
    """Whether an address is on another site: any scheme but `data:`, or `//host/...` (`\\` counts as `/`)."""
    if len(squeezed) >= 2 and squeezed[0] in "/\\" and squeezed[1] in "/\\":
        return True
    scheme = _scheme(squeezed)
    return scheme is not None and scheme != "data"


def _media_type(squeezed: str) -> str:
    """The media type of a `data:` address, lowercase, without parameters."""
    return squeezed[5:].partition(",")[0].partition(";")[0]


def _srcset_urls(value: str) -> list[str]:
    """The addresses of a `srcset`, split as browsers split it (commas may be part of an address)."""
    urls = []
    index, end = 0, len(value)
    while index < end:
        while index < end and (value[index] in _WS or value[index] == ","):
            index += 1
        start = index
        while index < end and value[index] not in _WS:
            index += 1
        url = value[start:index]
        if not url:
            break
        if url.endswith(","):
            urls.append(url.rstrip(","))
            continue
        urls.append(url)
        depth = 0
        while index < end:  # descriptors, up to a comma outside parentheses
            char = value[index]
            index += 1
            if char == "(":
                depth += 1
            elif char == ")" and depth:
                depth -= 1
            elif char == "," and not depth:
                break
    return urls


def _url_items(key: str, value: str) -> list[str]:
    if key in ("srcset", "imagesrcset"):
        return _srcset_urls(value)
    if key in _LIST_ATTRIBUTES:
        return value.split()
    return [value]


def _https_host(value: str) -> str | None:
    """The host of an https:// address, lowercase; None for anything else or anything unusual."""
    squeezed = _squeezed(value)
    if not squeezed.startswith("https://"):
        return None
    rest = squeezed[8:]
    end = len(rest)
    for stop in "/?#\\":
        found = rest.find(stop)
        if 0 <= found < end:
            end = found
    authority = rest[:end]
    host, _, port = authority.partition(":")
    if not host or "@" in authority or (port and not port.isdigit()):
        return None
    return host


def _data_url_text(value: str) -> str | None:
    """The text of a `data:` address (an SVG image), None when it cannot be read for sure."""
    address = value.translate({9: None, 10: None, 13: None}).strip("".join(map(chr, range(33))))
    header, comma, body = address[5:].partition(",")
    if not comma:
        return None
    parameters = [part.strip().lower() for part in header.split(";")[1:]]
    for parameter in parameters:
        if parameter.startswith("charset=") and parameter[8:] not in ("utf-8", "us-ascii", "ascii"):
            return None
    try:
        raw = unquote_to_bytes(body)
        if parameters and parameters[-1] == "base64":
            compact = b"".join(raw.split())
            raw = base64.b64decode(compact + b"=" * (-len(compact) % 4), validate=True)
        return raw.decode("utf-8").removeprefix("\ufeff")
    except (binascii.Error, UnicodeError, ValueError):
        return None


def _shown(value: str, limit: int = 60) -> str:
    """A value as quoted in a one-line message."""
    flat = " ".join(value.translate(_FLATTENED).split())
    flat = flat.replace("`", "'")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _where(attribute: str, tag: str) -> str:
    return f"`{_shown(attribute, 30)}` of `<{tag}>`"


def _local(name: str) -> str:
    """An element or attribute name without namespace prefix (and, for attributes, without stray quotes)."""
    return name.lstrip("\"'`<=/").rpartition(":")[2]


# --- CSS -----------------------------------------------------------------------------------------------------------


def _css_findings(css: str) -> list[tuple[int, str, str]]:
    """What a piece of CSS may not do: (offset in `css`, code, the construct as written)."""
    if "\\" not in css:  # without escapes, what is looked for is written as such (in any case)
        lowered = css.lower()
        if not any(word in lowered for word in _CSS_WORDS):
            return []
    found: list[tuple[Any, str, str]] = []
    stack = [tinycss2.parse_component_value_list(css, skip_comments=True)]
    while stack:  # iterative: deeply nested blocks must not exhaust the recursion limit
        values = stack.pop()
        for index, node in enumerate(values):
            kind = node.type
            if kind == "url":
                if not node.value.strip().startswith("#"):
                    found.append((node, "html-css-url", f"url({_shown(node.value)})"))
            elif kind == "function":
                name = node.lower_name
                if name.startswith("-") and not name.startswith("--") and "-" in name[1:]:
                    name = name[1:].partition("-")[2]  # -webkit-image-set is image-set
                if name in ("url", "src"):
                    argument = next((a for a in node.arguments if a.type not in ("whitespace", "comment")), None)
                    target = argument.value if argument is not None and argument.type == "string" else ""
                    if not target.strip().startswith("#"):
                        found.append((node, "html-css-url", f"{node.name}({_shown(target)})"))
                elif name in _CSS_IMAGES:
                    found.append((node, "html-css-url", f"{node.name}()"))
                elif name == "expression":
                    found.append((node, "html-css-script", f"{node.name}()"))
                elif name == "attr" and any(a.type == "ident" and a.lower_value == "url" or
                                            a.type == "function" and a.lower_name == "type" for a in node.arguments):
                    found.append((node, "html-css-url", "attr(... url)"))
                stack.append(node.arguments)
            elif kind in ("() block", "[] block", "{} block"):
                stack.append(node.content)
            elif kind == "at-keyword" and node.lower_value == "import":
                found.append((node, "html-css-url", "@import"))
            elif kind == "ident" and node.lower_value in _CSS_SCRIPT_PROPERTIES and _colon_follows(values, index):
                found.append((node, "html-css-script", node.lower_value))
            elif kind == "error" and node.kind == "bad-url":
                found.append((node, "html-css-url", "url(...)"))
    if not found:
        return []
    starts = _css_line_starts(css)
    return [(starts[min(node.source_line, len(starts)) - 1] + node.source_column - 1, code, what)
            for node, code, what in found]


def _colon_follows(values: list[Any], index: int) -> bool:
    for node in values[index + 1:]:
        if node.type not in ("whitespace", "comment"):
            return node.type == "literal" and node.value == ":"
    return False


def _css_line_starts(css: str) -> list[int]:
    """Where each line starts, as tinycss2 counts lines (`\\r\\n`, `\\r`, `\\n` and `\\f` end one)."""
    starts = [0]
    index, end = 0, len(css)
    if "\r" not in css and "\f" not in css:
        index = css.find("\n")
        while index >= 0:
            starts.append(index + 1)
            index = css.find("\n", index + 1)
        return starts
    while index < end:
        char = css[index]
        if char in "\n\f":
            starts.append(index + 1)
        elif char == "\r":
            if css.startswith("\n", index + 1):
                index += 1
            starts.append(index + 1)
        index += 1
    return starts


def _css_message(code: str, what: str, where: str) -> str:
    if code == "html-css-script":
        return f"`{what}` in {where} is not allowed: it would run code in some browsers"
    return f"`{what}` in {where} is not allowed: {_CSS_FIX}"


# --- positions and the tokenizer of browsers ------------------------------------------------------------------------


def _locate(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """1-based (line, column) of sorted offsets, lines ending at `\\n` (as `html.parser` counts them)."""
    result = []
    line, line_start, position = 1, 0, 0
    for offset in offsets:
        newlines = text.count("\n", position, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", position, offset) + 1
        position = offset
        result.append((line, offset - line_start + 1))
    return result


class _Finder:
    """`str.find` remembering its last answer per needle, so that searches moving forward stay linear."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.last: dict[str, tuple[int, int]] = {}

    def find(self, needle: str, start: int) -> int:
        last = self.last.get(needle)
        if last is not None and last[0] <= start and (last[1] < 0 or last[1] >= start):
            return last[1]
        found = self.text.find(needle, start)
        self.last[needle] = (start, found)
        return found


def _plain_tag(tag: str) -> bool:
    """Whether a start tag is written so plainly that every HTML tokenizer ends it at its last `>`.

    That is: `<name attr attr=value attr="value" attr='value'>` (or `/>`), ASCII outside the quotes, every
    quote opening a value right after `=` and followed by white space, `/>` or `>`. Anything else is left to
    `_tag_end`, which follows the tokenizer character by character.
    """
    if "'" not in tag:  # the usual case, quicker
        outside = tag.split('"')[::2]
        if tag.count('"') % 2:
            return False
        for before, after in zip(outside, outside[1:]):
            if before[-1:] != "=" or after[:1] not in _AFTER_VALUE:
                return False
        skeleton = "Q".join(outside)
    else:
        pieces = []
        index, end = 0, len(tag)
        while True:
            double, single = tag.find('"', index), tag.find("'", index)
            quote = single if double < 0 or 0 <= single < double else double
            if quote < 0:
                break
            close = tag.find(tag[quote], quote + 1)
            if tag[quote - 1] != "=" or close < 0 or close + 1 >= end or tag[close + 1] not in _AFTER_VALUE:
                return False
            pieces.append(tag[index:quote])
            pieces.append("Q")
            index = close + 1
        pieces.append(tag[index:])
        skeleton = "".join(pieces)
    if skeleton[-1:] != ">" or not skeleton.isascii():
        return False
    body = skeleton[1:-2] if skeleton.endswith("/>") else skeleton[1:-1]
    if not _ODD_IN_TAGS.isdisjoint(body):
        return False
    words = body.split()
    if not words or "=" in words[0]:
        return False
    for word in words[1:]:
        name, equals, value = word.partition("=")
        if not name or equals and (not value or "=" in value):
            return False
    return True


_TAG_NAME, _BEFORE_NAME, _NAME, _AFTER_NAME, _BEFORE_VALUE, _UNQUOTED, _AFTER_QUOTED, _SELF_CLOSING = range(8)


def _tag_end(text: str, index: int, finder: _Finder) -> int:
    """Where the HTML tokenizer ends a tag whose name starts at `index` (after its `>`), -1 at the end of text."""
    end = len(text)
    state = _TAG_NAME
    while index < end:
        char = text[index]
        if state == _TAG_NAME or state == _NAME or state == _UNQUOTED:
            if char == ">":
                return index + 1
            if char in _WS:
                state = _AFTER_NAME if state == _NAME else _BEFORE_NAME
            elif char == "/" and state != _UNQUOTED:
                state = _SELF_CLOSING
            elif char == "=" and state == _NAME:
                state = _BEFORE_VALUE
        elif state == _BEFORE_NAME or state == _AFTER_NAME:
            if char == ">":
                return index + 1
            if char == "/":
                state = _SELF_CLOSING
            elif char == "=" and state == _AFTER_NAME:
                state = _BEFORE_VALUE
            elif char not in _WS:
                state = _NAME  # an attribute name may start with `=`, `"` or `'`
        elif state == _BEFORE_VALUE:
            if char == ">":
                return index + 1
            if char == '"' or char == "'":
                index = finder.find(char, index + 1)
                if index < 0:
                    return -1
                state = _AFTER_QUOTED
            elif char not in _WS:
                state = _UNQUOTED
        elif state == _AFTER_QUOTED or state == _SELF_CLOSING:
            if char == ">":
                return index + 1
            if state == _AFTER_QUOTED and char == "/":
                state = _SELF_CLOSING
            else:
                state = _BEFORE_NAME
                if char not in _WS:
                    continue  # reconsumed in the state before an attribute name
        index += 1
    return -1


def _markup_end(text: str, index: int, finder: _Finder) -> int:
    """Where browsers end the markup starting with the `<` at `index` (after it), -1 at the end of text."""
    following = text[index + 1:index + 2]
    if following.isascii() and following.isalpha():
        return _tag_end(text, index + 1, finder)
    if following == "/":
        after = text[index + 2:index + 3]
        if after.isascii() and after.isalpha():
            return _tag_end(text, index + 2, finder)
        if after == ">":
            return index + 3
    elif following == "!" and text.startswith("<!--", index):
        if text.startswith(">", index + 4):  # <!--> and <!---> are whole (empty) comments
            return index + 5
        if text.startswith("->", index + 4):
            return index + 6
        ends = [found + len(close) for close in ("-->", "--!>") if (found := finder.find(close, index + 4)) >= 0]
        return min(ends) if ends else -1
    elif following not in ("!", "?"):
        return index + 1
    found = finder.find(">", index + 2)  # bogus comments, doctypes, <![CDATA[ outside SVG, <?...>
    if found >= 0 and text.startswith("<![CDATA[", index):  # inside SVG it ends at ]]> instead: both must agree
        cdata_end = finder.find("]]>", index + 9)
        if cdata_end < 0 or cdata_end + 2 != found:
            return -2
    return found + 1 if found >= 0 else -1


# --- the HTML checker ------------------------------------------------------------------------------------------------


class _Stop(Exception):
    """Nothing after this point can be checked."""


class _Checker(HTMLParser):
    """`html.parser` reading a text, checking each tag and the boundaries of every piece of markup."""

    def __init__(self, text: str, policy: HtmlPolicy, *, svg: bool, depth: int) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.policy = policy
        self.svg = svg
        self.depth = depth
        self.found: list[tuple[int, str, str]] = []
        self.finder = _Finder(text)
        self.lowered: _Finder | None = None
        self.raw_ends: dict[str, tuple[int, int]] = {}
        self.base = 0  # offset of the parser's buffer in the text (it drops what it has read before close())
        self.closing = False
        self.nesting = 0
        self.start = 0  # offset of the markup being parsed
        self.handled = False
        self.expected: tuple[int, int, str] | None = None  # (where the next markup must start, element, tag)
        self.quiet_until = -1
        self.seen: dict[str, list[tuple[str, str]]] = {}  # problems of each start tag as written
        self.plain: dict[str, bool] = {}  # whether each start tag as written is plain (see `_plain_tag`)

    def run(self) -> list[HtmlProblem]:
        nul = self.text.find("\x00")
        if nul >= 0:
            self.add(nul, "html-ambiguous", "a NUL character (U+0000) is not allowed: browsers and pamphlet's "
                                            "checker read the markup around it differently; remove it")
        try:
            self.feed(self.text)
            self.base = len(self.text) - len(self.rawdata)
            self.closing = True
            self.close()
        except _Stop:
            pass
        except Exception as exc:  # noqa: BLE001 - whatever the parser cannot read, fail safe
            self.add(self.start, "html-ambiguous", f"`{_shown(self.text[self.start:self.start + 30])}` cannot be "
                                                   f"read by pamphlet's checker ({type(exc).__name__}); write the "
                                                   "HTML plainly")
        if self.expected is not None:
            self.raw_text_mismatch()
        self.found.sort(key=lambda problem: problem[0])
        offsets = [offset for offset, _, _ in self.found]
        return [HtmlProblem(line, column, code, message)
                for (line, column), (_, code, message) in zip(_locate(self.text, offsets), self.found)]

    def add(self, offset: int, code: str, message: str) -> None:
        self.found.append((offset, code, message))

    # The parser's own methods, wrapped to learn where each piece of markup starts and ends.

    def parse_starttag(self, i: int) -> int:
        if self.nesting:
            return super().parse_starttag(i)
        start = self.begin(i)
        end = super().parse_starttag(i)
        if end < 0:
            return self.incomplete(start, end)
        if start >= self.quiet_until:
            tag = self.text[start:self.base + end]
            plain = self.plain.get(tag)
            if plain is None:
                plain = '"' not in tag and "'" not in tag and tag.find(">") == len(tag) - 1 or _plain_tag(tag)
                if len(self.plain) >= _SEEN_TAGS:
                    self.plain.clear()
                self.plain[tag] = plain
            # Not handled: the parser gave the tag as text. Not plain: follow the tokenizer of browsers.
            if not self.handled or not plain and _markup_end(self.text, start, self.finder) != self.base + end:
                self.ambiguous(start)
        return end

    def parse_endtag(self, i: int) -> int:
        if self.nesting:
            return super().parse_endtag(i)
        start = self.begin(i)
        self.nesting = 1
        end = super().parse_endtag(i)  # on an exception the whole check stops: no need to reset `nesting`
        self.nesting = 0
        if end < 0:
            return self.incomplete(start, end)
        if start >= self.quiet_until:
            last = self.base + end
            name = self.text[start + 2:last - 1]
            if not (name.isascii() and name.isalnum() and self.text[last - 1] == ">") \
                    and _markup_end(self.text, start, self.finder) != last:
                self.ambiguous(start)
        return end

    def parse_comment(self, i: int, *args: Any, **kwargs: Any) -> int:
        return self.markup(i, super().parse_comment, *args, **kwargs)

    def parse_bogus_comment(self, i: int, *args: Any, **kwargs: Any) -> int:
        return self.markup(i, super().parse_bogus_comment, *args, **kwargs)

    def parse_html_declaration(self, i: int) -> int:
        return self.markup(i, super().parse_html_declaration)

    def parse_pi(self, i: int) -> int:
        return self.markup(i, super().parse_pi)

    def parse_marked_section(self, i: int, *args: Any, **kwargs: Any) -> int:
        try:
            return super().parse_marked_section(i, *args, **kwargs)
        except AssertionError:  # `<![foo[`: browsers read a comment up to the next `>`
            return self.parse_bogus_comment(i)

    def markup(self, i: int, parse: Callable[..., int], *args: Any, **kwargs: Any) -> int:
        """Comments, declarations and processing instructions."""
        if self.nesting:
            return parse(i, *args, **kwargs)
        start = self.begin(i)
        self.nesting = 1
        end = parse(i, *args, **kwargs)
        self.nesting = 0
        if end < 0:
            return self.incomplete(start, end)
        if start >= self.quiet_until and _markup_end(self.text, start, self.finder) != self.base + end:
            self.ambiguous(start)
        return end

    def begin(self, i: int) -> int:
        """The offset in the text of markup the parser starts reading at `i` in its buffer."""
        start = self.base + i
        if self.expected is not None:
            if start != self.expected[0]:
                self.raw_text_mismatch()
            self.expected = None
        self.start, self.handled = start, False
        return start

    def incomplete(self, start: int, end: int) -> int:
        if self.closing:
            self.unclosed(start)
            raise _Stop
        return end

    def ambiguous(self, start: int) -> None:
        self.add(start, "html-ambiguous",
                 f"`{_shown(self.text[start:start + 30], 30)}` is read differently by browsers and by pamphlet's "
                 "checker (quotes, `>`, `--` or `]]>` in unusual places), so what follows cannot be checked; write "
                 "the markup plainly")

    def unclosed(self, start: int) -> None:
        shown = _shown(self.text[start:start + 30], 30)
        if self.text.startswith("<!--", start):
            self.add(start, "html-unclosed-comment", "`<!--` is never closed with `-->`: a browser would hide all the "
                                                     "text after it; close the comment")
        elif self.text[start + 1:start + 2] in ("!", "?"):
            self.add(start, "html-unclosed-comment", f"`{shown}` is never closed with `>`: a browser would hide all "
                                                     "the text after it; close it or remove it")
        else:
            self.add(start, "html-unclosed-tag", f"the tag `{shown}` is never closed with `>`: a browser would take "
                                                 "the text after it into the tag; close it (and check its quotes)")

    def raw_text_mismatch(self) -> None:
        assert self.expected is not None
        _, element, tag = self.expected
        self.expected = None
        self.add(element, "html-ambiguous", f"browsers and pamphlet's checker end `<{tag}>` in different places, so "
                                            f"what follows cannot be checked; close it with a plain `</{tag}>`")

    # What the parser reads.

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.element(tag, attrs)

    def handle_decl(self, decl: str) -> None:
        if self.svg and "[" in decl:
            self.add(self.start, "html-doctype-subset", "a `<!DOCTYPE` with an internal subset (`[...]`) is not "
                                                        "allowed: its entities could expand to markup; remove the "
                                                        "`[...]` part")

    def handle_pi(self, data: str) -> None:
        if self.svg and not (data[:3].lower() == "xml" and data[3:4] in ("", "?", *_WS)):
            self.add(self.start, "html-processing-instruction",
                     f"`<?{_shown(data, 30)}>` is not allowed in an SVG file (`<?xml-stylesheet?>` would load a "
                     "stylesheet); remove it")

    def element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handled = True
        start = self.start
        written = self.get_starttag_text() or ""
        known = self.seen.get(written)  # the same tag written again has the same problems
        if known is not None:
            for code, message in known:
                self.add(start, code, message)
        else:
            first = len(self.found)
            self.check_element(start, tag, attrs)
            if len(self.seen) >= _SEEN_TAGS:
                self.seen.clear()
            self.seen[written] = [(code, message) for _, code, message in self.found[first:]]
        if tag in _RAW_TEXT:
            self.raw_text(start, tag)

    def check_element(self, start: int, written: str, attrs: list[tuple[str, str | None]]) -> None:
        name = _local(written)
        tag = _shown(written, 30)  # as shown in messages
        forbidden = False
        if name == "script":
            self.add(start, "html-script", f"`<{tag}>` is not allowed: {_SCRIPTS}")
            forbidden = True
        elif name == "iframe":
            self.iframe(start, tag, attrs)
        elif name == "input" and _disabled_checkbox(attrs):
            pass
        elif name in FORBIDDEN_ELEMENTS:
            self.add(start, "html-element", f"`<{tag}>` is not allowed: {_REASONS[name]}")
            forbidden = True
        animated = ""
        if name in _ANIMATIONS:
            animated = next((_local(v or "").lower() for a, v in attrs if _local(a) == "attributename"), "")
        for attribute, value in attrs:
            self.attribute(start, tag, name, attribute, value, forbidden, animated)

    def attribute(self, start: int, tag: str, name: str, attribute: str, value: str | None, forbidden: bool,
                  animated: str) -> None:
        key = attribute if attribute.isalpha() else _local(attribute)
        if key[:2] == "on":
            self.add(start, "html-event-handler", f"the attribute {_where(attribute, tag)} is not allowed: {_SCRIPTS}")
            return
        if not value:
            return
        animation = name in _ANIMATIONS
        if animation and key == "attributename" and animated.startswith("on"):
            self.add(start, "html-event-handler", f"`<{tag}>` may not animate the event handler `{_shown(animated)}`: "
                                                  f"{_SCRIPTS}")
            return
        items = value.split(";") if animation and key == "values" else _url_items(key, value)
        if ":" in value and any(_squeezed(item).startswith(_SCRIPT_SCHEMES) for item in [value, *items]):
            self.add(start, "html-url-scheme", f"{_where(attribute, tag)} holds a script address "
                                               f"(`{_shown(value, 40)}`), which is not allowed: {_SCRIPTS}")
            return
        if key == "style":
            for _, code, what in sorted(_css_findings(value)):
                self.add(start, code, _css_message(code, what, f"the `style` of `<{tag}>`"))
        elif key == "rel":
            if "attachment" in value.lower().split():
                self.add(start, "html-attachment", f"`rel=\"attachment\"` on `<{tag}>` is not allowed: WeasyPrint "
                                                   "would embed the linked file in the PDF; link to it normally")
        elif key in _URL_ATTRIBUTES:
            if not forbidden:
                resource = key in _RESOURCE_ATTRIBUTES or key == "href" and name not in _LINK_ELEMENTS
                if name == "iframe" and key == "src":
                    resource = False  # the iframe rule decides
                self.addresses(start, tag, name, key, attribute, items, resource)
        elif animation and key in _ANIMATION_VALUES and animated in _URL_ATTRIBUTES:
            self.addresses(start, tag, name, animated, attribute, value.split(";"), resource=True)
        elif "(" in value and key not in _TEXT_ATTRIBUTES and not key.startswith(("aria-", "data-", "xmlns")):
            for _, code, what in sorted(_css_findings(value)):  # SVG presentation attributes: fill="url(...)"
                self.add(start, code, _css_message(code, what, f"the attribute {_where(attribute, tag)}"))

    def addresses(self, start: int, tag: str, name: str, key: str, attribute: str, items: list[str],
                  resource: bool) -> None:
        for item in items:
            squeezed = _squeezed(item)
            if squeezed.startswith("data:"):
                media_type = _media_type(squeezed)
                if (name, key) not in _DATA_IMAGES or media_type not in _DATA_IMAGE_TYPES:
                    self.add(start, "html-data-url",
                             f"{_where(attribute, tag)} is a `data:` address (`{_shown(item, 40)}`), which is not "
                             "allowed: only images in `<img>` may be written inline (`data:image/png`, `image/jpeg`, "
                             "`image/gif`, `image/webp`, `image/svg+xml`)")
                elif media_type == "image/svg+xml":
                    self.inline_svg(start, _where(attribute, tag), item)
            elif resource and _remote(squeezed):
                self.add(start, "html-remote",
                         f"{_where(attribute, tag)} loads `{_shown(item)}` from another site: {_REMOTE_FIX}")

    def inline_svg(self, start: int, where: str, address: str) -> None:
        if self.depth >= _NESTED_SVG_DEPTH:
            self.add(start, "html-data-url", f"the SVG image written inline in {where} holds SVG images nested too "
                                             "deeply; save it as a file in docs/ and link to it")
            return
        svg = _data_url_text(address)
        if svg is None:
            self.add(start, "html-data-url", f"the SVG image written inline in {where} cannot be read (not UTF-8, or "
                                             "broken base64); save it as a file in docs/ and link to it")
            return
        for problem in _Checker(svg, HtmlPolicy(), svg=True, depth=self.depth + 1).run():
            self.add(start, problem.code, f"the SVG image written inline in {where} breaks the policy "
                                          f"(line {problem.line}: {problem.message})")

    def iframe(self, start: int, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hosts = ", ".join(sorted(self.policy.iframe_hosts)) or "none"
        fix = f"list its host under `extra.raw_html.iframe_hosts` in mkdocs.yml (allowed now: {hosts})"
        sources = [value or "" for attribute, value in attrs if _local(attribute) == "src"]
        if any(_local(attribute) == "srcdoc" for attribute, _ in attrs):
            self.add(start, "html-iframe", f"`srcdoc` of `<{tag}>` is not allowed: it would show a page written in "
                                           "the attribute; use `src` with an allowed https:// address")
        if not sources:
            self.add(start, "html-iframe", f"`<{tag}>` without `src` is not allowed: an iframe must show an https:// "
                                           f"address from an allowed host; {fix}")
        for source in sources:
            host = _https_host(source)
            if host is None or host not in self.policy.iframe_hosts:
                self.add(start, "html-iframe", f"`<{tag}>` showing `{_shown(source)}` is not allowed: only https:// "
                                               f"iframes from allowed hosts may be embedded; to allow one, {fix}")

    def raw_text(self, start: int, tag: str) -> None:
        """Content that browsers read as plain text (in HTML) or as markup (in SVG): both readings must agree."""
        text = self.text
        content = start + len(self.get_starttag_text() or "")
        end = len(text) if tag == "plaintext" else self.raw_text_end(tag, content)
        if end < 0:
            end = len(text)
        first, last = content, end
        if tag == "style":  # <![CDATA[ ... ]]> around a style sheet, as SVG files write it
            while first < last and text[first] in _WS:
                first += 1
            while last > first and text[last - 1] in _WS:
                last -= 1
            if text.startswith("<![CDATA[", first) and text.startswith("]]>", last - 3) and last - first >= 12 \
                    and text.find("]]>", first + 9, last - 3) < 0:
                first, last = first + 9, last - 3
            else:
                first, last = content, end
        if text.find("<", first, last) >= 0:
            hint = ("keep only CSS in it (in CSS strings, write `\\3c` for `<`)" if tag == "style" else
                    "pamphlet publishes no scripts, so it has no use" if tag in ("noscript", "script") else
                    "write the text without tags, `<` as `&lt;`")
            self.add(start, "html-raw-text", f"`<{tag}>` contains `<`: browsers read its content as plain text or as "
                                             f"markup depending on where it stands, so it cannot be checked; {hint}")
            self.quiet_until = max(self.quiet_until, end)
        elif end < len(text) and start >= self.quiet_until:
            self.expected = (end, start, tag)
        if tag == "style":
            self.style_sheet(start, text[content:end], content)

    def raw_text_end(self, tag: str, start: int) -> int:
        """Where browsers end the plain-text content of `<tag>`: at `</tag` followed by space, `/` or `>`."""
        last = self.raw_ends.get(tag)
        if last is not None and last[0] <= start and (last[1] < 0 or last[1] >= start):
            return last[1]
        if self.lowered is None:
            self.lowered = _Finder(self.text.translate(_ASCII_LOWER))
        needle = "</" + tag
        found = self.lowered.find(needle, start)
        while found >= 0 and self.lowered.text[found + len(needle):found + len(needle) + 1] not in _END_TAG_FOLLOWERS:
            found = self.lowered.text.find(needle, found + 1)
        self.raw_ends[tag] = (start, found)
        return found

    def style_sheet(self, start: int, css: str, offset: int) -> None:
        findings = _css_findings(css)
        for css_offset, code, what in findings:
            self.add(offset + css_offset, code, _css_message(code, what, "`<style>`"))
        if "&" in css:  # inside SVG (and in SVG files) character references are decoded before the CSS is read
            seen = {(code, what) for _, code, what in findings}
            for _, code, what in _css_findings(unescape(css)):
                if (code, what) not in seen:
                    seen.add((code, what))
                    self.add(start, code, _css_message(code, what, "`<style>` (once its character references are "
                                                                    "decoded)"))


def _disabled_checkbox(attrs: list[tuple[str, str | None]]) -> bool:
    """`<input type="checkbox" disabled>`, as task lists are written: it can neither change nor send anything."""
    types = [(value or "").strip().lower() for attribute, value in attrs if attribute == "type"]
    return bool(types) and all(kind == "checkbox" for kind in types) and any(a == "disabled" for a, _ in attrs)
