"""gridmap hotspots gives the same table on PostGIS as on the file (issue 16)."""

import json

from gridmap.store.migrate import migrate
from tests.cli.test_cli import gridmap


def test_hotspots_agree_on_both_engines(small_demo, pg_uri, tmp_path):
    migrate(small_demo, pg_uri)
    reports = []
    for k, location in enumerate((small_demo, pg_uri)):
        done = gridmap("hotspots", location, "--from", "2026-01-01", "--to", "2026-06-30", "--class", "0102",
                       "--json", "--csv", tmp_path / f"{k}.csv")
        assert done.returncode == 0, done.stderr[-500:]
        reports.append(json.loads(done.stdout))
    assert reports[0] == reports[1] and reports[0]["cases"] > 0
    assert (tmp_path / "0.csv").read_bytes() == (tmp_path / "1.csv").read_bytes()
