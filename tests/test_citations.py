"""Citation syntax, the Python-Markdown extension, and `find_citations`/`check_citations`.

Rendering tests are fixture files (tests/fixtures/citations/*.md) of Markdown -> expected HTML,
in markdown-it's fixture format, as in mdit-py-plugins.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from markdown_it.utils import read_fixture_file

from pamphlet.bibliography import Citer, load_bibliography
from pamphlet.bibliography.syntax import (
    Citation,
    CiteItem,
    check_citations,
    citation_parser,
    find_citations,
    iter_citations,
    locate_citations,
    match_citation,
    strict_for_paths,
)
from pamphlet.errors import SourceError, SourceErrors
from pamphlet.markdown.citations import CitationOccurrence, CitationsExtension, current_page
from pamphlet.sources.analysis import parser as analysis_parser
from pamphlet.sources.files import read_markdown

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
BIB = str(FIXTURES / "refs.bib")
EXTENSION = "pamphlet.markdown.citations"
# mkdocs.yml's extensions, plus `tables` that MkDocs always adds
SITE_EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "smarty", "tables",
                   "pymdownx.details", "pymdownx.superfences"]


pytestmark = pytest.mark.usefixtures("no_unexpected_logs")


def make_md(extra: list | None = None, **config) -> markdown.Markdown:
    config.setdefault("bibliography", [BIB])
    return markdown.Markdown(extensions=[*SITE_EXTENSIONS, *(extra or []), EXTENSION],
                             extension_configs={EXTENSION: config})


def cases(name: str) -> list:
    return [pytest.param(text, expected, id=f"{name}:{line}:{title}")
            for line, title, text, expected in read_fixture_file(FIXTURES / name)]


# --- fixtures: Markdown -> HTML -----------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), cases("syntax.md"))
def test_syntax(text: str, expected: str) -> None:
    assert make_md(references=False).convert(text) + "\n" == expected


@pytest.mark.parametrize(("text", "expected"), cases("references.md"))
def test_references(text: str, expected: str) -> None:
    assert make_md(["toc"]).convert(text) + "\n" == expected


@pytest.mark.parametrize(("text", "expected"), cases("numeric.md"))
def test_numeric(text: str, expected: str) -> None:
    assert make_md(style="numeric").convert(text) + "\n" == expected


@pytest.mark.parametrize(("text", "expected"), cases("alpha.md"))
def test_alpha(text: str, expected: str) -> None:
    assert make_md(style="alpha").convert(text) + "\n" == expected


@pytest.mark.parametrize(("text", "expected"), cases("lenient.md"))
def test_lenient(text: str, expected: str, caplog: pytest.LogCaptureFixture) -> None:
    assert make_md(strict=False).convert(text) + "\n" == expected
    messages = [r.getMessage() for r in caplog.records if r.name == "pamphlet.citations"]
    assert len(messages) == expected.count("missing source: ")
    assert all(m.startswith("unknown citation key `") for m in messages)
    caplog.clear()


# --- the extension -----------------------------------------------------------------------------


def test_unknown_key_in_strict_mode_names_file_line_and_suggestion() -> None:
    text = "# Economy\n\nCouncils [@hooks:2000everybody; see @albert:2003parcon, p. 3].\n"
    with current_page("booklet/economy.md", file=Path("booklet/economy.md"), first_line=3):
        with pytest.raises(SourceError) as info:
            make_md().convert(text)
    e = info.value
    assert (e.file, e.line, e.column, e.message) == (
        Path("booklet/economy.md"), 5, 37,
        "unknown citation key `albert:2003parcon`; did you mean `albert:2003parecon`?")


def test_several_unknown_keys_are_reported_together() -> None:
    text = "A [@nobody:1999].\n\n```\n[@nobody:1999]\n```\n\nB @nobody:1999 and @hooks:2000everyboddy.\n"
    with current_page("x.md", file=Path("x.md")):
        with pytest.raises(SourceErrors) as info:
            make_md().convert(text)
    assert [str(e) for e in info.value.errors] == [
        "x.md:1:4: unknown citation key `nobody:1999`",
        "x.md:7:3: unknown citation key `nobody:1999`",
        "x.md:7:20: unknown citation key `hooks:2000everyboddy`; did you mean `hooks:2000everybody`?",
    ]


def test_unknown_key_without_a_page() -> None:
    with pytest.raises(SourceError) as info:
        make_md().convert("Text [@nobody:1999].")
    assert (info.value.file, info.value.line, str(info.value)) == (None, None, "unknown citation key `nobody:1999`")


def test_lenient_paths_warn_with_location(caplog: pytest.LogCaptureFixture) -> None:
    md = make_md(lenient_paths=["drafts/"])
    with current_page("drafts/idea.md", file=Path("docs/drafts/idea.md"), first_line=4):
        html = md.convert("Idea [@albert:2003parcon].")
    assert html == '<p>Idea <span class="citation citation-missing">(missing source: albert:2003parcon)</span>.</p>'
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("pamphlet.citations", "WARNING",
         "docs/drafts/idea.md:4:7: unknown citation key `albert:2003parcon`; did you mean `albert:2003parecon`?")]
    caplog.clear()
    with current_page("drafts-old/idea.md"):
        with pytest.raises(SourceError):
            md.convert("Idea [@albert:2003parcon].")


def test_cited_items_are_exposed_in_order_and_reset() -> None:
    md = make_md()
    md.convert("- first [@hooks:2000everybody]\n\nthen [see @albert:2003parecon, p. 3; -@hooks:2000everybody] "
               "and @albert:2003parecon [pp. 1-2].\n")
    assert md.citations == [
        CitationOccurrence("hooks:2000everybody", "cite-hooks:2000everybody-1"),
        CitationOccurrence("albert:2003parecon", "cite-albert:2003parecon-1", "p. 3", "see"),
        CitationOccurrence("hooks:2000everybody", "cite-hooks:2000everybody-2", suppress_author=True),
        CitationOccurrence("albert:2003parecon", "cite-albert:2003parecon-2", "pp. 1-2", mode="narrative"),
    ]
    assert md.cited_keys == ["hooks:2000everybody", "albert:2003parecon"]
    md.reset()
    assert (md.citations, md.cited_keys) == ([], [])


def test_ids_follow_document_order_across_nested_blocks() -> None:
    # Python-Markdown's inline pass visits a list after the paragraph that follows it
    md = make_md()
    md.convert("- [@hooks:2000everybody]\n    - [@hooks:2000everybody]\n\n[@hooks:2000everybody]\n")
    assert [o.id for o in md.citations] == [f"cite-hooks:2000everybody-{n}" for n in (1, 2, 3)]


def test_each_conversion_starts_afresh() -> None:
    md = make_md(style="numeric")
    first = md.convert("[@hooks:2000everybody]")
    second = md.convert("[@albert:2003parecon] [@hooks:2000everybody]")
    assert 'id="cite-hooks:2000everybody-1">1</a>' in first
    assert [o.id for o in md.citations] == ["cite-albert:2003parecon-1", "cite-hooks:2000everybody-1"]
    assert '<span class="reference-label">[1]</span> Albert' in second


def test_a_shared_citer_numbers_across_pages() -> None:
    citer = Citer(load_bibliography([BIB]), "numeric")
    one = markdown.Markdown(extensions=[CitationsExtension(citer=citer, references=False)])
    two = markdown.Markdown(extensions=[CitationsExtension(citer=citer, references=False)])
    assert one.convert("[@hooks:2000everybody]") == (
        '<p><span class="citation" data-cites="hooks:2000everybody">[<a class="citation-ref" '
        'href="#ref-hooks:2000everybody" id="cite-hooks:2000everybody-1">1</a>]</span></p>')
    assert two.convert("[@albert:2003parecon; @hooks:2000everybody]") == (
        '<p><span class="citation" data-cites="albert:2003parecon hooks:2000everybody">[<a class="citation-ref" '
        'href="#ref-albert:2003parecon" id="cite-albert:2003parecon-1">2</a>; <a class="citation-ref" '
        'href="#ref-hooks:2000everybody" id="cite-hooks:2000everybody-1">1</a>]</span></p>')


def test_page_collects_citations() -> None:
    with current_page("booklet/economy.md") as page:
        make_md().convert("[@hooks:2000everybody]")
    assert page.citations == [CitationOccurrence("hooks:2000everybody", "cite-hooks:2000everybody-1")]


def test_references_title_and_toc_permalink() -> None:
    md = make_md([markdown.extensions.toc.TocExtension(permalink=True)], references_title="Works cited here")
    assert md.convert("@hooks:2000everybody") == (
        '<p><span class="citation citation-narrative" data-cites="hooks:2000everybody"><a class="citation-ref" '
        'href="#ref-hooks:2000everybody" id="cite-hooks:2000everybody-1">hooks (2000)</a></span></p>\n'
        '<section class="references">\n'
        '<h2 id="references">Works cited here<a class="headerlink" href="#references" title="Permanent link">'
        '&para;</a></h2>\n'
        '<ul class="references-list">\n'
        '<li class="reference" id="ref-hooks:2000everybody">hooks, bell. 2000. <em>Feminism Is for Everybody: '
        'Passionate Politics</em>. Cambridge, MA: South End Press.</li>\n'
        '</ul>\n'
        '</section>')
    assert md.toc_tokens[0]["name"] == "Works cited here"


@pytest.mark.parametrize(("config", "message"), [
    ({"style": "apa"}, "`pamphlet.markdown.citations` option `style`: "
                       "Expected one of: ['author-year', 'numeric', 'alpha'] but received: 'apa'"),
    ({"strict": "yes"}, "`pamphlet.markdown.citations` option `strict`: Expected true or false but received: 'yes'"),
    ({"bibliography": [3.5, ""]},
     "`pamphlet.markdown.citations` option `bibliography`: Expected a non-empty text but received: ''"),
    ({"bibliography": "references.bib", "lenient_paths": {"drafts": True}},
     "`pamphlet.markdown.citations` option `lenient_paths`: Expected a list but received: {'drafts': True}"),
    ({"styles": "numeric"}, ("`pamphlet.markdown.citations` has no option `styles`; expected one of: "
                             "['bibliography', 'lenient_paths', 'references', 'references_title', 'strict', 'style']")),
])
def test_bad_options(config: dict, message: str) -> None:
    with pytest.raises(SourceError) as info:
        make_md(**config)
    assert str(info.value) == message


def test_missing_bibliography_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        make_md(bibliography=[str(tmp_path / "nope.bib")]).convert("[@a:1]")
    assert (info.value.file, info.value.message) == (tmp_path / "nope.bib", "file not found")


SAMPLE = Path(__file__).parent / "fixtures" / "projects" / "sample"


@pytest.mark.parametrize("text", [pytest.param(text, id=f"syntax.md:{line}:{title}")
                                  for line, title, text, _ in read_fixture_file(FIXTURES / "syntax.md")])
def test_both_parsers_find_the_same_citations(text: str) -> None:
    """The site renderer (Python-Markdown) and `pamphlet check` (markdown-it-py) agree."""
    md = make_md(references=False)
    md.convert(text)
    assert [o.key for o in md.citations] == [f.key for f in locate_citations(text)]


@pytest.mark.parametrize("chapter", sorted((SAMPLE / "booklet").glob("*.md")), ids=lambda p: p.name)
def test_sample_chapters(chapter: Path) -> None:
    """Every chapter of the sample project cites only keys of its references.bib, and both parsers
    find the same ones."""
    md = make_md(bibliography=[str(SAMPLE / "references.bib")])
    source = read_markdown(chapter)
    with current_page(f"booklet/{chapter.name}", file=chapter, first_line=source.body_line):
        html = md.convert(source.body)
    assert md.citations and [o.key for o in md.citations] == [f.key for f in find_citations(source)]
    assert "[@" not in html


# --- the grammar as data -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("[@a]", [Citation((CiteItem("a", offset=1),), "parenthetical", 0, 4)]),
    ("x [@k, pp. 3-5; @o]", [Citation((CiteItem("k", "", ", pp. 3-5", False, 3), CiteItem("o", offset=16)),
                                      "parenthetical", 2, 19)]),
    ("[see @k, ch. 2]", [Citation((CiteItem("k", "see", ", ch. 2", False, 5),), "parenthetical", 0, 15)]),
    ("[-@k]", [Citation((CiteItem("k", suppress_author=True, offset=2),), "parenthetical", 0, 5)]),
    ("@albert:2003parecon.", [Citation((CiteItem("albert:2003parecon"),), "narrative", 0, 19)]),
    ("(@a.b:c, x)", [Citation((CiteItem("a.b:c", offset=1),), "narrative", 1, 7)]),
    ("@k [p. 33]", [Citation((CiteItem("k", "", ", p. 33"),), "narrative", 0, 10)]),
    ("@x/y-z_w.", [Citation((CiteItem("x/y-z_w"),), "narrative", 0, 8)]),
    ("someone@example.org", []),
    ("https://example.org/@me", []),
    (r"\@k", []),
    ("[@k](https://example.org)", [Citation((CiteItem("k", offset=1),), "narrative", 1, 3)]),  # plain text only
    ("[no key] [@] [email a@b.org]", []),
])
def test_parse(text: str, expected: list[Citation]) -> None:
    assert list(iter_citations(text)) == expected


def test_locator_property() -> None:
    assert [i.locator for i in match_citation("[@a, p. 1; @b extra; @c]").items] == ["p. 1", "extra", ""]


def test_match_citation_looks_behind_pos() -> None:
    assert match_citation("mail@k", 4) is None
    assert match_citation("mail @k", 5) == Citation((CiteItem("k", offset=5),), "narrative", 5, 7)


# --- find_citations and check_citations ----------------------------------------------------------


def test_find_citations_lines_and_columns() -> None:
    source = read_markdown(FIXTURES / "chapter.md")
    assert [(f.key, f.line, f.column) for f in find_citations(source)] == [
        ("albert:2003parecon", 5, 12),
        ("albert:2003parecon", 7, 20),
        ("hahnel:2005justice", 7, 49),
        ("albert.hahnel:1991political", 8, 20),
        ("hooks:2000everybody", 10, 16),
        ("spannos:2008realutopia", 12, 3),
        ("albert:2003parecon", 16, 11),
        ("albert:2003parecon", 16, 37),
        ("ostrom:2010polycentric", 19, 14),
        ("hahnel/wright:2016alternatives", 21, 24),
        ("albert:2003parcon", 29, 10),
    ]


def test_find_citations_points_at_the_at_sign() -> None:
    source = read_markdown(FIXTURES / "chapter.md")
    lines = source.text.split("\n")
    assert all(lines[f.line - 1][f.column - 1:].startswith("@" + f.key) for f in find_citations(source))


def test_find_citations_keeps_the_parse() -> None:
    found = find_citations(read_markdown(FIXTURES / "chapter.md"))[2]
    assert found.item == CiteItem("hahnel:2005justice", "", "", True, 48)
    assert found.citation.keys == ["albert:2003parecon", "hahnel:2005justice"]


def test_citation_parser_leaves_the_analysis_parser_alone() -> None:
    assert "citation" in [rule.name for rule in citation_parser().inline.ruler.__rules__]
    assert "citation" not in [rule.name for rule in analysis_parser().inline.ruler.__rules__]
    assert citation_parser().block is analysis_parser().block


def test_check_citations(caplog: pytest.LogCaptureFixture) -> None:
    bib = load_bibliography([BIB])
    chapter = read_markdown(FIXTURES / "chapter.md")
    errors = check_citations([chapter], bib, lambda path: True)
    assert [(e.file, e.line, e.column, e.message) for e in errors] == [
        (chapter.path, 29, 10, "unknown citation key `albert:2003parcon`; did you mean `albert:2003parecon`?")]
    assert check_citations([chapter], bib, lambda path: False) == []
    assert [r.getMessage() for r in caplog.records] == [
        f"{chapter.path.as_posix()}:29:10: "
        "unknown citation key `albert:2003parcon`; did you mean `albert:2003parecon`?"]
    caplog.clear()


@pytest.mark.parametrize(("path", "strict"), [
    ("booklet/economy.md", True),
    ("drafts/idea.md", False),
    (Path("drafts/sub/idea.md"), False),
    ("drafts-old/idea.md", True),
])
def test_strict_for_paths(path: str | Path, strict: bool) -> None:
    assert strict_for_paths(True, ["drafts"])(path) is strict


def test_not_strict_at_all() -> None:
    assert strict_for_paths(False, [])("booklet/economy.md") is False
