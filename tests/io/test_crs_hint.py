"""The refusal of a datum PROJ cannot shift exactly proposes the file's own CRS (its central meridian,
ellipsoid: krass for Beijing 1954, IAU76 for Xian 1980) with only +towgs84 to fill in; CRSs given as
PROJ strings are named by their parameters, not 'unknown' (review of issue 11, item 4)."""

import pyproj
import pytest
import shapely

from gridmap.io.importer import ImportError_, ImportOptions, import_file
from tests.io.conftest import native_fields, sample_points, write_shapefile


def _file_in(store, tmp_path, epsg):
    rows = sample_points(store, 2)
    xs, ys = pyproj.Transformer.from_crs(4546, epsg, always_xy=True).transform([r[2] for r in rows],
                                                                               [r[3] for r in rows])
    return write_shapefile(tmp_path / "f.shp", shapely.points(xs, ys), native_fields(rows), epsg=epsg)


@pytest.mark.parametrize(("epsg", "ellipsoid"), [(2434, "+ellps=krass"), (2382, "+ellps=IAU76"),
                                                 (2431, "+ellps=krass")])
def test_the_hint_is_the_files_own_crs_with_a_towgs84_placeholder(store, tmp_path, epsg, ellipsoid):
    shp = _file_in(store, tmp_path, epsg)
    with pytest.raises(ImportError_) as caught:
        import_file(store, shp, ImportOptions(profile="native"), dry_run=True)
    message = str(caught.value)
    lon_0 = next(p.value for p in pyproj.CRS.from_epsg(epsg).coordinate_operation.params
                 if p.name == "Longitude of natural origin")
    hint = message.split('--crs "')[1].split('"')[0]
    assert f"+lon_0={lon_0:g}" in hint and ellipsoid in hint and "+towgs84=dx,dy,dz,rx,ry,rz,ds" in hint
    assert f"EPSG:{epsg} " in message and "unknown" not in message.lower()


def test_a_crs_given_as_a_proj_string_is_named_by_it(store, tmp_path):
    shp = _file_in(store, tmp_path, 2434)
    given = "+proj=tmerc +lat_0=0 +lon_0=111 +k=1 +x_0=500000 +y_0=0 +ellps=krass +units=m"
    with pytest.raises(ImportError_) as caught:
        import_file(store, shp, ImportOptions(profile="native", crs=given), dry_run=True)
    assert "EPSG:2434 unknown" not in str(caught.value) and given in str(caught.value)
    bound = given.replace(" +units", " +towgs84=15.8,-154.4,-82.3,0,0,0,0 +units")
    report = import_file(store, shp, ImportOptions(profile="native", crs=bound), dry_run=True)
    assert report.crs and "unknown" not in report.crs and "+towgs84=15.8" in report.crs
