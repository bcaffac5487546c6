"""CSV tables with coordinates: points as two number columns, other geometries as WKT.

Reading recognises the coordinate columns by name (x/y, lon/lat, lng/lat, longitude/latitude,
经度/纬度, in any case) unless ``--x``/``--y`` name them; a value that is not a number leaves that
row without a geometry and with a reason. Writing neutralises every text cell a spreadsheet would
evaluate (domain/cells.py), and reading undoes exactly that.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import shapely

from gridmap.domain.cells import formula_safe, unquote
from gridmap.io import encodings
from gridmap.io.files import FileFormatError, Table, _prj

#: coordinate column pairs recognised without --x/--y, in order of preference (compared case-insensitively)
COORDINATE_NAMES = (("x", "y"), ("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"), ("经度", "纬度"),
                    ("long", "lat"), ("east", "north"), ("easting", "northing"))


def read_csv(path: Path, encoding: str | None, x: str | None, y: str | None) -> Table:
    """A CSV (UTF-8 with or without BOM, or GBK; see io/encodings.py) into a Table."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    raw = raw[3:] if bom else raw
    try:
        used = encodings.from_option(encoding) if encoding else "UTF-8" if bom else None
        if used is None:
            used = encodings.detect([("line", raw.replace(b"\n", b"\x1f"))], str(path))
        encodings.decode_all([("line", raw.replace(b"\n", b"\x1f"))], used, str(path))
    except encodings.EncodingError as exc:
        raise FileFormatError(str(exc)) from exc
    try:
        reader = csv.reader(io.StringIO(raw.decode(encodings.CODECS[used]), newline=""))
        header = next(reader, None)
        rows = list(reader)
    except csv.Error as exc:
        raise FileFormatError(f"{path}: cannot read it as CSV: {exc}") from exc
    if not header:
        raise FileFormatError(f"{path}: no header line")
    header = [h.strip() for h in header]
    if not rows:
        raise FileFormatError(f"{path}: no rows")
    for k, row in enumerate(rows):
        if len(row) != len(header):
            raise FileFormatError(f"{path}: line {k + 2} has {len(row)} values, the header {len(header)}")
    cells = list(zip(*rows, strict=True))
    by_name = dict(zip(header, cells, strict=True))
    problems: dict[int, list[str]] = {}
    lower = {h.lower(): h for h in header}
    if x or y:
        if not (x and y):
            raise FileFormatError("--x and --y go together")
        missing = [n for n in (x, y) if n not in by_name]
        if missing:
            raise FileFormatError(f"{path}: no column {missing[0]!r}; the columns are {', '.join(header)}")
        pair = (x, y)
    elif "wkt" in lower:
        pair = None
    else:
        pair = next(((lower[a], lower[b]) for a, b in COORDINATE_NAMES if a in lower and b in lower), None)
        if pair is None:
            raise FileFormatError(f"{path}: no coordinate columns (x/y, lon/lat, lng/lat, 经度/纬度) and no wkt "
                                  f"column; the columns are {', '.join(header)}: name them with --x and --y")
    if pair is None:
        column = lower["wkt"]
        geoms = np.full(len(rows), None, dtype=object)
        for k, text in enumerate(by_name[column]):
            if not text.strip():
                continue
            try:
                geoms[k] = shapely.from_wkt(text)
            except shapely.errors.GEOSException as exc:
                problems.setdefault(k, []).append(f"the wkt value is not a geometry ({exc})")
        used_columns = {column}
    else:
        xs = _numbers(by_name[pair[0]], pair[0], problems)
        ys = _numbers(by_name[pair[1]], pair[1], problems)
        geoms = np.asarray(shapely.points(xs, ys), dtype=object)
        for k in problems:
            geoms[k] = None
        used_columns = set(pair)
    crs, crs_error = _prj(path)
    columns = {name: np.array([unquote(v) if v != "" else None for v in by_name[name]], dtype=object)
               for name in header if name not in used_columns}
    return Table(columns, geoms, crs, used, problems=problems, crs_error=crs_error)


def _numbers(values, name: str, problems: dict[int, list[str]]) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for k, text in enumerate(values):
        try:
            value = float(text.strip())
        except ValueError:
            problems.setdefault(k, []).append(f"{name} {text!r} is not a number")
            continue
        if not math.isfinite(value):
            problems.setdefault(k, []).append(f"{name} {text!r} is not a finite number")
        out[k] = value
    return out


def write_csv(path: Path, table: Table, encoding: str) -> None:
    """Write ``table`` as CSV (points as x/y, else a wkt column) in GBK or UTF-8 with BOM; a .prj
    beside it names the CRS. Text that GBK cannot hold must have been replaced before (export.py)."""
    codec = "gbk" if encodings.from_option(encoding) == "CP936" else "utf-8-sig"
    points = all(g is None or g.geom_type == "Point" for g in table.geometries)
    with path.open("w", encoding=codec, newline="") as f:
        writer = csv.writer(f)
        geometry_columns = ["x", "y"] if points else ["wkt"]
        writer.writerow([formula_safe(n) for n in table.columns] + geometry_columns)
        columns = [table.columns[n] for n in table.columns]
        if points:
            xy = shapely.get_coordinates(table.geometries)
            for k in range(len(table)):
                writer.writerow([_cell(c[k]) for c in columns] + [f"{xy[k, 0]:.3f}", f"{xy[k, 1]:.3f}"])
        else:
            wkt = shapely.to_wkt(table.geometries, rounding_precision=3)
            for k in range(len(table)):
                writer.writerow([_cell(c[k]) for c in columns] + [wkt[k]])
    if table.crs is not None:  # a CSV has nowhere to say its CRS: a .prj beside it does
        path.with_suffix(".prj").write_text(table.crs.to_wkt("WKT1_ESRI"), encoding="ascii")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else str(value)[:10]
    if isinstance(value, float | np.floating) and np.isnan(value):
        return ""
    return formula_safe(value)


__all__ = ["COORDINATE_NAMES", "read_csv", "write_csv"]
