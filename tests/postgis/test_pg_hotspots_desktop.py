"""The Hotspots dock and the balance proposal on a PostGIS database (issue 16): the heatmap is a query
layer through QGIS's postgres provider, temporal on reported_at like on the file, and a proposal is
committed through the editor."""

import pytest
from qgis.core import QgsFeatureRequest, QgsVectorLayerTemporalContext
from qgis.PyQt.QtCore import QDate

from gridmap.store import grids, open_store
from gridmap.store.migrate import migrate
from tests.gui.conftest import workspace_on


@pytest.fixture
def pg_window(qapp, qtbot, small_demo, pg_uri):
    migrate(small_demo, pg_uri)
    with workspace_on(qtbot, pg_uri) as win:
        yield win


def test_hotspots_and_the_heatmap_on_postgis(pg_window, pg_uri):
    panel = pg_window.workspace.hotspots
    panel.since.setDate(QDate(2026, 3, 1))
    panel.until.setDate(QDate(2026, 8, 31))
    found = panel.run()
    heat = panel.heat_layer
    assert heat.isValid() and heat.providerType() == "postgres" and heat.featureCount() == found.cases
    panel.animate.setChecked(True)
    panel.slider.setValue(3)
    shown = pg_window.canvas.mapSettings().temporalRange()
    where = heat.temporalProperties().createFilterString(QgsVectorLayerTemporalContext(), shown)
    drawn = sum(1 for _ in heat.getFeatures(QgsFeatureRequest().setFilterExpression(where)))
    with open_store(pg_uri) as store:
        expected = store.conn.execute("SELECT count(*) FROM incident WHERE reported_at >= '2026-03-22' "
                                      "AND reported_at < '2026-03-29'").fetchone()[0]
    assert drawn == expected > 0
    assert panel.grid_layer.featureCount() == len(found.grids) and panel.table.rowCount() > 0


def test_a_proposal_is_committed_on_postgis(pg_window, pg_uri):
    editor = pg_window.workspace.grid_editor
    editor.start()
    proposal = editor.propose_balance(0.10)
    assert proposal.reached and editor.commit("均衡") == len(proposal.moves) > 0
    with open_store(pg_uri) as store:
        assert grids.current_assignment(store) == proposal.assignment
