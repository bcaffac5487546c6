"""A unit grid import obeys the plan rules of `gridmap grid assign` and the grid editor: a locked
responsibility grid neither gains nor loses unit grids, a grid stays connected; each refused row is
listed and nothing is written (review of issue 11, item 1)."""

from gridmap.domain.plan import MoveRefused
from gridmap.io.export import ExportOptions, export
from gridmap.io.files import read_table, write_table
from gridmap.io.importer import ImportOptions, import_file
from gridmap.store import grids
from tests.io.conftest import count


def _moves(store):
    """(unit, target) of one move `grid assign` allows and one it refuses as not touching."""
    plan = grids.load_plan(store)
    pairs = [(u, t) for u in sorted(plan.assignment) for t in sorted(plan.members) if t != plan.assignment[u]]
    allowed = next(p for p in pairs if plan.check(*p) is None)
    locked = plan.assignment[allowed[0]]
    for unit, target in pairs:
        if locked not in (plan.assignment[unit], target) and "does not touch" in (plan.check(unit, target) or ""):
            return plan, allowed, (unit, target)
    raise AssertionError("the demo has no such moves")


def _edited(store, tmp_path, changes: dict[str, str]):
    export(store, tmp_path / "out", ExportOptions(layer="unit_grid", format="gpkg"))
    table = read_table(tmp_path / "out" / "unit_grid.gpkg")
    codes = list(table.columns["code"])
    rows = {}
    for unit, target in changes.items():
        k = codes.index(unit)
        table.columns["responsibility_grid_code"][k] = target
        rows[unit] = k + 1
    path = tmp_path / "edited.gpkg"
    write_table(path, "gpkg", table, layer="unit_grid")
    return path, rows


def test_moves_out_of_a_locked_grid_and_into_a_grid_not_touched_are_refused_row_by_row(store, tmp_path):
    plan, (unit, target), (stray, far) = _moves(store)
    grids.set_locked(store, plan.assignment[unit], True)
    path, rows = _edited(store, tmp_path, {unit: target, stray: far})
    before = count(store, "unit_grid")
    report = import_file(store, path, ImportOptions(layer="unit_grid"))
    assert not report.written and count(store, "unit_grid") == before
    by_row = dict(report.errors)
    assert "locked" in by_row[rows[unit]] and unit in by_row[rows[unit]]
    assert "does not touch" in by_row[rows[stray]] and far in by_row[rows[stray]]
    # the reference: grid assign refuses the same two moves
    for u, t in [(unit, target), (stray, far)]:
        try:
            grids.assign_units(store, [u], t)
        except MoveRefused:
            continue
        raise AssertionError(f"grid assign allowed {u} → {t}")


def test_a_move_grid_assign_allows_is_imported(store, tmp_path):
    _plan, (unit, target), _ = _moves(store)
    path, _rows = _edited(store, tmp_path, {unit: target})
    report = import_file(store, path, ImportOptions(layer="unit_grid"))
    assert report.errors == [] and report.updated == 1 and report.written
    assert grids.current_assignment(store)[unit] == target
