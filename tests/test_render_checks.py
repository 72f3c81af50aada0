"""The pre-flight render remembered (`pamphlet.cache.RenderChecks`): `check`, `build` and `serve` render
again only the pages that changed, and never skip a page that failed or warned. On copies of the
tiny fixture project; no timings here (bench/run.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import pamphlet.preflight
from pamphlet.cache import CACHE_DIR, CHECKED
from pamphlet.model import load

from conftest import SAMPLE, TINY, TODAY, copy_project


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", TINY)


@pytest.fixture()
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The site paths of the pages the pre-flight renders, in order."""
    seen: list[str] = []
    original = pamphlet.preflight.render_context

    def spy(content, page, **options):
        seen.append(page.uri)
        return original(content, page, **options)

    monkeypatch.setattr(pamphlet.preflight, "render_context", spy)
    return seen


def again(root: Path, rendered: list[str], **options) -> set[str]:
    rendered.clear()
    load(root, TODAY, **options)
    return set(rendered)


def test_only_the_pages_that_changed_are_rendered_again(tiny: Path, rendered: list[str]) -> None:
    everything = again(tiny, rendered)
    assert {"index.md", "faq.md", "booklet/gardens.md", "booklet/tools.md"} <= everything
    assert again(tiny, rendered) == set()  # nothing changed
    chapter = tiny / "booklet" / "tools.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("a week", "two weeks"), encoding="utf-8")
    assert again(tiny, rendered) == {"booklet/tools.md"}
    settings = tiny / "mkdocs.yml"  # what every render reads: all of them again
    settings.write_text(settings.read_text(encoding="utf-8").replace("circle.example.org", "circle.example.net"),
                        encoding="utf-8")
    assert again(tiny, rendered) == everything
    assert again(tiny, rendered, cache=False) == everything  # `build --no-cache` renders every page
    assert len(list((tiny / CACHE_DIR / CHECKED).iterdir())) >= 2 * len(everything) - 1


def test_a_page_that_warns_is_rendered_and_warns_every_time(tiny: Path, rendered: list[str]) -> None:
    drafts = tiny / "docs" / "drafts"
    drafts.mkdir()
    (drafts / "plan.md").write_text("# Plan\n\nAs @nobody:2020 says, start small.\n", encoding="utf-8")
    for _ in range(2):
        rendered.clear()
        content = load(tiny, TODAY)
        assert "drafts/plan.md" in rendered
        assert any("nobody:2020" in warning.message for warning in content.warnings)


def test_a_page_that_fails_is_never_taken_as_passed(tiny: Path, rendered: list[str], monkeypatch) -> None:
    from pamphlet.errors import SourceError, SourceErrors

    def broken(self, source):  # a renderer that fails on one page, as a third-party extension could
        if "Borrowing" in source:
            raise SourceError("cannot render", None)
        return "<p>fine</p>"

    monkeypatch.setattr("markdown.Markdown.convert", broken)
    for _ in range(2):
        rendered.clear()
        with pytest.raises((SourceError, SourceErrors)):
            load(tiny, TODAY)
        assert "booklet/tools.md" in rendered


def test_a_symlinked_folder_is_not_used(tiny: Path, tmp_path: Path, rendered: list[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tiny / CACHE_DIR).mkdir()
    (tiny / CACHE_DIR / CHECKED).symlink_to(outside, target_is_directory=True)
    first = again(tiny, rendered)
    assert again(tiny, rendered) == first and list(outside.iterdir()) == []


def test_the_preflight_leaves_out_only_the_typographic_extensions(tmp_path: Path) -> None:
    """Quotes and dashes made typographic cannot fail nor make markup: the pre-flight render skips them
    (a third of its time), and keeps every other extension and the last HTML gate."""
    from pamphlet.project import Project
    from pamphlet.render import TYPOGRAPHIC, make_markdown

    project = Project.load(copy_project(tmp_path / "project", SAMPLE))  # its mkdocs.yml lists smarty
    site, preflight = make_markdown(project), make_markdown(project, leave_out=TYPOGRAPHIC)
    parts = ("preprocessors", "parser.blockprocessors", "inlinePatterns", "treeprocessors", "postprocessors")

    def registered(md) -> set[str]:
        found = set()
        for part in parts:
            registry = md.parser.blockprocessors if part == "parser.blockprocessors" else getattr(md, part)
            found |= {f"{part}:{name}" for name in registry._data}
        return found

    assert registered(site) - registered(preflight) == {"treeprocessors:smarty"}
    assert "postprocessors:pamphlet_safety" in registered(preflight)
    assert site.convert('"Plots" -- and sheds') != preflight.reset().convert('"Plots" -- and sheds')
