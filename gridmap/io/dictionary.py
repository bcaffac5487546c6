"""fields.csv as the written files define their fields: what an export says about itself."""

from __future__ import annotations

from pathlib import Path

import pyogrio

from gridmap.io import encodings, shapefile

DICTIONARY_HEADER = ["layer", "field", "source_column", "type", "width", "decimals", "description"]
_DBF_TYPES = {"C": "str", "D": "date", "L": "bool", "M": "memo"}
_DTYPES = {"object": "str", "int64": "int", "int32": "int", "float64": "float", "float32": "float",
           "datetime64[D]": "date", "datetime64[ms]": "datetime", "bool": "bool"}


def file_dictionary(folder: Path, fmt: str, encoding: str, layer_option: str, counts: dict, planned: list[list],
                    tables) -> list[list]:
    """fields.csv as the written files define their fields: for shapefiles the .dbf's own names,
    types, widths and decimals; for other formats the types GDAL reports (CSV: the data's types)."""
    about = {(r[0], r[1]): (r[2], r[6]) for r in planned[1:]}
    rows = [DICTIONARY_HEADER]
    for layer in counts:
        if fmt == "shp":
            dbf = (folder / f"{layer}.dbf").read_bytes()
            codec = encodings.CODECS[encodings.from_option(encoding)]
            for raw, kind, width, decimals in shapefile.dbf_fields(dbf):
                name = raw.decode(codec)
                kind_name = _DBF_TYPES.get(kind) or ("float" if decimals else "int")
                source, text = about.get((layer, name), ("", ""))
                rows.append([layer, name, source, kind_name, width, decimals if kind in "NF" else "", text])
        elif fmt == "csv":
            for name, values in tables[layer].columns.items():
                source, text = about.get((layer, name), ("", ""))
                rows.append([layer, name, source, _DTYPES.get(str(values.dtype), "str"), "", "", text])
        else:
            path = folder / (f"{layer_option}.gpkg" if fmt == "gpkg" else f"{layer}.geojson")
            info = pyogrio.read_info(str(path), layer=layer if fmt == "gpkg" else None)
            for name, dtype in zip(info["fields"], info["dtypes"], strict=True):
                source, text = about.get((layer, name), ("", ""))
                rows.append([layer, name, source, _DTYPES.get(str(dtype), str(dtype)), "", "", text])
    return rows
