"""The main window: sidebar (名簿, 出席簿, 取込, 出力, 管理), status bar, lock and auto-lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.gui.admin_page import AdminPage
from app.gui.attendance_page import AttendancePage
from app.gui.db import DbThread
from app.gui.idle import IdleWatcher
from app.gui.import_page import ImportPage
from app.gui.page import Page
from app.gui.placeholder import PlaceholderPage
from app.gui.protection import CaptureShield, ClipboardGuard, Watermark, watermark_text
from app.gui.roster import RosterPage
from app.gui.unlock import UnlockDialog
from storage import settings


class MainWindow(QMainWindow):
    locked = Signal()
    unlocked = Signal(object)

    def __init__(self, db: DbThread, path: Path) -> None:
        super().__init__()
        self.db = db
        self.path = path
        self.user: object | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self.setWindowTitle(self.tr("学籍 Gakuseki"))
        self.resize(1280, 760)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(120)
        self.sidebar.setStyleSheet(
            "QListWidget { font-size: 15px; } QListWidget::item { padding: 10px 8px; }"
        )
        self.stack = QStackedWidget()
        self.roster = RosterPage(db)
        self.attendance = AttendancePage(db)
        self.imports = ImportPage(db)
        self.exports = PlaceholderPage(
            db,
            self.tr("出力"),
            self.tr("名簿や出欠の記録は、管理者が許可した宛先にだけ、受取人の鍵で暗号化して出力します。"),
        )
        self.admin = AdminPage(db)
        self.pages: list[tuple[str, Page]] = [
            (self.tr("名簿"), self.roster),
            (self.tr("出席簿"), self.attendance),
            (self.tr("取込"), self.imports),
            (self.tr("出力"), self.exports),
            (self.tr("管理"), self.admin),
        ]
        for index, (title, page) in enumerate(self.pages, start=1):
            self.sidebar.addItem(title)
            self.stack.addWidget(page)
            go = QAction(self)
            go.setShortcut(QKeySequence(f"Ctrl+{index}"))
            go.triggered.connect(lambda _=False, i=index - 1: self.sidebar.setCurrentRow(i))
            self.addAction(go)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.sidebar.setCurrentRow(0)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        toolbar = QToolBar(self.tr("操作"))
        toolbar.setObjectName("toolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.lock_action = QAction(self.tr("ロック (Ctrl+L)"), self)
        self.lock_action.setObjectName("lock")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip(self.tr("画面をロックします (Ctrl+L)"))
        self.lock_action.triggered.connect(self.lock)
        toolbar.addAction(self.lock_action)
        self.print_action = QAction(self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.explain_no_printing)
        self.addAction(self.print_action)

        self.user_label = QLabel()
        self.state_label = QLabel()
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.state_label)

        self.clipboard = ClipboardGuard(parent=self)
        self.watermarks = []
        for view in (self.roster.table, self.imports.table, self.attendance.table):
            self.clipboard.guard_view(view)
            self.watermarks.append(Watermark(view.viewport(), lambda: watermark_text(self.user)))
        self.shield = CaptureShield(parent=self)

        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
            app.installEventFilter(self.shield)
        self.db.busy_changed.connect(self._busy)
        self._show_state()

    # -- lock and unlock -----------------------------------------------------------------

    def show_unlock(self) -> UnlockDialog:
        login = getattr(self.user, "login", "") if self.user is not None else ""
        dialog = UnlockDialog(self.db, self.path, self, login=login)
        dialog.unlocked.connect(self.on_unlocked)
        dialog.rejected.connect(self._unlock_cancelled)
        self.unlock_dialog = dialog
        dialog.open()
        return dialog

    def _unlock_cancelled(self) -> None:
        if self.user is None:
            self.close()

    def on_unlocked(self, user: object) -> None:
        previous = getattr(self, "_last_login", None)
        self.user = user
        login = getattr(user, "login", "")
        if previous is not None and previous != login:
            for _, page in self.pages:
                getattr(page, "forget_unsaved", lambda: None)()
        self._last_login = login
        self.centralWidget().setEnabled(True)
        self.lock_action.setEnabled(True)
        self._show_state()
        for _, page in self.pages:
            page.on_unlocked(user)
        self.db.call(settings.auto_lock_minutes, self._start_idle)
        self.unlocked.emit(user)

    def _start_idle(self, minutes: float) -> None:
        self.idle.set_timeout_ms(int(minutes * 60_000))
        self.idle.start()

    def lock(self) -> None:
        """Close the connection, clear every model and ask to unlock again."""
        if self.user is None:
            return
        self.idle.stop()
        for _, page in self.pages:
            page.on_locked()
        self.centralWidget().setEnabled(False)
        self.lock_action.setEnabled(False)
        self.user = None
        self._show_state()
        self.db.close()
        self.locked.emit()
        self.show_unlock()

    def _show_state(self) -> None:
        if self.user is None:
            self.user_label.setText("")
            self.state_label.setText(self.tr("ロック中"))
            return
        role = getattr(self.user, "role", "")
        role_text = self.tr("管理者") if role == "administrator" else self.tr("教員")
        name = getattr(self.user, "display_name", "")
        self.user_label.setText(self.tr("利用者: {0}({1})").format(name, role_text))
        self.state_label.setText(self.tr("ロック解除中"))

    def _busy(self, busy: bool) -> None:
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            while QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()

    def explain_no_printing(self) -> None:
        QMessageBox.information(
            self,
            self.tr("印刷はできません"),
            self.tr(
                "個人情報の紙での持ち出しを防ぐため、学籍では印刷できません。"
                "書類が必要なときは、管理者に「出力」から暗号化した出力を依頼してください。"
            ),
        )

    def set_capture_backend(self, backend: object) -> None:
        """For tests and platforms: how capture exclusion is applied to a native window."""
        self.shield.backend = backend  # type: ignore[assignment]

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
            app.removeEventFilter(self.shield)
        self.clipboard.clear_if_ours()
        for _, page in self.pages:
            page.on_locked()
        self.db.shutdown()
        event.accept()
