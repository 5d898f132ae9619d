"""All database work on one thread that owns the store's connection.

``DbThread.call(fn, on_done, on_error)`` runs ``fn(store)`` on the worker thread and
delivers the result (or the exception) to the callbacks on the GUI thread, in order.
``open``/``close`` create and drop the :class:`storage.store.Store` on that thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from storage.store import Store

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Worker(QObject):
    finished = Signal(int, object, object)  # job id, result, exception

    def __init__(self) -> None:
        super().__init__()
        self.store: Store | None = None

    @Slot(int, object)
    def run(self, job_id: int, fn: Callable[[_Worker], Any]) -> None:
        try:
            result = fn(self)
        except BaseException as exc:
            self.finished.emit(job_id, None, exc)
        else:
            self.finished.emit(job_id, result, None)


class DbThread(QObject):
    """The single database thread of the app."""

    _submit = Signal(int, object)
    busy_changed = Signal(bool)
    opened = Signal(object)  # storage.store.User
    closed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("gakuseki-db")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._on_finished)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[Done | None, Failed | None]] = {}
        self._thread.start()
        self.user: Any = None

    # -- jobs ---------------------------------------------------------------------------

    def call(self, fn: Callable[[Store], Any], on_done: Done | None = None, on_error: Failed | None = None) -> int:
        """Run ``fn(store)`` on the database thread."""

        def job(worker: _Worker) -> Any:
            if worker.store is None:
                from storage.errors import PolicyError

                raise PolicyError("store.locked", "ストアはロックされています", "The store is locked")
            return fn(worker.store)

        return self._queue(job, on_done, on_error)

    def _queue(self, job: Callable[[_Worker], Any], on_done: Done | None, on_error: Failed | None) -> int:
        job_id = next(self._ids)
        self._pending[job_id] = (on_done, on_error)
        self.busy_changed.emit(True)
        self._submit.emit(job_id, job)
        return job_id

    @Slot(int, object, object)
    def _on_finished(self, job_id: int, result: Any, exc: BaseException | None) -> None:
        on_done, on_error = self._pending.pop(job_id, (None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        if exc is not None:
            if on_error is not None:
                on_error(exc)
            else:
                from app.gui.errors import show_error

                show_error(None, exc)
        elif on_done is not None:
            on_done(result)

    # -- session --------------------------------------------------------------------------

    def open(
        self, opener: Callable[[], Store], on_done: Done | None = None, on_error: Failed | None = None
    ) -> int:
        """Unlock: ``opener()`` (e.g. ``Store.open(...)``) runs on the database thread."""

        def job(worker: _Worker) -> Any:
            if worker.store is not None:
                worker.store.close()
            worker.store = opener()
            return worker.store.user

        def done(user: Any) -> None:
            self.user = user
            self.opened.emit(user)
            if on_done is not None:
                on_done(user)

        return self._queue(job, done, on_error)

    def close(self, on_done: Done | None = None) -> int:
        """Lock: close the connection (the store audits the lock)."""

        def job(worker: _Worker) -> None:
            if worker.store is not None:
                worker.store.close()
                worker.store = None

        def done(_: Any) -> None:
            self.user = None
            self.closed.emit()
            if on_done is not None:
                on_done(None)

        return self._queue(job, done, None)

    @property
    def is_open(self) -> bool:
        return self.user is not None

    def shutdown(self) -> None:
        """Close the store and stop the thread (blocks until done)."""
        self.close()
        self._thread.quit()
        self._thread.wait(10_000)


