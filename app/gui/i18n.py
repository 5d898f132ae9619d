"""Language: Japanese by default, English selectable (QSettings key ``language``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

from app.paths import translations_dir

_installed: list[QTranslator] = []
_active: list[str] = []  # the language installed in this process (pick() follows it)


def settings() -> QSettings:
    return QSettings("Gakuseki", "Gakuseki")


def current_language() -> str:
    value = settings().value("language", "ja")
    return value if value in ("ja", "en") else "ja"


def set_language(lang: str) -> None:
    settings().setValue("language", lang)


def install(app: QCoreApplication, lang: str | None = None) -> str:
    """Load the translator for ``lang`` (the Japanese source needs none)."""
    lang = lang or current_language()
    _active[:] = [lang]
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang != "ja":
        translator = QTranslator(app)
        if translator.load(str(translations_dir() / f"gakuseki_{lang}.qm")):
            app.installTranslator(translator)
            _installed.append(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Japanese if lang == "ja" else QLocale.Language.English))
    return lang


def pick(message_ja: str, message_en: str) -> str:
    """The message in the language this window shows (typed errors carry both)."""
    lang = _active[0] if _active else current_language()
    return message_en if lang == "en" else message_ja


def label(text: str) -> str:
    """A fixed label defined in a table (marked with QT_TRANSLATE_NOOP("labels", …))."""
    return QCoreApplication.translate("labels", text)
