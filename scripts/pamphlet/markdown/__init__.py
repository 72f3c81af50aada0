"""Python-Markdown extensions of the site and print renderings (listed in mkdocs.yml).

- `pamphlet.markdown.citations`: Pandoc citations and per-page reference lists.
- `pamphlet.markdown.contested`: contested sections (`!!! contested "reason"`), with feedback links.
- `pamphlet.markdown.context`: what these extensions may know about the page being rendered.
"""
