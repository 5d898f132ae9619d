"""学級編成: put selected students into a class; 出席番号 in kana order by default, adjustable."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.db import DbThread
from app.gui.errors import message_for
from storage import classes, students
from storage.errors import NotFoundError
from storage.store import Store


class AssignDialog(QDialog):
    def __init__(self, db: DbThread, picked: list[students.Student], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("学級編成"))
        self.students = sorted(picked, key=lambda s: (s.family_kana, s.given_kana, s.id))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(classes.current_year())
        self.grade = QSpinBox()
        self.grade.setRange(1, 9)
        self.name = QLineEdit("1")
        self.order = QListWidget()
        self.order.setObjectName("order")
        for s in self.students:
            self.order.addItem(f"{s.full_name}({s.full_kana})")
        up = QPushButton(self.tr("▲ 上へ"))
        down = QPushButton(self.tr("▼ 下へ"))
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("年度"), self.year)
        form.addRow(self.tr("学年"), self.grade)
        form.addRow(self.tr("組"), self.name)
        moves = QHBoxLayout()
        moves.addWidget(up)
        moves.addWidget(down)
        moves.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("出席番号の順(ふりがな順。必要なら並べ替えてください)")))
        layout.addWidget(self.order)
        layout.addLayout(moves)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _move(self, step: int) -> None:
        row = self.order.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.order.count():
            return
        item = self.order.takeItem(row)
        self.order.insertItem(target, item)
        self.students.insert(target, self.students.pop(row))
        self.order.setCurrentRow(target)

    def _save(self) -> None:
        year, grade, name = self.year.value(), self.grade.value(), self.name.text().strip()
        ids = [s.id for s in self.students]
        today = date.today()
        start = today if date(year, 4, 1) <= today <= date(year + 1, 3, 31) else date(year, 4, 1)

        def save(store: Store) -> None:
            with store.transaction():
                try:
                    info = classes.find_class(store, f"{grade}-{name}", year)
                except NotFoundError:
                    info = classes.add_class(store, year, grade, name)
                classes.enrol(store, info.id, ids, start.isoformat(), kana_order=False)

        self.db.call(save, lambda _: self.accept(), lambda exc: self.error.setText(message_for(exc)))
