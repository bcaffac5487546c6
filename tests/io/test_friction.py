"""Item 7: coordinate columns by name or --x/--y, BOM-tolerant readers, Chinese field names, folders
and upper-case names in zips, gridmap's own per-unit packages whole, the district-boundary rule of
`validate`."""

import json
import zipfile

import pyproj
import pytest
import shapely

from gridmap.cli import main
from gridmap.io.export import ExportOptions, export_per_unit
from gridmap.io.importer import ImportOptions, import_file
from gridmap.store.validate import validate_store
from tests.io.conftest import count, native_fields, sample_points, write_csv, write_shapefile


def _lonlat(rows):
    return pyproj.Transformer.from_crs(4546, 4326, always_xy=True).transform([r[2] for r in rows],
                                                                              [r[3] for r in rows])


@pytest.mark.parametrize(("xname", "yname"), [("lon", "lat"), ("LNG", "LAT"), ("经度", "纬度"), ("X", "Y"),
                                              ("Longitude", "Latitude")])
def test_common_coordinate_column_names_are_recognised(store, tmp_path, xname, yname):
    rows = sample_points(store, 2)
    lon, lat = _lonlat(rows)
    path = write_csv(tmp_path / "p.csv", ["code", "class_code", xname, yname],
                     [[r[0], r[1], f"{a:.9f}", f"{b:.9f}"] for r, a, b in zip(rows, lon, lat, strict=True)])
    report = import_file(store, path, ImportOptions(profile="native", crs=4326), dry_run=True)
    assert report.errors == [] and report.unchanged == 2


def test_other_coordinate_columns_are_named_with_x_and_y(store, tmp_path, small_demo, capsys):
    rows = sample_points(store, 2)
    path = write_csv(tmp_path / "p.csv", ["code", "class_code", "东坐标", "北坐标"],
                     [[r[0], r[1], r[2] + 1, r[3]] for r in rows])
    report = import_file(store, path, ImportOptions(profile="native", crs=4546, x="东坐标", y="北坐标"))
    assert report.written and report.updated == 2
    store.conn.close()
    assert main(["import", str(small_demo), str(path), "--crs", "EPSG:4546", "--x", "东坐标", "--y", "北坐标",
                 "--dry-run"]) == 0
    assert main(["import", str(small_demo), str(path), "--crs", "EPSG:4546"]) == 2
    assert "--x" in capsys.readouterr().err


def test_a_geojson_with_a_bom_is_read(store, tmp_path):
    rows = sample_points(store, 2)
    lon, lat = _lonlat(rows)
    features = [{"type": "Feature", "properties": {"code": r[0], "class_code": r[1], "name": "井盖"},
                 "geometry": {"type": "Point", "coordinates": [a, b]}} for r, a, b in zip(rows, lon, lat, strict=True)]
    path = tmp_path / "bom.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"type": "FeatureCollection", "features": features},
                                                  ensure_ascii=False).encode())
    report = import_file(store, path, ImportOptions(profile="native"), dry_run=True)
    assert report.errors == [] and report.rows == 2


def test_chinese_dbf_field_names_are_read_in_the_files_code_page(store, tmp_path):
    rows = sample_points(store, 2)
    shp = write_shapefile(tmp_path / "cn.shp", shapely.points([(r[2], r[3]) for r in rows]),
                          {"部件编码": [r[0] for r in rows], "名称": ["井盖甲", "井盖乙"]}, encoding="CP936")
    report = import_file(store, shp, ImportOptions(mapping={"code": "部件编码", "name": "名称"}))
    assert report.written, report.lines()
    name = store.conn.execute("SELECT name FROM component_point WHERE code = ?", (rows[0][0],)).fetchone()[0]
    assert name == "井盖甲"


def test_a_shapefile_in_a_folder_with_upper_case_names_inside_a_zip(store, tmp_path):
    rows = sample_points(store, 2)
    shp = write_shapefile(tmp_path / "p.shp", shapely.points([(r[2] + 1, r[3]) for r in rows]), native_fields(rows))
    archive = tmp_path / "sent.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            zf.write(shp.with_suffix(part), "部件数据/2026/POINTS" + part.upper())
    report = import_file(store, archive, ImportOptions(profile="native"))
    assert report.written and report.updated == 2


def test_an_upper_case_shapefile_outside_a_zip(store, tmp_path):
    rows = sample_points(store, 2)
    shp = write_shapefile(tmp_path / "p.shp", shapely.points([(r[2], r[3]) for r in rows]), native_fields(rows))
    for part in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        shp.with_suffix(part).rename(tmp_path / ("UPPER" + part.upper()))
    report = import_file(store, tmp_path / "UPPER.SHP", ImportOptions(profile="native"), dry_run=True)
    assert report.errors == [] and report.unchanged == 2


def test_our_own_per_unit_package_imports_whole(store, tmp_path):
    result = export_per_unit(store, tmp_path / "out", ExportOptions(profile="legacy", encoding="gbk"))
    archive = max(result.files, key=lambda p: p.stat().st_size)
    with zipfile.ZipFile(archive) as zf:
        assert {"component_point.shp", "component_line.shp", "component_polygon.shp"} <= set(zf.namelist())
    report = import_file(store, archive, ImportOptions(), dry_run=True)
    code = archive.name.split("_")[0]
    expected = sum(count(store, t, "? IN (competent_unit_code, owner_unit_code, maintainer_unit_code)", (code,))
                   for t in ("component_point", "component_line", "component_polygon"))
    assert report.errors == [] and report.rows == expected and report.unchanged == expected
    assert count(store, "component_line", "? IN (competent_unit_code, owner_unit_code, maintainer_unit_code)",
                 (code,)) > 0


def test_a_line_along_the_district_boundary_is_inside_as_validate_says(store, tmp_path):
    district = shapely.from_wkb(store.conn.execute("SELECT AsBinary(geom) FROM district").fetchone()[0])
    ring = shapely.get_exterior_ring(shapely.get_geometry(district, 0))
    vx, vy = shapely.get_coordinates(ring)[5]  # a vertex of the boundary, exactly
    cx, cy = shapely.get_coordinates(shapely.centroid(district))[0]
    length = ((cx - vx) ** 2 + (cy - vy) ** 2) ** 0.5
    line = shapely.LineString([(vx, vy), (vx + (cx - vx) * 20 / length, vy + (cy - vy) * 20 / length)])
    line_class = store.conn.execute("SELECT code FROM component_class WHERE geometry = 'line' ORDER BY code"
                                    ).fetchone()[0]
    code = f"150602{line_class}999001"
    shp = write_shapefile(tmp_path / "edge.shp", [line], {"code": [code], "class_code": [line_class]},
                          geometry_type="LineString")
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert report.errors == [] and report.written, report.lines()
    assert not [p for p in validate_store(store) if p.code == code]


def test_our_own_component_geopackage_imports_whole(store, tmp_path):
    from gridmap.io.export import export

    export(store, tmp_path, ExportOptions(format="gpkg", profile="native"))
    report = import_file(store, tmp_path / "components.gpkg", ImportOptions(), dry_run=True)
    total = sum(count(store, t) for t in ("component_point", "component_line", "component_polygon"))
    assert report.errors == [] and report.rows == total and report.unchanged == total
