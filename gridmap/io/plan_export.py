"""Export a responsibility grid plan: dissolved grids (GeoPackage) and unit grid → grid (CSV)."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import numpy as np
import pyproj
import shapely

from gridmap.domain.cells import formula_safe
from gridmap.domain.errors import GridmapError
from gridmap.domain.plan import Plan
from gridmap.io.files import FileFormatError, Table, write_table


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
    rows = {r.code: r for r in plan.rows()}
    tmp_gpkg = tmp_csv = None
    try:
        fd, tmp_gpkg = tempfile.mkstemp(suffix=".gpkg", dir=out_dir)
        os.close(fd)
        os.remove(tmp_gpkg)
        codes, polygons = [], []
        for grid in plan.members:
            polygon = plan.dissolve(grid)
            if polygon is None:
                continue
            codes.append(grid)
            polygons.append(shapely.MultiPolygon([polygon]) if polygon.geom_type == "Polygon" else polygon)
        grids = [rows[c] for c in codes]
        columns = {
            "code": np.array(codes, dtype=object), "name": np.array([r.name for r in grids], dtype=object),
            "units": np.array([r.units for r in grids], dtype=np.int64),
            "area_m2": np.array([round(r.area_m2, 1) for r in grids], dtype=np.float64),
            "components": np.array([r.components for r in grids], dtype=np.int64),
            "incidents_90d": np.array([r.incidents for r in grids], dtype=np.int64),
            "deviation": np.array([round(r.deviation, 4) for r in grids], dtype=np.float64)}
        # through io/files.py like every other file: one GDAL (pyogrio's) in the process, never two
        plan_table = Table(columns, np.array(polygons, dtype=object), pyproj.CRS.from_epsg(srid))
        write_table(Path(tmp_gpkg), "gpkg", plan_table, layer="responsibility_grid")
        fd, tmp_csv = tempfile.mkstemp(suffix=".csv", dir=out_dir)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            _write_assignment(f, plan.assignment, plan.grid_names)
        os.replace(tmp_gpkg, gpkg)
        os.replace(tmp_csv, table)
    except (OSError, FileFormatError) as exc:
        for path in (tmp_gpkg, tmp_csv):
            if path and os.path.exists(path):
                os.remove(path)
        raise ExportError(f"{out_dir}: could not write the plan: {exc}") from exc
    return gpkg, table


def _write_assignment(f, assignment: dict[str, str], grid_names: dict[str, str]) -> None:
    writer = csv.writer(f)
    writer.writerow(["unit_grid_code", "responsibility_grid_code", "responsibility_grid_name"])
    for unit, grid in sorted(assignment.items()):
        writer.writerow([formula_safe(unit), formula_safe(grid), formula_safe(grid_names.get(grid, ""))])


def write_assignment_csv(assignment: dict[str, str], grid_names: dict[str, str], path: Path | str) -> Path:
    """Write the unit grid → responsibility grid table (the CSV of ``export_plan``) to ``path``, under a
    temporary name renamed when complete; return the path. Raises ExportError."""
    path = Path(path)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(suffix=".csv", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
            _write_assignment(f, assignment, grid_names)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.remove(tmp)
        raise ExportError(f"{path}: could not write the table: {exc}") from exc
    return path
