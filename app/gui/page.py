"""What every sidebar page of the main window implements."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.gui.db import DbThread


class Page(QWidget):
    """A main-window page. It loads data after unlock and forgets it at lock."""

    def __init__(self, db: DbThread, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db

    def on_unlocked(self, user: object) -> None:
        """Load what the page shows (on the database thread)."""

    def on_locked(self) -> None:
        """Drop every model holding personal data; keep unsaved edits in memory only."""
