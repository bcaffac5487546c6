"""Interface language: Qt translations from resources/i18n (gridmap_zh_CN.qm)."""

from __future__ import annotations

from qgis.PyQt.QtCore import QLocale, QTranslator

from gridmap.paths import RESOURCES_DIR

I18N_DIR = RESOURCES_DIR / "i18n"
_installed: list[QTranslator] = []


def install_translator(app, lang: str | None) -> str:
    """Install the translation for ``lang`` (default: the system locale); return the language used.

    English is the source language and needs no file.
    """
    lang = lang or QLocale.system().name()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if lang.startswith("en"):
        return "en"
    translator = QTranslator(app)
    if translator.load(f"gridmap_{lang}", str(I18N_DIR)) or translator.load(f"gridmap_{lang[:2]}", str(I18N_DIR)):
        app.installTranslator(translator)
        _installed.append(translator)
        return lang
    return "en"
