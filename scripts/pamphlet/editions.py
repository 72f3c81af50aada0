"""Translated editions: the model of the site and the PDFs in another language, from the same sources.

`edition(content, "es")` is the Spanish model made from the (checked) source-language model:
every page of it, read from its translation (`page.es.md` beside `page.md`) when there is one,
else the original's text marked as a `fallback`; the fliers that have a translation; the FAQ's
translation; the manifest with the words of `booklet/booklet.es.yml`. It has the same pages at
the same site paths (so links, anchors and the language switcher match page for page), its own
site address (`site_url` + `es/`), and its own generated pages, made by the same code in its
language. Closed meetings and drafts never enter the source model, so no edition can show them;
a translation marked `draft: true` is not used (the page falls back).

Every translation is checked like any source (links, anchors, citations) and against its
original's version (`pamphlet.translations`): a translation behind its original is a warning
naming the sections that changed.
"""

from __future__ import annotations

import dataclasses

from pamphlet.content import FAQ, FLIERS_DIR, Content, Page, _load_page, check, source_folders
from pamphlet.errors import Collector, SourceError, SourceWarning
from pamphlet.notes import load_faq
from pamphlet.project import Project
from pamphlet.sources import schema as s
from pamphlet.sources.files import load_yaml, read_markdown
from pamphlet.sources.fliers import load_flier
from pamphlet.sources.inventory import read_page, symlink_problem
from pamphlet.translations import ORIGINAL_KEY, follow, stale_message, translation_path

# What booklet/booklet.<language>.yml may translate; the rest (chapters, paper, date...) is the original's.
MANIFEST_WORDS: dict[str, s.Option] = {
    "title": s.Str(),
    "subtitle": s.Str(),
    "edition": s.Str(),
    "organization": s.Str(),
    "author": s.Str(),
    "description": s.Str(),
    "license": s.Str(),
    "cover_alt": s.Str(),
    "download": s.Str(pattern=r"[a-z0-9][a-z0-9._-]*\.pdf"),
    ORIGINAL_KEY: s.Str(),
}


def edition_project(project: Project, language: str) -> Project:
    """The project as the `language` edition sees it: its site lives under /<language>/."""
    settings = project.settings
    site_url = f"{settings.site_url}{language}/" if settings.site_url else None
    return Project(project.root, dataclasses.replace(settings, site_url=site_url))


def edition_manifest(content: Content, language: str, errors: Collector):
    """The manifest in `language`: the original's, with the words of booklet.<language>.yml."""
    m = content.manifest
    path = translation_path(m.path, language)
    if not path.is_file():
        return dataclasses.replace(m, language=language, download=f"{m.download[:-4]}-{language}.pdf")
    source = load_yaml(path)
    values = errors.collect(s.validate, source, MANIFEST_WORDS, what="the manifest's translation") or {}
    words = {k: v for k, v in values.items() if v is not None and k != ORIGINAL_KEY}
    words.setdefault("download", f"{m.download[:-4]}-{language}.pdf")
    return dataclasses.replace(m, language=language, path=path, source=source, **words)


# What data/meetings.<language>.yml may translate, meeting by meeting (by id): its words. Days,
# times, addresses and changes stay the schedule's, the one place for them.
MEETING_WORDS: dict[str, s.Option] = {"title": s.Str(), "place": s.Str(), "room": s.Str(), "notes": s.Str()}


def edition_schedule(content: Content, language: str, errors: Collector):
    """The schedule with its meetings' words (title, place, room, notes) from data/meetings.<language>.yml."""
    schedule = content.schedule
    if schedule is None:
        return None
    path = translation_path(schedule.path, language)
    if not path.is_file():
        return schedule
    source = errors.collect(load_yaml, path)
    if source is None:
        return schedule
    if not isinstance(source.data, dict):
        errors.add(SourceError("expected a mapping of meeting ids to their words (title, room, notes)", path, 1))
        return schedule
    meetings = []
    words_of = {}
    for meeting_id, data in source.data.items():
        if meeting_id == ORIGINAL_KEY:
            continue
        if schedule.meeting(str(meeting_id)) is None:
            known = [m.id for m in schedule.meetings]
            errors.add(SourceError(f"no meeting `{meeting_id}` in {schedule.path.name}; known: {known}", path,
                                   source.line(meeting_id)))
            continue
        values = errors.collect(s.validate, source, MEETING_WORDS, data=data, prefix=(meeting_id,),
                                what=f"the words of `{meeting_id}`")
        if values is not None:
            words_of[str(meeting_id)] = {k: v for k, v in values.items() if v is not None}
    for meeting in schedule.meetings:
        meetings.append(dataclasses.replace(meeting, **words_of.get(meeting.id, {})))
    return dataclasses.replace(schedule, meetings=tuple(meetings))


def _translated_page(content: Content, page: Page, language: str, errors: Collector) -> Page:
    """`page` in `language`: read from its translation, or the original's text as a fallback."""
    if page.path is None or page.generated_text is not None:
        return page
    path = translation_path(page.path, language)
    if not path.is_file():
        return dataclasses.replace(page, fallback=True)
    problem = symlink_problem(path, source_folders(content.project))
    if problem:
        errors.add(SourceError(problem, path))
        return dataclasses.replace(page, fallback=True)
    source, found = read_page(path, errors)
    if source is None or not found.public:
        return dataclasses.replace(page, fallback=True)  # a draft translation is not published
    translated = _load_page(page.uri, path, errors, page.chapter, source)
    if translated is None:
        return dataclasses.replace(page, fallback=True)
    translated.translation = follow(path, page.path, language, source.meta, content.project.root)
    return translated


def _report(content: Content, translation, original_name: str) -> None:
    if translation.recorded is None:
        content.reporter.warn(SourceWarning(
            f"record which version of {original_name} this translates: add `{ORIGINAL_KEY}: "
            f"{translation.current[:12]}` to its front matter", translation.path, 1, code="translation-version"))
    elif translation.stale:
        content.reporter.warn(SourceWarning(stale_message(translation, original_name), translation.path,
                                            translation.line, code="stale-translation"))


def _report_orphans(translated: Content, language: str) -> None:
    """A translation whose original does not exist (renamed, deleted, or a typo in the name) is
    never published: say so, at the translation."""
    project = translated.project
    folders = [(project.docs_dir, "**/"), (project.manifest_path.parent, ""), (project.root / FLIERS_DIR, "")]
    for folder, depth in folders:
        for path in sorted(folder.glob(f"{depth}*.{language}.md")) if folder.is_dir() else []:
            original = path.with_name(path.name[:-len(f".{language}.md")] + ".md")
            if not original.exists() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
                translated.reporter.warn(SourceWarning(
                    f"a translation of {project.relative(original)}, which does not exist: it is not published "
                    "(rename it after its original)", path, code="translation-orphan"))


def edition(content: Content, language: str) -> Content:
    """The `language` edition of `content` (the source-language model, loaded and checked, before its
    generated pages are added); raises `SourceErrors` for problems in the translations."""
    from pamphlet.pages import add_generated_pages  # the pages are made per edition, in its language

    errors = Collector()
    project = edition_project(content.project, language)
    manifest = edition_manifest(content, language, errors)
    if project.settings.site_name == content.manifest.organization != manifest.organization:
        # the site is named after the group, whose name the manifest's translation gives
        project.settings = dataclasses.replace(project.settings, site_name=manifest.organization)
    pages = {uri: _translated_page(content, page, language, errors) for uri, page in content.pages.items()
             if page.generated_text is None}
    chapters = {p.chapter.slug: p for p in pages.values() if p.chapter is not None}
    manifest_chapters = tuple(chapters[c.slug].chapter for c in content.manifest.chapters if c.slug in chapters)
    fliers, followed = [], [p.translation for p in pages.values() if p.translation is not None]
    for flier in content.fliers:
        path = translation_path(flier.path, language)
        if not path.is_file():
            continue
        problem = symlink_problem(path, source_folders(project))
        if problem:
            errors.add(SourceError(problem, path))
            continue
        translated = errors.collect(load_flier, path)
        if translated is not None and translated.public:
            fliers.append(translated)
            followed.append(follow(path, flier.path, language, read_markdown(path).meta, project.root))
    schedule = edition_schedule(content, language, errors)
    faq = content.faq
    if faq is not None and FAQ in pages and pages[FAQ].translation is not None:
        faq = errors.collect(load_faq, pages[FAQ].path)
    errors.raise_if_any()
    translated = dataclasses.replace(
        content, project=project, manifest=dataclasses.replace(manifest, chapters=manifest_chapters), pages=pages,
        fliers=fliers, faq=faq, editions={}, source=content, schedule=schedule)
    project.__dict__["manifest"] = translated.manifest
    for translation in followed:
        _report(translated, translation, content.project.relative(translation.original))
    _report_orphans(translated, language)
    add_generated_pages(translated)
    check(translated)
    return translated


def original_flier(content: Content, flier):
    """The source-language flier that `flier`, of a translated edition, translates."""
    suffix = f".{content.language}"
    name = flier.name[:-len(suffix)] if flier.name.endswith(suffix) else flier.name
    return next((f for f in content.source.fliers if f.name == name), None) if content.source else None


__all__ = ["MANIFEST_WORDS", "edition", "edition_manifest", "edition_project", "original_flier"]
