"""Export a responsibility grid plan: dissolved grids (GeoPackage) and unit grid → grid (CSV)."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import fiona
import pyproj
import shapely
import shapely.geometry
from fiona.crs import CRS

from gridmap.domain.cells import formula_safe
from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import Plan


class ExportError(GridmapError):
    """A file could not be written; nothing partial is left behind."""


def export_plan(plan: Plan, srid: int, out_dir: Path | str, stem: str = "responsibility_plan") -> tuple[Path, Path]:
    """Write ``<stem>.gpkg`` (one feature per responsibility grid with its totals) and ``<stem>.csv``
    (unit grid code, responsibility grid code, name) into ``out_dir``; return both paths.

    Files are written under temporary names and renamed when complete. Raises ExportError.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot create the folder: {exc}") from exc
    gpkg, table = out_dir / f"{stem}.gpkg", out_dir / f"{stem}.csv"
    schema = {"geometry": "MultiPolygon", "properties": {
        "code": "str:20", "name": "str:80", "units": "int", "area_m2": "float", "components": "int",
        "incidents_90d": "int", "deviation": "float"}}
    rows = {r.code: r for r in plan.rows()}
    tmp_gpkg = tmp_csv = None
    try:
        fd, tmp_gpkg = tempfile.mkstemp(suffix=".gpkg", dir=out_dir)
        os.close(fd)
        os.remove(tmp_gpkg)
        crs = CRS.from_wkt(pyproj.CRS.from_epsg(srid).to_wkt())
        with fiona.open(tmp_gpkg, "w", driver="GPKG", schema=schema, crs=crs, layer="responsibility_grid") as sink:
            records = []
            for grid in plan.members:
                polygon = plan.dissolve(grid)
                if polygon is None:
                    continue
                if polygon.geom_type == "Polygon":
                    polygon = shapely.MultiPolygon([polygon])
                r = rows[grid]
                records.append({"geometry": shapely.geometry.mapping(polygon), "properties": {
                    "code": grid, "name": r.name, "units": r.units, "area_m2": round(r.area_m2, 1),
                    "components": r.components, "incidents_90d": r.incidents, "deviation": round(r.deviation, 4)}})
            sink.writerecords(records)
        fd, tmp_csv = tempfile.mkstemp(suffix=".csv", dir=out_dir)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["unit_grid_code", "responsibility_grid_code", "responsibility_grid_name"])
            for unit, grid in sorted(plan.assignment.items()):
                writer.writerow([formula_safe(unit), formula_safe(grid), formula_safe(plan.grid_names.get(grid, ""))])
        os.replace(tmp_gpkg, gpkg)
        os.replace(tmp_csv, table)
    except (OSError, fiona.errors.FionaError) as exc:
        for path in (tmp_gpkg, tmp_csv):
            if path and os.path.exists(path):
                os.remove(path)
        raise ExportError(f"{out_dir}: could not write the plan: {exc}") from exc
    return gpkg, table
