"""Developer tool: screenshots of the main screens for the README (run under Xvfb).

    GAKUSEKI_PASSPHRASE=… xvfb-run -s "-screen 0 1366x768x24" \\
        .venv/bin/python -m app.gui.screenshots --store demo-store --out resources/screenshots
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.gui import i18n
from app.gui.db import DbThread
from app.gui.main_window import MainWindow


def _settle(ms: int = 600) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _shoot(widget: QWidget, path: Path) -> None:
    _settle()
    widget.grab().save(str(path))
    print(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--lang", default="ja")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    i18n.install(app, args.lang)
    db = DbThread()
    window = MainWindow(db, args.store)
    window.resize(1366, 740)
    window.show()
    dialog = window.show_unlock()
    _shoot(dialog, args.out / "unlock.png")
    dialog.login.setCurrentText("admin")
    dialog.passphrase.setText(os.environ["GAKUSEKI_PASSPHRASE"])
    dialog.try_unlock()
    _settle(3000)
    for row, name in enumerate(["roster", "attendance", "import", "export", "admin"]):
        window.sidebar.setCurrentRow(row)
        if name == "attendance":
            window.attendance._shift(-1)  # the demo's sealed month
            _settle(1500)
        if name == "import" and window.imports.queue.count():
            window.imports.queue.setCurrentRow(0)
            _settle(1500)
        _shoot(window, args.out / f"{name}.png")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
