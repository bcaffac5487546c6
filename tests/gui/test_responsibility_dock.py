"""The Responsibility dock on a real window: units, assignment by selection, the routing matrix, gaps."""

from gridmap.store import responsibility as resp


def test_routing_matrix_tells_defaults_from_overrides(window):
    panel = window.workspace.responsibility.routing
    table = resp.load_routing(window.store)
    override = next(r for r in table.rules.values() if r.area_kind == "responsibility_grid")
    row = [c for c, _ in panel.rows].index(override.class_code)
    column = panel.columns.index(("responsibility_grid", override.area_code))
    assert panel.is_override(row, column)
    other = next(c for c, (kind, _code) in enumerate(panel.columns) if kind != "default" and c != column)
    assert not panel.is_override(row, other)
    # set a new override through the matrix, then remove it again
    unit = next(iter(panel.units))
    assert panel.set_cell(row, other, unit)
    assert resp.load_routing(window.store).rules[("event", override.class_code, *panel.columns[other])].unit_code \
        == unit
    assert panel.is_override(row, other)
    assert panel.set_cell(row, other, None)
    assert not panel.is_override(row, other)


def test_colouring_grids_by_the_unit_for_a_class(window):
    panel = window.workspace.responsibility.routing
    table = resp.load_routing(window.store)
    override = next(r for r in table.rules.values() if r.area_kind == "responsibility_grid")
    panel.table.setCurrentCell([c for c, _ in panel.rows].index(override.class_code), 0)
    labels = panel.colour_by_class()
    layer = window.layer("responsibility_grid")
    assert len(set(labels.values())) == 2  # the default unit and the override's
    assert {c.label() for c in layer.renderer().categories()} == set(labels.values())
    panel.colour_by_supervisor()
    assert layer.renderer().categories()
    panel.reset_colours()
    assert layer.name() == "Responsibility grids"


def test_assigning_a_unit_to_components_selected_on_the_map(window):
    panel = window.workspace.responsibility.units
    layer = window.layer("component_point")
    ids = [f.id() for f, _ in zip(layer.getFeatures(), range(4), strict=False)]
    layer.selectByIds(ids)
    panel.by_selection.setChecked(True)
    panel.role.setCurrentIndex(panel.role.findData("owner"))
    panel.unit.setCurrentIndex(3)
    chosen = panel.unit.currentData()
    assert panel.apply_assignment() == 4
    owners = {f["owner_unit_code"] for f in layer.getFeatures(ids)}
    assert owners == {chosen}


def test_gaps_panel_lists_and_zooms(window):
    panel = window.workspace.responsibility.gaps
    with window.store.transaction() as conn:
        conn.execute("UPDATE component_point SET maintainer_unit_code = NULL WHERE id = 5")
    gaps = panel.refresh()
    assert [g.kind for g in gaps] == ["component.no_maintainer"]
    panel.go_to(panel.list.item(0))
    x, y = gaps[0].x, gaps[0].y
    assert window.canvas.extent().contains(x, y) and window.canvas.extent().width() < 500
    grids = window.store.conn.execute("SELECT count(*) FROM responsibility_grid").fetchone()[0]
    assert panel.supervisors.rowCount() == grids
