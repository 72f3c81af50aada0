"""Feedback links: "Suggest an edit", "Open an issue", "Email us", "Feedback form".

The reusable core used by the site (a feedback box under each page), the contested-section markers
and print (QR codes). It makes URLs and nothing else: no Markdown, HTML or logging.

Settings live in mkdocs.yml, so that MkDocs and its successor Zensical read the same file::

    site_url: https://decatur-parsoc.github.io/pamphlet/
    repo_url: https://github.com/decatur-parsoc/pamphlet
    edit_uri: edit/main/docs/
    extra:
      feedback:
        tracker: github            # github | gitlab | gitea | forgejo | codeberg (optional)
        email: chapter@example.org # optional
        form_url: https://forms.example.org/f/123   # optional
        page: feedback/            # optional; the site's feedback page (default feedback/)

`site_url`, `repo_url` and `edit_uri` are MkDocs' own keys and the only place those URLs are
written; `extra.feedback` adds only what MkDocs has no key for. When `tracker` is absent it is
inferred from `repo_url`'s host (github.com, gitlab.com, codeberg.org); a self-hosted forge must
name its kind.

Typical use, once per build::

    cfg = load_feedback_config(project, edition=project.manifest.edition)
    for page in pages:
        target = FeedbackTarget(page.title, page.url, "booklet/animals.md", line=12, section="Growth")
        for link in feedback_links(cfg, target, content.warn):  # a missing setting: a warning
            ...                                # link.kind, link.label, link.url

Encoding rules (every URL is plain ASCII, whatever the titles hold):

- every query value and key is percent-encoded with nothing left "safe" (RFC 3986 unreserved
  characters only stay as they are), so `&`, `#`, `?`, `%`, `+`, `=`, `/`, quotes, non-ASCII text
  and emoji survive a round trip through any URL parser; spaces are `%20`, never `+`;
- page and section titles are reduced to one line (each run of white space, newlines included,
  becomes one space): they end up in one-line fields (issue titles, mail subjects), and a newline
  in a mail subject could otherwise smuggle in a header;
- mailto: links follow RFC 6068: the address is percent-encoded except for `@`, line breaks in
  the body are CRLF (`%0D%0A`).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Callable, Literal
from urllib.parse import quote, unquote, urljoin, urlsplit

from pamphlet.i18n import N_, gettext, translator
from pamphlet.sources import schema as s

if TYPE_CHECKING:  # pragma: no cover
    from pamphlet.project import Project

TRACKERS = ["codeberg", "forgejo", "gitea", "github", "gitlab"]
Tracker = Literal["codeberg", "forgejo", "gitea", "github", "gitlab"]
LinkKind = Literal["edit", "issue", "email", "form"]

#: The links in the order `feedback_links` returns them, with their labels (in English: the links
#: carry them in the content's language, and the messages about settings name them in English).
LABELS: dict[str, str] = {
    "edit": N_("Suggest an edit"),
    "issue": N_("Open an issue"),
    "email": N_("Email us"),
    "form": N_("Feedback form"),
}

#: Forge hosts whose kind is known without `extra.feedback.tracker`.
KNOWN_HOSTS: dict[str, Tracker] = {
    "github.com": "github",
    "gitlab.com": "gitlab",
    "codeberg.org": "codeberg",
}

DEFAULT_PAGE = "feedback/"
_KEYS = ("extra", "feedback")
_CONFIG_NAME = "mkdocs.yml"


# --------------------------------------------------------------------------- configuration


def _check_email(value: object) -> str:
    text = value.strip() if isinstance(value, str) else value
    if (not isinstance(text, str) or text.count("@") != 1 or text.startswith("mailto:")
            or any(c.isspace() or c in '<>,;"' for c in text)):
        raise ValueError(f"Expected an email address like chapter@example.org but received: {value!r}")
    local, domain = text.split("@")
    if not local or "." not in domain.strip(".") or domain.startswith(".") or domain.endswith("."):
        raise ValueError(f"Expected an email address like chapter@example.org but received: {value!r}")
    return text


def _check_page(value: object) -> str:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text and not text.startswith(("/", "#", "?")) and "://" not in text \
            and not any(c.isspace() or c == "\\" for c in text) and ".." not in text.split("/"):
        return text
    raise ValueError(f"Expected a path inside the site like feedback/ but received: {value!r}")


FEEDBACK_SCHEMA: dict[str, s.Option] = {
    "tracker": s.Choice(TRACKERS, help="the forge's kind; inferred from repo_url's host if absent"),
    "email": s.Custom(_check_email, help="contact address for the 'Email us' link"),
    "form_url": s.Url(help="a feedback form; page and section are appended"),
    "page": s.Custom(_check_page, default=DEFAULT_PAGE, help="the site's feedback page"),
}


@dataclass(frozen=True)
class FeedbackConfig:
    """Everything the links need: `extra.feedback` plus MkDocs' own URL keys and the edition.

    `tracker` is already resolved (configured, or inferred from `repo_url`); `None` means no
    issue links. `docs_dir` is the docs folder relative to the repository root, as a POSIX path
    ("docs", "." for the root itself; `None` if it lies outside the repository).
    """

    tracker: Tracker | None = None
    email: str | None = None
    form_url: str | None = None
    page: str = DEFAULT_PAGE
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    docs_dir: str | None = "docs"
    edition: str | None = None
    #: True when `tracker` came from `repo_url`'s host rather than from the settings.
    tracker_inferred: bool = False

    @property
    def feedback_page_url(self) -> str | None:
        """The absolute URL of the site's feedback page, or `None` without `site_url`."""
        return site_page_url(self, self.page)


def infer_tracker(repo_url: str | None) -> Tracker | None:
    """The forge kind for a well-known host (github.com, gitlab.com, codeberg.org), else `None`."""
    if not repo_url:
        return None
    try:
        host = (urlsplit(repo_url).hostname or "").lower()
    except ValueError:
        return None
    return KNOWN_HOSTS.get(host.removeprefix("www."))


def _docs_dir(project: "Project") -> str | None:
    try:
        relative = project.docs_dir.resolve().relative_to(project.root.resolve())
    except ValueError:
        return None
    return relative.as_posix()


def load_feedback_config(project: "Project", *, edition: str | None = None) -> FeedbackConfig:
    """The feedback links' settings: `extra.feedback` (already checked, with its defaults, by the
    typed settings: `pamphlet.settings`) and MkDocs' own URL keys. `edition` (e.g. the
    manifest's) is carried along for the issue and mail bodies."""
    values = {name: option.default for name, option in FEEDBACK_SCHEMA.items()} | project.settings.feedback
    tracker = values["tracker"]
    inferred = tracker is None
    if inferred:
        tracker = infer_tracker(project.repo_url)
    return FeedbackConfig(
        tracker=tracker,
        email=values["email"],
        form_url=values["form_url"],
        page=values["page"],
        site_url=project.site_url,
        repo_url=project.repo_url or None,
        edit_uri=project.edit_uri or None,
        docs_dir=_docs_dir(project),
        edition=edition,
        tracker_inferred=inferred and tracker is not None,
    )


# --------------------------------------------------------------------------- targets and links


@dataclass(frozen=True)
class FeedbackTarget:
    """What the feedback is about.

    `page_url` is the page's absolute public URL (with `#anchor` for a section, if wanted);
    `source` the Markdown file, relative to the repository root, as a POSIX path
    ("booklet/animals.md", "docs/index.md"); `line` the 1-based line of the section in it.
    Passing anything else is a programming error (`ValueError`).
    """

    page_title: str
    page_url: str | None
    source: str
    line: int | None = None
    section: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.page_title, str) or not self.page_title.strip():
            raise ValueError(f"page_title must be a non-empty string, not {self.page_title!r}")
        if not isinstance(self.source, str) or not self.source or "\\" in self.source:
            raise ValueError(f"source must be a repository-relative POSIX path, not {self.source!r}")
        parts = PurePosixPath(self.source)
        if parts.is_absolute() or ".." in parts.parts or self.source.endswith("/"):
            raise ValueError(f"source must be a repository-relative POSIX path, not {self.source!r}")
        if self.line is not None and (isinstance(self.line, bool) or not isinstance(self.line, int)
                                      or self.line < 1):
            raise ValueError(f"line must be a positive int or None, not {self.line!r}")
        if self.section is not None and not isinstance(self.section, str):
            raise ValueError(f"section must be a string or None, not {self.section!r}")


@dataclass(frozen=True)
class FeedbackLink:
    kind: LinkKind
    label: str
    url: str


def one_line(text: str) -> str:
    """`text` with every run of white space (newlines, tabs, U+2028, ...) made one space."""
    return " ".join(text.split())


def _q(text: str) -> str:
    """Percent-encode everything but RFC 3986's unreserved characters (UTF-8; space is %20)."""
    return quote(text, safe="", encoding="utf-8", errors="strict")


def _query(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{_q(key)}={_q(value)}" for key, value in pairs)


def site_page_url(cfg: FeedbackConfig, path: str, anchor: str | None = None) -> str | None:
    """The public URL of a site path such as "booklet/animals/" (`None` without `site_url`)."""
    if not cfg.site_url:
        return None
    base = cfg.site_url if cfg.site_url.endswith("/") else cfg.site_url + "/"
    url = base + quote(path.lstrip("/"), safe="/")
    return url + "#" + _q(anchor) if anchor else url


def feedback_title(target: FeedbackTarget, language: str = "en") -> str:
    """The issue title and mail subject: "Feedback: <page title> › <section>"."""
    title = gettext(language, "Feedback: {page}", page=one_line(target.page_title))
    if target.section and target.section.strip():
        title += f" › {one_line(target.section)}"
    return title


def context_fields(cfg: FeedbackConfig, target: FeedbackTarget, language: str = "en") -> list[tuple[str, str]]:
    """The facts every message carries, as (label, value) pairs; absent facts are left out."""
    _ = translator(language)
    fields = [(_("Page"), one_line(target.page_title))]
    if target.section and target.section.strip():
        fields.append((_("Section"), one_line(target.section)))
    if cfg.edition and cfg.edition.strip():
        fields.append((_("Edition"), one_line(cfg.edition)))
    where = target.source if target.line is None else _("{file}, line {line}", file=target.source, line=target.line)
    fields.append((_("Source"), where))
    if target.page_url:
        fields.append((_("Address"), one_line(target.page_url)))
    return fields


def issue_body(cfg: FeedbackConfig, target: FeedbackTarget, language: str = "en") -> str:
    """The prefilled issue text: a Markdown list of the facts, then room for the comment."""
    lines = [f"- **{label}:** {value}" for label, value in context_fields(cfg, target, language)]
    return "\n".join(lines) + "\n\n### " + gettext(language, "Your comment") + "\n\n"


def email_body(cfg: FeedbackConfig, target: FeedbackTarget, language: str = "en") -> str:
    """The prefilled mail text (plain text, CRLF line breaks as RFC 6068 asks)."""
    lines = [f"{label}: {value}" for label, value in context_fields(cfg, target, language)]
    return "\r\n".join(lines + ["", gettext(language, "Your comment:"), ""])


def _repository(repo_url: str) -> str:
    """`repo_url` without a trailing slash or `.git`: the base of the forge's own pages."""
    return repo_url.rstrip("/").removesuffix(".git")


# Each `_x` returns (url, None) or (None, why) where `why` names the missing setting. The messages
# do not depend on the target, so the build's `errors.Reporter` keeps each once.

def _edit(cfg: FeedbackConfig, target: FeedbackTarget, language: str = "en") -> tuple[str | None, str | None]:
    label = LABELS["edit"]
    if not cfg.repo_url and not (cfg.edit_uri and "://" in cfg.edit_uri):
        return None, f'no "{label}" links: `repo_url` is not set in mkdocs.yml'
    if not cfg.edit_uri:
        return None, f'no "{label}" links: `edit_uri` is not set in mkdocs.yml (e.g. edit/main/docs/)'
    # As MkDocs does it: `edit_uri` is relative to `repo_url` (or absolute) and names docs_dir.
    edit_uri = cfg.edit_uri if cfg.edit_uri.endswith("/") else cfg.edit_uri + "/"
    repo = cfg.repo_url or ""
    if repo and not edit_uri.startswith(("?", "#")) and not repo.endswith("/"):
        repo += "/"
    base = urljoin(repo, edit_uri)
    # The repository root is `base` without docs_dir; any file is then reached from the root,
    # so a chapter in booklet/ links to .../edit/main/booklet/x.md, not into docs/.
    docs = cfg.docs_dir
    root: str | None = None
    if docs in (".", ""):
        root = base
    elif docs is not None:
        for suffix in {docs.strip("/") + "/", quote(docs.strip("/"), safe="/") + "/"}:
            head = base[: -len(suffix)]
            if base.endswith(suffix) and head.endswith(("/", "=")):
                root = head
                break
    if root is not None:
        return root + quote(target.source, safe="/"), None
    inside = docs is not None and (target.source + "/").startswith(docs.strip("/") + "/")
    if inside:  # MkDocs' own rule for pages in docs_dir, whatever edit_uri holds
        return base + quote(posixpath.relpath(target.source, docs), safe="/"), None
    return None, (f'no "{label}" links for files outside `docs_dir` ({docs!r}): `edit_uri` '
                  f"({cfg.edit_uri!r}) in mkdocs.yml does not end with `docs_dir`, so the "
                  "repository root is unknown")


def _issue(cfg: FeedbackConfig, target: FeedbackTarget, language: str = "en") -> tuple[str | None, str | None]:
    label = LABELS["issue"]
    if not cfg.repo_url:
        return None, f'no "{label}" links: `repo_url` is not set in mkdocs.yml'
    if cfg.tracker is None:
        host = urlsplit(cfg.repo_url).hostname or cfg.repo_url
        return None, (f'no "{label}" links: set `extra.feedback.tracker` in mkdocs.yml to one of '
                      f"{TRACKERS} (it cannot be inferred from the host {host!r})")
    title, body = feedback_title(target, language), issue_body(cfg, target, language)
    repo = _repository(cfg.repo_url)
    if cfg.tracker == "gitlab":
        # Rails reads `issue%5Btitle%5D` as `issue[title]`; brackets are encoded to keep the URI valid.
        return f"{repo}/-/issues/new?" + _query([("issue[title]", title), ("issue[description]", body)]), None
    if cfg.tracker == "github":
        return f"{repo}/issues/new?" + _query([("title", title), ("body", body)]), None
    # Gitea, Forgejo and Codeberg (a Forgejo instance) share one URL scheme.
    return f"{repo}/issues/new?" + _query([("title", title), ("body", body)]), None


def _email(cfg: FeedbackConfig, target: FeedbackTarget, language: str = "en") -> tuple[str | None, str | None]:
    if not cfg.email:
        return None, f'no "{LABELS["email"]}" links: `extra.feedback.email` is not set in mkdocs.yml'
    address = quote(cfg.email, safe="@")
    return f"mailto:{address}?" + _query([("subject", feedback_title(target, language)),
                                          ("body", email_body(cfg, target, language))]), None


FORM_PARAMETERS = ("page", "section")


def _form(cfg: FeedbackConfig, target: FeedbackTarget, language: str = "en") -> tuple[str | None, str | None]:
    if not cfg.form_url:
        return None, f'no "{LABELS["form"]}" links: `extra.feedback.form_url` is not set in mkdocs.yml'
    url, _, fragment = cfg.form_url.partition("#")
    base, _, query = url.partition("?")
    # Keep the form's own parameters byte for byte, minus any `page`/`section` we set ourselves.
    kept = [part for part in query.split("&")
            if part and unquote(part.partition("=")[0].replace("+", " ")) not in FORM_PARAMETERS]
    pairs = [("page", target.page_url or target.source)]
    if target.section and target.section.strip():
        pairs.append(("section", one_line(target.section)))
    result = base + "?" + "&".join(kept + [_query(pairs)])
    return result + ("#" + fragment if fragment else ""), None


def edit_url(cfg: FeedbackConfig, target: FeedbackTarget) -> str | None:
    """The forge's "edit this file" URL for `target.source`, from `repo_url` + `edit_uri`.

    `edit_uri` names the docs folder (e.g. "edit/main/docs/", GitLab "-/edit/main/docs/", Gitea
    and Forgejo "_edit/main/docs/"); the docs folder is removed from it to reach the repository
    root, so "booklet/x.md" gives https://github.com/o/r/edit/main/booklet/x.md.
    `None` when `repo_url`/`edit_uri` are not set (or the root cannot be found, see `_edit`).
    """
    return _edit(cfg, target)[0]


def issue_url(cfg: FeedbackConfig, target: FeedbackTarget) -> str | None:
    """A new-issue URL with title and body prefilled (`None` without `repo_url` or a tracker).

    GitHub: ``/issues/new?title=…&body=…``; GitLab: ``/-/issues/new?issue[title]=…&
    issue[description]=…``; Gitea, Forgejo, Codeberg: ``/issues/new?title=…&body=…``.
    """
    return _issue(cfg, target)[0]


def email_url(cfg: FeedbackConfig, target: FeedbackTarget) -> str | None:
    """An RFC 6068 ``mailto:`` URL with subject and body (`None` without `extra.feedback.email`)."""
    return _email(cfg, target)[0]


def form_url(cfg: FeedbackConfig, target: FeedbackTarget) -> str | None:
    """`extra.feedback.form_url` with `page` (the page URL, else the source path) and `section`
    appended; the form's own query and fragment are kept. `None` when not configured."""
    return _form(cfg, target)[0]


_MAKERS = {"edit": _edit, "issue": _issue, "email": _email, "form": _form}


def feedback_links(cfg: FeedbackConfig, target: FeedbackTarget,
                   warn: Callable[[str], None], language: str = "en") -> list[FeedbackLink]:
    """Every configured link, in the order edit, issue, email, form, its label (and the issue's or
    mail's prefilled text) in `language`.

    A link whose settings are missing is left out and `warn` is called with a message naming the
    setting; the message is the same for every target (`errors.Reporter` keeps it once).
    The form is optional by design: without `form_url` there is simply no form link, no warning.
    """
    links: list[FeedbackLink] = []
    _ = translator(language)
    for kind, make in _MAKERS.items():
        url, why = make(cfg, target, language)
        if url is None and kind == "form" and not cfg.form_url:
            continue
        if url is None:
            warn(why or f'no "{LABELS[kind]}" links')
        else:
            links.append(FeedbackLink(kind, _(LABELS[kind]), url))  # type: ignore[arg-type]
    return links


__all__ = [
    "DEFAULT_PAGE", "FEEDBACK_SCHEMA", "FeedbackConfig", "FeedbackLink", "FeedbackTarget", "LABELS",
    "TRACKERS", "context_fields", "edit_url", "email_body", "email_url",
    "feedback_links", "feedback_title", "form_url", "infer_tracker", "issue_body", "issue_url",
    "load_feedback_config", "one_line", "site_page_url",
]
