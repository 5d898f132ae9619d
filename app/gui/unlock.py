"""The unlock dialog: user and passphrase (or the recovery key), errors shown in place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.db import DbThread
from app.gui.errors import is_expected, message_for, show_error
from storage.errors import StoreError
from storage.keyslots import KeySlotFile
from storage.store import SLOTS_NAME, Store


class UnlockDialog(QDialog):
    """Unlocks ``path`` on the database thread; accepted once the store is open."""

    unlocked = Signal(object)  # storage.store.User

    def __init__(self, db: DbThread, path: Path, parent: QWidget | None = None, *, login: str = "") -> None:
        super().__init__(parent)
        self.db = db
        self.path = path
        self.setWindowTitle(self.tr("学籍 — ロック解除"))
        self.setModal(True)
        self.setMinimumWidth(420)

        self.login = QComboBox()
        self.login.setEditable(True)
        self.login.setObjectName("login")
        problem = ""
        try:
            logins = KeySlotFile.load(path / SLOTS_NAME).user_logins()
        except OSError:
            logins = []
        except StoreError as exc:  # a damaged key-slot file: said below, nothing changed
            logins = []
            problem = message_for(exc)
        self.login.addItems(logins)
        if login:
            self.login.setCurrentText(login)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery = QLineEdit()
        self.recovery.setObjectName("recovery")
        self.recovery.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.recovery.setVisible(False)
        self.recovery_label = QLabel(self.tr("回復キー"))
        self.recovery_label.setVisible(False)

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setText(problem)

        form = QFormLayout()
        form.addRow(self.tr("利用者"), self.login)
        form.addRow(self.tr("パスフレーズ"), self.passphrase)
        form.addRow(self.recovery_label, self.recovery)

        self.use_recovery = QPushButton(self.tr("回復キーで開く…"))
        self.use_recovery.setFlat(True)
        self.use_recovery.clicked.connect(self._toggle_recovery)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("ロック解除"))
        self.ok.setObjectName("unlock")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("終了"))
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        title = QLabel(self.tr("<b>学籍</b> — 児童生徒の記録は暗号化されています"))
        layout.addWidget(title)
        layout.addWidget(QLabel(str(path)))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.use_recovery, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        (self.passphrase if logins else self.login).setFocus()

    def _toggle_recovery(self) -> None:
        on = not self.recovery.isVisible()
        self.recovery.setVisible(on)
        self.recovery_label.setVisible(on)
        self.passphrase.setEnabled(not on)
        self.login.setEnabled(not on)
        (self.recovery if on else self.passphrase).setFocus()

    def try_unlock(self) -> None:
        login = self.login.currentText().strip()
        passphrase = self.passphrase.text()
        recovery = self.recovery.text() if self.recovery.isVisible() else ""
        path = self.path
        if not recovery and (not login or not passphrase):
            self.message.setText(self.tr("利用者とパスフレーズを入力してください"))
            return
        self.ok.setEnabled(False)
        self.message.setStyleSheet("color: palette(text);")
        self.message.setText(self.tr("確認しています…"))

        def opener() -> Store:
            if recovery:
                return Store.open_with_recovery(path, recovery)
            return Store.open(path, login, passphrase)

        self.db.open(opener, self._done, self._failed)

    def _done(self, user: object) -> None:
        self.passphrase.clear()
        self.recovery.clear()
        self.unlocked.emit(user)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.message.setStyleSheet("color: #b00020;")
        if is_expected(exc):
            self.message.setText(message_for(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        else:
            self.message.setText("")
            show_error(self, exc)
