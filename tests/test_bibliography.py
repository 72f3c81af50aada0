"""Loading .bib files (errors with file and line) and formatting entries and labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from pybtex.database import Entry, Person

from pamphlet.bibliography import BackRef, Bibliography, Citer, load_bibliography, works_cited_html
from pamphlet.bibliography.loader import Location
from pamphlet.bibliography.styles import anchor_name, doi_url, format_locator
from pamphlet.errors import SourceError

FIXTURES = Path(__file__).parent / "fixtures" / "citations"
REFS = FIXTURES / "refs.bib"


pytestmark = pytest.mark.usefixtures("no_unexpected_logs")


@pytest.fixture(scope="module")
def bib() -> Bibliography:
    return load_bibliography([REFS])


def error_of(*paths: Path) -> tuple:
    with pytest.raises(SourceError) as info:
        load_bibliography(list(paths))
    e = info.value
    return e.file, e.line, e.column, e.message


# --- loading -----------------------------------------------------------------------------------


def test_loads_entries_in_file_order_with_lines(bib: Bibliography) -> None:
    assert bib.keys()[:3] == ["albert:2003parecon", "albert.hahnel:1991political", "albert.hahnel:1992planning"]
    assert len(bib) == 15
    assert bib.location("albert:2003parecon") == Location(REFS, 4)
    assert bib.location("piven.cloward:1977movements") == Location(REFS, 130)
    assert bib.location("hahnel/wright:2016alternatives") == Location(REFS, 38)


def test_keys_are_exact() -> None:
    bib = load_bibliography([REFS])
    assert "hooks:2000everybody" in bib
    assert "Hooks:2000everybody" not in bib
    with pytest.raises(KeyError):
        bib["Hooks:2000everybody"]


def test_several_files(bib: Bibliography) -> None:
    both = load_bibliography([REFS, FIXTURES / "extra.bib"])
    assert len(both) == 16
    assert both.location("wright:2010utopias") == Location(FIXTURES / "extra.bib", 2)
    assert both.files == (REFS, FIXTURES / "extra.bib")


def test_no_files_is_an_empty_bibliography() -> None:
    assert len(load_bibliography([])) == 0


def test_fields_keep_latex_until_formatted(bib: Bibliography) -> None:
    entry = bib["albert.hahnel:1992planning"]
    assert entry.fields["journal"] == r"Science \& Society"
    assert str(bib["sintomer.herzberg.rocke:2008budgeting"].persons["author"][2]) == r'R{\"o}cke, Anja'


def test_missing_comma_is_reported_where_the_comma_belongs() -> None:
    # pybtex notices the problem at line 6 (`publisher`); the comma is missing at the end of line 5
    assert error_of(FIXTURES / "bad-missing-comma.bib") == (
        FIXTURES / "bad-missing-comma.bib", 5, 21,
        "missing `,` between this field and `publisher` in entry `albert:2003parecon`")


def test_unclosed_entry_is_reported_at_its_start() -> None:
    assert error_of(FIXTURES / "bad-unclosed.bib") == (
        FIXTURES / "bad-unclosed.bib", 1, None,
        "entry `albert:2003parecon` is not closed before the next entry at line 7 "
        "(look for a missing `}` or an unbalanced `{`)")


def test_file_ending_inside_an_entry() -> None:
    assert error_of(FIXTURES / "bad-eof.bib") == (
        FIXTURES / "bad-eof.bib", 1, None,
        "entry `albert:2003parecon` is not closed before the next entry at line 5 "
        "(look for a missing `}` or an unbalanced `{`)")


def test_file_ending_inside_the_last_entry(tmp_path: Path) -> None:
    path = tmp_path / "end.bib"
    path.write_text("% one entry\n\n@book{a:1,\n  title = {T},\n", encoding="utf-8")
    assert error_of(path) == (path, 3, None,
                              "entry `a:1` is not closed: the file ends inside it (look for a missing `}` or `\"`)")


def test_other_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "equals.bib"
    path.write_text("@book{a:1,\n  title = {T},\n  year {2003}\n}\n", encoding="utf-8")
    assert error_of(path) == (path, 3, 8, "BibTeX syntax error in entry `a:1`: expected `=`, found `{2003}`")


def test_undefined_string() -> None:
    assert error_of(FIXTURES / "bad-undefined-string.bib") == (
        FIXTURES / "bad-undefined-string.bib", 3, 15,
        "`Verso` is not a defined @string; put text in braces: {Verso}")


def test_entry_without_key() -> None:
    assert error_of(FIXTURES / "bad-no-key.bib") == (
        FIXTURES / "bad-no-key.bib", 1, None,
        "this entry has no key: write one after the `{`, like `@book{albert:2003parecon,`")


def test_duplicate_field() -> None:
    assert error_of(FIXTURES / "bad-duplicate-field.bib") == (
        FIXTURES / "bad-duplicate-field.bib", 4, None,
        "entry `albert:2003parecon` has a second `title` field (the first is at line 3)")


def test_duplicate_key_in_one_file() -> None:
    path = FIXTURES / "bad-duplicate-key.bib"
    assert error_of(path) == (
        path, 7, None, f"duplicate key `wright:2010utopias`: already defined at {path.as_posix()}:1")


def test_duplicate_key_across_files_names_both_places() -> None:
    second = FIXTURES / "bad-duplicate-across.bib"
    assert error_of(REFS, second) == (
        second, 8, None, f"duplicate key `Hooks:2000everybody`: already defined at {REFS.as_posix()}:106")


def test_non_utf8_file() -> None:
    path = FIXTURES / "bad-latin1.bib"
    assert error_of(path) == (path, 2, 14, "not valid UTF-8 (byte 0xf6); save the file as UTF-8")


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.bib") == (tmp_path / "nope.bib", None, None, "file not found")


def test_unreadable_names(tmp_path: Path) -> None:
    path = tmp_path / "names.bib"
    path.write_text("@book{a:1,\n  title = {T},\n  author = {One, Two, Three, Four},\n}\n", encoding="utf-8")
    assert error_of(path) == (
        path, 3, None, "entry `a:1`: cannot read the names in `author`: Too many commas in 'One, Two, Three, Four'")


def test_error_is_one_line_with_file_and_line() -> None:
    with pytest.raises(SourceError) as info:
        load_bibliography([FIXTURES / "bad-missing-comma.bib"])
    text = str(info.value)
    assert "\n" not in text
    assert text.endswith("bad-missing-comma.bib:5:21: missing `,` between this field and `publisher` "
                         "in entry `albert:2003parecon`")


# --- suggestions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("typo", "expected"), [
    ("albert:2003parcon", ["albert:2003parecon"]),
    ("Albert:2003Parecon", ["albert:2003parecon"]),
    ("ostrom:2010", ["ostrom:2010global", "ostrom:2010polycentric"]),
    ("hahnel:2005", ["hahnel:2005justice"]),
    ("nothing-like-it", []),
])
def test_closest(bib: Bibliography, typo: str, expected: list[str]) -> None:
    assert bib.closest(typo) == expected


def test_closest_limits_the_number(bib: Bibliography) -> None:
    assert bib.closest("albert.hahnel:1991", n=1) == ["albert.hahnel:1991political"]


# --- labels ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "label"), [
    ("albert:2003parecon", "Albert 2003"),
    ("albert.hahnel:1991political", "Albert and Hahnel 1991"),
    ("sintomer.herzberg.rocke:2008budgeting", "Sintomer et al. 2008"),
    ("spannos:2008realutopia", "Spannos 2008"),
    ("fung.wright:2003deepening", "Fung and Wright 2003a"),
    ("fung.wright:2003thinking", "Fung and Wright 2003b"),
    ("hooks:2000everybody", "hooks 2000"),
    ("ostrom:2010polycentric", "Ostrom 2010a"),
    ("ostrom:2010global", "Ostrom 2010b"),
])
def test_author_year_labels(bib: Bibliography, key: str, label: str) -> None:
    assert Citer(bib).label(key) == label


@pytest.mark.parametrize(("key", "label"), [
    ("albert:2003parecon", "Alb03"),
    ("albert.hahnel:1991political", "AH91"),
    ("sintomer.herzberg.rocke:2008budgeting", "SHR08"),
    ("spannos:2008realutopia", "Spa08"),
    ("ostrom:2010polycentric", "Ost10a"),
    ("hooks:2000everybody", "hoo00"),
])
def test_alpha_labels(bib: Bibliography, key: str, label: str) -> None:
    assert Citer(bib, "alpha").label(key) == label


def test_numeric_labels_follow_first_request(bib: Bibliography) -> None:
    citer = Citer(bib, "numeric")
    keys = ["hooks:2000everybody", "albert:2003parecon", "hooks:2000everybody"]
    assert [citer.label(k) for k in keys] == ["1", "2", "1"]
    citer.reset_numbers()
    assert citer.label("albert:2003parecon") == "1"


def _bib(*entries: tuple[str, Entry]) -> Bibliography:
    from pybtex.database import BibliographyData
    data = BibliographyData()
    for key, entry in entries:
        data.add_entry(key, entry)
    return Bibliography(data, {key: Location(Path("x.bib"), n + 1) for n, (key, _) in enumerate(entries)})


def test_et_al_for_others_and_no_year_and_no_author() -> None:
    bib = _bib(
        ("a", Entry("book", fields={"title": "One", "year": "1999"},
                    persons={"author": [Person("Smith, Ann"), Person("others")]})),
        ("b", Entry("misc", fields={"title": "Undated"}, persons={"author": [Person("Jones, Bo")]})),
        ("c", Entry("misc", fields={"title": "Anonymous Pamphlet: A Subtitle", "year": "1848"})),
    )
    citer = Citer(bib)
    assert [citer.label(k) for k in "abc"] == ["Smith et al. 1999", "Jones n.d.", "Anonymous Pamphlet 1848"]
    assert citer.entry_html("a") == "Smith, Ann, et al. 1999. <em>One</em>."
    assert citer.entry_html("b") == "Jones, Bo. n.d. “Undated.”"
    assert citer.entry_html("c") == "“Anonymous Pamphlet: A Subtitle.” 1848."


def test_url_escapes_and_doi_forms() -> None:
    bib = _bib(("a", Entry("misc", fields={"title": "Page?", "year": "2020",
                                            "url": r"https://example.org/a\_b?x=1&y=2"},
                           persons={"author": [Person("Doe, Jo")]})))
    assert Citer(bib).entry_html("a") == (
        'Doe, Jo. 2020. “Page?” <a href="https://example.org/a_b?x=1&amp;y=2">https://example.org/a_b?x=1&amp;y=2</a>.')
    assert doi_url("doi:10.1/x") == doi_url("https://dx.doi.org/10.1/x") == "https://doi.org/10.1/x"


@pytest.mark.parametrize(("suffix", "text"), [
    (", p. 12", ", p. 12"),
    (", pp. 3-5", ", pp. 3–5"),
    (", pp. 3--5", ", pp. 3–5"),
    (",", ""),
    ("and passim", " and passim"),
    ("", ""),
])
def test_format_locator(suffix: str, text: str) -> None:
    assert format_locator(suffix) == text


def test_anchor_names(bib: Bibliography) -> None:
    assert anchor_name("hahnel/wright:2016alternatives") == "hahnel-wright:2016alternatives"
    assert anchor_name("a b+c") == "a-b-c"
    clash = _bib(("a/b", Entry("misc", fields={"title": "X"})), ("a-b", Entry("misc", fields={"title": "Y"})))
    assert [Citer(clash).anchor(k) for k in ("a/b", "a-b")] == ["a-b", "a-b-2"]


# --- entries and works-cited lists -------------------------------------------------------------


@pytest.mark.parametrize(("key", "html"), [
    ("albert:2003parecon", "Albert, Michael. 2003. <em>Parecon: Life After Capitalism</em>. London: Verso."),
    ("ostrom:2010polycentric",
     "Ostrom, Elinor. 2010a. “Beyond Markets and States: Polycentric Governance of Complex Economic Systems.” "
     "<em>American Economic Review</em> 100 (3): 641–672. "
     '<a href="https://doi.org/10.1257/aer.100.3.641">https://doi.org/10.1257/aer.100.3.641</a>.'),
    ("spannos:2008realutopia",
     "Spannos, Chris, ed. 2008. <em>Real Utopia: Participatory Society for the 21st Century</em>. "
     "Oakland, CA: AK Press."),
    ("fung.wright:2003deepening",
     "Fung, Archon, and Erik Olin Wright, eds. 2003a. <em>Deepening Democracy: Institutional Innovations in "
     "Empowered Participatory Governance</em>. London: Verso."),
    ("albert.hahnel:1992planning",
     "Albert, Michael, and Robin Hahnel. 1992. “Participatory Planning.” "
     "<em>Science &amp; Society</em> 56 (1): 39–59."),
    ("whyte.whyte:1988mondragon",
     "Whyte, William Foote, and Kathleen King Whyte. 1988. <em>Making Mondragón: The Growth and Dynamics of the "
     "Worker Cooperative Complex</em>. Ithaca, NY: ILR Press."),
    ("hooks:2000everybody",
     "hooks, bell. 2000. <em>Feminism Is for Everybody: Passionate Politics</em>. Cambridge, MA: South End Press."),
])
def test_entry_html(bib: Bibliography, key: str, html: str) -> None:
    assert Citer(bib).entry_html(key) == html


def test_works_cited_author_year_order(bib: Bibliography) -> None:
    keys = ["hooks:2000everybody", "ostrom:2010global", "albert:2003parecon", "ostrom:2010polycentric",
            "albert:2003parecon"]
    html = works_cited_html(bib, keys)
    ids = [line.split('id="')[1].split('"')[0] for line in html.split("\n")]
    assert ids == ["ref-albert:2003parecon", "ref-hooks:2000everybody", "ref-ostrom:2010polycentric",
                   "ref-ostrom:2010global"]


def test_works_cited_numeric_order_is_first_citation(bib: Bibliography) -> None:
    html = works_cited_html(bib, ["hooks:2000everybody", "albert:2003parecon"], "numeric")
    assert html == (
        '<li class="reference" id="ref-hooks:2000everybody"><span class="reference-label">[1]</span> hooks, bell. '
        "2000. <em>Feminism Is for Everybody: Passionate Politics</em>. Cambridge, MA: South End Press.</li>\n"
        '<li class="reference" id="ref-albert:2003parecon"><span class="reference-label">[2]</span> Albert, Michael. '
        "2003. <em>Parecon: Life After Capitalism</em>. London: Verso.</li>")


def test_works_cited_with_backrefs_and_id_prefix(bib: Bibliography) -> None:
    backrefs = {"albert:2003parecon": [BackRef("#economy--cite-albert:2003parecon-1", "Economy"),
                                       BackRef("#values--cite-albert:2003parecon-1", "")]}
    html = works_cited_html(bib, ["albert:2003parecon"], id_prefix="works-cited--ref-", backrefs=backrefs)
    assert html == (
        '<li class="reference" id="works-cited--ref-albert:2003parecon">Albert, Michael. 2003. '
        "<em>Parecon: Life After Capitalism</em>. London: Verso. "
        '<span class="reference-backrefs"><a class="reference-backref" href="#economy--cite-albert:2003parecon-1">'
        'Economy</a>, <a class="reference-backref" href="#values--cite-albert:2003parecon-1"></a></span></li>')


def test_works_cited_unknown_key(bib: Bibliography) -> None:
    with pytest.raises(KeyError):
        works_cited_html(bib, ["nobody:1999"])


def test_unknown_style(bib: Bibliography) -> None:
    with pytest.raises(ValueError, match=r"Expected one of: \['author-year', 'numeric', 'alpha'\] but received: 'apa'"):
        Citer(bib, "apa")


def test_citation_text(bib: Bibliography) -> None:
    from pamphlet.bibliography.syntax import match_citation
    citation = match_citation("[see @albert:2003parecon, pp. 3-5; -@hahnel:2005justice; @hooks:2000everybody]")
    narrative = match_citation("@sintomer.herzberg.rocke:2008budgeting [p. 170]")
    assert Citer(bib).citation_text(citation) == "(see Albert 2003, pp. 3–5; 2005; hooks 2000)"
    assert Citer(bib).citation_text(narrative) == "Sintomer et al. (2008, p. 170)"
    assert Citer(bib, "numeric").citation_text(citation) == "[see 1, pp. 3–5; 2; 3]"
    assert Citer(bib, "alpha").citation_text(narrative) == "Sintomer et al. [SHR08, p. 170]"


def test_strings_and_months_expand_and_carry_over_files(tmp_path: Path) -> None:
    (tmp_path / "strings.bib").write_text('@string{verso = "Verso"}\n', encoding="utf-8")
    (tmp_path / "uses.bib").write_text(
        "@book{a:1,\n  title = {T},\n  publisher = verso,\n  month = jan,\n  year = 2003\n}\n", encoding="utf-8")
    bib = load_bibliography([tmp_path / "strings.bib", tmp_path / "uses.bib"])
    assert dict(bib["a:1"].fields) == {"title": "T", "publisher": "Verso", "month": "January", "year": "2003"}
    assert bib.location("a:1") == Location(tmp_path / "uses.bib", 1)
