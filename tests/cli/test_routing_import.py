"""`gridmap routing import` reads a CSV Excel saved in GBK (detected, or --encoding), and a mass change —
a fill-down that changes most rules — needs --allow-removals like a mass removal; the dry run lists
every change (review of issue 11, item 9)."""

import csv

from gridmap.cli import main
from gridmap.store import open_store
from gridmap.store import responsibility as resp


def _run(capsys, *args):
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def _rows(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write(path, rows, encoding):
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)


def test_a_gbk_csv_from_excel_is_read(small_demo, tmp_path, capsys):
    path = tmp_path / "routing.csv"
    with open_store(small_demo) as store:
        resp.export_routing(store, path)
    rows = _rows(path)
    assert any(not "".join(r).isascii() for r in rows)  # names in Chinese: GBK bytes are not UTF-8
    _write(path, rows, "gbk")
    code, out, err = _run(capsys, "routing", "import", small_demo, path, "--dry-run")
    assert code == 0 and "would change 0 rule(s)" in out, err
    code, out, err = _run(capsys, "routing", "import", small_demo, path, "--dry-run", "--encoding", "gbk")
    assert code == 0 and "would change 0 rule(s)" in out, err


def test_a_fill_down_that_changes_most_rules_needs_allow_removals(small_demo, tmp_path, capsys):
    path = tmp_path / "routing.csv"
    with open_store(small_demo) as store:
        resp.export_routing(store, path)
        before = resp.load_routing(store).rules
    rows = _rows(path)
    unit = rows[1][rows[0].index("unit_code")]
    for row in rows[1:]:
        row[rows[0].index("unit_code")] = unit  # Excel fill-down of the first row's unit
    _write(path, rows, "utf-8-sig")
    changed = sum(1 for r in before.values() if r.unit_code != unit)
    assert changed > 0.1 * len(before)
    code, out, err = _run(capsys, "routing", "import", small_demo, path)
    assert code == 2 and f"would change {changed} of the {len(before)}" in err and "--allow-removals" in err
    with open_store(small_demo) as store:
        assert resp.load_routing(store).rules == before
    code, out, _ = _run(capsys, "routing", "import", small_demo, path, "--dry-run")
    assert code == 0 and sum(line.startswith("~ ") for line in out.splitlines()) == changed
    code, out, _ = _run(capsys, "routing", "import", small_demo, path, "--allow-removals")
    assert code == 0 and f"{changed} changed" in out
