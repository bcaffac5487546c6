"""Interface language: gridmap's translation (resources/i18n/gridmap_<lang>.qm), Qt's own (standard
buttons, file dialogs, context menus of text fields) and QGIS's own (its widgets: attribute tables,
layer tree menus, expression builders).

Qt's and QGIS's files come from the operating system (Debian: qttranslations5-l10n, qgis-common); when
one is missing that part of the interface stays in English and the rest is still translated.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QLibraryInfo, QLocale, QTranslator

from gridmap.paths import RESOURCES_DIR

I18N_DIR = RESOURCES_DIR / "i18n"
_installed: list[QTranslator] = []
_names: list[str] = []

#: QGIS names its Chinese files by script, Qt by country
QGIS_NAMES = {"zh_CN": "zh-Hans", "zh_SG": "zh-Hans", "zh_TW": "zh-Hant", "zh_HK": "zh-Hant"}


def qt_translations_dir() -> str:
    return QLibraryInfo.location(QLibraryInfo.LibraryLocation.TranslationsPath)


def qgis_translations_dir() -> str:
    from qgis.core import QgsApplication  # noqa: PLC0415 - only once QGIS is initialised

    path = QgsApplication.i18nPath()
    if not Path(path).is_dir():  # a prefix without i18n: the distribution's own folder
        path = "/usr/share/qgis/i18n"
    return path


def install_translator(app, lang: str | None) -> str:
    """Install gridmap's, Qt's and QGIS's translations for ``lang`` (default: the system locale); return the
    language used. English is the source language and needs no file."""
    lang = lang or QLocale.system().name()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _names.clear()
    if lang.startswith("en"):
        return "en"
    translator = QTranslator(app)
    if not (translator.load(f"gridmap_{lang}", str(I18N_DIR)) or translator.load(f"gridmap_{lang[:2]}", str(I18N_DIR))):
        return "en"
    candidates = [(f"qtbase_{lang}", qt_translations_dir()), (f"qt_{lang}", qt_translations_dir()),
                  (f"qgis_{QGIS_NAMES.get(lang, lang)}", qgis_translations_dir())]
    for name, folder in candidates:
        other = QTranslator(app)
        if other.load(name, folder):
            app.installTranslator(other)
            _installed.append(other)
            _names.append(name)
    app.installTranslator(translator)  # installed last: searched first
    _installed.append(translator)
    _names.append(f"gridmap_{lang}")
    return lang


def interface_language() -> str:
    """The language the interface is in: a language code such as zh_CN, or en (no translation installed)."""
    for name in _names:
        if name.startswith("gridmap_"):
            return name.removeprefix("gridmap_")
    return "en"


def installed_names() -> list[str]:
    """The translation files in use (for the About box and tests)."""
    return list(_names)
