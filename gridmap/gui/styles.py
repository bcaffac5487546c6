"""Map styles of the store's layers, built in code and saved into the file's layer_styles table.

Scales: "city scale" is anything smaller than 1:STREET_SCALE; at street scale and
closer, components switch from small dots coloured by major class to one icon
per minor class.
"""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRendererCategory,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsSingleSymbolRenderer,
    QgsSvgMarkerSymbolLayer,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from gridmap.gui.palette import GRID_PALETTE, MAJOR_COLOURS, STATUS_COLOURS
from gridmap.paths import RESOURCES_DIR

STREET_SCALE = 6000  # 1:6,000 and closer shows per-class icons and unit grid codes
UNIT_GRID_LABEL_SCALE = 12000
ICON_DIR = RESOURCES_DIR / "icons" / "components"
CJK_FONT = "Noto Sans CJK SC"

#: the expression for an incident's display status: overdue wins over the workflow step
INCIDENT_DISPLAY_STATUS = (
    "CASE WHEN \"status\" IN ('registered', 'dispatched') AND \"deadline\" IS NOT NULL "
    "AND \"deadline\" < format_date(now(), 'yyyy-MM-ddTHH:mm:ss') THEN 'overdue' ELSE \"status\" END"
)


def _text_format(size: float, colour: str = "#202020", bold: bool = False) -> QgsTextFormat:
    fmt = QgsTextFormat()
    font = QFont(CJK_FONT)
    font.setBold(bold)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor(colour))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor(255, 255, 255, 220))
    fmt.setBuffer(buffer)
    return fmt


def _labels(layer: QgsVectorLayer, expression: str, size: float, *, max_scale_denominator: float | None = None,
            bold: bool = False, colour: str = "#202020") -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.setFormat(_text_format(size, colour, bold))
    if max_scale_denominator:
        settings.scaleVisibility = True
        settings.minimumScale = max_scale_denominator  # most zoomed-out scale at which labels show
        settings.maximumScale = 1
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def outline(layer: QgsVectorLayer, colour: str, width: float, dash: bool = False) -> None:
    """An unfilled polygon outline."""
    symbol = QgsFillSymbol.createSimple({
        "style": "no", "outline_color": colour, "outline_width": str(width),
        "outline_style": "dash" if dash else "solid", "joinstyle": "round",
    })
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def style_street(layer: QgsVectorLayer) -> None:
    outline(layer, "#455a64", 0.6, dash=True)
    _labels(layer, '"name"', 10, bold=True, colour="#37474f")


def style_community(layer: QgsVectorLayer) -> None:
    outline(layer, "#78909c", 0.35, dash=True)
    _labels(layer, '"name"', 8, max_scale_denominator=40000, colour="#455a64")


def style_unit_grid(layer: QgsVectorLayer) -> None:
    outline(layer, "#5c6bc0", 0.15)
    _labels(layer, "right(\"code\", 3)", 7, max_scale_denominator=UNIT_GRID_LABEL_SCALE, colour="#3949ab")


#: community grid level → (colour, outline width, most zoomed-out scale shown, label size)
COMMUNITY_GRID_LEVELS = {1: ("#6d4c41", 0.8, 0, 10), 2: ("#8d6e63", 0.5, 60000, 8), 3: ("#a1887f", 0.3, 20000, 7)}


def style_community_grid(layer: QgsVectorLayer) -> None:
    """One layer, three levels: streets always, communities from 1:60,000, small grids from 1:20,000."""
    root = QgsRuleBasedRenderer.Rule(None)
    label_root = QgsRuleBasedLabeling.Rule(None)
    for level, (colour, width, scale, size) in COMMUNITY_GRID_LEVELS.items():
        symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": colour, "outline_width": str(width),
                                             "outline_style": "dash" if level == 3 else "solid"})
        rule = QgsRuleBasedRenderer.Rule(symbol, filterExp=f'"level" = {level}', label=f"level {level}")
        settings = QgsPalLayerSettings()
        settings.fieldName = '"name"'
        settings.isExpression = True
        settings.setFormat(_text_format(size, colour, bold=level == 1))
        label_rule = QgsRuleBasedLabeling.Rule(settings)
        label_rule.setFilterExpression(f'"level" = {level}')
        if scale:
            rule.setMaximumScale(1)
            rule.setMinimumScale(scale)
            label_rule.setMaximumScale(1)
            label_rule.setMinimumScale(scale)
        root.appendChild(rule)
        label_root.appendChild(label_rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))
    layer.setLabeling(QgsRuleBasedLabeling(label_root))
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
    when = " ".join(f"WHEN '{c}' THEN '{supervisors.get(c, '').replace(chr(39), '')}'" for c in codes if c)
    expression = f"\"name\" || '\\n' || CASE \"code\" {when} ELSE '' END" if when else '"name"'
    _labels(layer, expression, 9, bold=True, colour="#263238")


def style_roads(layer: QgsVectorLayer) -> None:
    root = QgsRuleBasedRenderer.Rule(None)
    for kind, colour, width in (("arterial", "#bdbdbd", 1.6), ("local", "#e0e0e0", 0.6), ("river", "#64b5f6", 3.0)):
        rule = QgsRuleBasedRenderer.Rule(QgsLineSymbol.createSimple({"line_color": colour, "line_width": str(width),
                                                                     "capstyle": "round"}),
                                         filterExp=f"\"kind\" = '{kind}'", label=kind)
        root.appendChild(rule)
    layer.setRenderer(QgsRuleBasedRenderer(root))


def _point_symbol(code: str, major: str) -> QgsMarkerSymbol:
    """Dot coloured by major class at city scale, the class icon at street scale."""
    symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": MAJOR_COLOURS.get(major, "#607d8b"),
                                           "outline_style": "no", "size": "1.1"})
    symbol.symbolLayer(0).setDataDefinedProperty(QgsSymbolLayer.PropertyLayerEnabled,
                                                 QgsProperty.fromExpression(f"@map_scale > {STREET_SCALE}"))
    icon = ICON_DIR / f"{code}.svg"
    if icon.exists():
        svg = QgsSvgMarkerSymbolLayer(str(icon), 6.0)
        svg.setDataDefinedProperty(QgsSymbolLayer.PropertyLayerEnabled,
                                   QgsProperty.fromExpression(f"@map_scale <= {STREET_SCALE}"))
        symbol.appendSymbolLayer(svg)
    return symbol


def style_components(layer: QgsVectorLayer, classes: list[tuple[str, str, str]], geometry: str) -> None:
    """Categorise by class: ``classes`` are (code, major code, name) of this geometry type."""
    categories = []
    for code, major, name in classes:
        colour = MAJOR_COLOURS.get(major, "#607d8b")
        if geometry == "point":
            symbol = _point_symbol(code, major)
        elif geometry == "line":
            symbol = QgsLineSymbol.createSimple({"line_color": colour, "line_width": "0.5", "line_style":
                                                 "dash" if code in ("0408", "0604") else "solid"})
        else:
            fill = QColor(colour)
            fill.setAlpha(120)
            symbol = QgsFillSymbol.createSimple({"color": fill.name(QColor.NameFormat.HexArgb), "outline_color": colour,
                                                 "outline_width": "0.3"})
        categories.append(QgsRendererCategory(code, symbol, f"{code} {name}"))
    layer.setRenderer(QgsCategorizedSymbolRenderer("class_code", categories))


def style_incidents(layer: QgsVectorLayer) -> None:
    """Coloured by display status (overdue first); a ring so components under it stay visible."""
    categories = []
    for status in ("reported", "registered", "dispatched", "overdue", "on_hold", "handled", "checked", "closed",
                   "rejected"):
        colour = STATUS_COLOURS[status]
        symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "outline_color": "#ffffff",
                                               "outline_width": "0.4", "size": "3.2"})
        categories.append(QgsRendererCategory(status, symbol, status))
    renderer = QgsCategorizedSymbolRenderer(INCIDENT_DISPLAY_STATUS, categories)
    layer.setRenderer(renderer)

