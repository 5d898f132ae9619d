"""Ledger rows that match existing students (same name or kana, and birth date): merge,
skip or add each one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from storage import imports


class DuplicatesDialog(QDialog):
    def __init__(
        self, rows: list[imports.ImportRow], found: dict[int, list[Any]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("既にいる児童生徒"))
        self.rows = list(rows)
        self.found = found
        self.table = QTableWidget(len(found), 3)
        self.table.setObjectName("duplicates")
        self.table.setHorizontalHeaderLabels([self.tr("名簿の行"), self.tr("既存の記録"), self.tr("扱い")])
        self.choices: dict[int, QComboBox] = {}
        for line, (index, matches) in enumerate(sorted(found.items())):
            row = rows[index]
            data = row.data
            self.table.setItem(line, 0, QTableWidgetItem(
                f"{row.page}-{row.row} {data.family_name} {data.given_name} {data.birth_date}"))
            existing = matches[0]
            self.table.setItem(line, 1, QTableWidgetItem(
                f"{existing.full_name}({existing.full_kana}) {existing.birth_date} {existing.class_label or ''}"))
            choice = QComboBox()
            choice.addItem(self.tr("既存の記録に統合"), ("merge", existing.id))
            choice.addItem(self.tr("取り込まない"), ("skip", None))
            choice.addItem(self.tr("別人として追加"), ("add", None))
            self.table.setCellWidget(line, 2, choice)
            self.choices[index] = choice
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("同じ氏名(またはふりがな)と生年月日の児童生徒が既にいます。")))
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 320)

    def decided_rows(self) -> list[imports.ImportRow]:
        out = list(self.rows)
        for index, choice in self.choices.items():
            action, target = choice.currentData()
            out[index] = replace(out[index], decision=imports.Decision(action, target))
        return out
