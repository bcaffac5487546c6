"""GCJ-02 ("Mars coordinates") and BD-09, the offsets Chinese phone map SDKs apply to WGS84.

No EPSG transform removes them: GCJ-02 is a published obfuscation formula
(non-linear, 100-700 m), BD-09 a further rotation and shift on top of it. Points
outside China are left as they are, as the SDKs do. Functions take and return
longitude/latitude in degrees, as numpy arrays or floats.
"""

from __future__ import annotations

import numpy as np

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the formula uses
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0


def _outside_china(lon, lat):
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _delta(lon, lat):
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
            + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
            + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
            + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
            + (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
            + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
            + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon, lat):
    """WGS84 → GCJ-02 (the forward formula, exact by definition)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    dlon, dlat = _delta(lon, lat)
    out = _outside_china(lon, lat)
    return np.where(out, lon, lon + dlon), np.where(out, lat, lat + dlat)


def gcj02_to_wgs84(lon, lat, iterations: int = 10):
    """GCJ-02 → WGS84 by fixed-point iteration on the forward formula (to well under a millimetre;
    the one-step inverse many libraries use is off by up to a few metres)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    wlon, wlat = lon.copy(), lat.copy()
    for _ in range(iterations):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        wlon, wlat = wlon - (glon - lon), wlat - (glat - lat)
    out = _outside_china(lon, lat)
    return np.where(out, lon, wlon), np.where(out, lat, wlat)


def gcj02_to_bd09(lon, lat):
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat):
    lon, lat = np.asarray(lon, dtype=float) - 0.0065, np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(lon * lon + lat * lat) - 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) - 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_wgs84(lon, lat):
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon, lat, system: str):
    """Longitude/latitude in ``system`` ('wgs84', 'gcj02' or 'bd09') → WGS84; raises ValueError otherwise."""
    if system == "wgs84":
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if system == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if system == "bd09":
        return bd09_to_wgs84(lon, lat)
    raise ValueError(f"unknown coordinate system {system!r}: use wgs84, gcj02 or bd09")


def to_store(geometry, system: str, srid: int):
    """A shapely geometry in ``system`` → the store's projected CRS ``srid``: 'store' (already in it),
    'wgs84', 'gcj02' or 'bd09' (longitude, latitude; GCJ-02 and BD-09 corrected first) or 'EPSG:n'.

    Raises ValueError for an unknown system or a longitude/latitude out of range.
    """
    import pyproj  # noqa: PLC0415 - only the callers that convert need it
    import shapely  # noqa: PLC0415

    system = system.strip().lower()
    if system == "store":
        return geometry
    if system in ("wgs84", "gcj02", "bd09"):
        coords = shapely.get_coordinates(geometry)
        if not ((np.abs(coords[:, 0]) <= 180).all() and (np.abs(coords[:, 1]) <= 90).all()):
            raise ValueError("longitude/latitude out of range")
        transformer = pyproj.Transformer.from_crs(4326, srid, always_xy=True)

        def convert(xy):
            lon, lat = to_wgs84(xy[:, 0], xy[:, 1], system)
            x, y = transformer.transform(lon, lat)
            return np.column_stack([x, y])

        return shapely.transform(geometry, convert)
    if system.startswith("epsg:") and system[5:].isdigit():
        transformer = pyproj.Transformer.from_crs(int(system[5:]), srid, always_xy=True)
        return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    raise ValueError(f"unknown coordinate system {system!r}: use store, wgs84, gcj02, bd09 or EPSG:<code>")
