"""Make WeasyPrint see only the fonts shipped with pamphlet, and never the clock.

WeasyPrint finds fonts through fontconfig. With the machine's own configuration, a glyph missing
from our fonts would silently come from whatever is installed, and the PDF would change from one
machine to the next. We point fontconfig at a configuration that knows only our font folder.

Font subsets may carry a timestamp (fontTools writes one; HarfBuzz-Subset, which the setup
requires, keeps the font's own). `SOURCE_DATE_EPOCH` pins it to a fixed instant, so the bytes of a
PDF depend on the sources only. Both variables are set once per process, before the first layout,
and never changed afterwards (a background print thread may be running).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pamphlet.assets import FONTS

_CONFIG: Path | None = None
PINNED_EPOCH = 946684800  # 2000-01-01T00:00:00Z: any fixed instant will do


def isolate_fontconfig() -> Path:
    """Write (once per process) a fontconfig file listing only our fonts, and select it."""
    global _CONFIG
    if _CONFIG is None or not _CONFIG.exists():
        folder = Path(tempfile.mkdtemp(prefix="pamphlet-fontconfig-"))
        config = folder / "fonts.conf"
        config.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f"  <dir>{FONTS}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
            encoding="utf-8",
        )
        _CONFIG = config
        os.environ["FONTCONFIG_FILE"] = str(_CONFIG)
        os.environ["SOURCE_DATE_EPOCH"] = str(PINNED_EPOCH)
    return _CONFIG
