"""A board template that renames a ledger column makes a ledger with that header import."""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pytest

import ocr
from storage import templates
from storage.store import Store
from storage.templates import keys, package

OCR_TESTS = Path(__file__).resolve().parents[1] / "ocr"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract")
def test_renamed_guardian_header_maps_only_with_the_template(store: Store, tmp_path: Path) -> None:
    sys.path.insert(0, str(OCR_TESTS))
    try:
        import generator as gen
    finally:
        sys.path.remove(str(OCR_TESTS))
    rng = random.Random(7)
    spec = gen.random_spec(rng, 7, "scan", rows=3)
    spec.rows_per_page = [3]
    spec.fmt = "png"
    spec.skew = 0.0
    spec.font = "gothic"
    spec.columns = ["no", "kana", "name", "sex", "birth_date", "guardian"]
    spec.headers = {
        "no": "番号", "kana": "ふりがな", "name": "氏名", "sex": "性別", "birth_date": "生年月日", "guardian": "父母名",
    }
    ledger = gen.generate(tmp_path / "ledger", 0, 7, "scan", spec=spec)

    without = ocr.extract_file(ledger, synonyms=templates.header_synonyms(store))
    assert without.records and not any("guardian" in r.fields for r in without.records)

    private_path, public_path, _ = keys.generate(tmp_path / "board")
    src = tmp_path / "src"
    shutil.copytree(templates.DEFAULT_SOURCE, src)
    (src / "template.json").write_text('{"id": "jp.example", "version": 2}', encoding="utf-8")
    (src / "ledger.json").write_text('{"header_synonyms": {"guardian": ["父母名"]}}', encoding="utf-8")
    templates.trust_board(store, public_path.read_bytes())
    templates.install(store, package.build(src, keys.load_private(private_path)))

    with_template = ocr.extract_file(ledger, synonyms=templates.header_synonyms(store))
    guardians = [r.fields["guardian"].value for r in with_template.records if "guardian" in r.fields]
    assert len(guardians) == 3 and all(g for g in guardians)
