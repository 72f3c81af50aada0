"""Bad input: one clear line naming file and line, exit status 1, no traceback, last build kept."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import errors_of, run_pamphlet


def fingerprint(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _replace_line(path: Path, old: str, new: str) -> int:
    """Replace the first `old` line; returns its line number."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def missing_chapter(root: Path) -> int:
    return _replace_line(root / "booklet/booklet.yml", "  - repair.md\n", "  - repair-cafe.md\n")


def manifest_yaml_error(root: Path) -> int:
    # The parser notices the unclosed bracket at the next key, one line further down.
    return _replace_line(root / "booklet/booklet.yml", "edition: Trial edition\n", "edition: [Trial edition\n") + 1


def front_matter_yaml_error(root: Path) -> int:
    path = root / "booklet/councils.md"
    path.write_text('---\ndescription: "never closed\n---\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    return 2


def not_utf8(root: Path) -> int:
    path = root / "booklet/commons.md"
    lines = path.read_bytes().split(b"\n")
    lines[4] = "Café in Latin-1".encode("latin-1")  # é is the 4th character
    path.write_bytes(b"\n".join(lines))
    return 5


def broken_link(root: Path) -> int:
    path = root / "booklet/commons.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = "See [the missing chapter](schools.md) first."
    path.write_text("\n".join(lines), encoding="utf-8")
    return 3


def missing_image(root: Path) -> int:
    path = root / "docs/index.md"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + "![Our banner](images/banner.png)\n", encoding="utf-8")
    return text.count("\n") + 1


def image_without_description(root: Path) -> int:
    path = root / "docs/index.md"
    (root / "docs" / "banner.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(text + "![](banner.png)\n", encoding="utf-8")
    return text.count("\n") + 1


def missing_manifest_key(root: Path) -> int:
    _replace_line(root / "booklet/booklet.yml", "organization: Harbor Street Study Group\n", "")
    return 1  # a missing key has no line of its own: the file's start


def bad_paper(root: Path) -> int:
    return _replace_line(root / "booklet/booklet.yml", "paper: half-letter\n", "paper: tabloid\n")


CASES = [
    (missing_chapter, r"^error: booklet/booklet\.yml:{line}: chapter `repair-cafe\.md` is listed but "
                      r"repair-cafe\.md does not exist in booklet/$"),
    (manifest_yaml_error, r"^error: booklet/booklet\.yml:{line}:\d+: YAML syntax error: .+$"),
    (front_matter_yaml_error, r"^error: booklet/councils\.md:{line}:\d+: YAML syntax error: .+$"),
    (not_utf8, r"^error: booklet/commons\.md:{line}:4: not valid UTF-8 \(byte 0xe9\); save the file as UTF-8$"),
    (broken_link, r"^error: booklet/commons\.md:{line}:27: link to `schools\.md`, but there is no page "
                  r"booklet/schools\.md on the site$"),
    (missing_image, r"^error: docs/index\.md:{line}:15: missing image `images/banner\.png` "
                    r"\(looked for docs/images/banner\.png\)$"),
    (image_without_description, r"^error: docs/index\.md:{line}:5: the image `banner\.png` needs a description "
                                 r"for readers who cannot see it: !\[what it shows\]\(banner\.png\)$"),
    (missing_manifest_key, r"^error: booklet/booklet\.yml:{line}: missing required key `organization` in the "
                           r"booklet manifest$"),
    (bad_paper, r"^error: booklet/booklet\.yml:{line}: `paper`: Expected one of: \['a5', 'half-letter', 'letter'\] "
                r"but received: 'tabloid'$"),
]


@pytest.mark.parametrize("break_it, message", CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_input_is_reported_and_the_last_build_kept(built_project: Path, cli, break_it, message) -> None:
    root = built_project
    before = fingerprint(root / "site")
    assert before
    line = break_it(root)
    result = cli(root, "build")
    errors = errors_of(result)
    assert len(errors) == 1, result.stderr
    assert re.match(message.replace("{line}", str(line)), errors[0]), errors[0]
    assert fingerprint(root / "site") == before
    assert not list(root.glob(".pamphlet-build-*")), "temporary build folder left behind"


def test_check_reports_every_problem_at_once(project: Path) -> None:
    """The real command, in a process of its own: exit status 1, one line per problem."""
    link, image = broken_link(project), missing_image(project)
    result = run_pamphlet(project, "check")
    assert result.returncode == 1
    assert sorted(line.split(":")[1:3] for line in errors_of(result)) == [
        [" booklet/commons.md", str(link)], [" docs/index.md", str(image)]]


def test_check_passes_on_the_sample_project(project: Path, cli) -> None:
    result = cli(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not even a warning
    assert result.stdout.strip().endswith("3 chapters: no errors found")
