"""Feedback links: every generated URL is decoded again and compared field by field."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from pamphlet.errors import Reporter, SourceError, SourceErrors, SourceWarning
from pamphlet.feedback import (
    FeedbackConfig,
    FeedbackLink,
    FeedbackTarget,
    edit_url,
    email_url,
    feedback_links,
    form_url,
    infer_tracker,
    issue_url,
    load_feedback_config,
)
from pamphlet.project import Project

SITE = "https://harbor-street.example.org/sample/"
PAGE_URL = SITE + "booklet/animals/#growth"
EDITION = "First edition"

# (what the author wrote, what a one-line field must hold)
HOSTILE = [
    pytest.param('He said "hi" & \'bye\'', 'He said "hi" & \'bye\'', id="quotes-ampersand"),
    pytest.param("Q&A #1? 100% + more = a/b", "Q&A #1? 100% + more = a/b", id="reserved"),
    pytest.param("%41 is not A; %%20", "%41 is not A; %%20", id="percent-lookalikes"),
    pytest.param("Élan vital — ça?", "Élan vital — ça?", id="non-ascii"),
    pytest.param("🌱 Growth", "🌱 Growth", id="emoji"),
    pytest.param("Line one\nLine two\r\n\tend", "Line one Line two end", id="newline"),
]

FORGES = {
    "github": "https://github.com/harbor-street/sample",
    "gitlab": "https://gitlab.com/harbor-street/sample",
    "gitea": "https://git.example.org/harbor-street/sample",
    "forgejo": "https://forge.example.org/harbor-street/sample",
    "codeberg": "https://codeberg.org/harbor-street/sample",
}

# What `urllib` may leave unencoded in a query part: RFC 3986 unreserved characters and escapes.
QUERY_PART = re.compile(r"[A-Za-z0-9\-._~%]+=[A-Za-z0-9\-._~%]*")


def config(**changes: object) -> FeedbackConfig:
    values: dict = dict(tracker="github", email="chapter@example.org",
                        form_url="https://forms.example.org/f/123", site_url=SITE,
                        repo_url=FORGES["github"], edit_uri="edit/main/docs/", docs_dir="docs",
                        edition=EDITION)
    values.update(changes)
    return FeedbackConfig(**values)  # type: ignore[arg-type]


def target(title: str = "Animals", section: str | None = "Growth", **changes: object) -> FeedbackTarget:
    values: dict = dict(page_title=title, page_url=PAGE_URL, source="booklet/animals.md", line=12,
                        section=section)
    values.update(changes)
    return FeedbackTarget(**values)


def query_fields(url: str) -> list[tuple[str, str]]:
    """The query's (key, value) pairs, checking that every part is fully percent-encoded."""
    query = urlsplit(url).query
    parts = query.split("&")
    for part in parts:
        assert QUERY_PART.fullmatch(part), part
    fields = [(unquote(k, errors="strict"), unquote(v, errors="strict"))
              for k, v in (part.split("=", 1) for part in parts)]
    # A standard form parser reads the same thing (no `+` stands for a space).
    assert parse_qsl(query, keep_blank_values=True, strict_parsing=True) == fields
    return fields


def expected_issue_body(title: str, section: str) -> str:
    return (f"- **Page:** {title}\n"
            f"- **Section:** {section}\n"
            f"- **Edition:** {EDITION}\n"
            "- **Source:** booklet/animals.md, line 12\n"
            f"- **Address:** {PAGE_URL}\n"
            "\n### Your comment\n\n")


# --------------------------------------------------------------------------- issues


ISSUE_FORMS = {
    # tracker: (path after the repository, title key, body key)
    "github": ("/issues/new", "title", "body"),
    "gitlab": ("/-/issues/new", "issue[title]", "issue[description]"),
    "gitea": ("/issues/new", "title", "body"),
    "forgejo": ("/issues/new", "title", "body"),
    "codeberg": ("/issues/new", "title", "body"),
}


@pytest.mark.parametrize("tracker", sorted(ISSUE_FORMS))
@pytest.mark.parametrize(("raw", "clean"), HOSTILE)
def test_issue_url_round_trips_hostile_titles(tracker: str, raw: str, clean: str) -> None:
    cfg = config(tracker=tracker, repo_url=FORGES[tracker])
    url = issue_url(cfg, target(raw, section=raw))
    assert url is not None and url.isascii()
    parts = urlsplit(url)
    repo = urlsplit(FORGES[tracker])
    path, title_key, body_key = ISSUE_FORMS[tracker]
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("https", repo.netloc, repo.path + path, "")
    assert query_fields(url) == [
        (title_key, f"Feedback: {clean} › {clean}"),
        (body_key, expected_issue_body(clean, clean)),
    ]


def test_issue_url_spaces_are_percent_20_and_plus_is_encoded() -> None:
    url = issue_url(config(), target("a + b c"))
    assert url is not None
    assert "+" not in url
    assert "a%20%2B%20b%20c" in url


def test_issue_body_leaves_out_what_is_unknown() -> None:
    cfg = config(edition=None)
    url = issue_url(cfg, target("Animals", section=None, line=None, page_url=None))
    assert url is not None
    assert query_fields(url) == [
        ("title", "Feedback: Animals"),
        ("body", "- **Page:** Animals\n- **Source:** booklet/animals.md\n\n### Your comment\n\n"),
    ]


@pytest.mark.parametrize("repo_url", [FORGES["github"] + "/", FORGES["github"] + ".git"])
def test_issue_url_ignores_trailing_slash_and_dot_git(repo_url: str) -> None:
    url = issue_url(config(repo_url=repo_url), target())
    assert url is not None
    assert url.startswith(FORGES["github"] + "/issues/new?title=")


# --------------------------------------------------------------------------- email


@pytest.mark.parametrize(("raw", "clean"), HOSTILE)
def test_email_url_round_trips_hostile_titles(raw: str, clean: str) -> None:
    url = email_url(config(), target(raw, section=raw))
    assert url is not None and url.isascii()
    assert url.startswith("mailto:chapter@example.org?")
    assert "+" not in url and " " not in url
    assert query_fields(url) == [
        ("subject", f"Feedback: {clean} › {clean}"),
        ("body", f"Page: {clean}\r\nSection: {clean}\r\nEdition: {EDITION}\r\n"
                 f"Source: booklet/animals.md, line 12\r\nAddress: {PAGE_URL}\r\n\r\nYour comment:\r\n"),
    ]


def test_email_url_encodes_line_breaks_as_crlf() -> None:
    url = email_url(config(), target())
    assert url is not None
    assert "%0D%0A" in url
    assert re.search(r"(?<!%0D)%0A", url) is None


def test_email_address_is_percent_encoded_except_the_at_sign() -> None:
    url = email_url(config(email="feedback+pamphlet@example.org"), target())
    assert url is not None
    address = url.removeprefix("mailto:").split("?", 1)[0]
    assert address == "feedback%2Bpamphlet@example.org"
    assert unquote(address) == "feedback+pamphlet@example.org"


# --------------------------------------------------------------------------- form


@pytest.mark.parametrize(("raw", "clean"), HOSTILE)
def test_form_url_appends_page_and_section(raw: str, clean: str) -> None:
    url = form_url(config(), target(raw, section=raw))
    assert url is not None and url.isascii()
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("https", "forms.example.org", "/f/123", "")
    assert query_fields(url) == [("page", PAGE_URL), ("section", clean)]


def test_form_url_keeps_the_forms_own_query_and_fragment() -> None:
    cfg = config(form_url="https://forms.example.org/f/123?usp=pp_url&lang=en-US&page=old#top")
    url = form_url(cfg, target("Élan vital — ça?", section="🌱 Growth"))
    assert url is not None
    parts = urlsplit(url)
    assert parts.fragment == "top"
    assert parts.query.startswith("usp=pp_url&lang=en-US&page=")
    assert parse_qsl(parts.query, strict_parsing=True) == [
        ("usp", "pp_url"), ("lang", "en-US"), ("page", PAGE_URL), ("section", "🌱 Growth")]


def test_form_url_without_page_url_names_the_source_file() -> None:
    url = form_url(config(), target(page_url=None, section=None))
    assert url is not None
    assert query_fields(url) == [("page", "booklet/animals.md")]


# --------------------------------------------------------------------------- edit


EDIT_CASES = [
    # repo_url, edit_uri, docs_dir, source, expected
    pytest.param(FORGES["github"], "edit/main/docs/", "docs", "docs/index.md",
                 FORGES["github"] + "/edit/main/docs/index.md", id="github-docs"),
    pytest.param(FORGES["github"], "edit/main/docs/", "docs", "booklet/animals.md",
                 FORGES["github"] + "/edit/main/booklet/animals.md", id="github-booklet"),
    pytest.param(FORGES["github"] + "/", "edit/main/docs", "docs", "booklet/animals.md",
                 FORGES["github"] + "/edit/main/booklet/animals.md", id="github-slashes"),
    pytest.param(FORGES["gitlab"], "-/edit/main/docs/", "docs", "docs/about.md",
                 FORGES["gitlab"] + "/-/edit/main/docs/about.md", id="gitlab-docs"),
    pytest.param(FORGES["gitlab"], "-/edit/main/docs/", "docs", "booklet/animals.md",
                 FORGES["gitlab"] + "/-/edit/main/booklet/animals.md", id="gitlab-booklet"),
    pytest.param(FORGES["codeberg"], "_edit/main/docs/", "docs", "docs/index.md",
                 FORGES["codeberg"] + "/_edit/main/docs/index.md", id="codeberg-docs"),
    pytest.param(FORGES["codeberg"], "_edit/main/docs/", "docs", "booklet/animals.md",
                 FORGES["codeberg"] + "/_edit/main/booklet/animals.md", id="codeberg-booklet"),
    pytest.param(FORGES["github"], "edit/feature/x/site/docs/", "site/docs", "booklet/animals.md",
                 FORGES["github"] + "/edit/feature/x/booklet/animals.md", id="nested-docs-dir"),
    pytest.param(FORGES["github"], "edit/main/", ".", "booklet/animals.md",
                 FORGES["github"] + "/edit/main/booklet/animals.md", id="docs-dir-is-root"),
    pytest.param(None, FORGES["github"] + "/edit/main/docs/", "docs", "booklet/animals.md",
                 FORGES["github"] + "/edit/main/booklet/animals.md", id="absolute-edit-uri"),
    pytest.param(FORGES["github"], "edit/main/docs/", "docs", "booklet/ça va #1.md",
                 FORGES["github"] + "/edit/main/booklet/%C3%A7a%20va%20%231.md", id="file-name-encoded"),
    pytest.param(FORGES["github"], "edit/main/pages/", "docs", "docs/index.md",
                 FORGES["github"] + "/edit/main/pages/index.md", id="mismatch-docs-page-as-mkdocs"),
]


@pytest.mark.parametrize(("repo_url", "edit_uri", "docs_dir", "source", "expected"), EDIT_CASES)
def test_edit_url(repo_url: str | None, edit_uri: str, docs_dir: str, source: str, expected: str) -> None:
    cfg = config(repo_url=repo_url, edit_uri=edit_uri, docs_dir=docs_dir)
    assert edit_url(cfg, target(source=source)) == expected


def test_edit_url_outside_docs_is_left_out_when_edit_uri_does_not_name_docs_dir() -> None:
    cfg = config(edit_uri="edit/main/pages/", email=None, form_url=None)
    warnings: list[str] = []
    links = feedback_links(cfg, target(), warnings.append)
    assert [link.kind for link in links] == ["issue"]
    assert warnings == [
        "no \"Suggest an edit\" links for files outside `docs_dir` ('docs'): `edit_uri` "
        "('edit/main/pages/') in mkdocs.yml does not end with `docs_dir`, so the repository root "
        "is unknown",
        'no "Email us" links: `extra.feedback.email` is not set in mkdocs.yml',
    ]


# --------------------------------------------------------------------------- all links


def test_feedback_links_order_and_labels() -> None:
    warnings: list[str] = []
    links = feedback_links(config(), target(), warnings.append)
    assert [(link.kind, link.label) for link in links] == [
        ("edit", "Suggest an edit"), ("issue", "Open an issue"), ("email", "Email us"),
        ("form", "Feedback form")]
    assert all(isinstance(link, FeedbackLink) for link in links)
    assert links[0].url == FORGES["github"] + "/edit/main/booklet/animals.md"
    assert warnings == []


def test_missing_settings_leave_links_out_and_warn_once_each() -> None:
    cfg = FeedbackConfig(site_url=SITE)
    reporter = Reporter()  # the one warning channel keeps each distinct warning once
    for title in ("Animals", "Plants", "🌱 Growth"):
        assert feedback_links(cfg, target(title), lambda m: reporter.warn(SourceWarning(m, "mkdocs.yml"))) == []
    assert [w.message for w in reporter.warnings] == [
        'no "Suggest an edit" links: `repo_url` is not set in mkdocs.yml',
        'no "Open an issue" links: `repo_url` is not set in mkdocs.yml',
        'no "Email us" links: `extra.feedback.email` is not set in mkdocs.yml',
    ]


def test_missing_edit_uri_names_edit_uri() -> None:
    warnings: list[str] = []
    links = feedback_links(config(edit_uri=None), target(), warnings.append)
    assert [link.kind for link in links] == ["issue", "email", "form"]
    assert warnings == [
        'no "Suggest an edit" links: `edit_uri` is not set in mkdocs.yml (e.g. edit/main/docs/)']


def test_unknown_forge_without_tracker_names_the_tracker_setting() -> None:
    warnings: list[str] = []
    cfg = config(tracker=None, repo_url="https://git.example.org/o/r")
    links = feedback_links(cfg, target(), warnings.append)
    assert [link.kind for link in links] == ["edit", "email", "form"]
    assert warnings == [
        'no "Open an issue" links: set `extra.feedback.tracker` in mkdocs.yml to one of '
        "['codeberg', 'forgejo', 'gitea', 'github', 'gitlab'] (it cannot be inferred from the "
        "host 'git.example.org')"]


def test_plain_callable_receives_every_call() -> None:
    received: list[str] = []
    cfg = config(email=None)
    feedback_links(cfg, target("A"), received.append)
    feedback_links(cfg, target("B"), received.append)
    assert received == ['no "Email us" links: `extra.feedback.email` is not set in mkdocs.yml'] * 2


@pytest.mark.parametrize(("repo_url", "expected"), [
    ("https://github.com/o/r", "github"),
    ("https://www.github.com/o/r", "github"),
    ("https://GitLab.com/o/r", "gitlab"),
    ("https://codeberg.org/o/r", "codeberg"),
    ("https://git.example.org/o/r", None),
    (None, None),
])
def test_infer_tracker(repo_url: str | None, expected: str | None) -> None:
    assert infer_tracker(repo_url) == expected


@pytest.mark.parametrize("changes", [
    dict(page_title=""), dict(source="/abs/x.md"), dict(source="../x.md"), dict(source="a\\b.md"),
    dict(line=0), dict(line=True), dict(section=3),
])
def test_target_rejects_programming_mistakes(changes: dict) -> None:
    with pytest.raises(ValueError):
        target(**changes)


# --------------------------------------------------------------------------- configuration


HEAD = """\
site_name: Test chapter
site_url: https://example.org/chapter
repo_url: {repo_url}
edit_uri: edit/main/docs/
"""


def write(tmp_path: Path, text: str) -> Project:
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "site" / "src").mkdir(parents=True, exist_ok=True)
    return Project.load(tmp_path)


def test_load_full_config(tmp_path: Path) -> None:
    project = write(tmp_path, HEAD.format(repo_url="https://git.example.org/o/r") + """\
extra:
  feedback:
    tracker: forgejo
    email: chapter@example.org
    form_url: https://forms.example.org/f/1?x=1
    page: contact/feedback/
""")
    cfg = load_feedback_config(project, edition="Second edition")
    assert cfg == FeedbackConfig(
        tracker="forgejo", email="chapter@example.org", form_url="https://forms.example.org/f/1?x=1",
        page="contact/feedback/", site_url="https://example.org/chapter/",
        repo_url="https://git.example.org/o/r", edit_uri="edit/main/docs/", docs_dir="docs",
        edition="Second edition", tracker_inferred=False)
    assert cfg.feedback_page_url == "https://example.org/chapter/contact/feedback/"


@pytest.mark.parametrize(("repo_url", "tracker"), [
    ("https://github.com/o/r", "github"), ("https://gitlab.com/o/r", "gitlab"),
    ("https://codeberg.org/o/r", "codeberg"), ("https://git.example.org/o/r", None)])
def test_tracker_is_inferred_from_repo_url(tmp_path: Path, repo_url: str, tracker: str | None) -> None:
    cfg = load_feedback_config(write(tmp_path, HEAD.format(repo_url=repo_url)))
    assert (cfg.tracker, cfg.tracker_inferred) == (tracker, tracker is not None)
    assert (cfg.email, cfg.form_url, cfg.page, cfg.edition) == (None, None, "feedback/", None)


def test_docs_dir_comes_from_mkdocs_yml(tmp_path: Path) -> None:
    project = write(tmp_path, HEAD.format(repo_url="https://github.com/o/r") + "docs_dir: site/src\n")
    assert load_feedback_config(project).docs_dir == "site/src"


@pytest.mark.parametrize(("body", "line", "message"), [
    ("extra:\n  feedback:\n    tracker: bitbucket\n", 7,
     "`tracker`: Expected one of: ['codeberg', 'forgejo', 'gitea', 'github', 'gitlab'] but received: 'bitbucket'"),
    ("extra:\n  analytics: {}\n  feedback:\n    email: not-an-address\n", 8,
     "`email`: Expected an email address like chapter@example.org but received: 'not-an-address'"),
    ("extra:\n  feedback:\n    form_url: forms.example.org/f/1\n", 7,
     "`form_url`: Expected a web address starting with https:// but received: 'forms.example.org/f/1'"),
    ("extra:\n  feedback:\n    page: /feedback/\n", 7,
     "`page`: Expected a path inside the site like feedback/ but received: '/feedback/'"),
    ("extra:\n  feedback:\n    trackr: github\n", 7,
     "unknown key `trackr` in `extra.feedback`; expected one of: ['email', 'form_url', 'page', 'tracker']"),
    ("extra:\n  feedback: yes\n", 6, "`feedback`: Expected a mapping of `key: value` lines but received: True"),
    ("extra: [1, 2]\n", 5, "`extra`: Expected a mapping of `key: value` lines but received: [1, 2]"),
])
def test_bad_settings_name_mkdocs_yml_and_the_line(tmp_path: Path, body: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as info:  # whether reading the settings or the feedback part finds it
        load_feedback_config(write(tmp_path, HEAD.format(repo_url="https://github.com/o/r") + body))
    error = info.value
    assert (Path(error.file).name, error.line, error.message) == ("mkdocs.yml", line, message)


def test_every_bad_setting_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SourceErrors) as info:  # reading the typed settings finds both
        write(tmp_path, HEAD.format(repo_url="https://github.com/o/r") + "extra:\n  feedback:\n    tracker: svn\n"
              "    email: x\n")
    assert [(e.line, e.message.split(":")[0]) for e in info.value.errors] == [(7, "`tracker`"), (8, "`email`")]


TAGGED = """\
site_name: Test chapter
site_url: https://example.org/
repo_url: https://github.com/o/r
edit_uri: edit/main/docs/
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
extra:
  feedback:
    email: {email}
    tracker: {tracker}
"""


def test_python_name_tags_of_allowed_packages_are_read_and_lines_still_found(tmp_path: Path) -> None:
    cfg = load_feedback_config(write(tmp_path, TAGGED.format(email="chapter@example.org", tracker="github")))
    assert (cfg.email, cfg.tracker) == ("chapter@example.org", "github")
    with pytest.raises(SourceError) as info:
        load_feedback_config(write(tmp_path, TAGGED.format(email="chapter@example.org", tracker="svn")))
    assert (Path(info.value.file).name, info.value.line) == ("mkdocs.yml", 14)
    assert info.value.message.endswith("but received: 'svn'")


@pytest.mark.parametrize(("value", "column"), [("!ENV [PAMPHLET_FEEDBACK_EMAIL, a@example.org]", 12),
                                               ("!!python/name:os.system", 12)])
def test_tags_that_reach_outside_the_project_are_refused(tmp_path: Path, value: str, column: int) -> None:
    with pytest.raises(SourceError) as info:
        write(tmp_path, TAGGED.format(email=value, tracker="github"))
    assert (Path(info.value.file).name, info.value.line, info.value.column) == ("mkdocs.yml", 13, column)


def test_no_extra_section_gives_defaults(tmp_path: Path) -> None:
    cfg = load_feedback_config(write(tmp_path, "site_name: Bare\n"))
    assert cfg == FeedbackConfig(docs_dir="docs")
    assert cfg.feedback_page_url is None
    warnings: list[str] = []
    assert feedback_links(cfg, target(), warnings.append) == []
    assert len(warnings) == 3  # edit, issue, email (the form is optional)


def test_sample_mkdocs_yml_loads() -> None:
    project = Project.load(Path(__file__).resolve().parent / "fixtures" / "projects" / "sample")
    cfg = load_feedback_config(project, edition=EDITION)
    assert cfg.repo_url == project.repo_url and cfg.edit_uri == project.edit_uri
    assert cfg == FeedbackConfig(
        tracker="github", email="study-group@example.org", form_url="https://forms.example.org/f/harbor",
        site_url="https://harbor-street.example.org/sample/", repo_url="https://github.com/harbor-street/sample",
        edit_uri="edit/main/docs/", docs_dir="docs", edition=EDITION, tracker_inferred=False)
