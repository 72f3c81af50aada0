"""Loading and validating sources: text files, YAML, front matter, manifests."""
