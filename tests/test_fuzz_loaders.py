"""A short fuzz run of the image and PDF loaders (bench/fuzz_loaders.py runs it for longer)."""

from __future__ import annotations

import importlib.util

from tests.conftest import ROOT


def test_mutated_images_and_pdfs_load_or_give_a_typed_error() -> None:
    spec = importlib.util.spec_from_file_location("fuzz_loaders", ROOT / "bench" / "fuzz_loaders.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    result = fuzz.run(seconds=8, seed=20261123, keep=None)
    assert result["tries"] > 500
    assert result["failures"] == []
    outcomes = result["outcomes"]
    assert outcomes.get("loaded", 0) > 0
    assert outcomes.get("ocr.file_corrupt", 0) > 0
