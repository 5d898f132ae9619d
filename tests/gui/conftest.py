"""GUI fixtures: a real store on disk and the real window, driven through its widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyrage import x25519
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from app.gui.unlock import UnlockDialog
from storage import classes, policy, recipients, students, users
from storage.store import Store
from tests.conftest import PASSPHRASE


@pytest.fixture
def school(tmp_path: Path) -> Path:
    """A store with an administrator, a teacher, one class and three students."""
    path = tmp_path / "school"
    store, _ = Store.create(
        path, school_name="テスト小学校", school_code_value="B113212345602", admin_login="admin",
        admin_name="管理者", admin_passphrase=PASSPHRASE,
    )
    with store:
        users.add_user(store, "tanaka", "teacher", "田中", "teacher-passphrase")
        info = classes.add_class(store, classes.current_year(), 1, "1", "tanaka")
        ids = [
            students.add_student(store, students.StudentData("渡邉", "澪", "わたなべ", "みお", "女", "2019-06-01")),
            students.add_student(store, students.StudentData("佐藤", "蓮", "さとう", "れん", "男", "2019-09-12")),
            students.add_student(store, students.StudentData("鈴木", "結衣", "すずき", "ゆい", "女", "2020-01-30")),
        ]
        classes.enrol(store, info.id, ids, f"{info.year}-04-01")
    return path


@pytest.fixture
def db(qtbot: object) -> Iterator[DbThread]:
    thread = DbThread()
    yield thread
    thread.shutdown()


@pytest.fixture
def window(qtbot: object, db: DbThread, school: Path) -> Iterator[MainWindow]:
    win = MainWindow(db, school)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    yield win
    for _, page in win.pages:
        page.on_locked()


def unlock(qtbot: object, win: MainWindow, login: str = "admin", passphrase: str = PASSPHRASE) -> UnlockDialog:
    dialog = win.show_unlock()
    dialog.login.setCurrentText(login)
    dialog.passphrase.setText(passphrase)
    with qtbot.waitSignal(win.unlocked, timeout=20_000):  # type: ignore[attr-defined]
        dialog.ok.click()
    return dialog


def ime_type(widget: QWidget, text: str) -> None:
    """Type Japanese as a Japanese IME delivers it: a composed commit string, not key codes."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def wait_db(qtbot: object, db: DbThread) -> None:
    """Wait until every queued database job has been delivered."""
    qtbot.waitUntil(lambda: not db._pending, timeout=20_000)  # type: ignore[attr-defined]
    QApplication.processEvents()


def allowed_folder(school: Path, folder: Path, recipient: str) -> x25519.Identity:
    """``folder`` made an allowed destination and ``recipient`` registered with a new key (returned)."""
    folder.mkdir(exist_ok=True)
    identity = x25519.Identity.generate()
    with Store.open(school, "admin", PASSPHRASE) as admin:
        policy.allow_destination(admin, folder)
        recipients.add(admin, recipient, str(identity.to_public()))
    return identity
