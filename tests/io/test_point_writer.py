"""Item 9: the hand-written point shapefile writer stays only while its .shp/.shx are byte-identical to
GDAL's and its .dbf reads back (through GDAL) value-identical, across the edge cases."""

import numpy as np
import pyogrio
import pyogrio.raw
import pyproj
import pytest
import shapely

from gridmap.io import shapefile
from gridmap.io.fitting import fit

CRS = pyproj.CRS.from_epsg(4546)
LONG = "备注" * 127  # exactly 254 bytes in GBK


def _cases():
    rng = np.random.default_rng(7)
    many_x = rng.uniform(380_000, 450_000, 10_000)
    many_y = rng.uniform(4_380_000, 4_450_000, 10_000)
    return {
        "one": ([412000.125], [4408000.25]),
        "three": ([412000.125, 412050.5, 412100.75], [4408000.25, 4408050.5, 4408100.0]),
        "negative and tiny": ([-179.999999, 0.0, 1e-9], [-89.5, 0.0, -1e-9]),
        "duplicates": ([5.0, 5.0, 5.0], [7.0, 7.0, 7.0]),
        "ten thousand": (list(many_x), list(many_y)),
        "empty": ([], []),
    }


def _write_both(tmp_path, xs, ys, names, dates, encoding):
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    gdal = tmp_path / "gdal.shp"
    pyogrio.raw.write(str(gdal), shapely.to_wkb(shapely.points(xs, ys)) if len(xs) else np.array([], dtype=object),
                      [np.array(names, dtype=object), np.array(dates, dtype="datetime64[D]")], ["NAME", "DATE"],
                      geometry_type="Point", crs=CRS.to_wkt(), driver="ESRI Shapefile", encoding=encoding)
    ours = tmp_path / "ours.shp"
    codec = "gbk" if encoding == "CP936" else "utf-8"
    iso = [str(d) if d is not None else None for d in dates]
    shapefile.write_points(ours, {"NAME": ("C", shapefile.text_field(names, codec)),
                                  "DATE": ("D", shapefile.date_field(iso))}, xs, ys, CRS,
                           "gbk" if encoding == "CP936" else "utf-8")
    return gdal, ours


@pytest.mark.parametrize("case", list(_cases()))
@pytest.mark.parametrize("encoding", ["CP936", "UTF-8"])
def test_shp_and_shx_are_byte_identical_to_gdal(tmp_path, case, encoding):
    xs, ys = _cases()[case]
    names = ["上水井盖" if k % 2 else None for k in range(len(xs))]
    dates = ["2009-03-08" if k % 3 else None for k in range(len(xs))]
    gdal, ours = _write_both(tmp_path, xs, ys, names, dates, encoding)
    assert ours.read_bytes() == gdal.read_bytes()
    assert ours.with_suffix(".shx").read_bytes() == gdal.with_suffix(".shx").read_bytes()


def _plain(column):
    """Values as compared: a blank text and a missing date are both 'no value' in dBASE."""
    return [None if v is None or v == "" or (isinstance(v, np.datetime64) and np.isnat(v)) else v for v in column]


@pytest.mark.parametrize("encoding", ["CP936", "UTF-8"])
def test_dbf_values_are_identical_to_gdals_across_edge_cases(tmp_path, encoding):
    codec = "gbk" if encoding == "CP936" else "utf-8"
    names = ["上水井盖", "", None, "路灯 with spaces", fit("井盖🚧", codec, 254)[0], fit(LONG, codec, 254)[0],
             fit("𠀀" + LONG, codec, 254)[0], "'=HYPERLINK()", "a"]
    dates = ["2009-03-08", None, "1999-12-31", "2026-02-28", None, "2000-01-01", "2026-11-27", None, "1970-01-01"]
    xs = np.arange(len(names), dtype=float) + 412000
    ys = np.arange(len(names), dtype=float) + 4408000
    gdal, ours = _write_both(tmp_path, xs, ys, names, dates, encoding)
    ours.with_suffix(".cpg").write_text(encoding)
    read_gdal = pyogrio.raw.read(str(gdal), encoding=encoding)
    read_ours = pyogrio.raw.read(str(ours), encoding=encoding)
    for a, b in zip(read_gdal[3], read_ours[3], strict=True):
        assert _plain(a) == _plain(b)
    assert read_gdal[0]["fields"].tolist() == read_ours[0]["fields"].tolist()
    assert list(pyogrio.raw.read(str(ours), encoding=encoding)[2]) == list(pyogrio.raw.read(str(gdal))[2])


def test_joined_dates_become_dbase_dates_and_anything_else_is_refused():
    dates = shapefile.date_field_joined("2009-03-01\x1f\x1f2026-11-27T09:00:00")
    assert dates.tolist() == [b"20090301", b"", b"20261127"]
    for bad in ("2009-3-01", "2009/03/01", "yesterday", "2009-03-01\x1f2009-03", "二〇〇九-03-01"):
        assert shapefile.date_field_joined(bad) is None, bad
