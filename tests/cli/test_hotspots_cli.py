"""gridmap hotspots on the small demo: the table, the period and class filters, errors."""

import csv
import json
import sqlite3

from tests.cli.test_cli import gridmap


def test_hotspots_write_one_row_per_unit_grid(small_demo, tmp_path):
    out = tmp_path / "hot.csv"
    done = gridmap("hotspots", small_demo, "--from", "2026-01-01", "--to", "2026-06-30", "--csv", out)
    assert done.returncode == 0, done.stderr
    assert "Getis-Ord Gi*" in done.stdout and "hot unit grid(s)" in done.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    conn = sqlite3.connect(small_demo)
    current = conn.execute("SELECT count(*) FROM unit_grid WHERE valid_to IS NULL").fetchone()[0]
    cases = conn.execute("SELECT count(*) FROM incident WHERE reported_at >= '2026-01-01' "
                         "AND reported_at < '2026-07-01'").fetchone()[0]
    conn.close()
    assert len(rows) == current and sum(int(r["cases"]) for r in rows) == cases
    assert {r["class"] for r in rows} <= {"hot", "cold", "not significant"}
    hot = [int(r["cases"]) for r in rows if r["class"] == "hot"]
    rest = [int(r["cases"]) for r in rows if r["class"] != "hot"]
    assert hot and sum(hot) / len(hot) > 2 * sum(rest) / len(rest)
    z = [float(r["gi_z"]) for r in rows]
    assert z == sorted(z, reverse=True)  # hottest first


def test_json_and_the_class_filter(small_demo):
    every = json.loads(gridmap("hotspots", small_demo, "--from", "2025-01-01", "--to", "2026-11-27", "--json",
                               check=True).stdout)
    garbage = json.loads(gridmap("hotspots", small_demo, "--from", "2025-01-01", "--to", "2026-11-27", "--json",
                                 "--class", "event:0102", check=True).stdout)
    assert 0 < garbage["cases"] < every["cases"] and garbage["classes"] == ["event:0102"]
    assert every["unit_grids"] == len(every["grids"]) and every["hot"] == sum(
        g["class"] == "hot" for g in every["grids"])
    assert all(g["p_value"] <= 0.05 for g in every["grids"] if g["class"] != "not significant")


def test_bad_periods_and_classes_are_refused(small_demo):
    empty = gridmap("hotspots", small_demo, "--from", "2026-06-01", "--to", "2026-05-01")
    assert empty.returncode == 2 and "is empty" in empty.stderr
    assert gridmap("hotspots", small_demo, "--from", "June", "--to", "2026-05-01").returncode == 2
    bad = gridmap("hotspots", small_demo, "--from", "2026-01-01", "--to", "2026-05-01", "--class", "01;02")
    assert bad.returncode == 2 and "give a class code" in bad.stderr
