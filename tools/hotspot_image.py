"""Render the README's hotspot map: the Hotspots dock's layers for summer 2026 on the full demo.

    python tools/hotspot_image.py DEMO.sqlite OUT.png

(then ``convert OUT.png -resize 1280x -colors 192 PNG8:docs/images/hotspots.png`` keeps it small).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def main(db: Path, out: Path) -> None:
    from gridmap.app import start_qgis  # noqa: PLC0415 - QGIS starts before its classes are imported

    app = start_qgis(["hotspot-image"], settings_dir=Path(tempfile.mkdtemp()))
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsProject  # noqa: PLC0415
    from qgis.PyQt.QtCore import QDate, QRectF, QSize  # noqa: PLC0415
    from qgis.PyQt.QtGui import QColor, QFont, QPainter  # noqa: PLC0415

    from gridmap.gui.workspace import build_workspace  # noqa: PLC0415

    window = build_workspace()
    window.resize(1600, 1000)
    window.open_store(db)
    panel = window.workspace.hotspots
    panel.since.setDate(QDate(2026, 6, 1))
    panel.until.setDate(QDate(2026, 8, 31))
    found = panel.run()
    settings = QgsMapSettings()
    settings.setOutputSize(QSize(1600, 900))
    settings.setOutputDpi(110)
    settings.setDestinationCrs(panel.grid_layer.crs())
    settings.setLayers([panel.grid_layer, window.layer("road"), panel.heat_layer, window.layer("unit_grid"),
                        window.layer("district")])
    extent = panel.grid_layer.extent()
    extent.scale(1.03)
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    hot = sum(h.kind == "hot" for h in found.grids)
    cold = sum(h.kind == "cold" for h in found.grids)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(22)
    painter.setFont(font)
    painter.fillRect(QRectF(12, 12, 560, 150), QColor(255, 255, 255, 225))
    painter.drawText(24, 44, f"Hotspots 2026-06-01 – 2026-08-31: {found.cases:,} cases")
    font.setPixelSize(18)
    painter.setFont(font)
    y = 76
    for colour, text in (("#d7191c", f"hot unit grids, 99% / 95%: {hot}"), ("#2c7bb6", f"cold unit grids: {cold}"),
                         ("#fd8d3c", "heatmap of cases (QgsHeatmapRenderer, 250 m)")):
        painter.fillRect(QRectF(24, y - 16, 22, 18), QColor(colour))
        painter.drawText(56, y, text)
        y += 30
    painter.end()
    image.save(str(out))
    print(f"{out}: {found.cases} cases, {hot} hot and {cold} cold unit grids")
    window.close()
    window.deleteLater()
    app.processEvents()
    QgsProject.instance().clear()
    app.exitQgis()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
