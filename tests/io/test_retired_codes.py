"""Issue 10, item 7 (the import half): a retired component ID never becomes current through an import."""

import shapely

from gridmap.io.importer import ImportOptions, import_file
from tests.io.conftest import native_fields, sample_points, write_shapefile


def test_a_void_component_cannot_be_made_current_again(store, tmp_path):
    rows = sample_points(store, 2)
    with store.transaction() as conn:
        conn.execute("UPDATE component_point SET currency = '作废' WHERE code = ?", (rows[0][0],))
    shp = write_shapefile(tmp_path / "p.shp", shapely.points([(r[2], r[3]) for r in rows]),
                          native_fields(rows, currency=["在用", "在用"]))
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert not report.written
    assert report.errors == [(1, f"{rows[0][0]}: the ID is retired (it is void (作废)): a retired ID never becomes "
                                 "current again; give the component a new ID")]
    assert store.conn.execute("SELECT currency FROM component_point WHERE code = ?", (rows[0][0],)).fetchone()[0] \
        == "作废"
    # sent again as void, it is accepted (nothing to refuse)
    shp2 = write_shapefile(tmp_path / "q.shp", shapely.points([(r[2], r[3]) for r in rows]),
                           native_fields(rows, currency=["作废", "在用"]))
    assert import_file(store, shp2, ImportOptions(profile="native")).errors == []


def test_a_deleted_components_id_is_not_reused(store, tmp_path):
    rows = sample_points(store, 1)
    with store.transaction() as conn:
        conn.execute("DELETE FROM component_point WHERE code = ?", (rows[0][0],))
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'retired_code'").fetchone():
            conn.execute("CREATE TABLE retired_code (kind TEXT, code TEXT, retired_at TEXT, reason TEXT)")
            conn.execute("INSERT INTO retired_code VALUES ('component', ?, '2026-01-01', 'deleted')", (rows[0][0],))
    shp = write_shapefile(tmp_path / "p.shp", shapely.points([(rows[0][2], rows[0][3])]), native_fields(rows))
    report = import_file(store, shp, ImportOptions(profile="native"))
    assert not report.written and "retired" in report.errors[0][1] and report.errors[0][0] == 1
