"""First run: create the school's store (school, 学校コード, first administrator, recovery key)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.gui.db import DbThread
from app.gui.errors import is_expected, message_for, show_error
from storage import school_code
from storage.errors import InputError
from storage.store import Store
from storage.validation import MIN_PASSPHRASE, check_login

ERROR_STYLE = "color: #b00020;"


class SchoolPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("学校"))
        self.setSubTitle(self.tr("学校名と、文部科学省の学校コード(13桁)を入力してください。"))
        self.name = QLineEdit()
        self.name.setObjectName("school_name")
        self.code = QLineEdit()
        self.code.setObjectName("school_code")
        self.code.setPlaceholderText("B113212345602")
        self.code_state = QLabel()
        form = QFormLayout(self)
        form.addRow(self.tr("学校名"), self.name)
        form.addRow(self.tr("学校コード"), self.code)
        form.addRow("", self.code_state)
        self.name.textChanged.connect(self.completeChanged)
        self.code.textChanged.connect(self._check_code)

    def _check_code(self) -> None:
        text = self.code.text()
        try:
            school_code.validate(text)
        except InputError as exc:
            self.code_state.setStyleSheet(ERROR_STYLE)
            self.code_state.setText(message_for(exc) if len(text.strip()) >= 13 else "")
        else:
            self.code_state.setStyleSheet("color: #1b5e20;")
            self.code_state.setText(self.tr("✓ 正しい学校コードです"))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        try:
            school_code.validate(self.code.text())
        except InputError:
            return False
        return bool(self.name.text().strip())


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("最初の管理者"))
        self.setSubTitle(self.tr("この管理者が教職員の利用者を登録します。"))
        self.login = QLineEdit("admin")
        self.login.setObjectName("admin_login")
        self.display = QLineEdit()
        self.display.setObjectName("admin_name")
        self.pass1 = QLineEdit()
        self.pass1.setObjectName("pass1")
        self.pass2 = QLineEdit()
        self.pass2.setObjectName("pass2")
        for edit in (self.pass1, self.pass2):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self.completeChanged)
        self.login.textChanged.connect(self.completeChanged)
        self.hint = QLabel(
            self.tr("パスフレーズは{0}文字以上。長い文の方が安全で覚えやすいです。").format(MIN_PASSPHRASE)
        )
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("ログイン名"), self.login)
        form.addRow(self.tr("表示名"), self.display)
        form.addRow(self.tr("パスフレーズ"), self.pass1)
        form.addRow(self.tr("もう一度"), self.pass2)
        form.addRow("", self.hint)

    def isComplete(self) -> bool:
        try:
            check_login(self.login.text())
        except InputError:
            return False
        return len(self.pass1.text()) >= MIN_PASSPHRASE and self.pass1.text() == self.pass2.text()


class RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("回復キー"))
        self.setSubTitle(
            self.tr("パスフレーズを忘れたときに学校の記録を開く唯一の方法です。一度だけ表示します。")
        )
        self.key = QLabel(self.tr("作成しています…"))
        self.key.setObjectName("recovery_key")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(16)
        font.setWeight(QFont.Weight.Bold)
        self.key.setFont(font)
        self.key.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.confirm = QCheckBox(self.tr("紙に書き写し、金庫など安全な場所に保管しました"))
        self.confirm.setObjectName("confirm")
        self.confirm.setEnabled(False)
        self.confirm.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addWidget(self.error)
        layout.addWidget(self.confirm)

    def isComplete(self) -> bool:
        return self.confirm.isChecked()


class SetupWizard(QWizard):
    """Creates the store on the database thread when the recovery page is reached."""

    def __init__(self, db: DbThread, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.path = path
        self.setWindowTitle(self.tr("学籍 — はじめての設定"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.school = SchoolPage()
        self.admin = AdminPage()
        self.recovery = RecoveryPage()
        for page in (self.school, self.admin, self.recovery):
            self.addPage(page)
        self.currentIdChanged.connect(self._page_changed)
        self.created = False

    def _page_changed(self, page_id: int) -> None:
        if self.page(page_id) is self.recovery and not self.created:
            self._create()

    def _create(self) -> None:
        recovery: list[str] = []
        school, admin = self.school, self.admin
        path = self.path

        def opener() -> Store:
            store, key = Store.create(
                path,
                school_name=school.name.text(),
                school_code_value=school.code.text(),
                admin_login=admin.login.text(),
                admin_name=admin.display.text(),
                admin_passphrase=admin.pass1.text(),
            )
            recovery.append(key)
            return store

        def done(_user: object) -> None:
            self.created = True
            admin.pass1.clear()
            admin.pass2.clear()
            self.recovery.key.setText(recovery[0])
            self.recovery.confirm.setEnabled(True)

        def failed(exc: BaseException) -> None:
            if not is_expected(exc):
                show_error(self, exc)
            self.recovery.key.setText("")
            self.recovery.error.setText(message_for(exc))

        self.db.open(opener, done, failed)
