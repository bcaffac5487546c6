"""Base maps for gridmap (a plugin, docs/plugins.md): XYZ / WMTS-style tile services by URL template — 天地图
(Tianditu) vector and imagery with their labels, a city's own tile server — added under the grid layers.

A template may hold ``{key}``: the key is kept in this user's settings (Plugins > Base maps > Tianditu key...),
never in the store or its exports; ``{x}``, ``{y}``, ``{z}`` are QGIS's XYZ placeholders.
"""

from __future__ import annotations

import json
from urllib.parse import quote

PLUGIN = {"name": "basemaps", "title": "Base maps (XYZ / 天地图)", "version": "1.0",
          "description": "Tile base maps by URL template (天地图 vector and imagery, a city's own tile server), "
                         "added under the grid layers; keys stay in the user's settings."}

TIANDITU = "https://t{s}.tianditu.gov.cn/DataServer?T={layer}&x={{x}}&y={{y}}&l={{z}}&tk={{key}}"
#: the services offered out of the box: name → (template, attribution); the labels go with the map
PRESETS = {
    "天地图 矢量": [TIANDITU.format(s=0, layer="vec_w"), TIANDITU.format(s=1, layer="cva_w")],
    "天地图 影像": [TIANDITU.format(s=0, layer="img_w"), TIANDITU.format(s=1, layer="cia_w")],
}
KEY = "tianditu_key"
SERVICES = "services"  # JSON: [{"name": ..., "templates": [...]}], the user's own


def source(template: str, key: str = "", zmax: int = 18) -> str:
    """The QGIS data source ('wms' provider, type=xyz) of a tile URL template, with the key filled in."""
    url = template.replace("{key}", key)
    return f"type=xyz&url={quote(url, safe=':/?=&{}')}&zmin=0&zmax={zmax}"


def tile_layers(name: str, templates: list[str], key: str = ""):
    """The raster layers of one service, labels (the later templates) above the map."""
    from qgis.core import QgsRasterLayer  # noqa: PLC0415

    layers = []
    for k, template in enumerate(templates):
        layer = QgsRasterLayer(source(template, key), name if k == 0 else f"{name} ({k + 1})", "wms")
        if not layer.isValid():
            raise ValueError(f"QGIS cannot use the tile service {template!r}")
        layers.append(layer)
    return list(reversed(layers))


def services(settings) -> dict[str, list[str]]:
    """The presets and the user's own services, by name."""
    own = {}
    try:
        for entry in json.loads(settings.value(SERVICES, "[]") or "[]"):
            own[entry["name"]] = list(entry["templates"])
    except (ValueError, KeyError, TypeError):
        own = {}
    return {**PRESETS, **own}


def desktop(api) -> None:
    from qgis.PyQt.QtWidgets import QAction, QInputDialog, QLineEdit, QMenu, QMessageBox  # noqa: PLC0415

    parent = api.session.canvas.window()
    menu = QMenu("Base maps / 底图", parent)

    def add(name: str) -> None:
        settings = api.settings()
        templates = services(settings)[name]
        key = settings.value(KEY, "") or ""
        if any("{key}" in t for t in templates) and not key:
            QMessageBox.information(parent, "Base maps", "This service needs a key: Base maps > Tianditu key...")
            return
        try:
            for layer in tile_layers(name, templates, key):
                api.add_layer(layer)
        except ValueError as exc:
            QMessageBox.warning(parent, "Base maps", str(exc))

    def ask_key() -> None:
        settings = api.settings()
        key, ok = QInputDialog.getText(parent, "Tianditu key", "Your Tianditu (天地图) key, kept in your settings:",
                                       QLineEdit.EchoMode.Password, settings.value(KEY, "") or "")
        if ok:
            settings.setValue(KEY, key.strip())

    def add_service() -> None:
        name, ok = QInputDialog.getText(parent, "Add a tile service", "Name:")
        if not ok or not name.strip():
            return
        template, ok = QInputDialog.getText(parent, "Add a tile service",
                                            "URL template with {x} {y} {z} (and {key} if it needs one):")
        if not ok or not all(p in template for p in ("{x}", "{y}", "{z}")):
            return
        settings = api.settings()
        own = json.loads(settings.value(SERVICES, "[]") or "[]")
        own = [e for e in own if e.get("name") != name.strip()] + [{"name": name.strip(), "templates": [template]}]
        settings.setValue(SERVICES, json.dumps(own, ensure_ascii=False))
        rebuild()
        add(name.strip())

    def rebuild() -> None:
        menu.clear()
        for name in services(api.settings()):
            action = QAction(name, menu)
            action.triggered.connect(lambda _checked=False, n=name: add(n))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction("Tianditu key...", ask_key)
        menu.addAction("Add a tile service...", add_service)

    rebuild()
    api.add_action(menu.menuAction())
    api.basemaps = {"add": add, "menu": menu, "rebuild": rebuild}  # for tests and other plugins
