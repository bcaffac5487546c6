"""Exports read back by an independent reader (GDAL's ogrinfo) and by our import; broken inputs change
nothing."""

import csv
import sqlite3
import subprocess
import zipfile

import numpy as np
import pyproj
import pytest
import shapely
import shapely.affinity

from gridmap.domain.coords import wgs84_to_gcj02
from gridmap.io.export import ExportCancelled, ExportOptions, export, export_per_unit
from gridmap.io.files import FileFormatError, read_table
from gridmap.io.importer import ImportError_, ImportOptions, import_file
from gridmap.store import open_store


@pytest.fixture
def store(small_demo):
    with open_store(small_demo) as s:
        yield s


def fingerprint(store):
    conn = store.conn
    return (conn.execute("SELECT count(*), sum(length(code)) FROM component_point").fetchone(),
            conn.execute("SELECT count(*) FROM audit_log").fetchone()[0],
            conn.execute("SELECT group_concat(change_date) FROM component_point").fetchone()[0])


def components(store):
    rows = store.conn.execute("SELECT code, class_code, name, competent_unit_code, owner_unit_code, "
                              "maintainer_unit_code, state, initial_date, X(geom), Y(geom) FROM component_point "
                              "ORDER BY code").fetchall()
    return [tuple(r) for r in rows]


def ogrinfo(*args) -> str:
    return subprocess.run(["ogrinfo", "-ro", *map(str, args)], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("fmt", "profile", "encoding"), [
    ("shp", "legacy", "gbk"), ("shp", "gbt47678", "utf-8"), ("shp", "native", "gbk"),
    ("gpkg", "legacy", "utf-8"), ("geojson", "gbt47678", "utf-8"), ("csv", "native", "gbk"),
])
def test_round_trip(store, small_demo, tmp_path, fmt, profile, encoding):
    before = components(store)
    result = export(store, tmp_path / "out", ExportOptions(format=fmt, profile=profile, encoding=encoding))
    assert result.counts["component_point"] == len(before)
    assert (tmp_path / "out" / "fields.csv").exists() and (tmp_path / "out" / "README.txt").exists()
    source = tmp_path / "out" / ({"gpkg": "components.gpkg"}.get(fmt) or f"component_point.{fmt}")
    # wipe the points, then bring them back from the file
    with store.transaction() as conn:
        conn.execute("DELETE FROM component_point")
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'retired_code'").fetchone():
            conn.execute("DELETE FROM retired_code WHERE kind = 'component'")  # deleted IDs are retired (v5)
    options = ImportOptions(profile=profile, source_layer="component_point" if fmt == "gpkg" else None)
    report = import_file(store, source, options, dry_run=True)
    assert report.errors == [] and report.inserted == len(before) and not report.written
    report = import_file(store, source, options)
    assert report.errors == [] and report.written and report.inserted == len(before)
    after = components(store)
    for a, b in zip(before, after, strict=True):
        assert a[:8] == b[:8]
        assert abs(a[8] - b[8]) < 0.01 and abs(a[9] - b[9]) < 0.01


def test_ogrinfo_reads_names_crs_counts_and_chinese(store, tmp_path):
    export(store, tmp_path, ExportOptions(profile="legacy", encoding="gbk", crs=4490))
    shp = tmp_path / "component_point.shp"
    summary = ogrinfo("-so", shp, "component_point")
    count = store.conn.execute("SELECT count(*) FROM component_point").fetchone()[0]
    assert f"Feature Count: {count}" in summary
    assert "China Geodetic Coordinate System 2000" in summary or "CGCS2000" in summary
    for name in ("OBJCODE", "OBJNAME", "DEPTCODE1", "DEPTNAME3", "BGCODE", "OBJSTATE", "ORDATE", "NOTE_"):
        assert f"{name}:" in summary
    assert (tmp_path / "component_point.cpg").read_text().strip() == "CP936"
    first = ogrinfo("-q", shp, "component_point", "-fid", "0")
    code = first.split("OBJCODE (String) = ")[1].split()[0]
    name, unit = store.conn.execute("SELECT c.name, u.name FROM component_point c JOIN responsible_unit u "
                                    "ON u.code = c.competent_unit_code WHERE c.code = ?", (code,)).fetchone()
    assert f"OBJNAME (String) = {name}" in first and f"DEPTNAME1 (String) = {unit}" in first
    x, y = (float(v) for v in first.split("POINT (")[1].split(")")[0].split())
    assert 109 < x < 111 and 39 < y < 41  # degrees, longitude first


def test_filters_and_dictionary(store, tmp_path):
    result = export(store, tmp_path, ExportOptions(layer="components", where="state = '破损'", profile="gbt47678"))
    damaged = store.conn.execute("SELECT count(*) FROM component_point WHERE state = '破损'").fetchone()[0]
    assert result.counts["component_point"] == damaged
    rows = list(csv.DictReader((tmp_path / "fields.csv").open(encoding="utf-8-sig")))
    assert {"GLBJBSM", "ZGBMDM", "SZDYWGBSM"} <= {r["field"] for r in rows}
    incidents = export(store, tmp_path / "inc", ExportOptions(layer="incident", format="gpkg", statuses=["closed"]))
    closed = store.conn.execute("SELECT count(*) FROM incident WHERE status = 'closed'").fetchone()[0]
    assert incidents.counts["incident"] == closed


def test_per_unit_packages_hold_only_that_units_components(store, tmp_path):
    result = export_per_unit(store, tmp_path, ExportOptions(profile="legacy", encoding="gbk"))
    assert result.files
    archive = result.files[0]
    code = archive.name.split("_")[0]
    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        assert {"fields.csv", "README.txt", "component_point.shp", "component_point.cpg"} <= names
        zf.extractall(tmp_path / "unpacked")
        assert code in zf.read("README.txt").decode("utf-8")
    table = read_table(tmp_path / "unpacked" / "component_point.shp")
    roles = np.column_stack([table.columns[f] for f in ("DEPTCODE1", "DEPTCODE2", "DEPTCODE3")])
    assert all(code in row for row in roles)
    expected = store.conn.execute("SELECT count(*) FROM component_point WHERE ? IN (competent_unit_code, "
                                  "owner_unit_code, maintainer_unit_code)", (code,)).fetchone()[0]
    assert len(table) == expected


def test_a_cancelled_export_leaves_nothing(store, tmp_path):
    with pytest.raises(ExportCancelled):
        export(store, tmp_path / "out", ExportOptions(), cancelled=lambda: True)
    assert list((tmp_path / "out").iterdir()) == []


def make_shp(store, tmp_path, **changes):
    export(store, tmp_path, ExportOptions(profile="native", encoding="utf-8"))
    return tmp_path / "component_point.shp"


@pytest.mark.parametrize("breakage", ["truncated", "no_dbf", "garbage", "wrong_encoding"])
def test_broken_files_give_a_clear_error_and_change_nothing(store, tmp_path, breakage):
    shp = make_shp(store, tmp_path)
    export(store, tmp_path / "gbk", ExportOptions(profile="legacy", encoding="gbk"))
    if breakage == "truncated":
        data = shp.read_bytes()
        shp.write_bytes(data[: len(data) // 3])
    elif breakage == "no_dbf":
        shp.with_suffix(".dbf").unlink()
    elif breakage == "garbage":
        shp.write_bytes(b"this is not a shapefile" * 50)
    before = fingerprint(store)
    if breakage == "wrong_encoding":
        source = tmp_path / "gbk" / "component_point.shp"
        with pytest.raises((FileFormatError, ImportError_)):
            import_file(store, source, ImportOptions(encoding="utf-8"))
    else:
        with pytest.raises(FileFormatError, match=str(shp)):
            import_file(store, shp)
    assert fingerprint(store) == before


def test_a_file_without_crs_asks_for_one(store, tmp_path):
    shp = make_shp(store, tmp_path)
    shp.with_suffix(".prj").unlink()
    with pytest.raises(ImportError_, match="--crs"):
        import_file(store, shp)
    report = import_file(store, shp, ImportOptions(crs=4546), dry_run=True)
    assert report.errors == []


def test_validation_rejects_bad_rows_and_writes_nothing(store, tmp_path):
    rows = store.conn.execute("SELECT code, class_code, X(geom), Y(geom) FROM component_point LIMIT 4").fetchall()
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "class_code", "x", "y"])
        writer.writerow([rows[0][0], rows[0][1], rows[0][2], rows[0][3]])
        writer.writerow([rows[0][0], rows[0][1], rows[0][2], rows[0][3]])  # duplicate ID
        writer.writerow(["1506029999000001", "9999", rows[1][2], rows[1][3]])  # unknown class
        writer.writerow([rows[2][0], "0102", rows[2][2], rows[2][3]])  # ID says another class
        writer.writerow([rows[3][0], rows[3][1], rows[3][2] + 50_000, rows[3][3]])  # far outside
    path.with_suffix(".prj").write_text(pyproj.CRS.from_epsg(4546).to_wkt("WKT1_ESRI"))
    before = fingerprint(store)
    report = import_file(store, path)
    text = "\n".join(report.lines())
    assert "duplicate ID" in text and "unknown class 9999" in text and "the ID says class" in text
    assert "outside the managed area" in text and not report.written
    assert fingerprint(store) == before


def test_invalid_polygons_are_repaired_or_rejected(store, tmp_path):
    export(store, tmp_path, ExportOptions(profile="native", format="geojson", crs=4546))  # metres, to draw in
    source = tmp_path / "component_polygon.geojson"
    table = read_table(source)
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    x, y = shapely.get_coordinates(shapely.point_on_surface(table.geometries[0]))[0]
    table.geometries[0] = shapely.affinity.translate(bowtie, x - 5, y - 5)
    from gridmap.io.files import write_table

    broken = tmp_path / "broken.geojson"
    write_table(broken, "geojson", table, layer="component_polygon")
    refused = import_file(store, broken, ImportOptions(profile="native"), dry_run=True)
    assert "--allow-lossy-repair" in refused.errors[0][1] and refused.errors[0][0] == 1  # a bow-tie loses half
    repaired = import_file(store, broken, ImportOptions(profile="native", lossy_repair=True), dry_run=True)
    assert len(repaired.repaired) == 1 and repaired.errors == []
    rejected = import_file(store, broken, ImportOptions(profile="native", repair=False), dry_run=True)
    assert "invalid geometry" in rejected.errors[0][1]


def test_gcj02_coordinates_are_corrected(store, tmp_path):
    rows = store.conn.execute("SELECT code, class_code, X(geom), Y(geom) FROM component_point ORDER BY code "
                              "LIMIT 20").fetchall()
    to_wgs = pyproj.Transformer.from_crs(4546, 4326, always_xy=True)
    lon, lat = to_wgs.transform([r[2] for r in rows], [r[3] for r in rows])
    glon, glat = wgs84_to_gcj02(np.array(lon), np.array(lat))
    path = tmp_path / "phone.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["code", "class_code", "x", "y"])
        writer.writerows([r[0], r[1], f"{a:.9f}", f"{b:.9f}"] for r, a, b in zip(rows, glon, glat, strict=True))
    report = import_file(store, path, ImportOptions(crs=4326, profile="native", gcj02=True))
    assert report.written, report.lines()
    moved = dict(store.conn.execute("SELECT code, X(geom) || ',' || Y(geom) FROM component_point"))
    for code, _cls, x, y in rows:
        nx, ny = (float(v) for v in moved[code].split(","))
        assert abs(nx - x) < 0.05 and abs(ny - y) < 0.05


def test_unit_grids_import_must_keep_the_tiling(store, tmp_path):
    export(store, tmp_path, ExportOptions(layer="unit_grid", format="gpkg"))
    source = tmp_path / "unit_grid.gpkg"
    ok = import_file(store, source, ImportOptions(layer="unit_grid"), dry_run=True)
    assert ok.errors == [] and ok.updated == 0 and ok.unchanged == ok.rows  # only real changes make versions
    table = read_table(source)
    table.geometries[3] = shapely.affinity.translate(table.geometries[3], 7, 0)
    from gridmap.io.files import write_table

    shifted = tmp_path / "shifted.gpkg"
    write_table(shifted, "gpkg", table, layer="unit_grid")
    before = store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0]
    bad = import_file(store, shifted, ImportOptions(layer="unit_grid"))
    assert bad.errors and "break the tiling" in bad.errors[0][1] and not bad.written
    assert store.conn.execute("SELECT count(*) FROM unit_grid").fetchone()[0] == before


def test_store_audit_log_records_an_import(store, tmp_path):
    shp = make_shp(store, tmp_path)
    import_file(store, shp)
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "import.components"
    conn.close()


def test_the_numpy_reader_agrees_with_gdal_on_a_gdal_written_file(tmp_path):
    import pyogrio.raw

    from gridmap.io import shapefile

    xs = np.array([412000.125, 412050.5, 412100.75])
    ys = np.array([4408000.25, 4408050.5, 4408100.0])
    names = np.array(["上水井盖", None, "路灯 "], dtype=object)
    dates = np.array(["2009-03-08", None, "2010-12-31"], dtype="datetime64[D]")
    path = tmp_path / "gdal.shp"
    pyogrio.raw.write(str(path), shapely.to_wkb(shapely.points(xs, ys)), [names, dates], ["OBJNAME", "ORDATE"],
                      geometry_type="Point", crs=pyproj.CRS.from_epsg(4546).to_wkt(), driver="ESRI Shapefile",
                      encoding="CP936")
    columns, rx, ry = shapefile.read_points(path, "CP936")
    assert columns["OBJNAME"] == ["上水井盖", None, "路灯"]
    assert columns["ORDATE"] == ["2009-03-08", None, "2010-12-31"]
    assert np.array_equal(rx, xs) and np.array_equal(ry, ys)
    table = read_table(path)
    assert list(table.columns["OBJNAME"]) == ["上水井盖", None, "路灯"]


def test_the_numpy_reader_hands_odd_files_to_gdal(store, tmp_path):
    from gridmap.io import shapefile

    export(store, tmp_path, ExportOptions(profile="native"))
    assert shapefile.read_points(tmp_path / "component_line.shp", "UTF-8") is None  # not points
    dbf = tmp_path / "component_point.dbf"
    data = bytearray(dbf.read_bytes())
    header = int.from_bytes(data[8:10], "little")
    data[header] = ord("*")  # mark the first record deleted
    dbf.write_bytes(bytes(data))
    assert shapefile.read_points(tmp_path / "component_point.shp", "UTF-8") is None
    table = read_table(tmp_path / "component_point.shp")
    assert len(table) == store.conn.execute("SELECT count(*) FROM component_point").fetchone()[0] - 1
    assert table.notices == ["1 record(s) marked deleted in the .dbf were skipped, as every GIS does"]
