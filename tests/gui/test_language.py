"""A complete Chinese interface: Qt's and QGIS's own translations loaded, no English left on the
window's menus, docks, buttons and tabs, and no tab title cut short in either language."""

import re

import pytest
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QAbstractButton, QDialogButtonBox, QLabel, QTabBar

from gridmap.gui.i18n import install_translator, installed_names
from gridmap.gui.workspace import build_workspace

#: text that may stay Latin in Chinese: codes, units, formats, standards, shortcuts
ALLOWED = re.compile(r"^[\s\d.,:;/%()+\-–—×*#…'\"·~_<>=|\[\]]*$|"
                     r"^(CSV|Excel|GeoJSON|GeoPackage|ESRI Shapefile|UTF-8|GBK|EPSG|WGS84|CGCS2000|GB/T).*$")


@pytest.fixture
def zh(qapp):
    assert install_translator(qapp, "zh_CN") == "zh_CN"
    yield
    install_translator(qapp, "en")


def test_qt_and_qgis_translations_are_loaded(zh):
    names = installed_names()
    assert "gridmap_zh_CN" in names
    assert "qtbase_zh_CN" in names, "Debian's qttranslations5-l10n is missing"
    assert "qgis_zh-Hans" in names, "Debian's qgis-common is missing"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("QgsDualView", "Zoom to Feature") == "缩放到要素范围"
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    assert {b.text() for b in box.buttons()} == {"确定", "取消"}


def english_left(window) -> list[str]:
    texts = []
    for menu_action in window.menuBar().actions():
        texts.append(menu_action.text())
        texts += [a.text() for a in menu_action.menu().actions() if not a.isSeparator()]
    texts += [a.text() for a in window.toolbar.actions() if not a.isSeparator()]
    texts += [dock.windowTitle() for dock in window.findChildren(type(window.layers_dock))]
    for widget in window.findChildren(QAbstractButton) + window.findChildren(QLabel):
        if widget.isVisibleTo(window) and widget.text():
            texts.append(widget.text())
    for bar in window.findChildren(QTabBar):
        texts += [bar.tabText(k) for k in range(bar.count())]
    english = []
    for text in texts:
        plain = re.sub(r"&(?=\w)|\(&\w\)", "", text).strip()
        if plain and not re.search(r"[\u4e00-\u9fff]", plain) and not ALLOWED.match(plain):
            english.append(plain)
    return sorted(set(english))


def test_nothing_visible_is_left_in_english(zh, qtbot, small_demo):
    window = build_workspace()
    try:
        window.resize(1366, 768)
        window.show()
        with qtbot.waitSignal(window.first_render_done, timeout=30000):
            window.open_store(small_demo)
        qtbot.wait(50)
        assert english_left(window) == []
    finally:
        window.workspace.grid_editor.stop(force=True)
        window.canvas.stopRendering()
        window.close()
        window.deleteLater()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_no_dock_tab_title_is_cut_short(window, qtbot, size):
    window.resize(*size)
    qtbot.wait(50)
    bars = [b for b in window.findChildren(QTabBar) if b.parent() is window and b.count() > 1]
    assert bars
    for bar in bars:
        assert bar.elideMode() == 3  # Qt.TextElideMode.ElideNone
        for k in range(bar.count()):
            needed = bar.fontMetrics().horizontalAdvance(bar.tabText(k))
            assert bar.tabRect(k).width() >= needed, bar.tabText(k)
