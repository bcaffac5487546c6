"""Notice-board posters (网格公示牌, issue 16): one PDF page per responsibility grid, made with QGIS's print
layout and atlas — the grid on the map among its unit grids, roads and communities, its supervisors and
their phones, the roster of the community grids inside it, area and counts, a QR code of the grid code,
a north arrow, a scale bar and the date. The same code serves ``gridmap poster`` and the desktop.

The atlas runs over a memory layer holding one feature per grid with the board's texts as attributes,
so every page's labels are expressions of its own feature, and QGIS lays out and exports the pages.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import segno
from qgis.core import (
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayout,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsProperty,
    QgsRenderContext,
    QgsRuleBasedRenderer,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor, QFont

from gridmap.domain.errors import GridmapError
from gridmap.gui import styles
from gridmap.gui.fields import text_field
from gridmap.gui.layers import make_layer
from gridmap.store import sources
from gridmap.store.notice_boards import NoticeBoard, notice_boards

#: page sizes, portrait, in millimetres
SIZES = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
#: the roles a board lists for each community grid, in this order
ROSTER_ROLES = ("grid_leader", "grid_manager", "police_officer")
#: Latin letters and digits from DejaVu Sans (their PDF text reads back exactly), Chinese by fallback from
#: Noto Sans CJK SC (both installed by make setup: fonts-dejavu-core comes with QGIS, fonts-noto-cjk)
FONT = "DejaVu Sans"


def tr(text: str) -> str:
    return QCoreApplication.translate("Posters", text)


def _role_names() -> dict[str, str]:
    return {"grid_leader": tr("grid leader"), "grid_manager": tr("grid manager"),
            "police_officer": tr("police officer")}


class PosterError(GridmapError):
    """The posters could not be made (no grid, QGIS could not write the PDF)."""


@dataclass
class PosterResult:
    path: Path
    pages: int


def _texts(board: NoticeBoard, roles: dict[str, str]) -> dict[str, str]:
    supervisors = "；".join(f"{name} {phone}".strip() for name, phone in board.supervisors) or tr("(none yet)")
    by_grid: dict[str, list[str]] = {}
    for grid, role, name, phone in board.roster:
        if role in roles:
            by_grid.setdefault(grid, []).append(f"{roles[role]} {name} {phone}".strip())
    roster = "\n".join(f"{grid}：{'；'.join(people)}" for grid, people in by_grid.items()) or tr("(no roster yet)")
    facts = tr("Area {0:.2f} km² · {1} unit grids · {2} components · {3} open cases").format(
        board.area_m2 / 1e6, board.unit_grids, board.components, board.open_cases)
    return {"code": board.code, "title": f"{board.name}（{board.code}）", "supervisors": supervisors,
            "roster": roster, "facts": facts}


def _coverage(boards: list[NoticeBoard], srid: int, qr_folder: Path) -> QgsVectorLayer:
    """A memory layer of the boards' grids with their texts and the path of their QR code image."""
    layer = QgsVectorLayer(f"Polygon?crs=EPSG:{srid}", "notice_boards", "memory")
    fields = ("code", "title", "supervisors", "roster", "facts", "qr")
    layer.dataProvider().addAttributes([text_field(name) for name in fields])
    layer.updateFields()
    roles = {r: n for r, n in _role_names().items() if r in ROSTER_ROLES}
    features = []
    for board in boards:
        qr = qr_folder / f"{board.code}.svg"
        segno.make(board.code, error="m").save(str(qr), scale=4, border=2)
        texts = _texts(board, roles)
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(board.geometry.wkt))
        for name in fields[:-1]:
            feature[name] = texts[name]
        feature["qr"] = str(qr)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    # this page's grid stands out; the neighbours are drawn faint for orientation
    root = QgsRuleBasedRenderer.Rule(None)
    this = QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple({
        "color": "255,171,0,40", "outline_color": "#d84315", "outline_width": "1.2"}),
        filterExp="\"code\" = attribute(@atlas_feature, 'code')")
    others = QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple({
        "style": "no", "outline_color": "#9e9e9e", "outline_width": "0.4"}), elseRule=True)
    root.appendChild(this)
    root.appendChild(others)
    layer.setRenderer(QgsRuleBasedRenderer(root))
    return layer


def _label(layout: QgsLayout, text: str, x: float, y: float, w: float, h: float, size: float,
           bold: bool = False, colour: str = "#212121") -> QgsLayoutItemLabel:
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    text_format = QgsTextFormat()
    font = QFont(FONT)
    font.setBold(bold)
    text_format.setFont(font)
    text_format.setSize(size)
    text_format.setSizeUnit(QgsUnitTypes.RenderPoints)
    text_format.setColor(QColor(colour))
    if hasattr(label, "setTextFormat"):
        label.setTextFormat(text_format)
    else:  # QGIS < 3.24
        font.setPointSizeF(size)
        label.setFont(font)
        label.setFontColor(QColor(colour))
    label.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    label.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(label)
    return label


def build_layout(project: QgsProject, store, coverage: QgsVectorLayer, size: str = "A4") -> QgsLayout:
    """The notice-board layout with its atlas over ``coverage`` (one page per feature)."""
    width, height = SIZES[size]
    k = width / 210.0  # everything scales with the page
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("notice_boards")
    page = layout.pageCollection().page(0)
    page.setPageSize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutMillimeters))
    margin = 12 * k
    _label(layout, tr("Grid notice board"), margin, margin, width - 2 * margin, 8 * k, 13 * k, colour="#d84315")
    _label(layout, '[% "title" %]', margin, margin + 8 * k, width - 2 * margin - 30 * k, 12 * k, 22 * k, bold=True)
    map_top, map_height = margin + 24 * k, height * 0.47
    source = sources.source(store)
    base = []
    for table, style in (("road", styles.style_roads), ("community", styles.style_community),
                         ("unit_grid", styles.style_unit_grid)):
        layer = make_layer(source, table, table, '"valid_to" IS NULL' if table == "unit_grid" else "")
        if not layer.isValid():
            raise PosterError(f"{store.path}: QGIS cannot open {table}")
        style(layer)
        layer.setLabelsEnabled(False)  # a poster names the grid; hundreds of unit grid codes would hide it
        project.addMapLayer(layer, False)
        base.append(layer)
    item = QgsLayoutItemMap(layout)
    layout.addLayoutItem(item)  # placed after it is added: the layout sizes a new map item itself
    item.attemptMove(QgsLayoutPoint(margin, map_top, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(width - 2 * margin, map_height, QgsUnitTypes.LayoutMillimeters))
    item.setCrs(coverage.crs())
    item.setLayers([coverage, base[2], base[1], base[0]])
    item.setKeepLayerSet(True)
    item.setFrameEnabled(True)
    arrow = QgsLayoutItemPicture(layout)
    arrow.setPicturePath(str(Path(QgsApplicationPaths.svg()) / "arrows" / "NorthArrow_02.svg"))
    arrow.setLinkedMap(item)
    arrow.setNorthMode(QgsLayoutItemPicture.GridNorth)
    arrow.attemptMove(QgsLayoutPoint(width - margin - 14 * k, map_top + 3 * k, QgsUnitTypes.LayoutMillimeters))
    arrow.attemptResize(QgsLayoutSize(11 * k, 16 * k, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(arrow)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(item)
    bar.setUnits(QgsUnitTypes.DistanceMeters)
    bar.setUnitLabel("m")
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setSegmentSizeMode(_fit_width())
    bar.setMinimumBarWidth(25 * k)
    bar.setMaximumBarWidth(50 * k)
    bar.setBackgroundEnabled(True)  # the numbers stay readable over the unit grids' lines
    bar.setBackgroundColor(QColor(255, 255, 255, 220))
    bar.attemptMove(QgsLayoutPoint(margin + 2 * k, map_top + map_height - 12 * k, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(bar)
    qr = QgsLayoutItemPicture(layout)
    qr.dataDefinedProperties().setProperty(QgsLayoutItemPicture.PictureSource, QgsProperty.fromField("qr"))
    qr.attemptMove(QgsLayoutPoint(width - margin - 26 * k, margin, QgsUnitTypes.LayoutMillimeters))
    qr.attemptResize(QgsLayoutSize(26 * k, 26 * k, QgsUnitTypes.LayoutMillimeters))
    layout.addLayoutItem(qr)
    y = map_top + map_height + 4 * k
    _label(layout, '[% "facts" %]', margin, y, width - 2 * margin, 7 * k, 10 * k)
    y += 9 * k
    _label(layout, tr("Supervisors"), margin, y, 30 * k, 6 * k, 11 * k, bold=True)
    _label(layout, '[% "supervisors" %]', margin + 30 * k, y + 0.6 * k, width - 2 * margin - 30 * k, 12 * k, 10 * k)
    y += 14 * k
    _label(layout, tr("Community grids and their people"), margin, y, width - 2 * margin, 6 * k, 11 * k, bold=True)
    _label(layout, '[% "roster" %]', margin, y + 7 * k, width - 2 * margin, height - y - 7 * k - margin - 7 * k,
           7.5 * k)
    _label(layout, tr("Printed {0} · scan the code for the grid code · gridmap").format(dt.date.today().isoformat()),
           margin, height - margin - 5 * k, width - 2 * margin, 5 * k, 7 * k, colour="#757575")
    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    atlas.setPageNameExpression('"code"')
    # each page frames its grid with a margin; the atlas's own "auto" mode resized the map item (3.22)
    atlas.featureChanged.connect(lambda feature: _frame(item, feature))
    layout.poster_map = item
    return layout


def _frame(item: QgsLayoutItemMap, feature, margin: float = 0.12) -> None:
    if not feature.hasGeometry() or feature.geometry().isEmpty():  # the atlas ending: nothing to frame
        return
    box = feature.geometry().boundingBox()
    box.grow(max(box.width(), box.height()) * margin)
    size = item.sizeWithUnits()
    ratio = size.width() / size.height()
    if box.width() / box.height() < ratio:  # too tall for the item: widen
        grow = (ratio * box.height() - box.width()) / 2
        box.setXMinimum(box.xMinimum() - grow)
        box.setXMaximum(box.xMaximum() + grow)
    else:
        grow = (box.width() / ratio - box.height()) / 2
        box.setYMinimum(box.yMinimum() - grow)
        box.setYMaximum(box.yMaximum() + grow)
    item.setExtent(box)  # of the item's own shape, so the item keeps its size


def _fit_width():
    """The scale bar's 'fit segment width' mode, under its QGIS 3.22 and 3.40 names."""
    from qgis.core import Qgis, QgsScaleBarSettings  # noqa: PLC0415

    mode = getattr(Qgis, "ScaleBarSegmentSizeMode", None)
    return mode.FitWidth if mode is not None else QgsScaleBarSettings.SegmentSizeFitWidth


class QgsApplicationPaths:
    """QGIS's shipped SVG folder (arrows/, ...)."""

    @staticmethod
    def svg() -> str:
        from qgis.core import QgsApplication  # noqa: PLC0415

        for folder in QgsApplication.svgPaths():
            if (Path(folder) / "arrows").is_dir():
                return folder
        return str(Path(QgsApplication.pkgDataPath()) / "svg")


def make_posters(store, out_dir: Path | str, codes: list[str] | None = None, size: str = "A4",
                 progress=None) -> PosterResult:
    """Write ``notice-boards.pdf`` in ``out_dir``: one page per responsibility grid (``codes``, default all).

    Raises PosterError (or GridmapError for unknown codes) and leaves no partial file.
    """
    if size not in SIZES:
        raise PosterError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    boards = notice_boards(store, codes)
    if not boards:
        raise PosterError(f"{store.path}: no responsibility grid to print")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "notice-boards.pdf"
    project = QgsProject()
    with tempfile.TemporaryDirectory(prefix="gridmap-qr-") as qr_folder:
        coverage = _coverage(boards, store.srid, Path(qr_folder))
        project.addMapLayer(coverage, False)
        project.setCrs(coverage.crs())
        layout = build_layout(project, store, coverage, size)
        project.layoutManager().addLayout(layout)  # the project owns it: deleted with it, in the right order
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = 200
        settings.rasterizeWholeImage = False
        settings.textRenderFormat = getattr(QgsRenderContext, "TextFormatAlwaysText", 1)
        partial = out / ".notice-boards.pdf.part"
        result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(partial), settings)
        if result != QgsLayoutExporter.Success:
            partial.unlink(missing_ok=True)
            raise PosterError(f"QGIS could not write the posters ({result}): {error}")
        partial.replace(target)
        project.clear()
    if progress is not None:
        progress(1.0)
    return PosterResult(target, len(boards))


def print_dialog(session, parent) -> PosterResult | None:
    """The desktop's *Print notice boards...*: choose a folder, write every grid's page, say where."""
    from qgis.PyQt.QtCore import Qt  # noqa: PLC0415
    from qgis.PyQt.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox  # noqa: PLC0415

    from gridmap.gui.messages import translate  # noqa: PLC0415

    if session.store is None:
        return None
    size, ok = QInputDialog.getItem(parent, tr("Print notice boards"), tr("Paper size:"), list(SIZES), 0, False)
    if not ok:
        return None
    folder = QFileDialog.getExistingDirectory(parent, tr("Folder for the notice boards"), str(Path.home()))
    if not folder:
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = make_posters(session.store, folder, size=size)
    except GridmapError as exc:
        QMessageBox.warning(parent, tr("Print notice boards"), translate(str(exc)))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    QMessageBox.information(parent, tr("Print notice boards"),
                            tr("{0} page(s) written to {1}.").format(result.pages, result.path))
    return result
