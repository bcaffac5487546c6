"""What every import shares: options, the report, the coordinate system and the geometry checks.

Geometry rule: every row becomes the 2-D type the store holds or is listed with its row number.
Z/M values are dropped with a notice (files.py); a multi-part geometry of one part is unwrapped, of
several parts listed (or, with ``explode``, split into one row per part); empty, NaN and invalid
geometries are listed; an invalid one is repaired only when the repair keeps all of its area or
length, or when ``lossy_repair`` allows keeping the largest part.

CRS rule: the file's CRS (``--crs`` wins over the .prj); a datum other than WGS 84 and CGCS2000
(which agree to a few centimetres) needs an exact transformation: a Bound CRS (``+towgs84``/TOWGS84)
is taken through WGS 84 with its parameters; without them (Xian 1980, Beijing 1954 ...) PROJ has
only a "ballpark" offset with metres of error, and the file is refused with the way out.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyproj
import pyproj.exceptions
import shapely

from gridmap.domain.coords import gcj02_to_wgs84
from gridmap.domain.errors import GridmapError

_EQUIVALENT_DATUMS = ("World Geodetic System 1984", "China 2000", "China Geodetic Coordinate System 2000")
#: shapely type ids of (Multi)Point, (Multi)LineString, (Multi)Polygon
_TYPE_NAMES = {0: "point", 1: "line", 3: "polygon", 4: "point", 5: "line", 6: "polygon"}
_FULL_AREA = 0.999  # a repair keeping less than this share of the area (or length) loses data


class ImportError_(GridmapError):
    """The file cannot be imported as asked (no CRS, unknown profile, bad mapping...)."""


@dataclass
class ImportOptions:
    layer: str = "components"  # components | unit_grid
    encoding: str | None = None  # always wins over .cpg and detection
    crs: int | str | None = None  # EPSG code or a PROJ/WKT definition; wins over the file's own
    gcj02: bool = False  # the file's lon/lat are GCJ-02: correct them to WGS84 first
    profile: str | None = None  # legacy | gbt47678 | native; None = recognise it from the fields
    mapping: dict[str, str] | None = None  # store column -> file field
    repair: bool = True  # repair invalid geometries when nothing is lost (else reject them)
    source_layer: str | None = None  # the layer or file to read in a multi-layer file or zip
    x: str | None = None  # CSV coordinate columns (default: recognised by name)
    y: str | None = None
    explode: bool = False  # split multi-part geometries into one component per part
    lossy_repair: bool = False  # allow a repair that keeps only the largest part


@dataclass
class ImportReport:
    path: Path
    rows: int = 0
    encoding: str | None = None
    crs: str | None = None
    profile: str | None = None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    repaired: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    labels: list[str] | None = None  # row label per row number - 1 (several files read as one)
    written: bool = False

    def where(self, row: int | None) -> str:
        """Where row number ``row`` (1-based; None = the whole file) came from, for a message."""
        if row is None:
            return "file"
        return self.labels[row - 1] if self.labels and 0 < row <= len(self.labels) else f"row {row}"

    def lines(self, limit: int | None = 200) -> list[str]:
        """The report as text: notices, repairs and errors (at most ``limit`` of each, None for all)."""
        def head(items):
            return items if limit is None else items[:limit]

        out = [f"{self.path}: {self.rows} row(s), encoding {self.encoding or '-'}, CRS {self.crs or '-'}, "
               f"profile {self.profile or '-'}"]
        out += [f"  notice: {text}" for text in head(self.notices)]
        out += [f"  {self.where(row)}: repaired: {text}" for row, text in head(self.repaired)]
        out += [f"  {self.where(row)}: {text}" for row, text in head(self.errors)]
        left = sum(max(0, len(items) - limit) for items in (self.notices, self.repaired, self.errors)) if limit else 0
        if left:
            out.append(f"  ... {left} more line(s) (--all lists every one)")
        if self.errors and not self.written:
            out.append(f"nothing written: {len(self.errors)} error(s)")
        else:
            verb = "wrote" if self.written else "would write"
            out.append(f"{verb} {self.inserted} new, {self.updated} updated, {self.unchanged} unchanged")
        return out


def file_crs(table, options: ImportOptions, path: Path) -> pyproj.CRS:
    """The CRS the file's coordinates are in: ``--crs``, else the file's; raises ImportError_."""
    if options.crs is not None:
        try:
            return pyproj.CRS.from_user_input(options.crs)
        except pyproj.exceptions.CRSError as exc:
            raise ImportError_(f"--crs {options.crs!r} is not a coordinate system: {exc}") from exc
    if table.crs_error:
        raise ImportError_(table.crs_error)
    if table.crs is None:
        raise ImportError_(f"{path}: the file says nothing of its coordinate system (no .prj): pass --crs EPSG:N")
    return table.crs


def _datum_name(crs: pyproj.CRS) -> str:
    datum = crs.datum or (crs.geodetic_crs.datum if crs.geodetic_crs else None)
    return datum.name if datum else "unknown"


def _proj_string(crs: pyproj.CRS) -> str:
    """The CRS as a PROJ string without the parts PROJ adds for itself (+no_defs, +type=crs)."""
    with warnings.catch_warnings():  # "you may lose information": we only show it
        warnings.simplefilter("ignore", UserWarning)
        text = crs.to_proj4() or ""
    return " ".join(p for p in text.split() if p not in ("+no_defs", "+type=crs"))


def describe_crs(crs: pyproj.CRS) -> str:
    """A name a user recognises: 'EPSG:N name' for a CRS with a name, else its PROJ string (a CRS
    given as a PROJ string is called 'unknown' by PROJ, and matching it to an EPSG code is a guess)."""
    if crs.name and crs.name.lower() != "unknown":
        epsg = crs.to_epsg(min_confidence=100)
        return f"EPSG:{epsg} {crs.name}" if epsg else crs.name
    return _proj_string(crs) or crs.to_wkt()


def datum_hint(crs: pyproj.CRS) -> str:
    """The file's own CRS as a PROJ string (projection parameters and ellipsoid as they are) with a
    +towgs84 placeholder, the one part the user must fill in from the survey bureau's parameters."""
    parts = [p for p in _proj_string(crs).split() if not p.startswith("+towgs84=")]
    if not parts:
        return "+proj=... +towgs84=dx,dy,dz,rx,ry,rz,ds"
    at = next((k for k, p in enumerate(parts) if p.startswith("+units=")), len(parts))
    parts.insert(at, "+towgs84=dx,dy,dz,rx,ry,rz,ds")
    return " ".join(parts)


def _equivalent(crs: pyproj.CRS) -> bool:
    return _datum_name(crs).startswith(_EQUIVALENT_DATUMS)


def to_store(crs: pyproj.CRS, srid: int, path: Path):
    """A function (x, y) → (x, y) in the store's CRS, or None when ``crs`` is the store's. Raises
    ImportError_ when only a ballpark datum offset exists (see the module rules)."""
    target = pyproj.CRS.from_epsg(srid)
    if crs.equals(target, ignore_axis_order=True):
        return None
    if crs.type_name == "Bound CRS":
        first = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
        second = pyproj.Transformer.from_crs(4326, target, always_xy=True)
        return lambda x, y: second.transform(*first.transform(x, y))
    transformer = pyproj.Transformer.from_crs(crs, target, always_xy=True)
    if "ballpark" in transformer.description.lower() and not (_equivalent(crs) and _equivalent(target)):
        raise ImportError_(
            f"{path}: the file is in {describe_crs(crs)} (datum {_datum_name(crs)}); PROJ knows no exact "
            f"transformation from it to the store's {target.name}, only a ballpark offset with errors of metres. "
            f"Pass --crs with the datum parameters: the file's own CRS is --crs \"{datum_hint(crs)}\" with "
            "dx..ds from your survey bureau's published parameters (or a WKT with TOWGS84)")
    return transformer.transform


def project(store_srid: int, table, options: ImportOptions, report: ImportReport) -> np.ndarray:
    """The file's geometries in the store's CRS (GCJ-02 corrected first when asked). Raises ImportError_."""
    crs = file_crs(table, options, report.path)
    report.crs = describe_crs(crs)
    geoms = np.asarray(table.geometries, dtype=object)
    if options.gcj02:
        if not crs.is_geographic:
            raise ImportError_(f"{report.path}: GCJ-02 correction needs longitude/latitude, but the file is in "
                               f"{crs.name}")

        def degcj(xy):
            lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
            return np.column_stack([lon, lat])
        geoms = shapely.transform(geoms, degcj)
        crs = pyproj.CRS.from_epsg(4326)
    transform = to_store(crs, store_srid, report.path)
    if transform is not None:
        geoms = shapely.transform(geoms, lambda xy: np.column_stack(transform(xy[:, 0], xy[:, 1])))
    return np.asarray(geoms, dtype=object)


def repair(geom, lossy: bool) -> tuple[object | None, str]:
    """An invalid geometry made valid in its own type: (geometry, what was done) or (None, why not)."""
    reason = shapely.is_valid_reason(geom)
    kind = geom.geom_type.removeprefix("Multi")
    try:
        made = shapely.make_valid(geom)
    except shapely.errors.GEOSException as exc:
        return None, f"invalid geometry that cannot be repaired ({reason}; {exc})"
    parts = [p for p in shapely.get_parts(made) if p.geom_type.removeprefix("Multi") == kind]
    if not parts:
        return None, f"invalid geometry that cannot be repaired ({reason})"
    size = shapely.area if kind == "Polygon" else shapely.length
    total = float(np.sum(size(parts)))
    best = max(parts, key=size)
    kept = float(size(best)) / total if total else 1.0
    if kept < _FULL_AREA and not lossy:
        return None, (f"invalid geometry ({reason}); repairing it gives {len(parts)} parts and keeping one would lose "
                      f"{1 - kept:.0%} of its {'area' if kind == 'Polygon' else 'length'}: fix it in the source or "
                      "pass --allow-lossy-repair")
    return best, f"{reason}" + (f" (kept the largest of {len(parts)} parts, {kept:.0%})" if len(parts) > 1 else "")


def check_geometries(geoms: np.ndarray, options: ImportOptions, problems: list[list[str]],
                     repaired: list[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Each geometry as a single Point, LineString or Polygon, or None with a reason in ``problems``.
    Multi-part geometries of several parts are left as they are when ``options.explode`` (the caller
    splits them). Returns (geometries, kind per row: 'point' | 'line' | 'polygon' | None).
    Vectorised: only the unusual rows are looked at one by one (99k points in a few milliseconds)."""
    geoms = np.asarray(geoms, dtype=object).copy()
    n = len(geoms)
    kinds = np.full(n, None, dtype=object)
    present = np.array([g is not None for g in geoms], dtype=bool)
    for k in np.flatnonzero(~present):
        if not problems[k]:
            problems[k].append("no geometry")
    type_id = np.full(n, -1)
    type_id[present] = shapely.get_type_id(geoms[present])
    empty = np.zeros(n, dtype=bool)
    empty[present] = shapely.is_empty(geoms[present])
    for k in np.flatnonzero(empty):
        problems[k].append("empty geometry")
        geoms[k] = None
    multi = present & ~empty & np.isin(type_id, (4, 5, 6))
    parts = np.ones(n, dtype=int)
    parts[multi] = shapely.get_num_geometries(geoms[multi])
    unwrap = multi & (parts == 1)
    geoms[unwrap] = shapely.get_geometry(geoms[unwrap], 0)
    for k in np.flatnonzero(multi & (parts > 1) & (not options.explode)):
        problems[k].append(f"a {geoms[k].geom_type} of {parts[k]} parts: pass --explode to import each part as its "
                           "own component")
        geoms[k] = None
    for k in np.flatnonzero(present & ~empty & ~np.isin(type_id, (0, 1, 3, 4, 5, 6))):
        problems[k].append(f"a {geoms[k].geom_type} is not a point, line or polygon")
        geoms[k] = None
    alive = np.array([g is not None for g in geoms], dtype=bool)
    coords, owner = shapely.get_coordinates(geoms[alive], return_index=True)
    for k in np.unique(np.flatnonzero(alive)[owner[~np.isfinite(coords).all(axis=1)]]):
        problems[k].append("coordinates that cannot be transformed into the store's CRS (is the CRS right?)")
        geoms[k] = None
    alive = np.array([g is not None for g in geoms], dtype=bool)
    valid = np.ones(n, dtype=bool)
    valid[alive] = shapely.is_valid(geoms[alive])
    for k in np.flatnonzero(~valid):
        g = geoms[k]
        if not options.repair:
            problems[k].append(f"invalid geometry ({shapely.is_valid_reason(g)})")
            geoms[k] = None
            continue
        fixed, text = repair(g, options.lossy_repair)
        if fixed is None:
            problems[k].append(text)
            geoms[k] = None
            continue
        repaired.append((k, text))
        geoms[k] = fixed
    alive = np.array([g is not None for g in geoms], dtype=bool)
    ids = shapely.get_type_id(geoms[alive])
    kinds[alive] = [_TYPE_NAMES.get(int(t)) for t in ids]
    return geoms, kinds
