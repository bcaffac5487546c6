import contextlib

import pytest
from qgis.core import QgsProject

from gridmap.gui.workspace import build_workspace


@contextlib.contextmanager
def workspace_on(qtbot, location):
    """The workspace open on a store (a file or a PostGIS URI), first render done; closed afterwards."""
    win = build_workspace()  # closed below, after the fixtures that use it (not by qtbot)
    win.resize(1280, 800)
    win.show()
    with qtbot.waitSignal(win.first_render_done, timeout=30000):
        win.open_store(location)
    try:
        yield win
    finally:
        win.workspace.grid_editor.stop(force=True)
        win.canvas.stopRendering()
        win.canvas.waitWhileRendering()
        win.close()
        win.deleteLater()
        QgsProject.instance().clear()


@pytest.fixture
def window(qapp, qtbot, small_demo):
    """The workspace open on a private copy of the small demo, first render done."""
    with workspace_on(qtbot, small_demo) as win:
        yield win
