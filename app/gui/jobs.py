"""The one job runner for long work off the GUI thread (OCR, exports): a QRunnable whose
progress, finished and failed signals arrive on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

ProgressFn = Callable[[int, int, str], None]
CancelFn = Callable[[], bool]


class JobSignals(QObject):
    progress = Signal(int, int, str)  # done, total, message
    finished = Signal(object)
    failed = Signal(object)  # the exception


class Job(QRunnable):
    """Runs ``work(progress, cancel)`` on the global thread pool."""

    def __init__(self, work: Callable[[ProgressFn, CancelFn], Any]) -> None:
        super().__init__()
        self.signals = JobSignals()
        self._work = work
        self._cancel = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._work(self.signals.progress.emit, self._cancel.is_set)
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)

    def start(self) -> Job:
        QThreadPool.globalInstance().start(self)
        return self
