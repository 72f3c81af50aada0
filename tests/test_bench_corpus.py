"""The benchmark's generated project (bench/corpus.py) stays a valid project as the sources'
rules change: what it generates is checked like any project, without a warning."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pamphlet.model import load

from conftest import REPO, TODAY

sys.path.insert(0, str(REPO / "bench"))
from corpus import Sizes, big_page, generate  # noqa: E402


def test_the_generated_project_checks_cleanly_with_what_was_asked(tmp_path: Path) -> None:
    sample = load(generate(tmp_path / "sample", Sizes(chapters=0, meetings=0, faq=0)), TODAY)
    sizes = Sizes(chapters=2, pages=1, citations=2, contested=1, meetings=3, faq=4)
    root = generate(tmp_path / "project", sizes)
    big = big_page(root, 0.05)
    content = load(root, TODAY)
    assert content.warnings == []
    assert len(content.chapters) == len(sample.chapters) + 2
    assert len(content.meetings.meetings) == len(sample.meetings.meetings) + 3
    assert len(list(content.faq.questions())) == len(list(sample.faq.questions())) + 4
    assert len(content.sections) == len(sample.sections) + 2  # one contested section per chapter
    text = (root / "booklet" / "generated-01.md").read_text(encoding="utf-8")
    assert len(re.findall(r"\[@[^\]]+\]", text)) == 2
    assert 0.05e6 <= big.stat().st_size < 0.06e6 and "big.md" in content.pages
    # the same sizes give the same project
    again = generate(tmp_path / "again", sizes)
    assert (again / "booklet" / "generated-02.md").read_bytes() == (root / "booklet" / "generated-02.md").read_bytes()
