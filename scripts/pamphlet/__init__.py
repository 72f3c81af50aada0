"""pamphlet: Markdown sources in, a public website and print-ready PDFs out."""

__version__ = "0.1.0"

import os as _os

# The clock as this process found it: printing pins SOURCE_DATE_EPOCH (`pamphlet.print.fonts`) in any
# process that prints; the site engine gets this value back, so the site (its sitemap's dates) is the
# same whether the PDFs were printed in this process or in workers.
STARTING_EPOCH = _os.environ.get("SOURCE_DATE_EPOCH")
