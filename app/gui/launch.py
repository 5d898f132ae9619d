"""Start the desktop app: first-run wizard or unlock dialog, then the main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWizard

from app.gui import i18n
from app.gui.db import DbThread
from app.gui.errors import show_error
from app.gui.main_window import MainWindow
from app.gui.wizard import SetupWizard
from app.paths import resources_dir
from storage.store import default_store_path, store_exists


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    show_error(None, exc.with_traceback(tb))


def start(path: Path, db: DbThread) -> MainWindow:
    """Build the window and ask for the wizard or the unlock dialog (used by tests too)."""
    window = MainWindow(db, path)
    window.show()
    if store_exists(path):
        window.show_unlock()
    else:
        wizard = SetupWizard(db, path, window)
        wizard.finished.connect(
            lambda result: window.on_unlocked(db.user) if result == QWizard.DialogCode.Accepted and db.user
            else window.close()
        )
        window.wizard = wizard  # type: ignore[attr-defined]
        wizard.open()
    return window


def has_display() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(store: str | None = None) -> int:
    logging.basicConfig(level=logging.INFO)
    if not has_display():
        print(
            "gakuseki: 画面がありません(DISPLAY 未設定)。コマンドは `gakuseki --help` を参照 / "
            "No display (DISPLAY is not set); see `gakuseki --help` for the command line",
            file=sys.stderr,
        )
        return 2
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Gakuseki")
    app.setOrganizationName("Gakuseki")
    app.setApplicationDisplayName("学籍 Gakuseki")
    i18n.install(app)
    sys.excepthook = _excepthook
    path = Path(store) if store else default_store_path()
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "gakuseki-256.png")))
    db = DbThread()
    window = start(path, db)
    if os.environ.get("GAKUSEKI_STARTUP_PROBE") == "1":  # packaging/smoke.sh: time to the first dialog
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    del window
    return int(code)
