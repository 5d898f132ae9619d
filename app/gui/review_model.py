"""The review table: one row per ledger record, each cell its recognised value beside the
cell image; flagged cells coloured; edits validated with the OCR pipeline's parsers."""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.gui.i18n import label, pick
from app.gui.reasons import describe, joined
from ocr import FIELD_NAMES
from storage import imports
from storage.errors import InputError

Index = QModelIndex | QPersistentModelIndex

FIELD_ORDER = list(FIELD_NAMES)  # the extractor's field order
FIELD_TITLES = {
    "no": QT_TRANSLATE_NOOP("labels", "番号"),
    "family_name": QT_TRANSLATE_NOOP("labels", "姓"),
    "given_name": QT_TRANSLATE_NOOP("labels", "名"),
    "family_kana": QT_TRANSLATE_NOOP("labels", "せい"),
    "given_kana": QT_TRANSLATE_NOOP("labels", "めい"),
    "sex": QT_TRANSLATE_NOOP("labels", "性別"),
    "birth_date": QT_TRANSLATE_NOOP("labels", "生年月日"),
    "guardian": QT_TRANSLATE_NOOP("labels", "保護者氏名"),
    "address": QT_TRANSLATE_NOOP("labels", "住所"),
    "phone": QT_TRANSLATE_NOOP("labels", "電話番号"),
    "previous_school": QT_TRANSLATE_NOOP("labels", "出身園・校"),
}
FLAGGED = QColor("#ffd59a")
INVALID = QColor("#ffb4b4")
SKIPPED = QColor("#e0e0e0")
CROP_ROLE = Qt.ItemDataRole.UserRole + 1
FLAG_ROLE = Qt.ItemDataRole.UserRole + 2


class ReviewModel(QAbstractTableModel):
    """Works on the draft's JSON (the extractor format); ``edited`` asks the page to save it."""

    edited = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.result: dict[str, Any] = {"records": []}
        self.columns: list[str] = []
        self.pages: dict[int, QImage] = {}
        self._crops: dict[tuple[int, tuple[int, ...]], QPixmap] = {}
        # what each edit replaced, newest last: (row, field or None for the row's 除外 mark, old state)
        self._undo: list[tuple[int, str | None, Any]] = []

    def load(self, result: dict[str, Any], pages: dict[int, QImage]) -> None:
        self.beginResetModel()
        self._undo.clear()
        self.result = copy.deepcopy(result)
        present = {name for r in self.result.get("records", []) for name in r.get("fields", {})}
        self.columns = [f for f in FIELD_ORDER if f in present]
        self.pages = pages
        self._crops.clear()
        self.endResetModel()

    def clear(self) -> None:
        self.load({"records": []}, {})

    @property
    def records(self) -> list[dict[str, Any]]:
        return list(self.result.get("records", []))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def cell(self, index: Index) -> dict[str, Any] | None:
        record = self.records[index.row()]
        value = record.get("fields", {}).get(self.columns[index.column()])
        return value if isinstance(value, dict) else None

    def skipped(self, row: int) -> bool:
        return bool(self.records[row].get("skip"))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self.cell(index)
        if cell is None:
            return None
        value = cell.get("value")
        text = "" if value is None else str(value)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role == Qt.ItemDataRole.BackgroundRole:
            if self.skipped(index.row()):
                return SKIPPED
            if cell.get("invalid"):
                return INVALID
            if cell.get("needs_review"):
                return FLAGGED
            return None
        if role == FLAG_ROLE:
            return bool(cell.get("needs_review")) and not self.skipped(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [self.tr("読み取り: {0}").format(cell.get("raw", text))]
            if cell.get("confidence") is not None:
                parts.append(self.tr("確からしさ: {0:.0%}").format(float(cell["confidence"])))
            if cell.get("reasons"):
                parts.append(self.tr("要確認の理由: {0}").format(joined(describe(cell["reasons"]))))
            if cell.get("invalid"):
                parts.append(str(cell["invalid"]))
            return "\n".join(parts)
        if role == CROP_ROLE:
            return self.crop(cell)
        return None

    def crop(self, cell: dict[str, Any]) -> QPixmap | None:
        page = int(cell.get("page") or 1)
        bbox = tuple(int(v) for v in cell.get("bbox") or ())
        if len(bbox) != 4 or page not in self.pages:
            return None
        key = (page, bbox)
        if key not in self._crops:
            x0, y0, x1, y1 = bbox
            image = self.pages[page].copy(QRect(x0, y0, max(1, x1 - x0), max(1, y1 - y0)))
            self._crops[key] = QPixmap.fromImage(image)
        return self._crops[key]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return label(FIELD_TITLES[self.columns[section]])
        record = self.records[section]
        mark = self.tr(" 除外") if record.get("skip") else ""
        return f"{record.get('page', 1)}-{record.get('row', section + 1)}{mark}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self.cell(index) is not None:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A person's value: valid → confirmed (no longer flagged); invalid → kept and marked."""
        cell = self.cell(index)
        if cell is None or role != Qt.ItemDataRole.EditRole:
            return False
        name = self.columns[index.column()]
        text = str(value)
        self._undo.append((index.row(), name, copy.deepcopy(cell)))
        try:
            cell["value"] = imports.normalise_field(name, text)
        except InputError as exc:
            cell["value"] = text
            cell["needs_review"] = True
            cell["invalid"] = pick(exc.message_ja, exc.message_en)
        else:
            cell["needs_review"] = False
            cell.pop("invalid", None)
            cell["reviewed"] = True
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def confirm(self, index: Index) -> bool:
        """Accept a flagged value as it is (the reviewer checked it against the image)."""
        cell = self.cell(index)
        if cell is None:
            return False
        return self.setData(index, "" if cell.get("value") is None else str(cell["value"]))

    def toggle_skip(self, row: int) -> None:
        record = self.result["records"][row]
        self._undo.append((row, None, bool(record.get("skip"))))
        record["skip"] = not record.get("skip")
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)
        self.edited.emit()

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> QModelIndex | None:
        """Take back the last edit, confirmation or 除外 (the cell is flagged again if it was); returns
        where it happened."""
        if not self._undo:
            return None
        row, name, old = self._undo.pop()
        record = self.result["records"][row]
        if name is None:
            record["skip"] = old
            self.headerDataChanged.emit(Qt.Orientation.Vertical, row, row)
            first, last = self.index(row, 0), self.index(row, self.columnCount() - 1)
        else:
            record["fields"][name] = old
            first = last = self.index(row, self.columns.index(name))
        self.dataChanged.emit(first, last)
        self.edited.emit()
        return first

    def missing_fields(self) -> list[str]:
        """Fields the ledger has no column for (the extractor lists them on every record)."""
        seen = {f for record in self.records for f in record.get("missing", [])}
        return [f for f in FIELD_ORDER if f in seen]

    def flagged_count(self) -> int:
        return sum(
            1
            for r, record in enumerate(self.records)
            if not self.skipped(r)
            for value in record.get("fields", {}).values()
            if isinstance(value, dict) and value.get("needs_review")
        )

    def next_flagged(self, after: Index) -> QModelIndex | None:
        """The next flagged cell in reading order after ``after`` (wrapping around)."""
        rows, cols = self.rowCount(), self.columnCount()
        total = rows * cols
        if total == 0:
            return None
        start = after.row() * cols + after.column() if after.isValid() else -1
        for step in range(1, total + 1):
            pos = (start + step) % total
            index = self.index(pos // cols, pos % cols)
            if self.data(index, FLAG_ROLE):
                return index
        return None

    def reasons(self, index: Index) -> list[str]:
        """Why the cell at ``index`` needs a look (nothing once it is confirmed or its row skipped)."""
        if not self.data(index, FLAG_ROLE):
            return []
        cell = self.cell(index) or {}
        return describe(cell.get("reasons") or ()) or [self.tr("確認してください")]

    def alternatives(self, index: Index) -> list[str]:
        """Other reads of a flagged cell (the second OCR model's), to take with one key."""
        if not self.data(index, FLAG_ROLE):
            return []
        cell = self.cell(index) or {}
        return [str(a) for a in cell.get("alternatives") or () if str(a) != str(cell.get("value"))]

    def take_alternative(self, index: Index) -> bool:
        """The reviewer takes the other model's read of a flagged cell (it matches the image)."""
        alternatives = self.alternatives(index) if index.isValid() else []
        return bool(alternatives) and self.setData(index, alternatives[0])

    def import_rows(self) -> list[imports.ImportRow]:
        rows = []
        for record in self.records:
            values = imports.record_values(record)
            decision = imports.Decision("skip") if record.get("skip") else imports.Decision("add")
            rows.append(
                imports.ImportRow(
                    int(record.get("page", 1)), int(record.get("row", 0)), imports.to_student_data(values), decision
                )
            )
        return rows


class CropDelegate(QStyledItemDelegate):
    """Paints the cell image on the left and the value on the right; edits with a line edit."""

    CROP_HEIGHT = 30

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        crop = index.data(CROP_ROLE)
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        painter.save()
        if background is not None:
            painter.fillRect(option.rect, background)
        rect = option.rect.adjusted(2, 2, -2, -2)
        text_rect = rect
        if isinstance(crop, QPixmap) and not crop.isNull():
            scaled = crop.scaledToHeight(
                min(self.CROP_HEIGHT, rect.height() // 2 + 8), Qt.TransformationMode.SmoothTransformation
            )
            if scaled.width() > rect.width():
                scaled = scaled.scaledToWidth(rect.width(), Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap(rect.left(), rect.top(), scaled)
            text_rect = rect.adjusted(0, scaled.height() + 2, 0, 0)
        painter.restore()
        option.backgroundBrush = QColor(0, 0, 0, 0)
        text_option = QStyleOptionViewItem(option)
        text_option.rect = text_rect
        super().paint(painter, text_option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        base = super().sizeHint(option, index)
        crop = index.data(CROP_ROLE)
        width = base.width()
        if isinstance(crop, QPixmap) and not crop.isNull() and crop.height():
            width = max(width, int(crop.width() * self.CROP_HEIGHT / crop.height()))
        return QSize(min(max(width + 8, 60), 260), self.CROP_HEIGHT + base.height() + 8)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        return editor

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        editor.setGeometry(rect.adjusted(0, rect.height() // 2, 0, 0))
