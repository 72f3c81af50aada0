"""Accessible names for markup that extensions write without one.

PyMdown's task lists (meeting notes' action items) write a bare checkbox in an empty label, which a
screen reader announces as "checkbox, not checked" with no name. Each gets an `aria-label` saying
what its box means: "Done" or "Not done". The safety extension registers this on every converter
(site and print), so the fix needs no line in mkdocs.yml.
"""

from __future__ import annotations

import re

from markdown.postprocessors import Postprocessor

from pamphlet.i18n import translator
from pamphlet.markdown.context import current

CHECKBOX = re.compile(r'<input type="checkbox"( disabled)?( checked)?\s*/?>')


def _label(match: re.Match) -> str:
    context = current()  # the page's language (English without a page context)
    _ = translator(context.language if context is not None else "en")
    name = _("Done") if match.group(2) else _("Not done")
    return f'<input type="checkbox"{match.group(1) or ""}{match.group(2) or ""} aria-label="{name}"/>'


class TaskListNames(Postprocessor):
    def run(self, text: str) -> str:
        if 'class="task-list-control"' not in text and "task-list-item" not in text:
            return text
        return CHECKBOX.sub(_label, text)
