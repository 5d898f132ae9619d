"""名簿: students searchable as you type (kanji or kana), filters, detail panel with
validated editing and undo, and class assignment."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.assign_dialog import AssignDialog
from app.gui.db import DbThread
from app.gui.errors import message_for
from app.gui.i18n import label
from app.gui.page import Page
from storage import classes, students
from storage.store import Store

Index = QModelIndex | QPersistentModelIndex

COLUMNS = [
    ("class_label", QT_TRANSLATE_NOOP("labels", "学級")),
    ("attendance_no", QT_TRANSLATE_NOOP("labels", "番号")),
    ("full_name", QT_TRANSLATE_NOOP("labels", "氏名")),
    ("full_kana", QT_TRANSLATE_NOOP("labels", "ふりがな")),
    ("sex", QT_TRANSLATE_NOOP("labels", "性別")),
    ("birth_date", QT_TRANSLATE_NOOP("labels", "生年月日")),
    ("status", QT_TRANSLATE_NOOP("labels", "状況")),
]
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_TEXT = {
    "planned": QT_TRANSLATE_NOOP("labels", "入学予定"),
    "enrolled": QT_TRANSLATE_NOOP("labels", "在籍"),
    "left": QT_TRANSLATE_NOOP("labels", "転出"),
    "graduated": QT_TRANSLATE_NOOP("labels", "卒業"),
}


class StudentsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[students.Student] = []

    def set_rows(self, rows: list[students.Student]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        student = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        value = getattr(student, key)
        if role == SORT_ROLE:
            if key == "class_label":
                return f"{index.row():06d}"  # the store's order: grade, class, 出席番号
            if key == "attendance_no":
                return value if value is not None else 10**6
            return "" if value is None else str(value)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if key == "status":
            return label(STATUS_TEXT.get(value, value))
        return "" if value is None else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return label(COLUMNS[section][1])
        return None


class SearchProxy(QSortFilterProxyModel):
    """Filters as you type with the store's own matching rule (hiragana = katakana)."""

    def __init__(self) -> None:
        super().__init__()
        self.query = ""

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self.query = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, StudentsModel)
        return students.matches(model.rows[source_row], self.query)


EDIT_FIELDS = [
    ("family_name", QT_TRANSLATE_NOOP("labels", "姓")),
    ("given_name", QT_TRANSLATE_NOOP("labels", "名")),
    ("family_kana", QT_TRANSLATE_NOOP("labels", "せい")),
    ("given_kana", QT_TRANSLATE_NOOP("labels", "めい")),
    ("sex", QT_TRANSLATE_NOOP("labels", "性別")),
    ("birth_date", QT_TRANSLATE_NOOP("labels", "生年月日")),
    ("guardian_name", QT_TRANSLATE_NOOP("labels", "保護者氏名")),
    ("address", QT_TRANSLATE_NOOP("labels", "住所")),
    ("phone", QT_TRANSLATE_NOOP("labels", "電話番号")),
    ("previous_school", QT_TRANSLATE_NOOP("labels", "出身園・校")),
    ("student_number", QT_TRANSLATE_NOOP("labels", "学籍番号")),
]


def data_of(student: students.Student) -> students.StudentData:
    names = {f.name for f in fields(students.StudentData)}
    return students.StudentData(**{n: getattr(student, n) or "" for n in names})


class EditCommand(QUndoCommand):
    """One saved edit of a student; undo writes the previous values back (audited too)."""

    def __init__(self, page: RosterPage, student_id: int, before: students.StudentData, after: students.StudentData):
        super().__init__(page.tr("{0} の編集").format(f"{after.family_name} {after.given_name}"))
        self.page, self.student_id, self.before, self.after = page, student_id, before, after
        self._first = True

    def redo(self) -> None:
        if self._first:  # already written by the save that created this command
            self._first = False
            return
        self.page.write(self.student_id, self.after)

    def undo(self) -> None:
        self.page.write(self.student_id, self.before)


class StudentForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edits: dict[str, QLineEdit | QComboBox] = {}
        form = QFormLayout(self)
        for name, text in EDIT_FIELDS:
            if name == "sex":
                box = QComboBox()
                box.addItems(["男", "女"])
                widget: QLineEdit | QComboBox = box
            else:
                widget = QLineEdit()
            widget.setObjectName(f"edit_{name}")
            self.edits[name] = widget
            form.addRow(label(text), widget)
        self.status = QComboBox()
        for key, text in STATUS_TEXT.items():
            self.status.addItem(label(text), key)
        form.addRow(self.tr(QT_TRANSLATE_NOOP("labels", "状況")), self.status)

    def load(self, data: students.StudentData | None) -> None:
        for name, widget in self.edits.items():
            value = "" if data is None else getattr(data, name)
            if isinstance(widget, QComboBox):
                widget.setCurrentText(value or "男")
            else:
                widget.setText(value)
        self.status.setCurrentIndex(max(0, self.status.findData(data.status if data else "enrolled")))

    def value(self) -> students.StudentData:
        values = {name: (w.currentText() if isinstance(w, QComboBox) else w.text()) for name, w in self.edits.items()}
        return students.StudentData(**values, status=str(self.status.currentData()))


class RosterPage(Page):
    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.user: Any = None
        self.model = StudentsModel()
        self.proxy = SearchProxy()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.undo = QUndoStack(self)
        self.current: students.Student | None = None
        self._stash: tuple[int, students.StudentData] | None = None

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("氏名・ふりがなで検索(ひらがな・カタカナどちらでも)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_query)
        self.year = QComboBox()
        self.klass = QComboBox()
        self.klass.setObjectName("class_filter")
        self.status = QComboBox()
        self.status.addItem(self.tr("すべての状況"), None)
        for key, text in STATUS_TEXT.items():
            self.status.addItem(label(text), key)
        for combo in (self.year, self.klass, self.status):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year.activated.connect(self._year_changed)
        self.klass.activated.connect(self.reload)
        self.status.activated.connect(self.reload)

        self.table = QTableView()
        self.table.setObjectName("students")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().currentRowChanged.connect(self._select)

        self.form = StudentForm()
        self.form_error = QLabel()
        self.form_error.setObjectName("form_error")
        self.form_error.setStyleSheet("color: #b00020;")
        self.form_error.setWordWrap(True)
        self.save = QPushButton(self.tr("保存 (Ctrl+S)"))
        self.save.setObjectName("save")
        self.save.clicked.connect(self.save_current)
        undo_button = QPushButton(self.tr("元に戻す (Ctrl+Z)"))
        undo_button.clicked.connect(self.undo.undo)
        self.undo.canUndoChanged.connect(undo_button.setEnabled)
        undo_button.setEnabled(False)
        self.assign = QPushButton(self.tr("学級編成…"))
        self.assign.clicked.connect(self._assign)

        for key, slot in (
            ("Ctrl+S", self.save_current),
            ("Ctrl+Z", self.undo.undo),
            ("Ctrl+Shift+Z", self.undo.redo),
            ("Ctrl+F", self.search.setFocus),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.year)
        filters.addWidget(self.klass)
        filters.addWidget(self.status)
        filters.addWidget(self.assign)
        self.count = QLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel(self.tr("<b>詳細</b>")))
        right_layout.addWidget(self.form)
        right_layout.addWidget(self.form_error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(undo_button)
        right_layout.addLayout(buttons)
        right_layout.addStretch(1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.proxy.modelReset.connect(self._count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)
        self.search.textChanged.connect(self._count)

    # -- loading ----------------------------------------------------------------------------

    def on_unlocked(self, user: object) -> None:
        self.user = user
        self.assign.setVisible(getattr(user, "role", "") == "administrator")
        self.db.call(lambda store: sorted({c.year for c in classes.list_classes(store)}), self._years)

    def _years(self, years: list[int]) -> None:
        self.year.clear()
        current = classes.current_year()
        for year in sorted(set(years) | {current}, reverse=True):
            self.year.addItem(self.tr("{0}年度").format(year), year)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self._year_changed()

    def _year_changed(self) -> None:
        year = self.year.currentData()
        self.db.call(lambda store: classes.list_classes(store, year), self._classes)

    def _classes(self, found: list[classes.ClassInfo]) -> None:
        self.klass.clear()
        self.klass.addItem(self.tr("すべての学級"), None)
        for info in found:
            self.klass.addItem(info.label, info.id)
        self.reload()

    def reload(self) -> None:
        class_id = self.klass.currentData()
        status = self.status.currentData()

        def load(store: Store) -> list[students.Student]:
            return students.list_students(store, class_id=class_id, status=status, view="gui roster")

        self.db.call(load, self._loaded)

    def _loaded(self, rows: list[students.Student]) -> None:
        keep = self.current.id if self.current else None
        self.model.set_rows(rows)
        # names and ふりがな on one line; the last column (状況) takes what is left
        self.table.resizeColumnsToContents()
        if self._stash is not None:
            keep = self._stash[0]
        if keep is not None:
            for row, student in enumerate(rows):
                if student.id == keep:
                    self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                    break
        if self._stash is not None:
            self.form.load(self._stash[1])
            self._stash = None

    def _count(self) -> None:
        self.count.setText(self.tr("{0}人 / 全{1}人").format(self.proxy.rowCount(), self.model.rowCount()))

    def _select(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.current = None
            self.form.load(None)
            return
        self.current = self.model.rows[self.proxy.mapToSource(current).row()]
        self.form.load(data_of(self.current))
        self.form_error.clear()

    # -- editing ------------------------------------------------------------------------------

    def save_current(self) -> None:
        if self.current is None:
            return
        student_id, before, after = self.current.id, data_of(self.current), self.form.value()
        if before == after:
            return

        def done(_: object) -> None:
            self.undo.push(EditCommand(self, student_id, before, after))
            self.form_error.clear()
            self.reload()

        self.write(student_id, after, done)

    def write(self, student_id: int, data: students.StudentData, done: Any = None) -> None:
        self.db.call(
            lambda store: students.update_student(store, student_id, data),
            done or (lambda _: self.reload()),
            lambda exc: self.form_error.setText(message_for(exc)),
        )

    def _assign(self) -> None:
        chosen = sorted({self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()})
        picked = [self.model.rows[r] for r in chosen]
        if not picked:
            self.form_error.setText(self.tr("学級に入れる児童生徒を選んでください"))
            return
        dialog = AssignDialog(self.db, picked, self)
        if dialog.exec():
            self.on_unlocked(self.user)

    # -- lock -----------------------------------------------------------------------------------

    def on_locked(self) -> None:
        if self.current is not None and self.form.value() != data_of(self.current):
            self._stash = (self.current.id, self.form.value())  # unsaved edit survives the lock
        self.current = None
        self.model.clear()
        self.form.load(None)
        self.search.clear()
        self.klass.clear()
        self.undo.clear()

    def forget_unsaved(self) -> None:
        """Another user unlocked: never show them the previous user's unsaved edit."""
        self._stash = None
