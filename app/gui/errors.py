"""Errors in the GUI: typed ones become one message in the user's language; anything else is
a bug, logged to the crash log and shown in a crash dialog."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.crashlog import log_crash
from app.gui.i18n import pick

log = logging.getLogger(__name__)


def is_expected(exc: BaseException) -> bool:
    return hasattr(exc, "code") and isinstance(getattr(exc, "exit_code", None), int)


def message_for(exc: BaseException) -> str:
    """One line for a typed error, in the current language."""
    ja = getattr(exc, "message_ja", None)
    en = getattr(exc, "message_en", None)
    if isinstance(ja, str) and isinstance(en, str):
        return pick(ja, en)
    return str(exc)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if is_expected(exc):
        QMessageBox.warning(parent, QCoreApplication.translate("errors", "学籍"), message_for(exc))
        return
    where = log_crash(exc)
    log.error("unexpected error", exc_info=exc)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("errors", "予期しないエラー"))
    box.setText(
        QCoreApplication.translate("errors", "予期しないエラーが発生しました。お手数ですが管理者に連絡してください。")
    )
    box.setInformativeText(QCoreApplication.translate("errors", "詳細は次のファイルに記録しました: {0}").format(where))
    box.exec()
