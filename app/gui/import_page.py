"""取込: a queue of ledger files (chosen, dropped or from a watched fax folder), OCR in a worker
with per-page progress and Cancel, side-by-side review, duplicates, one-transaction commit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QModelIndex, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QImage, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui import i18n
from app.gui.db import DbThread
from app.gui.duplicates_dialog import DuplicatesDialog
from app.gui.errors import is_expected, message_for, show_error
from app.gui.jobs import CancelFn, Job, ProgressFn
from app.gui.page import Page
from app.gui.reasons import joined
from app.gui.review_model import FIELD_TITLES, CropDelegate, ReviewModel
from app.ledger_flow import Extraction, extract_for_review
from storage import imports, templates
from storage.store import Store

LEDGER_SUFFIXES = {".tif", ".tiff", ".pdf", ".png", ".jpg", ".jpeg"}


@dataclass
class QueueEntry:
    path: Path | None
    state: str  # waiting, reading, review, failed
    draft_id: int | None = None
    message: str = ""


class ImportPage(Page):
    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.setAcceptDrops(True)
        self.entries: list[QueueEntry] = []
        self.job: Job | None = None
        self.current: QueueEntry | None = None
        self.info: imports.DraftInfo | None = None
        self.user: Any = None
        self.synonyms: dict[str, list[str]] = {}  # from the installed board template

        self.queue = QListWidget()
        self.queue.setObjectName("queue")
        self.queue.currentRowChanged.connect(self._open_entry)
        choose = QPushButton(self.tr("ファイルを選ぶ…"))
        choose.setObjectName("choose")
        choose.clicked.connect(self._choose)
        self.watch_button = QPushButton(self.tr("FAX受信フォルダを監視…"))
        self.watch_button.clicked.connect(self._choose_watch)
        self.watch_label = QLabel()
        self.watch_label.setWordWrap(True)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._scan_watched)
        self._seen: set[Path] = set()

        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setVisible(False)
        self.progress_label = QLabel()
        self.cancel = QPushButton(self.tr("中止"))
        self.cancel.setObjectName("cancel")
        self.cancel.setVisible(False)
        self.cancel.clicked.connect(self._cancel)

        self.model = ReviewModel()
        self.model.edited.connect(self._save_draft)
        self.model.dataChanged.connect(self._update_counts)
        self.table = QTableView()
        self.table.setObjectName("review")
        self.table.setModel(self.model)
        self.table.setItemDelegate(CropDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.setTabKeyNavigation(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.model.modelReset.connect(self._fit)

        self.counts = QLabel()
        self.counts.setObjectName("counts")
        self.why = QLabel()  # why the current cell needs a look, in words
        self.why.setObjectName("why")
        self.why.setWordWrap(True)
        self.table.selectionModel().currentChanged.connect(self._show_why)
        self.model.dataChanged.connect(lambda *_: self._show_why(self.table.currentIndex()))
        self.model.modelReset.connect(lambda: self.why.clear())
        self.next_flag = QPushButton(self.tr("次の要確認へ (F8)"))
        self.next_flag.clicked.connect(self.go_next_flagged)
        self.confirm = QPushButton(self.tr("この値で確定 (Ctrl+Enter)"))
        self.confirm.clicked.connect(self.confirm_current)
        self.skip = QPushButton(self.tr("行を除外/戻す (Ctrl+Del)"))
        self.skip.clicked.connect(self.toggle_skip)
        self.commit_button = QPushButton(self.tr("名簿に登録"))
        self.commit_button.setObjectName("commit")
        self.commit_button.clicked.connect(self.commit)
        self.undo_button = QPushButton(self.tr("元に戻す (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo)
        self.discard = QPushButton(self.tr("取込をやめる"))
        self.discard.clicked.connect(self._discard)

        for key, slot in (("F8", self.go_next_flagged), ("Ctrl+Return", self.confirm_current),
                          ("Ctrl+Enter", self.confirm_current), ("Ctrl+Del", self.toggle_skip),
                          ("Ctrl+1", self.take_alternative), ("Ctrl+Z", self.undo)):
            action = QAction(self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("<b>取込待ち</b>(ここにファイルをドロップ)")))
        left_layout.addWidget(self.queue, 1)
        left_layout.addWidget(choose)
        left_layout.addWidget(self.watch_button)
        left_layout.addWidget(self.watch_label)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.progress_label)
        right_layout.addWidget(self.table, 1)
        right_layout.addWidget(self.why)
        actions = QHBoxLayout()
        actions.addWidget(self.counts, 1)
        for button in (self.next_flag, self.confirm, self.skip, self.undo_button, self.discard, self.commit_button):
            actions.addWidget(button)
        right_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._update_counts()

    # -- session -----------------------------------------------------------------------------

    def on_unlocked(self, user: object) -> None:
        self.user = user
        admin = getattr(user, "role", "") == "administrator"
        self.setEnabled(admin)
        if admin:
            self.db.call(imports.list_drafts, self._drafts_loaded)
            self.db.call(templates.header_synonyms, self._synonyms_loaded)
        folder = i18n.settings().value("watch_folder", "")
        if folder and Path(str(folder)).is_dir():
            self._watch(Path(str(folder)))

    def on_locked(self) -> None:
        """Drop the review (its draft is saved in the store) and the queue's views."""
        self.model.clear()
        self.current = None
        self.info = None
        self.entries = [e for e in self.entries if e.state in ("waiting", "reading")]
        self.queue.blockSignals(True)
        self.queue.clear()
        self.queue.blockSignals(False)
        self._update_counts()

    def _synonyms_loaded(self, synonyms: dict[str, list[str]]) -> None:
        self.synonyms = synonyms

    def _drafts_loaded(self, drafts: list[imports.DraftInfo]) -> None:
        known = {e.draft_id for e in self.entries}
        for info in drafts:
            if info.id not in known:
                self.entries.append(QueueEntry(None, "review", info.id, info.file_name))
        self._refresh_queue()

    # -- the queue -------------------------------------------------------------------------------

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            if path.suffix.lower() in LEDGER_SUFFIXES and not any(e.path == path for e in self.entries):
                self.entries.append(QueueEntry(path, "waiting"))
        self._refresh_queue()
        self._start_next()

    def _refresh_queue(self) -> None:
        states = {
            "waiting": self.tr("待機"), "reading": self.tr("読み取り中"), "review": self.tr("要確認"),
            "failed": self.tr("エラー"),
        }
        self.queue.blockSignals(True)
        self.queue.clear()
        for entry in self.entries:
            name = entry.path.name if entry.path else entry.message
            item = QListWidgetItem(f"[{states[entry.state]}] {name}")
            if entry.state == "failed":
                item.setToolTip(entry.message)
            self.queue.addItem(item)
        if self.current in self.entries:
            self.queue.setCurrentRow(self.entries.index(self.current))
        self.queue.blockSignals(False)

    def _choose(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("名簿ファイルを選ぶ"), "", self.tr("名簿 (*.tif *.tiff *.pdf *.png *.jpg *.jpeg)")
        )
        self.add_files([Path(f) for f in files])

    def _choose_watch(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("FAX受信フォルダ"))
        if folder:
            i18n.settings().setValue("watch_folder", folder)
            self._watch(Path(folder))

    def _watch(self, folder: Path) -> None:
        for old in self.watcher.directories():
            self.watcher.removePath(old)
        self.watcher.addPath(str(folder))
        self.watch_label.setText(self.tr("監視中: {0}").format(folder))
        self._seen = set(folder.iterdir())  # files already there were handled before

    def _scan_watched(self, folder: str) -> None:
        fresh = [p for p in sorted(Path(folder).iterdir()) if p not in self._seen and p.is_file()]
        self._seen.update(fresh)
        self.add_files(fresh)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self.add_files([Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()

    # -- OCR --------------------------------------------------------------------------------------

    def _start_next(self) -> None:
        if self.job is not None:
            return
        entry = next((e for e in self.entries if e.state == "waiting"), None)
        if entry is None or entry.path is None:
            return
        entry.state = "reading"
        self._refresh_queue()
        path = entry.path
        synonyms = dict(self.synonyms)

        def work(progress: ProgressFn, cancel: CancelFn) -> Extraction:
            return extract_for_review(path, progress=progress, cancel=cancel, synonyms=synonyms)

        self.job = Job(work)
        self.job.signals.progress.connect(self._progress)
        self.job.signals.finished.connect(lambda result: self._extracted(entry, result))
        self.job.signals.failed.connect(lambda exc: self._extract_failed(entry, exc))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.progress_label.setText(self.tr("{0} を読み取っています…").format(path.name))
        self.job.start()

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress_label.setText(self.tr("ページ {0}/{1} {2}").format(done, total, message))

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.tr("中止しています…"))

    def _job_done(self) -> None:
        self.job = None
        self.progress.setVisible(False)
        self.cancel.setVisible(False)

    def _extracted(self, entry: QueueEntry, extraction: Extraction) -> None:
        def save(store: Store) -> int:
            return imports.save_draft(
                store, file_name=extraction.file_name, file_sha256=extraction.sha256,
                result=extraction.result, page_images=list(extraction.page_pngs),
            )

        def saved(draft_id: int) -> None:
            entry.state, entry.draft_id = "review", draft_id
            self._job_done()
            self.progress_label.setText(self.tr("{0} を読み取りました").format(extraction.file_name))
            self.current = entry
            self._refresh_queue()
            self._load_review(entry)
            self._start_next()

        self.db.call(save, saved, lambda exc: self._extract_failed(entry, exc))

    def _extract_failed(self, entry: QueueEntry, exc: BaseException) -> None:
        self._job_done()
        if getattr(exc, "code", "") == "ocr.cancelled":
            self.entries.remove(entry)
            self.progress_label.setText(self.tr("中止しました。何も保存していません。"))
        else:
            entry.state = "failed"
            entry.message = message_for(exc)
            self.progress_label.setText(entry.message)
            if not is_expected(exc):
                show_error(self, exc)
        self._refresh_queue()
        self._start_next()

    # -- review -----------------------------------------------------------------------------------

    def _open_entry(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            entry = self.entries[row]
            if entry.state == "review" and entry is not self.current:
                self.current = entry
                self._load_review(entry)
            elif entry.state == "failed":
                self.progress_label.setText(entry.message)

    def _load_review(self, entry: QueueEntry) -> None:
        draft_id = entry.draft_id
        assert draft_id is not None

        def load(store: Store) -> tuple[imports.DraftInfo, dict[str, Any], dict[int, bytes]]:
            info, result = imports.load_draft(store, draft_id)
            pages = {n: imports.page_image(store, draft_id, n) for n in range(1, info.pages + 1)}
            return info, result, {n: b for n, b in pages.items() if b is not None}

        self.db.call(load, self._show_review)

    def _show_review(self, loaded: tuple[imports.DraftInfo, dict[str, Any], dict[int, bytes]]) -> None:
        info, result, pngs = loaded
        self.info = info
        images = {n: QImage.fromData(data, "PNG") for n, data in pngs.items()}
        self.model.load(result, images)
        self._update_counts()
        first = self.model.next_flagged(QModelIndex())
        self.table.setFocus()
        if first is not None:
            self.table.setCurrentIndex(first)

    def _fit(self) -> None:
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()

    def _save_draft(self) -> None:
        if self.info is None:
            return
        draft_id, result = self.info.id, self.model.result
        snapshot = {**result, "records": [dict(r) for r in result.get("records", [])]}
        self.db.call(lambda store: imports.update_draft(store, draft_id, snapshot))
        self._update_counts()

    def _update_counts(self, *_: object) -> None:
        flagged = self.model.flagged_count()
        rows = self.model.rowCount()
        text = self.tr("{0}行 / 要確認 {1}か所").format(rows, flagged)
        missing = self.model.missing_fields()
        warnings = [str(w) for w in self.model.result.get("warnings", [])]
        names = self._titles(missing)
        if missing and warnings:
            # a column whose header could not be read: its values are on the sheet, not in the draft
            note = self.tr("取り込まれない欄: {0}(見出しの読めない列があります。原本で確認してください)")
            text += "\n" + note.format(names)
        elif missing:
            needed = [f for f in missing if f in imports.REQUIRED]
            later = [f for f in missing if f not in imports.REQUIRED]
            if needed:
                note = self.tr("この名簿にない欄: {0}(登録に必要です。登録の前に入力または確認してください)")
                text += "\n" + note.format(self._titles(needed))
            if later:
                note = self.tr("この名簿にない欄: {0}(登録後に名簿画面で入力できます)")
                text += "\n" + note.format(self._titles(later))
        for warning in warnings:
            text += "\n" + warning
        self.counts.setText(text)
        self.undo_button.setEnabled(self.model.can_undo())
        ready = rows > 0 and flagged == 0 and self.info is not None
        self.commit_button.setEnabled(ready)
        self.commit_button.setToolTip("" if ready else self.tr("要確認のセルをすべて確認すると登録できます"))

    def _titles(self, fields: list[str]) -> str:
        # the list separator: 「、」 in Japanese, ", " in English
        return self.tr("、").join(QCoreApplication.translate("labels", FIELD_TITLES[f]) for f in fields)

    def _show_why(self, index: QModelIndex) -> None:
        reasons = self.model.reasons(index) if index.isValid() else []
        text = self.tr("要確認: {0}").format(joined(reasons)) if reasons else ""
        alternatives = self.model.alternatives(index) if index.isValid() else []
        if alternatives:
            text += "\n" + self.tr("ほかの読み: {0}(画像と同じなら Ctrl+1 で採用)").format(alternatives[0])
        self.why.setText(text)

    def undo(self) -> None:
        """Take back the last change made while reviewing this ledger."""
        where = self.model.undo()
        if where is not None:
            self.table.setCurrentIndex(where)
            self.table.scrollTo(where)

    def take_alternative(self) -> None:
        """The reviewer takes the other model's read of the current cell (it matches the image)."""
        if self.model.take_alternative(self.table.currentIndex()):
            self.go_next_flagged()

    def go_next_flagged(self) -> None:
        target = self.model.next_flagged(self.table.currentIndex())
        if target is not None:
            self.table.setCurrentIndex(target)
            self.table.scrollTo(target)

    def confirm_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid() and self.model.confirm(index):
            self.go_next_flagged()

    def toggle_skip(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.toggle_skip(index.row())

    # -- commit -------------------------------------------------------------------------------------

    def commit(self) -> None:
        if self.info is None or self.model.flagged_count():
            return
        rows = self.model.import_rows()
        self.db.call(
            lambda store: imports.find_duplicates(store, [r.data for r in rows]),
            lambda found: self._decide_duplicates(rows, found),
        )

    def _decide_duplicates(self, rows: list[imports.ImportRow], found: dict[int, list[Any]]) -> None:
        relevant = {i: c for i, c in found.items() if rows[i].decision.action != "skip"}
        if relevant:
            dialog = DuplicatesDialog(rows, relevant, self)
            if not dialog.exec():
                return
            rows = dialog.decided_rows()
        info = self.info
        assert info is not None

        def save(store: Store) -> imports.ImportSummary:
            return imports.commit_import(
                store, file_name=info.file_name, file_sha256=info.file_sha256, pages=info.pages, rows=rows,
                draft_id=info.id,
            )

        self.db.call(save, self._committed, lambda exc: show_error(self, exc))

    def _committed(self, summary: imports.ImportSummary) -> None:
        self._drop_current()
        self.progress_label.setText(
            self.tr("名簿に登録しました: 追加 {0}人、統合 {1}人、除外 {2}人").format(
                summary.added, summary.merged, summary.skipped
            )
        )

    def _discard(self) -> None:
        if self.info is None:
            return
        answer = QMessageBox.question(
            self, self.tr("取込をやめる"), self.tr("この名簿の読み取り結果を破棄します。よろしいですか?")
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        draft_id = self.info.id
        self.db.call(lambda store: imports.discard_draft(store, draft_id), lambda _: self._drop_current())

    def _drop_current(self) -> None:
        """The reviewed ledger is stored or discarded: it leaves the queue and the table."""
        if self.current in self.entries:
            self.entries.remove(self.current)
        self.current = None
        self.info = None
        self.model.clear()
        self._refresh_queue()
        self._update_counts()
