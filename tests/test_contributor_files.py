"""The files for contributors and CI: the pre-commit hooks, the two site workflows, CONTRIBUTING.md.

They are plain configuration, so these tests read them as data and check what matters: the hook
runs `pamphlet check` on the whole project, the workflows check, build, rebuild daily and publish
only the public site and never from a pull request, and CONTRIBUTING.md links to README sections
that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = [ROOT / ".github/workflows/site.yml", ROOT / ".forgejo/workflows/site.yml"]
SOURCE_FILES = ["booklet/economy.md", "docs/faq.md", "fliers/meetings-flier.md", "data/meetings.yml",
                "mkdocs.yml", "references.bib"]
OTHER_FILES = ["scripts/pamphlet/cli.py", "tests/test_site.py", "README.md", "site/index.html"]


def load_yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The workflow's `on:` block; PyYAML (YAML 1.1) reads the bare key `on` as the boolean True."""
    found = workflow.get("on", workflow.get(True))
    assert isinstance(found, dict), "the workflow needs an `on:` mapping of events"
    return found


def run_lines(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def check_hook_files(pattern: str) -> None:
    regex = re.compile(pattern)
    for name in SOURCE_FILES:
        assert regex.search(name), f"the hook should run when {name} changes"
    for name in OTHER_FILES:
        assert not regex.search(name), f"the hook should not run for {name} alone"


def test_published_hook_runs_the_whole_check():
    hooks = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert hook["id"] == "pamphlet-check"
    assert hook["name"] == "pamphlet check"
    assert hook["entry"] == "pamphlet check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    check_hook_files(hook["files"])


def test_local_hook_uses_the_virtual_environment():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    [hook] = repo["hooks"]
    assert hook["id"] == "pamphlet-check"
    assert hook["entry"] == ".venv/bin/pamphlet check"
    assert hook["language"] == "system"
    assert hook["pass_filenames"] is False
    check_hook_files(hook["files"])
    text = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert "make setup" in text and "pre-commit install" in text


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_workflow_checks_builds_and_rebuilds_daily(path):
    workflow = load_yaml(path)
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "pull_request" in on and "workflow_dispatch" in on
    [schedule] = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*"), "the site should be rebuilt every day"
    assert minute.isdigit() and hour.isdigit()
    assert workflow["permissions"] == {"contents": "read"}

    jobs = workflow["jobs"]
    assert ".venv/bin/pamphlet check --format github" in run_lines(jobs["check"])
    assert jobs["build"]["needs"] == "check"
    assert "make build" in run_lines(jobs["build"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_workflow_publishes_only_outside_pull_requests(path):
    jobs = load_yaml(path)["jobs"]
    publish = jobs.get("deploy") or jobs["publish"]
    assert publish["needs"] == "build"
    condition = " ".join(publish["if"].split())
    assert "github.event_name != 'pull_request'" in condition
    assert "github.ref == 'refs/heads/main'" in condition
    # The build job hands the site over only when it will be published.
    handover = [step for step in jobs["build"]["steps"] if "artifact" in step.get("uses", "")]
    assert handover and all(" ".join(step["if"].split()) == condition for step in handover)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_workflow_never_touches_the_members_edition(path):
    text = path.read_text(encoding="utf-8")
    assert "site-members" not in text
    assert "--members" not in text
    assert "pull_request_target" not in text


def test_github_deploys_with_pages_actions():
    jobs = load_yaml(WORKFLOWS[0])["jobs"]
    [upload] = [s for s in jobs["build"]["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == "site"
    deploy = jobs["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert deploy["concurrency"]["cancel-in-progress"] is False
    # The check and build jobs get no write access and no secrets.
    for name in ("check", "build"):
        assert "permissions" not in jobs[name]
    assert "secrets." not in WORKFLOWS[0].read_text(encoding="utf-8")


def test_forgejo_pushes_the_site_to_the_pages_branch():
    jobs = load_yaml(WORKFLOWS[1])["jobs"]
    for job in jobs.values():
        assert job["runs-on"] == "docker"
        assert job["container"]["image"] == "python:3.11-bookworm"
    checkouts = [s["uses"] for s in jobs["check"]["steps"] if "checkout" in s.get("uses", "")]
    assert checkouts == ["https://code.forgejo.org/actions/checkout@v4"]
    [push] = [s for s in jobs["publish"]["steps"] if "git push" in s.get("run", "")]
    assert push["env"]["PAGES_TOKEN"] == "${{ secrets.PAGES_TOKEN }}"
    script = push["run"]
    assert "cd site" in script and "git init" in script
    assert 'user.name "pamphlet bot"' in script
    assert re.search(r"git push --force\b.*\bpages$", script, re.MULTILINE)
    assert "PAGES_TOKEN" in WORKFLOWS[1].read_text(encoding="utf-8").split("\nname:")[0], \
        "the comment at the top should explain the secret"


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lowercase, punctuation other than `-` and `_` dropped,
    spaces turned into dashes."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def readme_anchors() -> set[str]:
    anchors: set[str] = set()
    counts: dict[str, int] = {}
    fence: str | None = None
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if marker:
            if fence is None:
                fence = marker.group(1)[0] * len(marker.group(1))
            elif marker.group(1).startswith(fence):
                fence = None
            continue
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if fence is None and heading:
            slug = github_slug(heading.group(1))
            n = counts.get(slug, 0)
            counts[slug] = n + 1
            anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def test_github_slug():
    assert github_slug("The manifest (`booklet/booklet.yml`)") == "the-manifest-bookletbookletyml"
    assert github_slug("Citations and the works-cited list") == "citations-and-the-works-cited-list"
    assert github_slug("The `pamphlet` command") == "the-pamphlet-command"


def test_contributing_links_to_readme_sections_that_exist():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((?:\./)?README\.md#([^)\s]+)\)", text)
    assert len(links) >= 5, "CONTRIBUTING.md should point to the README rather than repeat it"
    anchors = readme_anchors()
    assert "where-things-are" in anchors and "agenda" not in anchors  # headings in code blocks don't count
    missing = sorted(set(links) - anchors)
    assert not missing, f"CONTRIBUTING.md links to README sections that do not exist: {missing}"


def test_contributing_covers_what_contributors_need():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (.+)$", text, re.MULTILINE))
    for wanted in ("What the errors mean", "Privacy", "For CI", "Pre-commit hook"):
        assert wanted in headings
    for phrase in ("make serve", "http://127.0.0.1:8000/", "make check", "error: FILE:LINE:COLUMN: message",
                   "--format github", "--format json", "--strict", "kind: closed", "draft: true",
                   "lenient_paths", "iframe_hosts", "pre-commit install"):
        assert phrase in text, phrase
