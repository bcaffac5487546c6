"""The base maps plugin (plugins/basemaps): a tile service by URL template with a key from the user's settings,
added under the grid layers, drawn from a tile server this test runs on localhost."""

import http.server
import threading

import pytest
from qgis.core import QgsMapRendererParallelJob, QgsProject
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QSize
from qgis.PyQt.QtGui import QColor, QImage

TILE_COLOUR = QColor(200, 30, 30)


def _tile() -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(TILE_COLOUR)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


@pytest.fixture
def tile_server():
    png, seen = _tile(), []

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def test_a_keyed_tile_service_is_drawn_under_the_grids_and_the_key_stays_in_the_settings(window, tile_server):
    url, seen = tile_server
    api = next(p for p in window.workspace.plugins if p.extension.name == "basemaps")
    settings = api.settings()
    settings.setValue("tianditu_key", "SECRET-KEY-123")
    template = url + "/{z}/{x}/{y}.png?tk={key}"
    settings.setValue("services", f'[{{"name": "city tiles", "templates": ["{template}"]}}]')
    api.basemaps["rebuild"]()
    assert "city tiles" in [a.text() for a in api.basemaps["menu"].actions()]
    api.basemaps["add"]("city tiles")
    (layer,) = api.layers
    root = QgsProject.instance().layerTreeRoot()
    assert root.children()[-1].layer() is layer  # under the grid layers
    settings_map = window.canvas.mapSettings()
    settings_map.setLayers([layer])
    settings_map.setOutputSize(QSize(300, 200))
    job = QgsMapRendererParallelJob(settings_map)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    assert QColor(image.pixel(150, 100)) == TILE_COLOUR
    assert seen and all("tk=SECRET-KEY-123" in path for path in seen)
    window.store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    assert b"SECRET-KEY-123" not in window.store.path.read_bytes()  # never in the store


def test_a_service_that_needs_a_key_is_not_added_without_one(window, monkeypatch):
    api = next(p for p in window.workspace.plugins if p.extension.name == "basemaps")
    api.settings().remove("tianditu_key")
    told = []
    monkeypatch.setattr("qgis.PyQt.QtWidgets.QMessageBox.information", lambda *a: told.append(a[2]))
    api.basemaps["add"]("天地图 矢量")
    assert api.layers == [] and "needs a key" in told[0]
