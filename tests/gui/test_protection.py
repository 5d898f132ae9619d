"""No personal data leaves through the screen, the clipboard or a printer."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from app.gui.protection import ClipboardGuard
from tests.gui.conftest import allowed_folder, unlock, wait_db


def test_every_window_and_dialog_is_excluded_from_capture(qtbot, window: MainWindow, db: DbThread) -> None:
    calls: list[int] = []
    window.set_capture_backend(lambda hwnd: calls.append(hwnd) or True)
    window.hide()
    window.show()
    dialog = window.show_unlock()
    assert len(calls) >= 2
    assert int(dialog.winId()) in calls
    assert int(window.winId()) in calls


def test_personal_views_carry_a_watermark_with_user_and_time(qtbot, window: MainWindow, db: DbThread) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    texts = [w.current_text() for w in window.watermarks]
    assert all(t.startswith("admin · ") for t in texts)
    window.lock()
    assert all(w.current_text() == "" for w in window.watermarks)


def test_copy_takes_one_value_and_the_clipboard_is_cleared(qtbot, window: MainWindow, db: DbThread) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    table = window.roster.table
    table.selectAll()  # a whole list selected …
    table.setCurrentIndex(window.roster.proxy.index(0, 2))
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = clipboard.text()
    assert copied == window.roster.proxy.index(0, 2).data()  # … yet only the value under the cursor
    assert "\n" not in copied and "\t" not in copied
    guard = ClipboardGuard(seconds=0.2)
    guard.copy_value("山田 花子")
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=5_000)


def test_ctrl_p_explains_instead_of_printing(qtbot, window: MainWindow, db: DbThread, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("app.gui.main_window.QMessageBox.information", lambda *a: shown.append(a[2]))
    unlock(qtbot, window)
    wait_db(qtbot, db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    qtbot.keyClick(window.roster.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert shown
    assert "印刷" in shown[0]
    assert "PySide6.QtPrintSupport" not in sys.modules


def test_no_print_module_after_every_window_and_dialog(qtbot, window: MainWindow, db: DbThread, tmp_path) -> None:
    import pkgutil
    from datetime import date

    import app.gui
    from app.gui.admin_page import AddUserDialog
    from app.gui.assign_dialog import AssignDialog
    from app.gui.attendance_page import CorrectionDialog
    from app.gui.duplicates_dialog import DuplicatesDialog
    from app.gui.wizard import SetupWizard
    from storage import imports, students

    for module in pkgutil.iter_modules(app.gui.__path__):
        __import__(f"app.gui.{module.name}")
    unlock(qtbot, window)
    wait_db(qtbot, db)
    for row in range(window.sidebar.count()):
        window.sidebar.setCurrentRow(row)
    student = window.roster.model.rows[0]
    data = students.StudentData("山田", "花子", "ヤマダ", "ハナコ", "女", "2019-05-01")
    dialogs = [
        SetupWizard(db, tmp_path / "new", window),
        AddUserDialog(db, window),
        AssignDialog(db, [student], window),
        CorrectionDialog("山田 花子", date(2026, 4, 7), "present", window),
        DuplicatesDialog([imports.ImportRow(1, 1, data)], {0: [student]}, window),
        window.show_unlock(),
    ]
    for dialog in dialogs:
        dialog.show()
        qtbot.addWidget(dialog)
    assert "PySide6.QtPrintSupport" not in sys.modules


def test_bulk_access_alert_is_shown_to_the_administrator_at_unlock(
    qtbot, window: MainWindow, db: DbThread, school
) -> None:
    from storage import policy, students
    from storage.store import Store
    from tests.conftest import PASSPHRASE

    with Store.open(school, "admin", PASSPHRASE) as admin:
        policy.set_threshold(admin, "bulk_alert_students", 2)
    with Store.open(school, "tanaka", "teacher-passphrase") as teacher:
        assert len(students.list_students(teacher, view="test")) == 3  # more than 2 within the window
    unlock(qtbot, window)
    wait_db(qtbot, db)
    qtbot.waitUntil(lambda: getattr(window, "alert_box", None) is not None, timeout=10_000)
    box = window.alert_box
    assert "tanaka" in box.text()
    assert "3人分" in box.text()
    box.accept()
    wait_db(qtbot, db)
    with Store.open(school, "admin", PASSPHRASE) as admin:
        # tanaka's alert was acknowledged (the administrator's own roster read may raise a new one)
        assert all(a.actor != "tanaka" for a in policy.pending_alerts(admin))
    report = window.admin.report
    report.reload()
    wait_db(qtbot, db)
    logins = [report.users.item(r, 0).text() for r in range(report.users.rowCount())]
    assert any("tanaka" in text for text in logins)
    assert "大量アクセスの警告" in report.details.text()
    assert "tanaka が 3人分" in report.details.text()


def test_a_scheduled_backup_is_made_when_an_administrator_unlocks(
    qtbot, window: MainWindow, db: DbThread, school, tmp_path
) -> None:
    from storage import backup
    from storage.store import Store
    from tests.conftest import PASSPHRASE

    vault = tmp_path / "backups"
    allowed_folder(school, vault, "学校のバックアップ鍵")
    with Store.open(school, "admin", PASSPHRASE) as admin:
        backup.configure(admin, destination=vault, recipient="学校のバックアップ鍵")
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: any(vault.iterdir()), timeout=20_000)
    wait_db(qtbot, db)
    [made] = list(vault.iterdir())
    assert made.name.endswith(".age")
    assert "バックアップ" in window.statusBar().currentMessage()
    window.check_backup()  # not due again within the day
    wait_db(qtbot, db)
    assert len(list(vault.iterdir())) == 1
