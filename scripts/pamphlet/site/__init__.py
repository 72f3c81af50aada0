"""The site: a staged Markdown tree handed to the site engine (MkDocs + Material today)."""
