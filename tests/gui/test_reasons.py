"""A flagged cell says why in words, in both languages, for every reason the extractor gives."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.gui import i18n
from app.gui.reasons import REASON_TEXT, describe
from app.gui.review_model import FLAG_ROLE, ReviewModel
from app.translations import compile_all

OCR = Path(__file__).resolve().parents[2] / "ocr"
CODE = re.compile(r'"((?:ocr|field|no|name|kana|sex|date|phone|address|school)\.[a-z_]+)"')


def test_every_reason_the_extractor_gives_has_words() -> None:
    given = set()
    for path in OCR.glob("*.py"):
        if path.name != "errors.py":  # file-level errors have their own messages
            given |= set(CODE.findall(path.read_text(encoding="utf-8")))
    assert "ocr.models_disagree" in given and "school.kind_repaired" in given
    assert sorted(given - set(REASON_TEXT)) == []


def test_a_flagged_cell_explains_itself_in_the_chosen_language(qtbot) -> None:
    compile_all()
    app = QApplication.instance()
    model = ReviewModel()
    cell = {"value": "横浜市膏蘇区", "needs_review": True, "raw": "横浜市膏蘇区", "confidence": 0.9,
            "reasons": ["ocr.models_disagree", "address.unknown_municipality", "something.new"]}
    model.load({"records": [{"page": 1, "row": 1, "fields": {"address": cell}}]}, {})
    index = model.index(0, model.columns.index("address"))
    assert model.data(index, FLAG_ROLE)
    try:
        assert model.reasons(index) == ["2つの読み取りが一致しません", "辞書にない市区町村名です", "something.new"]
        i18n.install(app, "en")
        english = describe(["ocr.models_disagree"])
        assert english != ["2つの読み取りが一致しません"] and english[0].isascii()
    finally:
        i18n.install(app, "ja")
    # once confirmed, nothing is left to explain
    assert model.confirm(index)
    assert model.reasons(index) == []
