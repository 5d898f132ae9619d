"""Shared helpers for the OCR tests: paths, a fake engine, the synthetic ledger generator."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parents[1]
SHARED = PROJECT_ROOT / ".." / "shared"
FIXTURES = SHARED / "fixtures" / "ledgers"
SCORER = SHARED / "eval" / "score.py"
SAMPLES = PROJECT_ROOT / "resources" / "samples"

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from ocr.engine import CellRequest  # noqa: E402
from ocr.model import OcrText  # noqa: E402


class ScriptedEngine:
    """A fake OCR engine: answers each batch from a script (or a default), records the requests."""

    def __init__(self, script: Sequence[Sequence[str]] = (), default: str = "") -> None:
        self.script = [list(s) for s in script]
        self.default = default
        self.calls: list[int] = []

    def read_batch(self, requests: Sequence[CellRequest]) -> list[OcrText]:
        self.calls.append(len(requests))
        answers = self.script.pop(0) if self.script else []
        out = []
        for i, _r in enumerate(requests):
            text = answers[i] if i < len(answers) else self.default
            out.append(OcrText(text, 0.99 if text else 0.0, 0.99 if text else 0.0))
        return out


def has_tesseract() -> bool:
    return shutil.which("tesseract") is not None


@pytest.fixture
def scripted() -> type[ScriptedEngine]:
    return ScriptedEngine
