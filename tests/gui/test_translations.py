"""Japanese first, English selectable: every UI string has an English translation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtWidgets import QApplication

from app.gui import i18n
from app.gui.db import DbThread
from app.gui.main_window import MainWindow
from app.paths import translations_dir
from app.translations import compile_all


def test_every_source_string_has_an_english_translation() -> None:
    tree = ET.parse(translations_dir() / "gakuseki_en.ts")
    untranslated = [
        m.findtext("source")
        for m in tree.iter("message")
        if (m.find("translation").get("type") in ("unfinished", None) and not m.findtext("translation"))
        or m.find("translation").get("type") == "unfinished"
    ]
    assert untranslated == []


def test_english_can_be_selected_and_japanese_is_the_default(qtbot, tmp_path) -> None:
    compile_all()
    app = QApplication.instance()
    db = DbThread()
    try:
        assert i18n.install(app, "en") == "en"
        english = MainWindow(db, tmp_path / "s")
        qtbot.addWidget(english)
        titles = [english.sidebar.item(i).text() for i in range(5)]
        assert titles == ["Roster", "Attendance", "Import", "Export", "Admin"]
        i18n.install(app, "ja")
        japanese = MainWindow(db, tmp_path / "s")
        qtbot.addWidget(japanese)
        assert japanese.sidebar.item(0).text() == "名簿"
    finally:
        i18n.install(app, "ja")
        db.shutdown()
