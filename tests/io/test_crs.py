"""Item 6: a datum PROJ cannot shift exactly (Xian 1980, Beijing 1954 without parameters) is refused
with the way out; --crs with +towgs84 is the way out; a garbage .prj is a clear error."""

import pyproj
import pytest
import shapely

from gridmap.io.importer import ImportError_, ImportOptions, import_file
from tests.io.conftest import native_fields, sample_points, write_shapefile

# Xian 1980 / 3-degree Gauss-Kruger CM 111E with illustrative 7 parameters to WGS 84
XIAN80_TOWGS84 = ("+proj=tmerc +lat_0=0 +lon_0=111 +k=1 +x_0=500000 +y_0=0 +ellps=IAU76 "
                  "+towgs84=24,-123,-94,0.02,-0.25,-0.13,1.1 +units=m +no_defs")


def _file_in(store, tmp_path, epsg, name="f.shp"):
    rows = sample_points(store, 2)
    to = pyproj.Transformer.from_crs(4546, epsg, always_xy=True)
    xs, ys = to.transform([r[2] for r in rows], [r[3] for r in rows])
    return write_shapefile(tmp_path / name, shapely.points(xs, ys), native_fields(rows), epsg=epsg), rows


@pytest.mark.parametrize("epsg", [4610, 2349, 4214, 2431])  # Xian 1980 and Beijing 1954: geographic, GK zones
def test_xian80_and_beijing54_without_parameters_are_refused(store, tmp_path, epsg):
    shp, _ = _file_in(store, tmp_path, epsg)
    with pytest.raises(ImportError_) as caught:
        import_file(store, shp, ImportOptions(profile="native"), dry_run=True)
    message = str(caught.value)
    assert "ballpark" in message and "--crs" in message and "+towgs84" in message


def test_crs_with_towgs84_is_the_way_out_and_wins_over_the_prj(store, tmp_path):
    rows = sample_points(store, 2)
    bound = pyproj.CRS.from_user_input(XIAN80_TOWGS84)
    to = pyproj.Transformer.from_crs(4326, bound, always_xy=True)
    lon, lat = pyproj.Transformer.from_crs(4546, 4326, always_xy=True).transform([r[2] for r in rows],
                                                                                  [r[3] for r in rows])
    xs, ys = to.transform(lon, lat)
    shp = write_shapefile(tmp_path / "x80.shp", shapely.points(xs, ys), native_fields(rows), epsg=2349)
    with pytest.raises(ImportError_):
        import_file(store, shp, ImportOptions(profile="native"), dry_run=True)
    report = import_file(store, shp, ImportOptions(profile="native", crs=XIAN80_TOWGS84))
    assert report.errors == [] and report.written
    x, y = store.conn.execute("SELECT X(geom), Y(geom) FROM component_point WHERE code = ?", (rows[0][0],)).fetchone()
    assert abs(x - rows[0][2]) < 0.01 and abs(y - rows[0][3]) < 0.01  # the 7-parameter shift, both ways


def test_wgs84_and_cgcs2000_are_accepted(store, tmp_path):
    for epsg in (4326, 4490):
        shp, _ = _file_in(store, tmp_path, epsg, name=f"f{epsg}.shp")
        report = import_file(store, shp, ImportOptions(profile="native"), dry_run=True)
        assert report.errors == [], report.lines()


def test_a_garbage_prj_is_a_clear_error(store, tmp_path):
    shp, _ = _file_in(store, tmp_path, 4546)
    shp.with_suffix(".prj").write_text("this is not a projection at all", encoding="ascii")
    with pytest.raises(ImportError_, match=r"\.prj is not a coordinate system.*--crs"):
        import_file(store, shp, ImportOptions(profile="native"), dry_run=True)
    report = import_file(store, shp, ImportOptions(profile="native", crs=4546), dry_run=True)
    assert report.errors == []


def test_coordinates_the_crs_cannot_transform_are_listed_not_a_traceback(store, tmp_path):
    shp, _ = _file_in(store, tmp_path, 2349)  # zone 25 coordinates (false easting 25,500,000) ...
    report = import_file(store, shp, ImportOptions(profile="native", crs=XIAN80_TOWGS84), dry_run=True)
    assert [row for row, _ in report.errors] == [1, 2]  # ... read as CM 111E without a zone prefix
    assert "cannot be transformed" in report.errors[0][1]
