"""The asset register on PostGIS (issue 15): the same scenarios as tests/store/test_register.py, on a
database, and two desks adding components of one class at once never get the same code."""

import threading

import pytest
import shapely

from gridmap.store import open_store, register
from gridmap.store.migrate import migrate
from tests.store.test_register import add_move_set_retire, grid_centres, lines_and_polygons, refusals_write_nothing


@pytest.fixture
def pg_demo(small_demo_file, pg_uri):
    migrate(small_demo_file, pg_uri)
    return pg_uri


def test_a_component_lives_its_life_with_every_version_kept(pg_demo):
    add_move_set_retire(pg_demo)


def test_refused_changes_write_nothing(pg_demo):
    refusals_write_nothing(pg_demo)


def test_lines_are_reshaped_and_polygons_added(pg_demo):
    lines_and_polygons(pg_demo)


def test_two_desks_adding_the_same_class_get_different_codes(pg_demo):
    with open_store(pg_demo) as store:
        (_grid, x, y), _ = grid_centres(store)
    codes, errors = [], []

    def desk(n):
        try:
            with open_store(pg_demo) as store:
                for k in range(5):
                    codes.append(register.add_component(store, "0101", shapely.to_wkb(shapely.Point(x + n, y + k)),
                                                        user=f"desk{n}"))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=desk, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(codes) == 15 and len(set(codes)) == 15


def test_inspections_open_cases_and_count_in_the_coverage(pg_demo):
    from tests.store.test_inspections import inspections_and_cases

    inspections_and_cases(pg_demo)


def test_positions_are_kept_once_and_give_the_patrol_figures(pg_demo):
    from tests.store.test_inspections import positions_and_patrol

    positions_and_patrol(pg_demo)


def test_a_census_merge_on_postgis(pg_demo, tmp_path):
    from tests.io.test_census import census_scenario

    census_scenario(pg_demo, tmp_path)
