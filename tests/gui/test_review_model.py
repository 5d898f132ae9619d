"""The 取込 review table: what a reviewer must fill in before a ledger can be registered."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.gui.review_model import ReviewModel
from storage import imports
from tests.storage.test_imports import _result


def _ledger_without_kana() -> dict[str, object]:
    rows = [
        {"family_name": "山田", "given_name": "花子", "sex": "女", "birth_date": "2019-05-01"},
        {"family_name": "鈴木", "given_name": "翔𠮷", "sex": "男", "birth_date": "2019-07-07"},  # 翔𠮷: no reading
    ]
    result = _result(rows)
    missing = ["family_kana", "given_kana", "guardian"]
    return {**result, "records": [{**r, "missing": missing} for r in result["records"]]}  # type: ignore[attr-defined]


def test_a_ledger_printed_without_kana_shows_empty_flagged_kana_cells_to_type(qtbot) -> None:
    model = ReviewModel()
    model.load(imports.with_required_cells(_ledger_without_kana()), {})  # as the 取込 job hands it over
    # the store needs ふりがな: their columns are shown, empty and flagged; 保護者 (not needed) is not
    assert "family_kana" in model.columns and "given_kana" in model.columns
    assert "guardian" not in model.columns
    assert model.flagged_count() == 4
    col = model.columns.index("family_kana")
    index = model.index(0, col)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    # the dictionary reading of the name beside it is offered, said so, and confirmed with one key
    assert model.data(index) == "ヤマダ"
    assert "辞書の読み" in "".join(model.reasons(index))
    model.confirm(index)
    assert model.flagged_count() == 3
    # a name the dictionary cannot read leaves the cell empty: confirming it as it is clears nothing
    giv = model.index(1, model.columns.index("given_kana"))
    assert model.data(giv) == ""
    assert "名簿にこの欄がありません" in "".join(model.reasons(giv))
    model.confirm(giv)
    assert model.flagged_count() == 3
    # typing the reading does
    assert model.setData(giv, "しょう")
    assert model.flagged_count() == 2
    assert imports.record_values(model.records[1])["given_kana"] == "ショウ"
