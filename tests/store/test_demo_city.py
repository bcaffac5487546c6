"""The demo city of several districts (issue 17): adjacent districts of Ordos with their own codes, one
gap-free tiling of unit grids over all of them, every code under its own district, deterministic; and the
single-district demo exactly as it was."""

import hashlib
import sqlite3

import numpy as np
import pytest
import shapely

from gridmap.cli import main
from gridmap.demo.build import build_demo
from gridmap.demo.city import city_layout
from gridmap.store import open_store, register
from gridmap.store.queries import district_codes, geometries
from gridmap.store.validate import validate_store
from tests.conftest import DEMO_END, DEMO_SEED

ORDOS = {"150602": "东胜区", "150603": "康巴什区", "150621": "达拉特旗", "150622": "准格尔旗", "150623": "鄂托克前旗",
         "150624": "鄂托克旗", "150625": "杭锦旗", "150626": "乌审旗", "150627": "伊金霍洛旗"}
#: the columns that say what a demo holds, without coordinates (their last bits differ between numpy builds)
FINGERPRINT = {
    "gridmap_setting": "key, value", "district": "code, name", "street": "code, district_code, name, kind",
    "community": "code, street_code, name", "responsibility_grid": "code, name",
    "unit_grid": "code, community_code, responsibility_grid_code", "community_grid": "code, level, parent_code, name",
    "responsible_unit": "code, name, kind, contact", "staff": "code, name, phone, title",
    "supervisor_assignment": "staff_code, responsibility_grid_code",
    "community_grid_role": "community_grid_code, role, staff_code",
    "routing_rule": "class_code, class_kind, area_kind, area_code, unit_code",
    **dict.fromkeys(("component_point", "component_line", "component_polygon"),
                    "code, class_code, state, currency, initial_date, change_date, data_source"),
    "incident": "code, class_code, component_code, source, status, close_type, reported_at, closed_at, deadline",
}
#: the fingerprint of the small demo (seed 7, scale 0.05) as the single-district builder made it before
#: cities of several districts existed (commit f85a0b8)
SINGLE_DISTRICT_FINGERPRINT = "8a0ad5ce4c359cfa9283b70e"


def fingerprint(path) -> str:
    conn = sqlite3.connect(path)
    digest = hashlib.sha256()
    for table, columns in FINGERPRINT.items():
        for row in conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid"):
            digest.update(repr(tuple(row)).encode())
    conn.close()
    return digest.hexdigest()[:24]


def table_digest(path, table) -> str:
    conn = sqlite3.connect(path)
    rows = conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def city_file(small_city_file):
    """Three small districts (0.05 of Dongsheng each: seed DEMO_SEED, scale 0.15); never modify it."""
    return small_city_file


@pytest.fixture
def city(city_file):
    with open_store(city_file) as store:
        yield store


def test_the_single_district_demo_is_unchanged(small_demo_file):
    assert fingerprint(small_demo_file) == SINGLE_DISTRICT_FINGERPRINT


def test_the_scale_and_the_number_of_districts():
    assert [(lay.count, lay.district_scale) for lay in (city_layout(0.05), city_layout(1), city_layout(3),
                                                        city_layout(None, 4), city_layout(0.15, 3))] == \
        [(1, 0.05), (1, 1.0), (3, 1.0), (4, 1.0), (3, pytest.approx(0.05))]
    whole = city_layout(10)
    assert whole.count == 9 and whole.district_scale == pytest.approx(10 / 9)
    for scale, districts in ((0, None), (10.5, None), (1, 10), (1, 0)):
        with pytest.raises(ValueError, match=r"scale|districts"):
            city_layout(scale, districts)


def test_a_city_has_its_districts_each_with_a_real_code(city):
    rows = store_rows(city, "SELECT code, name FROM district ORDER BY code")
    assert rows == [("150602", "东胜区"), ("150603", "康巴什区"), ("150621", "达拉特旗")]
    assert all(ORDOS[code] == name for code, name in rows)
    assert district_codes(city) == ["150602", "150603", "150621"]
    assert city.setting("district_code") is None and city.setting("name") == "鄂尔多斯市（演示）"
    counts = dict(store_rows(city, "SELECT substr(code, 1, 6), count(*) FROM unit_grid GROUP BY 1"))
    assert sorted(counts) == ["150602", "150603", "150621"] and min(counts.values()) > 100
    components = sum(store_rows(city, f"SELECT count(*) FROM {t}")[0][0]
                     for t in ("component_point", "component_line", "component_polygon"))
    assert components == round(105_000 * 0.15)
    assert store_rows(city, "SELECT count(*) FROM incident")[0][0] == round(150_000 * 0.15)


def store_rows(store, sql, params=()):
    return [tuple(r) for r in store.conn.execute(sql, params).fetchall()]


def test_neighbouring_districts_share_their_boundary_and_the_unit_grids_tile_them_all(city, city_file):
    _, districts = geometries(city, "district", ["code"])
    assert shapely.coverage_is_valid(np.asarray(districts, dtype=object))
    shared = [shapely.length(shapely.intersection(a, b)) for k, a in enumerate(districts) for b in districts[k + 1:]]
    assert sum(length > 1000 for length in shared) >= 2  # each of the others borders Dongsheng along a street
    outline = shapely.union_all(districts)
    assert shapely.get_num_geometries(outline) == 1 and not shapely.get_num_interior_rings(outline)
    _, grids = geometries(city, "unit_grid", ["code"], "valid_to IS NULL")
    assert shapely.coverage_is_valid(np.asarray(grids, dtype=object))
    assert abs(sum(shapely.area(grids)) - shapely.area(outline)) < 1.0
    assert validate_store(city) == []
    assert main(["validate", str(city_file)]) == 0


def test_every_code_begins_with_its_own_districts_code(city):
    rows, districts = geometries(city, "district", ["code"])
    tree = shapely.STRtree(districts)

    def district_of(geoms):
        points = shapely.point_on_surface(np.asarray(geoms, dtype=object))
        where = tree.query(points, predicate="within")
        found = np.full(len(points), None, dtype=object)
        found[where[0]] = [rows[k][0] for k in where[1]]
        return found

    for table, code_column in (("street", "code"), ("community", "code"), ("unit_grid", "code"),
                               ("responsibility_grid", "code"), ("community_grid", "code"),
                               ("component_point", "code"), ("component_line", "code"),
                               ("component_polygon", "code"), ("incident", "unit_grid_code")):
        codes, geoms = geometries(city, table, [code_column])
        owners = district_of(geoms)
        assert all(o is not None for o in owners), table
        wrong = [(c[0], o) for c, o in zip(codes, owners, strict=True) if not c[0].startswith(o)]
        assert wrong == [], table
    assert store_rows(city, "SELECT count(*) FROM street WHERE district_code <> substr(code, 1, 6)") == [(0,)]
    grids = [r[0] for r in store_rows(city, "SELECT code FROM responsibility_grid ORDER BY code")]
    assert "150603Z001" in grids and all(g[6] == "Z" for g in grids)


def test_responsibility_grids_stay_inside_their_district(city):
    crossing = store_rows(city, "SELECT responsibility_grid_code FROM unit_grid WHERE valid_to IS NULL "
                                "GROUP BY responsibility_grid_code HAVING count(DISTINCT substr(code, 1, 6)) > 1")
    assert crossing == []
    rows, districts = geometries(city, "district", ["code"])
    by_code = {r[0]: d for r, d in zip(rows, districts, strict=True)}
    grid_rows, grids = geometries(city, "responsibility_grid", ["code"])
    for (code,), grid in zip(grid_rows, grids, strict=True):
        assert shapely.area(shapely.difference(grid, by_code[code[:6]])) < 1.0, code


def test_each_district_has_its_own_supervisors_and_rosters(city):
    supervised = dict(store_rows(city, "SELECT substr(responsibility_grid_code, 1, 6), count(DISTINCT staff_code) "
                                       "FROM supervisor_assignment GROUP BY 1"))
    assert sorted(supervised) == ["150602", "150603", "150621"]
    unsupervised = store_rows(city, "SELECT code FROM responsibility_grid WHERE code NOT IN "
                                    "(SELECT responsibility_grid_code FROM supervisor_assignment)")
    assert unsupervised == []
    # a supervisor or a grid worker serves in one district only
    spread = store_rows(city, "SELECT staff_code FROM (SELECT staff_code, substr(responsibility_grid_code, 1, 6) AS d "
                              "FROM supervisor_assignment UNION SELECT staff_code, substr(community_grid_code, 1, 6) "
                              "FROM community_grid_role) GROUP BY staff_code HAVING count(DISTINCT d) > 1")
    assert spread == []
    # each district's patrol reports come from its own supervisors
    foreign = store_rows(city, "SELECT count(*) FROM incident i JOIN supervisor_assignment s ON s.staff_code = "
                               "i.reporter_staff_code WHERE substr(s.responsibility_grid_code, 1, 6) <> "
                               "substr(i.unit_grid_code, 1, 6)")
    assert foreign == [(0,)]


def test_same_seed_same_city(city_file, tmp_path):
    again = tmp_path / "again.sqlite"
    build_demo(again, seed=DEMO_SEED, scale=0.15, districts=3, end=DEMO_END)
    for table in [*FINGERPRINT, "road", "case_serial"]:  # every column, coordinates too
        assert table_digest(again, table) == table_digest(city_file, table), table
    other = tmp_path / "other.sqlite"
    build_demo(other, seed=DEMO_SEED + 1, scale=0.15, districts=3, end=DEMO_END)
    assert table_digest(other, "unit_grid") != table_digest(city_file, "unit_grid")


def test_a_new_component_takes_the_code_of_the_district_it_lies_in(city_file, tmp_path):
    import shutil

    path = tmp_path / "city.sqlite"
    shutil.copy(city_file, path)
    with open_store(path) as store:
        for district in ("150603", "150621"):
            x, y = store.conn.execute("SELECT X(PointOnSurface(geom)), Y(PointOnSurface(geom)) FROM unit_grid "
                                      "WHERE code LIKE ? ORDER BY code LIMIT 1", (district + "%",)).fetchone()
            code = register.add_component(store, "0101", shapely.to_wkb(shapely.Point(x, y)), user="ST00001",
                                          reason="普查补录")
            assert code.startswith(district + "0101"), code
        assert validate_store(store) == []


def test_an_id_of_a_district_outside_the_city_is_refused(city_file, tmp_path):
    import shutil

    from gridmap.io.importer import ImportOptions, import_file
    from tests.io.conftest import write_csv

    path = tmp_path / "city.sqlite"
    shutil.copy(city_file, path)
    with open_store(path) as store:
        rows = store_rows(store, "SELECT code, class_code, X(geom), Y(geom) FROM component_point WHERE code LIKE "
                                 "'150621%' ORDER BY code LIMIT 2")
        foreign = ("1101050101999999", "0101", rows[1][2] + 3, rows[1][3])  # 110105: Beijing's Chaoyang
        csv_path = write_csv(tmp_path / "c.csv", ["code", "class_code", "x", "y"],
                             [[rows[0][0], rows[0][1], rows[0][2] + 1, rows[0][3]], list(foreign)])
        report = import_file(store, csv_path, ImportOptions(profile="native", crs=4546), dry_run=True)
    assert [text for _row, text in report.errors] == \
        ["1101050101999999: the ID is of district 110105, the store is 150602, 150603, 150621"]


def test_validate_finds_an_id_of_a_district_outside_the_city(city_file, tmp_path):
    import shutil

    path = tmp_path / "city.sqlite"
    shutil.copy(city_file, path)
    with open_store(path) as store:
        with store.transaction() as conn:
            code = conn.execute("SELECT code FROM component_point WHERE code LIKE '150603%' ORDER BY code "
                                "LIMIT 1").fetchone()[0]
            # a copy under the ID of Beijing's Chaoyang (codes never change; a new row carries it)
            conn.execute("INSERT INTO component_point (code, class_code, unit_grid_code, state, currency, geom) "
                         "SELECT ?, class_code, unit_grid_code, state, currency, geom FROM component_point "
                         "WHERE code = ?", ("110105" + code[6:], code))
        problems = [(p.kind, p.code, p.message) for p in validate_store(store)]
    assert problems == [("code.component", "110105" + code[6:],
                         "ID says district 110105, the store is 150602, 150603, 150621")]
