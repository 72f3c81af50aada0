"""The print pipeline: rendered HTML + print CSS -> WeasyPrint -> PDF. Independent of MkDocs."""
