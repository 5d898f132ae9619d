"""出力: standard records and reports, written only through the data-loss-prevention path
(allow-listed folder, encrypted to a registered recipient, typed reason, audited)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.db import DbThread
from app.gui.errors import message_for
from app.gui.page import Page
from storage import classes, exports, oneroster, policy, recipients
from storage.reports import Payload, attendance, pdf, student_list
from storage.store import Store

Builder = Callable[[Store, int, int | None, int], Payload]

# titles are translated in the ExportPage context when shown (self.tr)
KINDS: list[tuple[str, str, Builder]] = [
    (
        "oneroster",
        QT_TRANSLATE_NOOP("ExportPage", "OneRoster 1.2 Japan Profile(zip)"),
        lambda s, y, c, m: oneroster.build_bulk(s, y),
    ),
    (
        "record_csv",
        QT_TRANSLATE_NOOP("ExportPage", "指導要録 出欠の記録(CSV)"),
        lambda s, y, c, m: attendance.attendance_record_csv(s, y, class_id=c),
    ),
    (
        "record_pdf",
        QT_TRANSLATE_NOOP("ExportPage", "指導要録 出欠の記録(PDF、学級)"),
        lambda s, y, c, m: pdf.student_record_pdf(s, y, class_id=c),
    ),
    (
        "month_csv",
        QT_TRANSLATE_NOOP("ExportPage", "月別出欠集計(CSV)"),
        lambda s, y, c, m: attendance.monthly_summary_csv(s, _need(c), y, m),
    ),
    (
        "month_pdf",
        QT_TRANSLATE_NOOP("ExportPage", "月別出欠集計(PDF)"),
        lambda s, y, c, m: pdf.monthly_attendance_pdf(s, _need(c), y, m),
    ),
    ("roster_pdf", QT_TRANSLATE_NOOP("ExportPage", "学級名簿(PDF)"), lambda s, y, c, m: pdf.roster_pdf(s, _need(c))),
    (
        "students_csv",
        QT_TRANSLATE_NOOP("ExportPage", "児童生徒名簿(CSV)"),
        lambda s, y, c, m: student_list.student_list_csv(s, class_id=c),
    ),
]


def _need(class_id: int | None) -> int:
    if class_id is None:
        from storage.errors import InputError

        raise InputError("export.class_needed", "学級を選んでください", "Choose a class")
    return class_id


class ExportPage(Page):
    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.kind = QComboBox()
        self.kind.setObjectName("export_kind")
        for key, title, _ in KINDS:
            self.kind.addItem(self.tr(title), key)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(classes.current_year())
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setValue(date.today().month)
        self.klass = QComboBox()
        self.destination = QComboBox()
        self.destination.setObjectName("export_destination")
        self.recipient = QComboBox()
        self.recipient.setObjectName("export_recipient")
        self.reason = QLineEdit()
        self.reason.setObjectName("export_reason")
        self.reason.setPlaceholderText(self.tr("例: 教育委員会への学齢簿報告のため"))
        self.approval = QLineEdit()
        self.approval.setPlaceholderText(self.tr("大量の出力のときだけ: 別の管理者の承認番号"))
        self.go = QPushButton(self.tr("暗号化して出力"))
        self.go.setObjectName("export_go")
        self.go.clicked.connect(self.export)
        self.message = QLabel()
        self.message.setObjectName("export_message")
        self.message.setWordWrap(True)
        form_box = QGroupBox(self.tr("出力する内容"))
        form = QFormLayout(form_box)
        form.addRow(self.tr("種類"), self.kind)
        form.addRow(self.tr("年度"), self.year)
        form.addRow(self.tr("学級"), self.klass)
        form.addRow(self.tr("月"), self.month)
        form.addRow(self.tr("出力先(許可済み)"), self.destination)
        form.addRow(self.tr("受取先(この鍵で暗号化)"), self.recipient)
        form.addRow(self.tr("理由(必須、監査ログに残ります)"), self.reason)
        form.addRow(self.tr("承認番号"), self.approval)
        form.addRow(self.go)
        self.notice = QLabel(
            self.tr(
                "個人情報は、管理者が許可したフォルダにだけ、受取先の公開鍵で暗号化して書き出します。"
                "USBメモリなど取り外せるドライブには書き出せません。出力はすべて監査ログに記録されます。"
            )
        )
        self.notice.setWordWrap(True)
        layout = QVBoxLayout(self)
        title = self.tr("出力")
        layout.addWidget(QLabel(f"<h2>{title}</h2>"))
        layout.addWidget(self.notice)
        layout.addWidget(form_box)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def on_unlocked(self, user: object) -> None:
        admin = getattr(user, "role", "") == "administrator"
        self.setEnabled(admin)
        if not admin:
            self.message.setText(self.tr("出力は管理者だけが行えます。"))
            return

        def load(store: Store) -> tuple[list[Any], list[Any], list[Any]]:
            return (
                policy.list_destinations(store),
                recipients.list_recipients(store),
                classes.list_classes(store, classes.current_year()),
            )

        self.db.call(load, self._loaded)

    def _loaded(self, loaded: tuple[list[Any], list[Any], list[Any]]) -> None:
        destinations, people, class_list = loaded
        self.destination.clear()
        for d in destinations:
            self.destination.addItem(str(d.path), str(d.path))
        self.recipient.clear()
        for r in people:
            self.recipient.addItem(r.name, r.name)
        self.klass.clear()
        self.klass.addItem(self.tr("(学校全体)"), None)
        for info in class_list:
            self.klass.addItem(info.label, info.id)
        missing = []
        if not destinations:
            missing.append(self.tr("出力先が登録されていません(gakuseki policy allow-destination DIR)"))
        if not people:
            missing.append(self.tr("受取先の公開鍵が登録されていません(gakuseki recipient add NAME age1…)"))
        self.message.setText("\n".join(missing))
        self.go.setEnabled(not missing)

    def export(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.message.setText(self.tr("出力する理由を入力してください。"))
            self.reason.setFocus()
            return
        builder = next(b for key, _, b in KINDS if key == self.kind.currentData())
        year, class_id, month = self.year.value(), self.klass.currentData(), self.month.value()
        destination, recipient = self.destination.currentData(), self.recipient.currentData()
        approval = self.approval.text().strip() or None

        def work(store: Store) -> tuple[str, int]:
            from pathlib import Path

            built = builder(store, year, class_id, month)
            path = exports.export_file(
                store,
                payload=built.payload,
                file_name=built.file_name,
                destination=Path(destination),
                recipient=recipient,
                reason=reason,
                kind=built.kind,
                rows=built.rows,
                student_ids=built.student_ids,
                approval=approval,
            )
            return str(path), built.rows

        self.message.setText(self.tr("出力しています…"))
        self.db.call(
            work,
            lambda done: self.message.setText(self.tr("暗号化して出力しました: {0}({1}行)").format(done[0], done[1])),
            lambda exc: self.message.setText(message_for(exc)),
        )

    def on_locked(self) -> None:
        self.reason.clear()
        self.approval.clear()
        self.klass.clear()
