"""The columns an export writes: typed as the data is (integers, reals, dates, date-times), and text
fitted to the format by the rules of io/fitting.py, every change logged for the README."""

from __future__ import annotations

import numpy as np

from gridmap.io import encodings
from gridmap.io.fitting import DBF_MAX_BYTES, Fitted, fit_column
from gridmap.io.values import iso_date


def typed(values, declared: str, fmt: str, layer: str, name: str, rows, log: list[Fitted]) -> np.ndarray:
    """A column as the data is typed: integers (masked where NULL), reals, dates, date-times
    (text in a shapefile or CSV, which have no date-time type), else text."""
    if declared.startswith(("INT", "BOOL")) and all(v is None or isinstance(v, int) for v in values):
        mask = np.array([v is None for v in values], dtype=bool)
        return np.ma.MaskedArray(np.array([0 if v is None else v for v in values], dtype=np.int64), mask=mask)
    if declared.startswith(("REAL", "FLOAT", "DOUBLE", "NUMERIC")) and all(
            v is None or isinstance(v, int | float) for v in values):
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if declared == "DATE":
        return to_dates(values, layer, name, rows, log)
    if declared in ("DATETIME", "TIMESTAMP") and fmt in ("gpkg", "geojson"):
        out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ms]")
        for k, v in enumerate(values):
            if v:
                try:
                    out[k] = np.datetime64(str(v)[:23].replace(" ", "T"))
                except ValueError:
                    return np.array(values, dtype=object)
        return out
    return np.array(values, dtype=object)


def to_dates(values, layer: str = "", name: str = "", rows=None, log: list[Fitted] | None = None) -> np.ndarray:
    """Stored dates as a date column; a value that is no date (stored before imports normalised
    them) is written empty and listed."""
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    for k, value in enumerate(values):
        try:
            iso = iso_date(value)
        except ValueError:
            if log is not None:
                log.append(Fitted(layer, str(rows[k]) if rows is not None else f"row {k + 1}", name,
                                  f"{value!r} is not a date: written empty"))
            continue
        if iso:
            out[k] = np.datetime64(iso)
    return out


def fit_text(columns: dict[str, np.ndarray], fmt: str, encoding: str, layer: str, rows, log: list[Fitted]) -> None:
    """Make every text column fit the format (io/fitting.py): the encoding of a GBK shapefile or CSV,
    and the 254 bytes of a .dbf field."""
    if fmt not in ("shp", "csv"):
        return
    codec = encodings.CODECS[encodings.from_option(encoding)]
    limit = DBF_MAX_BYTES if fmt == "shp" else None
    for name, values in columns.items():
        if values.dtype == object:
            columns[name] = fit_column(values, codec, limit, layer, name, rows, log)
