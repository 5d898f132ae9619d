"""出席簿 through the widgets: a status key marks, Ctrl+Enter seals, a correction keeps history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from app.gui.attendance_page import CorrectionDialog
from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from storage import attendance, classes
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.gui.conftest import unlock, wait_db


@pytest.fixture
def term(school: Path) -> date:
    """The school calendar has the weekdays of April of this school year; returns the first."""
    year = classes.current_year()
    days = [d for d in attendance.default_school_days(year) if d.month == 4]
    with Store.open(school, "admin", PASSPHRASE) as store:
        attendance.set_days(store, days, "school_day")
    return days[0]


def _open_month(qtbot, window: MainWindow, db: DbThread, day: date) -> None:
    unlock(qtbot, window, "tanaka", "teacher-passphrase")
    wait_db(qtbot, db)
    window.sidebar.setCurrentRow(1)
    page = window.attendance
    page.year, page.month = day.year, day.month
    page.reload()
    wait_db(qtbot, db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)


def _column(window: MainWindow, day: date) -> int:
    return next(i for i, d in enumerate(window.attendance.model.days) if d.date == day)


def test_mark_with_keys_seal_and_correct(qtbot, window: MainWindow, db: DbThread, term: date, school: Path) -> None:
    _open_month(qtbot, window, db, term)
    page = window.attendance
    model = page.model
    assert model.rowCount() == 3
    column = _column(window, term)
    page.table.setFocus()
    page.table.setCurrentIndex(model.index(0, column))
    qtbot.keyClick(page.table, Qt.Key.Key_2)  # 2 = 欠席(病気), then the cursor moves down
    wait_db(qtbot, db)
    assert model.index(0, column).data() == "病"
    assert page.table.currentIndex().row() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_4)  # 4 = 遅刻
    wait_db(qtbot, db)
    assert model.index(1, column).data() == "チ"
    qtbot.keyClick(page.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # seal the day
    wait_db(qtbot, db)
    assert model.day_of(column).sealed
    assert "検証済み" in page.verified.text()
    # a sealed day cannot be overwritten by a key
    page.table.setCurrentIndex(model.index(0, column))
    qtbot.keyClick(page.table, Qt.Key.Key_1)
    wait_db(qtbot, db)
    assert model.index(0, column).data() == "病"
    assert "押印済み" in page.message.text()

    def answer() -> None:
        dialog = next(w for w in window.findChildren(CorrectionDialog) if w.isVisible())
        dialog.status.setCurrentIndex(dialog.status.findData("absent_accident"))
        dialog.reason.setText("保護者から事故と連絡")
        dialog.buttons.accepted.emit()

    QTimer.singleShot(200, answer)
    page.correct_current()
    wait_db(qtbot, db)
    assert model.index(0, column).data() == "事"
    assert "保護者から事故と連絡" in page.history.toPlainText()
    assert "欠席(病気)" in page.history.toPlainText()  # the old value stays visible
    assert "検証済み" in page.verified.text()
    window.lock()
    qtbot.waitUntil(lambda: not db.is_open, timeout=10_000)
    with Store.open(school, "admin", PASSPHRASE) as store:
        assert attendance.verify(store).ok
