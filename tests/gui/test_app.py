"""The desktop app through its widgets: unlock, auto-lock, search, ledger import and review."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from storage import imports, students
from storage.store import Store
from tests.conftest import PASSPHRASE, SHARED
from tests.gui.conftest import ime_type, unlock, wait_db

LEDGERS = SHARED / "fixtures" / "ledgers"


def test_wrong_then_right_passphrase(qtbot, window: MainWindow, db: DbThread) -> None:
    dialog = window.show_unlock()
    dialog.login.setCurrentText("admin")
    dialog.passphrase.setText("not my passphrase")
    dialog.ok.click()
    qtbot.waitUntil(lambda: "admin" in dialog.message.text() and dialog.ok.isEnabled(), timeout=20_000)
    assert "パスフレーズが違います" in dialog.message.text()
    assert window.user is None
    assert window.roster.model.rowCount() == 0
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        dialog.ok.click()
    wait_db(qtbot, db)
    assert window.user is not None
    assert "管理者" in window.user_label.text()
    assert window.roster.model.rowCount() == 3


def test_search_by_kana_finds_the_kanji_name(qtbot, window: MainWindow, db: DbThread) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    search = window.roster.search
    ime_type(search, "ワタナベ")  # katakana typed; stored as 渡邉 / ワタナベ
    assert window.roster.proxy.rowCount() == 1
    index = window.roster.proxy.index(0, 2)
    assert index.data() == "渡邉 澪"
    search.clear()
    ime_type(search, "みお")  # hiragana matches too
    assert window.roster.proxy.rowCount() == 1
    search.clear()
    ime_type(search, "鈴木")
    assert window.roster.proxy.index(0, 2).data() == "鈴木 結衣"


def test_edit_is_validated_saved_and_undone(qtbot, window: MainWindow, db: DbThread, school: Path) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    roster = window.roster
    roster.table.selectRow(0)
    phone = roster.form.edits["phone"]
    assert isinstance(phone, QLineEdit)
    phone.setText("12345")  # not a Japanese phone number
    roster.save_current()
    wait_db(qtbot, db)
    assert "電話番号" in roster.form_error.text()
    phone.setText("03-3581-4111")
    roster.save_current()
    wait_db(qtbot, db)
    assert roster.form_error.text() == ""
    assert any(s.phone == "03-3581-4111" for s in roster.model.rows)
    roster.undo.undo()
    wait_db(qtbot, db)
    assert all(s.phone != "03-3581-4111" for s in roster.model.rows)


def test_idle_auto_lock_clears_models_and_keeps_the_unsaved_edit(qtbot, window: MainWindow, db: DbThread) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    roster = window.roster
    roster.table.selectRow(0)
    name_edit = roster.form.edits["address"]
    assert isinstance(name_edit, QLineEdit)
    name_edit.setText("未保存の住所")
    window.idle.set_timeout_ms(200)
    window.idle.start()
    with qtbot.waitSignal(window.locked, timeout=5_000):
        pass
    assert window.user is None
    assert roster.model.rowCount() == 0
    assert window.admin.users.rowCount() == 0
    qtbot.waitUntil(lambda: not db.is_open, timeout=10_000)
    assert "ロック中" in window.state_label.text()
    assert window.unlock_dialog is not None
    dialog = window.unlock_dialog
    dialog.passphrase.setText(PASSPHRASE)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        dialog.ok.click()
    wait_db(qtbot, db)
    assert roster.model.rowCount() == 3
    assert name_edit.text() == "未保存の住所"


def test_teacher_sees_only_their_class_and_no_admin_tools(qtbot, window: MainWindow, db: DbThread) -> None:
    unlock(qtbot, window, "tanaka", "teacher-passphrase")
    wait_db(qtbot, db)
    assert window.roster.model.rowCount() == 3
    assert "教員" in window.user_label.text()
    assert not window.imports.isEnabled()
    assert not window.admin.notice.isHidden()


def test_ctrl_l_locks(qtbot, window: MainWindow, db: DbThread) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    with qtbot.waitSignal(window.locked, timeout=5_000):
        qtbot.keyClick(window.roster.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.roster.model.rowCount() == 0


def _truth(name: str) -> list[dict[str, object]]:
    return json.loads((LEDGERS / f"{name}.json").read_text(encoding="utf-8"))["records"]


def _type_into(qtbot, window: MainWindow, row: int, column: int, text: str) -> None:
    page = window.imports
    index = page.model.index(row, column)
    page.table.setCurrentIndex(index)
    qtbot.keyClick(page.table, Qt.Key.Key_F2)  # keyboard only: F2 opens the cell editor
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    ime_type(editor, text)
    with qtbot.waitSignal(page.model.dataChanged, timeout=5_000):  # the view commits on a queued call
        qtbot.keyClick(editor, Qt.Key.Key_Return)


@pytest.mark.slow
def test_ledger_import_review_correct_and_commit(qtbot, window: MainWindow, db: DbThread, school: Path) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    window.sidebar.setCurrentRow(2)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    page = window.imports
    name = "dev_010_fax_fine_B.tif"
    truth = _truth(name)
    page.add_files([LEDGERS / name])
    qtbot.waitUntil(lambda: page.info is not None, timeout=120_000)
    wait_db(qtbot, db)
    model = page.model
    assert model.rowCount() == len(truth)
    # layout B prints no 出身園 column: the page says so (and it does not block registering)
    assert "出身園" in page.counts.text()
    birth_col = model.columns.index("birth_date")
    # a person types an impossible date: the cell is flagged and commit is refused
    _type_into(qtbot, window, 0, birth_col, "平成31年5月1日")
    assert model.index(0, birth_col).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert not page.commit_button.isEnabled()
    # every flagged cell is corrected by keyboard from the paper (here: the ground truth)
    page.table.setCurrentIndex(model.index(0, 0))
    for _ in range(model.rowCount() * model.columnCount()):
        if model.flagged_count() == 0:
            break
        qtbot.keyClick(page.table, Qt.Key.Key_F8)
        index = page.table.currentIndex()
        # the page says in words why this cell needs a look (no internal codes such as ocr.models_disagree)
        assert page.why.text().startswith("要確認: ") and not re.search(r"[a-z]+\.[a-z_]+", page.why.text())
        field = model.columns[index.column()]
        _type_into(qtbot, window, index.row(), index.column(), str(truth[index.row()][field]))
    assert model.flagged_count() == 0
    assert page.commit_button.isEnabled()
    wait_db(qtbot, db)
    with qtbot.waitSignal(window.imports.model.modelReset, timeout=20_000):
        qtbot.mouseClick(page.commit_button, Qt.MouseButton.LeftButton)
    assert "登録しました" in page.progress_label.text()
    window.lock()
    qtbot.waitUntil(lambda: not db.is_open, timeout=10_000)
    with Store.open(school, "admin", PASSPHRASE) as store:
        stored = students.list_students(store, status="planned", view="test")
        assert len(stored) == len(truth)
        first = next(s for s in stored if s.family_name == truth[0]["family_name"])
        assert first.birth_date == truth[0]["birth_date"]
        names = {s.family_name + s.given_name for s in stored}
        right = sum(1 for t in truth if f"{t['family_name']}{t['given_name']}" in names)
        assert right >= len(truth) - 1
        assert imports.list_drafts(store) == []


@pytest.mark.slow
def test_cancel_during_ocr_stores_nothing(qtbot, window: MainWindow, db: DbThread, school: Path) -> None:
    unlock(qtbot, window)
    wait_db(qtbot, db)
    page = window.imports
    cancelled = []

    def on_progress(done: int, total: int, _msg: str) -> None:
        if not cancelled:
            cancelled.append(done)
            page.cancel.click()

    page.add_files([LEDGERS / "dev_004_fax_fine_B.tif"])
    assert page.job is not None
    page.job.signals.progress.connect(on_progress)
    qtbot.waitUntil(lambda: page.job is None, timeout=120_000)
    wait_db(qtbot, db)
    assert cancelled
    assert "何も保存していません" in page.progress_label.text()
    assert page.queue.count() == 0
    window.lock()
    qtbot.waitUntil(lambda: not db.is_open, timeout=10_000)
    with Store.open(school, "admin", PASSPHRASE) as store:
        assert imports.list_drafts(store) == []
        assert len(students.list_students(store, view="test")) == 3



def test_first_run_wizard_creates_the_store_and_shows_recovery_key(qtbot, db: DbThread, tmp_path: Path) -> None:
    from app.gui.launch import start
    from storage.store import store_exists

    path = tmp_path / "new-school"
    window = start(path, db)
    qtbot.addWidget(window)
    wizard = window.wizard
    school = wizard.school
    school.name.setText("新設小学校")
    school.code.setText("B113212345603")  # wrong check digit
    assert not school.isComplete()
    assert "チェックディジット" in school.code_state.text()
    school.code.setText("B113212345602")
    assert school.isComplete()
    wizard.next()
    admin = wizard.admin
    admin.login.setText("kyoto")
    admin.pass1.setText("a long first passphrase")
    admin.pass2.setText("a long first passphrase")
    assert admin.isComplete()
    with qtbot.waitSignal(db.opened, timeout=20_000):
        wizard.next()
    key = wizard.recovery.key.text()
    assert len(key.split("-")) == 9
    assert not wizard.recovery.isComplete()  # must confirm it was written down
    wizard.recovery.confirm.setChecked(True)
    with qtbot.waitSignal(window.unlocked, timeout=5_000):
        wizard.accept()
    assert store_exists(path)
    assert admin.pass1.text() == ""
    wait_db(qtbot, db)
    window.lock()
    qtbot.waitUntil(lambda: not db.is_open, timeout=10_000)
    with Store.open_with_recovery(path, key) as store:
        assert store.query_one("SELECT name FROM school")["name"] == "新設小学校"
