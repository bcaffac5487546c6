"""The desktop app starts on a real QgsApplication, offscreen, and draws the store."""

import subprocess
import sys
from pathlib import Path

from qgis.PyQt.QtGui import QImage

from gridmap.gui.layers import layer_specs
from gridmap.gui.workspace import build_workspace


def test_window_opens_the_store_with_every_layer_valid(qapp, qtbot, small_demo):
    window = build_workspace()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    with qtbot.waitSignal(window.first_render_done, timeout=20000):
        window.open_store(small_demo)  # a copy: opening writes the styles into the file
    for spec in layer_specs():
        layer = window.layer(spec.key)
        assert layer is not None and layer.isValid(), spec.key
        assert layer.featureCount() > 0 or spec.key == "incident", spec.key
    assert window.canvas.isCachingEnabled() and window.canvas.isParallelRenderingEnabled()
    assert window.canvas.mapSettings().destinationCrs().authid() == "EPSG:4546"
    assert window.layer("component_point").featureCount() > 4000
    window.close()


def test_screenshot_option_writes_an_image(tmp_path, small_demo):
    shot = tmp_path / "shot.png"
    env_settings = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parents[2] / "main.py"), "--db", str(small_demo),
         "--screenshot", str(shot), "--size", "1280x800", "--lang", "en"],
        check=False, capture_output=True, text=True, timeout=120,
        env={"HOME": str(env_settings), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert image.width() == 1280 and image.height() == 800
    # not a blank canvas: many distinct colours were drawn
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(colours) > 20
