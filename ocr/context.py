"""What every page stage is given besides the page: the file's name (for errors), the OCR engine, the
header synonyms, and the height cell text is drawn at for the engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .engine import OcrEngine
from .segment import TARGET_LINE_H


@dataclass(frozen=True)
class Context:
    file: str
    engine: OcrEngine
    synonyms: Mapping[str, Sequence[str]]
    line_h: float = TARGET_LINE_H  # the height cell text is drawn at for the engine (per page)
