"""Python-Markdown extensions of the site and print renderings (listed in mkdocs.yml).

- `pamphlet.markdown.citations`: Pandoc citations and per-page reference lists.
"""
