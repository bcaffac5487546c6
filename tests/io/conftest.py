"""Helpers that build the files other bureaus send, in the tests themselves (pyogrio, struct, csv)."""

from __future__ import annotations

import numpy as np
import pyogrio.raw
import pyproj
import pytest
import shapely

from gridmap.store import open_store


@pytest.fixture
def store(small_demo):
    with open_store(small_demo) as s:
        yield s


def sample_points(store, count: int = 3, offset: int = 0):
    """(code, class_code, x, y) of real point components of the store."""
    return store.conn.execute("SELECT code, class_code, X(geom), Y(geom) FROM component_point ORDER BY code "
                              "LIMIT ? OFFSET ?", (count, offset)).fetchall()


def write_shapefile(path, geoms, fields: dict, *, encoding="UTF-8", epsg=4546, geometry_type=None, cpg=True):
    """A shapefile written by GDAL; ``cpg=False`` removes the .cpg GDAL writes (as old ArcGIS files lack one)."""
    names = list(fields)
    arrays = [np.array(v, dtype=object) if not isinstance(v, np.ndarray) else v for v in fields.values()]
    geoms = np.asarray(geoms, dtype=object)
    if geometry_type is None:
        geometry_type = geoms[0].geom_type + (" Z" if shapely.has_z(geoms[0]) else "")
    pyogrio.raw.write(str(path), shapely.to_wkb(geoms, output_dimension=3 if "Z" in geometry_type else 2),
                      arrays, names, geometry_type=geometry_type, crs=pyproj.CRS.from_epsg(epsg).to_wkt()
                      if epsg else None, driver="ESRI Shapefile", encoding=encoding)
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    return path


def native_fields(rows, **extra):
    """The native profile's code and class_code fields for ``rows`` of sample_points, plus ``extra``."""
    fields = {"code": [r[0] for r in rows], "class_code": [r[1] for r in rows]}
    fields.update(extra)
    return fields


def write_csv(path, header, rows, encoding="utf-8"):
    import csv

    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def count(store, table="component_point", where="1", params=()):
    return store.conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
