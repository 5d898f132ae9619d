"""Month end through the widgets: the homeroom teacher closes, the principal sees the totals and
countersigns; missing days link to their class and day; set-up problems open their fix."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from storage import attendance, classes, students, users
from storage.store import Store
from tests.conftest import PASSPHRASE
from tests.gui.conftest import unlock, wait_db

TEACHER = "teacher-passphrase"


@pytest.fixture
def april(school: Path) -> tuple[int, list[date]]:
    """Last school year's 1年1組 (always in the past): April and May in the calendar, every April
    school day sealed by the homeroom teacher, May left open."""
    year = classes.current_year() - 1
    days = [d for d in attendance.default_school_days(year) if d.month in (4, 5)]
    with Store.open(school, "admin", PASSPHRASE) as admin:
        attendance.set_days(admin, days, "school_day")
        users.set_principal(admin, "admin")
        class_id = classes.add_class(admin, year, 1, "1", "tanaka").id
        ids = [s.id for s in students.list_students(admin, view="test")]
        classes.enrol(admin, class_id, ids, f"{year}-04-01")
    with Store.open(school, "tanaka", TEACHER) as teacher:
        for day in (d for d in days if d.month == 4):
            attendance.seal(teacher, class_id, day)
    return class_id, days


def _open(qtbot, window: MainWindow, db: DbThread, login: str, secret: str, year: int, month: int) -> None:
    if window.unlock_dialog is not None and window.unlock_dialog.isVisible():  # after a lock
        dialog = window.unlock_dialog
        dialog.login.setCurrentText(login)
        dialog.passphrase.setText(secret)
        with qtbot.waitSignal(window.unlocked, timeout=20_000):
            dialog.ok.click()
    else:
        unlock(qtbot, window, login, secret)
    wait_db(qtbot, db)
    window.sidebar.setCurrentRow(1)
    page = window.attendance
    page.year, page.month = year, month
    page.reload()
    wait_db(qtbot, db)


def test_close_then_countersign_after_seeing_the_totals(
    qtbot, window: MainWindow, db: DbThread, school: Path, april: tuple[int, list[date]], monkeypatch
) -> None:
    class_id, days = april
    year = days[0].year
    page = window.attendance
    _open(qtbot, window, db, "tanaka", TEACHER, year, 4)
    assert "未締め" in page.state_label.text()
    assert page.close_button.isEnabled()
    assert not page.countersign_button.isEnabled()  # a teacher cannot countersign
    page.close_button.click()
    wait_db(qtbot, db)
    assert "締めました" in page.message.text()
    assert not page.close_button.isEnabled()
    window.lock()
    qtbot.waitUntil(lambda: not db.is_open, timeout=10_000)

    shown: list[str] = []

    def answer(_parent, _title, text, *args):  # the principal reads the totals, then says yes
        shown.append(text)
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr("app.gui.attendance_page.QMessageBox.question", answer)
    _open(qtbot, window, db, "admin", PASSPHRASE, year, 4)
    assert page.countersign_button.isEnabled()
    page.countersign_button.click()
    wait_db(qtbot, db)
    assert shown
    assert "在籍 3人" in shown[0]
    assert "授業日数" in shown[0]
    assert "確認印を押しました" in page.message.text()
    assert "校長検印済み" in page.state_label.text()
    window.lock()
    qtbot.waitUntil(lambda: not db.is_open, timeout=10_000)
    with Store.open(school, "admin", PASSPHRASE) as admin:
        assert attendance.month_state(admin, class_id, year, 4).state == "countersigned"
        assert attendance.verify(admin).ok


def test_missing_days_link_straight_to_the_class_and_day(
    qtbot, window: MainWindow, db: DbThread, april: tuple[int, list[date]]
) -> None:
    _class_id, days = april
    may = [d for d in days if d.month == 5]
    _open(qtbot, window, db, "tanaka", TEACHER, days[0].year, 4)
    page = window.attendance
    page.show_missing()
    wait_db(qtbot, db)
    dialog = page.missing_dialog
    assert dialog.list.count() >= len(may)
    assert "1年1組" in dialog.list.item(0).text()
    dialog.list.setCurrentRow(0)
    dialog.list.itemActivated.emit(dialog.list.item(0))
    wait_db(qtbot, db)
    assert (page.year, page.month) == (may[0].year, may[0].month)
    assert page.model.day_of(page.table.currentIndex().column()).date == may[0]


def test_a_missing_calendar_says_so_and_opens_the_place_to_fix_it(
    qtbot, window: MainWindow, db: DbThread
) -> None:
    _open(qtbot, window, db, "tanaka", TEACHER, classes.current_year(), 4)
    page = window.attendance
    assert "学校暦" in page.message.text()
    assert not page.fix_button.isHidden()
    page.fix_button.click()
    assert window.sidebar.currentRow() == 4
