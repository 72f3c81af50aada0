"""pamphlet: Markdown sources in, a public website and print-ready PDFs out."""

__version__ = "0.1.0"
