"""出席簿: a class's month grid (students × days), one key per status, seal, signed
corrections with history, the verified mark and the monthly totals."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.gui.db import DbThread
from app.gui.errors import message_for
from app.gui.i18n import label, pick
from app.gui.page import Page
from storage import attendance, classes
from storage.attendance import codes
from storage.clock import school_year_of
from storage.store import Store

Index = QModelIndex | QPersistentModelIndex

#: one key per status (digits, as on a numeric keypad), in the order of the paper register
KEYS = {
    Qt.Key.Key_1: "present",
    Qt.Key.Key_2: "absent_sick",
    Qt.Key.Key_3: "absent_accident",
    Qt.Key.Key_4: "late",
    Qt.Key.Key_5: "early_leave",
    Qt.Key.Key_6: "suspended",
    Qt.Key.Key_7: "mourning",
    Qt.Key.Key_8: "deemed_present",
    Qt.Key.Key_9: "class_closure",
}
TOTALS = [
    ("absent_days", QT_TRANSLATE_NOOP("labels", "欠席")),
    ("excused_days", QT_TRANSLATE_NOOP("labels", "停忌")),
    ("late", QT_TRANSLATE_NOOP("labels", "遅刻")),
    ("early_leave", QT_TRANSLATE_NOOP("labels", "早退")),
    ("present_days", QT_TRANSLATE_NOOP("labels", "出席")),
]


def weekday(day: date) -> str:
    """月, 火 … in Japanese; M, T … in English (the locale set by app.gui.i18n)."""
    return QLocale().dayName(day.isoweekday(), QLocale.FormatType.NarrowFormat)

SEALED = QColor("#e3f2fd")
UNSEALED = QColor("#ffffff")
OFF_DAY = QColor("#eeeeee")
CORRECTED = QColor("#fff3e0")


def status_label(code: str) -> str:
    entry = codes.get(code)
    return pick(entry.label, entry.label_en)


class AttendanceModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.grid: attendance.MonthGrid | None = None
        self.days: list[attendance.Day] = []

    def load(self, grid: attendance.MonthGrid | None) -> None:
        self.beginResetModel()
        self.grid = grid
        self.days = list(grid.days) if grid else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else len(self.grid.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.grid is None else len(self.days) + len(TOTALS)

    def day_of(self, column: int) -> attendance.Day | None:
        return self.days[column] if 0 <= column < len(self.days) else None

    def cell(self, index: Index) -> attendance.Cell | None:
        day = self.day_of(index.column())
        if self.grid is None or day is None:
            return None
        return self.grid.rows[index.row()].cells.get(day.date)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.grid is None or not index.isValid():
            return None
        row = self.grid.rows[index.row()]
        day = self.day_of(index.column())
        if day is None:  # totals
            key = TOTALS[index.column() - len(self.days)][0]
            if role == Qt.ItemDataRole.DisplayRole:
                return str(getattr(row.totals, key))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            return None
        cell = row.cells.get(day.date)
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return ""
            return cell.symbol if cell.marked or cell.sealed or cell.symbol else "·"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.BackgroundRole:
            if not day.is_school_day:
                return OFF_DAY
            if cell is not None and cell.history:
                return CORRECTED
            return SEALED if day.sealed else UNSEALED
        if role == Qt.ItemDataRole.FontRole and cell is not None and not day.sealed:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and cell is not None:
            label = status_label(cell.status)
            lines = [f"{row.name} {day.date:%m/%d}: {label}" + (f"({cell.note})" if cell.note else "")]
            lines.append(self.tr("押印済み") if day.sealed else self.tr("未押印"))
            for change in cell.history:
                lines.append(
                    self.tr("訂正前: {0} → {1} {2} 理由: {3}").format(
                        status_label(change.status),
                        change.corrected_by_name,
                        change.corrected_at[:16],
                        change.reason,
                    )
                )
            return "\n".join(lines)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.grid is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole:
                row = self.grid.rows[section]
                return f"{row.attendance_no} {row.name}"
            return None
        day = self.day_of(section)
        if day is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return label(TOTALS[section - len(self.days)][1])
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "\n印" if day.sealed else "\n"
            return f"{day.date.day}\n{weekday(day.date)}{mark}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if day.sealed:
                return self.tr("押印: {0} {1}").format(day.sealed_by or "", (day.sealed_at or "")[:16])
            return day.note or ("" if day.is_school_day else self.tr("授業日ではありません"))
        if role == Qt.ItemDataRole.ForegroundRole and not day.is_school_day:
            return QColor("#9e9e9e")
        return None


class GridView(QTableView):
    """Arrow keys move; a status key marks the cell and moves to the next student."""

    status_key = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        code = KEYS.get(Qt.Key(event.key()))
        if code is not None and event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            self.status_key.emit(code)
            return
        super().keyPressEvent(event)


class MissingDialog(QDialog):
    """School days not yet marked or sealed; double-click (or Enter) opens that class and day."""

    chosen = Signal(int, object)

    def __init__(self, found: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("未記入・未押印の日"))
        self.items = found
        self.list = QListWidget()
        self.list.setObjectName("missing_list")
        for item in found:
            state = self.tr("未記入") if not item.marked else self.tr("未押印")
            self.list.addItem(f"{item.date:%Y-%m-%d} ({weekday(item.date)})  {item.class_label}  {state}")
        if not found:
            self.list.addItem(self.tr("未記入の日はありません"))
        self.list.itemActivated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        self.resize(420, 360)

    def _activate(self, _item: object) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self.items):
            self.chosen.emit(self.items[row].class_id, self.items[row].date)
            self.accept()


class CorrectionDialog(QDialog):
    """訂正: a new signed revision of a sealed day, with a reason (the digital 訂正印)."""

    def __init__(self, student: str, day: date, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("出欠の訂正"))
        self.status = QComboBox()
        self.status.setObjectName("correct_status")
        for code in codes.CODES:
            self.status.addItem(f"{code.symbol or '　'} {pick(code.label, code.label_en)}", code.code)
        self.status.setCurrentIndex(max(0, self.status.findData(current)))
        self.note = QLineEdit()
        self.reason = QLineEdit()
        self.reason.setObjectName("correct_reason")
        self.reason.setPlaceholderText(self.tr("例: 保護者から連絡があり病欠と判明"))
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>{student}</b> {day:%Y年%m月%d日}"))
        form.addRow(self.tr("正しい出欠"), self.status)
        form.addRow(self.tr("備考"), self.note)
        form.addRow(self.tr("訂正の理由(必須)"), self.reason)
        form.addRow(QLabel(self.tr("元の記録は取り消し線つきで残り、訂正はあなたの電子印で署名されます。")))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("訂正して押印"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def _accept(self) -> None:
        if self.reason.text().strip():
            self.accept()
        else:
            self.reason.setFocus()
            self.reason.setPlaceholderText(self.tr("訂正の理由を入力してください"))


FIX_TEXT = {
    "calendar": QT_TRANSLATE_NOOP("labels", "学校暦を開く"),
    "homeroom": QT_TRANSLATE_NOOP("labels", "担任の設定を開く"),
    "class_membership": QT_TRANSLATE_NOOP("labels", "学級編成を開く"),
    "principal": QT_TRANSLATE_NOOP("labels", "利用者の設定を開く"),
}


class AttendancePage(Page):
    open_fix = Signal(str)  # the main window opens the page where the problem is fixed

    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        today = date.today()
        self.year, self.month = today.year, today.month
        self.user: Any = None
        self.model = AttendanceModel()

        self.klass = QComboBox()
        self.klass.setObjectName("attendance_class")
        self.klass.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.klass.activated.connect(self.reload)
        prev_month = QPushButton("◀")
        next_month = QPushButton("▶")
        prev_month.setFixedWidth(36)
        next_month.setFixedWidth(36)
        prev_month.clicked.connect(lambda: self._shift(-1))
        next_month.clicked.connect(lambda: self._shift(1))
        self.month_label = QLabel()
        self.verified = QLabel()
        self.verified.setObjectName("verified")
        self.seal_button = QPushButton(self.tr("この日を押印 (Ctrl+Enter)"))
        self.seal_button.setObjectName("seal")
        self.seal_button.clicked.connect(self.seal_current_day)
        self.correct_button = QPushButton(self.tr("訂正… (Ctrl+E)"))
        self.correct_button.clicked.connect(self.correct_current)
        self.state_label = QLabel()
        self.state_label.setObjectName("month_state")
        self.close_button = QPushButton(self.tr("月を締める"))
        self.close_button.setObjectName("close_month")
        self.close_button.clicked.connect(self.close_month)
        self.countersign_button = QPushButton(self.tr("校長の確認印…"))
        self.countersign_button.setObjectName("countersign")
        self.countersign_button.clicked.connect(self.countersign_month)
        self.missing_button = QPushButton(self.tr("未記入の日…"))
        self.missing_button.setObjectName("missing")
        self.missing_button.clicked.connect(self.show_missing)
        self.fix_button = QPushButton()
        self.fix_button.setObjectName("fix")
        self.fix_button.setVisible(False)
        self.fix_button.clicked.connect(lambda: self.open_fix.emit(self._fix or ""))
        self._fix: str | None = None
        self.state: Any = None

        self.table = GridView()
        self.table.setObjectName("attendance_grid")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setDefaultSectionSize(34)
        self.table.horizontalHeader().setMinimumSectionSize(28)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.status_key.connect(self.mark_current)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.message = QLabel()
        self.message.setObjectName("attendance_message")
        self.message.setWordWrap(True)
        self.totals = QLabel()
        self.history = QTextBrowser()
        self.history.setMaximumHeight(110)
        legend = "  ".join(
            f"{k - Qt.Key.Key_0}:{status_label(c)}" + (f"({codes.get(c).symbol})" if codes.get(c).symbol else "")
            for k, c in KEYS.items()
        )
        self.legend = QLabel(self.tr("キー ") + legend)
        self.legend.setWordWrap(True)

        for key, slot in (
            ("Ctrl+Return", self.seal_current_day),
            ("Ctrl+Enter", self.seal_current_day),
            ("Ctrl+E", self.correct_current),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        top = QHBoxLayout()
        top.addWidget(self.klass)
        top.addWidget(prev_month)
        top.addWidget(self.month_label)
        top.addWidget(next_month)
        top.addWidget(self.verified, 1)
        top.addWidget(self.correct_button)
        top.addWidget(self.seal_button)
        month_row = QHBoxLayout()
        month_row.addWidget(self.state_label, 1)
        month_row.addWidget(self.missing_button)
        month_row.addWidget(self.close_button)
        month_row.addWidget(self.countersign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(month_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.totals)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.fix_button)
        layout.addLayout(message_row)
        layout.addWidget(QLabel(self.tr("<b>訂正の履歴</b>")))
        layout.addWidget(self.history)

    # -- loading ------------------------------------------------------------------------------

    def on_unlocked(self, user: object) -> None:
        self.user = user
        self.load_classes()

    def load_classes(self, keep: int | None = None) -> None:
        """The classes of the school year of the month shown (past registers stay reachable)."""
        school_year = school_year_of(date(self.year, self.month, 1))
        self._classes_year = school_year

        def load(store: Store) -> list[classes.ClassInfo]:
            found = classes.list_classes(store, school_year)
            return [c for c in found if attendance.can_keep(store, c.id)] or found

        self.db.call(load, lambda found: self._classes(found, keep))

    def _classes(self, found: list[classes.ClassInfo], keep: int | None = None) -> None:
        previous = self.klass.currentText()
        self.klass.clear()
        for info in found:
            self.klass.addItem(info.label, info.id)
        index = self.klass.findData(keep) if keep is not None else self.klass.findText(previous)
        if index >= 0:
            self.klass.setCurrentIndex(index)
        if not found:
            self.message.setText(self.tr("学級がありません。管理者が「名簿」の学級編成で学級を作ってください。"))
        self.reload()

    def _shift(self, months: int) -> None:
        total = self.year * 12 + self.month - 1 + months
        self.year, self.month = divmod(total, 12)
        self.month += 1
        self.reload()

    def reload(self) -> None:
        self.month_label.setText(self.tr("{0}年{1}月").format(self.year, self.month))
        if school_year_of(date(self.year, self.month, 1)) != getattr(self, "_classes_year", None):
            self.load_classes()  # another school year: its own classes, then the grid
            return
        class_id = self.klass.currentData()
        if class_id is None:
            self.model.load(None)
            return
        year, month = self.year, self.month
        self.db.call(lambda store: attendance.month_grid(store, class_id, year, month), self._show, self.show_problem)
        self.db.call(lambda store: attendance.month_state(store, class_id, year, month), self._show_state)
        first = date(year, month, 1)
        self.db.call(lambda store: attendance.setup_problems(store, class_id, first), self._setup_problems)

    def show_problem(self, exc: BaseException) -> None:
        """A refusal says what is missing and offers to open the place where it is fixed."""
        self.message.setText(message_for(exc))
        self._fix = getattr(exc, "fix", None)
        text = FIX_TEXT.get(self._fix or "")
        self.fix_button.setVisible(bool(text))
        if text:
            self.fix_button.setText(label(text))

    def _setup_problems(self, problems: list[BaseException]) -> None:
        if problems:
            self.show_problem(problems[0])

    def _show_state(self, state: Any) -> None:
        self.state = state
        who = ""
        if state.state == "countersigned":
            who = f" — {state.countersigned_by_name} {state.countersigned_at[:10]}"
        elif state.state == "closed":
            who = f" — {state.closed_by_name} {state.closed_at[:10]}"
        missing = self.tr("(未押印 {0}日)").format(len(state.missing_days)) if state.missing_days else ""
        text = pick(state.label_ja, state.label_en)
        self.state_label.setText(self.tr("この月: {0}{1} {2}").format(text, who, missing))
        admin = getattr(self.user, "role", "") == "administrator"
        self.close_button.setEnabled(state.state == "open" and not state.year_sealed)
        self.countersign_button.setEnabled(state.state == "closed" and admin)

    def close_month(self) -> None:
        class_id, year, month = self.klass.currentData(), self.year, self.month
        self.db.call(
            lambda store: attendance.close_month(store, class_id, year, month),
            lambda _state: (
                self.message.setText(self.tr("{0}年{1}月を締めました。").format(year, month)),
                self.reload(),
            ),
            self.show_problem,
        )

    def countersign_month(self) -> None:
        """The principal sees the month's totals, then countersigns with their own key."""
        state = self.state
        if state is None or state.state != "closed":
            return
        t = state.totals
        answer = QMessageBox.question(
            self,
            self.tr("校長の確認印"),
            self.tr(
                "{0} {1}年{2}月\n在籍 {3}人 / 授業日数 {4}\n出停・忌引等 {5} / 欠席 {6} / 遅刻 {7} / 早退 {8}\n"
                "担任 {9} が締めました。この内容に確認印を押しますか?"
            ).format(
                self.klass.currentText(), state.year, state.month, state.students, state.school_days,
                t.excused_days, t.absent_days, t.late, t.early_leave, state.closed_by_name,
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        class_id, close_hash = self.klass.currentData(), state.close_hash
        self.db.call(
            lambda store: attendance.countersign_month(
                store, class_id, state.year, state.month, expected_close_hash=close_hash
            ),
            lambda _: (self.message.setText(self.tr("確認印を押しました。")), self.reload()),
            self.show_problem,
        )

    def show_missing(self) -> None:
        """Missing days of the school year on screen (up to today)."""
        school_year = school_year_of(date(self.year, self.month, 1))
        until = min(date.today(), date(school_year + 1, 3, 31))
        self.db.call(lambda store: attendance.missing(store, today=until), self._missing_loaded, self.show_problem)

    def _missing_loaded(self, found: list[Any]) -> None:
        dialog = MissingDialog(found, self)
        self.missing_dialog = dialog
        dialog.chosen.connect(self.go_to)
        dialog.open()

    def go_to(self, class_id: int, day: date) -> None:
        """Straight to that class and day, ready to mark."""
        self.year, self.month = day.year, day.month
        self._goto_day = day
        self.load_classes(keep=class_id)

    def _show(self, grid: attendance.MonthGrid) -> None:
        self.fix_button.setVisible(False)
        current = self.table.currentIndex()
        self.model.load(grid)
        if grid.verified:
            self.verified.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.verified.setText(self.tr("✓ 検証済み(全押印の署名と連鎖を確認)"))
        else:
            self.verified.setStyleSheet("color: #b00020; font-weight: bold;")
            self.verified.setText(self.tr("⚠ 検証できません: {0}").format(grid.problem or ""))
        t = grid.totals
        lesson_days = max((r.totals.lesson_days for r in grid.rows), default=0)
        unsealed = max((r.totals.unsealed_days for r in grid.rows), default=0)
        text = self.tr("学級の合計 — 授業日数 {0} / 出停・忌引等 {1} / 欠席 {2} / 遅刻 {3} / 早退 {4} / 未押印の日 {5}")
        self.totals.setText(text.format(lesson_days, t.excused_days, t.absent_days, t.late, t.early_leave, unsealed))
        lines = []
        for day, _student, number, change in grid.history:
            lines.append(
                f"{day:%m/%d} {number}番 <s>{status_label(change.status)}</s> — "
                f"{change.corrected_by_name} {change.corrected_at[:16]} {change.reason}"
            )
        self.history.setHtml("<br>".join(lines) or self.tr("この月の訂正はありません"))
        self.table.resizeColumnsToContents()
        goto = getattr(self, "_goto_day", None)
        if goto is not None:
            self._goto_day = None
            self._focus_day(goto)
        elif current.isValid() and current.row() < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        else:
            self._focus_day(date.today())

    def _focus_day(self, wanted: date) -> None:
        for column, day in enumerate(self.model.days):
            if day.date == wanted and self.model.rowCount():
                index = self.model.index(0, column)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                self.table.setFocus()
                return

    # -- marking, sealing, correcting ---------------------------------------------------------

    def _target(self) -> tuple[int, Any, attendance.Day, attendance.Row] | None:
        index = self.table.currentIndex()
        grid = self.model.grid
        day = self.model.day_of(index.column()) if index.isValid() else None
        if grid is None or day is None:
            return None
        return self.klass.currentData(), index, day, grid.rows[index.row()]

    def mark_current(self, status: str) -> None:
        target = self._target()
        if target is None:
            return
        class_id, index, day, row = target
        if day.sealed:
            self.message.setText(self.tr("この日は押印済みです。訂正は Ctrl+E(または右クリック)から行います。"))
            return
        if day.date not in row.cells:
            self.message.setText(self.tr("この日は授業日ではないか、この児童生徒の在籍期間外です。"))
            return
        self.db.call(
            lambda store: attendance.mark(store, class_id, day.date, row.student_id, status),
            lambda _: self._after_mark(index),
            self.show_problem,
        )

    def _after_mark(self, index: QModelIndex) -> None:
        self.message.clear()
        below = self.model.index(min(index.row() + 1, self.model.rowCount() - 1), index.column())
        self.table.setCurrentIndex(below)
        self.reload()

    def seal_current_day(self) -> None:
        target = self._target()
        if target is None:
            return
        class_id, _index, day, _row = target
        if day.sealed:
            self.message.setText(self.tr("この日は既に押印済みです。"))
            return
        self.db.call(
            lambda store: attendance.seal(store, class_id, day.date),
            lambda _: (self.message.setText(self.tr("{0:%m月%d日} を押印しました。").format(day.date)), self.reload()),
            self.show_problem,
        )

    def correct_current(self) -> None:
        target = self._target()
        if target is None:
            return
        class_id, _index, day, row = target
        cell = row.cells.get(day.date)
        if cell is None:
            return
        if not day.sealed:
            self.message.setText(self.tr("未押印の日は数字キーでそのまま直せます。"))
            return
        dialog = CorrectionDialog(row.name, day.date, cell.status, self)
        if not dialog.exec():
            return
        status, note, reason = dialog.status.currentData(), dialog.note.text(), dialog.reason.text()
        self.db.call(
            lambda store: attendance.correct(store, class_id, day.date, {row.student_id: (status, note)}, reason),
            lambda _: (self.message.setText(self.tr("訂正して押印しました。")), self.reload()),
            lambda exc: self.message.setText(message_for(exc)),
        )

    def _menu(self, point: Any) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("訂正…"), self.correct_current)
        menu.addAction(self.tr("この日を押印"), self.seal_current_day)
        menu.exec(self.table.viewport().mapToGlobal(point))

    def on_locked(self) -> None:
        self.model.load(None)
        self.history.clear()
        self.totals.clear()
        self.klass.clear()
