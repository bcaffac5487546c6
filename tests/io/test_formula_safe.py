"""Issue 10, item 9: no CSV/XLSX cell a spreadsheet would evaluate (OWASP: leading =, +, -, @, tab, CR);
real numbers stay numbers; our own import reads the neutralised text back as it was."""

import csv
import datetime as dt

import openpyxl
import pytest

from gridmap.domain.cells import formula_safe, unquote
from gridmap.io.export import ExportOptions, export
from gridmap.io.importer import ImportOptions, import_file
from gridmap.store.evaluation import period_rows, write_csv, write_xlsx
from gridmap.store.responsibility import export_routing

ATTACKS = ["=HYPERLINK(\"http://x\",\"点\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB", "\rCR",
           "'=already quoted"]


def _evaluated(text: str) -> bool:
    """Whether a spreadsheet would evaluate the cell text as a formula."""
    if not text or text[0] not in "=+-@\t\r":
        return False
    try:
        float(text)
        return False  # a number
    except ValueError:
        return True


@pytest.mark.parametrize("value", [*ATTACKS, "-12.5", "+3", "普通文字", "", "'"])
def test_the_rule_and_its_inverse(value):
    written = formula_safe(value)
    assert not _evaluated(written)
    assert unquote(written) == value


def test_numbers_stay_numbers():
    assert formula_safe(-12.5) == "-12.5" and formula_safe("-12.5") == "-12.5" and formula_safe(-3) == "-3"


@pytest.fixture
def hostile(store):
    codes = [r[0] for r in store.conn.execute("SELECT code FROM component_point ORDER BY code LIMIT ?",
                                              (len(ATTACKS),))]
    unit = store.conn.execute("SELECT code FROM responsible_unit ORDER BY code LIMIT 1").fetchone()[0]
    with store.transaction() as conn:
        conn.executemany("UPDATE component_point SET name = ? WHERE code = ?", list(zip(ATTACKS, codes, strict=True)))
        conn.execute("UPDATE responsible_unit SET name = ? WHERE code = ?", ("=1+2 单位", unit))
    return codes


def test_components_csv_export(store, tmp_path, hostile):
    export(store, tmp_path, ExportOptions(format="csv", profile="legacy"))
    with (tmp_path / "component_point.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if _evaluated(c)]
    assert "'=1+2 单位" in cells  # the unit name too
    x_column = rows[0].index("x")
    assert all(float(row[x_column]) > 0 for row in rows[1:])  # coordinates are still numbers
    with (tmp_path / "fields.csv").open(encoding="utf-8-sig", newline="") as f:
        assert not [c for row in csv.reader(f) for c in row if _evaluated(c)]


def test_our_csv_export_imports_back_unchanged(store, tmp_path, hostile):
    export(store, tmp_path, ExportOptions(format="csv", profile="native"))
    with store.transaction() as conn:
        conn.execute("UPDATE component_point SET name = NULL WHERE code = ?", (hostile[0],))
    report = import_file(store, tmp_path / "component_point.csv", ImportOptions(profile="native"))
    assert report.written and report.errors == []
    names = dict(store.conn.execute(f"SELECT code, name FROM component_point WHERE code IN "
                                    f"({', '.join('?' * len(hostile))})", hostile))
    # imports strip blanks around values; a stored value that differs only by them is unchanged
    assert [names[c] for c in hostile] == [ATTACKS[0].strip(), *ATTACKS[1:]]


def test_evaluation_csv_and_xlsx(store, tmp_path, hostile):
    rows = period_rows(store, dt.date(2026, 1, 1), dt.date(2026, 11, 27), "unit")
    assert any(str(r.get("name", "")).startswith("=") for r in rows)
    write_csv(rows, "unit", tmp_path / "e.csv")
    with (tmp_path / "e.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert not [c for row in table for c in row if _evaluated(c)]
    assert any(c == "'=1+2 单位" for row in table for c in row)
    write_xlsx(rows, "unit", tmp_path / "e.xlsx", "=title")
    sheet = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    values = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c for c in values if c.data_type == "f"]
    assert not [c for c in values if isinstance(c.value, str) and _evaluated(c.value)]
    assert any(isinstance(c.value, int | float) for c in values)  # counts and rates stay numbers


def test_routing_csv(store, tmp_path, hostile):
    export_routing(store, tmp_path / "routing.csv")
    with (tmp_path / "routing.csv").open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert not [c for row in table for c in row if _evaluated(c)]
    assert any(c == "'=1+2 单位" for row in table for c in row)


def test_grid_plan_csv(store, tmp_path):
    from gridmap.io.plan_export import export_plan
    from gridmap.store.grids import load_plan

    grid = store.conn.execute("SELECT code FROM responsibility_grid ORDER BY code LIMIT 1").fetchone()[0]
    with store.transaction() as conn:
        conn.execute("UPDATE responsibility_grid SET name = '@SUM(1)' WHERE code = ?", (grid,))
    _, table = export_plan(load_plan(store), store.srid, tmp_path)
    with table.open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f) for c in row]
    assert "'@SUM(1)" in cells and not [c for c in cells if _evaluated(c)]
