"""Generated pages show user text literally.

A copy of the tiny fixture project gets contested reasons, titles, ally fields, schedule and
meeting-notes fields and people's names full of Markdown and HTML syntax; after a real build, every
generated page must show each of them as written (the text of an element equals the input, and no
element was made from it), and so must the printed booklet. The `md` filter itself is checked
against Python-Markdown with the project's extensions (and with a wider set), by example and as a
property over any text; the other filters and the rule "every printed value has a filter" too.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import urllib.parse
from pathlib import Path

import jinja2
import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pamphlet.build import BuildResult, build
from pamphlet.model import load
from pamphlet.pages.templating import code, environment, escape_markdown, html, md, url
from pamphlet.project import Project
from pamphlet.render import make_markdown
from pamphlet.sources.analysis import HEADING_ATTRS, analyse
from pamphlet.sources.files import MarkdownSource, Yaml

from pdfutil import normalize, page_texts

TINY = Path(__file__).resolve().parent / "fixtures" / "projects" / "tiny"
TODAY = dt.date(2026, 2, 1)  # before the tiny project's next open meeting

# Each value mixes Markdown and HTML syntax; those that a template puts at the start of a line
# start with block syntax (`1. `, `!!! `, `#`).
REASON = "Rota *or* choice? <b>bold</b> &amp; `code` | #1 [@ostrom:1990commons] {#id} _a_ [x](https://example.org)"
PAGE_REASON = "1. !!! note *bold* [x](https://example.org/y) <b>b</b> &amp; | # {#id} _a_ [@albert:2003parecon]"
CHAPTER_HEADING = r"Shared \*Gardens\* &lt;i&gt;it&lt;/i&gt; &amp; \[co\](op) | \#1 \_a\_"  # Markdown, in the chapter
CHAPTER_TITLE = "Shared *Gardens* <i>it</i> & [co](op) | #1 _a_"  # ...and the plain text it shows
ALLY = {"name": "1. <b>Allies</b> & *friends* | [x](y) {#id} #", "url": "https://example.org/a_b?x=1&y=<2>",
        "works_on": "`code` _a_ [@ostrom:1990commons] !!! note &amp; <i>it</i>", "tags": ["<i>t</i>", "a|b", "*c*"]}
MEETING_TITLE = "!!! note *Open* <b>meeting</b> | #1 [x](y) _a_"
PLACE = "# Riverside | Library & <i>co</i> [@key]"
ROOM = "[Room](1) *one*"
LOCATION = f"{PLACE}, {ROOM}"
SCHEDULE_NOTES = "!!! note _a_ {#id} <b>step-free</b> &amp;"
NOTES_TITLE = "1. Notes *of* <b>February</b> | [x](y) {#id} #"
PERSON = "Ada <b>Lind</b> | [x] _a_ #1 &amp;"
TASK = "draw *the* rota <b>now</b> & `code`"  # Markdown by nature: rendered as on the notes page
BIB_TITLE = "Governing the *Commons* <b>now</b> & [x](y) _a_ | #1"
HOSTILE = [REASON, PAGE_REASON, CHAPTER_TITLE, ALLY["name"], ALLY["works_on"], MEETING_TITLE, LOCATION,
           SCHEDULE_NOTES, NOTES_TITLE, PERSON]
# Links, ids and classes that the syntax in those values would make if it were read as Markdown
MADE_HREFS = {"y", "op", "1", "https://example.org", "https://example.org/y"}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update this test's setup"
    path.write_text(text.replace(old, new), encoding="utf-8")


def hostile_project(root: Path) -> Path:
    """The tiny project, with the values above in every field a generated page shows."""
    shutil.copytree(TINY, root, ignore=shutil.ignore_patterns("site", "site-members", ".pamphlet-*"))
    gardens = root / "booklet" / "gardens.md"
    replace(gardens, "# Shared Gardens", f"# {CHAPTER_HEADING}")
    replace(gardens, '!!! contested "Should watering be a rota or a free choice?"', f'!!! contested "{REASON}"')
    (root / "docs" / "about.md").write_text(
        "---\n" + yaml.safe_dump({"contested": {"reason": PAGE_REASON}}) + "---\n# About us\n\nWe are a circle.\n",
        encoding="utf-8")
    (root / "data" / "allies.yml").write_text(yaml.safe_dump({"allies": [ALLY]}), encoding="utf-8")
    schedule_file = root / "data" / "meetings.yml"
    schedule = yaml.safe_load(schedule_file.read_text(encoding="utf-8"))
    schedule["meetings"][0].update(title=MEETING_TITLE, place=PLACE, room=ROOM, notes=SCHEDULE_NOTES)
    schedule_file.write_text(yaml.safe_dump(schedule), encoding="utf-8")
    notes = root / "docs" / "meetings" / "2026-02-03.md"
    _, front, body = notes.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(front)
    assert meta["facilitator"] in meta["attendees"]
    meta["attendees"] = [PERSON if name == meta["facilitator"] else name for name in meta["attendees"]]
    meta.update(title=NOTES_TITLE, facilitator=PERSON)
    assert "## Action items\n" in body
    body = body.replace("## Action items\n", f"## Action items\n- [ ] **{PERSON}**: {TASK}\n")
    notes.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")
    replace(root / "refs.bib", "{Governing the Commons: The Evolution of Institutions for Collective Action}",
            "{" + BIB_TITLE.replace("&", r"\&") + "}")
    return root


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = hostile_project(tmp_path_factory.mktemp("hostile") / "tiny")
    return build(root, quiet=True, today=TODAY)


def article(result: BuildResult, page: str):
    soup = BeautifulSoup((result.site_dir / page / "index.html").read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("article.md-content__inner")
    assert found is not None, page
    for anchor in found.select("a.headerlink"):
        anchor.decompose()
    return found


def folded(text: str) -> str:
    return " ".join(text.split())


def whole(container, value: str, tag: str | None = None) -> list:
    """Elements whose whole text is `value` and that hold no element: nothing was made of it."""
    return [e for e in container.find_all(tag or True) if folded(e.get_text()) == folded(value) and not e.find(True)]


def assert_shown(container, value: str, tag: str | None = None) -> None:
    assert whole(container, value, tag), f"no <{tag or 'element'}> shows {value!r} literally in:\n{container}"


GENERATED = ["booklet", "open-questions", "feedback", "feedback/about", "feedback/gardens-watering", "meetings",
             "meetings/actions", "meetings/roles", "allies", "print", "works-cited"]


@pytest.mark.parametrize("page", GENERATED)
def test_no_markup_is_made_from_user_text(hostile: BuildResult, page: str) -> None:
    body = article(hostile, page)
    hrefs = {a.get("href") for a in body.find_all("a")}
    assert not hrefs & MADE_HREFS, f"links made from user text on {page}: {hrefs & MADE_HREFS}"
    assert body.select(".citation") == [], f"a citation was made from user text on {page}"
    assert body.select("#id") == [], f"an attribute list was read in user text on {page}"
    if page != "meetings/actions":  # where the tasks are Markdown, <b> included
        assert body.find_all(["b", "i"]) == [], f"raw HTML from user text reached {page}"
    admonitions = body.select(".admonition")
    assert len(admonitions) == (1 if page == "meetings" else 0), f"an admonition was made on {page}"
    assert "\\" not in body.get_text() and "&#" not in body.get_text(), f"an escape shows on {page}"


def test_open_questions(hostile: BuildResult) -> None:
    body = article(hostile, "open-questions")
    assert_shown(body, CHAPTER_TITLE, "h2")
    assert_shown(body, REASON, "strong")
    assert_shown(body, PAGE_REASON, "strong")
    items = body.find_all("li")
    assert [folded(li.strong.get_text()) for li in items] == [folded(REASON), folded(PAGE_REASON)]
    assert all(li.find("a", string="Give feedback") for li in items)


def test_feedback_pages(hostile: BuildResult) -> None:
    index = article(hostile, "feedback")
    assert_shown(index, REASON, "a")
    assert_shown(index, PAGE_REASON, "a")
    assert f"({folded(CHAPTER_TITLE)})" in folded(index.get_text())
    passage = article(hostile, "feedback/gardens-watering")
    assert_shown(passage, REASON, "h1")
    assert_shown(passage, CHAPTER_TITLE, "em")
    page = article(hostile, "feedback/about")
    assert_shown(page, PAGE_REASON, "h1")
    assert_shown(page, "About us", "em")


def test_booklet_overview_and_print_page(hostile: BuildResult) -> None:
    overview = article(hostile, "booklet")
    assert_shown(overview, CHAPTER_TITLE, "a")
    printing = article(hostile, "print")
    title = f"Chapter 1: {CHAPTER_TITLE}"
    assert_shown(printing, title, "a")
    assert f"First page of {title}" in [img.get("alt") for img in printing.find_all("img")]


def test_allies(hostile: BuildResult) -> None:
    body = article(hostile, "allies")
    assert_shown(body, ALLY["name"], "h2")
    assert_shown(body, f"({', '.join(ALLY['tags'])})", "em")
    paragraph = body.find("em").parent
    assert folded(paragraph.get_text()) == folded(f"{ALLY['works_on']} ({', '.join(ALLY['tags'])})")
    link = whole(body, ALLY["url"], "a")
    assert link, body
    assert link[0]["href"] == ALLY["url"].replace("<", "%3C").replace(">", "%3E")
    assert urllib.parse.unquote(link[0]["href"]) == ALLY["url"]


def test_roles_table_keeps_its_columns(hostile: BuildResult) -> None:
    body = article(hostile, "meetings/roles")
    rows = body.select("tbody tr")
    assert rows and all(len(row.find_all("td")) == 4 for row in rows)
    assert_shown(rows[0], PERSON, "td")


def test_action_items(hostile: BuildResult) -> None:
    body = article(hostile, "meetings/actions")
    assert_shown(body, PERSON, "h2")  # a name: plain text
    item = body.find("h2", string=lambda s: s and "Lind" in s).find_next("li")
    assert_shown(item, NOTES_TITLE, "a")
    # the task is Markdown, as in the notes: rendered the same way there and here
    notes = article(hostile, "meetings/2026-02-03")
    listed = next(li for li in notes.find_all("li") if "rota" in li.get_text() and li.find("b"))
    for tag, text in (("em", "the"), ("b", "now"), ("code", "code")):
        assert item.find(tag, string=text) is not None, item
        assert listed.find(tag, string=text) is not None, listed


def test_meetings_page(hostile: BuildResult) -> None:
    body = article(hostile, "meetings")
    assert_shown(body, MEETING_TITLE, "h3")  # Regular meetings
    assert_shown(body, SCHEDULE_NOTES, "p")
    assert_shown(body, NOTES_TITLE, "a")  # notes of past meetings
    coming = body.find("h2", string="Coming up").find_next("ul").find_all("li")
    assert coming
    assert all(folded(f", {MEETING_TITLE}. {LOCATION}.") in folded(li.get_text()) for li in coming)
    assert [folded(s.get_text()) for li in coming for s in li.find_all(True)] == [
        folded(li.strong.get_text()) for li in coming]  # only the template's <strong> around the date
    info = body.select_one(".admonition.info")
    assert folded(f", {MEETING_TITLE}, {LOCATION}.") in folded(info.get_text())
    regular = whole(body, MEETING_TITLE, "h3")[0].find_next("p")  # "Every Wednesday...<br>LOCATION."
    assert [e.name for e in regular.find_all(True)] == ["br"]
    assert folded(regular.get_text()).endswith(f". {folded(LOCATION)}.")


def test_works_cited_page(hostile: BuildResult) -> None:
    body = article(hostile, "works-cited")
    entry = body.select_one("li#ref-ostrom\\:1990commons")
    assert entry is not None
    assert_shown(entry, BIB_TITLE, "em")
    assert_shown(entry, CHAPTER_TITLE, "a")  # the back-reference to the citing chapter


def test_print_shows_the_same_text(hostile: BuildResult) -> None:
    def bare(text: str) -> str:  # where lines break in the PDF, text extraction adds or drops spaces
        return re.sub(r"\s+", "", text)

    text = normalize("\n".join(page_texts(hostile.site_dir / "downloads" / "booklet.pdf")))
    questions = text[text.index("Open questions in this edition"):text.index("CHAPTER 1")]
    assert bare(f"1. {REASON} ({CHAPTER_TITLE})") in bare(questions)
    assert bare(f"CHAPTER 1 {CHAPTER_TITLE} Why a garden") in bare(text)
    works_cited = text[text.rindex("Works Cited"):]
    assert bare(BIB_TITLE) in bare(works_cited)


# --- the filters ------------------------------------------------------------------------------

# (template, the element holding the value, its expected text, the tags the template makes in it)
CONTEXTS = [
    ("{}", "p", "{}", []),
    ("- {}", "li", "{}", []),
    ("## {}", "h2", "{}", []),
    ("# {}", "h1", "{}", []),
    ("**{}**", "strong", "{}", []),
    ("*({})*", "em", "({})", []),
    ("[{}](x.md)", "a", "{}", []),
    ("1. {}", "li", "{}", []),
    ("| a | b |\n| --- | --- |\n| {} | x |", "tbody td:nth-of-type(1)", "{}", []),
    ('!!! note "Title"\n    {}', "div.admonition > p:not(.admonition-title)", "{}", []),
    ("x.  \n{}.", "p", "x. {}.", ["br"]),
    ("{} and {}", "p", "{} and {}", []),
    ("Text\n{}", "p", "Text {}", []),
]
CONTEXT_IDS = [c[0].split("\n")[0] for c in CONTEXTS]


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("filters") / "tiny"
    shutil.copytree(TINY, root)
    return Project.load(root)


WIDE = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
        "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist", "pymdownx.tilde", "pymdownx.caret",
        "pymdownx.mark", "pymdownx.keys", "pymdownx.betterem", "pamphlet.markdown.contested"]


@pytest.fixture(scope="module")
def converters(tiny_project: Project) -> dict[str, markdown.Markdown]:
    """The tiny project's own Markdown (citations included), and a wider set of extensions."""
    bib = str(tiny_project.root / "refs.bib")
    wide = markdown.Markdown(extensions=[*WIDE, "pamphlet.markdown.citations"],
                             extension_configs={"pamphlet.markdown.citations": {"bibliography": [bib]}})
    smart = markdown.Markdown(extensions=[*WIDE, "smarty", "pamphlet.markdown.citations"],
                              extension_configs={"pamphlet.markdown.citations": {"bibliography": [bib]}})
    return {"project": make_markdown(tiny_project), "wide": wide, "smarty": smart}


def rendered(converter: markdown.Markdown, template: str, value: str, where: str) -> tuple[str, list[str]]:
    """The text of the element holding the escaped value, and the tags inside it."""
    converter.reset()
    out = converter.convert(template.replace("{}", escape_markdown(value)))
    soup = BeautifulSoup(out, "html.parser")
    for anchor in soup.select("a.headerlink"):
        anchor.decompose()
    holders = soup.select(where)
    assert len(holders) == 1, f"{template!r} with {value!r} gave {out}"
    return folded(holders[0].get_text()), [e.name for e in holders[0].find_all(True)]


EXAMPLES = [
    "*bold*", "**strong**", "_a_", "__b__", "[x](y)", "[x][y]", "![alt](img.png)", "<b>bold</b>", "&amp;", "&copy;",
    "`code`", "``a`b``", "a | b", "# heading", "C#", "ends with #", "[@ostrom:1990commons]", "@albert:2003parecon",
    "{#id}", "Title {: .class}", "!!! note", "??? details", "1. one", "12) twelve", "2", "- item", "+ item",
    "* item", "---", "***", "___", "===", "> quote", ": definition", "[^1]", "*[HTML]: Hyper", "[TOC]",
    "~~del~~", "~sub~", "^sup^", "==mark==", "++ctrl+alt++", "<https://example.org>", "a@b.org", "\\*x",
    "trailing \\", "line one\nline two", "line\n# heading", "a  \nb", "    indented", "\tTabbed", "<!-- c -->",
    "&#64;", "a <= b && c > d", "[ ] task", "[x] done", "Shared *Gardens* <i>it</i> & [co](op) | #1 _a_",
    "/// note", "%}{{ x }}", "\u00a0nbsp\u00a0", "x\u00a0*", "*",
]


@pytest.mark.parametrize("value", EXAMPLES)
@pytest.mark.parametrize("template,where,expect,made", CONTEXTS, ids=CONTEXT_IDS)
def test_md_shows_text_literally(converters, template: str, where: str, expect: str, made: list, value: str) -> None:
    for name in ("project", "wide"):
        text, tags = rendered(converters[name], template, value, where)
        assert text == folded(expect.replace("{}", folded(value))), name
        assert tags == made, f"{name}: {value!r} made {tags} in {template!r}"


SMART = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u2026": "...", "\u00ab": "<<", "\u00bb": ">>"})


def unsmart(text: str) -> str:
    """smarty's typography undone (curly quotes, dashes, ellipses): it changes no markup."""
    return re.sub(r"-+", "-", text.translate(SMART).replace("&laquo;", "<<").replace("&raquo;", ">>"))


# any text, with the characters that mean something in Markdown much more often than chance
SYNTAX = list("\\`*_{}[]()#+-.!|<>~^=:@&;\"'/?$% \n\t0123456789") + [
    "&amp;", "&#64;", "[@ostrom:1990commons]", "{#id}", "!!!", "???", "1. ", "---", "<b>", "</b>", "\r\n", "  \n",
    "[^1]", "*[HTML]: x", "[TOC]", "](", "``", "\u00a0",
]
TEXT = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(st.characters(blacklist_categories=("Cs",)), max_size=3)),
                max_size=14).map("".join)


def _printable(value: str) -> bool:
    # Python-Markdown deletes STX/ETX (its own placeholders) and renders other control characters as
    # they are; BeautifulSoup drops some of them: compare only what a reader can see.
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value)


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=TEXT)
def test_md_shows_any_text_literally(converters, value: str) -> None:
    assume(_printable(value) and folded(value))
    for template, where, expect, made in CONTEXTS:
        for name in ("project", "wide", "smarty"):
            text, tags = rendered(converters[name], template, value, where)
            want = folded(expect.replace("{}", folded(value)))
            if name == "smarty":
                text, want = unsmart(text), unsmart(want)
            assert text == want, (name, template)
            assert tags == made, (name, template, tags)


@settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=TEXT)
def test_check_reads_escaped_titles_as_written(value: str) -> None:
    """`check` (markdown-it) reads a generated page's title and anchors: it must see the same text."""
    text = folded(value)
    assume(_printable(value) and text and not HEADING_ATTRS.match(text))
    body = f"# {escape_markdown(value)}\n"
    analysis = analyse(MarkdownSource(Path("x.md"), body, Yaml({}, Path("x.md")), body, 1))
    assert analysis.title is not None and folded(analysis.title) == text


def test_md_output_for_ordinary_text_is_unchanged() -> None:
    """Ordinary titles, names, places and sentences stay as they are (the pages' Markdown does not churn)."""
    for value in ("Open meeting", "Riverside Library, Room 1", "Members' meeting (members only)",
                  "Should watering be a rota or a free choice?", "Every Wednesday, 6:30–8:00 pm.", "CC BY-SA 4.0",
                  "Decatur Library, 215 Sycamore St, Decatur, GA 30030", "https://example.org/a?b=1",
                  "Wednesday, February 4, 2026, 6:30–8:00 pm", "Half letter (5.5 × 8.5 in)", "R. K."):
        assert escape_markdown(value) == value


def test_every_printed_value_needs_a_filter() -> None:
    env = environment()
    with pytest.raises(TypeError, match="without saying what it is"):
        env.from_string("# {{ title }}").render(title="Hello")
    with pytest.raises(TypeError, match="already escaped"):
        env.from_string("{{ title | md | md }}").render(title="*x*")
    with pytest.raises(TypeError, match="not text"):
        env.from_string("{{ title | md }}").render(title=None)
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing | md }}").render()
    assert env.from_string("{{ n }}. {{ t | md }}").render(n=2, t="*x*") == "2. \\*x\\*" == f"2. {md('*x*')}"


def test_url_code_and_html_filters() -> None:
    address = "https://example.org/a b?x=<1>&y=`2`\\"
    out = markdown.markdown(f"[t](<{url(address)}>)")
    link = BeautifulSoup(out, "html.parser").a
    assert link is not None and urllib.parse.unquote(link["href"]) == address
    assert url("../meetings.ics") == "../meetings.ics"
    for name in ("welcome.pdf", "a`b.pdf", "`start", "end``"):
        holder = BeautifulSoup(markdown.markdown(f"File: {code(name)}"), "html.parser").code
        assert holder is not None and holder.get_text() == name
    quote = "it's"
    attribute = BeautifulSoup(f"<img alt=\"{html(CHAPTER_TITLE)}\" title='{html(quote)}'>", "html.parser").img
    assert attribute["alt"] == CHAPTER_TITLE and attribute["title"] == "it's"


def test_md_in_a_real_template_page(tmp_path: Path) -> None:
    """The allies page's Markdown, as `load` makes it, reads back as the input (the model stage alone)."""
    root = tmp_path / "tiny"
    shutil.copytree(TINY, root)
    (root / "data" / "allies.yml").write_text(yaml.safe_dump({"allies": [ALLY]}), encoding="utf-8")
    content = load(root, TODAY)
    page = content.pages["allies.md"]
    assert page.generated_text is not None and page.path == root / "data" / "allies.yml"
    assert [h.text for h in page.analysis.headings] == ["Allies", ALLY["name"]]
    converter = make_markdown(content.project)
    soup = BeautifulSoup(converter.convert(page.generated_text), "html.parser")
    assert [folded(h.get_text().replace("¶", "")) for h in soup.find_all("h2")] == [folded(ALLY["name"])]
    assert soup.find_all("h2")[0]["id"] == page.analysis.headings[1].slug  # check's anchors are the site's
