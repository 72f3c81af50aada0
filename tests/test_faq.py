"""The FAQ: the sample project's docs/faq.md, error messages with lines, and the schema.org JSON-LD."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pamphlet.errors import SourceError, SourceErrors
from pamphlet.notes import Faq, Question, Topic, faq_jsonld, jsonld_script, load_faq

from conftest import SAMPLE
from expected import SITE_URL

FIXTURES = Path(__file__).parent / "fixtures" / "notes"
TINY = FIXTURES / "faq-tiny.md"
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown).strip()


@pytest.fixture(scope="module")
def sample() -> Faq:
    return load_faq(SAMPLE / "docs" / "faq.md")


def test_sample_faq_has_its_questions_with_unique_ids(sample: Faq) -> None:
    questions = list(sample.questions())
    assert [q.id for q in questions] == ["shared-street", "who-keeps-the-notebook", "borrowing-from-elsewhere",
                                         "how-the-council-decides", "fees"]
    ids = [q.id for q in questions]
    assert len(set(ids)) == len(ids)
    assert all(ID.fullmatch(i) for i in ids)
    assert sample.title == "Questions and answers"
    assert sample.intro_markdown == ("Short answers to what neighbours ask us at the garden gate. "
                                     "Each points to the booklet.")
    assert [(t.title, t.id, len(t.questions)) for t in sample.topics] == [("The street", "the-street", 3),
                                                                       ("The council", "the-council", 2)]


def test_sample_faq_questions_keep_text_line_and_answer(sample: Faq) -> None:
    first = sample.question("shared-street")
    assert (first.text, first.line) == ("What is a shared street?", 7)
    assert first.answer_markdown.startswith("A street whose households share tools, a garden")
    assert first.answer_markdown.endswith("The [commons chapter](booklet/commons.md) describes each one.")
    for question in sample.questions():
        assert question.answer_markdown.strip() and "{#" not in question.text
        assert not question.answer_markdown.startswith("\n") and not question.answer_markdown.endswith("\n")


def test_tiny_faq_structure() -> None:
    assert load_faq(TINY) == Faq(TINY, "Questions & answers", "A short introduction.", [
        Topic("Basics", "basics", 5, [
            Question("what", "What is it?", "It is *this*.", 7),
            Question("why-now", "Why now?", 'Because <now> & "then".', 11),
        ]),
        Topic("More", "more", 15, [
            Question("who", "Who?", "- Us\n- You\n\n#### A detail\n\nStill part of the answer.", 17),
        ]),
    ])


def test_front_matter_shifts_lines(tmp_path: Path) -> None:
    path = tmp_path / "faq.md"
    path.write_text("---\ntitle: FAQ\n---\n" + TINY.read_text(encoding="utf-8"), encoding="utf-8")
    assert [q.line for q in load_faq(path).questions()] == [10, 14, 20]


def test_bad_faq_reports_each_problem_at_its_line() -> None:
    path = FIXTURES / "faq-bad.md"
    want = sorted((int(line), message) for line, message in
                  re.findall(r"^<!-- expect: (\d+): (.*) -->$", path.read_text(encoding="utf-8"), re.MULTILINE))
    with pytest.raises(SourceErrors) as info:
        load_faq(path)
    assert sorted((e.line, e.message) for e in info.value.errors) == want
    assert all(Path(e.file) == path for e in info.value.errors)


def test_faq_without_title(tmp_path: Path) -> None:
    path = tmp_path / "faq.md"
    path.write_text("## Topic\n\n### Q? {#q}\n\nA.\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_faq(path)
    assert (info.value.line, info.value.message) == (1, "the FAQ starts with a `# Title` heading")


def test_jsonld_is_exactly_the_expected_structure() -> None:
    data = faq_jsonld(load_faq(TINY), "https://example.org/site/faq/#ignored", render)
    assert data == json.loads((FIXTURES / "faq-tiny.jsonld").read_text(encoding="utf-8"))


def test_jsonld_of_the_sample_faq_has_every_question(sample: Faq) -> None:
    data = faq_jsonld(sample, SITE_URL + "faq/", render)
    assert len(data["mainEntity"]) == len(list(sample.questions())) == 5
    assert data["mainEntity"][0]["url"] == SITE_URL + "faq/#shared-street"


def test_jsonld_script_cannot_be_closed_by_the_data() -> None:
    data = {"@type": "FAQPage", "text": "</script><b>&amp;</b>"}
    script = jsonld_script(data)
    start, end = '<script type="application/ld+json">', "</script>"
    assert script.startswith(start) and script.endswith(end)
    inner = script[len(start):-len(end)]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == data
