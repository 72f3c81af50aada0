"""The raw-HTML policy: what raw HTML, CSS and SVG may contain, with exact positions."""

from __future__ import annotations

import base64

import pytest

from pamphlet.sources.htmlpolicy import (
    FORBIDDEN_ELEMENTS,
    HtmlPolicy,
    HtmlProblem,
    check_css,
    check_html,
    check_svg,
)

VIDEOS = HtmlPolicy(iframe_hosts=frozenset({"www.youtube-nocookie.com"}))
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def found(problems: list[HtmlProblem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.code) for p in problems]


def assert_messages(problems: list[HtmlProblem], mention: str) -> None:
    for problem in problems:
        assert len(problem.message.splitlines()) == 1, problem.message
        assert mention in problem.message, problem.message


# (HTML, expected problems, what every message mentions)
REFUSED = [
    # 1. forbidden elements
    ("<script>alert(1)</script>", [(1, 1, "html-script")], "<script>"),
    ("<SCRIPT src=https://x/y.js></SCRIPT>", [(1, 1, "html-script")], "<script>"),
    ("<ScRiPt>alert(1)</sCrIpT>", [(1, 1, "html-script")], "<script>"),
    ("<svg><script>alert(1)</script></svg>", [(1, 6, "html-script")], "<script>"),
    ("<object data=x.swf></object>", [(1, 1, "html-element")], "<object>"),
    ("<embed src=x.swf>", [(1, 1, "html-element")], "<embed>"),
    ('<base href="https://evil.example/">', [(1, 1, "html-element")], "<base>"),
    ('<meta http-equiv=refresh content="0;url=https://evil.example">', [(1, 1, "html-element")], "<meta>"),
    ("<link rel=stylesheet href=https://x/y.css>", [(1, 1, "html-element")], "<link>"),
    ('<form action="https://x/"><button>Go</button></form>', [(1, 1, "html-element"), (1, 27, "html-element")], "<"),
    ("<frameset><frame src=x.html></frameset>", [(1, 1, "html-element"), (1, 11, "html-element")], "<"),
    ('<input type="text" name="q">', [(1, 1, "html-element")], "<input>"),
    ('<input type="checkbox">', [(1, 1, "html-element")], "<input>"),  # only a disabled checkbox is harmless
    ("<select><option>1</select>", [(1, 1, "html-element")], "<select>"),
    ("<portal src=https://x/></portal>", [(1, 1, "html-element")], "<portal>"),
    # 2. event handlers
    ("<img src=x onerror=alert(1)>", [(1, 1, "html-event-handler")], "onerror"),
    ("<body onload=alert(1)>", [(1, 1, "html-event-handler")], "onload"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>', [(1, 1, "html-event-handler")], "onload"),
    ("<p ONCLICK=x() onMouseOver=y()>", [(1, 1, "html-event-handler"), (1, 1, "html-event-handler")], "<p>"),
    ('<svg><set attributeName="onmouseover" to="alert(1)"/></svg>', [(1, 6, "html-event-handler")], "onmouseover"),
    # 3. script addresses
    ('<a href="javascript:alert(1)">x</a>', [(1, 1, "html-url-scheme")], "href"),
    ('<a href="  JaVa&#x09;Script:alert(1)">x</a>', [(1, 1, "html-url-scheme")], "href"),
    ('<a href="java&#x0A;script:alert(1)">x</a>', [(1, 1, "html-url-scheme")], "href"),
    ('<a href="&#x0e;javascript&colon;alert(1)">x</a>', [(1, 1, "html-url-scheme")], "href"),
    ('<a href="vbscript:msgbox(1)">x</a>', [(1, 1, "html-url-scheme")], "href"),
    ('<svg><animate attributeName="href" values="javascript:alert(1)"/></svg>', [(1, 6, "html-url-scheme")],
     "values"),
    ('<svg><a><animate attributeName="href" values="#a;javascript:alert(1)"/></a></svg>',
     [(1, 9, "html-url-scheme")], "values"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', [(1, 6, "html-url-scheme")],
     "xlink:href"),
    # 4. data: addresses
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', [(1, 1, "html-data-url")], "href"),
    ('<img src="data:text/html,<b>x</b>">', [(1, 1, "html-data-url")], "src"),
    ('<img src="data:,hello">', [(1, 1, "html-data-url")], "src"),
    ('<video src="data:video/mp4;base64,AAAA"></video>', [(1, 1, "html-data-url")], "src"),
    ('<svg><use href="data:image/svg+xml,&lt;svg/&gt;"/></svg>', [(1, 6, "html-data-url")], "href"),
    ('<img src="data:image/svg+xml;base64,' + base64.b64encode(SVG_WITH_SCRIPT).decode() + '">',
     [(1, 1, "html-script")], "<script>"),
    ('<img src="data:image/svg+xml;base64,%%%">', [(1, 1, "html-data-url")], "src"),
    # 5. remote resources
    ('<img src="https://example.org/x.png">', [(1, 1, "html-remote")], "download the file into docs/"),
    ('<img src="//cdn.example/x.png">', [(1, 1, "html-remote")], "src"),
    ('<img src="\\\\cdn.example\\x.png">', [(1, 1, "html-remote")], "src"),
    ('<img src="file:///etc/passwd">', [(1, 1, "html-remote")], "src"),
    ('<img srcset="a.png 1x, https://x/b.png 2x">', [(1, 1, "html-remote")], "srcset"),
    ('<picture><source srcset="https://x/a.webp"><img src="a.png"></picture>', [(1, 10, "html-remote")], "srcset"),
    ('<video poster="https://x/p.jpg" src="v.mp4"></video>', [(1, 1, "html-remote")], "poster"),
    ('<audio src="ftp://x/a.ogg"></audio>', [(1, 1, "html-remote")], "src"),
    ('<svg><image href="https://x/y.png"/></svg>', [(1, 6, "html-remote")], "href"),
    ('<svg><use xlink:href="https://x/sprite.svg#icon"/></svg>', [(1, 6, "html-remote")], "xlink:href"),
    ('<svg><image><animate attributeName="href" values="a.png;https://t/x.png"/></image></svg>',
     [(1, 13, "html-remote")], "values"),
    ('<a href="https://example.org" ping="https://tracker.example/">x</a>', [(1, 1, "html-remote")], "ping"),
    ('<table background="https://x/bg.png">', [(1, 1, "html-remote")], "background"),
    # 6. CSS
    ('<span style="background:url(x.png)">x</span>', [(1, 1, "html-css-url")], "style"),
    ('<span style="background: u\\72 l(x.png)">x</span>', [(1, 1, "html-css-url")], "url(x.png)"),
    ('<span style="background: U\\RL(x.png)">x</span>', [(1, 1, "html-css-url")], "style"),
    ('<span style="background:&#x75;rl(x.png)">x</span>', [(1, 1, "html-css-url")], "style"),
    ('<span style="background-image: image-set(\'a.png\' 1x)">x</span>', [(1, 1, "html-css-url")], "image-set"),
    ('<span style="background: -webkit-image-set(\'a.png\' 1x)">x</span>', [(1, 1, "html-css-url")], "image-set"),
    ('<span style="background: element(#a)">x</span>', [(1, 1, "html-css-url")], "element"),
    ('<span style="list-style-image: attr(data-x url)">x</span>', [(1, 1, "html-css-url")], "attr"),
    ('<span style="width: expression(alert(1))">x</span>', [(1, 1, "html-css-script")], "expression"),
    ('<span style="behavior: url(x.htc)">x</span>', [(1, 1, "html-css-script"), (1, 1, "html-css-url")], "style"),
    ('<span style="-moz-binding: x">x</span>', [(1, 1, "html-css-script")], "-moz-binding"),
    ('<style>@import "x.css";</style>', [(1, 8, "html-css-url")], "@import"),
    ('<style>@\\69mport "x.css";</style>', [(1, 8, "html-css-url")], "@import"),
    ("<style>\n p { color: red }\n body { background: url(https://x) }\n</style>", [(3, 21, "html-css-url")],
     "<style>"),
    ("<div>\n  <style>p { color: red } body { background: url(x.png) }</style>\n</div>",
     [(2, 46, "html-css-url")], "<style>"),
    ('<svg><style>@&#x69;mport "x.css";</style></svg>', [(1, 6, "html-css-url")], "@import"),
    ('<svg><rect fill="url(https://x/p.svg#a)"/></svg>', [(1, 6, "html-css-url")], "fill"),
    # 7. iframes
    ("<iframe src=https://evil.example></iframe>", [(1, 1, "html-iframe")], "extra.raw_html.iframe_hosts"),
    ('<iframe src="http://www.youtube-nocookie.com/embed/x"></iframe>', [(1, 1, "html-iframe")], "<iframe>"),
    ('<iframe src="https://evil.example\\@www.youtube-nocookie.com/"></iframe>', [(1, 1, "html-iframe")],
     "<iframe>"),
    ('<iframe src="https://www.youtube-nocookie.com.evil.example/"></iframe>', [(1, 1, "html-iframe")], "<iframe>"),
    ("<iframe></iframe>", [(1, 1, "html-iframe")], "<iframe>"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/x" srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">'
     "</iframe>", [(1, 1, "html-iframe")], "srcdoc"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/x" onload="alert(1)"></iframe>',
     [(1, 1, "html-event-handler")], "onload"),
    ('<iframe src="javascript:alert(1)"></iframe>', [(1, 1, "html-iframe"), (1, 1, "html-url-scheme")],
     "javascript:alert(1)"),
    # 8. attachments
    ('<a rel="attachment" href="/etc/passwd">p</a>', [(1, 1, "html-attachment")], "attachment"),
    ('<a rel="nofollow Attachment" href="notes.txt">p</a>', [(1, 1, "html-attachment")], "attachment"),
    ("<link rel=attachment href=x.txt>", [(1, 1, "html-element"), (1, 1, "html-attachment")], "<link>"),
    # 9. markup that never ends
    ("<img src=x onerror=alert(1)", [(1, 1, "html-unclosed-tag")], "<img"),
    ('text\n<a href="x">y</a>\n<img src="a.png" alt="A', [(3, 1, "html-unclosed-tag")], "<img"),
    ("a\n<!-- never closed\n<b>", [(2, 1, "html-unclosed-comment")], "<!--"),
]


@pytest.mark.parametrize(("html", "expected", "mention"), REFUSED, ids=[case[0][:60] for case in REFUSED])
def test_refused(html: str, expected: list[tuple[int, int, str]], mention: str) -> None:
    problems = check_html(html, VIDEOS)
    assert found(problems) == expected
    assert_messages(problems, mention)


CLEAN = [
    '<div class="x" markdown>\n\nSome *Markdown*.\n\n</div>',
    "<details><summary>More</summary>\n<p>Hidden</p>\n</details>",
    '<abbr title="Participatory Economics">parecon</abbr>',
    "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
    '<figure><img src="images/a.png" alt="A"><figcaption>A figure</figcaption></figure>',
    '<a href="https://example.org">x</a>',
    '<a href="//example.org/page">x</a>',  # a link, not a resource
    '<a href="mailto:a@b.org">mail</a>',
    '<a href="#top">top</a>',
    '<a href="../faq.md#why" title="it\'s &quot;why&quot;">why</a>',
    '<span style="color: red">red</span>',
    '<p style="color: rgb(1, 2, 3); width: calc(1px + 2px); margin: var(--gap)">x</p>',
    "<br>", "<br/>", "<hr />",
    "<!-- x -->", "<!---->", "<!-- a -- b -->",
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">',
    '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E" alt="">',
    '<iframe src="https://www.youtube-nocookie.com/embed/x" width="560" height="315" allowfullscreen></iframe>',
    '<input type="checkbox" disabled checked>',  # as pymdownx.tasklist writes task lists
    '<label class="task-list-control"><input type="checkbox" disabled/><span></span></label>',
    '<svg viewBox="0 0 24 24"><defs><linearGradient id="g"/></defs><path fill="url(#g)" d="M0 0L1 1"/></svg>',
    '<svg><use href="#icon"/><image href="images/logo.png"/></svg>',
    "<table>\n<tr><td colspan=2 align=center>x</td></tr>\n</table>",
    "<sup id=fnref:1><a href=#fn:1 class=footnote-ref>1</a></sup>",
    "<noscript>Nothing here needs scripts.</noscript>",
    '<video src="media/talk.mp4" poster="media/talk.jpg" controls></video>',
    "<p>a &lt; b &amp;&amp; c &gt; d</p>",
    "<!DOCTYPE html><title>T</title>",
]


@pytest.mark.parametrize("html", CLEAN, ids=[case[:60] for case in CLEAN])
def test_clean(html: str) -> None:
    assert check_html(html, VIDEOS) == []


def test_an_iframe_needs_its_host_in_the_policy() -> None:
    html = '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>'
    assert check_html(html, VIDEOS) == []
    [problem] = check_html(html)
    assert problem.code == "html-iframe"
    assert "extra.raw_html.iframe_hosts" in problem.message and "allowed now: none" in problem.message


def test_positions_are_1_based_lines_and_columns() -> None:
    html = "<p>\nSome <em>text</em>\n  and <img src=x onerror=alert(1)> more\n</p>"
    assert found(check_html(html)) == [(3, 7, "html-event-handler")]


def test_every_problem_is_reported_in_document_order() -> None:
    html = ('<p style="background:url(a.png)">\n<script>x</script> <a href="javascript:x">y</a>\n'
            '<img src="https://x/y.png" onerror="z">')
    assert found(check_html(html)) == [
        (1, 1, "html-css-url"), (2, 1, "html-script"), (2, 20, "html-url-scheme"),
        (3, 1, "html-remote"), (3, 1, "html-event-handler")]  # in the order of the attributes


def test_the_same_tag_written_twice_is_reported_twice() -> None:
    html = "<img src=x onerror=a>\n<img src=x onerror=a>"
    assert found(check_html(html)) == [(1, 1, "html-event-handler"), (2, 1, "html-event-handler")]


def test_an_end_tag_alone_is_not_reported() -> None:
    assert check_html("</script>") == []
    assert check_html("</iframe></form>") == []


def test_forbidden_elements() -> None:
    assert {"script", "iframe", "object", "embed", "base", "meta", "link", "form", "input"} <= FORBIDDEN_ELEMENTS


# Where the standard parser and browsers may read the same text differently, the checker refuses it.
AMBIGUOUS = [
    ("<!--> <img src=x onerror=alert(1)> -->", "html-ambiguous"),
    ("<!---> <img src=x onerror=alert(1)> -->", "html-ambiguous"),
    ("<!-- a --!> <img src=x onerror=alert(1)> -->", "html-ambiguous"),
    ("<![CDATA[ > <img src=x onerror=alert(1)> ]]>", "html-ambiguous"),
    ("<style></style x><img src=x onerror=alert(1)></style>", "html-ambiguous"),
    ('</a title="><img src=x onerror=alert(1)>">', "html-ambiguous"),
    ("<p>a\x00b</p>", "html-ambiguous"),
    ("<svg><style><img src=x onerror=alert(1)></style></svg>", "html-raw-text"),
    ('<svg><p><style><img src="</style><img src=x onerror=alert(1)//">', "html-raw-text"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "html-raw-text"),
    ('<title><a title="</title><img src=x onerror=alert(1)>"></title>', "html-raw-text"),
    ('<xmp><a title="</xmp><img src=x onerror=alert(1)>"></xmp>', "html-raw-text"),
    ('<style/><a title="</style><img src=x onerror=alert(1)>">', "html-raw-text"),
    ('<iframe src="https://www.youtube-nocookie.com/embed/x"><a title="</iframe><img src=x onerror=alert(1)>">'
     "</iframe>", "html-raw-text"),
]


@pytest.mark.parametrize(("html", "code"), AMBIGUOUS, ids=[case[0][:60] for case in AMBIGUOUS])
def test_fail_safe_where_parsers_may_disagree(html: str, code: str) -> None:
    problems = check_html(html, VIDEOS)
    assert code in [p.code for p in problems]
    assert_messages(problems, "")


# Each of these hides an event handler from one reading or the other; a browser's parser (WeasyPrint's
# tinyhtml5, which follows the HTML standard) finds it, so the checker must refuse the text.
HIDDEN = [
    "<!--> <img src=x onerror=alert(1)> -->",
    "<!-- a --!> <img src=x onerror=alert(1)> -->",
    "<![CDATA[ > <img src=x onerror=alert(1)> ]]>",
    "<style></style x><img src=x onerror=alert(1)></style>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<svg><p><style><img src="</style><img src=x onerror=alert(1)//">',
    '<title><a title="</title><img src=x onerror=alert(1)>"></title>',
    '<style/><a title="</style><img src=x onerror=alert(1)>">',
    "<svg><![CDATA[ ]]> <img src=x onerror=alert(1)> ]]></svg>",
    "<math><style><img src=x onerror=alert(1)></style></math>",
    "<svg><title><img src=x onerror=alert(1)></title></svg>",
    "<![foo[ x ]]><img src=x onerror=alert(1)>",
    '<img src="x"onerror=alert(1)>',
    "<textarea></textarea ><img src=x onerror=alert(1)>",
    '<!DOCTYPE html PUBLIC "a>b"><img src=x onerror=alert(1)>',
    "<img src=`x` onerror=alert(1)>",
]


@pytest.mark.parametrize("html", HIDDEN, ids=[case[:60] for case in HIDDEN])
def test_what_a_browser_would_run_is_refused(html: str) -> None:
    tinyhtml5 = pytest.importorskip("tinyhtml5")
    handlers = [name for element in tinyhtml5.parse(html).iter() if isinstance(element.tag, str)
                for name in element.attrib if name.lower().startswith("on")]
    assert handlers  # the case is meaningful: a browser does see an event handler
    assert check_html(html, VIDEOS) != []


def test_check_css_positions_are_offset() -> None:
    css = "p { color: red }\nbody { background: url(https://x/y.png) }\n@import 'z.css';"
    assert found(check_css(css)) == [(2, 20, "html-css-url"), (3, 1, "html-css-url")]
    assert found(check_css(css, line=10, column=5)) == [(11, 20, "html-css-url"), (12, 1, "html-css-url")]
    assert found(check_css("a: url(x)", line=4, column=9)) == [(4, 12, "html-css-url")]
    assert check_css("p { color: red; fill: url(#g) }") == []
    assert_messages(check_css(css), "in this CSS")


LOGO = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="64" height="64" viewBox="0 0 64 64"
     inkscape:export-filename="/home/me/logo.png">
  <title>Logo</title>
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#c00"/><stop offset="1" stop-color="#f60"/></linearGradient>
    <style type="text/css"><![CDATA[
      .ring { fill: url(#g); stroke: #000 }
    ]]></style>
  </defs>
  <circle class="ring" cx="32" cy="32" r="30" fill="url(#g)" transform="rotate(45 32 32)"/>
  <use xlink:href="#g"/>
  <image width="8" height="8" xlink:href="data:image/png;base64,iVBORw0KGgo="/>
  <text x="4" y="60" font-family="sans-serif">P &amp; S</text>
</svg>
"""


def test_a_clean_svg_logo_passes() -> None:
    assert check_svg(LOGO) == []


@pytest.mark.parametrize(("svg", "expected"), [
    (LOGO.replace("<title>", "<script>alert(1)</script><title>"), [(7, 3, "html-script")]),
    (LOGO.replace('width="64"', 'onload="alert(1)" width="64"'), [(4, 1, "html-event-handler")]),
    ('<svg xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>', [(1, 45, "html-script")]),
    ('<svg><style><script>alert(1)</script></style></svg>', [(1, 6, "html-raw-text")]),
    ('<svg><style><![CDATA[ a { background: url(https://x/y.png) } ]]></style></svg>', [(1, 39, "html-css-url")]),
    ('<!DOCTYPE svg [<!ENTITY x "&#60;script&#62;alert(1)&#60;/script&#62;">]>\n<svg>&x;</svg>',
     [(1, 1, "html-doctype-subset")]),
    ('<?xml-stylesheet type="text/css" href="https://x/y.css"?>\n<svg/>', [(1, 1, "html-processing-instruction")]),
    ('<svg xml:base="https://evil.example/"><image href="a.png"/></svg>', [(1, 1, "html-remote")]),
    ('<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', [(1, 6, "html-url-scheme")]),
], ids=["script", "onload", "namespaced-script", "markup-in-style", "css-url", "entities", "stylesheet-pi",
        "xml-base", "script-link"])
def test_svg_problems(svg: str, expected: list[tuple[int, int, str]]) -> None:
    problems = check_svg(svg)
    assert found(problems) == expected
    assert_messages(problems, "")


def test_two_megabytes_of_clean_inline_html() -> None:
    unit = ('<p class="lead">Some <em>text</em> with <a href="https://example.org/{0}" title="Link {0}">a link</a>, '
            '<span style="color: red; width: {0}px">red</span>, <img src="images/{0}.png" alt="A {0}">'
            "<abbr title=\"Participatory Economics\">parecon</abbr> &amp; <kbd>Ctrl</kbd><!-- note --><br/></p>\n")
    text = "".join(unit.format(number) for number in range(2_000_000 // len(unit)))
    assert len(text) > 1_900_000
    assert check_html(text) == []
