"""A flagged cell says why in words, in both languages, for every reason the extractor gives."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.gui import i18n
from app.gui.reasons import REASON_TEXT, describe, joined
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
        assert joined(["a", "b"]) == "a; b"
    finally:
        i18n.install(app, "ja")
    # once confirmed, nothing is left to explain
    assert model.confirm(index)
    assert model.reasons(index) == []


def test_the_other_models_read_is_offered_and_taken_with_one_key(qtbot, tmp_path) -> None:
    from app.gui.db import DbThread
    from app.gui.import_page import ImportPage

    db = DbThread()
    try:
        page = ImportPage(db)
        qtbot.addWidget(page)
        cell = {"value": "横浜市膏蘇区戸山20丁目19番14号", "needs_review": True, "raw": "", "confidence": 0.9,
                "reasons": ["ocr.models_disagree"], "alternatives": ["横浜市青葉区戸山20丁目19番14号"]}
        plain = {"value": "鈴木", "needs_review": False, "raw": "鈴木", "confidence": 0.97, "reasons": []}
        page.model.load({"records": [{"page": 1, "row": 1, "fields": {"family_name": plain, "address": cell}}]}, {})
        index = page.model.index(0, page.model.columns.index("address"))
        page.table.setCurrentIndex(index)
        assert "横浜市青葉区戸山20丁目19番14号" in page.why.text() and "Ctrl+1" in page.why.text()
        page.show()
        page.activateWindow()
        qtbot.waitUntil(page.isActiveWindow, timeout=5_000)
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
        assert page.model.data(index) == "横浜市青葉区戸山20丁目19番14号"
        assert not page.model.data(index, FLAG_ROLE) and page.model.flagged_count() == 0
        # a wrong choice is taken back with Ctrl+Z: the read is shown again, flagged, and registering waits
        assert page.undo_button.isEnabled()
        qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert page.model.data(index) == "横浜市膏蘇区戸山20丁目19番14号" and page.model.data(index, FLAG_ROLE)
        assert page.table.currentIndex() == index and not page.commit_button.isEnabled()
        assert not page.undo_button.isEnabled()
        # a sure cell offers nothing
        assert page.model.alternatives(page.model.index(0, page.model.columns.index("family_name"))) == []
    finally:
        db.shutdown()


def test_every_review_change_can_be_taken_back_in_order() -> None:
    model = ReviewModel()
    flagged = {"value": "白佳", "needs_review": True, "raw": "白佳", "reasons": ["ocr.models_disagree"]}
    model.load({"records": [{"page": 1, "row": 1, "fields": {"given_name": flagged}}]}, {})
    index = model.index(0, 0)
    assert model.setData(index, "里佳") and model.data(index) == "里佳" and not model.data(index, FLAG_ROLE)
    model.toggle_skip(0)
    assert model.skipped(0)
    assert model.undo() == index and not model.skipped(0)
    assert model.undo() == index and model.data(index) == "白佳" and model.data(index, FLAG_ROLE)
    assert model.undo() is None and not model.can_undo()


def test_a_column_whose_header_could_not_be_read_is_not_called_absent_from_the_ledger(qtbot) -> None:
    """A ledger without a 保護者 column and a ledger whose 保護者 header a fax blotted both come without
    guardians; only the first may be told "not in this ledger".  The second says which column was
    not imported, so the teacher checks the paper."""
    from app.gui.db import DbThread
    from app.gui.import_page import ImportPage

    db = DbThread()
    try:
        page = ImportPage(db)
        qtbot.addWidget(page)
        plain = {"value": "鈴木", "needs_review": False, "raw": "鈴木", "confidence": 0.97, "reasons": []}
        record = {"page": 1, "row": 1, "fields": {"family_name": plain}, "missing": ["guardian"]}
        page.model.load({"records": [record]}, {})
        page._update_counts()
        assert "この名簿にない欄" in page.counts.text() and "保護者" in page.counts.text()
        warning = "1ページ: 左から7列目の見出しが読めず、その列は取り込まれません / page 1: …"
        page.model.load({"records": [record], "warnings": [warning]}, {})
        page._update_counts()
        assert "この名簿にない欄" not in page.counts.text()
        assert "取り込まれない欄" in page.counts.text() and "左から7列目" in page.counts.text()
    finally:
        db.shutdown()
