"""Search that ranks: the exact class or place first, groups by kind with their counts, "showing 50 of N"
with a way to select them all, and a card for streets and communities."""

from qgis.PyQt.QtCore import Qt

from gridmap.store.search import search_groups


def count_of_class(conn, code):
    return sum(conn.execute(f"SELECT count(*) FROM {t} WHERE class_code = ?", (code,)).fetchone()[0]
               for t in ("component_point", "component_line", "component_polygon"))


def test_an_exact_class_name_comes_first_with_its_full_count(window):
    conn = window.store.conn
    lamps = count_of_class(conn, "0118")
    covers = count_of_class(conn, "0106")
    assert lamps > 50 and covers > 0
    panel = window.workspace.search
    panel.edit.setText("路灯")
    hits = panel.run_search()
    first = panel.groups[0]
    assert first.title == "0118 路灯" and first.total == lamps and len(first.hits) == 50
    assert all(h.label == "路灯" for h in hits[:50])  # none of the 路灯井盖 before every lamp shown
    titles = [g.title for g in panel.groups]
    assert titles.index("0106 路灯井盖") > 0
    top = panel.results.topLevelItem(0)
    assert f"({lamps:,})" in top.text(0)
    more = top.child(top.childCount() - 2)
    assert more.text(0).startswith("Showing 50 of") and f"{lamps:,}" in more.text(0)
    assert f"{lamps + covers:,}" not in panel.summary.text() or len(panel.groups) > 2


def test_select_all_puts_every_match_of_a_group_on_the_map(window):
    conn = window.store.conn
    lamps = count_of_class(conn, "0118")
    panel = window.workspace.search
    panel.edit.setText("路灯")
    panel.run_search()
    top = panel.results.topLevelItem(0)
    more = top.child(top.childCount() - 2)
    panel.results.itemActivated.emit(more, 0)  # Enter or a double-click on the row
    layer = window.layer("component_point")
    assert layer.selectedFeatureCount() == lamps
    assert "路灯" in window.statusBar().currentMessage()


def test_a_street_shows_its_own_card(window):
    conn = window.store.conn
    code, name = conn.execute("SELECT code, name FROM street ORDER BY code LIMIT 1").fetchone()
    panel = window.workspace.search
    panel.edit.setText(name)
    panel.run_search()
    assert panel.groups[0].kind == "street" and panel.groups[0].hits[0].code == code
    item = panel.item_of(0, 0)
    panel.results.itemClicked.emit(item, 0)
    inspector = window.workspace.inspector
    assert inspector.sections and inspector.sections[0].kind == "street"
    communities = conn.execute("SELECT count(*) FROM community WHERE street_code = ?", (code,)).fetchone()[0]
    assert inspector.value("communities") == str(communities)
    assert inspector.title.text() != "Nothing here."
    assert inspector.tree.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole)[0] == "section"


def test_an_exact_code_comes_before_codes_that_start_with_it(window):
    conn = window.store.conn
    grid = conn.execute("SELECT code FROM unit_grid WHERE valid_to IS NULL ORDER BY code LIMIT 1").fetchone()[0]
    groups = search_groups(window.store, grid)
    assert groups[0].hits[0].code == grid and groups[0].total == 1
    street = grid[:9]
    groups = search_groups(window.store, street)
    assert groups[0].kind == "street" and groups[0].hits[0].code == street
    assert any(g.kind == "unit_grid" and g.total > 1 for g in groups[1:])


def test_all_matches_of_a_group_open_in_the_attribute_table(window):
    lamps = count_of_class(window.store.conn, "0118")
    panel = window.workspace.search
    panel.edit.setText("路灯")
    panel.run_search()
    top = panel.results.topLevelItem(0)
    link = top.child(top.childCount() - 1)
    assert "attribute table" in link.text(0)
    panel.results.itemActivated.emit(link, 0)
    table = window.workspace.tables[-1].widget()
    assert table.row_count() == lamps
