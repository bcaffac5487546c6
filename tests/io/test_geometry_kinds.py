"""Item 1: every imported geometry is stored as the intended 2-D type or listed with its row number."""

import struct

import shapely

from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import count, native_fields, sample_points, write_csv, write_shapefile


def test_point_z_survey_data_is_stored_in_2d_with_a_notice(store, tmp_path):
    rows = sample_points(store, 3)
    moved = [shapely.Point(r[2] + 1.5, r[3] - 2.0, 1043.7) for r in rows]  # heights from a survey
    shp = write_shapefile(tmp_path / "survey.shp", moved, native_fields(rows), geometry_type="Point Z")
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert report.errors == [] and report.written and report.updated == 3
    assert any("Z" in n and "dropped" in n for n in report.notices)
    stored = store.conn.execute("SELECT X(geom), Y(geom), AsText(geom) FROM component_point WHERE code = ?",
                                (rows[0][0],)).fetchone()
    assert stored[0] == rows[0][2] + 1.5 and stored[1] == rows[0][3] - 2.0
    assert stored[2].startswith("POINT(")  # 2-D, never NULL


def _point_m_files(shp, xs, ys, ms):
    """Replace a point shapefile's .shp/.shx with PointM (shape type 21) records, byte by byte."""
    records, index = b"", b""
    offset = 50
    for k, (x, y, m) in enumerate(zip(xs, ys, ms, strict=True)):
        content = struct.pack("<i3d", 21, x, y, m)
        records += struct.pack(">2i", k + 1, len(content) // 2) + content
        index += struct.pack(">2i", offset, len(content) // 2)
        offset += 4 + len(content) // 2

    def header(length_words):
        return (struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_words) + struct.pack("<2i", 1000, 21)
                + struct.pack("<8d", min(xs), min(ys), max(xs), max(ys), 0, 0, min(ms), max(ms)))
    shp.write_bytes(header(50 + len(records) // 2) + records)
    shp.with_suffix(".shx").write_bytes(header(50 + len(index) // 2) + index)


def test_point_m_is_stored_in_2d(store, tmp_path):
    rows = sample_points(store, 2)
    xs, ys = [r[2] + 1 for r in rows], [r[3] for r in rows]
    shp = write_shapefile(tmp_path / "measured.shp", shapely.points(xs, ys), native_fields(rows))
    _point_m_files(shp, xs, ys, [7.0, 8.0])
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert report.errors == [] and report.written
    assert any("M" in n and "dropped" in n for n in report.notices)
    x = store.conn.execute("SELECT X(geom) FROM component_point WHERE code = ?", (rows[0][0],)).fetchone()[0]
    assert x == rows[0][2] + 1


def test_multipoints_are_listed_unless_exploded(store, tmp_path):
    rows = sample_points(store, 2)
    multi = shapely.MultiPoint([(rows[0][2], rows[0][3]), (rows[0][2] + 3, rows[0][3] + 3)])
    single = shapely.MultiPoint([(rows[1][2] + 1, rows[1][3])])
    shp = write_shapefile(tmp_path / "multi.shp", [multi, single], native_fields(rows),
                          geometry_type="MultiPoint")
    before = count(store)
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert not report.written and count(store) == before
    assert report.errors == [(1, f"{rows[0][0]}: a MultiPoint of 2 parts: pass --explode to import each part as "
                                 "its own component")]
    exploded = import_file(store, shp, ImportOptions(profile="native", explode=True))
    assert exploded.errors == [] and exploded.written
    assert count(store) == before + 1  # the second part is a new component with the next free ID
    assert any("part 2" in n for n in exploded.notices)
    new = store.conn.execute("SELECT code, X(geom) FROM component_point ORDER BY id DESC LIMIT 1").fetchone()
    assert new[0][:10] == rows[0][0][:10] and new[1] == rows[0][2] + 3


def test_empty_nan_and_invalid_geometries_are_listed_with_their_rows(store, tmp_path):
    rows = sample_points(store, 4)
    path = write_csv(tmp_path / "bad.csv", ["code", "class_code", "x", "y"], [
        [rows[0][0], rows[0][1], rows[0][2], rows[0][3]],
        [rows[1][0], rows[1][1], "nan", rows[1][3]],
        [rows[2][0], rows[2][1], "", rows[2][3]],
        [rows[3][0], rows[3][1], "inf", rows[3][3]],
    ])
    before = count(store)
    report = import_file(store, path, ImportOptions(profile="native", crs=4546))
    assert not report.written and count(store) == before
    bad_rows = sorted({row for row, _ in report.errors})
    assert bad_rows == [2, 3, 4]
    text = "\n".join(report.lines())
    assert "row 2" in text and "not a finite number" in text and "'' is not a number" in text


def test_empty_and_invalid_lines_in_a_shapefile_are_listed(store, tmp_path):
    line = store.conn.execute("SELECT code, class_code, AsText(geom) FROM component_line LIMIT 1").fetchone()
    geom = shapely.from_wkt(line[2])
    x, y = geom.coords[0]
    broken = shapely.LineString([(x, y), (x, y)])  # a line of one point: invalid
    shp = write_shapefile(tmp_path / "lines.shp", [geom, broken, shapely.LineString()],
                          {"code": [line[0], line[0][:-1] + "9", line[0][:-2] + "98"],
                           "class_code": [line[1]] * 3}, geometry_type="LineString")
    report = import_file(store, shp, ImportOptions(profile="native"), dry_run=True)
    listed = {row for row, _ in report.errors}
    assert 1 not in listed and 2 in listed
    assert any(row == 2 and ("invalid" in text or "cannot be repaired" in text) for row, text in report.errors)
