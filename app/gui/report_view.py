"""監査レポート: who read or exported how many students this month, alerts, failed unlocks."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.db import DbThread
from app.gui.errors import message_for
from storage import report


class AccessReportView(QWidget):
    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        today = date.today()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setValue(today.month)
        show = QPushButton(self.tr("表示"))
        show.setObjectName("show_report")
        show.clicked.connect(self.reload)
        self.users = QTableWidget(0, 6)
        self.users.setObjectName("report_users")
        self.users.setHorizontalHeaderLabels(
            [self.tr("利用者"), self.tr("役割"), self.tr("閲覧した児童生徒"), self.tr("閲覧回数"),
             self.tr("出力した児童生徒"), self.tr("拒否された操作")]
        )
        self.users.verticalHeader().setVisible(False)
        self.users.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.details = QLabel()
        self.details.setObjectName("report_details")
        self.details.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("年")))
        top.addWidget(self.year)
        top.addWidget(QLabel(self.tr("月")))
        top.addWidget(self.month)
        top.addWidget(show)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.users, 1)
        layout.addWidget(self.details)

    def reload(self) -> None:
        year, month = self.year.value(), self.month.value()
        self.db.call(
            lambda store: report.access_report(store, year, month),
            self._show,
            lambda exc: self.details.setText(message_for(exc)),
        )

    def _show(self, found: report.AccessReport) -> None:
        self.users.setRowCount(len(found.users))
        for row, user in enumerate(found.users):
            role = {"administrator": self.tr("管理者"), "teacher": self.tr("教員")}.get(user.role, user.role)
            values = [f"{user.display_name} ({user.login})", role, user.students_read, user.views,
                      user.students_exported, user.refusals]
            for col, value in enumerate(values):
                self.users.setItem(row, col, QTableWidgetItem(str(value)))
        self.users.resizeColumnsToContents()
        lines = [self.tr("大量アクセスの警告: {0}件").format(len(found.alerts))]
        lines += [
            self.tr("  {0} {1} が {2}人分を{3}分以内に{4}").format(
                a.at[:16], a.actor, a.students, a.minutes, self.tr("閲覧") if a.kind == "read" else self.tr("出力")
            )
            for a in found.alerts
        ]
        lines.append(self.tr("出力: {0}件").format(len(found.exports)))
        lines += [f"  {e.at[:16]} {e.actor} {e.kind} → {e.recipient} ({e.students})" for e in found.exports]
        lines.append(self.tr("ロック解除の失敗: {0}回").format(len(found.failed_unlocks)))
        lines += [f"  {f.at[:16]} {f.login}" for f in found.failed_unlocks]
        self.details.setText("\n".join(lines))

    def clear(self) -> None:
        self.users.setRowCount(0)
        self.details.clear()

