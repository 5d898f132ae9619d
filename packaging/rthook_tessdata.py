"""Runtime hook: point Tesseract at the models bundled with the app (before any import)."""

import os
import sys
from pathlib import Path

_bundle = Path(getattr(sys, "_MEIPASS", Path(__file__).parent))
_fast = _bundle / "tessdata" / "fast"
_best = _bundle / "tessdata" / "best"
if (_fast / "jpn.traineddata").is_file():
    os.environ["TESSDATA_PREFIX"] = str(_fast)
if (_best / "jpn.traineddata").is_file():
    os.environ.setdefault("GAKUSEKI_TESSDATA_BEST", str(_best))
