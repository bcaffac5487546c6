"""The desktop's own QGIS layers never drop the process's SQLite locks on the store (issue 10).

QGIS's providers open the file too; if any of them read it with a plain open()/close(), our Store
connection would lose its locks and another program closing the file would delete the WAL under it.
"""

import os
import subprocess
import sys
import uuid

from gridmap.gui.layers import make_incident_layer, make_layer
from gridmap.store import open_store


def test_qgis_layers_on_an_open_store_keep_its_locks(qapp, small_demo):
    store = open_store(small_demo)
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO gridmap_setting VALUES ('marker', '1')")
    layers = [make_layer(small_demo, t) for t in ("unit_grid", "component_point", "responsibility_grid")]
    layers.append(make_incident_layer(small_demo, "cases"))
    for layer in layers:
        assert layer.isValid()
        assert sum(1 for _ in layer.getFeatures()) > 0
    # a name no style has yet: QGIS 3.22 asks in a modal dialog before overwriting one
    assert layers[0].saveStyleToDatabase(f"lock-test-{uuid.uuid4().hex}", "test", False, "") == ""
    reopened = make_layer(small_demo, "unit_grid")
    assert reopened.isValid()
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM sqlite_master').fetchone(); c.close()")
    subprocess.run([sys.executable, "-c", code, str(small_demo)], check=True, timeout=60)
    assert os.path.exists(f"{small_demo}-wal"), "another program deleted the WAL under the desktop"
    with store.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO gridmap_setting VALUES ('marker', '2')")
    del layers, reopened
    store.close()
    with open_store(small_demo) as again:
        assert again.setting("marker") == "2"
