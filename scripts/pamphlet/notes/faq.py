"""The FAQ page (docs/faq.md) as data: topics, questions with stable ids, answers.

The format::

    # Frequently asked questions

    An introduction (any Markdown).

    ## The basic idea                                  <- a topic

    ### What is a participatory society? {#in-a-nutshell}   <- a question and its permanent id

    The answer: any Markdown (lists, links, `####` headings) until the next `#`, `##` or `###`.

Every question must carry its own id (`{#...}`, Python-Markdown's attr_list syntax): the id is the
question's permanent address (faq/#in-a-nutshell), so it must not change when the wording does.
Problems are `SourceError`s with file and line, all reported together.

`faq_jsonld` turns a loaded FAQ into schema.org FAQPage data for search engines; `jsonld_script`
writes it as a `<script type="application/ld+json">` element safe to put in a page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from pamphlet.errors import Collector, SourceError
from pamphlet.sources.analysis import parser, plain_text, slugify
from pamphlet.sources.files import MarkdownSource, read_markdown

ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A trailing attribute list on a heading: `{#id}`, `{: #id }`, `{#id .class}`.
_ATTRS = re.compile(r"(?P<text>.*?)\s*\{:?(?P<attrs>[^{}]*)\}\s*", re.DOTALL)
_ATTR_ID = re.compile(r"(?:^|\s)#(?P<id>[^\s}]*)")


@dataclass(frozen=True)
class Question:
    id: str
    text: str  # plain text of the heading, without `{#id}`
    answer_markdown: str
    line: int


@dataclass
class Topic:
    title: str
    id: str  # the heading's anchor (explicit `{#id}` or the site's slug of the title)
    line: int
    questions: list[Question] = field(default_factory=list)


@dataclass
class Faq:
    path: Path
    title: str
    intro_markdown: str
    topics: list[Topic]

    def questions(self) -> Iterator[Question]:
        for topic in self.topics:
            yield from topic.questions

    def question(self, id: str) -> Question | None:
        for question in self.questions():
            if question.id == id:
                return question
        return None


def _heading(inline_content: str) -> tuple[str, str | None]:
    """A heading's Markdown split into its text and its explicit id (None when it has none)."""
    match = _ATTRS.fullmatch(inline_content)
    if match is None:
        return inline_content.strip(), None
    found = _ATTR_ID.search(match["attrs"])
    return match["text"].strip(), (found["id"] if found and found["id"] else None)


def _plain(markdown: str) -> str:
    tokens = parser().parseInline(markdown)
    return " ".join(plain_text(tokens[0]).split()) if tokens else markdown


def load_faq(path: Path) -> Faq:
    """Read and check the FAQ; raises `SourceError`(s) naming every problem and its line."""
    return parse_faq(read_markdown(Path(path)))


def parse_faq(source: MarkdownSource) -> Faq:
    path = source.path
    errors = Collector()
    lines = source.body.split("\n")
    tokens = parser().parse(source.body)
    headings = [(index, token) for index, token in enumerate(tokens)
                if token.type == "heading_open" and token.level == 0 and token.tag in ("h1", "h2", "h3")]

    def line_of(token) -> int:
        return source.body_line + token.map[0]

    def text_between(start: int, end: int) -> str:
        return "\n".join(lines[start:end]).strip("\n")

    title: str | None = None
    title_line = 0
    intro = ""
    topics: list[Topic] = []
    ids: dict[str, int] = {}  # every anchor on the page -> its line
    for number, (index, token) in enumerate(headings):
        line = line_of(token)
        content_end = headings[number + 1][1].map[0] if number + 1 < len(headings) else len(lines)
        markdown, explicit = _heading(tokens[index + 1].content)
        text = _plain(markdown)
        if token.tag == "h1":
            if title is not None:
                errors.add(SourceError(f"the FAQ has one `# Title` heading (line {title_line}); use `##` for "
                                       "topics and `###` for questions", path, line))
            elif topics:
                errors.add(SourceError("the `# Title` heading must come before the first topic", path, line))
            else:
                title, title_line = text, line
                intro = text_between(token.map[1], content_end)
            continue
        anchor = explicit or slugify(text)
        if token.tag == "h2":
            topics.append(Topic(text, anchor, line))
            if anchor in ids:
                errors.add(SourceError(f"the topic's anchor `{anchor}` is already used on line {ids[anchor]}",
                                       path, line))
            ids.setdefault(anchor, line)
            continue
        # A question.
        if not topics:
            errors.add(SourceError("this question comes before the first topic; put it under a `## Topic` heading",
                                   path, line))
            continue
        if explicit is None:
            errors.add(SourceError(f"this question has no id; end the heading with a short permanent one, "
                                   f"like `### {markdown} {{#{slugify(text)[:40].strip('-') or 'question'}}}`",
                                   path, line))
            continue
        if not ID.fullmatch(explicit):
            errors.add(SourceError(f"question id `{explicit}`: use lowercase letters, digits and dashes "
                                   "(like `in-a-nutshell`)", path, line))
            continue
        if explicit in ids:
            errors.add(SourceError(f"the id `{explicit}` is already used on line {ids[explicit]}; each "
                                   "question needs its own", path, line))
            continue
        ids[explicit] = line
        answer = text_between(token.map[1], content_end)
        if not answer.strip():
            errors.add(SourceError(f"the question `{explicit}` has no answer", path, line))
            continue
        topics[-1].questions.append(Question(explicit, text, answer, line))
    if title is None:
        errors.add(SourceError("the FAQ starts with a `# Title` heading", path, source.body_line))
    for topic in topics:
        if not topic.questions and not _has_question_errors(errors, topic, topics):
            errors.add(SourceError(f"the topic `{topic.title}` has no questions (`### Question? {{#id}}`)",
                                   path, topic.line))
    errors.raise_if_any()
    return Faq(path, title or "", intro, topics)


def _has_question_errors(errors: Collector, topic: Topic, topics: list[Topic]) -> bool:
    """Whether the topic's questions were all rejected (then that is the error to report)."""
    following = [t.line for t in topics if t.line > topic.line]
    end = min(following) if following else float("inf")
    return any(e.line is not None and topic.line < e.line < end for e in errors.errors)


def faq_jsonld(faq: Faq, page_url: str, render: Callable[[str], str]) -> dict:
    """schema.org FAQPage data for the FAQ published at `page_url`.

    `render` turns an answer's Markdown into the answer text (HTML, as the site renders it, or plain
    text); each question's `url` is its permanent address, `page_url#id`.
    """
    base = page_url.split("#", 1)[0]
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "name": faq.title,
        "url": base,
        "mainEntity": [
            {
                "@type": "Question",
                "name": question.text,
                "url": f"{base}#{question.id}",
                "acceptedAnswer": {"@type": "Answer", "text": render(question.answer_markdown)},
            }
            for question in faq.questions()
        ],
    }


def jsonld_script(data: dict) -> str:
    """`<script type="application/ld+json">…</script>` with `<`, `>` and `&` escaped, so that text in
    the data (an answer's HTML) can never close the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'


__all__ = ["Faq", "Question", "Topic", "faq_jsonld", "jsonld_script", "load_faq", "parse_faq"]
