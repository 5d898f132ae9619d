"""管理: users, auto-lock and language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
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
from storage import attendance, classes, settings, users
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

        # 学校暦 (school calendar)
        self.calendar_box = QGroupBox(self.tr("学校暦"))
        self.calendar_box.setObjectName("calendar_box")
        self.cal_year = QSpinBox()
        self.cal_year.setRange(2000, 2100)
        self.cal_year.setValue(classes.current_year())
        defaults = QPushButton(self.tr("標準の授業日を登録(土日・祝日を除く)"))
        defaults.setObjectName("default_calendar")
        defaults.clicked.connect(self._default_calendar)
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day_kind = QComboBox()
        for kind, text in (("school_day", self.tr("授業日")), ("holiday", self.tr("休日")),
                           ("school_closure", self.tr("臨時休校"))):
            self.day_kind.addItem(text, kind)
        set_day = QPushButton(self.tr("この日を設定"))
        set_day.clicked.connect(self._set_day)
        cal_form = QFormLayout(self.calendar_box)
        year_row = QHBoxLayout()
        year_row.addWidget(self.cal_year)
        year_row.addWidget(defaults)
        cal_form.addRow(self.tr("年度"), year_row)
        day_row = QHBoxLayout()
        day_row.addWidget(self.day)
        day_row.addWidget(self.day_kind)
        day_row.addWidget(set_day)
        cal_form.addRow(self.tr("日ごと"), day_row)
        # 担任 (homeroom teachers) and 校長
        self.homeroom_box = QGroupBox(self.tr("担任と校長"))
        self.homeroom_box.setObjectName("homeroom_box")
        self.hr_class = QComboBox()
        self.hr_teacher = QComboBox()
        make_homeroom = QPushButton(self.tr("担任にする"))
        make_homeroom.clicked.connect(self._set_homeroom)
        make_principal = QPushButton(self.tr("選んだ管理者を校長に指定"))
        make_principal.clicked.connect(self._set_principal)
        hr_form = QFormLayout(self.homeroom_box)
        hr_row = QHBoxLayout()
        hr_row.addWidget(self.hr_class)
        hr_row.addWidget(self.hr_teacher)
        hr_row.addWidget(make_homeroom)
        hr_form.addRow(self.tr("学級の担任"), hr_row)
        hr_form.addRow(make_principal)
        self.admin_message = QLabel()
        self.admin_message.setObjectName("admin_message")
        self.admin_message.setWordWrap(True)

        self.report = AccessReportView(db)
        report_box = QGroupBox(self.tr("監査レポート(月ごとのアクセス)"))
        QVBoxLayout(report_box).addWidget(self.report)

        layout = QVBoxLayout(self)
        title = self.tr("管理")
        layout.addWidget(QLabel(f"<h2>{title}</h2>"))
        layout.addWidget(self.notice)
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(user_box, 1)
        left.addWidget(self.homeroom_box)
        left.addWidget(self.calendar_box)
        left.addWidget(settings_box)
        left.addWidget(self.admin_message)
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
        def load(store: Store) -> tuple[list[users.User], float, list[classes.ClassInfo]]:
            return (
                users.list_users(store),
                settings.auto_lock_minutes(store),
                classes.list_classes(store, classes.current_year()),
            )

        self.db.call(load, self._show)

    def _show(self, loaded: tuple[list[users.User], float, list[classes.ClassInfo]]) -> None:
        found, minutes, class_list = loaded
        self.hr_class.clear()
        for info in class_list:
            self.hr_class.addItem(f"{info.label}({info.homeroom_login or self.tr('担任なし')})", info.id)
        self.hr_teacher.clear()
        for user in found:
            self.hr_teacher.addItem(f"{user.display_name} ({user.login})", user.login)
        self.users.setRowCount(len(found))
        for row, user in enumerate(found):
            role = self.tr("管理者") if user.is_admin else self.tr("教員")
            for col, text in enumerate((user.login, user.display_name, role)):
                self.users.setItem(row, col, QTableWidgetItem(text))
        self.auto_lock.setValue(round(minutes))

    def focus_section(self, fix: str) -> None:
        """Bring the section that fixes an attendance set-up problem into view."""
        target = {"calendar": self.calendar_box, "homeroom": self.homeroom_box, "principal": self.homeroom_box}.get(fix)
        if target is not None:
            target.setFocus()
            target.setStyleSheet("QGroupBox { border: 2px solid #1f5fa8; }")

    def _done(self, text: str) -> Callable[[object], None]:
        def show(_: object) -> None:
            self.admin_message.setText(text)
            self.reload()

        return show

    def _failed(self, exc: BaseException) -> None:
        self.admin_message.setText(message_for(exc))

    def _default_calendar(self) -> None:
        year = self.cal_year.value()

        def work(store: Store) -> int:
            return attendance.set_days(store, attendance.default_school_days(year), "school_day")

        self.db.call(work, self._done(self.tr("{0}年度の標準の授業日を登録しました").format(year)), self._failed)

    def _set_day(self) -> None:
        day = self.day.date().toPython()
        kind = self.day_kind.currentData()
        self.db.call(
            lambda store: attendance.set_days(store, [day], kind),
            self._done(self.tr("{0} を設定しました").format(day.isoformat())),
            self._failed,
        )

    def _set_homeroom(self) -> None:
        class_id, login = self.hr_class.currentData(), self.hr_teacher.currentData()
        if class_id is None or login is None:
            return
        self.db.call(
            lambda store: classes.set_homeroom(store, class_id, login),
            self._done(self.tr("担任を設定しました")),
            self._failed,
        )

    def _set_principal(self) -> None:
        row = self.users.currentRow()
        item = self.users.item(row, 0) if row >= 0 else None
        if item is None:
            self.admin_message.setText(self.tr("利用者の表で管理者を選んでください"))
            return
        login = item.text()
        self.db.call(
            lambda store: users.set_principal(store, login),
            self._done(self.tr("{0} を校長に指定しました").format(login)),
            self._failed,
        )

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
