"""The FAQ: the real docs/faq.md, error messages with lines, and the schema.org JSON-LD."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pamphlet.errors import SourceError, SourceErrors
from pamphlet.notes import Faq, Question, Topic, faq_jsonld, jsonld_script, load_faq

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "notes"
TINY = FIXTURES / "faq-tiny.md"
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown).strip()


@pytest.fixture(scope="module")
def real() -> Faq:
    return load_faq(ROOT / "docs" / "faq.md")


def test_real_faq_has_at_least_15_questions_with_unique_ids(real: Faq) -> None:
    questions = list(real.questions())
    assert len(questions) >= 15
    ids = [q.id for q in questions]
    assert len(set(ids)) == len(ids)
    assert all(ID.fullmatch(i) for i in ids)
    assert real.title == "Frequently asked questions"
    assert real.intro_markdown.startswith("These are the questions people ask us most often")
    assert len(real.topics) >= 3 and all(topic.questions for topic in real.topics)


def test_real_faq_questions_keep_text_line_and_answer(real: Faq) -> None:
    first = real.question("in-a-nutshell")
    assert (first.text, first.line) == ("What is a participatory society, in a nutshell?", 10)
    assert first.answer_markdown.startswith("It's a society where the people who live with a decision")
    assert first.answer_markdown.endswith("explains the four values underneath it.")
    for question in real.questions():
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


def test_jsonld_of_the_real_faq_has_every_question(real: Faq) -> None:
    data = faq_jsonld(real, "https://decatur-parsoc.github.io/pamphlet/faq/", render)
    assert len(data["mainEntity"]) == len(list(real.questions()))
    assert data["mainEntity"][0]["url"] == "https://decatur-parsoc.github.io/pamphlet/faq/#in-a-nutshell"


def test_jsonld_script_cannot_be_closed_by_the_data() -> None:
    data = {"@type": "FAQPage", "text": "</script><b>&amp;</b>"}
    script = jsonld_script(data)
    start, end = '<script type="application/ld+json">', "</script>"
    assert script.startswith(start) and script.endswith(end)
    inner = script[len(start):-len(end)]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == data
