"""Data-loss prevention in the window: screen-capture exclusion, watermarks on personal data,
and a clipboard that forgets personal values after 30 seconds."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QClipboard, QColor, QFont, QGuiApplication, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

log = logging.getLogger(__name__)

WDA_EXCLUDEFROMCAPTURE = 0x00000011
CLIPBOARD_SECONDS = 30


# --- screen capture ------------------------------------------------------------------------


def windows_affinity(hwnd: int) -> bool:
    """SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE) through ctypes (Windows 10 2004+)."""
    import ctypes

    user32 = ctypes.windll.user32  # type: ignore[attr-defined]
    return bool(user32.SetWindowDisplayAffinity(ctypes.c_void_p(hwnd), WDA_EXCLUDEFROMCAPTURE))


class CaptureShield(QObject):
    """Applies capture exclusion to every top-level window when it is shown or its native
    window changes. ``backend(hwnd) -> bool`` is injectable; off Windows it is a logged no-op."""

    def __init__(self, backend: Callable[[int], bool] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if backend is None and sys.platform == "win32":
            backend = windows_affinity
        self.backend = backend
        self.applied: list[str] = []
        if backend is None:
            log.info("screen-capture exclusion is only available on Windows; not applied")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() in (QEvent.Type.Show, QEvent.Type.WinIdChange)
            and isinstance(watched, QWidget)
            and watched.isWindow()
        ):
            self.protect(watched)
        return False

    def protect(self, window: QWidget) -> None:
        if self.backend is None:
            return
        ok = self.backend(int(window.winId()))
        self.applied.append(window.objectName() or type(window).__name__)
        if not ok:
            log.warning("capture exclusion refused for %s", type(window).__name__)


# --- watermark -----------------------------------------------------------------------------


class Watermark(QWidget):
    """A faint diagonal 'user · time' over a personal-data view; lets every click through."""

    def __init__(self, target: QWidget, text: Callable[[], str]) -> None:
        super().__init__(target)
        self._text = text
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setObjectName("watermark")
        target.installEventFilter(self)
        self.setGeometry(target.rect())
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.update)
        self._timer.start(60_000)
        self.raise_()

    def current_text(self) -> str:
        return self._text()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        text = self._text()
        if not text:
            return
        painter = QPainter(self)
        painter.setPen(QColor(120, 120, 120, 38))
        font = QFont()
        font.setPointSize(13)
        painter.setFont(font)
        painter.rotate(-20)
        step_x, step_y = 360, 110
        for y in range(-self.width(), self.height() + self.width(), step_y):
            for x in range(-self.width(), self.width() * 2, step_x):
                painter.drawText(QRect(x + (y // step_y % 2) * step_x // 2, y, step_x, step_y), 0, text)
        painter.end()


def watermark_text(user: object | None) -> str:
    if user is None:
        return ""
    login = getattr(user, "login", "")
    return f"{login} · {datetime.now():%Y-%m-%d %H:%M} · 学籍"


# --- clipboard -----------------------------------------------------------------------------


class ClipboardGuard(QObject):
    """Whatever this app puts on the clipboard is cleared after 30 s (if still there), and
    views of personal data copy at most the one value under the cursor."""

    def __init__(self, seconds: float = CLIPBOARD_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clipboard: QClipboard = QGuiApplication.clipboard()
        self._text = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self.clear_if_ours)
        self.clipboard.dataChanged.connect(self._changed)

    def _changed(self) -> None:
        text = self.clipboard.text()
        if (text and QApplication.activeWindow() is not None) or self.clipboard.ownsClipboard():
            self._text = text
            self._timer.start()

    def copy_value(self, text: str) -> None:
        self.clipboard.setText(text)
        self._text = text
        self._timer.start()

    def clear_if_ours(self) -> None:
        if self._text and self.clipboard.text() == self._text:
            self.clipboard.clear()
        self._text = ""

    def guard_view(self, view: QAbstractItemView) -> None:
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QAbstractItemView)
            and event.type() == QEvent.Type.KeyPress
            and event.matches(QKeySequence.StandardKey.Copy)  # type: ignore[attr-defined]
        ):
            index = watched.currentIndex()
            value = index.data() if index.isValid() else None
            if value not in (None, ""):
                self.copy_value(str(value))
            return True  # never the whole selection
        return False
