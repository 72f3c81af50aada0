"""Python-Markdown extension: the last gate before HTML is published or printed.

`pamphlet check` finds raw HTML and addresses that break the policy in the sources, at file:line:col
(`pamphlet.sources.safety`). Two parsers never agree on everything, and extensions can write markup
of their own, so this extension checks the HTML the renderer finally writes, for the site and for
print, against the same policy (`pamphlet.sources.htmlpolicy`). A page that fails stops the build
with the page's file; nothing unsafe is ever written. pamphlet adds it to every converter itself,
whatever mkdocs.yml lists.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

from pamphlet.errors import SourceError
from pamphlet.markdown.accessible import TaskListNames
from pamphlet.markdown.context import current
from pamphlet.sources.htmlpolicy import HtmlPolicy, check_html

NAME = "pamphlet.markdown.safety"


class UnsafeHtml(SourceError):
    """The rendered HTML of a page breaks the raw-HTML policy."""


class _Gate(Postprocessor):
    def __init__(self, md: Markdown, policy: HtmlPolicy) -> None:
        super().__init__(md)
        self.policy = policy

    def run(self, text: str) -> str:
        problems = check_html(text, self.policy)
        if problems:
            context = current()
            first = problems[0]
            raise UnsafeHtml(f"the rendered page would contain what the raw-HTML policy forbids: {first.message}",
                             context.file if context else None, code=first.code)
        return text


class SafetyExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"iframe_hosts": [[], "hosts whose https:// iframes are allowed (extra.raw_html)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        policy = HtmlPolicy(frozenset(self.getConfig("iframe_hosts")))
        # Priority 0: after every other postprocessor, raw HTML put back (priority 30) included.
        md.postprocessors.register(_Gate(md, policy), "pamphlet_safety", 0)
        # Accessible names for what extensions write without one (task-list checkboxes), on every
        # converter as this gate is; before the gate, so the gate sees the final HTML.
        md.postprocessors.register(TaskListNames(md), "pamphlet_accessible_names", 1)


def makeExtension(**kwargs: Any) -> SafetyExtension:  # noqa: N802 - Python-Markdown's entry point
    return SafetyExtension(**kwargs)
