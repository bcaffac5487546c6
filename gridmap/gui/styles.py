"""Map styles of the store's layers, built in code and saved into the file's layer_styles table.

Scales: components are drawn from 1:COMPONENT_SCALE in, as small dots coloured by
major class, from 1:ICON_SCALE in as one icon per minor class, and from 1:SPREAD_SCALE in
spread out where they overlap; "street scale" (1:STREET_SCALE) adds unit grid codes. Beyond
1:CITY_SCALE the map shows a city of several districts: open cases as a density, no unit grids,
small grids or local streets.
"""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsHeatmapRenderer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointDisplacementRenderer,
    QgsProperty,
    QgsRendererCategory,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsSvgMarkerSymbolLayer,
    QgsSymbolLayer,
    QgsTextBackgroundSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QCoreApplication, QSizeF
from qgis.PyQt.QtGui import QColor, QFont

from gridmap.gui.palette import GRID_PALETTE, MAJOR_COLOURS, STATUS_COLOURS
from gridmap.paths import RESOURCES_DIR


def tr(text: str) -> str:
    return QCoreApplication.translate("MapStyles", text)


STREET_SCALE = 6000  # 1:6,000 and closer is street scale: unit grid codes, search results
#: per-class icons from 1:2,500 in: at 1:5,000 the 6 mm icons of a city centre covered the whole map
ICON_SCALE = 2500
#: icons that overlap are spread on rings from 1:1,000 in: QGIS's point displacement renderer costs 75 ms
#: for the 1,600 points of a 1:2,000 street view (icons alone 12 ms), and at 1:1,000 and closer a quarter
SPREAD_SCALE = 1000
UNIT_GRID_LABEL_SCALE = 6000  # from 1:12,000 their numbers pushed every grid name off the map
#: components are drawn from this scale in: further out their 100,000 dots buried the grid fills
COMPONENT_SCALE = 15000
#: further out than 1:40,000 a screen holds several districts (one district's full extent on a 1920 px screen
#: is about 1:18,000): their tens of thousands of unit grid outlines, small grids and local streets are a grey
#: texture that cost most of the render, and open cases are drawn as a density (issue 17)
CITY_SCALE = 40000
#: responsibility grid names are drawn even where they collide from this scale in (at a full-extent view
#: of a 1920 px screen, about 1:26,000); further out, on a small map, colliding ones give way
ALWAYS_NAMED_SCALE = 40000
#: label priorities (0..10): when labels collide, who wins. The grid name and its supervisors come first.
PRIORITY = {"responsibility_grid": 10, "street": 6, "community": 4, "unit_grid": 1}
#: a unit grid's label: street, community and sequence parts of its code ("003-012-004"): the last three
#: digits alone repeat in every community of a view
UNIT_GRID_LABEL = "substr(\"code\", 7, 3) || '-' || substr(\"code\", 10, 3) || '-' || right(\"code\", 3)"
ICON_DIR = RESOURCES_DIR / "icons" / "components"
CJK_FONT = "Noto Sans CJK SC"

#: the expression for an incident's display status: overdue wins over the workflow step
INCIDENT_DISPLAY_STATUS = (
    "CASE WHEN \"status\" IN ('registered', 'dispatched') AND \"deadline\" IS NOT NULL "
    "AND \"deadline\" < format_date(now(), 'yyyy-MM-ddTHH:mm:ss') THEN 'overdue' ELSE \"status\" END"
)


def _text_format(size: float, colour: str = "#202020", bold: bool = False) -> QgsTextFormat:
    """Labels on a translucent white box. A halo (text buffer) around Chinese glyphs costs three
    times as much to draw: it strokes every glyph outline (94 ms vs 30 ms for 42 grid names)."""
    fmt = QgsTextFormat()
    font = QFont(CJK_FONT)
    font.setBold(bold)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    box = QgsTextBackgroundSettings()
    box.setEnabled(True)
    box.setType(QgsTextBackgroundSettings.ShapeRectangle)
    box.setSizeType(QgsTextBackgroundSettings.SizeBuffer)
    box.setSize(QSizeF(0.6, 0.25))
    box.setFillColor(QColor(255, 255, 255, 190))
    box.setStrokeWidth(0)
    fmt.setBackground(box)
    return fmt


def _label_settings(expression: str, size: float, colour: str, bold: bool = False) -> QgsPalLayerSettings:
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.setFormat(_text_format(size, colour, bold))
    # one label over the polygon's centre: the cheapest placement, and what a grid map wants
    settings.placement = QgsPalLayerSettings.OverPoint
    # the centre of the whole polygon: no clipping of big polygons to the view for every label
    settings.centroidWhole = True
    # grid polygons cover the whole map: as obstacles they would be tested against every candidate
    settings.obstacleSettings().setIsObstacle(False)
    return settings


def _labels(layer: QgsVectorLayer, expression: str, size: float, *, max_scale_denominator: float | None = None,
            bold: bool = False, colour: str = "#202020", priority: int = 5) -> QgsPalLayerSettings:
    settings = _label_settings(expression, size, colour, bold)
    settings.priority = priority
    if max_scale_denominator:
        settings.scaleVisibility = True
        settings.minimumScale = max_scale_denominator  # most zoomed-out scale at which labels show
        settings.maximumScale = 1
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    return settings


def outline(layer: QgsVectorLayer, colour: str, width: float, dash: bool = False) -> None:
    """An unfilled polygon outline."""
    symbol = QgsFillSymbol.createSimple({
        "style": "no", "outline_color": colour, "outline_width": str(width),
        "outline_style": "dash" if dash else "solid", "joinstyle": "round",
    })
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def style_edited_unit_grids(layer: QgsVectorLayer) -> None:
    """The grid editor's draft boundary edits: a pale fill hides the stored edges beneath."""
    symbol = QgsFillSymbol.createSimple({
        "color": "255,255,255,170", "outline_color": "#d81b60", "outline_width": "0.6", "joinstyle": "round",
    })
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    _labels(layer, '"code"', 7, max_scale_denominator=UNIT_GRID_LABEL_SCALE, colour="#ad1457")


def style_street(layer: QgsVectorLayer) -> None:
    outline(layer, "#455a64", 0.6, dash=True)
    _labels(layer, '"name"', 10, bold=True, colour="#37474f", priority=PRIORITY["street"])


def style_community(layer: QgsVectorLayer) -> None:
    """Boundaries only: the community grid layer carries the names. From 1:CITY_SCALE in: beyond it a city's
    800 dashed outlines, every few millimetres, took a quarter of the full extent's render."""
    outline(layer, "#78909c", 0.35, dash=True)
    up_to_city_scale(layer)


def up_to_city_scale(layer: QgsVectorLayer) -> None:
    """Draw ``layer`` from 1:CITY_SCALE in only."""
    layer.setScaleBasedVisibility(True)
    layer.setMinimumScale(CITY_SCALE)  # the most zoomed-out scale it is drawn at
    layer.setMaximumScale(0)


def style_unit_grid(layer: QgsVectorLayer) -> None:
    outline(layer, "#5c6bc0", 0.15)
    up_to_city_scale(layer)
    _labels(layer, UNIT_GRID_LABEL, 7, max_scale_denominator=UNIT_GRID_LABEL_SCALE, colour="#3949ab",
            priority=PRIORITY["unit_grid"])


#: community grid level → (colour, outline width, most zoomed-out scale shown, label size)
COMMUNITY_GRID_LEVELS = {1: ("#6d4c41", 0.8, 0, 10), 2: ("#8d6e63", 0.5, 60000, 8), 3: ("#a1887f", 0.3, 10000, 7)}
#: (most zoomed-out, most zoomed-in) scale at which each level's names are drawn; None = never.
#: Street names come from the street layer; small-grid names already say their community.
COMMUNITY_GRID_LABEL_SCALES = {1: None, 2: (25000, 5000), 3: (5000, 1)}


def style_community_grid(layer: QgsVectorLayer) -> None:
    """One layer, three levels: streets always, communities from 1:60,000, small grids from 1:20,000."""
    root = QgsRuleBasedRenderer.Rule(None)
    label_root = QgsRuleBasedLabeling.Rule(None)
    for level, (colour, width, scale, size) in COMMUNITY_GRID_LEVELS.items():
        symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": colour, "outline_width": str(width),
                                             "outline_style": "dash" if level == 3 else "solid"})
        names = {1: tr("Streets and towns"), 2: tr("Communities"), 3: tr("Small grids")}
        rule = QgsRuleBasedRenderer.Rule(symbol, filterExp=f'"level" = {level}', label=names[level])
        if scale:
            rule.setMaximumScale(1)
            rule.setMinimumScale(scale)
        root.appendChild(rule)
        label_scales = COMMUNITY_GRID_LABEL_SCALES[level]
        if label_scales is None:
            continue
        settings = _label_settings('"name"', size, colour, bold=level == 1)
        settings.priority = PRIORITY["community"]
        label_rule = QgsRuleBasedLabeling.Rule(settings)
        label_rule.setFilterExpression(f'"level" = {level}')
        label_rule.setMinimumScale(label_scales[0])
        label_rule.setMaximumScale(label_scales[1])
        label_root.appendChild(label_rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))
    layer.setLabeling(QgsRuleBasedLabeling(label_root))
    up_to_city_scale(layer)  # beyond it the street and community layers draw the same outlines
    layer.setLabelsEnabled(True)


def style_responsibility_grid(layer: QgsVectorLayer, codes: list[str], supervisors: dict[str, str]) -> None:
    """Distinct translucent fill per grid; label = name and supervisor(s)."""
    categories = []
    for k, code in enumerate(codes):
        colour = QColor(GRID_PALETTE[k % len(GRID_PALETTE)])
        colour.setAlpha(110)
        symbol = QgsFillSymbol.createSimple({"color": colour.name(QColor.NameFormat.HexArgb),
                                             "outline_color": "#263238", "outline_width": "0.6"})
        categories.append(QgsRendererCategory(code, symbol, code))
    renderer = QgsCategorizedSymbolRenderer("code", categories)
    layer.setRenderer(renderer)
    pairs = ", ".join(f"'{_quote(c)}', '{_quote(supervisors[c])}'" for c in codes if c in supervisors)
    expression = f"\"name\" || '\\n' || coalesce(map_get(map({pairs}), \"code\"), '')" if pairs else '"name"'
    settings = _labels(layer, expression, 9, bold=True, colour="#263238", priority=PRIORITY["responsibility_grid"])
    # the label sits in the part of the grid in view (zoomed in, the whole grid's centre is off the map);
    # 42 polygons are cheap to clip
    settings.centroidWhole = False
    settings.fitInPolygonOnly = False
    # every grid's name and supervisors at every scale: QGIS drops colliding labels, and at full extent
    # it dropped 22 of 42 of these (they are the map's main message, so they may overlap a little)
    settings.dataDefinedProperties().setProperty(QgsPalLayerSettings.AlwaysShow,
                                                 QgsProperty.fromExpression(f"@map_scale <= {ALWAYS_NAMED_SCALE}"))
    # smaller at city scale, where 42 two-line labels share the screen
    settings.dataDefinedProperties().setProperty(
        QgsPalLayerSettings.Size, QgsProperty.fromExpression("CASE WHEN @map_scale > 20000 THEN 7.5 ELSE 9 END"))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))


def _quote(text: str) -> str:
    """Text inside a QGIS expression string literal."""
    return text.replace("\\", "\\\\").replace("'", "''")


def style_roads(layer: QgsVectorLayer) -> None:
    """Carriageways drawn to their width in metres, so streets read as streets at any scale."""
    root = QgsRuleBasedRenderer.Rule(None)
    for kind, colour, metres in (("river", "#90caf9", 30), ("arterial", "#e6e1d6", 22), ("local", "#ece8df", 9)):
        symbol = QgsLineSymbol.createSimple({"line_color": colour, "line_width": str(metres),
                                             "line_width_unit": "MapUnit", "capstyle": "flat",
                                             "joinstyle": "round"})
        label = {"river": tr("River"), "arterial": tr("Arterial road"), "local": tr("Local street")}[kind]
        rule = QgsRuleBasedRenderer.Rule(symbol, filterExp=f"\"kind\" = '{kind}'", label=label)
        if kind == "local":  # from 1:CITY_SCALE in
            rule.setMaximumScale(1)
            rule.setMinimumScale(CITY_SCALE)
        root.appendChild(rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))


def _dot(code: str, major: str) -> QgsMarkerSymbol:  # same signature as _icon; code unused
    return QgsMarkerSymbol.createSimple({"name": "circle", "color": MAJOR_COLOURS.get(major, "#607d8b"),
                                         "outline_style": "no", "size": "0.7"})


def _icon(code: str, major: str) -> QgsMarkerSymbol:
    icon = ICON_DIR / f"{code}.svg"
    if not icon.exists():
        return _dot(code, major)
    symbol = QgsMarkerSymbol()
    symbol.changeSymbolLayer(0, QgsSvgMarkerSymbolLayer(str(icon), 6.0))
    return symbol


def _dot_or_icon(code: str, major: str) -> QgsMarkerSymbol:
    """Both in one symbol, switched per feature by @map_scale: right in any QGIS, but slower."""
    symbol = _dot(code, major)
    symbol.symbolLayer(0).setDataDefinedProperty(QgsSymbolLayer.PropertyLayerEnabled,
                                                 QgsProperty.fromExpression(f"@map_scale > {ICON_SCALE}"))
    icon = ICON_DIR / f"{code}.svg"
    if icon.exists():
        svg = QgsSvgMarkerSymbolLayer(str(icon), 6.0)
        svg.setDataDefinedProperty(QgsSymbolLayer.PropertyLayerEnabled,
                                   QgsProperty.fromExpression(f"@map_scale <= {ICON_SCALE}"))
        symbol.appendSymbolLayer(svg)
    return symbol


def component_renderer(classes: list[tuple[str, str, str]], geometry: str, mode: str = "portable"):
    """The categorised renderer of a component layer.

    ``classes`` are (code, major code, name). For points, ``mode`` picks the
    symbols: "city" (dots by major class), "street" and "close" (an icon per class;
    the caller spreads the close ones, ``displaced``), or "portable" (dots and icons,
    switched by scale per feature; saved for plain QGIS).
    The app swaps "city"/"street" as the scale crosses ICON_SCALE (see
    scale_switch.py): twice as fast as evaluating the scale for every feature.
    """
    categories = []
    for code, major, name in classes:
        colour = MAJOR_COLOURS.get(major, "#607d8b")
        if geometry == "point":
            symbol = {"city": _dot, "street": _icon, "close": _icon, "portable": _dot_or_icon}[mode](code, major)
        elif geometry == "line":
            symbol = QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.5", "line_style":
                                                 "dash" if code in ("0408", "0604") else "solid"})
        else:
            fill = QColor(colour)
            fill.setAlpha(120)
            symbol = QgsFillSymbol.createSimple({"color": fill.name(QColor.NameFormat.HexArgb), "outline_color": colour,
                                                 "outline_width": "0.3"})
        categories.append(QgsRendererCategory(code, symbol, f"{code} {name}"))
    return QgsCategorizedSymbolRenderer("class_code", categories)


def displaced(renderer):
    """Icons that would overlap at street scale are spread on a ring round their place (QGIS's point
    displacement renderer), so each stays readable and clickable."""
    wrapper = QgsPointDisplacementRenderer()
    wrapper.setEmbeddedRenderer(renderer)
    wrapper.setTolerance(4.0)
    wrapper.setToleranceUnit(QgsUnitTypes.RenderMillimeters)
    wrapper.setPlacement(QgsPointDisplacementRenderer.ConcentricRings)
    wrapper.setCircleRadiusAddition(0.5)
    wrapper.setCircleColor(QColor(96, 125, 139, 160))
    wrapper.setCenterSymbol(QgsMarkerSymbol.createSimple({"name": "circle", "color": "#607d8b", "size": "1.2",
                                                          "outline_style": "no"}))
    return wrapper


def status_label(status: str) -> str:
    """The translated name of an incident status (or 'overdue')."""
    return {
        "reported": tr("New report"), "registered": tr("Registered"), "dispatched": tr("Dispatched"),
        "overdue": tr("Overdue"), "on_hold": tr("On hold"), "handled": tr("Handled"), "checked": tr("Checked"),
        "closed": tr("Closed"), "rejected": tr("Rejected"),
    }.get(status, status)


def style_incidents(layer: QgsVectorLayer) -> None:
    """Coloured by display status (overdue first); a white ring so components under it stay visible."""
    categories = []
    for status in ("reported", "registered", "dispatched", "overdue", "on_hold", "handled", "checked", "closed",
                   "rejected"):
        colour = STATUS_COLOURS[status]
        symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "outline_color": "#ffffff",
                                               "outline_width": "0.4", "size": "3.2"})
        categories.append(QgsRendererCategory(status, symbol, status_label(status)))
    renderer = QgsCategorizedSymbolRenderer(INCIDENT_DISPLAY_STATUS, categories)
    layer.setRenderer(renderer)


def style_incident_density(layer: QgsVectorLayer) -> None:
    """Open cases at city scale: a density (QGIS's heatmap renderer) instead of tens of thousands of dots."""
    renderer = QgsHeatmapRenderer()
    renderer.setRadius(4)
    renderer.setRadiusUnit(QgsUnitTypes.RenderMillimeters)
    renderer.setColorRamp(QgsGradientColorRamp(QColor(255, 255, 178, 0), QColor("#b71c1c"), False,
                                               [QgsGradientStop(0.2, QColor(254, 204, 92, 140)),
                                                QgsGradientStop(0.55, QColor(244, 109, 67, 200))]))
    layer.setRenderer(renderer)



def colour_by_label(layer: QgsVectorLayer, labels: dict[str, str]) -> None:
    """Fill each feature by a label looked up from its code (e.g. the unit that handles a class there)."""
    pairs = ", ".join(f"'{_quote(code)}', '{_quote(label)}'" for code, label in sorted(labels.items()))
    expression = f"map_get(map({pairs}), \"code\")" if pairs else "''"
    categories = []
    for k, label in enumerate(sorted(set(labels.values()))):
        colour = QColor(GRID_PALETTE[k % len(GRID_PALETTE)])
        colour.setAlpha(140)
        symbol = QgsFillSymbol.createSimple({"color": colour.name(QColor.NameFormat.HexArgb),
                                             "outline_color": "#263238", "outline_width": "0.6"})
        categories.append(QgsRendererCategory(label, symbol, label))
    layer.setRenderer(QgsCategorizedSymbolRenderer(expression, categories))
