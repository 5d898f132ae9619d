"""The main window: sidebar (名簿, 出席簿, 取込, 出力, 管理), status bar, lock and auto-lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
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
from app.gui.errors import message_for
from app.gui.export_page import ExportPage
from app.gui.idle import IdleWatcher
from app.gui.import_page import ImportPage
from app.gui.page import Page
from app.gui.protection import CaptureShield, ClipboardGuard, Watermark, watermark_text
from app.gui.roster import RosterPage
from app.gui.unlock import UnlockDialog
from app.version import app_version
from storage import backup, policy, settings
from storage.db import latest_version, schema_version
from storage.store import Store


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
        self.attendance.open_fix.connect(self.open_fix)
        self.imports = ImportPage(db)
        self.exports = ExportPage(db)
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
        self.about_action = QAction(self.tr("学籍について"), self)
        self.about_action.triggered.connect(self.show_about)
        toolbar.addAction(self.about_action)
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

        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(60 * 60 * 1000)  # look once an hour whether a backup is due
        self.backup_timer.timeout.connect(self.check_backup)
        self.backup_timer.start()

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
        if getattr(user, "role", "") == "administrator":
            self.db.call(policy.pending_alerts, self._show_alerts)
            self.check_backup()
        self.unlocked.emit(user)

    def open_fix(self, fix: str) -> None:
        """Open the place where an attendance set-up problem is fixed."""
        if fix == "class_membership":
            self.sidebar.setCurrentRow(0)  # 名簿 → 学級編成
        elif fix in ("calendar", "homeroom", "principal"):
            self.sidebar.setCurrentRow(4)  # 管理 → 学校暦 / 担任 / 利用者
            self.admin.focus_section(fix)

    def check_backup(self) -> None:
        """Scheduled backups (daily by default) while an administrator is signed in."""
        if self.user is None or getattr(self.user, "role", "") != "administrator":
            return

        def run(store: Store) -> str | None:
            return str(backup.run_scheduled(store)) if backup.due(store) else None

        def done(path: str | None) -> None:
            if path:
                self.statusBar().showMessage(self.tr("バックアップを作成しました: {0}").format(path), 15_000)

        self.db.call(run, done, lambda exc: self.statusBar().showMessage(message_for(exc), 30_000))

    def _show_alerts(self, alerts: list[policy.Alert]) -> None:
        """Bulk-access alerts are shown to every administrator at their next unlock."""
        if not alerts:
            return
        lines = [
            self.tr("{0} {1} が {2}分以内に {3}人分の個人情報を{4}しました(基準 {5}人)").format(
                a.at[:16], a.actor, a.minutes, a.students, self.tr("閲覧") if a.kind == "read" else self.tr("出力"),
                a.threshold,
            )
            for a in alerts
        ]
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("大量アクセスの警告"), "\n".join(lines), parent=self)
        box.setObjectName("alerts")
        box.setInformativeText(self.tr("心当たりがない場合は、利用者に確認し、管理画面の監査レポートを見てください。"))
        ids = [a.id for a in alerts]
        box.finished.connect(lambda _r: self.db.call(lambda store: policy.acknowledge(store, ids)))
        self.alert_box = box
        box.open()

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

    def show_about(self) -> None:
        schema = self.tr("(ロック中)")
        if self.user is not None:
            self.db.call(lambda store: schema_version(store.conn), lambda v: self._about(str(v)))
            return
        self._about(schema)

    def _about(self, schema: str) -> None:
        QMessageBox.about(
            self,
            self.tr("学籍について"),
            self.tr(
                "<b>学籍 Gakuseki</b> {0}<br>入学予定者名簿の読み取り、暗号化された学籍、電子押印の出席簿<br><br>"
                "ストア: {1}<br>データ形式: {2} / {3}"
            ).format(app_version(), self.path, schema, latest_version()),
        )

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
