"""Reading and writing vector files. All file I/O of gridmap goes through here (pyogrio's
vectorized API: ~4x faster than row-by-row writes at 105k features, DESIGN.md).

Formats: ESRI Shapefile (.shp, with .prj and .cpg), GeoPackage, GeoJSON, and CSV with
coordinates (x/y columns for points, a WKT column otherwise).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import pyogrio.errors
import pyproj
import pyproj.exceptions
import shapely

from gridmap.domain.errors import GridmapError
from gridmap.io import encodings

FORMATS = {"shp": ("ESRI Shapefile", ".shp"), "gpkg": ("GPKG", ".gpkg"), "geojson": ("GeoJSON", ".geojson"),
           "csv": ("CSV", ".csv")}
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_GEOMETRY_NAMES = {0: "Point", 1: "LineString", 2: "LinearRing", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString",
                   6: "MultiPolygon", 7: "GeometryCollection"}
OWN_COMPONENT_LAYERS = ("component_point", "component_line", "component_polygon")
_MEASURED_TYPES = {21: "PointM", 23: "PolyLineM", 25: "PolygonM", 28: "MultiPointM"}


class FileFormatError(GridmapError):
    """A file that cannot be read or written as asked; the message names it and why."""


@dataclass
class Table:
    """Features read from or written to a file: columns, geometries, CRS."""

    columns: dict[str, np.ndarray]
    geometries: np.ndarray  # shapely geometries (None where missing)
    crs: pyproj.CRS | None = None
    encoding: str | None = None
    layer: str | None = None
    problems: dict[int, list[str]] = field(default_factory=dict)  # row (0-based) -> why it has no geometry
    notices: list[str] = field(default_factory=list)  # what reading changed, for the report
    labels: list[str] | None = None  # per row, where it came from (several files read as one)
    crs_error: str | None = None  # why the file's CRS could not be read

    def __len__(self) -> int:
        return len(self.geometries)


def gdal_encoding(name: str) -> str:
    """GDAL's name ('CP936', 'GB18030', 'UTF-8') of an encoding spelled any common way; raises FileFormatError."""
    try:
        return encodings.from_option(name)
    except encodings.EncodingError as exc:
        raise FileFormatError(str(exc)) from None


def write_table(path: Path, fmt: str, table: Table, *, layer: str, encoding: str = "utf-8",
                widths: dict[str, int] | None = None, append: bool = False) -> None:
    """Write ``table`` to ``path`` in ``fmt`` (see FORMATS). Raises FileFormatError."""
    if fmt == "csv":
        from gridmap.io.csv_table import write_csv  # noqa: PLC0415 - csv_table imports this module

        write_csv(path, table, encoding)
        return
    driver = FORMATS[fmt][0]
    geoms = table.geometries
    present = np.array([g is not None for g in geoms], dtype=bool)
    types = {_GEOMETRY_NAMES[int(t)] for t in np.unique(shapely.get_type_id(geoms[present]))}
    geometry_type = types.pop() if len(types) == 1 else "Unknown"
    if fmt == "shp" and geometry_type == "Polygon":
        geometry_type = "Polygon"
    names = list(table.columns)
    arrays = [_field_array(table.columns[n]) for n in names]
    masks = [np.ma.getmaskarray(table.columns[n]) if isinstance(table.columns[n], np.ma.MaskedArray) else None
             for n in names]
    options = {}
    if fmt == "shp":
        options["encoding"] = gdal_encoding(encoding)
    try:
        pyogrio.raw.write(str(path), shapely.to_wkb(geoms), arrays, names, geometry_type=geometry_type,
                          crs=table.crs.to_wkt() if table.crs else None, driver=driver, layer=layer,
                          append=append, field_mask=masks if any(m is not None for m in masks) else None, **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            OSError) as exc:
        raise FileFormatError(f"{path}: cannot write: {exc}") from exc


def _field_array(values: np.ndarray) -> np.ndarray:
    if isinstance(values, np.ma.MaskedArray):
        return values.data
    if values.dtype.kind == "M":
        return values
    if values.dtype == object:
        return np.array([v if v is not None else None for v in values], dtype=object)
    return values


def shapefile_encoding(path: Path, encoding: str | None = None) -> str:
    """The encoding to read a shapefile's .dbf in (the rules of io/encodings.py): ``encoding`` if
    given, else its .cpg, else its language driver, else detected on the text bytes. Checks that
    every text value decodes in it; raises FileFormatError naming the row and field otherwise."""
    from gridmap.io import shapefile  # noqa: PLC0415 - shapefile imports this module

    dbf = _part(path, ".dbf")
    samples, ldid = shapefile.dbf_text_samples(dbf)
    try:
        if encoding:
            used = encodings.from_option(encoding)
        else:
            cpg = _part(path, ".cpg")
            used = encodings.from_cpg(cpg.read_text(encoding="ascii", errors="replace")) if cpg.exists() else None
            used = used or encodings.from_ldid(ldid) or encodings.detect(samples, str(dbf))
        encodings.decode_all(samples, used, str(dbf))
    except encodings.EncodingError as exc:
        raise FileFormatError(str(exc)) from exc
    return used


def _part(path: Path, suffix: str) -> Path:
    """The sibling file of a shapefile with ``suffix``, in lower or upper case (whichever exists)."""
    lower = path.with_suffix(suffix)
    upper = path.with_suffix(suffix.upper())
    return upper if not lower.exists() and upper.exists() else lower


def read_table(path: Path | str, *, layer: str | None = None, encoding: str | None = None,
               x: str | None = None, y: str | None = None) -> Table:
    """Read a vector file, a CSV with coordinate or wkt columns, or a zip of any of them, into a Table.

    Text encoding: see io/encodings.py (``encoding`` always wins). A zip may hold folders and
    upper-case names; with several data files it needs ``layer`` (the error lists them), except
    gridmap's own per-unit package, which is read whole. A GeoPackage with several layers needs
    ``layer`` too. Rows that cannot become a geometry (NaN or missing coordinates) are kept with a
    reason in Table.problems; Z and M values are dropped with a notice. Raises FileFormatError naming
    the file and what is wrong (missing, truncated, counts that disagree, garbage, unknown encoding).
    """
    from gridmap.io import sources  # noqa: PLC0415 - sources reads files through this module

    path = Path(path)
    if not path.exists():
        raise FileFormatError(f"{path}: no such file")
    with sources.staged(path) as staged:
        chosen = sources.choose(staged, path, layer)
        tables = [read_one(p, layer=inner, encoding=encoding, x=x, y=y) for p, inner in chosen]
    if len(tables) == 1:
        return tables[0]
    return concat(tables, [p.name for p, _ in chosen])


def read_one(path: Path, *, layer: str | None = None, encoding: str | None = None, x: str | None = None,
             y: str | None = None) -> Table:
    """One data file (not a zip) into a Table; see read_table."""
    if path.suffix.lower() == ".csv":
        from gridmap.io.csv_table import read_csv  # noqa: PLC0415 - csv_table imports this module

        table = read_csv(path, encoding, x, y)
    elif path.suffix.lower() == ".shp":
        table = _read_shapefile(path, encoding)
    else:
        if layer is None:
            layers = _layers_of(path)
            if len(layers) > 1 and all(name in OWN_COMPONENT_LAYERS for name in layers):
                # gridmap's own component export: points, lines and polygons, read whole
                parts = [_checked_geometries(_read_gdal(path, name, None)) for name in layers]
                return concat(parts, [f"{path.name}:{name}" for name in layers])
            if len(layers) > 1:
                raise FileFormatError(f"{path}: holds {len(layers)} layers ({', '.join(layers)}): choose one "
                                      "with --source-layer")
        table = _read_gdal(path, layer, encodings.from_option(encoding) if encoding else None)
    return _checked_geometries(table)


def _layers_of(path: Path) -> list[str]:
    try:
        return [str(name) for name, _ in pyogrio.list_layers(str(path))]
    except (pyogrio.errors.DataSourceError, OSError) as exc:
        raise FileFormatError(f"{path}: cannot read it: {exc}") from exc


def _read_shapefile(path: Path, encoding: str | None) -> Table:
    for part in (".dbf", ".shx"):
        if not _part(path, part).exists():
            raise FileFormatError(f"{path}: the shapefile has no {part} file beside it")
    _check_shapefile(path)
    used = shapefile_encoding(path, encoding)
    crs, crs_error = _prj(path)
    fast = _read_points_fast(path, used)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Measured", UserWarning)  # GDAL drops M: we say so below
        table = fast if fast is not None else _read_gdal(path, None, used)
    table.crs, table.crs_error, table.encoding = crs, crs_error, used
    deleted = _deleted_records(_part(path, ".dbf"))
    if deleted:
        table.notices.append(f"{deleted} record(s) marked deleted in the .dbf were skipped, as every GIS does")
    shape_type = int.from_bytes(path.read_bytes()[32:36], "little")
    if shape_type in _MEASURED_TYPES:
        table.notices.append(f"the file's shapes carry M (measure) values ({_MEASURED_TYPES[shape_type]}): dropped, "
                             "the store holds 2-D geometries")
    return table


def _deleted_records(dbf: Path) -> int:
    """How many records of a .dbf carry the deletion mark ('*')."""
    data = dbf.read_bytes()
    count = int.from_bytes(data[4:8], "little")
    header_length = int.from_bytes(data[8:10], "little")
    record_length = int.from_bytes(data[10:12], "little")
    if not count or not record_length:
        return 0
    flags = np.frombuffer(data, dtype=np.uint8, count=count * record_length, offset=header_length)[::record_length]
    return int((flags == ord("*")).sum())


def _prj(path: Path) -> tuple[pyproj.CRS | None, str | None]:
    """The CRS a .prj beside ``path`` defines: (CRS, None), (None, None) without a .prj, or (None, why)
    when it defines nothing (the importer refuses it unless --crs says what the file is in)."""
    prj = _part(path, ".prj")
    if not prj.exists():
        return None, None
    text = prj.read_text(encoding="utf-8", errors="replace").strip().lstrip("\ufeff")
    try:
        return pyproj.CRS.from_user_input(text), None
    except pyproj.exceptions.CRSError:
        return None, (f"{prj}: the .prj is not a coordinate system definition ({text[:60]!r}): fix it or pass "
                      "--crs")


def _read_gdal(path: Path, layer: str | None, used: str | None) -> Table:
    try:
        meta, _fids, wkb, fields = pyogrio.raw.read(str(path), layer=layer, encoding=used)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError,
            pyogrio.errors.GeometryError, pyogrio.errors.CRSError, UnicodeDecodeError, OSError) as exc:
        raise FileFormatError(f"{path}: cannot read it: {exc}") from exc
    count = len(fields[0]) if fields else (len(wkb) if wkb is not None else 0)
    try:
        geoms = shapely.from_wkb(wkb) if wkb is not None else np.full(count, None)
    except shapely.errors.GEOSException as exc:
        raise FileFormatError(f"{path}: broken geometry: {exc}") from exc
    columns = dict(zip(meta["fields"], fields, strict=True))
    crs, crs_error = None, None
    if meta.get("crs"):
        try:
            crs = pyproj.CRS.from_user_input(meta["crs"])
        except pyproj.exceptions.CRSError as exc:
            crs_error = f"{path}: its coordinate system cannot be read ({exc}): pass --crs"
    return Table(columns, np.asarray(geoms, dtype=object), crs, used or meta.get("encoding"), layer,
                 crs_error=crs_error)


def _checked_geometries(table: Table) -> Table:
    """Drop Z and M (the store is 2-D) with a notice; rows whose coordinates are not finite numbers
    get no geometry and a reason."""
    geoms = table.geometries
    present = np.array([g is not None for g in geoms], dtype=bool)
    if not present.any():
        return table
    real = geoms[present]
    with_z = shapely.has_z(real)
    with_m = shapely.has_m(real) if hasattr(shapely, "has_m") else np.zeros(len(real), dtype=bool)
    if with_z.any() or with_m.any():
        what = " and ".join(w for w, has in (("Z", with_z.any()), ("M", with_m.any())) if has)
        table.notices.append(f"{int((with_z | with_m).sum())} geometries carry {what} values: dropped, the store "
                             "holds 2-D geometries")
        geoms = geoms.copy()
        geoms[present] = shapely.force_2d(real)
    index = np.flatnonzero(present)
    coords, owner = shapely.get_coordinates(geoms[present], return_index=True)
    bad = ~np.isfinite(coords).all(axis=1)
    if bad.any():
        geoms = geoms.copy()
        for k in np.unique(index[owner[bad]]):
            table.problems.setdefault(int(k), []).append("coordinates are not numbers (NaN or infinite)")
            geoms[k] = None
    table.geometries = geoms
    return table


def concat(tables: list[Table], names: list[str]) -> Table:
    """Several tables as one (columns united, missing values None), each row labelled with its file."""
    columns: dict[str, np.ndarray] = {}
    total = sum(len(t) for t in tables)
    for t in tables:
        for name in t.columns:
            columns.setdefault(name, np.full(total, None, dtype=object))
    offset = 0
    labels, problems, notices = [], {}, []
    for t, name in zip(tables, names, strict=True):
        n = len(t)
        for column, values in columns.items():
            if column in t.columns:
                values[offset:offset + n] = [_plain(v) for v in t.columns[column]]
        labels += [f"{name} row {k + 1}" for k in range(n)]
        problems.update({offset + k: v for k, v in t.problems.items()})
        notices += [f"{name}: {text}" for text in t.notices]
        offset += n
    geoms = np.concatenate([np.asarray(t.geometries, dtype=object) for t in tables]) if tables else np.array([])
    crs = {t.crs.to_wkt() if t.crs else None for t in tables}
    if len(crs) > 1:
        raise FileFormatError(f"{', '.join(names)}: the files are in different coordinate systems")
    first = tables[0]
    return Table(columns, geoms, first.crs, first.encoding, None, problems=problems, notices=notices,
                 labels=labels, crs_error=first.crs_error)


def _plain(value):
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)[:10]
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def _read_points_fast(path: Path, code_page: str) -> Table | None:
    """Point shapefiles through the numpy reader (GDAL recodes every text value one by one: 1.8 s
    for 99k rows against 0.2 s); anything unusual returns None and GDAL reads it."""
    from gridmap.io import shapefile  # noqa: PLC0415 - shapefile imports this module

    try:
        result = shapefile.read_points(path, code_page)
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{path}: the text is not {code_page}: {exc}") from exc
    if result is None:
        return None
    columns, xs, ys = result
    return Table({k: _CleanColumn(v) for k, v in columns.items()}, shapely.points(xs, ys), None, code_page)


class _CleanColumn(np.ndarray):
    """An object array whose values are already stripped text or None (the importer skips re-cleaning)."""

    clean = True

    def __new__(cls, values):
        return np.array(values, dtype=object).view(cls)


def _check_shapefile(path: Path) -> None:
    """GDAL reads a cut-off .shp without complaint and returns fewer features, and reads a .dbf with
    fewer records than shapes as if the shapes were not there: compare the lengths the headers
    promise with the files, and the .shx's shape count with the .dbf's record count."""
    shp = path.read_bytes()[:100]
    if len(shp) < 100 or int.from_bytes(shp[0:4], "big") != 9994:
        raise FileFormatError(f"{path}: not a shapefile (bad header)")
    promised = int.from_bytes(shp[24:28], "big") * 2
    actual = path.stat().st_size
    if actual < promised:
        raise FileFormatError(f"{path}: the file is truncated ({actual:,} of {promised:,} bytes)")
    dbf = _part(path, ".dbf")
    header = dbf.read_bytes()[:12]
    if len(header) < 12:
        raise FileFormatError(f"{dbf}: the .dbf is truncated")
    records = int.from_bytes(header[4:8], "little")
    header_len = int.from_bytes(header[8:10], "little")
    record_len = int.from_bytes(header[10:12], "little")
    if dbf.stat().st_size < header_len + records * record_len:
        raise FileFormatError(f"{dbf}: the .dbf is truncated ({records:,} records promised)")
    shapes = (_part(path, ".shx").stat().st_size - 100) // 8
    if shapes != records:
        raise FileFormatError(f"{path}: the .shp has {shapes:,} shapes but the .dbf {records:,} records; "
                              "the files do not belong together or one is damaged")


def remove_quietly(paths) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
