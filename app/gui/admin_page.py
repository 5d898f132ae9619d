"""管理: users, auto-lock and language."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui import i18n
from app.gui.db import DbThread
from app.gui.errors import message_for
from app.gui.page import Page
from app.gui.report_view import AccessReportView
from storage import settings, users
from storage.store import Store
from storage.validation import MIN_PASSPHRASE


class AddUserDialog(QDialog):
    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("利用者を追加"))
        self.login = QLineEdit()
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.addItem(self.tr("教員"), "teacher")
        self.role.addItem(self.tr("管理者"), "administrator")
        self.pass1 = QLineEdit()
        self.pass2 = QLineEdit()
        for edit in (self.pass1, self.pass2):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("ログイン名"), self.login)
        form.addRow(self.tr("表示名"), self.name)
        form.addRow(self.tr("役割"), self.role)
        form.addRow(self.tr("初期パスフレーズ"), self.pass1)
        form.addRow(self.tr("もう一度"), self.pass2)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _save(self) -> None:
        if self.pass1.text() != self.pass2.text():
            self.error.setText(self.tr("パスフレーズが一致しません"))
            return
        if len(self.pass1.text()) < MIN_PASSPHRASE:
            self.error.setText(self.tr("パスフレーズは{0}文字以上にしてください").format(MIN_PASSPHRASE))
            return
        login, name = self.login.text().strip(), self.name.text()
        role, secret = self.role.currentData(), self.pass1.text()
        self.db.call(
            lambda store: users.add_user(store, login, role, name, secret),
            lambda _user: self.accept(),
            lambda exc: self.error.setText(message_for(exc)),
        )


class AdminPage(Page):
    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.notice = QLabel(self.tr("この画面は管理者用です。"))
        self.users = QTableWidget(0, 3)
        self.users.setObjectName("users")
        self.users.setHorizontalHeaderLabels([self.tr("ログイン名"), self.tr("表示名"), self.tr("役割")])
        self.users.horizontalHeader().setStretchLastSection(True)
        self.users.verticalHeader().setVisible(False)
        self.users.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        add = QPushButton(self.tr("利用者を追加…"))
        add.clicked.connect(self._add_user)
        user_box = QGroupBox(self.tr("利用者"))
        user_layout = QVBoxLayout(user_box)
        user_layout.addWidget(self.users)
        user_layout.addWidget(add)

        self.auto_lock = QSpinBox()
        self.auto_lock.setObjectName("auto_lock")
        self.auto_lock.setRange(1, 60)
        self.auto_lock.setSuffix(self.tr(" 分"))
        save_lock = QPushButton(self.tr("保存"))
        save_lock.clicked.connect(self._save_auto_lock)
        self.language = QComboBox()
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(0 if i18n.current_language() == "ja" else 1)
        self.language.activated.connect(self._language)
        settings_box = QGroupBox(self.tr("設定"))
        form = QFormLayout(settings_box)
        row = QHBoxLayout()
        row.addWidget(self.auto_lock)
        row.addWidget(save_lock)
        row.addStretch(1)
        form.addRow(self.tr("自動ロックまでの時間"), row)
        form.addRow(self.tr("表示言語(この端末)"), self.language)

        self.report = AccessReportView(db)
        report_box = QGroupBox(self.tr("監査レポート(月ごとのアクセス)"))
        QVBoxLayout(report_box).addWidget(self.report)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{self.tr('管理')}</h2>"))
        layout.addWidget(self.notice)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(user_box, 1)
        left.addWidget(settings_box)
        columns.addLayout(left, 2)
        columns.addWidget(report_box, 3)
        layout.addLayout(columns, 1)

    def on_unlocked(self, user: object) -> None:
        admin = getattr(user, "role", "") == "administrator"
        self.notice.setVisible(not admin)
        for child in self.findChildren(QGroupBox):
            child.setEnabled(admin)
        if admin:
            self.reload()
            self.report.reload()

    def reload(self) -> None:
        def load(store: Store) -> tuple[list[users.User], float]:
            return users.list_users(store), settings.auto_lock_minutes(store)

        self.db.call(load, self._show)

    def _show(self, loaded: tuple[list[users.User], float]) -> None:
        found, minutes = loaded
        self.users.setRowCount(len(found))
        for row, user in enumerate(found):
            role = self.tr("管理者") if user.is_admin else self.tr("教員")
            for col, text in enumerate((user.login, user.display_name, role)):
                self.users.setItem(row, col, QTableWidgetItem(text))
        self.auto_lock.setValue(round(minutes))

    def on_locked(self) -> None:
        self.users.setRowCount(0)
        self.report.clear()

    def _add_user(self) -> None:
        dialog = AddUserDialog(self.db, self)
        if dialog.exec():
            self.reload()

    def _save_auto_lock(self) -> None:
        value = str(self.auto_lock.value())
        self.db.call(
            lambda store: settings.set_value(store, "auto_lock_minutes", value),
            lambda _: QMessageBox.information(self, self.tr("設定"), self.tr("次のロック解除から有効です")),
        )

    def _language(self) -> None:
        i18n.set_language(str(self.language.currentData()))
        QMessageBox.information(self, self.tr("表示言語"), self.tr("次回の起動から切り替わります"))
