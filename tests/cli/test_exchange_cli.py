"""`gridmap import` / `gridmap export` as a user runs them: listed rows exit 1, refusals exit 2 with
the way out on stderr, and the new options reach the importer."""

import subprocess
import sys

import pyproj
import shapely

from tests.io.conftest import native_fields, write_csv, write_shapefile


def gridmap(*args):
    return subprocess.run([sys.executable, "-m", "gridmap.cli", *map(str, args)], capture_output=True, text=True,
                          check=False, timeout=300)


def _points(db, count=3):
    import sqlite3

    conn = sqlite3.connect(db)
    conn.enable_load_extension(True)
    conn.load_extension("mod_spatialite")
    rows = conn.execute("SELECT code, class_code, X(geom), Y(geom) FROM component_point ORDER BY code LIMIT ?",
                        (count,)).fetchall()
    conn.close()
    return rows


def test_listed_rows_exit_1_and_name_the_rows(small_demo, tmp_path):
    rows = _points(small_demo)
    path = write_csv(tmp_path / "p.csv", ["code", "class_code", "经度", "纬度", "currency"],
                     [[r[0], r[1], r[2], r[3], "现役" if k == 1 else "在用"] for k, r in enumerate(rows)],
                     encoding="utf-8-sig")
    result = gridmap("import", small_demo, path, "--crs", "EPSG:4546")
    assert result.returncode == 1
    assert "row 2" in result.stdout and "currency '现役'" in result.stdout and "nothing written" in result.stdout


def test_a_xian80_file_is_refused_with_the_way_out_and_accepted_with_towgs84(small_demo, tmp_path):
    rows = _points(small_demo, 2)
    definition = ("+proj=tmerc +lat_0=0 +lon_0=111 +k=1 +x_0=500000 +y_0=0 +ellps=IAU76 "
                  "+towgs84=24,-123,-94,0.02,-0.25,-0.13,1.1 +units=m")
    lon, lat = pyproj.Transformer.from_crs(4546, 4326, always_xy=True).transform([r[2] for r in rows],
                                                                                  [r[3] for r in rows])
    xs, ys = pyproj.Transformer.from_crs(4326, pyproj.CRS.from_user_input(definition), always_xy=True).transform(
        lon, lat)
    shp = write_shapefile(tmp_path / "x80.shp", shapely.points(xs, ys), native_fields(rows), epsg=4610)
    shp.with_suffix(".prj").write_text(pyproj.CRS.from_proj4(definition.replace(" +towgs84=24,-123,-94,0.02,-0.25,"
                                                                                "-0.13,1.1", "")).to_wkt("WKT1_ESRI"))
    refused = gridmap("import", small_demo, shp, "--dry-run")
    assert refused.returncode == 2 and "--crs" in refused.stderr and "+towgs84" in refused.stderr
    accepted = gridmap("import", small_demo, shp, "--dry-run", f"--crs={definition}")
    assert accepted.returncode == 0, accepted.stderr


def test_encoding_spellings_and_the_new_options_are_accepted(small_demo, tmp_path):
    rows = _points(small_demo, 2)
    shp = write_shapefile(tmp_path / "g.shp", shapely.points([(r[2], r[3]) for r in rows]),
                          native_fields(rows, name=["井盖", "路灯"]), encoding="CP936", cpg=False)
    for spelling in ("936", "GBK", "cp936"):
        result = gridmap("import", small_demo, shp, "--encoding", spelling, "--dry-run", "--explode",
                         "--allow-lossy-repair")
        assert result.returncode == 0, result.stderr
    bad = gridmap("import", small_demo, shp, "--encoding", "klingon")
    assert bad.returncode == 2 and "gbk" in bad.stderr


def test_geojson_export_defaults_to_wgs84(small_demo, tmp_path):
    result = gridmap("export", small_demo, tmp_path, "--layer", "unit_grid", "--format", "geojson")
    assert result.returncode == 0
    assert "EPSG:4326" in (tmp_path / "README.txt").read_text(encoding="utf-8")


def test_all_lists_every_refused_row(small_demo, tmp_path):
    rows = _points(small_demo, 250)
    path = write_csv(tmp_path / "p.csv", ["code", "class_code", "x", "y", "currency"],
                     [[r[0], r[1], r[2], r[3], "现役"] for r in rows], encoding="utf-8-sig")
    short = gridmap("import", small_demo, path, "--crs", "EPSG:4546")
    assert short.returncode == 1 and "50 more line(s)" in short.stdout and "row 250:" not in short.stdout
    full = gridmap("import", small_demo, path, "--crs", "EPSG:4546", "--all")
    assert full.returncode == 1 and "row 250:" in full.stdout and "more line(s)" not in full.stdout


def test_export_lang_writes_the_readme_and_field_descriptions_in_chinese(small_demo, tmp_path):
    import csv

    result = gridmap("export", small_demo, tmp_path / "zh", "--layer", "unit_grid", "--lang", "zh_CN")
    assert result.returncode == 0, result.stderr
    assert "坐标参考系" in (tmp_path / "zh" / "README.txt").read_text(encoding="utf-8")
    with (tmp_path / "zh" / "fields.csv").open(encoding="utf-8-sig", newline="") as f:
        descriptions = {r["source_column"]: r["description"] for r in csv.DictReader(f)}
    assert descriptions["responsibility_grid_code"] == "责任网格代码"
    assert gridmap("export", small_demo, tmp_path / "x", "--lang", "fr").returncode == 2
