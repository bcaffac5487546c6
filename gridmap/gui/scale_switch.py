"""Swaps renderers as the canvas scale crosses a threshold: the point components between dots (city
scale), per-class icons (street scale) and icons spread out where they overlap (close up); the open
cases between dots and a density beyond 1:CITY_SCALE (a city of several districts on one screen).

Evaluating the scale for every one of 100,000 features doubles the render time
(583 ms vs 271 ms at full extent); swapping the renderer when the canvas crosses
a threshold costs nothing between crossings.
"""

from __future__ import annotations

from gridmap.gui import styles


class ScaleSwitch:
    """Keeps the point component and incident layers' renderers in step with the canvas scale."""

    def __init__(self, canvas, store_layers):
        self._canvas = canvas
        self._store_layers = store_layers
        self.mode: str | None = None  # of the point components
        self.incident_mode: str | None = None
        canvas.scaleChanged.connect(self.update)

    def mode_for(self, scale: float) -> str:
        if scale <= styles.SPREAD_SCALE:
            return "close"
        return "street" if scale <= styles.ICON_SCALE else "city"

    def incident_mode_for(self, scale: float) -> str:
        return "density" if scale > styles.CITY_SCALE else "points"

    def update(self, scale: float | None = None) -> None:
        scale = self._canvas.scale() if scale is None else scale
        layer = self._store_layers.layers.get("component_point")
        mode = self.mode_for(scale)
        if layer is not None and mode != self.mode:
            self.mode = mode
            self._store_layers.apply_style("component_point", layer, point_mode=mode)
            layer.triggerRepaint()
        layer = self._store_layers.layers.get("incident")
        mode = self.incident_mode_for(scale)
        if layer is not None and mode != self.incident_mode:
            self.incident_mode = mode
            if mode == "density":
                styles.style_incident_density(layer)
            else:
                self._store_layers.apply_style("incident", layer)
            layer.triggerRepaint()

    def detach(self) -> None:
        self._canvas.scaleChanged.disconnect(self.update)
