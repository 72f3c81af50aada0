"""The site: a staged Markdown tree handed to a site engine (MkDocs + Material, or Zensical)."""

ENGINES = ("mkdocs", "zensical")  # see pamphlet.site.engine
DEFAULT_ENGINE = "mkdocs"
